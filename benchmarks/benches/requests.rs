//! Requests: `GET /room_sessions/{id}` through the wrapper, through the generated client alone,
//! and with raw `reqwest` + `serde_json` on an equally configured `reqwest::Client`, against
//! the same local server; one request at a time, then 64 in flight.
//!
//! Target: the wrapper's throughput at least 0.95 of raw reqwest's.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput};
use futures::StreamExt as _;
use room_sessions_benchmarks::clients::{self, Raw};
use room_sessions_benchmarks::report::{self, Report, Target};
use room_sessions_benchmarks::server::{Server, ServerConfig};
use uuid::Uuid;

/// Requests in flight at once in the concurrent group.
const IN_FLIGHT: usize = 64;

/// Threads of the server's runtime (`BENCH_SERVER_THREADS`, default 1); the client's runtime
/// has one worker per core.
fn server_threads() -> usize {
    std::env::var("BENCH_SERVER_THREADS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1)
}

/// One of the clients compared.
#[derive(Clone)]
enum Subject {
    Wrapper(room_sessions::Client),
    Generated(room_sessions_api::Client),
    Raw(Raw),
}

impl Subject {
    fn name(&self) -> &'static str {
        match self {
            Subject::Wrapper(_) => "wrapper",
            Subject::Generated(_) => "generated",
            Subject::Raw(_) => "raw-reqwest",
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
        }
    }
}

/// Times `count` requests of `subject`, `in_flight` at a time.
async fn round(subject: &Subject, id: Uuid, count: u64, in_flight: usize) -> Duration {
    let started = Instant::now();
    futures::stream::iter(0..count)
        .map(|_| subject.get(id))
        .buffer_unordered(in_flight)
        .for_each(|duration| {
            black_box(duration);
            futures::future::ready(())
        })
        .await;
    started.elapsed()
}

/// With `ROOM_SESSIONS_BENCH_PROFILE=<wrapper|generated|raw-reqwest>:<count>` set, sends
/// `count` sequential requests with that client and exits: a steady workload to run under a
/// profiler (`valgrind --tool=callgrind`), where instruction counts, unlike times, do not
/// depend on the machine's load.
fn profile_if_requested() {
    let Ok(spec) = std::env::var("ROOM_SESSIONS_BENCH_PROFILE") else {
        return;
    };
    let (name, count) = spec.split_once(':').unwrap_or((&spec, "10000"));
    let count: u64 = count.parse().expect("a request count");
    let server = Server::start(ServerConfig::default());
    let base = server.base_url();
    let subject = [
        Subject::Wrapper(clients::wrapper(&base)),
        Subject::Generated(clients::generated(&base)),
        Subject::Raw(Raw::new(&base)),
    ]
    .into_iter()
    .find(|subject| subject.name() == name)
    .expect("wrapper, generated or raw-reqwest");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("the client runtime");
    let id = Uuid::parse_str(clients::SESSION_ID).unwrap();
    let elapsed = runtime.block_on(round(&subject, id, count, 1));
    println!(
        "{name}: {count} requests in {elapsed:?}, {} connection(s)",
        server.connections()
    );
    std::process::exit(0);
}

fn main() {
    profile_if_requested();
    let mut report = Report::new("requests");
    let mut criterion = Criterion::default()
        .output_directory(&report::criterion_dir())
        .configure_from_args();

    let server = Server::start(ServerConfig {
        threads: server_threads(),
        ..ServerConfig::default()
    });
    let base = server.base_url();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("the client runtime");
    let id = Uuid::parse_str(clients::SESSION_ID).unwrap();
    let subjects = [
        Subject::Wrapper(clients::wrapper(&base)),
        Subject::Generated(clients::generated(&base)),
        Subject::Raw(Raw::new(&base)),
    ];
    // All three get the same answer.
    let answers: Vec<_> = subjects
        .iter()
        .map(|subject| runtime.block_on(subject.get(id)))
        .collect();
    assert!(answers.windows(2).all(|w| w[0] == w[1]), "{answers:?}");

    let mut connections = Vec::new();
    let mut group = criterion.benchmark_group("requests-sequential");
    group.throughput(Throughput::Elements(1));
    for subject in &subjects {
        let before = server.connections();
        group.bench_function(subject.name(), |b| {
            b.to_async(&runtime)
                .iter(|| async { black_box(subject.get(id).await) })
        });
        connections.push(("sequential", subject.name(), server.connections() - before));
    }
    group.finish();

    let mut group = criterion.benchmark_group("requests-64-in-flight");
    group.throughput(Throughput::Elements(1));
    for subject in &subjects {
        let before = server.connections();
        group.bench_function(subject.name(), |b| {
            b.to_async(&runtime)
                .iter_custom(|iters| round(subject, id, iters, IN_FLIGHT))
        });
        connections.push((
            "64 in flight",
            subject.name(),
            server.connections() - before,
        ));
    }
    group.finish();
    criterion.final_summary();

    for group in ["requests-sequential", "requests-64-in-flight"] {
        report.ratio(
            &format!("{group}: wrapper throughput / raw reqwest throughput"),
            (group, "wrapper"),
            (group, "raw-reqwest"),
            true,
            Target::AtLeast(0.95),
        );
        report.ratio(
            &format!("{group}: generated client throughput / raw reqwest throughput"),
            (group, "generated"),
            (group, "raw-reqwest"),
            true,
            Target::AtLeast(0.95),
        );
    }
    if report::timing("requests-sequential", "wrapper", report.since()).is_some()
        || report::timing("requests-64-in-flight", "wrapper", report.since()).is_some()
    {
        for (group, subject, opened) in &connections {
            report.line(format!("connections opened ({group}, {subject}): {opened}"));
        }
        report.line(format!(
            "server: {} thread(s); {} requests answered in all",
            server_threads(),
            server.requests()
        ));
    }
    if report::bench_mode() {
        report.line("interleaved check (wrapper and raw reqwest alternately, same server):");
        let [wrapper, _, raw] = &subjects;
        for (group, count, in_flight) in [
            ("requests-sequential", 2_000, 1),
            ("requests-64-in-flight", 10_000, IN_FLIGHT),
        ] {
            if !report::selected(group) {
                continue;
            }
            let result = report::interleave(
                31,
                || runtime.block_on(round(wrapper, id, count, in_flight)),
                || runtime.block_on(round(raw, id, count, in_flight)),
            );
            report.interleaved(
                &format!("{group}: wrapper throughput / raw reqwest throughput"),
                result,
                true,
                Target::AtLeast(0.95),
            );
        }
    }
    drop(server);
    runtime.shutdown_timeout(Duration::from_secs(1));
    report.finish();
}
