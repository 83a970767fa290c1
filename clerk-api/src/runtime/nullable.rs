//! Three-state optional values for request bodies.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A field that may be left out, sent as `null`, or sent with a value.
///
/// PATCH endpoints treat the three differently: an absent field is left as it is, a
/// `null` clears it. Fields that are optional *and* nullable in the spec use this type
/// in request bodies.
///
/// ```
/// use clerk_api::Nullable;
/// let keep: Nullable<String> = Nullable::Absent; // field omitted
/// let clear: Nullable<String> = Nullable::Null; // "field": null
/// let set: Nullable<String> = "new".to_owned().into(); // "field": "new"
/// # assert!(keep.is_absent() && !clear.is_absent() && set.as_option().is_some());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub enum Nullable<T> {
    /// Not sent.
    #[default]
    Absent,
    /// Sent as `null`.
    Null,
    /// Sent with this value.
    Value(T),
}

impl<T> Nullable<T> {
    pub fn is_absent(&self) -> bool {
        matches!(self, Nullable::Absent)
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Nullable::Null)
    }

    /// The value, if there is one.
    pub fn as_option(&self) -> Option<&T> {
        match self {
            Nullable::Value(v) => Some(v),
            Nullable::Absent | Nullable::Null => None,
        }
    }
}

impl<T> From<T> for Nullable<T> {
    fn from(value: T) -> Self {
        Nullable::Value(value)
    }
}

/// So a string field's setter takes a literal: `.name("Acme")`.
impl From<&str> for Nullable<String> {
    fn from(value: &str) -> Self {
        Nullable::Value(value.to_owned())
    }
}

impl<T: Serialize> Serialize for Nullable<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Nullable::Value(v) => v.serialize(serializer),
            // Absent fields are skipped by `skip_serializing_if`; if one is serialized
            // anyway (e.g. inside a map), `null` is the closest meaning.
            Nullable::Absent | Nullable::Null => serializer.serialize_none(),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Nullable<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(match Option::<T>::deserialize(deserializer)? {
            Some(value) => Nullable::Value(value),
            None => Nullable::Null,
        })
    }
}
