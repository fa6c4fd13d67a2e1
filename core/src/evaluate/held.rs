//! Requests evaluated one after another, with the catalogue read last kept for the next.
//!
//! The calculator sends its tariff sheet with every recompute, and reading it (parsing its
//! 1.8 KB, the reader over its fields) was some 40 % of the core's work on the page's request.
//! [`Evaluator`] keeps the catalogue it read last with the exact text it was read from; the
//! parser leaves a root `catalogue` written with the same bytes out of the tree
//! (`json::json_holding`), the rest of the request is read as always, and the catalogue read
//! before is lent to it. Anything else (another catalogue, the key twice, any problem in the
//! request) is read whole, as [`evaluate_json_with`](super::evaluate_json_with) reads it, so
//! the response is the same bytes whichever way it was read.

use std::panic::AssertUnwindSafe;

use crate::format::read;
use crate::format::request::{request_from, request_unchecked, too_large, Response};
use crate::format::Limits;
use crate::sheet::TariffSheet;

use super::{evaluate_with, guarded};

/// Evaluates JSON requests one after another, each as
/// [`evaluate_json_with`](crate::evaluate_json_with) does, keeping the catalogue it read
/// last. A request that gives its `catalogue` again written with the same bytes (a
/// calculator sends its tariff sheet with every recompute, a service prices course after
/// course from one sheet) does not have it parsed and read again. The response is the same,
/// byte for byte, as [`evaluate_json_with`](crate::evaluate_json_with)'s: only the time
/// differs. It holds one catalogue and the text it was read from.
///
/// # Example
///
/// ```
/// let sheet = r#"{"format": "takst/tariff-sheet", "version": 1,
///     "offer": {"name": "Elbæk", "kind": "residential", "year": 2026},
///     "day_basis": 365,
///     "services": [{"id": "udredning", "name": "Udredning", "kind": "module",
///                   "tariff": {"day": "4801", "month": "146024", "year": "1752291"}}]}"#;
/// let mut evaluator = takst::Evaluator::new();
/// for months in 1..=3 {
///     let request = format!(
///         r#"{{"version": 1, "catalogue": {sheet}, "options": {{"explain": false}},
///              "courses": [{{"start": "2026-03-01",
///                            "phases": [{{"service": "udredning", "months": {months}}}]}}]}}"#
///     );
///     // The sheet is read for the first request only; the responses are the same.
///     assert_eq!(evaluator.evaluate_json(&request), takst::evaluate_json(&request));
/// }
/// ```
#[derive(Debug, Default)]
pub struct Evaluator {
    limits: Limits,
    held: Option<Held>,
    /// Whether the last request was answered with the catalogue held.
    reused: bool,
}

/// A catalogue and the text it was read from (a JSON object, from its `{` to its `}`).
#[derive(Debug)]
struct Held {
    text: String,
    sheet: TariffSheet,
}

impl Evaluator {
    /// An evaluator with the default [`Limits`], holding no catalogue yet.
    pub fn new() -> Evaluator {
        Evaluator::default()
    }

    /// An evaluator with the given limits.
    pub fn with_limits(limits: Limits) -> Evaluator {
        Evaluator {
            limits,
            held: None,
            reused: false,
        }
    }

    /// Evaluates a JSON request and returns the response as compact JSON: the bytes
    /// [`evaluate_json_with`](crate::evaluate_json_with) returns with this evaluator's
    /// limits. Never panics: a bug inside is answered `internal`, as there. What it holds is
    /// always a catalogue read whole with the text it was read from, set only once both are.
    pub fn evaluate_json(&mut self, request: &str) -> String {
        let Evaluator {
            limits,
            held,
            reused,
        } = self;
        *reused = false;
        guarded(AssertUnwindSafe(|| respond(held, limits, request, reused)))
    }

    /// Whether the last request was answered with the catalogue held (given again with the
    /// same bytes, not read again).
    pub fn reused_catalogue(&self) -> bool {
        self.reused
    }
}

/// The response to `text`, with the catalogue in `slot` lent to it when it gives that one,
/// and its own catalogue kept in `slot` when it reads one.
fn respond(slot: &mut Option<Held>, limits: &Limits, text: &str, reused: &mut bool) -> Response {
    if let Err(e) = too_large(limits, text.len()) {
        return Response::failed(e);
    }
    if let Some(response) = lent(slot, text, limits) {
        *reused = true;
        return response;
    }
    let bump = read::arena(text);
    let (tree, seen) = match read::parse_json_holding(text, &bump, None) {
        Ok(parsed) => parsed,
        Err(e) => return Response::failed(e.into()),
    };
    let mut request = match request_from(&tree, limits) {
        Ok(request) => request,
        Err(e) => return Response::failed(e),
    };
    let response = evaluate_with(&request, limits);
    if let (1, Some((start, end)), Some(sheet)) = (seen.keys, seen.span, request.catalogue.take()) {
        if let Some(text) = text.get(start..end).filter(|t| t.starts_with('{')) {
            *slot = Some(Held {
                text: text.to_owned(),
                sheet,
            });
        }
    }
    response
}

/// The response to `text` with the catalogue held lent to it, or `None` when `text` does not
/// give it (once, at the root) or is not read without a problem: such a request is read
/// whole.
fn lent(slot: &mut Option<Held>, text: &str, limits: &Limits) -> Option<Response> {
    let held = slot.as_ref()?;
    let bump = read::arena(text);
    let mut request = match read::parse_json_holding(text, &bump, Some(&held.text)) {
        Ok((tree, seen)) if seen.keys == 1 && seen.held == 1 => {
            request_unchecked(&tree, limits).ok()?
        }
        _ => return None,
    };
    let Held { text: kept, sheet } = slot.take()?;
    request.catalogue = Some(sheet);
    let response = limits
        .check(&request)
        .ok()
        .map(|()| evaluate_with(&request, limits));
    // The request holds the sheet lent to it until here.
    *slot = request
        .catalogue
        .take()
        .map(|sheet| Held { text: kept, sheet });
    response
}
