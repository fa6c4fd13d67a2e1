//! The average tariff, and how every computed day tariff is published (domain reference §3).
//!
//! ```text
//! day (exact)  = cost base ÷ expected days
//! year (exact) = day (exact) × day basis
//! month        = year (exact) ÷ 12
//! ```
//!
//! Each published figure — day, month, year — is rounded once, from the exact value; month
//! and year are never derived from the rounded day.

use rust_decimal::Decimal;

use crate::error::Error;
use crate::exact::Exact;
use crate::explain::{Desc, Fig, Op, Step, Subj, Unit};
use crate::sheet::Tariff;

use super::capacity::Cap;
use super::cost_base::{Base, SEL_174};
use super::Calc;

const DAY_EXACT: Desc = Desc {
    key: "average.day_exact",
    label: "Gennemsnitlig {w}takst før afrunding",
    unit: Unit::KrPerDay,
    rule: "omkostningsgrundlag ÷ forventede belægningsdage",
    source: Some(SEL_174),
    path: "offer",
};
const MONTHS: Desc = Desc {
    key: "const.months",
    label: "Måneder i et år",
    unit: Unit::Number,
    rule: "fast værdi",
    source: Some("månedstakst = årstakst ÷ 12"),
    path: "offer",
};

/// The descriptions of one published tariff's figures.
pub(crate) struct PublishDescs {
    pub day: Desc,
    pub year_exact: Desc,
    pub month: Desc,
    pub year: Desc,
}

/// The four figures' descriptions from their keys and labels (day, year before rounding,
/// month, year).
const fn publish_descs(
    keys: [&'static str; 4],
    labels: [&'static str; 4],
    path: &'static str,
) -> PublishDescs {
    const fn desc(
        key: &'static str,
        label: &'static str,
        unit: Unit,
        rule: &'static str,
        path: &'static str,
    ) -> Desc {
        Desc {
            key,
            label,
            unit,
            rule,
            source: None,
            path,
        }
    }
    PublishDescs {
        day: desc(
            keys[0],
            labels[0],
            Unit::KrPerDay,
            "{w}takst før afrunding, afrundet",
            path,
        ),
        year_exact: desc(
            keys[1],
            labels[1],
            Unit::KrPerYear,
            "{w}takst før afrunding × dagbasis",
            path,
        ),
        month: desc(
            keys[2],
            labels[2],
            Unit::KrPerMonth,
            "årstakst før afrunding ÷ 12, afrundet",
            path,
        ),
        year: desc(
            keys[3],
            labels[3],
            Unit::KrPerYear,
            "årstakst før afrunding, afrundet",
            path,
        ),
    }
}

pub(crate) const AVERAGE: PublishDescs = publish_descs(
    [
        "average.day",
        "average.year_exact",
        "average.month",
        "average.year",
    ],
    [
        "Gennemsnitstakst, pr. {w}",
        "Gennemsnitstakst, årstakst før afrunding",
        "Gennemsnitstakst, pr. måned",
        "Gennemsnitstakst, pr. år",
    ],
    "offer",
);

pub(crate) const SERVICE: PublishDescs = publish_descs(
    [
        "service.{s}.day",
        "service.{s}.year_exact",
        "service.{s}.month",
        "service.{s}.year",
    ],
    [
        "{S}, pr. {w}",
        "{S}, årstakst før afrunding",
        "{S}, pr. måned",
        "{S}, pr. år",
    ],
    "offer.services[{a}]",
);

/// A published tariff: its figures and their values.
#[derive(Clone, Debug)]
pub(crate) struct Published {
    pub day: Fig,
    pub day_value: Decimal,
    /// The day tariff before its rounding, for a tariff priced from the cost base (a package:
    /// its exact basis + (n − ½) × its exact interval; `None`: a level set as a percentage of
    /// another).
    pub day_exact: DayExact,
    pub month: Option<(Fig, Decimal)>,
    pub year: Option<(Fig, Decimal)>,
}

impl Published {
    /// The tariff as it appears on the sheet.
    pub fn tariff(&self) -> Tariff {
        Tariff {
            day: self.day_value,
            month: self.month.as_ref().map(|(_, v)| *v),
            year: self.year.as_ref().map(|(_, v)| *v),
        }
    }
}

/// A day tariff before its rounding, kept for the residue's warning: the value, or the two
/// terms of a sum published without making it ([`publish_sum_unkept`]).
#[derive(Clone, Debug)]
pub(crate) enum DayExact {
    /// Not priced from the cost base.
    None,
    Value(Exact),
    Sum(Exact, Exact),
}

impl DayExact {
    /// The value, made as the figure `a + b` is made (`Op::Sum` of the two).
    pub fn value(&self) -> Option<std::borrow::Cow<'_, Exact>> {
        match self {
            DayExact::None => None,
            DayExact::Value(v) => Some(std::borrow::Cow::Borrowed(v)),
            DayExact::Sum(a, b) => Exact::checked_sum(0, 2, |i| if i == 0 { a } else { b })
                .map(std::borrow::Cow::Owned),
        }
    }
}

/// The average tariff and the shared constant 12.
pub(crate) struct Average {
    pub published: Published,
    pub twelve: Fig,
}

impl Average {
    pub fn tariff(&self) -> Tariff {
        self.published.tariff()
    }
}

pub(crate) fn compute(c: &mut Calc<'_>, cap: &Cap, base: &Base) -> Result<Average, Error> {
    // The inputs read where they are, not cloned into an array (callgrind `bench profile
    // offer`: 20,722 → 20,677 instructions an offer).
    let exact = c.ex.derive_pair(
        &DAY_EXACT,
        Subj::NONE,
        Op::Quotient,
        &base.total,
        &cap.expected_days,
    )?;
    let twelve = c.ex.constant(&MONTHS, Exact::from(12i64))?;
    let published = publish(c, &AVERAGE, Subj::NONE, exact, &cap.day_basis, &twelve)?;
    Ok(Average { published, twelve })
}

/// Publishes the day, month and year tariff derived from an exact day tariff.
pub(crate) fn publish(
    c: &mut Calc<'_>,
    d: &'static PublishDescs,
    s: Subj,
    day_exact: Fig,
    day_basis: &Fig,
    twelve: &Fig,
) -> Result<Published, Error> {
    let r = c.o.settings.published_rounding;
    let (day, day_value) = c.ex.round_ref(&d.day, s, &day_exact, r, Step::Published)?;
    // Without the graph the year before rounding is read by nothing but the two roundings,
    // which take it unmade (the same figures).
    if let Some((month, year)) = c.ex.round_product_unkept(&day_exact, day_basis, twelve, r) {
        return Ok(Published {
            day,
            day_value,
            day_exact: DayExact::Value(day_exact.v),
            month: Some(month),
            year: Some(year),
        });
    }
    // The exact day tariff is kept (for the residue's warning), not copied.
    let annual =
        c.ex.derive_pair(&d.year_exact, s, Op::Product, &day_exact, day_basis)?;
    // The annual figure is the quotient's input, then the rounded year's, moved (not copied).
    let args = [annual, twelve.clone()];
    let month =
        c.ex.derive_rounded(&d.month, s, Op::Quotient, &args, r, Step::Published)?;
    let [annual, _] = args;
    let year = c.ex.round(&d.year, s, annual, r, Step::Published)?;
    Ok(Published {
        day,
        day_value,
        day_exact: DayExact::Value(day_exact.v),
        month: Some(month),
        year: Some(year),
    })
}

/// [`publish`] of the day tariff `a + b` (a service's common costs per day and its support
/// part) without the graph, when both are 64-bit values: the sum is not made (over
/// unrelated denominators it is a 128-bit value, boxed, rounded three times and freed
/// unread), and its day, month and year are rounded from its parts by the steps that round
/// it made (`Rounding::apply_parts_both`, `apply_ratio_pair_parts`); the published tariff
/// keeps the two terms for the residue's warning. `None` when the graph is kept, the sum is
/// negative or a step does not apply: the caller makes the sum and publishes it, to the
/// same figures or the same failure.
pub(crate) fn publish_sum_unkept(
    c: &Calc<'_>,
    a: &Fig,
    b: &Fig,
    day_basis: &Fig,
    twelve: &Fig,
) -> Option<Published> {
    if c.ex.keeps() {
        return None;
    }
    let (n, d) = a.v.sum2_parts(&b.v)?;
    if n < 0 {
        return None;
    }
    let r = c.o.settings.published_rounding;
    let (day_value, day) = r.apply_parts_both(n, d)?;
    let ((month_value, month), (year_value, year)) =
        r.apply_ratio_pair_parts(n, d, &day_basis.v, &twelve.v)?;
    Some(Published {
        day: Fig::unkept(day),
        day_value,
        day_exact: DayExact::Sum(a.v.clone(), b.v.clone()),
        month: Some((Fig::unkept(month), month_value)),
        year: Some((Fig::unkept(year), year_value)),
    })
}
