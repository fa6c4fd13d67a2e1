//! Property tests: invariants that must hold for every offer, amount and input.

use proptest::prelude::*;
use rust_decimal::Decimal;
use takst::{
    allocate, AllocationKey, Capacity, Category, CostLine, DayBasis, DayBasisName, Occupancy,
    Offer, PlaceKind, RoundMode, Rounding, Service, ServiceKind, Settings,
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

fn cost_line() -> impl Strategy<Value = CostLine> {
    // Every category that is entered as a positive cost amount.
    let costs: Vec<Category> = Category::ALL
        .into_iter()
        .filter(|c| !c.is_income() && *c != Category::Regulation)
        .collect();
    (
        prop::sample::select(costs),
        0i64..5_000_000_000,
        any::<bool>(),
    )
        .prop_map(|(category, ore, hours)| {
            let key = if hours {
                AllocationKey::SupportHours
            } else {
                AllocationKey::Days
            };
            line(&format!("{category:?}"), category, dec(ore, 2), key)
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
                .map(|(i, (h, share))| Service {
                    id: format!("s{i}"),
                    name: format!("Ydelse {i}"),
                    kind: ServiceKind::Module,
                    stage: None,
                    hours_per_week: Some(dec(h, 1)),
                    package: None,
                    pct_of: None,
                    share_pct: share,
                })
                .collect()
        })
    })
}

fn offer() -> impl Strategy<Value = Offer> {
    let day_basis = prop::sample::select(vec![
        None,
        Some(DayBasis::Days(334)),
        Some(DayBasis::Days(365)),
        Some(DayBasis::Named(DayBasisName::Actual)),
    ]);
    (
        1i64..2000,
        500i64..=1000,
        day_basis,
        prop::collection::vec(cost_line(), 1..8),
        services(),
        2020i32..2040,
        any::<bool>(),
    )
        .prop_map(
            |(places, occ, day_basis, mut costs, services, year, residential)| {
                // At least one common line with money in it, so the cost base is positive.
                costs.push(line(
                    "Ledelse",
                    Category::Wages,
                    dec(100_000, 0),
                    AllocationKey::Days,
                ));
                let kind = if residential {
                    PlaceKind::Residential
                } else {
                    PlaceKind::Day
                };
                Offer {
                    year,
                    day_basis,
                    ..offer_with(kind, dec(places, 1), dec(occ, 1), costs, services)
                }
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Before rounding, Σ tariff × expected days equals the cost base; after rounding to whole
    /// kroner the residue is at most half a krone per expected day.
    #[test]
    fn revenue_neutral_up_to_rounding(o in offer()) {
        let c = o.compute().map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(c.explanation.verify(), Ok(()));
        let mut exact = Decimal::ZERO;
        let mut days = Decimal::ZERO;
        for s in &o.services {
            let day = c.explanation.find(&format!("service.{}.day_exact", s.id)).unwrap().value;
            let d = c.explanation.find(&format!("service.{}.expected_days", s.id)).unwrap().value;
            exact += day * d;
            days += d;
        }
        let gap = (exact - c.cost_base.total).abs();
        prop_assert!(gap < dec(1, 6), "exact revenue {} vs cost base {}", exact, c.cost_base.total);
        prop_assert!(c.neutrality.residue.abs() <= days / Decimal::TWO + dec(1, 6));
        let sum: Decimal = c.neutrality.by_service.iter().map(|s| s.revenue).sum();
        prop_assert_eq!(sum, c.neutrality.revenue);
    }

    /// The offer survives JSON and TOML unchanged.
    #[test]
    fn request_format_round_trips(o in offer()) {
        let json = serde_json::to_string(&o).unwrap();
        prop_assert_eq!(&Offer::from_json(&json).map_err(|e| TestCaseError::fail(e.to_string()))?, &o);
        let toml = toml::to_string(&o).unwrap();
        prop_assert_eq!(&Offer::from_toml(&toml).map_err(|e| TestCaseError::fail(format!("{e}\n{toml}")))?, &o);
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
                    let exact = total * w / w_sum;
                    prop_assert!((p - exact).abs() < inc, "part {} exact {}", p, exact);
                }
                let mirrored = allocate(-total, &weights, inc).unwrap();
                prop_assert_eq!(mirrored, parts.iter().map(|p| -p).collect::<Vec<_>>());
            }
        }
    }

    /// Rounding lands on a multiple of the increment, near the value, is idempotent, and the
    /// symmetric modes treat −x as the mirror of x.
    #[test]
    fn rounding_policy(
        units in -1_000_000_000_000i64..1_000_000_000_000,
        scale in 0u32..6,
        mode in prop::sample::select(vec![RoundMode::HalfAwayFromZero, RoundMode::HalfEven, RoundMode::HalfTowardZero, RoundMode::Up, RoundMode::Down, RoundMode::Ceiling, RoundMode::Floor]),
        inc in prop::sample::select(vec![dec(1, 2), dec(1, 0), dec(50, 2), dec(5, 0)]),
    ) {
        let v = dec(units, scale);
        let r = Rounding::new(inc, mode).unwrap();
        let out = r.apply(v).unwrap();
        prop_assert!((out / inc).fract().is_zero());
        let half = matches!(mode, RoundMode::HalfAwayFromZero | RoundMode::HalfEven | RoundMode::HalfTowardZero);
        let bound = if half { inc / Decimal::TWO } else { inc };
        prop_assert!((out - v).abs() <= bound);
        prop_assert_eq!(r.apply(out), Some(out));
        if !matches!(mode, RoundMode::Ceiling | RoundMode::Floor) {
            prop_assert_eq!(r.apply(-v).unwrap(), -out);
        }
    }

    /// Any text at all gives a JSON response, never a panic.
    #[test]
    fn evaluate_json_never_panics(text in ".{0,200}") {
        let out = takst::evaluate_json(&text);
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        prop_assert!(v["ok"].is_boolean());
    }

    /// Valid requests with one number replaced by an arbitrary JSON value still give a
    /// response (ok, or errors naming a field), never a panic.
    #[test]
    fn mutated_requests_never_panic(
        o in offer(),
        replacement in prop::sample::select(vec!["-1", "0", "1e400", "\"x\"", "null", "[]", "{}", "99999999999999999999999999999", "0.30000000000000004", "\"-0\"", "true"]),
        pick in any::<prop::sample::Index>(),
    ) {
        let json = serde_json::to_string(&serde_json::json!({"version": 1, "offer": o})).unwrap();
        let spots: Vec<usize> = json.match_indices(':').map(|(i, _)| i + 1).collect();
        let at = spots[pick.index(spots.len())];
        let end = json[at..].find([',', '}', ']']).map_or(json.len(), |e| at + e);
        let mutated = format!("{}{}{}", &json[..at], replacement, &json[end..]);
        let out = takst::evaluate_json(&mutated);
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        prop_assert!(v["ok"].is_boolean());
        if v["ok"] == false {
            prop_assert!(v["errors"][0]["code"].is_string());
            prop_assert_ne!(v["errors"][0]["code"].as_str(), Some("internal"));
        }
    }
}

fn package_offer() -> impl Strategy<Value = Offer> {
    (1usize..7).prop_flat_map(|n| {
        (
            shares(n),
            prop::sample::select(vec![dec(7, 0), dec(23333, 4), dec(35, 1)]),
            1i64..5_000_000_000,
            1i64..5_000_000_000,
            1i64..500,
            900i64..=1000,
        )
            .prop_map(move |(shares, band, common, support, places, occ)| {
                let mut services = Vec::new();
                for (i, share) in shares.into_iter().enumerate() {
                    services.push(Service {
                        id: format!("p{}", i + 1),
                        name: format!("Pakke {}", i + 1),
                        kind: ServiceKind::Package,
                        stage: None,
                        hours_per_week: None,
                        package: Some(i as u32 + 1),
                        pct_of: None,
                        share_pct: share,
                    });
                }
                let costs = vec![
                    line(
                        "Fælles",
                        Category::Wages,
                        dec(common, 2),
                        AllocationKey::Days,
                    ),
                    line(
                        "Støtte",
                        Category::Wages,
                        dec(support, 2),
                        AllocationKey::SupportHours,
                    ),
                ];
                let scheme = takst::PackageScheme {
                    band_hours_per_week: band,
                };
                let base = offer_with(
                    PlaceKind::Residential,
                    Decimal::from(places),
                    dec(occ, 1),
                    costs,
                    services,
                );
                Offer {
                    package_scheme: Some(scheme),
                    ..base
                }
            })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Basis + package tariffs: each package day = basis + its part; before rounding the
    /// mix covers the cost base; after rounding basis and part (half a krone each at most)
    /// the residue is at most one krone per expected day.
    #[test]
    fn packages_revenue_neutral_up_to_rounding(o in package_offer()) {
        let c = o.compute().map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(c.explanation.verify(), Ok(()));
        let scheme = c.sheet.package_scheme.clone().unwrap();
        let mut days = Decimal::ZERO;
        let mut exact = Decimal::ZERO;
        let common_per_day = c.explanation.find("services.common_per_day").unwrap().value;
        for (i, s) in c.sheet.services.iter().enumerate() {
            prop_assert_eq!(s.tariff.day, scheme.basis + s.package_part.unwrap());
            let n = Decimal::from(i as u32 + 1);
            let d = c.explanation.find(&format!("service.{}.expected_days", s.id)).unwrap().value;
            exact += (common_per_day + (n - dec(5, 1)) * scheme.interval) * d;
            days += d;
        }
        prop_assert!((exact - c.cost_base.total).abs() < dec(1, 6), "exact {} vs {}", exact, c.cost_base.total);
        prop_assert!(c.neutrality.residue.abs() <= days + dec(1, 6));
    }
}
