//! Whole-API passes after lowering: which serde directions each model needs, which
//! fields must be boxed to break recursion, and which operations page.

use crate::ir::{Location, Model, ModelKind, Module, Operation, Pagination, Response, Type, Usage};
use std::collections::{BTreeMap, BTreeSet};

/// Marks each model with the directions it travels: request parameters and bodies
/// serialize, responses deserialize, and a model passes its usage to what it contains.
/// Models no operation reaches are treated as responses.
pub fn propagate(models: &mut BTreeMap<String, Model>, modules: &[Module]) {
    let work: Vec<(String, Usage)> = modules
        .iter()
        .flat_map(|m| &m.operations)
        .flat_map(operation_roots)
        .collect();
    let all: Vec<String> = models.keys().cloned().collect();
    let spread = |models: &mut BTreeMap<String, Model>, mut work: Vec<(String, Usage)>| {
        while let Some((name, usage)) = work.pop() {
            let Some(model) = models.get_mut(&name) else {
                continue;
            };
            if model.usage.covers(usage) {
                continue;
            }
            model.usage = model.usage.union(usage);
            work.extend(contained(&model.kind).into_iter().map(|n| (n, usage)));
        }
    };
    spread(models, work);
    let rest: Vec<(String, Usage)> = all
        .into_iter()
        .filter(|n| models[n].usage == Usage::default())
        .map(|n| (n, Usage::RESPONSE))
        .collect();
    spread(models, rest);
}

/// Records, for every model, the tag modules whose operations reach it: each module
/// is a cargo feature, and a model is compiled when any of its features is on. Models
/// no operation reaches (error bodies, standalone schemas) belong to every feature, and
/// so does everything they contain, so they never name a type that is compiled out.
pub fn assign_features(models: &mut BTreeMap<String, Model>, modules: &[Module]) {
    reach_from_operations(models, modules);
    let all: Vec<String> = modules.iter().map(|m| m.name.clone()).collect();
    let mut work: Vec<String> = models
        .iter()
        .filter(|(_, m)| m.features.is_empty())
        .map(|(n, _)| n.clone())
        .collect();
    while let Some(name) = work.pop() {
        if let Some(model) = models.get_mut(&name) {
            if model.features != all {
                model.features = all.clone();
                work.extend(contained(&model.kind));
            }
        }
    }
}

fn reach_from_operations(models: &mut BTreeMap<String, Model>, modules: &[Module]) {
    for module in modules {
        let mut work: Vec<String> = module
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
                work.extend(contained(&model.kind));
            }
        }
    }
}

/// The models an operation names directly, with the direction each travels: parameters
/// and bodies are sent, JSON responses received.
fn operation_roots(op: &Operation) -> impl Iterator<Item = (String, Usage)> + '_ {
    let sent = op
        .params
        .iter()
        .map(|p| &p.ty)
        .chain(op.body.iter().map(|b| &b.ty))
        .filter_map(Type::named)
        .map(|n| (n.to_owned(), Usage::REQUEST));
    let received = op
        .response
        .json_type()
        .and_then(Type::named)
        .map(|n| (n.to_owned(), Usage::RESPONSE));
    sent.chain(received)
}

/// The models a model's definition names.
fn contained(kind: &ModelKind) -> Vec<String> {
    let types: Vec<&Type> = match kind {
        ModelKind::Struct(s) => s
            .fields
            .iter()
            .map(|f| &f.ty)
            .chain(s.additional.as_ref())
            .collect(),
        ModelKind::Union(u) => u.variants.iter().map(|v| &v.ty).collect(),
        ModelKind::Alias(ty) => vec![ty],
        ModelKind::Enum(_) => Vec::new(),
    };
    types
        .into_iter()
        .filter_map(|t| t.named().map(str::to_owned))
        .collect()
}

/// The models a type embeds by value (not behind a `Vec` or map): the edges along which
/// a type can contain itself.
fn by_value(ty: &Type) -> Option<&str> {
    match ty {
        Type::Named(n) => Some(n),
        _ => None,
    }
}

/// `A: {$ref: B}` and `B: {$ref: A}` would be type aliases of each other, which no
/// Rust type can express.
pub fn check_alias_cycles(models: &BTreeMap<String, Model>) -> crate::error::Result<()> {
    for (name, model) in models {
        let mut current = model;
        for _ in 0..=models.len() {
            let ModelKind::Alias(Type::Named(next)) = &current.kind else {
                break;
            };
            if next == name {
                return Err(crate::error::Error::new(
                    model.source.to_string(),
                    "schema is only a chain of references back to itself",
                ));
            }
            match models.get(next) {
                Some(m) => current = m,
                None => break,
            }
        }
    }
    Ok(())
}

/// `readOnly` properties travel only in responses: a request-only struct drops them;
/// a struct used both ways keeps them optional and never serializes them.
pub fn apply_read_only(models: &mut BTreeMap<String, Model>) {
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
                field.required = false;
                field.nullable = false;
            }
        } else {
            s.fields.retain(|f| !f.read_only);
        }
    }
}

/// Puts the variants of every untagged union in the order serde should try them: the
/// most specific shape first, so a looser one does not swallow it. Arrays come before
/// structs (a derived struct also reads a JSON array, positionally), structs with more
/// required fields before those with fewer, and scalars before the catch-alls (strings,
/// forward-compatible enums, any JSON). The sort is stable: ties keep spec order.
pub fn order_untagged_unions(models: &mut BTreeMap<String, Model>) {
    let rank = |models: &BTreeMap<String, Model>, ty: &Type| -> usize {
        match ty {
            Type::Vec(_) => 1000,
            Type::Named(n) => match models.get(n).map(|m| &m.kind) {
                Some(ModelKind::Struct(s)) => 100 + s.fields.iter().filter(|f| f.required).count(),
                Some(ModelKind::Union(_)) => 60,
                Some(ModelKind::Alias(_)) => 50,
                Some(ModelKind::Enum(_)) => 15,
                None => 50,
            },
            Type::Map(_) | Type::JsonObject => 35,
            Type::Bool => 30,
            Type::I32 | Type::I64 => 25,
            Type::F32 | Type::F64 => 20,
            Type::String | Type::Bytes => 10,
            Type::Option(_) => 5,
            Type::Json => 0,
        }
    };
    let names: Vec<String> = models.keys().cloned().collect();
    for name in names {
        let Some(ModelKind::Union(u)) = models.get(&name).map(|m| &m.kind) else {
            continue;
        };
        if u.tag.is_some() {
            continue;
        }
        let mut ranked: Vec<(usize, crate::ir::UnionVariant)> = u
            .variants
            .iter()
            .map(|v| (rank(models, &v.ty), v.clone()))
            .collect();
        ranked.sort_by_key(|(r, _)| std::cmp::Reverse(*r));
        if let Some(Model {
            kind: ModelKind::Union(u),
            ..
        }) = models.get_mut(&name)
        {
            u.variants = ranked.into_iter().map(|(_, v)| v).collect();
        }
    }
}

/// Boxes struct fields that would make a type contain itself by value.
pub fn box_recursive_fields(models: &mut BTreeMap<String, Model>) {
    let edges: BTreeMap<String, Vec<String>> = models
        .iter()
        .map(|(name, m)| {
            let targets = match &m.kind {
                ModelKind::Struct(s) => s
                    .fields
                    .iter()
                    .filter_map(|f| by_value(&f.ty))
                    .map(str::to_owned)
                    .collect(),
                ModelKind::Union(u) => u
                    .variants
                    .iter()
                    .filter_map(|v| by_value(&v.ty))
                    .map(str::to_owned)
                    .collect(),
                ModelKind::Alias(ty) => by_value(ty).map(str::to_owned).into_iter().collect(),
                ModelKind::Enum(_) => Vec::new(),
            };
            (name.clone(), targets)
        })
        .collect();
    let reaches = |from: &str, to: &str| {
        let mut seen = BTreeSet::new();
        let mut stack = vec![from.to_owned()];
        while let Some(n) = stack.pop() {
            if n == to {
                return true;
            }
            if seen.insert(n.clone()) {
                stack.extend(edges.get(&n).into_iter().flatten().cloned());
            }
        }
        false
    };
    let names: Vec<String> = models.keys().cloned().collect();
    for name in names {
        let Some(Model {
            kind: ModelKind::Struct(s),
            ..
        }) = models.get(&name)
        else {
            continue;
        };
        let to_box: Vec<usize> = s
            .fields
            .iter()
            .enumerate()
            .filter(|(_, f)| by_value(&f.ty).is_some_and(|target| reaches(target, &name)))
            .map(|(i, _)| i)
            .collect();
        if let Some(Model {
            kind: ModelKind::Struct(s),
            ..
        }) = models.get_mut(&name)
        {
            for i in to_box {
                s.fields[i].boxed = true;
            }
        }
    }
}

/// A GET with optional integer `limit` and `offset` query parameters, no body, and a
/// response that is a `{data: [...], total_count}` wrapper or a bare array pages by
/// offset. `stream_fn` is the name its stream method gets.
pub fn pagination(
    models: &BTreeMap<String, Model>,
    op: &Operation,
    stream_fn: &str,
) -> Option<Pagination> {
    let param = |wire: &str| {
        op.params
            .iter()
            .find(|p| p.location == Location::Query && p.wire == wire && !p.required)
            .filter(|p| matches!(p.ty, Type::I64 | Type::I32))
            .map(|p| (p.name.clone(), p.ty.clone()))
    };
    let (limit, offset) = (param("limit")?, param("offset")?);
    if op.method != crate::ir::Method::Get || op.body.is_some() {
        return None;
    }
    let Response::Json(ty) = &op.response else {
        return None;
    };
    let (item, data_field, total_field) = match dealias(models, ty) {
        Type::Vec(item) => ((**item).clone(), None, None),
        Type::Named(n) => {
            let ModelKind::Struct(s) = &models.get(n)?.kind else {
                return None;
            };
            let data = s
                .fields
                .iter()
                .find(|f| f.wire == "data" && f.required && !f.nullable)?;
            let Type::Vec(item) = dealias(models, &data.ty) else {
                return None;
            };
            let total = s
                .fields
                .iter()
                .find(|f| f.wire == "total_count" && matches!(f.ty, Type::I64 | Type::I32))
                .map(|f| (f.name.clone(), f.ty.clone(), !f.required || f.nullable));
            ((**item).clone(), Some(data.name.clone()), total)
        }
        _ => return None,
    };
    Some(Pagination {
        item,
        data_field,
        total_field,
        limit,
        offset,
        stream_fn: stream_fn.to_owned(),
    })
}

fn dealias<'m>(models: &'m BTreeMap<String, Model>, ty: &'m Type) -> &'m Type {
    match ty {
        Type::Named(n) => match models.get(n).map(|m| &m.kind) {
            Some(ModelKind::Alias(inner)) => dealias(models, inner),
            _ => ty,
        },
        _ => ty,
    }
}
