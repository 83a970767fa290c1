//! `$ref` resolution: one lookup for every kind of component, with a fallback to any
//! local pointer.

use crate::error::{Error, Result};
use crate::parse::{lookup, Document};
use crate::pointer::Pointer;
use indexmap::IndexMap;
use openapiv3::{Components, Parameter, ReferenceOr, RequestBody, Response, Schema};
use serde::de::DeserializeOwned;
use std::borrow::Cow;

/// Refs to refs are followed this many times before giving up on a cycle.
const MAX_HOPS: usize = 32;

/// A kind of node that lives in a section of `#/components`.
pub trait Component: Clone + DeserializeOwned {
    /// The section's name as references spell it (`requestBodies`).
    const SECTION: &'static str;
    fn section(components: &Components) -> &IndexMap<String, ReferenceOr<Self>>;
}

impl Component for Schema {
    const SECTION: &'static str = "schemas";
    fn section(components: &Components) -> &IndexMap<String, ReferenceOr<Self>> {
        &components.schemas
    }
}

impl Component for Parameter {
    const SECTION: &'static str = "parameters";
    fn section(components: &Components) -> &IndexMap<String, ReferenceOr<Self>> {
        &components.parameters
    }
}

impl Component for RequestBody {
    const SECTION: &'static str = "requestBodies";
    fn section(components: &Components) -> &IndexMap<String, ReferenceOr<Self>> {
        &components.request_bodies
    }
}

impl Component for Response {
    const SECTION: &'static str = "responses";
    fn section(components: &Components) -> &IndexMap<String, ReferenceOr<Self>> {
        &components.responses
    }
}

/// A node as the spec writes it: inline, or a `$ref`.
pub enum Node<'a, T> {
    Item(&'a T),
    Ref(&'a str),
}

/// What holds a node: openapiv3 boxes some schemas (`ReferenceOr<Box<Schema>>`) and
/// not others; both read the same through this.
pub trait AsNode<T> {
    fn as_node(&self) -> Node<'_, T>;
}

impl<T> AsNode<T> for ReferenceOr<T> {
    fn as_node(&self) -> Node<'_, T> {
        match self {
            ReferenceOr::Item(item) => Node::Item(item),
            ReferenceOr::Reference { reference } => Node::Ref(reference),
        }
    }
}

impl<T> AsNode<T> for ReferenceOr<Box<T>> {
    fn as_node(&self) -> Node<'_, T> {
        match self {
            ReferenceOr::Item(item) => Node::Item(item),
            ReferenceOr::Reference { reference } => Node::Ref(reference),
        }
    }
}

/// The definition `node` (written at `at`) stands for, and where that definition is.
pub fn resolve<'a, T: Component>(
    doc: &'a Document,
    node: &'a impl AsNode<T>,
    at: &Pointer,
) -> Result<(Cow<'a, T>, Pointer)> {
    match node.as_node() {
        Node::Item(item) => Ok((Cow::Borrowed(item), at.clone())),
        Node::Ref(reference) => follow(doc, reference, at),
    }
}

/// Follows `reference` (written at `at`) to the node it stands for, returning that node
/// and its own location.
pub fn follow<'a, T: Component>(
    doc: &'a Document,
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
        let in_components = Pointer::component_name(&reference, T::SECTION).and_then(|name| {
            let components = doc.api.components.as_ref()?;
            T::section(components).get(&name)
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
                        format!("reference target is not a valid {} node: {e}", T::SECTION),
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
