//! Contract tests: every operation called with valid arguments against a mock server
//! implementing the spec. `cargo xtask contract` starts the server (Prism) and sets
//! `CLERK_CONTRACT_URL`; without it, every test returns at once.
//!
//! `support.rs` (hand-written) judges the answers; `suite.rs` (the calls) is generated
//! from the spec by `cargo xtask gen` and formatted by it, not by rustfmt.

use clerk_api as api;

// A spec without operations, or without documented error bodies, leaves parts of the
// harness unused.
#[allow(dead_code)]
mod support;

#[rustfmt::skip]
mod suite;
