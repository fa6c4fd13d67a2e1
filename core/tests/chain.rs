//! A provider's year in one request: the financing sections take their figures from the
//! offer and the courses of the same request, each link explained, a given figure
//! overriding the chained one, and a scenario on the offer reaching down the chain.

#![allow(clippy::unwrap_used)] // tests may panic: a panic is a failed test

use serde_json::{json, Value};

mod common;

fn eval(request: &Value) -> Value {
    common::read_back(serde_json::from_str(&takst::evaluate_json(&request.to_string())).unwrap())
}

/// Bofællesskabet Åen 2026: 3 places at 96 % = 1,051.2 expected days; cost base 2,102,400
/// (1,800,000 + 222,400 + 120,000 − 40,000 regulation from 2024) → 2,000 kr per døgn.
fn year() -> Value {
    json!({
        "version": 1,
        "offer": {
            "id": "aaen", "name": "Bofællesskabet Åen", "year": 2026, "kind": "residential",
            "capacity": {"places": 3}, "occupancy": {"budgeted_pct": 96},
            "costs": [
                {"label": "Løn", "category": "wages", "amount": "1800000"},
                {"label": "Drift", "category": "operating", "amount": "222400"},
                {"label": "Husleje", "category": "property", "amount": "120000"},
                {"label": "Efterregulering 2024", "category": "regulation", "amount": "-40000"}
            ]
        },
        "index": {"rates_pct": [{"year": 2027, "pct": "2.5"}]},
        "courses": [
            {"id": "borger-1", "municipality": "Aarhus", "start": "2026-01-01",
             "phases": [{"service": "average", "months": 12}]},
            {"id": "borger-2", "municipality": "Randers", "start": "2026-03-01",
             "phases": [{"service": "average", "months": 12}]},
            {"id": "borger-3", "municipality": "Aarhus", "start": "2026-07-01",
             "phases": [{"service": "average", "months": 6}]}
        ],
        "settlement": {"year": 2026, "actual_costs": "1850000"},
        "options": {"explain": true}
    })
}

fn node<'v>(v: &'v Value, key: &str) -> &'v Value {
    v["explanation"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["key"] == key)
        .unwrap_or_else(|| panic!("no node {key}"))
}

fn key_of(v: &Value, id: &Value) -> String {
    let nodes = v["explanation"]["nodes"].as_array().unwrap();
    let i = id.as_u64().unwrap() as usize;
    nodes[i]["key"].as_str().unwrap().to_string()
}

#[test]
fn the_settlement_takes_budget_revenue_and_billed_days_from_the_request() {
    let v = eval(&year());
    assert_eq!(v["ok"], true, "{v}");
    assert_eq!(v["tariff_sheet"]["average"]["day"], "2000");
    // The regulation from 2024 per day, as agreements publish it: −40,000 ÷ 1,051.2 =
    // −38.0517… → −38.05 kr (already inside the 2,000).
    assert_eq!(v["tariff_sheet"]["regulation_per_day"], "-38.05");
    let s = &v["settlement"];
    assert_eq!(s["chained"], json!(["budget", "revenue", "municipalities"]));
    // Budget: the offer's cost base.
    assert_eq!(s["budget"], "2102400");
    // Revenue 2026: 365 × 2,000 + 306 × 2,000 (March–December) + 184 × 2,000 (July–December).
    assert_eq!(s["revenue"], "1710000.00");
    // 1,710,000 − 1,850,000 = −140,000: a deficit, nothing set aside, +140,000 into 2028.
    assert_eq!(s["result"], "-140000.00");
    assert_eq!(s["set_aside"], "0");
    assert_eq!(
        s["regulation_years"],
        json!([{"year": 2028, "amount": "140000.00"}])
    );
    // Split by billed days: Aarhus 365 + 184 = 549, Randers 306, of 855:
    // 140,000 × 549/855 = 89,894.736… → 89,894.74; 140,000 × 306/855 = 50,105.263… → .26.
    assert_eq!(
        s["municipalities"],
        json!([{"municipality": "Aarhus", "amount": "89894.74"},
               {"municipality": "Randers", "amount": "50105.26"}])
    );
    // Every link explains itself: the budget is the cost base's node, the revenue the sum
    // of the courses' 2026 service lines.
    let budget = node(&v, "settlement.budget");
    assert_eq!(key_of(&v, &budget["inputs"][0]), "cost_base");
    assert!(budget["rule"]
        .as_str()
        .unwrap()
        .contains("overført fra tilbuddets"));
    let revenue = node(&v, "settlement.revenue");
    let inputs: Vec<String> = revenue["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| key_of(&v, i))
        .collect();
    assert_eq!(
        inputs,
        [
            "course[0].services.year.2026",
            "course[1].services.year.2026",
            "course[2].services.year.2026"
        ]
    );
    assert_eq!(
        node(&v, "settlement.municipality.Aarhus.days")["value"],
        "549"
    );
}

#[test]
fn a_given_figure_overrides_the_chained_one_and_says_so() {
    let mut r = year();
    r["settlement"]["budget"] = json!("2000000");
    r["settlement"]["revenue"] = json!("1800000");
    let v = eval(&r);
    let s = &v["settlement"];
    assert_eq!(s["chained"], json!(["municipalities"]));
    assert_eq!(
        (&s["budget"], &s["revenue"]),
        (&json!("2000000"), &json!("1800000"))
    );
    assert_eq!(node(&v, "settlement.budget")["op"], "input");
    assert_eq!(node(&v, "settlement.budget")["path"], "settlement.budget");
}

#[test]
fn partnership_and_base_funding_take_the_offer_s_figures() {
    let mut r = year();
    r["partnership"] = json!({"fixed_share_pct": 25,
        "partners": [{"municipality": "Aarhus", "expected_days": "400"},
                     {"municipality": "Randers", "expected_days": "200"}]});
    r["base_funding"] = json!({"sources": [{"label": "Objektiv finansiering",
        "kind": "municipalities", "per_inhabitant": "0.88"}],
        "municipalities": [{"municipality": "Aarhus", "population": 367095},
                           {"municipality": "Randers", "population": 99645}]});
    let v = eval(&r);
    assert_eq!(v["ok"], true, "{v}");
    let p = &v["partnership"];
    assert_eq!(
        p["chained"],
        json!(["financing_base", "expected_days", "rounding"])
    );
    assert_eq!(
        (&p["financing_base"], &p["expected_days"]),
        (&json!("2102400"), &json!("1051.2"))
    );
    assert_eq!(p["full_tariff"], "2000");
    // Fixed 525,600 over 600 partner days = 876 kr a day off: 2,000 − 876 = 1,124.
    assert_eq!(p["fixed_payment"], "525600.00");
    assert_eq!(p["partner_tariff"], "1124");
    let b = &v["base_funding"];
    assert_eq!(
        b["chained"],
        json!(["cost_base", "expected_days", "rounding"])
    );
    // 0.88 × 367,095 = 323,043.60 and 0.88 × 99,645 = 87,687.60: 410,731.20 in all.
    assert_eq!(
        b["sources"][0]["contributions"],
        json!([{"municipality": "Aarhus", "amount": "323043.60"},
               {"municipality": "Randers", "amount": "87687.60"}])
    );
    assert_eq!(b["funding"], "410731.20");
    // (2,102,400 − 410,731.20) ÷ 1,051.2 = 1,609.27… → 1,609.
    assert_eq!(b["day_tariff"], "1609");
}

#[test]
fn the_sections_publish_their_tariffs_as_the_offer_does() {
    // An offer that publishes øre: 9,500,000 over 10 places × 365 × 97 % = 3,540.5 days is
    // 2,683.2368… → 2,683.24 a day, and the partnership's full tariff and base funding's tariff
    // without funding, the same quotient, are the same figure (they were 2,683, whole kroner).
    let r = json!({"version": 1,
        "offer": {"name": "O", "year": 2026, "kind": "residential", "capacity": {"places": 10},
            "occupancy": {"budgeted_pct": 97},
            "settings": {"published_rounding": {"increment": "0.01"}},
            "costs": [{"label": "Løn", "category": "wages", "amount": "9500000"}]},
        "partnership": {"fixed_share_pct": 25,
            "partners": [{"municipality": "Aarhus", "expected_days": "1000"}]},
        "base_funding": {"sources": [{"label": "Stat", "kind": "state", "amount": "0"}]},
        "options": {"explain": false}});
    let v = eval(&r);
    assert_eq!(v["ok"], true, "{v}");
    assert_eq!(v["tariff_sheet"]["average"]["day"], "2683.24");
    assert_eq!(v["partnership"]["full_tariff"], "2683.24");
    assert_eq!(v["base_funding"]["day_tariff_without"], "2683.24");
    assert_eq!(v["base_funding"]["day_tariff"], "2683.24");
    // A section's own rounding is its own, and nothing is chained for it.
    let mut r = r;
    r["partnership"]["rounding"] = json!({"increment": "1"});
    let v = eval(&r);
    assert_eq!(v["partnership"]["full_tariff"], "2683");
    assert_eq!(
        v["partnership"]["chained"],
        json!(["financing_base", "expected_days"])
    );
}

#[test]
fn a_scenario_on_the_offer_reaches_down_the_chain() {
    let mut r = year();
    r["partnership"] = json!({"partners": [{"municipality": "Aarhus", "expected_days": "700"}]});
    // Two more places: the tariff falls, the courses bill less, the deficit grows.
    r["scenarios"] =
        json!([{"name": "5 pladser", "changes": {"offer": {"capacity": {"places": 5}}}}]);
    let v = eval(&r);
    assert_eq!(v["ok"], true, "{v}");
    let changes = v["scenarios"][0]["changes"].as_array().unwrap();
    let changed = |key: &str| {
        changes
            .iter()
            .find(|c| c["key"] == key)
            .unwrap_or_else(|| panic!("{key} did not change"))
    };
    // 2,102,400 ÷ 1,752 = 1,200 kr per døgn.
    assert_eq!(changed("average.day")["after"], "1200");
    assert_eq!(changed("partnership.expected_days")["after"], "1752");
    assert_eq!(changed("settlement.revenue")["after"], "1026000");
    assert_eq!(changed("settlement.result")["after"], "-824000");
}

#[test]
fn a_chain_that_cannot_be_made_is_an_error_or_a_warning_never_a_guess() {
    // The offer is of another year than the settlement.
    let mut r = year();
    r["settlement"]["year"] = json!(2027);
    let v = eval(&r);
    assert_eq!(v["errors"][0]["code"], "conflict", "{v}");
    assert_eq!(v["errors"][0]["path"], "settlement.year");
    // No courses and no revenue.
    let mut r = year();
    r["courses"] = json!([]);
    let v = eval(&r);
    assert_eq!(v["errors"][0]["code"], "missing_value", "{v}");
    assert_eq!(v["errors"][0]["path"], "settlement.revenue");
    // A course without a paying municipality: not split, with a warning naming it.
    let mut r = year();
    r["courses"][1]
        .as_object_mut()
        .unwrap()
        .remove("municipality");
    let v = eval(&r);
    assert_eq!(v["ok"], true, "{v}");
    assert!(v["settlement"].get("municipalities").is_none());
    assert_eq!(v["warnings"][0]["code"], "settlement_not_split");
    assert_eq!(v["warnings"][0]["path"], "courses[1].municipality");
    // Without an offer, the partnership's figures must be given.
    let v = eval(&json!({"version": 1, "partnership": {"partners": [
        {"municipality": "A", "expected_days": "1"}]}}));
    let codes: Vec<_> = v["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["code"].as_str().unwrap(), e["path"].as_str().unwrap()))
        .collect();
    assert!(
        codes.contains(&("missing_value", "partnership.financing_base")),
        "{v}"
    );
}

/// Åen 2025, as budgeted: 3 places at 95 % = 1,040.25 days; 1,750,000 + 220,000 + 120,000
/// + 30,000 regulation (a deficit from 2023) = 2,120,000 → 2,037.97 → 2,038 kr.
fn previous() -> Value {
    json!({"id": "aaen", "name": "Bofællesskabet Åen", "year": 2025, "kind": "residential",
    "capacity": {"places": 3}, "occupancy": {"budgeted_pct": 95},
    "costs": [
        {"label": "Løn", "category": "wages", "amount": "1750000"},
        {"label": "Drift", "category": "operating", "amount": "220000"},
        {"label": "Husleje", "category": "property", "amount": "120000"},
        {"label": "Efterregulering 2023", "category": "regulation", "amount": "30000"}
    ]})
}

#[test]
fn the_tariff_change_notice_splits_the_change_into_its_drivers() {
    let mut r = year();
    r["tariff_notice"] = json!({"previous": previous(), "pl_pct": "2.5"});
    let v = eval(&r);
    assert_eq!(v["ok"], true, "{v}");
    let n = &v["tariff_notice"];
    assert_eq!(
        (&n["from_year"], &n["to_year"]),
        (&json!(2025), &json!(2026))
    );
    let t = &n["tariffs"][0];
    assert_eq!(t["id"], "average");
    // 2,038 → 2,000: −38 kr (−1.86 %), split by sequential substitution:
    //  PL:          2,090,000 × 1.025 + 30,000 = 2,172,250 ÷ 1,040.25 = 2,088.25 → 2,088 (+50)
    //  regulation:  2,142,250 − 40,000 = 2,102,250 ÷ 1,040.25 = 2,020.91 → 2,021 (−67)
    //  occupancy:   2,102,250 ÷ 1,051.2 = 1,999.86 → 2,000 (−21)
    //  costs:       2,102,400 ÷ 1,051.2 = 2,000 (0); other: 0.
    assert_eq!(
        (&t["previous"], &t["new"], &t["change"]),
        (&json!("2038"), &json!("2000"), &json!("-38"))
    );
    assert_eq!(t["change_pct"], "-1.86");
    let drivers: Vec<(&str, &str)> = t["drivers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["driver"].as_str().unwrap(), d["amount"].as_str().unwrap()))
        .collect();
    assert_eq!(
        drivers,
        [
            ("pl_index", "50"),
            ("regulation", "-67"),
            ("occupancy", "-21"),
            ("cost_base", "0"),
            ("other", "0")
        ]
    );
    // Each driver is a figure: the difference of the two tariffs around its step.
    let change = node(&v, "notice.average.change");
    assert_eq!(change["value"], "-38");
    let pl = node(&v, "notice.average.pl_index");
    assert_eq!(key_of(&v, &pl["inputs"][0]), "notice.average.step.pl_index");
    assert_eq!(key_of(&v, &pl["inputs"][1]), "notice.average.previous");
}

#[test]
fn the_notice_says_what_is_doubtful_about_the_previous_year() {
    // Year N budgeted at 80 % (outside the agreed band) with 26 % overhead (above the cap):
    // the change is measured from tariffs that rest on both, and the notice says so at the
    // previous offer's paths, as the previous offer computed alone does at its own.
    let mut p = previous();
    p["occupancy"]["budgeted_pct"] = json!(80);
    p["costs"]
        .as_array_mut()
        .unwrap()
        .push(json!({"label": "Overhead", "category": "overhead", "amount": "545000"}));
    let alone = eval(&json!({"version": 1, "offer": p.clone()}));
    let codes = |v: &Value, prefix: &str| -> Vec<(String, String)> {
        v["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|w| w["path"].as_str().unwrap().starts_with(prefix))
            .map(|w| {
                (
                    w["code"].as_str().unwrap().to_string(),
                    w["path"].as_str().unwrap().replacen(prefix, "", 1),
                )
            })
            .collect()
    };
    let own = codes(&alone, "offer");
    assert!(
        own.iter().any(|(c, _)| c == "occupancy_below_band")
            && own.iter().any(|(c, _)| c == "overhead_above_cap"),
        "{alone}"
    );
    let mut r = year();
    r["tariff_notice"] = json!({"previous": p, "pl_pct": "2.5"});
    let v = eval(&r);
    assert_eq!(v["ok"], true, "{v}");
    assert_eq!(codes(&v, "tariff_notice.previous"), own);
    // The request's own offer (2026, at 96 %) has none of them.
    assert!(codes(&v, "offer").is_empty(), "{v}");
}

#[test]
fn the_previous_offer_s_rounding_residue_is_warned_of_at_its_own_path() {
    // Year N's tariffs rounded to 100 kr leave a residue above 0.1 % of its cost base: the
    // doubt is the previous offer's, said under `tariff_notice.previous`, never at the
    // request's own offer's `neutrality.residue` (which has no such residue).
    let mut p = previous();
    p["settings"] = json!({"published_rounding": {"increment": "100"}});
    let alone = eval(&json!({"version": 1, "offer": p.clone()}));
    let residue = |v: &Value| -> Vec<String> {
        v["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|w| w["code"] == "rounding_residue")
            .map(|w| w["path"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(residue(&alone), ["neutrality.residue"], "{alone}");
    let mut r = year();
    assert!(residue(&eval(&r)).is_empty());
    r["tariff_notice"] = json!({"previous": p, "pl_pct": "2.5"});
    let v = eval(&r);
    assert_eq!(v["ok"], true, "{v}");
    assert_eq!(
        residue(&v),
        ["tariff_notice.previous.neutrality.residue"],
        "{}",
        v["warnings"]
    );
}

#[test]
fn the_notice_takes_the_pl_rate_from_the_index_or_says_it_is_missing() {
    let mut r = year();
    r["tariff_notice"] = json!({"previous": previous()});
    r["index"] = json!({"rates_pct": [{"year": 2026, "pct": "2.5"}, {"year": 2027, "pct": "2.5"}]});
    assert_eq!(eval(&r)["tariff_notice"]["pl_pct"], "2.5");
    r["index"] = json!({"rates_pct": [{"year": 2027, "pct": "2.5"}]});
    let v = eval(&r);
    assert_eq!(v["errors"][0]["code"], "missing_value", "{v}");
    assert_eq!(v["errors"][0]["path"], "tariff_notice.pl_pct");
    // `later_pct` gives the years after the last listed one (every year, none listed), and
    // not one before it.
    r["index"] = json!({"later_pct": "2.5"});
    assert_eq!(eval(&r)["tariff_notice"]["pl_pct"], "2.5");
    r["index"] = json!({"rates_pct": [{"year": 2026, "pct": "2.5"}], "later_pct": "2.5"});
    assert_eq!(eval(&r)["tariff_notice"]["pl_pct"], "2.5");
    r["index"] = json!({"rates_pct": [{"year": 2027, "pct": "2.5"}], "later_pct": "2.5"});
    assert_eq!(eval(&r)["errors"][0]["code"], "missing_value");
    // The index the notice reads is checked as for courses, once, with courses or without.
    r["index"] = json!({"later_pct": "500"});
    let found = |r: &Value| -> Vec<(Value, Value)> {
        let v = eval(r);
        let errors = v["errors"].as_array().cloned().unwrap_or_default();
        errors
            .iter()
            .map(|e| (e["code"].clone(), e["path"].clone()))
            .collect()
    };
    let e = |code: &str, path: &str| (json!(code), json!(path));
    assert_eq!(
        found(&r),
        [
            e("out_of_range", "index.later_pct"),
            e("depends_on_error", "courses"),
            e("depends_on_error", "tariff_notice"),
            e("depends_on_error", "settlement"),
        ]
    );
    let mut alone = r.clone();
    let fields = alone.as_object_mut().unwrap();
    fields.remove("courses");
    fields.remove("settlement");
    assert_eq!(
        found(&alone),
        [
            e("out_of_range", "index.later_pct"),
            e("depends_on_error", "tariff_notice")
        ]
    );
    alone["index"] = json!({"values": [{"year": 2026, "value": "100"}], "later_pct": "2"});
    assert_eq!(found(&alone)[0], e("conflict", "index.later_pct"));
    // A PL rate of the notice's own does not read the index (nor does anything else here),
    // but the index given is checked all the same: a value given is never ignored unread.
    alone["tariff_notice"]["pl_pct"] = json!("2.5");
    assert_eq!(
        found(&alone),
        [e("conflict", "index.later_pct")],
        "an index nothing reads"
    );
    alone["index"] = json!({"later_pct": "2"});
    assert_eq!(eval(&alone)["tariff_notice"]["pl_pct"], "2.5");
    // Nine years of rates compound exactly: a product over 10^36 whose trailing zeros go,
    // not an error for having more than 28 decimals on the way (nor a rounded rate).
    let mut p = previous();
    p["year"] = json!(2017);
    r["tariff_notice"] = json!({"previous": p});
    let rates = [
        "2.15", "3", "4.2", "1.9", "-0.5", "1.75", "2.1", "0", "2.10",
    ];
    r["index"] = json!({"rates_pct": (2018..=2026).zip(rates).map(|(y, pct)| json!({"year": y, "pct": pct})).collect::<Vec<_>>()});
    let v = eval(&r);
    assert_eq!(
        v["tariff_notice"]["pl_pct"], "17.9034413637319378827875",
        "{v}"
    );
    // Nor does a rate or a cost line written with many zeros fail.
    let mut p = previous();
    p["costs"][0]["amount"] = json!("1750000.00000000000000000000");
    r["tariff_notice"] = json!({"previous": p, "pl_pct": "2.100000000000000000000000000"});
    let v = eval(&r);
    assert_eq!(v["ok"], true, "{v}");
    assert_eq!(
        v["tariff_notice"]["pl_pct"], "2.100000000000000000000000000",
        "{v}"
    );
    // The previous offer's own problems are reported at its path.
    let mut r = year();
    let mut p = previous();
    p["capacity"]["places"] = json!(0);
    r["tariff_notice"] = json!({"previous": p, "pl_pct": "2.5"});
    let v = eval(&r);
    assert_eq!(
        v["errors"][0]["path"], "tariff_notice.previous.capacity.places",
        "{v}"
    );
}

/// The regulation line's words do not assume the year it comes from (N−2 under the usual
/// agreements, N−1 under older ones: the settlement's `regulation_year_offset`), and its
/// per-day figure speaks of the offer's own day: døgn for a residential offer, dag for a
/// day offer.
#[test]
fn the_regulation_is_named_without_a_year_in_the_offers_own_day_word() {
    for (kind, word) in [("residential", "døgn"), ("day", "dag")] {
        let mut request = year();
        request["offer"]["kind"] = json!(kind);
        let v = eval(&request);
        assert_eq!(v["ok"], true, "{v}");
        assert_eq!(
            node(&v, "cost_base.regulation")["label"],
            "Efterregulering af tidligere års resultat"
        );
        assert_eq!(
            node(&v, "regulation.per_day")["label"],
            format!("Efterregulering pr. {word}")
        );
        let sheet: takst::TariffSheet = serde_json::from_value(v["tariff_sheet"].clone()).unwrap();
        let text = sheet.to_text();
        assert!(
            text.contains(&format!(
                "Heraf efterregulering af tidligere års resultat (et overskud tilbageføres): \
                 -38,05 kr. pr. {word}"
            )),
            "{text}"
        );
    }
}

#[test]
fn a_notice_against_another_offer_is_a_conflict() {
    // Another offer's year is no change of this one's: a day offer against a residential one,
    // or two ids, were split into "drivers", every service added or removed, without a word.
    for (field, value, path) in [
        ("kind", json!("day"), "tariff_notice.previous.kind"),
        ("id", json!("elbaek"), "tariff_notice.previous.id"),
    ] {
        let mut p = previous();
        p[field] = value;
        let mut r = year();
        r["tariff_notice"] = json!({"previous": p, "pl_pct": "2.5"});
        let v = eval(&r);
        assert_eq!(v["ok"], false, "{v}");
        assert_eq!(v["errors"][0]["code"], "conflict");
        assert_eq!(v["errors"][0]["path"], path);
    }
    // Without an id on either side, the offers are taken to be one (as before).
    let mut p = previous();
    p.as_object_mut().unwrap().remove("id");
    let mut r = year();
    r["tariff_notice"] = json!({"previous": p, "pl_pct": "2.5"});
    assert_eq!(eval(&r)["ok"], true);
}

/// A figure is told in the words of its own sheet's kind: "døgn" for a residential offer's,
/// "dag" for a day offer's, in its label and in its Danish unit, also in one request with
/// both (every figure said "døgn" there: the first sheet's word was the whole
/// explanation's). The catalogue here is a day offer's, with a package scheme, a part-time
/// row and an add-on by the day; both courses reach 2027, so a tariff of each is indexed
/// (whose label said "takst pr. dag" for either).
#[test]
fn each_figure_speaks_of_its_own_sheet_s_day() {
    let day_sheet = json!({
        "format": "takst/tariff-sheet", "version": 1,
        "offer": {"id": "dagtilbud", "name": "Dagtilbuddet", "kind": "day", "year": 2026},
        "day_basis": 250, "rounding": {"increment": "1", "mode": "half_away_from_zero"},
        "average": {"day": "1200"},
        "services": [{"id": "dag", "name": "Dagmodul", "tariff": {"day": "1300"}}],
        "package_scheme": {"basis": "1000", "interval": "349", "band_hours_per_week": "7"},
        "part_time": [{"of": "dag", "days_per_week": 3, "pct": "85", "day": "1105"}],
        "add_ons": [{"id": "to_timer", "name": "2 timer ugentligt", "unit": "day", "price": "460"}]
    });
    let mut request = year();
    request["catalogues"] = json!([day_sheet]);
    request["courses"] = json!([
        {"id": "borger-1", "offer": "aaen", "start": "2026-07-01", "phases": [{"service": "average", "months": 12}]},
        {"id": "borger-2", "offer": "dagtilbud", "start": "2026-09-01",
         "phases": [{"service": "dag", "months": 6}]}
    ]);
    request.as_object_mut().unwrap().remove("settlement");
    let v = eval(&request);
    assert_eq!(v["ok"], true, "{v}");
    let mut per_day = 0;
    for n in v["explanation"]["nodes"].as_array().unwrap() {
        let (key, label, unit_da) = (
            n["key"].as_str().unwrap(),
            n["label"].as_str().unwrap(),
            n["unit_da"].as_str().unwrap(),
        );
        if !["kr_per_day", "kr_per_day_per_weekly_hour"].contains(&n["unit"].as_str().unwrap()) {
            continue;
        }
        per_day += 1;
        let (word, other) = if key.contains("catalogues[0].") {
            ("dag", "døgn")
        } else {
            ("døgn", "dag")
        };
        assert!(
            unit_da.starts_with(&format!("kr. pr. {word}")),
            "{key}: {unit_da}"
        );
        assert!(!label.contains(&format!("pr. {other}")), "{key}: {label}");
    }
    assert!(per_day > 10, "{per_day}");
    assert_eq!(
        node(&v, "tariff.average.2027.day")["label"],
        "Gennemsnitstakst, takst pr. døgn 2027 (PL-fremskrevet)"
    );
    assert_eq!(
        node(&v, "catalogues[0].tariff.dag.2027.day")["label"],
        "Dagmodul, takst pr. dag 2027 (PL-fremskrevet)"
    );
    // The core's own text says the same.
    let parsed = takst::Request::from_json(&request.to_string()).unwrap();
    let ex = takst::evaluate(&parsed).explanation.unwrap();
    let text = ex.render("catalogues[0].service.dag.day").unwrap();
    assert!(
        text.starts_with("Dagmodul, pr. dag = 1.300 kr. pr. dag\n"),
        "{text}"
    );
    let text = ex.render("average.day").unwrap();
    assert!(text.contains(" kr. pr. døgn\n"), "{text}");
    assert!(!text.contains("pr. dag"), "{text}");
}
