//! Reading a tariff catalogue: a tariff sheet given rather than computed (a provider's
//! published sheet, or national packages whose tariffs KKR sets).
//!
//! Every field is checked as strictly as an offer's (nothing negative, every reference
//! known, every count in range, a package's basis and part adding up to its tariff), and
//! every figure is recorded in the explanation as an input with the catalogue's source.
//!
//! # The parts
//!
//! | file | what it does |
//! |---|---|
//! | `mod.rs` | where a catalogue sits in the request ([`Place`]), and reading it: [`read`], [`read_for_pricing`] |
//! | `check.rs` | every check of a catalogue: its errors, or its warnings |
//! | `rounding.rs` | the warnings of tariffs against the sheet's rounding: a month or year tariff far from the day tariff × the day basis, a tariff off the rounding step |
//! | `record.rs` | recording a checked catalogue's figures as inputs |
//! | `desc.rs` | what each figure is: the descriptions of the inputs |
//! | `tests.rs` | the tests |

mod check;
mod desc;
mod record;
mod rounding;

use check::check;
use record::record;

use crate::course::tariffs::Figs;
use crate::error::{Errors, Warning};
use crate::explain::Explanation;
use crate::sheet::TariffSheet;
use crate::tariff::SheetFigs;

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

#[cfg(test)]
mod tests;
