//! Prints the tariff sheet of the bundled sample offer (invented figures modelled on
//! Elbæk's three modules), the README's course priced month by month from the published
//! tariffs (the same figures the README states), the explanation of one figure down to the
//! cost lines, and the keys of the figures a user can ask about.
//!
//!     cargo run --example quickstart                # sheet + course + one explanation
//!     cargo run --example quickstart -- service.udvikling.month
//!     cargo run --example quickstart -- "course[0].line[4]"
//!
//! The optional argument is the key of any figure in the explanation graph.

use std::process::ExitCode;

#[path = "support/mod.rs"]
mod support;

/// The README's course (examples/requests/readme-course.json): 5 months of udredning and
/// 8 of udvikling from 15 September 2026, the 2027 tariffs indexed by PL 1.96 %.
const COURSE: &str = include_str!("requests/readme-course.json");

/// Keys worth trying, shown after the explanation (each checked to exist).
const KEYS: [&str; 9] = [
    "average.day",
    "average.month",
    "service.udredning.day",
    "service.udvikling.day",
    "cost_base",
    "offer.expected_days",
    "course[0].total",
    "course[0].line[5]",
    "course[0].difference",
];

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
    let mut request = match takst::Request::from_json(COURSE) {
        Ok(r) => r,
        Err(errors) => {
            eprintln!("the README's course could not be read: {errors}");
            return ExitCode::FAILURE;
        }
    };
    request.options.explain = true;
    let response = takst::evaluate(&request);
    let (Some(quote), Some(course_graph)) = (response.courses.first(), &response.explanation)
    else {
        eprintln!(
            "the README's course could not be priced: {:?}",
            response.errors
        );
        return ExitCode::FAILURE;
    };
    let render = |k: &str| {
        computed
            .explanation
            .render(k)
            .or_else(|| course_graph.render(k))
    };
    let Some(tree) = render(&key) else {
        eprintln!("Intet tal har nøglen {key:?}. Prøv fx: {}", KEYS.join(", "));
        return ExitCode::FAILURE;
    };
    let keys: Vec<&str> = KEYS
        .iter()
        .copied()
        .filter(|k| render(k).is_some())
        .collect();
    let text = format!(
        "{}\n{}\nSådan er tallet beregnet ({key}):\n\n{tree}\n\
         Forklar et andet tal med dets nøgle: ./scripts/quickstart.sh NØGLE, fx\n  {}\n\
         (hvert tal i svaret har en nøgle; docs/format.md#explanation beskriver dem)\n",
        computed.to_text(),
        quote.to_text(),
        keys.join("\n  ")
    );
    support::emit(&text).map_or_else(|code| code, |()| ExitCode::SUCCESS)
}
