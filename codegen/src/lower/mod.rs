//! Stage 2: `openapiv3::OpenAPI` -> [`ir::Api`]. Resolves every `$ref`, names every
//! type, and decides every Rust shape; the emitter only prints what this decided.

mod operation;
mod refs;
mod sample;
mod schema;
mod usage;
pub mod webhooks;

use crate::error::{Result, Warning};
use crate::ir::{self, Model, Module};
use crate::naming::{module_name, UniqueNames, RESERVED_MODULE_NAMES};
use crate::parse::Document;
use crate::pointer::Pointer;
use std::collections::{BTreeMap, HashMap};

/// How to name a model a schema turns into.
#[derive(Debug, Clone)]
pub(crate) enum Hint {
    /// A component schema: the name is already claimed.
    Fixed(String),
    /// An inline schema: claim a name from these words.
    Suggest(String),
}

impl Hint {
    fn base(&self) -> &str {
        match self {
            Hint::Fixed(s) | Hint::Suggest(s) => s,
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

pub(crate) struct Lowerer<'a> {
    doc: &'a Document,
    models: BTreeMap<String, Model>,
    type_names: UniqueNames,
    component_names: HashMap<String, String>,
    /// Method names on `Client` (operations and their stream variants).
    fn_names: UniqueNames,
    warnings: Vec<Warning>,
}

impl Lowerer<'_> {
    fn warn(&mut self, at: &Pointer, message: impl Into<String>) {
        self.warnings.push(Warning {
            pointer: at.to_string(),
            message: message.into(),
        });
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
    };
    lowerer.lower_component_schemas()?;
    usage::check_alias_cycles(&lowerer.models)?;
    let operations = lowerer.lower_operations()?;
    usage::order_untagged_unions(&mut lowerer.models);

    let mut by_tag: BTreeMap<String, Module> = BTreeMap::new();
    let mut module_names = UniqueNames::new();
    for reserved in RESERVED_MODULE_NAMES {
        module_names.reserve(reserved);
    }
    let tag_docs: HashMap<&str, Option<&String>> = doc
        .api
        .tags
        .iter()
        .map(|t| (t.name.as_str(), t.description.as_ref()))
        .collect();
    let mut tag_modules: HashMap<String, String> = HashMap::new();
    for (tag, op) in operations {
        let name = tag_modules
            .entry(tag.clone())
            .or_insert_with(|| module_names.claim(module_name(&tag)))
            .clone();
        by_tag
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
    let mut modules: Vec<Module> = by_tag.into_values().collect();
    usage::propagate(&mut lowerer.models, &modules);
    usage::apply_read_only(&mut lowerer.models);
    usage::assign_features(&mut lowerer.models, &modules);
    usage::box_recursive_fields(&mut lowerer.models);
    for module in &mut modules {
        for op in &mut module.operations {
            let candidate = format!("{}_stream", op.fn_name.trim_start_matches("r#"));
            if let Some(mut pagination) = usage::pagination(&lowerer.models, op, &candidate) {
                pagination.stream_fn = lowerer.fn_names.claim(candidate);
                op.pagination = Some(pagination);
            }
        }
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
