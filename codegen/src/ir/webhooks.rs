//! The IR of a webhook spec: its events, the envelope they share, and the models of their
//! payloads (lowered by `lower::webhooks`, emitted by `emit::webhooks`).

use super::{Field, Model, Type};
use crate::naming::RustIdent;
use crate::pointer::Pointer;

/// Type names the events module claims before any component schema, so that a
/// component called `Event` cannot take the enum's name.
pub const EVENT_ENUM: &str = "Event";
pub const ENVELOPE: &str = "Envelope";

/// The events of a webhook spec, ready to emit.
#[derive(Debug, Clone)]
pub struct WebhookApi {
    pub title: String,
    pub version: String,
    pub description: Option<String>,
    /// The payload models, sorted by name (the envelope component is not among them:
    /// [`Envelope`] replaces it).
    pub models: Vec<Model>,
    pub envelope: Envelope,
    /// In spec order.
    pub events: Vec<WebhookEvent>,
}

/// The fields every event carries besides its `type` (the enum's tag) and `data`.
#[derive(Debug, Clone)]
pub struct Envelope {
    pub doc: Option<String>,
    /// Where it comes from (the envelope component schema).
    pub source: Pointer,
    pub fields: Vec<Field>,
}

/// One event type.
#[derive(Debug, Clone)]
pub struct WebhookEvent {
    /// The value of `type` on the wire (`user.created`).
    pub event_type: String,
    /// The enum variant (`UserCreated`).
    pub variant: RustIdent,
    pub doc: Option<String>,
    pub deprecated: bool,
    /// The type of `data`.
    pub data: Type,
    /// `data` may be `null` (`Envelope<Option<T>>`).
    pub data_nullable: bool,
    /// The `id` field of `data`, when `data` is a struct with a string `id`.
    pub data_id: Option<DataId>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataId {
    /// The Rust field name.
    pub field: RustIdent,
    /// `Option<String>` rather than `String`.
    pub optional: bool,
}
