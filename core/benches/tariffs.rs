//! Benchmarks: `cargo bench -p takst`.
//!
//! - `sample/compute`: the bundled three-module offer, offer → tariffs + explanation.
//! - `sample/evaluate_json`: the same through the JSON entry point (parse, compute, serialise),
//!   with and without the explanation graph.
//! - `large/compute`: 60 cost lines and 40 services, to show how the work grows.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use takst::Offer;

fn large_offer() -> Offer {
    let mut toml = String::from(
        "name = \"Stor\"\nyear = 2026\nkind = \"residential\"\ncapacity = { places = 80 }\noccupancy = { budgeted_pct = 96 }\n",
    );
    for i in 0..60 {
        let key = if i % 3 == 0 { "support_hours" } else { "days" };
        toml.push_str(&format!("[[costs]]\nlabel = \"Linje {i}\"\ncategory = \"wages\"\namount = \"{}.25\"\nkey = \"{key}\"\n", 100_000 + i * 7_919));
    }
    for i in 0..40 {
        toml.push_str(&format!("[[services]]\nid = \"s{i}\"\nname = \"Ydelse {i}\"\nhours_per_week = \"{}.5\"\nshare_pct = \"2.5\"\n", 5 + i));
    }
    Offer::from_toml(&toml).unwrap_or_else(|e| panic!("{e}"))
}

fn benches(c: &mut Criterion) {
    let sample = Offer::sample();
    let request = serde_json::json!({ "version": 1, "offer": sample }).to_string();
    let lean =
        serde_json::json!({ "version": 1, "offer": sample, "options": { "explain": false } })
            .to_string();
    let large = large_offer();

    c.bench_function("sample/compute", |b| {
        b.iter(|| black_box(&sample).compute())
    });
    c.bench_function("sample/evaluate_json", |b| {
        b.iter(|| takst::evaluate_json(black_box(&request)))
    });
    c.bench_function("sample/evaluate_json_no_explain", |b| {
        b.iter(|| takst::evaluate_json(black_box(&lean)))
    });
    c.bench_function("large/compute", |b| b.iter(|| black_box(&large).compute()));
}

criterion_group!(tariffs, benches);
criterion_main!(tariffs);
