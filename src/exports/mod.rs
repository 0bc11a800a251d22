//! Order exports: real exports read into one normalised record type, used by `fit` and
//! `--pipeline`. This module depends on nothing but money and errors, so every layer may
//! read exports without a cycle.
//!
//! AliExpress Open Platform affiliate orders (`aliexpress.affiliate.order.list`: the response
//! envelope, a bare JSON array, or CSV with the same field names) and Admitad
//! `statistics/actions` (`{"_meta": …, "results": […]}`, a bare array, or CSV).

mod admitad;
mod aliexpress;
mod amazon;
mod amount;
mod categories;
mod clicks;
mod encoding;
mod fields;
mod generic;
mod stream;
mod workbook;
mod zone;

use chrono::NaiveDateTime;
use serde_json::Value;

use crate::error::{Error, Result};
use crate::model::Cents;

pub use amazon::Returns;
use amount::Separator;
pub use clicks::Clicks;
pub use fields::{FIELDS, FieldMap, norm};
use fields::{Fields, Row, SeparatorSeen, is_field, with_norm};
pub(crate) use fields::{digits, plain_time};
use stream::{Format, Input, Rows};
pub use workbook::{MAX_CELLS, MAX_UNPACKED, xlsx_records};
pub use zone::Zone;

/// Which export a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Aliexpress,
    Admitad,
    /// An Amazon Associates earnings report (Fee-Earnings, `.xlsx` or CSV).
    Amazon,
    /// Any network's order report: `order_id, paid_time, status, commission` and optional
    /// `order_value, category, confirmed_time, reversed_time, sub_id, country, currency,
    /// is_new_buyer, is_hot_product`.
    Generic,
}

impl crate::choice::Choice for Source {
    const ALL: &'static [Self] = &[
        Source::Aliexpress,
        Source::Admitad,
        Source::Amazon,
        Source::Generic,
    ];

    fn name(self) -> &'static str {
        match self {
            Source::Aliexpress => "aliexpress",
            Source::Admitad => "admitad",
            Source::Amazon => "amazon",
            Source::Generic => "generic",
        }
    }

    fn help(self) -> Option<&'static str> {
        match self {
            Source::Aliexpress | Source::Admitad => None,
            Source::Amazon => {
                Some("An Amazon Associates earnings report (Fee-Earnings, `.xlsx` or CSV)")
            }
            Source::Generic => Some(
                "Any network's order report: `order_id, paid_time, status, commission` and optional `order_value, category, confirmed_time, reversed_time, sub_id, country, currency, is_new_buyer, is_hot_product`",
            ),
        }
    }
}

impl Source {
    /// The export's name for people.
    pub fn label(self) -> &'static str {
        match self {
            Source::Aliexpress => "AliExpress",
            Source::Admitad => "Admitad",
            Source::Amazon => "Amazon Associates",
            Source::Generic => "generic",
        }
    }
}

/// Where an order stands at export time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Paid, not yet confirmed or reversed.
    Pending,
    /// Confirmed (receipt confirmed or approved), not yet settled.
    Confirmed,
    /// Approved but held by the network (Admitad `approved_but_stalled`): confirmed, not yet
    /// payable.
    Held,
    /// Confirmed and settled (payable).
    Settled,
    /// Cancelled, refunded, declined or voided.
    Reversed,
}

/// One order (AliExpress sub-order, Admitad action), normalised. Times are as written in the
/// export (US Pacific for AliExpress); only differences between them are used.
#[derive(Debug, Clone, PartialEq)]
pub struct OrderRecord {
    /// Order id for messages.
    pub id: String,
    /// The export's field the id came from (`sub_order_id`, `action_id`, …).
    pub id_field: &'static str,
    /// The country the order ships to (ISO code), where the export says.
    pub country: Option<String>,
    /// The page or campaign that sent the order (AliExpress `tracking_id`, Admitad `subid`).
    pub sub_id: Option<String>,
    pub category: String,
    pub status: Status,
    pub paid_at: NaiveDateTime,
    /// When it was confirmed or reversed, where the export says.
    pub resolved_at: Option<NaiveDateTime>,
    /// Commissionable amount, cents.
    pub amount: Cents,
    /// Commission, cents (the estimate while pending).
    pub commission: Cents,
    /// The commission rate (0..1), where the export gives it.
    pub rate: Option<f64>,
    pub hot: Option<bool>,
    pub new_buyer: Option<bool>,
    /// New-buyer bonus, cents.
    pub bonus: Cents,
    pub currency: String,
}

/// A whole export.
#[derive(Debug, Clone)]
pub struct Export {
    pub source: Source,
    pub records: Vec<OrderRecord>,
    pub currency: String,
    /// The latest time in the export: orders still pending are pending as of then.
    pub as_of: NaiveDateTime,
    /// How the records were read: files, rows, and rows that were an order already read.
    pub read: ReadStats,
    /// Whether the source was detected from the fields rather than given.
    pub guessed: bool,
    /// Files that said their window has no orders (AliExpress `resp_code` 405).
    pub empty_windows: usize,
}

impl Export {
    /// A copy of everything but the records (none): for an export made of other records,
    /// without copying the ones it replaces.
    pub fn without_records(&self) -> Export {
        Export {
            source: self.source,
            records: Vec::new(),
            currency: self.currency.clone(),
            as_of: self.as_of,
            read: self.read,
            guessed: self.guessed,
            empty_windows: self.empty_windows,
        }
    }

    /// The export with its times, written in `zone`, placed on affcast's clock (US Pacific).
    pub fn in_zone(mut self, zone: Zone) -> Export {
        if zone.is_clock() || self.records.is_empty() {
            return self;
        }
        for r in &mut self.records {
            r.paid_at = zone.to_clock(r.paid_at);
            r.resolved_at = r.resolved_at.map(|t| zone.to_clock(t));
        }
        self.as_of = zone.to_clock(self.as_of);
        self
    }

    /// Names the records' categories: `names` (category id → name, the user's) first, then
    /// for AliExpress the English names of its top-level ids; other ids stay as written.
    pub fn name_categories(&mut self, names: &std::collections::BTreeMap<String, String>) {
        for r in &mut self.records {
            if let Some(name) = names.get(&r.category) {
                r.category.clone_from(name);
            } else if self.source == Source::Aliexpress
                && let Some(name) = categories::aliexpress_top_level(&r.category)
            {
                r.category = name.to_string();
            }
        }
    }
}

/// What reading one or more files took.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ReadStats {
    pub files: usize,
    /// Records read, before merging.
    pub rows: usize,
    /// Records that were an order already read (same id), merged into it.
    pub merged: usize,
    /// AliExpress orders without a `paid_time`, whose `created_time` stands for it.
    pub paid_from_created: usize,
    /// Amazon returns netted against their shipments, or left without one.
    pub returns: Returns,
}

/// Reads several export files as one: the same order (by `sub_order_id`, `action_id` or
/// `order_id`; a cart position by its action and place) is one order, and its latest status
/// wins: the later status time, else the later file (and the later row).
pub fn read_all(
    paths: &[std::path::PathBuf],
    source: Option<Source>,
    map: &FieldMap,
) -> Result<Export> {
    let mut read = Vec::with_capacity(paths.len());
    for path in paths {
        read.push((path.display().to_string(), read_any(path, source, map)?));
    }
    merge(read)
}

/// Exports read apart (each with its name), merged as [`read_all`] merges files.
pub fn merge(exports: Vec<(String, Export)>) -> Result<Export> {
    let names: Vec<String> = exports.iter().map(|(name, _)| name.clone()).collect();
    let mut merged: Option<Export> = None;
    for (path, next) in exports {
        merged = Some(match merged {
            None => next,
            Some(first) if first.records.is_empty() => combine(next, first),
            Some(first) if next.records.is_empty() => combine(first, next),
            Some(first) => {
                if next.source != first.source {
                    return Err(Error::input(format!(
                        "{path}: a {:?} export cannot be read together with a {:?} one",
                        next.source, first.source
                    )));
                }
                if next.currency != first.currency {
                    return Err(Error::input(format!(
                        "{path}: amounts in {}, but the files before are in {}; mixed currencies cannot be read together",
                        next.currency, first.currency
                    )));
                }
                combine(first, next)
            }
        });
    }
    let export = merged.ok_or_else(|| Error::input("no export file given"))?;
    with_orders(export, &names.join(", "))
}

impl Export {
    /// The export with its open orders only (pending, confirmed, held): all that a
    /// forecast opened by it ([`crate::pipeline::Pipeline`]) reads, beside its time and kind.
    pub fn open_only(&self) -> Export {
        Export {
            source: self.source,
            records: self
                .records
                .iter()
                .filter(|r| matches!(r.status, Status::Pending | Status::Confirmed | Status::Held))
                .cloned()
                .collect(),
            currency: self.currency.clone(),
            as_of: self.as_of,
            read: self.read,
            guessed: self.guessed,
            empty_windows: self.empty_windows,
        }
    }
}

/// An export that holds orders, or an error saying why it holds none.
fn with_orders(export: Export, origin: &str) -> Result<Export> {
    if !export.records.is_empty() {
        return Ok(export);
    }
    Err(Error::input(if export.empty_windows > 0 {
        format!(
            "{origin}: no orders in this window (AliExpress answered resp_code 405, \"The result is empty\"): there is nothing to read; download a period with orders"
        )
    } else {
        format!("{origin}: the export holds no order records")
    }))
}

/// Two exports as one, `later` read after `first`.
fn combine(first: Export, later: Export) -> Export {
    let mut out = Export {
        records: Vec::new(),
        as_of: first.as_of.max(later.as_of),
        empty_windows: first.empty_windows + later.empty_windows,
        read: ReadStats {
            files: first.read.files + later.read.files,
            rows: first.read.rows + later.read.rows,
            merged: first.read.merged + later.read.merged,
            paid_from_created: first.read.paid_from_created + later.read.paid_from_created,
            returns: Returns {
                netted: first.read.returns.netted + later.read.returns.netted,
                unmatched: first.read.returns.unmatched + later.read.returns.unmatched,
                unmatched_fees: first.read.returns.unmatched_fees
                    + later.read.returns.unmatched_fees,
            },
        },
        ..first
    };
    let mut seen = Seen::default();
    for r in first.records.into_iter().chain(later.records) {
        seen.keep(&mut out.records, r);
    }
    out.read.merged += seen.merged;
    out
}

/// Reads and checks an export file; `source` overrides detection.
pub fn read(path: &std::path::Path, source: Option<Source>) -> Result<Export> {
    read_mapped(path, source, &FieldMap::default())
}

/// Like [`read`], with columns mapped to fields.
pub fn read_mapped(
    path: &std::path::Path,
    source: Option<Source>,
    map: &FieldMap,
) -> Result<Export> {
    with_orders(read_any(path, source, map)?, &path.display().to_string())
}

/// Reads an export file, which may say that its window had no orders.
fn read_any(path: &std::path::Path, source: Option<Source>, map: &FieldMap) -> Result<Export> {
    let origin = path.display().to_string();
    let is_xlsx = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
    if is_xlsx {
        let packed = std::fs::metadata(path).map_or(0, |m| m.len());
        if packed > MAX_UNPACKED {
            return Err(Error::input(format!(
                "{origin}: a {} MiB workbook is more than an export may unpack to ({} MiB): save the sheet as CSV",
                packed >> 20,
                MAX_UNPACKED >> 20
            )));
        }
        let bytes = std::fs::read(path).map_err(|e| Error::Io {
            path: path.to_path_buf(),
            source: e,
        })?;
        return parse_rows(&Rows::Workbook(&bytes), &origin, source, map, &never);
    }
    let input = Input::File(path);
    let (head, whole) = input.head()?;
    if encoding::utf16(&head[..head.len().min(2)], &origin).is_some() {
        let bytes = std::fs::read(path).map_err(|e| Error::Io {
            path: path.to_path_buf(),
            source: e,
        })?;
        let text = encoding::utf16(&bytes, &origin).unwrap_or_else(|| Ok(String::new()))?;
        let trimmed = text.trim_start_matches('\u{feff}').trim_start();
        let rows = Rows::Stream {
            input: Input::Text(trimmed),
            format: format_of(trimmed),
        };
        return parse_rows(&rows, &origin, source, map, &never);
    }
    encoding::check_head(&head, whole, &origin)?;
    let head = String::from_utf8_lossy(&head);
    // A scenario is small: one bigger than the head is not taken for one.
    if whole && looks_like_a_scenario(&head) {
        return Err(a_scenario(&origin));
    }
    parse_rows(
        &Rows::Stream {
            input,
            format: format_of(&head),
        },
        &origin,
        source,
        map,
        &never,
    )
}

/// JSON starts with an object or an array; anything else is read as CSV.
fn format_of(start: &str) -> Format {
    if start.starts_with('{') || start.starts_with('[') {
        Format::Json
    } else {
        Format::Csv
    }
}

fn a_scenario(origin: &str) -> Error {
    Error::input(format!(
        "{origin}: this looks like a scenario (TOML), not an order export; give it as the scenario (`affcast forecast {origin}`), and an order export (AliExpress or Admitad, JSON or CSV) to --pipeline or fit"
    ))
}

/// The `stop` of a reading nothing cancels.
fn never() -> bool {
    false
}

/// Records whose keys name an export's columns for a mapping (a column empty in all of
/// them is not offered).
const COLUMN_RECORDS: usize = 100;

/// Records read between two looks at whether reading should stop.
const STOP_CHECK_RECORDS: usize = 1024;

/// Reads an export from its bytes: a workbook when they are one (`.xlsx` is a zip), else
/// UTF-8 text (JSON or CSV). Stops with [`Error::Cancelled`] once `stop()` says so.
pub fn parse_bytes(
    bytes: &[u8],
    origin: &str,
    source: Option<Source>,
    map: &FieldMap,
    stop: &dyn Fn() -> bool,
) -> Result<Export> {
    if bytes.starts_with(b"PK\x03\x04") {
        return with_orders(
            parse_rows(&Rows::Workbook(bytes), origin, source, map, stop)?,
            origin,
        );
    }
    let utf16;
    let text = match encoding::utf16(bytes, origin) {
        Some(text) => {
            utf16 = text?;
            utf16.as_str()
        }
        None => {
            encoding::check_head(bytes, true, origin)?;
            std::str::from_utf8(bytes).map_err(|_| encoding::not_utf8(origin, None))?
        }
    };
    parse_text_until(text, origin, source, map, stop)
}

/// Memory that reading an export from its `bytes` may hold at its peak, estimated: seven
/// times the text (measured: 289 MB reading a 60 MB CSV of 660,000 orders from a file, and
/// 414 MB for the server holding it as a request body too), and for a
/// workbook its bytes and twice what it may unpack to (measured: 129 MB for a 16 MB workbook
/// unpacking to 120 MiB).
pub fn reading_bytes(bytes: &[u8]) -> f64 {
    let len = bytes.len() as f64;
    if bytes.starts_with(b"PK\x03\x04") {
        len + 2.0 * MAX_UNPACKED as f64
    } else {
        7.0 * len + f64::from(16u32 << 20)
    }
}

/// Parses export text; `origin` names it in messages.
pub fn parse(text: &str, origin: &str, source: Option<Source>) -> Result<Export> {
    parse_with(text, origin, source, &FieldMap::default())
}

/// Like [`parse`], with columns mapped to fields.
pub fn parse_with(
    text: &str,
    origin: &str,
    source: Option<Source>,
    map: &FieldMap,
) -> Result<Export> {
    parse_text_until(text, origin, source, map, &never)
}

/// [`parse_with`], stopping with [`Error::Cancelled`] once `stop()` says so.
fn parse_text_until(
    text: &str,
    origin: &str,
    source: Option<Source>,
    map: &FieldMap,
    stop: &dyn Fn() -> bool,
) -> Result<Export> {
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if looks_like_a_scenario(trimmed) {
        return Err(a_scenario(origin));
    }
    let rows = Rows::Stream {
        input: Input::Text(trimmed),
        format: format_of(trimmed),
    };
    with_orders(parse_rows(&rows, origin, source, map, stop)?, origin)
}

/// Records (objects keyed by column) of any file format, read into an export: in one pass
/// when amounts are written with a decimal point or plainly (API exports), in two when a
/// decimal comma shows itself after records were read with a point.
/// Stops with [`Error::Cancelled`] once `stop()` says so (asked every few records).
fn parse_rows(
    rows: &Rows,
    origin: &str,
    source: Option<Source>,
    map: &FieldMap,
    stop: &dyn Fn() -> bool,
) -> Result<Export> {
    match read_pass(rows, origin, source, map, Separator::Point, stop)? {
        Pass::Read(export) => Ok(export),
        Pass::Again(point) => match read_pass(rows, origin, source, map, point, stop)? {
            Pass::Read(export) => Ok(export),
            Pass::Again(_) => unreachable!("a second pass reads with the file's own separator"),
        },
    }
}

/// One reading of a file with amounts read by `point`.
enum Pass {
    Read(Export),
    /// The file's amounts use this separator instead: read it again.
    Again(Separator),
}

/// Reads every record with amounts read by `point`. Every money cell of the file is checked
/// against the others first (a mixed file is refused, naming the cells, before any other
/// error); when the file turns out to use the other separator, the records read so far are
/// dropped and the answer is to read again.
fn read_pass(
    rows: &Rows,
    origin: &str,
    source: Option<Source>,
    map: &FieldMap,
    point: Separator,
    stop: &dyn Fn() -> bool,
) -> Result<Pass> {
    let mut records = Vec::new();
    // The same order twice within one file is one order, merged as across files.
    let mut seen = Seen::default();
    let mut kind: Option<(Source, bool)> = source.map(|s| (s, false));
    let mut separator = SeparatorSeen::default();
    // The first record that could not be read: reported once the file's cells agree.
    let mut failed: Option<Error> = None;
    // The columns as the file names them, for a front end to offer for mapping when a
    // field is missing or the kind is unknown.
    let mut columns: Vec<String> = Vec::new();
    let empty_window = rows.each(origin, map, |i, r| {
        if i % STOP_CHECK_RECORDS == 0 && stop() {
            return Err(Error::Cancelled);
        }
        // Empty cells leave no key: the first records together name the columns.
        if i < COLUMN_RECORDS {
            for k in r.names() {
                if !columns.contains(&k) {
                    columns.push(k);
                }
            }
        }
        separator.record(&r, map, i, origin)?;
        if failed.is_some() || separator.shown().is_some_and(|s| s != point) {
            return Ok(());
        }
        if let Err(e) = read_record(r, i, origin, map, point, &mut kind, &mut seen, &mut records) {
            failed = Some(e);
            records = Vec::new();
        }
        Ok(())
    })?;
    if let Some(shown) = separator.shown().filter(|&s| s != point) {
        return Ok(Pass::Again(shown));
    }
    if let Some(mut e) = failed {
        if let Error::Input(problems) = &mut e {
            for p in problems {
                if let crate::error::Fault::UnknownColumns { columns: c }
                | crate::error::Fault::MissingField { columns: c, .. } = &mut p.fault
                {
                    c.clone_from(&columns);
                }
            }
        }
        return Err(e);
    }
    let mut returns = Returns::default();
    if !seen.amazon.is_empty() {
        (records, returns) = amazon::net(std::mem::take(&mut seen.amazon));
    }
    if empty_window && records.is_empty() {
        return Ok(Pass::Read(Export {
            source: Source::Aliexpress,
            records,
            currency: String::new(),
            as_of: NaiveDateTime::MIN,
            read: ReadStats {
                files: 1,
                ..ReadStats::default()
            },
            guessed: source.is_none(),
            empty_windows: 1,
        }));
    }
    let Some((source, guessed)) = kind.filter(|_| !records.is_empty()) else {
        return Err(Error::input(format!(
            "{origin}: the export holds no order records"
        )));
    };
    let currency = records[0].currency.clone();
    if let Some((i, r)) = records
        .iter()
        .enumerate()
        .find(|(_, r)| r.currency != currency)
    {
        return Err(Error::input(format!(
            "{origin}: record {i} ({} {}): currency: \"{}\" differs from \"{currency}\" of record 0; mixed currencies cannot be fitted together",
            r.id_field, r.id, r.currency
        )));
    }
    let as_of = records
        .iter()
        .flat_map(|r| [Some(r.paid_at), r.resolved_at])
        .flatten()
        .max()
        .expect("at least one record");
    let read = ReadStats {
        files: 1,
        rows: records.len() + seen.merged,
        merged: seen.merged,
        paid_from_created: seen.paid_from_created,
        returns,
    };
    Ok(Pass::Read(Export {
        source,
        records,
        currency,
        as_of,
        read,
        guessed,
        empty_windows: 0,
    }))
}

/// Orders already read, by id: a record of one of them replaces it when its status is as
/// late or later (the later status time, else the later row).
#[derive(Default)]
struct Seen {
    at: std::collections::HashMap<String, usize>,
    merged: usize,
    /// Records read with their `created_time` for a missing `paid_time`.
    paid_from_created: usize,
    /// An Amazon report's rows, netted once all are read.
    amazon: Vec<amazon::Row>,
}

impl Seen {
    fn keep(&mut self, records: &mut Vec<OrderRecord>, r: OrderRecord) {
        match self.at.get(&r.id) {
            Some(&i) => {
                self.merged += 1;
                if r.resolved_at >= records[i].resolved_at {
                    records[i] = r;
                }
            }
            None => {
                self.at.insert(r.id.clone(), records.len());
                records.push(r);
            }
        }
    }
}

/// Reads record `i` into `records`, telling the export's kind from the first record unless
/// it was given.
#[allow(clippy::too_many_arguments)] // one record's reading state, kept by `read_pass`
fn read_record(
    r: Row,
    i: usize,
    origin: &str,
    map: &FieldMap,
    point: Separator,
    kind: &mut Option<(Source, bool)>,
    seen: &mut Seen,
    records: &mut Vec<OrderRecord>,
) -> Result<()> {
    let r = r.normalised(map, point);
    let (source, _) = match *kind {
        Some(k) => k,
        None => {
            let guessed = detect(&r).ok_or_else(|| {
                Error::fault(
                    origin,
                    None,
                    crate::error::Fault::UnknownColumns {
                        columns: Vec::new(),
                    },
                    "record 0: cannot tell the export kind (no sub_order_id/paid_time or action_id/action_date; headers that differ only by case, spaces, _ or - match); use --source, and --map FIELD=COLUMN for columns named otherwise",
                )
            })?;
            *kind.insert((guessed, true))
        }
    };
    match source {
        Source::Aliexpress => {
            let (record, from_created) = aliexpress::record(&r, i, origin)?;
            seen.paid_from_created += usize::from(from_created);
            seen.keep(records, record);
        }
        Source::Admitad => {
            for part in admitad::records(&r, i, origin)? {
                seen.keep(records, part);
            }
        }
        Source::Generic => seen.keep(records, generic::record(&r, i, origin)?),
        Source::Amazon => seen.amazon.push(amazon::row(&r, i, origin)?),
    }
    Ok(())
}

/// TOML: `[section]` headers and `key = value` lines, no CSV header, parses as a table.
fn looks_like_a_scenario(text: &str) -> bool {
    let first = text
        .lines()
        .find(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'));
    let toml_like = first.is_some_and(|l| {
        let l = l.trim();
        (l.starts_with('[') && l.ends_with(']') && !l.contains('{') && !l.contains('"'))
            || (l.contains('=') && !l.contains(','))
    });
    toml_like && text.parse::<toml::Table>().is_ok()
}

fn detect(first: &Value) -> Option<Source> {
    let has = |k: &str| with_norm(k, |k| first.get(k).is_some());
    if amazon::detect(first) {
        Some(Source::Amazon)
    } else if has("sub_order_id") || has("order_status") || has("estimated_paid_commission") {
        Some(Source::Aliexpress)
    } else if has("action_id") || has("action_date") {
        Some(Source::Admitad)
    } else if has("paid_time") && has("commission") && has("status") {
        Some(Source::Generic)
    } else if has("paid_time") {
        Some(Source::Aliexpress)
    } else {
        None
    }
}
