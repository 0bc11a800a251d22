//! Any order report (CSV, JSON array, .xlsx; mapped headers, money written for people): any
//! bytes give records or a bad-input error, never a panic.
#![no_main]

use affcast::exports::{self, FieldMap, Source};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(rows) = exports::xlsx_records(data, "fuzz.xlsx") {
        let _ = rows.len();
    }
    let Ok(text) = std::str::from_utf8(data) else { return };
    let map = FieldMap::parse("commission=Estimated Commission").expect("a valid map");
    for source in [Some(Source::Generic), None] {
        match exports::parse_with(text, "fuzz.csv", source, &map) {
            Ok(export) => {
                let _ = affcast::fit::groups::breakdown(&export, affcast::fit::groups::By::SubId, None);
            }
            Err(e) => assert_eq!(e.exit_code(), 2, "{e}"),
        }
    }
});
