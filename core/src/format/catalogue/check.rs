//! Every check of a catalogue: its errors (every problem at its path), or its warnings.

use std::collections::HashSet;

use rust_decimal::Decimal;

use super::rounding::{off_step, period_mismatches, Room};
use super::{Place, Root};
use crate::error::ErrorCode;
use crate::error::{Errors, Warning, WarningCode};
use crate::sheet::TariffSheet;
use crate::tariff::validate::{Check, YEARS};
use crate::tariff::ServiceIndex;

/// Every check of a catalogue: its errors, or its warnings.
pub(super) fn check(sheet: &TariffSheet, place: Place) -> Result<Vec<Warning>, Errors> {
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
    if let Some(r) = &sheet.derived_rounding {
        c.rounding(
            r,
            place.at("catalogue.derived_rounding", "derived_rounding"),
        );
    }
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
    if !sheet.part_time.is_empty() && sheet.offer.kind == crate::offer::PlaceKind::Residential {
        let (en, da) = crate::tariff::derived::PART_TIME_RESIDENTIAL;
        mismatches.push(Warning::new(
            WarningCode::PartTimeResidential,
            format!("{p}.part_time"),
            en,
            da,
        ));
    }
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
        // A derived rounding the sheet gives (to 5 kr, or always up) may put the tariff a
        // whole step of its own from the share.
        let derived_step = sheet
            .derived_rounding
            .and_then(|r| r.increment.checked_mul(Decimal::ONE_HUNDRED))
            .unwrap_or(Decimal::ZERO);
        let limit = sheet
            .rounding
            .increment
            .max(Decimal::ONE)
            .checked_mul(Decimal::from(50))
            .map(|half| half.max(derived_step))
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
