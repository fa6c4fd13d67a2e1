//! Settlement and financing: hand-worked cases, bad inputs, and property tests of the
//! invariants (revenue neutrality of partnership and base-funding tariffs, allocations that
//! sum exactly, paid + regulation = actual costs + set aside).

#![allow(clippy::unwrap_used)] // tests may panic: a panic is a failed test

use proptest::prelude::*;
use rust_decimal::Decimal;
use serde_json::{json, Value};
use takst::Exact;

mod common;

fn eval(request: Value) -> Value {
    let out = takst::evaluate_json(&request.to_string());
    common::read_back(serde_json::from_str(&out).expect("the response is JSON"))
}

fn ok(request: Value) -> Value {
    let v = eval(request);
    assert_eq!(
        v["ok"],
        true,
        "{}",
        serde_json::to_string_pretty(&v["errors"]).unwrap()
    );
    v
}

/// The codes of a response's warnings, in order.
fn warning_codes(v: &Value) -> Vec<&str> {
    let warnings = v["warnings"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    warnings.iter().filter_map(|w| w["code"].as_str()).collect()
}

fn errors(request: Value) -> Vec<(String, String)> {
    let v = eval(request);
    assert_eq!(v["ok"], false, "expected errors");
    code_paths(&v["errors"])
}

/// A list of errors or warnings as (code, path).
fn code_paths(list: &Value) -> Vec<(String, String)> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["code"].as_str().unwrap().to_string(),
                e["path"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn d(v: &Value) -> Decimal {
    v.as_str().expect("an amount").parse().expect("a decimal")
}

fn settlement(extra: Value) -> Value {
    let mut s = json!({"year": 2026, "budget": "8000000", "actual_costs": "7648000",
                       "revenue": "8418000"});
    takst_merge(&mut s, &extra);
    json!({"version": 1, "settlement": s})
}

fn takst_merge(target: &mut Value, patch: &Value) {
    if let (Some(t), Some(p)) = (target.as_object_mut(), patch.as_object()) {
        for (k, v) in p {
            t.insert(k.clone(), v.clone());
        }
    }
}

// --- Settlement ---------------------------------------------------------------------------

#[test]
fn settlement_of_the_domain_example() {
    // Budget 8,000,000; actual costs 7,648,000; revenue 8,418,000:
    // surplus 8,418,000 − 7,648,000 = 770,000; the cap is 5 % × 8,000,000 = 400,000, all of
    // it set aside; 770,000 − 400,000 = 370,000 lowers the cost base of 2026 + 2 = 2028.
    let v = ok(settlement(json!({
        "municipalities": [{"municipality": "Aarhus", "days": "1000"},
                           {"municipality": "Randers", "days": "600"},
                           {"municipality": "Silkeborg", "days": "400"}]
    })));
    let s = &v["settlement"];
    assert_eq!(s["result"], "770000");
    assert_eq!(s["outcome"], "surplus");
    assert_eq!(s["set_aside_cap"], "400000.00");
    assert_eq!(s["set_aside"], "400000.00");
    assert_eq!(s["regulation"], "-370000.00");
    assert_eq!(
        s["regulation_years"],
        json!([{"year": 2028, "amount": "-370000.00"}])
    );
    // By billed days 1,000 : 600 : 400 of 2,000.
    let shares: Vec<&str> = s["municipalities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["amount"].as_str().unwrap())
        .collect();
    assert_eq!(shares, ["-185000.00", "-111000.00", "-74000.00"]);
    // The set-aside joins the ledger, usable to 2031.
    assert_eq!(s["reserves"][0]["use_by"], 2031);
    assert_eq!(s["reserves_remaining"], "400000.00");
    let text = takst::Response::to_text(&takst::evaluate(
        &takst::Request::from_json(&settlement(json!({})).to_string()).unwrap(),
    ));
    assert!(text.contains("EFTERREGULERING 2026"), "{text}");
    assert!(text.contains("-370.000,00 kr."), "{text}");
}

#[test]
fn a_smaller_set_aside_and_a_deficit_spread_over_years() {
    // Setting aside only 100,000 returns 670,000.
    let v = ok(settlement(json!({"set_aside": "100000"})));
    assert_eq!(v["settlement"]["regulation"], "-670000.00");
    // A deficit: revenue 7,300,000 against costs 7,648,000 → 348,000, nothing set aside,
    // spread over 3 years from 2028: 116,000 each.
    let v = ok(settlement(json!({"revenue": "7300000", "spread_years": 3})));
    let s = &v["settlement"];
    assert_eq!(s["outcome"], "deficit");
    assert_eq!(d(&s["set_aside"]), Decimal::ZERO);
    assert_eq!(s["regulation"], "348000.00");
    assert_eq!(
        s["regulation_years"],
        json!([{"year": 2028, "amount": "116000.00"}, {"year": 2029, "amount": "116000.00"},
               {"year": 2030, "amount": "116000.00"}])
    );
    // 100,000.01 over 3 years: 10,000,001 øre = 3 × 3,333,333 + 2; the two øre left go to
    // the first two years (equal remainders: the earlier first).
    let v = ok(settlement(
        json!({"revenue": "7547999.99", "spread_years": 3, "regulation_year_offset": 1}),
    ));
    let years: Vec<(i64, &str)> = v["settlement"]["regulation_years"]
        .as_array()
        .unwrap()
        .iter()
        .map(|y| (y["year"].as_i64().unwrap(), y["amount"].as_str().unwrap()))
        .collect();
    assert_eq!(
        years,
        [(2027, "33333.34"), (2028, "33333.34"), (2029, "33333.33")]
    );
}

#[test]
fn the_ledger_warns_of_expiring_and_expired_set_asides() {
    let v = ok(settlement(json!({"reserves": [
        {"year": 2020, "amount": "50000", "used": "50000"},   // used: fine
        {"year": 2021, "amount": "150000", "used": "100000"}, // use by 2026: expired
        {"year": 2022, "amount": "80000"},                     // use by 2027: expires next year
        {"year": 2024, "amount": "10000"}                      // open
    ]})));
    let states: Vec<&str> = v["settlement"]["reserves"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["state"].as_str().unwrap())
        .collect();
    assert_eq!(
        states,
        ["used", "expired", "expires_next_year", "open", "open"]
    );
    let codes = warning_codes(&v);
    assert_eq!(codes, ["reserve_expired", "reserve_expiring"]);
    // 80,000 + 10,000 + 400,000 may still be used; the expired 50,000 is listed, not
    // counted.
    assert_eq!(v["settlement"]["reserves"][1]["remaining"], "50000");
    assert_eq!(v["settlement"]["reserves_remaining"], "490000.00");
}

#[test]
fn this_year_s_set_aside_follows_use_within_years_as_the_earlier_ones_do() {
    // Used within 1 year: this year's set-aside (400,000) must be used next year, its last
    // year of use, as an earlier one with the same last year is (2025's, by 2027).
    let v = ok(settlement(json!({"use_within_years": 1})));
    let s = &v["settlement"];
    assert_eq!(s["reserves"][0]["year"], 2026);
    assert_eq!(s["reserves"][0]["use_by"], 2027);
    assert_eq!(s["reserves"][0]["state"], "expires_next_year");
    assert_eq!(
        code_paths(&v["warnings"]),
        [("reserve_expiring".into(), "settlement.set_aside".into())]
    );
    assert_eq!(s["reserves_remaining"], "400000.00");
    // Used within 0 years: never usable, refused rather than counted as available.
    let e = errors(settlement(json!({"use_within_years": 0})));
    assert_eq!(
        e,
        [("not_positive".into(), "settlement.use_within_years".into())]
    );
}

#[test]
fn settlement_errors_name_the_field() {
    let e = errors(settlement(json!({"spread_years": 0})));
    assert_eq!(
        e,
        [("not_positive".into(), "settlement.spread_years".into())]
    );
    // The regulation cannot enter the cost base of the year being settled.
    let e = errors(settlement(json!({"regulation_year_offset": 0})));
    assert_eq!(
        e,
        [(
            "not_positive".into(),
            "settlement.regulation_year_offset".into()
        )]
    );
    // Each count of years past the limit, at its own path.
    let e = errors(settlement(
        json!({"spread_years": 60, "regulation_year_offset": 70,
                                     "use_within_years": 80}),
    ));
    assert_eq!(
        e,
        [
            ("out_of_range".into(), "settlement.spread_years".into()),
            (
                "out_of_range".into(),
                "settlement.regulation_year_offset".into()
            ),
            ("out_of_range".into(), "settlement.use_within_years".into())
        ]
    );
    let e = errors(settlement(json!({"set_aside": "500000"})));
    assert_eq!(e, [("out_of_range".into(), "settlement.set_aside".into())]);
    let e = errors(settlement(
        json!({"set_aside_cap_pct": 120, "budget": "-1"}),
    ));
    assert!(e.contains(&("out_of_range".into(), "settlement.set_aside_cap_pct".into())));
    assert!(e.contains(&("not_positive".into(), "settlement.budget".into())));
    let e = errors(settlement(json!({"budget": "0"})));
    assert_eq!(e, [("not_positive".into(), "settlement.budget".into())]);
    let e = errors(settlement(
        json!({"reserves": [{"year": 2021, "amount": "5", "used": "6"}],
        "municipalities": [{"municipality": "A", "days": 1}, {"municipality": "A", "days": 2}]}),
    ));
    assert!(e.contains(&("out_of_range".into(), "settlement.reserves[0].used".into())));
    assert!(e.contains(&(
        "duplicate_id".into(),
        "settlement.municipalities[1].municipality".into()
    )));
}

// --- Partnership --------------------------------------------------------------------------

fn partnership(extra: Value) -> Value {
    let mut p = json!({"name": "MultifunC", "financing_base": "20000000", "expected_days": "4000",
        "fixed_share_pct": 25,
        "partners": [{"municipality": "Aarhus", "expected_days": "1500"},
                     {"municipality": "Randers", "expected_days": "500"}]});
    takst_merge(&mut p, &extra);
    json!({"version": 1, "partnership": p})
}

#[test]
fn partnership_worked_by_hand() {
    // Full tariff 20,000,000 ÷ 4,000 = 5,000. Fixed payment 25 % = 5,000,000, over the
    // partners' 2,000 days = 2,500 a day, so the partner tariff is 5,000 − 2,500 = 2,500.
    let v = ok(partnership(json!({})));
    let p = &v["partnership"];
    assert_eq!(p["full_tariff"], "5000");
    assert_eq!(p["partner_tariff"], "2500");
    assert_eq!(p["fixed_payment"], "5000000.00");
    // Split by expected days 1,500 : 500.
    assert_eq!(p["partners"][0]["contribution"], "3750000.00");
    assert_eq!(p["partners"][1]["contribution"], "1250000.00");
    // Break-even: 3,750,000 ÷ (5,000 − 2,500) = 1,500 days, its expected days.
    assert_eq!(d(&p["partners"][0]["break_even_days"]), Decimal::from(1500));
    // At 100 %: 3,750,000 + 1,500 × 2,500 = 7,500,000 = 1,500 × 5,000.
    let at100 = &p["partners"][0]["usage"][2];
    assert_eq!(d(&at100["as_partner"]), Decimal::from(7_500_000));
    assert_eq!(d(&at100["as_non_partner"]), Decimal::from(7_500_000));
    // At 50 %: 3,750,000 + 750 × 2,500 = 5,625,000 against 3,750,000.
    let at50 = &p["partners"][0]["usage"][0];
    assert_eq!(d(&at50["saving"]), Decimal::from(-1_875_000));
    // Revenue at the expected days: 5,000,000 + 2,000 × 2,500 + 2,000 × 5,000.
    assert_eq!(d(&p["revenue"]), Decimal::from(20_000_000));
    assert_eq!(d(&p["residue"]), Decimal::ZERO);

    // An agreed key 60 : 40 moves the break-even: 3,000,000 ÷ 2,500 = 1,200 days.
    let v = ok(partnership(json!({"key": "agreed", "partners": [
        {"municipality": "Aarhus", "expected_days": "1500", "key": 60},
        {"municipality": "Randers", "expected_days": "500", "key": 40}]})));
    let p = &v["partnership"];
    assert_eq!(p["partners"][0]["contribution"], "3000000.00");
    assert_eq!(d(&p["partners"][0]["break_even_days"]), Decimal::from(1200));
    assert_eq!(d(&p["partners"][1]["break_even_days"]), Decimal::from(800));
}

#[test]
fn a_partners_course_at_the_offers_tariffs_is_warned_of() {
    // takst bills courses at the offer's tariffs, a partner's too: not silently.
    let request = |municipality: &str| {
        json!({"version": 1,
            "offer": {"id": "m", "name": "M", "year": 2026, "kind": "residential",
                      "capacity": {"places": 8}, "occupancy": {"budgeted_pct": "96"},
                      "costs": [{"label": "Løn", "category": "wages", "amount": "23360000"}]},
            "partnership": {"fixed_share_pct": 25,
                            "partners": [{"municipality": "Aarhus", "expected_days": "1460"}]},
            "courses": [{"municipality": municipality, "start": "2026-01-01",
                         "phases": [{"service": "average", "months": 12}]}],
            "options": {"explain": false}})
    };
    let warned = |v: &Value| -> Vec<Value> {
        v["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|w| w["code"] == "partner_billed_full_tariff")
            .cloned()
            .collect()
    };
    let v = ok(request("Aarhus"));
    let w = warned(&v);
    assert_eq!(w.len(), 1);
    assert_eq!(w[0]["path"], "partnership");
    assert!(w[0]["message"].as_str().unwrap().contains("Aarhus"));
    // 23,360,000 ÷ (8 × 365 × 96 % = 2,803.2 days) = 8,333.33… → 8,333 a day, billed in full.
    assert_eq!(v["courses"][0]["lines"][0]["tariff"], "8333");
    // A non-partner pays the full tariff: nothing to warn of.
    assert!(warned(&ok(request("Skive"))).is_empty());
}

#[test]
fn partnership_errors_name_the_field() {
    let e = errors(partnership(json!({"fixed_share_pct": -5})));
    assert_eq!(
        e,
        [("out_of_range".into(), "partnership.fixed_share_pct".into())]
    );
    let e = errors(partnership(json!({"fixed_share_pct": 125})));
    assert_eq!(
        e,
        [("out_of_range".into(), "partnership.fixed_share_pct".into())]
    );
    let e = errors(partnership(json!({"key": "agreed"})));
    assert!(e.contains(&("missing_field".into(), "partnership.partners[0].key".into())));
    let e = errors(partnership(json!({"partners": [
        {"municipality": "Aarhus", "expected_days": "5000"}]})));
    assert_eq!(e, [("out_of_range".into(), "partnership.partners".into())]);
    // Partners expecting under 25 % of the days would get a negative tariff.
    let e = errors(partnership(json!({"partners": [
        {"municipality": "Aarhus", "expected_days": "100"}]})));
    assert_eq!(e, [("out_of_range".into(), "partnership.partners".into())]);
}

// --- Base funding -------------------------------------------------------------------------

fn funding(sources: Value, municipalities: Value) -> Value {
    json!({"version": 1, "base_funding": {"cost_base": "10000000", "expected_days": "2000",
        "sources": sources, "municipalities": municipalities}})
}

#[test]
fn base_funding_worked_by_hand() {
    // 10,000,000 − 1,000,000 (state) − 1,000,000 (municipalities) = 8,000,000 over 2,000
    // days = 4,000 a day (5,000 without). The municipal million by population 300,000 :
    // 100,000 = 750,000 : 250,000; by an agreed key 1 : 2 = 333,333.33 : 666,666.67.
    let towns = json!([{"municipality": "Aarhus", "population": 300000},
                       {"municipality": "Skive", "population": 100000}]);
    let v = ok(funding(
        json!([{"label": "Stat", "kind": "state", "amount": "1000000"},
               {"label": "Objektiv finansiering", "kind": "municipalities", "amount": "1000000",
                "split": "population"}]),
        towns.clone(),
    ));
    let f = &v["base_funding"];
    assert_eq!(f["day_tariff_without"], "5000");
    assert_eq!(f["day_tariff"], "4000");
    assert_eq!(f["sources"][1]["contributions"][0]["amount"], "750000.00");
    assert_eq!(f["sources"][1]["contributions"][1]["amount"], "250000.00");
    assert_eq!(d(&f["revenue"]), Decimal::from(10_000_000));

    let v = ok(funding(
        json!([{"label": "Abonnement", "kind": "municipalities", "amount": "1000000",
                "split": "key", "key": [{"municipality": "Aarhus", "weight": 1},
                                        {"municipality": "Skive", "weight": 2}]}]),
        towns,
    ));
    let parts = &v["base_funding"]["municipalities"];
    assert_eq!(parts[0]["amount"], "333333.33");
    assert_eq!(parts[1]["amount"], "666666.67");
}

#[test]
fn base_funding_taken_from_an_offer_is_subtracted_once() {
    // An offer of 10 places at 100 %: 3,650 days. Wages 3,650,000 and a state grant of
    // 365,000 entered as its cost line of category base_funding: the offer's average is
    // (3,650,000 − 365,000) ÷ 3,650 = 900. The section takes the cost base before that line,
    // 3,650,000: without the funding 1,000, with it 900, the offer's own figure (not
    // (3,285,000 − 365,000) ÷ 3,650 = 800, the grant subtracted twice).
    let request = |line: Option<&str>, source: &str| {
        let mut costs = vec![json!({"label": "Løn", "category": "wages", "amount": "3650000"})];
        if let Some(amount) = line {
            costs.push(
                json!({"label": "Statstilskud", "category": "base_funding", "amount": amount}),
            );
        }
        json!({"version": 1,
            "offer": {"name": "X", "year": 2026, "kind": "residential",
                      "capacity": {"places": 10}, "occupancy": {"budgeted_pct": 98},
                      "costs": costs},
            "base_funding": {"sources": [{"label": "Statstilskud", "kind": "state", "amount": source}]},
            "options": {"explain": false}})
    };
    let codes = |v: &Value| -> Vec<String> {
        v["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|w| w["code"].as_str().unwrap().to_string())
            .collect()
    };
    // 98 %: 3,577 days. Average (3,650,000 − 365,000) ÷ 3,577 = 918.367… → 918.
    let v = ok(request(Some("365000"), "365000"));
    let f = &v["base_funding"];
    assert_eq!(f["cost_base"], "3650000");
    assert_eq!(
        f["chained"],
        json!(["cost_base", "expected_days", "rounding"])
    );
    assert_eq!(f["day_tariff_without"], "1020"); // 3,650,000 ÷ 3,577 = 1,020.408…
    assert_eq!(f["day_tariff"], "918");
    assert_eq!(v["tariff_sheet"]["average"]["day"], "918");
    assert!(codes(&v).is_empty(), "{:?}", codes(&v));

    // Sources that are not the offer's line: the section's tariff, (3,650,000 − 300,000) ÷
    // 3,577 = 936.539… → 937, is not the offer's 918, and the response says so.
    let v = ok(request(Some("365000"), "300000"));
    assert_eq!(v["base_funding"]["day_tariff"], "937");
    assert_eq!(codes(&v), ["base_funding_not_in_offer"]);
    assert_eq!(v["warnings"][0]["path"], "base_funding.sources");
    // An offer without the line: its tariffs carry no funding (1,020), the section's 918 is
    // not them, and the response says so too.
    let v = ok(request(None, "365000"));
    assert_eq!(v["base_funding"]["cost_base"], "3650000");
    assert_eq!(v["base_funding"]["day_tariff"], "918");
    assert_eq!(v["tariff_sheet"]["average"]["day"], "1020");
    assert_eq!(codes(&v), ["base_funding_not_in_offer"]);
}

#[test]
fn base_funding_errors_name_the_field() {
    let towns = json!([{"municipality": "Aarhus", "population": 300000}]);
    let e = errors(funding(
        json!([{"label": "Abonnement", "kind": "municipalities", "amount": "1000",
                "split": "key", "key": [{"municipality": "Viborg", "weight": 1}]}]),
        towns.clone(),
    ));
    assert_eq!(
        e,
        [(
            "unknown_reference".into(),
            "base_funding.sources[0].key[0].municipality".into()
        )]
    );
    let e = errors(funding(
        json!([{"label": "Stat", "kind": "state", "amount": "20000000"}]),
        towns.clone(),
    ));
    assert_eq!(e, [("out_of_range".into(), "base_funding.sources".into())]);
    // A source's label keys its figures: two sources of one label are refused.
    let e = errors(funding(
        json!([{"label": "Stat", "kind": "state", "amount": "1000"},
               {"label": "Stat", "kind": "state", "amount": "2000"}]),
        towns.clone(),
    ));
    assert_eq!(
        e,
        [(
            "duplicate_id".into(),
            "base_funding.sources[1].label".into()
        )]
    );
    let e = errors(funding(
        json!([{"label": "Kommuner", "kind": "municipalities", "amount": "-1"}]),
        towns,
    ));
    assert!(e.contains(&("negative".into(), "base_funding.sources[0].amount".into())));
    assert!(e.contains(&(
        "missing_field".into(),
        "base_funding.sources[0].split".into()
    )));
}

// --- Special arrangements, ambulant services ----------------------------------------------

#[test]
fn special_arrangement_worked_by_hand() {
    // 365,000 (house) + 3,285,000 (staff) over 2026's 365 days = 10,000 a day. Ending on 30
    // June bills 181 days and leaves 184: the house's 365,000 × 184 ÷ 365 = 184,000, and 30
    // days' notice of staff 3,285,000 × 30 ÷ 365 = 270,000 uncovered.
    let v = ok(json!({"version": 1, "special_arrangements": [{
        "name": "Projekt", "start": "2026-01-01", "end": "2026-12-31",
        "fixed_costs": [{"label": "Hus", "amount": "365000"}],
        "staffing": [{"label": "Personale", "amount": "3285000"}],
        "early_end": {"date": "2026-06-30", "staff_notice_days": 30}}]}));
    let s = &v["special_arrangements"][0];
    assert_eq!(s["days"], 365);
    assert_eq!(s["day_price"], "10000");
    assert_eq!(s["early_end"]["billed_days"], 181);
    assert_eq!(s["early_end"]["uncovered_fixed"], "184000.00");
    assert_eq!(s["early_end"]["uncovered_staffing"], "270000.00");
    assert_eq!(s["early_end"]["uncovered"], "454000.00");
    assert_eq!(d(&s["early_end"]["revenue"]), Decimal::from(1_810_000));

    let e = errors(json!({"version": 1, "special_arrangements": [{
        "name": "Projekt", "start": "2026-05-01", "end": "2026-04-30",
        "staffing": [{"label": "Personale", "amount": "1"}]}]}));
    assert_eq!(
        e,
        [("out_of_range".into(), "special_arrangements[0].end".into())]
    );
}

#[test]
fn ambulant_rate_worked_by_hand() {
    // (2,400,000 + 1,200,000) × 1.06 = 3,816,000 over 3,300 hours = 1,156.3636… → 1,156 kr.
    // A product from the published rate (the default): 2.5 hours × 1,156 = 2,890, as a
    // reader of the sheet prices it; from the exact rate: 2.5 × 1,156.3636… = 2,890.909… →
    // 2,891.
    let v = ok(json!({"version": 1, "ambulant": {
        "staff_costs": [{"label": "Psykologer", "amount": "2400000"},
                        {"label": "Socialrådgivere", "amount": "1200000"}],
        "overhead": {"pct": 6}, "productive_hours": 3300,
        "products": [{"id": "s", "name": "Supervision", "hours": "2.5"}]}}));
    assert_eq!(v["ambulant"]["hourly_rate"], "1156");
    assert_eq!(v["ambulant"]["products"][0]["price"], "2890");
    let v = ok(json!({"version": 1, "ambulant": {
        "staff_costs": [{"label": "Psykologer", "amount": "2400000"},
                        {"label": "Socialrådgivere", "amount": "1200000"}],
        "overhead": {"pct": 6}, "productive_hours": 3300, "product_pricing": "exact_rate",
        "products": [{"id": "s", "name": "Supervision", "hours": "2.5"}]}}));
    assert_eq!(v["ambulant"]["products"][0]["price"], "2891");
    // The published example: 3 lessons × 775 = 2,325.
    let v = ok(json!({"version": 1, "ambulant": {
        "staff_costs": [{"label": "Undervisere", "amount": "1550000"}],
        "productive_hours": "2000.6",
        "products": [{"id": "u", "name": "3 lektioner", "hours": "3"}]}}));
    assert_eq!(v["ambulant"]["hourly_rate"], "775"); // 1,550,000 ÷ 2,000.6 = 774.77…
    assert_eq!(v["ambulant"]["products"][0]["price"], "2325");
    let e = errors(json!({"version": 1, "ambulant": {
        "staff_costs": [{"label": "x", "amount": "1"}], "overhead": {"pct": 6, "amount": 1},
        "productive_hours": 0}}));
    assert!(e.contains(&("conflict".into(), "ambulant.overhead".into())));
    assert!(e.contains(&("not_positive".into(), "ambulant.productive_hours".into())));
}

#[test]
fn ambulant_overhead_above_the_cap_is_warned_of() {
    let request = |overhead: Value, cap: Option<&str>| {
        let mut a = json!({"staff_costs": [{"label": "Psykologer", "amount": "3000000"}],
            "overhead": overhead, "productive_hours": 3000});
        if let Some(cap) = cap {
            a["overhead_cap_pct"] = json!(cap);
        }
        json!({"version": 1, "ambulant": a})
    };
    let codes = |v: &Value| code_paths(&v["warnings"]);
    // 6 % of 3,000,000 is at the default cap of 6 %, and 180,000 kr is too.
    assert!(codes(&ok(request(json!({"pct": 6}), None))).is_empty());
    assert!(codes(&ok(request(json!({"amount": "180000"}), None))).is_empty());
    // 180,001 kr is 6.0000333… %: above, and said so as an offer's overhead is, to four
    // decimals marked "…", rounded up so that it never reads as the cap itself.
    let v = ok(request(json!({"amount": "180001"}), None));
    assert_eq!(
        codes(&v),
        [("overhead_above_cap".into(), "ambulant.overhead".into())]
    );
    assert_eq!(
        v["warnings"][0]["message_da"],
        "Overhead udgør 6,0001… % af personaleomkostningerne, over det aftalte loft på 6 %."
    );
    // 6.5 % is within an agreed cap of 10 %.
    assert!(codes(&ok(request(json!({"pct": "6.5"}), Some("10")))).is_empty());
    // Overhead without staff costs: no cap can measure it.
    let mut r = request(json!({"amount": "1000"}), None);
    r["ambulant"]["staff_costs"] = json!([{"label": "Psykologer", "amount": "0"}]);
    let v = ok(r);
    assert_eq!(
        codes(&v),
        [("overhead_above_cap".into(), "ambulant.overhead".into())]
    );
}

#[test]
fn ambulant_products_are_keyed_by_id() {
    // Two products of one name: two keys (their ids), each labelled with the name.
    let v = ok(
        json!({"version": 1, "options": {"explain": true}, "ambulant": {
        "staff_costs": [{"label": "Psykologer", "amount": "3000000"}],
        "productive_hours": 3000,
        "products": [{"id": "kort", "name": "Udredning", "hours": "10"},
                     {"id": "lang", "name": "Udredning", "hours": "20"}]}}),
    );
    assert_eq!(node_value(&v, "ambulant.product.kort.price"), "10000");
    assert_eq!(node_value(&v, "ambulant.product.lang.price"), "20000");
    let labels: Vec<_> = v["explanation"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["key"].as_str().unwrap().starts_with("ambulant.product."))
        .map(|n| n["label"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        labels,
        [
            "Udredning, timer",
            "Udredning, pris",
            "Udredning, timer",
            "Udredning, pris"
        ]
    );
}

// --- The buyer's side ---------------------------------------------------------------------

#[test]
fn buyer_net_cost_of_a_course_and_a_case() {
    // A private provider, all of the price VAT-bearing: refund 2,900,000 × 25/125 = 580,000;
    // 2,320,000 left; § 176 (2020 brackets): 25 % × 960,000 + 50 % × 270,000 = 375,000.
    let v = ok(json!({"version": 1, "buyer": {"private_provider": true,
        "refund": [{"year": 2026, "brackets": [{"from": "1090000", "pct": 25},
                                                {"from": "2050000", "pct": 50}]}],
        "costs": [{"citizen": "b1", "year": 2026, "amount": "2900000"}]}}));
    let c = &v["buyer"]["cases"][0];
    assert_eq!(c["vat_refund"], "580000"); // whole kroner (BEK 891/2025 § 10)
    assert_eq!(c["refund_176"], "375000.00");
    assert_eq!(c["net"], "1945000.00");

    // A course's year totals count as the citizen's cost.
    let sheet = takst::Offer::sample().compute().unwrap().sheet;
    let v = ok(json!({"version": 1, "catalogue": sheet,
        "courses": [{"id": "b2", "start": "2026-03-01",
                     "phases": [{"service": "udredning", "months": 1}]}],
        "buyer": {"costs": [{"citizen": "b2", "year": 2026, "amount": "1000"}]}}));
    let course_total = d(&v["courses"][0]["total"]);
    assert_eq!(
        d(&v["buyer"]["cases"][0]["gross"]),
        course_total + Decimal::from(1000)
    );
    assert_eq!(
        d(&v["buyer"]["cases"][0]["net"]),
        course_total + Decimal::from(1000)
    );

    // The statement of one municipality counts its own courses and those without a paying
    // municipality, and says which it left out: 1,000.50 a day, one day each.
    let sheet = json!({"format": "takst/tariff-sheet", "version": 1,
        "offer": {"id": "x", "name": "X", "kind": "residential", "year": 2026},
        "day_basis": 365, "rounding": {"increment": "1", "mode": "half_away_from_zero"},
        "average": {"day": "1000"},
        "services": [{"id": "s", "name": "S", "tariff": {"day": "1000.50"}}]});
    let course = |id: &str, municipality: Option<&str>| {
        let mut c = json!({"id": id, "start": "2026-01-01",
                           "phases": [{"service": "s", "days": 1}]});
        if let Some(m) = municipality {
            c["municipality"] = json!(m);
        }
        c
    };
    let v = ok(
        json!({"version": 1, "catalogue": sheet.clone(), "options": {"explain": false},
        "courses": [course("a1", Some("Aarhus")), course("s1", Some("Skive")),
                    course("s2", Some("Skive")), course("n1", None)],
        "buyer": {"municipality": "Aarhus", "private_provider": true}}),
    );
    let cases = v["buyer"]["cases"].as_array().unwrap();
    let citizens: Vec<_> = cases
        .iter()
        .map(|c| c["citizen"].as_str().unwrap())
        .collect();
    assert_eq!(citizens, ["a1", "n1"]);
    assert_eq!(cases[0]["gross"], "1000.50");
    assert_eq!(v["buyer"]["years"][0]["gross"], "2001.00");
    let w: Vec<_> = v["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|w| w["code"] == "buyer_other_municipality")
        .collect();
    assert_eq!(w.len(), 1, "{}", v["warnings"]);
    assert_eq!(w[0]["path"], "courses[1].municipality");
    assert_eq!(
        w[0]["message"],
        "2 courses paid by \"Skive\" are not in the statement of \"Aarhus\""
    );
    // Without a municipality the statement is of every course, as before.
    let v = ok(
        json!({"version": 1, "catalogue": sheet, "options": {"explain": false},
        "courses": [course("a1", Some("Aarhus")), course("s1", Some("Skive"))],
        "buyer": {"private_provider": true}}),
    );
    assert_eq!(v["buyer"]["cases"].as_array().unwrap().len(), 2);

    let e = errors(
        json!({"version": 1, "buyer": {"refund": [{"year": 2026, "brackets": [
        {"from": "2000", "pct": 25}, {"from": "1000", "pct": 150}]}]}}),
    );
    assert!(e.contains(&(
        "out_of_range".into(),
        "buyer.refund[0].brackets[1].from".into()
    )));
    assert!(e.contains(&(
        "out_of_range".into(),
        "buyer.refund[0].brackets[1].pct".into()
    )));
}

// --- Scenarios ----------------------------------------------------------------------------

/// The scenario tests' tariff sheet: Elbæk's residential offer of 2026 with `services`.
fn elbaek(services: Value) -> Value {
    json!({"format": "takst/tariff-sheet", "version": 1,
        "offer": {"id": "elbaek", "name": "Elbæk", "kind": "residential", "year": 2026},
        "day_basis": 365, "rounding": {"increment": "1"}, "services": services})
}

#[test]
fn a_scenario_pairs_a_course_s_figures_by_its_id_not_its_place() {
    // Citizen A's course left out of the caseload: B's and C's courses are the same courses
    // (by their ids), so the only changes are A's figures, gone; B's figures are not paired
    // with A's nor C's with B's.
    let catalogue = elbaek(json!([
        {"id": "udredning", "name": "Udredningsmodul", "tariff": {"day": "4801"}},
        {"id": "udvikling", "name": "Udviklingsmodul", "tariff": {"day": "3716"}}]));
    let course = |id: &str, service: &str, months: u32| {
        json!({"id": id, "start": "2026-03-01",
               "phases": [{"service": service, "months": months}]})
    };
    let all = json!([
        course("A", "udredning", 2),
        course("B", "udvikling", 3),
        course("C", "udredning", 4)
    ]);
    let without_a = json!([course("B", "udvikling", 3), course("C", "udredning", 4)]);
    let v = ok(json!({"version": 1, "catalogue": catalogue, "courses": all,
        "scenarios": [{"name": "Uden A", "changes": {"courses": without_a}}],
        "options": {"explain": false}}));
    let changes = v["scenarios"][0]["changes"].as_array().unwrap();
    assert!(!changes.is_empty());
    // Every change is one of A's figures (course[0] in the request), and it is gone.
    for c in changes {
        assert!(
            c["key"].as_str().unwrap().starts_with("course[0]") && c["after"].is_null(),
            "{c}"
        );
    }
    let total = changes
        .iter()
        .find(|c| c["key"] == "course[0].total")
        .unwrap();
    // 31 + 30 days × 4,801.
    assert_eq!(total["before"], "292861");
}

#[test]
fn a_scenario_that_changes_only_what_no_figure_holds_says_so() {
    // Skive pays instead of Aarhus: the caseload's budget moves from one municipality to the
    // other, and no figure of the explanation changes. `changes` is empty, and a warning says
    // that the response changed all the same; a scenario changing nothing has neither.
    let catalogue = elbaek(json!([{"id": "udvikling", "name": "Udviklingsmodul",
        "tariff": {"day": "3716"}}]));
    let course = |municipality: &str, months: u32| {
        json!([{"id": "A", "municipality": municipality, "start": "2026-03-01",
                "phases": [{"service": "udvikling", "months": months}]}])
    };
    let v = ok(
        json!({"version": 1, "catalogue": catalogue, "courses": course("Aarhus", 2),
        "scenarios": [
            {"name": "Skive betaler", "changes": {"courses": course("Skive", 2)}},
            {"name": "Uændret", "changes": {"courses": course("Aarhus", 2)}},
            {"name": "En måned mere", "changes": {"courses": course("Skive", 3)}}
        ],
        "options": {"explain": false, "caseload": true}}),
    );
    let scenarios = v["scenarios"].as_array().unwrap();
    assert_eq!(scenarios[0]["changes"], json!([]));
    assert_eq!(
        scenarios[0]["response"]["caseload"][0]["municipality"],
        "Skive"
    );
    // 31 + 30 days × 3,716 (March and April).
    assert_eq!(
        scenarios[0]["response"]["caseload"][0]["total"],
        "226676.00"
    );
    assert_eq!(scenarios[1]["changes"], json!([]));
    assert!(!scenarios[2]["changes"].as_array().unwrap().is_empty());
    let warned: Vec<(&str, &str)> = v["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| (w["code"].as_str().unwrap(), w["path"].as_str().unwrap()))
        .filter(|w| w.0 != "no_average_tariff")
        .collect();
    assert_eq!(
        warned,
        [("scenario_changes_outside_figures", "scenarios[0]")]
    );
}

#[test]
fn a_scenario_that_changes_only_a_course_s_warning_is_not_warned_of() {
    // Notice given five days later still runs past the planned end: the course is billed
    // alike and only the warning's dates differ. Warnings are not compared, so the response
    // is the same where it is compared: no `scenario_changes_outside_figures` (a quote's own
    // copy of its warnings, which the response does not write, was compared).
    let catalogue = elbaek(json!([{"id": "udvikling", "name": "Udviklingsmodul",
        "tariff": {"day": "3716"}}]));
    let course = |given: &str| {
        json!([{"id": "A", "municipality": "Aarhus", "start": "2026-03-01",
                "phases": [{"service": "udvikling", "months": 1}],
                "changes": [{"terminate": {"notice_given": given}}]}])
    };
    let v = ok(
        json!({"version": 1, "catalogue": catalogue, "courses": course("2026-03-20"),
        "scenarios": [{"name": "Senere opsigelse", "changes": {"courses": course("2026-03-25")}}],
        "options": {"explain": false}}),
    );
    let scenario = &v["scenarios"][0];
    assert_eq!(scenario["changes"], json!([]));
    assert_eq!(scenario["response"]["courses"], v["courses"]);
    assert_ne!(scenario["response"]["warnings"], v["warnings"]);
    let codes = warning_codes(&v);
    assert!(
        !codes.contains(&"scenario_changes_outside_figures"),
        "{codes:?}"
    );
}

#[test]
fn a_scenario_that_only_leaves_the_lines_out_changes_nothing() {
    // `options.lines = false` leaves a value out, it changes none: the scenario's response
    // is the request's own without the quotes' lines, with no `changes` and no warning (it
    // was warned of as a change outside the figures).
    let v = ok(json!({"version": 1,
        "catalogue": elbaek(json!([{"id": "udvikling", "name": "Udviklingsmodul",
            "tariff": {"day": "3716"}}])),
        "courses": [{"start": "2026-03-01", "phases": [{"service": "udvikling", "months": 1}]}],
        "scenarios": [{"name": "Uden linjer", "changes": {"options": {"lines": false}}}],
        "options": {"explain": false}}));
    let scenario = &v["scenarios"][0];
    assert_eq!(scenario["changes"], json!([]));
    let quote = &scenario["response"]["courses"][0];
    assert!(quote.get("lines").is_none(), "{quote}");
    // 31 days × 3,716.
    assert_eq!(quote["total"], "115196.00");
    assert_eq!(v["courses"][0]["lines"].as_array().map(Vec::len), Some(1));
    let codes = warning_codes(&v);
    assert_eq!(codes, ["no_average_tariff"]);
    // Not the other way round: a request without lines whose scenario shows them, billed in
    // advance (invoice dates a month earlier, which only the lines hold), is warned of.
    let v = ok(json!({"version": 1,
        "catalogue": elbaek(json!([{"id": "udvikling", "name": "Udviklingsmodul",
            "tariff": {"day": "3716"}}])),
        "courses": [{"start": "2026-03-01", "phases": [{"service": "udvikling", "months": 1}]}],
        "scenarios": [{"name": "Forud", "changes": {"billing": {"in_advance": true},
                                                   "options": {"lines": true}}}],
        "options": {"explain": false, "lines": false}}));
    let scenario = &v["scenarios"][0];
    assert_eq!(scenario["changes"], json!([]));
    assert_eq!(
        scenario["response"]["courses"][0]["lines"][0]["invoice_date"],
        "2026-03-01"
    );
    assert_eq!(
        warning_codes(&v),
        ["no_average_tariff", "scenario_changes_outside_figures"]
    );
    assert_eq!(v["warnings"][1]["path"], "scenarios[0]");
}

#[test]
fn a_scenario_that_only_leaves_the_tariff_sheet_out_changes_nothing() {
    // `options.tariff_sheet = false` leaves the catalogue's echo out and changes no value:
    // no `changes`, no warning; the request's own response keeps its sheet.
    let request = |scenario: serde_json::Value, options: serde_json::Value| {
        json!({"version": 1,
            "catalogue": elbaek(json!([{"id": "udvikling", "name": "Udviklingsmodul",
                "tariff": {"day": "3716"}}])),
            "courses": [{"start": "2026-03-01", "phases": [{"service": "udvikling", "months": 1}]}],
            "scenarios": [{"name": "Uden takstblad", "changes": {"options": scenario}}],
            "options": options})
    };
    let v = ok(request(
        json!({"tariff_sheet": false}),
        json!({"explain": false}),
    ));
    let scenario = &v["scenarios"][0];
    assert_eq!(scenario["changes"], json!([]));
    assert!(scenario["response"].get("tariff_sheet").is_none());
    // 31 days × 3,716.
    assert_eq!(scenario["response"]["courses"][0]["total"], "115196.00");
    assert_eq!(v["tariff_sheet"]["services"][0]["tariff"]["day"], "3716");
    assert_eq!(warning_codes(&v), ["no_average_tariff"]);
    // The other way round, a scenario that shows a sheet the request leaves out is compared
    // with it, as one that shows the lines is: its response holds what the request's does
    // not.
    let v = ok(request(
        json!({"tariff_sheet": true}),
        json!({"explain": false, "tariff_sheet": false}),
    ));
    assert!(v.get("tariff_sheet").is_none());
    assert_eq!(
        v["scenarios"][0]["response"]["tariff_sheet"]["services"][0]["id"],
        "udvikling"
    );
    assert_eq!(
        warning_codes(&v),
        ["no_average_tariff", "scenario_changes_outside_figures"]
    );
}

#[test]
fn a_scenario_is_compared_with_the_quotes_also_when_they_are_handed_over_one_by_one() {
    // `evaluate_each` hands each quote over instead of keeping it: the scenario was then
    // compared with a response without quotes, and a scenario changing nothing was warned of.
    let request = json!({"version": 1,
        "catalogue": elbaek(json!([{"id": "udvikling", "name": "Udviklingsmodul",
            "tariff": {"day": "3716"}}])),
        "courses": [{"start": "2026-03-01", "phases": [{"service": "udvikling", "months": 1}]}],
        "scenarios": [{"name": "Uændret", "changes": {"options": {"caseload": false}}}],
        "options": {"explain": false}});
    let request = takst::Request::from_json(&request.to_string()).unwrap();
    let mut totals = Vec::new();
    let response = takst::evaluate_each(&request, &takst::Limits::default(), &mut |i, q| {
        totals.push((i, q.total.to_string()));
    });
    assert!(response.ok && response.courses.is_empty());
    // 31 days × 3,716.
    assert_eq!(totals, [(0, "115196.00".to_string())]);
    assert!(response.scenarios[0].changes.is_empty());
    assert!(response
        .warnings
        .iter()
        .all(|w| w.code() != takst::WarningCode::ScenarioChangesOutsideFigures));
}

#[test]
fn a_scenario_pairs_figures_by_what_they_are_not_by_their_place() {
    // A cost line put first moves the others; they are the same lines: only Kørsel is new.
    let costs = json!([{"label": "Løn", "category": "wages", "amount": "3000000"},
                       {"label": "Husleje", "category": "property", "amount": "500000"}]);
    let v = ok(json!({"version": 1,
        "offer": {"name": "X", "year": 2026, "kind": "residential",
                  "capacity": {"places": 10}, "occupancy": {"budgeted_pct": 96}, "costs": costs},
        "scenarios": [{"name": "Kørsel", "changes": {"offer": {"costs": [
            {"label": "Kørsel", "category": "operating", "amount": "200000"},
            {"label": "Løn", "category": "wages", "amount": "3000000"},
            {"label": "Husleje", "category": "property", "amount": "500000"}]}}}],
        "options": {"explain": false}}));
    let changes = v["scenarios"][0]["changes"].as_array().unwrap();
    let of_lines: Vec<(&str, Option<&str>, Option<&str>)> = changes
        .iter()
        .filter(|c| c["key"].as_str().unwrap().starts_with("cost["))
        .map(|c| {
            (
                c["label"].as_str().unwrap(),
                c["before"].as_str(),
                c["after"].as_str(),
            )
        })
        .collect();
    assert_eq!(of_lines, [("Kørsel", None, Some("200000"))]);
    // The cost base grows by exactly that: 3,500,000 → 3,700,000.
    let total = changes.iter().find(|c| c["key"] == "cost_base").unwrap();
    assert_eq!(
        (&total["before"], &total["after"]),
        (&json!("3500000"), &json!("3700000"))
    );

    // A course started a month later: April is 30 × 4,801 = 144,030 in both, so it is not a
    // change; May (31 × 4,801 = 148,831) is only after, March (the same) only before.
    let catalogue = elbaek(json!([{"id": "udredning", "name": "Udredningsmodul",
        "tariff": {"day": "4801"}}]));
    let v = ok(json!({"version": 1, "catalogue": catalogue,
        "courses": [{"start": "2026-03-01", "phases": [{"service": "udredning", "months": 2}]}],
        "scenarios": [{"name": "En måned senere", "changes": {"courses": [
            {"start": "2026-04-01", "phases": [{"service": "udredning", "months": 2}]}]}}],
        "options": {"explain": false}}));
    let changes = v["scenarios"][0]["changes"].as_array().unwrap();
    let lines: Vec<(Option<&str>, Option<&str>)> = changes
        .iter()
        .filter(|c| {
            c["key"].as_str().unwrap().ends_with(']')
                && c["key"].as_str().unwrap().contains(".line[")
        })
        .map(|c| (c["before"].as_str(), c["after"].as_str()))
        .collect();
    assert_eq!(lines, [(None, Some("148831")), (Some("148831"), None)]);
    assert!(changes
        .iter()
        .all(|c| !c["label"].as_str().unwrap().contains("april")));

    // Two courses; the first starts a month later, the second stays: nothing of the second
    // changes (its March is not the first's March).
    let two = |first: &str| {
        json!([{"start": first, "phases": [{"service": "udredning", "months": 2}]},
               {"start": "2026-03-01", "phases": [{"service": "udredning", "months": 2}]}])
    };
    let v = ok(json!({"version": 1, "catalogue": catalogue,
        "courses": two("2026-03-01"),
        "scenarios": [{"name": "Den første en måned senere", "changes": {"courses": two("2026-04-01")}}],
        "options": {"explain": false}}));
    let changes = v["scenarios"][0]["changes"].as_array().unwrap();
    assert!(!changes.is_empty());
    assert!(
        changes
            .iter()
            .all(|c| c["key"].as_str().unwrap().starts_with("course[0]")),
        "{changes:?}"
    );
}

#[test]
fn a_scenario_shows_what_changed_figure_by_figure() {
    let offer: Value =
        serde_json::from_str(&serde_json::to_string(&takst::Offer::sample()).unwrap()).unwrap();
    // The sample budgets the mean of 96.5 % and 97.5 % = 97 %; the variant 3 points lower,
    // given directly (`null` removes the previous years).
    assert_eq!(
        offer["occupancy"]["previous_years_pct"],
        json!(["96.5", "97.5"])
    );
    let v = ok(json!({"version": 1, "offer": offer,
        "scenarios": [{"name": "Belægning 3 point lavere",
                       "changes": {"offer": {"occupancy": {"previous_years_pct": null,
                                                           "budgeted_pct": 94}}}}],
        "options": {"explain": false}}));
    assert!(v.get("explanation").is_none());
    let s = &v["scenarios"][0];
    let changes = s["changes"].as_array().unwrap();
    let day = changes
        .iter()
        .find(|c| c["key"] == "average.day")
        .expect("the average day tariff changes");
    let before: Decimal = d(&day["before"]);
    let after: Decimal = d(&day["after"]);
    assert!(after > before, "lower occupancy raises the tariff");
    assert_eq!(d(&day["change"]), after - before);
    assert_eq!(
        s["response"]["tariff_sheet"]["average"]["day"],
        day["after"]
    );
    // Nothing that does not depend on occupancy changed.
    assert!(changes.iter().all(|c| c["key"] != "cost_base"));

    // A partner added.
    let mut req = partnership(json!({}));
    req["scenarios"] = json!([{"name": "Skive med", "changes": {"partnership": {"partners": [
        {"municipality": "Aarhus", "expected_days": "1500"},
        {"municipality": "Randers", "expected_days": "500"},
        {"municipality": "Skive", "expected_days": "400"}]}}}]);
    let v = ok(req);
    let changes = v["scenarios"][0]["changes"].as_array().unwrap();
    let tariff = changes
        .iter()
        .find(|c| c["key"] == "partnership.partner_tariff")
        .unwrap();
    // 5,000 − 5,000,000 ÷ 2,400 = 2,916.67 → 2,917.
    assert_eq!(tariff["before"], "2500");
    assert_eq!(tariff["after"], "2917");
    assert!(
        changes
            .iter()
            .any(|c| c["key"] == "partnership.partner.Skive.contribution"
                && c.get("before").is_none())
    );

    // Bad changes are reported under the scenario.
    let mut req = partnership(json!({}));
    req["scenarios"] = json!([{"name": "x", "changes": {"partnership": {"fixed_share_pct": 140}}}]);
    assert_eq!(
        errors(req),
        [(
            "out_of_range".into(),
            "scenarios[0].changes.partnership.fixed_share_pct".into()
        )]
    );

    // Every scenario's problems at once, not only the first failing one's.
    let mut req = partnership(json!({}));
    req["scenarios"] = json!([
        {"name": "a", "changes": {"partnership": {"fixed_share_pct": 140}}},
        {"name": "b", "changes": {"partnership": {"expected_dayz": 1}}},
        {"name": "c", "changes": {"partnershipp": {}}}]);
    assert_eq!(
        errors(req),
        [
            (
                "out_of_range".into(),
                "scenarios[0].changes.partnership.fixed_share_pct".into()
            ),
            (
                "unknown_field".into(),
                "scenarios[1].changes.partnership.expected_dayz".into()
            ),
            (
                "unknown_field".into(),
                "scenarios[2].changes.partnershipp".into()
            ),
        ]
    );

    // At most 1,000 errors listed, and a last one saying the list was cut, also when
    // they come from several scenarios (twelve scenarios of some 96 errors each, as a
    // variant's reading lists them, listed 1,152).
    let mut req = partnership(json!({}));
    let bad: Vec<Value> = (0..700).map(|_| json!({"startt": "2026-01-01"})).collect();
    req["scenarios"] = (0..12)
        .map(|i| json!({"name": i.to_string(), "changes": {"courses": bad}}))
        .collect();
    let e = errors(req);
    assert_eq!(e.len(), 1001);
    assert_eq!(e[1000], ("limit_exceeded".into(), String::new()));
    assert!(e[999].1.starts_with("scenarios[10]"), "{:?}", e[999]);
    // Each variant's reading stopped after its 64 passes and said so (it listed 96 problems
    // of the 2,100 without a word).
    assert!(e.contains(&("limit_exceeded".into(), "scenarios[0].changes".into())));

    // A scenario that turns the explanation off would hide every change (it showed none,
    // where the partner tariff moves from 2,500 to 2,917): refused, at what it changes.
    // (Removing `options` gives the defaults, explanation on: computed as asked.)
    for (options, at) in [
        (
            json!({"explain": false}),
            "scenarios[0].changes.options.explain",
        ),
        (
            json!({"explain": false, "quotes": false}),
            "scenarios[0].changes.options.explain",
        ),
    ] {
        let mut req = partnership(json!({}));
        req["options"] = json!({"explain": true});
        req["scenarios"] = json!([{"name": "Skive med", "changes": {"options": options,
            "partnership": {"partners": [
            {"municipality": "Aarhus", "expected_days": "1500"},
            {"municipality": "Randers", "expected_days": "500"},
            {"municipality": "Skive", "expected_days": "400"}]}}}]);
        assert_eq!(errors(req), [("conflict".into(), at.into())]);
    }
}

/// (key, before, after) of a scenario's changes whose key starts with `prefix`.
fn changed(v: &Value, prefix: &str) -> Vec<(String, Option<String>, Option<String>)> {
    v["scenarios"][0]["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["key"].as_str().unwrap().starts_with(prefix))
        .map(|c| {
            let text = |f: &str| c[f].as_str().map(str::to_string);
            (
                c["key"].as_str().unwrap().to_string(),
                text("before"),
                text("after"),
            )
        })
        .collect()
}

#[test]
fn a_scenario_pairs_a_municipality_s_share_and_a_usage_level_by_what_they_are() {
    // Randers put first among the municipalities of a population split of 1,000 kr: Aarhus
    // (300 of 500 inhabitants) 750 → 600, Skive 250 → 200, Randers 200 new. Keyed by place,
    // Aarhus's 750 was paired with Randers's 200.
    let town = |m: &str, p: u32| json!({"municipality": m, "population": p});
    let v = ok(json!({"version": 1,
        "base_funding": {"cost_base": "1000000", "expected_days": "1000",
            "sources": [{"label": "Objektiv", "kind": "municipalities", "amount": "1000",
                         "split": "population"}],
            "municipalities": [town("Aarhus", 300), town("Skive", 100)]},
        "scenarios": [{"name": "Randers med", "changes": {"base_funding": {"municipalities":
            [town("Randers", 100), town("Aarhus", 300), town("Skive", 100)]}}}],
        "options": {"explain": false}}));
    let s = |x: &str| Some(x.to_string());
    let parts: Vec<_> = changed(&v, "funding.source.Objektiv.part.")
        .into_iter()
        .filter(|(k, ..)| !k.ends_with(".weighted") && !k.ends_with(".floor"))
        .collect();
    assert_eq!(
        parts,
        [
            (
                "funding.source.Objektiv.part.Randers".into(),
                None,
                s("200")
            ),
            (
                "funding.source.Objektiv.part.Aarhus".into(),
                s("750"),
                s("600")
            ),
            (
                "funding.source.Objektiv.part.Skive".into(),
                s("250"),
                s("200")
            ),
        ]
    );

    // A usage level of 25 % put before the 100 %: Aarhus's figures at 100 % are unchanged
    // (1,500 days: 3,750,000 + 1,500 × 2,500 = 7,500,000 as a partner), the 25 % ones new
    // (375 days: 3,750,000 + 375 × 2,500 = 4,687,500).
    let mut req = partnership(json!({"usage_pct": [100]}));
    req["scenarios"] =
        json!([{"name": "25 %", "changes": {"partnership": {"usage_pct": [25, 100]}}}]);
    let v = ok(req);
    assert_eq!(
        changed(&v, "partnership.partner.Aarhus.usage[0].as_partner"),
        [(
            "partnership.partner.Aarhus.usage[0].as_partner".into(),
            None,
            s("4687500")
        )]
    );
    assert!(changed(&v, "partnership.partner.Aarhus.usage[1]").is_empty());
    let labels: Vec<&str> = v["scenarios"][0]["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["label"].as_str().unwrap())
        .collect();
    assert!(
        labels.contains(&"Udgift som partner ved forbrug på 25 %, Aarhus"),
        "{labels:?}"
    );
}

#[test]
fn a_citizen_s_second_course_is_a_figure_of_its_own_in_the_buyer_s_statement() {
    // Two courses of borger-1 in January, 10 days each at 1,000 kr; the second lengthened to
    // 20 days: its part 10,000 → 20,000 and the gross 20,000 → 30,000. Both courses' parts
    // had one key, and the second's change was not shown.
    let course = |start: &str, days: u32| json!({"id": "borger-1", "start": start, "phases": [{"service": "s", "days": days}]});
    let v = ok(json!({"version": 1,
        "catalogue": {"format": "takst/tariff-sheet", "version": 1, "day_basis": 365,
            "rounding": {"increment": "1"},
            "offer": {"name": "O", "kind": "residential", "year": 2026},
            "services": [{"id": "s", "name": "S", "tariff": {"day": "1000"}}]},
        "courses": [course("2026-01-01", 10), course("2026-01-05", 10)],
        "buyer": {"refund": [{"year": 2026, "brackets": [{"from": "0", "pct": 50}]}]},
        "scenarios": [{"name": "Længere", "changes": {"courses": [
            course("2026-01-01", 10), course("2026-01-05", 20)]}}],
        "options": {"explain": false}}));
    let s = |x: &str| Some(x.to_string());
    assert_eq!(
        changed(&v, "buyer.borger-1.2026."),
        [
            (
                "buyer.borger-1.2026.course[1]".into(),
                s("10000"),
                s("20000")
            ),
            ("buyer.borger-1.2026.gross".into(), s("20000"), s("30000")),
            (
                "buyer.borger-1.2026.refund_176".into(),
                s("10000"),
                s("15000")
            ),
            ("buyer.borger-1.2026.net".into(), s("10000"), s("15000")),
        ]
    );
}

#[test]
fn a_citizen_with_more_than_10_000_courses_in_a_year_is_past_the_buyer_s_limit() {
    // A citizen's courses of a year are numbered in their keys (`course[n]`): 101 one-day
    // stays are 101 figures, and the 10,001st course is named as past the limit.
    let course = json!({"id": "borger-1", "start": "2026-01-01",
                        "phases": [{"service": "s", "days": 1}]});
    let request = |n: usize, explain: bool| {
        json!({"version": 1,
            "catalogue": {"format": "takst/tariff-sheet", "version": 1, "day_basis": 365,
                "rounding": {"increment": "1"},
                "offer": {"name": "O", "kind": "residential", "year": 2026},
                "services": [{"id": "s", "name": "S", "tariff": {"day": "1000"}}]},
            "courses": vec![course.clone(); n],
            "buyer": {},
            "options": {"explain": explain, "quotes": false}})
    };
    assert_eq!(
        ok(request(101, false))["buyer"]["cases"][0]["gross"],
        "101000.00"
    );
    let r = takst::Request::from_json(&request(101, true).to_string()).unwrap();
    let response = takst::evaluate(&r);
    let ex = response.explanation.as_ref().unwrap();
    let last = ex.find("buyer.borger-1.2026.course[100]").unwrap();
    assert_eq!(last.label(), "Forløbets pris, borger-1, 2026 (forløb 101)");
    assert_eq!(
        errors(request(10_001, false)),
        [("limit_exceeded".into(), "courses[10000]".into())]
    );
}

#[test]
fn a_partner_without_a_share_of_the_fixed_payment_is_warned_of() {
    // Randers with 0 expected days pays 0 of the 5,000,000 and gets the partner tariff.
    let v = ok(partnership(json!({"partners": [
        {"municipality": "Aarhus", "expected_days": "2000"},
        {"municipality": "Randers", "expected_days": "0"}]})));
    assert_eq!(v["partnership"]["partners"][1]["contribution"], "0.00");
    assert_eq!(
        code_paths(&v["warnings"]),
        [(
            "partner_without_share".into(),
            "partnership.partners[1].expected_days".into()
        )]
    );
    let v = ok(partnership(json!({"key": "agreed", "partners": [
        {"municipality": "Aarhus", "expected_days": "1500", "key": "1"},
        {"municipality": "Randers", "expected_days": "500", "key": "0"}]})));
    assert_eq!(
        code_paths(&v["warnings"]),
        [(
            "partner_without_share".into(),
            "partnership.partners[1].key".into()
        )]
    );
}

#[test]
fn every_request_round_trips_through_its_json_form() {
    // Scenarios rebuild the request from its JSON form; nothing may be lost on the way.
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/cases");
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        let case: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let Ok(request) = takst::Request::from_json(&case["request"].to_string()) else {
            continue;
        };
        let again = takst::Request::from_json(&serde_json::to_string(&request).unwrap())
            .unwrap_or_else(|e| panic!("{}: {e:?}", path.display()));
        assert_eq!(again, request, "{}", path.display());
    }
}

/// SEL § 176 month by month (BEK 1485/2023 § 3) with the law's 2022-level thresholds
/// indexed to 2026 (illustrative rates 4.0, 3.0, 2.0, 2.5 %: factor 1.1199396) and rounded
/// to 10,000 kr: 860,000 → 963,148.06 → 960,000; 1,680,000 → 1,881,498.53 → 1,880,000;
/// 2,120,000 → 2,374,271.95 → 2,370,000. A citizen for six months (January–June 2026) at
/// 16,000 kr a day.
fn sel_176(method: &str) -> Value {
    ok(json!({"version": 1,
        "catalogue": {"format": "takst/tariff-sheet", "version": 1,
            "offer": {"id": "s", "name": "Særligt tilbud", "kind": "residential", "year": 2026},
            "day_basis": 365, "rounding": {"increment": "1", "mode": "half_away_from_zero"},
            "services": [{"id": "intensiv", "name": "Intensiv", "tariff": {"day": "16000"}}]},
        "courses": [{"id": "borger-1", "start": "2026-01-01",
                     "phases": [{"service": "intensiv", "until": "2026-06-30"}]}],
        "buyer": {"refund_method": method, "refund_levels": {"year": 2022,
            "brackets": [{"from": "860000", "pct": 25}, {"from": "1680000", "pct": 50},
                         {"from": "2120000", "pct": 75}],
            "rates_pct": [{"year": 2023, "pct": "4.0"}, {"year": 2024, "pct": "3.0"},
                          {"year": 2025, "pct": "2.0"}, {"year": 2026, "pct": "2.5"}]}},
        "options": {"explain": true}}))
}

fn node_value(v: &Value, key: &str) -> String {
    v["explanation"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["key"] == key)
        .unwrap_or_else(|| panic!("{key}"))["value"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn sel_176_is_worked_out_month_by_month_with_indexed_thresholds() {
    let v = sel_176("monthly");
    for (k, from) in ["960000", "1880000", "2370000"].iter().enumerate() {
        assert_eq!(
            node_value(&v, &format!("buyer.refund.2026.bracket[{k}].from")),
            *from
        );
    }
    let case = &v["buyer"]["cases"][0];
    // 31 × 16,000 = 496,000 in January, against 80,000 / 156,666.67 / 197,500 a month:
    // 25 % × 76,666.67 + 50 % × 40,833.33 + 75 % × 298,500 = 263,458.333… → 263,458.33.
    // February (28 days, 448,000): 39,583.33… + 75 % × 250,500 = 227,458.33;
    // April and June (480,000): 251,458.33.
    let months: Vec<(&str, &str)> = case["refund_176_months"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["month"].as_str().unwrap(), m["amount"].as_str().unwrap()))
        .collect();
    assert_eq!(
        months,
        [
            ("2026-01", "263458.33"),
            ("2026-02", "227458.33"),
            ("2026-03", "263458.33"),
            ("2026-04", "251458.33"),
            ("2026-05", "263458.33"),
            ("2026-06", "251458.33")
        ]
    );
    assert_eq!(case["gross"], "2896000.00");
    assert_eq!(case["refund_176"], "1520749.98");
    assert_eq!(case["net"], "1375250.02");
    // The year at once: 25 % × 920,000 + 50 % × 490,000 + 75 % × 526,000 = 869,500.
    let annual = sel_176("annual");
    assert_eq!(annual["buyer"]["cases"][0]["refund_176"], "869500.00");
    assert!(annual["buyer"]["cases"][0]
        .get("refund_176_months")
        .is_none());
}

#[test]
fn a_year_the_levels_do_not_reach_warns() {
    let mut r = json!({"version": 1, "buyer": {"refund_levels": {"year": 2022,
        "brackets": [{"from": "860000", "pct": 25}],
        "rates_pct": [{"year": 2023, "pct": "4.0"}]},
        "costs": [{"citizen": "A", "year": 2024, "amount": "1200000"},
                  {"citizen": "A", "year": 2023, "amount": "1200000"}]}});
    let v = ok(r.clone());
    // 2023: 860,000 × 1.04 = 894,400 → 890,000. Month by month: 100,000 a month against
    // 74,166.666…: 25 % × 25,833.33… = 6,458.333… → 6,458.33 a month (each month's refund is
    // claimed, to øre), 77,499.96 for the year (the year at once would be 77,500.00).
    assert_eq!(v["buyer"]["cases"][1]["refund_176"], "77499.96");
    assert_eq!(v["buyer"]["cases"][0]["refund_176"], "0");
    assert_eq!(v["warnings"][0]["code"], "refund_year_unknown");
    // Any increment rounds: to whole øre, kroner, hundreds.
    r["buyer"]["refund_levels"]["rounding"] = json!({"increment": "100"});
    let v = ok(r);
    // 894,400 stays: 25 % × (100,000 − 74,533.33…) = 6,366.666… → 6,366.67 × 12 = 76,400.04.
    assert_eq!(v["buyer"]["cases"][1]["refund_176"], "76400.04");
}

#[test]
fn the_vat_refund_is_rounded_to_whole_kroner_as_its_own_step() {
    // 1,000,000.10 × 25/125 = 200,000.02 → 200,000 kr (BEK 891/2025 § 10); øre on request.
    let mut r = json!({"version": 1, "buyer": {"private_provider": true,
        "costs": [{"citizen": "A", "year": 2026, "amount": "1000000.10"}]},
        "options": {"explain": true}});
    let v = ok(r.clone());
    assert_eq!(v["buyer"]["cases"][0]["vat_refund"], "200000");
    assert_eq!(node_value(&v, "buyer.A.2026.vat_refund.exact"), "200000.02");
    r["buyer"]["vat_rounding"] = json!({"increment": "0.01"});
    assert_eq!(ok(r)["buyer"]["cases"][0]["vat_refund"], "200000.02");
}

// --- Properties ---------------------------------------------------------------------------

fn ore() -> impl Strategy<Value = Decimal> {
    (0i64..10_000_000_000).prop_map(|n| Decimal::new(n, 2))
}

fn node(v: &Value, key: &str) -> Exact {
    let nodes = v["explanation"]["nodes"].as_array().unwrap();
    let n = nodes
        .iter()
        .find(|n| n["key"] == key)
        .unwrap_or_else(|| panic!("{key}"));
    exact(n["value"].as_str().unwrap())
}

fn exact(text: &str) -> Exact {
    match text.split_once('/') {
        Some((p, q)) => Exact::new(p.parse().unwrap(), q.parse().unwrap()).unwrap(),
        None => Exact::from(text.parse::<Decimal>().unwrap()),
    }
}

fn sum(v: &Value, list: &str, field: &str) -> Decimal {
    v.pointer(list)
        .and_then(Value::as_array)
        .unwrap()
        .iter()
        .map(|x| d(&x[field]))
        .sum()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn settlement_pays_actual_costs(
        budget in ore(), costs in ore(), revenue in ore(), pct in 0u32..=10,
        spread in 1u32..=5, days in prop::collection::vec(0u32..5000, 1..8),
    ) {
        let towns: Vec<Value> = days.iter().enumerate()
            .map(|(i, d)| json!({"municipality": format!("K{i}"), "days": d})).collect();
        let v = eval(json!({"version": 1, "settlement": {"year": 2026,
            "budget": budget.to_string(), "actual_costs": costs.to_string(),
            "revenue": revenue.to_string(), "set_aside_cap_pct": pct, "spread_years": spread,
            "municipalities": towns}}));
        if days.iter().all(|d| *d == 0) {
            prop_assert_eq!(&v["errors"][0]["code"], "division_by_zero");
            return Ok(());
        }
        prop_assert_eq!(&v["ok"], true);
        let s = &v["settlement"];
        // revenue + regulation − set aside = actual costs, to the øre.
        prop_assert_eq!(revenue + d(&s["regulation"]) - d(&s["set_aside"]), costs);
        prop_assert!(d(&s["set_aside"]) <= d(&s["set_aside_cap"]));
        // The spread and the split sum exactly to the regulation.
        prop_assert_eq!(sum(&v, "/settlement/regulation_years", "amount"), d(&s["regulation"]));
        prop_assert_eq!(sum(&v, "/settlement/municipalities", "amount"), d(&s["regulation"]));
    }

    #[test]
    fn partnership_tariffs_are_revenue_neutral(
        base in ore(), days in 1_000u32..100_000, pct in 0u32..=40,
        partner_days in prop::collection::vec(1u32..2_000, 1..6),
        keys in prop::collection::vec(1u32..100, 6),
        agreed in any::<bool>(),
    ) {
        let total: u32 = partner_days.iter().sum();
        // The fixed payment actually paid (to øre) per partner day must not exceed the full
        // tariff, or the partner tariff would be negative.
        let paid = (base * Decimal::from(pct) / Decimal::from(100))
            .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
        prop_assume!(paid * Decimal::from(days) <= base * Decimal::from(total));
        prop_assume!(total <= days);
        let partners: Vec<Value> = partner_days.iter().zip(&keys).enumerate().map(|(i, (d, k))| {
            if agreed { json!({"municipality": format!("K{i}"), "expected_days": d, "key": k}) }
            else { json!({"municipality": format!("K{i}"), "expected_days": d}) }
        }).collect();
        let v = eval(json!({"version": 1, "partnership": {"financing_base": base.to_string(),
            "expected_days": days, "fixed_share_pct": pct, "partners": partners,
            "key": if agreed { "agreed" } else { "expected_days" }}}));
        prop_assert_eq!(&v["ok"], true, "{}", v["errors"]);
        // Exact revenue at the expected days: the fixed payment paid (to øre) + P × partner
        // tariff + N × full tariff — also at ties, where the paid payment is rounded.
        let fixed = node(&v, "partnership.fixed_payment");
        let partner = node(&v, "partnership.partner_tariff.exact");
        let full = node(&v, "partnership.full_tariff.exact");
        let p = node(&v, "partnership.partner_days");
        let n = node(&v, "partnership.non_partner_days");
        let revenue = fixed
            .checked_add(&p.checked_mul(&partner).unwrap()).unwrap()
            .checked_add(&n.checked_mul(&full).unwrap()).unwrap();
        prop_assert_eq!(revenue, Exact::from(base));
        // The contributions sum exactly to the fixed payment.
        prop_assert_eq!(sum(&v, "/partnership/partners", "contribution"),
                        d(&v["partnership"]["fixed_payment"]));
    }

    /// At ties — a fixed payment with half an øre (base in øre × an odd percentage) — the
    /// partner tariff comes from the payment actually paid, so revenue is the base exactly.
    #[test]
    fn partnership_is_revenue_neutral_at_ties(
        m in (1i64..2_000_000).prop_map(|m| 2 * m + 1), pct in (0u32..20).prop_map(|p| 2 * p + 1),
        days in 1_000u32..100_000, share in 41u32..100, partners in 1usize..5,
    ) {
        let base = Decimal::new(50 * m, 2); // 50 × odd øre
        let partner_total = u32::try_from(u64::from(days) * u64::from(share) / 100).unwrap();
        prop_assume!(partner_total >= partners as u32);
        let each = partner_total / partners as u32;
        let list: Vec<Value> = (0..partners)
            .map(|i| json!({"municipality": format!("K{i}"), "expected_days": each}))
            .collect();
        let v = eval(json!({"version": 1, "partnership": {"financing_base": base.to_string(),
            "expected_days": days, "fixed_share_pct": pct, "partners": list}}));
        prop_assert_eq!(&v["ok"], true, "{}", v["errors"]);
        let exact_fixed = node(&v, "partnership.fixed_payment.exact");
        // A tie indeed: the exact payment has half an øre.
        prop_assert_eq!(exact_fixed.to_decimal().unwrap().scale(), 3);
        let revenue = node(&v, "partnership.fixed_payment")
            .checked_add(&node(&v, "partnership.partner_days")
                .checked_mul(&node(&v, "partnership.partner_tariff.exact")).unwrap()).unwrap()
            .checked_add(&node(&v, "partnership.non_partner_days")
                .checked_mul(&node(&v, "partnership.full_tariff.exact")).unwrap()).unwrap();
        prop_assert_eq!(revenue, Exact::from(base));
    }

    #[test]
    fn base_funding_tariffs_are_revenue_neutral(
        base in ore(), days in 1u32..100_000, state in 0u32..100,
        populations in prop::collection::vec(0u32..1_000_000, 1..10),
        municipal in (0i64..100_000_000).prop_map(|n| Decimal::new(n, 2)),
    ) {
        prop_assume!(populations.iter().any(|p| *p > 0));
        let state = base * Decimal::from(state) / Decimal::from(200);
        prop_assume!(state + municipal <= base);
        let towns: Vec<Value> = populations.iter().enumerate()
            .map(|(i, p)| json!({"municipality": format!("K{i}"), "population": p})).collect();
        let v = eval(json!({"version": 1, "base_funding": {"cost_base": base.to_string(),
            "expected_days": days, "municipalities": towns, "sources": [
                {"label": "Stat", "kind": "state", "amount": state.to_string()},
                {"label": "Kommuner", "kind": "municipalities", "amount": municipal.to_string(),
                 "split": "population"}]}}));
        prop_assert_eq!(&v["ok"], true, "{}", v["errors"]);
        let funding = node(&v, "funding.total");
        let tariff = node(&v, "funding.day_tariff.exact");
        let revenue = funding
            .checked_add(&Exact::from(i64::from(days)).checked_mul(&tariff).unwrap()).unwrap();
        prop_assert_eq!(revenue, Exact::from(base));
        prop_assert_eq!(sum(&v, "/base_funding/sources/1/contributions", "amount"), municipal);
    }
}

#[test]
fn the_financing_graph_recomputes_exactly() {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../examples/requests/financing.json"),
    )
    .unwrap();
    let request = takst::Request::from_json(&text).unwrap();
    let response = takst::evaluate(&request);
    assert!(response.ok, "{:?}", response.errors);
    let ex = response.explanation.as_ref().unwrap();
    assert!(ex.len() > 100);
    assert_eq!(ex.verify(), Ok(()));
}

/// examples/requests/financing-rules.json, worked by hand: SEL § 176 thresholds at the 2022
/// level indexed to 2026 by 1.04 × 1.03 × 1.029 × 1.026 and rounded to 10,000 (860,000 →
/// 972,594.37 → 970,000; 1,680,000 → 1,900,000; 2,120,000 → 2,400,000); borger-1 costs
/// 2,900,000 less the VAT refund 580,000 = 2,320,000, the same every month, so the refund is
/// (1,900,000 − 970,000) × 25 % + (2,320,000 − 1,900,000) × 50 % = 442,500. Objective
/// financing at 0.88 kr per inhabitant: Aarhus 367,095 × 0.88 = 323,043.60.
#[test]
fn the_financing_rules_example_gives_its_hand_worked_figures() {
    let text = include_str!("../../examples/requests/financing-rules.json");
    let r = ok(serde_json::from_str(text).unwrap());
    let year = &r["buyer"]["years"][0];
    assert_eq!(
        (year["year"].as_i64(), year["refund_176"].as_str()),
        (Some(2026), Some("442500.00"))
    );
    let objective = &r["base_funding"]["sources"][1];
    assert_eq!(objective["contributions"][0]["municipality"], "Aarhus");
    assert_eq!(objective["contributions"][0]["amount"], "323043.60");
    assert_eq!(objective["amount"], "451013.20");
}

/// Each SEL § 176 bracket's figures of a month have keys of their own, and the labels count
/// the brackets from 1 ("trin 1" is the first), as the keys count them from 0.
#[test]
fn each_bracket_of_a_month_has_its_own_figures() {
    let case: Value =
        serde_json::from_str(include_str!("../../tests/cases/buyer-vat-and-176.json")).unwrap();
    let mut request = takst::Request::from_json(&case["request"].to_string()).unwrap();
    request.options.explain = true;
    let response = takst::evaluate(&request);
    assert!(response.ok, "{:?}", response.errors);
    let ex = response.explanation.unwrap();
    let first = ex.find("buyer.borger-1.2026-01.bracket[0].refund").unwrap();
    let second = ex.find("buyer.borger-1.2026-01.bracket[1].refund").unwrap();
    assert_ne!(first.id(), second.id());
    assert_eq!(
        second.label(),
        "Refusion i trinnet i januar 2026, trin 2, borger-1"
    );
    // 25 % of the month's expense within the first bracket, 50 % of what is above.
    assert_eq!(first.value().to_string(), "20000");
    assert_eq!(second.value().to_string(), "11250");
    let threshold = ex.find("buyer.refund.2026.bracket[0].from").unwrap();
    assert_eq!(threshold.label(), "Tærskel 2026, trin 1");
    let month = ex.find("buyer.borger-1.2026-01.refund_176").unwrap();
    assert!(month.inputs().contains(&first.id()) && month.inputs().contains(&second.id()));
}
