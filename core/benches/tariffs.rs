//! Benchmarks: `cargo bench -p takst` (`cargo run --release --example bench` prints the same
//! figures as offers per second, with the growth table).
//!
//! - `realistic/compute` and `realistic/compute_no_explanation`: the realistic offer of
//!   `examples/requests/realistic.toml` (20 cost lines, three modules, three add-ons).
//! - `realistic/evaluate_json` with and without the explanation, and `realistic/serde_alone`:
//!   parsing the same request and writing the same response with serde only.
//! - `sample/compute`: the bundled sample offer.
//! - `large/compute`: 10,000 cost lines and 1,000 services.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use takst::{Explain, Offer, Request};

fn sized(lines: usize, services: usize) -> Offer {
    let mut toml = String::from(
        "name = \"Stor\"\nyear = 2026\nkind = \"residential\"\ncapacity = { places = 80 }\noccupancy = { budgeted_pct = 96 }\n",
    );
    for i in 0..lines {
        let key = if i % 3 == 0 { "support_hours" } else { "days" };
        toml.push_str(&format!("[[costs]]\nlabel = \"Linje {i}\"\ncategory = \"wages\"\namount = \"{}.25\"\nkey = \"{key}\"\n", 100_000 + i * 7_919));
    }
    for i in 0..services {
        toml.push_str(&format!("[[services]]\nid = \"s{i}\"\nname = \"Ydelse {i}\"\nhours_per_week = \"{}.5\"\nshare_pct = \"0.1\"\n", 5 + i % 40));
    }
    Offer::from_toml(&toml).unwrap_or_else(|e| panic!("{e}"))
}

fn benches(c: &mut Criterion) {
    let request = Request::from_toml(include_str!("../../examples/requests/realistic.toml"))
        .unwrap_or_else(|e| panic!("{e}"));
    let offer = request.offer.clone().unwrap_or_else(Offer::sample);
    let json = serde_json::to_string(&request).unwrap_or_default();
    let mut lean_request = request.clone();
    lean_request.options.explain = false;
    let lean = serde_json::to_string(&lean_request).unwrap_or_default();
    let response = takst::evaluate(&lean_request);
    let sample = Offer::sample();
    let large = sized(10_000, 1_000);

    c.bench_function("realistic/compute", |b| {
        b.iter(|| black_box(&offer).compute())
    });
    c.bench_function("realistic/compute_no_explanation", |b| {
        b.iter(|| black_box(&offer).compute_with(Explain::No))
    });
    c.bench_function("realistic/evaluate_json", |b| {
        b.iter(|| takst::evaluate_json(black_box(&json)))
    });
    c.bench_function("realistic/evaluate_json_no_explanation", |b| {
        b.iter(|| takst::evaluate_json(black_box(&lean)))
    });
    c.bench_function("realistic/serde_alone", |b| {
        b.iter(|| {
            let parsed: Result<Request, _> = serde_json::from_str(black_box(&lean));
            (
                parsed.ok(),
                serde_json::to_string(black_box(&response)).ok(),
            )
        })
    });
    c.bench_function("sample/compute", |b| {
        b.iter(|| black_box(&sample).compute())
    });
    c.bench_function("large/compute", |b| b.iter(|| black_box(&large).compute()));
}

criterion_group!(tariffs, benches);
criterion_main!(tariffs);
