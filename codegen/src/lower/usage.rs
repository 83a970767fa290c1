//! Whole-API passes after lowering: which serde directions each model needs, which
//! fields must be boxed to break recursion, and which operations page.

use crate::ir::{
    Location, Model, ModelKind, Module, Operation, Pagination, Presence, Response, Type, Usage,
};
use crate::naming::RustIdent;
use std::collections::{BTreeMap, BTreeSet};

type Models = BTreeMap<RustIdent, Model>;

/// Marks each model with the directions it travels: request parameters and bodies
/// serialize, responses deserialize, and a model passes its usage to what it contains.
/// Models no operation reaches are treated as responses.
pub fn propagate(models: &mut Models, modules: &[Module]) {
    let work: Vec<(RustIdent, Usage)> = modules
        .iter()
        .flat_map(|m| &m.operations)
        .flat_map(operation_roots)
        .collect();
    let all: Vec<RustIdent> = models.keys().cloned().collect();
    let spread = |models: &mut Models, mut work: Vec<(RustIdent, Usage)>| {
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
    let rest: Vec<(RustIdent, Usage)> = all
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
pub fn assign_features(models: &mut Models, modules: &[Module]) {
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
                work.extend(contained(&model.kind));
            }
        }
    }
}

fn reach_from_operations(models: &mut Models, modules: &[Module]) {
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
                work.extend(contained(&model.kind));
            }
        }
    }
}

/// The models an operation names directly, with the direction each travels: parameters
/// and bodies are sent, JSON responses received.
fn operation_roots(op: &Operation) -> impl Iterator<Item = (RustIdent, Usage)> + '_ {
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

/// The models a model's definition names.
fn contained(kind: &ModelKind) -> Vec<RustIdent> {
    let types: Vec<&Type> = match kind {
        ModelKind::Struct(s) => s
            .fields
            .iter()
            .map(|f| &f.ty)
            .chain(s.additional.as_ref())
            .collect(),
        ModelKind::Union(u) => u.variants.iter().map(|v| &v.ty).collect(),
        ModelKind::Alias(ty) | ModelKind::Newtype(ty) => vec![ty],
        ModelKind::Enum(_) => Vec::new(),
    };
    types.into_iter().filter_map(Type::named).cloned().collect()
}

/// The models a type embeds by value (not behind a `Vec` or map): the edges along which
/// a type can contain itself.
fn by_value(ty: &Type) -> Option<&RustIdent> {
    match ty {
        Type::Named(n) => Some(n),
        _ => None,
    }
}

/// `A: {$ref: B}` and `B: {$ref: A}` would be type aliases of each other, which no
/// Rust type can express.
pub fn check_alias_cycles(models: &Models) -> crate::error::Result<()> {
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

/// Turns aliases that contain themselves through arrays, maps or other aliases
/// (`Nest: {type: array, items: {$ref: Nest}}`) into newtypes: `type Nest = Vec<Nest>`
/// is not valid Rust, `struct Nest(Vec<Nest>)` is.
pub fn newtype_recursive_aliases(models: &mut Models) {
    let recursive: Vec<RustIdent> = models
        .iter()
        .filter(
            |(name, m)| matches!(&m.kind, ModelKind::Alias(ty) if alias_reaches(models, ty, name)),
        )
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

/// Whether `ty` names `target` without passing through a struct or union (which are
/// types of their own, so recursion through them is fine).
fn alias_reaches(models: &Models, ty: &Type, target: &RustIdent) -> bool {
    let mut seen = BTreeSet::new();
    let mut work = vec![ty];
    while let Some(ty) = work.pop() {
        match ty {
            Type::Vec(inner) | Type::Map(inner) | Type::Option(inner) => work.push(inner),
            Type::Named(n) if n == target => return true,
            Type::Named(n) if seen.insert(n) => {
                if let Some(ModelKind::Alias(inner)) = models.get(n).map(|m| &m.kind) {
                    work.push(inner);
                }
            }
            _ => {}
        }
    }
    false
}

/// `readOnly` properties travel only in responses: a request-only struct drops them;
/// a struct used both ways keeps them optional and never serializes them.
pub fn apply_read_only(models: &mut Models) {
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
}

/// Puts the variants of every untagged union in the order serde should try them: the
/// most specific shape first, so a looser one does not swallow it. Arrays come before
/// structs (a derived struct also reads a JSON array, positionally), structs with more
/// required fields before those with fewer, and scalars before the catch-alls (strings,
/// forward-compatible enums, any JSON). The sort is stable: ties keep spec order.
pub fn order_untagged_unions(models: &mut Models) {
    let rank = |models: &Models, ty: &Type| -> usize {
        match ty {
            Type::Vec(_) => 1000,
            Type::Named(n) => match models.get(n).map(|m| &m.kind) {
                Some(ModelKind::Struct(s)) => {
                    100 + s.fields.iter().filter(|f| f.presence.is_required()).count()
                }
                Some(ModelKind::Union(_)) => 60,
                Some(ModelKind::Alias(_)) => 50,
                Some(ModelKind::Newtype(_)) => 50,
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
    let names: Vec<RustIdent> = models.keys().cloned().collect();
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
pub fn box_recursive_fields(models: &mut Models) {
    let edges: BTreeMap<RustIdent, Vec<RustIdent>> = models
        .iter()
        .map(|(name, m)| {
            let targets = match &m.kind {
                ModelKind::Struct(s) => s
                    .fields
                    .iter()
                    .filter_map(|f| by_value(&f.ty))
                    .cloned()
                    .collect(),
                ModelKind::Union(u) => u
                    .variants
                    .iter()
                    .filter_map(|v| by_value(&v.ty))
                    .cloned()
                    .collect(),
                ModelKind::Alias(ty) | ModelKind::Newtype(ty) => {
                    by_value(ty).cloned().into_iter().collect()
                }
                ModelKind::Enum(_) => Vec::new(),
            };
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
pub fn pagination(models: &Models, op: &Operation) -> Option<Pagination> {
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
                .find(|f| f.wire == "data" && f.presence == Presence::Required)?;
            let Type::Vec(item) = dealias(models, &data.ty) else {
                return None;
            };
            let total = s
                .fields
                .iter()
                .find(|f| f.wire == "total_count" && matches!(f.ty, Type::I64 | Type::I32))
                .map(|f| {
                    (
                        f.name.clone(),
                        f.ty.clone(),
                        f.presence != Presence::Required,
                    )
                });
            ((**item).clone(), Some(data.name.clone()), total)
        }
        _ => return None,
    };
    Some(Pagination {
        page: ty.clone(),
        params: op.call.params_struct.clone()?,
        item,
        data_field,
        total_field,
        limit,
        offset,
    })
}

/// The type an alias chain ends in (alias cycles were refused; the walk is bounded
/// regardless).
fn dealias<'m>(models: &'m Models, mut ty: &'m Type) -> &'m Type {
    for _ in 0..=models.len() {
        match ty {
            Type::Named(n) => match models.get(n).map(|m| &m.kind) {
                Some(ModelKind::Alias(inner)) => ty = inner,
                _ => break,
            },
            _ => break,
        }
    }
    ty
}
