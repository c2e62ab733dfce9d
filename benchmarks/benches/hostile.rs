//! Peak memory against a hostile server: a 200 response whose chunked body is 512 MiB of JSON
//! whitespace. Each reader runs in a process of its own (this executable started again with
//! `ROOM_SESSIONS_BENCH_HOSTILE_CHILD` set) and reports its peak resident set size; the server
//! lives in this process, out of the figure.
//!
//! - the wrapper with its default body limit (32 MiB) and with a 1 MiB limit: both stop at the
//!   limit with `Error::ResponseTooLarge`;
//! - raw reqwest reading the whole body (`Response::bytes`), as a reader without a limit does
//!   (and as the wrapper did before it had one).
//!
//! Target: the wrapper's peak stays near its limit, whatever the server sends.
//! `cargo bench -p room-sessions-benchmarks --bench hostile`.

use room_sessions_benchmarks::clients;
use room_sessions_benchmarks::memory::{child_result, peak_rss_kib};
use room_sessions_benchmarks::report::{self, Report};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const CHILD_ENV: &str = "ROOM_SESSIONS_BENCH_HOSTILE_CHILD";
const URL_ENV: &str = "ROOM_SESSIONS_BENCH_HOSTILE_URL";

/// The size of the hostile body.
const BODY_BYTES: usize = 512 * 1024 * 1024;
const CHUNK_BYTES: usize = 64 * 1024;

/// How a child process reads the hostile response.
#[derive(Clone, Copy, Debug)]
enum Reader {
    /// The wrapper with this body limit (`None`: the default).
    Wrapper(Option<usize>),
    /// reqwest's `Response::bytes`, no limit.
    RawBytes,
}

impl Reader {
    fn encode(self) -> String {
        match self {
            Reader::Wrapper(None) => "wrapper".to_owned(),
            Reader::Wrapper(Some(limit)) => format!("wrapper:{limit}"),
            Reader::RawBytes => "raw".to_owned(),
        }
    }

    fn decode(text: &str) -> Reader {
        match text.split_once(':') {
            Some(("wrapper", limit)) => Reader::Wrapper(Some(limit.parse().expect("a limit"))),
            None if text == "wrapper" => Reader::Wrapper(None),
            None if text == "raw" => Reader::RawBytes,
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
            Reader::RawBytes => "raw reqwest, Response::bytes (no limit)".to_owned(),
        }
    }
}

/// Serves, to every connection, a 200 with `BODY_BYTES` of whitespace in chunks.
async fn serve(listener: TcpListener) {
    loop {
        let Ok((mut socket, _)) = listener.accept().await else {
            return;
        };
        tokio::spawn(async move {
            let mut head = Vec::new();
            let mut buffer = [0u8; 1024];
            while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                match socket.read(&mut buffer).await {
                    Ok(0) | Err(_) => return,
                    Ok(n) => head.extend_from_slice(&buffer[..n]),
                }
            }
            let start = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\
                         transfer-encoding: chunked\r\n\r\n";
            if socket.write_all(start.as_bytes()).await.is_err() {
                return;
            }
            let chunk = format!("{CHUNK_BYTES:x}\r\n{}\r\n", " ".repeat(CHUNK_BYTES));
            for _ in 0..BODY_BYTES / CHUNK_BYTES {
                if socket.write_all(chunk.as_bytes()).await.is_err() {
                    return;
                }
            }
            let _ = socket.write_all(b"2\r\n{}\r\n0\r\n\r\n").await;
        });
    }
}

/// In a child process: reads the response as `reader` does, prints the outcome and the peak
/// RSS, and exits.
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
    let outcome = runtime.block_on(async {
        match reader {
            Reader::Wrapper(limit) => {
                let mut builder = room_sessions::Client::builder()
                    .base_url(&url)
                    .project_id(clients::PROJECT_ID)
                    .api_token(clients::TOKEN);
                if let Some(limit) = limit {
                    builder = builder.max_response_bytes(limit);
                }
                let client = builder.build().expect("a client");
                match client.room_session(clients::SESSION_ID).await {
                    Ok(_) => "decoded".to_owned(),
                    Err(error) => format!("error: {error}"),
                }
            }
            Reader::RawBytes => {
                let response = clients::reqwest_client()
                    .get(format!("{url}/room_sessions/{}", clients::SESSION_ID))
                    .send()
                    .await
                    .expect("a response");
                let body = response.bytes().await.expect("the whole body");
                format!("read {} MiB", body.len() >> 20)
            }
        }
    });
    drop(runtime);
    println!(
        "HOSTILE peak_rss_kib={} outcome={outcome}",
        peak_rss_kib().unwrap_or(0)
    );
    std::process::exit(0);
}

fn main() {
    child_main_if_requested();
    if !report::selected("hostile") {
        return;
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("the server's runtime");
    let listener = runtime
        .block_on(TcpListener::bind("127.0.0.1:0"))
        .expect("a port");
    let url = format!(
        "http://{}/api/video",
        listener.local_addr().expect("an address")
    );
    runtime.spawn(serve(listener));

    let exe = std::env::current_exe().expect("the benchmark's executable");
    let mut report = Report::new("hostile");
    report.line(format!(
        "peak RSS (VmHWM) of a process reading a 200 response whose chunked body is {} MiB of \
         whitespace:",
        BODY_BYTES >> 20
    ));
    // `cargo test --benches` runs one reader only, to check the harness works.
    let readers: &[Reader] = if report::bench_mode() {
        &[
            Reader::Wrapper(None),
            Reader::Wrapper(Some(1024 * 1024)),
            Reader::RawBytes,
        ]
    } else {
        &[Reader::Wrapper(Some(1024 * 1024))]
    };
    for &reader in readers {
        let encoded = reader.encode();
        let line = child_result(&exe, &[(CHILD_ENV, &encoded), (URL_ENV, &url)], "HOSTILE ");
        let (rss, outcome) = line.split_once(" outcome=").expect("an outcome");
        let kib: u64 = rss
            .strip_prefix("peak_rss_kib=")
            .and_then(|kib| kib.parse().ok())
            .expect("a peak RSS");
        if let Reader::Wrapper(_) = reader {
            assert!(
                outcome.contains("response body over the limit"),
                "{reader:?}: {outcome}"
            );
        }
        report.line(format!(
            "  {:<45} {:>7.1} MiB  ({outcome})",
            reader.describe(),
            kib as f64 / 1024.0
        ));
    }
    report.finish();
    runtime.shutdown_background();
}
