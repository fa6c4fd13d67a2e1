//! The problems of the courses that read, when others did not.
//!
//! A request whose text does not read is answered with its reading problems (a wrong type,
//! an unknown field, a missing one), each at its path, and nothing is computed. When every
//! such problem is a course's own (at `courses[i]` or below it), the other courses are as
//! good as their fields: a service the sheet lacks, a phase that ends before it starts, a
//! change dated before the course are found only when they are priced. Without this, a
//! batch fixed course by course reported those only after the last reading problem was
//! fixed, and a batch cut into chunks (the Python package's) reported them or not by which
//! chunk a course fell in.
//!
//! So the request is read again without the courses that did not read, with only what
//! those courses are priced from (the offer, the catalogues, the index, the billing), and
//! evaluated for its problems alone: no quote, no explanation, no caseload. Its problems of
//! a course are given their place in the request (`courses[k]` of the rest is
//! `courses[good[k]]`), and so are its problems of what the courses are priced from; any
//! other (a section made from the courses, which without some of them would not be what the
//! request asks) is not reported. The answer is still the failure it was: the reading
//! problems, then these, in the order `evaluate` lists them, cut at the same limit.

use crate::error::{ErrorCode, Errors};
use crate::format::read::Tree;
use crate::format::request::{request_from_tree, Options, Request};
use crate::format::Limits;

use super::{evaluate_with, Problems};

/// The request's sections that the courses are priced from: a problem of one of these,
/// found with some courses left out, is a problem of the request all the same.
const INPUTS: [&str; 5] = ["offer", "catalogue", "catalogues", "index", "billing"];

/// The problems of a request whose tree did not read, given its reading problems: those, and
/// the problems of the courses that read when every reading problem is a course's own.
pub(crate) fn problems(tree: &Tree<'_>, errors: Errors, limits: &Limits) -> Errors {
    let bump = bumpalo::Bump::new();
    match rest(tree, &bump, &errors, limits) {
        Some((request, good)) => with_the_rest(errors, &request, &good, limits),
        None => errors,
    }
}

/// The request without the courses that did not read, and the positions in the request of
/// the courses it keeps; `None` when a problem is not a course's own, when the list of
/// problems is already full, or when the rest does not read either.
fn rest<'a>(
    tree: &Tree<'a>,
    bump: &'a bumpalo::Bump,
    errors: &Errors,
    limits: &Limits,
) -> Option<(Request, Vec<usize>)> {
    let errors = errors.as_slice();
    // A list already cut (the reader's note after its `limits.errors` problems) stays as it
    // is. A list of exactly that many is not: the rest's problems, if it has any, cut it and
    // add the note (it was answered as every problem, with the other courses' unsaid).
    if errors.len() > limits.errors {
        return None;
    }
    let Tree::Obj(entries) = tree else {
        return None;
    };
    let Some(Tree::Arr(courses)) = tree.get("courses") else {
        return None;
    };
    // Too many courses: the rest would only be refused for it.
    if courses.len() > limits.courses {
        return None;
    }
    let mut bad = vec![false; courses.len()];
    for e in errors {
        let i = course_of(e.path())?.0;
        *bad.get_mut(i)? = true;
    }
    let good: Vec<usize> = (0..courses.len())
        .filter(|&i| bad.get(i) == Some(&false))
        .collect();
    let kept: Vec<Tree<'_>> = good
        .iter()
        .filter_map(|&i| courses.get(i).cloned())
        .collect();
    let kept = bump.alloc_slice_clone(&kept);
    let root = Tree::Obj(bump.alloc_slice_fill_iter(entries.iter().map(|(k, v)| {
        if *k == "courses" {
            (*k, Tree::Arr(kept))
        } else {
            (*k, v.clone())
        }
    })));
    let read = request_from_tree(&root, limits).ok()?;
    // A build that does not write e-invoices refuses a request that asks for them before
    // anything is priced: so does the rest (found in review: the courses were priced).
    if !cfg!(feature = "einvoice") && read.einvoicing.is_some() {
        return None;
    }
    let request = Request {
        version: read.version,
        offer: read.offer,
        catalogue: read.catalogue,
        catalogues: read.catalogues,
        index: read.index,
        billing: read.billing,
        courses: read.courses,
        options: Options {
            explain: false,
            quotes: false,
            lines: false,
            caseload: false,
            tariff_sheet: false,
        },
        ..Request::default()
    };
    Some((request, good))
}

/// The reading problems with the problems of the rest after them, in the order `evaluate`
/// lists them (what the courses are priced from, then the courses in order).
fn with_the_rest(errors: Errors, rest: &Request, good: &[usize], limits: &Limits) -> Errors {
    let response = evaluate_with(rest, limits);
    if response.ok {
        return errors;
    }
    let Some(first) = errors.as_slice().first().cloned() else {
        return errors;
    };
    let mut problems = Problems::new(limits.errors);
    problems.extend(errors);
    for e in response.errors {
        if e.code() == ErrorCode::DependsOnError {
            continue;
        }
        match course_of(e.path()) {
            Some((k, below)) => {
                if let Some(&i) = good.get(k) {
                    let path = format!("courses[{i}]{below}");
                    problems.push(e.with_path(path));
                }
            }
            None if is_input(e.path()) => problems.push(e),
            None => {}
        }
    }
    match problems.finish() {
        Err(all) => all,
        // Never: the reading problems are in the list.
        Ok(()) => Errors::from(first),
    }
}

/// The course a path is in, and the rest of the path after `courses[i]` (empty, or starting
/// with `.` or `[`).
fn course_of(path: &str) -> Option<(usize, &str)> {
    let inside = path.strip_prefix("courses[")?;
    let close = inside.find(']')?;
    let digits = inside.get(..close)?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let below = inside.get(close + 1..)?;
    if !(below.is_empty() || below.starts_with('.') || below.starts_with('[')) {
        return None;
    }
    Some((digits.parse().ok()?, below))
}

/// Whether a path is in one of the [`INPUTS`].
fn is_input(path: &str) -> bool {
    INPUTS.iter().any(|section| {
        path.strip_prefix(section).is_some_and(|below| {
            below.is_empty() || below.starts_with('.') || below.starts_with('[')
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Exactly as many reading problems as the limit, and another course's problem found in
    /// pricing: the list is cut, and says so (found by a review: 1,000 problems, no note).
    #[test]
    fn a_full_list_of_reading_problems_is_cut_with_the_rest_and_says_so() {
        let sheet = include_str!("../../../examples/published/elbaek.json");
        let unknown = r#"{"start": "2026-01-01", "phases": [{"service": "ukendt", "months": 1}]}"#;
        let request = |bools: usize| {
            let phases = vec![r#"{"service": "udredning", "months": true}"#; bools].join(",");
            format!(
                r#"{{"version": 1, "catalogue": {sheet}, "courses": [{unknown},
                   {{"start": "2026-01-01", "phases": [{phases}]}}]}}"#
            )
        };
        let max = Limits::default().errors;
        for (bools, listed, note) in [
            (max - 1, max, false),
            (max, max, true),
            (max + 1, max, true),
        ] {
            let out: serde_json::Value =
                serde_json::from_str(&crate::evaluate_json(&request(bools))).unwrap_or_default();
            let errors = out["errors"].as_array().cloned().unwrap_or_default();
            let cut = errors
                .last()
                .is_some_and(|e| e["code"] == "limit_exceeded" && e["path"] == "");
            assert_eq!(cut, note, "{bools}: {:?}", errors.last());
            assert_eq!(errors.len() - usize::from(cut), listed, "{bools}");
            // Below the limit the unknown service is listed after the reading problems.
            if !note {
                assert_eq!(
                    errors[listed - 1]["path"],
                    "courses[0].phases[0].service",
                    "{bools}"
                );
            }
        }
    }

    #[test]
    fn a_course_is_found_by_its_path_alone() {
        assert_eq!(course_of("courses[3]"), Some((3, "")));
        assert_eq!(
            course_of("courses[12].phases[0].months"),
            Some((12, ".phases[0].months"))
        );
        assert_eq!(course_of("courses[0][1]"), Some((0, "[1]")));
        for not in [
            "courses",
            "courses[]",
            "courses[x]",
            "courses[1]x",
            "courses[-1]",
            "einvoicing.courses[0]",
        ] {
            assert_eq!(course_of(not), None, "{not}");
        }
        assert!(
            is_input("catalogue.services[0].id") && is_input("index") && is_input("offer.costs[1]")
        );
        assert!(
            !is_input("catalogues_x") && !is_input("courses[0]") && !is_input("buyer.municipality")
        );
    }
}
