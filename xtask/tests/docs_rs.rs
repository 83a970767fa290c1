//! docs.rs shows which cargo feature each gated item needs: every public item (and impl
//! block) of `clerk-api` that carries a `#[cfg(...)]` naming a feature also carries
//! `#[cfg_attr(docsrs, doc(cfg(...)))]` with the same predicate. The generator emits the
//! pair for tag modules and gated models; hand-written gated items (features outside the
//! tag block) need it by hand, and this test names any that lack it.

use quote::ToTokens;
use std::fs;
use std::path::{Path, PathBuf};

fn rust_sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Token text with the whitespace removed, so `cfg(any(a, b))` compares equal however
/// it was printed (prettyplease breaks long predicates over lines).
fn compact(tokens: &impl ToString) -> String {
    tokens.to_string().split_whitespace().collect()
}

/// The predicates of the item's feature `cfg`s, and of its `cfg_attr(docsrs, doc(cfg(..)))`s.
fn gates(attrs: &[syn::Attribute]) -> (Vec<String>, Vec<String>) {
    let mut cfgs = Vec::new();
    let mut badges = Vec::new();
    for attr in attrs {
        let Ok(list) = attr.meta.require_list() else {
            continue;
        };
        let tokens = compact(&list.tokens);
        if attr.path().is_ident("cfg") && tokens.contains("feature") {
            cfgs.push(tokens);
        } else if attr.path().is_ident("cfg_attr") {
            if let Some(badge) = tokens
                .strip_prefix("docsrs,doc(cfg(")
                .and_then(|rest| rest.strip_suffix("))"))
            {
                badges.push(badge.to_owned());
            }
        }
    }
    (cfgs, badges)
}

fn is_hidden(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|attr| {
        attr.path().is_ident("doc")
            && attr
                .meta
                .require_list()
                .is_ok_and(|list| compact(&list.tokens) == "hidden")
    })
}

/// `file:item` for each gated public item below `items` that lacks its badge.
fn missing_badges(file: &str, items: &[syn::Item], out: &mut Vec<String>) {
    for item in items {
        let (attrs, vis, name) = match item {
            syn::Item::Const(i) => (&i.attrs, Some(&i.vis), i.ident.to_string()),
            syn::Item::Enum(i) => (&i.attrs, Some(&i.vis), i.ident.to_string()),
            syn::Item::Fn(i) => (&i.attrs, Some(&i.vis), i.sig.ident.to_string()),
            syn::Item::Mod(i) => (&i.attrs, Some(&i.vis), i.ident.to_string()),
            syn::Item::Static(i) => (&i.attrs, Some(&i.vis), i.ident.to_string()),
            syn::Item::Struct(i) => (&i.attrs, Some(&i.vis), i.ident.to_string()),
            syn::Item::Trait(i) => (&i.attrs, Some(&i.vis), i.ident.to_string()),
            syn::Item::Type(i) => (&i.attrs, Some(&i.vis), i.ident.to_string()),
            syn::Item::Union(i) => (&i.attrs, Some(&i.vis), i.ident.to_string()),
            syn::Item::Use(i) => (
                &i.attrs,
                Some(&i.vis),
                format!("use {}", compact(&i.tree.to_token_stream())),
            ),
            // An impl block has no visibility of its own; its items show on the type's page.
            syn::Item::Impl(i) => (
                &i.attrs,
                None,
                format!("impl {}", compact(&i.self_ty.to_token_stream())),
            ),
            _ => continue,
        };
        if is_hidden(attrs) {
            continue;
        }
        let public = vis.is_none_or(|v| matches!(v, syn::Visibility::Public(_)));
        let (cfgs, badges) = gates(attrs);
        if public {
            for cfg in cfgs.iter().filter(|cfg| !badges.contains(cfg)) {
                out.push(format!("{file}: {name} (#[cfg({cfg})])"));
            }
        }
        match item {
            syn::Item::Mod(m) => {
                if let Some((_, inner)) = &m.content {
                    missing_badges(file, inner, out);
                }
            }
            syn::Item::Impl(i) => {
                for member in &i.items {
                    if let syn::ImplItem::Fn(f) = member {
                        let (cfgs, badges) = gates(&f.attrs);
                        if matches!(f.vis, syn::Visibility::Public(_)) && !is_hidden(&f.attrs) {
                            for cfg in cfgs.iter().filter(|cfg| !badges.contains(cfg)) {
                                out.push(format!(
                                    "{file}: {name}::{} (#[cfg({cfg})])",
                                    f.sig.ident
                                ));
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }
}

#[test]
fn every_feature_gated_public_item_has_its_docs_rs_badge() {
    let src = xtask::workspace_root().join("clerk-api/src");
    let mut files = Vec::new();
    rust_sources(&src, &mut files);
    files.sort();
    let mut missing = Vec::new();
    let mut gated = 0;
    for path in &files {
        let text = fs::read_to_string(path).unwrap();
        let file = syn::parse_file(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let name = path.strip_prefix(&src).unwrap().display().to_string();
        gated += text.matches("#[cfg_attr(docsrs, doc(cfg(").count();
        missing_badges(&name, &file.items, &mut missing);
    }
    assert!(
        missing.is_empty(),
        "feature-gated public items without `#[cfg_attr(docsrs, doc(cfg(...)))]` beside \
         their `#[cfg(...)]` (docs.rs would not show the feature they need):\n{}",
        missing.join("\n")
    );
    // The walk saw the gated items: the tag modules, the gated models, `testing`.
    assert!(
        gated > 40,
        "only {gated} badges found under {}",
        src.display()
    );
}

#[test]
fn an_item_without_its_badge_is_found() {
    let file: syn::File = syn::parse_str(
        r#"
        #[cfg(feature = "a")]
        #[cfg_attr(docsrs, doc(cfg(feature = "a")))]
        pub mod shown;
        #[cfg(feature = "b")]
        pub struct Unmarked;
        #[cfg(any(feature = "a", feature = "b"))]
        #[cfg_attr(docsrs, doc(cfg(feature = "a")))]
        pub struct WrongBadge;
        #[cfg(feature = "c")]
        pub(crate) struct Private;
        #[cfg(feature = "c")]
        impl Shown {
            #[cfg(feature = "d")]
            pub fn method(&self) {}
            #[cfg(feature = "d")]
            pub(crate) fn helper(&self) {}
        }
        mod inner {
            #[cfg(feature = "e")]
            pub use super::Shown as Renamed;
        }
        #[cfg(test)]
        pub mod tests {}
        "#,
    )
    .unwrap();
    let mut missing = Vec::new();
    missing_badges("lib.rs", &file.items, &mut missing);
    assert_eq!(
        missing,
        [
            r#"lib.rs: Unmarked (#[cfg(feature="b")])"#,
            r#"lib.rs: WrongBadge (#[cfg(any(feature="a",feature="b"))])"#,
            r#"lib.rs: impl Shown (#[cfg(feature="c")])"#,
            r#"lib.rs: impl Shown::method (#[cfg(feature="d")])"#,
            r#"lib.rs: use super::ShownasRenamed (#[cfg(feature="e")])"#,
        ]
    );
}
