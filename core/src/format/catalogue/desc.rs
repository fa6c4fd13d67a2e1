//! What each figure of a catalogue is: the descriptions of its inputs.

use crate::explain::{Desc, Unit};

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
pub(super) const AVERAGE_DAY: Desc = input(
    "{bk}average.day",
    "Gennemsnitstakst, pr. {bw}",
    Unit::KrPerDay,
    "{br}.average.day",
);
pub(super) const AVERAGE_MONTH: Desc = input(
    "{bk}average.month",
    "Gennemsnitstakst, pr. måned",
    Unit::KrPerMonth,
    "{br}.average.month",
);
pub(super) const AVERAGE_YEAR: Desc = input(
    "{bk}average.year",
    "Gennemsnitstakst, pr. år",
    Unit::KrPerYear,
    "{br}.average.year",
);
pub(super) const SERVICE_DAY: Desc = input(
    "{sk}service.{s}.day",
    "{S}, pr. {sw}",
    Unit::KrPerDay,
    "{sr}.services[{si}].tariff.day",
);
pub(super) const SERVICE_MONTH: Desc = input(
    "{sk}service.{s}.month",
    "{S}, pr. måned",
    Unit::KrPerMonth,
    "{sr}.services[{si}].tariff.month",
);
pub(super) const SERVICE_YEAR: Desc = input(
    "{sk}service.{s}.year",
    "{S}, pr. år",
    Unit::KrPerYear,
    "{sr}.services[{si}].tariff.year",
);
pub(super) const BASIS: Desc = input(
    "{bk}package_scheme.basis",
    "Basistakst pr. {bw}",
    Unit::KrPerDay,
    "{br}.package_scheme.basis",
);
pub(super) const INTERVAL: Desc = input(
    "{bk}package_scheme.interval",
    "Interval: pris pr. {bw} for timerne mellem to pakker",
    Unit::KrPerDay,
    "{br}.package_scheme.interval",
);
pub(super) const BAND: Desc = input(
    "{bk}package_scheme.band_hours_per_week",
    "Timer pr. uge mellem to pakker",
    Unit::HoursPerWeek,
    "{br}.package_scheme.band_hours_per_week",
);
pub(super) const PART_TIME: Desc = input(
    "{pk}part_time.{p}.{pt}",
    "Deltidstakst {p} dage om ugen, {pT}",
    Unit::KrPerDay,
    "{pr}.part_time[{pi}].day",
);
pub(super) const ADD_ON_HOUR: Desc = input(
    "{ok}add_on.{o}.price",
    "{O}, pr. time",
    Unit::KrPerHour,
    "{or}.add_ons[{oi}].price",
);
pub(super) const ADD_ON_KM: Desc = input(
    "{ok}add_on.{o}.price",
    "{O}, pr. km",
    Unit::KrPerKm,
    "{or}.add_ons[{oi}].price",
);
pub(super) const ADD_ON_DAY: Desc = input(
    "{ok}add_on.{o}.price",
    "{O}, pr. kalenderdag",
    Unit::KrPerDay,
    "{or}.add_ons[{oi}].price",
);
