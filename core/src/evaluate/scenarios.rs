//! Running scenarios: each variant is the baseline request patched (a JSON merge patch,
//! RFC 7396), read again like any request and evaluated in full; what changed is found by
//! comparing the two explanation graphs figure by figure (each paired by what it is: its key
//! without positions, and its label).

use std::collections::HashMap;

use crate::course::Quote;
use crate::error::{Error, ErrorCode, Errors, Warning, WarningCode};
use crate::exact::Exact;
use crate::explain::{Explanation, Unit};
use crate::format::request::{Options, Request, Response};
use crate::format::scenario::{FigureChange, ScenarioResult};
use crate::format::Limits;

use super::evaluate_with;

/// Applies a JSON merge patch (RFC 7396).
pub(crate) fn merge(target: &mut serde_json::Value, patch: &serde_json::Value) {
    use serde_json::Value;
    match patch {
        Value::Object(fields) => {
            if !target.is_object() {
                *target = Value::Object(serde_json::Map::new());
            }
            if let Value::Object(t) = target {
                for (k, v) in fields {
                    if v.is_null() {
                        t.remove(k);
                    } else {
                        merge(t.entry(k.clone()).or_insert(Value::Null), v);
                    }
                }
            }
        }
        other => *target = other.clone(),
    }
}

fn prefixed(errors: Errors, prefix: &str) -> Vec<Error> {
    errors
        .into_vec()
        .into_iter()
        .map(|e| e.prefixed(prefix))
        .collect()
}

/// A figure of a graph, the first of a repeated key.
struct Figure {
    key: String,
    value: Exact,
    label: String,
    unit: Unit,
}

/// The figures of a graph, the first of each key, in graph order.
fn figures(ex: &Explanation) -> Vec<Figure> {
    let mut seen = std::collections::HashSet::with_capacity(ex.len());
    let mut out = Vec::with_capacity(ex.len());
    for n in ex.nodes() {
        let key = n.key();
        if seen.insert(key.clone()) {
            out.push(Figure {
                key,
                value: n.value(),
                label: n.label(),
                unit: n.unit(),
            });
        }
    }
    out
}

/// What a figure is, whatever its place: its key without the positions in it
/// (`cost[3]` → `cost[]`, `course[0].line[7]` → `course[0].line[]`) and its label (the cost
/// line's name, the line's service and days). A cost line put before the others, or a course
/// started a month later, moves the rest; they are the same figures all the same. A course's
/// own figures stay the course's: its number is replaced by what the course is called
/// (`courses`, see [`course_names`]), so that a course left out or put first does not make
/// every course after it look changed (its months' and lines' labels do not name it, so two
/// courses' Marches would otherwise be one figure).
fn identity<'f>(f: &'f Figure, courses: &[String]) -> (String, &'f str) {
    let mut key = String::with_capacity(f.key.len());
    let mut rest = f.key.as_str();
    if let Some(after) = f.key.strip_prefix("course[") {
        if let Some(end) = after.find(']') {
            let name = after[..end]
                .parse::<usize>()
                .ok()
                .and_then(|i| courses.get(i));
            if let Some(name) = name {
                key.push_str("course[");
                key.push_str(name);
                key.push(']');
                rest = &after[end + 1..];
            }
        }
    }
    // The course's number, the first index of a course's figure, is kept when it has no
    // name (a key the graph made without one).
    let mut keep = rest.starts_with("course[");
    let mut in_index = false;
    for ch in rest.chars() {
        match ch {
            '[' => {
                in_index = true;
                key.push(ch);
            }
            ']' => {
                in_index = false;
                keep = false;
                key.push(ch);
            }
            c if in_index && !keep && c.is_ascii_digit() => {}
            c => key.push(c),
        }
    }
    (key, f.label.as_str())
}

/// What each course of `request` is called in the figures' identities: its `id` and how many
/// courses of that id came before it (a citizen's second course is its own), or, without an
/// id, its number in the request.
fn course_names(request: &Request) -> Vec<String> {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    request
        .courses
        .iter()
        .enumerate()
        .map(|(i, c)| match c.id.as_deref() {
            Some(id) => {
                let n = seen.entry(id).or_insert(0);
                let name = format!("{id:?}#{n}");
                *n += 1;
                name
            }
            None => i.to_string(),
        })
        .collect()
}

/// What changed from `base` to `variant`: each figure paired with the figure of the same
/// identity (the n-th of an identity with the n-th), not with the one at the same place.
pub(crate) fn compare(
    (base, base_courses): (&Explanation, &[String]),
    (variant, variant_courses): (&Explanation, &[String]),
) -> Vec<FigureChange> {
    let before = figures(base);
    let after = figures(variant);
    let mut by_identity: HashMap<(String, &str), std::collections::VecDeque<usize>> =
        HashMap::with_capacity(before.len());
    for (i, f) in before.iter().enumerate() {
        by_identity
            .entry(identity(f, base_courses))
            .or_default()
            .push_back(i);
    }
    let mut paired = vec![false; before.len()];
    let mut out = Vec::new();
    for f in &after {
        let b = by_identity
            .get_mut(&identity(f, variant_courses))
            .and_then(std::collections::VecDeque::pop_front);
        match b {
            Some(i) => {
                paired[i] = true;
                let b = &before[i].value;
                if *b != f.value {
                    out.push(FigureChange {
                        change: f.value.checked_sub(b),
                        before: Some(b.clone()),
                        after: Some(f.value.clone()),
                        label: f.label.clone(),
                        unit: f.unit,
                        key: f.key.clone(),
                    });
                }
            }
            None => out.push(FigureChange {
                before: None,
                change: None,
                after: Some(f.value.clone()),
                label: f.label.clone(),
                unit: f.unit,
                key: f.key.clone(),
            }),
        }
    }
    for (f, _) in before.iter().zip(&paired).filter(|(_, p)| !**p) {
        out.push(FigureChange {
            before: Some(f.value.clone()),
            after: None,
            change: None,
            label: f.label.clone(),
            unit: f.unit,
            key: f.key.clone(),
        });
    }
    out
}

/// Whether two quotes are the same in what the response shows of them: not their warnings
/// (the response's own, which are not compared) nor the original plan's lines (neither is
/// written; the e-invoices made from those lines are compared on their own). Every field is
/// named, so that a new field of the quote is compared too. `b` is the scenario's quote;
/// `b_without_lines`: its request leaves the lines out (`options.lines = false`).
fn same_quote(a: &Quote, b: &Quote, b_without_lines: bool) -> bool {
    let Quote {
        id,
        municipality,
        offer,
        offer_name,
        schedule,
        lines,
        months,
        years,
        total,
        days,
        comparison,
        changes,
        warnings: _,
        original_lines: _,
    } = a;
    *id == b.id
        && *municipality == b.municipality
        && *offer == b.offer
        && *offer_name == b.offer_name
        && *schedule == b.schedule
        // A scenario that leaves the lines out (`options.lines = false`) changes no value by
        // that: its quotes are compared by what they hold. Not the other way round: a request
        // without lines whose scenario shows them (with invoice dates of its own, which only
        // the lines hold) is compared with them.
        && ((b_without_lines && b.lines.is_empty()) || *lines == b.lines)
        && *months == b.months
        && *years == b.years
        && *total == b.total
        && *days == b.days
        && *comparison == b.comparison
        && *changes == b.changes
}

/// Whether two responses are the same in everything but their explanations, scenarios and
/// warnings: what a scenario's `changes`, which are the explanation's figures, cannot show.
/// Every field is named, so that a new section of the response is compared too. `b` is the
/// scenario's response, asked for with `b_options`: a scenario that leaves the tariff sheet
/// out (`options.tariff_sheet = false`) changes nothing by that, as one that leaves the
/// lines out does not (see [`same_quote`]); one that shows a sheet the request leaves out is
/// compared with it.
fn same_beyond_figures(a: &Response, b: &Response, b_options: &Options) -> bool {
    let b_without_lines = !b_options.lines;
    let Response {
        version,
        ok,
        tariff_sheet,
        cost_base,
        neutrality,
        courses,
        caseload,
        settlement,
        partnership,
        base_funding,
        special_arrangements,
        ambulant,
        buyer,
        tariff_notice,
        einvoices,
        scenarios: _,
        warnings: _,
        errors,
        explanation: _,
    } = a;
    *version == b.version
        && *ok == b.ok
        && ((!b_options.tariff_sheet && b.tariff_sheet.is_none())
            || *tariff_sheet == b.tariff_sheet)
        && *cost_base == b.cost_base
        && *neutrality == b.neutrality
        && courses.len() == b.courses.len()
        && courses
            .iter()
            .zip(&b.courses)
            .all(|(a, b)| same_quote(a, b, b_without_lines))
        && *caseload == b.caseload
        && *settlement == b.settlement
        && *partnership == b.partnership
        && *base_funding == b.base_funding
        && *special_arrangements == b.special_arrangements
        && *ambulant == b.ambulant
        && *buyer == b.buyer
        && *tariff_notice == b.tariff_notice
        && *einvoices == b.einvoices
        && *errors == b.errors
}

/// Evaluates each scenario of `request` and compares it with `baseline` (the request's own
/// response, computed with its explanation); with the warnings of the comparison (a
/// scenario whose response differs where no figure shows it).
pub(crate) fn run(
    request: &Request,
    baseline: &Response,
    limits: &Limits,
) -> Result<(Vec<ScenarioResult>, Vec<Warning>), Errors> {
    let mut warnings = Vec::new();
    let Some(explained) = &baseline.explanation else {
        // Never met: the request's scenarios are evaluated with its explanation.
        return Ok((Vec::new(), warnings));
    };
    let mut base = request.clone();
    base.scenarios.clear();
    base.options.explain = true;
    let base_value = serde_json::to_value(&base).map_err(|e| {
        Errors::from(Error::new(
            ErrorCode::Internal,
            "scenarios",
            format!("the request could not be written for a scenario: {e}"),
            "Forespørgslen kunne ikke skrives om til et scenarie (en fejl i takst).",
        ))
    })?;
    let base_courses = course_names(request);
    let mut out = Vec::with_capacity(request.scenarios.len());
    // Every scenario's problems, not only the first failing one's, up to the request's
    // limit of listed errors (and evaluated no further once it is reached).
    let mut problems = super::Problems::new(limits.errors);
    for (i, s) in request.scenarios.iter().enumerate() {
        if problems.full() {
            break;
        }
        let prefix = format!("scenarios[{i}].changes");
        let mut errors = Vec::new();
        if let Some(fields) = s.changes.as_object() {
            for key in ["scenarios", "version"] {
                if fields.contains_key(key) {
                    errors.push(Error::new(
                        ErrorCode::Conflict,
                        format!("{prefix}.{key}"),
                        format!("a scenario cannot change `{key}`"),
                        format!("Et scenarie kan ikke ændre `{key}`."),
                    ));
                }
            }
        } else {
            errors.push(Error::new(
                ErrorCode::InvalidType,
                prefix.clone(),
                "the changes must be an object (a JSON merge patch of the request)",
                "Ændringerne skal være et objekt (en JSON merge patch af forespørgslen).",
            ));
        }
        if !errors.is_empty() {
            problems.extend_vec(errors);
            continue;
        }
        let mut v = base_value.clone();
        merge(&mut v, &s.changes);
        let variant = match Request::from_json_with(&v.to_string(), limits) {
            Ok(r) => r,
            Err(e) => {
                problems.extend_vec(prefixed(e, &prefix));
                continue;
            }
        };
        if !variant.options.explain {
            // What changed is read from the variant's explanation, and a scenario's response
            // carries none: without it every change would go unseen.
            let at = match s.changes.get("options") {
                Some(o) if o.get("explain").is_some() => format!("{prefix}.options.explain"),
                _ => format!("{prefix}.options"),
            };
            problems.push(Error::new(
                ErrorCode::Conflict,
                at,
                "a scenario cannot turn the explanation off: its changes are found by \
                 comparing the explanations figure by figure",
                "Et scenarie kan ikke slå forklaringen fra: dets ændringer findes ved at \
                 sammenligne forklaringerne tal for tal.",
            ));
            continue;
        }
        let mut response = evaluate_with(&variant, limits);
        if !response.ok {
            let e = std::mem::take(&mut response.errors);
            problems.extend_vec(e.into_iter().map(|e| e.prefixed(&prefix)).collect());
            continue;
        }
        let changes = match &response.explanation {
            Some(ex) => compare((explained, &base_courses), (ex, &course_names(&variant))),
            // Never met: the variant is evaluated with its explanation (checked above).
            None => Vec::new(),
        };
        response.explanation = None;
        if changes.is_empty() && !same_beyond_figures(baseline, &response, &variant.options) {
            warnings.push(Warning::new(
                WarningCode::ScenarioChangesOutsideFigures,
                format!("scenarios[{i}]"),
                format!(
                    "the scenario {:?} changes the response only where no figure of the \
                     explanation is (the caseload's budget, the e-invoices, invoice dates, a \
                     paying municipality): its `changes` is empty; compare its `response` \
                     with the request's own",
                    s.name
                ),
                format!(
                    "Scenariet »{}« ændrer kun svaret dér, hvor forklaringen ikke har tal \
                     (budgettet pr. kommune, e-fakturaerne, fakturadatoer, en betalende \
                     kommune): dets liste over ændrede tal er tom; sammenlign dets svar med \
                     forespørgslens eget.",
                    s.name
                ),
            ));
        }
        out.push(ScenarioResult {
            name: s.name.clone(),
            changes,
            warnings: response.warnings.clone(),
            response: Box::new(response),
        });
    }
    problems.finish().map(|()| (out, warnings))
}
