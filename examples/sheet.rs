//! Prints the text tariff sheet (takstblad) of an offer request read on standard input, or
//! with `--json` the published tariff-sheet file (format `takst/tariff-sheet`).
//!
//!     cargo run --example sheet < examples/requests/elbaek.json
//!     cargo run --example sheet -- --json < examples/requests/elbaek.json > examples/published/elbaek.json
//!
//! Like `evaluate`, it reads JSON (text starting with `{`) or TOML. A request that cannot be
//! computed prints its errors on standard error and exits with status 1.

use std::io::Read;

#[path = "support/mod.rs"]
mod support;
use std::process::ExitCode;

fn main() -> ExitCode {
    let json = std::env::args().any(|a| a == "--json");
    let mut input = String::new();
    if let Err(e) = std::io::stdin().read_to_string(&mut input) {
        eprintln!("cannot read standard input: {e}");
        return ExitCode::from(2);
    }
    let request = if input.trim_start().starts_with('{') {
        takst::Request::from_json(&input)
    } else {
        takst::Request::from_toml(&input)
    };
    let offer = match request {
        Ok(takst::Request {
            offer: Some(offer), ..
        }) => offer,
        Ok(takst::Request {
            catalogue: Some(sheet),
            ..
        }) => {
            return support::emit(&render(&sheet, None, json))
                .map_or_else(|code| code, |()| ExitCode::SUCCESS);
        }
        Ok(_) => {
            eprintln!("the request has neither an offer nor a catalogue");
            return ExitCode::FAILURE;
        }
        Err(errors) => {
            for e in errors.as_slice() {
                eprintln!("error: {e}");
            }
            return ExitCode::FAILURE;
        }
    };
    match offer.compute() {
        Ok(computed) => {
            let text = render(&computed.sheet, Some(&computed), json);
            support::emit(&text).map_or_else(|code| code, |()| ExitCode::SUCCESS)
        }
        Err(errors) => {
            for e in errors.as_slice() {
                eprintln!("error: {e}");
            }
            ExitCode::FAILURE
        }
    }
}

fn render(sheet: &takst::TariffSheet, computed: Option<&takst::Computed>, json: bool) -> String {
    if json {
        let mut text = serde_json::to_string_pretty(sheet).unwrap_or_default();
        text.push('\n');
        return text;
    }
    computed.map_or_else(|| sheet.to_text(), |c| c.to_text())
}
