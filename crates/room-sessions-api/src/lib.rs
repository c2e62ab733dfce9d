#![doc = include_str!("../README.md")]

// Generated code is formatted by prettyplease, not rustfmt, and its builder methods carry no
// doc comments of their own; lints of hand-written code do not apply to it.
#[rustfmt::skip]
#[allow(missing_docs)]
mod generated;
mod error_body;
mod hooks;
mod record;
pub mod tls;
pub mod tolerant;

pub use error_body::{ErrorSummary, MAX_API_ERRORS};
pub use generated::*;
pub use hooks::{BodyTooLarge, ClientOptions, DEFAULT_MAX_RESPONSE_BYTES};
pub use record::{Exchange, Recorder};
