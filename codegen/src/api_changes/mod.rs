//! After the pipeline: what a generation changes for the users of the crate. The
//! [`surface`] is the public API one generation has (built from the typed IR); the
//! [`report`] compares two surfaces and gives each difference its semver verdict.

pub mod report;
pub mod surface;
