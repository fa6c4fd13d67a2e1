//! The course calendar (domain reference §5): phases resolved to dated segments, and the
//! split into calendar months. The changes applied to the plan (a change of service, an
//! add-on, a termination with notice) are `amend`'s.
//!
//! - Month phases count from the course start, so a 5 + 8 months course ends the day before
//!   start + 13 months whatever the day of the month: phase *i* ends the day before start +
//!   (months of phases 1..*i*). Month ends clamp (31 January + 1 month = 28 February), so a
//!   1-month phase from 31 January ends 27 February and the next runs 28 February – 30 March.
//! - A phase of *n* days ends on its start + *n* − 1; month phases after it count from the
//!   day after it. An open-ended phase runs up to and including its `until` date.
//!
//! All calendar arithmetic is jiff's (`jiff::civil::Date`).

use jiff::civil::Date;
use rust_decimal::Decimal;

use crate::danish::{capitalize, date as da_date, int};
use crate::error::{Error, ErrorCode};
use crate::tariff::validate::YEARS;

use super::model::Course;

/// Which tariff a segment is priced at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Service<'c> {
    /// A service id (or "average").
    Id(&'c str),
    /// Package n of the package scheme.
    Package(u32),
}

/// A dated piece of the course at one service.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Segment<'c> {
    /// The phase (index in the course's phases) this piece belongs to.
    pub phase: u32,
    pub service: Service<'c>,
    /// Part-time days per week, if the phase is part-time.
    pub part_time: Option<u32>,
    pub from: Date,
    pub to: Date,
    /// Where the service comes from in the request, for errors.
    pub origin: Origin,
}

/// The request field a segment's service comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Origin {
    Phase(u32),
    Change(u32),
}

/// An add-on billed over a span of days.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct AddOnSpan<'c> {
    pub id: &'c str,
    /// Its place in the phase's `add_ons` (for a phase's add-ons).
    pub index: u32,
    pub quantity: Option<Decimal>,
    pub phase: u32,
    pub from: Date,
    pub to: Date,
    pub origin: Origin,
}

/// A course resolved to dates.
#[derive(Clone, Debug, Default)]
pub(crate) struct Plan<'c> {
    pub segments: Vec<Segment<'c>>,
    pub add_ons: Vec<AddOnSpan<'c>>,
}

impl Plan<'_> {
    /// The plan emptied, as a plan of another course (of another lifetime), its buffers
    /// kept: a vector's own iterator collected into a vector of the same layout reuses its
    /// allocation, and no element is moved (none is kept). So a warm engine lays out each
    /// course in the buffers of the one before.
    pub fn recycle<'b>(self) -> Plan<'b> {
        fn emptied<T, U>(v: Vec<T>) -> Vec<U> {
            v.into_iter().filter_map(|_| None).collect()
        }
        Plan {
            segments: emptied(self.segments),
            add_ons: emptied(self.add_ons),
        }
    }

    pub fn clear(&mut self) {
        self.segments.clear();
        self.add_ons.clear();
    }
    /// The first and last day of the course.
    pub fn span(&self) -> Option<(Date, Date)> {
        Some((self.segments.first()?.from, self.segments.last()?.to))
    }
}

/// The path of a course field, rendered when an error is reported.
pub(crate) fn at(course: usize, rest: impl std::fmt::Display) -> String {
    format!("courses[{course}]{rest}")
}

/// Where a change's date lies against the course.
#[derive(Clone, Copy)]
pub(super) enum Outside {
    Outside,
    Before,
}

/// A change dated where the course is not: `out_of_range` at `path`.
#[cold]
pub(super) fn not_in_course(
    path: String,
    day: Date,
    (first, last): (Date, Date),
    how: Outside,
) -> Error {
    let (en, da) = match how {
        Outside::Outside => ("outside", "uden for"),
        Outside::Before => ("before", "før"),
    };
    out_of_range(
        path,
        format!("{day} is {en} the course ({first} – {last})"),
        format!(
            "{} ligger {da} forløbet ({} – {}).",
            capitalize(&da_date(day)),
            da_date(first),
            da_date(last)
        ),
    )
}

/// What a phase or a change of service bills: its `service` or its `package` (numbered from
/// 1), exactly one of them; `missing` is the message (English, Danish) when neither is given.
/// `p` gives the path of the phase or change with the field's rest (`""`, `".package"`).
pub(super) fn service_of<'c>(
    service: &'c Option<String>,
    package: Option<u32>,
    p: &dyn Fn(&str) -> String,
    missing: (&'static str, &'static str),
) -> Result<Service<'c>, Error> {
    match (service, package) {
        (Some(id), None) => Ok(Service::Id(id)),
        (None, Some(n)) if n >= 1 => Ok(Service::Package(n)),
        (None, Some(_)) => Err(out_of_range(
            p(".package"),
            "packages are numbered from 1",
            "Pakkerne nummereres fra 1.",
        )),
        (None, None) => Err(Error::new(
            ErrorCode::MissingValue,
            p(""),
            missing.0,
            missing.1,
        )),
        (Some(_), Some(_)) => Err(Error::new(
            ErrorCode::Conflict,
            p(""),
            "give either service or package, not both",
            "Angiv enten `service` eller `package`, ikke begge.",
        )),
    }
}

pub(super) fn out_of_range(
    path: String,
    message: impl Into<String>,
    message_da: impl Into<String>,
) -> Error {
    Error::new(ErrorCode::OutOfRange, path, message, message_da)
}

fn in_years(d: Date, path: impl FnOnce() -> String) -> Result<Date, Error> {
    if YEARS.contains(&i32::from(d.year())) {
        Ok(d)
    } else {
        Err(out_of_range(
            path(),
            format!("{d} is outside the years takst prices (1900–2200)"),
            format!(
                "{} ligger uden for de år, der kan beregnes takster for (1900–2200).",
                capitalize(&da_date(d))
            ),
        ))
    }
}

pub(super) fn day_after(d: Date, path: impl FnOnce() -> String) -> Result<Date, Error> {
    d.tomorrow().map_err(|_| {
        out_of_range(
            path(),
            format!("no day after {d} in the calendar"),
            format!("Der er ingen dag efter {} i kalenderen.", da_date(d)),
        )
    })
}

pub(super) fn day_before(d: Date, path: impl FnOnce() -> String) -> Result<Date, Error> {
    d.yesterday().map_err(|_| {
        out_of_range(
            path(),
            format!("no day before {d} in the calendar"),
            format!("Der er ingen dag før {} i kalenderen.", da_date(d)),
        )
    })
}

pub(super) fn plus_months(
    d: Date,
    months: i64,
    path: impl FnOnce() -> String,
) -> Result<Date, Error> {
    if let Some(date) = add_months(d, months) {
        return Ok(date);
    }
    jiff::Span::new()
        .try_months(months)
        .and_then(|span| d.checked_add(span))
        .map_err(|_| {
            out_of_range(
                path(),
                format!("{d} + {months} months is outside the years takst prices (1900–2200)"),
                format!(
                    "{} plus {} måneder ligger uden for de år, der kan beregnes takster for \
                     (1900–2200).",
                    capitalize(&da_date(d)),
                    int(months)
                ),
            )
        })
}

/// `d` + `months` months, the day clamped to the month's last: what `jiff` makes of a span
/// of months (`Date::checked_add`: the month and year by `month_add_overflowing`, then the
/// day constrained), without its span's general arithmetic (its round trip through a day
/// number: some 170 instructions a month phase, `bench profile lines`). The month's length
/// is `jiff`'s. `None` beyond the months a span holds (±239,976) or the years `jiff` holds,
/// where `jiff` itself answers (`plus_months`); the tests compare the two on every month
/// count and date.
fn add_months(d: Date, months: i64) -> Option<Date> {
    if months.unsigned_abs() > 239_976 {
        return None;
    }
    let total = i64::from(d.month()) - 1 + months;
    let year = i16::try_from(i64::from(d.year()) + total.div_euclid(12)).ok()?;
    let month = i8::try_from(total.rem_euclid(12) + 1).ok()?;
    let last = Date::new(year, month, 1).ok()?.days_in_month();
    Date::new(year, month, d.day().min(last)).ok()
}

pub(super) fn plus_days(d: Date, days: i64, path: impl FnOnce() -> String) -> Result<Date, Error> {
    jiff::Span::new()
        .try_days(days)
        .and_then(|span| d.checked_add(span))
        .map_err(|_| {
            out_of_range(
                path(),
                format!("{d} + {days} days is outside the years takst prices (1900–2200)"),
                format!(
                    "{} plus {} dage ligger uden for de år, der kan beregnes takster for \
                     (1900–2200).",
                    capitalize(&da_date(d)),
                    int(days)
                ),
            )
        })
}

/// Days from `from` to `to`, both included (0 when `to` is before `from`).
pub(crate) fn days_inclusive(from: Date, to: Date) -> i64 {
    (from.duration_until(to).as_hours() / 24 + 1).max(0)
}

/// The course's phases as dated segments (the original plan, before any change).
pub(crate) fn phases<'c>(c: usize, course: &'c Course, plan: &mut Plan<'c>) -> Result<(), Error> {
    plan.clear();
    if course.phases.is_empty() {
        return Err(Error::new(
            ErrorCode::MissingValue,
            at(c, ".phases"),
            "a course needs at least one phase",
            "Et forløb skal have mindst én fase.",
        ));
    }
    let start = in_years(course.start, || at(c, ".start"))?;
    let (mut anchor, mut months, mut from) = (start, 0i64, start);
    for (j, phase) in course.phases.iter().enumerate() {
        let p = |rest: &str| at(c, format_args!(".phases[{j}]{rest}"));
        let service = service_of(
            &phase.service,
            phase.package,
            &p,
            (
                "give the phase's service (or package)",
                "Angiv fasens ydelse (eller pakke).",
            ),
        )?;
        let to = match (phase.months, phase.days, phase.until) {
            (Some(m), None, None) => {
                if m == 0 {
                    return Err(Error::new(
                        ErrorCode::NotPositive,
                        p(".months"),
                        "a phase of 0 months has no days",
                        "En fase på 0 måneder har ingen dage.",
                    ));
                }
                months += i64::from(m);
                let next = plus_months(anchor, months, || p(".months"))?;
                day_before(next, || p(".months"))?
            }
            (None, Some(d), None) => {
                if d == 0 {
                    return Err(Error::new(
                        ErrorCode::NotPositive,
                        p(".days"),
                        "a phase of 0 days has no days",
                        "En fase på 0 dage har ingen dage.",
                    ));
                }
                let to = plus_days(from, i64::from(d) - 1, || p(".days"))?;
                anchor = day_after(to, || p(".days"))?;
                months = 0;
                to
            }
            (None, None, Some(until)) => {
                if until < from {
                    return Err(out_of_range(
                        p(".until"),
                        format!("the phase ends on {until}, before it starts on {from}"),
                        format!(
                            "Fasen slutter {}, før den begynder {}.",
                            da_date(until),
                            da_date(from)
                        ),
                    ));
                }
                anchor = day_after(until, || p(".until"))?;
                months = 0;
                until
            }
            (None, None, None) => {
                return Err(Error::new(
                    ErrorCode::MissingValue,
                    p(""),
                    "give the phase's duration: months, days or until",
                    "Angiv fasens varighed: `months`, `days` eller `until`.",
                ))
            }
            _ => {
                return Err(Error::new(
                    ErrorCode::Conflict,
                    p(""),
                    "give only one of months, days and until",
                    "Angiv kun ét af felterne `months`, `days` og `until`.",
                ))
            }
        };
        let to = in_years(to, || p(""))?;
        let origin = Origin::Phase(j as u32);
        plan.segments.push(Segment {
            phase: j as u32,
            service,
            part_time: phase.part_time_days,
            from,
            to,
            origin,
        });
        for (k, a) in phase.add_ons.iter().enumerate() {
            plan.add_ons.push(AddOnSpan {
                id: &a.id,
                index: k as u32,
                quantity: a.quantity_per_month,
                phase: j as u32,
                from,
                to,
                origin,
            });
        }
        from = day_after(to, || p(""))?;
    }
    Ok(())
}

/// The days each segment bills when whole months are billed at the month tariff
/// (`full_months`), as `(from, to)` per segment (`None`: no day of its own).
///
/// A calendar month that adjacent segments of the same service and days a week cover whole,
/// every day billed, is one whole month at one tariff (domain reference §5): it is billed
/// once, by the segment at its first day. A phase boundary inside the month (two phases of
/// the same service that differ in their add-ons) or a change to the service it already
/// was would otherwise cut it into days.
pub(crate) fn full_month_spans(
    segments: &[Segment<'_>],
    unbilled: [Option<Date>; 2],
) -> Vec<Option<(Date, Date)>> {
    let same = |a: &Segment<'_>, b: &Segment<'_>| {
        a.service == b.service && a.part_time == b.part_time && a.to.tomorrow().ok() == Some(b.from)
    };
    // Whether the month of `day`, which segment `i` bills part of, is covered whole by a run
    // of such segments through `i`, with no unbilled day in it.
    let whole = |i: usize, day: Date| {
        let (first, last) = (day.first_of_month(), day.last_of_month());
        if unbilled
            .into_iter()
            .flatten()
            .any(|d| first <= d && d <= last)
        {
            return false;
        }
        let mut k = i;
        while segments[k].from > first {
            match k.checked_sub(1) {
                Some(j) if same(&segments[j], &segments[k]) => k = j,
                _ => return false,
            }
        }
        let mut k = i;
        while segments[k].to < last {
            match segments.get(k + 1) {
                Some(next) if same(&segments[k], next) => k += 1,
                _ => return false,
            }
        }
        true
    };
    segments
        .iter()
        .enumerate()
        .map(|(i, seg)| {
            let (mut from, mut to) = (seg.from, seg.to);
            if from.day() != 1 && whole(i, from) {
                // The month is billed by the segment at its first day, an earlier one.
                match from.last_of_month().tomorrow() {
                    Ok(next) => from = next,
                    Err(_) => return Some((seg.from, seg.to)), // (beyond the calendar)
                }
                if from > to {
                    return None;
                }
            }
            if to != to.last_of_month() && whole(i, to) {
                // This segment holds the month's first day (`from` is in an earlier month).
                to = to.last_of_month();
            }
            Some((from, to))
        })
        .collect()
}

/// A piece of a span inside one calendar month.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct MonthPiece {
    pub year: i16,
    pub month: i8,
    /// The first and last billed day of the piece.
    pub from: Date,
    pub to: Date,
    /// Days billed in the piece (the course's first or last day may not be).
    pub days: i64,
    /// The piece covers its whole calendar month and every day is billed.
    pub full_month: bool,
    pub days_in_month: i8,
}

/// Calls `f` for each calendar-month piece of [from, to], counting the billed days.
///
/// The days of a piece are counted from the days of the month (a piece lies in one month,
/// so its days are the difference of its first and last day of the month, plus one) and the
/// next piece starts on the 1st of the next month: the month walk asks `jiff` only for the
/// length of each month and to make its dates, not for the distance between two dates or
/// the day after one (some 100 instructions a piece, `bench profile lines`). The test module
/// walks every span the way it was walked before, with `jiff`'s `duration_until`,
/// `last_of_month` and `tomorrow`, and compares.
pub(crate) fn months(
    from: Date,
    to: Date,
    unbilled: [Option<Date>; 2],
    mut f: impl FnMut(MonthPiece) -> Result<(), Error>,
) -> Result<(), Error> {
    let mut cur = from;
    // Whether a day goes unbilled at all (not with the default billing, which bills the
    // first and the last day): the two tests below are skipped for every piece when none
    // does, as they found nothing to do.
    let some_unbilled = unbilled.iter().any(Option::is_some);
    while cur <= to {
        let (year, month) = (cur.year(), cur.month());
        let days_in_month = cur.days_in_month();
        // The piece ends at `to` when `to` is in this month, else on the month's last day.
        let last_piece = to.year() == year && to.month() == month;
        let end = if last_piece {
            to
        } else {
            match Date::new(year, month, days_in_month) {
                Ok(end) => end,
                Err(_) => cur.last_of_month(), // (a valid month has its last day)
            }
        };
        let mut days = i64::from(end.day()) - i64::from(cur.day()) + 1;
        if some_unbilled {
            for d in unbilled.into_iter().flatten() {
                if cur <= d && d <= end {
                    days -= 1;
                }
            }
        }
        let full_month =
            cur.day() == 1 && end.day() == days_in_month && days == i64::from(days_in_month);
        // The piece's first and last *billed* day: an unbilled arrival or end day at its
        // edge is not part of the line.
        let (mut first, mut last) = (cur, end);
        if some_unbilled {
            for d in unbilled.into_iter().flatten() {
                if d == first && first < last {
                    first = first.tomorrow().unwrap_or(first);
                } else if d == last && first < last {
                    last = last.yesterday().unwrap_or(last);
                }
            }
        }
        f(MonthPiece {
            year,
            month,
            from: first,
            to: last,
            days,
            full_month,
            days_in_month,
        })?;
        if last_piece {
            break;
        }
        // The 1st of the next month (none after the calendar's last month).
        let next = match month {
            12 => year.checked_add(1).map(|y| (y, 1)),
            _ => Some((year, month + 1)),
        };
        match next.and_then(|(y, m)| Date::new(y, m, 1).ok()) {
            Some(next) => cur = next,
            None => break,
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use jiff::civil::Date;
    use proptest::prelude::*;

    use super::{add_months, days_inclusive, months, plus_months, MonthPiece};

    /// The month walk as it was written with `jiff`'s own arithmetic: the reference the
    /// integer walk is compared with.
    fn months_by_jiff(from: Date, to: Date, unbilled: [Option<Date>; 2]) -> Vec<MonthPiece> {
        let mut out = Vec::new();
        let mut cur = from;
        while cur <= to {
            let month_end = cur.last_of_month();
            let end = month_end.min(to);
            let mut days = days_inclusive(cur, end);
            for d in unbilled.into_iter().flatten() {
                if cur <= d && d <= end {
                    days -= 1;
                }
            }
            let full_month =
                cur.day() == 1 && end == month_end && days == i64::from(cur.days_in_month());
            let (mut first, mut last) = (cur, end);
            for d in unbilled.into_iter().flatten() {
                if d == first && first < last {
                    first = first.tomorrow().unwrap_or(first);
                } else if d == last && first < last {
                    last = last.yesterday().unwrap_or(last);
                }
            }
            out.push(MonthPiece {
                year: cur.year(),
                month: cur.month(),
                from: first,
                to: last,
                days,
                full_month,
                days_in_month: cur.days_in_month(),
            });
            match end.tomorrow() {
                Ok(next) => cur = next,
                Err(_) => break,
            }
        }
        out
    }

    fn walk(from: Date, to: Date, unbilled: [Option<Date>; 2]) -> Vec<MonthPiece> {
        let mut out = Vec::new();
        let walked = months(from, to, unbilled, |p| {
            out.push(p);
            Ok(())
        });
        assert!(walked.is_ok());
        out
    }

    /// A date of the calendar `jiff` holds, from a day number (days from 1 January 1900,
    /// negative before), clamped to its range.
    fn day(n: i32) -> Date {
        let base = Date::new(1900, 1, 1).unwrap_or_default();
        base.checked_add(jiff::Span::new().days(n))
            .unwrap_or(if n < 0 { Date::MIN } else { Date::MAX })
    }

    #[test]
    fn the_calendars_edges() {
        for (from, to) in [
            (Date::MIN, Date::MIN),
            (Date::MAX, Date::MAX),
            (day(0), Date::MAX),
            (Date::MIN, day(0)),
            (day(100), day(50)),
        ] {
            let unbilled = [Some(from), Some(to)];
            assert_eq!(walk(from, to, unbilled), months_by_jiff(from, to, unbilled));
            assert_eq!(
                walk(from, to, [None; 2]),
                months_by_jiff(from, to, [None; 2])
            );
        }
    }

    /// `jiff`'s own month arithmetic, the general path of `plus_months`.
    fn plus_months_by_jiff(d: Date, months: i64) -> Option<Date> {
        jiff::Span::new()
            .try_months(months)
            .and_then(|span| d.checked_add(span))
            .ok()
    }

    #[test]
    fn months_at_the_edges() {
        for d in [Date::MIN, Date::MAX, day(0), day(59), day(-1)] {
            for m in [
                0,
                1,
                -1,
                11,
                12,
                13,
                -12,
                -13,
                119_988,
                -119_988,
                239_975,
                239_976,
                239_977,
                -239_976,
                -239_977,
                i64::MAX,
                i64::MIN,
            ] {
                let fast = add_months(d, m);
                assert!(
                    fast.is_none() || fast == plus_months_by_jiff(d, m),
                    "{d} + {m}"
                );
                let general = plus_months(d, m, String::new).ok();
                assert_eq!(general, plus_months_by_jiff(d, m), "{d} + {m}");
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]
        /// Month arithmetic as `jiff` does it: month ends clamped (31 January + 1 month is
        /// 28 or 29 February), leap years, the ends of the calendar and of a span's months.
        #[test]
        fn months_are_jiffs(
            a in -800_000i32..3_000_000,
            m in prop_oneof![0i64..40, -40i64..0, -300_000i64..300_000],
        ) {
            let d = day(a);
            let fast = add_months(d, m);
            prop_assert!(fast.is_none() || fast == plus_months_by_jiff(d, m));
            prop_assert_eq!(plus_months(d, m, String::new).ok(), plus_months_by_jiff(d, m));
            // and the years takst prices take the fast path
            prop_assert!(fast.is_some() || !(1900..=2200).contains(&d.year()) || m.abs() > 1000);
        }

        /// Every span (leap years, month ends, spans within one month, the calendar's last
        /// months), with and without unbilled first and last days, walked alike.
        #[test]
        fn the_walk_is_jiffs(
            a in -800_000i32..3_000_000,
            len in prop_oneof![0i32..70, 0i32..2000, -5i32..0],
            unbilled in (any::<bool>(), any::<bool>(), -3i32..40),
        ) {
            let (from, to) = (day(a), day(a.saturating_add(len)));
            let (first, last, other) = unbilled;
            let unbilled = [
                first.then_some(from),
                if last { Some(to) } else { other.ge(&35).then(|| day(a + other)) },
            ];
            prop_assert_eq!(walk(from, to, unbilled), months_by_jiff(from, to, unbilled));
        }
    }
}
