//! Property tests for courses: the calendar tiles, the lines add up, re-pricing without a
//! change changes nothing, and more days never cost less.

#![allow(clippy::unwrap_used)] // tests may panic: a panic is a failed test

use jiff::civil::Date;
use proptest::prelude::*;
use rust_decimal::Decimal;
use takst::{
    Billing, Change, Course, IndexMethod, Indexation, Offer, Phase, Pricer, Quote, ServiceChange,
    TariffSheet, YearRate,
};

const SERVICES: [&str; 3] = ["udredning", "udvikling", "laengerevarende"];

fn sheets() -> Vec<TariffSheet> {
    vec![Offer::sample().compute().unwrap().sheet]
}

fn index(method: IndexMethod) -> Indexation {
    Indexation {
        method,
        rates_pct: (2027..=2045)
            .map(|year| YearRate {
                year,
                pct: Decimal::new(150 + i64::from(year % 7) * 37, 2),
            })
            .collect(),
        ..Indexation::default()
    }
}

fn phase(service: &str, months: Option<u32>, days: Option<u32>, until: Option<Date>) -> Phase {
    Phase {
        service: Some(service.into()),
        package: None,
        months,
        days,
        until,
        part_time_days: None,
        add_ons: vec![],
    }
}

/// Start dates, biased to the 28th–31st and to 29 February.
fn start() -> impl Strategy<Value = Date> {
    prop_oneof![
        (2026i16..2030, 1i8..=12, 1i8..=31),
        (2026i16..2030, 1i8..=12, 28i8..=31),
        Just((2028i16, 2i8, 29i8)),
    ]
    .prop_map(|(y, m, d)| {
        let first = Date::new(y, m, 1).unwrap();
        Date::new(y, m, d.min(first.days_in_month())).unwrap()
    })
}

#[derive(Clone, Debug)]
enum Len {
    Months(u32),
    Days(u32),
    /// Open-ended: so many days after the phase's start.
    Until(u32),
}

fn phases() -> impl Strategy<Value = Vec<(usize, Len)>> {
    prop::collection::vec(
        (
            0usize..3,
            prop_oneof![
                (1u32..15).prop_map(Len::Months),
                (1u32..400).prop_map(Len::Days),
                (0u32..200).prop_map(Len::Until),
            ],
        ),
        1..5,
    )
}

/// A course from the generated phases (an open-ended phase's `until` is dated from its
/// start, which the months before it fix).
fn course(start: Date, spec: &[(usize, Len)]) -> Course {
    let mut course = Course {
        id: None,
        municipality: None,
        offer: None,
        start,
        phases: vec![],
        changes: vec![],
    };
    for (s, len) in spec {
        let p = match len {
            Len::Months(m) => phase(SERVICES[*s], Some(*m), None, None),
            Len::Days(d) => phase(SERVICES[*s], None, Some(*d), None),
            Len::Until(extra) => {
                // The phase starts the day after the previous one ends.
                let from = match schedule_end(&course) {
                    Some(end) => end.tomorrow().unwrap(),
                    None => start,
                };
                let until = from
                    .checked_add(jiff::Span::new().days(i64::from(*extra)))
                    .unwrap();
                phase(SERVICES[*s], None, None, Some(until))
            }
        };
        course.phases.push(p);
    }
    course
}

/// The last day of a course's phases so far, priced to find it.
fn schedule_end(course: &Course) -> Option<Date> {
    if course.phases.is_empty() {
        return None;
    }
    let sheets = sheets();
    let (ix, billing) = (Indexation::default(), Billing::default());
    let mut pricer = Pricer::new(&sheets, &ix, &billing).unwrap();
    pricer.price(course).ok()?.schedule.last().map(|s| s.to)
}

fn price(course: &Course, method: IndexMethod, billing: &Billing) -> Result<Quote, TestCaseError> {
    let sheets = sheets();
    let ix = index(method);
    let mut pricer = Pricer::new(&sheets, &ix, billing).unwrap();
    pricer
        .price(course)
        .map_err(|e| TestCaseError::fail(format!("{e}: {course:?}")))
}

fn days_between(a: Date, b: Date) -> i64 {
    a.duration_until(b).as_hours() / 24
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Every day from the start to the end is billed exactly once, and the lines (and the
    /// months, and the years) sum to the total.
    #[test]
    fn the_calendar_tiles_and_the_lines_add_up(
        start in start(),
        spec in phases(),
        chained in any::<bool>(),
        full_months in any::<bool>(),
    ) {
        let course = course(start, &spec);
        let method = if chained { IndexMethod::Chained } else { IndexMethod::Cumulative };
        let billing = Billing {
            invoicing: if full_months { takst::Invoicing::FullMonths } else { takst::Invoicing::PerDay },
            ..Billing::default()
        };
        let q = price(&course, method, &billing)?;
        let first = q.schedule.first().unwrap().from;
        let last = q.schedule.last().unwrap().to;
        prop_assert_eq!(first, start);
        // The lines, sorted by their first day, tile [start, end] without gap or overlap.
        let mut spans: Vec<(Date, Date, u32)> = q.lines.iter().map(|l| (l.from, l.to, l.days)).collect();
        spans.sort();
        let mut next = start;
        for (from, to, days) in &spans {
            prop_assert_eq!(*from, next, "a gap or an overlap before {}", from);
            prop_assert_eq!(i64::from(*days), days_between(*from, *to) + 1);
            prop_assert_eq!(from.first_of_month(), to.first_of_month(), "a line crosses a month");
            next = to.tomorrow().unwrap();
        }
        prop_assert_eq!(next, last.tomorrow().unwrap());
        prop_assert_eq!(i64::from(q.days), days_between(first, last) + 1);
        let sum: Decimal = q.lines.iter().map(|l| l.amount).sum();
        prop_assert_eq!(sum, q.total);
        prop_assert_eq!(q.months.iter().map(|m| m.amount).sum::<Decimal>(), q.total);
        prop_assert_eq!(q.years.iter().map(|y| y.amount).sum::<Decimal>(), q.total);
        // Each line is days × its tariff to øre (or the month tariff for a full month).
        for l in &q.lines {
            if l.basis == takst::Basis::PerDay {
                prop_assert_eq!(l.amount, (Decimal::from(l.days) * l.tariff).round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero));
            }
        }
    }

    /// Splitting a phase at any date — or changing to the same service from any date —
    /// leaves the total unchanged, and the change report shows a zero difference, billed per
    /// day or in whole months (a month the same service fills stays one month).
    #[test]
    fn repricing_without_a_change_changes_nothing(
        start in start(),
        spec in phases(),
        at in 0u32..2000,
        full_months in any::<bool>(),
    ) {
        let course1 = course(start, &spec);
        let billing = Billing {
            invoicing: if full_months { takst::Invoicing::FullMonths } else { takst::Invoicing::PerDay },
            ..Billing::default()
        };
        let q = price(&course1, IndexMethod::Cumulative, &billing)?;
        let days = q.days;
        let from = start.checked_add(jiff::Span::new().days(i64::from(at % days))).unwrap();
        // The service in effect on that day, chosen again from that day.
        let same = q.schedule.iter().find(|s| s.from <= from && from <= s.to).unwrap().service.to_string();
        let mut changed = course1.clone();
        changed.changes.push(Change::Service(ServiceChange { from, service: Some(same), package: None, until: None }));
        let q2 = price(&changed, IndexMethod::Cumulative, &billing)?;
        prop_assert_eq!(q2.total, q.total);
        let report = q2.changes.unwrap();
        prop_assert_eq!(report.difference, Decimal::ZERO);
        prop_assert!(report.months.is_empty());
    }

    /// One more day never costs less.
    #[test]
    fn more_days_never_cost_less(start in start(), spec in phases(), more in 1u32..100) {
        let mut spec = spec;
        let short = course(start, &spec);
        let q = price(&short, IndexMethod::Cumulative, &Billing::default())?;
        spec.push((1, Len::Days(more)));
        let long = course(start, &spec);
        let q2 = price(&long, IndexMethod::Cumulative, &Billing::default())?;
        prop_assert!(q2.total >= q.total);
        prop_assert_eq!(q2.days, q.days + more);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// `later_pct` prices a course exactly as the same rate written out for each later year
    /// in `rates_pct`: the same quote, warnings and all, by either method.
    #[test]
    fn a_later_rate_prices_as_the_rates_written_out(
        start in start(),
        spec in phases(),
        chained in any::<bool>(),
        listed in prop::collection::vec(-300i64..900, 0..4),
        later in -300i64..900,
    ) {
        let course = course(start, &spec);
        let method = if chained { IndexMethod::Chained } else { IndexMethod::Cumulative };
        let rate = |year: i32, pct: i64| YearRate { year, pct: Decimal::new(pct, 2) };
        let rates_pct: Vec<YearRate> =
            listed.iter().zip(2027..).map(|(pct, year)| rate(year, *pct)).collect();
        let short = Indexation {
            method,
            rates_pct: rates_pct.clone(),
            later_pct: Some(Decimal::new(later, 2)),
            ..Indexation::default()
        };
        let after = 2027 + i32::try_from(listed.len()).unwrap();
        let written = Indexation {
            method,
            rates_pct: rates_pct.into_iter().chain((after..after + 40).map(|y| rate(y, later))).collect(),
            ..Indexation::default()
        };
        let sheets = sheets();
        let billing = Billing::default();
        let a = Pricer::new(&sheets, &short, &billing).unwrap().price(&course);
        let b = Pricer::new(&sheets, &written, &billing).unwrap().price(&course);
        prop_assert_eq!(a.map_err(|e| e.to_string()), b.map_err(|e| e.to_string()));
    }
}
