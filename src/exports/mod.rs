//! Order exports: real exports read into one normalised record type, used by `fit` and
//! `--pipeline`. This module depends on nothing but money and errors, so every layer may
//! read exports without a cycle.
//!
//! AliExpress Open Platform affiliate orders (`aliexpress.affiliate.order.list`: the response
//! envelope, a bare JSON array, or CSV with the same field names) and Admitad
//! `statistics/actions` (`{"_meta": …, "results": […]}`, a bare array, or CSV).

mod amazon;
mod amount;
mod categories;
mod encoding;
mod stream;
mod workbook;
mod zone;

use chrono::{Datelike, NaiveDateTime};
use rust_decimal::Decimal;
use serde_json::Value;

use crate::error::{Error, Result};
use crate::model::Cents;
use crate::model::money::cents_from_decimal;

pub use amazon::Returns;
use amount::{Separator, for_people, reveals};
use stream::{Format, Input, Rows};
pub use workbook::{MAX_CELLS, MAX_UNPACKED, xlsx_records};
pub use zone::Zone;

/// Which export a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
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

/// Clicks the user counted: a total, or a CSV of `date` (YYYY-MM-DD) or `month` (YYYY-MM),
/// `clicks`, and optionally `sub_id`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Clicks {
    pub total: u64,
    /// Per sub-ID, when the CSV has a `sub_id` column.
    pub by_sub_id: std::collections::BTreeMap<String, u64>,
    /// Per day (a `month` row counts on the month's first day).
    pub by_day: std::collections::BTreeMap<chrono::NaiveDate, u64>,
    /// Whether the CSV gave months rather than days.
    pub monthly: bool,
}

impl Clicks {
    /// The first and last day the clicks cover (a month's row covers the whole month).
    pub fn span(&self) -> Option<(chrono::NaiveDate, chrono::NaiveDate)> {
        let first = *self.by_day.keys().next()?;
        let last = *self.by_day.keys().next_back()?;
        let last = match self.monthly {
            true => last + chrono::Months::new(1) - chrono::Days::new(1),
            false => last,
        };
        Some((first, last))
    }

    /// Clicks before day `until` (exclusive); a month counts whole if it starts before.
    pub fn before(&self, until: chrono::NaiveDate) -> u64 {
        self.by_day.range(..until).map(|(_, n)| n).sum()
    }

    /// The clicks of `days` days from `from`, one number per day; a month's clicks are
    /// spread evenly over its days (the remainder one each on its first days). A day the CSV
    /// does not name has none.
    pub fn daily(&self, from: chrono::NaiveDate, days: usize) -> Vec<u64> {
        (0..days)
            .map(|i| {
                let day = from + chrono::Days::new(i as u64);
                if !self.monthly {
                    return self.by_day.get(&day).copied().unwrap_or(0);
                }
                let first = day.with_day(1).unwrap_or(day);
                let n = (first + chrono::Months::new(1) - first).num_days() as u64;
                let total = self.by_day.get(&first).copied().unwrap_or(0);
                let k = u64::from(day.day0());
                total / n + u64::from(k < total % n)
            })
            .collect()
    }

    /// `--clicks`: a whole number, or the path of a clicks CSV.
    pub fn parse_arg(arg: &str) -> Result<Clicks> {
        match arg.trim().replace(['_', ','], "").parse::<u64>() {
            Ok(total) => Ok(Clicks {
                total,
                ..Clicks::default()
            }),
            Err(_) => Clicks::read(std::path::Path::new(arg)),
        }
    }

    /// Reads a clicks CSV, naming the line, the column and the value of any bad cell.
    pub fn read(path: &std::path::Path) -> Result<Clicks> {
        let origin = path.display().to_string();
        let text = crate::output::read_input(path)?;
        Clicks::parse_text(&text, &origin)
    }

    /// Parses clicks CSV text; `origin` names it in messages.
    pub fn parse_text(text: &str, origin: &str) -> Result<Clicks> {
        let mut r = csv::ReaderBuilder::new()
            .trim(csv::Trim::All)
            .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
        let headers: Vec<String> = r
            .headers()
            .map_err(|e| Error::input(format!("{origin}: CSV header: {e}")))?
            .iter()
            .map(|h| h.to_ascii_lowercase())
            .collect();
        let col = |name: &str| headers.iter().position(|h| h == name);
        let when = col("date")
            .map(|i| (i, "date"))
            .or(col("month").map(|i| (i, "month")));
        let (Some((when, when_name)), Some(count)) = (when, col("clicks")) else {
            return Err(Error::input(format!(
                "{origin}: a clicks CSV needs a `date` (YYYY-MM-DD) or `month` (YYYY-MM) column and a `clicks` column; found {}",
                headers.join(", ")
            )));
        };
        let sub = col("sub_id");
        let mut out = Clicks {
            monthly: when_name == "month",
            ..Clicks::default()
        };
        for (i, rec) in r.records().enumerate() {
            let line = i + 2;
            let rec = rec.map_err(|e| Error::input(format!("{origin}: line {line}: {e}")))?;
            let cell = |c: usize| rec.get(c).unwrap_or("");
            let day = match when_name {
                "date" => chrono::NaiveDate::parse_from_str(cell(when), "%Y-%m-%d").ok(),
                _ => chrono::NaiveDate::parse_from_str(&format!("{}-01", cell(when)), "%Y-%m-%d")
                    .ok(),
            }
            .ok_or_else(|| {
                Error::input(format!(
                    "{origin}: line {line}: {when_name}: \"{}\" is not a {}",
                    cell(when),
                    if when_name == "date" {
                        "date written YYYY-MM-DD"
                    } else {
                        "month written YYYY-MM"
                    }
                ))
            })?;
            let n: u64 = cell(count).replace(',', "").parse().map_err(|_| {
                Error::input(format!(
                    "{origin}: line {line}: clicks: \"{}\" is not a whole number of clicks",
                    cell(count)
                ))
            })?;
            out.total = out.total.checked_add(n).ok_or_else(|| {
                Error::input(format!(
                    "{origin}: line {line}: clicks: the total overflows"
                ))
            })?;
            *out.by_day.entry(day).or_default() += n;
            if let Some(s) = sub {
                *out.by_sub_id.entry(cell(s).to_string()).or_default() += n;
            }
        }
        Ok(out)
    }
}

/// Reads several export files as one: the same order (by `sub_order_id`, `action_id` or
/// `order_id`; a cart position by its action and place) is one order, and its latest status
/// wins: the later status time, else the later file (and the later row).
pub fn read_all(
    paths: &[std::path::PathBuf],
    source: Option<Source>,
    map: &FieldMap,
) -> Result<Export> {
    let mut merged: Option<Export> = None;
    for path in paths {
        let next = read_any(path, source, map)?;
        merged = Some(match merged {
            None => next,
            Some(first) if first.records.is_empty() => combine(next, first),
            Some(first) if next.records.is_empty() => combine(first, next),
            Some(first) => {
                if next.source != first.source {
                    return Err(Error::input(format!(
                        "{}: a {:?} export cannot be read together with a {:?} one",
                        path.display(),
                        next.source,
                        first.source
                    )));
                }
                if next.currency != first.currency {
                    return Err(Error::input(format!(
                        "{}: amounts in {}, but the files before are in {}; mixed currencies cannot be read together",
                        path.display(),
                        next.currency,
                        first.currency
                    )));
                }
                combine(first, next)
            }
        });
    }
    let export = merged.ok_or_else(|| Error::input("no export file given"))?;
    let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    with_orders(export, &names.join(", "))
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

/// Which column holds which field (`--map paid_time="Order Time"`), and the fields known.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FieldMap {
    /// Normalised column name → normalised field name.
    columns: std::collections::BTreeMap<String, String>,
}

/// Every field an export may carry, as `--map` names them.
pub const FIELDS: &[&str] = &[
    "order_id",
    "sub_order_id",
    "order_status",
    "paid_time",
    "created_time",
    "finished_time",
    "completed_settlement_time",
    "paid_amount",
    "estimated_paid_commission",
    "commission_rate",
    "new_buyer_bonus_commission",
    "is_new_buyer",
    "is_hot_product",
    "category_id",
    "tracking_id",
    "custom_parameters",
    "settled_currency",
    "ship_to_country",
    "action_id",
    "status",
    "cart",
    "payment",
    "currency",
    "action_date",
    "closing_date",
    "status_updated",
    "subid",
    "country",
    "commission",
    "order_value",
    "category",
    "confirmed_time",
    "reversed_time",
    "sub_id",
    "asin",
    "date_shipped",
    "items_shipped",
    "returns",
    "revenue",
    "ad_fees",
];

/// Whether a column or key names one of the [`FIELDS`] (case, spaces, `_` and `-` aside).
fn is_field(name: &str) -> bool {
    with_norm(name, |n| FIELDS.iter().any(|f| norm(f) == n))
}

impl FieldMap {
    /// `--map FIELD=COLUMN,...`: each field named as in the export formats, each column as
    /// the file writes it (case, spaces, `_` and `-` do not matter).
    pub fn parse(arg: &str) -> Result<FieldMap> {
        let mut columns = std::collections::BTreeMap::new();
        for pair in arg.split(',').filter(|p| !p.trim().is_empty()) {
            let Some((field, column)) = pair.split_once('=') else {
                return Err(Error::input(format!(
                    "--map: \"{pair}\" is not FIELD=COLUMN (e.g. paid_time=Order Time)"
                )));
            };
            let field = field.trim();
            if !FIELDS.iter().any(|f| norm(f) == norm(field)) {
                return Err(Error::input(format!(
                    "--map: \"{field}\" is not a field (fields: {})",
                    FIELDS.join(", ")
                )));
            }
            columns.insert(norm(column.trim().trim_matches('"')), norm(field));
        }
        Ok(FieldMap { columns })
    }
}

/// A header or field name with case, spaces, `_` and `-` taken out: "Paid Time" = `paid_time`.
pub fn norm(name: &str) -> String {
    if name.is_ascii() {
        return name
            .bytes()
            .filter(|b| !matches!(b, b' ' | b'_' | b'-'))
            .map(|b| char::from(b.to_ascii_lowercase()))
            .collect();
    }
    name.chars()
        .filter(|c| !matches!(c, ' ' | '_' | '-'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// `f` of the normalised `name` ([`norm`]), without allocating for a short ASCII name: every
/// field lookup of every record goes through here.
fn with_norm<R>(name: &str, f: impl FnOnce(&str) -> R) -> R {
    const SHORT: usize = 64;
    if name.len() > SHORT || !name.is_ascii() {
        return f(&norm(name));
    }
    let mut buf = [0u8; SHORT];
    let mut n = 0;
    for &b in name.as_bytes() {
        if !matches!(b, b' ' | b'_' | b'-') {
            buf[n] = b.to_ascii_lowercase();
            n += 1;
        }
    }
    // ASCII bytes are always UTF-8.
    f(std::str::from_utf8(&buf[..n]).unwrap_or_default())
}

/// A record with every key normalised (and mapped), nested objects too.
/// Money written for people ("1.234,50 €") is rewritten as a plain decimal ("1234.50") in
/// the file's one number format.
fn normalised(v: Value, map: &FieldMap, point: Separator) -> Value {
    match v {
        Value::Object(o) => Value::Object(
            o.into_iter()
                .map(|(k, v)| {
                    let k = with_norm(&k, |n| {
                        map.columns.get(n).cloned().unwrap_or_else(|| n.to_string())
                    });
                    let v = match v {
                        Value::String(s)
                            if MONEY_FIELDS.contains(&k.as_str()) && for_people(&s) =>
                        {
                            // A cell that is not an amount stays as written, for the
                            // field's reading to name it.
                            Value::String(amount::plain(&s, point).unwrap_or(s))
                        }
                        other => normalised(other, map, point),
                    };
                    (k, v)
                })
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.into_iter().map(|v| normalised(v, map, point)).collect()),
        other => other,
    }
}

/// Whether a column holds money: its mapped field, else its normalised name, is a money field.
fn is_money(column: &str, map: &FieldMap) -> bool {
    with_norm(column, |k| {
        MONEY_FIELDS.contains(&map.columns.get(k).map_or(k, String::as_str))
    })
}

/// Money fields (normalised), whose cells may be written for people.
const MONEY_FIELDS: &[&str] = &[
    "paidamount",
    "finishedamount",
    "estimatedpaidcommission",
    "estimatedfinishedcommission",
    "newbuyerbonuscommission",
    "cart",
    "payment",
    "amount",
    "commission",
    "ordervalue",
];

/// The money cells written for people of one record (positions included).
fn collect_money(v: &Value, map: &FieldMap, i: usize, out: &mut Vec<(usize, String, String)>) {
    match v {
        Value::Object(o) => {
            for (k, v) in o {
                match v {
                    Value::String(s) if for_people(s) && is_money(k, map) => {
                        out.push((i, k.clone(), s.clone()));
                    }
                    other => collect_money(other, map, i, out),
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|v| collect_money(v, map, i, out)),
        _ => {}
    }
}

/// The decimal separator a file's money cells reveal, followed record by record: the first
/// cell that tells sets it, and a cell that contradicts it is an error naming both.
#[derive(Default)]
struct SeparatorSeen {
    first: Option<(Separator, usize, String, String)>,
    cells: Vec<(usize, String, String)>,
}

impl SeparatorSeen {
    /// Takes record `i`'s money cells; an error if one contradicts an earlier one (record,
    /// column, value).
    fn record(&mut self, row: &Value, map: &FieldMap, i: usize, origin: &str) -> Result<()> {
        self.cells.clear();
        collect_money(row, map, i, &mut self.cells);
        for (i, column, value) in self.cells.drain(..) {
            let Some(sep) = reveals(&value) else { continue };
            match &self.first {
                None => self.first = Some((sep, i, column, value)),
                Some((seen, j, c0, v0)) if *seen != sep => {
                    let word = |s: Separator| match s {
                        Separator::Point => "a decimal point",
                        Separator::Comma => "a decimal comma",
                    };
                    return Err(Error::input(format!(
                        "{origin}: record {i}: {column}: \"{value}\" is written with {}, but record {j} ({c0}) writes \"{v0}\" with {}; the file mixes number formats, so its amounts could be read two ways: make them one format",
                        word(sep),
                        word(*seen)
                    )));
                }
                Some(_) => {}
            }
        }
        Ok(())
    }

    /// The separator the file's cells have shown so far, if one has shown itself. Where
    /// none does, every separator is a lone comma before three digits (thousands) or a lone
    /// point (decimal), and reading with a point is right.
    fn shown(&self) -> Option<Separator> {
        self.first.as_ref().map(|f| f.0)
    }
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
    let empty_window = rows.each(origin, |i, r| {
        if i % STOP_CHECK_RECORDS == 0 && stop() {
            return Err(Error::Cancelled);
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
    if let Some(e) = failed {
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
    r: Value,
    i: usize,
    origin: &str,
    map: &FieldMap,
    point: Separator,
    kind: &mut Option<(Source, bool)>,
    seen: &mut Seen,
    records: &mut Vec<OrderRecord>,
) -> Result<()> {
    let r = normalised(r, map, point);
    let (source, _) = match *kind {
        Some(k) => k,
        None => {
            let guessed = detect(&r).ok_or_else(|| {
                Error::input(format!(
                    "{origin}: record 0: cannot tell the export kind (no sub_order_id/paid_time or action_id/action_date; headers that differ only by case, spaces, _ or - match); use --source, and --map FIELD=COLUMN for columns named otherwise"
                ))
            })?;
            *kind.insert((guessed, true))
        }
    };
    match source {
        Source::Aliexpress => {
            let (record, from_created) = aliexpress(&r, i, origin)?;
            seen.paid_from_created += usize::from(from_created);
            seen.keep(records, record);
        }
        Source::Admitad => {
            for part in admitad(&r, i, origin)? {
                seen.keep(records, part);
            }
        }
        Source::Generic => seen.keep(records, generic(&r, i, origin)?),
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

/// One row of any network's order report, mapped onto the generic fields.
fn generic(v: &Value, i: usize, origin: &str) -> Result<OrderRecord> {
    let probe = Fields {
        v,
        at: String::new(),
    };
    let id = probe.text("order_id");
    let at = match &id {
        Some(id) => format!("{origin}: record {i} (order_id {id})"),
        None => format!("{origin}: record {i}"),
    };
    let f = Fields { v, at };
    let id = id.ok_or_else(|| f.err("order_id", "is missing"))?;
    let written = f.required("status")?;
    let status = match norm(&written).as_str() {
        "pending" | "paymentcompleted" | "open" | "new" => Status::Pending,
        "confirmed" | "approved" | "buyerconfirmedreceipt" | "locked" => Status::Confirmed,
        "settled" | "paid" | "completedsettlement" => Status::Settled,
        "held" | "approvedbutstalled" | "onhold" => Status::Held,
        "reversed" | "declined" | "invalid" | "cancelled" | "canceled" | "refunded"
        | "rejected" => Status::Reversed,
        _ => {
            return Err(f.err(
                "status",
                format!("\"{written}\" is not one of pending, confirmed, reversed (or an AliExpress or Admitad status)"),
            ));
        }
    };
    let paid_at = f.required_time("paid_time")?;
    let resolved_at = match status {
        Status::Pending => None,
        Status::Reversed => f.time("reversed_time")?,
        _ => f.time("confirmed_time")?,
    };
    if let Some(t) = resolved_at
        && t < paid_at
    {
        return Err(f.err(
            "confirmed_time",
            format!("{t} is before paid_time {paid_at}"),
        ));
    }
    Ok(OrderRecord {
        category: f.text("category").unwrap_or_else(|| "unknown".into()),
        status,
        paid_at,
        resolved_at,
        amount: f.money("order_value", false)?.unwrap_or(0),
        commission: f.required_money("commission", false)?,
        rate: None,
        hot: f.yes_no("is_hot_product")?,
        new_buyer: f.yes_no("is_new_buyer")?,
        bonus: 0,
        currency: f.text("currency").unwrap_or_else(|| "USD".into()),
        country: f.text("country").map(|c| c.to_ascii_uppercase()),
        sub_id: f.text("sub_id"),
        id,
        id_field: "order_id",
    })
}

/// Reads the fields of one record, naming it in every error.
struct Fields<'a> {
    v: &'a Value,
    at: String,
}

impl Fields<'_> {
    fn err(&self, field: &str, msg: impl std::fmt::Display) -> Error {
        Error::input(format!("{}: {field}: {msg}", self.at))
    }

    /// A text field; numbers are taken as their text. Empty or null is absent.
    fn text(&self, field: &str) -> Option<String> {
        match with_norm(field, |k| self.v.get(k))? {
            Value::String(s) if s.trim().is_empty() => None,
            Value::String(s) => Some(s.trim().to_string()),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    fn required(&self, field: &str) -> Result<String> {
        self.text(field)
            .ok_or_else(|| self.err(field, "is missing"))
    }

    fn time(&self, field: &str) -> Result<Option<NaiveDateTime>> {
        let Some(s) = self.text(field) else {
            return Ok(None);
        };
        ["%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]
            .iter()
            .find_map(|f| NaiveDateTime::parse_from_str(&s, f).ok())
            .or_else(|| {
                chrono::NaiveDate::parse_from_str(&s, "%Y-%m-%d")
                    .ok()
                    .and_then(|d| d.and_hms_opt(0, 0, 0))
            })
            .ok_or_else(|| {
                self.err(
                    field,
                    format!("\"{s}\" is not a time (YYYY-MM-DD HH:MM:SS)"),
                )
            })
            .and_then(|t| {
                // Affiliate exports are recent; a year outside this range is corrupt data.
                if (1990..=2200).contains(&chrono::Datelike::year(&t)) {
                    Ok(Some(t))
                } else {
                    Err(self.err(
                        field,
                        format!("\"{s}\" is not a plausible date (years 1990 to 2200)"),
                    ))
                }
            })
    }

    fn required_time(&self, field: &str) -> Result<NaiveDateTime> {
        self.time(field)?
            .ok_or_else(|| self.err(field, "is missing"))
    }

    /// Money: integers are cents when `integers_are_cents` (AliExpress live responses),
    /// decimals are currency units.
    fn money(&self, field: &str, integers_are_cents: bool) -> Result<Option<Cents>> {
        let Some(written) = self.text(field) else {
            return Ok(None);
        };
        // Cells written for people were made plain when the file was read (`normalised`).
        let s = written;
        let d: Decimal = s
            .parse()
            .ok()
            .filter(|_| amount::is_plain_decimal(&s))
            .ok_or_else(|| {
                self.err(
                    field,
                    format!("\"{s}\" is not an amount: {}", amount::why_not(&s)),
                )
            })?;
        if d.is_sign_negative() {
            return Err(self.err(field, format!("{s} is negative")));
        }
        let cents = if integers_are_cents && !s.contains('.') {
            d.trunc().to_string().parse::<i64>().ok()
        } else {
            cents_from_decimal(d)
        };
        cents
            .filter(|&c| c <= 100_000_000_000)
            .map(Some)
            .ok_or_else(|| self.err(field, format!("{s} is out of range")))
    }

    fn required_money(&self, field: &str, integers_are_cents: bool) -> Result<Cents> {
        self.money(field, integers_are_cents)?
            .ok_or_else(|| self.err(field, "is missing"))
    }

    fn yes_no(&self, field: &str) -> Result<Option<bool>> {
        match self.text(field).as_deref() {
            None => Ok(None),
            Some("Y" | "y" | "YES" | "true" | "1") => Ok(Some(true)),
            Some("N" | "n" | "NO" | "false" | "0") => Ok(Some(false)),
            Some(s) => Err(self.err(field, format!("\"{s}\" is not Y or N"))),
        }
    }

    /// A yes/no flag written as a JSON boolean, 0/1 or true/false. Empty or null is absent.
    fn flag(&self, field: &str) -> Result<Option<bool>> {
        match with_norm(field, |k| self.v.get(k)) {
            Some(Value::Bool(b)) => return Ok(Some(*b)),
            None | Some(Value::Null) => return Ok(None),
            _ => {}
        }
        match self.text(field).as_deref() {
            None => Ok(None),
            Some("1" | "true" | "TRUE" | "True") => Ok(Some(true)),
            Some("0" | "false" | "FALSE" | "False") => Ok(Some(false)),
            Some(s) => Err(self.err(field, format!("\"{s}\" is not true or false (1 or 0)"))),
        }
    }

    /// A rate written in percent whatever its size ("1.00" = 1%, as Admitad writes it).
    fn percent(&self, field: &str) -> Result<Option<f64>> {
        let Some(s) = self.text(field) else {
            return Ok(None);
        };
        let x: f64 = Some(s.trim_end_matches('%').trim())
            .filter(|n| amount::is_plain_decimal(n))
            .and_then(|n| n.parse().ok())
            .ok_or_else(|| self.err(field, format!("\"{s}\" is not a percentage")))?;
        if !(0.0..=100.0).contains(&x) {
            return Err(self.err(
                field,
                format!("\"{s}\" is not a percentage between 0 and 100"),
            ));
        }
        Ok(Some(x / 100.0))
    }

    /// A rate such as "7.00%" or 0.07.
    fn rate(&self, field: &str) -> Result<Option<f64>> {
        let Some(s) = self.text(field) else {
            return Ok(None);
        };
        let (num, percent) = match s.strip_suffix('%') {
            Some(n) => (n.trim(), true),
            None => (s.as_str(), false),
        };
        let x: f64 = Some(num)
            .filter(|n| amount::is_plain_decimal(n))
            .and_then(|n| n.parse().ok())
            .ok_or_else(|| self.err(field, format!("\"{s}\" is not a rate")))?;
        let x = if percent || x > 1.0 { x / 100.0 } else { x };
        if !(0.0..=1.0).contains(&x) {
            return Err(self.err(field, format!("\"{s}\" is not a rate between 0% and 100%")));
        }
        Ok(Some(x))
    }
}

/// An AliExpress order, and whether its `created_time` stood for a missing `paid_time`.
fn aliexpress(v: &Value, i: usize, origin: &str) -> Result<(OrderRecord, bool)> {
    let probe = Fields {
        v,
        at: String::new(),
    };
    let (id, id_field) = match probe.text("sub_order_id") {
        Some(id) => (Some(id), "sub_order_id"),
        None => (probe.text("order_id"), "order_id"),
    };
    let at = match &id {
        Some(id) => format!("{origin}: record {i} ({id_field} {id})"),
        None => format!("{origin}: record {i}"),
    };
    let f = Fields { v, at };
    let id = id.ok_or_else(|| f.err("order_id", "is missing"))?;
    let status_text = f.required("order_status")?;
    let status = match status_text.as_str() {
        "Payment Completed" => Status::Pending,
        "Buyer Confirmed Receipt" => Status::Confirmed,
        "Completed Settlement" => Status::Settled,
        "Invalid" => Status::Reversed,
        other => {
            return Err(f.err(
                "order_status",
                format!("\"{other}\" is not one of \"Payment Completed\", \"Buyer Confirmed Receipt\", \"Completed Settlement\", \"Invalid\""),
            ));
        }
    };
    // Some responses carry only `created_time`: payment follows the order within minutes.
    let (paid_at, from_created) = match f.time("paid_time")? {
        Some(t) => (t, false),
        None => (
            f.time("created_time")?
                .ok_or_else(|| f.err("paid_time", "is missing (and so is created_time)"))?,
            true,
        ),
    };
    let finished = f.time("finished_time")?;
    let settled = f.time("completed_settlement_time")?;
    let resolved_at = match status {
        Status::Pending => None,
        Status::Confirmed | Status::Held => Some(
            finished.ok_or_else(|| f.err("finished_time", "is missing for a confirmed order"))?,
        ),
        Status::Settled => Some(
            finished
                .or(settled)
                .ok_or_else(|| f.err("finished_time", "is missing for a settled order"))?,
        ),
        Status::Reversed => finished,
    };
    if let Some(t) = resolved_at
        && t < paid_at
    {
        return Err(f.err(
            "finished_time",
            format!("{t} is before paid_time {paid_at}"),
        ));
    }
    let bonus = f.money("new_buyer_bonus_commission", true)?.unwrap_or(0);
    let record = OrderRecord {
        category: f.text("category_id").unwrap_or_else(|| "unknown".into()),
        status,
        paid_at,
        resolved_at,
        amount: f.required_money("paid_amount", true)?,
        commission: f.required_money("estimated_paid_commission", true)?,
        rate: f.rate("commission_rate")?,
        hot: f.yes_no("is_hot_product")?,
        new_buyer: f.yes_no("is_new_buyer")?,
        bonus,
        currency: f.text("settled_currency").unwrap_or_else(|| "USD".into()),
        country: f.text("ship_to_country").map(|c| c.to_ascii_uppercase()),
        sub_id: f
            .text("tracking_id")
            .or_else(|| f.text("custom_parameters")),
        id,
        id_field,
    };
    Ok((record, from_created))
}

/// An Admitad action: one record per position of its cart (each with its own category,
/// amount, commission and rate), or one record for an action without positions.
fn admitad(v: &Value, i: usize, origin: &str) -> Result<Vec<OrderRecord>> {
    let probe = Fields {
        v,
        at: String::new(),
    };
    let (id, id_field) = match probe.text("action_id") {
        Some(id) => (Some(id), "action_id"),
        None => (probe.text("order_id"), "order_id"),
    };
    let at = match &id {
        Some(id) => format!("{origin}: record {i} ({id_field} {id})"),
        None => format!("{origin}: record {i}"),
    };
    let f = Fields { v, at };
    let id = id.ok_or_else(|| f.err("action_id", "is missing"))?;
    let status = match f.required("status")?.as_str() {
        "pending" => Status::Pending,
        "approved" => Status::Confirmed,
        "approved_but_stalled" => Status::Held,
        "declined" => Status::Reversed,
        other => {
            return Err(f.err(
                "status",
                format!(
                    "\"{other}\" is not one of pending, approved, declined, approved_but_stalled"
                ),
            ));
        }
    };
    // Paid out by the network (`paid` 1): no longer money on its way.
    let status = match (status, f.flag("paid")?) {
        (Status::Confirmed, Some(true)) => Status::Settled,
        (status, _) => status,
    };
    // Read so that a value other than 0/1 is named; a final (`processed` 1) or not, the
    // status is the network's word.
    f.flag("processed")?;
    let paid_at = f.required_time("action_date")?;
    let resolved_at = match status {
        Status::Pending => None,
        _ => f.time("closing_date")?.or(f.time("status_updated")?),
    };
    if matches!(status, Status::Confirmed | Status::Held) && resolved_at.is_none() {
        return Err(f.err("closing_date", "is missing for an approved action"));
    }
    let record = OrderRecord {
        // An action without positions has no product category (the campaign is not one).
        category: "unknown".into(),
        status,
        paid_at,
        resolved_at,
        // `cart` is null on some actions: the positions' amounts stand for it.
        amount: f.money("cart", false)?.unwrap_or(0),
        commission: f.required_money("payment", false)?,
        rate: None,
        hot: None,
        new_buyer: None,
        bonus: 0,
        currency: f.required("currency")?,
        country: f.text("country").map(|c| c.to_ascii_uppercase()),
        sub_id: f.text("subid").or_else(|| f.text("subid1")),
        id,
        id_field,
    };
    let positions = match v.get("positions") {
        Some(Value::Array(p)) if !p.is_empty() => p,
        _ => return Ok(vec![record]),
    };
    positions
        .iter()
        .enumerate()
        .map(|(k, p)| {
            let pf = Fields {
                v: p,
                at: format!("{}: positions[{k}]", f.at),
            };
            Ok(OrderRecord {
                category: pf
                    .text("product_category_name")
                    .or_else(|| pf.text("product_category_id"))
                    .unwrap_or_else(|| "unknown".into()),
                amount: pf.required_money("amount", false)?,
                commission: pf.required_money("payment", false)?,
                // `percentage` true: `rate` is a percent of the amount ("50.00" = 50%);
                // false: a fixed amount per action, which is no rate (the commission says
                // what was paid).
                rate: match pf.flag("percentage")? {
                    Some(true) => pf.percent("rate")?,
                    Some(false) | None => None,
                },
                // One action, several parts: each part is its own record of the same order.
                id: if positions.len() == 1 {
                    record.id.clone()
                } else {
                    format!("{}#{k}", record.id)
                },
                ..record.clone()
            })
        })
        .collect()
}
