//! `cargo xtask fuzz [--seconds N] [--seed S] [--compile K]`: a bounded structural
//! fuzzer for the generator.
//!
//! Two sources of specs, alternating: random specs whose schemas nest and refer to each
//! other (and to themselves) in every shape (objects, arrays, maps, `allOf`, `oneOf`,
//! `anyOf`, nullable wrappers, references to any node), used as bodies, parameters and
//! responses; and mutations of the real specs (every fixture and `spec/`): keys deleted,
//! values replaced, nodes turned into references to other nodes (cycles included),
//! wrapped in compositions, or copied elsewhere. Every case must generate or fail with
//! an error; a panic is a finding (its spec is written to `fuzz/` in cargo's target
//! directory). With `--compile K`, K of the specs that generated are also built
//! clippy-clean in a scratch workspace. The case being tried is always in
//! `fuzz/current.yaml` there, so a crash
//! that takes the process down (a stack overflow) leaves its input behind.
//!
//! `xtask/tests/fuzz.rs` runs a fixed number of cases from a fixed seed on every
//! `cargo test`.

use crate::cli::{self, Command, Long, Parser, Stop, ValueExt as _};
use crate::scratch::{ScratchCrate, ScratchWorkspace};
use crate::Result;
use serde_yaml::{Mapping, Value};
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// A small deterministic generator (xorshift64*): the same seed gives the same cases
/// on every machine.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// What one case did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Generated,
    /// The generator refused the spec with an error (the expected way to fail).
    Refused,
    /// The generator panicked: a bug.
    Panicked(String),
}

/// Runs the generator on a spec text, catching panics.
pub fn try_generate(text: &str) -> Outcome {
    let options = codegen::Options {
        spec_label: "fuzz.yaml".to_owned(),
    };
    match std::panic::catch_unwind(|| codegen::generate(text, &options).map(|_| ())) {
        Ok(Ok(())) => Outcome::Generated,
        Ok(Err(_)) => Outcome::Refused,
        Err(panic) => Outcome::Panicked(
            panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_else(|| "a panic without a message".to_owned()),
        ),
    }
}

fn yaml(text: &str) -> Value {
    serde_yaml::from_str(text).expect("literal YAML")
}

fn map(entries: Vec<(&str, Value)>) -> Value {
    let mut m = Mapping::new();
    for (k, v) in entries {
        m.insert(Value::from(k), v);
    }
    Value::Mapping(m)
}

/// A random schema for a spec with `components` component schemas, nesting at most
/// `depth` levels and holding at most about `budget` nodes in all.
pub fn random_schema(rng: &mut Rng, components: usize, depth: usize, budget: &mut usize) -> Value {
    *budget = budget.saturating_sub(1);
    let leaf = depth == 0 || *budget == 0;
    let choice = if leaf { rng.below(4) } else { rng.below(13) };
    let schema = match choice {
        0 => map(vec![(
            "type",
            Value::from(*rng.pick(&["string", "integer", "number", "boolean"])),
        )]),
        1 => map(vec![(
            "$ref",
            Value::from(format!("#/components/schemas/S{}", rng.below(components))),
        )]),
        2 => yaml("{type: string, enum: [a, b, '', '-a', Self]}"),
        3 => yaml("{}"),
        4 | 5 => {
            let count = 1 + rng.below(4);
            let props: Mapping = (0..count)
                .map(|i| {
                    let name = *rng.pick(&[
                        "id",
                        "type",
                        "self",
                        "additional_properties",
                        "a-b",
                        "2x",
                        "value",
                        "request",
                    ]);
                    (
                        Value::from(format!("{name}{i}")),
                        random_schema(rng, components, depth - 1, budget),
                    )
                })
                .collect();
            let mut object = map(vec![
                ("type", Value::from("object")),
                ("properties", Value::Mapping(props)),
            ]);
            if rng.chance(50) {
                object["required"] = yaml("[id0, type0, self1]");
            }
            if rng.chance(20) {
                object["anyOf"] = yaml("[{required: [id0]}, {required: [value1]}]");
            }
            object
        }
        6 => map(vec![
            ("type", Value::from("array")),
            ("items", random_schema(rng, components, depth - 1, budget)),
        ]),
        7 => map(vec![
            ("type", Value::from("object")),
            (
                "additionalProperties",
                random_schema(rng, components, depth - 1, budget),
            ),
        ]),
        8..=10 => {
            let keyword = *rng.pick(&["allOf", "oneOf", "anyOf"]);
            let parts = (0..1 + rng.below(3))
                .map(|_| random_schema(rng, components, depth - 1, budget))
                .collect();
            map(vec![(keyword, Value::Sequence(parts))])
        }
        11 => map(vec![
            ("type", Value::from("object")),
            ("nullable", Value::from(true)),
            (
                "oneOf",
                Value::Sequence(vec![random_schema(rng, components, depth - 1, budget)]),
            ),
        ]),
        _ => map(vec![(
            "type",
            Value::from(*rng.pick(&["file", "null", "object"])),
        )]),
    };
    if rng.chance(10) {
        let mut schema = schema;
        if let Value::Mapping(m) = &mut schema {
            m.insert(Value::from("nullable"), Value::from(true));
        }
        return schema;
    }
    schema
}

/// A schema nested `depth` levels deep along a single line (each level one object
/// property, array, map or composition around the next), ending in `leaf`: deeper than
/// the generator's bounds without being large.
pub fn deep_chain(rng: &mut Rng, depth: usize, leaf: Value) -> Value {
    (0..depth).fold(leaf, |inner, _| match rng.below(5) {
        0 => map(vec![
            ("type", Value::from("object")),
            ("properties", map(vec![("a", inner)])),
        ]),
        1 => map(vec![("type", Value::from("array")), ("items", inner)]),
        2 => map(vec![
            ("type", Value::from("object")),
            ("additionalProperties", inner),
        ]),
        3 => map(vec![(
            "oneOf",
            Value::Sequence(vec![yaml("{type: string}"), inner]),
        )]),
        _ => map(vec![("allOf", Value::Sequence(vec![inner]))]),
    })
}

/// A whole random spec: component schemas that refer to each other, and operations
/// that use them as JSON, form and multipart bodies, query (including object) and path
/// parameters, and responses.
pub fn random_spec(rng: &mut Rng) -> String {
    let components = 1 + rng.below(6);
    let depth = 1 + rng.below(8);
    let mut budget = 200;
    let mut schemas: Mapping = (0..components)
        .map(|i| {
            (
                Value::from(format!("S{i}")),
                random_schema(rng, components, depth, &mut budget),
            )
        })
        .collect();
    if rng.chance(10) {
        let leaf = map(vec![("$ref", Value::from("#/components/schemas/S0"))]);
        let depth = 40 + rng.below(80);
        schemas.insert(Value::from("Deep"), deep_chain(rng, depth, leaf));
    }
    let mut paths = Mapping::new();
    for i in 0..1 + rng.below(4) {
        let schema_ref = || Value::from(format!("#/components/schemas/S{}", i % components));
        let media = *rng.pick(&[
            "application/json",
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ]);
        let style = *rng.pick(&["form", "deepObject", "pipeDelimited"]);
        let operation = map(vec![
            (
                "operationId",
                Value::from(*rng.pick(&["Timeout", "Send", "List", "Clone", "Op"])),
            ),
            (
                "tags",
                yaml(&format!(
                    "[{}]",
                    rng.pick(&["Models", "Runtime", "Things", "Default"])
                )),
            ),
            (
                "parameters",
                Value::Sequence(vec![
                    yaml("{name: id, in: path, required: true, schema: {type: string}}"),
                    map(vec![
                        ("name", Value::from("q")),
                        ("in", Value::from("query")),
                        ("style", Value::from(style)),
                        ("schema", map(vec![("$ref", schema_ref())])),
                    ]),
                    yaml("{name: limit, in: query, schema: {type: integer}}"),
                    yaml("{name: offset, in: query, schema: {type: integer}}"),
                ]),
            ),
            (
                "requestBody",
                map(vec![(
                    "content",
                    map(vec![(
                        media,
                        map(vec![("schema", map(vec![("$ref", schema_ref())]))]),
                    )]),
                )]),
            ),
            (
                "responses",
                map(vec![(
                    "200",
                    map(vec![
                        ("description", Value::from("x")),
                        (
                            "content",
                            map(vec![(
                                "application/json",
                                map(vec![(
                                    "schema",
                                    random_schema(rng, components, 3, &mut budget),
                                )]),
                            )]),
                        ),
                    ]),
                )]),
            ),
        ]);
        paths.insert(
            Value::from(format!("/things{i}/{{id}}")),
            map(vec![(*rng.pick(&["get", "post", "put"]), operation)]),
        );
    }
    let spec = map(vec![
        ("openapi", Value::from("3.0.3")),
        ("info", yaml("{title: Args, version: '1'}")),
        ("paths", Value::Mapping(paths)),
        (
            "components",
            map(vec![("schemas", Value::Mapping(schemas))]),
        ),
    ]);
    serde_yaml::to_string(&spec).expect("a YAML tree serializes")
}

/// Every node of a tree, as paths of keys/indices from the root.
fn node_paths(value: &Value, here: &mut Vec<Value>, out: &mut Vec<Vec<Value>>) {
    out.push(here.clone());
    match value {
        Value::Mapping(m) => {
            for (k, v) in m {
                here.push(k.clone());
                node_paths(v, here, out);
                here.pop();
            }
        }
        Value::Sequence(items) => {
            for (i, v) in items.iter().enumerate() {
                here.push(Value::from(i as u64));
                node_paths(v, here, out);
                here.pop();
            }
        }
        _ => {}
    }
}

fn node_mut<'a>(root: &'a mut Value, path: &[Value]) -> Option<&'a mut Value> {
    path.iter().try_fold(root, |node, key| match (node, key) {
        (Value::Mapping(m), key) => m.get_mut(key),
        (Value::Sequence(items), Value::Number(n)) => items.get_mut(n.as_u64()? as usize),
        _ => None,
    })
}

/// A JSON pointer for a node path (for `$ref`s to arbitrary nodes).
fn pointer(path: &[Value]) -> String {
    let mut out = String::from("#");
    for key in path {
        let token = match key {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            other => serde_yaml::to_string(other)
                .unwrap_or_default()
                .trim()
                .to_owned(),
        };
        out.push('/');
        out.push_str(&token.replace('~', "~0").replace('/', "~1"));
    }
    out
}

/// One random structural change to a spec tree: a key deleted, or a node replaced by
/// a scalar, an empty object, a reference to another node (its ancestors included, so
/// cycles), a composition or container around itself, or a copy of another node.
pub fn mutate(rng: &mut Rng, spec: &mut Value) {
    let mut paths = Vec::new();
    node_paths(spec, &mut Vec::new(), &mut paths);
    if paths.len() < 2 {
        return;
    }
    let target = paths[1 + rng.below(paths.len() - 1)].clone();
    let other = paths[rng.below(paths.len())].clone();
    if rng.chance(15) {
        if let Some((key, parent)) = target.split_last() {
            if let Some(Value::Mapping(parent)) = node_mut(spec, parent) {
                parent.remove(key);
                return;
            }
        }
    }
    let copy = node_mut(spec, &other).map(|v| v.clone());
    let Some(node) = node_mut(spec, &target) else {
        return;
    };
    let old = std::mem::replace(node, Value::Null);
    *node = match rng.below(9) {
        0 => Value::Null,
        1 => Value::from(*rng.pick(&["", "x", "object", "#/components/schemas/Nope"])),
        2 => Value::from(rng.below(1000) as u64),
        3 => yaml("{}"),
        4 => map(vec![("$ref", Value::from(pointer(&other)))]),
        5 => map(vec![(
            *rng.pick(&["allOf", "oneOf", "anyOf"]),
            Value::Sequence(vec![
                old,
                map(vec![("$ref", Value::from(pointer(&target)))]),
            ]),
        )]),
        6 => map(vec![("type", Value::from("array")), ("items", old)]),
        7 => copy.unwrap_or(old),
        _ => map(vec![
            ("type", Value::from("object")),
            ("additionalProperties", old),
        ]),
    };
}

/// The specs mutation starts from: every fixture and `spec/`.
pub fn seed_specs(root: &Path) -> Vec<(String, Value)> {
    let mut files: Vec<PathBuf> = fs::read_dir(root.join("codegen/tests/fixtures"))
        .map(|dir| dir.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.retain(|p| p.extension().is_some_and(|e| e == "yaml"));
    files.sort();
    files.push(root.join(crate::DEFAULT_SPEC));
    files
        .into_iter()
        .filter_map(|p| {
            let text = fs::read_to_string(&p).ok()?;
            let value = serde_yaml::from_str(&text).ok()?;
            Some((p.file_name()?.to_string_lossy().into_owned(), value))
        })
        .collect()
}

/// The `index`-th case from `rng`: a random spec, or a mutated seed spec.
pub fn case(rng: &mut Rng, seeds: &[(String, Value)], index: usize) -> (String, String) {
    if index.is_multiple_of(2) || seeds.is_empty() {
        return ("random".to_owned(), random_spec(rng));
    }
    let (name, seed) = rng.pick(seeds);
    let mut spec = seed.clone();
    for _ in 0..1 + rng.below(5) {
        mutate(rng, &mut spec);
    }
    (
        format!("mutated {name}"),
        serde_yaml::to_string(&spec).unwrap_or_default(),
    )
}

/// Totals of a run.
#[derive(Debug, Default)]
pub struct Report {
    pub cases: usize,
    pub generated: usize,
    pub refused: usize,
    /// (description, panic message, where the spec was written).
    pub panics: Vec<(String, String, PathBuf)>,
    /// Specs that generated, kept for `--compile`.
    pub generated_specs: Vec<String>,
}

/// Runs cases until `limit` (a count, or a deadline) is reached; `target_dir` is
/// cargo's target directory, which keeps the specs (see the module docs).
pub fn run_cases(root: &Path, target_dir: &Path, seed: u64, limit: Limit, keep: usize) -> Report {
    let dir = target_dir.join("fuzz");
    let _ = fs::create_dir_all(&dir);
    let seeds = seed_specs(root);
    let mut rng = Rng::new(seed);
    let mut report = Report::default();
    let started = Instant::now();
    while !limit.reached(report.cases, started) {
        let (what, text) = case(&mut rng, &seeds, report.cases);
        let _ = fs::write(dir.join("current.yaml"), &text);
        match try_generate(&text) {
            Outcome::Generated => {
                report.generated += 1;
                if report.generated_specs.len() < keep {
                    report.generated_specs.push(text);
                }
            }
            Outcome::Refused => report.refused += 1,
            Outcome::Panicked(message) => {
                let path = dir.join(format!("panic-{seed}-{}.yaml", report.cases));
                let _ = fs::write(&path, &text);
                report.panics.push((what, message, path));
            }
        }
        report.cases += 1;
    }
    report
}

/// When a run stops.
#[derive(Debug, Clone, Copy)]
pub enum Limit {
    Cases(usize),
    Time(Duration),
}

impl Limit {
    fn reached(self, cases: usize, started: Instant) -> bool {
        match self {
            Limit::Cases(n) => cases >= n,
            Limit::Time(d) => started.elapsed() >= d,
        }
    }
}

/// `cargo xtask fuzz`'s arguments.
pub struct Args {
    seconds: u64,
    seed: u64,
    compile: usize,
}

/// Runs `fuzz` with `args` (what follows `fuzz`); returns the exit status (1 when
/// anything panicked or a compiled spec did not build).
pub fn run(root: &Path, args: &[String]) -> u8 {
    cli::run::<Args>(root, args)
}

impl Command for Args {
    const USAGE: &'static str = "usage: cargo xtask fuzz [--seconds N] [--seed S] [--compile K]
  --seconds N  how long to run (default 60)
  --seed S     where the deterministic case sequence starts (default 1)
  --compile K  also build K of the specs that generated, clippy-clean, in a scratch workspace";

    fn parse(_root: &Path, parser: &mut Parser) -> Result<Args, Stop> {
        let mut parsed = Args {
            seconds: 60,
            seed: 1,
            compile: 0,
        };
        while let Some(arg) = parser.next()? {
            match arg {
                Long("seconds") => parsed.seconds = parser.value()?.parse()?,
                Long("seed") => parsed.seed = parser.value()?.parse()?,
                Long("compile") => parsed.compile = parser.value()?.parse()?,
                arg => return Err(cli::other(arg)),
            }
        }
        Ok(parsed)
    }

    fn run(self, root: &Path) -> Result<bool> {
        let Args {
            seconds,
            seed,
            compile,
        } = self;
        let target_dir = crate::target_dir(root)?;
        eprintln!("fuzzing the generator for {seconds} s from seed {seed} ...");
        let started = Instant::now();
        let report = run_cases(
            root,
            &target_dir,
            seed,
            Limit::Time(Duration::from_secs(seconds)),
            compile,
        );
        println!(
            "{} cases in {:.1} s: {} generated, {} refused with an error, {} panicked",
            report.cases,
            started.elapsed().as_secs_f64(),
            report.generated,
            report.refused,
            report.panics.len()
        );
        for (what, message, path) in &report.panics {
            println!("panic ({what}): {message}\n  spec: {}", path.display());
        }
        let mut failed = !report.panics.is_empty();
        if compile > 0 && !report.generated_specs.is_empty() {
            failed |= !compile_specs(root, &target_dir, &report.generated_specs);
        }
        Ok(!failed)
    }
}

/// Builds each spec's crate clippy-clean in one scratch workspace.
fn compile_specs(root: &Path, target_dir: &Path, specs: &[String]) -> bool {
    let options = codegen::Options {
        spec_label: "fuzz.yaml".to_owned(),
    };
    let crates: Vec<ScratchCrate> = specs
        .iter()
        .enumerate()
        .filter_map(|(i, text)| {
            let output = codegen::generate(text, &options).ok()?;
            Some(ScratchCrate::new(format!("fuzz-{i}"), output, Vec::new()))
        })
        .collect();
    let dir = target_dir.join("fuzz/crates");
    for (i, text) in specs.iter().enumerate() {
        let _ = fs::create_dir_all(&dir);
        let _ = fs::write(dir.join(format!("fuzz-{i}.yaml")), text);
    }
    eprintln!("building {} generated crates with clippy ...", crates.len());
    let workspace = match ScratchWorkspace::create(root, &dir, &crates) {
        Ok(w) => w,
        Err(e) => {
            println!("cannot create the scratch workspace: {e}");
            return false;
        }
    };
    match workspace.clippy(&target_dir.join("scratch/target")) {
        Ok(out) if out.status.success() => {
            println!("{} generated crates build clippy-clean", crates.len());
            true
        }
        Ok(out) => {
            println!(
                "generated crates do not build (specs in {}):\n{}",
                dir.display(),
                String::from_utf8_lossy(&out.stderr)
            );
            false
        }
        Err(e) => {
            println!("cannot run cargo clippy: {e}");
            false
        }
    }
}
