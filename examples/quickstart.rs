//! Prints the tariff sheet of the bundled sample offer (invented figures modelled on
//! Elbæk's three modules), a course quote priced from its published sheet, and the
//! explanation of one figure down to the cost lines.
//!
//!     cargo run --example quickstart                # sheet + course + one explanation
//!     cargo run --example quickstart -- service.udvikling.month
//!     cargo run --example quickstart -- "course[0].line[4]"
//!
//! The optional argument is the key of any figure in the explanation graph.

use std::process::ExitCode;

#[path = "support/mod.rs"]
mod support;

/// A course for the sample offer (examples/requests/course.json): udredning 3 months,
/// udvikling 6 months with 8 extra hours a month, længerevarende forløb 6 months, from
/// 15 March 2026, with the 2027 tariffs indexed by an illustrative +2.0 %.
const COURSE: &str = include_str!("requests/course.json");

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
    // The course is priced from the sample's published sheet, together with the offer.
    let mut request = match takst::Request::from_json(COURSE) {
        Ok(r) => r,
        Err(errors) => {
            eprintln!("the sample course could not be read: {errors}");
            return ExitCode::FAILURE;
        }
    };
    request.catalogue = None;
    request.offer = Some(takst::Offer::sample());
    let response = takst::evaluate(&request);
    let (Some(quote), Some(explanation)) = (response.courses.first(), &response.explanation) else {
        eprintln!(
            "the sample course could not be priced: {:?}",
            response.errors
        );
        return ExitCode::FAILURE;
    };
    let Some(tree) = explanation.render(&key) else {
        eprintln!(
            "no figure has the key {key:?}; keys look like average.day, service.udredning.day, course[0].line[4]"
        );
        return ExitCode::FAILURE;
    };
    let text = format!(
        "{}\n{}\nSådan er tallet beregnet ({key}):\n\n{tree}\n",
        computed.to_text(),
        quote.to_text()
    );
    support::emit(&text).map_or_else(|code| code, |()| ExitCode::SUCCESS)
}
