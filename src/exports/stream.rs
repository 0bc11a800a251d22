//! An export's records one at a time, so that a large export never exists whole in memory:
//! CSV through the csv reader, JSON through a streaming walk to its list of records (the
//! AliExpress envelope's `resp_result.result.orders.order`, Admitad's `results`, or a bare
//! array) that hands over one record's tree at a time. A file is opened again for each pass.

use std::fmt;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use super::fields::{FieldMap, Header, Row};
use crate::error::{Error, Result};

/// Where an export's bytes are.
#[derive(Clone, Copy)]
pub(super) enum Input<'t> {
    File(&'t Path),
    Text(&'t str),
}

/// How an export is written.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Format {
    Json,
    Csv,
}

/// An export's records before they are read.
pub(super) enum Rows<'t> {
    /// A workbook's bytes: its first sheet, read cell by cell.
    Workbook(&'t [u8]),
    Stream {
        input: Input<'t>,
        format: Format,
    },
}

/// Bytes of a file read ahead to tell what it is.
const HEAD: usize = 64 * 1024;

impl<'t> Input<'t> {
    /// The bytes after a byte-order mark and leading white space.
    fn open(self) -> Result<Box<dyn BufRead + 't>> {
        let mut r: Box<dyn BufRead + 't> = match self {
            Input::Text(t) => Box::new(t.as_bytes()),
            Input::File(path) => {
                let file = std::fs::File::open(path).map_err(|e| open_error(path, e))?;
                Box::new(BufReader::with_capacity(HEAD, file))
            }
        };
        let io = |e| self.io_error(e);
        let bom = r.fill_buf().map_err(io)?.starts_with(b"\xEF\xBB\xBF");
        if bom {
            r.consume(3);
        }
        loop {
            let buf = r.fill_buf().map_err(io)?;
            let blank = buf.iter().take_while(|b| b.is_ascii_whitespace()).count();
            let done = blank < buf.len() || buf.is_empty();
            r.consume(blank);
            if done {
                return Ok(r);
            }
        }
    }

    /// The start of the export's bytes (up to 64 KiB) and whether that is all of it.
    pub(super) fn head(self) -> Result<(Vec<u8>, bool)> {
        let mut head = Vec::with_capacity(HEAD);
        let mut r = self.open()?;
        (&mut r)
            .take(HEAD as u64)
            .read_to_end(&mut head)
            .map_err(|e| self.io_error(e))?;
        let whole = r.fill_buf().map_err(|e| self.io_error(e))?.is_empty();
        Ok((head, whole))
    }

    fn io_error(self, e: std::io::Error) -> Error {
        match self {
            Input::File(path) => Error::Io {
                path: path.to_path_buf(),
                source: e,
            },
            Input::Text(_) => Error::input(format!("reading text: {e}")),
        }
    }
}

fn open_error(path: &Path, e: std::io::Error) -> Error {
    let origin = path.display();
    match e.kind() {
        std::io::ErrorKind::NotFound => Error::input(format!("{origin}: no such file")),
        std::io::ErrorKind::IsADirectory => {
            Error::input(format!("{origin}: is a folder, not a file"))
        }
        _ => Error::Io {
            path: path.to_path_buf(),
            source: e,
        },
    }
}

impl Rows<'_> {
    /// Calls `f(index, record)` on each record in order. Returns whether the export said
    /// that its window has no orders (AliExpress `resp_code` 405, "The result is empty").
    /// `map` names the fields of CSV columns once for all records.
    pub(super) fn each(
        &self,
        origin: &str,
        map: &FieldMap,
        mut f: impl FnMut(usize, Row<'_>) -> Result<()>,
    ) -> Result<bool> {
        let mut object = |i, v| f(i, Row::Object(v));
        match self {
            Rows::Workbook(bytes) => {
                super::workbook::each_row(bytes, origin, object).map(|()| false)
            }
            Rows::Stream {
                input,
                format: Format::Csv,
            } => csv_each(input.open()?, origin, map, f).map(|()| false),
            Rows::Stream {
                input,
                format: Format::Json,
            } => json_each(input.open()?, origin, &mut object),
        }
    }
}

/// Each CSV record under its header. A title line before the header (one cell, as
/// dashboards write "Fee-Earnings reports from 12-01-2019 to 12-20-2019") is skipped.
fn csv_each(
    input: impl Read,
    origin: &str,
    map: &FieldMap,
    mut f: impl FnMut(usize, Row<'_>) -> Result<()>,
) -> Result<()> {
    let mut r = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(false)
        .from_reader(input);
    let mut rec = csv::StringRecord::new();
    let mut read = |rec: &mut csv::StringRecord, i: usize| match r.read_record(rec) {
        Ok(more) => Ok(more),
        Err(e) if matches!(e.kind(), csv::ErrorKind::Utf8 { .. }) => {
            Err(super::encoding::not_utf8(origin, Some(i)))
        }
        Err(e) => Err(Error::input(format!("{origin}: record {i}: {e}"))),
    };
    if !read(&mut rec, 0)? {
        return Ok(());
    }
    let mut headers: Vec<String> = rec.iter().map(|h| h.trim().to_string()).collect();
    // The record read after the header, if reading past a one-cell line found one.
    let mut first = None;
    if headers.len() == 1 {
        let mut next = csv::StringRecord::new();
        if read(&mut next, 0)? {
            if next.len() > 1 {
                headers = next.iter().map(|h| h.trim().to_string()).collect();
            } else {
                first = Some(next);
            }
        }
    }
    let header = Header::new(&headers, map);
    let mut i = 0;
    loop {
        match first.take() {
            Some(r) => rec = r,
            None if !read(&mut rec, i)? => return Ok(()),
            None => {}
        }
        if rec.len() != headers.len() {
            return Err(Error::input(format!(
                "{origin}: record {i}: {} fields, but the header has {}",
                rec.len(),
                headers.len()
            )));
        }
        match &header {
            Some(h) => f(i, Row::Cells(h, &rec))?,
            None => {
                let obj = (headers.iter().zip(rec.iter()))
                    .filter(|(_, v)| !v.is_empty())
                    .map(|(k, v)| (k.clone(), Value::String(v.to_string())))
                    .collect();
                f(i, Row::Object(Value::Object(obj)))?;
            }
        }
        i += 1;
    }
}

/// The path from the AliExpress envelope to its orders.
const ENVELOPE_PATH: &[&str] = &["resp_result", "result", "orders", "order"];

/// Each record of a JSON export, walked to without building the document. Returns whether the
/// export said its window has no orders.
fn json_each(
    input: impl Read,
    origin: &str,
    f: &mut dyn FnMut(usize, Value) -> Result<()>,
) -> Result<bool> {
    let mut sink = Sink {
        f,
        next: 0,
        failed: None,
        envelope: false,
        found: false,
        code: None,
        rest: serde_json::Map::new(),
    };
    let mut de = serde_json::Deserializer::from_reader(input);
    let walked = Top(&mut sink).deserialize(&mut de).and_then(|()| de.end());
    if let Some(e) = sink.failed {
        return Err(e);
    }
    let shape = || {
        Error::input(format!(
            "{origin}: expected an aliexpress_affiliate_order_list_response envelope, an Admitad {{\"results\": [...]}} object, an array of records or one record"
        ))
    };
    // AliExpress answers a window without orders with resp_code 405 and no result.
    let empty = sink.code.as_ref().is_some_and(|c| c.0 == "405");
    let no_orders = || match &sink.code {
        Some((code, msg)) => Error::input(format!(
            "{origin}: AliExpress answered resp_code {code} (\"{msg}\") and no orders"
        )),
        None => Error::input(format!(
            "{origin}: the envelope has no resp_result.result.orders.order"
        )),
    };
    match walked {
        Err(e) if e.to_string().starts_with(DUPLICATE) => Err(Error::input(format!(
            "{origin}: {e}: a record may name a field once (which value is meant cannot be told)"
        ))),
        Err(e) if e.classify() == serde_json::error::Category::Data => {
            Err(if sink.envelope && !sink.found {
                no_orders()
            } else {
                shape()
            })
        }
        Err(e) => Err(Error::input(format!("{origin}: not valid JSON: {e}"))),
        Ok(()) if sink.found => Ok(false),
        Ok(()) if sink.envelope && empty => Ok(true),
        Ok(()) if sink.envelope => Err(no_orders()),
        // An object that is neither an envelope nor Admitad's, with an order's fields: one
        // record on its own.
        Ok(()) if sink.rest.keys().any(|k| super::is_field(k)) => {
            let record = Value::Object(std::mem::take(&mut sink.rest));
            (sink.f)(0, record)?;
            Ok(false)
        }
        Ok(()) => Err(shape()),
    }
}

/// How a duplicate key's error begins.
const DUPLICATE: &str = "duplicate key";

/// Where the walk hands records, and what it met on the way.
struct Sink<'f> {
    f: &'f mut dyn FnMut(usize, Value) -> Result<()>,
    next: usize,
    /// The first error of `f`: it stops the walk and is the walk's answer.
    failed: Option<Error>,
    /// Whether the document was an AliExpress envelope.
    envelope: bool,
    /// Whether the list of records was reached.
    found: bool,
    /// The envelope's `resp_code` and `resp_msg`, as written.
    code: Option<(String, String)>,
    /// The top object's other keys: the record itself when the file is one record.
    rest: serde_json::Map<String, Value>,
}

impl Sink<'_> {
    fn take<E: de::Error>(&mut self, record: Value) -> std::result::Result<(), E> {
        let i = self.next;
        self.next += 1;
        (self.f)(i, record).map_err(|e| {
            self.failed = Some(e);
            E::custom("stopped")
        })
    }
}

/// The document: an array of records or an object holding them.
struct Top<'s, 'f>(&'s mut Sink<'f>);

impl<'de> DeserializeSeed<'de> for Top<'_, '_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Top<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object or an array of records")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> std::result::Result<(), A::Error> {
        List(self.0).visit_seq(seq)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "aliexpress_affiliate_order_list_response" if !self.0.found => {
                    self.0.envelope = true;
                    map.next_value_seed(Down(&mut *self.0, ENVELOPE_PATH))?;
                }
                "results" if !self.0.found => map.next_value_seed(List(&mut *self.0))?,
                _ if self.0.found || self.0.envelope => {
                    map.next_value::<IgnoredAny>()?;
                }
                _ => {
                    let value = map.next_value_seed(Strict)?;
                    if self.0.rest.insert(key.clone(), value).is_some() {
                        return Err(de::Error::custom(format!("{DUPLICATE} \"{key}\"")));
                    }
                }
            }
        }
        Ok(())
    }
}

/// An object on the way to the records: the rest of the path names the keys.
struct Down<'s, 'f>(&'s mut Sink<'f>, &'static [&'static str]);

impl<'de> DeserializeSeed<'de> for Down<'_, '_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Down<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<(), A::Error> {
        let (mut code, mut msg) = (None, String::new());
        while let Some(key) = map.next_key::<String>()? {
            match self.1.split_first() {
                Some((&first, [])) if key == first => {
                    map.next_value_seed(OneOrList(&mut *self.0))?
                }
                Some((&first, rest)) if key == first => {
                    map.next_value_seed(Down(&mut *self.0, rest))?;
                }
                _ if key == "resp_code" => code = Some(text_of(map.next_value()?)),
                _ if key == "resp_msg" => msg = text_of(map.next_value()?),
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        if let Some(code) = code {
            self.0.code = Some((code, msg));
        }
        Ok(())
    }
}

/// A scalar as its text (`405` and `"405"` alike).
fn text_of(v: Value) -> String {
    match v {
        Value::String(s) => s,
        other => other.to_string(),
    }
}

/// An array of records.
struct List<'s, 'f>(&'s mut Sink<'f>);

impl<'de> DeserializeSeed<'de> for List<'_, '_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for List<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of records")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<(), A::Error> {
        self.0.found = true;
        while let Some(record) = seq.next_element_seed(Strict)? {
            self.0.take(record)?;
        }
        Ok(())
    }
}

/// The envelope's `order`: an array of records, or one record on its own.
struct OneOrList<'s, 'f>(&'s mut Sink<'f>);

impl<'de> DeserializeSeed<'de> for OneOrList<'_, '_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for OneOrList<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a record or an array of records")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> std::result::Result<(), A::Error> {
        List(self.0).visit_seq(seq)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> std::result::Result<(), A::Error> {
        let record = Strict.visit_map(map)?;
        self.0.found = true;
        self.0.take(record)
    }
}

/// A JSON value whose objects name each key once: `serde_json::Value` keeps the last of two
/// values under one key without a word, so a record `{"paid_amount": 5, "paid_amount": 5e300}`
/// would be read as whichever came last.
struct Strict;

impl<'de> DeserializeSeed<'de> for Strict {
    type Value = Value;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> std::result::Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Strict {
    type Value = Value;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, b: bool) -> std::result::Result<Value, E> {
        Ok(Value::Bool(b))
    }
    fn visit_i64<E>(self, n: i64) -> std::result::Result<Value, E> {
        Ok(Value::from(n))
    }
    fn visit_u64<E>(self, n: u64) -> std::result::Result<Value, E> {
        Ok(Value::from(n))
    }
    fn visit_f64<E>(self, x: f64) -> std::result::Result<Value, E> {
        Ok(serde_json::Number::from_f64(x).map_or(Value::Null, Value::Number))
    }
    fn visit_str<E>(self, s: &str) -> std::result::Result<Value, E> {
        Ok(Value::String(s.to_owned()))
    }
    fn visit_string<E>(self, s: String) -> std::result::Result<Value, E> {
        Ok(Value::String(s))
    }
    fn visit_unit<E>(self) -> std::result::Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> std::result::Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: de::Deserializer<'de>>(self, d: D) -> std::result::Result<Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<Value, A::Error> {
        let mut out = Vec::new();
        while let Some(v) = seq.next_element_seed(Strict)? {
            out.push(v);
        }
        Ok(Value::Array(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<Value, A::Error> {
        let mut out = serde_json::Map::new();
        while let Some(key) = map.next_key::<String>()? {
            match out.entry(key) {
                serde_json::map::Entry::Vacant(slot) => {
                    slot.insert(map.next_value_seed(Strict)?);
                }
                serde_json::map::Entry::Occupied(slot) => {
                    return Err(de::Error::custom(format!("{DUPLICATE} \"{}\"", slot.key())));
                }
            }
        }
        Ok(Value::Object(out))
    }
}
