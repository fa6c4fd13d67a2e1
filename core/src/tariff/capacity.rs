//! Capacity: places, day basis, budgeted occupancy and the expected occupied days the cost
//! base is spread over (domain reference §3).
//!
//! ```text
//! expected days = places × day basis × budgeted occupancy ÷ 100
//! ```

use crate::danish::{exact as da_exact, number as da};
use crate::error::{Error, ErrorCode, WarningCode};
use crate::exact::Exact;
use crate::explain::{Desc, Fig, Op, Subj, Unit};
use crate::offer::{Capacity, DayBasis, Occupancy};

use super::Calc;

const PLACES: Desc = Desc {
    key: "offer.places",
    label: "Pladser",
    unit: Unit::Places,
    rule: "",
    source: None,
    path: "offer.capacity.places",
};
const TREATMENT_CITIZENS: Desc = Desc {
    key: "offer.treatment_citizens",
    label: "Forventede behandlede borgere i året",
    unit: Unit::Citizens,
    rule: "",
    source: None,
    path: "offer.capacity.treatment_citizens",
};
const CITIZENS_PER_PLACE: Desc = Desc {
    key: "const.citizens_per_place",
    label: "Borgere pr. behandlingsplads",
    unit: Unit::Citizens,
    rule: "fast værdi",
    source: Some("SEL §§ 101/101a, SUL § 141: pladser = borgere ÷ 10"),
    path: "offer.capacity.treatment_citizens",
};
const PLACES_FROM_CITIZENS: Desc = Desc {
    key: "offer.places",
    label: "Pladser",
    unit: Unit::Places,
    rule: "behandlede borgere ÷ 10",
    source: Some("SEL §§ 101/101a, SUL § 141"),
    path: "offer.capacity.treatment_citizens",
};
const DAY_BASIS_DEFAULT: Desc = Desc {
    key: "offer.day_basis",
    label: "Dagbasis",
    unit: Unit::Days,
    rule: "fast værdi",
    source: Some("konvention: 365 dage om året (standard)"),
    path: "offer.day_basis",
};
const DAY_BASIS: Desc = Desc {
    key: "offer.day_basis",
    label: "Dagbasis",
    unit: Unit::Days,
    rule: "",
    source: None,
    path: "offer.day_basis",
};
const DAY_BASIS_ACTUAL: Desc = Desc {
    key: "offer.day_basis",
    label: "Dagbasis",
    unit: Unit::Days,
    rule: "fast værdi",
    source: Some("de faktiske dage i budgetåret (day_basis = \"actual\")"),
    path: "offer.day_basis",
};
const OCCUPANCY: Desc = Desc {
    key: "offer.occupancy_pct",
    label: "Budgetteret belægningsprocent",
    unit: Unit::Percent,
    rule: "",
    source: None,
    path: "offer.occupancy.budgeted_pct",
};
const OCCUPANCY_PREVIOUS: Desc = Desc {
    key: "offer.occupancy_pct.previous[{a}]",
    label: "Faktisk belægning, tidligere år {a1}",
    unit: Unit::Percent,
    rule: "",
    source: None,
    path: "offer.occupancy.previous_years_pct[{a}]",
};
const OCCUPANCY_MEAN: Desc = Desc {
    key: "offer.occupancy_pct",
    label: "Budgetteret belægningsprocent",
    unit: Unit::Percent,
    rule: "gennemsnit af de foregående års faktiske belægning",
    source: Some("styringsaftale: belægningsprocent"),
    path: "offer.occupancy.previous_years_pct",
};
const OCCUPIED: Desc = Desc {
    key: "offer.occupied_places",
    label: "Forventede belagte pladser",
    unit: Unit::Places,
    rule: "pladser × belægningsprocent ÷ 100",
    source: None,
    path: "offer.capacity",
};
const EXPECTED_DAYS: Desc = Desc {
    key: "offer.expected_days",
    label: "Forventede belægningsdage",
    unit: Unit::Days,
    rule: "pladser × dagbasis × belægningsprocent ÷ 100",
    source: None,
    path: "offer.capacity",
};

/// The capacity figures.
pub(crate) struct Cap {
    pub places: Fig,
    pub day_basis: Fig,
    pub day_basis_days: u32,
    pub occupancy: Fig,
    pub expected_days: Fig,
}

fn days_in_year(year: i32) -> u32 {
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    if leap {
        366
    } else {
        365
    }
}

/// Days a place is billed in the year: the offer's day basis, 365 when not given.
pub(crate) fn day_basis_days(basis: Option<DayBasis>, year: i32) -> u32 {
    match basis {
        None => 365,
        Some(DayBasis::Days(d)) => d,
        Some(DayBasis::Named(_)) => days_in_year(year),
    }
}

pub(crate) fn compute(c: &mut Calc<'_>) -> Result<Cap, Error> {
    let o = c.o;
    let places = match o.capacity {
        Capacity::Places(p) => c.ex.input(&PLACES, Subj::NONE, p.into())?,
        Capacity::TreatmentCitizens(n) => {
            let citizens = c.ex.input(&TREATMENT_CITIZENS, Subj::NONE, n.into())?;
            let ten = c.ex.constant(&CITIZENS_PER_PLACE, Exact::from(10i64))?;
            c.ex.derive(
                &PLACES_FROM_CITIZENS,
                Subj::NONE,
                Op::Quotient,
                &[citizens, ten],
            )?
        }
    };
    let days = day_basis_days(o.day_basis, o.year);
    let day_basis = match o.day_basis {
        None => c.ex.constant(&DAY_BASIS_DEFAULT, days.into())?,
        Some(DayBasis::Days(_)) => c.ex.input(&DAY_BASIS, Subj::NONE, days.into())?,
        Some(DayBasis::Named(_)) => c.ex.constant(&DAY_BASIS_ACTUAL, days.into())?,
    };
    let occupancy = match &o.occupancy {
        Occupancy::BudgetedPct(p) => c.ex.input(&OCCUPANCY, Subj::NONE, (*p).into())?,
        Occupancy::PreviousYearsPct(years) => {
            // The years' figures on the stack when there are at most four (normally two),
            // else on the heap: read where they are by the mean.
            let mut on_stack = [const { Fig::NONE }; 4];
            let mut on_heap = Vec::new();
            let inputs = super::buffer(&mut on_stack, &mut on_heap, years.len(), Fig::NONE);
            for ((i, y), slot) in years.iter().enumerate().zip(inputs.iter_mut()) {
                *slot = c.ex.input(&OCCUPANCY_PREVIOUS, Subj::one(i), (*y).into())?;
            }
            if years.len() != 2 {
                c.warn(
                    WarningCode::OccupancyYears,
                    "offer.occupancy.previous_years_pct",
                    format!(
                        "budgeted occupancy is normally the mean of the two previous years; {} \
                         were given",
                        years.len()
                    ),
                    format!(
                        "Den budgetterede belægning er normalt gennemsnittet af de to \
                         foregående år; her er der angivet {} år.",
                        years.len()
                    ),
                );
            }
            c.ex.derive(&OCCUPANCY_MEAN, Subj::NONE, Op::Mean, inputs)?
        }
    };
    occupancy_band(c, &occupancy.v)?;
    let occupied =
        c.ex.derive_pair(&OCCUPIED, Subj::NONE, Op::PercentOf, &places, &occupancy)?;
    let expected_days = c.ex.derive_pair(
        &EXPECTED_DAYS,
        Subj::NONE,
        Op::Product,
        &occupied,
        &day_basis,
    )?;
    Ok(Cap {
        places,
        day_basis,
        day_basis_days: days,
        occupancy,
        expected_days,
    })
}

/// Occupancy outside the agreed band is a warning; above the highest possible occupancy
/// (100 % unless the settings allow more) it is an error.
fn occupancy_band(c: &mut Calc<'_>, pct: &Exact) -> Result<(), Error> {
    let o = c.o;
    let path = match o.occupancy {
        Occupancy::BudgetedPct(_) => "offer.occupancy.budgeted_pct",
        Occupancy::PreviousYearsPct(_) => "offer.occupancy.previous_years_pct",
    };
    let max = Exact::from(o.settings.max_occupancy_pct);
    if *pct > max {
        return Err(Error::new(
            ErrorCode::OutOfRange,
            path,
            format!(
                "budgeted occupancy {} % is above {} %, more occupied days than the \
                 places have; raise settings.max_occupancy_pct if that is intended",
                pct.short(),
                o.settings.max_occupancy_pct
            ),
            format!(
                "Den budgetterede belægning på {} % er over {} %, dvs. flere belægningsdage, \
                 end pladserne rummer; hæv `settings.max_occupancy_pct`, hvis det er meningen.",
                da_exact(pct),
                da(o.settings.max_occupancy_pct)
            ),
        ));
    }
    let (min, top) = match &o.settings.occupancy_band_pct {
        Some(b) => (b.min, b.max),
        None if o.short_term => (90.into(), 98.into()),
        None => (95.into(), 98.into()),
    };
    if *pct < min {
        let (why, why_da) = if o.short_term {
            (
                "short-term, acute and respite offers must budget at least",
                "korttids-, akut- og aflastningstilbud skal budgettere med mindst",
            )
        } else {
            ("the agreed band starts at", "det aftalte bånd starter ved")
        };
        c.warn(
            WarningCode::OccupancyBelowBand,
            path,
            format!(
                "budgeted occupancy {} % is below the band: {why} {min} %",
                pct.short()
            ),
            format!(
                "Den budgetterede belægning på {} % er under båndet: {why_da} {} %.",
                da_exact(pct),
                da(min)
            ),
        );
    } else if *pct > top {
        c.warn(
            WarningCode::OccupancyAboveBand,
            path,
            format!(
                "budgeted occupancy {} % is above the band's {top} % (styringsaftaler \
                 recommend at most 98 %)",
                pct.short()
            ),
            format!(
                "Den budgetterede belægning på {} % er over båndets {} % \
                 (styringsaftalerne anbefaler højst 98 %).",
                da_exact(pct),
                da(top)
            ),
        );
    }
    Ok(())
}
