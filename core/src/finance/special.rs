//! Special arrangements (særforanstaltninger, enkeltmandsprojekter; domain reference §7):
//! one citizen, fixed costs (often a building) plus staffing, priced as a cost-plus fee for
//! an agreed period; the price per day at the full period, and what an early end leaves
//! uncovered (the vacancy risk).

use jiff::civil::Date;
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::course::calendar::days_inclusive;
use crate::danish::date as da_date;
use crate::error::{Error, ErrorCode, Errors};
use crate::exact::Exact;
use crate::explain::{Desc, Explanation, Fig, Op, Step, Subj, Unit};
use crate::num;
use crate::rounding::Rounding;
use crate::tariff::validate::{At, Check, YEARS};

use super::{dec, desc, input, ORE};

fn kroner() -> Rounding {
    Rounding::KRONER
}
fn is_kroner(r: &Rounding) -> bool {
    *r == Rounding::KRONER
}
fn is_zero(d: &Decimal) -> bool {
    d.is_zero()
}

/// A special arrangement for one citizen.
///
/// # Example
///
#[cfg_attr(feature = "provider", doc = "```")]
#[cfg_attr(not(feature = "provider"), doc = "```ignore")]
/// let out = takst::evaluate_json(r#"{"version": 1, "special_arrangements": [{
///     "name": "Enkeltmandsprojekt", "start": "2026-01-01", "end": "2026-12-31",
///     "fixed_costs": [{"label": "Hus", "amount": "365000"}],
///     "staffing": [{"label": "Personale", "amount": "3285000"}], "markup_pct": 0,
///     "early_end": {"date": "2026-06-30"}}]}"#);
/// let v: serde_json::Value = serde_json::from_str(&out).unwrap();
/// let s = &v["special_arrangements"][0];
/// assert_eq!(s["day_price"], "10000");               // 3,650,000 ÷ 365
/// assert_eq!(s["early_end"]["uncovered"], "184000.00"); // the house for 184 days
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SpecialArrangement {
    /// What it is called (never the citizen's name or CPR number).
    pub name: String,
    /// The first day of the agreed period.
    #[serde(with = "crate::date")]
    #[schemars(with = "String")]
    pub start: Date,
    /// The last day of the agreed period.
    #[serde(with = "crate::date")]
    #[schemars(with = "String")]
    pub end: Date,
    /// Fixed costs for the whole period (a building, its fitting out), which run on if the
    /// arrangement ends early.
    #[serde(default)]
    pub fixed_costs: Vec<CostItem>,
    /// Staffing and other running costs for the whole period.
    #[serde(default)]
    pub staffing: Vec<CostItem>,
    /// The fee on top of the costs (overhead, risk), in per cent. Default 0.
    #[serde(default, deserialize_with = "num::de", skip_serializing_if = "is_zero")]
    #[schemars(with = "num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub markup_pct: Decimal,
    /// An early end to show the uncovered costs of.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub early_end: Option<EarlyEnd>,
    /// How the day price is rounded. Default whole kroner, half away from zero.
    #[serde(default = "kroner", skip_serializing_if = "is_kroner")]
    pub rounding: Rounding,
}

/// A cost line of a special arrangement.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CostItem {
    /// What it is.
    pub label: String,
    /// The amount for the whole period.
    #[serde(deserialize_with = "num::de")]
    #[schemars(with = "num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub amount: Decimal,
}

/// An early end of a special arrangement.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EarlyEnd {
    /// The last day billed.
    #[serde(with = "crate::date")]
    #[schemars(with = "String")]
    pub date: Date,
    /// Days of staffing costs that run on after the end (notice). Default 0.
    #[serde(default)]
    pub staff_notice_days: u32,
}

/// What an early end leaves uncovered.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
pub struct EarlyEndResult {
    /// The last day billed.
    #[serde(with = "crate::date")]
    #[schemars(with = "String")]
    pub date: Date,
    /// Days billed.
    pub billed_days: u32,
    /// Days of the agreed period not billed.
    pub unbilled_days: u32,
    /// Billed days × the day price.
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub revenue: Decimal,
    /// The fixed costs of the unbilled days.
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub uncovered_fixed: Decimal,
    /// Staffing costs of the notice days (at most the unbilled days).
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub uncovered_staffing: Decimal,
    /// Uncovered in all.
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub uncovered: Decimal,
}

/// The price of a special arrangement.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
pub struct SpecialResult {
    /// The name.
    pub name: String,
    /// First day.
    #[serde(with = "crate::date")]
    #[schemars(with = "String")]
    pub start: Date,
    /// Last day.
    #[serde(with = "crate::date")]
    #[schemars(with = "String")]
    pub end: Date,
    /// Days in the agreed period.
    pub days: u32,
    /// Fixed costs.
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub fixed_costs: Decimal,
    /// Staffing costs.
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub staffing: Decimal,
    /// The fee (markup).
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub markup: Decimal,
    /// The price for the whole period: costs + fee, to øre.
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub price: Decimal,
    /// The price per day at the full period (published, rounded).
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub day_price: Decimal,
    /// Days × day price: what the full period is billed.
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub billed: Decimal,
    /// The early end, when asked for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub early_end: Option<EarlyEndResult>,
}

const FIXED_LINE: Desc = desc(
    "special.{m}.fixed[{b}]",
    "{m}: fast omkostning nr. {b}",
    Unit::Kr,
    "",
    None,
    "special_arrangements",
);
const STAFF_LINE: Desc = desc(
    "special.{m}.staffing[{b}]",
    "{m}: personale og drift nr. {b}",
    Unit::Kr,
    "",
    None,
    "special_arrangements",
);
const FIXED: Desc = desc(
    "special.{m}.fixed_costs",
    "{m}: faste omkostninger",
    Unit::Kr,
    "summen af de faste omkostninger",
    None,
    "special_arrangements",
);
const STAFF: Desc = desc(
    "special.{m}.staffing",
    "{m}: personale og drift",
    Unit::Kr,
    "summen af personale- og driftsomkostningerne",
    None,
    "special_arrangements",
);
const COSTS: Desc = desc(
    "special.{m}.costs",
    "{m}: omkostninger i alt",
    Unit::Kr,
    "faste omkostninger + personale og drift",
    None,
    "special_arrangements",
);
const MARKUP_PCT: Desc = desc(
    "special.{m}.markup_pct",
    "{m}: tillæg, pct.",
    Unit::Percent,
    "",
    None,
    "special_arrangements",
);
const MARKUP: Desc = desc(
    "special.{m}.markup",
    "{m}: tillæg",
    Unit::Kr,
    "omkostninger × tillæggets procent",
    Some("cost-plus"),
    "special_arrangements",
);
const PRICE_EXACT: Desc = desc(
    "special.{m}.price.exact",
    "{m}: pris for perioden, eksakt",
    Unit::Kr,
    "omkostninger + tillæg",
    None,
    "special_arrangements",
);
const PRICE: Desc = desc(
    "special.{m}.price",
    "{m}: pris for perioden",
    Unit::Kr,
    "rundet til hele øre",
    None,
    "special_arrangements",
);
const DAYS: Desc = desc(
    "special.{m}.days",
    "{m}: dage i den aftalte periode",
    Unit::Days,
    "dage fra første til sidste dag, begge medregnet",
    None,
    "special_arrangements",
);
const DAY_PRICE: Desc = desc(
    "special.{m}.day_price",
    "{m}: pris pr. dag",
    Unit::KrPerDay,
    "eksakt pris for perioden ÷ dage, afrundet",
    None,
    "special_arrangements",
);
const BILLED: Desc = desc(
    "special.{m}.billed",
    "{m}: faktureret for hele perioden",
    Unit::Kr,
    "dage × pris pr. dag",
    None,
    "special_arrangements",
);
const BILLED_DAYS: Desc = desc(
    "special.{m}.early_end.billed_days",
    "{m}: fakturerede dage ved tidlig ophør",
    Unit::Days,
    "dage fra første dag til ophørsdagen, begge medregnet",
    None,
    "special_arrangements",
);
const UNBILLED: Desc = desc(
    "special.{m}.early_end.unbilled_days",
    "{m}: ikke-fakturerede dage",
    Unit::Days,
    "dage i perioden − fakturerede dage",
    None,
    "special_arrangements",
);
const EARLY_REVENUE: Desc = desc(
    "special.{m}.early_end.revenue",
    "{m}: indtægt ved tidlig ophør",
    Unit::Kr,
    "fakturerede dage × pris pr. dag",
    None,
    "special_arrangements",
);
const UNCOVERED_FIXED: Desc = desc(
    "special.{m}.early_end.uncovered_fixed",
    "{m}: udækkede faste omkostninger",
    Unit::Kr,
    "faste omkostninger × ikke-fakturerede dage ÷ dage i perioden, rundet til hele øre",
    Some("tomgangsrisiko"),
    "special_arrangements",
);
const FIXED_UNBILLED: Desc = desc(
    "special.{m}.early_end.fixed_unbilled",
    "{m}: faste omkostninger × ikke-fakturerede dage",
    Unit::Kr,
    "faste omkostninger × ikke-fakturerede dage",
    None,
    "special_arrangements",
);
const STAFF_NOTICE: Desc = desc(
    "special.{m}.early_end.staffing_notice",
    "{m}: personale og drift × opsigelsesdage",
    Unit::Kr,
    "personale og drift × opsigelsesdage inden for perioden",
    None,
    "special_arrangements",
);
const NOTICE: Desc = desc(
    "special.{m}.early_end.notice_days",
    "{m}: opsigelsesdage for personale",
    Unit::Days,
    "",
    None,
    "special_arrangements",
);
const NOTICE_USED: Desc = desc(
    "special.{m}.early_end.notice_days_in_period",
    "{m}: opsigelsesdage inden for perioden",
    Unit::Days,
    "det mindste af opsigelsesdagene og de ikke-fakturerede dage",
    None,
    "special_arrangements",
);
const UNCOVERED_STAFF: Desc = desc(
    "special.{m}.early_end.uncovered_staffing",
    "{m}: udækket personale i opsigelsesperioden",
    Unit::Kr,
    "personale og drift × opsigelsesdage ÷ dage i perioden, rundet til hele øre",
    None,
    "special_arrangements",
);
const UNCOVERED: Desc = desc(
    "special.{m}.early_end.uncovered",
    "{m}: udækket ved tidlig ophør",
    Unit::Kr,
    "udækkede faste omkostninger + udækket personale",
    None,
    "special_arrangements",
);

fn check(list: &[SpecialArrangement]) -> Result<(), Errors> {
    let mut c = Check(Vec::new());
    c.unique_field(list, |s| &s.name, "special_arrangements", ".name");
    for (i, s) in list.iter().enumerate() {
        let at = |f: &'static str| At("special_arrangements", i, f);
        for (d, f) in [(s.start, ".start"), (s.end, ".end")] {
            if !YEARS.contains(&i32::from(d.year())) {
                c.fail(
                    ErrorCode::OutOfRange,
                    at(f),
                    format!("the year must be from {} to {}", YEARS.start(), YEARS.end()),
                    format!(
                        "Året skal være fra {} til {}, men er {}.",
                        YEARS.start(),
                        YEARS.end(),
                        d.year()
                    ),
                );
            }
        }
        if s.end < s.start {
            c.fail(
                ErrorCode::OutOfRange,
                at(".end"),
                format!("the period ends ({}) before it starts ({})", s.end, s.start),
                format!(
                    "Perioden slutter {}, før den begynder {}.",
                    da_date(s.end),
                    da_date(s.start)
                ),
            );
        }
        for (k, l) in s.fixed_costs.iter().enumerate() {
            c.non_negative(
                l.amount,
                format!("special_arrangements[{i}].fixed_costs[{k}].amount"),
                ("a cost", "en omkostning"),
            );
        }
        for (k, l) in s.staffing.iter().enumerate() {
            c.non_negative(
                l.amount,
                format!("special_arrangements[{i}].staffing[{k}].amount"),
                ("a cost", "en omkostning"),
            );
        }
        if s.fixed_costs.is_empty() && s.staffing.is_empty() {
            c.fail(
                ErrorCode::MissingValue,
                at(".staffing"),
                "give the arrangement's costs: fixed_costs, staffing or both",
                "Angiv særforanstaltningens omkostninger: `fixed_costs`, `staffing` eller begge.",
            );
        }
        c.non_negative(s.markup_pct, at(".markup_pct"), ("the markup", "tillægget"));
        if s.markup_pct > Decimal::ONE_HUNDRED {
            c.fail(
                ErrorCode::OutOfRange,
                at(".markup_pct"),
                format!(
                    "a markup of at most 100 % is accepted, got {}",
                    s.markup_pct
                ),
                format!(
                    "Tillægget må højst være 100 %, men er {} %.",
                    crate::danish::number(s.markup_pct)
                ),
            );
        }
        c.rounding(&s.rounding, || {
            format!("special_arrangements[{i}].rounding")
        });
        if let Some(e) = &s.early_end {
            if e.date < s.start || e.date > s.end {
                c.fail(
                    ErrorCode::OutOfRange,
                    format!("special_arrangements[{i}].early_end.date"),
                    format!(
                        "the early end ({}) must be within the period {} – {}",
                        e.date, s.start, s.end
                    ),
                    format!(
                        "Det tidlige ophør ({}) skal ligge inden for perioden {} – {}.",
                        da_date(e.date),
                        da_date(s.start),
                        da_date(s.end)
                    ),
                );
            }
            if e.staff_notice_days > 3660 {
                c.fail(
                    ErrorCode::OutOfRange,
                    format!("special_arrangements[{i}].early_end.staff_notice_days"),
                    "at most 3,660 days of notice",
                    "Personalets opsigelsesvarsel må højst være 3.660 dage.",
                );
            }
        }
    }
    match Errors::from_vec(c.0) {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

/// Prices the special arrangements, in `ex`.
pub(crate) fn compute(
    list: &[SpecialArrangement],
    ex: &mut Explanation,
) -> Result<Vec<SpecialResult>, Errors> {
    check(list)?;
    let mut out = Vec::with_capacity(list.len());
    for (i, s) in list.iter().enumerate() {
        out.push(s.figures(ex, i)?);
    }
    Ok(out)
}

fn lines(
    ex: &mut Explanation,
    d: &'static Desc,
    party: usize,
    items: &[CostItem],
) -> Result<Vec<Fig>, Error> {
    items
        .iter()
        .enumerate()
        .map(|(k, l)| input(ex, d, Subj::two(party, k as u32 + 1), l.amount))
        .collect()
}

impl SpecialArrangement {
    fn figures(&self, ex: &mut Explanation, i: usize) -> Result<SpecialResult, Error> {
        let path = format!("special_arrangements[{i}]");
        let party = ex.party(|| self.name.clone());
        let s = Subj::one(party);
        let fixed_lines = lines(ex, &FIXED_LINE, party, &self.fixed_costs)?;
        let staff_lines = lines(ex, &STAFF_LINE, party, &self.staffing)?;
        let fixed = ex.derive(&FIXED, s, Op::Sum, &fixed_lines)?;
        let staff = ex.derive(&STAFF, s, Op::Sum, &staff_lines)?;
        let costs = ex.derive(&COSTS, s, Op::Sum, &[fixed.clone(), staff.clone()])?;
        let pct = input(ex, &MARKUP_PCT, s, self.markup_pct)?;
        let markup = ex.derive(&MARKUP, s, Op::PercentOf, &[costs.clone(), pct])?;
        let price_exact = ex.derive(&PRICE_EXACT, s, Op::Sum, &[costs, markup.clone()])?;
        let (_, price) = ex.round(&PRICE, s, price_exact.clone(), ORE, Step::Derived)?;
        let n = days_inclusive(self.start, self.end);
        let days = ex.constant_at(&DAYS, s, Exact::from(n))?;
        let (day_price, day_price_dec) = ex.derive_rounded(
            &DAY_PRICE,
            s,
            Op::Quotient,
            &[price_exact, days.clone()],
            self.rounding,
            Step::Published,
        )?;
        let billed = ex.derive(&BILLED, s, Op::Product, &[days.clone(), day_price.clone()])?;

        let early_end = match &self.early_end {
            None => None,
            Some(e) => {
                let b = days_inclusive(self.start, e.date);
                let billed_days = ex.constant_at(&BILLED_DAYS, s, Exact::from(b))?;
                let unbilled = ex.derive(
                    &UNBILLED,
                    s,
                    Op::Difference,
                    &[days.clone(), billed_days.clone()],
                )?;
                let revenue = ex.derive(
                    &EARLY_REVENUE,
                    s,
                    Op::Product,
                    &[billed_days, day_price.clone()],
                )?;
                let fixed_unbilled = ex.derive(
                    &FIXED_UNBILLED,
                    s,
                    Op::Product,
                    &[fixed.clone(), unbilled.clone()],
                )?;
                let (uncovered_fixed, uf) = ex.derive_rounded(
                    &UNCOVERED_FIXED,
                    s,
                    Op::Quotient,
                    &[fixed_unbilled, days.clone()],
                    ORE,
                    Step::Derived,
                )?;
                let notice = ex.input(&NOTICE, s, Exact::from(i64::from(e.staff_notice_days)))?;
                let notice_used =
                    ex.derive(&NOTICE_USED, s, Op::Min, &[notice, unbilled.clone()])?;
                let staff_notice =
                    ex.derive(&STAFF_NOTICE, s, Op::Product, &[staff.clone(), notice_used])?;
                let (uncovered_staff, us) = ex.derive_rounded(
                    &UNCOVERED_STAFF,
                    s,
                    Op::Quotient,
                    &[staff_notice, days.clone()],
                    ORE,
                    Step::Derived,
                )?;
                let uncovered =
                    ex.derive(&UNCOVERED, s, Op::Sum, &[uncovered_fixed, uncovered_staff])?;
                Some(EarlyEndResult {
                    date: e.date,
                    billed_days: b as u32,
                    unbilled_days: (n - b) as u32,
                    revenue: dec(&revenue, &path)?,
                    uncovered_fixed: uf,
                    uncovered_staffing: us,
                    uncovered: dec(&uncovered, &path)?,
                })
            }
        };
        Ok(SpecialResult {
            name: self.name.clone(),
            start: self.start,
            end: self.end,
            days: n as u32,
            fixed_costs: dec(&fixed, &path)?,
            staffing: dec(&staff, &path)?,
            markup: dec(&markup, &path)?,
            price,
            day_price: day_price_dec,
            billed: dec(&billed, &path)?,
            early_end,
        })
    }
}
