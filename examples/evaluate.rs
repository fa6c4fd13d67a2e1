//! Reads a request (JSON, or TOML) on standard input and prints the response as indented
//! JSON (`takst::evaluate_json` returns the same response compact).
//!
//!     cargo run --example evaluate < examples/requests/elbaek.json
//!     cargo run --example evaluate < examples/requests/catalogue.toml
//!     cargo run --example evaluate -- --compact < request.json   # evaluate_json's own text
//!     cargo run --example evaluate -- --text < examples/requests/financing.json  # Danish text
//!     cargo run --example evaluate -- --nodes < request.json    # the explanation's figures
//!
//! `--nodes` prints the explanation's figures as the core fills them (compact JSON, a list
//! of `{id, key, label, value, unit, op, path, inputs, rule, source, rounding}`): what every
//! binding's reader of the node table must give back, byte for byte once parsed.
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
    if std::env::args().any(|a| a == "--compact") {
        // Exactly what `evaluate_json`/`evaluate_toml` return: the bindings' tests compare
        // their output with these bytes.
        let out = if input.trim_start().starts_with('{') {
            takst::evaluate_json(&input)
        } else {
            takst::evaluate_toml(&input)
        };
        let ok = out.starts_with(r#"{"version":1,"ok":true"#);
        if let Err(code) = support::emit(&out) {
            return code;
        }
        return if ok {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        };
    }
    // The request read as `evaluate_json`/`evaluate_toml` read it, and answered.
    let request = if input.trim_start().starts_with('{') {
        takst::Request::from_json(&input)
    } else {
        takst::Request::from_toml(&input)
    };
    let response = match request {
        Ok(r) => takst::evaluate(&r),
        Err(errors) => takst::Response::failed(errors),
    };
    let text = if std::env::args().any(|a| a == "--text") {
        response.to_text()
    } else if std::env::args().any(|a| a == "--nodes") {
        let nodes: Vec<takst::Node> = response
            .explanation
            .iter()
            .flat_map(|e| e.nodes())
            .collect();
        serde_json::to_string(&nodes).unwrap_or_default()
    } else {
        format!("{}\n", response.to_json_pretty())
    };
    if let Err(code) = support::emit(&text) {
        return code;
    }
    if response.ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
