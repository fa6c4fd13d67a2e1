//! Differentiated services (domain reference §4): modules and levels priced by their
//! support hours, and basis + packages.
//!
//! **By support hours.** Common costs are shared equally per occupied day; support costs per
//! weekly support hour:
//!
//! ```text
//! common per day = common costs ÷ expected days
//! support rate   = support costs ÷ (expected days × Σ share × hours ÷ 100)
//! day (exact)    = common per day + support rate × hours(service)
//! ```
//!
//! **Basis + packages** (Region Syddanmark). Package *n* gives (n − ½) × band hours a week,
//! the middle of its band. The basis tariff and the interval (the price per day of the hours
//! between two packages) are published figures in their own right, and every package is
//! priced from the published interval, so anyone holding the sheet can price package *n*:
//!
//! ```text
//! basis        = round(common per day)
//! interval     = round(support rate × band)
//! package part = round((n − ½) × interval)
//! package day  = basis + package part
//! ```
//!
//! The sheet also gives each package's band "til og med" (n × band hours a week, to one
//! decimal), as the regions publish it. Levels set as a percentage of another tariff are in
//! [`super::derived`].

use rust_decimal::Decimal;

use crate::error::{Error, ErrorCode, WarningCode};
use crate::exact::Exact;
use crate::explain::{Desc, Fig, Op, Step, Subj, Unit};
use crate::offer::{AllocationKey, Offer, Stage};
use crate::rounding::{RoundMode, Rounding};
use crate::sheet::{ServiceTariff, SheetPackageScheme};

use super::average::{publish, publish_sum_unkept, Average, DayExact, Published, SERVICE};
use super::capacity::Cap;
use super::cost_base::Base;
use super::{decimal, Calc};

const COMMON_PER_DAY: Desc = Desc {
    key: "services.common_per_day",
    label: "Fællesomkostninger pr. {w}",
    unit: Unit::KrPerDay,
    rule: "fællesomkostninger ÷ forventede belægningsdage",
    source: None,
    path: "offer.costs",
};
const BAND: Desc = Desc {
    key: "package_scheme.band_hours_per_week",
    label: "Timer pr. uge mellem to pakker",
    unit: Unit::HoursPerWeek,
    rule: "",
    source: None,
    path: "offer.package_scheme.band_hours_per_week",
};
const SHARE: Desc = Desc {
    key: "service.{s}.share_pct",
    label: "Andel af belægningsdage, {S}",
    unit: Unit::Percent,
    rule: "",
    source: None,
    path: "offer.services[{a}].share_pct",
};
const HOURS: Desc = Desc {
    key: "service.{s}.hours_per_week",
    label: "Støttetimer pr. uge, {S}",
    unit: Unit::HoursPerWeek,
    rule: "",
    source: None,
    path: "offer.services[{a}].hours_per_week",
};
const PACKAGE_NUMBER: Desc = Desc {
    key: "service.{s}.package",
    label: "Pakkenummer, {S}",
    unit: Unit::Number,
    rule: "",
    source: None,
    path: "offer.services[{a}].package",
};
const HALF: Desc = Desc {
    key: "const.half",
    label: "En halv",
    unit: Unit::Number,
    rule: "fast værdi",
    source: Some("pakken prissættes midt i sit timeinterval"),
    path: "offer.package_scheme",
};
const BAND_MIDDLE: Desc = Desc {
    key: "service.{s}.band_middle",
    label: "Midten af pakkens interval, {S}",
    unit: Unit::Number,
    rule: "pakkenummer − ½",
    source: None,
    path: "offer.services[{a}].package",
};
const PACKAGE_HOURS: Desc = Desc {
    key: "service.{s}.hours_per_week",
    label: "Støttetimer pr. uge, {S}",
    unit: Unit::HoursPerWeek,
    rule: "(pakkenummer − ½) × timer mellem to pakker",
    source: None,
    path: "offer.services[{a}].package",
};
const HOURS_TO: Desc = Desc {
    key: "service.{s}.hours_to",
    label: "Timer pr. uge til og med, {S}",
    unit: Unit::HoursPerWeek,
    rule: "pakkenummer × timer mellem to pakker, vist med én decimal",
    source: Some("takstbladet viser pakkens timeinterval \"til og med\""),
    path: "offer.services[{a}].package",
};
const WEIGHTED_HOURS: Desc = Desc {
    key: "service.{s}.weighted_hours",
    label: "Vægtede støttetimer, {S}",
    unit: Unit::HoursPerWeek,
    rule: "støttetimer × andel ÷ 100",
    source: None,
    path: "offer.services[{a}]",
};
const MEAN_HOURS: Desc = Desc {
    key: "services.mean_hours_per_week",
    label: "Gennemsnitlige støttetimer pr. uge (vægtet med andele)",
    unit: Unit::HoursPerWeek,
    rule: "Σ støttetimer × andel ÷ 100",
    source: None,
    path: "offer.services",
};
const SUPPORT_DAY_HOURS: Desc = Desc {
    key: "services.support_day_hours",
    label: "Forventede belægningsdage × gennemsnitlige ugentlige støttetimer",
    unit: Unit::DayHours,
    rule: "forventede belægningsdage × gennemsnitlige støttetimer",
    source: None,
    path: "offer.services",
};
const SUPPORT_RATE: Desc = Desc {
    key: "services.support_rate",
    label: "Støttesats",
    unit: Unit::KrPerDayPerWeeklyHour,
    rule: "støtteomkostninger ÷ (belægningsdage × gennemsnitlige ugentlige støttetimer)",
    source: Some("takstdifferentiering: støtteomkostninger fordeles efter ydelsens støttetimer"),
    path: "offer.services",
};
const SUPPORT_PER_DAY: Desc = Desc {
    key: "service.{s}.support_per_day",
    label: "Støtteomkostninger pr. {w}, {S}",
    unit: Unit::KrPerDay,
    rule: "støttesats × støttetimer pr. uge",
    source: None,
    path: "offer.services[{a}]",
};
const DAY_EXACT: Desc = Desc {
    key: "service.{s}.day_exact",
    label: "{S}, {w}takst før afrunding",
    unit: Unit::KrPerDay,
    rule: "fællesomkostninger pr. dag + støtteomkostninger pr. dag",
    source: None,
    path: "offer.services[{a}]",
};
const BASIS: Desc = Desc {
    key: "package_scheme.basis",
    label: "Basistakst pr. {w}",
    unit: Unit::KrPerDay,
    rule: "fællesomkostninger pr. dag, afrundet",
    source: Some(
        "basistakst: fællesomkostninger (ledelse, ejendom, nattevagt, service, afskrivninger, \
         forrentning)",
    ),
    path: "offer.package_scheme",
};
const INTERVAL_EXACT: Desc = Desc {
    key: "package_scheme.interval_exact",
    label: "Pris pr. {w} for timerne mellem to pakker, før afrunding",
    unit: Unit::KrPerDay,
    rule: "støttesats × timer pr. uge mellem to pakker",
    source: None,
    path: "offer.package_scheme",
};
const INTERVAL_NONE: Desc = Desc {
    key: "package_scheme.interval_exact",
    label: "Pris pr. {w} for timerne mellem to pakker, før afrunding",
    unit: Unit::KrPerDay,
    rule: "fast værdi",
    source: Some("ingen omkostninger er fordelt efter støttetimer"),
    path: "offer.package_scheme",
};
const INTERVAL: Desc = Desc {
    key: "package_scheme.interval",
    label: "Interval: pris pr. {w} for timerne mellem to pakker",
    unit: Unit::KrPerDay,
    rule: "støttesats × timer pr. uge mellem to pakker, afrundet som en offentliggjort takst",
    source: Some("basistakst + ydelsespakke (Region Syddanmark): intervallet offentliggøres"),
    path: "offer.package_scheme",
};
const PACKAGE_PART: Desc = Desc {
    key: "service.{s}.package_part",
    label: "Pakketakst, {S}",
    unit: Unit::KrPerDay,
    rule: "(pakkenummer − ½) × offentliggjort interval, afrundet",
    source: Some("basistakst + ydelsespakke (Region Syddanmark)"),
    path: "offer.services[{a}].package",
};
const PACKAGE_DAY: Desc = Desc {
    key: "service.{s}.day",
    label: "{S}, pr. {w}",
    unit: Unit::KrPerDay,
    rule: "basistakst + pakketakst",
    source: None,
    path: "offer.services[{a}]",
};

/// Rounding of the hours "til og med" shown for a package: one decimal, half up.
const HOURS_SHOWN: Rounding = Rounding {
    increment: Decimal::from_parts(1, 0, 0, false, 1),
    mode: RoundMode::HalfAwayFromZero,
};

/// The most services whose figures are gathered in buffers on the stack (a larger offer
/// gathers them on the heap).
pub(crate) const ON_STACK: usize = 8;

/// A package's own figures.
#[derive(Clone, Copy)]
pub(crate) struct PackageFigs {
    pub part: Decimal,
    pub hours_to: Decimal,
}

/// One service's figures.
#[derive(Clone)]
pub(crate) struct One {
    pub share: Fig,
    /// Weekly support hours (services priced by hours or package).
    pub hours: Option<Fig>,
    pub published: Option<Published>,
    pub package: Option<PackageFigs>,
}

/// The services' figures, by service index.
pub(crate) struct Services {
    pub each: Vec<One>,
    pub scheme: Option<SheetPackageScheme>,
    pub basis: Option<Decimal>,
    pub basis_fig: Option<Fig>,
    pub interval_fig: Option<Fig>,
}

impl Services {
    /// The services as they appear on the sheet.
    ///
    /// Each is pushed as it is made (collected from `filter_map`, each of 200 bytes was
    /// copied into an `Option` and out of it again).
    pub fn sheet_services(&self, o: &Offer) -> Vec<ServiceTariff> {
        let mut out = Vec::with_capacity(o.services.len());
        for (s, one) in o.services.iter().zip(&self.each) {
            let Some(p) = one.published.as_ref() else {
                continue;
            };
            out.push(ServiceTariff {
                id: s.id.clone(),
                name: s.name.clone(),
                kind: s.kind,
                stage: s.stage,
                tariff: p.tariff(),
                package: s.package,
                basis: one.package.and(self.basis),
                package_part: one.package.map(|p| p.part),
                hours_per_week: one.hours.as_ref().map(|h| decimal(&h.v)),
                hours_to_per_week: one.package.map(|p| p.hours_to),
                share_pct: Some(s.share_pct),
            });
        }
        out
    }

    /// The published tariff of service `i`.
    pub fn get(&self, i: usize) -> Option<&Published> {
        self.each.get(i).and_then(|one| one.published.as_ref())
    }
}

pub(crate) fn compute(
    c: &mut Calc<'_>,
    cap: &Cap,
    base: &Base,
    avg: &Average,
) -> Result<Services, Error> {
    let o = c.o;
    let n = o.services.len();
    let mut out = Services {
        each: Vec::with_capacity(n),
        scheme: None,
        basis: None,
        basis_fig: None,
        interval_fig: None,
    };
    if n == 0 {
        return Ok(out);
    }
    let common_per_day = c.ex.derive_pair(
        &COMMON_PER_DAY,
        Subj::NONE,
        Op::Quotient,
        &base.common,
        &cap.expected_days,
    )?;
    let band = match &o.package_scheme {
        Some(ps) => Some(c.ex.input(&BAND, Subj::NONE, ps.band_hours_per_week.into())?),
        None => None,
    };
    let has_packages = o.services.iter().any(|s| s.package.is_some());
    let half = if has_packages {
        Some(c.ex.constant(&HALF, Exact::new(1, 2).unwrap_or(Exact::ONE))?)
    } else {
        None
    };

    // Weekly support hours of every service priced by hours or package.
    // Their weighted hours, summed into the mean: on the stack for up to `ON_STACK`
    // services, else on the heap.
    let mut on_stack = [const { Fig::NONE }; ON_STACK];
    let mut on_heap = Vec::new();
    let weighted = super::buffer(&mut on_stack, &mut on_heap, n, Fig::NONE);
    let mut n_weighted = 0;
    // For packages: each service's package number and the middle of its band, n − ½, read
    // again below. Beside the services' figures, not in them: a `One` is 296 bytes without
    // the two rather than 360, so the three services of a realistic offer (888 bytes, 1,080
    // with them) are an allocation glibc's malloc serves from its thread cache (at most
    // 1,032 bytes), not from its bins (callgrind `bench profile offer`: 22,414 → 22,138
    // instructions an offer, most of it in that malloc and its free). An offer without
    // packages allocates nothing here.
    let mut numbers: Vec<Option<(Fig, Fig)>> = Vec::new();
    if has_packages {
        numbers.resize(n, None);
    }
    for (i, s) in o.services.iter().enumerate() {
        let subj = Subj::one(i);
        let share = c.ex.input(&SHARE, subj, s.share_pct.into())?;
        // Its figures are set where they are kept (a `One` is some 300 bytes, copied whole
        // when it was pushed once filled).
        out.each.push(One {
            share,
            hours: None,
            published: None,
            package: None,
        });
        let Some(one) = out.each.last_mut() else {
            continue;
        };
        match (s.hours_per_week, s.package, &band, &half) {
            (Some(h), _, _, _) => one.hours = Some(c.ex.input(&HOURS, subj, h.into())?),
            (None, Some(pkg), Some(band), Some(half)) => {
                let number = c.ex.input(&PACKAGE_NUMBER, subj, pkg.into())?;
                let mid =
                    c.ex.derive_pair(&BAND_MIDDLE, subj, Op::Difference, &number, half)?;
                let hours =
                    c.ex.derive_pair(&PACKAGE_HOURS, subj, Op::Product, &mid, band)?;
                if let Some(slot) = numbers.get_mut(i) {
                    *slot = Some((number, mid));
                }
                // The sheet publishes the hours as they are: a band whose multiples need
                // more than 28 digits cannot be published (it was written as 0).
                if hours.v.to_decimal().is_none() {
                    return Err(Error::new(
                        ErrorCode::Overflow,
                        "offer.package_scheme.band_hours_per_week",
                        format!(
                            "package {pkg}'s hours per week, ({pkg} − ½) × the band, need more \
                             than 28 digits"
                        ),
                        format!(
                            "Pakke {pkg}s timer pr. uge, ({pkg} − ½) × intervalbredden, kræver \
                             mere end 28 cifre."
                        ),
                    ));
                }
                one.hours = Some(hours);
            }
            _ => {}
        }
        if let Some(ref h) = one.hours {
            if let Some(slot) = weighted.get_mut(n_weighted) {
                *slot =
                    c.ex.derive_pair(&WEIGHTED_HOURS, subj, Op::PercentOf, h, &one.share)?;
                n_weighted += 1;
            }
        }
    }
    // The shares' sum (read by its value alone: compared with 100 and shown), summed once
    // where they are kept, as `checked_add` sums them one by one, rather than by a call of
    // it for each (callgrind `bench profile offer`: 20,806 → 20,722 instructions an offer). A
    // sum of shares (decimals of at most 96 bits) cannot outgrow 256 bits; the error is the
    // one it was.
    let each = &out.each;
    let share = |i: usize| each.get(i).map_or(&Exact::ZERO, |one| &one.share.v);
    let share_sum = Exact::checked_sum(0, each.len(), share).ok_or_else(|| {
        Error::new(
            ErrorCode::Overflow,
            "offer.services",
            "the services' shares are too large to add up",
            "Ydelsernes andele er for store til at lægge sammen.",
        )
    })?;
    if share_sum != Exact::from(100i64) {
        c.warn(
            WarningCode::ServiceMixNot100,
            "offer.services",
            format!(
                "the services' shares of occupied days sum to {} %, not 100 %; the tariffs will \
                 not cover the cost base exactly",
                share_sum.short()
            ),
            format!(
                "Ydelsernes andele af belægningsdagene giver tilsammen {} %, ikke 100 %; \
                 taksterne dækker derfor ikke omkostningsgrundlaget præcist.",
                crate::danish::exact(&share_sum)
            ),
        );
    }

    // The support rate: kr per occupied day per weekly support hour.
    let has_support = o.costs.iter().any(|l| l.key == AllocationKey::SupportHours);
    let rate = if has_support {
        let mean = c.ex.derive(
            &MEAN_HOURS,
            Subj::NONE,
            Op::Sum,
            weighted.get(..n_weighted).unwrap_or_default(),
        )?;
        if mean.v.is_zero() {
            return Err(Error::new(
                ErrorCode::MissingValue,
                "offer.services",
                "cost lines are keyed to support_hours, but no service with a share of days \
                 gives support hours",
                "Omkostningslinjer fordeles efter `support_hours`, men ingen ydelse med en andel \
                 af dagene har støttetimer.",
            ));
        }
        // Support costs below zero would price more hours lower (a negative rate, a
        // negative package interval, package parts the sheet could not be read back with).
        if base.support.v.is_negative() {
            return Err(Error::new(
                ErrorCode::Negative,
                "offer.costs",
                format!(
                    "the costs keyed to support_hours total {} kr: income or regulation keyed \
                     to support hours exceeds the support costs, so more hours would cost less",
                    base.support.v.short()
                ),
                format!(
                    "Omkostningerne fordelt efter støttetimer giver i alt {} kr.: indtægter \
                     eller efterregulering fordelt efter støttetimer overstiger \
                     støtteomkostningerne, så flere timer ville koste mindre.",
                    crate::danish::exact(&base.support.v)
                ),
            ));
        }
        let day_hours = c.ex.derive_pair(
            &SUPPORT_DAY_HOURS,
            Subj::NONE,
            Op::Product,
            &cap.expected_days,
            &mean,
        )?;
        Some(c.ex.derive_pair(
            &SUPPORT_RATE,
            Subj::NONE,
            Op::Quotient,
            &base.support,
            &day_hours,
        )?)
    } else {
        None
    };

    // The package scheme's published figures, shared by every package.
    let scheme = match (band.clone(), has_packages) {
        (Some(band), true) => Some(package_scheme(
            c,
            common_per_day.clone(),
            rate.clone(),
            band,
        )?),
        _ => None,
    };

    for i in 0..n {
        let subj = Subj::one(i);
        // The service's figures are read where they are; its package figures and published
        // tariff are set once they are computed.
        let Some(one) = out.each.get(i) else { continue };
        let Some(h) = &one.hours else { continue };
        let support_part = match rate {
            Some(ref rate) => {
                Some(c.ex.derive_pair(&SUPPORT_PER_DAY, subj, Op::Product, rate, h)?)
            }
            None => None,
        };
        let number = numbers.get(i).and_then(Option::as_ref);
        // Without the graph, common per day + support part is published from its parts,
        // unmade (the same figures), where the service's figures are kept: a `Published` is
        // 192 bytes, copied out of the match below (callgrind `bench profile offer`:
        // 21,259 → 21,033 instructions an offer).
        let package_priced = matches!((&scheme, number, &band), (Some(_), Some(_), Some(_)));
        if let (false, Some(sp), Some(one)) = (package_priced, &support_part, out.each.get_mut(i)) {
            one.published = publish_sum_unkept(c, &common_per_day, sp, &cap.day_basis, &avg.twelve);
            if one.published.is_some() {
                continue;
            }
        }
        let (published, package) = match (&scheme, number, &band) {
            (Some((basis, basis_value, interval, exact)), Some((number, mid)), Some(band)) => {
                let r = o.settings.published_rounding;
                // The package's tariff before rounding: basis + (n − ½) × interval, both exact
                // (for the residue's share that is rounding).
                let (basis_exact, interval_exact) = exact;
                let day_exact = mid
                    .v
                    .checked_mul(interval_exact)
                    .and_then(|x| x.checked_add(basis_exact));
                let (part, part_value) = c.ex.derive_rounded(
                    &PACKAGE_PART,
                    subj,
                    Op::Product,
                    &[mid.clone(), interval.clone()],
                    r,
                    Step::Published,
                )?;
                let day =
                    c.ex.derive_pair(&PACKAGE_DAY, subj, Op::Sum, basis, &part)?;
                let (_, hours_to) = c.ex.derive_rounded(
                    &HOURS_TO,
                    subj,
                    Op::Product,
                    &[number.clone(), band.clone()],
                    HOURS_SHOWN,
                    Step::Display,
                )?;
                negative_tariff(c, i, &day.v)?;
                let published = Published {
                    day_value: decimal(&day.v),
                    day,
                    day_exact: day_exact.map_or(DayExact::None, DayExact::Value),
                    month: None,
                    year: None,
                };
                let package = PackageFigs {
                    part: part_value,
                    hours_to,
                };
                (published, Some((package, *basis_value)))
            }
            _ => {
                let exact = match support_part {
                    Some(sp) => {
                        c.ex.derive_pair(&DAY_EXACT, subj, Op::Sum, &common_per_day, &sp)?
                    }
                    None => c.ex.derive(
                        &DAY_EXACT,
                        subj,
                        Op::Sum,
                        std::slice::from_ref(&common_per_day),
                    )?,
                };
                negative_tariff(c, i, &exact.v)?;
                let published = publish(c, &SERVICE, subj, exact, &cap.day_basis, &avg.twelve)?;
                (published, None)
            }
        };
        if let Some(one) = out.each.get_mut(i) {
            one.published = Some(published);
            if let Some((package, basis_value)) = package {
                one.package = Some(package);
                out.basis = Some(basis_value);
            }
        }
    }
    if let Some((basis, basis_value, interval, _)) = scheme {
        out.basis_fig = Some(basis);
        out.interval_fig = Some(interval.clone());
        let band_value = o
            .package_scheme
            .as_ref()
            .map(|p| p.band_hours_per_week)
            .unwrap_or_default();
        out.scheme = Some(SheetPackageScheme {
            basis: basis_value,
            interval: decimal(&interval.v),
            band_hours_per_week: band_value,
        });
    }
    Ok(out)
}

/// Basis and interval, published once for all packages: (basis, its value, interval, and
/// the basis and interval before rounding).
#[allow(clippy::type_complexity)]
fn package_scheme(
    c: &mut Calc<'_>,
    common_per_day: Fig,
    rate: Option<Fig>,
    band: Fig,
) -> Result<(Fig, Decimal, Fig, (Exact, Exact)), Error> {
    let r = c.o.settings.published_rounding;
    let basis_exact = common_per_day.v.clone();
    let (basis, basis_value) =
        c.ex.round(&BASIS, Subj::NONE, common_per_day, r, Step::Published)?;
    let exact = match rate {
        Some(rate) => {
            c.ex.derive(&INTERVAL_EXACT, Subj::NONE, Op::Product, &[rate, band])?
        }
        None => c.ex.constant(&INTERVAL_NONE, Exact::ZERO)?,
    };
    let interval_exact = exact.v.clone();
    let (interval, _) =
        c.ex.round(&INTERVAL, Subj::NONE, exact, r, Step::Published)?;
    if basis.v.is_negative() {
        return Err(Error::new(
            ErrorCode::Negative,
            "offer.costs",
            format!(
                "the basis tariff would be {} kr per day: income keyed per occupied day \
                 exceeds the common costs",
                basis.v.short()
            ),
            format!(
                "Basistaksten ville blive {} kr. pr. dag: indtægter fordelt pr. belægningsdag \
                 overstiger de fælles omkostninger.",
                crate::danish::exact(&basis.v)
            ),
        ));
    }
    Ok((basis, basis_value, interval, (basis_exact, interval_exact)))
}

/// A negative published tariff is an error: the sheet could not be read back, and no
/// municipality is paid to take a citizen.
fn negative_tariff(c: &Calc<'_>, i: usize, day: &Exact) -> Result<(), Error> {
    if day.is_negative() {
        let s = &c.o.services[i];
        return Err(Error::new(
            ErrorCode::Negative,
            format!("offer.services[{i}]"),
            format!(
                "the tariff of {:?} would be {} kr per day: income keyed per occupied day \
                 exceeds the costs it should cover",
                s.id,
                day.short()
            ),
            format!(
                "Taksten for {:?} ville blive {} kr. pr. dag: indtægter fordelt pr. \
                 belægningsdag overstiger de omkostninger, den skal dække.",
                s.id,
                crate::danish::exact(day)
            ),
        ));
    }
    Ok(())
}

/// Module tariffs should fall along the course: assessment ≥ development ≥ long-term.
pub(crate) fn module_order(c: &mut Calc<'_>, out: &Services) {
    let o = c.o;
    // On the stack for up to `ON_STACK` services, else on the heap.
    let mut on_stack = [(Stage::Assessment, 0, Decimal::ZERO); ON_STACK];
    let mut on_heap = Vec::new();
    let staged_all = o
        .services
        .iter()
        .enumerate()
        .filter_map(|(i, s)| Some((s.stage?, i, out.get(i)?.day_value)));
    let staged: &mut [(Stage, usize, Decimal)] = if o.services.len() <= ON_STACK {
        let mut n = 0;
        for (slot, entry) in on_stack.iter_mut().zip(staged_all) {
            *slot = entry;
            n += 1;
        }
        on_stack.get_mut(..n).unwrap_or_default()
    } else {
        on_heap.extend(staged_all);
        &mut on_heap
    };
    // By stage, and within a stage from the highest tariff to the lowest: at each change of
    // stage the earlier stage's lowest tariff meets the later stage's highest.
    staged.sort_by_key(|(stage, _, tariff)| (*stage, std::cmp::Reverse(*tariff)));
    for pair in staged.windows(2) {
        let ((sa, a, ta), (sb, b, tb)) = (pair[0], pair[1]);
        if sa != sb && tb > ta {
            let message = format!(
                "the tariff of {:?} ({tb}) is above that of the earlier module {:?} ({ta}); \
                 module tariffs should fall along the course",
                o.services[b].id, o.services[a].id
            );
            let message_da = format!(
                "Taksten for {:?} ({}) er højere end for det tidligere modul {:?} ({}); \
                 modultaksterne bør falde hen over forløbet.",
                o.services[b].id,
                crate::danish::number(tb),
                o.services[a].id,
                crate::danish::number(ta)
            );
            c.warn(
                WarningCode::ModuleOrder,
                "offer.services",
                message,
                message_da,
            );
        }
    }
}
