//! Spec prose -> rustdoc that `cargo doc`, `cargo test` (doctests) and clippy accept.
//!
//! Spec descriptions are CommonMark written for web pages: their code blocks are not
//! Rust, their `[x]` are not intra-doc links, their `<id>` are not HTML, and their URLs
//! are bare. Each of those would be a warning or a failing doctest.

use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc = "..."]` attributes, one per line, for the given paragraphs (skipping empty
/// ones, separated by blank doc lines).
pub fn doc_attrs<'a>(paragraphs: impl IntoIterator<Item = Option<&'a str>>) -> TokenStream {
    let mut lines: Vec<String> = Vec::new();
    for paragraph in paragraphs.into_iter().flatten() {
        let rendered = rustdoc(paragraph);
        if rendered.is_empty() {
            continue;
        }
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.extend(rendered);
    }
    let attrs = lines.iter().map(|line| {
        // A leading space makes prettyplease print `/// text` rather than `///text`.
        let text = if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        };
        quote!(#[doc = #text])
    });
    quote!(#(#attrs)*)
}

/// Sanitized doc lines for one description.
pub fn rustdoc(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_fence = false;
    // Width of the current list item's marker, for continuation lines.
    let mut list_indent: Option<usize> = None;
    for raw in text.replace("\r\n", "\n").replace('\t', "    ").lines() {
        let trimmed = raw.trim();
        if let Some(info) = trimmed.strip_prefix("```") {
            if in_fence {
                out.push("```".to_owned());
            } else {
                // Spec examples are never Rust: a bare fence would become a doctest.
                let lang = info.trim();
                let lang = if lang.is_empty() || lang == "rust" {
                    "text"
                } else {
                    lang
                };
                out.push(format!("```{lang}"));
            }
            in_fence = !in_fence;
            list_indent = None;
            continue;
        }
        if in_fence {
            out.push(raw.trim_end().to_owned());
            continue;
        }
        if trimmed.is_empty() {
            out.push(String::new());
            list_indent = None;
            continue;
        }
        let escaped = escape_line(trimmed);
        if let Some(width) = list_marker_width(trimmed) {
            list_indent = Some(width);
            out.push(escaped);
        } else if let Some(width) = list_indent {
            out.push(format!("{}{escaped}", " ".repeat(width)));
        } else {
            out.push(escaped);
        }
    }
    if in_fence {
        out.push("```".to_owned());
    }
    while out.last().is_some_and(String::is_empty) {
        out.pop();
    }
    while out.first().is_some_and(String::is_empty) {
        out.remove(0);
    }
    out
}

/// `- `, `* `, `+ ` or `1. ` at the start of a line: the width of the marker.
fn list_marker_width(line: &str) -> Option<usize> {
    if line.starts_with("- ") || line.starts_with("* ") || line.starts_with("+ ") {
        return Some(2);
    }
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    (digits > 0 && line[digits..].starts_with(". ")).then_some(digits + 2)
}

/// Escapes one line outside its inline code spans.
fn escape_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    if line.matches('`').count() % 2 == 1 {
        // An unbalanced backtick would swallow the rest; treat the line as plain text.
        return escape_text(&line.replace('`', "'"));
    }
    for (i, piece) in line.split('`').enumerate() {
        if i > 0 {
            out.push('`');
        }
        if i % 2 == 1 {
            out.push_str(piece);
        } else {
            out.push_str(&escape_text(piece));
        }
    }
    out
}

fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let chars: Vec<char> = text.chars().collect();
    let starts_with = |i: usize, prefix: &str| {
        prefix
            .chars()
            .enumerate()
            .all(|(k, p)| chars.get(i + k) == Some(&p))
    };
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if (starts_with(i, "http://") || starts_with(i, "https://"))
            && !preceded_by_link_syntax(&out)
        {
            let len = chars[i..]
                .iter()
                .position(|&ch| ch.is_whitespace() || ch == '<' || ch == '>' || ch == '"')
                .unwrap_or(chars.len() - i);
            let url: String = chars[i..i + len].iter().collect();
            let url = url.trim_end_matches(['.', ',', ';', ':', ')', '\'']);
            out.push('<');
            out.push_str(url);
            out.push('>');
            i += url.chars().count();
            continue;
        }
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '[' if !is_inline_link(&chars[i..]) => out.push_str("\\["),
            ']' if !closes_inline_link(&chars[..i], &chars[i..]) => out.push_str("\\]"),
            '\\' => out.push_str("\\\\"),
            _ => out.push(c),
        }
        i += 1;
    }
    out
}

fn preceded_by_link_syntax(out: &str) -> bool {
    out.ends_with("](") || out.ends_with('<')
}

/// `[text](target)` starting at `chars[0] == '['`, without nested brackets.
fn is_inline_link(chars: &[char]) -> bool {
    let Some(close) = chars.iter().position(|&c| c == ']') else {
        return false;
    };
    !chars[1..close].contains(&'[')
        && chars.get(close + 1) == Some(&'(')
        && chars[close..].contains(&')')
}

fn closes_inline_link(before: &[char], after: &[char]) -> bool {
    after.get(1) == Some(&'(')
        && before.iter().rposition(|&c| c == '[').is_some_and(|open| {
            !before[open + 1..].contains(&']')
                && is_inline_link(
                    &before[open..]
                        .iter()
                        .chain(after)
                        .copied()
                        .collect::<Vec<_>>(),
                )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitizes_spec_prose() {
        let table: &[(&str, &[&str])] = &[
            ("Plain text.", &["Plain text."]),
            (
                "See https://clerk.com/docs.",
                &["See <https://clerk.com/docs>."],
            ),
            (
                "A [custom flow](https://clerk.com/x) link.",
                &["A [custom flow](https://clerk.com/x) link."],
            ),
            ("Array [1, 2] here", &["Array \\[1, 2\\] here"]),
            ("Use <id> here", &["Use &lt;id&gt; here"]),
            (
                "Keep `<id>` and `[x]` in code",
                &["Keep `<id>` and `[x]` in code"],
            ),
            ("```\nlet x = 1;\n```", &["```text", "let x = 1;", "```"]),
            (
                "```json\n{\"a\": 1}\n```",
                &["```json", "{\"a\": 1}", "```"],
            ),
            ("```\nunclosed", &["```text", "unclosed", "```"]),
            (
                "- item one\ncontinues\n- item two",
                &["- item one", "  continues", "- item two"],
            ),
            ("1. first\nmore", &["1. first", "   more"]),
            ("    indented code?", &["indented code?"]),
            ("\n\nTrailing\n\n", &["Trailing"]),
            ("odd ` tick <b>", &["odd ' tick &lt;b&gt;"]),
            ("a\\b", &["a\\\\b"]),
            ("tab\there", &["tab    here"]),
        ];
        for (input, want) in table {
            assert_eq!(rustdoc(input), *want, "rustdoc({input:?})");
        }
    }

    #[test]
    fn paragraphs_are_separated_and_empty_ones_dropped() {
        let tokens = doc_attrs([Some("One"), None, Some(""), Some("Two")]).to_string();
        assert_eq!(
            tokens,
            "# [doc = \" One\"] # [doc = \"\"] # [doc = \" Two\"]"
        );
    }
}
