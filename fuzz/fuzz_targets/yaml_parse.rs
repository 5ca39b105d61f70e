//! Fuzzes the YAML loader, including its alias budget and the repair of
//! quoted scalars indented like their key.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = phiguard_iac::yaml::parse(text);
    }
});
