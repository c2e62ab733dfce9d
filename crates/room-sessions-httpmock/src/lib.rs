#![doc = include_str!("../README.md")]

// Generated code is formatted by prettyplease, not rustfmt, and carries no doc comments of its
// own; lints of hand-written code do not apply to it. progenitor's httpmock generator writes
// `format!("^/room_sessions/{}$", value.to_string())` for path parameters.
#[cfg(feature = "mocks")]
#[rustfmt::skip]
#[allow(missing_docs, clippy::to_string_in_format_args)]
mod generated;

#[cfg(feature = "demo")]
pub mod demo;
pub mod paging;
pub mod recording;
#[cfg(feature = "mocks")]
mod replay;
pub mod values;

#[cfg(feature = "mocks")]
pub use generated::{MockServerExt, operations};
/// httpmock itself, the release the generated mocks are written against.
#[cfg(feature = "mocks")]
pub use httpmock;
#[cfg(feature = "mocks")]
pub use replay::replay;
