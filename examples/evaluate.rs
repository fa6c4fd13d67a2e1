//! Reads a request (JSON, or TOML) on standard input and prints the response as JSON.
//!
//!     cargo run --example evaluate < examples/requests/elbaek.json
//!     cargo run --example evaluate < examples/requests/catalogue.toml
//!
//! A request that starts with `{` is read as JSON, anything else as TOML. The exit status is
//! 0 when the response is `ok`, 1 when it carries errors, 2 when stdin cannot be read.

use std::io::Read;

#[path = "support/mod.rs"]
mod support;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut input = String::new();
    if let Err(e) = std::io::stdin().read_to_string(&mut input) {
        eprintln!("cannot read standard input: {e}");
        return ExitCode::from(2);
    }
    let response = if input.trim_start().starts_with('{') {
        takst::evaluate_json(&input)
    } else {
        takst::evaluate_toml(&input)
    };
    if let Err(code) = support::emit(&format!("{response}\n")) {
        return code;
    }
    let ok = serde_json::from_str::<serde_json::Value>(&response)
        .map(|v| v["ok"] == serde_json::Value::Bool(true))
        .unwrap_or(false);
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
