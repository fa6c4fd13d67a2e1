//! Hand-worked numbers. Each test states the arithmetic it checks; the figures were worked
//! out by hand (or with Python's `decimal`, independently of takst), not copied from output.

use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use takst::{Computed, ErrorCode, Offer, WarningCode};

fn offer(toml: &str) -> Offer {
    Offer::from_toml(toml).unwrap_or_else(|e| panic!("test offer does not parse: {e}"))
}

fn compute(toml: &str) -> Computed {
    let c = offer(toml)
        .compute()
        .unwrap_or_else(|e| panic!("test offer does not compute: {e}"));
    assert_eq!(
        c.explanation.verify(),
        Ok(()),
        "the explanation must recompute"
    );
    c
}

fn value(c: &Computed, key: &str) -> Decimal {
    let node = c
        .explanation
        .find(key)
        .unwrap_or_else(|| panic!("no figure {key}"));
    node.value()
        .to_decimal()
        .unwrap_or_else(|| panic!("{key} = {} has no finite decimal form", node.value()))
}

fn warnings(c: &Computed) -> Vec<WarningCode> {
    c.warnings.iter().map(|w| w.code()).collect()
}

fn error_codes(toml: &str) -> Vec<(ErrorCode, String)> {
    let errors = offer(toml)
        .compute()
        .expect_err("the offer should not compute");
    errors
        .as_slice()
        .iter()
        .map(|e| (e.code(), e.path().to_string()))
        .collect()
}

const BASE: &str = r#"
name = "Test"
year = 2026
kind = "residential"
capacity = { places = 10 }
occupancy = { budgeted_pct = 95 }
costs = [ { label = "Løn", category = "wages", amount = 9_500_000 } ]
"#;

#[test]
fn average_tariff_day_month_year() {
    // Expected days = 10 × 365 × 0.95 = 3,467.5. Day = 9,500,000 / 3,467.5 = 2,739.726… → 2,740.
    // Annual = 9,500,000 / 9.5 occupied places = 1,000,000; month = 1,000,000 / 12 = 83,333.33 → 83,333.
    let c = compute(BASE);
    let avg = c.sheet.average.clone().unwrap();
    assert_eq!(value(&c, "offer.expected_days"), dec!(3467.5));
    assert_eq!(avg.day, dec!(2740));
    assert_eq!(avg.month, Some(dec!(83333)));
    assert_eq!(avg.year, Some(dec!(1000000)));
    // Revenue 2,740 × 3,467.5 = 9,500,950: the rounding residue is +950 kr.
    assert_eq!(c.neutrality.revenue, dec!(9500950));
    assert_eq!(c.neutrality.residue, dec!(950));
    assert!(c.warnings.is_empty(), "{:?}", c.warnings);
}

#[test]
fn rounding_is_half_away_from_zero_unless_asked() {
    // 1 place, 100 %, 365 days, 365,182.50 kr → exactly 1,000.50 kr per day.
    let toml = r#"
name = "Halv"
year = 2026
kind = "day"
capacity = { places = 1 }
occupancy = { budgeted_pct = 100 }
costs = [ { label = "Alt", category = "operating", amount = "365182.50" } ]
"#;
    let c = compute(toml);
    assert_eq!(c.sheet.average.as_ref().unwrap().day, dec!(1001));
    let step = c
        .explanation
        .find("average.day")
        .unwrap()
        .rounding()
        .cloned()
        .unwrap();
    assert_eq!(step.before, dec!(1000.5));
    assert_eq!(step.after, dec!(1001));

    let bankers = format!(
        "{toml}\n[settings]\npublished_rounding = {{ increment = 1, mode = \"half_even\" }}\n"
    );
    let c = compute(&bankers);
    assert_eq!(c.sheet.average.as_ref().unwrap().day, dec!(1000));

    let ore = format!("{toml}\n[settings]\npublished_rounding = {{ increment = \"0.01\" }}\n");
    let c = compute(&ore);
    assert_eq!(c.sheet.average.as_ref().unwrap().day, dec!(1000.50));
}

#[test]
fn treatment_places_are_citizens_over_ten() {
    // 120 treatment citizens → 12 places; 12 × 365 × 1.00 = 4,380 days; 4,380,000 / 4,380 = 1,000.
    let toml = BASE
        .replace(
            "capacity = { places = 10 }",
            "capacity = { treatment_citizens = 120 }",
        )
        .replace("budgeted_pct = 95", "budgeted_pct = 98")
        .replace("9_500_000", "4_292_400");
    let c = compute(&toml);
    assert_eq!(value(&c, "offer.places"), dec!(12));
    // 12 × 365 × 0.98 = 4,292.4 days; 4,292,400 / 4,292.4 = 1,000.
    assert_eq!(c.sheet.average.unwrap().day, dec!(1000));
}

#[test]
fn day_basis_334_and_actual_leap_year() {
    // School home: 10 × 334 × 0.95 = 3,173 days; 9,500,000 / 3,173 = 2,993.97… → 2,994.
    // The year tariff is unchanged (1,000,000 per occupied place); month 83,333.
    let c = compute(&format!("day_basis = 334\n{BASE}"));
    let avg = c.sheet.average.clone().unwrap();
    assert_eq!(
        (avg.day, avg.month, avg.year),
        (dec!(2994), Some(dec!(83333)), Some(dec!(1000000)))
    );
    assert_eq!(c.sheet.day_basis, 334);

    // 2028 is a leap year: 10 × 366 × 0.95 = 3,477 days; 9,500,000 / 3,477 = 2,732.24… → 2,732.
    let c = compute(&format!(
        "day_basis = \"actual\"\n{}",
        BASE.replace("2026", "2028")
    ));
    assert_eq!(c.sheet.day_basis, 366);
    assert_eq!(c.sheet.average.unwrap().day, dec!(2732));
}

#[test]
fn occupancy_from_previous_years() {
    // (96.5 + 97.5) / 2 = 97 %.
    let c = compute(&BASE.replace(
        "{ budgeted_pct = 95 }",
        "{ previous_years_pct = [\"96.5\", 97.5] }",
    ));
    assert_eq!(value(&c, "offer.occupancy_pct"), dec!(97));
    assert!(warnings(&c).is_empty());
    let c = compute(&BASE.replace("{ budgeted_pct = 95 }", "{ previous_years_pct = [97] }"));
    assert_eq!(warnings(&c), vec![WarningCode::OccupancyYears]);
}

#[test]
fn cost_base_categories_overhead_income_and_regulation() {
    // Direct: 1,000,000 + 200,000 + 300,000 = 1,500,000. Overhead 6 % = 90,000.
    // Base = 1,500,000 + 90,000 + 50,000 + 40,000 − 80,000 − 100,000 + 25,000 = 1,525,000.
    let toml = r#"
name = "Grundlag"
year = 2026
kind = "day"
capacity = { places = 5 }
occupancy = { budgeted_pct = 96 }
costs = [
  { label = "Løn", category = "wages", amount = 1_000_000 },
  { label = "Drift", category = "operating", amount = 200_000 },
  { label = "Husleje", category = "property", amount = 300_000 },
  { label = "Overhead", category = "overhead", pct = 6 },
  { label = "Afskrivning", category = "depreciation", amount = 50_000 },
  { label = "Forrentning", category = "interest", amount = 40_000 },
  { label = "Egenbetaling", category = "other_income", amount = 80_000 },
  { label = "Objektiv finansiering", category = "base_funding", amount = 100_000 },
  { label = "Underskud 2024", category = "regulation", amount = 25_000 },
]
"#;
    let c = compute(toml);
    assert_eq!(c.cost_base.direct, dec!(1500000));
    assert_eq!(value(&c, "cost[3]"), dec!(90000));
    assert_eq!(c.cost_base.total, dec!(1525000));
    assert_eq!(c.cost_base.lines[6].amount, dec!(-80000));
    // 5 × 365 × 0.96 = 1,752 days; 1,525,000 / 1,752 = 870.43… → 870.
    assert_eq!(c.sheet.average.as_ref().unwrap().day, dec!(870));
    // 6 % is at the cap, not above it: no warning.
    assert!(warnings(&c).is_empty());
    let c = compute(&toml.replace("pct = 6 ", "pct = \"6.5\" "));
    assert_eq!(warnings(&c), vec![WarningCode::OverheadAboveCap]);
    // An overhead of 90,001 kr is 90,001 / 1,500,000 = 6.00006…% of the direct costs: above
    // the cap, and said so with four decimals (two showed "6.00 %, above the cap of 6 %").
    let c = compute(&toml.replace("pct = 6 ", "amount = 90_001 "));
    assert_eq!(warnings(&c), vec![WarningCode::OverheadAboveCap]);
    assert_eq!(
        c.warnings[0].message(),
        "overhead is 6.0001… % of direct costs, above the agreed cap of 6 %"
    );
    assert_eq!(
        c.warnings[0].message_da(),
        "Overhead udgør 6,0001… % af de direkte omkostninger, over det aftalte loft på 6 %."
    );
}

#[test]
fn overhead_as_a_percentage_of_a_stated_base() {
    // Base = wages + depreciation = 1,000,000 + 50,000 = 1,050,000; 4 % of it = 42,000.
    // Cost base = 1,000,000 + 200,000 + 50,000 + 42,000 = 1,292,000.
    let toml = r#"
name = "Grundlag"
year = 2026
kind = "day"
capacity = { places = 5 }
occupancy = { budgeted_pct = 96 }
costs = [
  { label = "Løn", category = "wages", amount = 1_000_000 },
  { label = "Drift", category = "operating", amount = 200_000 },
  { label = "Afskrivning", category = "depreciation", amount = 50_000 },
  { label = "Overhead", category = "overhead", pct = 4, pct_base = ["wages", "depreciation"] },
]
"#;
    let c = compute(toml);
    assert_eq!(value(&c, "cost[3].base"), dec!(1050000));
    assert_eq!(value(&c, "cost[3]"), dec!(42000));
    assert_eq!(c.cost_base.total, dec!(1292000));
    // The cap compares overhead with the direct costs: 42,000 / 1,200,000 = 3.5 %.
    assert!(warnings(&c).is_empty());

    let own = toml.replace(
        "pct_base = [\"wages\", \"depreciation\"]",
        "pct_base = [\"overhead\"]",
    );
    assert_eq!(
        error_codes(&own),
        vec![(ErrorCode::InvalidValue, "offer.costs[3].pct_base".into())]
    );
    // Income enters the cost base negative, a regulation either sign: 4 % of them would be
    // an overhead below zero (4 % of −100,000 income = −4,000), so they are no base.
    for category in ["other_income", "base_funding", "regulation"] {
        let toml = toml.replace(
            "pct_base = [\"wages\", \"depreciation\"] },",
            &format!(
                "pct_base = [\"wages\", \"{category}\"] }},\n  {{ label = \"Indtægt\", \
                 category = \"{category}\", amount = 100_000 }},"
            ),
        );
        assert_eq!(
            error_codes(&toml),
            vec![(ErrorCode::InvalidValue, "offer.costs[3].pct_base".into())],
            "{category}"
        );
    }
}

#[test]
fn overhead_without_direct_costs_is_warned_of() {
    // 3,504,000 of depreciation and 1,000,000 of overhead: no direct costs to measure the
    // overhead against, which no cap allows to pass in silence.
    let toml = r#"
name = "Grundlag"
year = 2026
kind = "residential"
capacity = { places = 10 }
occupancy = { budgeted_pct = 96 }
costs = [
  { label = "Afskrivning", category = "depreciation", amount = 3_504_000 },
  { label = "Overhead", category = "overhead", amount = 1_000_000 },
]
"#;
    let c = compute(toml);
    assert_eq!(c.cost_base.total, dec!(4504000));
    assert_eq!(warnings(&c), vec![WarningCode::OverheadAboveCap]);
    assert_eq!(
        c.warnings[0].message_da(),
        "Overhead er 1.000.000 kr., og der er ingen direkte omkostninger (løn, øvrig drift, \
         ejendomsudgifter) at måle den mod det aftalte loft på 6 %."
    );
    // Without overhead there is nothing to warn of.
    let c = compute(&toml.replace(
        "  { label = \"Overhead\", category = \"overhead\", amount = 1_000_000 },\n",
        "",
    ));
    assert!(warnings(&c).is_empty());
}

const MODULES: &str = r#"
name = "Moduler"
year = 2026
kind = "residential"
capacity = { places = 10 }
occupancy = { budgeted_pct = 100 }
costs = [
  { label = "Fælles", category = "wages", amount = 3_650_000 },
  { label = "Støtte", category = "wages", amount = 7_300_000, key = "support_hours" },
]
services = [
  { id = "a", name = "Udredning", kind = "module", stage = "assessment", hours_per_week = 30, share_pct = 50 },
  { id = "b", name = "Udvikling", kind = "module", stage = "development", hours_per_week = 10, share_pct = 50 },
]
"#;

#[test]
fn modules_by_support_hours_are_revenue_neutral() {
    // 3,650 days. Common 3,650,000 / 3,650 = 1,000 per day.
    // Mean hours 0.5 × 30 + 0.5 × 10 = 20; support rate 7,300,000 / (3,650 × 20) = 100 kr per
    // day per weekly hour. A = 1,000 + 100 × 30 = 4,000; B = 1,000 + 100 × 10 = 2,000.
    let c = compute(MODULES);
    assert_eq!(value(&c, "services.support_rate"), dec!(100));
    assert_eq!(c.sheet.services[0].tariff.day, dec!(4000));
    assert_eq!(c.sheet.services[1].tariff.day, dec!(2000));
    // Month: 4,000 × 365 / 12 = 121,666.67 → 121,667; year 1,460,000.
    assert_eq!(c.sheet.services[0].tariff.month, Some(dec!(121667)));
    assert_eq!(c.sheet.services[0].tariff.year, Some(dec!(1460000)));
    // 4,000 × 1,825 + 2,000 × 1,825 = 10,950,000 = cost base.
    assert_eq!(c.neutrality.revenue, dec!(10950000));
    assert_eq!(c.neutrality.residue, dec!(0));
    // 100 % occupancy keeps the arithmetic round, and is rightly above the 98 % band.
    assert_eq!(warnings(&c), vec![WarningCode::OccupancyAboveBand]);
}

#[test]
fn module_tariffs_that_rise_along_the_course_warn() {
    let c = compute(&MODULES.replace("hours_per_week = 30", "hours_per_week = 5"));
    assert_eq!(
        warnings(&c),
        vec![WarningCode::OccupancyAboveBand, WarningCode::ModuleOrder]
    );
}

#[test]
fn shares_not_summing_to_100_warn_and_show_the_gap() {
    let c = compute(&MODULES.replace(
        "hours_per_week = 10, share_pct = 50",
        "hours_per_week = 10, share_pct = 40",
    ));
    assert!(warnings(&c).contains(&WarningCode::ServiceMixNot100));
    assert!(warnings(&c).contains(&WarningCode::RoundingResidue));
    assert!(c.neutrality.residue < dec!(0));
}

#[test]
fn support_costs_below_zero_are_refused() {
    // A regulation of −4,000,000 keyed to support hours against 3,832,500 of support wages:
    // −167,500 of support costs, a rate of −167,500 / (3,650 × 10.5) = −4.37 kr, an interval
    // of −31 kr: packages with more hours would be cheaper, and the published parts negative
    // (a sheet that could not be read back). Refused, naming the cost lines.
    let toml = r#"
name = "Pakker"
year = 2026
kind = "residential"
capacity = { places = 10 }
occupancy = { budgeted_pct = 100 }
package_scheme = { band_hours_per_week = 7 }
costs = [
  { label = "Fælles", category = "property", amount = 3_650_000 },
  { label = "Støtte", category = "wages", amount = 3_832_500, key = "support_hours" },
  { label = "Overskud", category = "regulation", amount = -4_000_000, key = "support_hours" },
]
services = [
  { id = "p1", name = "Pakke 1", kind = "package", package = 1, share_pct = 30 },
  { id = "p2", name = "Pakke 2", kind = "package", package = 2, share_pct = 40 },
  { id = "p3", name = "Pakke 3", kind = "package", package = 3, share_pct = 30 },
]
"#;
    assert_eq!(
        error_codes(toml),
        vec![(ErrorCode::Negative, "offer.costs".into())]
    );
    // A band whose multiples need more than 28 digits: package 3's 2.5 × 7.000…001 (27
    // decimals) cannot be published as it is (it was written as 0), so it is refused.
    let long = toml.replace("-4_000_000", "-1").replace(
        "band_hours_per_week = 7 ",
        "band_hours_per_week = \"7.000000000000000000000000001\" ",
    );
    assert_eq!(
        error_codes(&long),
        vec![(
            ErrorCode::Overflow,
            "offer.package_scheme.band_hours_per_week".into()
        )]
    );
    // Support costs of exactly 0 price every package at the basis: allowed.
    let zero = toml.replace("-4_000_000", "-3_832_500");
    let c = compute(&zero);
    assert_eq!(c.sheet.package_scheme.unwrap().interval, dec!(0));
}

#[test]
fn packages_priced_at_the_middle_of_their_band() {
    // 3,650 days; common 3,650,000 → basis 1,000. Band 7 hours a week.
    // Hours: (n − ½) × 7 = 3.5, 10.5, 17.5; mean 0.3 × 3.5 + 0.4 × 10.5 + 0.3 × 17.5 = 10.5.
    // Rate 3,832,500 / (3,650 × 10.5) = 100; interval 700; parts 350, 1,050, 1,750.
    let toml = r#"
name = "Pakker"
year = 2026
kind = "residential"
capacity = { places = 10 }
occupancy = { budgeted_pct = 100 }
package_scheme = { band_hours_per_week = 7 }
costs = [
  { label = "Fælles", category = "property", amount = 3_650_000 },
  { label = "Støtte", category = "wages", amount = 3_832_500, key = "support_hours" },
]
services = [
  { id = "p1", name = "Pakke 1", kind = "package", package = 1, share_pct = 30 },
  { id = "p2", name = "Pakke 2", kind = "package", package = 2, share_pct = 40 },
  { id = "p3", name = "Pakke 3", kind = "package", package = 3, share_pct = 30 },
]
"#;
    let c = compute(toml);
    let scheme = c.sheet.package_scheme.clone().unwrap();
    assert_eq!((scheme.basis, scheme.interval), (dec!(1000), dec!(700)));
    let days: Vec<_> = c
        .sheet
        .services
        .iter()
        .map(|s| (s.package_part.unwrap(), s.tariff.day))
        .collect();
    assert_eq!(
        days,
        vec![
            (dec!(350), dec!(1350)),
            (dec!(1050), dec!(2050)),
            (dec!(1750), dec!(2750))
        ]
    );
    assert_eq!(c.neutrality.residue, dec!(0));
    // Two services of one package number: the offer's sheet could not be read back (and
    // `package: 2` would pick one), so it is an error at the second.
    let twice = toml.replace(
        r#"id = "p3", name = "Pakke 3", kind = "package", package = 3"#,
        r#"id = "p3", name = "Pakke 3", kind = "package", package = 2"#,
    );
    assert_eq!(
        error_codes(&twice),
        vec![(ErrorCode::DuplicateId, "offer.services[2].package".into())]
    );
}

#[test]
fn levels_part_time_and_add_ons_are_kept_to_ore() {
    // Ordinary: 1 place, 100 %, 365 days, 855,925 kr → 2,345 per day.
    // Levels 85 % = 1,993.25 and 65 % = 1,524.25. Part-time 60 % = 1,407.00, 85 % = 1,993.25.
    // Add-on 2/5 of the ordinary day tariff = 938.00; 1/3 = 781.666… → 781.67.
    let toml = r#"
name = "Niveauer"
year = 2026
kind = "day"
capacity = { places = 1 }
occupancy = { budgeted_pct = 100 }
costs = [ { label = "Alt", category = "wages", amount = 855_925 } ]
services = [
  { id = "ordinaer", name = "Ordinær", hours_per_week = 10, share_pct = 100 },
  { id = "n1", name = "Niveau 1", kind = "level", pct_of = { service = "ordinaer", pct = 85 }, share_pct = 0 },
  { id = "n2", name = "Niveau 2", kind = "level", pct_of = { service = "ordinaer", pct = 65 }, share_pct = 0 },
]
part_time = [ { days_per_week = 2, pct = 60 }, { days_per_week = 3, pct = 85 } ]
add_ons = [
  { id = "to", name = "2 timer", price = { day_fraction = { of = "ordinaer", numerator = 2, denominator = 5 } } },
  { id = "tredjedel", name = "En tredjedel", price = { day_fraction = { of = "average", numerator = 1, denominator = 3 } } },
  { id = "time", name = "Ekstra time", price = { per_hour = "465.50" } },
]
"#;
    let c = compute(toml);
    let s = &c.sheet;
    assert_eq!(s.services[0].tariff.day, dec!(2345));
    assert_eq!(s.services[1].tariff.day, dec!(1993.25));
    assert_eq!(s.services[2].tariff.day, dec!(1524.25));
    // Month of the 85 % level: 85 % of the published month 71,327 (855,925 / 12 = 71,327.08) = 60,627.95.
    assert_eq!(s.services[1].tariff.month, Some(dec!(60627.95)));
    let pt: Vec<_> = s
        .part_time
        .iter()
        .filter(|p| p.of == "ordinaer")
        .map(|p| p.day)
        .collect();
    assert_eq!(pt, vec![dec!(1407.00), dec!(1993.25)]);
    let prices: Vec<_> = s.add_ons.iter().map(|a| a.price).collect();
    assert_eq!(prices, vec![dec!(938.00), dec!(781.67), dec!(465.50)]);
    assert_eq!(prices[0].to_string(), "938.00");
    assert!(!warnings(&c).contains(&WarningCode::PartTimeAboveFull));

    // A part-time day at 110 % is computed (2,345 × 1.1 = 2,579.50) and warned of.
    let c = compute(&toml.replace("pct = 85 } ]", "pct = 110 } ]"));
    let pt = c
        .sheet
        .part_time
        .iter()
        .find(|p| p.of == "ordinaer" && p.days_per_week == 3);
    assert_eq!(pt.map(|p| p.day), Some(dec!(2579.50)));
    let w: Vec<_> = c
        .warnings
        .iter()
        .filter(|w| w.code() == WarningCode::PartTimeAboveFull)
        .map(|w| w.path())
        .collect();
    assert_eq!(w, ["offer.part_time[1].pct"]);
}

#[test]
fn the_sample_offer() {
    // Worked independently with Python's decimal module:
    // direct 14,610,000; overhead 5.5 % = 803,550; base 15,538,550; 4,248.6 expected days.
    let c = Offer::sample().compute().unwrap();
    assert_eq!(c.explanation.verify(), Ok(()));
    assert_eq!(c.cost_base.total, dec!(15538550));
    assert_eq!(c.cost_base.expected_days, dec!(4248.6));
    let avg = c.sheet.average.clone().unwrap();
    assert_eq!(
        (avg.day, avg.month, avg.year),
        (dec!(3657), Some(dec!(111244)), Some(dec!(1334927)))
    );
    let t: Vec<_> = c
        .sheet
        .services
        .iter()
        .map(|s| {
            (
                s.tariff.day,
                s.tariff.month.unwrap(),
                s.tariff.year.unwrap(),
            )
        })
        .collect();
    assert_eq!(
        t,
        vec![
            (dec!(4801), dec!(146024), dec!(1752291)),
            (dec!(3716), dec!(113043), dec!(1356515)),
            (dec!(2928), dec!(89056), dec!(1068677)),
        ]
    );
    assert_eq!(c.neutrality.residue, dec!(-570.08));
    assert_eq!(c.sheet.add_ons[2].price, dec!(1462.80));
    assert!(c.warnings.is_empty(), "{:?}", c.warnings);
}

#[test]
fn occupancy_band_warnings() {
    let at = |pct: &str, extra: &str| {
        warnings(&compute(&format!(
            "{extra}\n{}",
            BASE.replace("budgeted_pct = 95", &format!("budgeted_pct = {pct}"))
        )))
    };
    assert_eq!(at("94", ""), vec![WarningCode::OccupancyBelowBand]);
    assert_eq!(at("94", "short_term = true"), vec![]);
    assert_eq!(
        at("89", "short_term = true"),
        vec![WarningCode::OccupancyBelowBand]
    );
    assert_eq!(at("98", ""), vec![]);
    assert_eq!(at("99", ""), vec![WarningCode::OccupancyAboveBand]);
    let banded = format!("{BASE}\n[settings]\noccupancy_band_pct = {{ min = 90, max = 100 }}\n");
    assert!(warnings(&compute(
        &banded.replace("budgeted_pct = 95", "budgeted_pct = 99")
    ))
    .is_empty());
}

#[test]
fn errors_name_every_field() {
    let toml = r#"
name = "Fejl"
year = 2026
kind = "residential"
capacity = { places = 0 }
day_basis = 400
occupancy = { budgeted_pct = -1 }
costs = [
  { label = "Løn", category = "wages", amount = -5 },
  { label = "Drift", category = "operating", pct = 5 },
  { label = "Begge", category = "overhead", amount = 1, pct = 5 },
]
services = [
  { id = "a", name = "A", hours_per_week = 1, share_pct = 50 },
  { id = "a", name = "A igen", package = 0, share_pct = 50 },
  { id = "c", name = "C", pct_of = { service = "x", pct = 80 }, share_pct = 0 },
]
"#;
    assert_eq!(
        error_codes(toml),
        vec![
            (ErrorCode::NotPositive, "offer.capacity.places".into()),
            (ErrorCode::OutOfRange, "offer.day_basis".into()),
            (
                ErrorCode::NotPositive,
                "offer.occupancy.budgeted_pct".into()
            ),
            (ErrorCode::Negative, "offer.costs[0].amount".into()),
            (ErrorCode::InvalidValue, "offer.costs[1].pct".into()),
            (ErrorCode::Conflict, "offer.costs[2]".into()),
            (ErrorCode::DuplicateId, "offer.services[1].id".into()),
            (ErrorCode::OutOfRange, "offer.services[1].package".into()),
            (ErrorCode::MissingValue, "offer.package_scheme".into()),
            (
                ErrorCode::UnknownReference,
                "offer.services[2].pct_of.service".into()
            ),
        ]
    );
}

#[test]
fn computation_errors_name_the_cause() {
    // Income above costs: nothing for a tariff to cover.
    let income = BASE.replace(
        "]",
        ", { label = \"Indtægt\", category = \"other_income\", amount = 10_000_000 } ]",
    );
    assert_eq!(
        error_codes(&income),
        vec![(ErrorCode::NotPositive, "offer.costs".into())]
    );
    // Support-hour costs but no hours.
    let no_hours = MODULES
        .replace("hours_per_week = 30", "hours_per_week = 0")
        .replace("hours_per_week = 10", "hours_per_week = 0");
    assert_eq!(
        error_codes(&no_hours),
        vec![(ErrorCode::MissingValue, "offer.services".into())]
    );
}

#[test]
fn syntax_and_type_errors_have_paths() {
    let err = Offer::from_toml("name = \"x\"\nyear = \"2026\"").unwrap_err();
    assert_eq!(
        (err.as_slice()[0].code(), err.as_slice()[0].path()),
        (ErrorCode::InvalidType, "year")
    );
    let err = Offer::from_toml("name = ").unwrap_err();
    assert_eq!(err.as_slice()[0].code(), ErrorCode::Syntax);
    let err = Offer::from_toml(&BASE.replace("amount = 9_500_000", "amount = \"9.500.000\""))
        .unwrap_err();
    assert_eq!(
        (err.as_slice()[0].code(), err.as_slice()[0].path()),
        (ErrorCode::InvalidNumber, "costs[0].amount")
    );
}

// The three reproductions of "exact arithmetic up to the one rounding step": offers whose
// exact figures land on x.5, where a quotient rounded to 28 digits and used further came out
// one krone off.

const SCHOOL_HOME: &str = r#"
name = "Skolehjem"
year = 2026
kind = "residential"
capacity = { places = 1 }
day_basis = 334
occupancy = { budgeted_pct = 100 }
costs = [ { label = "Løn", category = "wages", amount = 756774 } ]
"#;

#[test]
fn month_of_an_exact_half_rounds_up() {
    // 756,774 / 12 = 63,064.5 exactly → 63,065 (the month comes from the exact annual
    // figure 756,774 / 334 × 334, not from a 28-digit quotient).
    let c = compute(SCHOOL_HOME);
    let avg = c.sheet.average.clone().unwrap();
    assert_eq!(avg.month, Some(dec!(63065)));
    assert_eq!(avg.year, Some(dec!(756774)));
    // Rounding down, the year is the exact annual cost, not one krone less.
    let down = format!(
        "{SCHOOL_HOME}\n[settings]\npublished_rounding = {{ increment = 1, mode = \"down\" }}\n"
    );
    let c = compute(&down);
    assert_eq!(c.sheet.average.unwrap().year, Some(dec!(756774)));
}

#[test]
fn a_service_at_100_pct_equals_the_average_on_a_tie() {
    // 170,843 common + 970,268 support over 334 days: 1,141,111 / 334 = 3,416.5 → 3,417,
    // for the average and for the one service alike.
    let c = compute(
        r#"
name = "En ydelse"
year = 2026
kind = "residential"
capacity = { places = 1 }
day_basis = 334
occupancy = { budgeted_pct = 100 }
costs = [
  { label = "Fælles", category = "operating", amount = 170843 },
  { label = "Støtte", category = "wages", amount = 970268, key = "support_hours" },
]
services = [ { id = "a", name = "A", hours_per_week = 7, share_pct = 100 } ]
"#,
    );
    assert_eq!(c.sheet.average.as_ref().unwrap().day, dec!(3417));
    assert_eq!(c.sheet.services[0].tariff.day, dec!(3417));
}

#[test]
fn the_package_interval_is_published_and_packages_are_priced_from_it() {
    // Support rate 102,382.50 / (365 × 3.5) per weekly hour; interval = rate × 7 = 561
    // exactly (published as 561, not 560.99…98); package 1 = 0.5 × 561 = 280.5 → 281.
    let c = compute(
        r#"
name = "Pakke"
year = 2026
kind = "residential"
capacity = { places = 1 }
occupancy = { budgeted_pct = 100 }
package_scheme = { band_hours_per_week = 7 }
costs = [
  { label = "Fælles", category = "operating", amount = 1000000 },
  { label = "Støtte", category = "wages", amount = "102382.50", key = "support_hours" },
]
services = [ { id = "p1", name = "Pakke 1", kind = "package", package = 1, share_pct = 100 } ]
"#,
    );
    let scheme = c.sheet.package_scheme.clone().unwrap();
    assert_eq!(scheme.interval, dec!(561));
    assert_eq!(scheme.interval.to_string(), "561");
    let p1 = &c.sheet.services[0];
    assert_eq!(p1.package_part, Some(dec!(281)));
    // 1,000,000 / 365 = 2,739.73 → basis 2,740; day = 2,740 + 281.
    assert_eq!(p1.tariff.day, dec!(3021));
    // The band "til og med": 1 × 7 = 7.0 hours a week.
    assert_eq!(
        p1.hours_to_per_week.map(|h| h.to_string()),
        Some("7.0".into())
    );
}

#[test]
fn region_syddanmarks_published_interval_prices_every_package() {
    // Given the published interval 349 kr, package n = round((n − ½) × 349):
    // 0.5 × 349 = 174.5 → 175; 11.5 × 349 = 4,013.5 → 4,014 (domain reference §4).
    let r = takst::Rounding::KRONER;
    let part = |n: i64| r.apply((Decimal::from(n) - dec!(0.5)) * dec!(349)).unwrap();
    assert_eq!(part(1), dec!(175));
    assert_eq!(part(12), dec!(4014));
    // The day packages' bands "til og med" at 2⅓ hours: 2.3, 4.7, 7.0.
    let shown = takst::Rounding::new(dec!(0.1), takst::RoundMode::HalfAwayFromZero).unwrap();
    let third = takst::Exact::new(7, 3).unwrap();
    let bands: Vec<String> = (1..=3)
        .map(|n| {
            shown
                .apply_exact(&third.checked_mul(&takst::Exact::from(n as i64)).unwrap())
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(bands, ["2.3", "4.7", "7.0"]);
}
