//! Fuzzes the whole input pipeline: decoding, kind detection, the Terraform
//! and CloudFormation front ends and every service adapter. The first byte
//! picks the file name, so both the JSON and the YAML paths are reached.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, content)) = data.split_first() else { return };
    let label = match selector % 3 {
        0 => "input.json",
        1 => "input.yaml",
        _ => "input.template",
    };
    let _ = phiguard_iac::load(label, content, 1 << 20);
});
