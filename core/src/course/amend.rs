//! A course's changes applied to its plan (domain reference §5): a change of service, an
//! add-on added or ended, and a termination with notice, each from its day, in the order
//! given; what a change's `until` or a termination cuts off is not billed. The plan itself
//! (phases resolved to dated segments) and the split into months are `calendar`'s.

use jiff::civil::Date;

use crate::danish::date as da_date;
use crate::error::{Error, ErrorCode, Warning, WarningCode};

use super::calendar::{
    at, day_after, day_before, not_in_course, out_of_range, phases, plus_days, plus_months,
    service_of, AddOnSpan, Origin, Outside, Plan, Segment,
};
use super::model::{Change, Course, Notice};

/// Applies the course's changes to its plan, in order.
///
/// A termination whose notice ends after the planned end leaves the plan as it is, with a
/// warning (the course ends as planned, before the notice would); a second termination is
/// an error (which one was meant cannot be guessed).
pub(crate) fn apply_changes<'c>(
    c: usize,
    course: &'c Course,
    notice: &Notice,
    plan: &mut Plan<'c>,
    warnings: &mut Vec<Warning>,
) -> Result<(), Error> {
    let mut terminated: Option<usize> = None;
    // The add-ons an `end_add_on` has ended so far (a few; changes are at most 1,000).
    let mut ended: Vec<&str> = Vec::new();
    for (k, change) in course.changes.iter().enumerate() {
        let Some((first, last)) = plan.span() else {
            return Ok(());
        };
        let p = |rest: &str| at(c, format_args!(".changes[{k}]{rest}"));
        match change {
            Change::Service(s) => {
                let p = |rest: &str| p(&format!(".service{rest}"));
                if s.from < first || s.from > last {
                    return Err(not_in_course(
                        p(".from"),
                        s.from,
                        (first, last),
                        Outside::Outside,
                    ));
                }
                let service = service_of(
                    &s.service,
                    s.package,
                    &p,
                    (
                        "give the new service (or package)",
                        "Angiv den nye ydelse (eller pakke).",
                    ),
                )?;
                let Some(i) = plan
                    .segments
                    .iter()
                    .position(|seg| seg.from <= s.from && s.from <= seg.to)
                else {
                    return Ok(());
                };
                // Without `until`, to the end of the phase in effect at `from` (all of it,
                // also where an earlier change has cut it).
                let phase = plan.segments[i].phase;
                let until = s.until.unwrap_or_else(|| {
                    plan.segments
                        .iter()
                        .filter(|seg| seg.phase == phase)
                        .map(|seg| seg.to)
                        .fold(plan.segments[i].to, Date::max)
                });
                if until < s.from {
                    return Err(out_of_range(
                        p(".until"),
                        format!("the change ends on {until}, before it starts on {}", s.from),
                        format!(
                            "Ændringen slutter {}, før den begynder {}.",
                            da_date(until),
                            da_date(s.from)
                        ),
                    ));
                }
                if s.until.is_some() {
                    beyond_end(until, last, p(".until"), warnings);
                }
                let until = until.min(last);
                // Replace [from, until] across the segments it covers.
                let mut out = Vec::with_capacity(plan.segments.len() + 2);
                for seg in &plan.segments {
                    if seg.to < s.from || seg.from > until {
                        out.push(*seg);
                        continue;
                    }
                    if seg.from < s.from {
                        out.push(Segment {
                            to: day_before(s.from, || p(".from"))?,
                            ..*seg
                        });
                    }
                    let from = seg.from.max(s.from);
                    let to = seg.to.min(until);
                    out.push(Segment {
                        service,
                        from,
                        to,
                        origin: Origin::Change(k as u32),
                        ..*seg
                    });
                    if seg.to > until {
                        out.push(Segment {
                            from: day_after(until, || p(".until"))?,
                            ..*seg
                        });
                    }
                }
                plan.segments = out;
            }
            Change::AddOn(a) => {
                let p = |rest: &str| p(&format!(".add_on{rest}"));
                if a.from < first || a.from > last {
                    return Err(not_in_course(
                        p(".from"),
                        a.from,
                        (first, last),
                        Outside::Outside,
                    ));
                }
                let until = a.until.unwrap_or(last);
                if until < a.from {
                    return Err(out_of_range(
                        p(".until"),
                        format!("the add-on ends on {until}, before it starts on {}", a.from),
                        format!(
                            "Tillægsydelsen slutter {}, før den begynder {}.",
                            da_date(until),
                            da_date(a.from)
                        ),
                    ));
                }
                beyond_end(until, last, p(".until"), warnings);
                let phase = plan
                    .segments
                    .iter()
                    .find(|seg| seg.from <= a.from && a.from <= seg.to)
                    .map_or(0, |seg| seg.phase);
                plan.add_ons.push(AddOnSpan {
                    id: &a.id,
                    index: 0,
                    quantity: a.quantity_per_month,
                    phase,
                    from: a.from,
                    to: until.min(last),
                    origin: Origin::Change(k as u32),
                });
            }
            Change::EndAddOn(e) => {
                let p = |rest: &str| p(&format!(".end_add_on{rest}"));
                // The first day the add-on is no longer billed: the course's first day at the
                // earliest (it then never runs). A day before the course would end it all the
                // same, and is most likely a typing error; a day after it ends nothing (warned
                // of below).
                if e.from < first {
                    return Err(not_in_course(
                        p(".from"),
                        e.from,
                        (first, last),
                        Outside::Before,
                    ));
                }
                // An add-on an earlier end removed before it began has ended all the same.
                if !plan.add_ons.iter().any(|a| a.id == e.id) && ended.contains(&e.id.as_str()) {
                    warnings.push(Warning::new(
                        WarningCode::AddOnAlreadyEnded,
                        p(".from"),
                        format!(
                            "the add-on {:?} has already ended: this change ends nothing",
                            e.id
                        ),
                        format!(
                            "Tillægsydelsen {:?} er allerede slut; ændringen afslutter intet.",
                            e.id
                        ),
                    ));
                    continue;
                }
                if !plan.add_ons.iter().any(|a| a.id == e.id) {
                    return Err(Error::new(
                        ErrorCode::UnknownReference,
                        p(".id"),
                        format!("the course has no add-on {:?} to end", e.id),
                        format!(
                            "Forløbet har ingen tillægsydelse {:?}, der kan afsluttes.",
                            e.id
                        ),
                    ));
                }
                let last_billed = day_before(e.from, || p(".from"))?;
                let running = plan
                    .add_ons
                    .iter()
                    .filter(|a| a.id == e.id)
                    .map(|a| a.to)
                    .max();
                if let Some(ended) = running.filter(|to| *to <= last_billed) {
                    warnings.push(Warning::new(
                        WarningCode::AddOnAlreadyEnded,
                        p(".from"),
                        format!(
                            "the add-on {:?} has already ended on {ended}: this change ends nothing",
                            e.id
                        ),
                        format!(
                            "Tillægsydelsen {:?} er allerede slut {}; ændringen afslutter intet.",
                            e.id,
                            da_date(ended)
                        ),
                    ));
                }
                for a in plan.add_ons.iter_mut().filter(|a| a.id == e.id) {
                    a.to = a.to.min(last_billed);
                }
                if !ended.contains(&e.id.as_str()) {
                    ended.push(&e.id);
                }
                plan.add_ons.retain(|a| a.from <= a.to);
            }
            Change::Terminate(t) => {
                let p = |rest: &str| p(&format!(".terminate{rest}"));
                if let Some(j) = terminated {
                    return Err(Error::new(
                        ErrorCode::Conflict,
                        p(""),
                        format!(
                            "the course is already terminated by changes[{j}]; give one \
                             termination"
                        ),
                        format!(
                            "Forløbet er allerede opsagt ved `changes[{j}]`; angiv kun én \
                             opsigelse."
                        ),
                    ));
                }
                terminated = Some(k);
                if t.notice_given < first {
                    return Err(out_of_range(
                        p(".notice_given"),
                        format!(
                            "notice is given on {}, before the course starts on {first}",
                            t.notice_given
                        ),
                        format!(
                            "Opsigelsen er givet {}, før forløbet begynder {}.",
                            da_date(t.notice_given),
                            da_date(first)
                        ),
                    ));
                }
                let n = t.notice.as_ref().unwrap_or(notice);
                let mut end =
                    plus_months(t.notice_given, i64::from(n.months), || p(".notice.months"))?;
                end = plus_days(end, i64::from(n.days), || p(".notice.days"))?;
                if n.to_month_end {
                    end = end.last_of_month();
                }
                if end > last {
                    warnings.push(Warning::new(
                        WarningCode::NoticeBeyondEnd,
                        p(""),
                        format!(
                            "the notice given on {} runs to {end}, after the course's planned \
                             end on {last}: the course is billed to its planned end",
                            t.notice_given
                        ),
                        format!(
                            "Opsigelsen givet {} løber til {}, efter forløbets planlagte \
                             ophør {}; forløbet afregnes til det planlagte ophør.",
                            da_date(t.notice_given),
                            da_date(end),
                            da_date(last)
                        ),
                    ));
                }
                truncate(plan, end);
            }
        }
    }
    Ok(())
}

/// Warns that a change's `until` runs past the course's last day (it is billed to that day).
fn beyond_end(until: Date, last: Date, path: String, warnings: &mut Vec<Warning>) {
    if until > last {
        warnings.push(Warning::new(
            WarningCode::ChangeBeyondEnd,
            path,
            format!(
                "the change runs to {until}, after the course ends on {last}: it is billed to \
                 the course's end"
            ),
            format!(
                "Ændringen løber til {}, efter forløbet slutter {}; den afregnes til \
                 forløbets slutning.",
                da_date(until),
                da_date(last)
            ),
        ));
    }
}

/// Checks a course's own fields (phases, durations, dates, changes) without pricing it: for
/// a course that cannot be priced because its tariffs have errors, so that its own
/// problems are still reported.
pub(crate) fn check(c: usize, course: &Course, notice: &Notice) -> Result<(), Error> {
    let mut plan = Plan::default();
    phases(c, course, &mut plan)?;
    let mut warnings = Vec::new();
    apply_changes(c, course, notice, &mut plan, &mut warnings)
}

/// Ends the plan on `end` (nothing after it is billed).
fn truncate(plan: &mut Plan<'_>, end: Date) {
    plan.segments.retain(|s| s.from <= end);
    for s in &mut plan.segments {
        s.to = s.to.min(end);
    }
    plan.add_ons.retain(|a| a.from <= end);
    for a in &mut plan.add_ons {
        a.to = a.to.min(end);
    }
}
