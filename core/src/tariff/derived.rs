//! Amounts derived from published tariffs, kept to øre by default (domain reference §3–4):
//!
//! - **levels** set as a percentage of another service's published tariff (85 %, 65 %):
//!   `round(tariff × pct ÷ 100)` for the day, month and year tariff each;
//! - **part-time** day tariffs by days attended per week (60 %, 85 %, 100 %), of every
//!   published day tariff;
//! - **add-ons** priced per hour, per km, or as a fraction of a day tariff billed per
//!   calendar day (2 hours a week = 2/5 of a day tariff): `round(day × numerator ÷
//!   denominator)`, rounded once.

use rust_decimal::Decimal;

use crate::error::{Error, ErrorCode, WarningCode};
use crate::explain::{Desc, Fig, Op, Step, Subj, Unit, AVERAGE_TARGET};
use crate::name::{Name, SharedName};
use crate::offer::{AddOnPrice, PlaceKind};
use crate::sheet::{AddOnTariff, AddOnUnit, PartTimeTariff};

use super::average::{Average, Published};
use super::services::Services;
use super::{service_id, Calc, ServiceIndex};

/// The id that refers to the offer's average tariff.
pub(crate) const AVERAGE: &str = "average";
/// [`AVERAGE`] as the id results name it by.
pub(crate) static AVERAGE_ID: SharedName = SharedName::new(AVERAGE);

const LEVEL_PCT: Desc = Desc {
    key: "service.{s}.pct",
    label: "Procent af {t}",
    unit: Unit::Percent,
    rule: "",
    source: None,
    path: "offer.services[{a}].pct_of.pct",
};
const fn level(key: &'static str, label: &'static str, unit: Unit) -> Desc {
    Desc {
        key,
        label,
        unit,
        rule: "takst × procent ÷ 100, afrundet",
        source: Some("niveau i procent af ordinær takst"),
        path: "offer.services[{a}].pct_of",
    }
}
const LEVEL_DAY: Desc = level("service.{s}.day", "{S}, pr. {w}", Unit::KrPerDay);
const LEVEL_MONTH: Desc = level("service.{s}.month", "{S}, pr. måned", Unit::KrPerMonth);
const LEVEL_YEAR: Desc = level("service.{s}.year", "{S}, pr. år", Unit::KrPerYear);

const PART_TIME_PCT: Desc = Desc {
    key: "part_time[{a}].pct",
    label: "Deltid {p} dage om ugen, procent af fuld takst",
    unit: Unit::Percent,
    rule: "",
    source: None,
    path: "offer.part_time[{a}].pct",
};
const PART_TIME_DAY: Desc = Desc {
    key: "part_time.{p}.{t}",
    label: "Deltidstakst {p} dage om ugen, {T}",
    unit: Unit::KrPerDay,
    rule: "fuld dagtakst × procent ÷ 100, afrundet",
    source: Some("konvention: deltid efter fremmødedage pr. uge"),
    path: "offer.part_time[{a}]",
};

const ADD_ON_PER_HOUR: Desc = Desc {
    key: "add_on.{o}.price",
    label: "{O}, pr. time",
    unit: Unit::KrPerHour,
    rule: "",
    source: None,
    path: "offer.add_ons[{a}].price.per_hour",
};
const ADD_ON_PER_KM: Desc = Desc {
    key: "add_on.{o}.price",
    label: "{O}, pr. km",
    unit: Unit::KrPerKm,
    rule: "",
    source: None,
    path: "offer.add_ons[{a}].price.per_km",
};
const ADD_ON_NUMERATOR: Desc = Desc {
    key: "add_on.{o}.numerator",
    label: "Tæller, {O}",
    unit: Unit::Number,
    rule: "",
    source: None,
    path: "offer.add_ons[{a}].price.day_fraction.numerator",
};
const ADD_ON_DENOMINATOR: Desc = Desc {
    key: "add_on.{o}.denominator",
    label: "Nævner, {O}",
    unit: Unit::Number,
    rule: "",
    source: None,
    path: "offer.add_ons[{a}].price.day_fraction.denominator",
};
const ADD_ON_SCALED: Desc = Desc {
    key: "add_on.{o}.scaled",
    label: "{O}: dagtakst × tæller",
    unit: Unit::KrPerDay,
    rule: "dagtakst × tæller",
    source: None,
    path: "offer.add_ons[{a}].price.day_fraction",
};
const ADD_ON_FRACTION: Desc = Desc {
    key: "add_on.{o}.price",
    label: "{O}, pr. kalenderdag",
    unit: Unit::KrPerDay,
    rule: "dagtakst × tæller ÷ nævner, afrundet",
    source: Some("tillægsydelse som brøkdel af en dagtakst"),
    path: "offer.add_ons[{a}].price.day_fraction",
};

/// Levels as a percentage of another service's published tariff (or the average's).
pub(crate) fn levels(c: &mut Calc<'_>, avg: &Average, out: &mut Services) -> Result<(), Error> {
    let o = c.o;
    if o.services.iter().all(|s| s.pct_of.is_none()) {
        return Ok(());
    }
    let index = ServiceIndex::new(&o.services, service_id);
    let r = o.settings.derived_rounding;
    for (i, s) in o.services.iter().enumerate() {
        let Some(pct_of) = &s.pct_of else { continue };
        let (target, b) = if pct_of.service == AVERAGE {
            (Some(avg.published.clone()), AVERAGE_TARGET)
        } else {
            let j = index.get(&pct_of.service);
            (j.and_then(|j| out.get(j)).cloned(), j.unwrap_or(0) as u32)
        };
        let Some(target) = target else {
            return Err(Error::new(
                ErrorCode::UnknownReference,
                format!("offer.services[{i}].pct_of.service"),
                "the referenced service has no tariff",
                "Den ydelse, der henvises til, har ingen takst.",
            ));
        };
        let subj = Subj::two(i, b);
        let pct = c.ex.input(&LEVEL_PCT, subj, pct_of.pct.into())?;
        let of = |c: &mut Calc<'_>, d: &'static Desc, base: Fig| {
            c.ex.derive_rounded(
                d,
                subj,
                Op::PercentOf,
                &[base, pct.clone()],
                r,
                Step::Derived,
            )
        };
        let (day, day_value) = of(c, &LEVEL_DAY, target.day)?;
        let month = match target.month {
            Some((m, _)) => Some(of(c, &LEVEL_MONTH, m)?),
            None => None,
        };
        let year = match target.year {
            Some((y, _)) => Some(of(c, &LEVEL_YEAR, y)?),
            None => None,
        };
        out.each[i].published = Some(Published {
            day,
            day_value,
            day_exact: super::average::DayExact::None,
            month,
            year,
        });
    }
    Ok(())
}

/// The published day tariff of `id` ("average" or a service id), with its subject index.
fn day_of(
    id: &str,
    avg: &Average,
    svc: &Services,
    index: &ServiceIndex<'_, crate::offer::Service>,
) -> Option<(Fig, u32)> {
    if id == AVERAGE {
        return Some((avg.published.day.clone(), AVERAGE_TARGET));
    }
    let j = index.get(id)?;
    svc.get(j).map(|p| (p.day.clone(), j as u32))
}

/// The messages of `part_time_residential` (English, Danish): an offer's part-time rows, or a
/// catalogue's, when its places are residential.
pub(crate) const PART_TIME_RESIDENTIAL: (&str, &str) = (
    "part-time fractions are meant for day places, and this is a residential offer",
    "Deltidsbrøker er beregnet til dagpladser, og dette er et døgntilbud.",
);

/// The messages of `part_time_above_full` for a percentage above 100 (English, Danish).
pub(crate) fn above_full(pct: Decimal) -> (String, String) {
    (
        format!(
            "a part-time day at {pct} % costs more than a full-time day; part-time fractions \
             are fractions of the full-time day tariff"
        ),
        format!(
            "En deltidsdag til {} % koster mere end en fuldtidsdag; deltidsbrøker er brøker af \
             fuldtidstaksten.",
            crate::danish::number(pct)
        ),
    )
}

/// Part-time day tariffs: every row × every published day tariff.
pub(crate) fn part_time(
    c: &mut Calc<'_>,
    avg: &Average,
    svc: &Services,
) -> Result<(Vec<PartTimeTariff>, Vec<Fig>), Error> {
    let o = c.o;
    if o.part_time.is_empty() {
        return Ok((Vec::new(), Vec::new()));
    }
    if o.kind == PlaceKind::Residential {
        let (en, da) = PART_TIME_RESIDENTIAL;
        c.warn(WarningCode::PartTimeResidential, "offer.part_time", en, da);
    }
    let r = o.settings.derived_rounding;
    let targets: Vec<(Name, Fig, u32)> =
        std::iter::once((AVERAGE_ID.name(), avg.published.day.clone(), AVERAGE_TARGET))
            .chain(
                o.services.iter().enumerate().filter_map(|(j, s)| {
                    svc.get(j).map(|p| (s.id.clone(), p.day.clone(), j as u32))
                }),
            )
            .collect();
    let mut out = Vec::with_capacity(o.part_time.len() * targets.len());
    // The figures as nodes only for pricing courses from them.
    let mut figs = Vec::with_capacity(if c.figs { out.capacity() } else { 0 });
    for (k, pt) in o.part_time.iter().enumerate() {
        if pt.pct > Decimal::ONE_HUNDRED {
            let (en, da) = above_full(pt.pct);
            c.warn(
                WarningCode::PartTimeAboveFull,
                format!("offer.part_time[{k}].pct"),
                en,
                da,
            );
        }
        let pct = c.ex.input(&PART_TIME_PCT, Subj::one(k), pt.pct.into())?;
        for (id, day, b) in &targets {
            let (fig, value) = c.ex.derive_rounded(
                &PART_TIME_DAY,
                Subj::two(k, *b),
                Op::PercentOf,
                &[day.clone(), pct.clone()],
                r,
                Step::Derived,
            )?;
            out.push(PartTimeTariff {
                of: id.clone(),
                days_per_week: pt.days_per_week,
                pct: pt.pct,
                day: value,
            });
            if c.figs {
                figs.push(fig);
            }
        }
    }
    Ok((out, figs))
}

/// Add-ons, priced per hour, per km, or as a fraction of a day tariff.
pub(crate) fn add_ons(
    c: &mut Calc<'_>,
    avg: &Average,
    svc: &Services,
) -> Result<(Vec<AddOnTariff>, Vec<Fig>), Error> {
    let o = c.o;
    if o.add_ons.is_empty() {
        return Ok((Vec::new(), Vec::new()));
    }
    let index = ServiceIndex::new(&o.services, service_id);
    let mut out = Vec::with_capacity(o.add_ons.len());
    // The figures as nodes only for pricing courses from them.
    let mut figs = Vec::with_capacity(if c.figs { o.add_ons.len() } else { 0 });
    // A price as it is given is a figure only for the graph or the courses: else it is not
    // made (callgrind `bench profile offer`: 20,955 → 20,879 instructions an offer).
    let as_given = c.figs || c.ex.keeps();
    for (k, a) in o.add_ons.iter().enumerate() {
        let subj = Subj::one(k);
        let (unit, price, fig): (AddOnUnit, Decimal, Fig) = match &a.price {
            AddOnPrice::PerHour(p) => {
                let fig = match as_given {
                    true => c.ex.input(&ADD_ON_PER_HOUR, subj, (*p).into())?,
                    false => Fig::NONE,
                };
                (AddOnUnit::Hour, *p, fig)
            }
            AddOnPrice::PerKm(p) => {
                let fig = match as_given {
                    true => c.ex.input(&ADD_ON_PER_KM, subj, (*p).into())?,
                    false => Fig::NONE,
                };
                (AddOnUnit::Km, *p, fig)
            }
            AddOnPrice::DayFraction(f) => {
                let Some((day, b)) = day_of(&f.of, avg, svc, &index) else {
                    return Err(Error::new(
                        ErrorCode::UnknownReference,
                        format!("offer.add_ons[{k}].price.day_fraction.of"),
                        format!("there is no service {:?} with a tariff", f.of),
                        format!("Der findes ingen ydelse {:?} med en takst.", f.of),
                    ));
                };
                let subj = Subj::two(k, b);
                let num = c.ex.input(&ADD_ON_NUMERATOR, subj, f.numerator.into())?;
                let den =
                    c.ex.input(&ADD_ON_DENOMINATOR, subj, f.denominator.into())?;
                let scaled =
                    c.ex.derive(&ADD_ON_SCALED, subj, Op::Product, &[day, num])?;
                let (fig, value) = c.ex.derive_rounded(
                    &ADD_ON_FRACTION,
                    subj,
                    Op::Quotient,
                    &[scaled, den],
                    o.settings.derived_rounding,
                    Step::Derived,
                )?;
                (AddOnUnit::Day, value, fig)
            }
        };
        out.push(AddOnTariff {
            id: a.id.clone(),
            name: a.name.clone(),
            unit,
            price,
        });
        if c.figs {
            figs.push(fig);
        }
    }
    Ok((out, figs))
}
