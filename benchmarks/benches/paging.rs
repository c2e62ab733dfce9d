//! Paging: the time to stream a listing of 10 pages of 1000 sessions through the wrapper and
//! with raw `reqwest` (criterion), then the peak memory (RSS) of streaming 10, 100 and 1000
//! pages of 1000 sessions, and 10 pages of 10,000, each in a process of its own.
//!
//! Target: peak memory does not grow with the number of pages.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput};
use futures::TryStreamExt as _;
use room_sessions_benchmarks::clients::{self, Raw};
use room_sessions_benchmarks::memory::{self, ALLOCATORS, Mode, Scenario};
use room_sessions_benchmarks::report::{self, Report, Target};
use room_sessions_benchmarks::server::{Server, ServerConfig};

/// Pages in the timed listing.
const TIMED_PAGES: usize = 10;

/// Streams the whole timed listing through the wrapper, in a task of the runtime; the time it
/// took.
async fn stream_wrapper(wrapper: &room_sessions::Client) -> Duration {
    let wrapper = wrapper.clone();
    tokio::spawn(async move {
        let started = Instant::now();
        let mut stream = wrapper.room_sessions().page_size(1000).stream();
        let mut count = 0u64;
        while let Some(session) = stream.try_next().await.unwrap() {
            black_box(&session);
            count += 1;
        }
        assert_eq!(count, (TIMED_PAGES * 1000) as u64);
        started.elapsed()
    })
    .await
    .expect("the listing's task")
}

/// Streams the whole timed listing with raw reqwest, in a task of the runtime; the time it
/// took.
async fn stream_raw(raw: &Raw) -> Duration {
    let raw = raw.clone();
    tokio::spawn(async move {
        let started = Instant::now();
        let count = raw
            .each_session(1000, |session| {
                black_box(&session);
            })
            .await
            .unwrap();
        assert_eq!(count, (TIMED_PAGES * 1000) as u64);
        started.elapsed()
    })
    .await
    .expect("the listing's task")
}

fn timed(criterion: &mut Criterion, report: &mut Report) {
    let server = Server::start(ServerConfig {
        pages: TIMED_PAGES,
        page_size: 1000,
        cache_pages: true,
        threads: 1,
        ..ServerConfig::default()
    });
    let base = server.base_url();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("the client runtime");
    let wrapper = clients::wrapper(&base);
    let raw = Raw::new(&base);

    let mut group = criterion.benchmark_group("paging-10x1000");
    group
        .throughput(Throughput::Elements((TIMED_PAGES * 1000) as u64))
        .sample_size(20)
        .measurement_time(Duration::from_secs(8));
    group.bench_function("wrapper", |b| {
        b.to_async(&runtime).iter(|| stream_wrapper(&wrapper))
    });
    group.bench_function("raw-reqwest", |b| {
        b.to_async(&runtime).iter(|| stream_raw(&raw))
    });
    group.finish();
    criterion.final_summary();
    report.ratio(
        "paging-10x1000: wrapper throughput / raw reqwest throughput",
        ("paging-10x1000", "wrapper"),
        ("paging-10x1000", "raw-reqwest"),
        true,
        Target::AtLeast(0.95),
    );
    if report::bench_mode() && report::selected("paging-10x1000") {
        let result = report::interleave(
            21,
            || runtime.block_on(stream_wrapper(&wrapper)),
            || runtime.block_on(stream_raw(&raw)),
        );
        report.interleaved(
            "paging-10x1000 (interleaved): wrapper throughput / raw reqwest throughput",
            result,
            true,
            Target::AtLeast(0.95),
        );
    }
    drop(server);
}

fn memory(report: &mut Report, full: bool) {
    let exe = std::env::current_exe().expect("the benchmark's executable");
    let runs = if full { 3 } else { 1 };
    let scenarios: &[(usize, usize)] = if full {
        &[(10, 1000), (100, 1000), (1000, 1000), (10, 10_000)]
    } else {
        &[(2, 10)]
    };
    let allocators = if full { ALLOCATORS } else { &ALLOCATORS[..1] };
    report.line(format!(
        "peak RSS (VmHWM) of a process streaming the whole listing; the largest of {runs} run(s):"
    ));
    for &(allocator, env) in allocators {
        report.line(format!("  {allocator}:"));
        let run = |scenario: Scenario| -> Vec<memory::Outcome> {
            (0..runs)
                .map(|_| memory::measure(&exe, scenario, env))
                .collect()
        };
        let baseline = run(Scenario {
            mode: Mode::Baseline,
            pages: 1,
            page_size: 1,
        });
        report.line(format!(
            "    baseline (wrapper built, one session fetched): {:.1} MiB",
            mib(baseline.iter().map(|o| o.peak_rss_kib).max().unwrap_or(0))
        ));
        let mut peaks = Vec::new();
        for mode in [Mode::Wrapper, Mode::Raw] {
            for &(pages, page_size) in scenarios {
                let outcomes = run(Scenario {
                    mode,
                    pages,
                    page_size,
                });
                let min = outcomes.iter().map(|o| o.peak_rss_kib).min().unwrap_or(0);
                let max = outcomes.iter().map(|o| o.peak_rss_kib).max().unwrap_or(0);
                let fastest = outcomes.iter().map(|o| o.elapsed).min().unwrap_or_default();
                let sessions = outcomes.first().map(|o| o.sessions).unwrap_or(0);
                let connections = outcomes.iter().map(|o| o.connections).max().unwrap_or(0);
                report.line(format!(
                    "    {:<7} {pages:>4} pages x {page_size:>6} = {sessions:>7} sessions: \
                     {:>5.1} MiB (runs {:.1}..{:.1}; {:.0} sessions/s; {connections} \
                     connection(s))",
                    format!("{mode:?}"),
                    mib(max),
                    mib(min),
                    mib(max),
                    sessions as f64 / fastest.as_secs_f64(),
                ));
                peaks.push((mode, pages, page_size, max));
            }
        }
        if !full {
            continue;
        }
        let peak = |mode: Mode, pages: usize, size: usize| {
            peaks
                .iter()
                .find(|p| p.0 == mode && p.1 == pages && p.2 == size)
                .map(|p| p.3)
        };
        for mode in [Mode::Wrapper, Mode::Raw] {
            let (Some(ten), Some(hundred), Some(thousand)) = (
                peak(mode, 10, 1000),
                peak(mode, 100, 1000),
                peak(mode, 1000, 1000),
            ) else {
                continue;
            };
            let ratio = thousand as f64 / ten as f64;
            report.line(format!(
                "    {mode:?}: 100x the pages (1000 sessions each): 10 -> 100 -> 1000 pages = \
                 {:.1} -> {:.1} -> {:.1} MiB, 1000 / 10 pages = {ratio:.3}; target: no growth \
                 (<= 1.05) -> {}",
                mib(ten),
                mib(hundred),
                mib(thousand),
                if ratio <= 1.05 { "met" } else { "MISSED" }
            ));
        }
        if let (Some(small), Some(large)) = (
            peak(Mode::Wrapper, 10, 1000),
            peak(Mode::Wrapper, 10, 10_000),
        ) {
            report.line(format!(
                "    Wrapper: 100,000 sessions in 100 pages of 1000 vs 10 pages of 10,000: \
                 {:.1} vs {:.1} MiB (memory follows the page size, not the total)",
                mib(peak(Mode::Wrapper, 100, 1000).unwrap_or(small)),
                mib(large)
            ));
        }
        if let (Some(wrapper), Some(raw)) =
            (peak(Mode::Wrapper, 100, 1000), peak(Mode::Raw, 100, 1000))
        {
            report.line(format!(
                "    wrapper peak - raw reqwest peak (100 x 1000): {:+.1} MiB",
                mib(wrapper) - mib(raw)
            ));
        }
    }
}

fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

/// With `ROOM_SESSIONS_BENCH_PROFILE=<wrapper|raw-reqwest>:<count>` set, streams the timed
/// listing `count` times and exits: a steady workload for a profiler such as
/// `valgrind --tool=callgrind`.
fn profile_if_requested() {
    let Ok(spec) = std::env::var("ROOM_SESSIONS_BENCH_PROFILE") else {
        return;
    };
    let (name, count) = spec.split_once(':').unwrap_or((&spec, "1"));
    let count: u32 = count.parse().expect("a count");
    let server = Server::start(ServerConfig {
        pages: TIMED_PAGES,
        page_size: 1000,
        cache_pages: true,
        threads: 1,
        ..ServerConfig::default()
    });
    let base = server.base_url();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("the client runtime");
    let wrapper = clients::wrapper(&base);
    let raw = Raw::new(&base);
    // The server serializes each page on its first request: ask for them all once.
    runtime.block_on(stream_raw(&raw));
    let elapsed: Duration = (0..count)
        .map(|_| match name {
            "wrapper" => runtime.block_on(stream_wrapper(&wrapper)),
            "raw-reqwest" => runtime.block_on(stream_raw(&raw)),
            other => panic!("unknown client {other}"),
        })
        .sum();
    println!("{name}: {count} listings in {elapsed:?}");
    std::process::exit(0);
}

fn main() {
    memory::child_main_if_requested();
    profile_if_requested();

    let mut report = Report::new("paging");
    let mut criterion = Criterion::default()
        .output_directory(&report::criterion_dir())
        .configure_from_args();
    timed(&mut criterion, &mut report);

    // `cargo bench` passes `--bench`; without it (`cargo test --benches`) a tiny listing only
    // checks that the scenarios run.
    if report::selected("paging-memory") {
        memory(&mut report, report::bench_mode());
    }
    report.finish();
}
