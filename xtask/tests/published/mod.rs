//! Clerk's published material in `../shared` (specs and seeds), which tests compare the
//! repository with when it is there and skip without.

use serde_json::Value;
use std::fs;
use std::path::PathBuf;

/// `../shared/<sub>` beside the workspace, when it exists.
pub fn shared_dir(sub: &str) -> Option<PathBuf> {
    let dir = xtask::workspace_root().parent()?.join("shared").join(sub);
    dir.is_dir().then_some(dir)
}

/// A YAML (or JSON) file as a JSON value.
pub fn load_yaml(path: &std::path::Path) -> Value {
    let text =
        fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}
