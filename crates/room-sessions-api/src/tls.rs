//! The TLS backend, chosen by this crate's features: `rustls` (the default: rustls on
//! aws-lc-rs), `rustls-ring` (rustls on ring, which builds without cmake or NASM) or
//! `native-tls` (the platform's library). With more than one, reqwest prefers native-tls.
//!
//! reqwest has no feature for rustls on ring: with `rustls-no-provider` (what `rustls-ring`
//! turns on) it uses rustls's process-wide default provider, and building a `reqwest::Client`
//! panics when there is none. [`init`] installs ring as that default.

#[cfg(not(any(feature = "rustls", feature = "rustls-ring", feature = "native-tls")))]
compile_error!(
    "room-sessions-api has no TLS backend: enable one of its features `rustls` (the default), \
     `rustls-ring` or `native-tls` (room-sessions, room-sessions-httpmock and \
     room-sessions-cli have the same features and pass them on)"
);

/// Makes the TLS backend ready for a `reqwest::Client` to be built.
///
/// With the `rustls-ring` feature (and not `rustls`, whose aws-lc-rs provider reqwest uses by
/// itself), it installs rustls's ring provider as the process-wide default, unless a provider
/// is installed already (then that one is used). Otherwise it does nothing. It is cheap to call
/// again.
///
/// [`ClientOptions::new`](crate::ClientOptions::new) calls it, so [`Client::new`](crate::Client::new)
/// needs no call of yours. Call it before you build a `reqwest::Client` of your own (for
/// [`Client::new_with_client`](crate::Client::new_with_client)) when nothing else in your
/// program installs a provider.
///
/// ```
/// room_sessions_api::tls::init();
/// let http = reqwest::Client::builder().build().unwrap();
/// # drop(http);
/// ```
pub fn init() {
    #[cfg(all(feature = "rustls-ring", not(feature = "rustls")))]
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        // An error means another thread installed one first: that one serves as well.
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
}
