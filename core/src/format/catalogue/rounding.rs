//! The warnings of a sheet's tariffs against its rounding: a month or year tariff further
//! from the day tariff × the day basis than the roundings allow, and a tariff that is not a
//! whole number of the rounding increment.

use rust_decimal::Decimal;

use crate::error::{Warning, WarningCode};
use crate::rounding::RoundMode;
use crate::sheet::TariffSheet;

/// Warns of a month or year tariff further from the day tariff × the day basis (÷ 12 for a
/// month) than the roundings of the two allow: a published day tariff is its exact value
/// rounded, within half a step, and the month and year tariffs are the exact day tariff ×
/// day basis (÷ 12) rounded once, within half a step more. So, in twelfths so that nothing
/// is divided, |12 × month − day × basis| ≤ step × (basis + 12) ÷ 2 and |year − day ×
/// basis| ≤ step × (basis + 1) ÷ 2, the step the sheet's rounding increment or 1 krone,
/// whichever is larger (as for the part-time rows). A month tariff further off is a
/// typing error in one of the two, and the month tariff is what a full month bills.
pub(super) fn period_mismatches(
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
pub(super) fn off_step(
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
pub(super) struct Room {
    step: Decimal,
    steps: i64,
}

impl Room {
    pub(super) fn of(sheet: &TariffSheet) -> Room {
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
pub(super) struct Period {
    pub(super) value: Decimal,
    pub(super) periods: i64,
    pub(super) day: Decimal,
    pub(super) basis: i64,
    pub(super) step: Decimal,
    pub(super) steps: i64,
}

impl Period {
    /// In 64-bit integers of the figures' common scale (a sheet's tariffs have two decimals
    /// at most, so this is a few multiplications, once per sheet a `Pricer` or a request
    /// reads), else in exact arithmetic (which the courses already use: decimal
    /// multiplication is more code in the browser module); `None` only beyond both.
    pub(super) fn beyond_rounding(&self) -> Option<bool> {
        self.in_integers().or_else(|| self.in_exact())
    }

    pub(super) fn in_integers(&self) -> Option<bool> {
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

    pub(super) fn in_exact(&self) -> Option<bool> {
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
