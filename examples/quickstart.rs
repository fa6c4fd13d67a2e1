//! Prints the tariff sheet of the bundled sample offer (invented figures modelled on
//! Elbæk's three modules), then explains one tariff down to the cost lines.
//!
//!     cargo run --example quickstart                # tariff sheet + one explanation
//!     cargo run --example quickstart -- service.udvikling.month
//!
//! The optional argument is the key of any figure in the explanation graph.

use std::process::ExitCode;

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
    println!("{}", computed.to_text());
    match computed.explanation.render(&key) {
        Some(tree) => {
            println!("Sådan er tallet beregnet ({key}):\n");
            println!("{tree}");
            ExitCode::SUCCESS
        }
        None => {
            eprintln!(
                "no figure has the key {key:?}; keys look like average.day, service.udredning.day"
            );
            ExitCode::FAILURE
        }
    }
}
