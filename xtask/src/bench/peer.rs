//! The peer the compile-time target is measured against: progenitor's crate for the
//! same spec, built alone in the same run.

use super::builds::Subject;
use super::Bench;
use std::path::Path;

impl Bench {
    /// Generates the spec with `cargo-progenitor` into a crate of its own under
    /// `target/bench/`, ready to be built alone.
    pub(super) fn progenitor(&self, _spec: &Path) -> Result<Subject, String> {
        Err("the progenitor peer is not set up yet".to_owned())
    }
}
