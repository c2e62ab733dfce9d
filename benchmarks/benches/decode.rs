//! Decoding: one room session and a page of 1000 through the generated types, against
//! `serde_json::Value` and a hand-written `#[derive(Deserialize)]` struct of the same fields.
//!
//! Targets: the generated types within 1.2x the time of the hand-written struct, and faster
//! than `Value`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput};
use room_sessions_api::types;
use room_sessions_benchmarks::handwritten::{HandRoomSession, HandRoomSessionList};
use room_sessions_benchmarks::report::{self, Report, Target};
use room_sessions_benchmarks::{PAGE_SIZE, fixtures};
use serde_json::Value;

fn decode(c: &mut Criterion) {
    let session = fixtures::session_body(0);
    let page = fixtures::page_body(
        "https://example.signalwire.com/api/video",
        0,
        2,
        PAGE_SIZE,
        Some(1000),
    );

    let mut group = c.benchmark_group("decode-session");
    group.throughput(Throughput::Bytes(session.len() as u64));
    group.bench_function("generated", |b| {
        b.iter(|| generated_session(black_box(&session)))
    });
    group.bench_function("handwritten", |b| {
        b.iter(|| handwritten_session(black_box(&session)))
    });
    group.bench_function("value", |b| b.iter(|| value(black_box(&session))));
    group.finish();

    let mut group = c.benchmark_group("decode-page-1000");
    group.throughput(Throughput::Bytes(page.len() as u64));
    group.bench_function("generated", |b| b.iter(|| generated_page(black_box(&page))));
    group.bench_function("handwritten", |b| {
        b.iter(|| handwritten_page(black_box(&page)))
    });
    group.bench_function("value", |b| b.iter(|| value(black_box(&page))));
    group.finish();
}

/// Times `decode` run `batch` times on `body`.
fn batch_time<T>(body: &[u8], batch: u32, decode: fn(&[u8]) -> T) -> Duration {
    let started = Instant::now();
    for _ in 0..batch {
        black_box(decode(black_box(body)));
    }
    started.elapsed()
}

fn generated_session(body: &[u8]) -> types::RoomSession {
    serde_json::from_slice(body).unwrap()
}

fn handwritten_session(body: &[u8]) -> HandRoomSession {
    serde_json::from_slice(body).unwrap()
}

fn generated_page(body: &[u8]) -> types::RoomSessionList {
    serde_json::from_slice(body).unwrap()
}

fn handwritten_page(body: &[u8]) -> HandRoomSessionList {
    serde_json::from_slice(body).unwrap()
}

fn value(body: &[u8]) -> Value {
    serde_json::from_slice(body).unwrap()
}

/// The interleaved check of the ratios (see `report::interleave`).
fn interleaved(report: &mut Report) {
    let session = fixtures::session_body(0);
    let page = fixtures::page_body(
        "https://example.signalwire.com/api/video",
        0,
        2,
        PAGE_SIZE,
        Some(1000),
    );
    if report::selected("decode-session") {
        let result = report::interleave(
            41,
            || batch_time(&session, 20_000, generated_session),
            || batch_time(&session, 20_000, handwritten_session),
        );
        report.interleaved(
            "decode-session: generated / hand-written (time)",
            result,
            false,
            Target::AtMost(1.2),
        );
        let result = report::interleave(
            41,
            || batch_time(&session, 20_000, generated_session),
            || batch_time(&session, 20_000, value),
        );
        report.interleaved(
            "decode-session: generated / Value (time)",
            result,
            false,
            Target::Below(1.0),
        );
    }
    if report::selected("decode-page-1000") {
        let result = report::interleave(
            41,
            || batch_time(&page, 20, generated_page),
            || batch_time(&page, 20, handwritten_page),
        );
        report.interleaved(
            "decode-page-1000: generated / hand-written (time)",
            result,
            false,
            Target::AtMost(1.2),
        );
        let result = report::interleave(
            41,
            || batch_time(&page, 20, generated_page),
            || batch_time(&page, 20, value),
        );
        report.interleaved(
            "decode-page-1000: generated / Value (time)",
            result,
            false,
            Target::Below(1.0),
        );
    }
}

/// With `ROOM_SESSIONS_BENCH_PROFILE=<decoder>:<count>` set (decoder: `generated-session`,
/// `handwritten-session`, `value-session`, `generated-page`, `handwritten-page`,
/// `value-page`), decodes `count` times and exits: a steady workload for a profiler such as
/// `valgrind --tool=callgrind`, whose instruction counts do not depend on the machine's load.
fn profile_if_requested() {
    let Ok(spec) = std::env::var("ROOM_SESSIONS_BENCH_PROFILE") else {
        return;
    };
    let (name, count) = spec.split_once(':').unwrap_or((&spec, "1000"));
    let count: u32 = count.parse().expect("a count");
    let session = fixtures::session_body(0);
    let page = fixtures::page_body(
        "https://example.signalwire.com/api/video",
        0,
        2,
        PAGE_SIZE,
        Some(1000),
    );
    let elapsed = match name {
        "generated-session" => batch_time(&session, count, generated_session),
        "handwritten-session" => batch_time(&session, count, handwritten_session),
        "value-session" => batch_time(&session, count, value),
        "generated-page" => batch_time(&page, count, generated_page),
        "handwritten-page" => batch_time(&page, count, handwritten_page),
        "value-page" => batch_time(&page, count, value),
        other => panic!("unknown decoder {other}"),
    };
    println!("{name}: {count} decodes in {elapsed:?}");
    std::process::exit(0);
}

fn main() {
    profile_if_requested();
    let mut report = Report::new("decode");
    let mut criterion = Criterion::default()
        .output_directory(&report::criterion_dir())
        .configure_from_args();
    decode(&mut criterion);
    criterion.final_summary();

    for group in ["decode-session", "decode-page-1000"] {
        report.ratio(
            &format!("{group}: generated / hand-written (time)"),
            (group, "generated"),
            (group, "handwritten"),
            false,
            Target::AtMost(1.2),
        );
        report.ratio(
            &format!("{group}: generated / Value (time)"),
            (group, "generated"),
            (group, "value"),
            false,
            Target::Below(1.0),
        );
    }
    if report::bench_mode() {
        report.line("interleaved check:");
        interleaved(&mut report);
    }
    report.finish();
}
