//! Turns SDK errors into one-line messages that say what failed and what to
//! do next. Every SDK crate shares the smithy error types, so one function
//! serves all services.

use aws_sdk_s3::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};

/// The call that failed, used to word the next step.
pub(crate) struct Attempt<'a> {
    /// The IAM action the call needs, for example `s3:ListBucket`.
    pub action: &'a str,
    /// The resource the action applies to, for example `arn:aws:s3:::bucket`.
    pub resource: &'a str,
    /// The message for a missing bucket, key or log group.
    pub not_found: &'a str,
    pub region: &'a str,
}

/// Error codes that mean the credentials themselves were rejected.
const REJECTED_CREDENTIAL_CODES: &[&str] = &[
    "InvalidAccessKeyId",
    "SignatureDoesNotMatch",
    "ExpiredToken",
    "ExpiredTokenException",
    "TokenRefreshRequired",
    "UnrecognizedClientException",
    "InvalidSignatureException",
];

/// Describes a failed call. Never includes request or response bodies beyond
/// the service's error message, which names resources but not object data.
pub(crate) fn describe<E, R>(error: &SdkError<E, R>, attempt: &Attempt<'_>) -> String
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug + 'static,
{
    match error {
        SdkError::ServiceError(_) => {
            let code = error.code().unwrap_or("");
            match code {
                "NoSuchBucket" | "NoSuchKey" | "ResourceNotFoundException" => attempt.not_found.to_string(),
                "AccessDenied" | "AccessDeniedException" | "AllAccessDisabled" if attempt.action.starts_with("s3:") => {
                    format!(
                        "access denied: the credentials need {} on {}, and no bucket or key policy may deny it",
                        attempt.action, attempt.resource
                    )
                }
                "AccessDenied" | "AccessDeniedException" => format!(
                    "access denied: the credentials need {} on {}, and no SCP or permissions boundary may deny it",
                    attempt.action, attempt.resource
                ),
                "PermanentRedirect" | "AuthorizationHeaderMalformed" => format!(
                    "the bucket is not in region {}: pass --region with the bucket's region",
                    attempt.region
                ),
                "InvalidObjectState" => {
                    "the object is archived (S3 Glacier or Deep Archive): restore it before scanning".to_string()
                }
                _ if REJECTED_CREDENTIAL_CODES.contains(&code) => format!(
                    "the credentials were rejected ({code}): refresh them, for example with `aws sso login`, or check AWS_PROFILE"
                ),
                _ => {
                    let message = error.message().unwrap_or("no message");
                    if code.is_empty() {
                        format!("the request failed: {message}")
                    } else {
                        format!("the request failed with {code}: {message}")
                    }
                }
            }
        }
        SdkError::TimeoutError(_) => {
            "the request timed out: check the network path to AWS or the --endpoint-url".to_string()
        }
        SdkError::DispatchFailure(_) => format!(
            "failed to send the request ({}): check the network path to AWS or the --endpoint-url",
            causes(error)
        ),
        _ => format!("the request failed: {}", DisplayErrorContext(error)),
    }
}

/// Joins the messages of an error's causes, skipping the SDK's generic outer
/// layers ("dispatch failure", "io error") and repeats, so a refused
/// connection reads as "tcp connect error: Connection refused (os error 111)".
fn causes(error: &(dyn std::error::Error + 'static)) -> String {
    let mut messages: Vec<String> = Vec::new();
    let mut current = error.source();
    while let Some(cause) = current {
        let message = cause.to_string();
        if !messages.iter().any(|seen| seen.contains(&message)) {
            messages.push(message);
        }
        current = cause.source();
    }
    // Keep only the innermost causes: the outer ones repeat them in longer form.
    let start = messages.len().saturating_sub(2);
    match messages[start..].join(": ") {
        joined if joined.is_empty() => error.to_string(),
        joined => joined,
    }
}
