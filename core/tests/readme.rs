//! The README's requests give the figures its text states. (Its Rust snippets run as doc
//! tests: `ReadmeDoctests` in `src/lib.rs`.)

#![allow(clippy::unwrap_used)] // tests may panic: a panic is a failed test

use serde_json::Value;

const README: &str = include_str!("../../README.md");

/// The JSON requests of the README's `cargo run --example evaluate <<'EOF_REQUEST'` blocks.
fn requests() -> Vec<Value> {
    README
        .split("<<'EOF_REQUEST'\n")
        .skip(1)
        .map(|rest| {
            let text = rest.split("\nEOF_REQUEST").next().unwrap();
            let v: Value = serde_json::from_str(&takst::evaluate_json(text)).unwrap();
            assert_eq!(v["ok"], true, "a README request fails: {v}");
            v
        })
        .collect()
}

#[test]
fn the_readme_requests_give_the_figures_the_readme_states() {
    let r = requests();
    assert_eq!(r.len(), 2, "the README has two example requests");
    // "published as 2,740 kr per døgn … 83,333 … 1,000,000 … a rounding residue of +950 kr"
    let average = &r[0]["tariff_sheet"]["average"];
    assert_eq!(
        (&average["day"], &average["month"], &average["year"]),
        (&"2740".into(), &"83333".into(), &"1000000".into())
    );
    assert_eq!(r[0]["neutrality"]["revenue"], "9500950");
    assert_eq!(r[0]["neutrality"]["residue"], "950");
    // The course: 16 × 4,801 = 76,816.00 in September; 4,895.10 and 3,788.83 in 2027;
    // 395 days in 15 lines; 1,655,684.36 kr; 1,465,087.16 flat; 190,597.20 more.
    let q = &r[1]["courses"][0];
    let lines = q["lines"].as_array().unwrap();
    assert_eq!((q["days"].as_u64(), lines.len()), (Some(395), 15));
    assert_eq!(lines[0]["amount"], "76816.00");
    let tariff = |service: &str, year: i64| {
        lines
            .iter()
            .find(|l| l["service"] == service && l["tariff_year"] == year)
            .map(|l| l["tariff"].clone())
            .unwrap()
    };
    assert_eq!(tariff("udredning", 2027), "4895.10");
    assert_eq!(tariff("udvikling", 2027), "3788.83");
    assert_eq!(lines[14]["to"], "2027-10-14");
    assert_eq!(q["total"], "1655684.36");
    assert_eq!(q["comparison"]["flat"], "1465087.16");
    assert_eq!(q["comparison"]["difference"], "190597.20");
    assert!(README.contains("1,655,684.36 kr") && README.contains("190,597.20 kr"));
}

#[test]
fn the_quickstart_prices_the_readme_course() {
    let course = README
        .split("<<'EOF_REQUEST'\n")
        .nth(2)
        .and_then(|rest| rest.split("\nEOF_REQUEST").next())
        .unwrap();
    let file = include_str!("../../examples/requests/readme-course.json");
    assert_eq!(
        file.trim_end(),
        course,
        "examples/requests/readme-course.json must be the README's course"
    );
}

#[test]
fn an_amount_in_an_explanation_is_never_shown_with_one_decimal() {
    // The README's course: January 2027's invoice lines add up to 151,748.10 kr, an exact sum
    // of øre amounts whose value is 151748.1; shown with its øre, as a line is.
    let mut request =
        takst::Request::from_json(include_str!("../../examples/requests/readme-course.json"))
            .unwrap();
    request.options.explain = true;
    let response = takst::evaluate(&request);
    let text = response
        .explanation
        .as_ref()
        .and_then(|e| e.render("course[0].total"))
        .unwrap();
    assert!(
        text.contains("Forløbet i januar 2027 = 151.748,10 kr.\n"),
        "{text}"
    );
    assert!(text.contains("afrundet fra 151.748,10 (øre"), "{text}");
    // Whole kroner stay whole, as a sum of them.
    assert!(
        text.contains("Forløbet i september 2026 = 76.816 kr.\n"),
        "{text}"
    );
}

#[test]
fn a_scenario_shows_an_amount_with_its_ore() {
    // The README's course against PL 2.5 % for 2027: January 2027's sum 151,748.10 kr is
    // shown with its øre in the scenario's text, as in the explanation.
    let mut request: Value =
        serde_json::from_str(include_str!("../../examples/requests/readme-course.json")).unwrap();
    request["scenarios"] = serde_json::json!([{
        "name": "PL 2,5 %",
        "changes": {"index": {"rates_pct": [{"year": 2027, "pct": "2.5"}]}}
    }]);
    let request = takst::Request::from_json(&request.to_string()).unwrap();
    let response = takst::evaluate(&request);
    let text = response.scenarios[0].to_text(0);
    assert!(text.contains("151.748,10 →"), "{text}");
    assert!(!text.contains("151.748,1 "), "{text}");
}

#[test]
fn a_unit_is_money_when_its_name_is_kroner() {
    // Python and JS tell money by the unit's name (`kr…`); the core by `Unit::is_money`: the
    // same for every unit, and these are all the units the response schema lists.
    use takst::Unit::*;
    let all = [
        Kr,
        KrPerDay,
        KrPerMonth,
        KrPerYear,
        KrPerHour,
        KrPerKm,
        KrPerDayPerWeeklyHour,
        Days,
        Places,
        Citizens,
        Percent,
        Ratio,
        HoursPerWeek,
        DayHours,
        Number,
        Hours,
    ];
    let schema: Value =
        serde_json::from_str(include_str!("../../schema/response.schema.json")).unwrap();
    let listed = schema["$defs"]["Unit"]["oneOf"].as_array().unwrap();
    assert_eq!(listed.len(), all.len());
    for unit in all {
        let name = serde_json::to_value(unit).unwrap();
        let name = name.as_str().unwrap();
        assert!(listed.iter().any(|u| u["const"] == name), "{name}");
        assert_eq!(unit.is_money(), name.starts_with("kr"), "{name}");
    }
}

#[test]
fn the_sheet_statement_and_the_quote_text_show_amounts_with_their_ore() {
    // A cost line of 2,051,942.40 kr: the statement shows its øre ("2.051.942,40"), never one
    // decimal ("2.051.942,4"), as every other amount in the text.
    let request = takst::Request::from_json(
        r#"{"version": 1, "offer": {"name": "X", "year": 2026, "kind": "residential",
            "capacity": {"places": 10}, "occupancy": {"budgeted_pct": 96},
            "costs": [{"label": "Løn", "category": "wages", "amount": "2051942.40"}]},
            "options": {"explain": false}}"#,
    )
    .unwrap();
    let text = takst::evaluate(&request).to_text();
    assert!(text.contains("2.051.942,40"), "{text}");
    assert!(!text.contains("2.051.942,4 "), "{text}");
    let residue = text.lines().find(|l| l.contains("Rest (indtægt")).unwrap();
    assert!(
        residue
            .trim_end()
            .rsplit(' ')
            .next()
            .unwrap()
            .split(',')
            .nth(1)
            .map(str::len)
            == Some(2),
        "{residue}"
    );
}

#[test]
fn the_revenue_check_shows_its_column_of_amounts_alike() {
    // The sample offer: revenue 15,537,979.92 against a cost base of 15,538,550, written in
    // one column with øre on each ("15.538.550,00"), as the quickstart prints them.
    let computed = takst::Offer::sample().compute().unwrap();
    let mut request =
        takst::Request::from_json(r#"{"version": 1, "options": {"explain": false}}"#).unwrap();
    request.offer = Some(takst::Offer::sample());
    let text = takst::evaluate(&request).to_text();
    let check = text.split("Provenuneutralitet\n").nth(1).unwrap();
    let line = |label: &str| {
        check
            .lines()
            .find(|l| l.contains(label))
            .unwrap()
            .to_string()
    };
    assert!(
        line("Forventet takstindtægt").ends_with(" 15.537.979,92"),
        "{check}"
    );
    assert!(
        line("Omkostningsgrundlag").ends_with(" 15.538.550,00"),
        "{check}"
    );
    assert!(line("Rest (indtægt").ends_with(" -570,08"), "{check}");
    // The cost base itself, whole kroner as given, keeps its own form above.
    assert!(text.contains("  I alt  "), "{text}");
    assert!(text
        .lines()
        .any(|l| l.starts_with("  I alt") && l.ends_with(" 15.538.550")));
    // A figure without a unit ends where its number does.
    let tree = computed.explanation.render("average.month").unwrap();
    assert!(tree.lines().all(|l| !l.ends_with(' ')), "{tree}");
    assert!(tree.contains("Måneder i et år = 12\n"), "{tree}");
}

#[test]
fn a_residue_says_how_much_of_it_is_rounding() {
    // 10 places at 97 %: 3,540.5 days. Property 1,000,000 per occupied day, support wages
    // 2,000,000 by support hours. A (35 h) and B (5 h) each 40 % of the days, L at 85 % of
    // A's tariff 20 %. A and B recover the support and 80 % of the day costs: 2,800,000, or
    // 1,416.2 × 1,518 + 1,416.2 × 459 = 2,799,827.40 at the published tariffs (−172.60 of
    // rounding). L brings 708.1 × 1,290.30 = 913,661.43 against its 200,000 of the day costs:
    // 713,661.43 that is not rounding. The residue 713,488.83 is both, and the warning says so.
    let request = takst::Request::from_json(
        r#"{"version": 1, "offer": {"name": "X", "year": 2026, "kind": "residential",
            "capacity": {"places": 10}, "occupancy": {"budgeted_pct": 97},
            "costs": [{"label": "Ejendom", "category": "property", "amount": "1000000"},
                      {"label": "Støtte", "category": "wages", "amount": "2000000", "key": "support_hours"}],
            "services": [{"id": "a", "name": "A", "hours_per_week": 35, "share_pct": 40},
                         {"id": "b", "name": "B", "hours_per_week": 5, "share_pct": 40},
                         {"id": "l", "name": "L", "share_pct": 20, "pct_of": {"service": "a", "pct": 85}}]},
            "options": {"explain": false}}"#,
    )
    .unwrap();
    let response = takst::evaluate(&request);
    assert!(response.ok);
    let w = response
        .warnings
        .iter()
        .find(|w| w.code() == takst::WarningCode::RoundingResidue)
        .unwrap();
    assert!(
        w.message_da().contains("713.488,83 kr. mere"),
        "{}",
        w.message_da()
    );
    assert!(
        w.message_da().contains("-172,60 kr. fra afrundingen"),
        "{}",
        w.message_da()
    );
    assert!(
        w.message_da()
            .contains("713.661,43 kr. fra takster, der ikke er"),
        "{}",
        w.message_da()
    );
}

#[test]
fn a_package_schemes_residue_is_its_rounding() {
    // Packages 1–3 of a 7-hour band priced from the cost base: their tariffs are basis +
    // (n − ½) × interval, so what the published tariffs bring in beyond the cost base (2,117)
    // is all rounding, and the warning says so as such.
    let request = takst::Request::from_json(
        r#"{"version": 1, "offer": {"name": "X", "year": 2026, "kind": "residential",
            "capacity": {"places": 10}, "occupancy": {"budgeted_pct": 97},
            "settings": {"residue_warning_pct": "0.01"},
            "package_scheme": {"band_hours_per_week": "7"},
            "costs": [{"label": "Ejendom", "category": "property", "amount": "3650000"},
                      {"label": "Støtte", "category": "wages", "amount": "3832500", "key": "support_hours"}],
            "services": [{"id": "p1", "name": "P1", "share_pct": 30, "package": 1},
                         {"id": "p2", "name": "P2", "share_pct": 40, "package": 2},
                         {"id": "p3", "name": "P3", "share_pct": 30, "package": 3}]},
            "options": {"explain": false}}"#,
    )
    .unwrap();
    let response = takst::evaluate(&request);
    let w = response
        .warnings
        .iter()
        .find(|w| w.code() == takst::WarningCode::RoundingResidue)
        .unwrap();
    assert_eq!(
        w.message_da(),
        "De offentliggjorte takster giver 2.117 kr. mere end omkostningsgrundlaget (en \
         afrundingsdifference over 0,01 % af omkostningsgrundlaget)."
    );
}
