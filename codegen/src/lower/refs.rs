//! `$ref` resolution against the components maps, with a fallback to any local pointer.

use crate::error::{Error, Result};
use crate::parse::{lookup, Document};
use crate::pointer::Pointer;
use indexmap::IndexMap;
use openapiv3::ReferenceOr;
use serde::de::DeserializeOwned;
use std::borrow::Cow;

/// Refs to refs are followed this many times before giving up on a cycle.
const MAX_HOPS: usize = 32;

/// Follows `reference` (written at `at`) to the node it stands for, returning that node
/// and its own location.
pub fn resolve<'a, T: Clone + DeserializeOwned>(
    doc: &'a Document,
    components: impl Fn(&'a Document) -> Option<&'a IndexMap<String, ReferenceOr<T>>>,
    section: &str,
    reference: &str,
    at: &Pointer,
) -> Result<(Cow<'a, T>, Pointer)> {
    let mut reference = reference.to_owned();
    let mut here = at.clone();
    for _ in 0..MAX_HOPS {
        let target = Pointer::from_ref(&reference).ok_or_else(|| {
            Error::new(
                here.to_string(),
                format!("external reference {reference:?} is not supported: inline it or bundle the spec"),
            )
        })?;
        let prefix = format!("#/components/{section}/");
        let in_components = reference
            .strip_prefix(&prefix)
            .filter(|rest| !rest.contains('/'))
            .and_then(|name| {
                let name = name.replace("~1", "/").replace("~0", "~");
                components(doc).and_then(|map| map.get(&name))
            });
        match in_components {
            Some(ReferenceOr::Item(node)) => return Ok((Cow::Borrowed(node), target)),
            Some(ReferenceOr::Reference { reference: next }) => {
                reference = next.clone();
                here = target;
            }
            None => {
                let node = lookup(&doc.raw, &target).ok_or_else(|| {
                    Error::new(
                        here.to_string(),
                        format!("dangling reference {reference:?}"),
                    )
                })?;
                let parsed: ReferenceOr<T> = serde_yaml::from_value(node.clone()).map_err(|e| {
                    Error::new(
                        target.to_string(),
                        format!("reference target is not a valid {section} node: {e}"),
                    )
                })?;
                return match parsed {
                    ReferenceOr::Item(node) => Ok((Cow::Owned(node), target)),
                    ReferenceOr::Reference { .. } => Err(Error::new(
                        target.to_string(),
                        "reference chains outside components are not supported",
                    )),
                };
            }
        }
    }
    Err(Error::new(
        at.to_string(),
        "reference cycle: `$ref` never reaches a definition",
    ))
}

/// The component schema a reference names, when it names one directly.
pub fn component_schema_name(reference: &str) -> Option<String> {
    reference
        .strip_prefix("#/components/schemas/")
        .filter(|rest| !rest.contains('/'))
        .map(|name| name.replace("~1", "/").replace("~0", "~"))
}
