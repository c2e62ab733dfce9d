//! Typed httpmock mocks of the room-sessions API.

#[rustfmt::skip]
#[allow(missing_docs)]
mod generated;

pub use generated::*;
