//! The generator's picture of the hand-written runtime (`codegen::runtime_api`) matches
//! the runtime's source: every method `Client` has by hand is reserved, every runtime
//! item the emitted code names exists, and every module and feature the crate root
//! declares by hand is kept from the tag modules; and the methods generated request
//! builders and models have besides their setters are the reserved ones, the builders'
//! per-call options those of `runtime::RequestBase`. A change to the runtime (or to the
//! emitter) that the generator's lists do not know about fails here instead of in a
//! user's build.

use codegen::runtime_api::{
    RootItem, RuntimeItem, BUILDER_METHODS, CLIENT_METHODS, CLIENT_TRAIT_METHODS,
    DEFAULT_PAGE_SIZE, HAND_WRITTEN_FEATURES, MAX_PAGE_SIZE, MODEL_METHODS, REQUEST_BASE_METHODS,
    ROOT_MODULES,
};
use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use syn::ext::IdentExt;

fn crate_src() -> PathBuf {
    xtask::workspace_root().join("clerk-api/src")
}

fn parse(path: &Path) -> syn::File {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    syn::parse_file(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every hand-written source file of the crate (everything but `src/generated/`).
fn hand_written_sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n != "generated") {
                hand_written_sources(&path, out);
            }
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Names of the functions in `impl Client { .. }` blocks (not trait impls), in these
/// items and their inline modules.
fn client_methods(items: &[syn::Item], out: &mut BTreeSet<String>) {
    for item in items {
        match item {
            syn::Item::Impl(block) if block.trait_.is_none() => {
                let syn::Type::Path(ty) = &*block.self_ty else {
                    continue;
                };
                if ty.path.segments.last().is_some_and(|s| s.ident == "Client") {
                    for inner in &block.items {
                        if let syn::ImplItem::Fn(f) = inner {
                            out.insert(f.sig.ident.to_string());
                        }
                    }
                }
            }
            syn::Item::Mod(m) => {
                if let Some((_, inner)) = &m.content {
                    client_methods(inner, out);
                }
            }
            _ => {}
        }
    }
}

/// The names a file makes public with `pub use` (renames count by their new name).
fn public_uses(file: &syn::File) -> BTreeSet<String> {
    fn leaves(tree: &syn::UseTree, out: &mut BTreeSet<String>) {
        match tree {
            syn::UseTree::Path(p) => leaves(&p.tree, out),
            syn::UseTree::Name(n) => {
                out.insert(n.ident.to_string());
            }
            syn::UseTree::Rename(r) => {
                out.insert(r.rename.to_string());
            }
            syn::UseTree::Group(g) => g.items.iter().for_each(|t| leaves(t, out)),
            syn::UseTree::Glob(_) => {}
        }
    }
    let mut out = BTreeSet::new();
    for item in &file.items {
        if let syn::Item::Use(u) = item {
            if matches!(u.vis, syn::Visibility::Public(_)) {
                leaves(&u.tree, &mut out);
            }
        }
    }
    out
}

#[test]
fn every_hand_written_client_method_is_reserved() {
    let mut files = Vec::new();
    hand_written_sources(&crate_src(), &mut files);
    let mut found = BTreeSet::new();
    for file in &files {
        client_methods(&parse(file).items, &mut found);
    }
    let reserved: BTreeSet<String> = CLIENT_METHODS
        .iter()
        .filter(|m| !CLIENT_TRAIT_METHODS.contains(m))
        .map(|m| m.to_string())
        .collect();
    let missing: Vec<_> = found.difference(&reserved).collect();
    let stale: Vec<_> = reserved.difference(&found).collect();
    assert!(
        missing.is_empty() && stale.is_empty(),
        "codegen::runtime_api::CLIENT_METHODS is out of step with `impl Client` in clerk-api/src: \
         add {missing:?}, remove {stale:?}"
    );
    for method in CLIENT_TRAIT_METHODS {
        assert!(
            CLIENT_METHODS.contains(method),
            "{method} must be reserved too"
        );
    }
}

#[test]
fn every_runtime_item_the_generated_code_names_exists() {
    let runtime = public_uses(&parse(&crate_src().join("runtime/mod.rs")));
    for item in RuntimeItem::ALL {
        assert!(
            runtime.contains(item.name()),
            "generated code names crate::runtime::{}, which runtime/mod.rs does not export",
            item.name()
        );
    }
    let root = public_uses(&parse(&crate_src().join("lib.rs")));
    for item in RootItem::ALL {
        assert!(
            root.contains(item.name()),
            "generated code names crate::{}, which lib.rs does not export",
            item.name()
        );
    }
}

#[test]
fn every_hand_written_root_module_and_feature_is_reserved() {
    let lib = parse(&crate_src().join("lib.rs"));
    let mut declared: BTreeSet<String> = lib
        .items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Mod(m) => Some(m.ident.to_string()),
            _ => None,
        })
        .collect();
    declared.extend(
        public_uses(&lib)
            .into_iter()
            .filter(|name| name.starts_with(|c: char| c.is_ascii_lowercase())),
    );
    for name in &declared {
        assert!(
            ROOT_MODULES.contains(&name.as_str()),
            "lib.rs declares `{name}`: add it to codegen::runtime_api::ROOT_MODULES so no tag module takes the name"
        );
    }

    let manifest =
        fs::read_to_string(xtask::workspace_root().join("clerk-api/Cargo.toml")).unwrap();
    let begin = manifest
        .find(xtask::manifest::BEGIN)
        .expect("generated block");
    let end = manifest
        .find(xtask::manifest::END)
        .expect("generated block end");
    let features_start = manifest.find("[features]").expect("[features]");
    let section_end = manifest[features_start + 1..]
        .find("\n[")
        .map_or(manifest.len(), |i| features_start + 1 + i);
    let hand_written = manifest[features_start..begin]
        .lines()
        .chain(manifest[end..section_end].lines().skip(1))
        .filter_map(|line| line.split_once('=').map(|(name, _)| name.trim().to_owned()))
        .filter(|name| !name.is_empty() && !name.starts_with('#'));
    for feature in hand_written {
        assert!(
            HAND_WRITTEN_FEATURES.contains(&feature.as_str()),
            "clerk-api/Cargo.toml declares feature `{feature}` by hand: add it to codegen::runtime_api::HAND_WRITTEN_FEATURES"
        );
    }
}

/// The public methods of the inherent `impl` blocks of the types named `ty` in `items`.
fn inherent_methods(items: &[syn::Item], ty: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for item in items {
        if let syn::Item::Impl(block) = item {
            let syn::Type::Path(path) = &*block.self_ty else {
                continue;
            };
            if block.trait_.is_some() || path.path.segments.last().is_none_or(|s| s.ident != ty) {
                continue;
            }
            for inner in &block.items {
                if let syn::ImplItem::Fn(f) = inner {
                    if matches!(f.vis, syn::Visibility::Public(_)) {
                        out.insert(f.sig.ident.unraw().to_string());
                    }
                }
            }
        }
    }
    out
}

/// The generator's own specs whose generated code the next checks read: the real one,
/// and the fixture whose parameters and fields take the names the generator reserves.
fn generations() -> Vec<(String, codegen::Output)> {
    let root = xtask::workspace_root();
    [
        "spec/clerk-backend-api.yaml",
        "codegen/tests/fixtures/reserved-edge.yaml",
    ]
    .into_iter()
    .map(|spec| {
        let text = fs::read_to_string(root.join(spec)).unwrap();
        let options = codegen::Options {
            spec_label: spec.into(),
        };
        let output = codegen::generate(&text, &options).unwrap_or_else(|e| panic!("{e}"));
        (spec.to_owned(), output)
    })
    .collect()
}

fn generated_file(output: &codegen::Output, module: &str) -> syn::File {
    let path = format!("{module}.rs");
    let file = output.files.iter().find(|f| f.path == path).unwrap();
    syn::parse_file(&file.contents).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// `RequestBase` has the per-call option methods the builders forward to it, and no
/// other public method than those the generated code calls on it.
#[test]
fn request_base_has_the_methods_builders_forward() {
    let file = parse(&crate_src().join("runtime/builder.rs"));
    let found = inherent_methods(&file.items, "RequestBase");
    let mut expected: BTreeSet<String> =
        REQUEST_BASE_METHODS.iter().map(|m| m.to_string()).collect();
    // Called by the generated method, `.stream()` and `IntoFuture` respectively.
    expected.extend(["new", "into_client", "call"].map(String::from));
    assert_eq!(
        found, expected,
        "runtime::RequestBase is out of step with codegen::runtime_api::REQUEST_BASE_METHODS"
    );
    for method in REQUEST_BASE_METHODS {
        assert!(
            BUILDER_METHODS.contains(method),
            "{method} forwards to RequestBase, so it is a builder method: add it to BUILDER_METHODS"
        );
    }
}

/// Every method a generated request builder has, besides its setters (which the API
/// surface lists), is one `BUILDER_METHODS` reserves, so no setter can take its name; and
/// every builder forwards every per-call option.
#[test]
fn every_builder_method_but_the_setters_is_reserved() {
    for (spec, output) in generations() {
        for (fn_name, op) in &output.surface.operations {
            let (module, builder) = op.builder.split_once("::").unwrap();
            let methods = inherent_methods(&generated_file(&output, module).items, builder);
            for method in &methods {
                assert!(
                    op.setters.contains_key(method) || BUILDER_METHODS.contains(&method.as_str()),
                    "{spec}: {}::{method} is neither a setter of `{fn_name}` nor in codegen::runtime_api::BUILDER_METHODS",
                    op.builder
                );
            }
            for setter in op.setters.keys() {
                assert!(
                    methods.contains(setter),
                    "{spec}: {}::{setter} is not generated",
                    op.builder
                );
            }
            for option in REQUEST_BASE_METHODS {
                assert!(
                    methods.contains(*option),
                    "{spec}: {} has no `{option}`",
                    op.builder
                );
            }
            assert_eq!(
                methods.contains("stream"),
                op.stream.is_some(),
                "{spec}: {}",
                op.builder
            );
            assert_eq!(
                methods.contains("params"),
                op.params.is_some(),
                "{spec}: {}",
                op.builder
            );
            let body_setter = op
                .body
                .as_ref()
                .is_some_and(|b| b.passed == codegen::api_changes::surface::BodyPassing::Setter);
            assert_eq!(
                methods.contains("body"),
                body_setter,
                "{spec}: {}",
                op.builder
            );
        }
    }
}

/// Every method a generated struct has, besides the setters of its fields, is one
/// `MODEL_METHODS` reserves, so no setter can take its name. A setter has its field's
/// name, or that name with `_field` (and a number) when the name is taken.
#[test]
fn every_model_method_but_the_setters_is_reserved() {
    for (spec, output) in generations() {
        let models = generated_file(&output, "models");
        for (path, model) in &output.surface.models {
            let (Some(name), codegen::api_changes::surface::Shape::Struct { fields, .. }) =
                (path.strip_prefix("models::"), &model.shape)
            else {
                continue;
            };
            for method in inherent_methods(&models.items, name) {
                let renamed = method.rsplit_once("_field").is_some_and(|(field, n)| {
                    fields.contains_key(field)
                        && n.trim_start_matches('_')
                            .chars()
                            .all(|c| c.is_ascii_digit())
                });
                assert!(
                    fields.contains_key(&method) || renamed || MODEL_METHODS.contains(&method.as_str()),
                    "{spec}: {path}::{method} is neither a setter nor in codegen::runtime_api::MODEL_METHODS"
                );
            }
        }
    }
}

/// The page sizes the generated `.stream()` docs quote are the runtime's.
#[test]
fn page_sizes_are_the_runtime_ones() {
    assert_eq!(DEFAULT_PAGE_SIZE, clerk_api::runtime::DEFAULT_PAGE_SIZE);
    assert_eq!(MAX_PAGE_SIZE, clerk_api::runtime::MAX_PAGE_SIZE);
}
