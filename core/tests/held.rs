//! `takst::Evaluator` keeps the catalogue it read last and lends it to a request that gives it
//! again written with the same bytes: every answer must be `evaluate_json`'s, byte for byte,
//! whatever it held before and whatever comes next.
#![allow(clippy::unwrap_used)] // tests may panic: a panic is a failed test

mod common;

use takst::{evaluate_json, evaluate_json_with, Evaluator, Limits};

/// The bundled sheet, compact, as a calculator sends it.
fn sheet() -> String {
    let text = std::fs::read_to_string(common::root().join("examples/published/elbaek.json"))
        .expect("the bundled sheet");
    serde_json::to_string(&serde_json::from_str::<serde_json::Value>(&text).unwrap()).unwrap()
}

/// A request of the sheet and a course of `months` months in its second phase.
fn request(sheet: &str, months: u32) -> String {
    format!(
        r#"{{"version":1,"catalogue":{sheet},"courses":[{{"start":"2026-03-01","phases":[{{"service":"udredning","months":3}},{{"service":"udvikling","months":{months}}}]}}],"index":{{"later_pct":"2.1"}},"options":{{"explain":false,"lines":false}}}}"#
    )
}

/// `text` through `evaluator`, checked against `evaluate_json_with`; whether the catalogue
/// held was lent to it.
fn same(evaluator: &mut Evaluator, limits: &Limits, text: &str) -> bool {
    let held = evaluator.evaluate_json(text);
    assert_eq!(held, evaluate_json_with(text, limits), "{text}");
    evaluator.reused_catalogue()
}

#[test]
fn a_catalogue_given_again_is_lent_and_the_response_is_the_same() {
    let sheet = sheet();
    let limits = Limits::default();
    let mut e = Evaluator::new();
    assert!(
        !same(&mut e, &limits, &request(&sheet, 5)),
        "read the first time"
    );
    for months in [5, 8, 1, 30] {
        assert!(
            same(&mut e, &limits, &request(&sheet, months)),
            "held for {months}"
        );
    }
    // Written with other whitespace before it, the same bytes: held.
    let spaced = request(&sheet, 4).replace(r#""catalogue":{"#, "\"catalogue\": \n\t{");
    assert!(same(&mut e, &limits, &spaced));
    // The sheet written otherwise (pretty-printed) is read, and then held in its turn.
    let pretty =
        serde_json::to_string_pretty(&serde_json::from_str::<serde_json::Value>(&sheet).unwrap())
            .unwrap();
    assert!(!same(&mut e, &limits, &request(&pretty, 5)));
    assert!(same(&mut e, &limits, &request(&pretty, 6)));
    assert!(!same(&mut e, &limits, &request(&sheet, 5)));
}

#[test]
fn every_request_is_answered_the_same_and_only_the_held_catalogue_is_lent() {
    let sheet = sheet();
    let base = request(&sheet, 5);
    let at = base.find(r#","courses""#).unwrap();
    let (head, tail) = (&base[..at], &base[at..]);
    let courses = base.find(r#""courses":["#).unwrap() + r#""courses":["#.len();
    let limits = Limits::default();
    // Each request, and whether it is answered with the sheet held lent to it.
    let cases = [
        // The key twice: refused as a repeated key, either way.
        (
            base.replacen(
                &format!(r#""catalogue":{sheet}"#),
                &format!(r#""catalogue":{sheet},"catalogue":{sheet}"#),
                1,
            ),
            false,
        ),
        // Both catalogue and catalogues: read without a problem, the sheet lent.
        (format!(r#"{head},"catalogues":[{sheet}]{tail}"#), true),
        // The sheet nested, in an unknown field and in a scenario's changes without a root
        // `catalogue`: only the root's is ever left out of the tree.
        (
            format!(r#"{head},"extra":{{"catalogue":{sheet}}}{tail}"#),
            false,
        ),
        (
            format!(
                r#"{{"version":1,"scenarios":[{{"name":"x","changes":{{"catalogue":{sheet}}}}}]{tail}"#
            ),
            false,
        ),
        // Another sheet whose text starts as the held one's and differs near its end, with
        // as many bytes and with one more.
        (
            base.replacen("omkostningsgrundlaget\"", "omkostningsgrundlagEt\"", 1),
            false,
        ),
        (
            base.replacen("omkostningsgrundlaget\"", "omkostningsgrundlaget.\"", 1),
            false,
        ),
        // A problem in pricing: read without a problem, the sheet lent.
        (
            base.replace(r#""service":"udvikling""#, r#""service":"ukendt""#),
            true,
        ),
        // A problem in reading: an unknown field, a bad date; and two courses, one that
        // does not read and one that does not price (whose problems the reader adds).
        (base.replace(r#""later_pct""#, r#""later""#), false),
        (base.replace("2026-03-01", "2026-02-30"), false),
        (
            format!(
                r#"{}{{"start":"2026-02-30","phases":[]}},{{"start":"2026-03-01","phases":[{{"service":"ukendt","months":2}}]}},{}"#,
                &base[..courses],
                &base[courses..]
            ),
            false,
        ),
        // A syntax error after the catalogue, and one in the text just after it.
        (base.replace(r#""options""#, r#""options"#), false),
        (base.replacen(&sheet, &format!("{sheet}x"), 1), false),
        (base.replacen(&sheet, &format!("{sheet}]"), 1), false),
        // Another version, the catalogue null, the catalogue's key escaped (the same key).
        (base.replace(r#"{"version":1"#, r#"{"version":2"#), false),
        (base.replacen(&sheet, "null", 1), false),
        (base.replace(r#""catalogue""#, r#""catalog\u0075e""#), true),
        // No catalogue at all, the sheet alone, and the sheet without courses.
        (r#"{"version":1,"courses":[]}"#.to_string(), false),
        (sheet.clone(), false),
        (format!(r#"{{"version":1,"catalogue":{sheet}}}"#), true),
    ];
    assert!(sheet.ends_with(r#"omkostningsgrundlaget","version":1}"#));
    for (case, lent) in &cases {
        let mut e = Evaluator::new();
        assert!(!same(&mut e, &limits, &base));
        assert_eq!(same(&mut e, &limits, case), *lent, "{case}");
        // And whatever that left held, the request after is answered the same.
        same(&mut e, &limits, &base);
        same(&mut e, &limits, case);
    }
}

#[test]
fn the_limits_hold_for_a_request_with_the_catalogue_lent() {
    let sheet = sheet();
    // The catalogue's own limits: a sheet over them is never held.
    let limits = Limits {
        services: 2,
        ..Limits::default()
    };
    let mut e = Evaluator::with_limits(limits.clone());
    let text = request(&sheet, 5);
    assert!(!same(&mut e, &limits, &text));
    assert!(!same(&mut e, &limits, &text));
    assert!(evaluate_json_with(&text, &limits).contains("limit_exceeded"));
    // The rest's: a request over them with the catalogue held is answered as read whole.
    let limits = Limits {
        courses: 1,
        phases: 2,
        ..Limits::default()
    };
    let mut e = Evaluator::with_limits(limits.clone());
    assert!(!same(&mut e, &limits, &text));
    for over in [
        text.replace(
            r#""courses":[{"#,
            r#""courses":[{"start":"2026-01-01","phases":[]},{"#,
        ),
        text.replace(
            r#"{"service":"udredning","months":3},"#,
            r#"{"service":"udredning","months":3},{"service":"udredning","months":3},"#,
        ),
    ] {
        assert!(!same(&mut e, &limits, &over));
        assert!(
            evaluate_json_with(&over, &limits).contains("limit_exceeded"),
            "{over}"
        );
        assert!(same(&mut e, &limits, &text));
    }
    // A catalogue read with a problem is not held: a request that fixes the rest is read.
    let bad = sheet.replacen(r#""day_basis":365"#, r#""day_basis":"x""#, 1);
    let mut e = Evaluator::new();
    assert!(!same(&mut e, &Limits::default(), &request(&bad, 5)));
    assert!(!same(&mut e, &Limits::default(), &request(&bad, 5)));
}

/// The text of every example request in JSON and conformance case, whether this build
/// reads it or refuses it.
fn texts() -> Vec<String> {
    let mut texts = Vec::new();
    for dir in ["examples/requests", "tests/cases"] {
        let mut files: Vec<_> = std::fs::read_dir(common::root().join(dir))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        files.sort();
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            texts.push(if dir == "tests/cases" {
                serde_json::from_str::<serde_json::Value>(&text).unwrap()["request"].to_string()
            } else {
                text
            });
        }
    }
    texts
}

#[test]
fn every_example_and_case_is_answered_the_same_held_or_read() {
    let texts = texts();
    assert!(texts.len() >= 30, "{} requests", texts.len());
    let limits = Limits::default();
    let mut e = Evaluator::new();
    let mut lent = 0;
    for text in texts.iter().chain(&texts) {
        same(&mut e, &limits, text);
        lent += usize::from(same(&mut e, &limits, text));
    }
    // Each case of a catalogue that this build reads, twice.
    assert!(lent >= 8, "only {lent} requests had their catalogue lent");
    assert_eq!(evaluate_json(&texts[0]), e.evaluate_json(&texts[0]));
}
