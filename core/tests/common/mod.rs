//! Shared by the integration tests.
#![allow(dead_code)]
#![allow(clippy::unwrap_used)] // tests may panic: a panic is a failed test

pub mod reference;
