//! Typed data for each modeled AWS service, grouped by concept. Adapters fill
//! these structs; rules read them.

mod compute;
mod database;
mod identity;
mod logging;
mod network;
mod organization;
mod policy;
mod storage;

pub use compute::*;
pub use database::*;
pub use identity::*;
pub use logging::*;
pub use network::*;
pub use organization::*;
pub use policy::*;
pub use storage::*;

/// Who holds the key that encrypts data at rest. Rules report "encrypted with
/// an AWS managed key" apart from "unencrypted".
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Encryption {
    /// Not encrypted at rest.
    None,
    /// Encrypted with a key that AWS owns or manages: SSE-S3, an AWS owned
    /// key, or an `aws/<service>` KMS key.
    AwsManaged,
    /// Encrypted with a customer managed KMS key, identified by id, ARN, alias
    /// or resource address.
    CustomerManaged(String),
    /// Encrypted with a KMS key that the input does not show, such as a key
    /// ARN known only after apply. The string gives the reason.
    UnknownKey(String),
}
