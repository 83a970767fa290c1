//! [`FromJson`] for the types generated fields are made of.

use super::{JsonError, JsonReader};
use crate::runtime::Nullable;
use std::collections::BTreeMap;

/// A type decoded from JSON by the crate's own reader. Every generated model that
/// arrives in responses implements it; so do the types its fields are made of.
pub trait FromJson: Sized {
    fn from_json(reader: &mut JsonReader<'_>) -> Result<Self, JsonError>;

    /// Reads a value into `slot`, replacing what it held: how a model assigns a field
    /// (one copy per field type, not one per field).
    fn read_into(reader: &mut JsonReader<'_>, slot: &mut Self) -> Result<(), JsonError> {
        *slot = Self::from_json(reader)?;
        Ok(())
    }

    /// Reads a value into `slot` as `Some`: how a model assigns a required field, whose
    /// absence it checks once the object is read (`null` is refused, as the type is).
    fn read_required(
        reader: &mut JsonReader<'_>,
        slot: &mut Option<Self>,
    ) -> Result<(), JsonError> {
        *slot = Some(Self::from_json(reader)?);
        Ok(())
    }
}

/// The scalars, each read by the reader method of its name.
macro_rules! scalars {
    ($($ty:ident),*) => {$(
        impl FromJson for $ty {
            fn from_json(reader: &mut JsonReader<'_>) -> Result<Self, JsonError> {
                reader.$ty()
            }
        }
    )*};
}

scalars!(bool, i32, i64, f32, f64);

impl FromJson for String {
    fn from_json(reader: &mut JsonReader<'_>) -> Result<Self, JsonError> {
        Ok(reader.string()?.into_owned())
    }
}

/// Any JSON, kept as serde_json holds it (metadata and other free-form values).
impl FromJson for serde_json::Value {
    fn from_json(reader: &mut JsonReader<'_>) -> Result<Self, JsonError> {
        reader.value()
    }
}

impl FromJson for serde_json::Map<String, serde_json::Value> {
    fn from_json(reader: &mut JsonReader<'_>) -> Result<Self, JsonError> {
        reader.value_map()
    }
}

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(reader: &mut JsonReader<'_>) -> Result<Self, JsonError> {
        let mut items = Vec::new();
        reader.array(&mut |reader| {
            items.push(T::from_json(reader)?);
            Ok(())
        })?;
        Ok(items)
    }
}

/// `null` is `None`.
impl<T: FromJson> FromJson for Option<T> {
    fn from_json(reader: &mut JsonReader<'_>) -> Result<Self, JsonError> {
        if reader.null()? {
            return Ok(None);
        }
        Ok(Some(T::from_json(reader)?))
    }
}

/// `null` is `Null`; an absent field stays `Absent` (the decoder's starting value).
impl<T: FromJson> FromJson for Nullable<T> {
    fn from_json(reader: &mut JsonReader<'_>) -> Result<Self, JsonError> {
        if reader.null()? {
            return Ok(Nullable::Null);
        }
        Ok(Nullable::Value(T::from_json(reader)?))
    }
}

impl<T: FromJson> FromJson for Box<T> {
    fn from_json(reader: &mut JsonReader<'_>) -> Result<Self, JsonError> {
        Ok(Box::new(T::from_json(reader)?))
    }
}

impl<T: FromJson> FromJson for BTreeMap<String, T> {
    fn from_json(reader: &mut JsonReader<'_>) -> Result<Self, JsonError> {
        let mut map = BTreeMap::new();
        reader.members(&mut |reader, key| {
            map.insert(key.into_owned(), T::from_json(reader)?);
            Ok(())
        })?;
        Ok(map)
    }
}
