//! Peak memory against awkward bodies. Each reader runs in a process of its own (this
//! executable started again with `ROOM_SESSIONS_BENCH_HOSTILE_CHILD` set) and reports its peak
//! resident set size; the servers live in this process, out of the figure.
//!
//! - `hostile-endless`: a 200 response whose chunked body is 512 MiB of JSON whitespace, read
//!   by the wrapper with its default body limit (32 MiB) and with a 1 MiB limit (both stop at
//!   the limit with `Error::ResponseTooLarge`), and by raw reqwest reading the whole body
//!   (`Response::bytes`, then `serde_json`), as a reader without a limit does (and as the
//!   wrapper did before it had one). Target: the wrapper's peak stays near its limit, whatever
//!   the server sends.
//! - `hostile-tiny-chunks-memory`: a 1 MiB room session (its name fills it) sent in one-byte
//!   chunks (`1\r\nX\r\n` per byte), read by the wrapper and by raw reqwest
//!   (`Response::bytes` + `serde_json`), beside the baseline process of the paging bench (the
//!   wrapper built, one session fetched), under the paging bench's two allocator settings.
//!   Target: memory follows the body's length, not its number of frames: at most 3 times the
//!   body over the baseline (the bound `tests/memory.rs` of room-sessions puts on the heap).
//! - `hostile-tiny-chunks-time`: the time to read that body, wrapper / raw reqwest, in
//!   interleaved rounds in this process. Target: no slower (at most 1).
//!
//! `cargo bench -p room-sessions-benchmarks --bench hostile [-- endless | tiny-chunks-memory |
//! tiny-chunks-time]`.

use std::time::{Duration, Instant};

use bytes::Bytes;
use room_sessions_benchmarks::clients::{self, Raw};
use room_sessions_benchmarks::fixtures;
use room_sessions_benchmarks::memory::{
    self, ALLOCATORS, Mode, Scenario, child_result, peak_rss_kib,
};
use room_sessions_benchmarks::report::{self, Report, Target};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use uuid::Uuid;

const CHILD_ENV: &str = "ROOM_SESSIONS_BENCH_HOSTILE_CHILD";
const URL_ENV: &str = "ROOM_SESSIONS_BENCH_HOSTILE_URL";

/// The size of the endless body.
const BODY_BYTES: usize = 512 * 1024 * 1024;
const CHUNK_BYTES: usize = 64 * 1024;

/// The size of the body sent in one-byte chunks.
const TINY_BODY_BYTES: usize = 1024 * 1024;
/// The same in `cargo test --benches`, whose debug build takes seconds for a million frames.
const TINY_BODY_BYTES_SMOKE: usize = 16 * 1024;

/// The head of a 200 response with a chunked JSON body.
const CHUNKED_HEAD: &str = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\
                            transfer-encoding: chunked\r\n\r\n";

/// How a child process reads a response.
#[derive(Clone, Copy, Debug)]
enum Reader {
    /// The wrapper with this body limit (`None`: the default).
    Wrapper(Option<usize>),
    /// reqwest's `Response::bytes` (no limit), then `serde_json` into the generated type.
    Raw,
}

impl Reader {
    fn encode(self) -> String {
        match self {
            Reader::Wrapper(None) => "wrapper".to_owned(),
            Reader::Wrapper(Some(limit)) => format!("wrapper:{limit}"),
            Reader::Raw => "raw".to_owned(),
        }
    }

    fn decode(text: &str) -> Reader {
        match text.split_once(':') {
            Some(("wrapper", limit)) => Reader::Wrapper(Some(limit.parse().expect("a limit"))),
            None if text == "wrapper" => Reader::Wrapper(None),
            None if text == "raw" => Reader::Raw,
            _ => panic!("unknown reader {text:?}"),
        }
    }

    fn describe(self) -> String {
        match self {
            Reader::Wrapper(None) => format!(
                "wrapper, default limit ({} MiB)",
                room_sessions::DEFAULT_MAX_RESPONSE_BYTES >> 20
            ),
            Reader::Wrapper(Some(limit)) => {
                format!("wrapper, max_response_bytes {} MiB", limit >> 20)
            }
            Reader::Raw => "raw reqwest, Response::bytes + serde_json (no limit)".to_owned(),
        }
    }

    /// The reader's client for the API at `url`.
    fn client(self, url: &str) -> ReaderClient {
        match self {
            Reader::Wrapper(limit) => {
                let mut builder = clients::wrapper_builder(url);
                if let Some(limit) = limit {
                    builder = builder.max_response_bytes(limit);
                }
                ReaderClient::Wrapper(builder.build().expect("a client"))
            }
            Reader::Raw => ReaderClient::Raw(Raw::new(url)),
        }
    }
}

/// The client of a [`Reader`].
enum ReaderClient {
    Wrapper(room_sessions::Client),
    Raw(Raw),
}

impl ReaderClient {
    /// Fetches the session: what came of it, as the report shows it.
    async fn read(&self) -> String {
        let id = Uuid::parse_str(clients::SESSION_ID).expect("a session id");
        let read = match self {
            ReaderClient::Wrapper(client) => client
                .room_session(id)
                .await
                .map(|session| session.name.as_deref().map_or(0, str::len))
                .map_err(|error| error.to_string()),
            ReaderClient::Raw(raw) => raw
                .room_session(id)
                .await
                .map(|session| session.name.as_deref().map_or(0, str::len))
                .map_err(|error| error.to_string()),
        };
        match read {
            Ok(name_len) => decoded(name_len),
            Err(error) => format!("error: {error}"),
        }
    }
}

/// The outcome of reading a session whose name has `name_len` bytes.
fn decoded(name_len: usize) -> String {
    format!("decoded, a name of {name_len} bytes")
}

/// What the server sends in answer to each request.
#[derive(Clone)]
enum Reply {
    /// A 200 with `BODY_BYTES` of whitespace in chunks of `CHUNK_BYTES`.
    Endless,
    /// These bytes, a whole response; the connection stays open for the next request.
    Whole(Bytes),
}

/// Serves `reply` to every request of every connection.
async fn serve(listener: TcpListener, reply: Reply) {
    loop {
        let Ok((mut socket, _)) = listener.accept().await else {
            return;
        };
        let reply = reply.clone();
        tokio::spawn(async move {
            let mut pending = Vec::new();
            let mut buffer = [0u8; 1024];
            loop {
                // Up to the end of a request's head: a GET has no body.
                let end = loop {
                    if let Some(at) = pending.windows(4).position(|w| w == b"\r\n\r\n") {
                        break at + 4;
                    }
                    match socket.read(&mut buffer).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => pending.extend_from_slice(&buffer[..n]),
                    }
                };
                pending.drain(..end);
                match &reply {
                    Reply::Endless => {
                        if socket.write_all(CHUNKED_HEAD.as_bytes()).await.is_err() {
                            return;
                        }
                        let chunk = format!("{CHUNK_BYTES:x}\r\n{}\r\n", " ".repeat(CHUNK_BYTES));
                        for _ in 0..BODY_BYTES / CHUNK_BYTES {
                            if socket.write_all(chunk.as_bytes()).await.is_err() {
                                return;
                            }
                        }
                        let _ = socket.write_all(b"2\r\n{}\r\n0\r\n\r\n").await;
                        return;
                    }
                    Reply::Whole(response) => {
                        if socket.write_all(response).await.is_err() {
                            return;
                        }
                    }
                }
            }
        });
    }
}

/// Starts serving `reply` on 127.0.0.1 on `runtime`: the API's base URL there.
fn start(runtime: &tokio::runtime::Runtime, reply: Reply) -> String {
    let listener = runtime
        .block_on(TcpListener::bind("127.0.0.1:0"))
        .expect("a port");
    let url = format!(
        "http://{}/api/video",
        listener.local_addr().expect("an address")
    );
    runtime.spawn(serve(listener, reply));
    url
}

/// A room session of exactly `len` bytes of JSON, every field present (the fixtures' first),
/// its name made long enough to fill it; and the length of the name.
fn long_session(len: usize) -> (Vec<u8>, usize) {
    let session = fixtures::session_body(0);
    let text = std::str::from_utf8(&session).expect("JSON is UTF-8");
    let (start, rest) = text.split_once(r#""name":""#).expect("a name");
    let (name, rest) = rest.split_once('"').expect("the end of the name");
    let padding = "n".repeat(len - session.len());
    let body = format!(r#"{start}"name":"{name}{padding}"{rest}"#);
    assert_eq!(body.len(), len);
    (body.into_bytes(), name.len() + padding.len())
}

/// A 200 response with `body` in one-byte chunks: `1\r\nX\r\n` for each byte.
fn in_one_byte_chunks(body: &[u8]) -> Bytes {
    let mut response = Vec::with_capacity(CHUNKED_HEAD.len() + 6 * body.len() + 5);
    response.extend_from_slice(CHUNKED_HEAD.as_bytes());
    for &byte in body {
        response.extend_from_slice(b"1\r\n");
        response.push(byte);
        response.extend_from_slice(b"\r\n");
    }
    response.extend_from_slice(b"0\r\n\r\n");
    Bytes::from(response)
}

/// In a child process: reads the response as the reader asked for does, prints the outcome and
/// the peak RSS, and exits.
fn child_main_if_requested() {
    let Ok(reader) = std::env::var(CHILD_ENV) else {
        return;
    };
    let reader = Reader::decode(&reader);
    let url = std::env::var(URL_ENV).expect("the server's URL");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let outcome = runtime.block_on(reader.client(&url).read());
    drop(runtime);
    println!(
        "HOSTILE peak_rss_kib={} outcome={outcome}",
        peak_rss_kib().unwrap_or(0)
    );
    std::process::exit(0);
}

/// Reads the response at `url` with `reader` in a child process with the extra environment
/// `env`: its peak RSS in KiB, and what came of it.
fn in_child(reader: Reader, url: &str, env: &[(&str, &str)]) -> (u64, String) {
    let exe = std::env::current_exe().expect("the benchmark's executable");
    let encoded = reader.encode();
    let mut child_env = vec![(CHILD_ENV, encoded.as_str()), (URL_ENV, url)];
    child_env.extend_from_slice(env);
    let line = child_result(&exe, &child_env, "HOSTILE ");
    let (rss, outcome) = line.split_once(" outcome=").expect("an outcome");
    let kib = rss
        .strip_prefix("peak_rss_kib=")
        .and_then(|kib| kib.parse().ok())
        .expect("a peak RSS");
    (kib, outcome.to_owned())
}

fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

fn endless(report: &mut Report, url: &str) {
    report.line(format!(
        "hostile-endless: peak RSS (VmHWM) of a process reading a 200 response whose chunked \
         body is {} MiB of whitespace:",
        BODY_BYTES >> 20
    ));
    // `cargo test --benches` runs one reader only, to check the harness works.
    let readers: &[Reader] = if report::bench_mode() {
        &[
            Reader::Wrapper(None),
            Reader::Wrapper(Some(1024 * 1024)),
            Reader::Raw,
        ]
    } else {
        &[Reader::Wrapper(Some(1024 * 1024))]
    };
    for &reader in readers {
        let (kib, outcome) = in_child(reader, url, &[]);
        if let Reader::Wrapper(_) = reader {
            assert!(
                outcome.contains("response body over the limit"),
                "{reader:?}: {outcome}"
            );
        }
        report.line(format!(
            "  {:<55} {:>7.1} MiB  ({outcome})",
            reader.describe(),
            mib(kib)
        ));
    }
}

fn tiny_chunks_memory(report: &mut Report, url: &str, body_len: usize, name_len: usize) {
    let full = report::bench_mode();
    let runs = if full { 3 } else { 1 };
    report.line(format!(
        "hostile-tiny-chunks-memory: a {} KiB room session in one-byte chunks ({:.1} MiB on the \
         wire); peak RSS (VmHWM), the largest of {runs} run(s):",
        body_len >> 10,
        (6 * body_len) as f64 / (1 << 20) as f64,
    ));
    let exe = std::env::current_exe().expect("the benchmark's executable");
    let allocators = if full { ALLOCATORS } else { &ALLOCATORS[..1] };
    for &(allocator, env) in allocators {
        report.line(format!("  {allocator}:"));
        let scenario = Scenario {
            mode: Mode::Baseline,
            pages: 1,
            page_size: 1,
        };
        let baseline = (0..runs)
            .map(|_| memory::measure(&exe, scenario, env).peak_rss_kib)
            .max()
            .unwrap_or(0);
        report.line(format!(
            "    {:<55} {:>5.1} MiB",
            "baseline (wrapper built, one session fetched)",
            mib(baseline)
        ));
        for reader in [Reader::Wrapper(None), Reader::Raw] {
            let peaks: Vec<u64> = (0..runs)
                .map(|_| {
                    let (kib, outcome) = in_child(reader, url, env);
                    assert_eq!(outcome, decoded(name_len), "{reader:?} read the whole body");
                    kib
                })
                .collect();
            let (low, peak) = (peaks.iter().min(), peaks.iter().max());
            let (low, peak) = (low.copied().unwrap_or(0), peak.copied().unwrap_or(0));
            let over = mib(peak.saturating_sub(baseline));
            report.line(format!(
                "    {:<55} {:>5.1} MiB (runs {:.1}..{:.1}), {over:+.1} MiB over the baseline",
                reader.describe(),
                mib(peak),
                mib(low),
                mib(peak),
            ));
            let per_body = over * (1 << 20) as f64 / body_len as f64;
            let detail = format!("{over:.1} MiB for a body of {} KiB", body_len >> 10);
            match reader {
                // The bound tests/memory.rs of room-sessions puts on the wrapper's heap.
                Reader::Wrapper(_) => report.figure(
                    "    wrapper, peak over the baseline / the body's length",
                    per_body,
                    &detail,
                    Target::AtMost(3.0),
                ),
                Reader::Raw => report.line(format!(
                    "    raw reqwest, peak over the baseline / the body's length: {per_body:.3} \
                     ({detail})"
                )),
            }
        }
    }
}

fn tiny_chunks_time(report: &mut Report, url: &str, name_len: usize) {
    // Both clients on one thread of this process, the server on its own.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("the clients' runtime");
    let wrapper = Reader::Wrapper(None).client(url);
    let raw = Reader::Raw.client(url);
    let time = |client: &ReaderClient, times: &mut Vec<Duration>| {
        let started = Instant::now();
        let outcome = runtime.block_on(client.read());
        let elapsed = started.elapsed();
        assert_eq!(outcome, decoded(name_len));
        times.push(elapsed);
        elapsed
    };
    let rounds = if report::bench_mode() { 21 } else { 1 };
    let (mut wrapper_times, mut raw_times) = (Vec::new(), Vec::new());
    let result = report::interleave(
        rounds,
        || time(&wrapper, &mut wrapper_times),
        || time(&raw, &mut raw_times),
    );
    // The median read of each, the warm-up left out.
    let median = |times: &mut Vec<Duration>| {
        let times = &mut times[1..];
        times.sort();
        times[times.len() / 2]
    };
    report.interleaved(
        &format!(
            "hostile-tiny-chunks-time: the time to read it, wrapper / raw reqwest (median read: \
             wrapper {:.1?}, raw {:.1?})",
            median(&mut wrapper_times),
            median(&mut raw_times)
        ),
        result,
        false,
        Target::AtMost(1.0),
    );
}

fn main() {
    // The baseline of the tiny chunks' memory is the paging bench's, run from here.
    memory::child_main_if_requested();
    child_main_if_requested();
    let run_endless = report::selected("hostile-endless");
    let run_memory = report::selected("hostile-tiny-chunks-memory");
    let run_time = report::selected("hostile-tiny-chunks-time");
    if !run_endless && !run_memory && !run_time {
        return;
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("the server's runtime");
    let mut report = Report::new("hostile");
    if run_endless {
        let url = start(&runtime, Reply::Endless);
        endless(&mut report, &url);
    }
    if run_memory || run_time {
        let body_len = if report::bench_mode() {
            TINY_BODY_BYTES
        } else {
            TINY_BODY_BYTES_SMOKE
        };
        let (body, name_len) = long_session(body_len);
        let url = start(&runtime, Reply::Whole(in_one_byte_chunks(&body)));
        if run_memory {
            tiny_chunks_memory(&mut report, &url, body_len, name_len);
        }
        if run_time {
            tiny_chunks_time(&mut report, &url, name_len);
        }
    }
    report.finish();
    runtime.shutdown_background();
}
