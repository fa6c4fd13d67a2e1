//! The warnings of a course's lines, and the request paths they and the lines' errors point
//! at.

use jiff::civil::Date;

use crate::course::calendar::{self, AddOnSpan, Origin, Plan};
use crate::danish::date as da_date;
use crate::error::{Warning, WarningCode};
use crate::sheet::AddOnUnit;

use super::Lines;

pub(super) fn carried(c: usize, year: i32, used: i32, which: Lines) -> Warning {
    let (of, of_da) = match which {
        Lines::Quote { .. } => ("", ""),
        Lines::Original => (
            " (of the original plan, which the change report prices)",
            " (i den oprindelige plan, som ændringsopgørelsen prissætter)",
        ),
    };
    Warning::new(
        WarningCode::TariffYearUnknown,
        calendar::at(c, ""),
        format!(
            "no tariff sheet or price and wage index reaches {year}; the days of {year}{of} are \
             priced at the tariff of {used}"
        ),
        format!(
            "Intet takstblad og ingen PL-fremskrivning dækker {year}; dagene i {year}{of_da} er \
             prissat med taksten for {used}."
        ),
    )
}

/// Warns that a course bills every calendar day at day tariffs made for `n` days a year.
#[cold]
pub(super) fn day_basis(c: usize, n: u32) -> Warning {
    Warning::new(
        WarningCode::DayBasisBilledDaily,
        calendar::at(c, ""),
        format!(
            "the tariff sheet's day tariffs are a year's cost over {n} days (day_basis), and \
             the course bills every calendar day of its phases at them, so a whole year billed \
             per day costs more than the year tariff; give the phases as the days the offer \
             bills, or bill full months at the month tariff (billing.invoicing = \"full_months\")"
        ),
        format!(
            "Takstbladets dagtakster er årets omkostninger fordelt på {n} dage (dagbasis), og \
             forløbet afregner alle kalenderdage i sine faser med dem, så et helt år afregnet pr. \
             dag koster mere end årstaksten; angiv faserne som de dage, tilbuddet afregner, \
             eller afregn hele måneder med månedstaksten (billing.invoicing = \"full_months\")."
        ),
    )
}

pub(in crate::course) fn origin_path(c: usize, o: Origin) -> String {
    match o {
        Origin::Phase(j) => calendar::at(c, format_args!(".phases[{j}]")),
        Origin::Change(k) => calendar::at(c, format_args!(".changes[{k}].service")),
    }
}

/// Warns of an add-on billed twice for the same days: a day add-on given again for days it
/// is already billed (twice in a phase, or added by a change while it runs), or an hour or km
/// add-on listed twice in one phase. An hour or km add-on added by a change while it runs is
/// not warned of: that is how more hours are bought. Both are billed either way. The plan
/// billed is looked at, and the original plan a change report prices beside it (a
/// duplicate that a termination cut from the billed plan is still in the original's
/// figures); each span is warned of once.
pub(in crate::course) fn add_ons_twice(
    c: usize,
    plan: &Plan<'_>,
    original: Option<&Plan<'_>>,
    unit_of: impl Fn(&str) -> Option<AddOnUnit>,
    warnings: &mut Vec<Warning>,
) {
    let billed = twice(plan, &unit_of);
    for &k in &billed {
        warnings.push(twice_warning(c, &plan.add_ons[k]));
    }
    let Some(original) = original else { return };
    let again = twice(original, &unit_of);
    if again.is_empty() {
        return;
    }
    // The original plan's spans are its phases' add-ons in order, so a billed span from a
    // phase is found there by (phase, place in the phase's list).
    let spot = |a: &AddOnSpan<'_>| (a.phase, a.index);
    let mut warned = vec![false; original.add_ons.len()];
    for &k in &billed {
        let a = &plan.add_ons[k];
        if matches!(a.origin, Origin::Phase(_)) {
            if let Ok(i) = original.add_ons.binary_search_by_key(&spot(a), spot) {
                warned[i] = true;
            }
        }
    }
    for k in again {
        if !warned[k] {
            warnings.push(twice_warning(c, &original.add_ons[k]));
        }
    }
}

/// The spans billed twice: each span (by its place in `plan.add_ons`) that starts on a day an
/// earlier span of the same add-on still bills, when that is doubtful (above). The spans are
/// sorted by add-on and start, so a long list costs its sort, not a comparison of every pair.
fn twice(plan: &Plan<'_>, unit_of: &impl Fn(&str) -> Option<AddOnUnit>) -> Vec<usize> {
    let spans = &plan.add_ons;
    let mut out = Vec::new();
    if spans.len() < 2 {
        return out;
    }
    let order = crate::order::positions(spans.len(), &mut |x, y| {
        let (a, b) = (&spans[x], &spans[y]);
        (a.id, a.from).cmp(&(b.id, b.from))
    });
    // The add-on met last, the last day its spans so far bill, the span that reaches it, and
    // whether the add-on is billed per day.
    let mut reach: Option<(&str, Date, Origin, bool)> = None;
    for k in order {
        let a = &spans[k];
        match reach {
            Some((id, to, origin, per_day)) if id == a.id && a.from <= to => {
                let same_list = matches!(a.origin, Origin::Phase(_)) && a.origin == origin;
                if per_day || same_list {
                    out.push(k);
                }
                if a.to > to {
                    reach = Some((id, a.to, a.origin, per_day));
                }
            }
            _ => reach = Some((a.id, a.to, a.origin, unit_of(a.id) == Some(AddOnUnit::Day))),
        }
    }
    out
}

fn twice_warning(c: usize, a: &AddOnSpan<'_>) -> Warning {
    Warning::new(
        WarningCode::AddOnTwice,
        add_on_path(c, a),
        format!(
            "the add-on {:?} is given again from {}, for days it is already billed: both are \
             billed",
            a.id, a.from
        ),
        format!(
            "Tillægsydelsen {:?} er angivet igen fra {}, for dage, hvor den allerede afregnes: \
             begge afregnes.",
            a.id,
            da_date(a.from)
        ),
    )
}

pub(super) fn add_on_path(c: usize, a: &AddOnSpan<'_>) -> String {
    match a.origin {
        Origin::Phase(j) => calendar::at(c, format_args!(".phases[{j}].add_ons[{}]", a.index)),
        Origin::Change(k) => calendar::at(c, format_args!(".changes[{k}].add_on")),
    }
}
