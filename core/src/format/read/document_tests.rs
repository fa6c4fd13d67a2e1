//! Tests of the document builder (`document.rs`).
use super::*;
use crate::format::read::parse_json;
use crate::{Limits, Request};

/// Builds what a parsed tree holds, call by call, as a binding walking its own values
/// would.
fn drive(b: &mut DocumentBuilder<'_>, t: &Tree<'_>) {
    match t {
        Tree::Null => b.null(),
        Tree::Bool(v) => b.bool(*v),
        Tree::Int(v) => b.int(*v),
        Tree::UInt(v) => b.number(&v.to_string()),
        Tree::Num(s) => b.number(s),
        Tree::Str(s) => b.str(s),
        Tree::Arr(items) => {
            b.begin_list();
            for item in *items {
                drive(b, item);
            }
            b.end();
        }
        Tree::Obj(entries) => {
            b.begin_object();
            for (k, v) in *entries {
                b.key(k);
                drive(b, v);
            }
            b.end();
        }
    }
}

fn built_from(text: &str) -> (String, Result<Request, Errors>, usize) {
    let bump = Bump::new();
    let tree = parse_json(text, &bump).unwrap_or_else(|e| panic!("{e}"));
    let arena = Arena::new();
    let mut b = DocumentBuilder::new(&arena);
    drive(&mut b, &tree);
    let doc = b.finish().unwrap_or_else(|e| panic!("{e:?}"));
    let shown = format!("{:?}", doc.tree);
    assert_eq!(shown, format!("{tree:?}"));
    // Its text reads back as the same tree, and is serde_json's compact text.
    let again = doc.to_json();
    let reread = parse_json(&again, &bump).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(format!("{reread:?}"), shown);
    if let Ok(v) = serde_json::from_str::<serde_json::Value>(text) {
        // (serde_json's `Value` reads its private number token as a number; the tree does not.)
        if !text.contains("\"version\": 1, \"version\"") && !text.contains("private::Number") {
            assert_eq!(again.len(), v.to_string().len(), "{again}");
        }
    }
    let size = doc.size();
    assert_eq!(size, doc.to_json().len());
    (
        shown,
        Request::from_document(&doc, &Limits::default()),
        size,
    )
}

fn requests() -> Vec<(String, String)> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut out = Vec::new();
    for dir in ["tests/cases", "examples/requests"] {
        let mut files: Vec<_> = std::fs::read_dir(root.join(dir))
            .unwrap_or_else(|e| panic!("{dir}: {e}"))
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        files.sort();
        for f in files {
            let text = std::fs::read_to_string(&f).unwrap_or_default();
            let text = if dir == "tests/cases" {
                let v: serde_json::Value =
                    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
                v.get("request").map(|r| r.to_string()).unwrap_or_default()
            } else {
                text
            };
            out.push((f.display().to_string(), text));
        }
    }
    assert!(out.len() > 30, "{}", out.len());
    out
}

/// Every conformance case and example request, and requests with problems of every
/// kind the reader reports, give the same tree, the same request or the same errors
/// built as read from text.
#[test]
fn built_as_read() {
    let mut all = requests();
    for text in [
        r#"{"version": 1, "version": 1, "offer": {"name": 1, "nmae": "x", "year": "2026"}}"#,
        r#"{"version": 1, "courses": [{"start": "2026-13-01", "phases": [{"service": "a", "months": -1}]}]}"#,
        r#"{"version": 2, "offer": null}"#,
        r#"{"version": 1, "offer": {"name": "x\"\u00e6", "year": 18446744073709551616, "kind": "day"}}"#,
        r#"[1, 2.50, -0, 1e3, 9223372036854775808, true, null, {}]"#,
        // serde_json's number token written as a key is a key, with or without escapes.
        r#"{"version": 1, "offer": {"name": "x", "year": 2026, "kind": "day", "costs": [{"label": "Løn", "category": "wages", "amount": {"$serde_json::private::Number": "4000000"}}]}}"#,
        r#"{"version": 1, "catalogue": {"\u0024serde_json::private::Number": "5"}}"#,
        r#"[{"$serde_json::private::Number": "5"}, {"$serde_json::private::Number": 5, "a": 1}]"#,
    ] {
        all.push((text.to_string(), text.to_string()));
    }
    for (name, text) in all {
        let (_, built, size) = built_from(&text);
        let read = Request::from_json(&text);
        assert_eq!(format!("{built:?}"), format!("{read:?}"), "{name}");
        // The size is the compact text's (serde_json's, when no key repeats).
        let compact = serde_json::from_str::<serde_json::Value>(&text)
            .map(|v| v.to_string().len())
            .unwrap_or_default();
        assert!(size >= compact, "{name}: {size} {compact}");
    }
}

#[test]
fn numbers_strings_and_sizes() {
    let arena = Arena::new();
    let mut b = DocumentBuilder::new(&arena);
    b.begin_list();
    b.int(-12);
    b.number("12.50");
    b.number("1e3");
    b.number("18446744073709551615");
    b.str("a\"b");
    b.null();
    b.bool(false);
    b.end();
    let doc = b.finish().unwrap_or_else(|e| panic!("{e:?}"));
    assert!(matches!(
        doc.tree,
        Tree::Arr([
            Tree::Int(-12),
            Tree::Num("12.50"),
            Tree::Num("1e+3"),
            Tree::UInt(u64::MAX),
            Tree::Str("a\"b"),
            Tree::Null,
            Tree::Bool(false)
        ])
    ));
    let text = doc.to_json();
    assert_eq!(
        text,
        r#"[-12,12.50,1e+3,18446744073709551615,"a\"b",null,false]"#
    );
    assert_eq!(doc.size(), text.len());
}

fn problem(build: impl FnOnce(&mut DocumentBuilder<'_>)) -> (ErrorCode, String) {
    let arena = Arena::new();
    let mut b = DocumentBuilder::new(&arena);
    build(&mut b);
    let e = b.finish().expect_err("a problem");
    let first = &e.as_slice()[0];
    (first.code(), first.message().to_string())
}

/// Misuse is an error from `finish`, never a panic, and the first one is kept.
#[test]
fn misuse_is_an_error() {
    type Build = Box<dyn FnOnce(&mut DocumentBuilder<'_>)>;
    let cases: Vec<(Build, &str)> = vec![
        (Box::new(|_| {}), "it is empty"),
        (Box::new(|b| b.begin_object()), "was not ended"),
        (Box::new(|b| b.end()), "an end with nothing open"),
        (
            Box::new(|b| {
                b.null();
                b.null()
            }),
            "a second value",
        ),
        (
            Box::new(|b| {
                b.null();
                b.begin_list()
            }),
            "a second value",
        ),
        (
            Box::new(|b| {
                b.begin_object();
                b.int(1)
            }),
            "without its key",
        ),
        (
            Box::new(|b| {
                b.begin_object();
                b.begin_list()
            }),
            "without its key",
        ),
        (
            Box::new(|b| {
                b.begin_list();
                b.key("a")
            }),
            "a key outside an object",
        ),
        (Box::new(|b| b.key("a")), "a key outside an object"),
        (
            Box::new(|b| {
                b.begin_object();
                b.key("a");
                b.key("b")
            }),
            "two keys",
        ),
        (
            Box::new(|b| {
                b.begin_object();
                b.key("a");
                b.end()
            }),
            "a key without its value",
        ),
        (
            Box::new(|b| {
                b.begin_list();
                let _ = b.json_entries("{}");
            }),
            "entries outside",
        ),
        // The first problem is kept; what follows is ignored.
        (
            Box::new(|b| {
                b.end();
                b.begin_list();
                b.key("a")
            }),
            "an end with nothing open",
        ),
    ];
    for (build, expected) in cases {
        let (code, message) = problem(build);
        assert_eq!(code, ErrorCode::Syntax);
        assert!(message.contains(expected), "{message}");
    }
    let (code, message) = problem(|b| b.number("12 "));
    assert_eq!(code, ErrorCode::InvalidNumber, "{message}");
    for text in ["\"12\"", "1.", "-", "0x10", "NaN", "[1]", " 1", "", "1 2"] {
        assert_eq!(
            problem(|b| b.number(text)).0,
            ErrorCode::InvalidNumber,
            "{text}"
        );
    }
}

/// 128 levels, and not one more, counting JSON text placed inside.
#[test]
fn depth() {
    let arena = Arena::new();
    let mut b = DocumentBuilder::new(&arena);
    for _ in 0..MAX_DEPTH {
        b.begin_list();
    }
    for _ in 0..MAX_DEPTH {
        b.end();
    }
    assert!(b.finish().is_ok());
    let (code, message) = problem(|b| {
        for _ in 0..=MAX_DEPTH {
            b.begin_list();
        }
    });
    assert_eq!(code, ErrorCode::Syntax);
    assert!(message.contains("recursion limit"), "{message}");
    let arena = Arena::new();
    let mut b = DocumentBuilder::new(&arena);
    for _ in 0..MAX_DEPTH - 2 {
        b.begin_list();
    }
    assert!(b.json("[[]]").is_ok());
    let e = b.json("[[[]]]").expect_err("too deep");
    assert!(
        e.as_slice()[0].message().contains("recursion limit"),
        "{e:?}"
    );
    // The error left the builder as it was.
    assert!(!b.failed());
    for _ in 0..MAX_DEPTH - 2 {
        b.end();
    }
    assert!(b.finish().is_ok());
}

/// JSON text placed as a value or spliced as entries; a syntax error names its line and
/// column and leaves the builder as it was.
#[test]
fn json_text() {
    let arena = Arena::new();
    let mut b = DocumentBuilder::new(&arena);
    b.begin_object();
    assert!(b.json_entries(r#"{"version": 1, "a": [1]}"#).is_ok());
    b.key("b");
    let e = b.json("[1,\n 2,]").expect_err("a syntax error");
    let e = &e.as_slice()[0];
    assert_eq!((e.code(), e.position()), (ErrorCode::Syntax, Some((2, 4))));
    assert!(b.json("\"x\"").is_ok());
    let e = b.json_entries("[]").expect_err("not an object");
    assert_eq!(e.as_slice()[0].code(), ErrorCode::InvalidType);
    b.end();
    let doc = b.finish().unwrap_or_else(|e| panic!("{e:?}"));
    assert!(matches!(
        doc.tree,
        Tree::Obj([
            ("version", Tree::Int(1)),
            ("a", Tree::Arr([Tree::Int(1)])),
            ("b", Tree::Str("x"))
        ])
    ));
}

/// A value placed again is a copy with its own nodes (a problem in it is reported at
/// each place), equal to the first.
#[test]
fn again() {
    let arena = Arena::new();
    let mut b = DocumentBuilder::new(&arena);
    assert!(b.last().is_none());
    b.begin_object();
    b.key("version");
    b.int(1);
    b.key("courses");
    b.begin_list();
    b.begin_object();
    b.key("phases");
    assert!(b.json(r#"[{"service": "x", "months": "3"}]"#).is_ok());
    let phases = b.last().expect("the phases");
    b.key("start");
    b.str("2026-01-01");
    b.end();
    b.begin_object();
    b.key("phases");
    b.again(&phases);
    b.key("start");
    b.str("2026-01-01");
    b.end();
    b.end();
    b.end();
    let doc = b.finish().unwrap_or_else(|e| panic!("{e:?}"));
    let Tree::Obj([_, (_, Tree::Arr([one, two]))]) = &doc.tree else {
        panic!("{:?}", doc.tree)
    };
    assert_eq!(format!("{one:?}"), format!("{two:?}"));
    let (Some(p1), Some(p2)) = (one.get("phases"), two.get("phases")) else {
        panic!()
    };
    let (Tree::Arr([a]), Tree::Arr([c])) = (p1, p2) else {
        panic!()
    };
    assert!(!std::ptr::eq(a, c));
    let e = Request::from_document(&doc, &Limits::default()).expect_err("months is text");
    let paths: Vec<_> = e.as_slice().iter().map(|e| e.path().to_string()).collect();
    let text = r#"{"version":1,"courses":[{"phases":[{"service":"x","months":"3"}],"start":"2026-01-01"},{"phases":[{"service":"x","months":"3"}],"start":"2026-01-01"}]}"#;
    let read = Request::from_json(text).expect_err("months is text");
    let read: Vec<_> = read
        .as_slice()
        .iter()
        .map(|e| e.path().to_string())
        .collect();
    assert_eq!(paths, read);
    assert!(paths.len() >= 2, "{paths:?}");
}

/// The size limit applies to a built document as to text.
#[test]
fn size_limit() {
    let arena = Arena::new();
    let mut b = DocumentBuilder::new(&arena);
    b.begin_object();
    b.key("version");
    b.int(1);
    b.key("x");
    b.str(&"a".repeat(100));
    b.end();
    let doc = b.finish().unwrap_or_else(|e| panic!("{e:?}"));
    let limits = Limits {
        request_bytes: 100,
        ..Limits::default()
    };
    let e = Request::from_document(&doc, &limits).expect_err("too large");
    assert_eq!(e.as_slice()[0].code(), ErrorCode::LimitExceeded);
}

/// A row that fails halfway is dropped with `reset`, and the rows after it build as if it
/// had never begun.
#[test]
fn mark_and_reset() {
    let arena = Arena::new();
    let mut b = DocumentBuilder::new(&arena);
    b.begin_list();
    for row in 0..300 {
        let mark = b.mark();
        b.begin_object();
        b.key("a");
        b.begin_list();
        if row % 2 == 1 {
            // A problem halfway: two levels and a pending key left open.
            b.begin_object();
            b.key("x");
            b.reset(&mark);
            continue;
        }
        b.int(row);
        b.end();
        b.end();
    }
    b.end();
    let doc = b.finish().unwrap_or_else(|e| panic!("{e:?}"));
    let Tree::Arr(rows) = &doc.tree else { panic!() };
    assert_eq!(rows.len(), 150);
    assert_eq!(doc.size(), doc.to_json().len());
    // A reset undoes a failure met since the mark, but a mark whose list was ended since
    // cannot be returned to.
    let arena = Arena::new();
    let mut b = DocumentBuilder::new(&arena);
    b.begin_list();
    let mark = b.mark();
    b.key("not here");
    assert!(b.failed());
    b.reset(&mark);
    assert!(!b.failed());
    b.end();
    b.reset(&mark);
    assert!(b.failed());
    // A list ended since the mark and another begun in its place is not the mark's.
    let arena = Arena::new();
    let mut b = DocumentBuilder::new(&arena);
    b.begin_object();
    b.key("a");
    b.begin_list();
    let mark = b.mark();
    b.end();
    b.key("b");
    b.begin_list();
    b.reset(&mark);
    assert!(b.failed());
}

/// A list of 100 nested lists, inside a list left open: a value as deep as text may nest
/// once placed again one level down.
fn hundred_deep<'a>(b: &mut DocumentBuilder<'a>) -> Built<'a> {
    b.begin_list();
    for _ in 0..100 {
        b.begin_list();
    }
    for _ in 0..100 {
        b.end();
    }
    b.last().expect("a value")
}

/// A value placed again counts its own levels: no copy nests deeper than text may.
#[test]
fn again_keeps_the_depth_limit() {
    let arena = Arena::new();
    let mut b = DocumentBuilder::new(&arena);
    let deep = hundred_deep(&mut b);
    b.again(&deep);
    assert!(!b.failed());
    for _ in 0..30 {
        b.begin_list();
    }
    b.again(&deep);
    assert!(b.failed());
}

/// A value omitted is counted as the copy `again` places with its texts replaced, comma and
/// all, and placed nowhere: the document's size is the text's with the copy, its list an
/// item shorter, and it is marked as built with values elsewhere. Also when the value holds
/// a list placed elsewhere (an empty list in its tree, counted as the copy): the host gives
/// the bytes it counted.
#[test]
fn again_omitted_counts_the_copy_and_places_nothing() {
    let build = |omit: bool, elsewhere: bool| {
        let arena = Arena::new();
        let mut b = DocumentBuilder::new(&arena);
        b.begin_list();
        let (start, id) = (b.text_of("2026-01-01"), b.text_of("borger-\"1\""));
        let (key_start, key_id, key_phases) =
            (b.text_of("start"), b.text_of("id"), b.text_of("phases"));
        assert!(b.json(r#"[{"service": "x\"y", "months": 3}]"#).is_ok());
        let phases = b.last().expect("the phases");
        fn row_of<'a>(
            b: &mut DocumentBuilder<'a>,
            keys: [Text<'a>; 3],
            texts: [Text<'a>; 2],
            phases: &Built<'a>,
            elsewhere: bool,
        ) {
            b.begin_object();
            for (key, text) in keys.iter().zip(texts) {
                b.key_text(*key);
                b.str_text(text);
            }
            b.key_text(keys[2]);
            if elsewhere {
                b.again_elsewhere(phases);
            } else {
                b.again(phases);
            }
            b.end();
        }
        let keys = [key_start, key_id, key_phases];
        let before = b.size();
        row_of(&mut b, keys, [start, id], &phases, elsewhere);
        let (row, counted) = (b.last().expect("the row"), b.size() - before - 1);
        let (start2, id2) = (b.text_of("2027-12-31"), b.text_of("b\\2"));
        if omit {
            b.again_omitted(&row, counted, [(start, start2), (id, id2)]);
        } else {
            row_of(&mut b, keys, [start2, id2], &phases, false);
        }
        b.end();
        let size = b.size();
        let doc = b.finish().unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(doc.size(), size);
        let Tree::Arr(items) = &doc.tree else {
            panic!("{:?}", doc.tree)
        };
        (size, doc.to_json().len(), items.len(), doc.elsewhere)
    };
    let copy = build(false, false);
    assert_eq!(copy.0, copy.1);
    assert_eq!((copy.2, copy.3), (3, false));
    for elsewhere in [false, true] {
        let omitted = build(true, elsewhere);
        assert_eq!(omitted.0, copy.0);
        assert_eq!((omitted.2, omitted.3), (2, true));
    }
    // A mark before it drops it again, and its count.
    let arena = Arena::new();
    let mut b = DocumentBuilder::new(&arena);
    b.begin_list();
    b.int(1);
    let one = b.last().expect("the item");
    let (mark, before) = (b.mark(), b.size());
    b.again_omitted(&one, 1, []);
    assert_eq!(b.size(), before + ",1".len());
    b.reset(&mark);
    assert_eq!(b.size(), before);
    b.end();
    let doc = b.finish().unwrap_or_else(|e| panic!("{e:?}"));
    assert!(!doc.elsewhere);
}

/// A value placed elsewhere is an empty list counted as the copy `again` places: the same
/// size, and the same depth limit.
#[test]
fn again_elsewhere_counts_the_copy() {
    let build = |elsewhere: bool| {
        let arena = Arena::new();
        let mut b = DocumentBuilder::new(&arena);
        b.begin_list();
        assert!(b
            .json(r#"[{"service": "x\"y", "months": 3}, {"days": 12}]"#)
            .is_ok());
        let phases = b.last().expect("the phases");
        if elsewhere {
            b.again_elsewhere(&phases);
        } else {
            b.again(&phases);
        }
        b.end();
        let size = b.size();
        let doc = b.finish().unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(doc.size(), size);
        let Tree::Arr([_, second]) = &doc.tree else {
            panic!("{:?}", doc.tree)
        };
        (size, doc.to_json().len(), format!("{second:?}"))
    };
    let (copy, elsewhere) = (build(false), build(true));
    assert_eq!(copy.0, copy.1);
    assert_eq!(elsewhere.0, copy.0);
    assert_eq!(elsewhere.2, "Arr([])");
    let arena = Arena::new();
    let mut b = DocumentBuilder::new(&arena);
    let deep = hundred_deep(&mut b);
    b.again_elsewhere(&deep);
    assert!(!b.failed());
    for _ in 0..30 {
        b.begin_list();
    }
    b.again_elsewhere(&deep);
    assert!(b.failed());
}

/// A document with a value placed elsewhere is read for its reading problems alone: the
/// courses that read are not priced for theirs (the host reads it again with copies, which
/// is then what its text gives). A reset past the value placed elsewhere reads as text again.
#[test]
fn a_document_with_a_value_elsewhere_gives_its_reading_problems_alone() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let sheet = std::fs::read_to_string(root.join("examples/published/elbaek.json"))
        .unwrap_or_else(|e| panic!("{e}"));
    // Course 0 names a service the sheet lacks (found when priced), course 1 repeats its
    // phases (placed by `place`), course 2 does not read.
    let read = |place: &dyn for<'a> Fn(&mut DocumentBuilder<'a>, &Built<'a>)| {
        let arena = Arena::new();
        let mut b = DocumentBuilder::new(&arena);
        b.begin_object();
        b.key("version");
        b.int(1);
        b.key("catalogues");
        b.begin_list();
        assert!(b.json(&sheet).is_ok());
        b.end();
        b.key("courses");
        b.begin_list();
        let course = |b: &mut DocumentBuilder<'_>, phases: &str| {
            b.begin_object();
            b.key("start");
            b.str("2026-03-01");
            b.key("phases");
            assert!(b.json(phases).is_ok());
        };
        course(&mut b, r#"[{"service": "ukendt", "months": 1}]"#);
        let phases = b.last().expect("the first course's phases");
        b.end();
        b.begin_object();
        b.key("start");
        b.str("2026-03-01");
        b.key("phases");
        place(&mut b, &phases);
        b.end();
        course(&mut b, r#"[{"service": "udredning", "months": true}]"#);
        b.end();
        b.end();
        b.end();
        let doc = b.finish().unwrap_or_else(|e| panic!("{e:?}"));
        let e = Request::from_document(&doc, &Limits::default()).expect_err("problems");
        e.as_slice()
            .iter()
            .map(|e| (e.code(), e.path().to_string()))
            .collect::<Vec<_>>()
    };
    let at = |code, path: &str| (code, path.to_string());
    let months = at(ErrorCode::InvalidType, "courses[2].phases[0].months");
    let unknown = |i: usize| {
        at(
            ErrorCode::UnknownReference,
            &format!("courses[{i}].phases[0].service"),
        )
    };
    let copies = read(&|b, phases| b.again(phases));
    assert_eq!(copies, [months.clone(), unknown(0), unknown(1)]);
    assert_eq!(read(&|b, phases| b.again_elsewhere(phases)), [months]);
    // Placed elsewhere, then dropped by a reset and placed as a copy: read as the text.
    let reset = read(&|b, phases| {
        let mark = b.mark();
        b.again_elsewhere(phases);
        b.reset(&mark);
        b.again(phases);
    });
    assert_eq!(reset, copies);
}

/// A built document as deep as text may be reads as its text does, and one level more is
/// refused by both.
#[test]
fn depth_as_text() {
    for levels in [MAX_DEPTH, MAX_DEPTH + 1] {
        let text = format!("{}{}", "[".repeat(levels), "]".repeat(levels));
        let read = Request::from_json(&text).map_err(|e| e.as_slice()[0].code());
        let arena = Arena::new();
        let mut b = DocumentBuilder::new(&arena);
        for _ in 0..levels {
            b.begin_list();
        }
        for _ in 0..levels {
            b.end();
        }
        let built = b
            .finish()
            .and_then(|d| Request::from_document(&d, &Limits::default()))
            .map_err(|e| e.as_slice()[0].code());
        assert_eq!(format!("{built:?}"), format!("{read:?}"), "{levels}");
    }
    // serde_json's own token is no number's text.
    let (code, _) = problem(|b| b.number(r#"{"$serde_json::private::Number":"abc"}"#));
    assert_eq!(code, ErrorCode::InvalidNumber);
}

/// A number that is not an integer opens no level, however many a list holds, as text or
/// built, and at the deepest level text allows (a review found each one counted a level for
/// good, so a list of 127 decimals was "nested too deep" when built).
#[test]
fn numbers_open_no_level() {
    let decimals = format!("[{}]", vec!["1.5"; 300].join(","));
    let arena = Arena::new();
    let mut b = DocumentBuilder::new(&arena);
    b.begin_list();
    for _ in 0..300 {
        b.number("1.5");
        b.number("18446744073709551616");
    }
    assert!(b.json(&decimals).is_ok());
    b.end();
    let doc = b.finish().unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(doc.size(), doc.to_json().len());
    // A decimal at the deepest level: read, as from text.
    let deepest = format!("{}1.5{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
    let bump = Bump::new();
    assert!(parse_json(&deepest, &bump).is_ok());
    assert!(serde_json::from_str::<serde_json::Value>(&deepest).is_ok());
    let arena = Arena::new();
    let mut b = DocumentBuilder::new(&arena);
    assert!(b.json(&deepest).is_ok());
    assert!(b.finish().is_ok());
    let arena = Arena::new();
    let mut b = DocumentBuilder::new(&arena);
    for _ in 0..MAX_DEPTH {
        b.begin_list();
    }
    b.number("1.5");
    assert!(!b.failed());
    // A number's text that is not one leaves nothing behind: the list holds only the 1.5.
    b.number("[1,2");
    assert!(b.failed());
    assert_eq!(
        b.last().map(|v| format!("{:?}", v.0)),
        Some("Num(\"1.5\")".into())
    );
}

/// A call of the builder, for the property test.
#[derive(Debug, Clone)]
enum Call {
    Null,
    Bool(bool),
    Int(i64),
    Number(String),
    Str(String),
    Key(String),
    BeginObject,
    BeginList,
    End,
    Json(String),
    Entries(String),
    Again,
    /// A text kept with `text_of`, then placed as a key or a string.
    KeyText(String),
    StrText(String),
}

fn call() -> impl proptest::strategy::Strategy<Value = Call> {
    use proptest::prelude::*;
    prop_oneof![
        1 => Just(Call::Null),
        1 => any::<bool>().prop_map(Call::Bool),
        1 => any::<i64>().prop_map(Call::Int),
        1 => "-?[0-9]{1,30}(\\.[0-9]{0,5})?(e[+-]?[0-9]{1,3})?| ?[0-9a-z.]{0,4}".prop_map(Call::Number),
        1 => "[a-zæ\"\\\\\\n{}]{0,6}".prop_map(Call::Str),
        1 => "[a-z\"]{0,3}".prop_map(Call::Key),
        4 => Just(Call::BeginObject),
        4 => Just(Call::BeginList),
        8 => Just(Call::End),
        1 => "\\{\"a\": \\[1, \"x\"\\]\\}|\\[\\[|[0-9]{1,3}|\"[a-z]{0,3}\"".prop_map(Call::Json),
        1 => "\\{\"[a-z]\": 1\\}|\\{\\}|\\[\\]".prop_map(Call::Entries),
        1 => Just(Call::Again),
        1 => "[a-z\"]{0,3}".prop_map(Call::KeyText),
        1 => "[a-zæ\"\\\\\\n{}]{0,6}".prop_map(Call::StrText),
    ]
}

proptest::proptest! {
    /// Any sequence of calls: no panic; a document that finishes is written as text that
    /// reads back as the same tree, and reads as a request exactly as that text does.
    #[test]
    fn any_calls(calls in proptest::collection::vec(call(), 0..40)) {
        let arena = Arena::new();
        let mut b = DocumentBuilder::new(&arena);
        let mut kept = None;
        for c in calls {
            match c {
                Call::Null => b.null(),
                Call::Bool(v) => b.bool(v),
                Call::Int(v) => b.int(v),
                Call::Number(t) => b.number(&t),
                Call::Str(t) => b.str(&t),
                Call::Key(t) => b.key(&t),
                Call::BeginObject => b.begin_object(),
                Call::BeginList => b.begin_list(),
                Call::End => {
                    b.end();
                    kept = b.last().or(kept);
                }
                Call::Json(t) => {
                    let _ = b.json(&t);
                }
                Call::Entries(t) => {
                    let _ = b.json_entries(&t);
                }
                Call::Again => {
                    if let Some(k) = &kept {
                        b.again(k);
                    }
                }
                Call::KeyText(t) => {
                    let t = b.text_of(&t);
                    b.key_text(t);
                }
                Call::StrText(t) => {
                    let t = b.text_of(&t);
                    b.str_text(t);
                }
            }
        }
        if let Ok(doc) = b.finish() {
            let text = doc.to_json();
            proptest::prop_assert_eq!(doc.size(), text.len());
            let bump = Bump::new();
            let tree = parse_json(&text, &bump).unwrap_or_else(|e| panic!("{text}: {e}"));
            proptest::prop_assert_eq!(format!("{tree:?}"), format!("{:?}", doc.tree));
            let built = Request::from_document(&doc, &Limits::default());
            let read = Request::from_json(&text);
            proptest::prop_assert_eq!(format!("{built:?}"), format!("{read:?}"));
        }
    }
}

/// A date is built as the text a request gives it as, `jiff`'s own `YYYY-MM-DD`.
#[test]
fn dates_as_their_text() {
    for (y, m, d) in [
        (2026, 6, 15),
        (1, 1, 1),
        (5, 12, 31),
        (999, 2, 28),
        (9999, 12, 31),
        (-5, 3, 1),
    ] {
        let date = jiff::civil::Date::new(y, m, d).unwrap_or_else(|e| panic!("{e}"));
        let arena = Arena::new();
        let mut b = DocumentBuilder::new(&arena);
        b.date(date);
        let doc = b.finish().unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(doc.to_json(), format!("\"{date}\""));
        assert_eq!(doc.size(), doc.to_json().len());
    }
}
