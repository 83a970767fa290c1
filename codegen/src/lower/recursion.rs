//! Types that contain themselves: alias cycles are refused, aliases that recurse through
//! containers become newtypes, and struct fields that recurse by value are boxed.

use super::read_only::FieldsSettled;
use super::ModelMap;
use crate::error::{Error, Result};
use crate::ir::{ModelKind, Models as _, Type};
use crate::naming::RustIdent;
use std::collections::{BTreeMap, BTreeSet};

/// No alias chain is a cycle, and every alias that contains itself is a newtype: alias
/// chains can be followed. What lowers operations (which follows them) takes it.
pub struct AliasesSettled(());

/// Refuses alias cycles, then turns recursive aliases into newtypes.
pub fn settle_aliases(models: &mut ModelMap) -> Result<AliasesSettled> {
    check_alias_cycles(models)?;
    newtype_recursive_aliases(models);
    Ok(AliasesSettled(()))
}

/// `A: {$ref: B}` and `B: {$ref: A}` would be type aliases of each other, which no
/// Rust type can express.
fn check_alias_cycles(models: &ModelMap) -> Result<()> {
    for (name, model) in models {
        let ModelKind::Alias(ty) = &model.kind else {
            continue;
        };
        if models.follow_aliases(ty).0.contains(&name) {
            return Err(Error::new(
                model.source.to_string(),
                "schema is only a chain of references back to itself",
            ));
        }
    }
    Ok(())
}

/// Turns aliases that contain themselves through arrays, maps or other aliases
/// (`Nest: {type: array, items: {$ref: Nest}}`) into newtypes: `type Nest = Vec<Nest>`
/// is not valid Rust, `struct Nest(Vec<Nest>)` is.
fn newtype_recursive_aliases(models: &mut ModelMap) {
    let recursive: Vec<RustIdent> = models
        .iter()
        .filter(|(name, m)| {
            matches!(&m.kind, ModelKind::Alias(ty)
                if models.named_through_aliases(ty).contains(name))
        })
        .map(|(name, _)| name.clone())
        .collect();
    for name in recursive {
        if let Some(model) = models.get_mut(&name) {
            if let ModelKind::Alias(ty) = &model.kind {
                model.kind = ModelKind::Newtype(ty.clone());
            }
        }
    }
}

/// Boxes struct fields that would make a type contain itself by value.
pub fn box_recursive_fields(models: &mut ModelMap, _: &FieldsSettled) {
    let edges: BTreeMap<RustIdent, Vec<RustIdent>> = models
        .iter()
        .map(|(name, m)| {
            let targets = m
                .kind
                .types()
                .into_iter()
                .filter_map(Type::named_by_value)
                .cloned()
                .collect();
            (name.clone(), targets)
        })
        .collect();
    let reaches = |from: &RustIdent, to: &RustIdent| {
        let mut seen = BTreeSet::new();
        let mut stack = vec![from.clone()];
        while let Some(n) = stack.pop() {
            if &n == to {
                return true;
            }
            if seen.insert(n.clone()) {
                stack.extend(edges.get(&n).into_iter().flatten().cloned());
            }
        }
        false
    };
    let names: Vec<RustIdent> = models.keys().cloned().collect();
    for name in names {
        let Some(ModelKind::Struct(s)) = models.kind(&name) else {
            continue;
        };
        let to_box: Vec<usize> = s
            .fields
            .iter()
            .enumerate()
            .filter(|(_, f)| {
                f.ty.named_by_value()
                    .is_some_and(|target| reaches(target, &name))
            })
            .map(|(i, _)| i)
            .collect();
        if let Some(ModelKind::Struct(s)) = models.get_mut(&name).map(|m| &mut m.kind) {
            for i in to_box {
                s.fields[i].boxed = true;
            }
        }
    }
}
