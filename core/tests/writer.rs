//! A response's courses and explanation are written by takst's own writers
//! (`Response::into_json`, what `evaluate_json` and every binding return); it must give **the
//! same bytes** as serde writes the same response (`Response::to_json`): on every example
//! request and conformance case, and on names with every character JSON escapes. The
//! explanation is written as a node table; read back by the one generic rule every binding
//! uses, each node must be the node itself (its key, label, rule, path and source filled by
//! the core).

use proptest::prelude::*;
use takst::Request;

mod common;

use common::root;

/// Evaluates with the explanation and compares the two writers.
fn same_bytes(mut request: Request, what: &str) -> Result<(), TestCaseError> {
    request.options.explain = true;
    let response = takst::evaluate(&request);
    let serde = response.to_json();
    let nodes: Vec<serde_json::Value> = response
        .explanation
        .iter()
        .flat_map(|e| e.nodes())
        .map(|n| serde_json::to_value(n).expect("a node"))
        .collect();
    let ours = response.into_json();
    let read: serde_json::Value = serde_json::from_str(&ours).expect("JSON");
    let read = common::read_back(read);
    let back = read["explanation"]["nodes"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    prop_assert_eq!(back.len(), nodes.len(), "{}: nodes read back", what);
    for (b, n) in back.iter().zip(&nodes) {
        prop_assert_eq!(b, n, "{}: a node read back differs", what);
    }
    prop_assert!(
        serde == ours,
        "{what}: the writers differ at byte {}",
        serde
            .bytes()
            .zip(ours.bytes())
            .position(|(a, b)| a != b)
            .unwrap_or(serde.len().min(ours.len()))
    );
    Ok(())
}

#[test]
fn every_example_and_case_is_written_as_serde_writes_it() {
    let requests = common::requests();
    for (name, request) in requests {
        same_bytes(request, &name).unwrap_or_else(|e| panic!("{e}"));
    }
}

fn provider_year() -> Request {
    let text = std::fs::read_to_string(root().join("examples/requests/provider-year.json"))
        .expect("examples/requests/provider-year.json");
    Request::from_json(&text).expect("the provider's year reads")
}

/// Names with quotes, backslashes, control characters, braces and any Unicode.
fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[a-zæøå \"\\\\{}\u{0}-\u{1f}\u{7f}\u{2028}]{0,12}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn names_with_any_character_are_written_as_serde_writes_them(
        offer in name(), service in name(), cost in name(), source in name(),
    ) {
        let mut request = provider_year();
        if let Some(o) = request.offer.as_mut() {
            o.name = offer.into();
            if let Some(s) = o.services.first_mut() {
                s.name = service.into();
            }
            if let Some(c) = o.costs.first_mut() {
                c.label = cost;
                c.source = Some(source);
            }
        }
        same_bytes(request, "the provider's year with generated names")?;
    }
}

fn course_request() -> serde_json::Value {
    let text = std::fs::read_to_string(root().join("examples/requests/course.json"))
        .expect("examples/requests/course.json");
    serde_json::from_str(&text).expect("JSON")
}

/// Courses decades apart in one request: the writer keeps a month's texts by `yyyymm` near
/// the first month it meets (a window of some twenty years each way), and the months of
/// 1990 and 2070 lie outside it, before and after. Read back, every node is itself.
#[test]
fn courses_decades_apart_are_read_back_as_themselves() {
    let mut json = course_request();
    let first = json["courses"][0].clone();
    let mut courses = vec![first.clone()];
    for (i, start) in ["1990-01-15", "2070-11-01", "2026-04-01", "1989-12-31"]
        .iter()
        .enumerate()
    {
        let mut course = first.clone();
        course["id"] = format!("borger-{}", i + 2).into();
        course["start"] = (*start).into();
        courses.push(course);
    }
    courses.push(first);
    json["courses"] = courses.into();
    let request = Request::from_json(&json.to_string()).expect("the request reads");
    same_bytes(request, "courses decades apart").unwrap_or_else(|e| panic!("{e}"));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// The courses' quotes have their own writer too (`Quote::write_json`): a course's id
    /// and municipality and the sheet's names reach its text, with and without the
    /// explanation.
    #[test]
    fn quotes_with_any_names_are_written_as_serde_writes_them(
        id in name(), municipality in name(), offer in name(), service in name(),
        add_on in name(), explain in any::<bool>(), variant in 0..4usize,
    ) {
        let mut json = course_request();
        json["catalogue"]["offer"]["name"] = offer.into();
        json["catalogue"]["services"][0]["name"] = service.into();
        json["catalogue"]["add_ons"][0]["name"] = add_on.into();
        for course in json["courses"].as_array_mut().expect("courses") {
            course["id"] = id.clone().into();
            course["municipality"] = municipality.clone().into();
        }
        // What else a quote can carry: part-time days in its schedule, full months at the
        // month tariff, chained indexation, and years past the index (a carried tariff).
        match variant {
            1 => {
                json["catalogue"]["part_time"] = serde_json::json!([
                    {"of": "udredning", "days_per_week": 3, "pct": "60", "day": "2880.60"}
                ]);
                json["courses"][0]["phases"][0]["part_time_days"] = 3.into();
            }
            2 => json["billing"] = serde_json::json!({"invoicing": "full_months"}),
            3 => {
                json["index"]["method"] = "chained".into();
                json["courses"][0]["phases"][0]["months"] = 40.into();
            }
            _ => {}
        }
        let mut request = Request::from_json(&json.to_string()).expect("the request reads");
        request.options.explain = explain;
        let response = takst::evaluate(&request);
        prop_assert!(response.ok, "{:?}", response.errors);
        prop_assert!(!response.courses.is_empty());
        prop_assert_eq!(response.to_json(), response.into_json());
    }
}

/// A positive amount as a request may write it: any scale and size a sheet may hold.
fn amount() -> impl Strategy<Value = String> {
    prop_oneof![
        (1u32..100_000, 0u32..4).prop_map(|(n, scale)| rust_decimal::Decimal::new(
            i64::from(n),
            scale
        )
        .to_string()),
        "[1-9][0-9]{0,11}(\\.[0-9]{1,8})?",
        Just("0.010".to_string()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// A catalogue's sheet, echoed in the response, has its own writer too
    /// (`TariffSheet::write_json`): every optional field present or not, any name, any amount.
    #[test]
    fn sheets_with_any_fields_are_written_as_serde_writes_them(
        offer in name(), id in proptest::option::of(name()), provider in proptest::option::of(name()),
        source in proptest::option::of(name()), service in name(), add_on in name(),
        amounts in proptest::collection::vec(amount(), 12), present in any::<u16>(),
        year in 1900i32..=2200, share in "(100|[1-9]?[0-9](\\.[0-9]{1,2})?)", mode in 0..7usize, kind in 0..4usize, stage in 0..4usize,
    ) {
        let has = |bit: u16| present & (1 << bit) != 0;
        let kind = ["service", "module", "package", "level"][kind];
        let increment = ["1", "0.01", "0.010", "100"][usize::from(present >> 14)];
        let modes = ["half_away_from_zero", "half_even", "half_toward_zero", "up", "down", "ceiling", "floor"];
        let mut sheet = serde_json::json!({
            "format": "takst/tariff-sheet", "version": 1,
            "offer": {"name": offer, "kind": if has(0) { "day" } else { "residential" }, "year": year},
            "day_basis": 365,
            "rounding": {"increment": increment, "mode": modes[mode]},
            "services": [{"id": "s", "name": service, "kind": kind,
                          "tariff": {"day": amounts[1]}}],
        });
        let s = &mut sheet["services"][0];
        if stage < 3 {
            s["stage"] = ["assessment", "development", "long_term"][stage].into();
        }
        // (The basis and the package part sum to the day tariff when both are given.)
        if has(1) {
            s["basis"] = amounts[2].clone().into();
        } else if has(2) {
            s["package_part"] = amounts[3].clone().into();
        }
        for (bit, (field, i)) in [("hours_per_week", 4), ("hours_to_per_week", 5)].into_iter().enumerate() {
            if has(3 + u16::try_from(bit).unwrap_or(0)) {
                s[field] = amounts[i].clone().into();
            }
        }
        if has(5) {
            s["share_pct"] = share.into();
        }
        if has(6) {
            s["package"] = 7.into();
            s["tariff"]["month"] = amounts[7].clone().into();
        }
        if has(7) {
            s["tariff"]["year"] = amounts[8].clone().into();
        }
        if let Some(id) = id {
            sheet["offer"]["id"] = id.into();
        }
        if let Some(p) = provider {
            sheet["offer"]["provider"] = p.into();
        }
        if let Some(source) = source {
            sheet["source"] = source.into();
        }
        if has(8) {
            sheet["average"] = serde_json::json!({"day": amounts[9], "month": amounts[10]});
        }
        if has(9) {
            sheet["package_scheme"] =
                serde_json::json!({"basis": amounts[2], "interval": amounts[3], "band_hours_per_week": "2"});
        }
        if has(10) {
            sheet["part_time"] =
                serde_json::json!([{"of": "s", "days_per_week": 3, "pct": "60", "day": amounts[11]}]);
        }
        if has(11) {
            let unit = ["hour", "km", "day"][usize::from(present >> 14) % 3];
            sheet["add_ons"] =
                serde_json::json!([{"id": "a", "name": add_on, "unit": unit, "price": amounts[4]}]);
        }
        if has(12) {
            sheet["regulation_per_day"] = format!("-{}", amounts[5]).into();
        }
        if has(13) {
            sheet["derived_rounding"] = serde_json::json!({"increment": "1", "mode": modes[(mode + 1) % 7]});
        }
        let text = serde_json::json!({"version": 1, "catalogue": sheet, "options": {"explain": false}});
        let request = Request::from_json(&text.to_string()).expect("the request reads");
        let response = takst::evaluate(&request);
        prop_assert!(response.tariff_sheet.is_some(), "{:?}", response.errors);
        prop_assert_eq!(response.to_json(), response.into_json());
    }
}

#[test]
fn policies_equal_in_value_but_written_differently_keep_their_own_text() {
    // `Decimal`'s equality ignores the scale: an increment of "0.010" is written as given,
    // and must not share the text of the "0.01" met first (found by a review).
    let mut v: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("examples/requests/provider-year.json")).unwrap(),
    )
    .unwrap();
    v["offer"]["settings"]["published_rounding"] =
        serde_json::json!({"increment": "0.010", "mode": "half_away_from_zero"});
    let request = Request::from_json(&v.to_string()).expect("the request reads");
    same_bytes(request, "an increment of 0.010").unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn a_name_to_escape_reaches_the_explanation() {
    let mut request = provider_year();
    let name = "Bo \"og\" lev \\ {s}\n\u{1}\t";
    if let Some(o) = request.offer.as_mut() {
        if let Some(c) = o.costs.first_mut() {
            c.label = name.into();
        }
        if let Some(s) = o.services.first_mut() {
            s.name = name.into();
        }
    }
    request.options.explain = true;
    let response = takst::evaluate(&request);
    assert!(response.ok, "{:?}", response.errors);
    let serde = response.to_json();
    assert!(serde.contains(r#"Bo \"og\" lev \\ {s}\n\u0001\t"#));
    assert_eq!(serde, response.into_json());
}

/// Six years of 1.96 %: the factor has 24 decimals and 30 digits (no `Decimal` holds it), so
/// the explanation carries `value_approx` / `before_approx` for plain decimals too.
#[test]
fn a_long_indexation_keeps_its_approximations() {
    let text = std::fs::read_to_string(root().join("examples/requests/course.json"))
        .expect("examples/requests/course.json");
    let mut json: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    json["index"]["rates_pct"] = (2027..2034)
        .map(|year| serde_json::json!({"year": year, "pct": "1.96"}))
        .collect();
    for phase in json["courses"][0]["phases"].as_array_mut().expect("phases") {
        phase["months"] = 30.into();
    }
    let request = Request::from_json(&json.to_string()).expect("the request reads");
    let response = takst::evaluate(&request);
    assert!(response.ok, "{:?}", response.errors);
    let serde = response.to_json();
    assert!(serde.contains("\"before_approx\":"));
    assert_eq!(serde, response.into_json());
}

/// Names of thousands of characters make the nodes far longer than `into_json`'s estimate:
/// the writer grows the text as it goes, and the bytes are serde's.
#[test]
fn names_longer_than_the_estimate_are_written_whole() {
    let mut request = provider_year();
    let long = "Særligt tilrettelagt døgnophold ".repeat(100);
    if let Some(o) = request.offer.as_mut() {
        for s in &mut o.services {
            s.name = long.clone().into();
        }
        for c in &mut o.costs {
            c.label = long.clone();
        }
    }
    same_bytes(request, "the provider's year with long names").unwrap_or_else(|e| panic!("{e}"));
}
