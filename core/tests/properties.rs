//! Property tests: invariants that must hold for every offer, amount and input.
//!
//! The central one compares every published figure with an independent exact reference
//! (`common/reference.rs`, big rationals) on random offers and on offers *built to land on
//! rounding boundaries*: exact ties (x.5) for the half modes, exact multiples of the
//! increment for the directed ones. Those are the offers on which a quotient rounded to 28
//! digits and then used further comes out one krone off.

#![allow(clippy::unwrap_used)] // tests may panic: a panic is a failed test

mod common;

use common::reference::{self, q, qi};
use proptest::prelude::*;
use rust_decimal::Decimal;
use takst::{
    allocate, AddOn, AddOnPrice, AllocationKey, Capacity, Category, CostLine, DayBasis,
    DayBasisName, DayFraction, Exact, Explain, Occupancy, Offer, PackageScheme, PartTime, PctOf,
    PlaceKind, RoundMode, Rounding, Service, ServiceKind, Settings,
};

fn dec(units: i64, scale: u32) -> Decimal {
    Decimal::new(units, scale)
}

/// A cost line with an amount in kroner.
fn line(label: &str, category: Category, amount: Decimal, key: AllocationKey) -> CostLine {
    CostLine {
        label: label.into(),
        category,
        amount: Some(amount),
        pct: None,
        pct_base: None,
        key,
        source: None,
    }
}

fn service(i: usize, hours: Option<Decimal>, package: Option<u32>, share: Decimal) -> Service {
    Service {
        id: format!("s{i}").into(),
        name: format!("Ydelse {i}").into(),
        kind: if package.is_some() {
            ServiceKind::Package
        } else {
            ServiceKind::Module
        },
        stage: None,
        hours_per_week: hours,
        package,
        pct_of: None,
        share_pct: share,
    }
}

/// An offer with default settings and no packages, part-time rows or add-ons.
fn offer_with(
    kind: PlaceKind,
    places: Decimal,
    occupancy_pct: Decimal,
    costs: Vec<CostLine>,
    services: Vec<Service>,
) -> Offer {
    Offer {
        id: None,
        name: "Egenskab".into(),
        provider: None,
        year: 2026,
        kind,
        capacity: Capacity::Places(places),
        day_basis: None,
        occupancy: Occupancy::BudgetedPct(occupancy_pct),
        short_term: false,
        costs,
        services,
        package_scheme: None,
        part_time: vec![],
        add_ons: vec![],
        settings: Settings::default(),
    }
}

const MODES: [RoundMode; 7] = RoundMode::ALL;

fn rounding(increments: Vec<Decimal>) -> impl Strategy<Value = Rounding> {
    (
        prop::sample::select(increments),
        prop::sample::select(MODES.to_vec()),
    )
        .prop_map(|(increment, mode)| Rounding { increment, mode })
}

fn day_basis() -> impl Strategy<Value = Option<DayBasis>> {
    prop::sample::select(vec![
        None,
        Some(DayBasis::Days(334)),
        Some(DayBasis::Days(365)),
        Some(DayBasis::Named(DayBasisName::Actual)),
    ])
}

fn cost_line() -> impl Strategy<Value = CostLine> {
    // Every category that is entered as a positive cost amount.
    let costs: Vec<Category> = Category::ALL
        .into_iter()
        .filter(|c| !c.is_income() && *c != Category::Regulation)
        .collect();
    (
        prop::sample::select(costs),
        0i64..5_000_000_000,
        0u32..3,
        any::<bool>(),
    )
        .prop_map(|(category, units, scale, hours)| {
            let key = if hours {
                AllocationKey::SupportHours
            } else {
                AllocationKey::Days
            };
            line(&format!("{category:?}"), category, dec(units, scale), key)
        })
}

/// Shares in whole per cent that sum to exactly 100.
fn shares(n: usize) -> impl Strategy<Value = Vec<Decimal>> {
    prop::collection::vec(0u32..=100, n.saturating_sub(1)).prop_map(move |mut cuts| {
        cuts.sort_unstable();
        let mut out = Vec::with_capacity(n);
        let mut prev = 0;
        for c in cuts {
            out.push(Decimal::from(c - prev));
            prev = c;
        }
        out.push(Decimal::from(100 - prev));
        out
    })
}

fn services() -> impl Strategy<Value = Vec<Service>> {
    (1usize..6).prop_flat_map(|n| {
        (prop::collection::vec(1i64..600, n), shares(n)).prop_map(|(hours, shares)| {
            hours
                .into_iter()
                .zip(shares)
                .enumerate()
                .map(|(i, (h, share))| service(i, Some(dec(h, 1)), None, share))
                .collect()
        })
    })
}

/// Random offers: many lines and services, overhead as a percentage, income, levels,
/// part-time rows and add-ons, random rounding policies.
fn random_offer() -> impl Strategy<Value = Offer> {
    (
        (
            1i64..2000,
            500i64..=1000,
            day_basis(),
            2020i32..2040,
            any::<bool>(),
        ),
        prop::collection::vec(cost_line(), 1..8),
        services(),
        (0i64..80, 0i64..90_000, any::<bool>()),
        (
            rounding(vec![dec(1, 0), dec(1, 2), dec(50, 2), dec(5, 0)]),
            rounding(vec![dec(1, 2), dec(1, 0)]),
        ),
        (any::<bool>(), 1u32..5, 1u32..9, 50i64..=100),
    )
        .prop_map(
            |(
                (places, occ, day_basis, year, residential),
                mut costs,
                mut services,
                (overhead_pct, income, levels),
                (published, derived),
                (extras, numerator, denominator, part_pct),
            )| {
                // At least one common line with money in it, so the cost base is positive.
                costs.push(line(
                    "Ledelse",
                    Category::Wages,
                    dec(100_000, 0),
                    AllocationKey::Days,
                ));
                costs.push(CostLine {
                    label: "Overhead".into(),
                    category: Category::Overhead,
                    amount: None,
                    pct: Some(dec(overhead_pct, 1)),
                    pct_base: None,
                    key: AllocationKey::Days,
                    source: None,
                });
                costs.push(line(
                    "Egenbetaling",
                    Category::OtherIncome,
                    dec(income, 0),
                    AllocationKey::Days,
                ));
                if levels {
                    let first = services[0].id.clone();
                    services.push(Service {
                        id: "niveau".into(),
                        name: "Niveau".into(),
                        kind: ServiceKind::Level,
                        stage: None,
                        hours_per_week: None,
                        package: None,
                        pct_of: Some(PctOf {
                            service: first.to_string(),
                            pct: dec(85, 0),
                        }),
                        share_pct: Decimal::ZERO,
                    });
                }
                let kind = if residential {
                    PlaceKind::Residential
                } else {
                    PlaceKind::Day
                };
                let mut o = offer_with(kind, dec(places, 1), dec(occ, 1), costs, services);
                o.year = year;
                o.day_basis = day_basis;
                o.settings.published_rounding = published;
                o.settings.derived_rounding = derived;
                if extras {
                    o.part_time = vec![PartTime {
                        days_per_week: 2,
                        pct: Decimal::from(part_pct),
                    }];
                    o.add_ons = vec![AddOn {
                        id: "brok".into(),
                        name: "Brøk".into(),
                        price: AddOnPrice::DayFraction(DayFraction {
                            of: "average".into(),
                            numerator,
                            denominator,
                        }),
                    }];
                }
                o
            },
        )
}

/// Splits an amount into `n` exact parts (three decimals, the last takes the rest).
fn split(total: Decimal, weights: &[u32]) -> Vec<Decimal> {
    let sum: u32 = weights.iter().sum::<u32>().max(1);
    let mut parts = Vec::new();
    let mut given = Decimal::ZERO;
    for w in &weights[..weights.len() - 1] {
        let part = (total * Decimal::from(*w) / Decimal::from(sum))
            .round_dp_with_strategy(3, rust_decimal::RoundingStrategy::ToZero);
        given += part;
        parts.push(part);
    }
    parts.push(total - given);
    parts
}

/// Where a boundary offer's figures land.
#[derive(Clone, Copy, Debug)]
enum Landing {
    AverageDay,
    AverageMonth,
    AverageYear,
    Services,
    Packages,
}

/// Offers built so that published figures land exactly on a rounding boundary: (k + f) ×
/// increment with f = ½ (a tie) or f = 0 (an exact multiple, the boundary of the directed
/// modes).
fn boundary_offer() -> impl Strategy<Value = Offer> {
    (
        (
            1i64..40,
            prop::sample::select(vec![
                dec(90, 0),
                dec(95, 0),
                dec(965, 1),
                dec(97, 0),
                dec(100, 0),
            ]),
        ),
        prop::sample::select(vec![
            None,
            Some(DayBasis::Days(334)),
            Some(DayBasis::Days(365)),
        ]),
        (1i64..4000, any::<bool>()),
        rounding(vec![dec(1, 0), dec(1, 2), dec(50, 2)]),
        prop::sample::select(vec![
            Landing::AverageDay,
            Landing::AverageMonth,
            Landing::AverageYear,
            Landing::Services,
            Landing::Packages,
        ]),
        prop::collection::vec(1u32..10, 1..4),
        (1usize..4).prop_flat_map(|n| (prop::collection::vec(1i64..40, n), shares(n))),
        1i64..60,
    )
        .prop_map(
            |(
                (places, occ),
                basis,
                (k, tie),
                published,
                landing,
                weights,
                (hours, shares),
                rate,
            )| {
                let inc = published.increment;
                let f = if tie { dec(5, 1) } else { Decimal::ZERO };
                let target = (Decimal::from(k) + f) * inc;
                let places = Decimal::from(places);
                let days = Decimal::from(match basis {
                    Some(DayBasis::Days(d)) => d,
                    _ => 365,
                });
                let expected = places * days * occ / Decimal::ONE_HUNDRED;
                let occupied = places * occ / Decimal::ONE_HUNDRED;
                let lines = |total: Decimal, key: AllocationKey| -> Vec<CostLine> {
                    split(total, &weights)
                        .into_iter()
                        .enumerate()
                        .map(|(i, a)| line(&format!("Linje {i}"), Category::Wages, a, key))
                        .collect()
                };
                let mut services_out = Vec::new();
                let mut scheme = None;
                let costs = match landing {
                    Landing::AverageDay => lines(target * expected, AllocationKey::Days),
                    Landing::AverageMonth => {
                        lines(target * Decimal::from(12) * occupied, AllocationKey::Days)
                    }
                    Landing::AverageYear => lines(target * occupied, AllocationKey::Days),
                    Landing::Services => {
                        // common per day = target, support rate = an integer number of
                        // increments per weekly hour, whole hours: every day tariff lands.
                        let r = Decimal::from(rate) * inc;
                        let mut mean = Decimal::ZERO;
                        for (i, (h, s)) in hours.iter().zip(&shares).enumerate() {
                            let h = Decimal::from(*h);
                            mean += h * s / Decimal::ONE_HUNDRED;
                            services_out.push(service(i, Some(h), None, *s));
                        }
                        let mut c = lines(target * expected, AllocationKey::Days);
                        c.push(line(
                            "Støtte",
                            Category::Wages,
                            r * expected * mean,
                            AllocationKey::SupportHours,
                        ));
                        c
                    }
                    Landing::Packages => {
                        // basis = target, interval = rate increments + f: both land.
                        let interval = (Decimal::from(rate) + f) * inc;
                        let band = dec(7, 0);
                        let mut middles = Decimal::ZERO;
                        for (i, s) in shares.iter().enumerate() {
                            let n = i as u32 + 1;
                            middles += (Decimal::from(n) - dec(5, 1)) * s / Decimal::ONE_HUNDRED;
                            services_out.push(service(i, None, Some(n), *s));
                        }
                        scheme = Some(PackageScheme {
                            band_hours_per_week: band,
                        });
                        let mut c = lines(target * expected, AllocationKey::Days);
                        c.push(line(
                            "Støtte",
                            Category::Wages,
                            interval * expected * middles,
                            AllocationKey::SupportHours,
                        ));
                        c
                    }
                };
                let mut o = offer_with(PlaceKind::Residential, places, occ, costs, services_out);
                o.day_basis = basis;
                o.package_scheme = scheme;
                o.settings.published_rounding = published;
                o
            },
        )
}

fn any_offer() -> impl Strategy<Value = Offer> {
    prop_oneof![random_offer(), boundary_offer()]
}

fn compute(o: &Offer) -> Result<takst::Computed, TestCaseError> {
    o.compute().map_err(|e| {
        TestCaseError::fail(format!("{e}\n{}", toml::to_string(o).unwrap_or_default()))
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Every published figure equals the independent exact reference, and the explanation
    /// recomputes exactly.
    #[test]
    fn published_figures_match_the_exact_reference(o in any_offer()) {
        let c = compute(&o)?;
        prop_assert_eq!(c.explanation.verify(), Ok(()));
        let expected = reference::published(&o);
        let got = reference::from_sheet(&c);
        prop_assert_eq!(got, expected);
    }

    /// The figures are the same with and without the explanation.
    #[test]
    fn the_explanation_changes_no_figure(o in any_offer()) {
        let full = compute(&o)?;
        let lean = o.compute_with(Explain::No).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert!(lean.explanation.is_empty());
        prop_assert_eq!(&lean.sheet, &full.sheet);
        prop_assert_eq!(&lean.neutrality, &full.neutrality);
        prop_assert_eq!(&lean.warnings, &full.warnings);
    }

    /// Before rounding, Σ tariff × expected days equals the cost base exactly; after
    /// rounding the residue is at most half an increment per expected day (a whole one for
    /// the directed modes).
    #[test]
    fn revenue_neutral_up_to_rounding(o in random_offer().prop_filter("hours only", |o| o.services.iter().all(|s| s.pct_of.is_none()))) {
        let c = compute(&o)?;
        let mut exact = qi(0);
        let mut days = qi(0);
        for s in &o.services {
            let day = c.explanation.find(&format!("service.{}.day_exact", s.id)).unwrap().value();
            let d = c.explanation.find(&format!("service.{}.expected_days", s.id)).unwrap().value();
            exact += reference::exact(day) * reference::exact(d.clone());
            days += reference::exact(d);
        }
        prop_assert_eq!(&exact, &reference::exact(c.cost_base.total));
        // Half an increment per day for the half modes, a whole one for the directed modes.
        let r = o.settings.published_rounding;
        let half = matches!(r.mode, RoundMode::HalfAwayFromZero | RoundMode::HalfEven | RoundMode::HalfTowardZero);
        let per_day = if half { q(r.increment) / qi(2) } else { q(r.increment) };
        let bound = days * per_day;
        let residue = reference::exact(c.neutrality.residue);
        prop_assert!(residue.clone() <= bound.clone() && -residue <= bound);
        let sum = c.neutrality.by_service.iter().try_fold(Exact::ZERO, |a, s| a.checked_add(&s.revenue)).unwrap();
        prop_assert_eq!(sum, c.neutrality.revenue);
    }

    /// A single service with 100 % of the days is the average tariff, whatever the split
    /// between common and support costs.
    #[test]
    fn a_single_service_at_100_pct_equals_the_average(
        o in boundary_offer(),
        hours in 1i64..500,
        support_share in 0u32..=100,
    ) {
        let mut o = o;
        let total: Decimal = o.costs.iter().filter_map(|l| l.amount).sum();
        let support = (total * Decimal::from(support_share) / Decimal::ONE_HUNDRED).round_dp_with_strategy(2, rust_decimal::RoundingStrategy::ToZero);
        o.costs = vec![
            line("Fælles", Category::Wages, total - support, AllocationKey::Days),
            line("Støtte", Category::Wages, support, AllocationKey::SupportHours),
        ];
        o.package_scheme = None;
        o.services = vec![service(0, Some(dec(hours, 1)), None, Decimal::ONE_HUNDRED)];
        let c = compute(&o)?;
        prop_assert_eq!(&c.sheet.services[0].tariff, c.sheet.average.as_ref().unwrap());
    }

    /// An annual cost ≡ 6 (mod 12) per occupied place gives a month of k + ½ kr, which
    /// rounds half away from zero to k + 1.
    #[test]
    fn a_month_of_k_and_a_half_rounds_up(k in 1i64..10_000_000, basis in day_basis()) {
        let annual = Decimal::from(12 * k + 6);
        let mut o = offer_with(PlaceKind::Day, Decimal::ONE, Decimal::ONE_HUNDRED,
            vec![line("Alt", Category::Wages, annual, AllocationKey::Days)], vec![]);
        o.day_basis = basis;
        let c = compute(&o)?;
        let avg = c.sheet.average.unwrap();
        prop_assert_eq!(avg.month, Some(Decimal::from(k + 1)));
        prop_assert_eq!(avg.year, Some(annual));
    }

    /// Every computed sheet reads back as a catalogue, figure for figure.
    #[test]
    fn computed_sheets_read_back_as_catalogues(o in any_offer()) {
        let c = compute(&o)?;
        let request = serde_json::json!({ "version": 1, "catalogue": c.sheet }).to_string();
        let out: serde_json::Value = serde_json::from_str(&takst::evaluate_json(&request)).unwrap();
        prop_assert_eq!(&out["ok"], &serde_json::Value::Bool(true), "{}", out["errors"]);
        let back: takst::TariffSheet = serde_json::from_value(out["tariff_sheet"].clone()).unwrap();
        prop_assert_eq!(back, c.sheet);
    }

    /// The offer survives JSON and TOML unchanged.
    #[test]
    fn request_format_round_trips(o in any_offer()) {
        let json = serde_json::to_string(&o).unwrap();
        prop_assert_eq!(&Offer::from_json(&json).map_err(|e| TestCaseError::fail(e.to_string()))?, &o);
        let toml = toml::to_string(&o).unwrap();
        prop_assert_eq!(&Offer::from_toml(&toml).map_err(|e| TestCaseError::fail(format!("{e}\n{toml}")))?, &o);
    }

    /// Basis + package tariffs: each package day = basis + its part; before rounding the
    /// mix covers the cost base exactly; after rounding the basis, the interval and the
    /// part, the residue per expected day is at most ½ + ½ + (n − ½) × ½ increments.
    #[test]
    fn packages_revenue_neutral_up_to_rounding(o in boundary_offer().prop_filter("packages", |o| o.package_scheme.is_some())) {
        let c = compute(&o)?;
        let scheme = c.sheet.package_scheme.clone().unwrap();
        let inc = q(o.settings.published_rounding.increment);
        let mut bound = qi(0);
        for (i, s) in c.sheet.services.iter().enumerate() {
            prop_assert_eq!(s.tariff.day, scheme.basis + s.package_part.unwrap());
            let n = qi(i as i64 + 1);
            let d = reference::exact(c.explanation.find(&format!("service.{}.expected_days", s.id)).unwrap().value());
            bound += d * (qi(1) + (n - q(dec(5, 1))) / qi(2)) * &inc;
        }
        let residue = reference::exact(c.neutrality.residue.clone());
        prop_assert!(residue.clone() <= bound.clone() && -residue <= bound, "residue {}", c.neutrality.residue);
    }

    /// Allocation parts always sum to the total, each within one increment of its exact
    /// share, and a negative total splits as the mirror image of the positive one.
    #[test]
    fn allocation_sums_to_the_total(
        units in -10_000_000_000i64..10_000_000_000,
        weights in prop::collection::vec(0i64..1_000_000, 1..12),
        inc in prop::sample::select(vec![dec(1, 2), dec(1, 0), dec(50, 2)]),
    ) {
        let weights: Vec<Decimal> = weights.into_iter().map(|w| dec(w, 3)).collect();
        let total = Decimal::from(units) * inc;
        let w_sum: Decimal = weights.iter().sum();
        match allocate(total, &weights, inc) {
            Err(e) => prop_assert!(w_sum.is_zero(), "unexpected error {e}"),
            Ok(parts) => {
                prop_assert_eq!(parts.iter().sum::<Decimal>(), total);
                for (p, w) in parts.iter().zip(&weights) {
                    prop_assert!((p / inc).fract().is_zero());
                    let exact = q(total) * q(*w) / q(w_sum);
                    let diff = q(*p) - exact;
                    prop_assert!(diff.clone() < q(inc) && -diff < q(inc), "part {}", p);
                }
                let mirrored = allocate(-total, &weights, inc).unwrap();
                prop_assert_eq!(mirrored, parts.iter().map(|p| -p).collect::<Vec<_>>());
            }
        }
    }

    /// Rounding lands on a multiple of the increment, agrees with the reference, is
    /// idempotent, and the symmetric modes treat −x as the mirror of x.
    #[test]
    fn rounding_policy(
        units in -1_000_000_000_000i64..1_000_000_000_000,
        scale in 0u32..6,
        r in rounding(vec![dec(1, 2), dec(1, 0), dec(50, 2), dec(5, 0), dec(3, 2)]),
    ) {
        let v = dec(units, scale);
        let out = r.apply(v).unwrap();
        prop_assert_eq!(q(out), reference::round(&q(v), &r));
        prop_assert_eq!(r.apply(out), Some(out));
        if !matches!(r.mode, RoundMode::Ceiling | RoundMode::Floor) {
            prop_assert_eq!(r.apply(-v).unwrap(), -out);
        }
    }
}
