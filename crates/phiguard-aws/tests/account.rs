//! Live account scan tests against moto's server: the inventory and its
//! model, the SCP levels read from AWS Organizations and the verdicts of the
//! SCP rules on them, and the read-only guard. Resources of services whose
//! Rust SDK phiguard does not use are created with boto3.
//!
//! moto makes the caller's account (123456789012) the management account of
//! the organization it creates, and it returns ListParents results only to
//! the management account. The member account's SCPs are
//! therefore read with the management account's credentials, as a delegated
//! administrator would read them.

mod support;

use phiguard_aws::account::{SCP_RESOURCE_TYPE, UNTAGGED_NOTE};
use phiguard_aws::aws_sdk_organizations::types::{OrganizationFeatureSet, PolicyType};
use phiguard_aws::aws_sdk_s3::types::{Tag, Tagging};
use phiguard_aws::guard::is_read_only;
use phiguard_aws::organizations::read_scps;
use phiguard_aws::{scan_account, Aws, ScpAccounts};
use phiguard_catalog::scp::{generate, ScpOptions, Strategy};
use phiguard_catalog::Catalog;
use phiguard_model::services::{ScpHierarchy, ScpTarget, ServiceControlPolicies};
use phiguard_model::{Attr, FindingResult, Location, Model, Resource, ResourceKind};
use phiguard_rules::Rule;
use support::Moto;

/// The account moto gives every request made with the test credentials.
const ACCOUNT: &str = "123456789012";
const FULL_AWS_ACCESS: &str = "p-FullAWSAccess";

/// Creates the bucket `records`, tagged as holding PHI, and the untagged bucket `scratch`.
fn seed_buckets(aws: &Aws) {
    let client = aws.s3();
    for bucket in ["records", "scratch"] {
        aws.block_on(client.create_bucket().bucket(bucket).send()).expect("create bucket");
    }
    let tag = Tag::builder().key("DataClassification").value("phi").build().unwrap();
    let tagging = Tagging::builder().tag_set(tag).build().unwrap();
    aws.block_on(client.put_bucket_tagging().bucket("records").tagging(tagging).send()).expect("tag bucket");
}

/// The organization the tests build: a root, an OU for HIPAA workloads and a
/// member account inside it.
struct Organization {
    client: phiguard_aws::aws_sdk_organizations::Client,
    root: String,
    ou: String,
    member: String,
}

/// Creates an organization with all features, enables SCPs unless
/// `enable_scps` is false, and moves a new member account into a new OU.
fn create_organization(aws: &Aws, enable_scps: bool) -> Organization {
    // An unguarded client: the setup writes, which the read-only guard rejects.
    let client = phiguard_aws::aws_sdk_organizations::Client::new(aws.sdk_config());
    aws.block_on(client.create_organization().feature_set(OrganizationFeatureSet::All).send()).expect("create organization");
    let roots = aws.block_on(client.list_roots().send()).expect("list roots");
    let root = roots.roots()[0].id().unwrap().to_string();
    if enable_scps {
        aws.block_on(client.enable_policy_type().root_id(&root).policy_type(PolicyType::ServiceControlPolicy).send())
            .expect("enable SCPs");
    }
    let ou = aws
        .block_on(client.create_organizational_unit().parent_id(&root).name("hipaa-workloads").send())
        .expect("create OU");
    let ou = ou.organizational_unit().unwrap().id().unwrap().to_string();
    let created = aws
        .block_on(client.create_account().email("member@example.com").account_name("claims").send())
        .expect("create account");
    let member = created.create_account_status().unwrap().account_id().unwrap().to_string();
    aws.block_on(client.move_account().account_id(&member).source_parent_id(&root).destination_parent_id(&ou).send())
        .expect("move account");
    Organization { client, root, ou, member }
}

impl Organization {
    /// Creates the allow-list SCPs that `phiguard scp generate --strategy
    /// allow-list` writes and attaches them to the OU.
    fn attach_allow_list(&self, aws: &Aws) {
        let options = ScpOptions { strategy: Strategy::AllowList, ..ScpOptions::default() };
        let generated = generate(Catalog::embedded(), &options).expect("the allow-list fits");
        for policy in &generated.policies {
            let created = aws
                .block_on(
                    self.client
                        .create_policy()
                        .name(&policy.name)
                        .description("HIPAA eligible services")
                        .r#type(PolicyType::ServiceControlPolicy)
                        .content(&policy.minified)
                        .send(),
                )
                .expect("create policy");
            let id = created.policy().unwrap().policy_summary().unwrap().id().unwrap().to_string();
            aws.block_on(self.client.attach_policy().policy_id(id).target_id(&self.ou).send()).expect("attach policy");
        }
    }

    fn detach_full_access_from_ou(&self, aws: &Aws) {
        aws.block_on(self.client.detach_policy().policy_id(FULL_AWS_ACCESS).target_id(&self.ou).send())
            .expect("detach FullAWSAccess");
    }
}

/// Builds the model record that a scan of `account` would carry, from SCPs
/// read through a read-only connection.
fn scp_model(moto: &Moto, account: &str) -> Model {
    let aws = Aws::connect_read_only(&moto.options()).expect("connect");
    let address = format!("arn:aws:iam::{account}:root");
    let location = Location::live(&address);
    let hierarchy = read_scps(&aws, account, &location);
    let record = Resource::new(
        address,
        SCP_RESOURCE_TYPE,
        location,
        ResourceKind::ServiceControlPolicies(ServiceControlPolicies { account_id: account.to_string(), hierarchy }),
    );
    Model { source: format!("aws account {account}"), resources: vec![record], assumptions: Vec::new() }
}

/// Builds an organization whose OU carries the allow-list, with
/// FullAWSAccess detached from the OU when `detach_full_access` is true, and
/// returns it with the SCP record of its member account.
fn allow_list_member(moto: &Moto, detach_full_access: bool) -> (Organization, Model) {
    let setup = moto.connect();
    let organization = create_organization(&setup, true);
    organization.attach_allow_list(&setup);
    if detach_full_access {
        organization.detach_full_access_from_ou(&setup);
    }
    let model = scp_model(moto, &organization.member);
    (organization, model)
}

fn hierarchy(model: &Model) -> &Attr<ScpHierarchy> {
    match &model.resources.last().expect("a record").kind {
        ResourceKind::ServiceControlPolicies(scps) => &scps.hierarchy,
        other => panic!("the last resource is not the SCP record: {other:?}"),
    }
}

/// Runs the rule with `id` on the model and returns the result and message of its only check.
fn verdict(id: &str, model: &Model) -> (FindingResult, String, Option<String>) {
    let rule: &dyn Rule = phiguard_rules::find(id).unwrap_or_else(|| panic!("no rule {id}"));
    let checks = rule.check(model);
    assert_eq!(checks.len(), 1, "{id} gave {} checks", checks.len());
    let check = &checks[0];
    (check.result, check.message.clone(), check.reason.clone())
}

fn resource<'m>(model: &'m Model, arn: &str) -> &'m Resource {
    model.find(arn).unwrap_or_else(|| {
        let addresses: Vec<&str> = model.resources.iter().map(|resource| resource.address.as_str()).collect();
        panic!("{arn} is not in the model: {addresses:?}")
    })
}

#[test]
fn inventory_models_tagged_resources() {
    let moto = Moto::start();
    let workload = moto.create_workload();
    seed_buckets(&moto.connect());

    let aws = Aws::connect_read_only(&moto.options()).expect("connect");
    let scan = scan_account(&aws, &[], &ScpAccounts::Own, &|_| {}).expect("the account scan runs");

    assert_eq!(scan.account_id, ACCOUNT);
    assert_eq!(scan.regions, ["us-east-1"]);
    assert!(scan.failures.is_empty(), "{:?}", scan.failures);
    assert_eq!(scan.model.source, format!("aws account {ACCOUNT}"));
    assert!(scan.notes.iter().any(|note| note == UNTAGGED_NOTE), "{:?}", scan.notes);

    let queue = resource(&scan.model, &workload.queue);
    assert_eq!(queue.resource_type, "aws:sqs:queue");
    assert_eq!(queue.tags.get("ephi").map(String::as_str), Some("true"));
    assert_eq!(*queue.location.file, workload.queue);
    assert!(queue.location.is_live());
    assert!(matches!(queue.kind, ResourceKind::Other));
    assert_eq!(resource(&scan.model, &workload.table).resource_type, "aws:dynamodb:table");
    assert_eq!(resource(&scan.model, &workload.cluster).resource_type, "aws:dsql:cluster");

    let records = resource(&scan.model, "arn:aws:s3:::records");
    assert_eq!(records.resource_type, "aws:s3:bucket");
    assert_eq!(records.tags.get("DataClassification").map(String::as_str), Some("phi"));
    let scratch = resource(&scan.model, "arn:aws:s3:::scratch");
    assert!(scratch.tags.is_empty(), "{:?}", scratch.tags);
    // moto's ListBuckets reports no bucket region, so the buckets are kept
    // and a note counts the buckets without a region.
    assert!(scan.notes.iter().any(|note| note.starts_with("2 S3 bucket(s) came back from ListBuckets without a region")), "{:?}", scan.notes);

    let outside = hierarchy(&scan.model).get().expect("an account outside any organization is a known state");
    assert!(outside.organization_id.is_empty(), "{outside:?}");
    assert!(outside.levels.is_empty(), "{outside:?}");
}

#[test]
fn svc_001_judges_live_types() {
    let moto = Moto::start();
    let workload = moto.create_workload();
    let aws = Aws::connect_read_only(&moto.options()).expect("connect");
    let scan = scan_account(&aws, &[], &ScpAccounts::Own, &|_| {}).expect("the account scan runs");

    let rule = phiguard_rules::find("SVC-001").expect("SVC-001");
    let checks = rule.check(&scan.model);
    let result_of = |arn: &str| {
        let check = checks.iter().find(|check| check.resource.address == arn).unwrap_or_else(|| panic!("no check on {arn}"));
        (check.result, check.reason.clone().unwrap_or_default())
    };
    assert_eq!(result_of(&workload.queue).0, FindingResult::Pass);
    assert_eq!(result_of(&workload.table).0, FindingResult::Pass);
    let (cluster, reason) = result_of(&workload.cluster);
    assert_eq!(cluster, FindingResult::Unknown);
    assert!(reason.contains("ARN namespace dsql"), "{reason}");
    assert!(checks.iter().all(|check| check.resource.resource_type != SCP_RESOURCE_TYPE));
}

#[test]
fn scan_calls_only_read_operations() {
    let moto = Moto::start();
    moto.create_workload();
    let setup = moto.connect();
    seed_buckets(&setup);
    create_organization(&setup, true);

    let aws = Aws::connect_read_only(&moto.options()).expect("connect");
    let regions = ["us-east-1".to_string(), "us-west-2".to_string()];
    let scan = scan_account(&aws, &regions, &ScpAccounts::Own, &|_| {}).expect("the account scan runs");
    assert!(scan.failures.is_empty(), "{:?}", scan.failures);

    let operations = aws.guard().expect("a read-only connection has a guard").operations();
    for operation in &operations {
        assert!(operation.allowed, "{operation:?} was rejected");
        assert!(is_read_only(&operation.name), "{operation:?} is not a read");
    }
    let names: Vec<&str> = operations.iter().map(|operation| operation.name.as_str()).collect();
    for expected in [
        "GetCallerIdentity",
        "GetResources",
        "ListBuckets",
        "DescribeOrganization",
        "ListRoots",
        "ListParents",
        "ListPoliciesForTarget",
        "DescribePolicy",
    ] {
        assert!(names.contains(&expected), "{expected} missing from {names:?}");
    }
    assert_eq!(names.iter().filter(|name| **name == "GetResources").count(), 2, "{names:?}");
}

#[test]
fn guard_rejects_write_before_sending() {
    let moto = Moto::start();
    let aws = Aws::connect_read_only(&moto.options()).expect("connect");

    let error = aws.block_on(aws.s3().create_bucket().bucket("must-not-exist").send()).expect_err("the write is rejected");
    let text = format!("{}", phiguard_aws::aws_sdk_s3::error::DisplayErrorContext(&error));
    assert!(text.contains("read-only guard rejected S3 CreateBucket"), "{text}");

    let operations = aws.guard().unwrap().operations();
    assert_eq!(operations.len(), 1);
    assert_eq!(operations[0].name, "CreateBucket");
    assert!(!operations[0].allowed);

    // An unguarded client shows that the request never reached the server.
    let setup = moto.connect();
    let listed = setup.block_on(setup.s3().list_buckets().send()).expect("list buckets");
    assert!(listed.buckets().is_empty(), "{:?}", listed.buckets());
}

#[test]
fn member_scps_are_read_by_level() {
    let moto = Moto::start();
    let (organization, model) = allow_list_member(&moto, true);
    let hierarchy = hierarchy(&model).get().expect("the management account reads the SCPs");
    assert!(hierarchy.scps_enabled);
    assert_eq!(hierarchy.management_account_id, ACCOUNT);
    let levels: Vec<(ScpTarget, &str)> = hierarchy.levels.iter().map(|level| (level.target, level.id.as_str())).collect();
    assert_eq!(
        levels,
        [
            (ScpTarget::Root, organization.root.as_str()),
            (ScpTarget::OrganizationalUnit, organization.ou.as_str()),
            (ScpTarget::Account, organization.member.as_str()),
        ]
    );
    let full_access = |index: usize| hierarchy.levels[index].policies.iter().any(|policy| policy.is_full_aws_access());
    assert!(full_access(0));
    assert!(!full_access(1));
    assert!(full_access(2));
    assert!(hierarchy.levels[1].policies.iter().all(|policy| policy.name.starts_with("phiguard-hipaa-allow")));
    assert!(hierarchy.levels[1].policies.iter().all(|policy| policy.content.contains("\"Allow\"")));
}

#[test]
fn member_allow_list_passes_scp_rules() {
    let moto = Moto::start();
    let (_, model) = allow_list_member(&moto, true);
    let (result, message, _) = verdict("SCP-001", &model);
    assert_eq!(result, FindingResult::Pass, "{message}");
    let (result, message, _) = verdict("SCP-002", &model);
    assert_eq!(result, FindingResult::Pass, "{message}");
}

#[test]
fn full_access_left_on_ou_fails_scp_001() {
    let moto = Moto::start();
    let (organization, model) = allow_list_member(&moto, false);
    let (result, message, _) = verdict("SCP-001", &model);
    assert_eq!(result, FindingResult::Fail);
    let non_eligible = Catalog::embedded().non_eligible.len();
    assert!(message.contains(&format!("allow {non_eligible} non-eligible service(s): ")), "{message}");
    let attached = format!(
        "FullAWSAccess is attached at root {}, OU {}, account {}",
        organization.root, organization.ou, organization.member
    );
    assert!(message.contains(&attached), "{message}");
    assert_eq!(verdict("SCP-002", &model).0, FindingResult::Pass);
}

#[test]
fn management_account_fails_scp_001() {
    let moto = Moto::start();
    let setup = moto.connect();
    let organization = create_organization(&setup, true);
    organization.attach_allow_list(&setup);

    let aws = Aws::connect_read_only(&moto.options()).expect("connect");
    let scan = scan_account(&aws, &[], &ScpAccounts::Own, &|_| {}).expect("the account scan runs");
    let (result, message, _) = verdict("SCP-001", &scan.model);
    assert_eq!(result, FindingResult::Fail);
    assert!(message.contains(&format!("account {ACCOUNT} is the management account")), "{message}");
    assert_eq!(verdict("SCP-002", &scan.model).0, FindingResult::Pass);
}

#[test]
fn disabled_scps_fail_scp_001() {
    let moto = Moto::start();
    let organization = create_organization(&moto.connect(), false);

    let model = scp_model(&moto, &organization.member);
    assert!(!hierarchy(&model).get().expect("readable").scps_enabled);
    let (result, message, _) = verdict("SCP-001", &model);
    assert_eq!(result, FindingResult::Fail);
    assert!(message.contains("SCPs are not enabled in organization"), "{message}");
}

#[test]
fn no_organization_fails_scp_001() {
    let moto = Moto::start();
    let model = scp_model(&moto, ACCOUNT);
    let (result, message, _) = verdict("SCP-001", &model);
    assert_eq!(result, FindingResult::Fail);
    assert!(message.contains("is not in an organization"), "{message}");
    // No SCP blocks anything, so no eligible service is blocked.
    assert_eq!(verdict("SCP-002", &model).0, FindingResult::Pass);
}

#[test]
fn management_scan_checks_member_scps() {
    let moto = Moto::start();
    let connection = moto.connect();
    let organization = create_organization(&connection, true);
    organization.attach_allow_list(&connection);
    organization.detach_full_access_from_ou(&connection);

    let aws = Aws::connect_read_only(&moto.options()).expect("connect");
    let named = scan_account(&aws, &[], &ScpAccounts::These(vec![organization.member.clone()]), &|_| {}).expect("scan");
    let member_arn = format!("arn:aws:iam::{}:root", organization.member);
    let member = resource(&named.model, &member_arn);
    let rule = phiguard_rules::find("SCP-001").expect("SCP-001");
    let findings = phiguard_rules::evaluate(std::slice::from_ref(&named.model), &[rule]).findings;
    let verdict_on = |address: &str| findings.iter().find(|f| f.resource.address == address).map(|f| f.result);
    assert_eq!(verdict_on(&member.address), Some(FindingResult::Pass), "{findings:?}");
    // The credentials belong to the management account, which SCPs never restrict.
    assert_eq!(verdict_on(&format!("arn:aws:iam::{ACCOUNT}:root")), Some(FindingResult::Fail));
    assert!(named.notes.iter().any(|note| note.starts_with("checked the SCPs of 2 accounts")), "{:?}", named.notes);

    let all = scan_account(&aws, &[], &ScpAccounts::All, &|_| {}).expect("scan");
    let checked: Vec<&str> = all
        .model
        .resources
        .iter()
        .filter(|resource| resource.resource_type == SCP_RESOURCE_TYPE)
        .map(|resource| resource.address.as_str())
        .collect();
    assert!(checked.contains(&member_arn.as_str()), "{checked:?}");
    assert!(all.failures.is_empty(), "{:?}", all.failures);
}
