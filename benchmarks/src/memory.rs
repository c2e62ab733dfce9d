//! Peak memory of paging: each scenario runs in a process of its own (the benchmark executable
//! started again with [`CHILD_ENV`] set), which streams a whole listing from the server of
//! the parent process and reports its peak resident set size (`VmHWM` of
//! `/proc/self/status`). The server and its pages live in the parent, out of the figure.
//!
//! The other memory benchmarks (`benches/hostile.rs`) run their readers the same way
//! ([`child_result`], [`peak_rss_kib`]), under the same [`ALLOCATORS`], beside the same
//! baseline ([`Mode::Baseline`]).

use std::hint::black_box;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use futures::TryStreamExt as _;

use crate::clients;
use crate::server::{Server, ServerConfig};

/// The allocator settings the memory scenarios run under, as a name and the environment of
/// the measured process: glibc's defaults, and glibc with a fixed mmap threshold (its dynamic
/// threshold off), which tells the allocator's own retention apart from the client's.
pub const ALLOCATORS: &[(&str, &[(&str, &str)])] = &[
    ("glibc malloc, defaults", &[]),
    (
        "glibc malloc, MALLOC_MMAP_THRESHOLD_=131072",
        &[("MALLOC_MMAP_THRESHOLD_", "131072")],
    ),
];

/// Set (to a [`Mode`] name) in the environment of a scenario's process.
pub const CHILD_ENV: &str = "ROOM_SESSIONS_BENCH_PAGING_CHILD";
const URL_ENV: &str = "ROOM_SESSIONS_BENCH_PAGING_URL";
const PAGE_SIZE_ENV: &str = "ROOM_SESSIONS_BENCH_PAGING_PAGE_SIZE";

/// What a scenario's process does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Streams every session through the wrapper (`room_sessions().page_size(..).stream()`).
    Wrapper,
    /// Fetches every page with raw `reqwest` + `serde_json` into the generated page type.
    Raw,
    /// Builds the wrapper and fetches one session: the memory of a process that pages
    /// nothing.
    Baseline,
}

impl Mode {
    fn name(self) -> &'static str {
        match self {
            Mode::Wrapper => "wrapper",
            Mode::Raw => "raw",
            Mode::Baseline => "baseline",
        }
    }

    fn from_name(name: &str) -> Option<Mode> {
        [Mode::Wrapper, Mode::Raw, Mode::Baseline]
            .into_iter()
            .find(|mode| mode.name() == name)
    }
}

/// One listing to stream: `pages` pages of `page_size` sessions.
#[derive(Debug, Clone, Copy)]
pub struct Scenario {
    /// How the process reads it.
    pub mode: Mode,
    /// The number of pages.
    pub pages: usize,
    /// The sessions on each page (what the server sends, whatever the client asks for).
    pub page_size: usize,
}

/// What a scenario's process measured.
#[derive(Debug, Clone, Copy)]
pub struct Outcome {
    /// The sessions streamed.
    pub sessions: u64,
    /// The peak resident set size, in KiB.
    pub peak_rss_kib: u64,
    /// The time from the first request to the last session.
    pub elapsed: Duration,
    /// The connections the server accepted.
    pub connections: u64,
}

/// The peak resident set size of this process so far, in KiB (`VmHWM`).
pub fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
}

/// Runs the scenario asked for by the environment and exits, if this process is a
/// scenario's; returns otherwise.
pub fn child_main_if_requested() {
    let Some(mode) = std::env::var(CHILD_ENV).ok() else {
        return;
    };
    let mode = Mode::from_name(&mode).expect("a known paging mode");
    let url = std::env::var(URL_ENV).expect("the server's URL");
    let page_size: usize = std::env::var(PAGE_SIZE_ENV)
        .expect("the page size")
        .parse()
        .expect("a page size");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let started = Instant::now();
    let sessions = runtime.block_on(read_listing(mode, &url, page_size));
    let elapsed = started.elapsed();
    drop(runtime);
    println!(
        "PAGING sessions={sessions} peak_rss_kib={} elapsed_us={}",
        peak_rss_kib().unwrap_or(0),
        elapsed.as_micros()
    );
    std::process::exit(0);
}

async fn read_listing(mode: Mode, url: &str, page_size: usize) -> u64 {
    // The wrapper refuses page sizes above the spec's 1000; the server sends its own size.
    let asked = u32::try_from(page_size.min(1000)).expect("a small page size");
    let mut checksum = 0i64;
    let sessions = match mode {
        Mode::Wrapper => {
            let client = clients::wrapper(url);
            let mut stream = client.room_sessions().page_size(asked).stream();
            let mut count = 0;
            while let Some(session) = stream.try_next().await.expect("a session") {
                checksum += session.duration.unwrap_or(1);
                count += 1;
            }
            count
        }
        Mode::Raw => clients::Raw::new(url)
            .each_session(asked, |session| {
                checksum += session.duration.unwrap_or(1);
            })
            .await
            .expect("every page"),
        Mode::Baseline => {
            let session = clients::wrapper(url)
                .room_session(clients::SESSION_ID)
                .await
                .expect("a session");
            checksum += session.duration.unwrap_or(1);
            0
        }
    };
    black_box(checksum);
    sessions
}

/// Runs the executable `exe` again as a child process with `env` set, so that its peak memory
/// is its own, and returns the line of its standard output that starts with `tag`, without
/// the tag. Panics with the child's output when it fails or prints no such line.
pub fn child_result(exe: &Path, env: &[(&str, &str)], tag: &str) -> String {
    let output = Command::new(exe)
        .envs(env.iter().copied())
        .output()
        .expect("the child process runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "the child process with {env:?} failed: {}\n{stdout}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
        .lines()
        .find_map(|line| line.strip_prefix(tag))
        .unwrap_or_else(|| panic!("no {tag:?} line from the child process with {env:?}: {stdout}"))
        .to_owned()
}

/// Runs `scenario` in a new process of the executable `exe`, with the extra environment
/// `env`, against a server of this process, and checks that every session arrived.
pub fn measure(exe: &Path, scenario: Scenario, env: &[(&str, &str)]) -> Outcome {
    let total = scenario.pages * scenario.page_size;
    let server = Server::start(ServerConfig {
        pages: scenario.pages,
        page_size: scenario.page_size,
        // Up to 200,000 sessions (about 200 MB of JSON) are kept serialized; larger
        // listings are serialized for each request.
        cache_pages: total <= 200_000,
        threads: 1,
        ..ServerConfig::default()
    });
    let (page_size, url) = (scenario.page_size.to_string(), server.base_url());
    let mut child_env = vec![
        (CHILD_ENV, scenario.mode.name()),
        (URL_ENV, url.as_str()),
        (PAGE_SIZE_ENV, page_size.as_str()),
    ];
    child_env.extend_from_slice(env);
    let line = child_result(exe, &child_env, "PAGING ");
    let value = |key: &str| -> u64 {
        line.split_whitespace()
            .find_map(|pair| pair.strip_prefix(key)?.strip_prefix('='))
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("no {key} in {line:?}"))
    };
    let outcome = Outcome {
        sessions: value("sessions"),
        peak_rss_kib: value("peak_rss_kib"),
        elapsed: Duration::from_micros(value("elapsed_us")),
        connections: server.connections(),
    };
    if scenario.mode != Mode::Baseline {
        assert_eq!(
            outcome.sessions, total as u64,
            "the scenario {scenario:?} lost sessions"
        );
    }
    outcome
}
