//! The year-end settlement (efterregulering, domain reference §6): the year's surplus or
//! deficit, what may be set aside, the regulation of the cost base of a later year, its
//! spread over years and split among the paying municipalities, and the ledger of earlier
//! set-asides.

use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::course::YearAmount;
use crate::danish::number as da;
use crate::error::{Error, ErrorCode, Errors, Warning, WarningCode};
use crate::exact::Exact;
use crate::explain::{Desc, Explanation, Fig, Op, Step, Subj, Unit};
use crate::num;
use crate::rounding::{RoundMode, Rounding};
use crate::tariff::validate::{At, Check, YEARS};

mod ledger;

pub use ledger::{Reserve, ReserveState, ReserveStatus};

use super::{dec, desc, given_or_chained, input, split, year_subj, Chain, Share, ORE};

fn five() -> Decimal {
    Decimal::from(5)
}
fn five_years() -> u32 {
    5
}
fn two() -> u32 {
    2
}
fn one() -> u32 {
    1
}

/// A year-end settlement of one offer (or one provider's tariff-financed area).
///
/// # Example
///
/// The domain reference's example: budget 8,000,000, actual costs 7,648,000, actual revenue
/// 8,418,000.
///
#[cfg_attr(feature = "provider", doc = "```")]
#[cfg_attr(not(feature = "provider"), doc = "```ignore")]
/// let out = takst::evaluate_json(r#"{"version": 1, "settlement": {
///     "year": 2026, "budget": "8000000", "actual_costs": "7648000", "revenue": "8418000"}}"#);
/// let v: serde_json::Value = serde_json::from_str(&out).unwrap();
/// let s = &v["settlement"];
/// assert_eq!(s["result"], "770000");                  // a surplus
/// assert_eq!(s["set_aside"], "400000.00");            // at most 5 % of 8,000,000
/// assert_eq!(s["regulation"], "-370000.00");          // lowers the cost base of 2028
/// assert_eq!(s["regulation_years"][0]["year"], 2028);
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Settlement {
    /// What is settled (the offer's name), for the statement.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The year N whose accounts are settled.
    pub year: i32,
    /// The budgeted cost base of year N (the base the tariffs were computed from). Default:
    /// the cost base of the request's offer, when it is of year N.
    #[serde(
        default,
        deserialize_with = "num::de_opt",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Option<num::Num>")]
    #[serde(serialize_with = "crate::digits::ser_opt_decimal")]
    pub budget: Option<Decimal>,
    /// The actual cost-based accounts of year N.
    #[serde(deserialize_with = "num::de")]
    #[schemars(with = "num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub actual_costs: Decimal,
    /// The actual tariff revenue of year N. Default: the service lines that the request's
    /// courses at the offer bill for the days of year N (add-ons are settled apart).
    #[serde(
        default,
        deserialize_with = "num::de_opt",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Option<num::Num>")]
    #[serde(serialize_with = "crate::digits::ser_opt_decimal")]
    pub revenue: Option<Decimal>,
    /// The most of a surplus that may be set aside, in per cent of the budgeted cost base.
    /// Default 5.
    #[serde(default = "five", deserialize_with = "num::de")]
    #[schemars(with = "num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub set_aside_cap_pct: Decimal,
    /// The amount set aside. Default: as much as the cap allows. Must not exceed the cap or
    /// the surplus; must be 0 after a deficit.
    #[serde(
        default,
        deserialize_with = "num::de_opt",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Option<num::Num>")]
    #[serde(serialize_with = "crate::digits::ser_opt_decimal")]
    pub set_aside: Option<Decimal>,
    /// A set-aside must be used within this many years. Default 5.
    #[serde(default = "five_years")]
    pub use_within_years: u32,
    /// The regulation enters the cost base of year N + this. Default 2.
    #[serde(default = "two")]
    pub regulation_year_offset: u32,
    /// The regulation is spread evenly over this many years (a large deficit may be spread).
    /// Default 1.
    #[serde(default = "one")]
    pub spread_years: u32,
    /// Amounts set aside in earlier years, for the ledger.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reserves: Vec<Reserve>,
    /// The paying municipalities' billed days in year N, to split the regulation among them.
    /// Default: the days the request's courses bill in year N, by their paying municipality.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub municipalities: Vec<BilledDays>,
}

/// A paying municipality's billed days.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BilledDays {
    /// The municipality.
    pub municipality: String,
    /// Days billed to it in year N.
    #[serde(deserialize_with = "num::de")]
    #[schemars(with = "num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub days: Decimal,
}

/// Surplus, deficit or balance.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Revenue above costs (overskud).
    Surplus,
    /// Revenue below costs (underskud).
    Deficit,
    /// Revenue equal to costs.
    Balance,
}

impl Outcome {
    /// The Danish word.
    pub fn da(self) -> &'static str {
        match self {
            Outcome::Surplus => "overskud",
            Outcome::Deficit => "underskud",
            Outcome::Balance => "balance",
        }
    }
}

/// The settlement of year N.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct SettlementResult {
    /// What is settled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The year N.
    pub year: i32,
    /// The budgeted cost base.
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub budget: Decimal,
    /// The actual costs.
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub actual_costs: Decimal,
    /// The actual tariff revenue.
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub revenue: Decimal,
    /// Revenue − actual costs: positive a surplus, negative a deficit.
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub result: Decimal,
    /// Surplus, deficit or balance.
    pub outcome: Outcome,
    /// The most that may be set aside (the cap's share of the budget, rounded down to øre).
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub set_aside_cap: Decimal,
    /// The amount set aside (0 after a deficit).
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub set_aside: Decimal,
    /// The regulation of the cost base, to øre: negative returns a surplus, positive covers
    /// a deficit. revenue + regulation − set_aside = actual costs.
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub regulation: Decimal,
    /// The regulation by the year whose cost base it enters (N + offset, spread evenly);
    /// empty when it is `refunded`.
    pub regulation_years: Vec<YearAmount>,
    /// The returned surplus is refunded to the municipalities now, as credit notes
    /// (`einvoicing.settlement_refunds`), so it enters no later year's cost base.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub refunded: bool,
    /// The regulation split among the paying municipalities by billed days.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub municipalities: Vec<Share>,
    /// The ledger of set-asides, earlier ones first, this year's last.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reserves: Vec<ReserveStatus>,
    /// Left to use of the set-asides that may still be used, this year's included (an
    /// expired one's remainder is in `reserves`, not here).
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub reserves_remaining: Decimal,
    /// The fields taken from the request's other sections rather than given: `budget`
    /// (from the offer's cost base), `revenue` and `municipalities` (from the courses).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub chained: Vec<String>,
}

const P: &str = "settlement";
const BUDGET: Desc = desc(
    "settlement.budget",
    "Budgetteret takstgrundlag",
    Unit::Kr,
    "",
    None,
    "settlement.budget",
);
const BUDGET_CHAINED: Desc = desc(
    "settlement.budget",
    "Budgetteret takstgrundlag",
    Unit::Kr,
    "overført fra tilbuddets takstgrundlag i samme beregning",
    Some("kæden: tilbud → efterregulering"),
    "offer.costs",
);
const COSTS: Desc = desc(
    "settlement.actual_costs",
    "Faktiske omkostninger (regnskab)",
    Unit::Kr,
    "",
    None,
    "settlement.actual_costs",
);
const REVENUE: Desc = desc(
    "settlement.revenue",
    "Faktiske takstindtægter",
    Unit::Kr,
    "",
    None,
    "settlement.revenue",
);
const REVENUE_CHAINED: Desc = desc(
    "settlement.revenue",
    "Faktiske takstindtægter",
    Unit::Kr,
    "sum af de ydelseslinjer, beregningens forløb fakturerer for årets dage (tillægsydelser \
     afregnes for sig)",
    Some("kæden: forløb → efterregulering"),
    "courses",
);
const RESULT: Desc = desc(
    "settlement.result",
    "Resultat (over- eller underskud)",
    Unit::Kr,
    "faktiske takstindtægter − faktiske omkostninger",
    Some("efterregulering"),
    "settlement",
);
const ZERO: Desc = desc(
    "const.zero",
    "Nul",
    Unit::Kr,
    "fast værdi",
    None,
    "settlement",
);
const SURPLUS: Desc = desc(
    "settlement.surplus",
    "Overskud (0 ved underskud)",
    Unit::Kr,
    "det største af resultatet og 0",
    None,
    "settlement",
);
const CAP_PCT: Desc = desc(
    "settlement.set_aside_cap_pct",
    "Loft over hensættelse, pct. af takstgrundlaget",
    Unit::Percent,
    "",
    Some("styringsaftalen (typisk 5 %)"),
    "settlement.set_aside_cap_pct",
);
const CAP: Desc = desc(
    "settlement.set_aside_cap",
    "Loft over hensættelse",
    Unit::Kr,
    "budgetteret takstgrundlag × loftets procent, rundet ned til hele øre",
    Some("styringsaftalen"),
    "settlement.set_aside_cap_pct",
);
const SET_ASIDE_GIVEN: Desc = desc(
    "settlement.set_aside",
    "Hensat af overskuddet",
    Unit::Kr,
    "",
    None,
    "settlement.set_aside",
);
const SET_ASIDE: Desc = desc(
    "settlement.set_aside",
    "Hensat af overskuddet",
    Unit::Kr,
    "det mindste af overskuddet og loftet",
    Some("styringsaftalen"),
    "settlement",
);
const REGULATION: Desc = desc(
    "settlement.regulation",
    "Efterregulering af takstgrundlaget",
    Unit::Kr,
    "hensat − resultat (negativ: overskud der tilbageføres; positiv: underskud der \
     dækkes), rundet til hele øre",
    Some("efterregulering, SEL § 174"),
    "settlement",
);
const SPREAD: Desc = desc(
    "settlement.spread_years",
    "Antal år reguleringen fordeles over",
    Unit::Number,
    "",
    None,
    "settlement.spread_years",
);
const ONE_YEAR: Desc = desc(
    "settlement.regulation.{b}.weight",
    "Vægt for {b}",
    Unit::Number,
    "hvert år bærer lige meget",
    None,
    "settlement.spread_years",
);
split_descs!(
    YEAR_PART,
    "settlement.regulation.{b}",
    "Efterregulering i takstgrundlaget {b}",
    "settlement.spread_years"
);
const DAYS: Desc = desc(
    "settlement.municipality.{m}.days",
    "Fakturerede dage, {m}",
    Unit::Days,
    "",
    None,
    "settlement.municipalities",
);
const DAYS_CHAINED: Desc = desc(
    "settlement.municipality.{m}.days",
    "Fakturerede dage, {m}",
    Unit::Days,
    "sum af de dage, kommunens forløb i beregningen fakturerer i året",
    Some("kæden: forløb → efterregulering"),
    "courses",
);
const DAYS_SUM: Desc = desc(
    "settlement.billed_days",
    "Fakturerede dage i alt",
    Unit::Days,
    "summen af kommunernes fakturerede dage",
    None,
    "settlement.municipalities",
);
split_descs!(
    MUNICIPALITY_PART,
    "settlement.municipality.{m}.regulation",
    "Efterregulering, {m}s andel",
    "settlement.municipalities"
);
fn check(s: &Settlement) -> Result<(), Errors> {
    let mut c = Check(Vec::new());
    if !YEARS.contains(&s.year) {
        c.fail(
            ErrorCode::OutOfRange,
            "settlement.year",
            format!(
                "the year must be from {} to {}, got {}",
                YEARS.start(),
                YEARS.end(),
                s.year
            ),
            format!(
                "Året skal være fra {} til {}, men er {}.",
                YEARS.start(),
                YEARS.end(),
                s.year
            ),
        );
    }
    if let Some(budget) = s.budget {
        c.positive(
            budget,
            "settlement.budget",
            ("the budgeted cost base", "det budgetterede takstgrundlag"),
        );
    }
    c.non_negative(
        s.actual_costs,
        "settlement.actual_costs",
        ("the actual costs", "de faktiske omkostninger"),
    );
    if let Some(revenue) = s.revenue {
        c.non_negative(
            revenue,
            "settlement.revenue",
            ("the revenue", "takstindtægterne"),
        );
    }
    c.percent(
        s.set_aside_cap_pct,
        "settlement.set_aside_cap_pct",
        ("the cap on setting aside", "loftet over hensættelse"),
    );
    if let Some(a) = s.set_aside {
        c.non_negative(
            a,
            "settlement.set_aside",
            ("the amount set aside", "det hensatte beløb"),
        );
    }
    if s.spread_years == 0 {
        c.fail(
            ErrorCode::NotPositive,
            "settlement.spread_years",
            "the regulation must be spread over at least 1 year, got 0",
            "Efterreguleringen skal fordeles over mindst 1 år, men er sat til 0.",
        );
    }
    if s.regulation_year_offset == 0 {
        c.fail(
            ErrorCode::NotPositive,
            "settlement.regulation_year_offset",
            "the regulation enters the cost base of a later year than the one settled \
             (N + 1 or N + 2), got N + 0",
            "Efterreguleringen indgår i takstgrundlaget for et senere år end det, der \
             efterreguleres (N + 1 eller N + 2), men er sat til N + 0.",
        );
    }
    if s.use_within_years == 0 {
        c.fail(
            ErrorCode::NotPositive,
            "settlement.use_within_years",
            "an amount set aside must be usable for at least 1 year, got 0",
            "Et hensat beløb skal kunne bruges i mindst 1 år, men er sat til 0.",
        );
    }
    // Every field past the limit, each at its path.
    for (field, v) in [
        ("settlement.spread_years", s.spread_years),
        (
            "settlement.regulation_year_offset",
            s.regulation_year_offset,
        ),
        ("settlement.use_within_years", s.use_within_years),
    ] {
        if v > 50 {
            c.fail(
                ErrorCode::OutOfRange,
                field,
                format!("at most 50 years, got {v}"),
                format!("Højst 50 år, men er {v}."),
            );
        }
    }
    for (i, r) in s.reserves.iter().enumerate() {
        c.non_negative(
            r.amount,
            At("settlement.reserves", i, ".amount"),
            ("an amount set aside", "et hensat beløb"),
        );
        c.non_negative(
            r.used,
            At("settlement.reserves", i, ".used"),
            ("the amount used", "det brugte beløb"),
        );
        if r.used > r.amount {
            c.fail(
                ErrorCode::OutOfRange,
                At("settlement.reserves", i, ".used"),
                format!(
                    "more is used ({}) than was set aside ({})",
                    r.used, r.amount
                ),
                format!(
                    "Der er brugt mere ({} kr.), end der blev hensat ({} kr.).",
                    crate::danish::number(r.used),
                    crate::danish::number(r.amount)
                ),
            );
        }
        if !YEARS.contains(&r.year) || r.year >= s.year {
            c.fail(
                ErrorCode::OutOfRange,
                At("settlement.reserves", i, ".year"),
                format!(
                    "an earlier set-aside must be from a year before {}, got {}",
                    s.year, r.year
                ),
                format!(
                    "En tidligere hensættelse skal være fra et år før {}, men er fra {}.",
                    s.year, r.year
                ),
            );
        }
    }
    for (i, m) in s.municipalities.iter().enumerate() {
        c.non_negative(
            m.days,
            At("settlement.municipalities", i, ".days"),
            ("billed days", "de fakturerede dage"),
        );
    }
    c.unique_field(
        &s.municipalities,
        |m| &m.municipality,
        "settlement.municipalities",
        ".municipality",
    );
    match Errors::from_vec(c.0) {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

impl Settlement {
    /// Settles the year, in `ex`, taking what it does not give from `chain`; warnings go to
    /// `warnings`.
    pub(crate) fn compute(
        &self,
        ex: &mut Explanation,
        warnings: &mut Vec<Warning>,
        chain: &Chain<'_>,
    ) -> Result<SettlementResult, Errors> {
        check(self)?;
        Ok(self.figures(ex, warnings, chain)?)
    }

    fn figures(
        &self,
        ex: &mut Explanation,
        warnings: &mut Vec<Warning>,
        chain: &Chain<'_>,
    ) -> Result<SettlementResult, Error> {
        let none = Subj::NONE;
        let mut chained = Vec::new();
        if self.budget.is_none() {
            if let Some(o) = chain.offer.as_ref().filter(|o| o.year != self.year) {
                return Err(Error::new(
                    ErrorCode::Conflict,
                    "settlement.year",
                    format!(
                        "the request's offer is the budget of {}, not of {}: give the budget of \
                         {} in settlement.budget",
                        o.year, self.year, self.year
                    ),
                    format!(
                        "Forespørgslens tilbud er budgettet for {}, ikke for {}: angiv budgettet \
                         for {} i `settlement.budget`.",
                        o.year, self.year, self.year
                    ),
                ));
            }
            chained.push("budget".to_string());
        }
        let budget = given_or_chained(
            ex,
            self.budget,
            chain.offer.as_ref().map(|o| &o.cost_base),
            &BUDGET,
            &BUDGET_CHAINED,
            || {
                Error::new(
                    ErrorCode::MissingValue,
                    "settlement.budget",
                    "give the budgeted cost base, or the offer of the year in the same request",
                    "Angiv det budgetterede takstgrundlag, eller angiv årets tilbud i samme \
                     forespørgsel.",
                )
            },
        )?;
        let costs = input(ex, &COSTS, none, self.actual_costs)?;
        let year_of = |y: &&crate::course::CourseYear| y.year == self.year;
        let billed: Vec<Fig> = chain
            .years
            .iter()
            .filter(year_of)
            .map(|y| y.amount.clone())
            .collect();
        let revenue = match self.revenue {
            Some(v) => input(ex, &REVENUE, none, v)?,
            None if billed.is_empty() => {
                let (why, why_da) = if chain.has_courses() {
                    (
                        format!(
                            "the request's courses bill no day of {}: give the year's revenue",
                            self.year
                        ),
                        format!(
                            "Forespørgslens forløb fakturerer ingen dage i {}: angiv årets \
                             takstindtægter.",
                            self.year
                        ),
                    )
                } else {
                    (
                        "give the year's revenue, or the year's courses in the same request".into(),
                        "Angiv årets takstindtægter, eller angiv årets forløb i samme \
                         forespørgsel."
                            .into(),
                    )
                };
                return Err(Error::new(
                    ErrorCode::MissingValue,
                    "settlement.revenue",
                    why,
                    why_da,
                ));
            }
            None => {
                chained.push("revenue".to_string());
                ex.derive(&REVENUE_CHAINED, none, Op::Sum, &billed)?
            }
        };
        let (budget_dec, revenue_dec) = (dec(&budget, P)?, dec(&revenue, P)?);
        let result = ex.derive(&RESULT, none, Op::Difference, &[revenue, costs])?;
        let zero = ex.constant(&ZERO, Exact::ZERO)?;
        let surplus = ex.derive(&SURPLUS, none, Op::Max, &[result.clone(), zero])?;
        let pct = input(ex, &CAP_PCT, none, self.set_aside_cap_pct)?;
        let down = Rounding {
            increment: ORE.increment,
            mode: RoundMode::Down,
        };
        let (cap, cap_dec) = ex.derive_rounded(
            &CAP,
            none,
            Op::PercentOf,
            &[budget, pct],
            down,
            Step::Derived,
        )?;
        let set_aside = match self.set_aside {
            Some(given) => {
                let surplus_dec = dec(&surplus, P)?;
                if given > surplus_dec || given > cap_dec {
                    let (why, why_da) = if given > surplus_dec {
                        (
                            format!("the surplus is {surplus_dec}"),
                            format!("overskuddet er {} kr.", da(surplus_dec)),
                        )
                    } else {
                        (
                            format!(
                                "the cap is {cap_dec} ({} % of the budget)",
                                self.set_aside_cap_pct
                            ),
                            format!(
                                "loftet er {} kr. ({} % af budgettet)",
                                da(cap_dec),
                                da(self.set_aside_cap_pct)
                            ),
                        )
                    };
                    return Err(Error::new(
                        ErrorCode::OutOfRange,
                        "settlement.set_aside",
                        format!("{given} cannot be set aside: {why}"),
                        format!("Der kan ikke hensættes {} kr.: {why_da}.", da(given)),
                    ));
                }
                input(ex, &SET_ASIDE_GIVEN, none, given)?
            }
            None => ex.derive(&SET_ASIDE, none, Op::Min, &[surplus, cap])?,
        };
        let set_aside_dec = dec(&set_aside, P)?;
        let (regulation, regulation_dec) = ex.derive_rounded(
            &REGULATION,
            none,
            Op::Difference,
            &[set_aside.clone(), result.clone()],
            ORE,
            Step::Derived,
        )?;

        // A surplus the e-invoices refund now enters no later year's cost base (it would be
        // returned twice); the rest is spread over the years from N + offset.
        let refunded = chain.settlement_refunds && regulation.v.is_negative();
        let regulation_years = if refunded {
            Vec::new()
        } else {
            self.spread(ex, &regulation)?
        };

        // Split among the paying municipalities by billed days: given, or from the courses.
        let mut municipalities = Vec::new();
        let billed_days = if self.municipalities.is_empty() {
            self.days_from_courses(ex, chain, warnings, &mut chained)?
        } else {
            let mut out = Vec::with_capacity(self.municipalities.len());
            for m in &self.municipalities {
                let s = Subj::one(ex.party(|| m.municipality.clone()));
                out.push((m.municipality.clone(), s, input(ex, &DAYS, s, m.days)?));
            }
            out
        };
        if !billed_days.is_empty() {
            let mut days = Vec::with_capacity(billed_days.len());
            let mut subjects = Vec::with_capacity(billed_days.len());
            for (_, s, d) in &billed_days {
                subjects.push(*s);
                days.push(d.clone());
            }
            let total_days = ex.derive(&DAYS_SUM, none, Op::Sum, &days)?;
            let parts = split(
                ex,
                &regulation,
                &days,
                &total_days,
                ORE.increment,
                &MUNICIPALITY_PART,
                |k| subjects[k],
                "settlement.municipalities",
            )?;
            municipalities = billed_days
                .into_iter()
                .zip(parts)
                .map(|((municipality, _, _), (_, amount))| Share {
                    municipality,
                    amount,
                })
                .collect();
        }

        // The ledger of set-asides.
        let (reserves, total_left) = self.ledger(ex, &set_aside, set_aside_dec, warnings)?;

        Ok(SettlementResult {
            name: self.name.clone(),
            year: self.year,
            budget: budget_dec,
            actual_costs: self.actual_costs,
            revenue: revenue_dec,
            result: dec(&result, P)?,
            outcome: if result.v.is_zero() {
                Outcome::Balance
            } else if result.v.is_negative() {
                Outcome::Deficit
            } else {
                Outcome::Surplus
            },
            set_aside_cap: cap_dec,
            set_aside: set_aside_dec,
            regulation: regulation_dec,
            regulation_years,
            refunded,
            municipalities,
            reserves,
            reserves_remaining: dec(&total_left, P)?,
            chained,
        })
    }

    /// The regulation spread evenly over `spread_years` years from N + offset (to øre, the
    /// largest remainders first).
    fn spread(&self, ex: &mut Explanation, regulation: &Fig) -> Result<Vec<YearAmount>, Error> {
        let none = Subj::NONE;
        let first = self.year + self.regulation_year_offset as i32;
        let spread = ex.input(&SPREAD, none, Exact::from(i64::from(self.spread_years)))?;
        let mut weights = Vec::with_capacity(self.spread_years as usize);
        for k in 0..self.spread_years {
            weights.push(ex.constant_at(&ONE_YEAR, year_subj(0, first + k as i32), Exact::ONE)?);
        }
        let parts = split(
            ex,
            regulation,
            &weights,
            &spread,
            ORE.increment,
            &YEAR_PART,
            |k| year_subj(0, first + k as i32),
            "settlement.spread_years",
        )?;
        Ok(parts
            .iter()
            .enumerate()
            .map(|(k, (_, amount))| YearAmount {
                year: first + k as i32,
                amount: *amount,
            })
            .collect())
    }

    /// The paying municipalities' billed days in year N from the request's courses, in the
    /// order they first appear; none when the courses bill nothing in N, or when a course
    /// billing N has no paying municipality (a warning: the regulation is then not split).
    fn days_from_courses(
        &self,
        ex: &mut Explanation,
        chain: &Chain<'_>,
        warnings: &mut Vec<Warning>,
        chained: &mut Vec<String>,
    ) -> Result<Vec<(String, Subj, Fig)>, Error> {
        let years: Vec<&crate::course::CourseYear> =
            chain.years.iter().filter(|y| y.year == self.year).collect();
        if years.is_empty() {
            return Ok(Vec::new());
        }
        if let Some(y) = years.iter().find(|y| {
            chain
                .municipalities
                .get(y.course)
                .copied()
                .flatten()
                .is_none()
        }) {
            warnings.push(Warning::new(
                WarningCode::SettlementNotSplit,
                format!("courses[{}].municipality", y.course),
                format!(
                    "the course bills days of {} but has no paying municipality, so the \
                     regulation is not split among the municipalities",
                    self.year
                ),
                format!(
                    "Forløbet fakturerer dage i {}, men har ingen betalingskommune, så \
                     efterreguleringen fordeles ikke mellem kommunerne.",
                    self.year
                ),
            ));
            return Ok(Vec::new());
        }
        let mut by: Vec<(&str, Vec<Fig>)> = Vec::new();
        for y in &years {
            let m = chain.municipalities[y.course].unwrap_or_default();
            match by.iter_mut().find(|(name, _)| *name == m) {
                Some((_, figs)) => figs.push(y.days.clone()),
                None => by.push((m, vec![y.days.clone()])),
            }
        }
        chained.push("municipalities".to_string());
        let mut out = Vec::with_capacity(by.len());
        for (m, figs) in by {
            let s = Subj::one(ex.party(|| m.to_string()));
            out.push((
                m.to_string(),
                s,
                ex.derive(&DAYS_CHAINED, s, Op::Sum, &figs)?,
            ));
        }
        Ok(out)
    }
}
