//! Small serde helpers generated code calls, kept here so they are compiled once.

use serde::de::{self, DeserializeOwned, Deserializer, Visitor};
use std::fmt;

/// Reads a string, borrowed from the input when it can be: what a forward-compatible
/// enum is read from. It does not depend on the enum, so it is compiled once, and each
/// enum adds only its `From<&str>`.
pub fn read_text<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<std::borrow::Cow<'de, str>, D::Error> {
    deserializer.deserialize_str(CowVisitor("a string"))
}

/// Deserializes a branch of a tagged union from the JSON it was read into.
pub fn from_json_value<T: DeserializeOwned, E: de::Error>(
    value: serde_json::Value,
) -> Result<T, E> {
    serde_json::from_value(value).map_err(E::custom)
}

/// Reads text, borrowed from the input when it can be; the argument says what was
/// expected.
struct CowVisitor(&'static str);

impl<'de> Visitor<'de> for CowVisitor {
    type Value = std::borrow::Cow<'de, str>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(std::borrow::Cow::Borrowed(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(std::borrow::Cow::Owned(v.to_owned()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(std::borrow::Cow::Owned(v))
    }
}
