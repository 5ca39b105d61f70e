//! AWS SDK configuration shared by every live command. It owns the region,
//! profile and credentials from the usual environment and config files, an
//! optional endpoint override for emulators and VPC endpoints, and the tokio
//! runtime that drives the SDK's async calls from phiguard's blocking code.
//! A connection made with [`Aws::connect_read_only`] attaches the read-only
//! guard to every client it builds.

use std::future::Future;

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_sdk_s3::config::ProvideCredentials;
use tokio::runtime::{Handle, Runtime};

use crate::guard::ReadOnlyGuard;

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

/// Adds the connection's read-only guard, when it has one, to a service
/// config builder. Each SDK crate has its own builder type, all with the
/// same `interceptor` method, so a macro serves them all.
macro_rules! guarded {
    ($aws:expr, $builder:expr) => {
        match &$aws.guard {
            Some(guard) => $builder.interceptor(guard.clone()),
            None => $builder,
        }
    };
}

/// Loaded SDK configuration plus the runtime that runs its requests.
pub struct Aws {
    runtime: Runtime,
    config: SdkConfig,
    /// True when an endpoint override is configured. Emulators and most
    /// S3-compatible endpoints do not resolve `bucket.host` names, so S3
    /// requests then put the bucket in the path.
    path_style: bool,
    /// The interceptor that every client carries, for read-only connections.
    guard: Option<ReadOnlyGuard>,
}

impl Aws {
    /// Loads the configuration and resolves credentials once, so a missing
    /// region or credential is reported before any source is scanned.
    pub fn connect(options: &AwsOptions) -> Result<Aws, ConnectError> {
        Aws::connect_with_guard(options, None)
    }

    /// Connects as [`Aws::connect`] does, and attaches a [`ReadOnlyGuard`] to
    /// every client this connection builds, so a client can send only Get,
    /// List, Describe and Head operations. [`Aws::guard`] returns the guard
    /// and the operations it saw.
    pub fn connect_read_only(options: &AwsOptions) -> Result<Aws, ConnectError> {
        Aws::connect_with_guard(options, Some(ReadOnlyGuard::new()))
    }

    fn connect_with_guard(options: &AwsOptions, guard: Option<ReadOnlyGuard>) -> Result<Aws, ConnectError> {
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
        Ok(Aws { runtime, config, path_style, guard })
    }

    /// Returns the region that requests go to.
    pub fn region(&self) -> &str {
        self.config.region().map(Region::as_ref).unwrap_or("")
    }

    /// Returns the endpoint override, when one is configured.
    pub fn endpoint_url(&self) -> Option<&str> {
        self.config.endpoint_url()
    }

    /// Returns the read-only guard of a connection made with
    /// [`Aws::connect_read_only`].
    pub fn guard(&self) -> Option<&ReadOnlyGuard> {
        self.guard.as_ref()
    }

    /// Returns the loaded SDK configuration, for callers that build clients
    /// of their own. Those clients carry no read-only guard.
    pub fn sdk_config(&self) -> &SdkConfig {
        &self.config
    }

    /// Builds an S3 client, with path-style addressing when an endpoint is set.
    pub fn s3(&self) -> aws_sdk_s3::Client {
        let builder = aws_sdk_s3::config::Builder::from(&self.config).force_path_style(self.path_style);
        aws_sdk_s3::Client::from_conf(guarded!(self, builder).build())
    }

    /// Builds a CloudWatch Logs client.
    pub fn logs(&self) -> aws_sdk_cloudwatchlogs::Client {
        let builder = aws_sdk_cloudwatchlogs::config::Builder::from(&self.config);
        aws_sdk_cloudwatchlogs::Client::from_conf(guarded!(self, builder).build())
    }

    /// Builds an STS client.
    pub fn sts(&self) -> aws_sdk_sts::Client {
        let builder = aws_sdk_sts::config::Builder::from(&self.config);
        aws_sdk_sts::Client::from_conf(guarded!(self, builder).build())
    }

    /// Builds a Resource Groups Tagging API client for `region`, which may
    /// differ from the connection's region.
    pub fn tagging(&self, region: &str) -> aws_sdk_resourcegroupstagging::Client {
        let builder =
            aws_sdk_resourcegroupstagging::config::Builder::from(&self.config).region(Region::new(region.to_string()));
        aws_sdk_resourcegroupstagging::Client::from_conf(guarded!(self, builder).build())
    }

    /// Builds an AWS Organizations client. Organizations has one endpoint per
    /// partition, which the SDK picks from the connection's region.
    pub fn organizations(&self) -> aws_sdk_organizations::Client {
        let builder = aws_sdk_organizations::config::Builder::from(&self.config);
        aws_sdk_organizations::Client::from_conf(guarded!(self, builder).build())
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
