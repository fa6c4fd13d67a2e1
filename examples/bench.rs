//! Prints takst's speed and memory figures (the `cargo bench` suite measures the same
//! paths with criterion):
//!
//!     cargo run --release --example bench            # everything
//!     cargo run --release --example bench -- quick   # smaller scaling table
//!     cargo run --release --example bench -- courses # sections 4 and 5 only
//!
//! 1. Offers per second through `Offer::compute` for a realistic offer (20 cost lines, three
//!    modules, three add-ons: `examples/requests/realistic.toml`), with and without the
//!    explanation.
//! 2. `evaluate_json` against parsing the same request and writing the same response with
//!    serde alone.
//! 3. Time and peak memory as the offer grows to 100,000 cost lines and 10,000 services.
//!
//! One thread; each figure is the best of several timed rounds. Memory is the peak of heap
//! bytes allocated during one computation.

use std::hint::black_box;
use std::time::{Duration, Instant};

use peakmem_alloc::{PeakMemAlloc, PeakMemAllocTrait, INSTRUMENTED_SYSTEM};
use takst::{Explain, Offer, Request};

#[global_allocator]
static GLOBAL: &PeakMemAlloc<std::alloc::System> = &INSTRUMENTED_SYSTEM;

/// Best time per call of `f` over several rounds of about `budget` each.
fn per_call(budget: Duration, mut f: impl FnMut()) -> Duration {
    // Calibrate the batch size.
    let mut n = 1u32;
    loop {
        let t = Instant::now();
        for _ in 0..n {
            f();
        }
        if t.elapsed() > budget / 10 || n > 1 << 24 {
            break;
        }
        n *= 2;
    }
    (0..5)
        .map(|_| {
            let t = Instant::now();
            for _ in 0..n {
                f();
            }
            t.elapsed() / n
        })
        .min()
        .unwrap_or_default()
}

/// Peak heap bytes allocated while running `f`, above what was allocated before.
fn peak_bytes(f: impl FnOnce()) -> usize {
    GLOBAL.reset_peak_memory();
    f();
    GLOBAL.get_peak_memory()
}

fn per_second(d: Duration) -> f64 {
    1.0 / d.as_secs_f64()
}

fn thousands(v: f64) -> String {
    let s = format!("{:.0}", v);
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// An offer with `lines` cost lines and `services` modules.
fn sized_offer(lines: usize, services: usize) -> Offer {
    let mut toml = String::from(
        "name = \"Stor\"\nyear = 2026\nkind = \"residential\"\ncapacity = { places = 80 }\noccupancy = { budgeted_pct = 96 }\n",
    );
    for i in 0..lines {
        let key = if i % 3 == 0 { "support_hours" } else { "days" };
        toml.push_str(&format!(
            "[[costs]]\nlabel = \"Linje {i}\"\ncategory = \"wages\"\namount = \"{}.25\"\nkey = \"{key}\"\n",
            100_000 + i * 7_919
        ));
    }
    let share = 100.0 / services as f64;
    for i in 0..services {
        // Shares as exact decimals that sum to 100: the last takes the rest.
        let s = if i + 1 == services {
            format!(
                "{:.4}",
                100.0 - (share * 10_000.0).floor() / 10_000.0 * (services - 1) as f64
            )
        } else {
            format!("{:.4}", (share * 10_000.0).floor() / 10_000.0)
        };
        toml.push_str(&format!(
            "[[services]]\nid = \"s{i}\"\nname = \"Ydelse {i}\"\nhours_per_week = \"{}.5\"\nshare_pct = \"{s}\"\n",
            5 + i % 40
        ));
    }
    Offer::from_toml(&toml).unwrap_or_else(|e| panic!("the sized offer reads: {e}"))
}

fn main() {
    let quick = std::env::args().any(|a| a == "quick");
    if std::env::args().any(|a| a == "courses") {
        courses(quick);
        return;
    }
    let budget = Duration::from_millis(if quick { 150 } else { 400 });
    let text = include_str!("requests/realistic.toml");
    let request = Request::from_toml(text).unwrap_or_else(|e| panic!("{e}"));
    let offer = request.offer.clone().unwrap_or_else(Offer::sample);

    println!(
        "takst {} — one thread, best of 5 rounds\n",
        env!("CARGO_PKG_VERSION")
    );
    println!("1. Offer::compute, realistic offer (20 cost lines, 3 modules, 3 add-ons)");
    let lean = per_call(budget, || {
        let _ = black_box(black_box(&offer).compute_with(Explain::No));
    });
    let full = per_call(budget, || {
        let _ = black_box(black_box(&offer).compute());
    });
    println!(
        "   without explanation: {:>9} offers/s  ({:.2} µs)   target ≥ 200,000",
        thousands(per_second(lean)),
        lean.as_secs_f64() * 1e6
    );
    println!(
        "   with explanation:    {:>9} offers/s  ({:.2} µs)   target ≥ 60,000",
        thousands(per_second(full)),
        full.as_secs_f64() * 1e6
    );

    println!("\n2. evaluate_json against serde alone (same request, same response)");
    for explain in [false, true] {
        let mut req = request.clone();
        req.options.explain = explain;
        let json = serde_json::to_string(&req).unwrap_or_default();
        let response = takst::evaluate(&req);
        let ours = per_call(budget, || {
            black_box(takst::evaluate_json(black_box(&json)));
        });
        let serde_alone = per_call(budget, || {
            let parsed: Result<Request, _> = serde_json::from_str(black_box(&json));
            black_box(parsed.ok());
            black_box(serde_json::to_string(black_box(&response)).ok());
        });
        println!(
            "   explain = {explain:<5}: evaluate_json {:>8.2} µs, serde parse + write {:>8.2} µs: {:.2}×   target ≤ 2×",
            ours.as_secs_f64() * 1e6,
            serde_alone.as_secs_f64() * 1e6,
            ours.as_secs_f64() / serde_alone.as_secs_f64()
        );
    }

    println!("\n3. Growth: Offer::compute with the explanation, evaluate_json without");
    println!(
        "   {:>8} {:>8} {:>12} {:>12} {:>12} {:>12} {:>12}",
        "lines", "services", "compute", "per item", "peak memory", "per item", "evaluate"
    );
    // Cost lines grow with three services; services grow with twenty lines.
    let mut sizes: Vec<(usize, usize, usize)> = vec![];
    let lines: &[usize] = if quick {
        &[100, 1_000, 10_000]
    } else {
        &[100, 1_000, 10_000, 100_000]
    };
    let services: &[usize] = if quick {
        &[10, 100, 1_000]
    } else {
        &[10, 100, 1_000, 10_000]
    };
    sizes.extend(lines.iter().map(|&l| (l, 3, l)));
    sizes.extend(services.iter().map(|&s| (20, s, s)));
    for (lines, services, items) in sizes {
        let offer = sized_offer(lines, services);
        let items = items as f64;
        let t = per_call(budget, || {
            let _ = black_box(black_box(&offer).compute());
        });
        let mem = peak_bytes(|| {
            let _ = black_box(offer.compute());
        });
        let json =
            serde_json::json!({ "version": 1, "offer": offer, "options": { "explain": false } })
                .to_string();
        let e = per_call(budget, || {
            black_box(takst::evaluate_json(black_box(&json)));
        });
        println!(
            "   {:>8} {:>8} {:>9.2} ms {:>9.3} µs {:>9.2} MB {:>10.0} B {:>9.2} ms",
            lines,
            services,
            t.as_secs_f64() * 1e3,
            t.as_secs_f64() * 1e6 / items,
            mem as f64 / 1e6,
            mem as f64 / items,
            e.as_secs_f64() * 1e3
        );
    }
    println!("   (per item: per cost line in the first rows, per service in the last)");

    courses(quick);
}

/// A three-phase, 13-month course from `start` (3 + 5 + 5 months).
fn course(start: jiff::civil::Date, municipality: &str) -> takst::Course {
    let phase = |service: &str, months: u32| takst::Phase {
        service: Some(service.into()),
        package: None,
        months: Some(months),
        days: None,
        until: None,
        part_time_days: None,
        add_ons: vec![],
    };
    takst::Course {
        id: None,
        municipality: Some(municipality.into()),
        offer: None,
        start,
        phases: vec![
            phase("udredning", 3),
            phase("udvikling", 5),
            phase("laengerevarende", 5),
        ],
        changes: vec![],
    }
}

fn courses(quick: bool) {
    use takst::{Billing, Caseload, IndexMethod, Indexation, Pricer, Quote, YearRate};

    let sheets = [Offer::sample()
        .compute()
        .unwrap_or_else(|e| panic!("{e}"))
        .sheet];
    let index = Indexation {
        method: IndexMethod::Cumulative,
        rates_pct: (2027..=2040)
            .map(|year| YearRate {
                year,
                pct: rust_decimal::Decimal::new(196, 2),
            })
            .collect(),
        ..Indexation::default()
    };
    let n: u32 = if quick { 100_000 } else { 1_000_000 };
    let start = jiff::civil::Date::new(2026, 6, 15).unwrap_or_default();
    let one = course(start, "Aarhus");
    for (label, comparison) in [
        ("monthly invoices", false),
        ("+ flat-tariff comparison", true),
    ] {
        let billing = Billing {
            comparison,
            ..Billing::default()
        };
        let mut pricer = Pricer::new(&sheets, &index, &billing).unwrap_or_else(|e| panic!("{e}"));
        let mut quote = Quote::default();
        let _ = pricer.price_into(&one, &mut quote);
        let lines = quote.lines.len();
        let started = Instant::now();
        let mem = peak_bytes(|| {
            for _ in 0..n {
                let _ = pricer.price_into(black_box(&one), &mut quote);
                black_box(&quote);
            }
        });
        let t = started.elapsed();
        println!(
            "\n4. {n} three-phase 13-month courses ({lines} invoice lines each, a year boundary, PL indexation), {label}:"
        );
        println!(
            "   {:>11} courses/s ({:.2} µs each), peak memory {:.2} MB   target ≥ 1,000,000",
            thousands(f64::from(n) / t.as_secs_f64()),
            t.as_secs_f64() * 1e6 / f64::from(n),
            mem as f64 / 1e6
        );
    }
    // With the explanation: the request path, every line a node.
    let request = Request {
        catalogue: Some(sheets[0].clone()),
        index: index.clone(),
        billing: Billing::default(),
        courses: (0..1000).map(|_| one.clone()).collect(),
        options: takst::Options {
            explain: true,
            quotes: true,
            caseload: false,
        },
        ..Request::default()
    };
    let t = per_call(Duration::from_millis(400), || {
        black_box(takst::evaluate(black_box(&request)));
    });
    let mem = peak_bytes(|| {
        black_box(takst::evaluate(&request));
    });
    println!(
        "   with the explanation (evaluate, 1,000 courses per request): {:>9} courses/s, peak memory {:.1} MB per 1,000",
        thousands(1000.0 / t.as_secs_f64()),
        mem as f64 / 1e6
    );

    // A caseload: 2,000 citizens, each with courses back to back for 10 years.
    let citizens = if quick { 200 } else { 2_000 };
    let billing = Billing::default();
    let mut pricer = Pricer::new(&sheets, &index, &billing).unwrap_or_else(|e| panic!("{e}"));
    let mut quote = Quote::default();
    let mut caseload = Caseload::default();
    let started = Instant::now();
    let mut priced = 0u64;
    let mem = peak_bytes(|| {
        for c in 0..citizens {
            let municipality = ["Aarhus", "Silkeborg", "Randers", "Viborg", "Horsens"][c % 5];
            let mut start = jiff::civil::Date::new(2026, 1 + (c % 12) as i8, 1 + (c % 28) as i8)
                .unwrap_or_default();
            while start.year() < 2036 {
                let course = course(start, municipality);
                if let Err(e) = pricer.price_into(&course, &mut quote) {
                    panic!("a caseload course could not be priced: {e}");
                }
                caseload.add(&quote);
                priced += 1;
                let Some(next) = quote.schedule.last().and_then(|s| s.to.tomorrow().ok()) else {
                    break;
                };
                start = next;
            }
        }
    });
    let t = started.elapsed();
    let budget = caseload.budget();
    println!(
        "\n5. Caseload: {citizens} citizens × 10 years ({priced} courses) into a budget for {} municipalities: {:.0} ms, peak memory {:.2} MB",
        budget.len(),
        t.as_secs_f64() * 1e3,
        mem as f64 / 1e6
    );
}
