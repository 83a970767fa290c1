//! JSON pointers (RFC 6901) in URI-fragment form, used to name spec locations in errors
//! and warnings.

use std::fmt;

/// A location in the spec, such as `#/paths/~1organizations/get`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Pointer(String);

impl Pointer {
    pub fn root() -> Self {
        Pointer("#".to_owned())
    }

    /// Parses a local `$ref` target (`#/components/schemas/X`); other forms are not local.
    pub fn from_ref(reference: &str) -> Option<Self> {
        (reference == "#" || reference.starts_with("#/")).then(|| Pointer(reference.to_owned()))
    }

    /// The pointer one level deeper, escaping `~` and `/` in the token.
    pub fn join(&self, token: impl fmt::Display) -> Self {
        let token = token.to_string().replace('~', "~0").replace('/', "~1");
        Pointer(format!("{}/{}", self.0, token))
    }

    /// The name a reference gives inside one components section
    /// (`#/components/schemas/A~1B` in `schemas` is `A/B`); `None` for any other target.
    pub fn component_name(reference: &str, section: &str) -> Option<String> {
        reference
            .strip_prefix("#/components/")?
            .strip_prefix(section)?
            .strip_prefix('/')
            .filter(|rest| !rest.contains('/'))
            .map(unescape)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The unescaped tokens after `#`.
    pub fn tokens(&self) -> impl Iterator<Item = String> + '_ {
        self.0
            .trim_start_matches('#')
            .split('/')
            .skip(1)
            .map(unescape)
    }
}

/// One reference token with RFC 6901's escapes undone (`~1` is `/`, `~0` is `~`).
fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

impl fmt::Display for Pointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<Pointer> for String {
    fn from(p: Pointer) -> String {
        p.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn join_escapes_slash_and_tilde() {
        let p = Pointer::root()
            .join("paths")
            .join("/organizations/{id}")
            .join("a~b");
        assert_eq!(p.as_str(), "#/paths/~1organizations~1{id}/a~0b");
        let tokens: Vec<_> = p.tokens().collect();
        assert_eq!(tokens, ["paths", "/organizations/{id}", "a~b"]);
    }

    #[test]
    fn component_names_are_unescaped() {
        let name = Pointer::component_name("#/components/schemas/A~1B~0C", "schemas");
        assert_eq!(name.as_deref(), Some("A/B~C"));
        assert_eq!(
            Pointer::component_name("#/components/schemas/A/x", "schemas"),
            None
        );
        assert_eq!(
            Pointer::component_name("#/components/responses/A", "schemas"),
            None
        );
        assert_eq!(
            Pointer::component_name("#/components/schemasX/A", "schemas"),
            None
        );
    }

    #[test]
    fn only_local_refs_are_pointers() {
        assert!(Pointer::from_ref("#/components/schemas/X").is_some());
        assert!(Pointer::from_ref("other.yaml#/X").is_none());
    }
}
