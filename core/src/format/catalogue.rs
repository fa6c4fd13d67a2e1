//! Reading a tariff catalogue: a tariff sheet given rather than computed (a provider's
//! published sheet, or national packages whose tariffs KKR sets).
//!
//! Every field is checked as strictly as an offer's (nothing negative, every reference
//! known, every count in range, a package's basis and part adding up to its tariff), and
//! every figure is recorded in the explanation as an input with the catalogue's source.

use std::collections::HashSet;

use rust_decimal::Decimal;

use crate::error::ErrorCode;
use crate::error::{Errors, Warning, WarningCode};
use crate::explain::{Desc, Explanation, Names, Origin, Subj, Unit};
use crate::sheet::{AddOnUnit, TariffSheet};
use crate::tariff::validate::{Check, YEARS};
use crate::tariff::ServiceIndex;

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
    "average.day",
    "Gennemsnitstakst, pr. {w}",
    Unit::KrPerDay,
    "catalogue.average.day",
);
const AVERAGE_MONTH: Desc = input(
    "average.month",
    "Gennemsnitstakst, pr. måned",
    Unit::KrPerMonth,
    "catalogue.average.month",
);
const AVERAGE_YEAR: Desc = input(
    "average.year",
    "Gennemsnitstakst, pr. år",
    Unit::KrPerYear,
    "catalogue.average.year",
);
const SERVICE_DAY: Desc = input(
    "service.{s}.day",
    "{S}, pr. {w}",
    Unit::KrPerDay,
    "catalogue.services[{a}].tariff.day",
);
const SERVICE_MONTH: Desc = input(
    "service.{s}.month",
    "{S}, pr. måned",
    Unit::KrPerMonth,
    "catalogue.services[{a}].tariff.month",
);
const SERVICE_YEAR: Desc = input(
    "service.{s}.year",
    "{S}, pr. år",
    Unit::KrPerYear,
    "catalogue.services[{a}].tariff.year",
);
const BASIS: Desc = input(
    "package_scheme.basis",
    "Basistakst pr. {w}",
    Unit::KrPerDay,
    "catalogue.package_scheme.basis",
);
const INTERVAL: Desc = input(
    "package_scheme.interval",
    "Interval: pris pr. {w} for timerne mellem to pakker",
    Unit::KrPerDay,
    "catalogue.package_scheme.interval",
);
const BAND: Desc = input(
    "package_scheme.band_hours_per_week",
    "Timer pr. uge mellem to pakker",
    Unit::HoursPerWeek,
    "catalogue.package_scheme.band_hours_per_week",
);
const PART_TIME: Desc = input(
    "part_time.{p}.{t}",
    "Deltidstakst {p} dage om ugen, {T}",
    Unit::KrPerDay,
    "catalogue.part_time[{a}].day",
);
const ADD_ON_HOUR: Desc = input(
    "add_on.{o}.price",
    "{O}, pr. time",
    Unit::KrPerHour,
    "catalogue.add_ons[{a}].price",
);
const ADD_ON_KM: Desc = input(
    "add_on.{o}.price",
    "{O}, pr. km",
    Unit::KrPerKm,
    "catalogue.add_ons[{a}].price",
);
const ADD_ON_DAY: Desc = input(
    "add_on.{o}.price",
    "{O}, pr. kalenderdag",
    Unit::KrPerDay,
    "catalogue.add_ons[{a}].price",
);

/// Checks a catalogue and records its figures as inputs.
pub(crate) fn read(
    sheet: &TariffSheet,
    mut ex: Explanation,
) -> Result<(Explanation, Vec<Warning>), Errors> {
    let mut c = Check(Vec::new());
    let mut warnings = Vec::new();
    let p = "catalogue";
    if sheet.version != 1 {
        c.fail(
            ErrorCode::UnsupportedVersion,
            format!("{p}.version"),
            format!("tariff sheet version {} is not supported", sheet.version),
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
        );
    }
    c.rounding(&sheet.rounding, "catalogue.rounding");
    if !(1..=366).contains(&sheet.day_basis) {
        c.fail(
            ErrorCode::OutOfRange,
            format!("{p}.day_basis"),
            format!("the day basis must be 1–366 days, got {}", sheet.day_basis),
        );
    }
    let mut tariff = |c: &mut Check, value: Decimal, path: String| {
        c.non_negative(value, &path, "a tariff");
        if value.is_zero() {
            warnings.push(Warning::new(
                WarningCode::ZeroTariff,
                path,
                "the tariff is 0",
            ));
        }
    };
    if let Some(avg) = &sheet.average {
        tariff(&mut c, avg.day, format!("{p}.average.day"));
        if let Some(m) = avg.month {
            tariff(&mut c, m, format!("{p}.average.month"));
        }
        if let Some(y) = avg.year {
            tariff(&mut c, y, format!("{p}.average.year"));
        }
    }
    c.unique(&sheet.services, |s| &s.id, "catalogue.services");
    for (i, s) in sheet.services.iter().enumerate() {
        let path = format!("{p}.services[{i}]");
        if s.id == "average" {
            c.fail(
                ErrorCode::InvalidValue,
                format!("{path}.id"),
                "the id \"average\" is reserved for the offer's average tariff",
            );
        }
        tariff(&mut c, s.tariff.day, format!("{path}.tariff.day"));
        if let Some(m) = s.tariff.month {
            tariff(&mut c, m, format!("{path}.tariff.month"));
        }
        if let Some(y) = s.tariff.year {
            tariff(&mut c, y, format!("{path}.tariff.year"));
        }
        for (value, field) in [
            (s.basis, "basis"),
            (s.package_part, "package_part"),
            (s.hours_per_week, "hours_per_week"),
            (s.hours_to_per_week, "hours_to_per_week"),
        ] {
            if let Some(v) = value {
                c.non_negative(v, format!("{path}.{field}"), field);
            }
        }
        if let Some(share) = s.share_pct {
            c.percent(share, format!("{path}.share_pct"), "the share of days");
        }
        if s.package == Some(0) {
            c.fail(
                ErrorCode::OutOfRange,
                format!("{path}.package"),
                "packages are numbered from 1",
            );
        }
        if let (Some(b), Some(part)) = (s.basis, s.package_part) {
            if b.checked_add(part) != Some(s.tariff.day) {
                c.fail(
                    ErrorCode::Conflict,
                    format!("{path}.tariff.day"),
                    format!(
                        "basis {b} + package part {part} must equal the day tariff {}",
                        s.tariff.day
                    ),
                );
            }
        }
    }
    if let Some(ps) = &sheet.package_scheme {
        let path = format!("{p}.package_scheme");
        c.non_negative(ps.basis, format!("{path}.basis"), "the basis tariff");
        c.non_negative(ps.interval, format!("{path}.interval"), "the interval");
        c.positive(
            ps.band_hours_per_week,
            format!("{path}.band_hours_per_week"),
            "the band width",
        );
    }
    let index = ServiceIndex::new(&sheet.services, |s| &s.id);
    let mut rows = HashSet::new();
    for (k, pt) in sheet.part_time.iter().enumerate() {
        let path = format!("{p}.part_time[{k}]");
        if pt.of != "average" && index.get(&pt.of).is_none() {
            c.fail(
                ErrorCode::UnknownReference,
                format!("{path}.of"),
                format!("there is no service {:?} in the catalogue", pt.of),
            );
        }
        if !(1..=7).contains(&pt.days_per_week) {
            c.fail(
                ErrorCode::OutOfRange,
                format!("{path}.days_per_week"),
                format!("days per week must be 1–7, got {}", pt.days_per_week),
            );
        }
        if !rows.insert((pt.of.as_str(), pt.days_per_week)) {
            c.fail(
                ErrorCode::DuplicateId,
                format!("{path}.days_per_week"),
                "the same service and days per week are given twice",
            );
        }
        c.non_negative(pt.pct, format!("{path}.pct"), "the percentage");
        tariff(&mut c, pt.day, format!("{path}.day"));
    }
    c.unique(&sheet.add_ons, |a| &a.id, "catalogue.add_ons");
    for (k, a) in sheet.add_ons.iter().enumerate() {
        tariff(&mut c, a.price, format!("{p}.add_ons[{k}].price"));
    }
    if let Some(e) = Errors::from_vec(c.0) {
        return Err(e);
    }

    // Every figure as an input with the catalogue's source.
    let cat = Origin::Catalogue;
    if let Some(avg) = &sheet.average {
        ex.input_from(&AVERAGE_DAY, Subj::NONE, avg.day.into(), cat)?;
        if let Some(m) = avg.month {
            ex.input_from(&AVERAGE_MONTH, Subj::NONE, m.into(), cat)?;
        }
        if let Some(y) = avg.year {
            ex.input_from(&AVERAGE_YEAR, Subj::NONE, y.into(), cat)?;
        }
    }
    for (i, s) in sheet.services.iter().enumerate() {
        let subj = Subj::one(i);
        ex.input_from(&SERVICE_DAY, subj, s.tariff.day.into(), cat)?;
        if let Some(m) = s.tariff.month {
            ex.input_from(&SERVICE_MONTH, subj, m.into(), cat)?;
        }
        if let Some(y) = s.tariff.year {
            ex.input_from(&SERVICE_YEAR, subj, y.into(), cat)?;
        }
    }
    if let Some(ps) = &sheet.package_scheme {
        ex.input_from(&BASIS, Subj::NONE, ps.basis.into(), cat)?;
        ex.input_from(&INTERVAL, Subj::NONE, ps.interval.into(), cat)?;
        ex.input_from(&BAND, Subj::NONE, ps.band_hours_per_week.into(), cat)?;
    }
    for (k, pt) in sheet.part_time.iter().enumerate() {
        let b = index
            .get(&pt.of)
            .map_or(crate::explain::AVERAGE_TARGET, |j| j as u32);
        ex.input_from(&PART_TIME, Subj::two(k, b), pt.day.into(), cat)?;
    }
    for (k, a) in sheet.add_ons.iter().enumerate() {
        let d = match a.unit {
            AddOnUnit::Hour => &ADD_ON_HOUR,
            AddOnUnit::Km => &ADD_ON_KM,
            AddOnUnit::Day => &ADD_ON_DAY,
        };
        ex.input_from(d, Subj::one(k), a.price.into(), cat)?;
    }
    ex.set_names(|| Names {
        day_word: sheet.offer.kind.day_word_da(),
        services: sheet
            .services
            .iter()
            .map(|s| (s.id.clone(), s.name.clone()))
            .collect(),
        costs: Vec::new(),
        add_ons: sheet
            .add_ons
            .iter()
            .map(|a| (a.id.clone(), a.name.clone()))
            .collect(),
        part_time: sheet.part_time.iter().map(|p| p.days_per_week).collect(),
        catalogue: Some(
            sheet
                .source
                .clone()
                .unwrap_or_else(|| "givet takstkatalog".into()),
        ),
    });
    Ok((ex, warnings))
}
