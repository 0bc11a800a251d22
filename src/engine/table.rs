//! Fates from a table. An order's fate (when it resolves, and whether it is confirmed) does
//! not depend on its value, and when a scenario's delays are the same in every trial its
//! distribution is the same for every order of a region. It is worked out once, on a grid of
//! eighth days, as four ways an order can end:
//!
//! - cancelled during processing, at `U·P` (its distribution has a closed form);
//! - refunded after delivery, at `P + S + R`;
//! - confirmed by the buyer, at `min(P + S + C, max(A, P + S))`;
//! - confirmed when buyer protection ends, at `max(A, P + S)`;
//!
//! each voided at `I` when it would come later (P processing, S shipping, C the buyer's delay,
//! R the refund's, A auto-confirmation, I the void). Sums of lognormals have no closed form:
//! each delay's probability per cell comes from its distribution function, and a sum of two
//! cells is spread over the two cells it covers, half in each (the sum of two uniforms is a
//! triangle over them). Within a cell a fate is uniform; the moments A and I are points.
//! An order then takes two words, one of them for a draw from an alias table (O(1)), instead
//! of three lognormals and two words, which is most of the cost of following a large site's
//! orders.
//!
//! A cell is an eighth of a day, so a fate is placed on its day exactly except within the
//! cell that straddles midnight, where the density is taken as flat over three hours: the
//! error in the share of orders resolving on a given day is of the order of
//! `STEP² · f′(t)` (below 1e-6 for any delay of days), far below what any number of trials
//! can see.

use std::cell::{OnceCell, RefCell};
use std::rc::Rc;

use rand::Rng;
use statrs::distribution::{ContinuousCDF, Normal};

use super::fates::{Fates, LANES, halves, region_of};
use super::world::{CategoryWorld, World};
use crate::model::{LogNormal, Param, Scenario, Spread};

/// Width of a cell, days (a power of two: cell edges are exact in `f32`).
const STEP: f64 = 0.125;

/// The most cells in one way of ending (512 days): tables stay small enough for the cache,
/// and scenarios beyond it follow every order's draws instead.
const MAX_CELLS: usize = 4096;

/// Probability a cancellation may come later than the last cell (it is placed there).
const TAIL: f64 = 1e-12;

/// Orders a trial should expect (first month's clicks × months × conversion, before growth
/// and seasonality) before a table is built for it alone. A build of the default scenario's
/// two regions took about 1.2 ms in a profile; at about 37 ns an order (a large site, one
/// core), 200,000 orders are some 7 ms of work.
const TABLE_PER_TRIAL: f64 = 200_000.0;

/// The four ways an order ends, in the order a category's shares split its uniform.
const WAYS: usize = 4;

/// Whether a scenario's fate distributions are the same in every trial: none of its delays'
/// medians is uncertain.
fn same_in_every_trial(sc: &Scenario) -> bool {
    let fixed = |s: &Spread| matches!(s.median, Param::Fixed(_));
    let p = &sc.program;
    [&p.processing, &p.confirm_delay, &p.refund_delay]
        .into_iter()
        .chain(sc.regions.iter().map(|r| &r.shipping))
        .all(fixed)
}

/// The fate tables of one world's regions, every way of ending's alias slots and cells laid
/// out one after another in two arrays: a draw reads where its way lies, one slot and one
/// cell.
#[derive(Debug)]
pub(super) struct FateTable {
    /// `spans[r]`: where region `r`'s cancellations (the same in every region), refunds,
    /// confirmations by the buyer and at protection's end lie.
    spans: Vec<[Span; WAYS]>,
    slots: Vec<Slot>,
    /// Each cell's start and width in days after payment (width 0: exactly at its start).
    cells: Vec<[f32; 2]>,
    /// Each cell's probability within its way (for [`Tail`]s).
    probabilities: Vec<f64>,
    /// `tails[r]`: region `r`'s ways of ending laid on the grid, built when an opening
    /// pipeline first asks; `None` if a way's cells are off the grid.
    tails: OnceCell<Option<Vec<[Tail; WAYS]>>>,
}

/// Where a way of ending lies: its slots and cells from `from` on (the same places), `n` of
/// them, those below `confirmed_below` ending in confirmation.
#[derive(Debug, Clone, Copy)]
struct Span {
    from: u32,
    n: u32,
    confirmed_below: u32,
}

/// An alias slot: the share of it (of 2⁶⁴) that gives its own cell, and the cell it gives
/// otherwise (both places in the table's arrays).
#[derive(Debug, Clone, Copy)]
struct Slot {
    keep: u64,
    alias: u32,
}

/// The cells of one way of ending as they are built: each a start and a width in days after
/// payment, those below `confirmed_below` ending in confirmation, and their alias table.
#[derive(Debug, Clone)]
struct Way {
    start: Vec<f32>,
    width: Vec<f32>,
    /// Each cell's probability (of the way's whole).
    p: Vec<f64>,
    confirmed_below: usize,
    alias: Alias,
}

/// A cell's probability, where it starts, how wide it is, and whether it ends in confirmation.
type Cell = (f64, f64, f64, bool);

impl Way {
    /// From cells in any order (cells of zero probability are left out); `None` if there is
    /// no probability at all.
    #[allow(clippy::cast_possible_truncation)] // cell edges are multiples of STEP below 512 days, exact in f32
    pub(super) fn new(mut cells: Vec<Cell>) -> Option<Way> {
        cells.retain(|c| c.0 > 0.0);
        cells.sort_by_key(|c| !c.3);
        let confirmed_below = cells.iter().filter(|c| c.3).count();
        let alias = Alias::new(&cells.iter().map(|c| c.0).collect::<Vec<_>>())?;
        let total: f64 = cells.iter().map(|c| c.0).sum();
        Some(Way {
            start: cells.iter().map(|c| c.1 as f32).collect(),
            width: cells.iter().map(|c| c.2 as f32).collect(),
            p: cells.iter().map(|c| c.0 / total).collect(),
            confirmed_below,
            alias,
        })
    }
}

/// What a table is built from: every delay of a world, each region's auto-confirmation, and
/// the void.
#[derive(Debug, Clone, PartialEq)]
struct Key {
    delays: Vec<LogNormal>,
    auto_confirm: Vec<f64>,
    invalid_after: f64,
}

impl Key {
    pub(super) fn of(w: &World, invalid_after: f64) -> Key {
        Key {
            delays: delays(w).copied().collect(),
            auto_confirm: w.regions.iter().map(|r| r.auto_confirm_days).collect(),
            invalid_after,
        }
    }
}

/// A world's delays: processing, the buyer's confirmation, the refund, each region's shipping.
fn delays(w: &World) -> impl Iterator<Item = &LogNormal> {
    [&w.processing, &w.confirm_delay, &w.refund_delay]
        .into_iter()
        .chain(w.regions.iter().map(|r| &r.shipping))
}

/// Tables a thread keeps: enough for every variant of a comparison or sweep that shares its
/// buyers, whose fates differ.
const KEPT: usize = 16;

thread_local! {
    /// The last tables built on this thread, the latest first: trials of one scenario (or
    /// of the variants of one simulation) share them.
    static LAST: RefCell<Vec<(Key, Option<Rc<FateTable>>)>> = const { RefCell::new(Vec::new()) };
}

/// Whether every trial of `sc` draws its fates from a table, always the same one: its delays
/// are the same in every trial and can be tabled.
pub(super) fn tabled_in_every_trial(sc: &Scenario) -> bool {
    let w = World::draw(sc, &mut super::stream(sc.seed, 0, super::Stream::World));
    same_in_every_trial(sc) && FateTable::for_world(&w, sc.program.invalid_after_days).is_some()
}

impl FateTable {
    /// The table of a trial's fates, when its delays can be tabled and building it pays:
    /// when the scenario's delays are the same in every trial (built once per thread), or
    /// when they are drawn per trial and the trial's world expects at least
    /// [`TABLE_PER_TRIAL`] orders. Else `None`, and every order's fate is drawn. The choice
    /// depends only on the scenario and the world, never on what a thread built before.
    pub(super) fn for_scenario(sc: &Scenario, w: &World) -> Option<Rc<FateTable>> {
        let expected_orders = w.clicks_per_month
            * f64::from(sc.months)
            * w.categories
                .iter()
                .map(|c| c.share * c.conversion_rate)
                .sum::<f64>();
        (same_in_every_trial(sc) || expected_orders >= TABLE_PER_TRIAL)
            .then(|| FateTable::for_world(w, sc.program.invalid_after_days))
            .flatten()
    }

    /// The table of a world's fates, built or taken from this thread's last ones; `None` when
    /// the world's delays cannot be tabled exactly (a constant delay, a moment off the grid,
    /// delays longer than the table) or its orders are earned at shipment.
    pub(super) fn for_world(w: &World, invalid_after: f64) -> Option<Rc<FateTable>> {
        // A table holds no day of shipment, which an order earned at shipment needs.
        if w.earned_at_shipment {
            return None;
        }
        let key = Key::of(w, invalid_after);
        LAST.with_borrow_mut(|last| {
            let i = match last.iter().position(|(k, _)| *k == key) {
                Some(i) => i,
                None => {
                    let table = FateTable::build(w, invalid_after).map(Rc::new);
                    last.truncate(KEPT - 1);
                    last.push((key, table));
                    last.len() - 1
                }
            };
            last[..=i].rotate_right(1);
            last[0].1.clone()
        })
    }

    fn build(w: &World, invalid_after: f64) -> Option<FateTable> {
        let tabled = |d: &LogNormal| d.sigma > 0.0 && d.median > 0.0 && d.mu.is_finite();
        if !delays(w).all(tabled) {
            return None;
        }
        let cancel = Way::new(cancellations(&w.processing)?)?;
        let void = grid_index(invalid_after)?;
        let ways = w
            .regions
            .iter()
            .map(|r| {
                let auto = grid_index(r.auto_confirm_days)?;
                let n = void.max(auto);
                if n == 0 || n > MAX_CELLS {
                    return None;
                }
                let processing = cells(&w.processing, n);
                let delivered = convolve(&processing, &cells(&r.shipping, n), n);
                let refunded = convolve(&delivered, &cells(&w.refund_delay, n), n);
                let before_auto = Cells {
                    p: delivered.p[..auto].to_vec(),
                    beyond: 0.0,
                };
                let by_buyer = convolve(&before_auto, &cells(&w.confirm_delay, n), n);
                Some([
                    Way::new(voided(&refunded, void, false))?,
                    Way::new(confirmations(&delivered, Some(&by_buyer), auto, void))?,
                    Way::new(confirmations(&delivered, None, auto, void))?,
                ])
            })
            .collect::<Option<Vec<_>>>()?;
        let mut table = FateTable {
            spans: Vec::new(),
            slots: Vec::new(),
            cells: Vec::new(),
            probabilities: Vec::new(),
            tails: OnceCell::new(),
        };
        let cancel = table.push(&cancel);
        for [refunded, by_buyer, at_end] in &ways {
            let [a, b, c] = [refunded, by_buyer, at_end].map(|way| table.push(way));
            table.spans.push([cancel, a, b, c]);
        }
        Some(table)
    }

    /// Whether [`FateTable::after`] can draw a fate given an age: every way of ending lies
    /// on the grid (else fates are drawn until one comes later).
    pub(super) fn draws_after(&self) -> bool {
        self.tails.get_or_init(|| self.lay_tails()).is_some()
    }

    /// A fate of an order of category `cat` (its ways' `bounds`) given that it comes later
    /// than `age` days after payment, drawn exactly from the table's distribution by
    /// inverting it with one uniform `u`: (days after payment, confirmed, region). `None`
    /// when no fate comes that late, or the table cannot ([`FateTable::draws_after`]).
    pub(super) fn after(
        &self,
        w: &World,
        bounds: &Bounds,
        age: f64,
        u: f64,
    ) -> Option<(f64, bool, usize)> {
        let tails = self.tails.get_or_init(|| self.lay_tails()).as_ref()?;
        let total = self.mass_after(w, bounds, age)?;
        if total <= 0.0 || total.is_nan() {
            return None;
        }
        // The region and way the uniform falls in, then the place within the way's later
        // part (the last way with any weight takes what rounding leaves over).
        let mut left = u * total;
        let mut last = None;
        for (r, (share, region)) in region_shares(w).zip(tails).enumerate() {
            for (k, tail) in region.iter().enumerate() {
                let scale = share * (bounds[k + 1] - bounds[k]);
                let m = scale * tail.mass_after(age);
                if m > 0.0 {
                    if left < m {
                        let (after, confirmed) = tail.pick(age, left / scale);
                        return Some((after, confirmed, r));
                    }
                    left -= m;
                    last = Some((r, tail, m / scale));
                }
            }
        }
        let (r, tail, mass) = last?;
        let (after, confirmed) = tail.pick(age, mass * (1.0 - f64::EPSILON));
        Some((after, confirmed, r))
    }

    /// The probability that a fate of an order of category `cat` (its ways' `bounds`) comes
    /// later than `age` days after payment; `None` when the table cannot tell
    /// ([`FateTable::draws_after`]).
    fn mass_after(&self, w: &World, bounds: &Bounds, age: f64) -> Option<f64> {
        let tails = self.tails.get_or_init(|| self.lay_tails()).as_ref()?;
        let mut total = 0.0;
        for (share, region) in region_shares(w).zip(tails) {
            for (k, tail) in region.iter().enumerate() {
                total += share * (bounds[k + 1] - bounds[k]) * tail.mass_after(age);
            }
        }
        Some(total)
    }

    /// Every region's ways of ending laid on the grid; `None` if a cell is off it.
    fn lay_tails(&self) -> Option<Vec<[Tail; WAYS]>> {
        self.spans
            .iter()
            .map(|ways| {
                let tails: Vec<Tail> = ways
                    .iter()
                    .map(|span| {
                        let at = span.from as usize..(span.from + span.n) as usize;
                        let confirmed =
                            (at.start..at.end).map(|i| i < span.confirmed_below as usize);
                        Tail::new(
                            self.cells[at.clone()]
                                .iter()
                                .zip(&self.probabilities[at])
                                .zip(confirmed),
                        )
                    })
                    .collect::<Option<_>>()?;
                tails.try_into().ok()
            })
            .collect()
    }

    /// Lays out a way's slots and cells after the others.
    #[allow(clippy::cast_possible_truncation)] // at most MAX_CELLS cells a way, WAYS ways a region
    fn push(&mut self, way: &Way) -> Span {
        let from = self.slots.len() as u32;
        let slots = way.alias.keep.iter().zip(&way.alias.alias);
        self.slots.extend(slots.map(|(&keep, &alias)| Slot {
            keep,
            alias: from + alias,
        }));
        let cells = way.start.iter().zip(&way.width);
        self.cells
            .extend(cells.map(|(&start, &width)| [start, width]));
        self.probabilities.extend(&way.p);
        Span {
            from,
            n: way.start.len() as u32,
            confirmed_below: from + way.confirmed_below as u32,
        }
    }

    /// Draws the fates of `n` (at most [`LANES`]) orders of category `cat` into `fates`: two
    /// words each, always ([`FateTable::fate`]), so that variants whose fates differ draw
    /// everything else alike.
    pub(super) fn draw<R: Rng + ?Sized>(
        &self,
        fates: &mut Fates,
        w: &World,
        cat: &CategoryWorld,
        n: usize,
        rng: &mut R,
    ) {
        let n = n.min(LANES);
        let bounds = ways(cat, w.confirm_receipt_share);
        for i in 0..n {
            let [first, second] = [(); 2].map(|()| rng.next_u64());
            let [a, b] = &mut fates.words;
            (a[i], b[i]) = (first, second);
            let place = self.place(w, &bounds, first);
            let span = self.span(place);
            let cell = self.cell(span, second);
            (fates.after[i], fates.confirmed[i]) = self.end(span, cell, place.within);
            (fates.region[i], fates.way[i], fates.cell[i]) = (place.region, place.way, cell);
        }
    }

    /// The fate of an order of category `cat` from its two words: days from payment to its
    /// resolution, whether it is confirmed, and its buyer's region. `drawn` is, when known,
    /// the region, way and cell this table gave the same words (its cell is not drawn again
    /// at the same region and way).
    pub(super) fn fate(
        &self,
        w: &World,
        bounds: &Bounds,
        [first, second]: [u64; 2],
        drawn: Option<[u32; 3]>,
    ) -> (f64, bool, u32) {
        let place = self.place(w, bounds, first);
        let span = self.span(place);
        let cell = match drawn {
            Some([region, k, cell]) if [region, k] == [place.region, place.way] => cell,
            _ => self.cell(span, second),
        };
        let (after, confirmed) = self.end(span, cell, place.within);
        (after, confirmed, place.region)
    }

    /// Where an order's first word puts it: its halves are the region's uniform and the way
    /// of ending's (rescaled, the place within the cell).
    #[allow(clippy::cast_possible_truncation)] // region indices and ways are small
    #[inline]
    fn place(&self, w: &World, bounds: &Bounds, word: u64) -> Place {
        let (u_region, u) = halves(word);
        let k = bounds[1..WAYS]
            .iter()
            .map(|&b| usize::from(u >= b))
            .sum::<usize>();
        Place {
            region: region_of(w, u_region) as u32,
            way: k as u32,
            within: (u - bounds[k]) / (bounds[k + 1] - bounds[k]),
        }
    }

    /// Where the way of ending at `place` lies.
    #[inline]
    fn span(&self, place: Place) -> Span {
        self.spans[place.region as usize][place.way as usize]
    }

    /// The cell of an order in the way at `span`, an alias draw from its second word (as
    /// [`Alias::draw`]).
    #[allow(clippy::cast_possible_truncation)] // places below u32::MAX
    #[inline]
    fn cell(&self, span: Span, word: u64) -> u32 {
        let (i, within) = slot_of(word, span.n as usize);
        let at = span.from + i as u32;
        let slot = self.slots[at as usize];
        own_or_alias(within, slot.keep, at as usize, slot.alias as usize) as u32
    }

    /// Days from payment to the resolution of an order in `cell` of the way at `span`, at
    /// `within` of its width, and whether it is confirmed.
    #[inline]
    fn end(&self, span: Span, cell: u32, within: f64) -> (f64, bool) {
        let [start, width] = self.cells[cell as usize];
        (
            f64::from(start) + f64::from(width) * within,
            cell < span.confirmed_below,
        )
    }
}

/// A way of ending laid on the grid, to draw a fate given that it comes later than a moment:
/// each cell's probability (uniform over it), each edge's (a fate exactly there, such as
/// auto-confirmation or the void), and everything's from each edge on.
#[derive(Debug)]
struct Tail {
    /// `cell[j]`: the probability of `[edge(j), edge(j + 1))`.
    cell: Vec<f64>,
    /// `edge[j]`: the probability of exactly `edge(j)`; one more than the cells.
    edge: Vec<f64>,
    /// `from[j]`: the probability of `edge(j)` or later (summed from the last, which keeps
    /// small tails exact); one more than the cells.
    from: Vec<f64>,
    /// Whether a fate within a cell ends in confirmation (the same for every cell of a way).
    cells_confirmed: bool,
    /// The fates at an edge, (edge, probability, confirmed), by edge.
    points: Vec<(usize, f64, bool)>,
    /// Where to start looking for the last edge with at least a probability `v` from it on:
    /// `guide[key(v) - lowest]` is at or before it (see [`Tail::last_from`]).
    guide: Vec<u32>,
    lowest: u64,
}

/// A probability's guide key: its leading bits, which grow with it, each key covering
/// 1/2⁸ of a power of two.
fn guide_key(v: f64) -> u64 {
    v.to_bits() >> GUIDE_SHIFT
}

/// The bits of a double below its guide key's: its exponent and 8 bits of its mantissa stay.
const GUIDE_SHIFT: u32 = f64::MANTISSA_DIGITS - 1 - 8;

/// The smallest share of a way's probability the guide tells apart (2⁻⁴⁰, about 1e-12):
/// below it, a look-up walks on from the guide's first key.
const GUIDE_FLOOR: f64 = 1.0 / 1_099_511_627_776.0;

impl Tail {
    /// From a way's cells, each `([start, width], probability)` and whether it ends in
    /// confirmation; `None` unless every cell is a whole cell of the grid or a point on an
    /// edge, and all whole cells end alike.
    fn new<'a>(cells: impl Iterator<Item = ((&'a [f32; 2], &'a f64), bool)>) -> Option<Tail> {
        let mut whole: Vec<(usize, f64)> = Vec::new();
        let (mut points, mut cells_confirmed) = (Vec::new(), None);
        for ((&[start, width], &p), confirmed) in cells {
            let j = grid_index(f64::from(start))?;
            if width == 0.0 {
                points.push((j, p, confirmed));
            } else if f64::from(width) == STEP
                && *cells_confirmed.get_or_insert(confirmed) == confirmed
            {
                whole.push((j, p));
            } else {
                return None;
            }
        }
        points.sort_by_key(|p| p.0);
        let n = whole
            .iter()
            .map(|c| c.0 + 1)
            .chain(points.iter().map(|p| p.0))
            .max()?;
        let mut cell = vec![0.0; n];
        for (j, p) in whole {
            cell[j] += p;
        }
        let mut edge = vec![0.0; n + 1];
        for &(j, p, _) in &points {
            edge[j] += p;
        }
        let mut from = vec![0.0; n + 1];
        from[n] = edge[n];
        for j in (0..n).rev() {
            from[j] = from[j + 1] + cell[j] + edge[j];
        }
        let smallest = (from.iter().copied())
            .filter(|&f| f > 0.0)
            .fold(f64::INFINITY, f64::min)
            .max(from[0] * GUIDE_FLOOR);
        let lowest = guide_key(smallest);
        // Per key, the last edge with at least the key's upper end from it on: the edges
        // with that much are a prefix, shorter as the keys grow.
        let mut count = from.len();
        let guide = (lowest..=guide_key(from[0]))
            .map(|key| {
                let above = f64::from_bits((key + 1) << GUIDE_SHIFT);
                while count > 0 && from[count - 1] < above {
                    count -= 1;
                }
                u32::try_from(count.saturating_sub(1))
            })
            .collect::<Result<_, _>>()
            .ok()?;
        Some(Tail {
            cell,
            edge,
            from,
            cells_confirmed: cells_confirmed.unwrap_or(false),
            points,
            guide,
            lowest,
        })
    }

    /// The last edge with a probability of at least `v` from it on (the first if none).
    #[allow(clippy::cast_possible_truncation)] // a key's distance from the lowest is below the guide's length
    fn last_from(&self, v: f64) -> usize {
        let at = guide_key(v).saturating_sub(self.lowest) as usize;
        let mut i = self.guide[at.min(self.guide.len() - 1)] as usize;
        while i + 1 < self.from.len() && self.from[i + 1] >= v {
            i += 1;
        }
        i
    }

    /// The cell a moment falls in, `None` before the first edge.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // checked non-negative; capped by the caller
    fn cell_of(age: f64) -> Option<usize> {
        (age >= 0.0).then(|| (age / STEP) as usize)
    }

    /// The probability of a fate later than `age`.
    fn mass_after(&self, age: f64) -> f64 {
        match Tail::cell_of(age) {
            None => self.from[0],
            Some(j) if j >= self.cell.len() => 0.0,
            Some(j) => self.from[j + 1] + self.cell[j] * (edge(j + 1) - age) / STEP,
        }
    }

    /// The fate later than `age` at `t` of the probability later than it (`t` below
    /// [`Tail::mass_after`]), in time order: the rest of `age`'s cell, then each edge and the
    /// cell after it.
    fn pick(&self, age: f64, mut t: f64) -> (f64, bool) {
        let n = self.cell.len();
        let first = match Tail::cell_of(age) {
            None => 0,
            Some(j) => {
                let rest = edge(j + 1) - age;
                let part = self.cell[j] * rest / STEP;
                if t < part {
                    return (later_than(age, age + rest * t / part), self.cells_confirmed);
                }
                t -= part;
                j + 1
            }
        };
        // The last edge `i` whose probability from `first` up to it is at most `t`.
        let base = self.from[first];
        let i = self.last_from(base - t).max(first);
        t -= base - self.from[i];
        if t < self.edge[i] || i == n {
            let at = self.points.partition_point(|p| p.0 < i);
            for &(j, p, confirmed) in &self.points[at..] {
                if t < p || j > i {
                    return (later_than(age, edge(j)), confirmed);
                }
                t -= p;
            }
            return (
                later_than(age, edge(i)),
                self.points.last().is_some_and(|p| p.2),
            );
        }
        t -= self.edge[i];
        let within = (t / self.cell[i]).clamp(0.0, 1.0);
        (
            later_than(age, edge(i) + STEP * within),
            self.cells_confirmed,
        )
    }
}

/// Each region's share of the orders, from the world's cumulative shares.
fn region_shares(w: &World) -> impl Iterator<Item = f64> + '_ {
    let mut below = 0.0;
    w.regions.iter().map(move |r| {
        let share = r.cumulative_share - below;
        below = r.cumulative_share;
        share
    })
}

/// `at`, or the next double when rounding has put it at `age` or before.
fn later_than(age: f64, at: f64) -> f64 {
    if at > age { at } else { age.next_up() }
}

/// The slot a random word picks among `n` (the upper half of the word times `n`) and where
/// within it the draw falls (the lower half, of 2⁶⁴).
#[allow(clippy::cast_possible_truncation)] // the product's halves
#[inline(always)]
fn slot_of(word: u64, n: usize) -> (usize, u64) {
    let m = u128::from(word) * n as u128;
    ((m >> 64) as usize, m as u64)
}

/// `own` (the slot's own cell) when the draw falls `within` the share `keep` of its slot,
/// else `alias`. Without a branch: which side of its slot a draw falls on is a coin no
/// predictor can guess.
#[inline(always)]
fn own_or_alias(within: u64, keep: u64, own: usize, alias: usize) -> usize {
    let own_mask = usize::from(within < keep).wrapping_neg();
    alias ^ ((alias ^ own) & own_mask)
}

/// 2⁶⁴ as a double: an alias slot's whole.
const WHOLE: f64 = 18_446_744_073_709_551_616.0;

/// Walker's alias table, drawn from one random word: the word times the number of slots
/// picks a slot (the product's upper half) and a uniform within it (its lower half), which
/// gives the slot's own cell below the slot's threshold and its alias above. A draw always
/// takes one word, whatever the table, and is exact to 2⁻⁶⁴ of a slot (the probabilities
/// themselves are doubles).
#[derive(Debug, Clone)]
pub struct Alias {
    /// Per slot, the share of it (of 2⁶⁴) that gives its own cell.
    keep: Vec<u64>,
    alias: Vec<u32>,
}

impl Alias {
    /// The table of cells with probabilities proportional to `weights` (Vose's method);
    /// `None` without positive finite weights, or with more cells than a `u32` counts.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // indices below u32::MAX; shares in [0, 1]
    #[allow(clippy::cast_precision_loss)] // cell counts are small
    pub fn new(weights: &[f64]) -> Option<Alias> {
        let n = weights.len();
        let total: f64 = weights.iter().sum();
        let valid = weights.iter().all(|w| w.is_finite() && *w >= 0.0);
        if n == 0 || u32::try_from(n).is_err() || !valid || !(total > 0.0 && total.is_finite()) {
            return None;
        }
        let mut scaled: Vec<f64> = weights.iter().map(|w| w * n as f64 / total).collect();
        let mut alias = Vec::new();
        vose(&mut scaled, &mut alias, &mut (Vec::new(), Vec::new()));
        // A share of 1 saturates to u64::MAX.
        let keep = scaled.iter().map(|&p| (p * WHOLE) as u64).collect();
        Some(Alias { keep, alias })
    }

    /// The cell a random word gives.
    #[inline]
    pub fn draw(&self, word: u64) -> usize {
        let (slot, within) = slot_of(word, self.keep.len());
        own_or_alias(within, self.keep[slot], slot, self.alias[slot] as usize)
    }

    /// Each cell's probability as the table gives it (for tests).
    #[cfg(test)]
    #[allow(clippy::cast_precision_loss)]
    fn probabilities(&self) -> Vec<f64> {
        let n = self.keep.len() as f64;
        let mut p = vec![0.0; self.keep.len()];
        for (slot, (&keep, &alias)) in self.keep.iter().zip(&self.alias).enumerate() {
            let own = keep as f64 / WHOLE;
            p[slot] += own / n;
            p[alias as usize] += (1.0 - own) / n;
        }
        p
    }
}

/// Vose's method for a Walker alias table: each slot holds 1, its cell's scaled probability
/// (`scaled`, each cell's probability times the number of cells), topped up from a larger
/// one. On return `scaled` holds each slot's share that gives its own cell, in [0, 1], and
/// `alias` the cell it gives otherwise. `work` is working memory.
#[allow(clippy::cast_possible_truncation)] // indices below u32::MAX, checked by the callers
pub(super) fn vose(
    scaled: &mut [f64],
    alias: &mut Vec<u32>,
    (small, large): &mut (Vec<usize>, Vec<usize>),
) {
    let n = scaled.len();
    // Two stacks of cells, written without branches (whether a cell is small is a coin a
    // branch predictor would often get wrong): each cell is written to both and counted in
    // one, and a place past a stack's top is only ever written over.
    small.clear();
    small.resize(n + 1, 0);
    large.clear();
    large.resize(n + 1, 0);
    let (mut smalls, mut larges) = (0, 0);
    for (i, &x) in scaled.iter().enumerate() {
        (small[smalls], large[larges]) = (i, i);
        let below = usize::from(x < 1.0);
        (smalls, larges) = (smalls + below, larges + 1 - below);
    }
    alias.clear();
    alias.extend(0..n as u32);
    while smalls > 0 && larges > 0 {
        smalls -= 1;
        let (s, l) = (small[smalls], large[larges - 1]);
        alias[s] = l as u32;
        scaled[l] = (scaled[l] + scaled[s]) - 1.0;
        // A large cell left below 1 moves to the small ones.
        let below = usize::from(scaled[l] < 1.0);
        small[smalls] = l;
        (smalls, larges) = (smalls + below, larges - below);
    }
    // What is left holds 1 up to rounding, and keeps its own cell.
    for &i in small[..smalls].iter().chain(&large[..larges]) {
        scaled[i] = 1.0;
    }
}

/// Where an order's fate lies before its cell is drawn: its buyer's region, its way of
/// ending (0 cancelled, then refunded, confirmed by the buyer, confirmed at protection's
/// end), and its place within the cell.
#[derive(Debug, Clone, Copy)]
struct Place {
    region: u32,
    way: u32,
    within: f64,
}

/// The bounds of a category's four ways of ending on one uniform: cancelled, refunded,
/// confirmed by the buyer, confirmed when protection ends.
pub(super) type Bounds = [f64; WAYS + 1];

/// The [`Bounds`] of category `cat`'s ways of ending at a confirmation share.
pub(super) fn ways(cat: &CategoryWorld, confirm_receipt_share: f64) -> Bounds {
    let kept = 1.0 - cat.cancel_rate;
    let delivered = kept * (1.0 - cat.refund_rate);
    let refunded = cat.cancel_rate + kept * cat.refund_rate;
    [
        0.0,
        cat.cancel_rate,
        refunded,
        refunded + delivered * confirm_receipt_share,
        1.0,
    ]
}

/// The cell index of a moment on the grid, `None` if it is not on it.
#[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // checked to be a small whole number
fn grid_index(days: f64) -> Option<usize> {
    let i = days / STEP;
    (i >= 0.0 && i.fract() == 0.0 && i <= MAX_CELLS as f64).then_some(i as usize)
}

/// Probabilities of the cells `[j·STEP, (j+1)·STEP)`, `j < n`, and beyond the last.
#[derive(Debug, Clone)]
struct Cells {
    p: Vec<f64>,
    beyond: f64,
}

impl Cells {
    fn total(&self) -> f64 {
        self.p.iter().sum::<f64>() + self.beyond
    }
}

/// The left edge of cell `j`, days.
#[allow(clippy::cast_precision_loss)] // cell indices are small
fn edge(j: usize) -> f64 {
    j as f64 * STEP
}

/// A lognormal delay's probability per cell, from its distribution function (the upper tail
/// from the survival function, which keeps its precision there).
fn cells(d: &LogNormal, n: usize) -> Cells {
    let normal = Normal::standard();
    let survival = |j: usize| {
        if j == 0 {
            1.0
        } else {
            normal.sf((edge(j).ln() - d.mu) / d.sigma)
        }
    };
    let s: Vec<f64> = (0..=n).map(survival).collect();
    Cells {
        p: s.windows(2).map(|w| w[0] - w[1]).collect(),
        beyond: s[n],
    }
}

/// The cells of the sum of two independent delays. The sum of a uniform over cell `j` and
/// one over cell `k` is a triangle over cells `j + k` and `j + k + 1`, half in each.
fn convolve(a: &Cells, b: &Cells, n: usize) -> Cells {
    let mut sums = vec![0.0; n];
    for (j, &x) in a.p.iter().enumerate().filter(|(_, x)| **x > 0.0) {
        let k = n.saturating_sub(j).min(b.p.len());
        for (s, &y) in sums[j..j + k].iter_mut().zip(&b.p[..k]) {
            *s += x * y;
        }
    }
    let mut p = vec![0.0; n];
    for m in 0..n {
        p[m] = 0.5 * sums[m] + if m > 0 { 0.5 * sums[m - 1] } else { 0.0 };
    }
    let beyond = (a.total() * b.total() - p.iter().sum::<f64>()).max(0.0);
    Cells { p, beyond }
}

/// The cells of a way that ends at `t`, voided at `void` (a cell index) when `t` is later:
/// those before the void end as `confirmed` says, the rest are reversed at the void.
fn voided(t: &Cells, void: usize, confirmed: bool) -> Vec<Cell> {
    let mut cells: Vec<Cell> = t.p[..void]
        .iter()
        .enumerate()
        .map(|(j, &p)| (p, edge(j), STEP, confirmed))
        .collect();
    let later = t.p[void..].iter().sum::<f64>() + t.beyond;
    cells.push((later, edge(void), 0.0, false));
    cells
}

/// A confirmation's cells, delivered at `D` (cells `delivered`): by the buyer at
/// `min(D + C, max(A, D))` when `by_buyer` (the cells of `D + C` for `D < A`) is given, else
/// at `max(A, D)`; voided when that is later than the void. `auto` and `void` are cell
/// indices of A and I.
fn confirmations(
    delivered: &Cells,
    by_buyer: Option<&Cells>,
    auto: usize,
    void: usize,
) -> Vec<Cell> {
    let n = delivered.p.len();
    // Delivered before A: confirmed by the buyer before A, else at A.
    let (mut t, at_auto) = match by_buyer {
        Some(b) => {
            let mut p = b.p[..auto].to_vec();
            p.resize(n, 0.0);
            (p, b.p[auto..].iter().sum::<f64>() + b.beyond)
        }
        None => (vec![0.0; n], delivered.p[..auto].iter().sum::<f64>()),
    };
    // Delivered at A or later: confirmed on delivery (protection ends with it).
    t[auto..].copy_from_slice(&delivered.p[auto..]);
    let t = Cells {
        p: t,
        beyond: delivered.beyond,
    };
    let mut cells = voided(&t, void, true);
    if auto <= void {
        cells.push((at_auto, edge(auto), 0.0, true));
    } else {
        // Protection outlasts the void: those orders are voided too.
        cells.last_mut().expect("the void's cell").0 += at_auto;
    }
    cells
}

/// A cancellation's cells: at `U·P`, U uniform, P the processing time. Its distribution
/// function is `E[min(1, t/P)] = Φ(z) + t·e^(σ²/2 − μ)·(1 − Φ(z + σ))` with
/// `z = (ln t − μ)/σ`. Cells go on until less than [`TAIL`] is left, which is placed at the
/// last edge; `None` if that takes more than [`MAX_CELLS`].
fn cancellations(p: &LogNormal) -> Option<Vec<Cell>> {
    let normal = Normal::standard();
    let scale = (p.sigma * p.sigma / 2.0 - p.mu).exp();
    let later = |t: f64| {
        if t <= 0.0 {
            return 1.0;
        }
        let z = (t.ln() - p.mu) / p.sigma;
        (normal.sf(z) - t * scale * normal.sf(z + p.sigma)).max(0.0)
    };
    let mut cells = Vec::new();
    let mut left = 1.0;
    for j in 0..MAX_CELLS {
        let next = later(edge(j + 1));
        cells.push((left - next, edge(j), STEP, false));
        left = next;
        if left < TAIL {
            cells.push((left, edge(j + 1), 0.0, false));
            return Some(cells);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use rand::{RngExt, SeedableRng};
    use statrs::distribution::ChiSquared;

    use super::*;
    use crate::engine::TrialRng;

    fn ln(median: f64, p90: f64) -> LogNormal {
        LogNormal::from_median_p90(median, p90 / median)
    }

    #[test]
    fn an_alias_table_gives_each_cell_its_probability() {
        let weights = [0.0, 3.0, 1e-9, 0.5, 7.25, 0.0, 1.0, 2.0 / 3.0];
        let total: f64 = weights.iter().sum();
        let alias = Alias::new(&weights).unwrap();
        for (p, w) in alias.probabilities().iter().zip(weights) {
            assert!((p - w / total).abs() < 1e-15, "{p} against {}", w / total);
        }
        // A word's product with the slot count picks the slot; below the threshold, its own.
        assert_eq!(alias.draw(0), alias.alias[0] as usize);
        assert_eq!(Alias::new(&[2.0]).unwrap().draw(u64::MAX), 0);
        assert!(Alias::new(&[]).is_none() && Alias::new(&[0.0, 0.0]).is_none());
        assert!(Alias::new(&[1.0, f64::NAN]).is_none());
        // Draws follow the probabilities: 200,000 words, each cell within 5 s.e.
        let mut rng = TrialRng::seed_from_u64(9);
        let mut counts = [0u32; 8];
        for _ in 0..200_000 {
            counts[alias.draw(rng.next_u64())] += 1;
        }
        for (&k, w) in counts.iter().zip(weights) {
            let p = w / total;
            let se = (200_000.0 * p * (1.0 - p)).sqrt();
            assert!(
                (f64::from(k) - 200_000.0 * p).abs() <= 5.0 * se + 1.0,
                "{k} for {p}"
            );
        }
    }

    #[test]
    fn cells_of_a_lognormal_hold_its_probability() {
        let d = ln(10.0, 20.0);
        let c = cells(&d, 160);
        assert!((c.total() - 1.0).abs() < 1e-12);
        // P(X < 10) = ½: the cells below day 10.
        assert!((c.p[..80].iter().sum::<f64>() - 0.5).abs() < 1e-12);
        assert!((c.beyond - (1.0 - d.cdf(20.0))).abs() < 1e-12);
    }

    #[test]
    fn a_sum_of_cells_keeps_its_mean_and_probability() {
        let (a, b) = (ln(3.0, 7.0), ln(10.0, 20.0));
        let n = 4096;
        let sum = convolve(&cells(&a, n), &cells(&b, n), n);
        assert!((sum.total() - 1.0).abs() < 1e-12);
        // A cell's probability sits at its centre on average, and the triangle of two cells
        // is centred between its two halves: the sum's mean is the sum of the means, up to
        // the tails beyond 512 days (negligible here).
        let mean: f64 = sum
            .p
            .iter()
            .enumerate()
            .map(|(j, p)| p * (edge(j) + STEP / 2.0))
            .sum();
        let want = a.mean() + b.mean();
        assert!((mean - want).abs() < 1e-3, "{mean} vs {want}");
    }

    #[test]
    fn cancellations_follow_u_times_processing() {
        let p = ln(3.0, 7.0);
        let cells = cancellations(&p).unwrap();
        let total: f64 = cells.iter().map(|c| c.0).sum();
        assert!((total - 1.0).abs() < 1e-12);
        // E[U·P] = E[P]/2.
        let mean: f64 = cells.iter().map(|c| c.0 * (c.1 + c.2 / 2.0)).sum();
        assert!((mean - p.mean() / 2.0).abs() < 1e-3, "{mean}");
    }

    #[test]
    fn moments_off_the_grid_and_constant_delays_are_not_tabled() {
        assert_eq!(grid_index(60.0), Some(480));
        assert_eq!(grid_index(60.1), None);
        assert_eq!(grid_index(-1.0), None);
        let sc = crate::scenario::builtin();
        let w = World::draw(&sc, &mut TrialRng::seed_from_u64(1));
        assert!(FateTable::build(&w, 180.0).is_some());
        assert!(FateTable::build(&w, 180.1).is_none());
        let mut constant = w.clone();
        constant.processing = LogNormal::from_median_p90(3.0, 1.0);
        assert!(FateTable::build(&constant, 180.0).is_none());
        let mut late = w.clone();
        late.regions[1].auto_confirm_days = 60.3;
        assert!(FateTable::build(&late, 180.0).is_none());
    }

    /// Fates drawn for `n` orders paid at uniform moments of a day, counted by (region,
    /// confirmed, day of resolution).
    fn day_counts(
        n: usize,
        seed: u64,
        mut draw: impl FnMut(&mut Fates, usize, &mut TrialRng),
    ) -> HashMap<(u32, bool, u32), u64> {
        let mut rng = TrialRng::seed_from_u64(seed);
        let mut fates = Fates::default();
        let mut counts = HashMap::new();
        for _ in 0..n / LANES {
            draw(&mut fates, LANES, &mut rng);
            for i in 0..LANES {
                let (paid_at, _) = halves(rng.next_u64());
                #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                let day = (paid_at + fates.after[i]) as u32;
                let key = (fates.region[i], fates.confirmed[i], day);
                *counts.entry(key).or_default() += 1;
            }
        }
        counts
    }

    /// The two-sample chi-square statistic of two equal-sized samples' counts by key, and its
    /// number of cells (keys with fewer than 20 in both are pooled into one).
    fn two_sample_chi2<K: std::hash::Hash + Ord + Copy>(
        a: &HashMap<K, u64>,
        b: &HashMap<K, u64>,
    ) -> (f64, u32) {
        let mut keys: Vec<_> = a.keys().chain(b.keys()).copied().collect();
        keys.sort_unstable();
        keys.dedup();
        let (mut chi2, mut cells, mut rare) = (0.0, 0, (0, 0));
        let mut add = |x: u64, y: u64| {
            #[allow(clippy::cast_precision_loss)]
            let (x, y) = (x as f64, y as f64);
            chi2 += (x - y).powi(2) / (x + y);
            cells += 1;
        };
        for k in keys {
            let (x, y) = (
                a.get(&k).copied().unwrap_or(0),
                b.get(&k).copied().unwrap_or(0),
            );
            if x + y < 20 {
                rare = (rare.0 + x, rare.1 + y);
            } else {
                add(x, y);
            }
        }
        if rare.0 + rare.1 > 0 {
            add(rare.0, rare.1);
        }
        (chi2, cells)
    }

    /// The table against following every order's draws, for the scenarios' worlds: the
    /// share of orders resolving on each day after payment, confirmed or reversed, in each
    /// region, agrees by a two-sample chi-square test (two million orders each way, cells
    /// with fewer than 20 pooled).
    #[test]
    fn tabled_fates_resolve_on_the_days_the_model_says() {
        let files = [
            crate::scenario::DEFAULT_SCENARIO,
            include_str!("../../scenarios/bench-large.toml"),
        ];
        for text in files {
            let sc = crate::scenario::parse(text, "test").unwrap();
            let w = World::draw(&sc, &mut TrialRng::seed_from_u64(1));
            let invalid_after = sc.program.invalid_after_days;
            let table = FateTable::build(&w, invalid_after).expect("delays that can be tabled");
            for cat in &w.categories {
                let n = 2_000_000;
                let tabled = day_counts(n, 2, |f, n, rng| table.draw(f, &w, cat, n, rng));
                let followed = day_counts(n, 3, |f, n, rng| f.draw(&w, cat, invalid_after, n, rng));
                let (chi2, cells) = two_sample_chi2(&tabled, &followed);
                let limit = ChiSquared::new(f64::from(cells))
                    .unwrap()
                    .inverse_cdf(1.0 - 1e-6);
                assert!(cells > 200, "{cells} cells");
                assert!(
                    chi2 < limit,
                    "chi² {chi2:.0} over {cells} cells, limit {limit:.0}"
                );
            }
        }
    }

    /// The guide finds, for any probability, the edge a binary search over the probabilities
    /// from each edge on finds: at each of them, just above and below, between them, and at
    /// the ends.
    #[test]
    fn the_guide_finds_the_edge_a_search_finds() {
        let sc = crate::scenario::parse(crate::scenario::DEFAULT_SCENARIO, "test").unwrap();
        let w = World::draw(&sc, &mut TrialRng::seed_from_u64(1));
        let table = FateTable::build(&w, sc.program.invalid_after_days).unwrap();
        assert!(table.draws_after());
        let tails = table.tails.get().unwrap().as_ref().unwrap();
        let mut looked = 0;
        for tail in tails.iter().flatten() {
            let mut probes = vec![0.0, -1.0, 1.5, f64::MIN_POSITIVE, 1e-300];
            for pair in tail.from.windows(2) {
                let (a, b) = (pair[0], pair[1]);
                probes.extend([a, a.next_up(), a.next_down(), (a + b) / 2.0]);
            }
            for v in probes {
                let want = tail.from.partition_point(|&f| f >= v).saturating_sub(1);
                assert_eq!(tail.last_from(v), want, "at {v:e}");
                looked += 1;
            }
        }
        assert!(looked > 10_000, "{looked}");
    }

    /// A fate drawn given that it comes later than an age, against fates drawn whole and
    /// kept when later: the share later than the age agrees within 5 s.e., and the kept
    /// fates' (region, confirmed, eighth of a day) by a two-sample chi-square test, at ages
    /// before, within and after the cells, on an edge, and at the void's eve.
    #[test]
    fn a_fate_given_its_age_is_a_later_fate_of_the_table() {
        let sc = crate::scenario::parse(include_str!("../../scenarios/bench-large.toml"), "test")
            .unwrap();
        let w = World::draw(&sc, &mut TrialRng::seed_from_u64(1));
        let table = FateTable::build(&w, sc.program.invalid_after_days).unwrap();
        let cat = &w.categories[0];
        let bounds = ways(cat, w.confirm_receipt_share);
        let bin = |(after, confirmed, region): (f64, bool, usize)| {
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            let eighth = (after * 8.0) as u32;
            (region, confirmed, eighth)
        };
        for age in [-1.0, 0.0, 3.3, 9.0, 21.77, 60.0, 95.5, 179.9] {
            let mut rng = TrialRng::seed_from_u64(4);
            let (mut fates, mut whole, mut drawn) = (Fates::default(), HashMap::new(), 0u64);
            let mut kept = 0u64;
            while kept < 300_000 && drawn < 40_000_000 {
                table.draw(&mut fates, &w, cat, LANES, &mut rng);
                drawn += LANES as u64;
                for i in 0..LANES {
                    if fates.after[i] > age {
                        let f = (fates.after[i], fates.confirmed[i], fates.region[i] as usize);
                        *whole.entry(bin(f)).or_insert(0u64) += 1;
                        kept += 1;
                    }
                }
            }
            let mut given = HashMap::new();
            // Within the age's own cell a fate is uniform over what is left of it.
            let rest = (age.max(0.0) / STEP).floor() * STEP + STEP;
            let (mut in_cell, mut placed) = (0.0, 0.0);
            for _ in 0..kept {
                let f = table.after(&w, &bounds, age, rng.random::<f64>()).unwrap();
                assert!(f.0 > age, "{} at age {age}", f.0);
                *given.entry(bin(f)).or_insert(0u64) += 1;
                if age >= 0.0 && f.0 < rest {
                    (in_cell, placed) = (in_cell + 1.0, placed + (f.0 - age) / (rest - age));
                }
            }
            if in_cell > 100.0 {
                let mean = placed / in_cell;
                let se = (1.0 / 12.0 / in_cell).sqrt();
                assert!(
                    (mean - 0.5).abs() < 5.0 * se,
                    "age {age}: {mean} within its cell"
                );
            }
            // The weight later than the age, against the share of whole fates later.
            let mass = table.mass_after(&w, &bounds, age).unwrap();
            #[allow(clippy::cast_precision_loss)]
            let (share, n) = (kept as f64 / drawn as f64, drawn as f64);
            let se = (mass * (1.0 - mass) / n).sqrt();
            assert!(
                (share - mass).abs() <= 5.0 * se + 1e-12,
                "age {age}: {share} vs {mass}"
            );
            let (chi2, cells) = two_sample_chi2(&whole, &given);
            let limit = ChiSquared::new(f64::from(cells))
                .unwrap()
                .inverse_cdf(1.0 - 1e-6);
            assert!(cells >= 2, "age {age}: {cells} cells");
            assert!(
                chi2 < limit,
                "age {age}: chi² {chi2:.0} over {cells} cells, limit {limit:.0}"
            );
        }
    }
}
