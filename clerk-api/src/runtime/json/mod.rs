//! How responses become models: one JSON reader and a [`FromJson`] impl per model.
//!
//! serde's derive (and the decoders this crate emitted before) monomorphize a
//! `visit_map` per struct and per deserializer, which was most of what the crate spent
//! compiling. Here the parsing is compiled once: a model's [`FromJson`] is one
//! non-generic function that hands its field table to [`JsonReader::object`] and
//! assigns each field it is given. Only the containers (`Vec<T>`, `Option<T>`, ...)
//! are generic, once per element type.
//!
//! The models still implement `serde::Deserialize` (for data users cached or wrote
//! themselves): that path reads any self-describing format into a
//! `serde_json::Value` first, then decodes it here ([`deserialize_with_from_json`]).

mod error;
mod from_json;
mod reader;

pub use error::{missing, JsonError};
pub use from_json::FromJson;
pub use reader::{JsonField, JsonFields, JsonReader};

/// Decodes a whole JSON body into `T` (nothing but whitespace may follow the value).
pub fn from_slice<T: FromJson>(bytes: &[u8]) -> Result<T, JsonError> {
    read_whole(&mut JsonReader::new(bytes)?)
}

/// Decodes `text` (a value [`JsonReader::value_text`] returned) into `T`: how unions try
/// each of their shapes on a value read once.
pub fn from_text<'a, T: FromJson>(outer: &JsonReader<'a>, text: &'a str) -> Result<T, JsonError> {
    read_whole(&mut outer.nested(text))
}

/// The one value of `reader`'s text as `T`, nothing but whitespace after it.
fn read_whole<T: FromJson>(reader: &mut JsonReader<'_>) -> Result<T, JsonError> {
    let mut value = None;
    read_all(reader, &mut |reader| T::read_required(reader, &mut value))?;
    value.ok_or_else(no_value)
}

/// Reads one value with `read`, then nothing but whitespace: the part of
/// [`read_whole`] that does not depend on the type, compiled once.
fn read_all(
    reader: &mut JsonReader<'_>,
    read: &mut dyn FnMut(&mut JsonReader<'_>) -> Result<(), JsonError>,
) -> Result<(), JsonError> {
    read(reader)?;
    reader.finish()
}

/// A reader that returned without reading a value (no `FromJson` impl does).
#[cold]
fn no_value() -> JsonError {
    JsonError::new("the decoder read no value".to_owned())
}

/// The string value of the top-level key `tag` in `text`, when `text` is an object that
/// has one: what a tagged union picks its shape by.
pub fn tag_of<'a>(
    outer: &JsonReader<'a>,
    text: &'a str,
    tag: &str,
) -> Result<Option<std::borrow::Cow<'a, str>>, JsonError> {
    let mut reader = outer.nested(text);
    if !reader.at_object() {
        return Ok(None);
    }
    let mut found = None;
    reader.members(&mut |reader, key| {
        if found.is_none() && key == tag {
            // A tag that is not a string selects no shape.
            if let Ok(value) = reader.string() {
                found = Some(value);
                return Ok(());
            }
        }
        reader.skip()
    })?;
    Ok(found)
}

/// `serde::Deserialize` for a model, through [`FromJson`]: the value is read as a
/// `serde_json::Value` by any self-describing deserializer, written out, and decoded.
/// Slower than [`from_slice`], and compiled per deserializer and model only where a
/// program uses it; the client never does.
pub fn deserialize_with_from_json<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: FromJson,
{
    let value = <serde_json::Value as serde::Deserialize>::deserialize(deserializer)?;
    from_value(&value).map_err(<D::Error as serde::de::Error>::custom)
}

/// Decodes a `serde_json::Value` into `T`.
pub fn from_value<T: FromJson>(value: &serde_json::Value) -> Result<T, JsonError> {
    from_slice(&value_bytes(value))
}

fn value_bytes(value: &serde_json::Value) -> Vec<u8> {
    // Writing a `Value` to memory cannot fail: its keys are strings.
    serde_json::to_vec(value).unwrap_or_default()
}

#[cfg(test)]
mod tests;
