//! Small serde helpers generated code calls, kept here so they are compiled once.

use serde::de::{self, DeserializeOwned, Deserializer, Visitor};
use std::fmt;

/// Reads a string (borrowed when possible) and maps it to a forward-compatible enum.
pub fn deserialize_enum_str<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: for<'a> From<&'a str>,
{
    struct StrVisitor<T>(std::marker::PhantomData<T>);
    impl<T: for<'a> From<&'a str>> Visitor<'_> for StrVisitor<T> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a string")
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
            Ok(T::from(v))
        }
    }
    deserializer.deserialize_str(StrVisitor(std::marker::PhantomData))
}

/// Deserializes a branch of a tagged union from the JSON it was read into.
pub fn from_json_value<T: DeserializeOwned, E: de::Error>(
    value: serde_json::Value,
) -> Result<T, E> {
    serde_json::from_value(value).map_err(E::custom)
}
