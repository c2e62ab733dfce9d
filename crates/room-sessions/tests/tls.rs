//! Real HTTPS requests to a server on 127.0.0.1 whose certificate an authority made for the
//! run signed, with the TLS backend this build was given (`rustls`, `rustls-ring` or
//! `native-tls`): trusted through the builder it answers; otherwise the handshake fails with
//! `Error::Tls`, at once and without a retry.

mod common;

use std::time::Duration;

use common::https::https_server;
use common::*;
use room_sessions::{Certificate, Error};

#[tokio::test]
async fn a_server_whose_authority_is_trusted_through_the_builder_answers() {
    let server = https_server(&["127.0.0.1"]).await;
    let authority = Certificate::from_pem(server.authority_pem.as_bytes()).unwrap();
    let client = builder_at(&server.base)
        .add_root_certificate(authority)
        .build()
        .unwrap();

    let session = client.room_session(SESSION_ID).await.unwrap();

    assert_eq!(session.id, SESSION_ID);
    let served = server.served();
    assert_eq!(served.len(), 1, "{served:?}");
    assert_eq!(served[0].method, "GET");
    assert_eq!(served[0].path, format!("/room_sessions/{SESSION_ID}"));
    assert_eq!(
        served[0].authorization.as_deref(),
        Some(basic_auth().as_str())
    );
}

#[tokio::test]
async fn a_failed_handshake_is_a_tls_error_and_not_retried() {
    // (what is wrong, the server's names, whether the client trusts its authority)
    for (case, names, trusted) in [
        (
            "an authority the client does not trust",
            &["127.0.0.1"],
            false,
        ),
        (
            "a certificate for another name",
            &["sessions.example"],
            true,
        ),
    ] {
        let server = https_server(names).await;
        let mut builder = builder_at(&server.base).timeout(Duration::from_secs(5));
        if trusted {
            let authority = Certificate::from_pem(server.authority_pem.as_bytes()).unwrap();
            builder = builder.add_root_certificate(authority);
        }
        let client = builder.build().unwrap();

        let error = client.room_session(SESSION_ID).await.unwrap_err();

        let Error::Tls { cause, .. } = &error else {
            panic!("{case}: {error:?}");
        };
        // What the TLS library said, whichever it is.
        assert!(
            cause.to_lowercase().contains("certificate"),
            "{case}: {cause}"
        );
        assert!(!error.is_retryable(), "{case}");
        assert!(
            error.to_string().starts_with(&format!(
                "TLS handshake failed ({}/room_sessions/",
                server.base
            )),
            "{case}: {error}"
        );
        assert_eq!(server.connections(), 1, "{case}: retried");
        assert!(server.served().is_empty(), "{case}: {:?}", server.served());
        assert_error_has_no_secret(&error);
    }
}
