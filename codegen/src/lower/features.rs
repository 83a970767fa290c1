//! Which cargo features (tag modules) compile each model.

use super::direction::operation_roots;
use super::ModelMap;
use crate::ir::Module;
use crate::naming::RustIdent;
use std::collections::BTreeSet;

/// Records, for every model, the tag modules whose operations reach it: each module
/// is a cargo feature, and a model is compiled when any of its features is on. Models
/// no operation reaches (error bodies, standalone schemas) belong to every feature, and
/// so does everything they contain, so they never name a type that is compiled out.
pub fn assign(models: &mut ModelMap, modules: &[Module]) {
    reach_from_operations(models, modules);
    let all: Vec<RustIdent> = modules.iter().map(|m| m.name.clone()).collect();
    let mut work: Vec<RustIdent> = models
        .iter()
        .filter(|(_, m)| m.features.is_empty())
        .map(|(n, _)| n.clone())
        .collect();
    while let Some(name) = work.pop() {
        if let Some(model) = models.get_mut(&name) {
            if model.features != all {
                model.features = all.clone();
                work.extend(model.kind.named().cloned());
            }
        }
    }
}

fn reach_from_operations(models: &mut ModelMap, modules: &[Module]) {
    for module in modules {
        let mut work: Vec<RustIdent> = module
            .operations
            .iter()
            .flat_map(operation_roots)
            .map(|(name, _)| name)
            .collect();
        let mut seen = BTreeSet::new();
        while let Some(name) = work.pop() {
            if !seen.insert(name.clone()) {
                continue;
            }
            if let Some(model) = models.get_mut(&name) {
                model.features.push(module.name.clone());
                work.extend(model.kind.named().cloned());
            }
        }
    }
}
