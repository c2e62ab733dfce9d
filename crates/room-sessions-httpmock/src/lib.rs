#![doc = include_str!("../README.md")]

// Generated code is formatted by prettyplease, not rustfmt, and carries no doc comments of its
// own; lints of hand-written code do not apply to it. progenitor's httpmock generator writes
// `format!("^/room_sessions/{}$", value.to_string())` for path parameters.
#[rustfmt::skip]
#[allow(missing_docs, clippy::to_string_in_format_args)]
mod generated;

mod client;
pub mod demo;
pub mod paging;
pub mod values;

pub use client::{API_TOKEN, PROJECT_ID, client, client_builder};
pub use generated::{MockServerExt, operations};
/// httpmock itself, the release the generated mocks are written against.
pub use httpmock;
