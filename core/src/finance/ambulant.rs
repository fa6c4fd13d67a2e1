//! Ambulant services by the hour (advice, supervision, VISO specialist advice; domain
//! reference §7): hourly rate = (staff costs + overhead) ÷ productive hours, and products of
//! a fixed number of hours priced as hours × the exact rate, rounded once.

use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorCode, Errors, Warning, WarningCode};
use crate::exact::Exact;
use crate::explain::{Desc, Explanation, Op, Step, Subj, Unit};
use crate::num;
use crate::rounding::Rounding;
use crate::tariff::validate::{At, Check};

use super::special::CostItem;
use super::{dec, desc, input};

fn kroner() -> Rounding {
    Rounding::KRONER
}
fn is_kroner(r: &Rounding) -> bool {
    *r == Rounding::KRONER
}

/// An ambulant service priced by the hour.
///
/// # Example
///
#[cfg_attr(feature = "provider", doc = "```")]
#[cfg_attr(not(feature = "provider"), doc = "```ignore")]
/// let out = takst::evaluate_json(r#"{"version": 1, "ambulant": {
///     "name": "Specialrådgivning", "staff_costs": [{"label": "Psykologer", "amount": "3000000"}],
///     "overhead": {"pct": "6"}, "productive_hours": "3000",
///     "products": [{"id": "udredning", "name": "Udredning, 20 timer", "hours": "20"}]}}"#);
/// let v: serde_json::Value = serde_json::from_str(&out).unwrap();
/// assert_eq!(v["ambulant"]["hourly_rate"], "1060");           // 3,180,000 ÷ 3,000
/// assert_eq!(v["ambulant"]["products"][0]["price"], "21200");
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Ambulant {
    /// The service's name, for the statement.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The staff costs of the year (wages, by staff group).
    pub staff_costs: Vec<CostItem>,
    /// Overhead: an amount, or a percentage of the staff costs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub overhead: Option<Overhead>,
    /// The productive hours of the year (hours delivered to citizens and municipalities).
    #[serde(deserialize_with = "num::de")]
    #[schemars(with = "num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub productive_hours: Decimal,
    /// Products of a fixed number of hours.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub products: Vec<AmbulantProduct>,
    /// How products of a fixed number of hours are priced: hours × the published (rounded)
    /// hourly rate (`published_rate`, the default, so anyone holding the sheet can price a
    /// product), or hours × the exact rate (`exact_rate`).
    #[serde(default, skip_serializing_if = "is_published_rate")]
    pub product_pricing: ProductPricing,
    /// How the hourly rate and the products are rounded. Default whole kroner, half away
    /// from zero.
    #[serde(default = "kroner", skip_serializing_if = "is_kroner")]
    pub rounding: Rounding,
    /// The agreed cap on overhead, in per cent of the staff costs: above it is the warning
    /// `overhead_above_cap`. Default 6, as an offer's `settings.overhead_cap_pct`.
    #[serde(
        default = "six",
        deserialize_with = "num::de",
        skip_serializing_if = "is_six"
    )]
    #[schemars(with = "num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub overhead_cap_pct: Decimal,
}

fn six() -> Decimal {
    Decimal::from(6)
}
fn is_six(d: &Decimal) -> bool {
    *d == six()
}

/// How a product of a fixed number of hours is priced.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ProductPricing {
    /// Hours × the published (rounded) hourly rate, rounded: 3 lessons × 775 = 2,325.
    #[default]
    PublishedRate,
    /// Hours × the exact hourly rate, rounded once.
    ExactRate,
}

fn is_published_rate(p: &ProductPricing) -> bool {
    *p == ProductPricing::PublishedRate
}

/// Overhead of an ambulant service: give `amount` or `pct`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Overhead {
    /// An amount.
    #[serde(
        default,
        deserialize_with = "num::de_opt",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Option<num::Num>")]
    #[serde(serialize_with = "crate::digits::ser_opt_decimal")]
    pub amount: Option<Decimal>,
    /// A percentage of the staff costs.
    #[serde(
        default,
        deserialize_with = "num::de_opt",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Option<num::Num>")]
    #[serde(serialize_with = "crate::digits::ser_opt_decimal")]
    pub pct: Option<Decimal>,
}

/// A product of a fixed number of hours.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AmbulantProduct {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its hours.
    #[serde(deserialize_with = "num::de")]
    #[schemars(with = "num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub hours: Decimal,
}

/// A product's price.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
pub struct ProductPrice {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its hours.
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub hours: Decimal,
    /// hours × the published hourly rate (or, with `exact_rate`, the exact one), rounded.
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub price: Decimal,
}

/// The hourly rate and the products' prices.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
pub struct AmbulantResult {
    /// The name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Staff costs.
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub staff_costs: Decimal,
    /// Overhead.
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub overhead: Decimal,
    /// Staff costs + overhead.
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub costs: Decimal,
    /// Productive hours.
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub productive_hours: Decimal,
    /// The hourly rate (published, rounded).
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub hourly_rate: Decimal,
    /// The products.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub products: Vec<ProductPrice>,
}

const P: &str = "ambulant";
const STAFF_LINE: Desc = desc(
    "ambulant.staff[{b}]",
    "Personaleomkostning nr. {b}",
    Unit::Kr,
    "",
    None,
    "ambulant.staff_costs",
);
const STAFF: Desc = desc(
    "ambulant.staff_costs",
    "Personaleomkostninger",
    Unit::Kr,
    "summen af personaleomkostningerne",
    None,
    "ambulant.staff_costs",
);
const OVERHEAD_AMOUNT: Desc = desc(
    "ambulant.overhead",
    "Overhead",
    Unit::Kr,
    "",
    None,
    "ambulant.overhead.amount",
);
const OVERHEAD_PCT: Desc = desc(
    "ambulant.overhead_pct",
    "Overhead, pct. af personaleomkostningerne",
    Unit::Percent,
    "",
    None,
    "ambulant.overhead.pct",
);
const OVERHEAD: Desc = desc(
    "ambulant.overhead",
    "Overhead",
    Unit::Kr,
    "personaleomkostninger × overheadprocent",
    None,
    "ambulant.overhead.pct",
);
const COSTS: Desc = desc(
    "ambulant.costs",
    "Omkostninger i alt",
    Unit::Kr,
    "personaleomkostninger + overhead",
    None,
    "ambulant",
);
const HOURS: Desc = desc(
    "ambulant.productive_hours",
    "Produktive timer",
    Unit::Hours,
    "",
    None,
    "ambulant.productive_hours",
);
const RATE_EXACT: Desc = desc(
    "ambulant.hourly_rate.exact",
    "Timepris, eksakt",
    Unit::KrPerHour,
    "(personaleomkostninger + overhead) ÷ produktive timer",
    Some("ambulante ydelser"),
    "ambulant.productive_hours",
);
const RATE: Desc = desc(
    "ambulant.hourly_rate",
    "Timepris",
    Unit::KrPerHour,
    "den eksakte timepris, afrundet",
    None,
    "ambulant.rounding",
);
const PRODUCT_HOURS: Desc = desc(
    "ambulant.product.{m}.hours",
    "{mb}, timer",
    Unit::Hours,
    "",
    None,
    "ambulant.products",
);
const PRODUCT: Desc = desc(
    "ambulant.product.{m}.price",
    "{mb}, pris",
    Unit::Kr,
    "timer × den offentliggjorte timepris, afrundet",
    Some("prisen kan beregnes ud fra takstbladets timepris"),
    "ambulant.products",
);
const PRODUCT_EXACT: Desc = desc(
    "ambulant.product.{m}.price",
    "{mb}, pris",
    Unit::Kr,
    "timer × den eksakte timepris, afrundet én gang",
    None,
    "ambulant.product_pricing",
);

fn check(a: &Ambulant) -> Result<(), Errors> {
    let mut c = Check(Vec::new());
    if a.staff_costs.is_empty() {
        c.fail(
            ErrorCode::MissingValue,
            "ambulant.staff_costs",
            "give the staff costs",
            "Angiv personaleomkostningerne.",
        );
    }
    for (i, l) in a.staff_costs.iter().enumerate() {
        c.non_negative(
            l.amount,
            At("ambulant.staff_costs", i, ".amount"),
            ("a cost", "en omkostning"),
        );
    }
    match &a.overhead {
        Some(Overhead {
            amount: Some(_),
            pct: Some(_),
        }) => c.fail(
            ErrorCode::Conflict,
            "ambulant.overhead",
            "give the overhead as `amount` or as `pct`, not both",
            "Angiv overhead som `amount` eller som `pct`, ikke begge.",
        ),
        Some(Overhead {
            amount: None,
            pct: None,
        }) => c.fail(
            ErrorCode::MissingValue,
            "ambulant.overhead",
            "give the overhead as `amount` or as `pct`",
            "Angiv overhead som `amount` eller som `pct`.",
        ),
        Some(Overhead {
            amount: Some(x), ..
        }) => c.non_negative(*x, "ambulant.overhead.amount", ("the overhead", "overhead")),
        Some(Overhead { pct: Some(p), .. }) => c.percent(
            *p,
            "ambulant.overhead.pct",
            ("the overhead percentage", "overheadprocenten"),
        ),
        None => {}
    }
    c.positive(
        a.productive_hours,
        "ambulant.productive_hours",
        ("the productive hours", "de produktive timer"),
    );
    c.rounding(&a.rounding, "ambulant.rounding");
    c.non_negative(
        a.overhead_cap_pct,
        "ambulant.overhead_cap_pct",
        ("the overhead cap", "overheadloftet"),
    );
    c.unique(&a.products, |p| &p.id, "ambulant.products");
    for (i, p) in a.products.iter().enumerate() {
        c.positive(
            p.hours,
            At("ambulant.products", i, ".hours"),
            ("a product's hours", "et produkts timetal"),
        );
    }
    match Errors::from_vec(c.0) {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

impl Ambulant {
    pub(crate) fn compute(
        &self,
        ex: &mut Explanation,
        warnings: &mut Vec<Warning>,
    ) -> Result<AmbulantResult, Errors> {
        check(self)?;
        let result = self.figures(ex)?;
        self.overhead_cap(&result, warnings);
        Ok(result)
    }

    /// Overhead above the agreed cap, in per cent of the staff costs, is a warning; so is
    /// overhead without staff costs, which no cap can measure.
    fn overhead_cap(&self, r: &AmbulantResult, warnings: &mut Vec<Warning>) {
        let cap = self.overhead_cap_pct;
        if r.overhead <= Decimal::ZERO {
            return;
        }
        let share = Exact::from(r.overhead)
            .checked_mul(&Exact::from(100i64))
            .and_then(|o| o.checked_div(&Exact::from(r.staff_costs)));
        let (en, da) = match share {
            Some(share) if r.staff_costs > Decimal::ZERO => {
                if share <= cap {
                    return;
                }
                // Exact to four decimals, else marked "…", as an offer's overhead share.
                (
                    format!(
                        "overhead is {} % of the staff costs, above the agreed cap of {cap} %",
                        share.short()
                    ),
                    format!(
                        "Overhead udgør {} % af personaleomkostningerne, over det aftalte loft \
                         på {} %.",
                        crate::danish::exact(&share),
                        crate::danish::number(cap)
                    ),
                )
            }
            _ => (
                format!(
                    "overhead is {} kr and there are no staff costs to measure it against the \
                     agreed cap of {cap} %",
                    r.overhead
                ),
                format!(
                    "Overhead er {} kr., og der er ingen personaleomkostninger at måle den mod \
                     det aftalte loft på {} %.",
                    crate::danish::number(r.overhead),
                    crate::danish::number(cap)
                ),
            ),
        };
        warnings.push(Warning::new(
            WarningCode::OverheadAboveCap,
            "ambulant.overhead",
            en,
            da,
        ));
    }

    fn figures(&self, ex: &mut Explanation) -> Result<AmbulantResult, Error> {
        let none = Subj::NONE;
        let mut lines = Vec::with_capacity(self.staff_costs.len());
        for (k, l) in self.staff_costs.iter().enumerate() {
            lines.push(input(
                ex,
                &STAFF_LINE,
                Subj::two(0, k as u32 + 1),
                l.amount,
            )?);
        }
        let staff = ex.derive(&STAFF, none, Op::Sum, &lines)?;
        let overhead = match &self.overhead {
            Some(Overhead {
                amount: Some(x), ..
            }) => input(ex, &OVERHEAD_AMOUNT, none, *x)?,
            Some(Overhead { pct: Some(p), .. }) => {
                let pct = input(ex, &OVERHEAD_PCT, none, *p)?;
                ex.derive(&OVERHEAD, none, Op::PercentOf, &[staff.clone(), pct])?
            }
            _ => input(ex, &OVERHEAD_AMOUNT, none, Decimal::ZERO)?,
        };
        let costs = ex.derive(&COSTS, none, Op::Sum, &[staff.clone(), overhead.clone()])?;
        let hours = input(ex, &HOURS, none, self.productive_hours)?;
        let exact = ex.derive(&RATE_EXACT, none, Op::Quotient, &[costs.clone(), hours])?;
        let (published, rate) =
            ex.round(&RATE, none, exact.clone(), self.rounding, Step::Published)?;
        let (per_hour, d) = match self.product_pricing {
            ProductPricing::PublishedRate => (published, &PRODUCT),
            ProductPricing::ExactRate => (exact, &PRODUCT_EXACT),
        };
        let mut products = Vec::with_capacity(self.products.len());
        for p in &self.products {
            // Keyed by the product's id (names may repeat), labelled by its name.
            let id = ex.party(|| p.id.clone());
            let s = Subj::two(id, ex.party(|| p.name.clone()) as u32);
            let h = input(ex, &PRODUCT_HOURS, s, p.hours)?;
            let (_, price) = ex.derive_rounded(
                d,
                s,
                Op::Product,
                &[h, per_hour.clone()],
                self.rounding,
                Step::Published,
            )?;
            products.push(ProductPrice {
                id: p.id.clone(),
                name: p.name.clone(),
                hours: p.hours,
                price,
            });
        }
        Ok(AmbulantResult {
            name: self.name.clone(),
            staff_costs: dec(&staff, P)?,
            overhead: dec(&overhead, P)?,
            costs: dec(&costs, P)?,
            productive_hours: self.productive_hours,
            hourly_rate: rate,
            products,
        })
    }
}
