//! Structural checks of an offer before anything is computed. Every problem is reported,
//! each with its field path; nothing is clamped or dropped.

use std::collections::HashSet;

use rust_decimal::Decimal;

use crate::danish::{capitalize, number as da};
use crate::error::{Error, ErrorCode, Errors};
use crate::offer::{AddOnPrice, Capacity, Category, CostLine, DayBasis, Occupancy, Offer};
use crate::rounding::Rounding;

use super::derived::AVERAGE;
use super::{service_id, ServiceIndex};

pub(crate) struct Check(pub(crate) Vec<Error>);

/// A field path, rendered only when a check fails.
pub(crate) trait AtPath {
    fn render(self) -> String;
}

impl AtPath for &str {
    fn render(self) -> String {
        self.to_string()
    }
}

impl AtPath for &String {
    fn render(self) -> String {
        self.clone()
    }
}

impl AtPath for String {
    fn render(self) -> String {
        self
    }
}

/// A path built by a closure, only when a check fails.
impl<F: FnOnce() -> String> AtPath for F {
    fn render(self) -> String {
        self()
    }
}

/// `list[i]field`, e.g. `At("offer.costs", 2, ".amount")` → `offer.costs[2].amount`.
#[derive(Clone, Copy)]
pub(crate) struct At<'a>(pub &'a str, pub usize, pub &'a str);

impl AtPath for At<'_> {
    fn render(self) -> String {
        format!("{}[{}]{}", self.0, self.1, self.2)
    }
}

/// What a checked value is, in English and in Danish: `("the number of places", "antallet
/// af pladser")`. The Danish text starts in lower case; a message capitalises it.
pub(crate) type What<'a> = (&'a str, &'a str);

impl Check {
    pub(crate) fn fail(
        &mut self,
        code: ErrorCode,
        path: impl AtPath,
        message: impl Into<String>,
        message_da: impl Into<String>,
    ) {
        self.0
            .push(Error::new(code, path.render(), message, message_da));
    }
    pub(crate) fn positive(&mut self, value: Decimal, path: impl AtPath, what: What<'_>) {
        if !is_positive(value) {
            self.fail(
                ErrorCode::NotPositive,
                path,
                format!("{} must be greater than 0, got {value}", what.0),
                format!(
                    "{} skal være større end 0, men er {}.",
                    capitalize(what.1),
                    da(value)
                ),
            );
        }
    }
    /// The check inline (a cost line's, an add-on's: every offer checks a score of
    /// amounts), the message out of line.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    pub(crate) fn non_negative(&mut self, value: Decimal, path: impl AtPath, what: What<'_>) {
        if is_negative(value) {
            self.negative(value, path, what);
        }
    }
    #[cold]
    #[inline(never)]
    fn negative(&mut self, value: Decimal, path: impl AtPath, what: What<'_>) {
        self.fail(
            ErrorCode::Negative,
            path,
            format!("{} must not be negative, got {value}", what.0),
            format!(
                "{} må ikke være under 0, men er {}.",
                capitalize(what.1),
                da(value)
            ),
        );
    }
    /// 0–100 per cent.
    pub(crate) fn percent(&mut self, value: Decimal, path: impl AtPath, what: What<'_>) {
        if is_negative(value) || above_hundred(value) {
            self.fail(
                ErrorCode::OutOfRange,
                path,
                format!("{} must be from 0 to 100 %, got {value}", what.0),
                format!(
                    "{} skal være mellem 0 og 100 %, men er {} %.",
                    capitalize(what.1),
                    da(value)
                ),
            );
        }
    }
    pub(crate) fn rounding(&mut self, r: &Rounding, path: impl AtPath) {
        if !is_positive(r.increment) {
            self.positive(
                r.increment,
                format!("{}.increment", path.render()),
                ("the rounding increment", "afrundingstrinnet"),
            );
        }
    }
    pub(crate) fn unique<T>(&mut self, items: &[T], id: fn(&T) -> &str, list: impl AtPath + Copy) {
        self.unique_field(items, id, list, ".id");
    }
    /// Each package number (`package` of an item of `list`) once: a package is priced by its
    /// number, and two items of one number would leave a course to pick one. Sorted by
    /// number (a list may be long), each after the first is reported at its `package`.
    pub(crate) fn packages_once(
        &mut self,
        packages: impl Iterator<Item = Option<u32>>,
        list: impl AtPath + Copy,
    ) {
        // By number, and by place among equal numbers.
        let numbered: Vec<(u32, usize)> = packages
            .enumerate()
            .filter_map(|(i, n)| n.filter(|n| *n > 0).map(|n| (n, i)))
            .collect();
        let numbered = crate::order::sorted_by_key(&numbered, |n| n.0);
        for w in numbered.windows(2) {
            if let [(n, first), (other, i)] = *w {
                if n == other {
                    let list = list.render();
                    self.fail(
                        ErrorCode::DuplicateId,
                        At(&list, i, ".package"),
                        format!(
                            "package {n} is also {list}[{first}]: a package number is listed once"
                        ),
                        format!(
                            "Pakke {n} er også {list}[{first}]: et pakkenummer angives én gang."
                        ),
                    );
                }
            }
        }
    }
    /// Like [`Check::unique`] for an identifying field other than `id`.
    pub(crate) fn unique_field<T>(
        &mut self,
        items: &[T],
        id: fn(&T) -> &str,
        list: impl AtPath + Copy,
        field: &str,
    ) {
        let mut report = |i: usize, id: &str| {
            self.fail(
                ErrorCode::DuplicateId,
                At(&list.render(), i, field),
                format!("the id {id:?} is used twice"),
                format!("Id'et {id:?} er brugt to gange."),
            );
        };
        if items.len() <= 16 {
            for (k, item) in items.iter().enumerate() {
                if items[..k].iter().any(|other| id(other) == id(item)) {
                    report(k, id(item));
                }
            }
        } else {
            let mut seen = HashSet::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                if !seen.insert(id(item)) {
                    report(i, id(item));
                }
            }
        }
    }
}

/// `value < 0`, read off the sign rather than compared: `Decimal`'s comparison is a call
/// (some 40 instructions), and an offer checks a score of values (−0 is not negative
/// either way).
#[cfg_attr(not(target_arch = "wasm32"), inline(always))]
fn is_negative(value: Decimal) -> bool {
    value.is_sign_negative() && !value.is_zero()
}

/// `value > 0`, read off the sign and the mantissa.
#[cfg_attr(not(target_arch = "wasm32"), inline(always))]
fn is_positive(value: Decimal) -> bool {
    !value.is_sign_negative() && !value.is_zero()
}

/// `value > 100`: a mantissa above 10^(scale + 2) (a scale is at most 28, so the power
/// fits 128 bits).
#[cfg_attr(not(target_arch = "wasm32"), inline(always))]
fn above_hundred(value: Decimal) -> bool {
    !value.is_sign_negative()
        && crate::exact::pow10(value.scale() + 2).is_some_and(|p| value.mantissa() > p)
}

/// The years takst accepts (tariff years, course dates).
pub(crate) const YEARS: std::ops::RangeInclusive<i32> = 1900..=2200;

pub(crate) fn offer(o: &Offer) -> Result<(), Errors> {
    let mut c = Check(Vec::new());

    if !YEARS.contains(&o.year) {
        c.fail(
            ErrorCode::OutOfRange,
            "offer.year",
            format!("the year must be from 1900 to 2200, got {}", o.year),
            format!("Budgetåret skal være fra 1900 til 2200, men er {}.", o.year),
        );
    }

    match o.capacity {
        Capacity::Places(p) => c.positive(
            p,
            "offer.capacity.places",
            ("the number of places", "antallet af pladser"),
        ),
        Capacity::TreatmentCitizens(n) => c.positive(
            n,
            "offer.capacity.treatment_citizens",
            (
                "the number of treatment citizens",
                "antallet af borgere i behandling",
            ),
        ),
    }
    if let Some(DayBasis::Days(d)) = o.day_basis {
        if !(1..=366).contains(&d) {
            c.fail(
                ErrorCode::OutOfRange,
                "offer.day_basis",
                format!("the day basis must be 1–366 days, got {d}"),
                format!("Dagbasis skal være 1–366 dage, men er {d}."),
            );
        }
    }
    match &o.occupancy {
        Occupancy::BudgetedPct(p) => c.positive(
            *p,
            "offer.occupancy.budgeted_pct",
            ("occupancy", "belægningsprocenten"),
        ),
        Occupancy::PreviousYearsPct(years) => {
            if years.is_empty() {
                c.fail(
                    ErrorCode::MissingValue,
                    "offer.occupancy.previous_years_pct",
                    "give the actual occupancy of at least one previous year",
                    "Angiv den faktiske belægning for mindst ét tidligere år.",
                );
            }
            for (i, y) in years.iter().enumerate() {
                c.non_negative(
                    *y,
                    At("offer.occupancy.previous_years_pct", i, ""),
                    ("occupancy", "belægningsprocenten"),
                );
            }
            if !years.is_empty() && years.iter().all(|y| y.is_zero()) {
                c.fail(
                    ErrorCode::NotPositive,
                    "offer.occupancy.previous_years_pct",
                    "the mean occupancy is 0: no tariff can be computed",
                    "Den gennemsnitlige belægning er 0, så der kan ikke beregnes en takst.",
                );
            }
        }
    }

    if o.costs.is_empty() {
        c.fail(
            ErrorCode::MissingValue,
            "offer.costs",
            "the cost base has no lines",
            "Omkostningsgrundlaget har ingen linjer.",
        );
    }
    for (i, line) in o.costs.iter().enumerate() {
        if passes_at_once(line) {
            continue;
        }
        cost_line(&mut c, i, line);
    }

    c.unique(&o.services, service_id, "offer.services");
    c.packages_once(o.services.iter().map(|s| s.package), "offer.services");
    let index = ServiceIndex::new(&o.services, service_id);
    for (i, s) in o.services.iter().enumerate() {
        let at = |field| At("offer.services", i, field);
        if s.id == AVERAGE {
            c.fail(
                ErrorCode::InvalidValue,
                at(".id"),
                "the id \"average\" is reserved for the offer's average tariff",
                "Id'et \"average\" er forbeholdt tilbuddets gennemsnitstakst.",
            );
        }
        c.percent(
            s.share_pct,
            at(".share_pct"),
            ("the share of days", "andelen af dage"),
        );
        let ways = [
            s.hours_per_week.is_some(),
            s.package.is_some(),
            s.pct_of.is_some(),
        ];
        match ways.iter().filter(|w| **w).count() {
            0 => c.fail(
                ErrorCode::MissingValue,
                at(""),
                "give one of hours_per_week, package or pct_of",
                "Angiv ét af felterne `hours_per_week`, `package` eller `pct_of`.",
            ),
            1 => {}
            _ => c.fail(
                ErrorCode::Conflict,
                at(""),
                "give only one of hours_per_week, package or pct_of",
                "Angiv kun ét af felterne `hours_per_week`, `package` eller `pct_of`.",
            ),
        }
        if let Some(h) = s.hours_per_week {
            c.non_negative(h, at(".hours_per_week"), ("support hours", "støttetimerne"));
        }
        if let Some(n) = s.package {
            if n == 0 {
                c.fail(
                    ErrorCode::OutOfRange,
                    at(".package"),
                    "packages are numbered from 1",
                    "Pakkerne nummereres fra 1.",
                );
            }
            if o.package_scheme.is_none() {
                c.fail(
                    ErrorCode::MissingValue,
                    "offer.package_scheme",
                    format!(
                        "service {:?} is a package, so the offer needs a package_scheme",
                        s.id
                    ),
                    format!(
                        "Ydelsen {:?} er en pakke, så tilbuddet skal have en `package_scheme`.",
                        s.id
                    ),
                );
            }
        }
        if let Some(p) = &s.pct_of {
            c.non_negative(
                p.pct,
                at(".pct_of.pct"),
                ("the percentage", "procentsatsen"),
            );
            let target = index.get(&p.service).map(|j| &o.services[j]);
            let priced_directly = target.is_some_and(|t| t.pct_of.is_none());
            if p.service != AVERAGE && !priced_directly {
                c.fail(
                    ErrorCode::UnknownReference,
                    at(".pct_of.service"),
                    format!(
                        "{:?} is not \"average\" or a service priced by hours or package",
                        p.service
                    ),
                    format!(
                        "{:?} er hverken \"average\" eller en ydelse, der prissættes efter \
                         timer eller pakke.",
                        p.service
                    ),
                );
            }
        }
    }
    if let Some(scheme) = &o.package_scheme {
        c.positive(
            scheme.band_hours_per_week,
            "offer.package_scheme.band_hours_per_week",
            ("the band width", "intervalbredden"),
        );
    }

    let mut days = HashSet::new();
    for (i, pt) in o.part_time.iter().enumerate() {
        let at = |field| At("offer.part_time", i, field);
        if !(1..=7).contains(&pt.days_per_week) {
            c.fail(
                ErrorCode::OutOfRange,
                at(".days_per_week"),
                "days per week must be 1–7",
                "Dage pr. uge skal være 1–7.",
            );
        }
        if !days.insert(pt.days_per_week) {
            c.fail(
                ErrorCode::DuplicateId,
                at(".days_per_week"),
                "the same days per week are given twice",
                "Det samme antal dage pr. uge er angivet to gange.",
            );
        }
        c.non_negative(pt.pct, at(".pct"), ("the percentage", "procentsatsen"));
    }

    c.unique(&o.add_ons, |a| &a.id, "offer.add_ons");
    for (i, a) in o.add_ons.iter().enumerate() {
        let at = |field| At("offer.add_ons", i, field);
        match &a.price {
            AddOnPrice::PerHour(p) => {
                c.non_negative(*p, at(".price.per_hour"), ("the price", "prisen"));
            }
            AddOnPrice::PerKm(p) => {
                c.non_negative(*p, at(".price.per_km"), ("the price", "prisen"))
            }
            AddOnPrice::DayFraction(f) => {
                if f.denominator == 0 {
                    c.fail(
                        ErrorCode::NotPositive,
                        at(".price.day_fraction.denominator"),
                        "the denominator must be greater than 0",
                        "Nævneren skal være større end 0.",
                    );
                }
                if f.of != AVERAGE && index.get(&f.of).is_none() {
                    c.fail(
                        ErrorCode::UnknownReference,
                        at(".price.day_fraction.of"),
                        format!("there is no service {:?}", f.of),
                        format!("Der findes ingen ydelse {:?}.", f.of),
                    );
                }
            }
        }
    }

    let s = &o.settings;
    c.rounding(&s.published_rounding, "offer.settings.published_rounding");
    c.rounding(&s.derived_rounding, "offer.settings.derived_rounding");
    if let Some(band) = &s.occupancy_band_pct {
        c.non_negative(
            band.min,
            "offer.settings.occupancy_band_pct.min",
            ("the band", "båndets nedre grænse"),
        );
        if band.min > band.max {
            c.fail(
                ErrorCode::OutOfRange,
                "offer.settings.occupancy_band_pct",
                "min is above max",
                "Båndets `min` er større end `max`.",
            );
        }
    }
    c.non_negative(
        s.overhead_cap_pct,
        "offer.settings.overhead_cap_pct",
        ("the overhead cap", "loftet over overhead"),
    );
    c.percent(
        s.residue_warning_pct,
        "offer.settings.residue_warning_pct",
        ("the residue threshold", "grænsen for afrundingsdifferencen"),
    );
    c.positive(
        s.max_occupancy_pct,
        "offer.settings.max_occupancy_pct",
        ("the highest occupancy", "den højeste belægningsprocent"),
    );

    Errors::from_vec(c.0).map_or(Ok(()), Err)
}

/// A cost line that every check of [`cost_line`] passes, told at once: an amount that is
/// not negative, without `pct` or `pct_base` (every line of a real cost base but its
/// overhead). There `cost_line` checks only that the amount is not negative (of a line
/// other than regulation), so it reports nothing. Its match, its paths and texts are
/// skipped (callgrind `bench profile offer`: 20,565 → 20,167 instructions an offer).
#[cfg_attr(not(target_arch = "wasm32"), inline(always))]
fn passes_at_once(line: &CostLine) -> bool {
    matches!(
        (&line.amount, &line.pct, &line.pct_base),
        (Some(a), None, None) if !is_negative(*a)
    )
}

/// The checks of cost line `i`.
fn cost_line(c: &mut Check, i: usize, line: &CostLine) {
    let at = |field| At("offer.costs", i, field);
    match (line.amount, line.pct) {
        (Some(_), Some(_)) => c.fail(
            ErrorCode::Conflict,
            at(""),
            "give either amount or pct, not both",
            "Angiv enten `amount` eller `pct`, ikke begge.",
        ),
        (None, None) => c.fail(
            ErrorCode::MissingValue,
            at(".amount"),
            "the line has no amount",
            "Linjen har intet beløb.",
        ),
        (Some(a), None) => {
            if line.category != Category::Regulation {
                let what = if line.category.is_income() {
                    (
                        "the amount of an income line (it is entered positive and \
                         subtracted)",
                        "beløbet på en indtægtslinje (det angives positivt og trækkes fra)",
                    )
                } else {
                    (
                        "the amount of a cost line (only regulation lines may be negative)",
                        "beløbet på en omkostningslinje (kun reguleringslinjer må være \
                         negative)",
                    )
                };
                c.non_negative(a, at(".amount"), what);
            }
        }
        (None, Some(p)) => {
            if line.category != Category::Overhead {
                c.fail(
                    ErrorCode::InvalidValue,
                    at(".pct"),
                    "pct is only for overhead lines; give an amount",
                    "`pct` bruges kun på overheadlinjer; angiv et beløb.",
                );
            }
            c.non_negative(
                p,
                at(".pct"),
                ("the overhead percentage", "overheadprocenten"),
            );
        }
    }
    match &line.pct_base {
        Some(_) if line.pct.is_none() => c.fail(
            ErrorCode::InvalidValue,
            at(".pct_base"),
            "pct_base goes with pct",
            "`pct_base` hører sammen med `pct`.",
        ),
        Some(base) if base.is_empty() => c.fail(
            ErrorCode::MissingValue,
            at(".pct_base"),
            "name at least one category",
            "Angiv mindst én kategori.",
        ),
        Some(base) if base.contains(&Category::Overhead) => c.fail(
            ErrorCode::InvalidValue,
            at(".pct_base"),
            "overhead cannot be a percentage of overhead",
            "Overhead kan ikke være en procentdel af overhead.",
        ),
        // Income enters the cost base negative, and a regulation is either sign: a
        // percentage of them would be an overhead below zero, or one that moves with
        // an earlier year's result.
        Some(base) => {
            if let Some(cat) = base
                .iter()
                .find(|c| c.is_income() || **c == Category::Regulation)
            {
                c.fail(
                    ErrorCode::InvalidValue,
                    at(".pct_base"),
                    format!(
                        "overhead is a percentage of costs, and {} is not a cost",
                        cat.name()
                    ),
                    format!(
                        "Overhead er en procentdel af omkostninger, og {} ({}) er ikke \
                         en omkostning.",
                        cat.name(),
                        cat.label_da()
                    ),
                );
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use rust_decimal::Decimal;

    /// A cost line told to pass at once is one that `cost_line` reports nothing of: every
    /// category, an amount of each sign (−0 too) or none, and every kind of `pct` and
    /// `pct_base`.
    #[test]
    fn a_line_passed_at_once_passes_every_check() {
        use crate::offer::{AllocationKey, Category, CostLine};
        let amounts = [
            None,
            Some(Decimal::new(-1, 0)),
            Some(Decimal::from_parts(0, 0, 0, true, 2)),
            Some(Decimal::ZERO),
            Some(Decimal::new(8_420_000, 0)),
        ];
        let pcts = [None, Some(Decimal::new(58, 1)), Some(Decimal::new(-1, 0))];
        let bases = [
            None,
            Some(vec![]),
            Some(vec![Category::Wages]),
            Some(vec![Category::Overhead]),
            Some(vec![Category::OtherIncome]),
        ];
        let mut passed = 0;
        for category in Category::ALL {
            for amount in amounts {
                for pct in pcts {
                    for pct_base in &bases {
                        let line = CostLine {
                            label: "linje".into(),
                            category,
                            amount,
                            pct,
                            pct_base: pct_base.clone(),
                            key: AllocationKey::Days,
                            source: None,
                        };
                        let mut c = super::Check(Vec::new());
                        super::cost_line(&mut c, 3, &line);
                        if super::passes_at_once(&line) {
                            assert!(c.0.is_empty(), "{line:?}: {:?}", c.0);
                            passed += 1;
                        }
                    }
                }
            }
        }
        // Three amounts (−0, 0 and a positive one) in each category.
        assert_eq!(passed, 3 * Category::ALL.len());
    }

    proptest! {
        /// The signs and the comparison with 100 read off a `Decimal`'s parts are its
        /// comparisons with 0 and 100, for every mantissa and scale (−0 too).
        #[test]
        fn the_checks_compare_as_decimal_does(
            lo in any::<u32>(), mid in any::<u32>(), hi in any::<u32>(),
            negative in any::<bool>(), scale in 0u32..=28, small in -20_000i64..20_000,
        ) {
            let values = [
                Decimal::from_parts(lo, mid, hi, negative, scale),
                Decimal::from_parts(lo, 0, 0, negative, scale),
                Decimal::new(small, scale.min(4)),
                Decimal::from_parts(0, 0, 0, negative, scale),
            ];
            for v in values {
                prop_assert_eq!(super::is_negative(v), v < Decimal::ZERO);
                prop_assert_eq!(super::is_positive(v), v > Decimal::ZERO);
                prop_assert_eq!(super::above_hundred(v), v > Decimal::ONE_HUNDRED);
            }
        }
    }
}
