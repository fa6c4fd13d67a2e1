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
use crate::format::request::{request_from, request_unchecked, too_large, Request, Response};
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
#[derive(Default)]
pub struct Evaluator {
    limits: Limits,
    held: Option<Held>,
    /// Whether the last request was answered with the catalogue held.
    reused: bool,
}

/// A catalogue and the text it was read from: one JSON object, from its `{` to its `}`, read
/// without a problem as the value of a request's root `catalogue`.
struct Held {
    text: String,
    sheet: TariffSheet,
}

/// The limits, whether a catalogue is held and the length of its text (not the text).
impl std::fmt::Debug for Evaluator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Evaluator")
            .field("limits", &self.limits)
            .field("held_bytes", &self.held.as_ref().map(|h| h.text.len()))
            .field("reused", &self.reused)
            .finish()
    }
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
        guarded(AssertUnwindSafe(|| {
            let (response, lent) = respond(request, limits, held);
            *reused = lent;
            response
        }))
    }

    /// Whether the last request was answered with the catalogue held (given again with the
    /// same bytes, not read again).
    pub fn reused_catalogue(&self) -> bool {
        self.reused
    }

    /// Lets the catalogue held go (its memory), so that the next request is read whole.
    pub fn clear(&mut self) {
        self.held = None;
    }
}

/// The response to `text`, and whether the catalogue in `slot` was lent to it; the catalogue
/// of a request read whole is kept in `slot`. The text is parsed once, with the catalogue
/// held: when it does not give it, that tree is the whole text's; when it does (once, at the
/// root), the rest is read and the catalogue lent; when that has any problem (or gives the
/// catalogue twice), the text is parsed again without it and read whole, so that every
/// problem is found and reported by the one reader, in its order.
fn respond(text: &str, limits: &Limits, slot: &mut Option<Held>) -> (Response, bool) {
    if let Err(e) = too_large(limits, text.len()) {
        return (Response::failed(e), false);
    }
    if let Some(held) = slot.take() {
        let bump = read::arena(text);
        let parsed = read::parse_json_holding(text, &bump, Some(&held.text));
        match parsed {
            Ok((tree, seen)) if seen.held == 0 => {
                let (response, kept) = whole(text, &tree, seen, limits);
                *slot = kept.or(Some(held));
                return (response, false);
            }
            Ok((tree, seen)) => {
                let request = match (seen.held, seen.keys) {
                    (1, 1) => request_unchecked(&tree, limits).ok(),
                    // The catalogue given more than once.
                    _ => None,
                };
                match request {
                    Some(request) => {
                        let (response, held) = lent(request, limits, held);
                        *slot = held;
                        if let Some(response) = response {
                            return (response, true);
                        }
                    }
                    None => *slot = Some(held),
                }
            }
            Err(e) => {
                drop(e);
                *slot = Some(held);
            }
        }
    }
    let bump = read::arena(text);
    match read::parse_json_holding(text, &bump, None) {
        Ok((tree, seen)) => {
            let (response, kept) = whole(text, &tree, seen, limits);
            if kept.is_some() {
                *slot = kept;
            }
            (response, false)
        }
        Err(e) => (Response::failed(e.into()), false),
    }
}

/// The response to a request whose tree is the whole text's, as
/// [`evaluate_json_with`](crate::evaluate_json_with) answers it, and its catalogue to keep
/// when it has one at the root, once, and reads without a problem.
fn whole(
    text: &str,
    tree: &read::Tree<'_>,
    seen: read::RootCatalogue,
    limits: &Limits,
) -> (Response, Option<Held>) {
    let mut request = match request_from(tree, limits) {
        Ok(request) => request,
        Err(e) => return (Response::failed(e), None),
    };
    let response = evaluate_with(&request, limits);
    let kept = match (seen.keys, seen.span, request.catalogue.take()) {
        (1, Some((start, end)), Some(sheet)) => text
            .get(start..end)
            .filter(|t| t.starts_with('{'))
            .map(|text| Held {
                text: text.to_owned(),
                sheet,
            }),
        _ => None,
    };
    (response, kept)
}

/// The response to a request read without its catalogue, with the catalogue held lent to it,
/// and the catalogue back; no response when the request with it is over the limits (it is
/// then read whole, for the limits' errors in their order).
fn lent(mut request: Request, limits: &Limits, held: Held) -> (Option<Response>, Option<Held>) {
    let Held { text, sheet } = held;
    request.catalogue = Some(sheet);
    let response = limits
        .check(&request)
        .ok()
        .map(|()| evaluate_with(&request, limits));
    // The request holds the sheet lent to it until here.
    let held = request.catalogue.take().map(|sheet| Held { text, sheet });
    (response, held)
}
