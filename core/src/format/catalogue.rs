//! Reading a tariff catalogue: a tariff sheet given rather than computed (a provider's
//! published sheet, or national packages whose tariffs KKR sets).
//!
//! Every field is checked as strictly as an offer's (nothing negative, every reference
//! known, every count in range, a package's basis and part adding up to its tariff), and
//! every figure is recorded in the explanation as an input with the catalogue's source.

use std::collections::HashSet;

use rust_decimal::Decimal;

use crate::course::tariffs::Figs;
use crate::error::ErrorCode;
use crate::error::{Errors, Warning, WarningCode};
use crate::explain::{Desc, Entry, Explanation, Origin, PartTimeName, SheetName, Subj, Unit};
use crate::rounding::RoundMode;
use crate::sheet::{AddOnUnit, TariffSheet};
use crate::tariff::validate::{Check, YEARS};
use crate::tariff::ServiceIndex;
use crate::tariff::{SheetFigs, TariffFigs};

const fn input(key: &'static str, label: &'static str, unit: Unit, path: &'static str) -> Desc {
    Desc {
        key,
        label,
        unit,
        rule: "",
        source: None,
        path,
    }
}
const AVERAGE_DAY: Desc = input(
    "{bk}average.day",
    "Gennemsnitstakst, pr. {w}",
    Unit::KrPerDay,
    "{br}.average.day",
);
const AVERAGE_MONTH: Desc = input(
    "{bk}average.month",
    "Gennemsnitstakst, pr. måned",
    Unit::KrPerMonth,
    "{br}.average.month",
);
const AVERAGE_YEAR: Desc = input(
    "{bk}average.year",
    "Gennemsnitstakst, pr. år",
    Unit::KrPerYear,
    "{br}.average.year",
);
const SERVICE_DAY: Desc = input(
    "{sk}service.{s}.day",
    "{S}, pr. {w}",
    Unit::KrPerDay,
    "{sr}.services[{si}].tariff.day",
);
const SERVICE_MONTH: Desc = input(
    "{sk}service.{s}.month",
    "{S}, pr. måned",
    Unit::KrPerMonth,
    "{sr}.services[{si}].tariff.month",
);
const SERVICE_YEAR: Desc = input(
    "{sk}service.{s}.year",
    "{S}, pr. år",
    Unit::KrPerYear,
    "{sr}.services[{si}].tariff.year",
);
const BASIS: Desc = input(
    "{bk}package_scheme.basis",
    "Basistakst pr. {w}",
    Unit::KrPerDay,
    "{br}.package_scheme.basis",
);
const INTERVAL: Desc = input(
    "{bk}package_scheme.interval",
    "Interval: pris pr. {w} for timerne mellem to pakker",
    Unit::KrPerDay,
    "{br}.package_scheme.interval",
);
const BAND: Desc = input(
    "{bk}package_scheme.band_hours_per_week",
    "Timer pr. uge mellem to pakker",
    Unit::HoursPerWeek,
    "{br}.package_scheme.band_hours_per_week",
);
const PART_TIME: Desc = input(
    "{pk}part_time.{p}.{pt}",
    "Deltidstakst {p} dage om ugen, {pT}",
    Unit::KrPerDay,
    "{pr}.part_time[{pi}].day",
);
const ADD_ON_HOUR: Desc = input(
    "{ok}add_on.{o}.price",
    "{O}, pr. time",
    Unit::KrPerHour,
    "{or}.add_ons[{oi}].price",
);
const ADD_ON_KM: Desc = input(
    "{ok}add_on.{o}.price",
    "{O}, pr. km",
    Unit::KrPerKm,
    "{or}.add_ons[{oi}].price",
);
const ADD_ON_DAY: Desc = input(
    "{ok}add_on.{o}.price",
    "{O}, pr. kalenderdag",
    Unit::KrPerDay,
    "{or}.add_ons[{oi}].price",
);

/// Where a catalogue sits in the request.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Place {
    /// `catalogue`: its figures keep the plain keys (`service.x.day`).
    Single,
    /// `catalogues[k]`: its figures' keys start with `catalogues[k].`.
    Listed(usize),
}

impl Place {
    /// `{root}.{field}`, formatted only when a check fails: given whole for the single
    /// catalogue (`single`), `catalogues[k].{field}` for a listed one.
    fn at(self, single: &'static str, field: &'static str) -> impl Fn() -> String + Copy {
        move || match self {
            Place::Single => single.to_owned(),
            Place::Listed(k) => format!("catalogues[{k}].{field}"),
        }
    }
}

/// The catalogue's path in the request (`catalogue`, `catalogues[k]`), written only when a
/// path is formatted: a `Pricer` reads every sheet it holds as listed, and formatting its
/// paths up front was a fifth of reading a sheet (callgrind).
#[derive(Clone, Copy)]
struct Root(Place);

impl std::fmt::Display for Root {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            Place::Single => f.write_str("catalogue"),
            Place::Listed(k) => write!(f, "catalogues[{k}]"),
        }
    }
}

/// Warns of a month or year tariff further from the day tariff × the day basis (÷ 12 for a
/// month) than the roundings of the two allow: a published day tariff is its exact value
/// rounded, within half a step, and the month and year tariffs are the exact day tariff ×
/// day basis (÷ 12) rounded once, within half a step more. So, in twelfths so that nothing
/// is divided, |12 × month − day × basis| ≤ step × (basis + 12) ÷ 2 and |year − day ×
/// basis| ≤ step × (basis + 1) ÷ 2, the step the sheet's rounding increment or 1 krone,
/// whichever is larger (as for the part-time rows). A month tariff further off is a
/// typing error in one of the two, and the month tariff is what a full month bills.
fn period_mismatches(
    sheet: &TariffSheet,
    room: Room,
    t: &crate::sheet::Tariff,
    path: &dyn Fn() -> String,
    warnings: &mut Vec<Warning>,
) {
    use crate::exact::Exact;
    if t.month.is_none() && t.year.is_none() {
        return;
    }
    let basis = i64::from(sheet.day_basis);
    let Room { step, steps } = room;
    for (value, periods, field, da) in
        [(t.month, 12, "month", "Måneds"), (t.year, 1, "year", "Års")]
    {
        let Some(value) = value else { continue };
        let period = Period {
            value,
            periods,
            day: t.day,
            basis,
            step,
            steps,
        };
        if !period.beyond_rounding().unwrap_or(false) {
            continue;
        }
        let Some(product) = Exact::from(t.day).checked_mul(&Exact::from(basis)) else {
            continue;
        };
        // What the day tariff gives, for the message: to øre, half away from zero (in exact
        // arithmetic, which the courses already use: no decimal division in the browser
        // module for a message).
        let expected = product
            .checked_div(&Exact::from(periods))
            .and_then(|e| crate::rounding::Rounding::ORE.apply_exact(&e))
            .map(|e| e.normalize());
        let (en_expected, da_expected) = expected.map_or((String::new(), String::new()), |e| {
            (
                format!(" ({e})"),
                format!(" ({})", crate::danish::number(e)),
            )
        });
        let per = if field == "month" { " ÷ 12" } else { "" };
        warnings.push(Warning::new(
            WarningCode::PeriodTariffMismatch,
            format!("{}.{field}", path()),
            format!(
                "the {field} tariff {value} is not the day tariff {} × the day basis {}{per}{en_expected}, \
                 within the rounding of the two; the {field} tariff is {}",
                t.day,
                sheet.day_basis,
                if field == "month" { "what a full month bills" } else { "shown as given" }
            ),
            format!(
                "{da}taksten {} er ikke dagtaksten {} × dagbasis {}{per}{da_expected} inden for \
                 afrundingen af de to; {}",
                crate::danish::number(value),
                crate::danish::number(t.day),
                sheet.day_basis,
                if field == "month" {
                    "en hel måned afregnes efter månedstaksten."
                } else {
                    "årstaksten vises som angivet."
                }
            ),
        ));
    }
}

/// Each of a published tariff's figures (day, month, year) that is not a whole number of the
/// sheet's rounding increment: a tariff with øre on a sheet that says it rounds to whole
/// kroner is a typing error in the tariff or in `rounding`. The tariff is billed as given;
/// one indexed from it is rounded to the increment.
fn off_step(
    sheet: &TariffSheet,
    t: &crate::sheet::Tariff,
    path: &dyn Fn() -> String,
    warnings: &mut Vec<Warning>,
) {
    let step = sheet.rounding.increment;
    if step <= Decimal::ZERO {
        // Refused with the sheet's rounding.
        return;
    }
    for (value, field) in [(Some(t.day), "day"), (t.month, "month"), (t.year, "year")] {
        let Some(v) = value else { continue };
        // Whole kroner on a sheet of whole kroner (the usual case) without a division.
        // Otherwise: a figure on the step is its own rounding to it (the rounding the
        // courses use; a decimal remainder would add its own 1.6 KB to the browser's module).
        // One too large to round (beyond 28 digits at the step's scale) is not warned of.
        let on_step = (v.scale() == 0 && step == Decimal::ONE)
            || crate::rounding::Rounding {
                increment: step,
                mode: RoundMode::HalfAwayFromZero,
            }
            .apply_exact(&v.into())
            .is_none_or(|r| r == v);
        if !on_step {
            warnings.push(Warning::new(
                WarningCode::TariffOffStep,
                format!("{}.{field}", path()),
                format!(
                    "the tariff {v} is not a whole number of the sheet's rounding increment \
                     {step}: it is billed as given, and a tariff indexed from it is rounded to \
                     the increment"
                ),
                format!(
                    "Taksten {} er ikke et helt antal af takstbladets afrundingstrin {}: den \
                     afregnes som angivet, og en takst fremskrevet fra den afrundes til trinnet.",
                    crate::danish::number(v),
                    crate::danish::number(step)
                ),
            ));
        }
    }
}

/// The room a sheet's rounding leaves its tariffs: its step (the rounding increment or 1
/// krone, whichever is larger) and how many of them. Worked out once per sheet, not per
/// tariff (a decimal comparison per tariff was a tenth of the check, callgrind).
#[derive(Clone, Copy)]
struct Room {
    step: Decimal,
    steps: i64,
}

impl Room {
    fn of(sheet: &TariffSheet) -> Room {
        // Rounded to the nearest, a figure is within half a step of its exact value; rounded
        // up, down, to the ceiling or the floor, within a whole step: twice the room.
        let nearest = matches!(
            sheet.rounding.mode,
            RoundMode::HalfAwayFromZero | RoundMode::HalfEven | RoundMode::HalfTowardZero
        );
        Room {
            step: sheet.rounding.increment.max(Decimal::ONE),
            steps: if nearest { 1 } else { 2 },
        }
    }
}

/// A month or year tariff against the day tariff over the day basis, and the room the
/// roundings leave: is 2 × |periods × value − day × basis| > steps × step × (basis +
/// periods)?
struct Period {
    value: Decimal,
    periods: i64,
    day: Decimal,
    basis: i64,
    step: Decimal,
    steps: i64,
}

impl Period {
    /// In 64-bit integers of the figures' common scale (a sheet's tariffs have two decimals
    /// at most, so this is a few multiplications, once per sheet a `Pricer` or a request
    /// reads), else in exact arithmetic (which the courses already use: decimal
    /// multiplication is more code in the browser module); `None` only beyond both.
    fn beyond_rounding(&self) -> Option<bool> {
        self.in_integers().or_else(|| self.in_exact())
    }

    fn in_integers(&self) -> Option<bool> {
        let scale = self
            .value
            .scale()
            .max(self.day.scale())
            .max(self.step.scale());
        let scaled = |d: Decimal| {
            let p = crate::exact::pow10_64(scale - d.scale())?;
            i64::try_from(d.mantissa()).ok()?.checked_mul(p)
        };
        let off = scaled(self.value)?
            .checked_mul(self.periods)?
            .checked_sub(scaled(self.day)?.checked_mul(self.basis)?)?
            .checked_abs()?
            .checked_mul(2)?;
        let limit = scaled(self.step)?
            .checked_mul(self.basis.checked_add(self.periods)?)?
            .checked_mul(self.steps)?;
        Some(off > limit)
    }

    fn in_exact(&self) -> Option<bool> {
        use crate::exact::Exact;
        let off = Exact::from(self.value)
            .checked_mul(&Exact::from(self.periods))?
            .checked_sub(&Exact::from(self.day).checked_mul(&Exact::from(self.basis))?)?
            .abs()
            .checked_mul(&Exact::from(2i64))?;
        let limit = Exact::from(self.step)
            .checked_mul(&Exact::from(self.basis.checked_add(self.periods)?))?
            .checked_mul(&Exact::from(self.steps))?;
        Some(off > limit)
    }
}

/// Checks a catalogue and records its figures as inputs.
pub(crate) fn read(
    sheet: &TariffSheet,
    place: Place,
    ex: &mut Explanation,
) -> Result<(Vec<Warning>, SheetFigs), Errors> {
    let warnings = check(sheet, place)?;
    Ok((warnings, record(sheet, place, ex)?))
}

/// [`read`] for pricing courses: the same checks, and the figures recorded only when the
/// arena keeps them. In one that keeps none (a `Pricer`'s) a figure is only its value, which
/// pricing takes from the sheet when it needs it.
pub(crate) fn read_for_pricing(
    sheet: &TariffSheet,
    place: Place,
    ex: &mut Explanation,
) -> Result<(Vec<Warning>, Figs), Errors> {
    let warnings = check(sheet, place)?;
    let figs = if ex.keeps() {
        Figs::Recorded(record(sheet, place, ex)?)
    } else {
        // The sheet's place in the name tables, as `record` takes it (no names are kept).
        Figs::Published(ex.begin_sheet(
            sheet.services.len(),
            sheet.add_ons.len(),
            sheet.part_time.len(),
            |_, _| {},
        ))
    };
    Ok((warnings, figs))
}

/// Every check of a catalogue: its errors, or its warnings.
fn check(sheet: &TariffSheet, place: Place) -> Result<Vec<Warning>, Errors> {
    let mut c = Check(Vec::new());
    let mut warnings = Vec::new();
    let p = Root(place);
    if sheet.version != 1 {
        c.fail(
            ErrorCode::UnsupportedVersion,
            format!("{p}.version"),
            format!("tariff sheet version {} is not supported", sheet.version),
            format!(
                "Takstbladets version {} understøttes ikke; den eneste version er 1.",
                sheet.version
            ),
        );
    }
    if !YEARS.contains(&sheet.offer.year) {
        c.fail(
            ErrorCode::OutOfRange,
            format!("{p}.offer.year"),
            format!(
                "the year must be from 1900 to 2200, got {}",
                sheet.offer.year
            ),
            format!(
                "Året skal være fra 1900 til 2200, men er {}.",
                sheet.offer.year
            ),
        );
    }
    c.rounding(&sheet.rounding, place.at("catalogue.rounding", "rounding"));
    if !(1..=366).contains(&sheet.day_basis) {
        c.fail(
            ErrorCode::OutOfRange,
            format!("{p}.day_basis"),
            format!("the day basis must be 1–366 days, got {}", sheet.day_basis),
            format!("Dagbasis skal være 1–366 dage, men er {}.", sheet.day_basis),
        );
    }
    // Paths are closures: formatted only for a problem to report.
    let mut tariff = |c: &mut Check, value: Decimal, path: &dyn Fn() -> String| {
        c.non_negative(value, path, ("a tariff", "en takst"));
        if value.is_zero() {
            warnings.push(Warning::new(
                WarningCode::ZeroTariff,
                path(),
                "the tariff is 0",
                "Taksten er 0 kr.",
            ));
        }
    };
    if let Some(avg) = &sheet.average {
        tariff(&mut c, avg.day, &|| format!("{p}.average.day"));
        if let Some(m) = avg.month {
            tariff(&mut c, m, &|| format!("{p}.average.month"));
        }
        if let Some(y) = avg.year {
            tariff(&mut c, y, &|| format!("{p}.average.year"));
        }
    }
    c.unique(
        &sheet.services,
        |s| &s.id,
        place.at("catalogue.services", "services"),
    );
    for (i, s) in sheet.services.iter().enumerate() {
        let path = || format!("{p}.services[{i}]");
        if s.id == "average" {
            c.fail(
                ErrorCode::InvalidValue,
                format!("{}.id", path()),
                "the id \"average\" is reserved for the offer's average tariff",
                "Id'et \"average\" er forbeholdt tilbuddets gennemsnitstakst.",
            );
        }
        tariff(&mut c, s.tariff.day, &|| format!("{}.tariff.day", path()));
        if let Some(m) = s.tariff.month {
            tariff(&mut c, m, &|| format!("{}.tariff.month", path()));
        }
        if let Some(y) = s.tariff.year {
            tariff(&mut c, y, &|| format!("{}.tariff.year", path()));
        }
        for (value, field, name) in [
            (s.basis, "basis", "basistaksten"),
            (s.package_part, "package_part", "pakkedelen af taksten"),
            (s.hours_per_week, "hours_per_week", "timerne pr. uge"),
            (
                s.hours_to_per_week,
                "hours_to_per_week",
                "timerne pr. uge (til)",
            ),
        ] {
            if let Some(v) = value {
                c.non_negative(v, || format!("{}.{field}", path()), (field, name));
            }
        }
        if let Some(share) = s.share_pct {
            c.percent(
                share,
                || format!("{}.share_pct", path()),
                ("the share of days", "andelen af dage"),
            );
        }
        if s.package == Some(0) {
            c.fail(
                ErrorCode::OutOfRange,
                format!("{}.package", path()),
                "packages are numbered from 1",
                "Pakkerne nummereres fra 1.",
            );
        }
        if let (Some(b), Some(part)) = (s.basis, s.package_part) {
            if crate::decimal::add(b, part) != Some(s.tariff.day) {
                c.fail(
                    ErrorCode::Conflict,
                    format!("{}.tariff.day", path()),
                    format!(
                        "basis {b} + package part {part} must equal the day tariff {}",
                        s.tariff.day
                    ),
                    format!(
                        "Basistaksten ({}) plus pakkedelen ({}) skal svare til taksten pr. dag ({}).",
                        crate::danish::number(b),
                        crate::danish::number(part),
                        crate::danish::number(s.tariff.day)
                    ),
                );
            }
        }
    }
    c.packages_once(
        sheet.services.iter().map(|s| s.package),
        place.at("catalogue.services", "services"),
    );
    if let Some(ps) = &sheet.package_scheme {
        let path = || format!("{p}.package_scheme");
        c.non_negative(
            ps.basis,
            || format!("{}.basis", path()),
            ("the basis tariff", "basistaksten"),
        );
        c.non_negative(
            ps.interval,
            || format!("{}.interval", path()),
            ("the interval", "intervallet"),
        );
        c.positive(
            ps.band_hours_per_week,
            || format!("{}.band_hours_per_week", path()),
            ("the band width", "intervalbredden"),
        );
    }
    let index = ServiceIndex::new(&sheet.services, |s| &s.id);
    let mut rows = HashSet::new();
    // Warnings of the part-time rows, after the tariffs' own.
    let mut mismatches = Vec::new();
    for (k, pt) in sheet.part_time.iter().enumerate() {
        let path = || format!("{p}.part_time[{k}]");
        if pt.of == "average" && sheet.average.is_none() {
            c.fail(
                ErrorCode::UnknownReference,
                format!("{}.of", path()),
                "the catalogue has no average tariff for the part-time row to be of",
                "Takstkataloget har ingen gennemsnitstakst, som deltidsrækken kan være en del af.",
            );
        } else if pt.of != "average" && index.get(&pt.of).is_none() {
            c.fail(
                ErrorCode::UnknownReference,
                format!("{}.of", path()),
                format!("there is no service {:?} in the catalogue", pt.of),
                format!("Der findes ingen ydelse {:?} i takstkataloget.", pt.of),
            );
        }
        if !(1..=7).contains(&pt.days_per_week) {
            c.fail(
                ErrorCode::OutOfRange,
                format!("{}.days_per_week", path()),
                format!("days per week must be 1–7, got {}", pt.days_per_week),
                format!("Dage pr. uge skal være 1–7, men er {}.", pt.days_per_week),
            );
        }
        if !rows.insert((pt.of.as_str(), pt.days_per_week)) {
            c.fail(
                ErrorCode::DuplicateId,
                format!("{}.days_per_week", path()),
                "the same service and days per week are given twice",
                "Den samme ydelse og det samme antal dage pr. uge er angivet to gange.",
            );
        }
        c.non_negative(
            pt.pct,
            || format!("{}.pct", path()),
            ("the percentage", "procentsatsen"),
        );
        tariff(&mut c, pt.day, &|| format!("{}.day", path()));
        if pt.pct > Decimal::ONE_HUNDRED {
            let (en, da) = crate::tariff::derived::above_full(pt.pct);
            mismatches.push(Warning::new(
                WarningCode::PartTimeAboveFull,
                format!("{}.pct", path()),
                en,
                da,
            ));
        }
        // The day tariff is its percentage of the full day tariff, rounded: further from it
        // than half a krone (or half the sheet's rounding step, if larger), plus what a
        // percentage's last decimal can move it (66.67 % of 30,000 may mean 20,000), is a
        // typing error in one of the two, and the day tariff is what is billed.
        let full = if pt.of == "average" {
            sheet.average.as_ref().map(|a| a.day)
        } else {
            index.get(&pt.of).map(|i| sheet.services[i].tariff.day)
        };
        // In hundredths, so that nothing is divided: |day × 100 − full × pct| against 50 ×
        // the step (half of it, × 100).
        let share100 = full.and_then(|d| d.checked_mul(pt.pct));
        let off = share100.and_then(|s| {
            pt.day
                .checked_mul(Decimal::ONE_HUNDRED)
                .and_then(|d| d.checked_sub(s))
        });
        // A percentage with decimals may be a rounded fraction (66.67 for two thirds): half
        // its last decimal. A whole percentage is taken as meant.
        let pct_half_step = match pt.pct.scale() {
            0 => Decimal::ZERO,
            places => Decimal::try_new(5, places + 1).unwrap_or(Decimal::ZERO),
        };
        let limit = sheet
            .rounding
            .increment
            .max(Decimal::ONE)
            .checked_mul(Decimal::from(50))
            .zip(full.and_then(|f| f.checked_mul(pct_half_step)))
            .and_then(|(a, b)| a.checked_add(b));
        if let (Some(full), Some(share100), Some(off), Some(limit)) = (full, share100, off, limit) {
            if off.abs() > limit {
                // The share itself for the message: the hundredths with the point moved (left
                // out in the rare case that needs more than 28 places).
                let share =
                    Decimal::try_from_i128_with_scale(share100.mantissa(), share100.scale() + 2)
                        .ok()
                        .map(|s| s.normalize());
                let (en, da) = share.map_or((String::new(), String::new()), |s| {
                    (
                        format!(" ({s})"),
                        format!(" ({})", crate::danish::number(s)),
                    )
                });
                mismatches.push(Warning::new(
                    WarningCode::PartTimeMismatch,
                    format!("{}.day", path()),
                    format!(
                        "the part-time tariff {} is not {} % of the day tariff {full} of \
                         {:?}{en}; the part-time tariff is billed",
                        pt.day, pt.pct, pt.of
                    ),
                    format!(
                        "Deltidstaksten {} er ikke {} % af dagtaksten {} for {:?}{da}; \
                         deltidstaksten afregnes.",
                        crate::danish::number(pt.day),
                        crate::danish::number(pt.pct),
                        crate::danish::number(full),
                        pt.of,
                    ),
                ));
            }
        }
    }
    // A month or year tariff that is not the day tariff over the sheet's day basis.
    // And a published tariff off the sheet's rounding step.
    let room = Room::of(sheet);
    if let Some(avg) = &sheet.average {
        let path = || format!("{p}.average");
        off_step(sheet, avg, &path, &mut mismatches);
        period_mismatches(sheet, room, avg, &path, &mut mismatches);
    }
    // A level's tariffs are its percentage of another's rounded figures, each rounded again
    // to øre (its month is not its day over the day basis), so it is not checked.
    for (i, s) in sheet.services.iter().enumerate() {
        if s.kind == crate::offer::ServiceKind::Level {
            continue;
        }
        let path = || format!("{p}.services[{i}].tariff");
        off_step(sheet, &s.tariff, &path, &mut mismatches);
        period_mismatches(sheet, room, &s.tariff, &path, &mut mismatches);
    }
    c.unique(
        &sheet.add_ons,
        |a| &a.id,
        place.at("catalogue.add_ons", "add_ons"),
    );
    for (k, a) in sheet.add_ons.iter().enumerate() {
        tariff(&mut c, a.price, &|| format!("{p}.add_ons[{k}].price"));
    }
    if let Some(e) = Errors::from_vec(c.0) {
        return Err(e);
    }
    warnings.append(&mut mismatches);
    // A listed package is billed at its own tariff; one that is not what the package scheme
    // gives for its number (basis + round((n − ½) × interval)) is a typing error in one of
    // the two, and an unlisted number would be priced from the scheme.
    if let Some(ps) = &sheet.package_scheme {
        for (i, s) in sheet.services.iter().enumerate() {
            let Some(n) = s.package.filter(|n| *n > 0) else {
                continue;
            };
            let Some(scheme) = crate::course::scheme_day(ps, n, sheet.rounding) else {
                continue;
            };
            if scheme != s.tariff.day {
                warnings.push(Warning::new(
                    WarningCode::PackageMismatch,
                    format!("{p}.services[{i}].tariff.day"),
                    format!(
                        "package {n}'s day tariff {} is not what the package scheme gives, {} \
                         ({} + round(({n} − ½) × {})); the listed tariff is billed",
                        s.tariff.day, scheme, ps.basis, ps.interval
                    ),
                    format!(
                        "Pakke {n}s dagtakst {} er ikke den, pakkeordningen giver, {} ({} + \
                         afrundet ({n} − ½) × {}); den angivne takst afregnes.",
                        crate::danish::number(s.tariff.day),
                        crate::danish::number(scheme),
                        crate::danish::number(ps.basis),
                        crate::danish::number(ps.interval)
                    ),
                ));
            }
        }
    }

    Ok(warnings)
}

/// Records a checked catalogue's figures as inputs.
fn record(sheet: &TariffSheet, place: Place, ex: &mut Explanation) -> Result<SheetFigs, Errors> {
    let p = Root(place);
    // Every figure as an input with the catalogue's source.
    const GIVEN: &str = "givet takstkatalog";
    let base = ex.begin_sheet(
        sheet.services.len(),
        sheet.add_ons.len(),
        sheet.part_time.len(),
        |n, base| {
            let k = base.sheet;
            let root = p.to_string();
            let p: &str = &root;
            if n.day_word.is_empty() {
                n.day_word = sheet.offer.kind.day_word_da();
            }
            let texts = [p, ".", p, sheet.source.as_deref().unwrap_or(GIVEN)]
                .into_iter()
                .chain(sheet.services.iter().flat_map(|s| [&*s.id, &*s.name]))
                .chain(sheet.add_ons.iter().flat_map(|a| [&*a.id, &*a.name]));
            n.reserve_sheet(texts, sheet.services.len(), sheet.add_ons.len());
            let key_prefix = match place {
                Place::Single => n.put(""),
                Place::Listed(_) => n.put(&[p, "."].concat()),
            };
            let path_root = n.put(p);
            let source = n.put(sheet.source.as_deref().unwrap_or(GIVEN));
            n.sheets.push(SheetName {
                key_prefix,
                path_root,
                source: Some(source),
            });
            for (i, s) in sheet.services.iter().enumerate() {
                let (id, name) = (n.put(&s.id), n.put(&s.name));
                n.services.push(Entry {
                    id,
                    name,
                    sheet: k,
                    local: i as u32,
                });
            }
            for (i, a) in sheet.add_ons.iter().enumerate() {
                let (id, name) = (n.put(&a.id), n.put(&a.name));
                n.add_ons.push(Entry {
                    id,
                    name,
                    sheet: k,
                    local: i as u32,
                });
            }
            for (i, pt) in sheet.part_time.iter().enumerate() {
                let name = sheet
                    .services
                    .iter()
                    .find(|s| s.id == pt.of)
                    .map_or("Gennemsnitstakst", |s| s.name.as_str());
                let of = (n.put(&pt.of), n.put(name));
                n.part_time.push(PartTimeName {
                    days: pt.days_per_week,
                    of: Some(of),
                    sheet: k,
                    local: i as u32,
                });
            }
        },
    );
    let cat = Origin::Sheet(base.sheet);
    let whole = Subj::two(0, base.sheet);
    let mut figs = SheetFigs {
        base,
        services: Vec::with_capacity(sheet.services.len()),
        part_time: Vec::with_capacity(sheet.part_time.len()),
        add_ons: Vec::with_capacity(sheet.add_ons.len()),
        ..SheetFigs::default()
    };
    if let Some(avg) = &sheet.average {
        let day = ex.input_from(&AVERAGE_DAY, whole, avg.day.into(), cat)?;
        let month = match avg.month {
            Some(m) => Some(ex.input_from(&AVERAGE_MONTH, whole, m.into(), cat)?),
            None => None,
        };
        if let Some(y) = avg.year {
            ex.input_from(&AVERAGE_YEAR, whole, y.into(), cat)?;
        }
        figs.average = Some(TariffFigs { day, month });
    }
    for (i, s) in sheet.services.iter().enumerate() {
        let subj = Subj::one(base.services as usize + i);
        let day = ex.input_from(&SERVICE_DAY, subj, s.tariff.day.into(), cat)?;
        let month = match s.tariff.month {
            Some(m) => Some(ex.input_from(&SERVICE_MONTH, subj, m.into(), cat)?),
            None => None,
        };
        if let Some(y) = s.tariff.year {
            ex.input_from(&SERVICE_YEAR, subj, y.into(), cat)?;
        }
        figs.services.push(TariffFigs { day, month });
    }
    if let Some(ps) = &sheet.package_scheme {
        figs.basis = Some(ex.input_from(&BASIS, whole, ps.basis.into(), cat)?);
        figs.interval = Some(ex.input_from(&INTERVAL, whole, ps.interval.into(), cat)?);
        ex.input_from(&BAND, whole, ps.band_hours_per_week.into(), cat)?;
    }
    for (k, pt) in sheet.part_time.iter().enumerate() {
        let subj = Subj::one(base.part_time as usize + k);
        figs.part_time
            .push(ex.input_from(&PART_TIME, subj, pt.day.into(), cat)?);
    }
    for (k, a) in sheet.add_ons.iter().enumerate() {
        let d = match a.unit {
            AddOnUnit::Hour => &ADD_ON_HOUR,
            AddOnUnit::Km => &ADD_ON_KM,
            AddOnUnit::Day => &ADD_ON_DAY,
        };
        let subj = Subj::one(base.add_ons as usize + k);
        figs.add_ons
            .push(ex.input_from(d, subj, a.price.into(), cat)?);
    }
    Ok(figs)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use rust_decimal::Decimal;

    use super::Period;

    fn period(value: Decimal, periods: i64, day: Decimal, basis: i64, steps: i64) -> Period {
        Period {
            value,
            periods,
            day,
            basis,
            step: Decimal::ONE,
            steps,
        }
    }

    #[test]
    fn the_boundaries_worked_by_hand() {
        // Day 2,000 over 365 days, whole kroner: a month within 15.71 kr of 60,833.33.
        let d = |s: &str| s.parse::<Decimal>().unwrap_or_default();
        let check = |m: &str| period(d(m), 12, d("2000"), 365, 1).beyond_rounding();
        assert_eq!(check("60818"), Some(false));
        assert_eq!(check("60849"), Some(false));
        assert_eq!(check("60817"), Some(true));
        assert_eq!(check("60850"), Some(true));
        // Rounded up or down, twice the room: 60,802 is within 31.42 kr.
        assert_eq!(
            period(d("60802"), 12, d("2000"), 365, 2).beyond_rounding(),
            Some(false)
        );
        // Beyond 64 bits in integers of one scale: the exact arithmetic decides.
        let long = period(
            d("7922816251426433759354395033"),
            12,
            d("60833.333333333333333333333"),
            365,
            1,
        );
        assert_eq!(long.in_integers(), None);
        assert_eq!(long.beyond_rounding(), long.in_exact());
        assert_eq!(long.beyond_rounding(), Some(true));
    }

    proptest! {
        #[test]
        fn the_integers_agree_with_exact_arithmetic(
            value in (any::<i64>(), 0u32..=28).prop_map(|(m, s)| Decimal::new(m, s)),
            day in (any::<i64>(), 0u32..=28).prop_map(|(m, s)| Decimal::new(m, s)),
            step in (1i64..1_000_000, 0u32..=4).prop_map(|(m, s)| Decimal::new(m, s)),
            basis in 1i64..=366,
            month in any::<bool>(),
            steps in 1i64..=2,
        ) {
            let p = Period {
                value,
                periods: if month { 12 } else { 1 },
                day,
                basis,
                step: step.max(Decimal::ONE),
                steps,
            };
            if let Some(fast) = p.in_integers() {
                prop_assert_eq!(Some(fast), p.in_exact());
            }
        }
    }
}
