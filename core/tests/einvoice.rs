//! E-invoices: the documents add up to the courses (property tests over random courses), a
//! correction never credits more than was invoiced, and every missing or malformed input is
//! an error at its field. (That every document passes the official Peppol BIS 3 and OIOUBL 3
//! rules is tested by py/tests/test_einvoice.py, which runs them with Saxon.)

#![cfg(feature = "einvoice")]
#![allow(clippy::unwrap_used)] // tests may panic: a panic is a failed test

use std::collections::BTreeMap;

use proptest::prelude::*;
use rust_decimal::Decimal;
use serde_json::{json, Value};

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/..");

fn example() -> Value {
    let text = std::fs::read_to_string(format!("{ROOT}/examples/requests/einvoice.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn evaluate(request: &Value) -> Value {
    serde_json::from_str(&takst::evaluate_json(&request.to_string())).unwrap()
}

fn dec(v: &Value) -> Decimal {
    v.as_str().unwrap().parse().unwrap()
}

/// The (code, path) of every error.
fn errors(response: &Value) -> Vec<(String, String)> {
    assert_eq!(response["ok"], false, "{response}");
    response["errors"]
        .as_array()
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

fn has(response: &Value, code: &str, path: &str) {
    let found = errors(response);
    assert!(
        found.iter().any(|(c, p)| c == code && p == path),
        "expected {code} at {path}, got {found:?}"
    );
}

#[test]
fn the_example_request_gives_invoices_and_a_credit_note() {
    let r = evaluate(&example());
    assert_eq!(r["ok"], true, "{r}");
    let docs = r["einvoices"].as_array().unwrap();
    assert_eq!(docs.len(), 15);
    let credit = &docs[0];
    assert_eq!(credit["kind"], "credit_note");
    assert_eq!(credit["source"], "course_change");
    // December 2026 of borger-23: 31 døgn of udvikling (3,716) became laengerevarende (2,928).
    assert_eq!(credit["total"], "24428.00");
    assert!(credit.get("due_date").is_none());
    let xml = credit["xml"].as_str().unwrap();
    assert!(xml.contains(r#"<cbc:CreditedQuantity unitCode="DAY">31</cbc:CreditedQuantity>"#));
    assert!(xml.contains(r#"<cbc:CreditedQuantity unitCode="DAY">-31</cbc:CreditedQuantity>"#));
    assert!(xml.contains(r#"<cbc:PayableAmount currencyID="DKK">24428.00</cbc:PayableAmount>"#));
    // Numbered in order from the start.
    let numbers: Vec<&str> = docs.iter().map(|d| d["number"].as_str().unwrap()).collect();
    assert_eq!(numbers[0], "TK-1001");
    assert_eq!(numbers[14], "TK-1015");
    // A course over the year end: January 2027 at the indexed tariff (4,801 × 1.0196).
    let jan = docs
        .iter()
        .find(|d| d["course"] == "borger-17" && d["month"] == "2027-01")
        .unwrap();
    assert!(jan["xml"]
        .as_str()
        .unwrap()
        .contains(r#"<cbc:PriceAmount currencyID="DKK">4895.10</cbc:PriceAmount>"#));
    // From 15 February the udvikling phase has 6 hours a month of ekstra_timer: 6 × 14/28.
    let feb = docs
        .iter()
        .find(|d| d["course"] == "borger-17" && d["month"] == "2027-02")
        .unwrap();
    assert!(feb["xml"]
        .as_str()
        .unwrap()
        .contains(r#"<cbc:InvoicedQuantity unitCode="HUR">3</cbc:InvoicedQuantity>"#));
}

#[test]
fn user_strings_are_escaped() {
    let mut r = example();
    r["einvoicing"]["seller"]["name"] = json!("Bo & Co <Ærø> \"x\" 'y'");
    r["catalogue"]["services"][0]["name"] = json!("Udredning <intensiv> & afklaring");
    let out = evaluate(&r);
    assert_eq!(out["ok"], true, "{out}");
    let all: String = out["einvoices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["xml"].as_str().unwrap())
        .collect();
    assert!(all.contains("<cbc:Name>Bo &amp; Co &lt;Ærø&gt; "));
    assert!(all.contains("<cbc:Name>Udredning &lt;intensiv&gt; &amp; afklaring</cbc:Name>"));
    assert!(!all.contains("<intensiv>") && !all.contains("<Ærø>"));
}

#[test]
fn missing_and_malformed_inputs_are_errors_at_their_fields() {
    let mut r = example();
    let e = &mut r["einvoicing"];
    e["buyers"][0].as_object_mut().unwrap().remove("gln");
    has(&evaluate(&r), "missing_field", "einvoicing.buyers[0].gln");

    let cases: Vec<(&str, Value, &str, &str)> = vec![
        (
            "/einvoicing/buyers/0/gln",
            json!("5798005770214"),
            "invalid_value",
            "einvoicing.buyers[0].gln",
        ),
        (
            "/einvoicing/buyers/0/gln",
            json!("579800577021"),
            "invalid_value",
            "einvoicing.buyers[0].gln",
        ),
        (
            "/einvoicing/seller/cvr",
            json!("2919092"),
            "invalid_value",
            "einvoicing.seller.cvr",
        ),
        (
            "/einvoicing/seller/cvr",
            json!("2919092A"),
            "invalid_value",
            "einvoicing.seller.cvr",
        ),
        (
            "/einvoicing/seller/vat_number",
            json!("29190925"),
            "invalid_value",
            "einvoicing.seller.vat_number",
        ),
        (
            "/einvoicing/buyers/0/order_reference",
            json!("010190-1234"),
            "invalid_value",
            "einvoicing.buyers[0].order_reference",
        ),
        (
            "/einvoicing/buyers/1/buyer_reference",
            json!("Sag 3112991234"),
            "invalid_value",
            "einvoicing.buyers[1].buyer_reference",
        ),
        (
            "/einvoicing/courses/0/person_reference",
            json!("  "),
            "invalid_value",
            "einvoicing.courses[0].person_reference",
        ),
        (
            "/einvoicing/courses/0/course",
            json!("borger-99"),
            "unknown_reference",
            "einvoicing.courses[0].course",
        ),
        (
            "/courses/2/municipality",
            json!("Skive"),
            "unknown_reference",
            "courses[2].municipality",
        ),
        (
            "/courses/1/id",
            json!("010190-1234"),
            "invalid_value",
            "courses[1].id",
        ),
        (
            "/einvoicing/payment_means",
            json!({"iban": {"iban": "DK5000400440116244"}}),
            "invalid_value",
            "einvoicing.payment_means.iban.iban",
        ),
        (
            "/einvoicing/payment_means",
            json!({"bank_account": {"registration": "12", "account": "1"}}),
            "invalid_value",
            "einvoicing.payment_means.bank_account.registration",
        ),
        (
            "/einvoicing/buyers/0/name",
            json!("Aarhus\u{1}"),
            "invalid_value",
            "einvoicing.buyers[0].name",
        ),
        (
            "/einvoicing/vat",
            json!({"exempt": {"reason_code": "VATEX-EU-O"}}),
            "invalid_value",
            "einvoicing.vat.exempt.reason_code",
        ),
        (
            "/einvoicing/invoiced_through",
            json!("2026-13"),
            "invalid_value",
            "einvoicing.invoiced_through",
        ),
        (
            "/einvoicing/profile",
            json!("oioubl3"),
            "missing_field",
            "einvoicing.buyers[0].contact",
        ),
    ];
    for (pointer, value, code, path) in cases {
        let mut r = example();
        let (parent, key) = pointer.rsplit_once('/').unwrap();
        let parent = r.pointer_mut(parent).unwrap();
        match parent {
            Value::Array(a) => a[key.parse::<usize>().unwrap()] = value,
            Value::Object(o) => {
                o.insert(key.to_string(), value);
            }
            _ => unreachable!(),
        }
        has(&evaluate(&r), code, path);
    }

    // A course without a paying municipality.
    let mut r = example();
    r["courses"][0]
        .as_object_mut()
        .unwrap()
        .remove("municipality");
    has(&evaluate(&r), "missing_field", "courses[0].municipality");

    // Neither a buyer nor an order reference for Herning's course.
    let mut r = example();
    r["einvoicing"]["buyers"][1]
        .as_object_mut()
        .unwrap()
        .remove("buyer_reference");
    has(
        &evaluate(&r),
        "missing_value",
        "einvoicing.buyers[1].buyer_reference",
    );

    // No person reference.
    let mut r = example();
    r["einvoicing"]["buyers"][1]
        .as_object_mut()
        .unwrap()
        .remove("person_reference");
    has(
        &evaluate(&r),
        "missing_field",
        "einvoicing.buyers[1].person_reference",
    );

    // No payment terms.
    let mut r = example();
    r["einvoicing"]
        .as_object_mut()
        .unwrap()
        .remove("payment_terms_days");
    has(
        &evaluate(&r),
        "missing_value",
        "einvoicing.payment_terms_days",
    );

    // Two courses with the id the references are given for: which one was meant cannot be
    // guessed (the order reference is one citizen's bevilling).
    let mut r = example();
    r["courses"][2]["id"] = json!("borger-23");
    let out = evaluate(&r);
    has(&out, "duplicate_id", "einvoicing.courses[0].course");
    assert!(out["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("courses[1] and courses[2]"));
    // Without references for them, two courses may share an id.
    r["einvoicing"]["courses"] = json!([]);
    assert_eq!(evaluate(&r)["ok"], true);

    // Lines in whole kroner cannot be quantity × price within 0.02 kr.
    let mut r = example();
    r["billing"] = json!({"line_rounding": {"increment": "1"}});
    has(&evaluate(&r), "invalid_value", "billing.line_rounding");
}

#[test]
fn settlement_refunds_are_credit_notes_never_above_what_was_invoiced() {
    let mut r = example();
    r["einvoicing"]["settlement_refunds"] = json!(true);
    r["einvoicing"]["issue_date"] = json!("2027-06-01");
    r["settlement"] = json!({
        "year": 2026, "budget": "8000000", "actual_costs": "7648000", "revenue": "8418000",
        "municipalities": [{"municipality": "Aarhus", "days": "1000"},
                           {"municipality": "Herning", "days": "500"}]
    });
    let out = evaluate(&r);
    assert_eq!(out["ok"], true, "{out}");
    let refunds: Vec<&Value> = out["einvoices"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["source"] == "settlement")
        .collect();
    // −370,000 split 2:1 by days.
    assert_eq!(refunds.len(), 2);
    assert_eq!(refunds[0]["kind"], "credit_note");
    assert_eq!(refunds[0]["municipality"], "Aarhus");
    assert_eq!(refunds[0]["total"], "246666.67");
    assert_eq!(refunds[1]["total"], "123333.33");
    // Refunded now, the surplus does not also lower 2028's cost base: it is returned once.
    assert_eq!(out["settlement"]["regulation"], "-370000.00");
    assert_eq!(out["settlement"]["refunded"], true);
    assert_eq!(out["settlement"]["regulation_years"], json!([]));
    // Without the refunds it enters 2028's, as the domain reference has it.
    let mut kept = r.clone();
    kept["einvoicing"]["settlement_refunds"] = json!(false);
    let out = evaluate(&kept);
    assert_eq!(out["settlement"].get("refunded"), None);
    assert_eq!(
        out["settlement"]["regulation_years"],
        json!([{"year": 2028, "amount": "-370000.00"}])
    );
    // A deficit is never refunded: with the refunds on it enters a later year all the same.
    let mut deficit = r.clone();
    deficit["settlement"]["actual_costs"] = json!("8500000");
    let out = evaluate(&deficit);
    assert_eq!(out["ok"], true, "{out}");
    assert_eq!(out["settlement"]["regulation"], "82000.00");
    assert_eq!(out["settlement"].get("refunded"), None);
    assert_eq!(
        out["settlement"]["regulation_years"],
        json!([{"year": 2028, "amount": "82000.00"}])
    );

    // Herning was invoiced 249,652 + its km in 2026: a refund of 370,000 is more.
    r["settlement"]["municipalities"] = json!([{"municipality": "Herning", "days": "500"}]);
    has(
        &evaluate(&r),
        "out_of_range",
        "settlement.municipalities[0]",
    );
    // Refunds need the settlement.
    r.as_object_mut().unwrap().remove("settlement");
    has(
        &evaluate(&r),
        "missing_value",
        "einvoicing.settlement_refunds",
    );
}

// ---- Property tests: documents sum to the courses ----

const SERVICES: [&str; 3] = ["udredning", "udvikling", "laengerevarende"];

/// A generated course: start (year, month, day), phases (service, months, hours of
/// ekstra_timer a month), a change (days after the start, new service), and whether Herning
/// pays (else Aarhus).
type Generated = (
    (i16, i8, i8),
    Vec<(usize, u32, Option<u32>)>,
    Option<(u32, usize)>,
    bool,
);

fn course_json(
    id: usize,
    municipality: &str,
    start: (i16, i8, i8),
    phases: &[(usize, u32, Option<u32>)],
    change: Option<(u32, usize)>,
) -> Value {
    let first = jiff::civil::Date::new(start.0, start.1, 1).unwrap();
    let start =
        jiff::civil::Date::new(start.0, start.1, start.2.min(first.days_in_month())).unwrap();
    let phases_months: u32 = phases.iter().map(|p| p.1).sum();
    let phases: Vec<Value> = phases
        .iter()
        .map(|(s, months, hours)| {
            let mut p = json!({"service": SERVICES[*s], "months": months});
            if let Some(h) = hours {
                p["add_ons"] = json!([{"id": "ekstra_timer", "quantity_per_month": h.to_string()}]);
            }
            p
        })
        .collect();
    let mut c = json!({"id": format!("borger-{id}"), "municipality": municipality,
                       "start": start.to_string(), "phases": phases});
    if let Some((after_days, s)) = change {
        // Within the course: before the end of its shortest possible length.
        let months = phases_months;
        let from = start
            .checked_add(jiff::Span::new().days(i64::from(after_days % (months * 28))))
            .unwrap();
        c["changes"] = json!([{"service": {"from": from.to_string(), "service": SERVICES[s]}}]);
    }
    c
}

fn courses() -> impl Strategy<Value = Vec<Generated>> {
    prop::collection::vec(
        (
            (2026i16..2028, 1i8..=12, 1i8..=31),
            prop::collection::vec((0usize..3, 1u32..8, prop::option::of(0u32..12)), 1..3),
            prop::option::of((0u32..300, 0usize..3)),
            any::<bool>(),
        ),
        1..4,
    )
}

fn request(generated: &[Generated], grouping: &str, through: Option<&str>) -> Value {
    let mut r = example();
    r["courses"] = generated
        .iter()
        .enumerate()
        .map(|(i, (start, phases, change, herning))| {
            course_json(
                i,
                if *herning { "Herning" } else { "Aarhus" },
                *start,
                phases,
                *change,
            )
        })
        .collect();
    let e = &mut r["einvoicing"];
    e["grouping"] = json!(grouping);
    e.as_object_mut().unwrap().remove("courses");
    e["buyers"][0]["order_reference"] = json!("BEV-1");
    match through {
        Some(t) => e["invoiced_through"] = json!(t),
        None => {
            e.as_object_mut().unwrap().remove("invoiced_through");
        }
    }
    // Indexed tariffs for every year a course reaches.
    r["index"] = json!({"rates_pct": (2027..=2030).map(|y| json!({"year": y, "pct": "1.96"})).collect::<Vec<_>>()});
    r
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Without months already invoiced, every document is an invoice; a course's documents
    /// sum to its quote's total, and each month's documents to the courses' month amounts.
    #[test]
    fn documents_sum_to_the_quotes(generated in courses(), per_course in any::<bool>()) {
        let grouping = if per_course { "per_course" } else { "per_municipality" };
        let out = evaluate(&request(&generated, grouping, None));
        prop_assert_eq!(&out["ok"], &json!(true), "{}", out);
        let mut by_month: BTreeMap<(String, String), Decimal> = BTreeMap::new();
        for q in out["courses"].as_array().unwrap() {
            for m in q["months"].as_array().unwrap() {
                *by_month.entry((q["municipality"].as_str().unwrap().into(), m["month"].as_str().unwrap().into())).or_default() += dec(&m["amount"]);
            }
        }
        let mut docs_by_month: BTreeMap<(String, String), Decimal> = BTreeMap::new();
        let mut by_course: BTreeMap<String, Decimal> = BTreeMap::new();
        for d in out["einvoices"].as_array().unwrap() {
            prop_assert_eq!(&d["kind"], &json!("invoice"));
            let total = dec(&d["total"]);
            prop_assert!(total > Decimal::ZERO);
            prop_assert_eq!(total, dec(&d["net"]));
            // The XML's payable amount is the document's total.
            let payable = format!(r#"<cbc:PayableAmount currencyID="DKK">{}</cbc:PayableAmount>"#, d["total"].as_str().unwrap());
            prop_assert!(d["xml"].as_str().unwrap().contains(&payable));
            *docs_by_month.entry((d["municipality"].as_str().unwrap().into(), d["month"].as_str().unwrap().into())).or_default() += total;
            if per_course {
                *by_course.entry(d["course"].as_str().unwrap().into()).or_default() += total;
            }
        }
        by_month.retain(|_, v| !v.is_zero());
        prop_assert_eq!(&docs_by_month, &by_month);
        if per_course {
            for q in out["courses"].as_array().unwrap() {
                let total = dec(&q["total"]);
                let docs = by_course.get(q["id"].as_str().unwrap()).copied().unwrap_or_default();
                prop_assert_eq!(docs, total);
            }
        }
    }

    /// With months already invoiced by the original plan: what was invoiced before, plus the
    /// new invoices, less the credit notes, is the changed course's total; no credit note
    /// credits more than its month's original amount.
    #[test]
    fn corrections_add_up_and_never_credit_more_than_invoiced(generated in courses(), through_month in 1i8..=12, through_year in 2026i16..2028) {
        let through = format!("{through_year:04}-{through_month:02}");
        let out = evaluate(&request(&generated, "per_course", Some(&through)));
        prop_assert_eq!(&out["ok"], &json!(true), "{}", out);
        for q in out["courses"].as_array().unwrap() {
            let id = q["id"].as_str().unwrap();
            // Invoiced before: the original plan's months through `through` (the change
            // report's original amounts where a change made a difference, else the month).
            let mut original: BTreeMap<String, Decimal> = q["months"].as_array().unwrap().iter()
                .map(|m| (m["month"].as_str().unwrap().to_string(), dec(&m["amount"]))).collect();
            if let Some(changes) = q.get("changes") {
                for m in changes["months"].as_array().unwrap() {
                    original.insert(m["month"].as_str().unwrap().into(), dec(&m["original"]));
                }
            }
            let before: Decimal = original.iter().filter(|(m, _)| **m <= through).map(|(_, a)| *a).sum();
            let mut net = Decimal::ZERO;
            for d in out["einvoices"].as_array().unwrap().iter().filter(|d| d["course"] == id) {
                let total = dec(&d["total"]);
                prop_assert!(total > Decimal::ZERO);
                match d["kind"].as_str().unwrap() {
                    "invoice" => net += total,
                    _ => {
                        net -= total;
                        let month = d["month"].as_str().unwrap();
                        prop_assert!(month <= through.as_str());
                        prop_assert!(total <= original.get(month).copied().unwrap_or_default());
                    }
                }
            }
            prop_assert_eq!(before + net, dec(&q["total"]), "course {}", id);
        }
    }
}

/// README, "A provider's year in one request": the year's course lines as one invoice per
/// municipality per month; the 2026 invoices are the settlement's chained revenue.
#[test]
fn the_provider_years_invoices_are_its_revenue() {
    let text =
        std::fs::read_to_string(format!("{ROOT}/examples/requests/provider-year.json")).unwrap();
    let r = evaluate(&serde_json::from_str(&text).unwrap());
    assert_eq!(r["ok"], true, "{r}");
    let docs = r["einvoices"].as_array().unwrap();
    assert_eq!(docs.len(), 24);
    let mut year: BTreeMap<&str, Decimal> = BTreeMap::new();
    let mut later = Vec::new();
    for d in docs {
        assert_eq!(d["kind"], "invoice");
        let month = d["month"].as_str().unwrap();
        if month.starts_with("2026") {
            *year.entry(d["municipality"].as_str().unwrap()).or_default() += dec(&d["total"]);
        } else {
            later.push((month, dec(&d["total"])));
        }
    }
    let d = |s: &str| s.parse::<Decimal>().unwrap();
    assert_eq!(year["Aarhus"], d("1098000"));
    assert_eq!(year["Randers"], d("612000"));
    assert_eq!(
        year.values().sum::<Decimal>(),
        dec(&r["settlement"]["revenue"])
    );
    assert_eq!(later, [("2027-01", d("63550")), ("2027-02", d("57400"))]);
}
