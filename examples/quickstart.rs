//! Prints the tariff sheet of the bundled sample offer (invented figures modelled on
//! Elbæk's three modules), then explains one tariff down to the cost lines.
//!
//!     cargo run --example quickstart                # tariff sheet + one explanation
//!     cargo run --example quickstart -- service.udvikling.month
//!
//! The optional argument is the key of any figure in the explanation graph.

use std::process::ExitCode;

#[path = "support/mod.rs"]
mod support;

fn main() -> ExitCode {
    let key = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "service.udredning.day".to_string());
    let computed = match takst::Offer::sample().compute() {
        Ok(c) => c,
        Err(errors) => {
            eprintln!("the sample offer could not be computed: {errors}");
            return ExitCode::FAILURE;
        }
    };
    let Some(tree) = computed.explanation.render(&key) else {
        eprintln!(
            "no figure has the key {key:?}; keys look like average.day, service.udredning.day"
        );
        return ExitCode::FAILURE;
    };
    let text = format!(
        "{}\nSådan er tallet beregnet ({key}):\n\n{tree}\n",
        computed.to_text()
    );
    support::emit(&text).map_or_else(|code| code, |()| ExitCode::SUCCESS)
}
