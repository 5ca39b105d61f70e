//! AWS SDK configuration shared by every live command. It owns the region,
//! profile and credentials from the usual environment and config files, an
//! optional endpoint override for emulators and VPC endpoints, and the tokio
//! runtime that drives the SDK's async calls from phiguard's blocking code.

use std::future::Future;

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_sdk_s3::config::ProvideCredentials;
use tokio::runtime::{Handle, Runtime};

/// Environment variable for an S3-only endpoint override, which the SDK reads
/// when it builds the S3 client.
const S3_ENDPOINT_ENV: &str = "AWS_ENDPOINT_URL_S3";

/// Connection settings from the command line. Each `None` falls back to the
/// SDK's default chain: environment variables (`AWS_REGION`, `AWS_PROFILE`,
/// `AWS_ENDPOINT_URL`), then `~/.aws/config` and `~/.aws/credentials`.
#[derive(Debug, Clone, Default)]
pub struct AwsOptions {
    pub region: Option<String>,
    pub profile: Option<String>,
    /// Endpoint for every service, for example `http://127.0.0.1:5000` for
    /// an emulator. S3 then uses path-style addressing.
    pub endpoint_url: Option<String>,
}

/// A failure to set up the SDK, before any API call is made.
#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    #[error("failed to start the AWS SDK runtime: {0}")]
    Runtime(#[source] std::io::Error),
    #[error("invalid endpoint URL {0:?}: expected an http:// or https:// URL, for example http://127.0.0.1:5000")]
    InvalidEndpoint(String),
    #[error("no AWS region is set: pass --region, set AWS_REGION, or set region in the AWS profile")]
    MissingRegion,
    #[error("no AWS credentials found{profile}: {detail}. Set AWS_PROFILE or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or run `aws sso login` for an IAM Identity Center profile")]
    MissingCredentials { profile: String, detail: String },
}

/// Loaded SDK configuration plus the runtime that runs its requests.
pub struct Aws {
    runtime: Runtime,
    config: SdkConfig,
    /// True when an endpoint override is configured. Emulators and most
    /// S3-compatible endpoints do not resolve `bucket.host` names, so S3
    /// requests then put the bucket in the path.
    path_style: bool,
}

impl Aws {
    /// Loads the configuration and resolves credentials once, so a missing
    /// region or credential is reported before any source is scanned.
    pub fn connect(options: &AwsOptions) -> Result<Aws, ConnectError> {
        if let Some(url) = &options.endpoint_url {
            if !(url.starts_with("http://") || url.starts_with("https://")) {
                return Err(ConnectError::InvalidEndpoint(url.clone()));
            }
        }
        // The SDK's own tasks are I/O bound, so two workers are enough.
        // Callers block on them from their own threads. A multi-thread
        // runtime allows that, because its workers keep driving I/O meanwhile.
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("phiguard-aws")
            .enable_all()
            .build()
            .map_err(ConnectError::Runtime)?;

        let mut loader = aws_config::defaults(BehaviorVersion::latest());
        if let Some(region) = &options.region {
            loader = loader.region(Region::new(region.clone()));
        }
        if let Some(profile) = &options.profile {
            loader = loader.profile_name(profile);
        }
        if let Some(url) = &options.endpoint_url {
            loader = loader.endpoint_url(url);
        }
        let config = runtime.block_on(loader.load());

        if config.region().is_none() {
            return Err(ConnectError::MissingRegion);
        }
        if let Some(provider) = config.credentials_provider() {
            if let Err(error) = runtime.block_on(provider.provide_credentials()) {
                let profile = match &options.profile {
                    Some(name) => format!(" for profile {name:?}"),
                    None => String::new(),
                };
                // The source lists each provider the default chain tried.
                let detail = match std::error::Error::source(&error) {
                    Some(source) => format!("{error}: {source}"),
                    None => error.to_string(),
                };
                return Err(ConnectError::MissingCredentials { profile, detail });
            }
        }

        let path_style = config.endpoint_url().is_some() || std::env::var_os(S3_ENDPOINT_ENV).is_some();
        Ok(Aws { runtime, config, path_style })
    }

    /// Returns the region that requests go to.
    pub fn region(&self) -> &str {
        self.config.region().map(Region::as_ref).unwrap_or("")
    }

    /// Returns the endpoint override, when one is configured.
    pub fn endpoint_url(&self) -> Option<&str> {
        self.config.endpoint_url()
    }

    /// Builds an S3 client, with path-style addressing when an endpoint is set.
    pub fn s3(&self) -> aws_sdk_s3::Client {
        let config = aws_sdk_s3::config::Builder::from(&self.config).force_path_style(self.path_style).build();
        aws_sdk_s3::Client::from_conf(config)
    }

    /// Builds a CloudWatch Logs client.
    pub fn logs(&self) -> aws_sdk_cloudwatchlogs::Client {
        aws_sdk_cloudwatchlogs::Client::new(&self.config)
    }

    /// Runs a future to completion on the SDK runtime. Must not be called
    /// from inside that runtime's tasks.
    pub fn block_on<F: Future>(&self, future: F) -> F::Output {
        self.runtime.block_on(future)
    }

    /// Returns a handle for readers that block on the runtime from other threads.
    pub(crate) fn handle(&self) -> Handle {
        self.runtime.handle().clone()
    }
}
