//! The prose of `spec/clerk-backend-api.yaml` is our own: no description, summary or title
//! shares a run of [`RUN`] or more consecutive words with the prose of Clerk's published
//! specs (`../shared/specs`, every YAML file) or with the seeds (`../shared/seeds`, whole
//! text). Words compare case-insensitively with punctuation ignored. Skipped when
//! `../shared` is absent.

mod published;

use published::{load_yaml, shared_dir};
use serde_json::Value;
use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};
use xtask::{workspace_root, DEFAULT_SPEC};

/// The shortest run of shared words that counts as copied.
const RUN: usize = 12;

/// Keys whose string values are prose.
const PROSE_KEYS: &[&str] = &["description", "summary", "title"];

/// Lower-case words: apostrophes dropped (`don't` is `dont`), any other character that is
/// not a letter or digit separates words.
fn words(text: &str) -> Vec<String> {
    text.to_lowercase()
        .replace(['\'', '\u{2019}'], "")
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Every run of [`RUN`] consecutive words of a body of texts.
#[derive(Default)]
struct Runs {
    ids: HashMap<String, u32>,
    runs: HashSet<Vec<u32>>,
}

impl Runs {
    fn add(&mut self, text: &str) {
        let ids: Vec<u32> = words(text)
            .into_iter()
            .map(|w| {
                let next = self.ids.len() as u32;
                *self.ids.entry(w).or_insert(next)
            })
            .collect();
        self.runs.extend(ids.windows(RUN).map(<[u32]>::to_vec));
    }

    /// The first run of `text` that is also in the body, as words.
    fn shared_run(&self, text: &str) -> Option<String> {
        let words = words(text);
        words.windows(RUN).find_map(|window| {
            let ids: Option<Vec<u32>> = window.iter().map(|w| self.ids.get(w).copied()).collect();
            ids.filter(|ids| self.runs.contains(ids))
                .map(|_| window.join(" "))
        })
    }
}

/// `(pointer, text)` of every prose string under `node`.
fn prose(node: &Value, at: &str, out: &mut Vec<(String, String)>) {
    match node {
        Value::Object(map) => {
            for (key, value) in map {
                let here = format!("{at}/{}", key.replace('~', "~0").replace('/', "~1"));
                match value {
                    Value::String(text) if PROSE_KEYS.contains(&key.as_str()) => {
                        out.push((here, text.clone()))
                    }
                    _ => prose(value, &here, out),
                }
            }
        }
        Value::Array(items) => {
            for (i, value) in items.iter().enumerate() {
                prose(value, &format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            files_under(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// The published prose: specs' prose strings and the seeds' whole text.
fn published_runs(specs: Option<PathBuf>, seeds: Option<PathBuf>) -> Runs {
    let mut runs = Runs::default();
    let mut files = Vec::new();
    if let Some(specs) = specs {
        files_under(&specs, &mut files);
    }
    for file in files
        .iter()
        .filter(|f| f.extension().is_some_and(|e| e == "yml" || e == "yaml"))
    {
        let mut texts = Vec::new();
        prose(&load_yaml(file), "", &mut texts);
        for (_, text) in texts {
            runs.add(&text);
        }
    }
    if let Some(seeds) = seeds {
        let mut files = Vec::new();
        files_under(&seeds, &mut files);
        for file in files {
            runs.add(&fs::read_to_string(&file).unwrap());
        }
    }
    runs
}

/// `pointer: shared words` for each prose string of `doc` found in `runs`.
fn copied(doc: &Value, runs: &Runs) -> Vec<String> {
    let mut texts = Vec::new();
    prose(doc, "", &mut texts);
    texts
        .iter()
        .filter_map(|(at, text)| runs.shared_run(text).map(|run| format!("#{at}: \"{run}\"")))
        .collect()
}

#[test]
fn no_spec_prose_shares_a_twelve_word_run_with_published_prose() {
    let (specs, seeds) = (shared_dir("specs"), shared_dir("seeds"));
    if specs.is_none() && seeds.is_none() {
        eprintln!("skipped: neither ../shared/specs nor ../shared/seeds exists");
        return;
    }
    let runs = published_runs(specs, seeds);
    let ours = load_yaml(&workspace_root().join(DEFAULT_SPEC));
    let copied = copied(&ours, &runs);
    assert!(
        copied.is_empty(),
        "{} descriptions share {RUN} or more words with published prose:\n{}",
        copied.len(),
        copied.join("\n")
    );
}

#[test]
fn a_copied_published_sentence_in_the_real_spec_is_found() {
    let Some(specs) = shared_dir("specs") else {
        eprintln!("skipped: ../shared/specs does not exist");
        return;
    };
    let runs = published_runs(Some(specs.clone()), None);
    let release = load_yaml(&specs.join("clerk-bapi-2026-05-12.yml"));
    let theirs = release["paths"]["/users/{user_id}/ban"]["post"]["description"]
        .as_str()
        .unwrap();
    let mut ours = load_yaml(&workspace_root().join(DEFAULT_SPEC));
    let at = "/paths/~1users~1{user_id}~1ban/post/description";
    *ours.pointer_mut(at).unwrap() = Value::String(theirs.to_uppercase());
    let found = copied(&ours, &runs);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].starts_with(&format!("#{at}: ")), "{found:?}");
}

#[test]
fn words_ignore_case_and_punctuation() {
    assert_eq!(
        words("Don't  split: `user_id`, (e.g. 10MB)!"),
        ["dont", "split", "user", "id", "e", "g", "10mb"]
    );
}

#[test]
fn a_run_of_twelve_shared_words_is_found_and_eleven_are_not() {
    let mut runs = Runs::default();
    runs.add("one two three four five six seven eight nine ten eleven twelve thirteen");
    let twelve = "Before: ONE two, three four five six seven eight nine ten eleven twelve.";
    assert_eq!(
        runs.shared_run(twelve).as_deref(),
        Some("one two three four five six seven eight nine ten eleven twelve")
    );
    let eleven = "one two three four five six seven eight nine ten eleven zwölf";
    assert_eq!(runs.shared_run(eleven), None);
    let reordered = "two one three four five six seven eight nine ten eleven twelve";
    assert_eq!(runs.shared_run(reordered), None);
}

#[test]
fn only_prose_keys_are_checked() {
    let mut runs = Runs::default();
    let sentence = "a b c d e f g h i j k l";
    runs.add(sentence);
    let doc = serde_json::json!({
        "paths": {"/x": {"get": {"summary": sentence, "operationId": sentence}}},
        "components": {"schemas": {"S": {"properties": {"description": {"type": "string"}},
                                         "title": sentence}}},
    });
    assert_eq!(
        copied(&doc, &runs),
        [
            format!("#/components/schemas/S/title: \"{sentence}\""),
            format!("#/paths/~1x/get/summary: \"{sentence}\""),
        ]
    );
}
