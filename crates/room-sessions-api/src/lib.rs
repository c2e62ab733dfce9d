#![doc = include_str!("../README.md")]

// Generated code is formatted by prettyplease, not rustfmt, and its builder methods carry no
// doc comments of their own; lints of hand-written code do not apply to it.
#[rustfmt::skip]
#[allow(missing_docs)]
mod generated;
mod hooks;
pub mod tls;
pub mod tolerant;

pub use generated::*;
#[allow(deprecated)]
pub use hooks::MAX_ERROR_BODY_BYTES;
#[allow(deprecated)]
pub use hooks::RequestHeaders;
pub use hooks::{BodyTooLarge, ClientOptions, DEFAULT_MAX_RESPONSE_BYTES, says_what_went_wrong};
