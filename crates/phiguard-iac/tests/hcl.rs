//! The Terraform HCL front end: what it evaluates from the configuration
//! alone, what it leaves unknown and why, and how it handles module
//! directories, bad files and crafted input.

use std::path::Path;

use phiguard_iac::hcl::{load_directory, load_files, HclFile, ModuleLoad};
use phiguard_iac::node::{Node, NodeKind};
use phiguard_iac::raw::RawResource;

fn load(files: &[(&str, &str)]) -> ModuleLoad {
    let files = files.iter().map(|(label, text)| HclFile { label: (*label).to_owned(), text: (*text).to_owned() }).collect();
    let load = load_files("module", files, None, u64::MAX);
    load
}

fn only(files: &[(&str, &str)]) -> ModuleLoad {
    let load = load(files);
    assert!(load.errors.is_empty(), "unexpected errors: {:?}", load.errors.iter().map(|e| e.error.to_string()).collect::<Vec<_>>());
    load
}

fn resource<'a>(load: &'a ModuleLoad, address: &str) -> &'a RawResource {
    load.set.get(address).unwrap_or_else(|| {
        let known: Vec<&str> = load.set.resources.iter().map(|raw| raw.address.as_str()).collect();
        panic!("no resource {address}; the module has {known:?}")
    })
}

fn at<'a>(raw: &'a RawResource, path: &str) -> &'a Node {
    let mut node = &raw.props;
    for key in path.split('.') {
        node = node.block(key).unwrap_or_else(|| panic!("{}: no `{path}` in {:?}", raw.address, raw.props.to_json()));
    }
    node
}

fn text(raw: &RawResource, path: &str) -> String {
    match &at(raw, path).kind {
        NodeKind::String(value) => value.clone(),
        other => panic!("{}: `{path}` is {other:?}", raw.address),
    }
}

fn unknown_reason(raw: &RawResource, path: &str) -> String {
    at(raw, path).unknown_reason().unwrap_or_else(|| panic!("{}: `{path}` is known: {:?}", raw.address, at(raw, path))).to_owned()
}

#[test]
fn variables_take_tfvars_over_defaults() {
    let load = only(&[
        (
            "main.tf",
            r#"
variable "algorithm" { default = "AES256" }
variable "retention" { default = 7 }
variable "name" {}
resource "aws_db_instance" "db" {
  backup_retention_period = var.retention
  kms_key_id              = var.algorithm
  identifier              = var.name
}
"#,
        ),
        ("terraform.tfvars", "retention = 35\n"),
        ("prod.auto.tfvars", "algorithm = \"aws:kms\"\n"),
    ]);
    let db = resource(&load, "aws_db_instance.db");
    assert_eq!(at(db, "backup_retention_period").as_i64(), Some(35));
    assert_eq!(text(db, "kms_key_id"), "aws:kms");
    let reason = unknown_reason(db, "identifier");
    assert!(reason.contains("`name`"), "{reason}");
    assert!(reason.contains("no default"), "{reason}");
}

#[test]
fn locals_conditionals_and_functions_evaluate() {
    let load = only(&[(
        "main.tf",
        r#"
variable "environment" { default = "prod" }
locals {
  is_prod = var.environment == "prod"
  tags    = merge({ Team = "records" }, { Environment = upper(var.environment) })
  name    = format("%s-%s", "patients", var.environment)
  sizes   = { small = 7, large = 35 }
}
resource "aws_s3_bucket" "b" {
  bucket = "${local.name}-bucket"
  tags   = local.tags
}
resource "aws_db_instance" "db" {
  backup_retention_period = local.is_prod ? lookup(local.sizes, "large", 1) : 1
  storage_encrypted       = try(local.sizes.medium, true)
  multi_az                = can(local.sizes.medium)
  engine                  = join("-", [for part in ["post", "gres"] : part])
  port                    = length(keys(local.sizes)) * 1000 + 432
}
"#,
    )]);
    let bucket = resource(&load, "aws_s3_bucket.b");
    assert_eq!(text(bucket, "bucket"), "patients-prod-bucket");
    assert_eq!(text(bucket, "tags.Environment"), "PROD");
    let db = resource(&load, "aws_db_instance.db");
    assert_eq!(at(db, "backup_retention_period").as_i64(), Some(35));
    assert_eq!(at(db, "storage_encrypted").as_bool(), Some(true));
    assert_eq!(at(db, "multi_az").as_bool(), Some(false));
    assert_eq!(text(db, "engine"), "post-gres");
    assert_eq!(at(db, "port").as_i64(), Some(2432));
}

#[test]
fn resource_references_are_unknown_and_linked() {
    let load = only(&[
        ("bucket.tf", "resource \"aws_s3_bucket\" \"records\" {\n  bucket_prefix = \"records\"\n}\n"),
        (
            "encryption.tf",
            r#"
locals { bucket = aws_s3_bucket.records.id }
resource "aws_kms_key" "k" {}
resource "aws_s3_bucket_server_side_encryption_configuration" "records" {
  bucket = local.bucket
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.k.arn
    }
  }
}
"#,
        ),
    ]);
    let encryption = resource(&load, "aws_s3_bucket_server_side_encryption_configuration.records");
    assert_eq!(unknown_reason(encryption, "bucket"), "known only after apply");
    // The reference through a local still links the resources.
    assert_eq!(encryption.references.get("bucket"), Some(&vec!["aws_s3_bucket.records".to_owned()]));
    assert_eq!(
        encryption.references.get("rule.apply_server_side_encryption_by_default.kms_master_key_id"),
        Some(&vec!["aws_kms_key.k".to_owned()])
    );
    // Each resource keeps the file it is declared in.
    assert_eq!(&*encryption.location.file, "encryption.tf");
    assert_eq!(&*resource(&load, "aws_s3_bucket.records").location.file, "bucket.tf");
}

#[test]
fn data_and_module_outputs_unknown() {
    let load = only(&[(
        "main.tf",
        r#"
data "aws_iam_policy_document" "p" {}
resource "aws_iam_policy" "p" {
  policy = data.aws_iam_policy_document.p.json
}
resource "aws_security_group_rule" "r" {
  cidr_blocks = [module.vpc.vpc_cidr_block]
}
"#,
    )]);
    let reason = unknown_reason(resource(&load, "aws_iam_policy.p"), "policy");
    assert!(reason.contains("data.aws_iam_policy_document.p"), "{reason}");
    let rule = resource(&load, "aws_security_group_rule.r");
    let cidrs = rule.props.get("cidr_blocks").and_then(Node::as_seq).expect("a list");
    assert!(cidrs[0].unknown_reason().unwrap().contains("module `vpc`"), "{:?}", cidrs[0]);
}

#[test]
fn count_and_for_each_expand_instances() {
    let load = only(&[(
        "main.tf",
        r#"
variable "create" { default = false }
resource "aws_sqs_queue" "skipped" {
  count = var.create ? 1 : 0
}
resource "aws_sqs_queue" "numbered" {
  count = 2
  name  = "queue-${count.index}"
}
resource "aws_sqs_queue" "named" {
  for_each = { intake = 14, billing = 4 }
  name                      = each.key
  message_retention_seconds = each.value * 86400
}
resource "aws_sqs_queue" "set" {
  for_each = toset(["a", "b", "a"])
  name     = each.value
}
"#,
    )]);
    let addresses: Vec<&str> = load.set.resources.iter().map(|raw| raw.address.as_str()).collect();
    assert_eq!(
        addresses,
        [
            "aws_sqs_queue.numbered[0]",
            "aws_sqs_queue.numbered[1]",
            "aws_sqs_queue.named[\"billing\"]",
            "aws_sqs_queue.named[\"intake\"]",
            "aws_sqs_queue.set[\"a\"]",
            "aws_sqs_queue.set[\"b\"]",
        ]
    );
    assert_eq!(text(resource(&load, "aws_sqs_queue.numbered[1]"), "name"), "queue-1");
    let intake = resource(&load, "aws_sqs_queue.named[\"intake\"]");
    assert_eq!(at(intake, "message_retention_seconds").as_i64(), Some(14 * 86400));
}

#[test]
fn unknown_count_scans_one_instance_and_says_so() {
    let load = only(&[(
        "main.tf",
        "variable \"n\" {}\nresource \"aws_sqs_queue\" \"q\" {\n  count = var.n\n  name = \"q-${count.index}\"\n}\n",
    )]);
    let queue = resource(&load, "aws_sqs_queue.q");
    assert!(unknown_reason(queue, "name").contains("count"), "{:?}", at(queue, "name"));
    assert!(load.notes.iter().any(|note| note.contains("main.tf:3") && note.contains("one instance")), "{:?}", load.notes);
    let existence = queue.existence.as_deref().expect("the queue may not be created");
    assert!(existence.contains("`count` of aws_sqs_queue.q"), "{existence}");
}

#[test]
fn unknown_module_for_each_reaches_its_resources() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "main.tf", "variable \"regions\" {}\nmodule \"queues\" {\n  source   = \"./queues\"\n  for_each = var.regions\n}\nresource \"aws_sqs_queue\" \"root\" {}\n");
    write(dir.path(), "queues/main.tf", "resource \"aws_sqs_queue\" \"this\" {}\n");
    let load = load_directory("root", dir.path(), u64::MAX);
    let queue = resource(&load, "module.queues.aws_sqs_queue.this");
    let existence = queue.existence.as_deref().expect("the module's queue may not be created");
    assert!(existence.contains("`for_each` of module.queues"), "{existence}");
    assert_eq!(resource(&load, "aws_sqs_queue.root").existence, None);
}

#[test]
fn dynamic_blocks_expand_or_stay_unknown() {
    let load = only(&[(
        "main.tf",
        r#"
variable "ports" { default = [443, 5432] }
variable "other" {}
resource "aws_security_group" "known" {
  dynamic "ingress" {
    for_each = var.ports
    content {
      from_port   = ingress.value
      to_port     = ingress.value
      protocol    = "tcp"
      cidr_blocks = ["10.0.0.0/8"]
    }
  }
}
resource "aws_security_group" "unknown" {
  dynamic "ingress" {
    for_each = var.other
    iterator = rule
    content {
      from_port = rule.value
    }
  }
}
"#,
    )]);
    let known = resource(&load, "aws_security_group.known");
    let rules = known.props.get("ingress").and_then(Node::as_seq).expect("a list of ingress blocks");
    let ports: Vec<Option<i64>> = rules.iter().map(|rule| rule.get("from_port").and_then(Node::as_i64)).collect();
    assert_eq!(ports, [Some(443), Some(5432)]);
    let reason = unknown_reason(resource(&load, "aws_security_group.unknown"), "ingress");
    assert!(reason.contains("dynamic \"ingress\""), "{reason}");
    assert!(reason.contains("`other`"), "{reason}");
}

#[test]
fn jsonencode_keeps_policies_with_unknown_resources() {
    let load = only(&[(
        "main.tf",
        r#"
resource "aws_s3_bucket" "b" {}
resource "aws_s3_bucket_policy" "tls" {
  bucket = aws_s3_bucket.b.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Deny"
      Principal = "*"
      Action    = "s3:*"
      Resource  = [aws_s3_bucket.b.arn, "${aws_s3_bucket.b.arn}/*"]
      Condition = { Bool = { "aws:SecureTransport" = "false" } }
    }]
  })
}
resource "aws_s3_bucket_policy" "unknown_principal" {
  bucket = aws_s3_bucket.b.id
  policy = jsonencode({
    Statement = [{ Effect = "Allow", Principal = { AWS = aws_s3_bucket.b.arn }, Action = "s3:GetObject" }]
  })
}
"#,
    )]);
    let policy = text(resource(&load, "aws_s3_bucket_policy.tls"), "policy");
    let json: serde_json::Value = serde_json::from_str(&policy).expect("the policy is JSON");
    assert_eq!(json["Statement"][0]["Condition"]["Bool"]["aws:SecureTransport"], "false");
    // An unknown principal decides who gets access, so the document is unknown.
    assert_eq!(unknown_reason(resource(&load, "aws_s3_bucket_policy.unknown_principal"), "policy"), "known only after apply");
}

#[test]
fn provider_default_tags_reach_every_aws_resource() {
    let load = only(&[(
        "main.tf",
        r#"
provider "aws" {
  default_tags {
    tags = { DataClass = "ephi" }
  }
}
provider "aws" {
  alias = "other"
  default_tags {
    tags = { DataClass = "public" }
  }
}
resource "aws_dynamodb_table" "t" {
  tags = { Owner = "records" }
}
resource "random_id" "r" {}
"#,
    )]);
    let table = resource(&load, "aws_dynamodb_table.t");
    assert_eq!(text(table, "tags_all.DataClass"), "ephi");
    assert_eq!(text(table, "tags_all.Owner"), "records");
    assert!(resource(&load, "random_id.r").props.get("tags_all").is_none());
}

#[test]
fn default_tags_survive_unknown_own_tags() {
    let load = only(&[(
        "main.tf",
        "variable \"extra\" {}\nprovider \"aws\" {\n  default_tags {\n    tags = { DataClassification = \"ephi\" }\n  }\n}\nresource \"aws_sqs_queue\" \"q\" {\n  tags = var.extra\n}\n",
    )]);
    let queue = resource(&load, "aws_sqs_queue.q");
    assert_eq!(text(queue, "tags_all.DataClassification"), "ephi");
}

#[test]
fn values_point_at_the_attribute_that_sets_them() {
    let load = only(&[
        ("variables.tf", "variable \"encrypted\" {\n  default = false\n}\n"),
        ("main.tf", "resource \"aws_ebs_volume\" \"v\" {\n  size      = 10\n  encrypted = var.encrypted\n}\n"),
    ]);
    let volume = resource(&load, "aws_ebs_volume.v");
    let encrypted = at(volume, "encrypted");
    assert_eq!((encrypted.line, encrypted.column), (3, 15));
    assert_eq!((volume.location.line, volume.location.column), (1, 1));
}

#[test]
fn bad_file_errors_others_load() {
    let load = load(&[
        ("broken.tf", "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \n}\n"),
        ("good.tf", "resource \"aws_sqs_queue\" \"q\" {}\n"),
    ]);
    assert_eq!(load.errors.len(), 1);
    let error = &load.errors[0];
    assert_eq!(error.file, "broken.tf");
    assert!(error.error.line.is_some(), "{}", error.error);
    assert!(error.error.message.contains("invalid HCL"), "{}", error.error);
    assert!(load.set.get("aws_sqs_queue.q").is_some());
}

#[test]
fn crafted_input_is_refused_or_bounded() {
    // Deep nesting would overflow the parser's stack.
    let deep = format!("locals {{ x = {}1{} }}\n", "[".repeat(5000), "]".repeat(5000));
    let load = load(&[("deep.tf", &deep)]);
    assert_eq!(load.errors.len(), 1, "deep nesting must be refused");
    assert!(load.errors[0].error.message.contains("nest"), "{}", load.errors[0].error);

    // A local that refers to itself, a huge range and a huge count end.
    let load = only(&[(
        "main.tf",
        r#"
locals {
  a = local.b
  b = local.a
}
resource "aws_sqs_queue" "cycle" {
  name = local.a
  tags = { n = length(range(100000000)) }
}
resource "aws_sqs_queue" "many" {
  count = 1000000000
}
"#,
    )]);
    let cycle = resource(&load, "aws_sqs_queue.cycle");
    assert!(unknown_reason(cycle, "name").contains("refers to itself"));
    assert!(unknown_reason(cycle, "tags.n").contains("range"), "{:?}", at(cycle, "tags"));
    assert!(load.set.resources.len() <= 50_000);
    assert!(load.notes.iter().any(|note| note.contains("50000")), "{:?}", load.notes);
}

#[test]
fn override_files_merge_into_blocks() {
    let load = only(&[
        (
            "main.tf",
            r#"
variable "retention" { default = 30 }
locals {
  encrypted = true
}
resource "aws_ebs_volume" "v" {
  encrypted = local.encrypted
  kms_key_id = aws_kms_key.k.arn
  tags = { retention = var.retention }
}
resource "aws_s3_bucket_server_side_encryption_configuration" "e" {
  bucket = "records"
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "aws:kms"
    }
  }
}
resource "aws_sqs_queue" "q" {
  count = 1
}
"#,
        ),
        (
            "main_override.tf",
            r#"
variable "retention" { default = 1 }
locals {
  encrypted = false
}
resource "aws_ebs_volume" "v" {
  kms_key_id = null
}
resource "aws_s3_bucket_server_side_encryption_configuration" "e" {
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}
resource "aws_sqs_queue" "q" {
  count = 0
}
"#,
        ),
    ]);
    let volume = resource(&load, "aws_ebs_volume.v");
    assert_eq!(at(volume, "encrypted").as_bool(), Some(false), "the override's local replaces the original");
    assert!(volume.props.get("kms_key_id").is_some_and(Node::is_null), "{:?}", volume.props.to_json());
    assert!(!volume.references.contains_key("kms_key_id"), "{:?}", volume.references);
    assert_eq!(at(volume, "tags.retention").as_i64(), Some(1));
    let encryption = resource(&load, "aws_s3_bucket_server_side_encryption_configuration.e");
    assert_eq!(text(encryption, "bucket"), "records");
    assert_eq!(text(encryption, "rule.apply_server_side_encryption_by_default.sse_algorithm"), "AES256");
    // Findings name the resource's file, so a value from the override
    // points at the resource block there.
    let algorithm = at(encryption, "rule.apply_server_side_encryption_by_default.sse_algorithm");
    assert_eq!(&*encryption.location.file, "main.tf");
    assert_eq!(algorithm.line, 11);
    assert!(load.notes.iter().any(|note| note.starts_with("main_override.tf:9:") && note.contains("main.tf:11")), "{:?}", load.notes);
    assert!(load.set.get("aws_sqs_queue.q[0]").is_none(), "the override's count = 0 removes the queue");
}

#[test]
fn override_module_arguments_replace_the_call() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "main.tf", "module \"db\" {\n  source    = \"./db\"\n  encrypted = true\n}\n");
    write(dir.path(), "override.tf", "module \"db\" {\n  encrypted = false\n}\n");
    write(
        dir.path(),
        "db/main.tf",
        "variable \"encrypted\" {}\nresource \"aws_db_instance\" \"this\" {\n  storage_encrypted = var.encrypted\n}\n",
    );
    let load = load_directory("root", dir.path(), u64::MAX);
    let db = resource(&load, "module.db.aws_db_instance.this");
    assert_eq!(at(db, "storage_encrypted").as_bool(), Some(false));
}

fn write(dir: &Path, path: &str, text: &str) {
    let path = dir.join(path);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

#[test]
fn local_modules_are_followed_with_their_inputs() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "main.tf",
        r#"
module "db" {
  source    = "./modules/db"
  encrypted = false
}
module "replicas" {
  source   = "./modules/db"
  for_each = toset(["east", "west"])
  name     = each.key
}
module "registry" {
  source  = "terraform-aws-modules/rds/aws"
  version = "6.0.0"
}
module "loop" {
  source = "./"
}
"#,
    );
    write(
        dir.path(),
        "modules/db/main.tf",
        r#"
variable "encrypted" { default = true }
variable "name" { default = "primary" }
resource "aws_db_instance" "this" {
  identifier        = var.name
  storage_encrypted = var.encrypted
}
"#,
    );
    let load = load_directory("root", dir.path(), u64::MAX);
    assert!(load.errors.is_empty(), "{:?}", load.errors.iter().map(|e| e.error.to_string()).collect::<Vec<_>>());
    let db = resource(&load, "module.db.aws_db_instance.this");
    assert_eq!(at(db, "storage_encrypted").as_bool(), Some(false));
    assert_eq!(&*db.location.file, "root/modules/db/main.tf");
    let east = resource(&load, "module.replicas[\"east\"].aws_db_instance.this");
    assert_eq!(text(east, "identifier"), "east");
    assert_eq!(at(east, "storage_encrypted").as_bool(), Some(true));
    assert!(
        load.notes.iter().any(|note| note.contains("module `registry`") && note.contains("terraform init")),
        "{:?}",
        load.notes
    );
    // The module that calls its own directory is a cycle, noted once.
    let cycle_notes: Vec<&String> = load.notes.iter().filter(|note| note.contains("never end")).collect();
    assert_eq!(cycle_notes.len(), 1, "{:?}", load.notes);
    assert!(cycle_notes[0].contains("module `loop`"), "{cycle_notes:?}");
    assert!(load.set.resources.iter().all(|raw| !raw.address.starts_with("module.loop")), "{:?}", load.set.resources.len());
}

#[test]
fn installed_registry_modules_are_read_after_terraform_init() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "main.tf", "module \"bucket\" {\n  source = \"terraform-aws-modules/s3-bucket/aws\"\n}\n");
    write(
        dir.path(),
        ".terraform/modules/modules.json",
        r#"{"Modules":[{"Key":"","Source":"","Dir":"."},{"Key":"bucket","Source":"registry.terraform.io/terraform-aws-modules/s3-bucket/aws","Dir":".terraform/modules/bucket"}]}"#,
    );
    write(dir.path(), ".terraform/modules/bucket/main.tf", "resource \"aws_s3_bucket\" \"this\" {\n  bucket = \"records\"\n}\n");
    let load = load_directory("root", dir.path(), u64::MAX);
    let bucket = resource(&load, "module.bucket.aws_s3_bucket.this");
    assert_eq!(text(bucket, "bucket"), "records");
    assert_eq!(&*bucket.location.file, "root/.terraform/modules/bucket/main.tf");
}

#[test]
fn comparisons_with_unknowns_stay_unknown() {
    let load = only(&[(
        "main.tf",
        r#"
variable "mode" {}
variable "other" {}
resource "aws_ebs_volume" "v" {
  lists_equal     = [aws_kms_key.a.arn] == [aws_kms_key.b.arn]
  maps_equal      = { k = data.x.y.z } == { k = data.x.y.z }
  lists_differ    = [var.mode] != ["off"]
  contains        = contains([var.mode], "off")
  distinct_length = length(distinct([var.mode, var.other]))
  toset_length    = length(toset([var.mode, "x"]))
  flatten_length  = length(flatten([var.mode, ["a"]]))
  compact_length  = length(compact([var.mode, "a"]))
  joined          = try(join(",", [var.mode]), "fallback")
  can_join        = can(join(",", [var.mode]))
}
"#,
    )]);
    let volume = resource(&load, "aws_ebs_volume.v");
    for path in [
        "lists_equal",
        "maps_equal",
        "lists_differ",
        "contains",
        "distinct_length",
        "toset_length",
        "flatten_length",
        "compact_length",
        "joined",
        "can_join",
    ] {
        assert!(at(volume, path).unknown_reason().is_some(), "`{path}` is known: {:?}", at(volume, path).to_json());
    }
}

#[test]
fn comparisons_with_a_known_difference_decide() {
    let load = only(&[(
        "main.tf",
        r#"
variable "mode" {}
resource "aws_ebs_volume" "v" {
  different_length = [var.mode] == [var.mode, 1]
  different_known  = [var.mode, "a"] == [var.mode, "b"]
  contains_known   = contains([var.mode, "off"], "off")
  set_length       = length(toset(["a", "b", "a"]))
}
"#,
    )]);
    let volume = resource(&load, "aws_ebs_volume.v");
    assert_eq!(at(volume, "different_length").as_bool(), Some(false));
    assert_eq!(at(volume, "different_known").as_bool(), Some(false));
    assert_eq!(at(volume, "contains_known").as_bool(), Some(true));
    assert_eq!(at(volume, "set_length").as_i64(), Some(2));
}

/// Returns locals `name0` to `name{levels}` where each level doubles the
/// one before with `step` (`{previous}` stands for the previous local).
fn doubling_locals(name: &str, first: &str, step: &str, levels: usize) -> String {
    let mut text = format!("locals {{\n  {name}0 = {first}\n");
    for level in 1..=levels {
        let previous = format!("local.{name}{}", level - 1);
        text.push_str(&format!("  {name}{level} = {}\n", step.replace("{previous}", &previous)));
    }
    text.push_str("}\n");
    text
}

#[test]
fn doubling_string_is_unknown() {
    // 24 doublings of 16 bytes make a 256 MiB string.
    let mut text = doubling_locals("s", "\"0123456789abcdef\"", "\"${{previous}}${{previous}}\"", 24);
    text.push_str("resource \"aws_sqs_queue\" \"q\" {\n  name = local.s24\n}\n");
    let load = only(&[("main.tf", &text)]);
    let queue = resource(&load, "aws_sqs_queue.q");
    assert!(unknown_reason(queue, "name").contains("longer than"), "{}", unknown_reason(queue, "name"));
}

#[test]
fn doubling_list_is_unknown() {
    // 22 doublings make a list of four million elements.
    let mut text = doubling_locals("l", "[\"x\"]", "concat({previous}, {previous})", 22);
    text.push_str("resource \"aws_sqs_queue\" \"q\" {\n  name = length(local.l22)\n}\n");
    let load = only(&[("main.tf", &text)]);
    let queue = resource(&load, "aws_sqs_queue.q");
    assert!(unknown_reason(queue, "name").contains("too complex"), "{}", unknown_reason(queue, "name"));
    assert!(load.notes.iter().any(|note| note.contains("evaluation steps")), "{:?}", load.notes);
}

#[test]
fn nested_for_product_is_unknown() {
    let load = only(&[(
        "main.tf",
        r#"
locals {
  r = range(3000)
  a = [for i in local.r : local.r]
  b = [for i in local.r : local.a]
}
resource "aws_sqs_queue" "q" {
  name = local.b[2999][2999][2999]
}
"#,
    )]);
    let queue = resource(&load, "aws_sqs_queue.q");
    assert!(unknown_reason(queue, "name").contains("too complex"), "{}", unknown_reason(queue, "name"));
    assert!(load.notes.iter().any(|note| note.contains("evaluation steps")), "{:?}", load.notes);
}

#[test]
fn long_splat_chain_is_bounded() {
    let text = format!("locals {{\n  l = [1]\n}}\nresource \"aws_sqs_queue\" \"q\" {{\n  name = local.l{}\n}}\n", "[*]".repeat(50_000));
    let load = only(&[("main.tf", &text)]);
    let queue = resource(&load, "aws_sqs_queue.q");
    // Each splat over a non-list wraps it in a list, so the depth limit
    // leaves an unknown at the bottom of nested lists.
    let json = at(queue, "name").to_json().to_string();
    assert!(json.contains("too deeply nested"), "{json:.200}");
}

#[test]
fn module_for_each_bomb_is_bounded() {
    // A chain of 15 modules, each calling the next 20 times, would expand
    // to 20^15 instances.
    let dir = tempfile::tempdir().unwrap();
    let for_each = "toset([for i in range(20) : tostring(i)])";
    write(dir.path(), "main.tf", &format!("module \"next\" {{\n  source   = \"./level1\"\n  for_each = {for_each}\n}}\n"));
    for level in 1..=15 {
        write(
            dir.path(),
            &format!("level{level}/main.tf"),
            &format!(
                "module \"next\" {{\n  source   = \"../level{}\"\n  for_each = {for_each}\n}}\nresource \"aws_sqs_queue\" \"q\" {{}}\n",
                level + 1
            ),
        );
    }
    let load = load_directory("root", dir.path(), u64::MAX);
    assert!(load.set.resources.len() <= 50_000, "{}", load.set.resources.len());
    assert!(load.notes.iter().any(|note| note.contains("module instances")), "{:?}", load.notes);
}

#[test]
fn broken_child_module_is_reported_once() {
    let dir = tempfile::tempdir().unwrap();
    // The broken module is called once for each of three callers.
    write(dir.path(), "main.tf", "module \"outer\" {\n  source = \"./outer\"\n  count  = 3\n}\n");
    write(dir.path(), "outer/main.tf", "module \"m\" {\n  source = \"../m\"\n}\n");
    write(dir.path(), "m/main.tf", "resource \"aws_sqs_queue\" \"q\" {\n  name = \n}\n");
    let load = load_directory("root", dir.path(), u64::MAX);
    assert_eq!(load.errors.len(), 1, "{:?}", load.errors.iter().map(|e| e.error.to_string()).collect::<Vec<_>>());
    assert_eq!(load.errors[0].file, "root/m/main.tf");
}

#[test]
fn range_min_max_read_every_number() {
    let load = only(&[(
        "main.tf",
        r#"
resource "aws_sqs_queue" "q" {
  huge_range     = length(range(0, 90071992547409920, 1))
  fraction_range = range(0.5, 3)
  max_fraction   = max(0.5, 0.25)
  min_string     = min("3", 2.5)
}
"#,
    )]);
    let queue = resource(&load, "aws_sqs_queue.q");
    assert!(unknown_reason(queue, "huge_range").contains("range"), "{:?}", at(queue, "huge_range"));
    // `at` reads a list as a nested block, so the list is read directly.
    let fractions: Vec<f64> = queue
        .props
        .get("fraction_range")
        .and_then(Node::as_seq)
        .unwrap()
        .iter()
        .map(|item| match item.kind {
            NodeKind::Number(number) => number,
            _ => panic!("{item:?}"),
        })
        .collect();
    assert_eq!(fractions, [0.5, 1.5, 2.5]);
    assert_eq!(at(queue, "max_fraction").kind, NodeKind::Number(0.5));
    assert_eq!(at(queue, "min_string").kind, NodeKind::Number(2.5));
}

#[test]
fn variable_types_fill_optional_attributes() {
    let load = only(&[
        (
            "main.tf",
            r#"
variable "settings" {
  type = object({
    name      = string
    encrypted = optional(bool, false)
    retention = optional(number)
    rules     = optional(list(object({ port = number, public = optional(bool, true) })), [])
  })
  default = { name = "records", extra = "dropped", rules = [{ port = "22" }] }
}
variable "enabled" {
  type = bool
}
resource "aws_ebs_volume" "v" {
  encrypted    = try(var.settings.encrypted, true)
  looked_up    = lookup(var.settings, "encrypted", true)
  retention    = var.settings.retention
  extra        = lookup(var.settings, "extra", "absent")
  port         = var.settings.rules[0].port
  public       = var.settings.rules[0].public
  enabled_true = var.enabled == true
}
"#,
        ),
        ("terraform.tfvars", "enabled = \"true\"\n"),
    ]);
    let volume = resource(&load, "aws_ebs_volume.v");
    assert_eq!(at(volume, "encrypted").as_bool(), Some(false), "the optional default, not the `try` fallback");
    assert_eq!(at(volume, "looked_up").as_bool(), Some(false), "the optional default, not the `lookup` fallback");
    assert!(volume.props.get("retention").is_some_and(Node::is_null), "{:?}", volume.props.to_json());
    assert_eq!(text(volume, "extra"), "absent", "an undeclared attribute is dropped");
    assert_eq!(at(volume, "port").kind, NodeKind::Number(22.0));
    assert_eq!(at(volume, "public").as_bool(), Some(true));
    assert_eq!(at(volume, "enabled_true").as_bool(), Some(true), "the string \"true\" converts to a bool");
}

#[test]
fn installed_module_outside_root_keeps_its_path() {
    let root = tempfile::tempdir().unwrap();
    let outside = tempfile::tempdir().unwrap();
    write(outside.path(), "main.tf", "resource \"aws_sqs_queue\" \"q\" {}\n");
    write(root.path(), "main.tf", "module \"queue\" {\n  source = \"example/queue/aws\"\n}\n");
    let modules = serde_json::json!({"Modules": [{"Key": "queue", "Source": "example/queue/aws", "Dir": outside.path()}]});
    write(root.path(), ".terraform/modules/modules.json", &modules.to_string());
    let load = load_directory("root", root.path(), u64::MAX);
    let queue = resource(&load, "module.queue.aws_sqs_queue.q");
    assert_eq!(Path::new(&*queue.location.file), outside.path().join("main.tf"));
}
