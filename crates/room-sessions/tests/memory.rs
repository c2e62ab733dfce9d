//! The memory a response body takes is bounded by its length, whatever its framing: a 1 MiB
//! body sent in one-byte chunks. Its own test binary, with one test, because the heap profiler
//! counts every allocation of the process.

mod common;

use common::{RawReply, SESSION_ID, builder_at, raw_server};

#[global_allocator]
static HEAP: dhat::Alloc = dhat::Alloc;

/// The body: a session whose name makes it exactly 1 MiB of JSON.
const BODY_LEN: usize = 1024 * 1024;

/// The body, and the length of the name it holds.
fn body() -> (&'static [u8], usize) {
    let start = format!(r#"{{"id":"{SESSION_ID}","name":""#);
    let end = r#""}"#;
    let name = "n".repeat(BODY_LEN - start.len() - end.len());
    let body = format!("{start}{name}{end}");
    assert_eq!(body.len(), BODY_LEN);
    (Box::leak(body.into_bytes().into_boxed_slice()), name.len())
}

#[tokio::test(flavor = "current_thread")]
async fn a_body_in_one_byte_chunks_takes_memory_in_proportion_to_its_length() {
    let (body, name_len) = body();
    let server = raw_server(RawReply::Chunked {
        head: "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\
               transfer-encoding: chunked\r\n\r\n",
        body,
        size: 1,
    })
    .await;
    let client = builder_at(&server.base).build().unwrap();

    let profiler = dhat::Profiler::builder().testing().build();
    let session = client.room_session(SESSION_ID).await.unwrap();
    let stats = dhat::HeapStats::get();
    drop(profiler);

    assert_eq!(session.name.as_deref().map(str::len), Some(name_len));
    // The body once in one buffer, the name decoded from it, and what the connection and the
    // decoding need besides: at most three times the body (reqwest's `bytes()` alone, one
    // buffer entry per frame, took about forty).
    let peak = stats.max_bytes;
    eprintln!("peak heap: {peak} bytes for a body of {BODY_LEN}");
    assert!(
        peak <= 3 * BODY_LEN,
        "peak heap {peak} bytes for a body of {BODY_LEN}"
    );
}
