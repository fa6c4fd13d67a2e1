//! Hand-worked courses. Each test states the calendar and the arithmetic it checks; the
//! figures were worked out by hand and checked with Python's `datetime` and `decimal`,
//! independently of takst.

#![allow(clippy::unwrap_used)] // tests may panic: a panic is a failed test

use serde_json::{json, Value};

/// The sample offer's published 2026 tariffs as a catalogue, with a package scheme, part-time
/// rows and add-ons (residential: per døgn).
fn sheet() -> Value {
    json!({
        "format": "takst/tariff-sheet", "version": 1,
        "offer": {"id": "elbaek", "name": "Elbæk (eksempel)", "kind": "residential", "year": 2026},
        "day_basis": 365, "rounding": {"increment": "1", "mode": "half_away_from_zero"},
        "average": {"day": "3657", "month": "111244", "year": "1334927"},
        "services": [
            {"id": "udredning", "name": "Udredningsmodul", "kind": "module", "stage": "assessment",
             "tariff": {"day": "4801", "month": "146024", "year": "1752291"}},
            {"id": "udvikling", "name": "Udviklingsmodul", "kind": "module", "stage": "development",
             "tariff": {"day": "3716", "month": "113043", "year": "1356515"}},
            {"id": "laengerevarende", "name": "Længerevarende udviklingsforløb", "kind": "module",
             "stage": "long_term", "tariff": {"day": "2928", "month": "89056", "year": "1068677"}},
            {"id": "lav", "name": "Lav takst", "tariff": {"day": "2008"}}
        ],
        "package_scheme": {"basis": "1000", "interval": "349", "band_hours_per_week": "7"},
        "part_time": [{"of": "udvikling", "days_per_week": 3, "pct": "85", "day": "3158.60"}],
        "add_ons": [
            {"id": "to_timer", "name": "2 timer ugentligt", "unit": "day", "price": "1462.80"},
            {"id": "ekstra", "name": "Ekstra støtte", "unit": "hour", "price": "465"}
        ]
    })
}

fn request(courses: Value, extra: Value) -> Value {
    let mut r = json!({ "version": 1, "catalogue": sheet(), "courses": courses,
                        "index": {"rates_pct": [{"year": 2027, "pct": "1.96"}, {"year": 2028, "pct": "3.56"}]} });
    if let (Some(r), Some(extra)) = (r.as_object_mut(), extra.as_object()) {
        for (k, v) in extra {
            r.insert(k.clone(), v.clone());
        }
    }
    r
}

fn evaluate(request: &Value) -> Value {
    let text = request.to_string();
    let out: Value = serde_json::from_str(&takst::evaluate_json(&text)).unwrap();
    if out["ok"] == true {
        // Every priced course explains itself exactly.
        let parsed = takst::Request::from_json(&text).unwrap();
        let response = takst::evaluate(&parsed);
        assert_eq!(response.explanation.unwrap().verify(), Ok(()));
    }
    out
}

/// The explanation of a request that computes (with the graph kept): it recomputes, and no
/// key is given to two of its figures.
fn explained(text: &str, case: &str) -> takst::Explanation {
    let response = takst::evaluate(&takst::Request::from_json(text).unwrap());
    assert!(response.ok, "{case}: {:?}", response.errors);
    let ex = response.explanation.unwrap();
    assert_eq!(ex.verify(), Ok(()), "{case}");
    let mut keys: Vec<String> = ex.nodes().map(|n| n.key()).collect();
    let all = keys.len();
    keys.sort();
    keys.dedup();
    assert_eq!(keys.len(), all, "{case}: a key given to two figures");
    ex
}

/// (code, path) of each error of a response.
fn problems(out: &Value) -> Vec<(String, String)> {
    out["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["code"].as_str().unwrap().into(),
                e["path"].as_str().unwrap().into(),
            )
        })
        .collect()
}

fn quote(request: &Value) -> Value {
    let out = evaluate(request);
    assert_eq!(out["ok"], true, "{}", out["errors"]);
    out["courses"][0].clone()
}

/// (month, service, days, amount) of every line.
fn lines(q: &Value) -> Vec<(String, String, u64, String)> {
    q["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["month"].as_str().unwrap().into(),
                l["add_on"]
                    .as_str()
                    .or(l["service"].as_str())
                    .unwrap()
                    .into(),
                l["days"].as_u64().unwrap(),
                l["amount"].as_str().unwrap().into(),
            )
        })
        .collect()
}

fn line(month: &str, service: &str, days: u64, amount: &str) -> (String, String, u64, String) {
    (month.into(), service.into(), days, amount.into())
}

#[test]
fn five_plus_eight_months_from_mid_september_across_a_year_with_indexation() {
    // Start 15 September 2026. Udredning 5 months: ends the day before 15 February 2027,
    // i.e. 14 February. Udvikling 8 months: ends the day before 15 + 13 months = 15 October
    // 2027, i.e. 14 October. 2026 days at the sheet's tariffs; 2027 days at the tariffs
    // indexed by 1.96 %, rounded to øre once: 4,801 × 1.0196 = 4,895.0996 → 4,895.10 and
    // 3,716 × 1.0196 = 3,788.8336 → 3,788.83.
    let q = quote(&request(
        json!([{ "start": "2026-09-15", "phases": [
            {"service": "udredning", "months": 5}, {"service": "udvikling", "months": 8}]}]),
        json!({}),
    ));
    assert_eq!(
        lines(&q),
        vec![
            line("2026-09", "udredning", 16, "76816.00"), // 16 × 4,801
            line("2026-10", "udredning", 31, "148831.00"),
            line("2026-11", "udredning", 30, "144030.00"),
            line("2026-12", "udredning", 31, "148831.00"),
            line("2027-01", "udredning", 31, "151748.10"), // 31 × 4,895.10
            line("2027-02", "udredning", 14, "68531.40"),  // 1–14 February
            line("2027-02", "udvikling", 14, "53043.62"),  // 15–28 February × 3,788.83
            line("2027-03", "udvikling", 31, "117453.73"),
            line("2027-04", "udvikling", 30, "113664.90"),
            line("2027-05", "udvikling", 31, "117453.73"),
            line("2027-06", "udvikling", 30, "113664.90"),
            line("2027-07", "udvikling", 31, "117453.73"),
            line("2027-08", "udvikling", 31, "117453.73"),
            line("2027-09", "udvikling", 30, "113664.90"),
            line("2027-10", "udvikling", 14, "53043.62"),
        ]
    );
    // 518,508.00 in 2026 + 1,137,176.36 in 2027 = 1,655,684.36; 108 + 287 = 395 days.
    assert_eq!(q["years"][0]["amount"], "518508.00");
    assert_eq!(q["years"][1]["amount"], "1137176.36");
    assert_eq!(q["total"], "1655684.36");
    assert_eq!(q["days"], 395);
    // Each 2027 line says where its tariff came from.
    assert_eq!(q["lines"][4]["tariff"], "4895.10");
    assert_eq!(
        q["lines"][4]["source"],
        json!({"from": "indexed", "base_year": 2026, "method": "cumulative"})
    );
    assert_eq!(
        q["lines"][0]["source"],
        json!({"from": "sheet", "year": 2026})
    );
    // In arrears: the September line is invoiced on 1 October.
    assert_eq!(q["lines"][0]["invoice_date"], "2026-10-01");
    // The flat average tariff for the same days: 108 × 3,657 = 394,956.00 in 2026, and
    // 287 × 3,728.68 (3,657 × 1.0196 = 3,728.6772) = 1,070,131.16 in 2027.
    let cmp = &q["comparison"];
    assert_eq!(cmp["flat"], "1465087.16");
    assert_eq!(cmp["course"], "1655684.36");
    assert_eq!(cmp["difference"], "190597.20");
}

#[test]
fn a_course_from_31_january_clamps_at_month_ends() {
    // 31 January + 1 month = 28 February, so the first 1-month phase ends 27 February; the
    // next runs 28 February – 30 March (31 January + 2 months = 31 March, minus a day); the
    // 10-day phase runs 31 March – 9 April.
    let q = quote(&request(
        json!([{ "start": "2026-01-31", "phases": [
            {"service": "udredning", "months": 1}, {"service": "udvikling", "months": 1},
            {"service": "laengerevarende", "days": 10}]}]),
        json!({}),
    ));
    let schedule: Vec<(String, String)> = q["schedule"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["from"].as_str().unwrap().into(),
                s["to"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        schedule,
        vec![
            ("2026-01-31".into(), "2026-02-27".into()),
            ("2026-02-28".into(), "2026-03-30".into()),
            ("2026-03-31".into(), "2026-04-09".into()),
        ]
    );
    assert_eq!(
        lines(&q),
        vec![
            line("2026-01", "udredning", 1, "4801.00"),
            line("2026-02", "udredning", 27, "129627.00"),
            line("2026-02", "udvikling", 1, "3716.00"),
            line("2026-03", "udvikling", 30, "111480.00"),
            line("2026-03", "laengerevarende", 1, "2928.00"),
            line("2026-04", "laengerevarende", 9, "26352.00"),
        ]
    );
    assert_eq!(q["total"], "278904.00");
}

#[test]
fn a_change_of_intensity_after_three_months_is_repriced_from_the_change() {
    // Udredning planned for 5 months from 1 March (to 31 July). After 3 months the need
    // falls: udvikling from 1 June to the end of that phase. June and July are credited
    // 30 × (3,716 − 4,801) = −32,550.00 and 31 × −1,085 = −33,635.00.
    let q = quote(&request(
        json!([{ "start": "2026-03-01",
                 "phases": [{"service": "udredning", "months": 5}, {"service": "udvikling", "months": 8}],
                 "changes": [{"service": {"from": "2026-06-01", "service": "udvikling"}}]}]),
        json!({}),
    ));
    let changes = &q["changes"];
    assert_eq!(changes["difference"], "-66185.00");
    assert_eq!(
        changes["months"],
        json!([
            {"month": "2026-06", "original": "144030.00", "changed": "111480.00", "difference": "-32550.00"},
            {"month": "2026-07", "original": "148831.00", "changed": "115196.00", "difference": "-33635.00"}
        ])
    );
    assert_eq!(q["lines"][3]["service"], "udvikling");
    assert_eq!(q["lines"][3]["month"], "2026-06");
}

#[test]
fn termination_with_notice_bills_to_the_end_of_notice() {
    // Udvikling for 12 months from 1 March 2026; notice given 20 May with the default
    // one-month notice: the course ends 20 June. 31 + 30 + 31 + 20 = 112 døgn × 3,716.
    let q = quote(&request(
        json!([{ "start": "2026-03-01", "phases": [{"service": "udvikling", "months": 12}],
                 "changes": [{"terminate": {"notice_given": "2026-05-20"}}]}]),
        json!({}),
    ));
    assert_eq!(q["total"], "416192.00");
    assert_eq!(q["schedule"][0]["to"], "2026-06-20");
    // Acute places: day to day, the course ends on the day notice is given.
    let q = quote(&request(
        json!([{ "start": "2026-03-01", "phases": [{"service": "udvikling", "months": 12}],
                 "changes": [{"terminate": {"notice_given": "2026-05-20", "notice": {"days": 0}}}]}]),
        json!({}),
    ));
    assert_eq!(q["schedule"][0]["to"], "2026-05-20");
    assert_eq!(q["days"], 31 + 30 + 20);
    // Notice to the end of the month in which it expires: 30 June.
    let q = quote(&request(
        json!([{ "start": "2026-03-01", "phases": [{"service": "udvikling", "months": 12}],
                 "changes": [{"terminate": {"notice_given": "2026-05-20", "notice": {"months": 1, "to_month_end": true}}}]}]),
        json!({}),
    ));
    assert_eq!(q["schedule"][0]["to"], "2026-06-30");
}

#[test]
fn an_open_ended_course_runs_to_its_end_dates() {
    // Udredning from 10 February to 15 April, then udvikling until 31 December 2026.
    let q = quote(&request(
        json!([{ "start": "2026-02-10", "phases": [
            {"service": "udredning", "until": "2026-04-15"},
            {"service": "udvikling", "until": "2026-12-31"}]}]),
        json!({}),
    ));
    // 19 + 31 + 15 = 65 days of udredning; 15 + 31 + … + 31 = 260 days of udvikling.
    assert_eq!(q["days"], 65 + 260);
    assert_eq!(q["total"], (65 * 4801 + 260 * 3716).to_string() + ".00");
}

#[test]
fn first_and_last_day_conventions() {
    // 10 days from 1 March; not billing the departure day leaves 9.
    let course =
        json!([{ "start": "2026-03-01", "phases": [{"service": "udvikling", "days": 10}]}]);
    assert_eq!(quote(&request(course.clone(), json!({})))["days"], 10);
    let q = quote(&request(
        course.clone(),
        json!({"billing": {"last_day": false}}),
    ));
    assert_eq!(q["days"], 9);
    assert_eq!(q["total"], "33444.00");
    // The last line ends on the last *billed* day, 9 March (the end day 10 March is not).
    let last = q["lines"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(
        (&last["from"], &last["to"]),
        (&json!("2026-03-01"), &json!("2026-03-09"))
    );
    let q = quote(&request(
        course,
        json!({"billing": {"first_day": false, "last_day": false}}),
    ));
    assert_eq!(q["days"], 8);
    let line = &q["lines"][0];
    assert_eq!(
        (&line["from"], &line["to"]),
        (&json!("2026-03-02"), &json!("2026-03-09"))
    );
    // Across months: the end day alone in its month leaves no line in it.
    let q = quote(&request(
        json!([{ "start": "2026-03-20", "phases": [{"service": "udvikling", "until": "2026-04-01"}]}]),
        json!({"billing": {"last_day": false}}),
    ));
    let lines = q["lines"].as_array().unwrap();
    assert_eq!(lines.len(), 1);
    assert_eq!(
        (&lines[0]["to"], &lines[0]["days"]),
        (&json!("2026-03-31"), &json!(12))
    );
}

#[test]
fn full_months_at_the_month_tariff_and_a_conto_dates() {
    // 15 March – 14 May: March and May per day, April in full at the month tariff 113,043.
    let q = quote(&request(
        json!([{ "start": "2026-03-15", "phases": [{"service": "udvikling", "months": 2}]}]),
        json!({"billing": {"invoicing": "full_months", "in_advance": true}}),
    ));
    assert_eq!(
        lines(&q),
        vec![
            line("2026-03", "udvikling", 17, "63172.00"),
            line("2026-04", "udvikling", 30, "113043.00"),
            line("2026-05", "udvikling", 14, "52024.00"),
        ]
    );
    assert_eq!(q["lines"][1]["basis"], "full_month");
    // A conto: invoiced on the first of the month itself.
    assert_eq!(q["lines"][1]["invoice_date"], "2026-04-01");
}

#[test]
fn a_whole_month_at_one_service_is_a_full_month_across_phases_and_changes() {
    let full = json!({"billing": {"invoicing": "full_months"}});
    // Two phases of udvikling that differ only in an add-on, 1–9 and 10–31 December: the
    // month is udvikling every day, so it is one line at the month tariff, 113,043 (not
    // 9 × 3,716 + 22 × 3,716 = 115,196), billed by the phase at its first day; the add-on
    // 9 × 1,462.80 = 13,165.20.
    let q = quote(&request(
        json!([{ "start": "2026-12-01", "phases": [
            {"service": "udvikling", "days": 9, "add_ons": [{"id": "to_timer"}]},
            {"service": "udvikling", "until": "2026-12-31"}]}]),
        full.clone(),
    ));
    assert_eq!(
        lines(&q),
        vec![
            line("2026-12", "udvikling", 31, "113043.00"),
            line("2026-12", "to_timer", 9, "13165.20"),
        ]
    );
    assert_eq!(
        (&q["lines"][0]["basis"], &q["lines"][0]["phase"]),
        (&json!("full_month"), &json!(0))
    );
    assert_eq!(q["total"], "126208.20");

    // Across months: 15 October – 9 November, then 10 November – 20 December. October per
    // day, 17 × 3,716 = 63,172 (phase 0); November whole, 113,043 (phase 0, which holds
    // 1 November); December per day, 20 × 3,716 = 74,320 (phase 1).
    let q = quote(&request(
        json!([{ "start": "2026-10-15", "phases": [
            {"service": "udvikling", "until": "2026-11-09"},
            {"service": "udvikling", "until": "2026-12-20"}]}]),
        full.clone(),
    ));
    assert_eq!(
        lines(&q),
        vec![
            line("2026-10", "udvikling", 17, "63172.00"),
            line("2026-11", "udvikling", 30, "113043.00"),
            line("2026-12", "udvikling", 20, "74320.00"),
        ]
    );
    let phases: Vec<&Value> = q["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| &l["phase"])
        .collect();
    assert_eq!(phases, [&json!(0), &json!(0), &json!(1)]);

    // A change to the service the course already has, from 10 December: nothing changes,
    // December stays one month at 113,043, and the change costs 0.
    let q = quote(&request(
        json!([{ "start": "2026-11-01", "phases": [{"service": "udvikling", "months": 2}],
                 "changes": [{"service": {"from": "2026-12-10", "service": "udvikling"}}]}]),
        full.clone(),
    ));
    assert_eq!(
        lines(&q),
        vec![
            line("2026-11", "udvikling", 30, "113043.00"),
            line("2026-12", "udvikling", 31, "113043.00"),
        ]
    );
    assert_eq!(q["changes"]["difference"], "0.00");

    // A change to another service does cut the month: 9 × 3,716 = 33,444 and
    // 22 × 4,801 = 105,622, per day.
    let q = quote(&request(
        json!([{ "start": "2026-11-01", "phases": [{"service": "udvikling", "months": 2}],
                 "changes": [{"service": {"from": "2026-12-10", "service": "udredning"}}]}]),
        full.clone(),
    ));
    assert_eq!(
        lines(&q)[1..],
        [
            line("2026-12", "udvikling", 9, "33444.00"),
            line("2026-12", "udredning", 22, "105622.00"),
        ]
    );
    // So does an unbilled first day: November is not whole and keeps a line per phase,
    // 8 × 3,716 = 29,728 (2–9) and 21 × 3,716 = 78,036; December is whole.
    let q = quote(&request(
        json!([{ "start": "2026-11-01", "phases": [
            {"service": "udvikling", "days": 9}, {"service": "udvikling", "until": "2026-12-31"}]}]),
        json!({"billing": {"invoicing": "full_months", "first_day": false}}),
    ));
    assert_eq!(
        lines(&q),
        vec![
            line("2026-11", "udvikling", 8, "29728.00"),
            line("2026-11", "udvikling", 21, "78036.00"),
            line("2026-12", "udvikling", 31, "113043.00"),
        ]
    );
}

#[test]
fn a_change_without_until_runs_to_the_end_of_its_phase_also_after_an_earlier_change() {
    // Udredning 1 March – 31 July (5 months), then længerevarende. Two changes dated 1 April:
    // udvikling to 30 April, then længerevarende with no `until`, which the second means as
    // a correction. Without `until` a change runs to the end of the phase in effect, 31 July
    // (not to the 30 April where the first change ended): 31 × 4,801 = 148,831 for March,
    // then længerevarende every day to 30 September: 183 × 2,928 = 535,824; 684,655 in all,
    // what the second change alone gives.
    let course = |changes: Value| {
        json!([{ "start": "2026-03-01", "changes": changes, "phases": [
            {"service": "udredning", "months": 5}, {"service": "laengerevarende", "months": 2}]}])
    };
    let both = quote(&request(
        course(json!([
            {"service": {"from": "2026-04-01", "service": "udvikling", "until": "2026-04-30"}},
            {"service": {"from": "2026-04-01", "service": "laengerevarende"}}])),
        json!({}),
    ));
    let alone = quote(&request(
        course(json!([{"service": {"from": "2026-04-01", "service": "laengerevarende"}}])),
        json!({}),
    ));
    assert_eq!(both["total"], "684655.00");
    assert_eq!(alone["total"], "684655.00");
    let schedule: Vec<(&str, &str)> = both["schedule"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["service"].as_str().unwrap(), s["to"].as_str().unwrap()))
        .collect();
    assert_eq!(
        schedule,
        [
            ("udredning", "2026-03-31"),
            ("laengerevarende", "2026-04-30"),
            ("laengerevarende", "2026-07-31"),
            ("laengerevarende", "2026-09-30"),
        ]
    );
}

#[test]
fn the_original_plans_years_priced_at_another_years_tariff_are_warned_of() {
    // 36 months of udvikling from March 2026, with an index to 2027 only, terminated with
    // notice given 10 June 2026: the course itself ends in 2026, but the change report
    // prices the original plan, whose 2028 and 2029 are carried at the 2027 tariff
    // (3,716 × 1.02 = 3,790.32; January 2028: 31 × 3,790.32 = 117,499.92). The response
    // says so, as it does for the plan without the termination.
    let out = evaluate(&request(
        json!([{ "start": "2026-03-01", "phases": [{"service": "udvikling", "months": 36}],
                 "changes": [{"terminate": {"notice_given": "2026-06-10"}}]}]),
        json!({"index": {"rates_pct": [{"year": 2027, "pct": "2"}]}}),
    ));
    assert_eq!(out["ok"], true, "{}", out["errors"]);
    let months = out["courses"][0]["changes"]["months"].as_array().unwrap();
    let jan_2028 = months.iter().find(|m| m["month"] == "2028-01").unwrap();
    assert_eq!(jan_2028["original"], "117499.92");
    let w = warnings(&out, "tariff_year_unknown");
    assert_eq!(w.len(), 2, "{w:?}");
    for (w, year) in w.iter().zip(["2028", "2029"]) {
        let text = w["message"].as_str().unwrap();
        assert!(
            text.contains(year) && text.contains("original plan"),
            "{text}"
        );
        assert_eq!(w["path"], "courses[0]");
    }
}

#[test]
fn an_add_on_ended_before_the_course_begins_is_refused() {
    // A year's typing error would end the add-on for the whole course.
    let out = evaluate(&request(
        json!([{ "start": "2026-03-01", "phases": [
            {"service": "udvikling", "months": 2, "add_ons": [{"id": "to_timer"}]}],
            "changes": [{"end_add_on": {"from": "2025-03-15", "id": "to_timer"}}]}]),
        json!({}),
    ));
    assert_eq!(
        problems(&out),
        [(
            "out_of_range".to_string(),
            "courses[0].changes[0].end_add_on.from".to_string()
        )]
    );
    // From the first day it is the course's own choice: the add-on never runs.
    let q = quote(&request(
        json!([{ "start": "2026-03-01", "phases": [
            {"service": "udvikling", "months": 2, "add_ons": [{"id": "to_timer"}]}],
            "changes": [{"end_add_on": {"from": "2026-03-01", "id": "to_timer"}}]}]),
        json!({}),
    ));
    assert!(lines(&q).iter().all(|l| l.1 == "udvikling"));
}

/// A quote's comparison, month by month: (month, course, flat, difference).
fn compared(q: &Value) -> Vec<(String, String, String, String)> {
    q["comparison"]["months"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            let s = |k: &str| m[k].as_str().unwrap().to_string();
            (s("month"), s("course"), s("flat"), s("difference"))
        })
        .collect()
}

fn row(
    month: &str,
    course: &str,
    flat: &str,
    difference: &str,
) -> (String, String, String, String) {
    (month.into(), course.into(), flat.into(), difference.into())
}

#[test]
fn the_flat_side_is_billed_as_the_course_is() {
    // Full months: April is billed at the month tariff (113,043), so the flat side bills it
    // at the average's month tariff, 111,244 (not 30 × 3,657 = 109,710). March (17 days) and
    // May (14) per day on both sides: 17 × 3,716 = 63,172 against 17 × 3,657 = 62,169, and
    // 14 × 3,716 = 52,024 against 14 × 3,657 = 51,198.
    let q = quote(&request(
        json!([{ "start": "2026-03-15", "phases": [{"service": "udvikling", "months": 2}]}]),
        json!({"billing": {"invoicing": "full_months"}}),
    ));
    assert_eq!(
        compared(&q),
        vec![
            row("2026-03", "63172.00", "62169.00", "1003.00"),
            row("2026-04", "113043.00", "111244.00", "1799.00"),
            row("2026-05", "52024.00", "51198.00", "826.00"),
        ]
    );
    assert_eq!(q["comparison"]["difference"], "3628.00");
    // A course at the average itself costs what the flat tariff costs, month for month.
    let q = quote(&request(
        json!([{ "start": "2026-03-01", "phases": [{"service": "average", "months": 1}]}]),
        json!({"billing": {"invoicing": "full_months"}}),
    ));
    assert_eq!(
        compared(&q),
        vec![row("2026-03", "111244.00", "111244.00", "0.00")]
    );

    // Part time, 3 days a week: the flat side is the average's own 3-day tariff, 85 % of
    // 3,657 = 3,108.45: 10 × 3,158.60 = 31,586 against 10 × 3,108.45 = 31,084.50.
    let part_time = json!([{ "start": "2026-03-01", "phases": [
        {"service": "udvikling", "part_time_days": 3, "days": 10}]}]);
    let mut r = request(part_time.clone(), json!({}));
    r["catalogue"]["part_time"]
        .as_array_mut()
        .unwrap()
        .push(json!({"of": "average", "days_per_week": 3, "pct": "85", "day": "3108.45"}));
    let out = evaluate(&r);
    assert_eq!(
        compared(&out["courses"][0]),
        vec![row("2026-03", "31586.00", "31084.50", "501.50")]
    );
    assert!(warnings(&out, "comparison_at_full_day").is_empty());
    // Without an average part-time row the full average day is all there is, and the
    // response says so: 10 × 3,657 = 36,570.
    let out = evaluate(&request(part_time, json!({})));
    assert_eq!(
        compared(&out["courses"][0]),
        vec![row("2026-03", "31586.00", "36570.00", "-4984.00")]
    );
    let w = warnings(&out, "comparison_at_full_day");
    assert_eq!(w.len(), 1);
    assert_eq!(w[0]["path"], "courses[0]");
    assert_eq!(
        w[0]["message_da"],
        "Takstbladet har ingen deltidstakst for gennemsnittet ved 3 dage om ugen i 2026, så \
         forløbets deltidsdage sammenlignes med den fulde gennemsnitstakst pr. dag."
    );
    // Lines of different days a week in one month are each compared at the average's tariff
    // for theirs, summed and rounded once: 10 part-time days (31,586) and 5 full
    // (5 × 3,716 = 18,580) against 10 × 3,108.45 + 5 × 3,657 = 49,369.50.
    let average_row = json!({"of": "average", "days_per_week": 3, "pct": "85", "day": "3108.45"});
    let mut r = request(
        json!([{ "start": "2026-03-01", "phases": [
            {"service": "udvikling", "part_time_days": 3, "days": 10},
            {"service": "udvikling", "days": 5}]}]),
        json!({}),
    );
    r["catalogue"]["part_time"]
        .as_array_mut()
        .unwrap()
        .push(average_row.clone());
    let out = evaluate(&r);
    assert_eq!(
        compared(&out["courses"][0]),
        vec![row("2026-03", "50166.00", "49369.50", "796.50")]
    );
    assert!(warnings(&out, "comparison_at_full_day").is_empty());
    // 3 days a week, then 2, where the average has a row for 3 only: 10 × 3,108.45 and the 2-day
    // line at the full day, 5 × 3,657 = 18,285, with the warning (the course itself:
    // 31,586 + 5 × 2,229.60 = 42,734).
    let mut r = request(
        json!([{ "start": "2026-03-01", "phases": [
            {"service": "udvikling", "part_time_days": 3, "days": 10},
            {"service": "udvikling", "part_time_days": 2, "days": 5}]}]),
        json!({}),
    );
    let rows = r["catalogue"]["part_time"].as_array_mut().unwrap();
    rows.push(average_row);
    rows.push(json!({"of": "udvikling", "days_per_week": 2, "pct": "60", "day": "2229.60"}));
    let out = evaluate(&r);
    assert_eq!(
        compared(&out["courses"][0]),
        vec![row("2026-03", "42734.00", "49369.50", "-6635.50")]
    );
    assert_eq!(warnings(&out, "comparison_at_full_day").len(), 1);
    // Once per course, however many months: two months without the average's row.
    let out = evaluate(&request(
        json!([{ "start": "2026-03-01", "phases": [
            {"service": "udvikling", "part_time_days": 3, "months": 2}]}]),
        json!({}),
    ));
    assert_eq!(compared(&out["courses"][0]).len(), 2);
    assert_eq!(warnings(&out, "comparison_at_full_day").len(), 1);
}

#[test]
fn day_tariffs_of_a_shorter_year_billed_per_calendar_day_are_warned_of() {
    // A school home's sheet: day tariffs over 334 days. Billed per day, every calendar day
    // counts (2 × 3,716 = 7,432), and the response says so, once per course.
    let mut r = request(
        json!([{ "start": "2026-03-01", "phases": [
            {"service": "udvikling", "days": 2}, {"service": "udredning", "days": 2}]}]),
        json!({}),
    );
    r["catalogue"]["day_basis"] = json!(334);
    let out = evaluate(&r);
    assert_eq!(out["courses"][0]["lines"][0]["amount"], "7432.00");
    let w = warnings(&out, "day_basis_billed_daily");
    assert_eq!(w.len(), 1);
    assert_eq!(w[0]["path"], "courses[0]");
    assert!(w[0]["message"].as_str().unwrap().contains("over 334 days"));
    // Full months at the month tariff bill no day per day: no warning.
    let mut r = request(
        json!([{ "start": "2026-03-01", "phases": [{"service": "udvikling", "months": 1}]}]),
        json!({"billing": {"invoicing": "full_months"}}),
    );
    r["catalogue"]["day_basis"] = json!(334);
    let out = evaluate(&r);
    assert_eq!(out["courses"][0]["total"], "113043.00");
    assert!(warnings(&out, "day_basis_billed_daily").is_empty());
    // Full months with part months per day (15 January – 14 April): the part months are the
    // convention the warning points to, so it is quiet.
    let mut r = request(
        json!([{ "start": "2026-01-15", "phases": [{"service": "udvikling", "months": 3}]}]),
        json!({"billing": {"invoicing": "full_months"}}),
    );
    r["catalogue"]["day_basis"] = json!(334);
    assert!(warnings(&evaluate(&r), "day_basis_billed_daily").is_empty());
    // A sheet of 365 days is quiet.
    let out = evaluate(&request(
        json!([{ "start": "2026-03-01", "phases": [{"service": "udvikling", "days": 2}]}]),
        json!({}),
    ));
    assert!(warnings(&out, "day_basis_billed_daily").is_empty());
    // The sheet the lines are priced from decides: a 2026 sheet of 334 days and a 2027 sheet
    // of 365; a course in 2027 is quiet, one in 2026 is warned of.
    let (mut y2026, mut y2027) = (sheet(), sheet());
    y2026["day_basis"] = json!(334);
    y2027["offer"]["year"] = json!(2027);
    for (start, warned) in [("2027-03-01", false), ("2026-03-01", true)] {
        let out = evaluate(
            &json!({"version": 1, "catalogues": [y2026.clone(), y2027.clone()],
            "courses": [{"start": start, "phases": [{"service": "udvikling", "days": 2}]}]}),
        );
        assert_eq!(
            warnings(&out, "day_basis_billed_daily").len(),
            usize::from(warned),
            "{start}"
        );
    }
}

#[test]
fn cumulative_and_chained_indexation_differ_by_the_rounding() {
    // 2,008 kr in 2026; 2028 after +1.96 % and +3.56 %:
    // cumulative: 2,008 × 1.0196 × 1.0356 = 2,120.2429… → 2,120.24;
    // chained: 2,008 × 1.0196 = 2,047.3568 → 2,047.36; × 1.0356 = 2,120.2460… → 2,120.25.
    let course = json!([{ "start": "2028-01-01", "phases": [{"service": "lav", "days": 1}]}]);
    let q = quote(&request(course.clone(), json!({})));
    assert_eq!(q["lines"][0]["tariff"], "2120.24");
    let mut r = request(course, json!({}));
    r["index"]["method"] = json!("chained");
    let q = quote(&r);
    assert_eq!(q["lines"][0]["tariff"], "2120.25");
    // An index series gives the same cumulative factor: 105.5898… / 100.
    let mut r = request(
        json!([{ "start": "2028-01-01", "phases": [{"service": "lav", "days": 1}]}]),
        json!({}),
    );
    r["index"] =
        json!({"values": [{"year": 2026, "value": "100"}, {"year": 2028, "value": "105.589776"}]});
    assert_eq!(quote(&r)["lines"][0]["tariff"], "2120.24");
}

#[test]
fn a_year_no_sheet_or_index_reaches_is_priced_with_a_warning() {
    // The index reaches 2028; 2029 days are priced at the 2028 tariff, and the response says so.
    let out = evaluate(&request(
        json!([{ "start": "2028-12-30", "phases": [{"service": "lav", "days": 4}]}]),
        json!({}),
    ));
    assert_eq!(out["ok"], true);
    // After the sheet's own (part-time rows on a residential sheet).
    assert_eq!(out["warnings"][0]["code"], "part_time_residential");
    assert_eq!(out["warnings"][1]["code"], "tariff_year_unknown");
    assert_eq!(out["warnings"][1]["path"], "courses[0]");
    assert!(out["warnings"][1]["message"]
        .as_str()
        .unwrap()
        .contains("2029"));
    let q = &out["courses"][0];
    assert_eq!(
        q["lines"][1]["source"],
        json!({"from": "carried", "year": 2028})
    );
    assert_eq!(q["lines"][1]["tariff"], "2120.24");
}

#[test]
fn packages_part_time_and_add_ons() {
    // Package 12, not listed: 1,000 + round(11.5 × 349 = 4,013.5) = 5,014 kr per døgn.
    // Part-time udvikling 3 days a week: 3,158.60 per day.
    // Add-on 2 timer per calendar day: 10 × 1,462.80; extra support 8 hours a month at
    // 465 kr for 10 of March's 31 days: 8 × 10/31 = 80/31 hours, × 465 = 37,200/31 = 1,200.
    let q = quote(&request(
        json!([{ "start": "2026-03-01", "phases": [
            {"package": 12, "days": 10, "add_ons": [{"id": "to_timer"}, {"id": "ekstra", "quantity_per_month": "8"}]},
            {"service": "udvikling", "part_time_days": 3, "days": 5}]}]),
        json!({}),
    ));
    assert_eq!(
        lines(&q),
        vec![
            line("2026-03", "package[12]", 10, "50140.00"),
            line("2026-03", "udvikling", 5, "15793.00"),
            line("2026-03", "to_timer", 10, "14628.00"),
            line("2026-03", "ekstra", 10, "1200.00"),
        ]
    );
    assert_eq!(q["lines"][3]["basis"], "per_unit");
    assert_eq!(q["lines"][3]["quantity_per_month"], "8");
}

#[test]
fn bad_courses_give_errors_with_paths() {
    let err = |courses: Value| -> Vec<(String, String)> {
        let out = evaluate(&request(courses, json!({})));
        assert_eq!(out["ok"], false, "{out}");
        problems(&out)
    };
    let p = |code: &str, path: &str| vec![(code.to_string(), path.to_string())];
    assert_eq!(
        err(json!([{ "start": "2026-03-01", "phases": [{"service": "udvikling", "months": 0}]}])),
        p("not_positive", "courses[0].phases[0].months")
    );
    assert_eq!(
        err(
            json!([{ "start": "2026-03-01", "phases": [{"service": "udvikling", "until": "2026-02-01"}]}])
        ),
        p("out_of_range", "courses[0].phases[0].until")
    );
    assert_eq!(
        err(
            json!([{ "start": "2026-03-01", "phases": [{"service": "udvikling", "months": 2},
        {"service": "udredning", "until": "2026-04-01"}]}])
        ),
        p("out_of_range", "courses[0].phases[1].until")
    );
    assert_eq!(
        err(json!([{ "start": "2026-03-01", "phases": [{"service": "ukendt", "days": 3}]}])),
        p("unknown_reference", "courses[0].phases[0].service")
    );
    assert_eq!(
        err(json!([{ "start": "2026-02-30", "phases": [{"service": "udvikling", "days": 3}]}])),
        p("invalid_value", "courses[0].start")
    );
    // Dates are exactly YYYY-MM-DD: a time, a basic or an expanded form is refused rather
    // than cut short to a date.
    for start in [
        "2026-03-01T00:00",
        "20260301",
        "+002026-03-01",
        "2026-3-1",
        " 2026-03-01",
    ] {
        assert_eq!(
            err(json!([{ "start": start, "phases": [{"service": "udvikling", "days": 3}]}])),
            p("invalid_value", "courses[0].start"),
            "{start}"
        );
    }
    assert_eq!(
        err(
            json!([{ "start": "2026-03-01", "phases": [{"service": "udvikling", "until": "2026-04-31"}]}])
        ),
        p("invalid_value", "courses[0].phases[0].until")
    );
    assert_eq!(
        err(json!([{ "start": "2026-03-01", "phases": []}])),
        p("missing_value", "courses[0].phases")
    );
    assert_eq!(
        err(
            json!([{ "start": "2026-03-01", "phases": [{"service": "udvikling", "days": 3, "months": 1}]}])
        ),
        p("conflict", "courses[0].phases[0]")
    );
    assert_eq!(
        err(
            json!([{ "start": "2026-03-01", "phases": [{"service": "udvikling", "days": 3}],
        "changes": [{"service": {"from": "2027-01-01", "service": "udredning"}}]}])
        ),
        p("out_of_range", "courses[0].changes[0].service.from")
    );
    assert_eq!(
        err(
            json!([{ "start": "2026-03-01", "phases": [{"service": "udvikling", "days": 3,
        "add_ons": [{"id": "ekstra"}]}]}])
        ),
        p(
            "missing_value",
            "courses[0].phases[0].add_ons[0].quantity_per_month"
        )
    );
}

#[test]
fn a_caseload_sums_per_municipality_month_and_year() {
    let courses = json!([
        {"municipality": "Aarhus", "start": "2026-12-01", "phases": [{"service": "udvikling", "months": 2}]},
        {"municipality": "Aarhus", "start": "2026-12-15", "phases": [{"service": "udredning", "days": 20}]},
        {"municipality": "Silkeborg", "start": "2026-01-01", "phases": [{"service": "udvikling", "days": 1}]}
    ]);
    let out = evaluate(&request(
        courses,
        json!({"options": {"caseload": true, "quotes": false}}),
    ));
    assert_eq!(out["ok"], true);
    assert!(
        out.get("courses").is_none(),
        "quotes: false leaves them out"
    );
    let aarhus = &out["caseload"][0];
    assert_eq!(aarhus["municipality"], "Aarhus");
    assert_eq!(aarhus["courses"], 2);
    // December 2026: 31 × 3,716 + 17 × 4,801 = 115,196 + 81,617 = 196,813.00.
    // January 2027: 31 × 3,788.83 + 3 × 4,895.10 = 117,453.73 + 14,685.30 = 132,139.03.
    assert_eq!(
        aarhus["months"],
        json!([
        {"month": "2026-12", "amount": "196813.00"},
        {"month": "2027-01", "amount": "132139.03"}])
    );
    assert_eq!(
        aarhus["years"],
        json!([{"year": 2026, "amount": "196813.00"}, {"year": 2027, "amount": "132139.03"}])
    );
    assert_eq!(aarhus["total"], "328952.03");
    assert_eq!(out["caseload"][1]["total"], "3716.00");
}

/// The budget lists municipalities by name (as bytes: "" first, then A–Z, then Å before Æ)
/// and each one's months in order, whatever order the courses came in.
#[test]
fn a_caseload_budget_is_sorted_by_name_and_month() {
    let course = |m: Option<&str>, start: &str| {
        let mut c = json!({"start": start, "phases": [{"service": "udvikling", "days": 40}]});
        if let Some(m) = m {
            c["municipality"] = json!(m);
        }
        c
    };
    let courses = json!([
        course(Some("Ærø"), "2027-06-10"),
        course(Some("Silkeborg"), "2026-11-20"),
        course(None, "2026-05-01"),
        course(Some("Århus"), "2027-01-01"),
        course(Some("Aarhus"), "2027-03-01"),
        course(Some("Silkeborg"), "2026-02-01"),
        course(Some("Aarhus"), "2026-01-15"),
    ]);
    let out = evaluate(&request(
        courses,
        json!({"options": {"caseload": true, "quotes": false}}),
    ));
    assert_eq!(out["ok"], true, "{out}");
    let budget = out["caseload"].as_array().unwrap();
    let names: Vec<&str> = budget
        .iter()
        .map(|b| b["municipality"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["", "Aarhus", "Silkeborg", "Århus", "Ærø"]);
    let months = |i: usize| -> Vec<&str> {
        budget[i]["months"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["month"].as_str().unwrap())
            .collect()
    };
    assert_eq!(months(1), ["2026-01", "2026-02", "2027-03", "2027-04"]);
    assert_eq!(months(2), ["2026-02", "2026-03", "2026-11", "2026-12"]);
    assert_eq!(budget[2]["courses"], 2);
    let years: Vec<i64> = budget[2]["years"]
        .as_array()
        .unwrap()
        .iter()
        .map(|y| y["year"].as_i64().unwrap())
        .collect();
    assert_eq!(years, [2026]);
}

#[test]
fn courses_priced_from_a_computed_offer_share_its_figures() {
    // The offer computed in the same request: the course's lines refer to its tariff nodes.
    let text = serde_json::to_string(&json!({
        "version": 1, "offer": takst::Offer::sample(),
        "courses": [{"start": "2026-03-01", "phases": [{"service": "udredning", "days": 2}]}]
    }))
    .unwrap();
    let r = takst::Request::from_json(&text).unwrap();
    let response = takst::evaluate(&r);
    assert!(response.ok, "{:?}", response.errors);
    let ex = response.explanation.unwrap();
    assert_eq!(ex.verify(), Ok(()));
    let line = ex.find("course[0].line[0]").unwrap();
    let tariff = ex.find("service.udredning.day").unwrap();
    assert!(line.inputs().contains(&tariff.id()));
    assert_eq!(line.value().to_string(), "9602");
}

/// The course in docs/format.md prices from the bundled course request's sheet: the
/// documented example stays a valid course.
#[test]
fn the_documented_course_prices() {
    let docs = include_str!("../../docs/format.md");
    let from = docs.find("### Courses").unwrap();
    let block = &docs[from..];
    let start = block.find("```json\n").unwrap() + "```json\n".len();
    let end = start + block[start..].find("```").unwrap();
    let course: Value = serde_json::from_str(&block[start..end]).unwrap();
    let mut r: Value =
        serde_json::from_str(include_str!("../../examples/requests/course.json")).unwrap();
    r["courses"] = json!([course]);
    let q = quote(&r);
    // Terminated on 2027-10-20 with a month's notice: billed to 2027-11-20.
    let last = q["lines"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["to"], "2027-11-20", "{last}");
    assert!(q["changes"]["difference"]
        .as_str()
        .unwrap()
        .starts_with('-'));
}

#[test]
fn a_package_tariff_beyond_a_decimal_is_an_overflow_error_not_a_panic_nor_rounded() {
    // basis + round((n − ½) × interval) did not fit: `Decimal`'s `+` panicked (the first),
    // or rounded the sum to fewer decimals (the second: …950.335 + 150,000 needs 29 digits).
    for (basis, interval, n) in [
        ("79228162514264337593543950335", "700", 5),
        ("79228162514264337593543950.335", "100000", 2),
    ] {
        let mut r = request(
            json!([{"start": "2026-03-01", "phases": [{"package": n, "months": 1}]}]),
            json!({}),
        );
        r["catalogue"]["package_scheme"]["basis"] = json!(basis);
        r["catalogue"]["package_scheme"]["interval"] = json!(interval);
        let out = evaluate(&r);
        assert_eq!(out["ok"], false, "{out}");
        assert_eq!(out["errors"][0]["code"], "overflow", "{out}");
        // At the phase that asked for the package.
        assert_eq!(out["errors"][0]["path"], "courses[0].phases[0]", "{out}");
    }
}

#[test]
fn a_repeated_index_year_is_reported_at_each_repeat_in_any_order() {
    let course =
        json!([{ "start": "2026-03-01", "phases": [{"service": "udvikling", "months": 2}]}]);
    let found = |index: Value| -> Vec<(String, String)> {
        let out = evaluate(&request(course.clone(), json!({ "index": index })));
        assert_eq!(out["ok"], false);
        let mut found = problems(&out);
        found.retain(|(_, path)| path.starts_with("index")); // not the courses'
        found
    };
    let rate = |year: i32, pct: &str| json!({"year": year, "pct": pct});
    let e = |code: &str, path: &str| (code.to_string(), path.to_string());
    // Ascending but for a repeat, out of order, and with a rate out of range after it: each
    // problem at its entry, in the order of the entries.
    assert_eq!(
        found(json!({"rates_pct": [rate(2027, "2"), rate(2027, "2"), rate(2028, "2")]})),
        [e("duplicate_id", "index.rates_pct[1].year")]
    );
    assert_eq!(
        found(
            json!({"rates_pct": [rate(2029, "2"), rate(2027, "2"), rate(2029, "-100"), rate(2027, "100.01")]})
        ),
        [
            e("duplicate_id", "index.rates_pct[2].year"),
            e("out_of_range", "index.rates_pct[2].pct"),
            e("duplicate_id", "index.rates_pct[3].year"),
            e("out_of_range", "index.rates_pct[3].pct"),
        ]
    );
    // The bounds themselves: above −100 % and at most 100 %.
    let ok = evaluate(&request(
        course.clone(),
        json!({ "index": {"rates_pct": [rate(2027, "-99.99"), rate(2028, "100")]} }),
    ));
    assert_eq!(ok["ok"], true, "{}", ok["errors"]);
    let value = |year: i32, v: &str| json!({"year": year, "value": v});
    assert_eq!(
        found(json!({"values": [value(2028, "101"), value(2026, "100"), value(2028, "102")]})),
        [e("duplicate_id", "index.values[2].year")]
    );
}

/// `later_pct`, the rate of every year after the last listed one, is checked as a listed rate
/// is, and goes with rates, not with index values. A year it gives is explained at its path.
#[test]
fn a_later_rate_is_checked_and_explained_at_its_own_path() {
    let course =
        json!([{ "start": "2026-09-15", "phases": [{"service": "udvikling", "months": 30}]}]);
    let found = |index: Value| -> Vec<(String, String)> {
        let out = evaluate(&request(course.clone(), json!({ "index": index })));
        assert_eq!(out["ok"], false);
        let mut found = problems(&out);
        found.retain(|(_, path)| path.starts_with("index"));
        found
    };
    let e = |code: &str, path: &str| (code.to_string(), path.to_string());
    assert_eq!(
        found(json!({"later_pct": "100.01"})),
        [e("out_of_range", "index.later_pct")]
    );
    assert_eq!(
        found(json!({"later_pct": "-100"})),
        [e("out_of_range", "index.later_pct")]
    );
    assert_eq!(
        found(json!({"values": [{"year": 2026, "value": "100"}], "later_pct": "2"})),
        [e("conflict", "index.later_pct")]
    );
    // 2027 from its own rate, 2028 and 2029 from the later one: each year's rate a node at
    // the path it came from, and the 2029 factor their product.
    let text = request(
        course.clone(),
        json!({ "index": {"rates_pct": [{"year": 2027, "pct": "1.96"}], "later_pct": "2.5"} }),
    )
    .to_string();
    let ex = explained(&text, "later");
    let rate = |year: i32| ex.find(&format!("index.{year}.rate_pct")).unwrap();
    assert_eq!(rate(2027).path().as_deref(), Some("index.rates_pct[0].pct"));
    assert_eq!(rate(2028).path().as_deref(), Some("index.later_pct"));
    assert_eq!(rate(2029).path().as_deref(), Some("index.later_pct"));
    assert_eq!(rate(2029).value().to_string(), "2.5");
    let factor = ex.find("index.2026-2029.factor").unwrap();
    // 1.0196 × 1.025 × 1.025
    assert_eq!(factor.value().to_string(), "1.07121725");
    // A factor too large to compute is reported at the field the request has: later_pct,
    // or the index when its years are the listed rates' and later_pct's.
    let long = json!([{ "start": "2190-01-01", "phases": [{"service": "udvikling", "months": 2}]}]);
    for (index, at) in [
        (json!({"later_pct": "1.96"}), "index.later_pct"),
        (
            json!({"rates_pct": [{"year": 2027, "pct": "1.96"}], "later_pct": "1.96"}),
            "index",
        ),
        (
            json!({"rates_pct": (2027..=2190).map(|y| json!({"year": y, "pct": "1.96"})).collect::<Vec<_>>()}),
            "index.rates_pct",
        ),
    ] {
        let out = evaluate(&request(long.clone(), json!({ "index": index })));
        let found = problems(&out);
        assert!(
            found
                .iter()
                .any(|(code, path)| code == "overflow" && path == at),
            "{at}: {out}"
        );
    }
}

/// The index and the billing conventions are checked when given, whether or not a course
/// reads them: a value that cannot be computed is an error at its path, never ignored unread.
#[test]
fn an_index_or_billing_given_is_checked_with_no_course_to_read_it() {
    let no_courses = |extra: Value| {
        let mut r = request(json!([]), extra);
        r.as_object_mut().unwrap().remove("courses");
        evaluate(&r)
    };
    assert_eq!(no_courses(json!({}))["ok"], true);
    let e = |code: &str, path: &str| (code.to_string(), path.to_string());
    let out = no_courses(json!({ "index": {"later_pct": "500"} }));
    assert_eq!(problems(&out), [e("out_of_range", "index.later_pct")]);
    let out = no_courses(json!({ "billing": {"line_rounding": {"increment": "0"}} }));
    assert_eq!(
        problems(&out),
        [e("not_positive", "billing.line_rounding.increment")]
    );
    // With courses, as before: once, before the courses that depend on them.
    let course =
        json!([{ "start": "2026-09-15", "phases": [{"service": "udvikling", "months": 3}]}]);
    let out = evaluate(&request(course, json!({ "index": {"later_pct": "500"} })));
    assert_eq!(
        problems(&out),
        [
            e("out_of_range", "index.later_pct"),
            e("depends_on_error", "courses")
        ]
    );
}

/// Every figure of a course's explanation has a key of its own: tariffs indexed over the same
/// years share one factor node (each made its own before, under the same key), cumulative
/// and chained alike.
#[test]
fn the_tariffs_indexed_over_the_same_years_share_one_factor() {
    for method in ["cumulative", "chained"] {
        let text = request(
            json!([{ "start": "2026-09-15", "phases": [
                {"service": "udredning", "months": 5}, {"service": "udvikling", "months": 20}]}]),
            json!({ "billing": {"comparison": true},
                    "index": {"method": method, "rates_pct": [
                        {"year": 2027, "pct": "1.96"}, {"year": 2028, "pct": "3.56"}]} }),
        )
        .to_string();
        let ex = explained(&text, method);
        // Three tariffs (two services and the comparison's average) indexed to 2027 by one
        // factor.
        let factor = ex.find("index.2026-2027.factor").unwrap();
        let users = ex
            .nodes()
            .filter(|n| n.inputs().contains(&factor.id()))
            .count();
        assert!(users >= 3, "{method}: {users}");
    }
}

/// A chained indexation by index values steps through the years the series lists: a year
/// without a value is passed over (its days carried from the sheet's year, with a warning, as
/// a cumulative indexation carries them), and the next listed year is the last one's rounded
/// tariff × the ratio of the two values. It was an internal error ("an index year without a
/// value").
#[test]
fn a_chained_index_of_values_passes_over_a_year_without_a_value() {
    let course = json!([{ "start": "2026-09-15", "phases": [
        {"service": "udredning", "months": 5}, {"service": "udvikling", "months": 20}]}]);
    let values = json!([{"year": 2026, "value": "100"}, {"year": 2028, "value": "104"}]);
    let mut totals = Vec::new();
    for method in ["chained", "cumulative"] {
        let out = evaluate(&request(
            course.clone(),
            json!({ "index": {"method": method, "values": values} }),
        ));
        assert_eq!(out["ok"], true, "{method}: {}", out["errors"]);
        let q = &out["courses"][0];
        let tariff = |year: i64, service: &str| -> Vec<String> {
            let mut t: Vec<String> = q["lines"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|l| l["tariff_year"] == year && l["service"] == service)
                .map(|l| l["tariff"].as_str().unwrap().to_string())
                .collect();
            t.dedup();
            t
        };
        // 2027 has no value: the sheet's tariffs, carried; 2028: 3,716 × 104 ÷ 100.
        assert_eq!(tariff(2027, "udredning"), ["4801"], "{method}");
        assert_eq!(tariff(2027, "udvikling"), ["3716"], "{method}");
        assert_eq!(tariff(2028, "udvikling"), ["3864.64"], "{method}");
        let carried = out["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w["code"] == "tariff_year_unknown");
        assert!(carried, "{method}: {}", out["warnings"]);
        totals.push(q["total"].clone());
    }
    assert_eq!(totals[0], totals[1]);
}

/// Past the index's reach, the reach year's tariff is the one priced for that year (one
/// figure, not made again), and an add-on whose id is also a service's has a tariff key of its
/// own: every key unique, with sheets of two years, chained and cumulative.
#[test]
fn every_figure_past_the_reach_and_of_a_namesake_add_on_has_its_own_key() {
    let mut s = sheet();
    s["add_ons"].as_array_mut().unwrap().push(
        json!({"id": "udvikling", "name": "Udvikling, tillæg", "unit": "hour", "price": "500"}),
    );
    let mut later = s.clone();
    later["offer"]["year"] = json!(2030);
    for method in ["cumulative", "chained"] {
        let text = json!({
            "version": 1, "catalogues": [s, later],
            "index": {"method": method, "rates_pct": [{"year": 2027, "pct": "1.96"}]},
            "billing": {"comparison": true},
            "courses": [{"start": "2026-09-15", "phases": [
                {"service": "udredning", "months": 5},
                {"service": "udvikling", "months": 30,
                 "add_ons": [{"id": "udvikling", "quantity_per_month": "4"}]}]}]
        })
        .to_string();
        let ex = explained(&text, method);
        // The service's 2027 tariff and the add-on's are two figures with two keys.
        let service = ex.find("catalogues[0].tariff.udvikling.2027.day").unwrap();
        let add_on = ex
            .find("catalogues[0].tariff.add_on.udvikling.2027.day")
            .unwrap();
        assert_eq!(service.value().to_string(), "3788.83", "{method}");
        assert_eq!(add_on.value().to_string(), "509.8", "{method}");
    }
}

/// A course's quote does not depend on the courses priced before it in the same request
/// (the tariffs in force are cached as they are first needed).
#[test]
fn a_course_is_priced_the_same_alone_and_after_others() {
    let index = json!({"method": "chained", "rates_pct": [
        {"year": 2027, "pct": "1.96"}, {"year": 2028, "pct": "3.56"}, {"year": 2029, "pct": "2"}]});
    let late = json!({"start": "2028-11-01", "phases": [{"service": "udvikling", "months": 18}]});
    let early = json!({"start": "2026-05-01", "phases": [
        {"service": "udredning", "months": 3}, {"service": "udvikling", "months": 14}]});
    let alone = quote(&request(json!([late.clone()]), json!({ "index": index })));
    let out = evaluate(&request(json!([early, late]), json!({ "index": index })));
    assert_eq!(out["ok"], true, "{}", out["errors"]);
    let after = &out["courses"][1];
    assert_eq!(after["lines"], alone["lines"]);
    assert_eq!(after["total"], alone["total"]);
}

#[test]
fn an_add_on_billed_twice_for_the_same_days_is_billed_and_warned_of() {
    // "to_timer" (1,462.80 a day) given twice for March: two lines of 31 × 1,462.80 =
    // 45,346.80, and a warning at the second; March's 31 døgn × 3,716 = 115,196.
    let r = evaluate(&request(
        json!([{ "start": "2026-03-01", "phases": [{"service": "udvikling", "months": 1,
                 "add_ons": [{"id": "to_timer"}, {"id": "to_timer"}]}]}]),
        json!({}),
    ));
    let q = &r["courses"][0];
    assert_eq!(q["total"], "205889.60"); // 115,196 + 2 × 45,346.80
    let w = warnings(&r, "add_on_twice");
    assert_eq!(w.len(), 1);
    assert_eq!(w[0]["path"], "courses[0].phases[0].add_ons[1]");
    // An hour add-on raised by a change while it runs (5 hours a month, 10 more from 16
    // March) is how more hours are bought: no warning. A day add-on added by a change while
    // it runs is billed twice and warned of. Ended from 1 April, a second end from 10 April
    // ends nothing and is warned of; added again after it ended: no warning.
    let r = evaluate(&request(
        json!([{ "start": "2026-03-01", "phases": [{"service": "udvikling", "months": 2,
                 "add_ons": [{"id": "ekstra", "quantity_per_month": "5"}, {"id": "to_timer"}]}],
                 "changes": [
                    {"add_on": {"from": "2026-03-16", "id": "ekstra", "quantity_per_month": "10"}},
                    {"add_on": {"from": "2026-03-20", "id": "to_timer"}},
                    {"end_add_on": {"from": "2026-04-01", "id": "ekstra"}},
                    {"end_add_on": {"from": "2026-04-10", "id": "ekstra"}},
                    {"add_on": {"from": "2026-04-15", "id": "ekstra", "quantity_per_month": "1"}}]}]),
        json!({}),
    ));
    // The course's warnings, not the sheet's own (part-time rows on a residential sheet).
    let codes: Vec<(&str, &str)> = r["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| (w["code"].as_str().unwrap(), w["path"].as_str().unwrap()))
        .filter(|(_, path)| !path.starts_with("catalogue"))
        .collect();
    assert_eq!(
        codes,
        [
            (
                "add_on_already_ended",
                "courses[0].changes[3].end_add_on.from"
            ),
            ("add_on_twice", "courses[0].changes[1].add_on"),
        ]
    );
    // A second end of an add-on the first end removed before it began is the same warning,
    // not an unknown add-on; an add-on the course never had stays an error.
    let end_twice = |id: &str| {
        evaluate(&request(
            json!([{ "start": "2026-03-01", "phases": [{"service": "udvikling", "months": 2}],
                 "changes": [
                    {"add_on": {"from": "2026-04-01", "id": "ekstra", "quantity_per_month": "5"}},
                    {"end_add_on": {"from": "2026-03-15", "id": "ekstra"}},
                    {"end_add_on": {"from": "2026-03-20", "id": id}}]}]),
            json!({}),
        ))
    };
    let r = end_twice("ekstra");
    assert_eq!(r["ok"], true, "{r}");
    assert_eq!(r["warnings"][1]["code"], "add_on_already_ended"); // after the sheet's own
    let r = end_twice("to_timer");
    assert_eq!(r["errors"][0]["code"], "unknown_reference");
    // A duplicate a termination cut from the billed plan is still billed in the change
    // report's original figures, and warned of; a duplicate in both is warned of once.
    let r = evaluate(&request(
        json!([{ "start": "2026-03-01", "phases": [
                    {"service": "udvikling", "months": 1},
                    {"service": "udvikling", "months": 1, "add_ons": [{"id": "to_timer"}, {"id": "to_timer"}]}],
                 "changes": [{"terminate": {"notice_given": "2026-03-01", "notice": {"days": 0}}}]}]),
        json!({}),
    ));
    let w: Vec<_> = warnings(&r, "add_on_twice")
        .into_iter()
        .map(|w| w["path"].clone())
        .collect();
    assert_eq!(w, ["courses[0].phases[1].add_ons[1]"]);
    let r = evaluate(&request(
        json!([{ "start": "2026-03-01", "phases": [{"service": "udvikling", "months": 2,
                 "add_ons": [{"id": "to_timer"}, {"id": "to_timer"}]}],
                 "changes": [{"service": {"from": "2026-04-01", "service": "udredning"}}]}]),
        json!({}),
    ));
    let w = warnings(&r, "add_on_twice");
    assert_eq!(w.len(), 1);
}

#[test]
fn a_change_past_the_courses_end_is_billed_to_the_end_and_warned_of() {
    // Udvikling (3,716 a day) from 1 March for two months: 61 days, 226,676. "to_timer"
    // (1,462.80 a day) added from 20 April until 10 May is billed to 30 April: 11 days,
    // 16,090.80, and its `until` is warned of.
    // The course's warnings, not the sheet's own (part-time rows on a residential sheet).
    let codes = |r: &Value| -> Vec<(String, String)> {
        r["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|w| {
                w["path"]
                    .as_str()
                    .is_some_and(|p| !p.starts_with("catalogue"))
            })
            .map(|w| (w["code"].to_string(), w["path"].to_string()))
            .collect()
    };
    let course = |changes: Value| {
        evaluate(&request(
            json!([{ "start": "2026-03-01", "phases": [{"service": "udvikling", "months": 2}],
                     "changes": changes }]),
            json!({}),
        ))
    };
    let r = course(
        json!([{"add_on": {"from": "2026-04-20", "id": "to_timer", "until": "2026-05-10"}}]),
    );
    assert_eq!(r["ok"], true, "{r}");
    assert_eq!(r["courses"][0]["total"], "242766.80");
    assert_eq!(
        codes(&r),
        [(
            "\"change_beyond_end\"".into(),
            "\"courses[0].changes[0].add_on.until\"".into()
        )]
    );
    assert!(r["warnings"][1]["message_da"]
        .as_str()
        .unwrap()
        .contains("10. maj 2026"));
    // To its last day: no warning; without `until` (to the end): none either.
    let r = course(
        json!([{"add_on": {"from": "2026-04-20", "id": "to_timer", "until": "2026-04-30"}}]),
    );
    assert_eq!(r["courses"][0]["total"], "242766.80");
    assert_eq!(codes(&r), []);
    let r = course(json!([{"add_on": {"from": "2026-04-20", "id": "to_timer"}}]));
    assert_eq!(r["courses"][0]["total"], "242766.80");
    assert_eq!(codes(&r), []);
    // A service change's `until` likewise; a termination listed first shortens the course
    // the `until` is measured against (here to 10 April, notice of 0 days).
    let r = course(
        json!([{"service": {"from": "2026-04-01", "service": "udredning", "until": "2026-06-30"}}]),
    );
    assert_eq!(r["ok"], true, "{r}");
    assert_eq!(
        codes(&r),
        [(
            "\"change_beyond_end\"".into(),
            "\"courses[0].changes[0].service.until\"".into()
        )]
    );
    let terminate = json!({"terminate": {"notice_given": "2026-03-10", "notice": {"days": 0}}});
    let r = course(
        json!([terminate, {"add_on": {"from": "2026-03-05", "id": "to_timer", "until": "2026-03-20"}}]),
    );
    // 10 days × 3,716 + 6 days (5–10 March) × 1,462.80.
    assert_eq!(r["courses"][0]["total"], "45936.80");
    assert_eq!(
        codes(&r),
        [(
            "\"change_beyond_end\"".into(),
            "\"courses[0].changes[1].add_on.until\"".into()
        )]
    );
    // A termination ends what is listed before it as it ends the phases, without a word: a
    // change that would begin after the new end has no effect (10 days × 3,716), and an
    // `end_add_on` written for a later day gives what an add-on with that `until` gives.
    let r = course(json!([
        {"service": {"from": "2026-03-05", "service": "udredning"}},
        {"add_on": {"from": "2026-04-15", "id": "to_timer"}},
        {"add_on": {"from": "2026-03-01", "id": "to_timer"}},
        {"end_add_on": {"from": "2026-04-20", "id": "to_timer"}},
        terminate
    ]));
    assert_eq!(r["ok"], true, "{r}");
    assert_eq!(r["courses"][0]["days"], 10);
    assert_eq!(codes(&r), []);
    let until = course(json!([
        {"service": {"from": "2026-03-05", "service": "udredning"}},
        {"add_on": {"from": "2026-03-01", "id": "to_timer", "until": "2026-04-19"}},
        terminate
    ]));
    assert_eq!(until["courses"][0]["total"], r["courses"][0]["total"]);
    assert_eq!(codes(&until), []);
    // Listed after the termination, a change that begins after the end is outside the
    // course: an error.
    let r = course(json!([terminate, {"add_on": {"from": "2026-04-15", "id": "to_timer"}}]));
    assert_eq!(r["ok"], false);
    assert_eq!(r["errors"][0]["path"], "courses[0].changes[1].add_on.from");
}

/// A course of one phase priced from `sheet`: the response and its `part_time_mismatch`
/// warnings.
fn mismatches(sheet: Value, phase: Value) -> (Value, Vec<Value>) {
    let r = evaluate(&json!({ "version": 1, "catalogue": sheet,
        "courses": [{ "start": "2026-03-01", "phases": [phase]}]}));
    let w = warnings(&r, "part_time_mismatch");
    (r, w)
}

/// A response's warnings of one code.
fn warnings(r: &Value, code: &str) -> Vec<Value> {
    r["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|w| w["code"] == code)
        .cloned()
        .collect()
}

#[test]
fn a_part_time_tariff_far_from_its_percentage_is_warned_of() {
    // 85 % of 3,716 is 3,158.60: the sheet's 3,158.60 is quiet, 3,159 (whole kroner, 0.40
    // off) too, 3,160 (1.40 off) and 9,999 are warned of and billed as given.
    for (day, warned, total) in [
        ("3158.60", false, "31586.00"),
        ("3159", false, "31590.00"),
        ("3158.10", false, "31581.00"),
        ("3160", true, "31600.00"),
        ("9999", true, "99990.00"),
    ] {
        let mut s = sheet();
        s["part_time"][0]["day"] = json!(day);
        let (r, w) = mismatches(
            s,
            json!({"service": "udvikling", "days": 10, "part_time_days": 3}),
        );
        assert_eq!(w.len(), usize::from(warned), "{day}");
        if warned {
            assert_eq!(w[0]["path"], "catalogue.part_time[0].day");
        }
        assert_eq!(r["courses"][0]["total"], total, "{day}");
    }
    // 66.67 % of 30,000 is 20,001; a sheet that means two thirds publishes 20,000: within
    // what the percentage's last decimal moves (1.50 kr, and half a krone), so quiet. 20,004 is not.
    for (day, warned) in [("20000", false), ("20002", false), ("20004", true)] {
        let mut s = sheet();
        s["services"][3]["tariff"]["day"] = json!("30000");
        s["part_time"] = json!([{"of": "lav", "days_per_week": 4, "pct": "66.67", "day": day}]);
        let (_, w) = mismatches(s, json!({"service": "lav", "days": 10}));
        assert_eq!(w.len(), usize::from(warned), "{day}");
        if warned {
            assert!(
                w[0]["message"].as_str().unwrap().contains("(20001)"),
                "{}",
                w[0]
            );
        }
    }
}

#[test]
fn a_pricer_keeps_the_sheets_warnings_as_a_request_gives_them() {
    // The same sheet as `catalogues` in a request and held by a Pricer: the same warnings,
    // at the same paths (the Pricer dropped them before).
    let mut s = sheet();
    s["part_time"][0]["day"] = json!("3160");
    s["services"][1]["tariff"]["day"] = json!("0");
    let r = evaluate(&json!({ "version": 1, "catalogues": [s.clone()],
        "courses": [{ "start": "2026-03-01", "phases": [{"service": "udvikling", "days": 1}]}]}));
    let sheets = [serde_json::from_value::<takst::TariffSheet>(s).unwrap()];
    let (index, billing) = (takst::Indexation::default(), takst::Billing::default());
    let pricer = takst::Pricer::new(&sheets, &index, &billing).unwrap();
    let held = serde_json::to_value(pricer.warnings()).unwrap();
    let codes: Vec<_> = held
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["code"].clone())
        .collect();
    // A day tariff of 0 beside the month and year tariffs of 3,716 a day is also a typing
    // error in one of them.
    assert_eq!(
        codes,
        [
            json!("zero_tariff"),
            json!("part_time_residential"),
            json!("part_time_mismatch"),
            json!("period_tariff_mismatch"),
            json!("period_tariff_mismatch")
        ]
    );
    assert_eq!(held, r["warnings"], "{held}");
}

#[test]
fn a_package_number_is_listed_once() {
    // Two services of package 2 would leave `package: 2` to pick one: an error at the second.
    let mut s = sheet();
    let services = s["services"].as_array_mut().unwrap();
    for (i, tariff) in [(4, "1523"), (5, "1600")] {
        services.push(
            json!({"id": format!("pakke{i}"), "name": format!("Pakke {i}"),
            "package": 2, "tariff": {"day": tariff}}),
        );
    }
    let out = evaluate(&json!({"version": 1, "catalogue": s,
        "courses": [{"start": "2026-03-01", "phases": [{"package": 2, "days": 1}]}]}));
    assert_eq!(out["ok"], false);
    assert_eq!(out["errors"][0]["code"], "duplicate_id");
    assert_eq!(out["errors"][0]["path"], "catalogue.services[5].package");
    assert_eq!(
        out["errors"][0]["message"],
        "package 2 is also catalogue.services[4]: a package number is listed once"
    );
}

#[test]
fn a_listed_package_the_scheme_does_not_give_is_warned_of() {
    // The scheme: basis 1,000, interval 349; package 2 = 1,000 + round(1.5 × 349 = 523.5)
    // = 1,524. Listed at 1,524 it is quiet, at 1,523 it is warned of and billed as listed;
    // package 3, not listed, is priced from the scheme: 1,000 + round(2.5 × 349 = 872.5) =
    // 1,873.
    for (listed, warned) in [("1524", false), ("1523", true)] {
        let mut s = sheet();
        s["services"]
            .as_array_mut()
            .unwrap()
            .push(json!({"id": "p2", "name": "Pakke 2", "package": 2, "tariff": {"day": listed}}));
        let out = evaluate(&json!({"version": 1, "catalogue": s,
            "courses": [{"start": "2026-03-01", "phases": [
                {"package": 2, "days": 1}, {"package": 3, "days": 1}]}]}));
        let w = warnings(&out, "package_mismatch");
        assert_eq!(w.len(), usize::from(warned), "{listed}");
        if warned {
            assert_eq!(w[0]["path"], "catalogue.services[4].tariff.day");
            assert_eq!(
                w[0]["message"],
                "package 2's day tariff 1523 is not what the package scheme gives, 1524 \
                 (1000 + round((2 − ½) × 349)); the listed tariff is billed"
            );
        }
        let lines = &out["courses"][0]["lines"];
        assert_eq!(lines[0]["tariff"], listed);
        assert_eq!(lines[1]["tariff"], "1873");
    }
}

#[test]
fn a_pricer_checks_the_billing_conventions_as_a_request_does() {
    let sheets = [serde_json::from_value::<takst::TariffSheet>(sheet()).unwrap()];
    let index = takst::Indexation::default();
    let mut billing = takst::Billing::default();
    billing.line_rounding.increment = rust_decimal::Decimal::ZERO;
    let e = takst::Pricer::new(&sheets, &index, &billing).err().unwrap();
    let e = &e.as_slice()[0];
    assert_eq!(
        (e.code(), e.path()),
        (
            takst::ErrorCode::NotPositive,
            "billing.line_rounding.increment"
        )
    );
    // Every problem at once, as a request with the same inputs gives them.
    let mut s = sheet();
    s["rounding"]["increment"] = json!("0");
    let index = json!({"rates_pct": [{"year": 2027, "pct": "150"}]});
    let billing = json!({"line_rounding": {"increment": "0"}});
    let r = evaluate(
        &json!({"version": 1, "catalogues": [s.clone()], "index": index,
        "billing": billing,
        "courses": [{"start": "2026-03-01", "phases": [{"service": "udvikling", "days": 1}]}]}),
    );
    // (The request adds that its courses depend on them; a Pricer has no courses yet.)
    let mut wanted = problems(&r);
    wanted.retain(|(code, _)| code != "depends_on_error");
    assert_eq!(wanted.len(), 3, "{wanted:?}");
    let sheets = [serde_json::from_value::<takst::TariffSheet>(s).unwrap()];
    let index: takst::Indexation = serde_json::from_value(index).unwrap();
    let billing: takst::Billing = serde_json::from_value(billing).unwrap();
    let e = takst::Pricer::new(&sheets, &index, &billing).err().unwrap();
    let got: Vec<(String, String)> = e
        .as_slice()
        .iter()
        .map(|e| {
            let v = serde_json::to_value(e).unwrap();
            (v["code"].as_str().unwrap().into(), e.path().to_string())
        })
        .collect();
    assert_eq!(got, wanted);
}

#[test]
fn a_cumulative_index_beyond_exact_reach_is_an_error_that_says_what_to_do() {
    // Rates of four decimals (1.8372 %) for 15 years: the exact product of the factors
    // outgrows 256-bit fractions. The error names the index, says so in each language
    // without the other's words, and says what to give instead; the chained method prices.
    let rates: Vec<Value> = (2027..=2041)
        .map(|y| json!({"year": y, "pct": "1.8372"}))
        .collect();
    let course =
        json!([{ "start": "2040-01-01", "phases": [{"service": "udvikling", "months": 2}]}]);
    let r = evaluate(
        &json!({ "version": 1, "catalogue": sheet(), "courses": course,
                              "index": {"rates_pct": rates} }),
    );
    assert_eq!(r["ok"], false);
    let e = &r["errors"][0];
    assert_eq!(
        (e["code"].as_str(), e["path"].as_str()),
        (Some("overflow"), Some("index"))
    );
    let (en, da) = (
        e["message"].as_str().unwrap(),
        e["message_da"].as_str().unwrap(),
    );
    assert!(
        en.contains("256-bit") && en.contains("chained") && !en.contains("takst ×"),
        "{en}"
    );
    assert!(
        da.starts_with("Tallet (takst × PL-faktor") && !da.contains("\"0\""),
        "{da}"
    );
    let r = evaluate(
        &json!({ "version": 1, "catalogue": sheet(), "courses": course,
                              "index": {"rates_pct": rates, "method": "chained"} }),
    );
    assert_eq!(r["ok"], true, "{r}");
}

#[test]
fn a_month_or_year_tariff_is_checked_against_the_day_tariff() {
    // Day 2,000 over 365 days: a month of 60,833.33, a year of 730,000. A published day tariff
    // is within half a krone of its exact value and the month within half a krone of the exact
    // day × 365 ÷ 12, so a month within (365 + 12) ÷ 24 = 15.71 kr of 60,833.33 is quiet:
    // 60,818 and 60,849 are, 60,817 and 60,850 are not. A year within (365 + 1) ÷ 2 = 183 kr:
    // 730,183 is, 730,184 is not.
    let with = |month: &str, year: &str| {
        let mut s = sheet();
        s["services"][0]["tariff"] = json!({"day": "2000", "month": month, "year": year});
        s
    };
    let period = |s: Value| {
        let r = evaluate(&json!({ "version": 1, "catalogue": s,
            "courses": [{ "start": "2026-03-01", "phases": [{"service": "udredning", "months": 2}]}],
            "billing": {"invoicing": "full_months"}}));
        assert_eq!(r["ok"], true, "{r}");
        let w = warnings(&r, "period_tariff_mismatch");
        (r, w)
    };
    // The sample sheet's own figures (4,801 a day, 146,024 a month) are consistent.
    assert!(period(sheet()).1.is_empty());
    for (month, year, warned) in [
        ("60818", "730000", vec![]),
        ("60849", "730183", vec![]),
        ("60817", "730000", vec!["month"]),
        ("60850", "730184", vec!["month", "year"]),
    ] {
        let (_, w) = period(with(month, year));
        let paths: Vec<_> = w.iter().map(|w| w["path"].as_str().unwrap()).collect();
        let expected: Vec<_> = warned
            .iter()
            .map(|f| format!("catalogue.services[0].tariff.{f}"))
            .collect();
        assert_eq!(paths, expected, "{month} {year}");
    }
    // A month tariff typed a digit short is billed as given, and said so.
    let (r, w) = period(with("6083", "730000"));
    assert_eq!(w.len(), 1);
    assert!(
        w[0]["message"].as_str().unwrap().contains("(60833.33)"),
        "{}",
        w[0]
    );
    assert!(
        w[0]["message_da"].as_str().unwrap().contains(
            "Månedstaksten 6.083 er ikke dagtaksten 2.000 × dagbasis 365 ÷ 12 (60.833,33)"
        ),
        "{}",
        w[0]
    );
    assert_eq!(r["courses"][0]["total"], "12166.00");
}

#[test]
fn a_part_time_row_of_the_average_needs_an_average() {
    // Without an average tariff, a row "of average" is of nothing: refused, as a phase of
    // "average" is, rather than billed at its own figure with nothing to check it against.
    let mut s = sheet();
    s.as_object_mut().unwrap().remove("average");
    s["part_time"] = json!([{"of": "average", "days_per_week": 2, "pct": "60", "day": "99999"}]);
    let r = evaluate(&json!({ "version": 1, "catalogue": s,
        "courses": [{ "start": "2026-03-01",
            "phases": [{"service": "average", "days": 10, "part_time_days": 2}]}]}));
    assert_eq!(r["ok"], false);
    assert_eq!(r["errors"][0]["code"], "unknown_reference");
    assert_eq!(r["errors"][0]["path"], "catalogue.part_time[0].of");
}

#[test]
fn a_municipality_written_two_ways_is_warned_of() {
    // takst compares names as written: "aarhus" and "AARHUS " are two more municipalities
    // beside "Aarhus" (three caseload budgets), said once per further spelling, where it is
    // first written. "Århus" is another name, not another spelling.
    let course = |m: &str| {
        json!({"municipality": m, "start": "2026-03-01",
               "phases": [{"service": "udredning", "days": 10}]})
    };
    let r = evaluate(&json!({ "version": 1, "catalogue": sheet(), "courses": [
        course("Aarhus"), course("aarhus"), course("Aarhus"), course("AARHUS "),
        course("aarhus"), course("Århus")],
        "options": {"caseload": true}}));
    assert_eq!(r["ok"], true, "{r}");
    let w = warnings(&r, "municipality_spelling");
    let paths: Vec<_> = w.iter().map(|w| w["path"].as_str().unwrap()).collect();
    assert_eq!(
        paths,
        ["courses[1].municipality", "courses[3].municipality"]
    );
    assert_eq!(
        w[1]["message_da"],
        "Kommunen \"Aarhus\" (courses[0].municipality) er skrevet \"AARHUS \" her: takst \
         sammenligner navne, som de er skrevet, så det er to kommuner."
    );
    // The figures stand as written: four budgets.
    assert_eq!(r["caseload"].as_array().unwrap().len(), 4);
}

#[test]
fn a_table_s_spellings_are_one_request_s_from_its_parts() {
    // A table priced as several requests (the Python batch) warns of its names' spellings by
    // `municipality_spellings` over every row: the same warnings, texts and order as one
    // request of the whole table, also when each part gives only its own names, each once.
    let names = [
        "Aarhus", "Skive", "aarhus", "Aarhus", "skive ", "Randers", "AARHUS ", "Skive", "aarhus",
    ];
    let course = |m: &str| {
        json!({"municipality": m, "start": "2026-03-01",
               "phases": [{"service": "udredning", "days": 10}]})
    };
    let courses: Vec<Value> = names.iter().map(|m| course(m)).collect();
    let r = evaluate(&json!({ "version": 1, "catalogue": sheet(), "courses": courses }));
    assert_eq!(r["ok"], true, "{r}");
    let one = warnings(&r, "municipality_spelling");
    assert_eq!(one.len(), 3);
    let of = |w: Vec<takst::Warning>| -> Vec<Value> {
        w.iter().map(|w| serde_json::to_value(w).unwrap()).collect()
    };
    let whole = takst::municipality_spellings(names.iter().copied().enumerate());
    assert_eq!(of(whole), one);
    for size in 1..names.len() {
        // Each part's names once, at their first row, the parts in order.
        let mut given = Vec::new();
        for (p, part) in names.chunks(size).enumerate() {
            let mut seen = std::collections::HashSet::new();
            for (k, m) in part.iter().enumerate() {
                if seen.insert(*m) {
                    given.push((p * size + k, *m));
                }
            }
        }
        assert_eq!(
            of(takst::municipality_spellings(given)),
            one,
            "parts of {size}"
        );
    }
}

#[test]
fn takst_s_own_sheets_read_back_without_a_period_mismatch() {
    // Elbæk published with every rounding mode at steps of 1, 10 and 100 kr, with a level at
    // 200 % of the average (its month is 200 % of the average's rounded month, not its day
    // over the day basis): read back as a catalogue, no month or year tariff is taken for a
    // typing error. Rounded up or down, a figure is within a whole step of its exact value.
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/requests/elbaek.json"),
    )
    .unwrap();
    let base: Value = serde_json::from_str(&text).unwrap();
    for mode in [
        "half_away_from_zero",
        "half_even",
        "half_toward_zero",
        "up",
        "down",
        "ceiling",
        "floor",
    ] {
        for step in ["1", "10", "100"] {
            let mut r = base.clone();
            r["offer"]["settings"] =
                json!({"published_rounding": {"increment": step, "mode": mode}});
            r["offer"]["services"].as_array_mut().unwrap().push(json!(
                {"id": "n3", "name": "Niveau 3", "kind": "level",
                 "pct_of": {"service": "average", "pct": 200}, "share_pct": 0}));
            let v = evaluate(&r);
            assert_eq!(v["ok"], true, "{mode} {step}: {v}");
            let back = evaluate(&json!({"version": 1, "catalogue": v["tariff_sheet"].clone()}));
            assert_eq!(back["ok"], true, "{mode} {step}: {back}");
            for code in ["period_tariff_mismatch", "tariff_off_step"] {
                assert!(
                    warnings(&back, code).is_empty(),
                    "{mode} {step} {code}: {}",
                    back["warnings"]
                );
            }
        }
    }
    // A tariff with øre on a sheet of whole kroner, and one off a step of 10 kr, are warned
    // of at their figures; øre on a sheet of øre are not.
    let sheet = |rounding: &str, day: &str| {
        json!({"version": 1, "catalogue": {"format": "takst/tariff-sheet", "version": 1,
            "offer": {"name": "X", "kind": "residential", "year": 2026}, "day_basis": 365,
            "rounding": {"increment": rounding},
            "services": [{"id": "a", "name": "A", "tariff": {"day": day}}]}})
    };
    let paths = |rounding: &str, day: &str| -> Vec<String> {
        warnings(&evaluate(&sheet(rounding, day)), "tariff_off_step")
            .iter()
            .map(|w| w["path"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(paths("1", "4801.50"), ["catalogue.services[0].tariff.day"]);
    assert_eq!(paths("10", "4805"), ["catalogue.services[0].tariff.day"]);
    assert!(paths("1", "4801.00").is_empty());
    assert!(paths("0.01", "4801.50").is_empty());
    assert!(paths("10", "4810").is_empty());
}

/// A course that does not read does not hide the problems of the courses that do: each is
/// reported at its own place, with the problems of what the courses are priced from, on
/// every path that reads a request (`evaluate_json`, `Request::from_json`). A problem
/// that is not a course's own leaves the answer as its reading problems alone.
#[test]
fn courses_that_read_are_checked_beside_those_that_do_not() {
    let courses = json!([
        {"start": "2026-03-01", "phases": [{"service": "udvikling", "months": true}]},
        {"start": "2026-03-01", "phases": [{"service": "udvikling", "months": 2}]},
        {"start": "2026-03-01", "phases": [{"service": "ukendt", "months": 1}]},
        {"start": "2026-03-01", "phases": [{"service": "udvikling", "months": 2}], "bogus": 1},
        {"start": "2026-03-01", "phases": [{"service": "udvikling", "months": 0}]}
    ]);
    let r = request(courses.clone(), json!({}));
    // The reading problems, then the others in the order `evaluate` lists them.
    let expected: Vec<(String, String)> = [
        ("invalid_type", "courses[0].phases[0].months"),
        ("unknown_field", "courses[3].bogus"),
        ("unknown_reference", "courses[2].phases[0].service"),
        ("not_positive", "courses[4].phases[0].months"),
    ]
    .iter()
    .map(|(c, p)| (c.to_string(), p.to_string()))
    .collect();
    assert_eq!(problems(&evaluate(&r)), expected);
    // The reader gives the same list (TOML and a built document are read by the same code).
    let read = takst::Request::from_json(&r.to_string()).unwrap_err();
    let read: Vec<(String, String)> = read
        .as_slice()
        .iter()
        .map(|e| {
            let code = serde_json::to_value(e.code()).unwrap();
            (code.as_str().unwrap().to_string(), e.path().to_string())
        })
        .collect();
    assert_eq!(read, expected);

    // A problem of what the courses are priced from is reported too, first of those found
    // by evaluating, as `evaluate` lists it; the courses are then not priced (no
    // `unknown_reference`), but their own fields are still checked, as when every course
    // reads.
    let mut r = request(courses.clone(), json!({}));
    r["catalogue"]["day_basis"] = json!(0);
    let mut expected = expected;
    expected.remove(2);
    expected.insert(2, ("out_of_range".into(), "catalogue.day_basis".into()));
    assert_eq!(problems(&evaluate(&r)), expected);

    // Not a course's own: the catalogue does not read, so nothing else is said.
    let mut r = request(courses, json!({}));
    r["catalogue"]["day_basis"] = json!("365 dage");
    assert_eq!(
        problems(&evaluate(&r)),
        [
            (
                "invalid_type".to_string(),
                "catalogue.day_basis".to_string()
            ),
            ("invalid_type".into(), "courses[0].phases[0].months".into()),
            ("unknown_field".into(), "courses[3].bogus".into()),
        ]
    );
}

/// A problem every course meets in what they share (an index whose chained factors outgrow
/// exact arithmetic) is listed once, not once per course: the same code, path and message
/// say nothing new. Courses' own problems are still each listed at their course.
#[test]
fn a_problem_every_course_meets_is_listed_once() {
    let course = json!({"start": "2026-09-15", "phases": [{"service": "udvikling", "months": 60}]});
    let rates: Vec<Value> = (2027..2040)
        .map(|year| json!({"year": year, "pct": "1.9876543219876543219876543"}))
        .collect();
    let mut courses = vec![course.clone(), course.clone(), course];
    courses.push(json!({"start": "2026-09-15", "phases": [{"service": "ukendt", "months": 1}]}));
    let r = request(Value::from(courses), json!({"index": {"rates_pct": rates}}));
    assert_eq!(
        problems(&evaluate(&r)),
        [
            ("overflow".to_string(), "index.rates_pct".to_string()),
            (
                "unknown_reference".to_string(),
                "courses[3].phases[0].service".to_string()
            ),
        ]
    );
}

#[test]
fn a_notice_without_months_or_days_is_refused() {
    // `{ "to_month_end": true }` alone read as 0 months: a course given notice on 10 April
    // ended 30 April, not 31 May (a month and the rest of May), without a word.
    let course = |changes: Value| {
        json!({"start": "2026-01-01", "phases": [{"service": "udvikling", "months": 12}],
               "changes": changes})
    };
    let given = json!([{"terminate": {"notice_given": "2026-04-10"}}]);
    for (billing, at) in [
        (json!({"notice": {"to_month_end": true}}), "billing.notice"),
        (json!({"notice": {}}), "billing.notice"),
    ] {
        let r = evaluate(
            &json!({"version": 1, "catalogue": sheet(), "billing": billing, "courses": [course(given.clone())]}),
        );
        assert_eq!(r["ok"], false, "{r}");
        assert_eq!(r["errors"][0]["code"], "invalid_value");
        assert_eq!(r["errors"][0]["path"], at);
    }
    let r = evaluate(
        &json!({"version": 1, "catalogue": sheet(), "courses": [course(
        json!([{"terminate": {"notice_given": "2026-04-10", "notice": {"to_month_end": true}}}]))]}),
    );
    assert_eq!(
        r["errors"][0]["path"], "courses[0].changes[0].terminate.notice",
        "{r}"
    );
    // Given, the periods stand: a month to the month's end is 31 May; `{ days: 0 }` is day
    // to day (the day notice is given).
    let end = |notice: Value| {
        let r = evaluate(
            &json!({"version": 1, "catalogue": sheet(), "billing": {"notice": notice},
            "courses": [course(given.clone())]}),
        );
        assert_eq!(r["ok"], true, "{r}");
        r["courses"][0]["schedule"][0]["to"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(
        end(json!({"months": 1, "to_month_end": true})),
        "2026-05-31"
    );
    assert_eq!(end(json!({"days": 0})), "2026-04-10");
    assert_eq!(
        end(json!({"months": 0, "to_month_end": true})),
        "2026-04-30"
    );
}

#[test]
fn a_sheet_read_back_warns_as_the_offer_that_computed_it() {
    // A part-time tariff rounded to 5 kr, or always up, is up to a step from its share of the
    // day tariff: the offer says nothing of it, and its sheet read back as a catalogue (what
    // the Python package prices from) said part_time_mismatch for rows. The sheet now
    // gives its derived rounding when it is not the default, and the check allows for it.
    for rounding in [
        json!({"increment": "5"}),
        json!({"increment": "1", "mode": "up"}),
        json!({"increment": "1", "mode": "down"}),
    ] {
        let mut offer: Value = serde_json::to_value(takst::Offer::sample()).unwrap();
        offer["kind"] = json!("day");
        // Whole percentages: no room for a percentage's last decimal in the check.
        offer["part_time"] = json!([{"days_per_week": 3, "pct": 61},
                                    {"days_per_week": 2, "pct": 43},
                                    {"days_per_week": 4, "pct": 77}]);
        offer["settings"]["derived_rounding"] = rounding.clone();
        let r = evaluate(&json!({"version": 1, "offer": offer}));
        assert_eq!(r["ok"], true, "{r}");
        let codes = |r: &Value| -> Vec<String> {
            let mut c: Vec<String> = r["warnings"]
                .as_array()
                .unwrap()
                .iter()
                .map(|w| w["code"].as_str().unwrap().to_string())
                .filter(|c| c.starts_with("part_time"))
                .collect();
            c.sort();
            c
        };
        let sheet = &r["tariff_sheet"];
        assert_eq!(
            sheet["derived_rounding"]["increment"],
            rounding["increment"]
        );
        let back = evaluate(&json!({"version": 1, "catalogue": sheet}));
        assert_eq!(back["ok"], true, "{back}");
        assert_eq!(codes(&back), codes(&r), "{rounding}: {back}");
    }
    // At the default rounding the sheet gives none (the published sheets are as they were).
    let r = evaluate(&json!({"version": 1, "offer": takst::Offer::sample()}));
    assert!(r["tariff_sheet"].get("derived_rounding").is_none());
}

#[test]
fn a_notice_read_by_serde_refuses_a_field_given_twice() {
    // The Rust API's own serde reading (takst's reader reports `duplicate_key` itself).
    let dup = serde_json::from_str::<takst::Billing>(r#"{"notice": {"months": 1, "months": 3}}"#);
    assert!(
        dup.is_err(),
        "duplicate `months` accepted: {:?}",
        dup.map(|b| b.notice)
    );
}

#[test]
fn a_catalogue_s_derived_rounding_is_checked_as_its_rounding_is() {
    let mut r: Value =
        serde_json::from_str(include_str!("../../examples/requests/course.json")).unwrap();
    for inc in ["0", "-5"] {
        r["catalogue"]["derived_rounding"] = json!({"increment": inc});
        let out = evaluate(&r);
        assert_eq!(
            out["ok"], false,
            "increment {inc} accepted: {}",
            out["warnings"]
        );
        assert_eq!(
            out["errors"][0]["path"],
            "catalogue.derived_rounding.increment"
        );
    }
}

#[test]
fn part_time_rows_on_a_residential_catalogue_are_warned_of_as_on_an_offer() {
    // An offer's part-time rows on residential places were warned of, a catalogue's given
    // with the same rows were not: the same doubt, the same warning, at the rows.
    let warned = |kind: &str, rows: bool| -> Vec<(String, String)> {
        let mut s = sheet();
        s["offer"]["kind"] = json!(kind);
        if !rows {
            s["part_time"] = json!([]);
        }
        let r = evaluate(&json!({ "version": 1, "catalogues": [s],
            "courses": [{ "start": "2026-03-01", "phases": [{"service": "udvikling", "months": 1}]}]}));
        assert_eq!(r["ok"], true, "{r}");
        r["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|w| w["code"] == "part_time_residential")
            .map(|w| (w["path"].to_string(), w["message_da"].to_string()))
            .collect()
    };
    assert_eq!(
        warned("residential", true),
        [(
            "\"catalogues[0].part_time\"".to_owned(),
            "\"Deltidsbrøker er beregnet til dagpladser, og dette er et døgntilbud.\"".to_owned()
        )]
    );
    assert_eq!(warned("day", true), []);
    assert_eq!(warned("residential", false), []);
}
