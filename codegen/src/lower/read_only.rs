//! `readOnly` properties travel only in responses.

use super::direction::Directions;
use super::union_order::UnionsOrdered;
use super::ModelMap;
use crate::ir::{ModelKind, Presence};

/// The fields are final: no pass after this one adds, drops or relaxes a field. What
/// reads fields to decide (boxing, pagination) takes it.
pub struct FieldsSettled(());

/// A request-only struct drops its read-only fields; a struct used both ways keeps them
/// optional and never serializes them. Decided by the directions; after the unions are
/// ordered, which ranks structs by their required fields as the spec states them.
pub fn apply(models: &mut ModelMap, _: &Directions, _: UnionsOrdered) -> FieldsSettled {
    for model in models.values_mut() {
        let usage = model.usage;
        let ModelKind::Struct(s) = &mut model.kind else {
            continue;
        };
        if !usage.serialize {
            continue;
        }
        if usage.deserialize {
            for field in s.fields.iter_mut().filter(|f| f.read_only) {
                field.presence = Presence::Optional;
            }
        } else {
            s.fields.retain(|f| !f.read_only);
        }
    }
    FieldsSettled(())
}
