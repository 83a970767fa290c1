//! An example application tested against `FakeClerk` alone: its sign-up hook, its
//! member admin page (an axum app behind `AuthLayer`, called with the fake's session
//! tokens) and its domain job, each tested by the state it leaves in the fake, not by
//! the order of its calls.
#![cfg(feature = "test-util")]

mod app;
mod scenarios;
