//! The Aliexpress export reader (JSON envelope, bare array, CSV): any text gives records or a
//! bad-input error, never a panic. Records also go through detection and the pipeline.
#![no_main]

use affcast::exports::{self as records, Source};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    for source in [Some(Source::Aliexpress), None] {
        match records::parse(text, "fuzz.json", source) {
            Ok(export) => {
                let sc = affcast::scenario::builtin();
                let _ = affcast::pipeline::Pipeline::from_export(&export, &sc).opening();
            }
            Err(e) => assert_eq!(e.exit_code(), 2, "{e}"),
        }
    }
});
