//! Reading an error response's body with a bound on what it can make the client hold.
//!
//! The documented error body ([`types::ErrorResponse`]) has an `errors` list of any length:
//! decoded whole, a 32 MiB body of two million short entries becomes about 250 MB of
//! [`types::ApiError`]s. [`ErrorSummary::parse`] keeps the first [`MAX_API_ERRORS`] entries
//! and counts the rest, so its memory is bounded whatever the body lists.

use std::borrow::Cow;

use serde::Deserialize;
use serde::de::{Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use crate::types::{ApiError, ErrorResponse};

/// The most entries of an error body's `errors` list that are kept; the rest are counted
/// ([`ErrorSummary::more_errors`]). A body that lists more is handed on undecoded by the
/// client's hooks (see [`ClientOptions`](crate::ClientOptions)).
pub const MAX_API_ERRORS: usize = 50;

/// What an error body says, read with a bound: its `error`, the first [`MAX_API_ERRORS`]
/// entries of its `errors`, and how many more it listed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ErrorSummary {
    /// The body's `error` string, if it has one.
    pub error: Option<String>,
    /// The first [`MAX_API_ERRORS`] entries of the body's `errors`.
    pub errors: Vec<ApiError>,
    /// How many entries of `errors` there were beyond those kept.
    pub more_errors: usize,
}

impl ErrorSummary {
    /// Reads `body` as the documented error JSON, or `None` if it is not that (not JSON, not
    /// an object, an entry of `errors` without a `message`) or says nothing (neither a
    /// non-blank `error` nor a non-empty `errors`: `{"message": ".."}` is better kept as text).
    ///
    /// ```
    /// use room_sessions_api::ErrorSummary;
    ///
    /// let body = br#"{"errors":[{"code":"invalid_parameter","message":"Name must be present"}]}"#;
    /// let summary = ErrorSummary::parse(body).unwrap();
    /// assert_eq!(summary.errors[0].message, "Name must be present");
    /// assert_eq!(summary.more_errors, 0);
    /// assert_eq!(ErrorSummary::parse(br#"{"message":"Rate limit exceeded"}"#), None);
    /// ```
    pub fn parse(body: &[u8]) -> Option<Self> {
        let wire: Wire = serde_json::from_slice(body).ok()?;
        let (errors, more_errors) = wire
            .errors
            .map_or((Vec::new(), 0), |first| (first.kept, first.more));
        Some(Self {
            error: wire.error,
            errors,
            more_errors,
        })
        .filter(Self::says_what_went_wrong)
    }

    /// The summary of a body the generated code decoded whole, cut to [`MAX_API_ERRORS`]
    /// entries (the hooks hand on undecoded a body that lists more, so nothing is lost).
    pub fn from_decoded(body: ErrorResponse) -> Self {
        let mut errors = body.errors.unwrap_or_default();
        let more_errors = errors.len().saturating_sub(MAX_API_ERRORS);
        errors.truncate(MAX_API_ERRORS);
        Self {
            error: body.error,
            errors,
            more_errors,
        }
    }

    /// Whether it says what went wrong: a non-blank `error` or a non-empty `errors`.
    pub fn says_what_went_wrong(&self) -> bool {
        self.error.as_deref().is_some_and(|e| !e.trim().is_empty()) || !self.errors.is_empty()
    }
}

/// The documented error body, with its `errors` read by [`FirstErrors`]: an object only (a
/// derived `Deserialize` would take an array for a struct too), other keys ignored.
#[derive(Default)]
struct Wire {
    error: Option<String>,
    errors: Option<FirstErrors>,
}

impl<'de> Deserialize<'de> for Wire {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Object;
        impl<'de> Visitor<'de> for Object {
            type Value = Wire;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an error object")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Wire, A::Error> {
                let mut wire = Wire::default();
                while let Some(key) = map.next_key::<Cow<'de, str>>()? {
                    match &*key {
                        "error" => wire.error = map.next_value()?,
                        "errors" => wire.errors = map.next_value()?,
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                Ok(wire)
            }
        }
        deserializer.deserialize_map(Object)
    }
}

/// The first [`MAX_API_ERRORS`] entries of a list, and the count of the rest: every entry is
/// decoded (so that a malformed one fails the body, as the generated type would) and those
/// past the bound are dropped at once.
struct FirstErrors {
    kept: Vec<ApiError>,
    more: usize,
}

impl<'de> Deserialize<'de> for FirstErrors {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Entries;
        impl<'de> Visitor<'de> for Entries {
            type Value = FirstErrors;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a list of errors")
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<FirstErrors, A::Error> {
                let mut first = FirstErrors {
                    kept: Vec::new(),
                    more: 0,
                };
                while let Some(entry) = seq.next_element::<ApiError>()? {
                    if first.kept.len() < MAX_API_ERRORS {
                        first.kept.push(entry);
                    } else {
                        first.more += 1;
                    }
                }
                Ok(first)
            }
        }
        deserializer.deserialize_seq(Entries)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_list_keeps_its_first_entries_and_counts_the_rest() {
        let entries: Vec<String> = (0..10_000)
            .map(|n| format!(r#"{{"message":"problem {n}"}}"#))
            .collect();
        let body = format!(r#"{{"errors":[{}]}}"#, entries.join(","));
        let summary = ErrorSummary::parse(body.as_bytes()).unwrap();
        assert_eq!(summary.errors.len(), MAX_API_ERRORS);
        assert_eq!(summary.errors[49].message, "problem 49");
        assert_eq!(summary.more_errors, 10_000 - MAX_API_ERRORS);
    }

    #[test]
    fn only_the_documented_shape_that_says_something_is_read() {
        for (body, read) in [
            (&br#"{"error":"Not Found"}"#[..], true),
            (br#"{"error":"  ","errors":[]}"#, false),
            (br#"{"errors":null}"#, false),
            (br#"{"errors":[{"code":"x"}]}"#, false),
            (br#"["odd"]"#, false),
            (
                br#"{"errors":[{"message":"m"}],"error":null,"other":[1]}"#,
                true,
            ),
            (b"<html>Bad Gateway</html>", false),
        ] {
            assert_eq!(
                ErrorSummary::parse(body).is_some(),
                read,
                "{}",
                String::from_utf8_lossy(body)
            );
        }
    }
}
