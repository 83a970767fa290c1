//! Which serde directions each model needs: request parameters and bodies serialize,
//! responses deserialize, and a model passes its directions to what it contains.

use super::ModelMap;
use crate::ir::{Module, Operation, Type, Usage};
use crate::naming::RustIdent;

/// Every model's [`Usage`] is recorded: what [`crate::lower::read_only`] decides by.
pub struct Directions(());

/// Marks each model with the directions it travels. Models no operation reaches are
/// treated as responses.
pub fn propagate(models: &mut ModelMap, modules: &[Module]) -> Directions {
    let work: Vec<(RustIdent, Usage)> = modules
        .iter()
        .flat_map(|m| &m.operations)
        .flat_map(operation_roots)
        .collect();
    let all: Vec<RustIdent> = models.keys().cloned().collect();
    let spread = |models: &mut ModelMap, mut work: Vec<(RustIdent, Usage)>| {
        while let Some((name, usage)) = work.pop() {
            let Some(model) = models.get_mut(&name) else {
                continue;
            };
            if model.usage.covers(usage) {
                continue;
            }
            model.usage = model.usage.union(usage);
            work.extend(model.kind.named().map(|n| (n.clone(), usage)));
        }
    };
    spread(models, work);
    let rest: Vec<(RustIdent, Usage)> = all
        .into_iter()
        .filter(|n| models[n].usage == Usage::default())
        .map(|n| (n, Usage::RESPONSE))
        .collect();
    spread(models, rest);
    Directions(())
}

/// The models an operation names directly, with the direction each travels: parameters
/// and bodies are sent, JSON responses received.
pub(super) fn operation_roots(op: &Operation) -> impl Iterator<Item = (RustIdent, Usage)> + '_ {
    let sent = op
        .params
        .iter()
        .map(|p| &p.ty)
        .chain(op.body.iter().map(|b| &b.ty))
        .filter_map(Type::named)
        .map(|n| (n.clone(), Usage::REQUEST));
    let received = op
        .response
        .json_type()
        .and_then(Type::named)
        .map(|n| (n.clone(), Usage::RESPONSE));
    sent.chain(received)
}
