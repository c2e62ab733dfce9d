//! What the benchmarks of the room-sessions client share (see `BENCHMARKS.md` at the root of
//! the workspace):
//!
//! - [`fixtures`]: realistic room sessions and pages, every field present;
//! - [`handwritten`]: the plain `#[derive(Deserialize)]` struct the generated types are held
//!   against;
//! - [`server`]: the local HTTP/1.1 server the request and paging benchmarks talk to;
//! - [`clients`]: the wrapper, the generated client and raw `reqwest`, configured alike;
//! - [`memory`]: the paging scenarios, each run in a process of its own for its peak memory;
//! - [`report`]: the ratios of a run, read from criterion's estimates.
//!
//! Run them with `cargo bench -p room-sessions-benchmarks`.

pub mod clients;
pub mod fixtures;
pub mod handwritten;
pub mod memory;
pub mod report;
pub mod server;

/// The sessions per page of the decoding and paging benchmarks: the largest page the API
/// serves.
pub const PAGE_SIZE: usize = 1000;
