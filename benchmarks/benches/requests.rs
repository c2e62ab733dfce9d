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

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput};
use futures::StreamExt as _;
use room_sessions_benchmarks::clients::{self, Raw};
use room_sessions_benchmarks::report::{self, Report, Target};
use room_sessions_benchmarks::server::{Server, ServerConfig};
use uuid::Uuid;

/// Requests in flight at once in the concurrent groups.
const IN_FLIGHT: usize = 64;

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

/// With `ROOM_SESSIONS_BENCH_PROFILE=<wrapper|generated|raw-reqwest|user-written>:<count>[:threads]` set,
/// sends `count` sequential requests with that client and exits: a steady workload to run
/// under a profiler (`valgrind --tool=callgrind`), whose instruction counts do not depend on
/// the machine's load. By default client and server share one thread, which makes the counts
/// reproducible; with `:threads` the multi-thread layout is used, the server's runtime started
/// first (its worker is callgrind's thread 2), to tell the server's part from the client's.
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
    let subject = layout
        .subjects
        .iter()
        .find(|subject| subject.name() == name)
        .expect("wrapper, generated, raw-reqwest or user-written");
    let id = Uuid::parse_str(clients::SESSION_ID).unwrap();
    let elapsed = layout.runtime.block_on(round(subject, id, count, 1));
    println!(
        "{name}: {count} requests in {elapsed:?}, {} connection(s)",
        layout.server.connections()
    );
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
    report.finish();
}
