//! The tariff-change notice (varsling af takstændringer): the sheet of year N+1 against the
//! sheet of year N, per tariff, with the change split into its drivers.
//!
//! The change of a published day tariff is split by *sequential substitution*: starting from
//! the offer of year N, one driver at a time is changed to the new year's, the offer is
//! computed again by the same rules, and each driver is the difference of two published
//! tariffs:
//!
//! | step | the offer of year N with … | driver |
//! |---|---|---|
//! | 1 | every cost line but the regulation × the PL factor | `pl_index` |
//! | 2 | the regulation lines of year N+1 (from year N−1) | `regulation` |
//! | 3 | the budgeted occupancy of year N+1 | `occupancy` |
//! | 4 | all cost lines of year N+1 | `cost_base` (the real change in costs beyond PL) |
//! | 5 | the offer of year N+1 (places, day basis, services, settings) | `other` |
//!
//! The differences telescope, so the drivers sum exactly to the change of the published
//! tariff; each is a figure of the explanation whose inputs are the two tariffs it is the
//! difference of. The order of the steps is a convention (another order gives other
//! shares), stated in the response.

use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::course::model::Indexation;
use crate::error::{Error, ErrorCode, Errors, Warning};
use crate::exact::Exact;
use crate::explain::{Desc, Explanation, Fig, Op, Subj, Unit};
use crate::name::Name;
use crate::num;
use crate::offer::{Category, Offer, PlaceKind};
use crate::sheet::TariffSheet;

use super::Explain;

/// The tariff-change notice of the request's offer (year N+1) against the offer of year N.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TariffNotice {
    /// The offer of the year before, as it was budgeted (its cost lines, capacity, occupancy,
    /// services).
    pub previous: Box<Offer>,
    /// The price and wage index from year N to N+1, in per cent. Default: the request's
    /// `index` (the rates of the years after N up to N+1, or its values).
    #[serde(
        default,
        deserialize_with = "num::de_opt",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Option<num::Num>")]
    #[serde(serialize_with = "crate::digits::ser_opt_decimal")]
    pub pl_pct: Option<Decimal>,
}

/// What moved a tariff.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Driver {
    /// Price and wage indexation of the cost lines.
    PlIndex,
    /// The regulation of an earlier year's result (efterregulering) in the cost base.
    Regulation,
    /// The budgeted occupancy.
    Occupancy,
    /// The cost lines beyond indexation (new costs, savings).
    CostBase,
    /// Everything else: places, day basis, services and their hours or shares, settings.
    Other,
}

impl Driver {
    const ALL: [Driver; 5] = [
        Driver::PlIndex,
        Driver::Regulation,
        Driver::Occupancy,
        Driver::CostBase,
        Driver::Other,
    ];

    /// The Danish words.
    pub fn da(self) -> &'static str {
        match self {
            Driver::PlIndex => "PL-fremskrivning",
            Driver::Regulation => "efterregulering",
            Driver::Occupancy => "belægning",
            Driver::CostBase => "omkostninger",
            Driver::Other => "øvrigt",
        }
    }
}

/// One driver's share of a change.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
pub struct DriverAmount {
    /// The driver.
    pub driver: Driver,
    /// Its share of the change of the day tariff (the difference of two published tariffs).
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub amount: Decimal,
}

/// The change of one published tariff.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
pub struct TariffChange {
    /// The service id, or `"average"`.
    pub id: Name,
    /// Its name.
    pub name: Name,
    /// The day tariff of year N.
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub previous: Decimal,
    /// The day tariff of year N+1.
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub new: Decimal,
    /// new − previous.
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub change: Decimal,
    /// The change in per cent of the previous tariff, to two decimals (for reading).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<crate::num::Num>")]
    #[serde(serialize_with = "crate::digits::ser_opt_decimal")]
    pub change_pct: Option<Decimal>,
    /// The month tariffs of year N and N+1, when both are published.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<[crate::num::Num; 2]>")]
    pub month: Option<[Decimal; 2]>,
    /// The change split into its drivers, in the order of the steps; they sum to `change`.
    pub drivers: Vec<DriverAmount>,
}

/// The tariff-change notice.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
pub struct NoticeResult {
    /// The offer.
    pub name: Name,
    /// Year N.
    pub from_year: i32,
    /// Year N+1.
    pub to_year: i32,
    /// The PL factor's rate used for step 1, in per cent.
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub pl_pct: Decimal,
    /// Each tariff published in both years: the average tariff first, then the services.
    pub tariffs: Vec<TariffChange>,
    /// Services published only in year N+1.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub added: Vec<Name>,
    /// Services published only in year N.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub removed: Vec<Name>,
}

const P: &str = "tariff_notice";

const STEP: [Desc; 6] = [
    step_desc(
        "notice.{m}.previous",
        "{mb}: takst år N",
        "det tidligere års tilbud beregnet efter de samme regler",
    ),
    step_desc(
        "notice.{m}.step.pl_index",
        "{mb}: takst med PL-fremskrevne omkostninger",
        "år N's tilbud, alle omkostningslinjer undtagen efterregulering × PL-faktoren",
    ),
    step_desc(
        "notice.{m}.step.regulation",
        "{mb}: takst med det nye års efterregulering",
        "som forrige trin, med efterreguleringslinjerne fra år N+1",
    ),
    step_desc(
        "notice.{m}.step.occupancy",
        "{mb}: takst med det nye års belægning",
        "som forrige trin, med den budgetterede belægning fra år N+1",
    ),
    step_desc(
        "notice.{m}.step.cost_base",
        "{mb}: takst med det nye års omkostninger",
        "som forrige trin, med alle omkostningslinjer fra år N+1",
    ),
    step_desc(
        "notice.{m}.new",
        "{mb}: takst år N+1",
        "det nye års tilbud (pladser, dagbasis, ydelser og indstillinger)",
    ),
];

const fn step_desc(key: &'static str, label: &'static str, rule: &'static str) -> Desc {
    Desc {
        key,
        label,
        unit: Unit::KrPerDay,
        rule,
        source: Some("varsling af takstændringer: beregnet af takst"),
        path: "tariff_notice",
    }
}

const DRIVER: [Desc; 5] = [
    driver_desc("notice.{m}.pl_index", "{mb}: PL-fremskrivning"),
    driver_desc("notice.{m}.regulation", "{mb}: efterregulering"),
    driver_desc("notice.{m}.occupancy", "{mb}: belægning"),
    driver_desc("notice.{m}.cost_base", "{mb}: omkostninger ud over PL"),
    driver_desc(
        "notice.{m}.other",
        "{mb}: øvrigt (pladser, ydelser, afrunding)",
    ),
];

const fn driver_desc(key: &'static str, label: &'static str) -> Desc {
    Desc {
        key,
        label,
        unit: Unit::KrPerDay,
        rule: "takst efter trinnet − takst før trinnet",
        source: Some("varsling af takstændringer, trinvis substitution"),
        path: "tariff_notice",
    }
}

const CHANGE: Desc = Desc {
    key: "notice.{m}.change",
    label: "{mb}: ændring af {w}taksten",
    unit: Unit::KrPerDay,
    rule: "takst år N+1 − takst år N (= summen af årsagerne)",
    source: Some("varsling af takstændringer"),
    path: "tariff_notice",
};

/// The PL rate from year `from` to `to`: the notice's own, or the request's index.
fn pl_rate(
    notice: &TariffNotice,
    index: &Indexation,
    from: i32,
    to: i32,
) -> Result<Decimal, Error> {
    if let Some(pct) = notice.pl_pct {
        return Ok(pct);
    }
    let missing = |why: String, why_da: String| {
        Error::new(ErrorCode::MissingValue, "tariff_notice.pl_pct", why, why_da)
    };
    if !index.values.is_empty() {
        let value = |y: i32| index.values.iter().find(|v| v.year == y).map(|v| v.value);
        let (Some(a), Some(b)) = (value(from), value(to)) else {
            return Err(missing(
                format!("the index has no values of {from} and {to}: give the PL rate"),
                format!(
                    "Indekset har ingen værdier for {from} og {to}: angiv PL-satsen \
                     (`pl_pct`)."
                ),
            ));
        };
        let ratio = Exact::from(b)
            .checked_div(&Exact::from(a))
            .and_then(|r| r.checked_sub(&Exact::ONE))
            .and_then(|r| r.checked_mul(&Exact::from(100i64)))
            .and_then(|r| r.to_decimal());
        return ratio.map(|r| r.normalize()).ok_or_else(|| {
            missing(
                format!(
                    "the index from {from} to {to} is not a finite decimal rate: give the PL \
                     rate"
                ),
                format!(
                    "Indekset fra {from} til {to} giver ikke en endelig decimalsats: angiv \
                     PL-satsen (`pl_pct`)."
                ),
            )
        });
    }
    let too_large = || {
        missing(
            "the PL factor from the rates is too large or has too many decimals (more than \
             28) to be computed exactly: give the PL rate"
                .into(),
            "PL-faktoren ud fra satserne er for stor eller har for mange decimaler (over 28) \
             til at blive beregnet præcist: angiv PL-satsen (`pl_pct`)."
                .into(),
        )
    };
    let mut factor = Exact::ONE;
    for y in from + 1..=to {
        let Some(pct) = index.rate_pct(y) else {
            return Err(missing(
                format!("the index has no rate for {y}: give the PL rate from {from} to {to}"),
                format!(
                    "PL-fremskrivningen har ingen sats for {y}: angiv PL-satsen fra {from} til \
                     {to} (`pl_pct`)."
                ),
            ));
        };
        // The factors compounded exactly: in `Decimal` each product would gain the rate's
        // decimals and be rounded past 28 of them, or overflow, without a word.
        factor = Exact::from(pct)
            .checked_div(&Exact::from(100i64))
            .and_then(|x| x.checked_add(&Exact::ONE))
            .and_then(|x| factor.checked_mul(&x))
            .ok_or_else(too_large)?;
    }
    factor
        .checked_sub(&Exact::ONE)
        .and_then(|x| x.checked_mul(&Exact::from(100i64)))
        .and_then(|x| x.to_decimal())
        .map(|x| x.normalize())
        .ok_or_else(too_large)
}

/// The offers of the steps: year N, then one driver at a time changed to year N+1's.
fn steps(prev: &Offer, new: &Offer, pl_pct: Decimal) -> Result<[Offer; 6], Error> {
    let too_large = || {
        Error::new(
            ErrorCode::Overflow,
            P,
            "a cost line × PL is too large or has too many decimals (more than 28) to be \
             written exactly",
            "En omkostningslinje gange PL-faktoren er for stor eller har for mange decimaler \
             (over 28) til at blive skrevet præcist.",
        )
    };
    // 1 + pct/100 and each line × it exactly: `Decimal` would round a quotient or a product
    // past 28 decimals without a word.
    let factor = Exact::from(pl_pct)
        .checked_div(&Exact::from(100i64))
        .and_then(|x| x.checked_add(&Exact::ONE))
        .ok_or_else(too_large)?;
    let mut s1 = prev.clone();
    for line in &mut s1.costs {
        if line.category != Category::Regulation {
            if let Some(a) = line.amount {
                let scaled = Exact::from(a)
                    .checked_mul(&factor)
                    .and_then(|x| x.to_decimal())
                    .ok_or_else(too_large)?;
                line.amount = Some(scaled);
            }
        }
    }
    let mut s2 = s1.clone();
    s2.costs.retain(|l| l.category != Category::Regulation);
    s2.costs.extend(
        new.costs
            .iter()
            .filter(|l| l.category == Category::Regulation)
            .cloned(),
    );
    let mut s3 = s2.clone();
    s3.occupancy = new.occupancy.clone();
    s3.short_term = new.short_term;
    let mut s4 = s3.clone();
    s4.costs = new.costs.clone();
    Ok([prev.clone(), s1, s2, s3, s4, new.clone()])
}

/// The day (and month) tariffs of a sheet by id, `"average"` first.
fn tariffs(sheet: &TariffSheet) -> Vec<(Name, Name, Decimal, Option<Decimal>)> {
    let mut out = Vec::with_capacity(sheet.services.len() + 1);
    if let Some(a) = &sheet.average {
        out.push((
            Name::from("average"),
            Name::from("Gennemsnitstakst"),
            a.day,
            a.month,
        ));
    }
    for s in &sheet.services {
        out.push((s.id.clone(), s.name.clone(), s.tariff.day, s.tariff.month));
    }
    out
}

/// A kind of places in English, for a message.
fn kind_en(kind: PlaceKind) -> &'static str {
    match kind {
        PlaceKind::Residential => "residential",
        PlaceKind::Day => "day",
    }
}

/// A kind of offer in Danish, for a message.
fn kind_da(kind: PlaceKind) -> &'static str {
    match kind {
        PlaceKind::Residential => "døgntilbud",
        PlaceKind::Day => "dagtilbud",
    }
}

impl TariffNotice {
    /// The notice of `new` (the request's offer) against `self.previous`, in `ex`.
    pub(crate) fn compute(
        &self,
        new: &Offer,
        index: &Indexation,
        ex: &mut Explanation,
        warnings: &mut Vec<Warning>,
    ) -> Result<NoticeResult, Errors> {
        let prev = &self.previous;
        if prev.year >= new.year {
            return Err(Error::new(
                ErrorCode::OutOfRange,
                "tariff_notice.previous.year",
                format!(
                    "the previous offer must be of a year before the offer's {}, got {}",
                    new.year, prev.year
                ),
                format!(
                    "Det forrige tilbud skal være fra et år før tilbuddets {}, men er fra {}.",
                    new.year, prev.year
                ),
            )
            .into());
        }
        // Another offer's tariffs are no change of this one's: a day offer against a
        // residential one, or two offers with their own ids, would be split into "drivers"
        // and every service listed as added or removed, without a word.
        if prev.kind != new.kind {
            return Err(Error::new(
                ErrorCode::Conflict,
                "tariff_notice.previous.kind",
                format!(
                    "the previous offer is of {} places and the offer of {} places: a notice \
                     compares one offer's two years",
                    kind_en(prev.kind),
                    kind_en(new.kind)
                ),
                format!(
                    "Det forrige tilbud er et {} og tilbuddet et {}: en varsling sammenligner \
                     to år af samme tilbud.",
                    kind_da(prev.kind),
                    kind_da(new.kind)
                ),
            )
            .into());
        }
        if let (Some(was), Some(is)) = (&prev.id, &new.id) {
            if was != is {
                return Err(Error::new(
                    ErrorCode::Conflict,
                    "tariff_notice.previous.id",
                    format!(
                        "the previous offer is {was:?} and the offer {is:?}: a notice compares \
                         one offer's two years (give the previous year's offer its id)"
                    ),
                    format!(
                        "Det forrige tilbud er {was:?} og tilbuddet {is:?}: en varsling \
                         sammenligner to år af samme tilbud (giv det forrige års tilbud dets id)."
                    ),
                )
                .into());
            }
        }
        let pl_pct = pl_rate(self, index, prev.year, new.year)?;
        let offers = steps(prev, new, pl_pct)?;
        let mut sheets = Vec::with_capacity(6);
        for (k, o) in offers.iter().enumerate() {
            match o.compute_with(Explain::No) {
                Ok(c) => {
                    // Year N's tariffs are what the change is measured from: their doubts
                    // (an occupancy outside the band, overhead above the cap) are the
                    // notice's, at the previous offer's path. The steps between are
                    // substitutions made only to split the change (their warnings would be
                    // of no offer anyone computes), and year N+1 is the request's offer,
                    // which gives its own.
                    if k == 0 {
                        warnings.extend(c.warnings.into_iter().map(|w| {
                            // At the offer's fields (`offer.…`), or at one of its results
                            // (`neutrality.residue`): the previous offer's either way.
                            if w.path().starts_with("offer") {
                                w.moved("offer", "tariff_notice.previous")
                            } else if w.path().is_empty() {
                                w.moved("", "tariff_notice.previous")
                            } else {
                                w.moved("", "tariff_notice.previous.")
                            }
                        }));
                    }
                    sheets.push(c.sheet);
                }
                Err(e) if k == 0 => {
                    // The previous offer's own problems, at its path.
                    let errors: Vec<Error> = e
                        .into_vec()
                        .into_iter()
                        .map(|e| e.moved("offer", "tariff_notice.previous"))
                        .collect();
                    return Err(Errors::from_vec(errors).unwrap_or_else(|| {
                        Error::new(
                            ErrorCode::Internal,
                            P,
                            "an offer failed without errors",
                            "Et tilbud fejlede uden at have fejl (en fejl i takst).",
                        )
                        .into()
                    }));
                }
                Err(e) => {
                    let first = e.as_slice().first();
                    let (first, first_da) = (
                        first.map(|e| e.message().to_string()),
                        first.map(|e| e.message_da().trim_end_matches('.').to_string()),
                    );
                    return Err(Error::new(
                        ErrorCode::InvalidValue,
                        P,
                        format!(
                            "the change cannot be split into drivers: the offer of {} with the \
                             {} of {} cannot be computed ({})",
                            prev.year,
                            Driver::ALL[k - 1].da(),
                            new.year,
                            first.unwrap_or_default()
                        ),
                        format!(
                            "Ændringen kan ikke deles op på årsager: tilbuddet for {} med \
                             {} fra {} kan ikke beregnes ({}).",
                            prev.year,
                            Driver::ALL[k - 1].da(),
                            new.year,
                            first_da.unwrap_or_default()
                        ),
                    )
                    .into());
                }
            }
        }
        let before = tariffs(&sheets[0]);
        let after = tariffs(&sheets[5]);
        let mut out = Vec::with_capacity(before.len());
        for (id, _, previous, prev_month) in &before {
            let Some((_, new_name, new_day, new_month)) = after.iter().find(|t| t.0 == *id) else {
                continue;
            };
            // Keyed by the service's id (names may repeat), labelled by its name.
            let key = ex.party(|| id.to_string());
            let s = Subj::two(key, ex.party(|| new_name.to_string()) as u32);
            let mut values = Vec::with_capacity(6);
            let mut figs = Vec::with_capacity(6);
            for (k, sheet) in sheets.iter().enumerate() {
                // Every step keeps year N's services; a service the new year has not yet
                // published at a step cannot be split.
                let day = tariffs(sheet)
                    .into_iter()
                    .find(|t| t.0 == *id)
                    .map(|t| t.2)
                    .ok_or_else(|| {
                        Error::new(
                            ErrorCode::InvalidValue,
                            P,
                            format!("the tariff {id:?} is missing at step {k}"),
                            format!("Taksten {id:?} mangler i trin {k}."),
                        )
                    })?;
                values.push(day);
                figs.push(ex.constant_at(&STEP[k], s, Exact::from(day))?);
            }
            // Differences of two published tariffs: exact, or an error rather than `Decimal`'s
            // panic (they fit one already, so only a sign could carry them past it).
            let difference = |a: Decimal, b: Decimal| {
                crate::decimal::sub(a, b).ok_or_else(|| {
                    Error::new(
                        ErrorCode::Overflow,
                        P,
                        format!(
                            "the change of the tariff {id:?} is too large for a 96-bit decimal"
                        ),
                        format!(
                            "Ændringen af taksten {id:?} er for stor til et 96-bit decimaltal."
                        ),
                    )
                })
            };
            let mut drivers = Vec::with_capacity(5);
            let mut driver_figs: Vec<Fig> = Vec::with_capacity(5);
            for (k, driver) in Driver::ALL.iter().enumerate() {
                let f = ex.derive(
                    &DRIVER[k],
                    s,
                    Op::Difference,
                    &[figs[k + 1].clone(), figs[k].clone()],
                )?;
                drivers.push(DriverAmount {
                    driver: *driver,
                    amount: difference(values[k + 1], values[k])?,
                });
                driver_figs.push(f);
            }
            ex.derive(&CHANGE, s, Op::Sum, &driver_figs)?;
            let change = difference(*new_day, *previous)?;
            // For reading: the exact share, rounded once to two decimals.
            let change_pct = Exact::from(change)
                .checked_mul(&Exact::from(100i64))
                .and_then(|x| x.checked_div(&Exact::from(*previous)))
                .and_then(|x| crate::rounding::Rounding::ORE.apply_exact(&x));
            out.push(TariffChange {
                id: id.clone(),
                name: new_name.clone(),
                previous: *previous,
                new: *new_day,
                change,
                change_pct,
                month: prev_month.zip(*new_month).map(|(a, b)| [a, b]),
                drivers,
            });
        }
        let ids = |list: &[(Name, Name, Decimal, Option<Decimal>)]| -> Vec<Name> {
            list.iter().map(|t| t.0.clone()).collect()
        };
        let (old_ids, new_ids) = (ids(&before), ids(&after));
        Ok(NoticeResult {
            name: new.name.clone(),
            from_year: prev.year,
            to_year: new.year,
            pl_pct,
            tariffs: out,
            added: new_ids
                .iter()
                .filter(|i| !old_ids.contains(i))
                .cloned()
                .collect(),
            removed: old_ids
                .iter()
                .filter(|i| !new_ids.contains(i))
                .cloned()
                .collect(),
        })
    }
}
