//! Room session ids as callers give them: a [`Uuid`], or text holding one.

use uuid::Uuid;

use crate::error::InvalidInput;

/// A room session id: a [`Uuid`], or text holding one (such as
/// `"c22d24f6-5a47-4597-9a23-c7d01e696b92"`). Text that is not a UUID is refused before any
/// request is sent.
pub trait IntoUuid {
    /// The UUID, or why the value is not one.
    fn into_uuid(self) -> Result<Uuid, uuid::Error>;
}

impl IntoUuid for Uuid {
    fn into_uuid(self) -> Result<Uuid, uuid::Error> {
        Ok(self)
    }
}

impl IntoUuid for &Uuid {
    fn into_uuid(self) -> Result<Uuid, uuid::Error> {
        Ok(*self)
    }
}

impl IntoUuid for &str {
    fn into_uuid(self) -> Result<Uuid, uuid::Error> {
        Uuid::parse_str(self.trim())
    }
}

impl IntoUuid for String {
    fn into_uuid(self) -> Result<Uuid, uuid::Error> {
        self.as_str().into_uuid()
    }
}

impl IntoUuid for &String {
    fn into_uuid(self) -> Result<Uuid, uuid::Error> {
        self.as_str().into_uuid()
    }
}

/// Parses an id, or says which parameter is not a UUID and why.
pub(crate) fn parse_id(id: impl IntoUuid, parameter: &'static str) -> Result<Uuid, InvalidInput> {
    id.into_uuid()
        .map_err(|e| InvalidInput::new(parameter, format!("not a UUID ({e})")))
}
