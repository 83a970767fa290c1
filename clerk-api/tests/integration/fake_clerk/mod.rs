//! `clerk_api::testing::FakeClerk`, the stateful fake Clerk (feature `test-util`):
//! conformance of its answers to the spec, the Clerk behaviours it reproduces, its
//! rules and faults, its sessions and its runnable example.
#![cfg(feature = "test-util")]

mod conformance;
mod ops;
