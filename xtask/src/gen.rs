//! `cargo xtask gen [--check] [--spec PATH] [--webhooks PATH] [--out DIR] [--report FILE]
//! [--baseline FILE]`.

use crate::cli::{self, Command, Long, Parser, Stop};
use crate::{write_atomically, Error, Result, DEFAULT_SPEC, DEFAULT_WEBHOOK_SPEC, GENERATED_DIR};
use codegen::{GeneratedFile, Options, Output};
use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

/// What it takes to bring a directory in line with a generation.
#[derive(Debug, Default)]
pub struct Plan {
    /// Files to create or replace: (path, old contents if any, new contents).
    pub writes: Vec<(PathBuf, Option<String>, String)>,
    /// Generated-looking files the spec no longer produces.
    pub removals: Vec<(PathBuf, String)>,
    pub unchanged: usize,
}

impl Plan {
    pub fn is_empty(&self) -> bool {
        self.writes.is_empty() && self.removals.is_empty()
    }

    /// A unified diff from what is on disk to what the spec generates.
    pub fn diff(&self, root: &Path) -> String {
        let mut out = String::new();
        let rel = |p: &Path| p.strip_prefix(root).unwrap_or(p).display().to_string();
        for (path, old, new) in &self.writes {
            let name = rel(path);
            let old = old.as_deref().unwrap_or("");
            let diff = similar::TextDiff::from_lines(old, new);
            out.push_str(
                &diff
                    .unified_diff()
                    .context_radius(3)
                    .header(&format!("a/{name}"), &format!("b/{name}"))
                    .to_string(),
            );
        }
        for (path, old) in &self.removals {
            let name = rel(path);
            let diff = similar::TextDiff::from_lines(old.as_str(), "");
            out.push_str(
                &diff
                    .unified_diff()
                    .header(&format!("a/{name}"), "/dev/null")
                    .to_string(),
            );
        }
        out
    }

    /// Carries the plan out: atomic replacements, then removals.
    pub fn apply(&self) -> std::io::Result<()> {
        for (path, _, new) in &self.writes {
            write_atomically(path, new)?;
        }
        for (path, _) in &self.removals {
            fs::remove_file(path)?;
        }
        Ok(())
    }
}

/// The label the generated header gives a spec path: relative to the workspace when
/// inside it, else the bare file name, so output never depends on where a checkout is.
pub fn spec_label(root: &Path, spec: &Path) -> String {
    let absolute = if spec.is_absolute() {
        spec.to_path_buf()
    } else {
        std::env::current_dir()
            .map(|d| d.join(spec))
            .unwrap_or_else(|_| spec.to_path_buf())
    };
    let canonical = absolute.canonicalize().unwrap_or(absolute);
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    match canonical.strip_prefix(&root) {
        Ok(rel) => rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/"),
        Err(_) => canonical
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "spec".to_owned()),
    }
}

/// Reads and generates a Backend API spec, together with the default webhook spec,
/// entirely in memory.
pub fn generate(root: &Path, spec: &Path) -> Result<Output> {
    generate_with_webhooks(root, spec, &root.join(DEFAULT_WEBHOOK_SPEC)).map(|(output, _)| output)
}

/// Reads and generates a Backend API spec and a webhook spec, entirely in memory: the
/// webhook events file joins the generated files (and its warnings the warnings), so one
/// plan writes, checks and cleans both. Also returns the webhook event types.
pub fn generate_with_webhooks(
    root: &Path,
    spec: &Path,
    webhook_spec: &Path,
) -> Result<(Output, Vec<String>)> {
    let read = |path: &Path| fs::read_to_string(path).map_err(Error::io(path));
    let options = |path: &Path| Options {
        spec_label: spec_label(root, path),
    };
    let (spec_text, webhook_text) = (read(spec)?, read(webhook_spec)?);
    // The two specs are independent: the webhook events generate beside the API.
    let (output, webhooks) = std::thread::scope(|scope| {
        let webhooks = scope.spawn(|| {
            codegen::generate_webhooks(&webhook_text, &options(webhook_spec))
                .map_err(generate_error(webhook_spec))
        });
        let output = codegen::generate(&spec_text, &options(spec)).map_err(generate_error(spec));
        let webhooks = webhooks.join().unwrap_or_else(|_| {
            Err(Error::Unexpected(
                "internal error: the webhook generation panicked".to_owned(),
            ))
        });
        (output, webhooks)
    });
    let (mut output, webhooks) = (output?, webhooks?);
    if output.files.iter().any(|f| f.path == webhooks.file.path) {
        return Err(Error::Generate {
            spec: spec.to_path_buf(),
            message: format!(
                "a generated module is already called {}",
                webhooks.file.path
            ),
        });
    }
    output.files.push(webhooks.file);
    output.warnings.extend(webhooks.warnings);
    output.surface.models.extend(webhooks.surface);
    output
        .files
        .push(crate::report::surface_file(&output.surface));
    Ok((output, webhooks.event_types))
}

/// The crate a generation into `out_dir` belongs to, when `out_dir` is a crate's
/// `src/generated`: its manifest's `[features]` and its `tests/contract.rs` are
/// generated too.
pub fn crate_root_for(out_dir: &Path) -> Option<PathBuf> {
    if !out_dir.ends_with("src/generated") {
        return None;
    }
    let root = out_dir.parent()?.parent()?;
    root.join("Cargo.toml").exists().then(|| root.to_path_buf())
}

/// Where a crate's generated contract suite lives (`contract/main.rs`, `contract/suite.rs`).
pub const CONTRACT_DIR: &str = "tests";

/// Compares a generation with a directory and, when it belongs to a crate, with the
/// crate manifest's generated `[features]` block and the crate's contract suite.
pub fn plan_output(out_dir: &Path, output: &Output) -> Result<Plan> {
    let mut plan = plan(out_dir, &output.files).map_err(Error::io(out_dir))?;
    let Some(root) = crate_root_for(out_dir) else {
        return Ok(plan);
    };
    let manifest = root.join("Cargo.toml");
    let old = fs::read_to_string(&manifest).map_err(Error::io(&manifest))?;
    let new = crate::manifest::with_features(&old, &output.features, &manifest)?;
    let mut files = vec![(manifest, Some(old), new)];
    for file in &output.contract {
        let path = root.join(CONTRACT_DIR).join(&file.path);
        let old = fs::read_to_string(&path).ok();
        files.push((path, old, file.contents.clone()));
    }
    for (path, old, new) in files {
        if old.as_deref() == Some(new.as_str()) {
            plan.unchanged += 1;
        } else {
            plan.writes.push((path, old, new));
        }
    }
    Ok(plan)
}

/// The error for a spec the generator refuses.
fn generate_error(spec: &Path) -> impl FnOnce(codegen::Error) -> Error + '_ {
    move |e| Error::Generate {
        spec: spec.to_path_buf(),
        message: e.to_string(),
    }
}

/// Compares generated files with a directory.
pub fn plan(out_dir: &Path, files: &[GeneratedFile]) -> std::io::Result<Plan> {
    let mut plan = Plan::default();
    let produced: BTreeSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    for file in files {
        let path = out_dir.join(&file.path);
        match fs::read_to_string(&path) {
            Ok(old) if old == file.contents => plan.unchanged += 1,
            Ok(old) => plan.writes.push((path, Some(old), file.contents.clone())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                plan.writes.push((path, None, file.contents.clone()))
            }
            Err(e) => return Err(e),
        }
    }
    if out_dir.is_dir() {
        let mut entries: Vec<_> = fs::read_dir(out_dir)?.collect::<Result<_, _>>()?;
        entries.sort_by_key(|e| e.file_name());
        for entry in entries {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.ends_with(".rs") && !produced.contains(name.as_str()) {
                let old = fs::read_to_string(entry.path())?;
                plan.removals.push((entry.path(), old));
            }
        }
    }
    Ok(plan)
}

/// `cargo xtask gen`'s arguments.
pub struct Args {
    check: bool,
    spec: PathBuf,
    webhooks: PathBuf,
    out: PathBuf,
    report: Option<PathBuf>,
    baseline: Option<PathBuf>,
}

/// Runs `gen` with `args` (what follows `gen`); returns the exit status.
pub fn run(root: &Path, args: &[String]) -> u8 {
    cli::run::<Args>(root, args)
}

impl Command for Args {
    const USAGE: &'static str =
    "usage: cargo xtask gen [--check] [--spec PATH] [--webhooks PATH] [--out DIR] [--report FILE] [--baseline FILE]
  --check          write nothing; fail with a diff (and the API changes) if the crate differs from the specs
  --spec PATH      generate from another spec file (default: spec/clerk-backend-api.yaml)
  --webhooks PATH  the webhook events from another file (default: spec/clerk-webhooks.yaml)
  --out DIR        write into another directory (default: clerk-api/src/generated)
  --report FILE    also write the API changes as Markdown
  --baseline FILE  compare the API with this surface (default: api-surface.json in the output directory)";

    fn parse(root: &Path, parser: &mut Parser) -> Result<Args, Stop> {
        let mut parsed = Args {
            check: false,
            spec: root.join(DEFAULT_SPEC),
            webhooks: root.join(DEFAULT_WEBHOOK_SPEC),
            out: root.join(GENERATED_DIR),
            report: None,
            baseline: None,
        };
        while let Some(arg) = parser.next()? {
            match arg {
                Long("check") => parsed.check = true,
                Long("spec") => parsed.spec = parser.value()?.into(),
                Long("webhooks") => parsed.webhooks = parser.value()?.into(),
                Long("out") => parsed.out = parser.value()?.into(),
                Long("report") => parsed.report = Some(parser.value()?.into()),
                Long("baseline") => parsed.baseline = Some(parser.value()?.into()),
                arg => return Err(cli::other(arg)),
            }
        }
        Ok(parsed)
    }

    fn run(self, root: &Path) -> Result<bool> {
        let args = self;
        let started = std::time::Instant::now();
        let (output, event_types) = match generate_with_webhooks(root, &args.spec, &args.webhooks) {
            Ok(generated) => generated,
            Err(e) => {
                eprintln!("error: {e}\nnothing was written");
                return Ok(false);
            }
        };
        let elapsed = started.elapsed();
        for warning in &output.warnings {
            eprintln!("{warning}");
        }
        let plan = plan_output(&args.out, &output)?;
        // The API changes, read before anything is written: printed on a generation and
        // on drift, and with `--report` written as Markdown.
        let baseline = args
            .baseline
            .clone()
            .unwrap_or_else(|| crate::report::default_baseline(&args.out));
        let changes = crate::report::compare(&baseline, &output.surface);
        if let Some(path) = &args.report {
            crate::write_atomically(path, &changes.markdown(root)).map_err(Error::io(path))?;
        }
        if !args.check || !plan.is_empty() {
            eprint!("{}", changes.text(root));
        }
        if args.check {
            if plan.is_empty() {
                eprintln!(
                    "{} is up to date with {} and {} ({} files)",
                    args.out.display(),
                    args.spec.display(),
                    args.webhooks.display(),
                    plan.unchanged
                );
                return Ok(true);
            }
            print!("{}", plan.diff(root));
            eprintln!(
                "error: {} differs from what {} and {} generate ({} files to write, {} to remove)",
                args.out.display(),
                args.spec.display(),
                args.webhooks.display(),
                plan.writes.len(),
                plan.removals.len()
            );
            eprintln!("hint: run `cargo xtask gen` and commit the result");
            return Ok(false);
        }
        plan.apply().map_err(Error::io(&args.out))?;
        eprintln!(
            "generated {} operations and {} webhook events into {} in {:.1} ms: {} written, {} removed, {} unchanged, {} warnings",
            output.operation_ids.len(),
            event_types.len(),
            args.out.display(),
            elapsed.as_secs_f64() * 1000.0,
            plan.writes.len(),
            plan.removals.len(),
            plan.unchanged,
            output.warnings.len()
        );
        Ok(true)
    }
}
