//! Fuzzes the position-tracking JSON parser: any input must parse or return
//! an error, never panic or overflow the stack.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = phiguard_iac::json::parse(text);
    }
});
