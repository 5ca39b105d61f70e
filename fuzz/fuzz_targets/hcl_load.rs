//! Fuzzes the Terraform HCL front end: parsing, expression evaluation,
//! instance expansion and every service adapter. The input is split at
//! the first NUL byte into a `.tf` file and a `terraform.tfvars` file, so
//! variable values from both places are reached.
#![no_main]

use libfuzzer_sys::fuzz_target;
use phiguard_iac::hcl::HclFile;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (configuration, variables) = text.split_once('\0').unwrap_or((&text, ""));
    let files = vec![
        HclFile { label: "main.tf".to_owned(), text: configuration.to_owned() },
        HclFile { label: "terraform.tfvars".to_owned(), text: variables.to_owned() },
    ];
    let _ = phiguard_iac::load_terraform_files("module", files, 1 << 20);
});
