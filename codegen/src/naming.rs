//! Every naming decision of the generator: how spec names become Rust identifiers.
//!
//! Names go through heck for casing, then are made valid (digits, symbols, keywords) and
//! unique within their scope by [`UniqueNames`]. Wire names are never changed: serde
//! renames and query keys keep the spec's spelling.

use heck::{ToSnakeCase, ToUpperCamelCase};
use std::collections::HashSet;
use std::fmt;

/// Words that are keywords in Rust 2021 (strict and reserved).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be written as raw identifiers (`r#self` is invalid).
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super", "_"];

/// Names generated code uses unqualified inside model and operation modules; a type by
/// one of these names would shadow them.
const RESERVED_TYPE_NAMES: &[&str] = &[
    "Client", "Error", "Result", "Option", "Some", "None", "Ok", "Err", "String", "Vec", "Box",
    "Default", "Nullable", "Value", "Map", "Self",
];

/// Names clippy's `should_implement_trait` lint rejects for a public method taking `self`
/// by value and one argument, the shape of every generated setter (`fn add(self, value:
/// T) -> Self` reads as `std::ops::Add::add`).
const OPERATOR_METHODS: &[&str] = &[
    "add", "sub", "mul", "div", "rem", "shl", "shr", "bitand", "bitor", "bitxor",
];

/// Whether a setter may not be called `name`: a method of its type has the name (one of
/// `methods`), or clippy would read it as an operator's. Such a setter is renamed.
pub fn setter_clashes(name: &str, methods: &[&str]) -> bool {
    methods.contains(&name) || OPERATOR_METHODS.contains(&name)
}

/// Marks the names no setter of a type with `methods` may take.
pub fn reserve_setter_names(names: &mut UniqueNames, methods: &[&str]) {
    for name in methods.iter().chain(OPERATOR_METHODS) {
        names.reserve(name);
    }
}

pub fn is_keyword(s: &str) -> bool {
    KEYWORDS.contains(&s)
}

/// A Rust identifier the generator decided on: its bare spelling, and whether it must be
/// written as a raw identifier (`r#type`). Equality, order and hashing go by the bare
/// spelling, because `r#type` and `type` name the same thing.
#[derive(Debug, Clone)]
pub struct RustIdent {
    bare: String,
    raw: bool,
}

impl RustIdent {
    /// An identifier spelled `name`: a keyword becomes a raw identifier (`type` ->
    /// `r#type`), or gets a trailing `_` where a raw identifier is not allowed (`self` ->
    /// `self_`). `name` must otherwise be a valid identifier.
    pub fn new(name: impl Into<String>) -> Self {
        let mut bare = name.into();
        if NOT_RAW.contains(&bare.as_str()) {
            bare.push('_');
        }
        let raw = is_keyword(&bare);
        RustIdent { bare, raw }
    }

    /// The spelling without `r#`: what docs and derived names use.
    pub fn bare(&self) -> &str {
        &self.bare
    }

    /// A new identifier: this one's bare spelling with `suffix` appended
    /// (`list_users` + `_stream`).
    pub fn suffixed(&self, suffix: &str) -> RustIdent {
        RustIdent::new(format!("{}{suffix}", self.bare))
    }

    /// The `proc_macro2` identifier, raw where needed.
    pub fn to_ident(&self) -> proc_macro2::Ident {
        let span = proc_macro2::Span::call_site();
        if self.raw {
            proc_macro2::Ident::new_raw(&self.bare, span)
        } else {
            proc_macro2::Ident::new(&self.bare, span)
        }
    }
}

impl PartialEq for RustIdent {
    fn eq(&self, other: &Self) -> bool {
        self.bare == other.bare
    }
}

impl Eq for RustIdent {}

impl PartialOrd for RustIdent {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for RustIdent {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.bare.cmp(&other.bare)
    }
}

impl std::hash::Hash for RustIdent {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.bare.hash(state);
    }
}

impl std::borrow::Borrow<str> for RustIdent {
    fn borrow(&self) -> &str {
        &self.bare
    }
}

impl PartialEq<str> for RustIdent {
    fn eq(&self, other: &str) -> bool {
        self.bare == other
    }
}

impl PartialEq<&str> for RustIdent {
    fn eq(&self, other: &&str) -> bool {
        self.bare == *other
    }
}

/// The bare spelling (no `r#`), as docs show it.
impl fmt::Display for RustIdent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.bare)
    }
}

impl quote::ToTokens for RustIdent {
    fn to_tokens(&self, tokens: &mut proc_macro2::TokenStream) {
        tokens.extend(std::iter::once(proc_macro2::TokenTree::Ident(
            self.to_ident(),
        )));
    }
}

/// Turns a spec word into a `snake_case` identifier (fields, methods, modules).
/// Keywords become raw identifiers (`type` -> `r#type`), or get a trailing `_` where a
/// raw identifier is not allowed (`self` -> `self_`).
pub fn snake_ident(raw: &str) -> RustIdent {
    let mut name = words(&normalize_capitals(raw, true)).to_snake_case();
    if name.is_empty() {
        name = "value".to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, '_');
    }
    RustIdent::new(name)
}

/// Like [`snake_ident`], but never a raw identifier: module, file and feature names.
pub fn module_name(raw: &str) -> RustIdent {
    let name = snake_ident(raw);
    if name.raw {
        RustIdent::new(format!("{}_", name.bare))
    } else {
        name
    }
}

/// Turns a spec name into an `UpperCamelCase` type name.
pub fn type_name(raw: &str) -> RustIdent {
    let mut name = words(&normalize_capitals(raw, false)).to_upper_camel_case();
    if name.is_empty() {
        name = "Anonymous".to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'T');
    }
    if RESERVED_TYPE_NAMES.contains(&name.as_str()) {
        name.push_str("Model");
    }
    RustIdent::new(name)
}

/// Turns an enum value into a variant name. Values that casing would erase or merge
/// (`""`, `*`, `-created_at` vs `created_at`) keep a spelled-out marker.
pub fn variant_name(wire: &str) -> RustIdent {
    let mut spelled = String::new();
    for (i, c) in wire.chars().enumerate() {
        match c {
            '+' if i == 0 => spelled.push_str("Plus "),
            '-' if i == 0 => spelled.push_str("Minus "),
            '*' => spelled.push_str(" Star "),
            '@' => spelled.push_str(" At "),
            _ => spelled.push(c),
        }
    }
    let mut name = words(&spelled).to_upper_camel_case();
    if name.is_empty() {
        name = if wire.is_empty() { "Empty" } else { "Symbol" }.to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'V');
    }
    RustIdent::new(name)
}

/// Adjusts capitals heck would split badly: `OAuth` reads as `O` + `Auth` (`o_auth`),
/// so a lone capital that starts a word and runs into a capitalized word joins it
/// (`oauth`); a plural acronym `URLs` reads as `UR` + `Ls` (`ur_ls`), so a run of
/// capitals ending in `s` becomes one word (`urls`). Other acronyms are left alone
/// (`HTTPResponse` -> `http_response`). Type names keep `OAuth` as heck writes it
/// (`join_lone_capital: false`).
fn normalize_capitals(raw: &str, join_lone_capital: bool) -> String {
    let chars: Vec<char> = raw.chars().collect();
    let mut out: Vec<char> = chars.clone();
    for i in 1..chars.len() {
        // A word starts after a non-capital (`update|OAuth`, `_OAuth`) or at the start.
        let starts_word = i == 1 || !chars[i - 2].is_ascii_uppercase();
        let joins = join_lone_capital
            && starts_word
            && chars[i - 1].is_ascii_uppercase()
            && chars[i].is_ascii_uppercase()
            && chars.get(i + 1).is_some_and(char::is_ascii_lowercase);
        if joins {
            out[i] = chars[i].to_ascii_lowercase();
        }
    }
    // Plural acronyms: two or more capitals, then `s`, then the end of the word.
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_uppercase() && (i == 0 || !chars[i - 1].is_ascii_uppercase()) {
            let run = chars[i..]
                .iter()
                .take_while(|c| c.is_ascii_uppercase())
                .count();
            let after = i + run;
            let plural = run >= 2
                && chars.get(after) == Some(&'s')
                && chars.get(after + 1).is_none_or(|c| !c.is_ascii_lowercase());
            if plural {
                for c in out.iter_mut().take(after).skip(i + 1) {
                    *c = c.to_ascii_lowercase();
                }
            }
            i = after.max(i + 1);
        } else {
            i += 1;
        }
    }
    out.into_iter().collect()
}

/// Replaces every character heck would not split on with a space, so that symbols such
/// as `#` or `.` separate words instead of vanishing into one.
fn words(raw: &str) -> String {
    raw.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect()
}

/// Hands out names that are unique within one scope (a module's types, a struct's
/// fields, an enum's variants): a second `frontend_api` becomes `frontend_api_2`, a
/// second `Foo` becomes `Foo2`.
#[derive(Debug, Default, Clone)]
pub struct UniqueNames {
    used: HashSet<String>,
}

impl UniqueNames {
    pub fn new() -> Self {
        Self::default()
    }

    /// Marks a name as taken without handing it out.
    pub fn reserve(&mut self, name: &str) {
        self.used.insert(name.to_owned());
    }

    /// Returns `name`, or `name` with the smallest numeric suffix that is still free.
    pub fn claim(&mut self, name: RustIdent) -> RustIdent {
        if self.used.insert(name.bare.clone()) {
            return name;
        }
        let stem = &name.bare;
        let sep = if name.raw
            || stem.ends_with(|c: char| c.is_ascii_digit())
            || !stem.starts_with(|c: char| c.is_ascii_uppercase())
        {
            "_"
        } else {
            ""
        };
        (2..)
            .map(|n| format!("{stem}{sep}{n}"))
            .find(|candidate| self.used.insert(candidate.clone()))
            .map(RustIdent::new)
            .expect("an unbounded range always yields a free name")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// How the identifier is written in code (`r#type`).
    fn written(ident: RustIdent) -> String {
        ident.to_ident().to_string()
    }

    #[test]
    fn snake_idents() {
        let table = [
            ("organization_id", "organization_id"),
            ("frontendApi", "frontend_api"),
            ("ListOrganizations", "list_organizations"),
            (
                "InstanceGetOrganizationMemberships",
                "instance_get_organization_memberships",
            ),
            ("type", "r#type"),
            ("use", "r#use"),
            ("self", "self_"),
            ("super", "super_"),
            ("x5t#S256", "x5t_s256"),
            ("2fa_enabled", "_2fa_enabled"),
            ("", "value"),
            ("$", "value"),
            ("public-metadata", "public_metadata"),
            ("OAuthApplication", "oauth_application"),
            ("UpdateOAuthApplication", "update_oauth_application"),
            ("x_OAuth", "x_oauth"),
            ("ATest", "atest"),
            ("HTTPResponse", "http_response"),
            ("getHTTPResponse", "get_http_response"),
        ];
        for (raw, want) in table {
            assert_eq!(written(snake_ident(raw)), want, "snake_ident({raw:?})");
        }
    }

    #[test]
    fn module_names_are_never_raw() {
        let table = [
            ("Organizations", "organizations"),
            ("Organization Memberships", "organization_memberships"),
            ("Sign-ups", "sign_ups"),
            ("JWT Templates", "jwt_templates"),
            ("OAuth Applications", "oauth_applications"),
            ("Redirect URLs", "redirect_urls"),
            ("RedirectURLs", "redirect_urls"),
            ("userIDs", "user_ids"),
            ("JWTsAndKeys", "jwts_and_keys"),
            ("SAML Connections", "saml_connections"),
            ("type", "type_"),
            ("Self", "self_"),
        ];
        for (raw, want) in table {
            assert_eq!(written(module_name(raw)), want, "module_name({raw:?})");
        }
    }

    #[test]
    fn type_names() {
        let table = [
            ("Organization", "Organization"),
            ("organization_domain", "OrganizationDomain"),
            ("JWTTemplate", "JwtTemplate"),
            ("OAuthApplication", "OAuthApplication"),
            ("saml-connection", "SamlConnection"),
            ("2FA", "T2fa"),
            ("Error", "ErrorModel"),
            ("Option", "OptionModel"),
            ("", "Anonymous"),
            ("a.b", "AB"),
            ("RedirectURLs", "RedirectUrls"),
            ("OAuthApplications", "OAuthApplications"),
        ];
        for (raw, want) in table {
            assert_eq!(written(type_name(raw)), want, "type_name({raw:?})");
        }
    }

    #[test]
    fn variant_names() {
        let table = [
            ("automatic_invitation", "AutomaticInvitation"),
            ("created_at", "CreatedAt"),
            ("-created_at", "MinusCreatedAt"),
            ("+created_at", "PlusCreatedAt"),
            ("", "Empty"),
            ("*", "Star"),
            ("payer-credits", "PayerCredits"),
            ("oauth_google", "OauthGoogle"),
            ("2fa", "V2fa"),
            ("Self", "Self_"),
            ("#", "Symbol"),
        ];
        for (raw, want) in table {
            assert_eq!(written(variant_name(raw)), want, "variant_name({raw:?})");
        }
    }

    #[test]
    fn unique_names_suffix_collisions() {
        let mut names = UniqueNames::new();
        assert_eq!(
            written(names.claim(snake_ident("frontendApi"))),
            "frontend_api"
        );
        assert_eq!(
            written(names.claim(snake_ident("frontend_api"))),
            "frontend_api_2"
        );
        assert_eq!(
            written(names.claim(snake_ident("FrontendAPI"))),
            "frontend_api_3"
        );
        assert_eq!(written(names.claim(RustIdent::new("type"))), "r#type");
        assert_eq!(written(names.claim(RustIdent::new("type"))), "type_2");
        assert_eq!(written(names.claim(RustIdent::new("Foo"))), "Foo");
        assert_eq!(written(names.claim(RustIdent::new("Foo"))), "Foo2");
        assert_eq!(written(names.claim(RustIdent::new("Foo2"))), "Foo2_2");
        names.reserve("Bar");
        assert_eq!(written(names.claim(RustIdent::new("Bar"))), "Bar2");
    }
}
