//! A webhook spec (`x-webhooks`) -> [`WebhookApi`]: the typed events of Clerk's webhooks.
//!
//! Every event is a POST whose JSON body is `allOf: [$ref <envelope>, {properties: {data:
//! <payload>}}]`. The envelope component (the fields every event shares: `type`,
//! `object`, `timestamp`, ...) becomes one generic `Envelope<T>`; each event's `data`
//! schema is lowered like any other schema, by the same `Lowerer` the Backend API uses,
//! and the event becomes one variant of an enum tagged by `type`.

use super::{recursion, Hint, Lowerer, ModelMap};
use crate::error::{Error, Result, Warning};
use crate::ir::webhooks::{DataId, Envelope, WebhookApi, WebhookEvent, ENVELOPE, EVENT_ENUM};
use crate::ir::{Model, ModelKind, Models as _, Presence, Type};
use crate::naming::{variant_name, UniqueNames};
use crate::parse::Document;
use crate::pointer::Pointer;
use openapiv3::{ReferenceOr, Schema};
use serde_yaml::Value;
use std::collections::{BTreeMap, HashMap};

/// Where the event schema of one webhook sits, split into its two parts.
struct EventParts {
    envelope_key: String,
    data: ReferenceOr<Box<Schema>>,
    data_at: Pointer,
    data_required: bool,
}

/// Lowers the `x-webhooks` of a parsed spec and every component schema it uses.
pub fn lower_webhooks(doc: &Document) -> Result<(WebhookApi, Vec<Warning>)> {
    let mut lowerer = Lowerer {
        doc,
        models: BTreeMap::new(),
        type_names: UniqueNames::new(),
        component_names: HashMap::new(),
        fn_names: UniqueNames::new(),
        warnings: Vec::new(),
        depth: 0,
    };
    lowerer.type_names.reserve(EVENT_ENUM);
    lowerer.type_names.reserve(ENVELOPE);
    lowerer.lower_component_schemas()?;
    recursion::settle_aliases(&mut lowerer.models)?;

    let hooks_at = Pointer::root().join("x-webhooks");
    let hooks = doc
        .raw
        .get("x-webhooks")
        .and_then(Value::as_mapping)
        .filter(|m| !m.is_empty())
        .ok_or_else(|| Error::new(hooks_at.to_string(), "a webhook spec needs `x-webhooks`"))?;
    let mut variants = UniqueNames::new();
    variants.reserve("Unknown");
    let mut envelope_key: Option<(String, Pointer)> = None;
    let mut events = Vec::with_capacity(hooks.len());
    for (name, item) in hooks {
        let event_type = name
            .as_str()
            .ok_or_else(|| Error::new(hooks_at.to_string(), "event names must be strings"))?;
        let at = hooks_at.join(event_type).join("post");
        let post = item
            .get("post")
            .ok_or_else(|| Error::new(at.to_string(), "a webhook needs a `post` operation"))?;
        let parts = lowerer.event_parts(&at)?;
        match &envelope_key {
            None => envelope_key = Some((parts.envelope_key.clone(), at.clone())),
            Some((key, _)) if *key == parts.envelope_key => {}
            Some((key, first)) => {
                let message = format!(
                    "events must share one envelope: {:?} here, {key:?} at {first}",
                    parts.envelope_key
                );
                return Err(Error::new(at.to_string(), message));
            }
        }
        if !parts.data_required {
            lowerer.warn(
                &parts.data_at,
                "`data` is not required: it is read as required (an event without data is refused)",
            );
        }
        let data = lowerer.schema_node(
            &parts.data,
            &parts.data_at,
            Hint::Suggest(format!("{event_type} data")),
        )?;
        events.push(WebhookEvent {
            event_type: event_type.to_owned(),
            variant: variants.claim(variant_name(event_type)),
            doc: post
                .get("description")
                .or_else(|| post.get("summary"))
                .and_then(Value::as_str)
                .map(str::to_owned),
            deprecated: post
                .get("deprecated")
                .and_then(Value::as_bool)
                .unwrap_or(false),
            data: data.ty,
            data_nullable: data.nullable,
            data_id: None,
        });
    }
    let Some((key, _)) = envelope_key else {
        return Err(Error::new(
            hooks_at.to_string(),
            "a webhook spec needs `x-webhooks`",
        ));
    };
    let envelope = lowerer.take_envelope(&key)?;

    // The passes the Backend API runs, with no operations: every model is received.
    lowerer.settle_models(&[]);
    for event in &mut events {
        event.data_id = data_id(&lowerer.models, &event.data);
    }
    let info = &doc.api.info;
    let api = WebhookApi {
        title: info.title.clone(),
        version: info.version.clone(),
        description: info.description.clone(),
        models: lowerer.models.into_values().collect(),
        envelope,
        events,
    };
    let mut warnings = lowerer.warnings;
    warnings.sort();
    warnings.dedup();
    Ok((api, warnings))
}

impl Lowerer<'_> {
    /// Splits the JSON body of one webhook into its envelope `$ref` and its `data` schema.
    fn event_parts(&self, at: &Pointer) -> Result<EventParts> {
        let body_at = at
            .join("requestBody")
            .join("content")
            .join("application/json")
            .join("schema");
        let node = crate::parse::lookup(&self.doc.raw, &body_at)
            .ok_or_else(|| Error::new(body_at.to_string(), "a webhook needs a JSON body schema"))?;
        let schema: ReferenceOr<Schema> = serde_yaml::from_value(node.clone()).map_err(|e| {
            Error::new(
                body_at.to_string(),
                format!("not a valid OpenAPI 3.0 schema: {e}"),
            )
        })?;
        let (schema, schema_at) = self.resolve_schema(&schema, &body_at)?;
        let shape_error = || {
            Error::new(
                schema_at.to_string(),
                "an event body must be `allOf: [$ref: <envelope>, {properties: {data: ...}}]`",
            )
        };
        let view = super::schema::View::of(&schema);
        if view.all_of.is_empty() {
            return Err(shape_error());
        }
        let mut envelope_key = None;
        let mut data = None;
        for (i, part) in view.all_of.iter().enumerate() {
            let part_at = schema_at.join("allOf").join(i);
            match part {
                ReferenceOr::Reference { reference } => {
                    let key =
                        Pointer::component_name(reference, "schemas").ok_or_else(shape_error)?;
                    if envelope_key.replace(key).is_some() {
                        return Err(Error::new(part_at.to_string(), "a second envelope `$ref`"));
                    }
                }
                ReferenceOr::Item(part_schema) => {
                    let view = super::schema::View::of(part_schema);
                    let prop = view
                        .properties
                        .and_then(|p| p.get("data"))
                        .ok_or_else(shape_error)?;
                    let required = view.required.iter().any(|r| r == "data");
                    let prop_at = part_at.join("properties").join("data");
                    data = Some((prop.clone(), prop_at, required));
                }
            }
        }
        let (Some(envelope_key), Some((data, data_at, part_required))) = (envelope_key, data)
        else {
            return Err(shape_error());
        };
        let top_required = view.required.iter().any(|r| r == "data");
        Ok(EventParts {
            envelope_key,
            data,
            data_at,
            data_required: part_required || top_required,
        })
    }

    /// Removes the envelope component's model (the generic `Envelope<T>` stands for it)
    /// and returns its fields without `type` and `data`.
    fn take_envelope(&mut self, key: &str) -> Result<Envelope> {
        let at = Pointer::root().join("components").join("schemas").join(key);
        let name = self
            .component_names
            .get(key)
            .cloned()
            .ok_or_else(|| Error::new(at.to_string(), "the envelope `$ref` dangles"))?;
        let used_elsewhere = self
            .models
            .values()
            .filter(|m| m.name != name)
            .any(|m| m.kind.named().any(|n| *n == name));
        let model = if used_elsewhere {
            self.models.get(&name).cloned()
        } else {
            self.models.remove(&name)
        };
        let Some(Model {
            kind: ModelKind::Struct(s),
            doc,
            ..
        }) = model
        else {
            return Err(Error::new(at.to_string(), "the envelope must be an object"));
        };
        if !s
            .fields
            .iter()
            .any(|f| f.wire == "type" && f.ty == Type::String)
        {
            return Err(Error::new(
                at.to_string(),
                "the envelope needs a string `type` (the event type)",
            ));
        }
        let fields = s
            .fields
            .into_iter()
            .filter(|f| f.wire != "type" && f.wire != "data")
            .collect();
        Ok(Envelope {
            doc,
            source: at,
            fields,
        })
    }
}

/// The string `id` of a data struct, followed through aliases.
fn data_id(models: &ModelMap, ty: &Type) -> Option<DataId> {
    let ModelKind::Struct(s) = models.dealiased_kind(ty)? else {
        return None;
    };
    let id = s
        .fields
        .iter()
        .find(|f| f.wire == "id" && f.ty == Type::String)?;
    Some(DataId {
        field: id.name.clone(),
        optional: id.presence != Presence::Required,
    })
}
