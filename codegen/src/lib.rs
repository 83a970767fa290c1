//! Turns Clerk's OpenAPI 3.0.3 spec into the source of the `clerk-api` crate.
//!
//! The pipeline, one module per stage: [`parse`] (text -> `openapiv3`), [`lower`]
//! (`openapiv3` -> [`ir`]), [`emit`] (IR -> tokens), [`format`](mod@format) (tokens -> files).
//! Naming policy lives in [`naming`]; locations in the spec are [`pointer`](mod@pointer)s;
//! what the emitted code expects of the hand-written runtime is in [`runtime_api`].
//! After the pipeline, [`api_changes`] describes the generated API and what a
//! regeneration changes in it.

pub mod api_changes;
pub mod emit;
pub mod error;
pub mod format;
pub mod ir;
pub mod lower;
pub mod naming;
pub mod parse;
pub mod pointer;
pub mod runtime_api;

pub use error::{Error, Result, Warning};

/// One generated source file, relative to the generated directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    pub path: String,
    pub contents: String,
}

/// Everything one generation produces, in memory: nothing is written by this crate.
#[derive(Debug, Clone)]
pub struct Output {
    pub files: Vec<GeneratedFile>,
    pub warnings: Vec<Warning>,
    /// Operations generated, for reporting.
    pub operation_ids: Vec<String>,
    /// The contract suite: an integration test of the generated crate, written under
    /// its `tests/` (`contract/main.rs` and `contract/suite.rs`).
    pub contract: Vec<GeneratedFile>,
    /// One cargo feature per tag module, sorted: each gates its module and the models
    /// only its operations use.
    pub features: Vec<String>,
    /// What each tag module offers, for indexes of the operations.
    pub modules: Vec<ModuleIndex>,
    /// The public API of the generated code, for the change report.
    pub surface: api_changes::surface::Surface,
}

/// A generated tag module (also its cargo feature) and its operations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModuleIndex {
    pub name: String,
    /// The spec tag it comes from.
    pub tag: String,
    pub operations: Vec<OperationIndex>,
}

/// One generated operation method.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperationIndex {
    pub fn_name: String,
    /// Whether the operation is paginated (its builder has `.stream()`).
    pub paginated: bool,
    /// `GET`, `POST`, ...
    pub method: &'static str,
    pub path: String,
    pub summary: Option<String>,
    pub deprecated: bool,
}

/// Where the generated code says it came from (the header of every file).
#[derive(Debug, Clone)]
pub struct Options {
    /// The spec path as the header should name it, e.g. `spec/clerk-backend-api.yaml`.
    pub spec_label: String,
}

/// The webhook events module generated from a webhook spec (`x-webhooks`).
#[derive(Debug, Clone)]
pub struct WebhookOutput {
    /// `webhook_events.rs`, relative to the generated directory.
    pub file: GeneratedFile,
    pub warnings: Vec<Warning>,
    /// The event types, in spec order.
    pub event_types: Vec<String>,
    /// The module's types for the API surface, by path (see [`api_changes::surface::Surface::of_webhooks`]).
    pub surface: std::collections::BTreeMap<String, api_changes::surface::ModelSurface>,
}

/// Runs the pipeline on the text of a webhook spec: one file with the event enum,
/// its envelope and the payload models.
pub fn generate_webhooks(spec_text: &str, options: &Options) -> Result<WebhookOutput> {
    let doc = parse::parse_webhooks(spec_text)?;
    let (api, warnings) = lower::webhooks::lower_webhooks(&doc)?;
    let path = format!("{}.rs", runtime_api::WEBHOOK_EVENTS_MODULE);
    let contents = format::render(&path, emit::events_module(&api), &options.spec_label)?;
    Ok(WebhookOutput {
        file: GeneratedFile { path, contents },
        warnings,
        event_types: api.events.iter().map(|e| e.event_type.clone()).collect(),
        surface: api_changes::surface::Surface::of_webhooks(&api),
    })
}

/// Emits and formats every file of an API, spreading its pieces over the cores. Each
/// thread emits the tokens of the pieces it takes (tokens cannot cross threads) and
/// formats them; files are joined in piece order, so the output does not depend on
/// the scheduling. Returns the generated files and the contract suite's.
fn render_in_parallel(
    api: &ir::Api,
    spec_label: &str,
) -> Result<(Vec<GeneratedFile>, Vec<GeneratedFile>)> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Mutex;
    let emitter = emit::Emitter::new(api);
    let pieces = emitter.pieces();
    let texts: Mutex<Vec<Option<Result<String>>>> = Mutex::new(vec![None; pieces.len()]);
    let next = AtomicUsize::new(0);
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(pieces.len());
    let work = || loop {
        let i = next.fetch_add(1, Ordering::Relaxed);
        let Some(piece) = pieces.get(i) else { break };
        let text = format::render_piece(&piece.path, emitter.tokens(piece));
        texts.lock().unwrap_or_else(|e| e.into_inner())[i] = Some(text);
    };
    std::thread::scope(|scope| {
        for _ in 1..threads {
            scope.spawn(work);
        }
        work();
    });
    let texts = texts.into_inner().unwrap_or_else(|e| e.into_inner());
    let (mut files, mut contract): (Vec<GeneratedFile>, Vec<GeneratedFile>) = Default::default();
    for (piece, text) in pieces.iter().zip(texts) {
        let text = text.unwrap_or_else(|| {
            Err(Error::new(
                "#",
                format!("internal error: {} was not rendered", piece.path),
            ))
        })?;
        let list = if emit::Emitter::is_contract(piece) {
            &mut contract
        } else {
            &mut files
        };
        match list.last_mut() {
            Some(file) if file.path == piece.path => file.contents.push_str(&text),
            _ => list.push(GeneratedFile {
                path: piece.path.clone(),
                contents: format!("{}{text}", format::header(spec_label)),
            }),
        }
    }
    Ok((files, contract))
}

/// Runs the whole pipeline on the text of a spec.
pub fn generate(spec_text: &str, options: &Options) -> Result<Output> {
    let doc = parse::parse(spec_text)?;
    let (api, warnings) = lower::lower(&doc)?;
    let operation_ids = api
        .modules
        .iter()
        .flat_map(|m| m.operations.iter().map(|o| o.id.clone()))
        .collect();
    let features = api.modules.iter().map(|m| m.name.to_string()).collect();
    let modules = api.modules.iter().map(module_index).collect();
    let (files, contract) = render_in_parallel(&api, &options.spec_label)?;
    Ok(Output {
        files,
        contract,
        warnings,
        operation_ids,
        features,
        modules,
        surface: api_changes::surface::Surface::of_api(&api),
    })
}

fn module_index(module: &ir::Module) -> ModuleIndex {
    ModuleIndex {
        name: module.name.to_string(),
        tag: module.tag.clone(),
        operations: module
            .operations
            .iter()
            .map(|op| OperationIndex {
                fn_name: op.fn_name.to_string(),
                paginated: op.pagination.is_some(),
                method: op.method.as_str(),
                path: op.path.clone(),
                summary: op.summary.clone(),
                deprecated: op.deprecated,
            })
            .collect(),
    }
}
