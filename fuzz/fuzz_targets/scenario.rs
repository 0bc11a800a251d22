//! The scenario parser and validator: any text gives a scenario or a bad-input error, never
//! a panic; a valid scenario describes and estimates its work without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    match affcast::scenario::parse(text, "fuzz.toml") {
        Ok(sc) => {
            let _ = affcast::engine::estimate(&sc, 1, 1, true);
            let _ = sc.calendar();
            let _ = sc.centralized();
        }
        Err(e) => assert_eq!(e.exit_code(), 2, "{e}"),
    }
});
