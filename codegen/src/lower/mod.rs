//! Stage 2: `openapiv3::OpenAPI` -> [`ir::Api`]. Resolves every `$ref`, names every
//! type, and decides every Rust shape; the emitter only prints what this decided.
//!
//! After the schemas and operations are lowered, whole-API passes decide what needs the
//! whole picture, one concern per module: `recursion` (alias cycles, recursive aliases,
//! boxed fields), `union_order`, `direction` (serde directions), `read_only`, `features`
//! and `pagination`. A pass that needs an earlier one's result takes that pass's output
//! type (`AliasesSettled`, `UnionsOrdered`, `Directions`, `FieldsSettled`), so the order
//! is in the signatures, not only in [`lower`].

mod direction;
mod features;
mod operation;
mod pagination;
mod params;
mod read_only;
mod recursion;
mod refs;
mod sample;
mod schema;
mod union_order;
pub mod webhooks;

use crate::error::{Error, Result, Warning};
use crate::ir::{self, Model, Module};
use crate::naming::{module_name, RustIdent, UniqueNames};
use crate::parse::Document;
use crate::pointer::Pointer;
use crate::runtime_api::{
    CLIENT_METHODS, HAND_WRITTEN_FEATURES, ROOT_MODULES, WEBHOOK_EVENTS_MODULE,
};
use std::collections::{BTreeMap, HashMap};

/// How deeply schemas may nest (inline, or through references outside
/// `#/components/schemas`, which are lowered in place) before the spec is refused: far
/// beyond what real specs use, well within the stack.
const MAX_SCHEMA_DEPTH: usize = 64;

/// How to name a model a schema turns into.
#[derive(Debug, Clone)]
pub(crate) enum Hint {
    /// A component schema: the name is already claimed.
    Fixed(RustIdent),
    /// An inline schema: claim a name from these words.
    Suggest(String),
}

impl Hint {
    fn base(&self) -> &str {
        match self {
            Hint::Fixed(name) => name.bare(),
            Hint::Suggest(s) => s,
        }
    }

    /// The hint for an array's item schema.
    fn item(&self) -> Hint {
        Hint::Suggest(format!("{}_item", self.base()))
    }

    /// The hint for a map's value schema.
    fn value(&self) -> Hint {
        Hint::Suggest(format!("{}_value", self.base()))
    }
}

/// The models by name, while lowering builds them.
pub(crate) type ModelMap = BTreeMap<RustIdent, Model>;

pub(crate) struct Lowerer<'a> {
    doc: &'a Document,
    models: ModelMap,
    type_names: UniqueNames,
    component_names: HashMap<String, RustIdent>,
    /// Method names on `Client`: one per operation.
    fn_names: UniqueNames,
    warnings: Vec<Warning>,
    /// How many schemas enclose the one being lowered.
    depth: usize,
}

impl Lowerer<'_> {
    fn warn(&mut self, at: &Pointer, message: impl Into<String>) {
        self.warnings.push(Warning {
            pointer: at.to_string(),
            message: message.into(),
        });
    }

    /// The passes over every model once everything is lowered (the models of `modules`'
    /// operations included): union order, serde directions, read-only fields, features,
    /// boxes. A webhook spec, which has no operations, runs them with none.
    fn settle_models(&mut self, modules: &[Module]) -> read_only::FieldsSettled {
        let unions = union_order::order(&mut self.models);
        let directions = direction::propagate(&mut self.models, modules);
        let fields = read_only::apply(&mut self.models, &directions, unions);
        features::assign(&mut self.models, modules);
        recursion::box_recursive_fields(&mut self.models, &fields);
        fields
    }

    /// Runs `lower` one schema level deeper, refusing specs that nest beyond
    /// [`MAX_SCHEMA_DEPTH`] (in practice: a reference cycle outside the components).
    fn nested<T>(&mut self, at: &Pointer, lower: impl FnOnce(&mut Self) -> Result<T>) -> Result<T> {
        if self.depth >= MAX_SCHEMA_DEPTH {
            return Err(Error::new(
                at.to_string(),
                format!(
                    "schemas nest more than {MAX_SCHEMA_DEPTH} levels deep (a reference cycle outside #/components/schemas?)"
                ),
            ));
        }
        self.depth += 1;
        let result = lower(self);
        self.depth -= 1;
        result
    }
}

/// A server URL with its `{variables}` replaced by their declared defaults.
fn server_url(server: &openapiv3::Server) -> String {
    let mut url = server.url.clone();
    for (name, variable) in server.variables.iter().flatten() {
        url = url.replace(&format!("{{{name}}}"), &variable.default);
    }
    url
}

/// Lowers a parsed spec into the IR, with the warnings for every fallback taken.
pub fn lower(doc: &Document) -> Result<(ir::Api, Vec<Warning>)> {
    let mut lowerer = Lowerer {
        doc,
        models: BTreeMap::new(),
        type_names: UniqueNames::new(),
        component_names: HashMap::new(),
        fn_names: UniqueNames::new(),
        warnings: Vec::new(),
        depth: 0,
    };
    for reserved in CLIENT_METHODS {
        lowerer.fn_names.reserve(reserved);
    }
    lowerer.lower_component_schemas()?;
    let aliases = recursion::settle_aliases(&mut lowerer.models)?;
    let operations = lowerer.lower_operations(&aliases)?;
    let mut modules = group_by_tag(doc, operations);
    let fields = lowerer.settle_models(&modules);
    for op in modules.iter_mut().flat_map(|m| &mut m.operations) {
        op.pagination = pagination::detect(&lowerer.models, op, &fields);
    }
    let api = ir::Api {
        title: doc.api.info.title.clone(),
        version: doc.api.info.version.clone(),
        description: doc.api.info.description.clone(),
        server_url: doc.api.servers.first().map(server_url),
        models: lowerer.models.into_values().collect(),
        modules,
    };
    let mut warnings = lowerer.warnings;
    warnings.sort();
    warnings.dedup();
    Ok((api, warnings))
}

/// One module per tag (an operation's first), sorted by module name. A module's name is
/// also its cargo feature, so it keeps clear of the crate root's own modules and
/// features.
fn group_by_tag(doc: &Document, operations: Vec<(String, ir::Operation)>) -> Vec<Module> {
    let mut module_names = UniqueNames::new();
    let generated = [WEBHOOK_EVENTS_MODULE];
    for reserved in ROOT_MODULES
        .iter()
        .chain(HAND_WRITTEN_FEATURES)
        .chain(&generated)
    {
        module_names.reserve(reserved);
    }
    let tag_docs: HashMap<&str, Option<&String>> = doc
        .api
        .tags
        .iter()
        .map(|t| (t.name.as_str(), t.description.as_ref()))
        .collect();
    let mut tag_modules: HashMap<String, RustIdent> = HashMap::new();
    let mut by_name: BTreeMap<RustIdent, Module> = BTreeMap::new();
    for (tag, op) in operations {
        let name = tag_modules
            .entry(tag.clone())
            .or_insert_with(|| module_names.claim(module_name(&tag)))
            .clone();
        by_name
            .entry(name.clone())
            .or_insert_with(|| Module {
                name,
                doc: tag_docs.get(tag.as_str()).copied().flatten().cloned(),
                tag,
                operations: Vec::new(),
            })
            .operations
            .push(op);
    }
    by_name.into_values().collect()
}
