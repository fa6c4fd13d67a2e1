//! Prints takst's speed and memory figures, each beside its aim from issue 15 with "met" or
//! "not met" (`scripts/bench.sh` runs this and the browser report; the `cargo bench` suite
//! measures some of the same paths with criterion):
//!
//!     cargo run --release --example bench            # everything
//!     cargo run --release --example bench -- quick   # fewer rounds, smaller growth tables
//!     cargo run --release --example bench -- courses # section 1 only
//!     cargo run --release --example bench -- json    # section 4 only
//!     cargo run --release --example bench -- offers  # section 2 only
//!     cargo run --release --example bench -- profile # 200,000 courses through Pricer::price_into
//!                                                    # with the comparison, for a profiler
//!     cargo run --release --example bench -- profile lines # the same without the comparison
//!     cargo run --release --example bench -- profile cold # 20,000 courses, each from a new Pricer
//!     cargo run --release --example bench -- profile json [explain] # evaluate_json, 2,000
//!                                                    # courses in requests of 100
//!     cargo run --release --example bench -- profile offer [explain] # Offer::compute of the
//!                                                    # realistic offer, 20,000 times
//!     cargo run --release --example bench -- profile offer-json [explain] # evaluate_json of
//!                                                    # the realistic request, 2,000 times
//!
//! 1. Courses (three phases, 13 months, a year boundary, PL indexation; 16 invoice lines):
//!    courses per second through `Pricer::price_into` with and without the month-by-month
//!    comparison with the flat tariff, beside a **plain-integer floor** run here: a
//!    hand-written computation of the same lines, month, year and course totals (and the
//!    comparison) in øre as `i64`, from the tariffs in force a warm `Pricer` holds. The floor
//!    exists only in this benchmark, to say how far above the bare arithmetic takst is; its
//!    totals are checked against takst's. Then one course priced from a sheet with no warm
//!    `Pricer` (`Pricer::new` + `price`).
//! 2. Offers per second through `Offer::compute` for a realistic offer (20 cost lines, three
//!    modules, three add-ons: `examples/requests/realistic.toml`), with and without the
//!    explanation graph.
//! 3. The explanation: what keeping the graph costs (computation with it ÷ without it), and
//!    what the response with the explanation costs (`evaluate_json` with `explain` on ÷ off:
//!    reading, computing with the graph and writing it), for the offer and for courses.
//! 4. `evaluate_json` per course (100 courses per request, quotes on), explanation off and on.
//! 5. Time and peak memory as a request grows to 100,000 cost lines, 10,000 services and
//!    100,000 courses.
//! 6. A caseload of 2,000 citizens × 10 years.
//!
//! One thread. Each figure is the median of 5 timed rounds; the machine's load average is
//! printed before and after, because other work on the machine slows every figure. Memory is
//! the peak of heap bytes allocated during one computation.
//!
//! glibc's malloc decides from its history of frees whether a block of megabytes comes from
//! memory it already has or from fresh pages it must fault in and zero (its mmap and trim
//! thresholds move as blocks are freed): the same build measured 23 or 36 µs per course
//! with the explanation depending on that alone (DESIGN.md, "Writing the explanation"). So
//! the benchmark runs itself with the thresholds fixed (`GLIBC_TUNABLES`, set before it
//! starts again) and measures takst's work; `--default-malloc` measures with glibc's
//! defaults, and section 3 prints the page faults either way. `profile` runs as started.

use std::hint::black_box;
use std::time::{Duration, Instant};

use peakmem_alloc::{PeakMemAlloc, PeakMemAllocTrait, INSTRUMENTED_SYSTEM};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use takst::{Billing, Explain, IndexMethod, Indexation, Offer, Pricer, Quote, Request, YearRate};

#[global_allocator]
static GLOBAL: &PeakMemAlloc<std::alloc::System> = &INSTRUMENTED_SYSTEM;

/// Median time per call of `f` over 5 rounds of about `budget / 5` each.
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
    let mut rounds: Vec<Duration> = (0..5)
        .map(|_| {
            let t = Instant::now();
            for _ in 0..n {
                f();
            }
            t.elapsed() / n
        })
        .collect();
    rounds.sort();
    rounds[2]
}

/// Peak heap bytes allocated while running `f`, above what was allocated before.
fn peak_bytes(f: impl FnOnce()) -> usize {
    GLOBAL.reset_peak_memory();
    f();
    GLOBAL.get_peak_memory()
}

fn us(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
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

fn verdict(met: bool) -> &'static str {
    if met {
        "met"
    } else {
        "not met"
    }
}

/// The process's minor page faults so far (Linux: `/proc/self/stat`, field 10), to show
/// when a figure is the allocator mapping fresh pages rather than takst's work.
fn minor_faults() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let after_name = &stat[stat.rfind(')')? + 1..];
    after_name.split_whitespace().nth(7)?.parse().ok()
}

/// Page faults per call of `f` over 10 calls ("?" where the system does not say).
fn faults_per_call(mut f: impl FnMut()) -> String {
    let before = minor_faults();
    for _ in 0..10 {
        f();
    }
    match (before, minor_faults()) {
        (Some(a), Some(b)) => format!("{}", b.saturating_sub(a) / 10),
        _ => "?".into(),
    }
}

fn load() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| s.split_whitespace().next().map(str::to_string))
        .unwrap_or_else(|| "?".into())
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
    // Shares in ten-thousandths of a percent, as exact decimals that sum to 100: the last
    // takes the rest.
    let share = 1_000_000 / services;
    for i in 0..services {
        let s = if i + 1 == services {
            1_000_000 - share * (services - 1)
        } else {
            share
        };
        let s = format!("{}.{:04}", s / 10_000, s % 10_000);
        toml.push_str(&format!(
            "[[services]]\nid = \"s{i}\"\nname = \"Ydelse {i}\"\nhours_per_week = \"{}.5\"\nshare_pct = \"{s}\"\n",
            5 + i % 40
        ));
    }
    Offer::from_toml(&toml).unwrap_or_else(|e| panic!("the sized offer reads: {e}"))
}

/// glibc's thresholds, fixed: blocks of up to 256 MB from the heap, and the heap's top kept.
const STEADY_MALLOC: &str =
    "glibc.malloc.mmap_threshold=268435456:glibc.malloc.trim_threshold=1073741824";

/// Runs the benchmark again with [`STEADY_MALLOC`] unless asked not to (or already set);
/// returns its exit status when it did.
fn with_steady_malloc() -> Option<std::process::ExitStatus> {
    // A profiler follows this process, not a child: `profile` runs as it is started.
    if std::env::args().any(|a| a == "--default-malloc" || a == "profile")
        || std::env::var_os("GLIBC_TUNABLES").is_some()
        || !cfg!(all(target_os = "linux", target_env = "gnu"))
    {
        return None;
    }
    let exe = std::env::current_exe().ok()?;
    std::process::Command::new(exe)
        .args(std::env::args().skip(1))
        .env("GLIBC_TUNABLES", STEADY_MALLOC)
        .status()
        .ok()
}

fn main() {
    if let Some(status) = with_steady_malloc() {
        std::process::exit(status.code().unwrap_or(1));
    }
    let quick = std::env::args().any(|a| a == "quick");
    let budget = Duration::from_millis(if quick { 250 } else { 1000 });
    println!(
        "takst {} — one thread, median of 5 rounds; load average {} at the start",
        env!("CARGO_PKG_VERSION"),
        load()
    );
    println!(
        "malloc: {}",
        match std::env::var("GLIBC_TUNABLES") {
            Ok(t) if t == STEADY_MALLOC =>
                "glibc with fixed thresholds (--default-malloc for its defaults)".to_string(),
            Ok(t) => format!("GLIBC_TUNABLES={t}"),
            Err(_) => "the system's defaults".to_string(),
        }
    );
    let bench = CourseBench::new();
    if std::env::args().any(|a| a == "profile") && std::env::args().any(|a| a == "offer-json") {
        // For a profiler: `evaluate_json` on the realistic request (its offer and courses),
        // 2,000 times, with the explanation when `explain` is given (section 3's figure).
        let mut request = Request::from_toml(include_str!("requests/realistic.toml"))
            .unwrap_or_else(|e| panic!("{e}"));
        request.options.explain = std::env::args().any(|a| a == "explain");
        let json = serde_json::to_string(&request).unwrap_or_default();
        for _ in 0..2_000 {
            black_box(takst::evaluate_json(black_box(&json)));
        }
        return;
    }
    if std::env::args().any(|a| a == "profile") && std::env::args().any(|a| a == "offer") {
        // For a profiler: the realistic offer, with the graph kept when `explain` is given.
        let text = include_str!("requests/realistic.toml");
        let request = Request::from_toml(text).unwrap_or_else(|e| panic!("{e}"));
        let offer = request.offer.clone().unwrap_or_else(Offer::sample);
        let keep = std::env::args().any(|a| a == "explain");
        for _ in 0..20_000 {
            let _ = black_box(if keep {
                black_box(&offer).compute()
            } else {
                black_box(&offer).compute_with(Explain::No)
            });
        }
        return;
    }
    if std::env::args().any(|a| a == "profile") {
        // For a profiler: only Pricer::price_into with the comparison.
        bench.profile();
        return;
    }
    if std::env::args().any(|a| a == "json") {
        // Section 4 alone, for paired runs of two builds.
        println!("\n4. evaluate_json per course (100 courses per request, quotes on)");
        bench.evaluate_json(budget);
        println!("\nload average {} at the end", load());
        return;
    }
    // `offers`: section 2 alone, for paired runs of two builds.
    let offers_only = std::env::args().any(|a| a == "offers");
    if !offers_only {
        bench.courses(budget);
    }
    if std::env::args().any(|a| a == "courses") {
        println!("\nload average {} at the end", load());
        return;
    }

    let text = include_str!("requests/realistic.toml");
    let request = Request::from_toml(text).unwrap_or_else(|e| panic!("{e}"));
    let offer = request.offer.clone().unwrap_or_else(Offer::sample);

    println!("\n2. Offer::compute, realistic offer (20 cost lines, 3 modules, 3 add-ons)");
    let lean = per_call(budget, || {
        let _ = black_box(black_box(&offer).compute_with(Explain::No));
    });
    let full = per_call(budget, || {
        let _ = black_box(black_box(&offer).compute());
    });
    println!(
        "   without the graph: {:>9} offers/s ({:6.2} µs)   target ≥ 500,000/s: {}",
        thousands(per_second(lean)),
        us(lean),
        verdict(per_second(lean) >= 500_000.0)
    );
    println!(
        "   graph kept:        {:>9} offers/s ({:6.2} µs)   target ≥ 150,000/s: {}",
        thousands(per_second(full)),
        us(full),
        verdict(per_second(full) >= 150_000.0)
    );
    if offers_only {
        println!("\nload average {} at the end", load());
        return;
    }

    println!("\n3. The explanation's cost");
    let keep = full.as_secs_f64() / lean.as_secs_f64();
    println!(
        "   offer:   keeping the graph {:5.2}× the computation without it            target ≤ 2×: {}",
        keep,
        verdict(keep <= 2.0)
    );
    let json = |explain: bool| {
        let mut req = request.clone();
        req.options.explain = explain;
        serde_json::to_string(&req).unwrap_or_default()
    };
    let (off_json, on_json) = (json(false), json(true));
    let off = per_call(budget, || {
        black_box(takst::evaluate_json(black_box(&off_json)));
    });
    let on = per_call(budget, || {
        black_box(takst::evaluate_json(black_box(&on_json)));
    });
    let write = on.as_secs_f64() / off.as_secs_f64();
    println!(
        "   offer:   evaluate_json with the explanation {:7.2} µs, without {:6.2} µs: {:5.2}×   target ≤ 3×: {}",
        us(on),
        us(off),
        write,
        verdict(write <= 3.0)
    );
    bench.explanation(budget);

    println!("\n4. evaluate_json per course (100 courses per request, quotes on)");
    bench.evaluate_json(budget);

    println!("\n5. Growth: Offer::compute with the explanation, evaluate_json without");
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
    let growth_budget = Duration::from_millis(if quick { 100 } else { 300 });
    for (lines, services, items) in sizes {
        let offer = sized_offer(lines, services);
        let items = items as f64;
        let t = per_call(growth_budget, || {
            let _ = black_box(black_box(&offer).compute());
        });
        let mem = peak_bytes(|| {
            let _ = black_box(offer.compute());
        });
        let json =
            serde_json::json!({ "version": 1, "offer": offer, "options": { "explain": false } })
                .to_string();
        let e = per_call(growth_budget, || {
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
    bench.growth(quick);

    bench.caseload(quick);
    println!("\nload average {} at the end", load());
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

/// Courses priced in the `profile` mode.
const PROFILE_COURSES: u32 = 200_000;

const PHASES: [(&str, u32); 3] = [("udredning", 3), ("udvikling", 5), ("laengerevarende", 5)];

struct CourseBench {
    sheets: [takst::TariffSheet; 1],
    index: Indexation,
    one: takst::Course,
}

impl CourseBench {
    fn new() -> CourseBench {
        let sheets = [Offer::sample()
            .compute()
            .unwrap_or_else(|e| panic!("{e}"))
            .sheet];
        let index = Indexation {
            method: IndexMethod::Cumulative,
            rates_pct: (2027..=2040)
                .map(|year| YearRate {
                    year,
                    pct: Decimal::new(196, 2),
                })
                .collect(),
            ..Indexation::default()
        };
        let start = jiff::civil::Date::new(2026, 6, 15).unwrap_or_default();
        CourseBench {
            sheets,
            index,
            one: course(start, "Aarhus"),
        }
    }

    fn courses(&self, budget: Duration) {
        let one = &self.one;
        println!(
            "\n1. Courses: three phases, 13 months from {}, a year boundary, PL indexation (Pricer::price_into)",
            one.start
        );
        for comparison in [false, true] {
            let billing = Billing {
                comparison,
                ..Billing::default()
            };
            let mut pricer =
                Pricer::new(&self.sheets, &self.index, &billing).unwrap_or_else(|e| panic!("{e}"));
            let mut quote = Quote::default();
            pricer
                .price_into(one, &mut quote)
                .unwrap_or_else(|e| panic!("{e}"));
            let tariffs = FloorTariffs::from_quote(&quote);
            let mut floor_quote = FloorQuote::default();
            floor(&tariffs, one_floor(one), comparison, &mut floor_quote);
            floor_quote.check(&quote);

            let t = per_call(budget, || {
                let _ = pricer.price_into(black_box(one), &mut quote);
                black_box(&quote);
            });
            let f = per_call(budget, || {
                floor(
                    black_box(&tariffs),
                    one_floor(black_box(one)),
                    comparison,
                    &mut floor_quote,
                );
                black_box(&floor_quote);
            });
            let mem = peak_bytes(|| {
                for _ in 0..1000 {
                    let _ = pricer.price_into(black_box(one), &mut quote);
                }
            });
            let ratio = t.as_secs_f64() / f.as_secs_f64();
            let (label, aim_us) = if comparison {
                ("with the flat comparison", 2.0)
            } else {
                ("invoice lines only", 1.0)
            };
            println!(
                "   {label:<25} {:>10} courses/s ({:6.2} µs; {} lines), peak memory over 1,000: {} B",
                thousands(per_second(t)),
                us(t),
                quote.lines.len(),
                mem
            );
            println!(
                "   {:<25} {:>10} courses/s ({:6.2} µs) plain-integer floor (øre as i64, this benchmark's own; totals checked equal)",
                "",
                thousands(per_second(f)),
                us(f)
            );
            if comparison {
                println!(
                    "   {:<25} target ≤ {aim_us} µs: {}   ({ratio:.0}× the floor)",
                    "",
                    verdict(us(t) <= aim_us)
                );
            } else {
                println!(
                    "   {:<25} target ≥ 1,000,000 courses/s (≤ {aim_us} µs): {}; within 5× of the floor: {} ({ratio:.0}×)",
                    "",
                    verdict(us(t) <= aim_us),
                    verdict(ratio <= 5.0)
                );
            }
        }
        let billing = Billing::default();
        let cold = per_call(budget, || {
            let mut pricer = Pricer::new(black_box(&self.sheets), &self.index, &billing)
                .unwrap_or_else(|e| panic!("{e}"));
            black_box(pricer.price(black_box(one)).ok());
        });
        let new = per_call(budget, || {
            black_box(Pricer::new(black_box(&self.sheets), &self.index, &billing).ok());
        });
        println!(
            "   one course from a sheet, no warm Pricer: {:6.2} µs (of which Pricer::new {:6.2} µs)   target ≤ 5 µs: {}",
            us(cold),
            us(new),
            verdict(us(cold) <= 5.0)
        );
        // The calculator's request: the sheet and the course as JSON, without the
        // explanation, the invoice lines or the sheet echoed back, answered whole each time
        // or by an Evaluator that holds the sheet read for the request before (the same
        // bytes back).
        let request = Request {
            catalogue: Some(self.sheets[0].clone()),
            courses: vec![one.clone()],
            index: self.index.clone(),
            options: takst::Options {
                explain: false,
                lines: false,
                tariff_sheet: false,
                ..takst::Options::default()
            },
            ..Request::default()
        };
        let text = serde_json::to_string(&request).unwrap_or_default();
        let mut evaluator = takst::Evaluator::new();
        assert_eq!(evaluator.evaluate_json(&text), takst::evaluate_json(&text));
        let whole = per_call(budget, || {
            black_box(takst::evaluate_json(black_box(&text)));
        });
        let held = per_call(budget, || {
            black_box(evaluator.evaluate_json(black_box(&text)));
        });
        println!(
            "   one course with its sheet as JSON ({} bytes, the calculator's request): evaluate_json {:6.2} µs, an Evaluator holding the sheet {:6.2} µs",
            text.len(),
            us(whole),
            us(held)
        );
    }

    fn profile(&self) {
        // `lines`: the invoice lines only, without the comparison (the 1 µs aim).
        let billing = Billing {
            comparison: !std::env::args().any(|a| a == "lines"),
            ..Billing::default()
        };
        let mut pricer =
            Pricer::new(&self.sheets, &self.index, &billing).unwrap_or_else(|e| panic!("{e}"));
        let mut quote = Quote::default();
        if std::env::args().any(|a| a == "json") {
            // evaluate_json on a request of 100 courses, 20 times (2,000 courses), with the
            // explanation when `explain` is given.
            let explain = std::env::args().any(|a| a == "explain");
            // With a number: one request of that many courses, once, under raised limits
            // (instructions per course against the request's size: `profile json 100000`).
            if let Some(n) = std::env::args().find_map(|a| a.parse::<usize>().ok()) {
                let json = serde_json::to_string(&self.request(n, explain)).unwrap_or_default();
                let limits = takst::Limits {
                    request_bytes: 512 * 1024 * 1024,
                    courses: n.max(1),
                    invoice_lines: 100 * n.max(1),
                    ..takst::Limits::default()
                };
                let answer = takst::evaluate_json_with(black_box(&json), &limits);
                assert!(
                    answer.contains("\"ok\":true"),
                    "{}",
                    &answer[..answer.len().min(500)]
                );
                return;
            }
            let json = serde_json::to_string(&self.request(100, explain)).unwrap_or_default();
            for _ in 0..20 {
                black_box(takst::evaluate_json(black_box(&json)));
            }
            return;
        }
        if std::env::args().any(|a| a == "read") {
            // Request::from_json on a request of 1,000 courses, 20 times: the core's reader
            // alone (what the Python batch path pays per row before pricing).
            let json = serde_json::to_string(&self.request(1000, false)).unwrap_or_default();
            for _ in 0..20 {
                black_box(Request::from_json(black_box(&json)).is_ok());
            }
            return;
        }
        if std::env::args().any(|a| a == "evaluate") {
            // evaluate (no JSON) on a request of 100 courses, 200 times (20,000 courses), with the
            // explanation when `explain` is given: what the Python batch path pays per course
            // beyond Pricer.
            let request = self.request(100, std::env::args().any(|a| a == "explain"));
            for _ in 0..200 {
                black_box(takst::evaluate(black_box(&request)));
            }
            return;
        }
        if std::env::args().any(|a| a == "cold") {
            // One course at a time from the sheet, no warm Pricer.
            for _ in 0..PROFILE_COURSES / 10 {
                let mut pricer = Pricer::new(black_box(&self.sheets), &self.index, &billing)
                    .unwrap_or_else(|e| panic!("{e}"));
                let _ = pricer.price_into(black_box(&self.one), &mut quote);
            }
            return;
        }
        // A fixed count, so that `perf stat -e instructions` gives instructions per course,
        // a figure the machine's load does not change.
        for _ in 0..PROFILE_COURSES {
            let _ = pricer.price_into(black_box(&self.one), &mut quote);
        }
    }

    fn request(&self, courses: usize, explain: bool) -> Request {
        Request {
            catalogue: Some(self.sheets[0].clone()),
            index: self.index.clone(),
            billing: Billing::default(),
            courses: (0..courses).map(|_| self.one.clone()).collect(),
            options: takst::Options {
                explain,
                ..takst::Options::default()
            },
            ..Request::default()
        }
    }

    fn explanation(&self, budget: Duration) {
        let n = 100;
        let eval = |explain: bool| {
            let request = self.request(n, explain);
            per_call(budget, || {
                black_box(takst::evaluate(black_box(&request)));
            })
        };
        let (off, on) = (eval(false), eval(true));
        let keep = on.as_secs_f64() / off.as_secs_f64();
        println!(
            "   courses: keeping the graph {keep:5.2}× the computation without it (evaluate, {:.2} against {:.2} µs per course)   target ≤ 2×: {}",
            us(on) / n as f64,
            us(off) / n as f64,
            verdict(keep <= 2.0)
        );
        let ((off, off_faults), (on, on_faults)) = (
            self.per_course_json_faults(budget, false),
            self.per_course_json_faults(budget, true),
        );
        let write = on.as_secs_f64() / off.as_secs_f64();
        println!(
            "   courses: evaluate_json with the explanation {:7.2} µs, without {:6.2} µs per course: {write:5.2}×   target ≤ 3×: {}",
            us(on),
            us(off),
            verdict(write <= 3.0)
        );
        println!(
            "            page faults per request of 100 courses: {on_faults} with the explanation (some 6 MB of text), {off_faults} without;\n            \
             hundreds mean glibc's malloc is mapping fresh pages for the text on every call, which its history of \
             frees decides (DESIGN.md, \"Writing the explanation\")"
        );
    }

    fn per_course_json(&self, budget: Duration, explain: bool) -> Duration {
        self.per_course_json_faults(budget, explain).0
    }

    /// `evaluate_json` per course on requests of 100, and the page faults per request.
    fn per_course_json_faults(&self, budget: Duration, explain: bool) -> (Duration, String) {
        let n = 100;
        let json = serde_json::to_string(&self.request(n, explain)).unwrap_or_default();
        let mut call = || {
            black_box(takst::evaluate_json(black_box(&json)));
        };
        let t = per_call(budget, &mut call) / n as u32;
        (t, faults_per_call(call))
    }

    fn evaluate_json(&self, budget: Duration) {
        let off = self.per_course_json(budget, false);
        let on = self.per_course_json(budget, true);
        println!(
            "   explain off: {:7.2} µs per course   target ≤ 5 µs: {}",
            us(off),
            verdict(us(off) <= 5.0)
        );
        println!(
            "   explain on:  {:7.2} µs per course   target ≤ 16 µs: {}",
            us(on),
            verdict(us(on) <= 16.0)
        );
    }

    fn growth(&self, quick: bool) {
        println!(
            "\n   {:>8} {:>12} {:>12} {:>12} {:>12}   (courses, evaluate_json, explanation off, quotes on)",
            "courses", "time", "per course", "peak memory", "per course"
        );
        let sizes: &[usize] = if quick {
            &[100, 1_000, 10_000]
        } else {
            &[100, 1_000, 10_000, 100_000]
        };
        // The default limits refuse a request over 16 MiB or 50,000 courses; the largest
        // row raises them, as a caller with such a request would (`evaluate_json_with`).
        let raised = takst::Limits {
            request_bytes: 512 * 1024 * 1024,
            courses: 100_000,
            invoice_lines: 4_000_000,
            ..takst::Limits::default()
        };
        for &n in sizes {
            let json = serde_json::to_string(&self.request(n, false)).unwrap_or_default();
            let limits = if n > 10_000 {
                raised.clone()
            } else {
                takst::Limits::default()
            };
            let started = Instant::now();
            let mut answer = String::new();
            let mem = peak_bytes(|| {
                answer = black_box(takst::evaluate_json_with(black_box(&json), &limits));
            });
            let t = started.elapsed();
            if !answer.contains("\"ok\":true") {
                let code = serde_json::from_str::<serde_json::Value>(&answer)
                    .ok()
                    .and_then(|v| {
                        v.pointer("/errors/0")
                            .map(|e| format!("{} at {}", e["code"], e["path"]))
                    })
                    .unwrap_or_default();
                println!("   {n:>8} refused: {code}");
                continue;
            }
            println!(
                "   {:>8} {:>9.2} ms {:>9.2} µs {:>9.2} MB {:>10.0} B{}",
                n,
                t.as_secs_f64() * 1e3,
                t.as_secs_f64() * 1e6 / n as f64,
                mem as f64 / 1e6,
                mem as f64 / n as f64,
                if n > 10_000 {
                    format!(
                        "   (limits raised: the request is {:.0} MB)",
                        json.len() as f64 / 1e6
                    )
                } else {
                    String::new()
                }
            );
        }
    }

    fn caseload(&self, quick: bool) {
        // A caseload: 2,000 citizens, each with courses back to back for 10 years.
        let citizens = if quick { 200 } else { 2_000 };
        let billing = Billing::default();
        let mut pricer =
            Pricer::new(&self.sheets, &self.index, &billing).unwrap_or_else(|e| panic!("{e}"));
        let mut quote = Quote::default();
        let mut caseload = takst::Caseload::default();
        let started = Instant::now();
        let mut priced = 0u64;
        let mem = peak_bytes(|| {
            for c in 0..citizens {
                let municipality = ["Aarhus", "Silkeborg", "Randers", "Viborg", "Horsens"][c % 5];
                let mut start =
                    jiff::civil::Date::new(2026, 1 + (c % 12) as i8, 1 + (c % 28) as i8)
                        .unwrap_or_default();
                while start.year() < 2036 {
                    let course = course(start, municipality);
                    if let Err(e) = pricer.price_into(&course, &mut quote) {
                        panic!("a caseload course could not be priced: {e}");
                    }
                    caseload.add(&quote).unwrap_or_else(|e| panic!("{e}"));
                    priced += 1;
                    let Some(next) = quote.schedule.last().and_then(|s| s.to.tomorrow().ok())
                    else {
                        break;
                    };
                    start = next;
                }
            }
        });
        let t = started.elapsed();
        let budget = caseload.budget();
        println!(
            "\n6. Caseload: {citizens} citizens × 10 years ({priced} courses) into a budget for {} municipalities: {:.0} ms, peak memory {:.2} MB",
            budget.len(),
            t.as_secs_f64() * 1e3,
            mem as f64 / 1e6
        );
    }
}

// ---- The plain-integer floor -------------------------------------------------------------
//
// What the bare arithmetic of a course costs: the same lines (a phase's days in each
// calendar month × the day tariff in force that year), month, year and course totals, and the
// comparison with the flat tariff, in øre as i64 with a hand-written calendar. It knows only
// this benchmark's course (day tariffs, no add-ons, no part time, no changes); takst's figures
// are the reference it is checked against. It is not used anywhere but here.

/// The course for the floor: its start (year, month, day) and phases (service, months).
fn one_floor(c: &takst::Course) -> ((i64, i64, i64), [(usize, i64); 3]) {
    let start = (
        i64::from(c.start.year()),
        i64::from(c.start.month()),
        i64::from(c.start.day()),
    );
    let mut phases = [(0, 0); 3];
    for (k, (_, months)) in PHASES.iter().enumerate() {
        phases[k] = (k, i64::from(*months));
    }
    (start, phases)
}

/// Days since 1970-01-01 (H. Hinnant's `days_from_civil`).
fn day_number(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let doy = (153 * ((m + 9) % 12) + 2) / 5 + d - 1;
    era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        4 | 6 | 9 | 11 => 30,
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

/// The date `k` months after (y, m, d), the day clamped to the month's last.
fn add_months((y, m, d): (i64, i64, i64), k: i64) -> (i64, i64, i64) {
    let n = y * 12 + (m - 1) + k;
    let (y, m) = (n.div_euclid(12), n.rem_euclid(12) + 1);
    (y, m, d.min(days_in_month(y, m)))
}

/// Day tariffs in force in øre per service and year from 2026, and the average tariff's.
struct FloorTariffs {
    day: [[i64; 4]; 3],
    average: [i64; 4],
}

fn ore(d: Decimal) -> i64 {
    (d * Decimal::ONE_HUNDRED).to_i64().unwrap_or_default()
}

impl FloorTariffs {
    /// The tariffs in force a warm `Pricer` holds, read from one of its quotes.
    fn from_quote(q: &Quote) -> FloorTariffs {
        let mut t = FloorTariffs {
            day: [[0; 4]; 3],
            average: [0; 4],
        };
        for line in &q.lines {
            let s = PHASES
                .iter()
                .position(|(id, _)| **id == *line.service)
                .unwrap_or_default();
            t.day[s][(line.tariff_year - 2026) as usize] = ore(line.tariff);
        }
        if let Some(c) = &q.comparison {
            for m in &c.months {
                t.average[(i64::from(m.month.year) - 2026) as usize] =
                    ore(m.flat) / i64::from(m.days);
            }
        }
        t
    }
}

#[derive(Default)]
struct FloorQuote {
    /// (year, month, service, days, amount)
    lines: Vec<(i64, i64, usize, i64, i64)>,
    months: Vec<(i64, i64, i64)>,
    years: Vec<(i64, i64)>,
    total: i64,
    days: i64,
    /// (year, month, days, course, flat, difference)
    flat: Vec<(i64, i64, i64, i64, i64, i64)>,
    flat_total: (i64, i64, i64),
}

impl FloorQuote {
    fn check(&self, q: &Quote) {
        assert_eq!(self.lines.len(), q.lines.len(), "the floor's lines");
        assert_eq!(self.total, ore(q.total), "the floor's total");
        assert_eq!(self.days, i64::from(q.days), "the floor's days");
        assert_eq!(self.months.len(), q.months.len(), "the floor's months");
        assert_eq!(self.years.len(), q.years.len(), "the floor's years");
        for (a, b) in self.years.iter().zip(&q.years) {
            assert_eq!(a.1, ore(b.amount), "the floor's year {}", a.0);
        }
        if let Some(c) = &q.comparison {
            assert_eq!(self.flat_total.1, ore(c.flat), "the floor's flat total");
            assert_eq!(
                self.flat_total.2,
                ore(c.difference),
                "the floor's difference"
            );
        }
    }
}

fn floor(
    t: &FloorTariffs,
    (start, phases): ((i64, i64, i64), [(usize, i64); 3]),
    comparison: bool,
    q: &mut FloorQuote,
) {
    q.lines.clear();
    q.months.clear();
    q.years.clear();
    q.flat.clear();
    let mut from = start;
    for (service, months) in phases {
        let end = add_months(from, months);
        let last = day_number(end.0, end.1, end.2);
        let (mut y, mut m) = (from.0, from.1);
        let mut day = day_number(from.0, from.1, from.2);
        while day < last {
            let next = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
            let upto = last.min(day_number(next.0, next.1, 1));
            let days = upto - day;
            let amount = days * t.day[service][(y - 2026) as usize];
            q.lines.push((y, m, service, days, amount));
            day = upto;
            (y, m) = next;
        }
        from = end;
    }
    q.lines.sort_unstable_by_key(|l| (l.0, l.1));
    let (mut total, mut all_days) = (0, 0);
    for &(y, m, _, days, amount) in &q.lines {
        total += amount;
        all_days += days;
        match q.months.last_mut() {
            Some(last) if (last.0, last.1) == (y, m) => {
                last.2 += amount;
                if comparison {
                    if let Some(f) = q.flat.last_mut() {
                        f.2 += days;
                        f.3 += amount;
                    }
                }
            }
            _ => {
                q.months.push((y, m, amount));
                if comparison {
                    q.flat.push((y, m, days, amount, 0, 0));
                }
            }
        }
        match q.years.last_mut() {
            Some(last) if last.0 == y => last.1 += amount,
            _ => q.years.push((y, amount)),
        }
    }
    q.total = total;
    q.days = all_days;
    if comparison {
        let mut sums = (0, 0, 0);
        for f in &mut q.flat {
            f.4 = f.2 * t.average[(f.0 - 2026) as usize];
            f.5 = f.3 - f.4;
            sums = (sums.0 + f.3, sums.1 + f.4, sums.2 + f.5);
        }
        q.flat_total = sums;
    }
}
