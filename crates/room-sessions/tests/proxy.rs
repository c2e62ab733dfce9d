//! Proxies, through a recording proxy on 127.0.0.1: the builder's `.proxy(..)`, and the
//! `HTTPS_PROXY` / `HTTP_PROXY` / `NO_PROXY` variables as reqwest reads them. An `https` API is
//! reached through a `CONNECT` tunnel, so the proxy never sees the API's credentials; a
//! plain-`http` base URL (loopback only) is always reached directly.
//!
//! The environment is the process's: the tests that set it run this test binary again as a
//! child process with its own environment (the `#[ignore]`d test below), never changing this
//! one's, where other tests run at the same time.

mod common;

use std::process::Command;

use common::https::{HttpsServer, https_server};
use common::proxy::{RecordingProxy, recording_proxy};
use common::*;
use room_sessions::{
    Certificate, ClientBuilder, ENV_API_TOKEN, ENV_BASE_URL, ENV_PROJECT_ID, Proxy,
};
use room_sessions_httpmock::httpmock::{Mock, MockServer};
use room_sessions_httpmock::{MockServerExt, values};

/// Every variable reqwest reads for proxies (in both cases), and the CGI marker that makes it
/// ignore `HTTP_PROXY`: cleared in the child, whatever this process was given.
const PROXY_VARIABLES: [&str; 9] = [
    "HTTPS_PROXY",
    "https_proxy",
    "HTTP_PROXY",
    "http_proxy",
    "ALL_PROXY",
    "all_proxy",
    "NO_PROXY",
    "no_proxy",
    "REQUEST_METHOD",
];
/// The PEM certificate the child's client trusts, if any.
const CHILD_AUTHORITY: &str = "ROOM_SESSIONS_TEST_AUTHORITY_PEM";
const CHILD_TEST: &str = "request_with_the_environment_of_this_process";

/// Mounts on a plain-http mock server on 127.0.0.1 the session, answered to a request with
/// the credentials.
fn serve_session(server: &MockServer) -> Mock<'_> {
    server.get_room_session(|when, then| {
        (when.id(&SESSION_ID).into_inner()).header("authorization", basic_auth());
        then.ok(&values::session_current());
    })
}

fn trusting(builder: ClientBuilder, server: &HttpsServer) -> ClientBuilder {
    builder.add_root_certificate(Certificate::from_pem(server.authority_pem.as_bytes()).unwrap())
}

/// Checks that the proxy tunnelled exactly one connection to `server`, and saw no credential
/// of the API's.
fn assert_tunnelled_once(proxy: &RecordingProxy, server: &HttpsServer) {
    let received = proxy.received();
    assert_eq!(received.len(), 1, "{received:?}");
    assert_eq!(received[0].method, "CONNECT");
    assert_eq!(received[0].target, server.authority);
    assert_no_secret(&format!("{received:?}"));
    assert!(
        !received[0]
            .headers
            .lines()
            .any(|line| line.starts_with("authorization:")),
        "{received:?}"
    );
}

/// Checks that `server` answered one request, which carried the API's credentials.
fn assert_served_once_with_credentials(server: &HttpsServer) {
    let served = server.served();
    assert_eq!(served.len(), 1, "{served:?}");
    assert_eq!(
        served[0].authorization.as_deref(),
        Some(basic_auth().as_str())
    );
}

#[tokio::test]
async fn the_builders_proxy_tunnels_https_and_gets_only_its_own_credentials() {
    let (proxy, server) = (recording_proxy().await, https_server(&["127.0.0.1"]).await);
    let client = trusting(builder_at(&server.base), &server)
        .proxy(
            Proxy::all(&proxy.url)
                .unwrap()
                .basic_auth("proxy-user", "proxy-password"),
        )
        .build()
        .unwrap();

    client.room_session(SESSION_ID).await.unwrap();

    assert_tunnelled_once(&proxy, &server);
    assert!(
        proxy.received()[0]
            .headers
            .contains("proxy-authorization: Basic cHJveHktdXNlcjpwcm94eS1wYXNzd29yZA=="),
        "{:?}",
        proxy.received()
    );
    assert_served_once_with_credentials(&server);
}

#[tokio::test]
async fn plain_http_on_loopback_never_goes_through_the_builders_proxy() {
    let (proxy, server) = (recording_proxy().await, MockServer::start_async().await);
    let session = serve_session(&server);
    let client = builder_at(&server.base_url())
        .proxy(Proxy::all(&proxy.url).unwrap())
        .build()
        .unwrap();

    client.room_session(SESSION_ID).await.unwrap();

    assert!(proxy.received().is_empty(), "{:?}", proxy.received());
    session.assert_async().await;
}

/// The child process's test: one request with the client `ClientBuilder::from_env` makes,
/// trusting the authority in `ROOM_SESSIONS_TEST_AUTHORITY_PEM` if set.
#[tokio::test]
#[ignore = "run by environment_proxy_variables_are_honoured, in a process of its own"]
async fn request_with_the_environment_of_this_process() {
    let mut builder = ClientBuilder::from_env().max_attempts(1);
    if let Ok(pem) = std::env::var(CHILD_AUTHORITY) {
        builder = builder.add_root_certificate(Certificate::from_pem(pem.as_bytes()).unwrap());
    }
    let session = builder
        .build()
        .unwrap()
        .room_session(SESSION_ID)
        .await
        .unwrap();
    assert_eq!(session.id, SESSION_ID);
}

/// Runs [`request_with_the_environment_of_this_process`] in a child process with the API at
/// `base`, trusting `authority` if given, and these proxy variables; fails if it does.
async fn request_in_a_child(base: &str, authority: Option<&str>, variables: &[(&str, &str)]) {
    let mut child = Command::new(std::env::current_exe().unwrap());
    child.args(["--exact", CHILD_TEST, "--ignored", "--test-threads=1"]);
    for name in PROXY_VARIABLES {
        child.env_remove(name);
    }
    child
        .env(ENV_BASE_URL, base)
        .env(ENV_PROJECT_ID, values::PROJECT_ID.to_string())
        .env(ENV_API_TOKEN, TOKEN)
        .envs(variables.iter().copied());
    match authority {
        Some(pem) => child.env(CHILD_AUTHORITY, pem),
        None => child.env_remove(CHILD_AUTHORITY),
    };
    let output = tokio::task::spawn_blocking(move || child.output())
        .await
        .unwrap()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success() && stdout.contains("test result: ok. 1 passed"),
        "the child failed ({variables:?}):\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn environment_proxy_variables_are_honoured() {
    // (the variables, whether an https request goes through the proxy)
    let https_cases: [(&[(&str, &str)], bool); 4] = [
        (&[("HTTPS_PROXY", "{proxy}")], true),
        (&[("https_proxy", "{proxy}")], true),
        (
            &[("HTTPS_PROXY", "{proxy}"), ("NO_PROXY", "127.0.0.1")],
            false,
        ),
        // HTTP_PROXY is for http URLs only.
        (&[("HTTP_PROXY", "{proxy}")], false),
    ];
    for (variables, proxied) in https_cases {
        let (proxy, server) = (recording_proxy().await, https_server(&["127.0.0.1"]).await);
        let variables: Vec<(&str, String)> = variables
            .iter()
            .map(|(name, value)| (*name, value.replace("{proxy}", &proxy.url)))
            .collect();
        let variables: Vec<(&str, &str)> = variables
            .iter()
            .map(|(name, value)| (*name, value.as_str()))
            .collect();

        request_in_a_child(&server.base, Some(&server.authority_pem), &variables).await;

        if proxied {
            assert_tunnelled_once(&proxy, &server);
        } else {
            assert!(
                proxy.received().is_empty(),
                "{variables:?}: {:?}",
                proxy.received()
            );
        }
        assert_served_once_with_credentials(&server);
    }

    // Plain http on loopback: directly, whatever the variables say.
    let (proxy, server) = (recording_proxy().await, MockServer::start_async().await);
    let session = serve_session(&server);
    request_in_a_child(
        &server.base_url(),
        None,
        &[("HTTP_PROXY", &proxy.url), ("ALL_PROXY", &proxy.url)],
    )
    .await;
    assert!(proxy.received().is_empty(), "{:?}", proxy.received());
    session.assert_async().await;
}
