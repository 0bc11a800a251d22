//! The clicks CSV: any text gives clicks or a bad-input error naming the line, never a panic.
#![no_main]

use affcast::exports::Clicks;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Err(e) = Clicks::parse_text(text, "fuzz.csv") {
        assert_eq!(e.exit_code(), 2, "{e}");
    }
});
