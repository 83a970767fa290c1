//! Schemas -> IR types and models.
//!
//! openapiv3 splits a schema across `SchemaKind` variants; [`View`] flattens it back into
//! one record of keywords so each rule below reads like the OpenAPI text it handles.

use super::refs::{self, AsNode, Node};
use super::{Hint, Lowerer};
use crate::error::{Error, Result};
use crate::ir::{
    EnumVariant, Field, Model, ModelKind, Presence, StringEnum, Struct, Type, Union, UnionVariant,
    Usage,
};
use crate::naming::{snake_ident, type_name, variant_name, RustIdent, UniqueNames};
use crate::pointer::Pointer;
use indexmap::IndexMap;
use openapiv3::{AdditionalProperties, ReferenceOr, Schema, SchemaKind, Type as OaType};
use serde_json::Value;
use std::borrow::Cow;

/// A lowered schema: its Rust type and whether `null` is a valid value.
#[derive(Debug, Clone, PartialEq)]
pub struct Lowered {
    pub ty: Type,
    pub nullable: bool,
}

impl Lowered {
    fn new(ty: Type) -> Self {
        Lowered {
            ty,
            nullable: false,
        }
    }
}

type Properties = IndexMap<String, ReferenceOr<Box<Schema>>>;

/// A schema's `type` keyword.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum SchemaType {
    String,
    Integer,
    Number,
    Boolean,
    Object,
    Array,
    /// Not an OpenAPI 3.0 type, but written in the wild for "only `null`".
    Null,
}

impl SchemaType {
    fn parse(name: &str) -> Option<SchemaType> {
        Some(match name {
            "string" => SchemaType::String,
            "integer" => SchemaType::Integer,
            "number" => SchemaType::Number,
            "boolean" => SchemaType::Boolean,
            "object" => SchemaType::Object,
            "array" => SchemaType::Array,
            "null" => SchemaType::Null,
            _ => return None,
        })
    }
}

/// Numeric and size constraints, for synthesizing valid samples.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Bounds {
    pub minimum: Option<f64>,
    pub maximum: Option<f64>,
    pub min_length: Option<usize>,
    pub max_length: Option<usize>,
    pub min_items: usize,
}

/// The keywords of one schema, whichever `SchemaKind` openapiv3 chose for it.
pub(super) struct View<'s> {
    pub ty: Option<SchemaType>,
    /// A `type` this generator does not know (`file`, a typo): lowered as any JSON,
    /// with a warning.
    pub unknown_type: Option<&'s str>,
    pub format: Option<String>,
    pub pattern: Option<String>,
    pub bounds: Bounds,
    pub properties: Option<&'s Properties>,
    pub required: &'s [String],
    pub additional: Option<&'s AdditionalProperties>,
    pub items: Option<&'s ReferenceOr<Box<Schema>>>,
    pub enum_values: Vec<Value>,
    pub one_of: &'s [ReferenceOr<Schema>],
    pub all_of: &'s [ReferenceOr<Schema>],
    pub any_of: &'s [ReferenceOr<Schema>],
    pub has_not: bool,
}

fn format_name<T: serde::Serialize>(f: &openapiv3::VariantOrUnknownOrEmpty<T>) -> Option<String> {
    match f {
        openapiv3::VariantOrUnknownOrEmpty::Item(item) => {
            serde_json::to_value(item).ok()?.as_str().map(str::to_owned)
        }
        openapiv3::VariantOrUnknownOrEmpty::Unknown(s) => Some(s.clone()),
        openapiv3::VariantOrUnknownOrEmpty::Empty => None,
    }
}

fn values<T: Into<Value> + Clone>(items: &[Option<T>]) -> Vec<Value> {
    items
        .iter()
        .map(|v| v.clone().map(Into::into).unwrap_or(Value::Null))
        .collect()
}

impl<'s> View<'s> {
    pub fn of(schema: &'s Schema) -> View<'s> {
        let mut v = View {
            ty: None,
            unknown_type: None,
            format: None,
            pattern: None,
            bounds: Bounds::default(),
            properties: None,
            required: &[],
            additional: None,
            items: None,
            enum_values: Vec::new(),
            one_of: &[],
            all_of: &[],
            any_of: &[],
            has_not: false,
        };
        match &schema.schema_kind {
            SchemaKind::Type(OaType::String(s)) => {
                v.ty = Some(SchemaType::String);
                v.format = format_name(&s.format);
                v.enum_values = values(&s.enumeration);
                v.pattern = s.pattern.clone();
                v.bounds.min_length = s.min_length;
                v.bounds.max_length = s.max_length;
            }
            SchemaKind::Type(OaType::Integer(i)) => {
                v.ty = Some(SchemaType::Integer);
                v.format = format_name(&i.format);
                v.enum_values = values(&i.enumeration);
                v.bounds.minimum = i
                    .minimum
                    .map(|m| m as f64 + f64::from(u8::from(i.exclusive_minimum)));
                v.bounds.maximum = i
                    .maximum
                    .map(|m| m as f64 - f64::from(u8::from(i.exclusive_maximum)));
            }
            SchemaKind::Type(OaType::Number(n)) => {
                v.ty = Some(SchemaType::Number);
                v.format = format_name(&n.format);
                v.enum_values = values(&n.enumeration);
                v.bounds.minimum = n.minimum;
                v.bounds.maximum = n.maximum;
            }
            SchemaKind::Type(OaType::Boolean(b)) => {
                v.ty = Some(SchemaType::Boolean);
                v.enum_values = values(&b.enumeration);
            }
            SchemaKind::Type(OaType::Object(o)) => {
                v.ty = Some(SchemaType::Object);
                v.properties = Some(&o.properties);
                v.required = &o.required;
                v.additional = o.additional_properties.as_ref();
            }
            SchemaKind::Type(OaType::Array(a)) => {
                v.ty = Some(SchemaType::Array);
                v.items = a.items.as_ref();
                v.bounds.min_items = a.min_items.unwrap_or(0);
            }
            SchemaKind::OneOf { one_of } => v.one_of = one_of,
            SchemaKind::AllOf { all_of } => v.all_of = all_of,
            SchemaKind::AnyOf { any_of } => v.any_of = any_of,
            SchemaKind::Not { .. } => v.has_not = true,
            SchemaKind::Any(any) => {
                v.ty = any.typ.as_deref().and_then(SchemaType::parse);
                v.unknown_type = any.typ.as_deref().filter(|_| v.ty.is_none());
                v.format = any.format.clone();
                v.pattern = any.pattern.clone();
                v.bounds = Bounds {
                    minimum: any.minimum,
                    maximum: any.maximum,
                    min_length: any.min_length,
                    max_length: any.max_length,
                    min_items: any.min_items.unwrap_or(0),
                };
                v.properties = (!any.properties.is_empty()).then_some(&any.properties);
                v.required = &any.required;
                v.additional = any.additional_properties.as_ref();
                v.items = any.items.as_ref();
                v.enum_values = any.enumeration.clone();
                v.one_of = &any.one_of;
                v.all_of = &any.all_of;
                v.any_of = &any.any_of;
                v.has_not = any.not.is_some();
            }
        }
        v
    }

    fn has_properties(&self) -> bool {
        self.properties.is_some_and(|p| !p.is_empty())
    }

    /// `{required: [a]}` alone: an `anyOf` branch that constrains, not a shape.
    fn is_constraint_only(&self) -> bool {
        self.ty.is_none()
            && self.unknown_type.is_none()
            && !self.has_properties()
            && self.items.is_none()
            && self.enum_values.is_empty()
            && self.one_of.is_empty()
            && self.all_of.is_empty()
            && self.any_of.is_empty()
    }

    /// `null` and nothing else: a branch that only makes a union nullable.
    fn is_null_only(&self) -> bool {
        self.ty == Some(SchemaType::Null)
            || (!self.enum_values.is_empty() && self.enum_values.iter().all(Value::is_null))
    }
}

/// Whether every branch of a `oneOf`/`anyOf` is inline and only lists `required` names.
fn constraint_only<'s>(mut branches: impl Iterator<Item = &'s ReferenceOr<Schema>>) -> bool {
    branches.all(|b| match b {
        ReferenceOr::Item(s) => View::of(s).is_constraint_only(),
        ReferenceOr::Reference { .. } => false,
    })
}

impl<'a> Lowerer<'a> {
    /// Registers every component schema's type name, then lowers each one, so that
    /// references (including recursive ones) resolve to final names.
    pub(super) fn lower_component_schemas(&mut self) -> Result<()> {
        let doc = self.doc;
        let Some(components) = &doc.api.components else {
            return Ok(());
        };
        for key in components.schemas.keys() {
            let name = self.type_names.claim(type_name(key));
            self.component_names.insert(key.clone(), name);
        }
        let base = Pointer::root().join("components").join("schemas");
        for (key, schema) in &components.schemas {
            let name = self.component_names[key].clone();
            let at = base.join(key);
            let lowered = self.schema_node(schema, &at, Hint::Fixed(name.clone()))?;
            if lowered.ty != Type::Named(name.clone()) {
                let doc_text = match schema {
                    ReferenceOr::Item(s) => s.schema_data.description.clone(),
                    ReferenceOr::Reference { .. } => None,
                };
                self.models.insert(
                    name.clone(),
                    Model {
                        name,
                        doc: doc_text,
                        deprecated: false,
                        source: at,
                        kind: ModelKind::Alias(lowered.ty),
                        usage: Usage::default(),
                        features: Vec::new(),
                    },
                );
            }
        }
        Ok(())
    }

    /// A schema as the spec writes it, inline or a `$ref`.
    pub(super) fn schema_node(
        &mut self,
        schema: &impl AsNode<Schema>,
        at: &Pointer,
        hint: Hint,
    ) -> Result<Lowered> {
        match schema.as_node() {
            Node::Ref(reference) => self.reference(reference, at),
            Node::Item(s) => self.schema(s, at, hint),
        }
    }

    /// A `$ref` to a component is its model; a ref elsewhere is lowered in place.
    fn reference(&mut self, reference: &str, at: &Pointer) -> Result<Lowered> {
        if let Some(key) = Pointer::component_name(reference, "schemas") {
            let Some(name) = self.component_names.get(&key).cloned() else {
                return Err(Error::new(
                    at.to_string(),
                    format!("dangling reference {reference:?}"),
                ));
            };
            let nullable = self
                .component_schema(&key)
                .is_some_and(|s| s.schema_data.nullable);
            return Ok(Lowered {
                ty: Type::Named(name),
                nullable,
            });
        }
        let doc = self.doc;
        let (schema, target) = refs::follow::<Schema>(doc, reference, at)?;
        let hint = Hint::Suggest(target.tokens().last().unwrap_or_default());
        self.schema(&schema, &target, hint)
    }

    fn component_schema(&self, key: &str) -> Option<&'a Schema> {
        let schema = self.doc.api.components.as_ref()?.schemas.get(key)?;
        match schema {
            ReferenceOr::Item(s) => Some(s),
            ReferenceOr::Reference { .. } => None,
        }
    }

    /// The schema a node stands for, with its location.
    pub(super) fn resolve_schema<'d>(
        &self,
        schema: &'d impl AsNode<Schema>,
        at: &Pointer,
    ) -> Result<(Cow<'d, Schema>, Pointer)>
    where
        'a: 'd,
    {
        refs::resolve(self.doc, schema, at)
    }

    fn schema(&mut self, schema: &Schema, at: &Pointer, hint: Hint) -> Result<Lowered> {
        self.nested(at, |this| {
            let view = View::of(schema);
            let mut lowered = if !view.all_of.is_empty() {
                this.all_of(schema, &view, at, hint)?
            } else if !view.one_of.is_empty() || !view.any_of.is_empty() {
                this.union(schema, &view, at, hint)?
            } else if !view.enum_values.is_empty() {
                this.enumeration(schema, &view, at, hint)?
            } else {
                this.by_type(schema, &view, at, hint)?
            };
            lowered.nullable |= schema.schema_data.nullable;
            Ok(lowered)
        })
    }

    fn by_type(
        &mut self,
        schema: &Schema,
        view: &View,
        at: &Pointer,
        hint: Hint,
    ) -> Result<Lowered> {
        let format = view.format.as_deref();
        let ty = match view.ty {
            Some(SchemaType::String) if format == Some("binary") => Type::Bytes,
            Some(SchemaType::String) => Type::String,
            Some(SchemaType::Integer) if format == Some("int32") => Type::I32,
            Some(SchemaType::Integer) => Type::I64,
            Some(SchemaType::Number) if format == Some("float") => Type::F32,
            Some(SchemaType::Number) => Type::F64,
            Some(SchemaType::Boolean) => Type::Bool,
            Some(SchemaType::Null) => {
                return Ok(Lowered {
                    ty: Type::Json,
                    nullable: true,
                })
            }
            Some(SchemaType::Array) => self.array(view, at, &hint, true)?,
            _ if view.has_properties() => {
                let parts = vec![Part::of(view, at.clone())];
                return self.object(schema, parts, at, hint);
            }
            Some(SchemaType::Object) => self.free_form(view, at, &hint)?,
            None if view.items.is_some() => self.array(view, at, &hint, false)?,
            None if view.additional.is_some() => self.free_form(view, at, &hint)?,
            None if matches!(format, Some("binary")) => Type::Bytes,
            None if matches!(format, Some("base64" | "byte")) => Type::String,
            None => {
                if let Some(unknown) = view.unknown_type {
                    self.warn(
                        at,
                        format!("unknown schema type {unknown:?}: using serde_json::Value"),
                    );
                } else if view.has_not {
                    self.warn(
                        at,
                        "`not` is not expressible in Rust types: using serde_json::Value",
                    );
                }
                Type::Json
            }
        };
        Ok(Lowered::new(ty))
    }

    /// `Vec<item>`; with `typed` (an explicit `type: array`), nullable items become
    /// `Option`s, and a missing `items` means any JSON.
    fn array(&mut self, view: &View, at: &Pointer, hint: &Hint, typed: bool) -> Result<Type> {
        let Some(items) = view.items else {
            return Ok(Type::Vec(Box::new(Type::Json)));
        };
        let item = self.schema_node(items, &at.join("items"), hint.item())?;
        let ty = if typed && item.nullable {
            Type::Option(Box::new(item.ty))
        } else {
            item.ty
        };
        Ok(Type::Vec(Box::new(ty)))
    }

    /// An object without properties: a typed map when `additionalProperties` has a
    /// schema, otherwise any JSON object.
    fn free_form(&mut self, view: &View, at: &Pointer, hint: &Hint) -> Result<Type> {
        Ok(match view.additional {
            Some(AdditionalProperties::Schema(schema)) => {
                let at = at.join("additionalProperties");
                let value = self.schema_node(&**schema, &at, hint.value())?;
                if value.ty == Type::Json {
                    Type::JsonObject
                } else {
                    Type::Map(Box::new(value.ty))
                }
            }
            _ => Type::JsonObject,
        })
    }

    fn enumeration(
        &mut self,
        schema: &Schema,
        view: &View,
        at: &Pointer,
        hint: Hint,
    ) -> Result<Lowered> {
        let nullable = view.enum_values.iter().any(Value::is_null);
        let present: Vec<&Value> = view.enum_values.iter().filter(|v| !v.is_null()).collect();
        let stringly = matches!(view.ty, Some(SchemaType::String) | None);
        let ty = if stringly && present.iter().all(|v| v.is_string()) {
            let wires = present.iter().filter_map(|v| v.as_str());
            let variants = enum_variants(wires);
            if variants.is_empty() {
                Type::String
            } else {
                let name = self.model_name(&hint);
                let kind = ModelKind::Enum(StringEnum { variants });
                self.insert_model(name.clone(), schema, at, kind);
                Type::Named(name)
            }
        } else if present.iter().all(|v| v.is_boolean()) {
            Type::Bool
        } else if present.iter().all(|v| v.is_i64()) {
            if view.format.as_deref() == Some("int32") {
                Type::I32
            } else {
                Type::I64
            }
        } else if present.iter().all(|v| v.is_number()) {
            Type::F64
        } else {
            self.warn(at, "enum mixes value types: using serde_json::Value");
            Type::Json
        };
        Ok(Lowered { ty, nullable })
    }

    fn all_of(
        &mut self,
        schema: &Schema,
        view: &View,
        at: &Pointer,
        hint: Hint,
    ) -> Result<Lowered> {
        let wrapper_only = view.all_of.len() == 1
            && !view.has_properties()
            && view.one_of.is_empty()
            && view.any_of.is_empty()
            && view.enum_values.is_empty();
        if wrapper_only {
            return self.schema_node(&view.all_of[0], &at.join("allOf").join(0), hint);
        }
        let mut parts = Vec::new();
        self.collect_parts(schema, at, &mut parts, 0)?;
        if parts.iter().all(|p| p.properties.is_empty()) {
            // Nothing to merge: an allOf of constraints or of non-objects.
            self.warn(
                at,
                "allOf without object properties: using serde_json::Value",
            );
            return Ok(Lowered::new(Type::Json));
        }
        self.object(schema, parts, at, hint)
    }

    /// Gathers the properties of a schema and, transitively, of its `allOf` parts.
    fn collect_parts(
        &mut self,
        schema: &Schema,
        at: &Pointer,
        parts: &mut Vec<Part>,
        depth: usize,
    ) -> Result<()> {
        if depth > 32 {
            return Err(Error::new(
                at.to_string(),
                "allOf nests too deeply (a cycle?)",
            ));
        }
        let view = View::of(schema);
        for (i, part) in view.all_of.iter().enumerate() {
            let part_at = at.join("allOf").join(i);
            let (resolved, resolved_at) = self.resolve_schema(part, &part_at)?;
            self.collect_parts(&resolved, &resolved_at, parts, depth + 1)?;
        }
        let mut branches = view.any_of.iter().chain(view.one_of).peekable();
        if branches.peek().is_some() && !constraint_only(branches) {
            self.warn(
                at,
                "oneOf/anyOf inside allOf is not merged: its properties are left out",
            );
        }
        parts.push(Part::of(&view, at.clone()));
        Ok(())
    }

    /// A struct from one or more property sets; later definitions of a property win
    /// (an `allOf` part that narrows an inherited property).
    fn object(
        &mut self,
        schema: &Schema,
        parts: Vec<Part>,
        at: &Pointer,
        hint: Hint,
    ) -> Result<Lowered> {
        let name = self.model_name(&hint);
        let mut merged: IndexMap<String, (ReferenceOr<Box<Schema>>, Pointer)> = IndexMap::new();
        let mut required: Vec<String> = Vec::new();
        let mut additional = None;
        for part in &parts {
            for (wire, prop) in &part.properties {
                merged.insert(
                    wire.clone(),
                    (prop.clone(), part.at.join("properties").join(wire)),
                );
            }
            required.extend(part.required.iter().cloned());
            if let Some(AdditionalProperties::Schema(s)) = &part.additional {
                additional = Some(((**s).clone(), part.at.join("additionalProperties")));
            }
        }
        let mut names = UniqueNames::new();
        let mut fields = Vec::with_capacity(merged.len());
        for (wire, (prop, prop_at)) in &merged {
            let hint = Hint::Suggest(format!("{name}_{wire}"));
            let lowered = self.schema_node(prop, prop_at, hint)?;
            let data = match prop {
                ReferenceOr::Item(s) => Some(&s.schema_data),
                ReferenceOr::Reference { .. } => None,
            };
            fields.push(Field {
                sample: self.sample(prop, prop_at)?,
                wire: wire.clone(),
                name: names.claim(snake_ident(wire)),
                ty: lowered.ty,
                presence: Presence::new(required.contains(wire), lowered.nullable),
                doc: data.and_then(|d| d.description.clone()),
                deprecated: data.is_some_and(|d| d.deprecated),
                read_only: data.is_some_and(|d| d.read_only),
                boxed: false,
            });
        }
        let additional = match additional {
            Some((s, s_at)) => {
                let hint = Hint::Suggest(format!("{name}_value"));
                Some(self.schema_node(&s, &s_at, hint)?.ty)
            }
            None => None,
        };
        let kind = ModelKind::Struct(Struct {
            fields,
            additional,
            additional_name: names.claim(RustIdent::new("additional_properties")),
            required_any_of: Vec::new(),
        });
        self.insert_model(name.clone(), schema, at, kind);
        Ok(Lowered::new(Type::Named(name)))
    }

    fn union(&mut self, schema: &Schema, view: &View, at: &Pointer, hint: Hint) -> Result<Lowered> {
        let (branches, keyword) = if view.one_of.is_empty() {
            (view.any_of, "anyOf")
        } else {
            (view.one_of, "oneOf")
        };
        if constraint_only(branches.iter()) {
            return self.constrained_object(schema, view, branches, at, hint);
        }
        if view.has_properties() {
            self.warn(
                at,
                format!("{keyword} beside properties: the {keyword} branches are left out"),
            );
            return self.by_type(schema, view, at, hint);
        }
        let mut nullable = false;
        let mut real = Vec::new();
        for (i, branch) in branches.iter().enumerate() {
            let branch_at = at.join(keyword).join(i);
            let (resolved, _) = self.resolve_schema(branch, &branch_at)?;
            if View::of(&resolved).is_null_only() {
                nullable = true;
            } else {
                real.push((branch, branch_at));
            }
        }
        if let [(branch, branch_at)] = real.as_slice() {
            // `oneOf: [X, null]`: X, nullable.
            let mut lowered = self.schema_node(*branch, branch_at, hint)?;
            lowered.nullable |= nullable;
            return Ok(lowered);
        }
        let name = self.model_name(&hint);
        let discriminator = schema.schema_data.discriminator.as_ref();
        let mut names = UniqueNames::new();
        names.reserve("Unknown");
        let mut variants = Vec::with_capacity(real.len());
        for (i, (branch, branch_at)) in real.iter().enumerate() {
            let (variant_base, tags) = variant_naming(branch, discriminator, i);
            let variant = names.claim(variant_base);
            let hint = Hint::Suggest(format!("{name}_{variant}"));
            let lowered = self.schema_node(*branch, branch_at, hint)?;
            nullable |= lowered.nullable;
            variants.push(UnionVariant {
                name: variant,
                ty: lowered.ty,
                tags,
            });
        }
        let tag = discriminator.map(|d| d.property_name.clone());
        // Untagged variants are put in trying order once every model exists
        // (`usage::order_untagged_unions`): a branch may not be lowered yet.
        let tagged = tag.is_some() && variants.iter().all(|v| !v.tags.is_empty());
        let union = Union {
            variants,
            tag: if tagged { tag } else { None },
        };
        self.insert_model(name.clone(), schema, at, ModelKind::Union(union));
        Ok(Lowered {
            ty: Type::Named(name),
            nullable,
        })
    }

    /// `anyOf: [{required: [a]}, {required: [b]}]` constrains the object's own
    /// properties: the shape is the object itself, and the groups are recorded.
    fn constrained_object(
        &mut self,
        schema: &Schema,
        view: &View,
        branches: &[ReferenceOr<Schema>],
        at: &Pointer,
        hint: Hint,
    ) -> Result<Lowered> {
        let lowered = self.by_type(schema, view, at, hint)?;
        let groups: Vec<Vec<String>> = branches
            .iter()
            .filter_map(|b| match b {
                ReferenceOr::Item(s) => Some(View::of(s).required.to_vec()),
                ReferenceOr::Reference { .. } => None,
            })
            .filter(|g| !g.is_empty())
            .collect();
        if let Type::Named(name) = &lowered.ty {
            if let Some(Model {
                kind: ModelKind::Struct(s),
                ..
            }) = self.models.get_mut(name)
            {
                s.required_any_of = groups;
            }
        }
        Ok(lowered)
    }

    /// The name a new model takes: the fixed component name, or a fresh one from the hint.
    fn model_name(&mut self, hint: &Hint) -> RustIdent {
        match hint {
            Hint::Fixed(name) => name.clone(),
            Hint::Suggest(raw) => self.type_names.claim(type_name(raw)),
        }
    }

    fn insert_model(&mut self, name: RustIdent, schema: &Schema, at: &Pointer, kind: ModelKind) {
        let data = &schema.schema_data;
        self.models.insert(
            name.clone(),
            Model {
                name,
                doc: data.description.clone().or_else(|| data.title.clone()),
                deprecated: data.deprecated,
                source: at.clone(),
                kind,
                usage: Usage::default(),
                features: Vec::new(),
            },
        );
    }
}

/// The variants of a forward-compatible string enum, one per distinct value; the name
/// `Unknown` is the catch-all's.
fn enum_variants<'w>(wires: impl Iterator<Item = &'w str>) -> Vec<EnumVariant> {
    let mut names = UniqueNames::new();
    names.reserve("Unknown");
    let mut variants: Vec<EnumVariant> = Vec::new();
    for wire in wires {
        if variants.iter().any(|v| v.wire == wire) {
            continue;
        }
        let mut name = variant_name(wire);
        if name == "Unknown" {
            name = RustIdent::new("UnknownValue");
        }
        variants.push(EnumVariant {
            wire: wire.to_owned(),
            name: names.claim(name),
        });
    }
    variants
}

/// A union branch's variant name and the discriminator values that select it.
fn variant_naming(
    branch: &ReferenceOr<Schema>,
    discriminator: Option<&openapiv3::Discriminator>,
    index: usize,
) -> (RustIdent, Vec<String>) {
    match branch {
        ReferenceOr::Reference { reference } => {
            let key = Pointer::component_name(reference, "schemas");
            let mut tags: Vec<String> = discriminator
                .map(|d| {
                    d.mapping
                        .iter()
                        .filter(|(_, target)| {
                            *target == reference || Some(target.as_str()) == key.as_deref()
                        })
                        .map(|(tag, _)| tag.clone())
                        .collect()
                })
                .unwrap_or_default();
            if tags.is_empty() {
                tags.extend(key.clone());
            }
            let base = key
                .as_deref()
                .map(type_name)
                .unwrap_or_else(|| RustIdent::new(format!("Variant{}", index + 1)));
            (base, tags)
        }
        ReferenceOr::Item(s) => {
            let tags: Vec<String> = discriminator
                .and_then(|d| inline_tag(s, &d.property_name))
                .into_iter()
                .collect();
            let base = s
                .schema_data
                .title
                .as_deref()
                .map(type_name)
                .or_else(|| tags.first().map(|t| variant_name(t)))
                .unwrap_or_else(|| shape_name(&View::of(s), index));
            (base, tags)
        }
    }
}

/// One property set contributing to a struct.
struct Part {
    properties: Properties,
    required: Vec<String>,
    additional: Option<AdditionalProperties>,
    at: Pointer,
}

impl Part {
    fn of(view: &View, at: Pointer) -> Part {
        Part {
            properties: view.properties.cloned().unwrap_or_default(),
            required: view.required.to_vec(),
            additional: view.additional.cloned(),
            at,
        }
    }
}

/// The discriminator value an inline branch pins with a one-value enum.
fn inline_tag(schema: &Schema, property: &str) -> Option<String> {
    let view = View::of(schema);
    let prop = view.properties?.get(property)?;
    match prop {
        ReferenceOr::Item(p) => {
            let values = View::of(p).enum_values;
            match values.as_slice() {
                [Value::String(s)] => Some(s.clone()),
                _ => None,
            }
        }
        ReferenceOr::Reference { .. } => None,
    }
}

/// A variant name for an untitled inline branch, after its shape.
fn shape_name(view: &View, index: usize) -> RustIdent {
    RustIdent::new(match view.ty {
        Some(SchemaType::String) => "String".to_owned(),
        Some(SchemaType::Integer) => "Integer".to_owned(),
        Some(SchemaType::Number) => "Number".to_owned(),
        Some(SchemaType::Boolean) => "Boolean".to_owned(),
        Some(SchemaType::Array) => "Array".to_owned(),
        Some(SchemaType::Object) => "Object".to_owned(),
        _ => format!("Variant{}", index + 1),
    })
}
