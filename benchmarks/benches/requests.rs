//! Requests: `GET /room_sessions/{id}` through the wrapper, through the generated client alone,
//! and with raw `reqwest` + `serde_json` on an equally configured `reqwest::Client`, against
//! the same local server; one request at a time, then 64 in flight.
//!
//! Target: the wrapper's throughput at least 0.95 of raw reqwest's.
//!
//! Two layouts of threads, each with its own server:
//! - `requests-sequential`, `requests-64-in-flight`: an application's layout, the client on a
//!   multi-threaded runtime (one worker per core) and the server on a thread of its own. Each
//!   sequential request waits for a few threads to wake up: on a shared virtual machine that
//!   latency, not the client's work, makes most of the time, and it is noisy.
//! - `requests-sequential-1-thread`, `requests-64-in-flight-1-thread`: client and server on one
//!   current-thread runtime. No thread ever waits for another, so the time is the CPU cost of a
//!   request (client, server and loopback), steady to about 1%: what the client adds, with
//!   the least noise.
//!
//! Then `requests-outage`, a count rather than a time: one client shared by 64 tasks making 256
//! calls against a server answering 503 to everything, and the requests it sent per call. The
//! wrapper with its default retry policy (a retry budget shared by the client), with
//! `no_retry_budget()` (every call retried, as before the budget), and raw reqwest (no
//! retries, one request a call: the baseline). Target: the wrapper's default sends one
//! request a call plus its budget's burst of 10 retries, not a multiple of the calls.
//! `cargo bench -p room-sessions-benchmarks --bench requests -- outage` runs it alone.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput};
use futures::StreamExt as _;
use room_sessions::RetryPolicy;
use room_sessions_benchmarks::clients::{self, Raw};
use room_sessions_benchmarks::report::{self, Report, Target};
use room_sessions_benchmarks::server::{Server, ServerConfig};
use uuid::Uuid;

/// Requests in flight at once in the concurrent groups.
const IN_FLIGHT: usize = 64;

/// The tasks sharing one client in the outage.
const OUTAGE_TASKS: usize = 64;
/// The calls they make in all, in the outage.
const OUTAGE_CALLS: usize = 256;
/// The wrapper's default retry budget: the retries it may add to an outage before a success
/// refills it (`RetryPolicy::retry_budget`'s default burst).
const DEFAULT_RETRY_BURST: usize = 10;

/// One of the clients compared.
#[derive(Clone)]
enum Subject {
    Wrapper(room_sessions::Client),
    Generated(room_sessions_api::Client),
    Raw(Raw),
    /// Raw reqwest decoding into a plain hand-written struct: the client a user writes.
    UserWritten(Raw),
}

impl Subject {
    /// The four clients, for the API at `base`.
    fn all(base: &str) -> [Subject; 4] {
        [
            Subject::Wrapper(clients::wrapper(base)),
            Subject::Generated(clients::generated(base)),
            Subject::Raw(Raw::new(base)),
            Subject::UserWritten(Raw::new(base)),
        ]
    }

    fn name(&self) -> &'static str {
        match self {
            Subject::Wrapper(_) => "wrapper",
            Subject::Generated(_) => "generated",
            Subject::Raw(_) => "raw-reqwest",
            Subject::UserWritten(_) => "user-written",
        }
    }

    /// One `GET /room_sessions/{id}`, decoded; the session's duration.
    async fn get(&self, id: Uuid) -> Option<i64> {
        match self {
            Subject::Wrapper(client) => client.room_session(id).await.unwrap().duration,
            Subject::Generated(client) => {
                client
                    .get_room_session()
                    .id(id)
                    .send()
                    .await
                    .unwrap()
                    .into_inner()
                    .duration
            }
            Subject::Raw(raw) => raw.room_session(id).await.unwrap().duration,
            Subject::UserWritten(raw) => raw.hand_room_session(id).await.unwrap().duration,
        }
    }

    /// One `GET /room_sessions/{id}` that is to fail: the status it failed with (`None` if it
    /// succeeded or failed without one).
    async fn failure_status(&self, id: Uuid) -> Option<u16> {
        let status = match self {
            Subject::Wrapper(client) => client.room_session(id).await.err()?.status(),
            Subject::Generated(client) => client
                .get_room_session()
                .id(id)
                .send()
                .await
                .err()?
                .status(),
            Subject::Raw(raw) => raw_status(raw.room_session(id).await.err()?),
            Subject::UserWritten(raw) => raw_status(raw.hand_room_session(id).await.err()?),
        };
        status.map(|status| status.as_u16())
    }
}

/// The status a raw request failed with (`error_for_status`), if it got one.
fn raw_status(error: clients::RawError) -> Option<reqwest::StatusCode> {
    error.downcast_ref::<reqwest::Error>()?.status()
}

/// A layout of threads: the client's runtime and the server the clients talk to.
struct Layout {
    /// The suffix of the layout's benchmark groups.
    suffix: &'static str,
    description: &'static str,
    runtime: tokio::runtime::Runtime,
    server: Server,
    subjects: [Subject; 4],
}

impl Layout {
    /// The client on a multi-threaded runtime, the server on a thread of its own.
    fn threads() -> Layout {
        let server = Server::start(ServerConfig::default());
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .expect("the client runtime");
        let subjects = Subject::all(&server.base_url());
        Layout {
            suffix: "",
            description: "client on a multi-thread runtime (a worker per core), server on a \
                          thread of its own",
            runtime,
            server,
            subjects,
        }
    }

    /// Client and server on one current-thread runtime.
    fn one_thread() -> Layout {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("the client runtime");
        let server = {
            let _entered = runtime.enter();
            Server::start(ServerConfig {
                threads: 0,
                ..ServerConfig::default()
            })
        };
        let subjects = Subject::all(&server.base_url());
        Layout {
            suffix: "-1-thread",
            description: "client and server on one current-thread runtime",
            runtime,
            server,
            subjects,
        }
    }
}

/// Times `count` requests of `subject`, `in_flight` at a time, sent from a task of the
/// runtime (as an application's code runs: on a worker, beside the connections' tasks, rather
/// than on the thread that blocks on the runtime).
async fn round(subject: &Subject, id: Uuid, count: u64, in_flight: usize) -> Duration {
    let subject = subject.clone();
    tokio::spawn(async move {
        let started = Instant::now();
        if in_flight == 1 {
            for _ in 0..count {
                black_box(subject.get(id).await);
            }
        } else {
            futures::stream::iter(0..count)
                .map(|_| subject.get(id))
                .buffer_unordered(in_flight)
                .for_each(|duration| {
                    black_box(duration);
                    futures::future::ready(())
                })
                .await;
        }
        started.elapsed()
    })
    .await
    .expect("the requests' task")
}

/// The profile mode's name of the wrapper that records its exchanges.
const RECORDING: &str = "wrapper-recording";

/// With `ROOM_SESSIONS_BENCH_PROFILE=<wrapper|wrapper-recording|generated|raw-reqwest|user-written>:<count>[:threads]`
/// set, sends `count` sequential requests with that client and exits: a steady workload to run
/// under a profiler (`valgrind --tool=callgrind`), whose instruction counts do not depend on
/// the machine's load. By default client and server share one thread, which makes the counts
/// reproducible; with `:threads` the multi-thread layout is used, the server's runtime started
/// first (its worker is callgrind's thread 2), to tell the server's part from the client's.
///
/// `wrapper-recording` is the wrapper with `record(path)`, as a user turns recording on: a
/// line appended to a file per request. The file is `ROOM_SESSIONS_BENCH_RECORD` if set (left
/// for the caller to check: `callgrind.sh` counts its lines), or else one in the temporary
/// directory, removed at the end. A file rather than `io::sink()`, so that the recorder does
/// all it does for a user, down to a `write` system call a line (callgrind counts the
/// instructions on the user's side of it, not the kernel's).
fn profile_if_requested() {
    let Ok(spec) = std::env::var("ROOM_SESSIONS_BENCH_PROFILE") else {
        return;
    };
    let mut parts = spec.split(':');
    let name = parts.next().unwrap_or_default().to_owned();
    let count: u64 = parts
        .next()
        .unwrap_or("10000")
        .parse()
        .expect("a request count");
    let layout = match parts.next() {
        Some("threads") => Layout::threads(),
        None => Layout::one_thread(),
        Some(other) => panic!("unknown layout {other:?}: threads or nothing"),
    };
    let (recording, keep) = match std::env::var_os("ROOM_SESSIONS_BENCH_RECORD") {
        Some(path) => (std::path::PathBuf::from(path), true),
        None => (
            std::env::temp_dir().join(format!("room-sessions-bench-{}.ndjson", std::process::id())),
            false,
        ),
    };
    let subject = if name == RECORDING {
        // `record` appends: start from an empty file, so that its lines are this run's.
        let _ = std::fs::remove_file(&recording);
        Subject::Wrapper(
            clients::wrapper_builder(&layout.server.base_url())
                .record(&recording)
                .build()
                .expect("a valid configuration"),
        )
    } else {
        layout
            .subjects
            .iter()
            .find(|subject| subject.name() == name)
            .expect("wrapper, wrapper-recording, generated, raw-reqwest or user-written")
            .clone()
    };
    let id = Uuid::parse_str(clients::SESSION_ID).unwrap();
    let elapsed = layout.runtime.block_on(round(&subject, id, count, 1));
    println!(
        "{name}: {count} requests in {elapsed:?}, {} connection(s)",
        layout.server.connections()
    );
    if name == RECORDING {
        // Its size only: reading it back here would add to the instructions per request.
        let bytes = std::fs::metadata(&recording).map_or(0, |file| file.len());
        println!(
            "recorded {bytes} bytes to {}, {} a request",
            recording.display(),
            bytes / count.max(1)
        );
        if !keep {
            let _ = std::fs::remove_file(&recording);
        }
    }
    std::process::exit(0);
}

/// The criterion groups of one layout; the connections each client opened in each.
fn measure(criterion: &mut Criterion, layout: &Layout, id: Uuid) -> Vec<String> {
    let mut connections = Vec::new();
    for (kind, in_flight) in [("sequential", 1), ("64-in-flight", IN_FLIGHT)] {
        let mut group = criterion.benchmark_group(format!("requests-{kind}{}", layout.suffix));
        group.throughput(Throughput::Elements(1));
        for subject in &layout.subjects {
            let before = layout.server.connections();
            group.bench_function(subject.name(), |b| {
                b.to_async(&layout.runtime)
                    .iter_custom(|iters| round(subject, id, iters, in_flight))
            });
            let opened = layout.server.connections() - before;
            if opened > 0 {
                connections.push(format!("{kind}: {} {opened}", subject.name()));
            }
        }
        group.finish();
    }
    connections
}

fn main() {
    profile_if_requested();
    let mut report = Report::new("requests");
    let mut criterion = Criterion::default()
        .output_directory(&report::criterion_dir())
        .configure_from_args();
    let id = Uuid::parse_str(clients::SESSION_ID).unwrap();

    let layouts = [Layout::threads(), Layout::one_thread()];
    for layout in &layouts {
        // All four get the same answer.
        let answers: Vec<_> = layout
            .subjects
            .iter()
            .map(|subject| layout.runtime.block_on(subject.get(id)))
            .collect();
        assert!(answers.windows(2).all(|w| w[0] == w[1]), "{answers:?}");
    }
    let connections: Vec<_> = layouts
        .iter()
        .map(|layout| measure(&mut criterion, layout, id))
        .collect();
    criterion.final_summary();

    for (layout, connections) in layouts.iter().zip(&connections) {
        let sequential = format!("requests-sequential{}", layout.suffix);
        let concurrent = format!("requests-64-in-flight{}", layout.suffix);
        if !report::bench_mode()
            || (!report::selected(&sequential) && !report::selected(&concurrent))
        {
            continue;
        }
        report.line(format!("{}:", layout.description));
        for group in [&sequential, &concurrent] {
            for subject in ["wrapper", "generated"] {
                report.ratio(
                    &format!("  {group}: {subject} throughput / raw reqwest throughput"),
                    (group, subject),
                    (group, "raw-reqwest"),
                    true,
                    Target::AtLeast(0.95),
                );
            }
            report.ratio(
                &format!("  {group}: wrapper throughput / user-written throughput"),
                (group, "wrapper"),
                (group, "user-written"),
                true,
                Target::AtLeast(0.95),
            );
        }
        if !connections.is_empty() {
            report.line(format!("  connections opened: {}", connections.join(", ")));
        }
        {
            let [wrapper, _, raw, _] = &layout.subjects;
            for (group, count, in_flight) in
                [(&sequential, 2_000, 1), (&concurrent, 10_000, IN_FLIGHT)]
            {
                if !report::selected(group) {
                    continue;
                }
                let result = report::interleave(
                    31,
                    || {
                        layout
                            .runtime
                            .block_on(round(wrapper, id, count, in_flight))
                    },
                    || layout.runtime.block_on(round(raw, id, count, in_flight)),
                );
                report.interleaved(
                    &format!("  {group} (interleaved): wrapper throughput / raw reqwest"),
                    result,
                    true,
                    Target::AtLeast(0.95),
                );
            }
        }
    }
    for layout in layouts {
        let Layout {
            runtime, server, ..
        } = layout;
        drop(server);
        runtime.shutdown_timeout(Duration::from_secs(1));
    }
    if report::selected("requests-outage") {
        outage(&mut report);
    }
    report.finish();
}

/// `calls` lookups of the session, spread over [`OUTAGE_TASKS`] tasks sharing `subject`'s
/// client, each task's one after the other; the number that failed with a 503.
async fn outage_calls(subject: &Subject, id: Uuid, calls: usize) -> usize {
    let tasks: Vec<_> = (0..OUTAGE_TASKS)
        .map(|_| {
            let subject = subject.clone();
            tokio::spawn(async move {
                let mut unavailable = 0;
                for _ in 0..calls / OUTAGE_TASKS {
                    if subject.failure_status(id).await == Some(503) {
                        unavailable += 1;
                    }
                }
                unavailable
            })
        })
        .collect();
    let mut unavailable = 0;
    for task in tasks {
        unavailable += task.await.expect("an outage task");
    }
    unavailable
}

/// The requests per call of an outage (see the module's documentation), for each client and
/// size of outage; the server counts the requests.
fn outage(report: &mut Report) {
    let server = Server::start(ServerConfig {
        outage: true,
        ..ServerConfig::default()
    });
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("the client runtime");
    let base = server.base_url();
    let id = Uuid::parse_str(clients::SESSION_ID).unwrap();
    // The default policy with a fast backoff, so that a run takes milliseconds rather than
    // seconds: what is measured is the number of attempts, not the waits.
    let fast = RetryPolicy::default()
        .base_delay(Duration::from_millis(1))
        .max_delay(Duration::from_millis(5));
    let wrapper = |policy: RetryPolicy| {
        clients::wrapper_builder(&base)
            .retry_policy(policy)
            .build()
            .expect("a valid configuration")
    };
    // `cargo test --benches` checks the harness with the smaller outage only.
    let sizes: &[usize] = if report::bench_mode() {
        &[OUTAGE_CALLS, 10 * OUTAGE_CALLS]
    } else {
        &[OUTAGE_CALLS]
    };
    report.line(format!(
        "requests-outage: one client shared by {OUTAGE_TASKS} tasks, a server answering 503 to \
         every request; backoff from 1 ms, at most 5 ms; requests sent per call:"
    ));
    for &calls in sizes {
        // The wrapper's default sends one request a call, and the budget's burst of retries
        // (rounded up to the report's three decimals).
        let most = 1.0 + DEFAULT_RETRY_BURST as f64 / calls as f64;
        let budgeted = Target::AtMost((most * 1000.0).ceil() / 1000.0);
        // A new client for each run: the retry budget is the client's, and an outage spends it.
        let subjects = [
            (
                "wrapper, default policy",
                Subject::Wrapper(wrapper(fast.clone())),
                Some(budgeted),
            ),
            (
                "wrapper, no_retry_budget() (as before the budget)",
                Subject::Wrapper(wrapper(fast.clone().no_retry_budget())),
                None,
            ),
            (
                "raw reqwest, no retries (the baseline)",
                Subject::Raw(Raw::new(&base)),
                None,
            ),
        ];
        for (label, subject, target) in subjects {
            let before = server.requests();
            let started = Instant::now();
            let unavailable = runtime.block_on(outage_calls(&subject, id, calls));
            let elapsed = started.elapsed();
            let requests = server.requests() - before;
            assert_eq!(
                unavailable, calls,
                "{label}: every call ends in the server's 503"
            );
            if let Subject::Raw(_) = subject {
                // No retries: one request a call, or the harness miscounts.
                assert_eq!(requests, calls as u64, "{label}: one request a call");
            }
            let per_call = requests as f64 / calls as f64;
            let detail = format!("{requests} requests for {calls} calls in {elapsed:.2?}");
            let label = format!("  {calls} calls, {label}");
            match target {
                Some(target) => report.figure(&label, per_call, &detail, target),
                None => report.line(format!("{label}: {per_call:.3} ({detail})")),
            }
        }
    }
    drop(server);
    runtime.shutdown_timeout(Duration::from_secs(1));
}
