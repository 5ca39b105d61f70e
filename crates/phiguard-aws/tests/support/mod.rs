//! Test support for the live sources: a moto server (the AWS emulator from
//! PyPI) on a free loopback port, the environment that keeps the SDK away
//! from real AWS, and helpers that create buckets, objects, log events and,
//! through boto3, resources of services whose Rust SDK phiguard does not use.
//! The phiguard crate's binary tests include this file by path.

#![allow(dead_code)]

use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Once;
use std::time::{Duration, Instant};

use phiguard_aws::aws_sdk_cloudwatchlogs::types::InputLogEvent;
use phiguard_aws::aws_sdk_s3::primitives::ByteStream;
use phiguard_aws::{Aws, AwsOptions};

/// Region used by every test. Moto accepts any region.
pub const REGION: &str = "us-east-1";

/// Seconds to wait for moto to accept connections. Its first start imports
/// every emulated service, which takes a few seconds on a loaded machine.
const START_TIMEOUT: Duration = Duration::from_secs(60);

/// Returns the environment every test runs the SDK with: static dummy credentials,
/// no instance metadata lookups (so nothing reaches 169.254.169.254), and
/// config files that do not exist so no developer profile is read.
pub fn dummy_environment() -> Vec<(&'static str, String)> {
    let missing = std::env::temp_dir().join("phiguard-test-no-aws-config").display().to_string();
    vec![
        ("AWS_ACCESS_KEY_ID", "testing".to_string()),
        ("AWS_SECRET_ACCESS_KEY", "testing".to_string()),
        ("AWS_SESSION_TOKEN", "testing".to_string()),
        ("AWS_REGION", REGION.to_string()),
        ("AWS_EC2_METADATA_DISABLED", "true".to_string()),
        ("AWS_CONFIG_FILE", missing.clone()),
        ("AWS_SHARED_CREDENTIALS_FILE", missing),
    ]
}

/// Replaces this process's AWS_* variables with [`dummy_environment`] once,
/// before any test creates an SDK client. Every test calls it through
/// [`Moto::start`], and `Once` blocks the others until it is done, so no
/// thread reads the environment while it changes.
pub fn isolate_process_environment() {
    static ISOLATE: Once = Once::new();
    ISOLATE.call_once(|| {
        for (name, _) in std::env::vars() {
            if name.starts_with("AWS_") {
                std::env::remove_var(name);
            }
        }
        for (name, value) in dummy_environment() {
            std::env::set_var(name, value);
        }
    });
}

/// Creates an SQS queue tagged as holding ePHI, a tagged DynamoDB table and
/// a tagged Aurora DSQL cluster, whose namespace the catalog does not know,
/// and prints their ARNs as JSON.
const WORKLOAD_SCRIPT: &str = r#"
import json
import boto3

sqs = boto3.client("sqs")
queue_url = sqs.create_queue(QueueName="patient-intake", tags={"ephi": "true"})["QueueUrl"]
queue = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
table = boto3.client("dynamodb").create_table(
    TableName="claims",
    KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
    AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
    BillingMode="PAY_PER_REQUEST",
    Tags=[{"Key": "team", "Value": "claims"}],
)["TableDescription"]["TableArn"]
cluster = boto3.client("dsql").create_cluster(tags={"team": "analytics"})["arn"]
print(json.dumps({"queue": queue, "table": table, "cluster": cluster}))
"#;

/// The ARNs of the resources that [`Moto::create_workload`] creates.
pub struct Workload {
    pub queue: String,
    pub table: String,
    pub cluster: String,
}

/// A running moto server, stopped when dropped.
pub struct Moto {
    child: Child,
    pub endpoint: String,
    /// The moto_server script, whose virtual environment also has boto3.
    binary: PathBuf,
}

impl Moto {
    /// Starts moto_server on a free 127.0.0.1 port and waits until it
    /// accepts connections. The binary is `PHIGUARD_MOTO_SERVER`, or
    /// `.venv-moto/bin/moto_server` at the workspace root.
    pub fn start() -> Moto {
        Moto::start_with(&[])
    }

    /// Starts moto_server as [`Moto::start`] does, with extra environment
    /// variables for the server process.
    pub fn start_with(server_environment: &[(&str, &str)]) -> Moto {
        isolate_process_environment();
        let binary = match std::env::var_os("PHIGUARD_MOTO_SERVER") {
            Some(path) => PathBuf::from(path),
            None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../.venv-moto/bin/moto_server"),
        };
        assert!(
            binary.is_file(),
            "moto_server not found at {}: run scripts/test, which installs moto[server] into .venv-moto, or set PHIGUARD_MOTO_SERVER to its path",
            binary.display()
        );

        // Binding port 0 picks a free port. It is released just before moto
        // binds it, so another process could take it in that short window.
        let port = TcpListener::bind("127.0.0.1:0").and_then(|listener| listener.local_addr()).expect("a free loopback port").port();
        let child = Command::new(&binary)
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .envs(server_environment.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|error| panic!("failed to start {}: {error}", binary.display()));
        let mut moto = Moto { child, endpoint: format!("http://127.0.0.1:{port}"), binary };

        let deadline = Instant::now() + START_TIMEOUT;
        loop {
            if TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return moto;
            }
            if let Ok(Some(status)) = moto.child.try_wait() {
                panic!("moto_server exited with {status} before accepting connections on port {port}");
            }
            assert!(Instant::now() < deadline, "moto_server did not accept connections on port {port} within {START_TIMEOUT:?}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Connects the SDK to this server.
    pub fn connect(&self) -> Aws {
        Aws::connect(&self.options()).expect("connect to moto")
    }

    /// Connection options that point at this server.
    pub fn options(&self) -> AwsOptions {
        AwsOptions { region: Some(REGION.to_string()), profile: None, endpoint_url: Some(self.endpoint.clone()) }
    }

    /// Runs a Python script with the boto3 of moto's virtual environment
    /// against this server and returns its standard output. The tests use it
    /// for services whose Rust SDK crate phiguard does not depend on, such as
    /// SQS, DynamoDB and Aurora DSQL.
    pub fn boto3(&self, script: &str) -> String {
        let python = self.binary.with_file_name("python");
        assert!(
            python.is_file(),
            "python not found next to {}: PHIGUARD_MOTO_SERVER must point into a virtual environment that has moto[server]",
            self.binary.display()
        );
        let mut command = Command::new(&python);
        for (name, _) in std::env::vars() {
            if name.starts_with("AWS_") {
                command.env_remove(name);
            }
        }
        let output = command
            .envs(dummy_environment())
            .env("AWS_DEFAULT_REGION", REGION)
            .env("AWS_ENDPOINT_URL", &self.endpoint)
            .args(["-c", script])
            .stdin(Stdio::null())
            .output()
            .unwrap_or_else(|error| panic!("failed to run {}: {error}", python.display()));
        assert!(output.status.success(), "the boto3 script failed: {}", String::from_utf8_lossy(&output.stderr));
        String::from_utf8(output.stdout).expect("the boto3 script writes UTF-8")
    }

    /// Creates the tagged resources of [`WORKLOAD_SCRIPT`] with boto3.
    pub fn create_workload(&self) -> Workload {
        let output = self.boto3(WORKLOAD_SCRIPT);
        let arns: serde_json::Value = serde_json::from_str(&output).unwrap_or_else(|error| panic!("{error}: {output}"));
        let arn = |name: &str| arns[name].as_str().unwrap_or_else(|| panic!("no {name} ARN in {output}")).to_string();
        Workload { queue: arn("queue"), table: arn("table"), cluster: arn("cluster") }
    }

    /// Creates a bucket and puts each `(key, body)` object in it.
    pub fn put_objects(&self, aws: &Aws, bucket: &str, objects: &[(&str, Vec<u8>)]) {
        let client = aws.s3();
        aws.block_on(client.create_bucket().bucket(bucket).send()).expect("create bucket");
        for (key, body) in objects {
            aws.block_on(client.put_object().bucket(bucket).key(*key).body(ByteStream::from(body.clone())).send())
                .unwrap_or_else(|error| panic!("put {key}: {error:?}"));
        }
    }

    /// Creates a log group, and a stream in it per distinct stream name, and
    /// puts each `(stream, timestamp in ms, message)` event.
    pub fn put_events(&self, aws: &Aws, group: &str, events: &[(&str, i64, String)]) {
        let client = aws.logs();
        aws.block_on(client.create_log_group().log_group_name(group).send()).expect("create log group");
        let mut streams: Vec<&str> = events.iter().map(|(stream, _, _)| *stream).collect();
        streams.sort();
        streams.dedup();
        for stream in streams {
            aws.block_on(client.create_log_stream().log_group_name(group).log_stream_name(stream).send())
                .expect("create log stream");
            let mut batch: Vec<InputLogEvent> = events
                .iter()
                .filter(|(name, _, _)| *name == stream)
                .map(|(_, timestamp, message)| InputLogEvent::builder().timestamp(*timestamp).message(message).build().unwrap())
                .collect();
            // PutLogEvents requires events in ascending time order.
            batch.sort_by_key(|event| event.timestamp());
            let output = aws
                .block_on(client.put_log_events().log_group_name(group).log_stream_name(stream).set_log_events(Some(batch)).send())
                .expect("put log events");
            assert!(output.rejected_log_events_info().is_none(), "events rejected: {:?}", output.rejected_log_events_info());
        }
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Returns the current time in milliseconds since the Unix epoch.
pub fn now_ms() -> i64 {
    jiff::Timestamp::now().as_millisecond()
}

/// Returns the SSN mask: everything but the last four digits.
pub fn masked_ssn(ssn: &str) -> String {
    format!("***-**-{}", &ssn[ssn.len() - 4..])
}
