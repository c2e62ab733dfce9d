//! Value types that keep what the server sends, even values the spec does not list.
//!
//! SignalWire adds layouts and states without a new API version, and the current API types
//! `fps` as a JSON `number` (`30.0`). typify turns an OpenAPI `enum` into a strict Rust enum, so
//! one unknown value would fail the whole response, and upstream declines a catch-all variant
//! (typify issue #862). `cargo xtask codegen` therefore replaces the spec's `SessionStatus`,
//! `VideoQuality`, `RoomLayout`, `RecordingStatus` and `FrameRate` schemas with the types of this
//! module (typify's `with_replacement`): known values get a variant, anything else is kept as
//! `Other(..)` and written back unchanged. A value of another JSON type than documented
//! (`"quality": 720`, `"layout": {..}`, `"fps": "30fps"`) is kept too, as its JSON text (or
//! [`FrameRate::Text`]), rather than failing a whole page of sessions over one field.

use std::fmt;
use std::str::FromStr;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// Declares an open string enum: one variant per documented value plus `Other(String)`, with
/// the string conversions and serde impls every such type needs.
macro_rules! open_string_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$variant_meta:meta])* $variant:ident => $wire:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$variant_meta])* $variant, )+
            /// A value this version of the client does not know, kept as the server sent it.
            Other(String),
        }

        impl $name {
            /// Every value the spec documents, in the spec's order.
            pub const KNOWN: &'static [$name] = &[$($name::$variant),+];

            /// The value as it is sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $( $name::$variant => $wire, )+
                    $name::Other(value) => value,
                }
            }

            /// Whether the value is one the spec documents (not `Other`).
            pub fn is_known(&self) -> bool {
                !matches!(self, $name::Other(_))
            }

            fn from_known(value: &str) -> Option<Self> {
                match value {
                    $( $wire => Some($name::$variant), )+
                    _ => None,
                }
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                Self::from_known(value).unwrap_or_else(|| $name::Other(value.to_owned()))
            }
        }

        impl From<String> for $name {
            fn from(value: String) -> Self {
                Self::from_known(&value).unwrap_or($name::Other(value))
            }
        }

        impl FromStr for $name {
            type Err = std::convert::Infallible;

            fn from_str(value: &str) -> Result<Self, Self::Err> {
                Ok(Self::from(value))
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                deserializer.deserialize_any(OpenStringVisitor::<$name>::new(stringify!($name)))
            }
        }
    };
}

/// Deserializes any string into an open enum without allocating for documented values, and
/// any other JSON value into its JSON text (then `Other`, as no documented value is one).
struct OpenStringVisitor<T> {
    expecting: &'static str,
    _target: std::marker::PhantomData<T>,
}

impl<T> OpenStringVisitor<T> {
    fn new(expecting: &'static str) -> Self {
        Self {
            expecting,
            _target: std::marker::PhantomData,
        }
    }
}

impl<'de, T: for<'a> From<&'a str> + From<String>> Visitor<'de> for OpenStringVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a string ({})", self.expecting)
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<T, E> {
        Ok(T::from(value))
    }

    fn visit_string<E: de::Error>(self, value: String) -> Result<T, E> {
        Ok(T::from(value))
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<T, E> {
        Ok(T::from(value.to_string()))
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<T, E> {
        Ok(T::from(value.to_string()))
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<T, E> {
        Ok(T::from(value.to_string()))
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<T, E> {
        Ok(T::from(json_text(value)?))
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<T, A::Error> {
        let value = serde_json::Value::deserialize(de::value::SeqAccessDeserializer::new(seq))?;
        Ok(T::from(json_text(value)?))
    }

    fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        let value = serde_json::Value::deserialize(de::value::MapAccessDeserializer::new(map))?;
        Ok(T::from(json_text(value)?))
    }
}

/// A value as compact JSON text.
fn json_text<E: de::Error>(value: impl Serialize) -> Result<String, E> {
    serde_json::to_string(&value).map_err(E::custom)
}

open_string_enum! {
    /// The state of a room session.
    pub enum SessionStatus {
        /// The session is running: members can be in it.
        InProgress => "in-progress",
        /// The session has ended.
        Completed => "completed",
    }
}

open_string_enum! {
    /// The resolution of a room session's video.
    pub enum VideoQuality {
        /// 1280x720.
        P720 => "720p",
        /// 1920x1080.
        P1080 => "1080p",
    }
}

open_string_enum! {
    /// A room session's video layout. SignalWire adds layouts over time; those arrive as `Other`.
    pub enum RoomLayout {
        /// A responsive grid; the default.
        GridResponsive => "grid-responsive",
        /// A responsive grid for mobile screens.
        GridResponsiveMobile => "grid-responsive-mobile",
        /// One member highlighted, the others around them.
        Highlight1Responsive => "highlight-1-responsive",
        /// One member.
        L1x1 => "1x1",
        /// Two members side by side.
        L2x1 => "2x1",
        /// A 2 by 2 grid.
        L2x2 => "2x2",
        /// Five members: one large, four small.
        L5up => "5up",
        /// A 3 by 3 grid.
        L3x3 => "3x3",
        /// A 4 by 4 grid.
        L4x4 => "4x4",
        /// A 5 by 5 grid.
        L5x5 => "5x5",
        /// A 6 by 6 grid.
        L6x6 => "6x6",
        /// An 8 by 8 grid.
        L8x8 => "8x8",
        /// A 10 by 10 grid.
        L10x10 => "10x10",
    }
}

open_string_enum! {
    /// The state of a recording.
    pub enum RecordingStatus {
        /// Recording is under way.
        Recording => "recording",
        /// Recording is paused.
        Paused => "paused",
        /// Recording has stopped and the media file is being produced.
        Processing => "processing",
        /// The media file is ready.
        Completed => "completed",
    }
}

/// A room session's frames per second: 20 or 30 as documented, any other number kept as sent.
///
/// The current API types `fps` as a JSON `number`, so `30` and `30.0` both mean [`FrameRate::Fps30`].
/// A string holding a number (`"30"`) is accepted too; any other value (`"30fps"`) is kept as
/// [`FrameRate::Text`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FrameRate {
    /// 20 frames per second.
    Fps20,
    /// 30 frames per second.
    Fps30,
    /// A rate this version of the client does not know, kept as the server sent it.
    Other(serde_json::Number),
    /// A value that is not a number (such as `"30fps"`): the string as the server sent it, or
    /// the JSON text of another value.
    Text(String),
}

impl FrameRate {
    /// The rate as a number of frames per second; NaN for [`FrameRate::Text`].
    pub fn as_f64(&self) -> f64 {
        match self {
            FrameRate::Fps20 => 20.0,
            FrameRate::Fps30 => 30.0,
            // A serde_json::Number always converts to f64 unless arbitrary precision is enabled,
            // where NaN marks a value f64 cannot hold.
            FrameRate::Other(number) => number.as_f64().unwrap_or(f64::NAN),
            FrameRate::Text(_) => f64::NAN,
        }
    }

    /// Whether the rate is one the spec documents (not `Other` or `Text`).
    pub fn is_known(&self) -> bool {
        matches!(self, FrameRate::Fps20 | FrameRate::Fps30)
    }

    fn from_number(number: serde_json::Number) -> Self {
        match number.as_f64() {
            Some(20.0) => FrameRate::Fps20,
            Some(30.0) => FrameRate::Fps30,
            _ => FrameRate::Other(number),
        }
    }
}

impl From<u32> for FrameRate {
    fn from(rate: u32) -> Self {
        Self::from_number(rate.into())
    }
}

impl fmt::Display for FrameRate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FrameRate::Fps20 => f.write_str("20"),
            FrameRate::Fps30 => f.write_str("30"),
            FrameRate::Other(number) => fmt::Display::fmt(number, f),
            FrameRate::Text(text) => f.write_str(text),
        }
    }
}

/// The error of parsing a [`FrameRate`] from text that is not a number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseFrameRateError {
    text: String,
}

impl fmt::Display for ParseFrameRateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "frame rate {:?} is not a number", self.text)
    }
}

impl std::error::Error for ParseFrameRateError {}

impl FromStr for FrameRate {
    type Err = ParseFrameRateError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        serde_json::from_str::<serde_json::Number>(text.trim())
            .map(Self::from_number)
            .map_err(|_| ParseFrameRateError {
                text: text.to_owned(),
            })
    }
}

impl Serialize for FrameRate {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            FrameRate::Fps20 => serializer.serialize_u8(20),
            FrameRate::Fps30 => serializer.serialize_u8(30),
            FrameRate::Other(number) => number.serialize(serializer),
            FrameRate::Text(text) => serializer.serialize_str(text),
        }
    }
}

impl<'de> Deserialize<'de> for FrameRate {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct FrameRateVisitor;

        impl<'de> Visitor<'de> for FrameRateVisitor {
            type Value = FrameRate;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a frame rate (a number such as 20, 30 or 30.0, or any value)")
            }

            fn visit_u64<E: de::Error>(self, value: u64) -> Result<FrameRate, E> {
                Ok(FrameRate::from_number(value.into()))
            }

            fn visit_i64<E: de::Error>(self, value: i64) -> Result<FrameRate, E> {
                Ok(FrameRate::from_number(value.into()))
            }

            fn visit_f64<E: de::Error>(self, value: f64) -> Result<FrameRate, E> {
                Ok(serde_json::Number::from_f64(value)
                    .map(FrameRate::from_number)
                    .unwrap_or_else(|| FrameRate::Text(value.to_string())))
            }

            fn visit_str<E: de::Error>(self, value: &str) -> Result<FrameRate, E> {
                Ok(value
                    .parse()
                    .unwrap_or_else(|_| FrameRate::Text(value.to_owned())))
            }

            fn visit_bool<E: de::Error>(self, value: bool) -> Result<FrameRate, E> {
                Ok(FrameRate::Text(value.to_string()))
            }

            fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<FrameRate, A::Error> {
                let value =
                    serde_json::Value::deserialize(de::value::SeqAccessDeserializer::new(seq))?;
                Ok(FrameRate::Text(json_text(value)?))
            }

            fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<FrameRate, A::Error> {
                let value =
                    serde_json::Value::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(FrameRate::Text(json_text(value)?))
            }
        }

        deserializer.deserialize_any(FrameRateVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_string_values_get_their_variant_and_round_trip() {
        for status in SessionStatus::KNOWN {
            let json = serde_json::to_string(status).unwrap();
            assert_eq!(
                serde_json::from_str::<SessionStatus>(&json).unwrap(),
                *status
            );
        }
        assert_eq!(
            serde_json::from_str::<SessionStatus>("\"in-progress\"").unwrap(),
            SessionStatus::InProgress
        );
        assert_eq!(
            serde_json::from_str::<RoomLayout>("\"10x10\"").unwrap(),
            RoomLayout::L10x10
        );
    }

    #[test]
    fn unknown_string_values_are_kept_and_written_back_unchanged() {
        let status: SessionStatus = serde_json::from_str("\"archived\"").unwrap();
        assert_eq!(status, SessionStatus::Other("archived".into()));
        assert!(!status.is_known());
        assert_eq!(serde_json::to_string(&status).unwrap(), "\"archived\"");

        let layout: RoomLayout = "spotlight-7".parse().unwrap();
        assert_eq!(layout.to_string(), "spotlight-7");
        assert_eq!(
            serde_json::from_str::<RecordingStatus>("\"uploading\"").unwrap(),
            RecordingStatus::Other("uploading".into())
        );
    }

    #[test]
    fn values_of_another_json_type_are_kept_as_their_json_text() {
        for (json, kept) in [
            ("720", "720"),
            ("-1", "-1"),
            ("7.5", "7.5"),
            ("true", "true"),
            (r#"{"w": 5}"#, r#"{"w":5}"#),
            ("[1, 2]", "[1,2]"),
        ] {
            assert_eq!(
                serde_json::from_str::<VideoQuality>(json).unwrap(),
                VideoQuality::Other(kept.to_owned()),
                "{json}"
            );
        }
        assert_eq!(
            serde_json::from_str::<RoomLayout>("5").unwrap(),
            RoomLayout::Other("5".to_owned())
        );
    }

    #[test]
    fn frame_rate_accepts_integers_floats_and_numeric_strings() {
        for text in ["30", "30.0", "\"30\""] {
            assert_eq!(
                serde_json::from_str::<FrameRate>(text).unwrap(),
                FrameRate::Fps30,
                "{text}"
            );
        }
        assert_eq!(
            serde_json::from_str::<FrameRate>("20").unwrap(),
            FrameRate::Fps20
        );
        let odd: FrameRate = serde_json::from_str("29.97").unwrap();
        assert!(!odd.is_known());
        assert_eq!(odd.as_f64(), 29.97);
        assert_eq!(serde_json::to_string(&odd).unwrap(), "29.97");
        assert_eq!(serde_json::to_string(&FrameRate::Fps30).unwrap(), "30");
        assert_eq!(FrameRate::from(60).to_string(), "60");
    }

    #[test]
    fn frame_rate_keeps_values_that_are_not_numbers_as_text() {
        let odd: FrameRate = serde_json::from_str("\"30fps\"").unwrap();
        assert_eq!(odd, FrameRate::Text("30fps".to_owned()));
        assert!(!odd.is_known());
        assert!(odd.as_f64().is_nan());
        assert_eq!(odd.to_string(), "30fps");
        assert_eq!(serde_json::to_string(&odd).unwrap(), "\"30fps\"");
        assert_eq!(
            serde_json::from_str::<FrameRate>("false").unwrap(),
            FrameRate::Text("false".to_owned())
        );
        // Parsing text is for numbers only.
        assert!("fast".parse::<FrameRate>().is_err());
    }
}
