//! Fields of an export: which column holds which field, names normalised, money cells
//! rewritten in one number format, and the reader of one record's fields.

use chrono::NaiveDateTime;
use rust_decimal::Decimal;
use serde_json::Value;

use super::amount::{self, Separator, for_people, reveals};
use crate::error::{Error, Result};
use crate::model::Cents;
use crate::model::money::cents_from_decimal;

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
pub(super) fn is_field(name: &str) -> bool {
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
pub(super) fn with_norm<R>(name: &str, f: impl FnOnce(&str) -> R) -> R {
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
                    let k = field_of(&k, map);
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

/// A CSV file's header, read once for all its records: each column's name as the file writes
/// it, its field (normalised and mapped) and whether it holds money.
pub(super) struct Header {
    columns: Vec<Column>,
    /// The money columns in the order of their names, as a record's object keeps them.
    money_by_name: Vec<usize>,
}

struct Column {
    name: String,
    field: String,
    money: bool,
}

impl Header {
    /// `None` when two columns name one field: their records are then read as objects
    /// (where the column later by name wins), as JSON's are.
    pub(super) fn new(names: &[String], map: &FieldMap) -> Option<Header> {
        let columns: Vec<Column> = names
            .iter()
            .map(|name| Column {
                name: name.clone(),
                field: field_of(name, map),
                money: is_money(name, map),
            })
            .collect();
        let mut fields: Vec<&str> = columns.iter().map(|c| c.field.as_str()).collect();
        fields.sort_unstable();
        if fields.windows(2).any(|w| w[0] == w[1]) {
            return None;
        }
        let mut money_by_name: Vec<usize> =
            (0..columns.len()).filter(|&j| columns[j].money).collect();
        money_by_name.sort_by(|&a, &b| columns[a].name.cmp(&columns[b].name));
        Some(Header {
            columns,
            money_by_name,
        })
    }
}

/// One record as a reader hands it over.
pub(super) enum Row<'a> {
    /// A JSON or workbook record (or a CSV record whose header names a field twice), keyed as
    /// the file names its fields.
    Object(Value),
    /// A CSV record under its header. An empty cell is no field, as in an object.
    Cells(&'a Header, &'a csv::StringRecord),
}

impl Row<'_> {
    /// The names of the record's fields with a value, in the order of an object's keys.
    pub(super) fn names(&self) -> Vec<String> {
        match self {
            Row::Object(Value::Object(o)) => o.keys().cloned().collect(),
            Row::Object(_) => Vec::new(),
            Row::Cells(h, cells) => {
                let mut names: Vec<String> = (h.columns.iter().zip(cells.iter()))
                    .filter(|(_, v)| !v.is_empty())
                    .map(|(c, _)| c.name.clone())
                    .collect();
                names.sort_unstable();
                names
            }
        }
    }

    /// The money cells written for people of record `i` (its number, column, cell), in the
    /// order of an object's keys.
    fn money_cells(&self, map: &FieldMap, i: usize, out: &mut Vec<(usize, String, String)>) {
        match self {
            Row::Object(v) => collect_money(v, map, i, out),
            Row::Cells(h, cells) => {
                for &j in &h.money_by_name {
                    let cell = cells.get(j).unwrap_or_default();
                    if for_people(cell) {
                        out.push((i, h.columns[j].name.clone(), cell.to_string()));
                    }
                }
            }
        }
    }

    /// The record with every key normalised and mapped, money made plain ([`normalised`]).
    pub(super) fn normalised(self, map: &FieldMap, point: Separator) -> Value {
        match self {
            Row::Object(v) => normalised(v, map, point),
            Row::Cells(h, cells) => Value::Object(
                (h.columns.iter().zip(cells.iter()))
                    .filter(|(_, v)| !v.is_empty())
                    .map(|(c, v)| {
                        let v = if c.money && for_people(v) {
                            amount::plain(v, point).unwrap_or_else(|| v.to_string())
                        } else {
                            v.to_string()
                        };
                        (c.field.clone(), Value::String(v))
                    })
                    .collect(),
            ),
        }
    }
}

/// The field a column names: its mapped field, else its normalised name.
fn field_of(column: &str, map: &FieldMap) -> String {
    with_norm(column, |n| {
        map.columns.get(n).cloned().unwrap_or_else(|| n.to_string())
    })
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
pub(super) struct SeparatorSeen {
    first: Option<(Separator, usize, String, String)>,
    cells: Vec<(usize, String, String)>,
}

impl SeparatorSeen {
    /// Takes record `i`'s money cells; an error if one contradicts an earlier one (record,
    /// column, value).
    pub(super) fn record(
        &mut self,
        row: &Row,
        map: &FieldMap,
        i: usize,
        origin: &str,
    ) -> Result<()> {
        self.cells.clear();
        row.money_cells(map, i, &mut self.cells);
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
    pub(super) fn shown(&self) -> Option<Separator> {
        self.first.as_ref().map(|f| f.0)
    }
}

/// The number written by ASCII digits `b` (none if another byte is among them).
pub(crate) fn digits(b: &[u8]) -> Option<u32> {
    b.iter().try_fold(0u32, |n, &c| {
        c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
    })
}

/// A time written "YYYY-MM-DD HH:MM:SS", read digit by digit (as chrono reads that form,
/// without taking its format apart for every cell); `None` for anything else, which is left
/// to chrono's parser.
pub(crate) fn plain_time(text: &str) -> Option<NaiveDateTime> {
    let b = text.as_bytes();
    if b.len() != 19 || [b[4], b[7], b[10], b[13], b[16]] != *b"-- ::" {
        return None;
    }
    let year = i32::try_from(digits(&b[0..4])?).ok()?;
    chrono::NaiveDate::from_ymd_opt(year, digits(&b[5..7])?, digits(&b[8..10])?)?.and_hms_opt(
        digits(&b[11..13])?,
        digits(&b[14..16])?,
        digits(&b[17..19])?,
    )
}

/// Reads the fields of one record, naming it in every error.
pub(super) struct Fields<'a> {
    pub(super) v: &'a Value,
    pub(super) at: String,
}

impl Fields<'_> {
    pub(super) fn err(&self, field: &str, msg: impl std::fmt::Display) -> Error {
        Error::input(format!("{}: {field}: {msg}", self.at))
    }

    /// A field the record's kind needs is not there (the file's columns are added by the
    /// reader, which knows them).
    pub(super) fn missing(&self, field: &str) -> Error {
        Error::input_fault(
            crate::error::Fault::MissingField {
                field: field.to_string(),
                columns: Vec::new(),
            },
            format!("{}: {field}: is missing", self.at),
        )
    }

    /// A text field; numbers are taken as their text. Empty or null is absent.
    pub(super) fn text(&self, field: &str) -> Option<String> {
        match with_norm(field, |k| self.v.get(k))? {
            Value::String(s) if s.trim().is_empty() => None,
            Value::String(s) => Some(s.trim().to_string()),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    pub(super) fn required(&self, field: &str) -> Result<String> {
        self.text(field).ok_or_else(|| self.missing(field))
    }

    pub(super) fn time(&self, field: &str) -> Result<Option<NaiveDateTime>> {
        let Some(s) = self.text(field) else {
            return Ok(None);
        };
        plain_time(&s)
            .or_else(|| {
                ["%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]
                    .iter()
                    .find_map(|f| NaiveDateTime::parse_from_str(&s, f).ok())
            })
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

    pub(super) fn required_time(&self, field: &str) -> Result<NaiveDateTime> {
        self.time(field)?.ok_or_else(|| self.missing(field))
    }

    /// Money: integers are cents when `integers_are_cents` (AliExpress live responses),
    /// decimals are currency units.
    pub(super) fn money(&self, field: &str, integers_are_cents: bool) -> Result<Option<Cents>> {
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

    pub(super) fn required_money(&self, field: &str, integers_are_cents: bool) -> Result<Cents> {
        self.money(field, integers_are_cents)?
            .ok_or_else(|| self.missing(field))
    }

    pub(super) fn yes_no(&self, field: &str) -> Result<Option<bool>> {
        match self.text(field).as_deref() {
            None => Ok(None),
            Some("Y" | "y" | "YES" | "true" | "1") => Ok(Some(true)),
            Some("N" | "n" | "NO" | "false" | "0") => Ok(Some(false)),
            Some(s) => Err(self.err(field, format!("\"{s}\" is not Y or N"))),
        }
    }

    /// A yes/no flag written as a JSON boolean, 0/1 or true/false. Empty or null is absent.
    pub(super) fn flag(&self, field: &str) -> Result<Option<bool>> {
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
    pub(super) fn percent(&self, field: &str) -> Result<Option<f64>> {
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
    pub(super) fn rate(&self, field: &str) -> Result<Option<f64>> {
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
