//! `evaluate_each` hands over the quotes `evaluate` keeps, in order, and answers the rest of
//! the response as `evaluate` does: on every example request and conformance case (with the
//! explanation and without), on a request whose second course fails, with
//! `options.quotes = false`, and with e-invoices (made from the quotes, handed over after);
//! and with `options.lines = false`, the same quotes but for their lines; and with
//! `options.tariff_sheet = false`, the same response but for its sheet.

use takst::{evaluate, evaluate_each, Limits, Quote, Request, Response};

mod common;
use common::requests;

/// The quotes handed over, with their positions, and the response.
fn each(request: &Request) -> (Vec<(usize, Quote)>, Response) {
    let mut quotes = Vec::new();
    let response = evaluate_each(request, &Limits::default(), &mut |i, q| {
        quotes.push((i, q.clone()))
    });
    (quotes, response)
}

/// `evaluate_each` gives what `evaluate` gives, its courses handed over one by one.
fn same(request: &Request, what: &str) -> usize {
    let mut whole = evaluate(request);
    let (quotes, rest) = each(request);
    assert!(rest.courses.is_empty(), "{what}: courses kept");
    let positions: Vec<usize> = quotes.iter().map(|(i, _)| *i).collect();
    assert_eq!(
        positions,
        (0..quotes.len()).collect::<Vec<_>>(),
        "{what}: in order"
    );
    if whole.ok {
        assert_eq!(quotes.len(), whole.courses.len(), "{what}");
        for ((_, q), kept) in quotes.iter().zip(&whole.courses) {
            assert!(q == kept, "{what}: a quote differs");
        }
    } else {
        // A failed response keeps no quote; those handed over before the failure are the
        // caller's to drop.
        assert!(whole.courses.is_empty(), "{what}");
    }
    let n = quotes.len();
    whole.courses.clear();
    assert_eq!(
        whole.to_json(),
        rest.to_json(),
        "{what}: the rest of the response"
    );
    n
}

#[test]
fn every_example_and_case_hands_over_the_quotes_evaluate_keeps() {
    let mut quotes = 0;
    for (name, mut request) in requests() {
        for explain in [false, true] {
            request.options.explain = explain;
            quotes += same(&request, &name);
        }
    }
    assert!(quotes >= 20, "{quotes} quotes compared");
}

fn two_courses(second_service: &str) -> Request {
    let sheet = serde_json::to_string(
        &takst::Offer::sample()
            .compute()
            .expect("the sample offer")
            .sheet,
    )
    .expect("a sheet as JSON");
    Request::from_json(&format!(
        r#"{{"version": 1, "catalogue": {sheet}, "options": {{"explain": false}},
        "courses": [{{"start": "2026-01-01", "phases": [{{"service": "udvikling", "days": 10}}]}},
                    {{"start": "2026-01-01", "phases": [{{"service": "{second_service}", "days": 20}}]}},
                    {{"start": "2026-01-01", "phases": [{{"service": "udvikling", "days": 30}}]}}]}}"#
    ))
    .expect("the request reads")
}

#[test]
fn the_quotes_before_a_failed_course_are_handed_over_and_the_response_has_the_error() {
    let request = two_courses("ukendt");
    assert_eq!(same(&request, "a failed course"), 1);
    let (quotes, response) = each(&request);
    assert!(!response.ok);
    assert_eq!(response.errors[0].path(), "courses[1].phases[0].service");
    assert_eq!(quotes.len(), 1);
}

#[test]
fn without_quotes_nothing_is_handed_over() {
    let mut request = two_courses("udvikling");
    assert_eq!(same(&request, "three courses"), 3);
    let (quotes, _) = each(&request);
    let days: Vec<u32> = quotes.iter().map(|(_, q)| q.days).collect();
    assert_eq!(days, [10, 20, 30]);
    request.options.quotes = false;
    request.options.caseload = true;
    assert_eq!(same(&request, "a caseload"), 0);
    let (quotes, response) = each(&request);
    assert!(quotes.is_empty());
    assert_eq!(
        response.caseload.expect("a caseload")[0].total.to_string(),
        "222960.00"
    );
}

#[cfg(feature = "einvoice")]
#[test]
fn with_e_invoices_the_quotes_are_handed_over_after_them() {
    let text = std::fs::read_to_string(common::root().join("examples/requests/einvoice.json"))
        .expect("examples/requests/einvoice.json");
    let request = Request::from_json(&text).expect("the request reads");
    let n = same(&request, "e-invoices");
    assert!(n > 0);
    let (_, response) = each(&request);
    assert!(response.einvoices.is_some_and(|e| !e.is_empty()));
}

/// A course and the buyer's net cost, which counts the courses' invoices.
#[cfg(feature = "provider")]
fn buyer(quotes: bool) -> Request {
    let sheet = serde_json::to_string(&takst::Offer::sample().compute().expect("the sample").sheet)
        .expect("a sheet as JSON");
    Request::from_json(&format!(
        r#"{{"version": 1, "catalogue": {sheet}, "options": {{"explain": false, "quotes": {quotes}}},
        "buyer": {{"refund": [{{"year": 2026, "brackets": [{{"from": "100000", "pct": 25}}]}}]}},
        "courses": [{{"id": "b1", "start": "2026-01-01", "phases": [{{"service": "udvikling", "months": 6}}]}}]}}"#
    ))
    .expect("the request reads")
}

#[cfg(feature = "provider")]
#[test]
fn the_buyer_counts_the_courses_whether_or_not_the_quotes_are_kept() {
    let request = buyer(true);
    assert_eq!(same(&request, "a buyer"), 1);
    let kept = evaluate(&request);
    let case = &serde_json::to_value(&kept.buyer).expect("JSON")["cases"][0];
    assert_eq!(case["gross"], "672596.00", "{case}");
    // Without the quotes in the response, the buyer still reads them.
    let without = evaluate(&buyer(false));
    assert!(without.courses.is_empty());
    assert_eq!(
        serde_json::to_value(&without.buyer).expect("JSON"),
        serde_json::to_value(&kept.buyer).expect("JSON")
    );
}

/// The limit on invoice lines holds for the quotes kept for the buyer, and its message does
/// not ask to switch off quotes that the buyer keeps all the same.
#[cfg(feature = "provider")]
#[test]
fn the_quotes_kept_for_the_buyer_are_within_the_limit_on_invoice_lines() {
    let limits = Limits {
        invoice_lines: 3,
        ..Limits::default()
    };
    for quotes in [true, false] {
        let response = takst::evaluate_with(&buyer(quotes), &limits);
        assert!(!response.ok);
        let e = &response.errors[0];
        assert_eq!(
            (e.code(), e.path()),
            (takst::ErrorCode::LimitExceeded, "courses[0]")
        );
        // Kept for the buyer, the lines stay with the quotes off too: the advice is to
        // split the request either way.
        assert!(
            !e.message().contains("options.quotes = false")
                && e.message().contains("split the request"),
            "{}",
            e.message()
        );
    }
}

/// `response`, the response to `request`, is `expected`, written by serde and by its own
/// writer (which a debug build checks against serde's), and `evaluate_each` answers
/// `request` as `evaluate` does.
fn written_as(request: &Request, response: Response, expected: &serde_json::Value, name: &str) {
    assert_eq!(
        serde_json::to_value(&response).expect("JSON"),
        *expected,
        "{name}"
    );
    let written: serde_json::Value = serde_json::from_str(&response.into_json()).expect("JSON");
    assert_eq!(written, *expected, "{name}");
    same(request, name);
}

/// `options.lines = false`: on every example request and conformance case, the response is
/// the response with its lines, but for the quotes' `lines` (the explanation, e-invoices,
/// buyer and caseload, made from the lines, the same), and `evaluate_each` hands over the
/// same quotes without their lines.
#[test]
fn quotes_without_their_lines_are_the_quotes_but_for_them() {
    let mut tried = 0;
    for (name, request) in requests() {
        if request.courses.is_empty() || !request.options.lines {
            continue;
        }
        let mut without = request.clone();
        without.options.lines = false;
        let mut expected = serde_json::to_value(evaluate(&request)).expect("JSON");
        let quotes = expected.get_mut("courses").and_then(|c| c.as_array_mut());
        for q in quotes.into_iter().flatten() {
            q.as_object_mut().expect("a quote").remove("lines");
        }
        let response = evaluate(&without);
        assert!(
            response.courses.iter().all(|q| q.lines.is_empty()),
            "{name}"
        );
        written_as(&without, response, &expected, &name);
        tried += 1;
    }
    assert!(tried > 10, "{tried} requests with courses");
}

/// The limit on invoice lines holds with them in the response or without (they bound the
/// months a quote without lines still has), and for those kept for the buyer.
#[cfg(feature = "provider")]
#[test]
fn the_limit_on_invoice_lines_holds_without_them_in_the_response() {
    let limits = Limits {
        invoice_lines: 3,
        ..Limits::default()
    };
    let mut request = buyer(true);
    request.options.lines = false;
    for buyer in [true, false] {
        if !buyer {
            request.buyer = None;
        }
        let response = takst::evaluate_with(&request, &limits);
        assert!(!response.ok, "buyer {buyer}");
        assert_eq!(
            response.errors[0].code(),
            takst::ErrorCode::LimitExceeded,
            "buyer {buyer}"
        );
    }
    let limits = Limits {
        invoice_lines: 6,
        ..Limits::default()
    };
    let response = takst::evaluate_with(&request, &limits);
    assert!(response.ok, "{:?}", response.errors);
    assert!(response.courses[0].lines.is_empty());
    assert_eq!(response.courses[0].total.to_string(), "672596.00");
}

/// A quote without its lines reads as one in text: no empty table of lines, and its
/// comparison still says that the add-ons are left out of it.
#[test]
fn a_quote_without_its_lines_reads_as_one_in_text() {
    let text = std::fs::read_to_string(common::root().join("examples/requests/course.json"))
        .expect("examples/requests/course.json");
    let mut request = Request::from_json(&text).expect("the request reads");
    request.options.explain = false;
    let full = evaluate(&request);
    let with = full
        .courses
        .iter()
        .find(|q| q.lines.iter().any(|l| l.add_on.is_some()));
    let with = with.expect("a course with an add-on").to_text();
    request.options.lines = false;
    let response = evaluate(&request);
    let position = full
        .courses
        .iter()
        .position(|q| q.lines.iter().any(|l| l.add_on.is_some()));
    let without = response.courses[position.expect("a course with an add-on")].to_text();
    assert!(
        without.contains("(Fakturalinjerne er ikke med i svaret.)"),
        "{without}"
    );
    assert!(!without.contains("Måned  "), "{without}");
    assert!(with.contains("uden tillægsydelser"), "{with}");
    assert!(without.contains("uden tillægsydelser"), "{without}");
    // The rest is the same text (its totals aligned to a narrower table).
    let tail = |t: &str| {
        t[t.find("I alt").expect("totals")..]
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    assert_eq!(tail(&without), tail(&with));
}

/// `options.tariff_sheet = false`: on every example request and conformance case, the
/// response is the response with its sheet but for `tariff_sheet` (written by serde and by
/// its own writer alike), and `evaluate_each` hands over the same quotes.
#[test]
fn a_response_without_its_sheet_is_the_response_but_for_it() {
    let mut tried = 0;
    for (name, request) in requests() {
        if !request.options.tariff_sheet {
            continue;
        }
        let mut without = request.clone();
        without.options.tariff_sheet = false;
        let mut expected = serde_json::to_value(evaluate(&request)).expect("JSON");
        let had = expected
            .as_object_mut()
            .and_then(|o| o.remove("tariff_sheet"))
            .is_some();
        let response = evaluate(&without);
        assert!(response.tariff_sheet.is_none(), "{name}");
        written_as(&without, response, &expected, &name);
        tried += usize::from(had);
    }
    assert!(tried > 10, "{tried} requests with a sheet");
}

/// An offer asked for without its sheet says so in text, rather than leaving its statement
/// out without a word; a catalogue's text is then its quotes only.
#[test]
fn a_response_without_its_sheet_says_so_in_text() {
    let mut request = Request {
        offer: Some(takst::Offer::sample()),
        ..Request::default()
    };
    request.options.explain = false;
    let with = evaluate(&request).to_text();
    assert!(with.starts_with("TAKSTBLAD 2026"), "{with}");
    request.options.tariff_sheet = false;
    let without = evaluate(&request).to_text();
    assert_eq!(without, "(Takstbladet er ikke med i svaret.)\n");
    // Its warnings are still listed (the statement listed them).
    let mut offer = takst::Offer::sample();
    offer.settings.overhead_cap_pct = rust_decimal::Decimal::ONE;
    request.offer = Some(offer);
    let response = evaluate(&request);
    assert!(!response.warnings.is_empty());
    let text = response.to_text();
    assert!(
        text.starts_with(
            "(Takstbladet er ikke med i svaret.)\n\nAdvarsler\n  ! offer.costs: Overhead"
        ),
        "{text}"
    );
}
