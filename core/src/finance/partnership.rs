//! Partnership financing (MultifunC in the strategy, domain reference §7): partner
//! municipalities pay a fixed share of the financing base whatever their use, split by an
//! agreed key, and a lower tariff; non-partners pay the full tariff. At the expected days the
//! revenue equals the financing base exactly (before the published tariffs are rounded).

use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorCode, Errors, Warning, WarningCode};
use crate::explain::{Desc, Explanation, Fig, Op, Step, Subj, Unit};
use crate::num;
use crate::rounding::Rounding;
use crate::tariff::validate::{At, Check};

use super::{dec, desc, given_or_offer, input, rounding_or_offer, split, Chain, ORE};

fn twenty_five() -> Decimal {
    Decimal::from(25)
}
fn levels() -> Vec<Decimal> {
    [50, 75, 100, 125, 150].map(Decimal::from).to_vec()
}
fn is_levels(v: &[Decimal]) -> bool {
    v == levels().as_slice()
}

/// A partnership: a fixed share of the financing base paid by partner municipalities.
///
/// # Example
///
/// ```
/// let out = takst::evaluate_json(r#"{"version": 1, "partnership": {
///     "financing_base": "20000000", "expected_days": "4000", "fixed_share_pct": 25,
///     "partners": [{"municipality": "Aarhus", "expected_days": "1500"},
///                  {"municipality": "Randers", "expected_days": "500"}]}}"#);
/// let v: serde_json::Value = serde_json::from_str(&out).unwrap();
/// let p = &v["partnership"];
/// assert_eq!(p["full_tariff"], "5000");      // 20,000,000 ÷ 4,000
/// assert_eq!(p["partner_tariff"], "2500");   // 5,000 − 5,000,000 ÷ 2,000
/// assert_eq!(p["partners"][0]["contribution"], "3750000.00");
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Partnership {
    /// The partnership's or offer's name, for the statement.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The financing base (the cost base the tariffs and the fixed payments cover), a year.
    /// Default: the cost base of the request's offer.
    #[serde(
        default,
        deserialize_with = "num::de_opt",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Option<num::Num>")]
    #[serde(serialize_with = "crate::digits::ser_opt_decimal")]
    pub financing_base: Option<Decimal>,
    /// All expected days of the offer in the year (places × day basis × occupancy).
    /// Default: the expected days of the request's offer.
    #[serde(
        default,
        deserialize_with = "num::de_opt",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Option<num::Num>")]
    #[serde(serialize_with = "crate::digits::ser_opt_decimal")]
    pub expected_days: Option<Decimal>,
    /// The partners' fixed share of the financing base, in per cent. Default 25.
    #[serde(default = "twenty_five", deserialize_with = "num::de")]
    #[schemars(with = "num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub fixed_share_pct: Decimal,
    /// The partner municipalities.
    pub partners: Vec<Partner>,
    /// How the fixed share is split among the partners: by their expected days (default)
    /// or by an agreed key (`key` on each partner).
    #[serde(default)]
    pub key: KeyBasis,
    /// Usage levels to show each partner's cost at, in per cent of its expected days.
    /// Default 50, 75, 100, 125, 150.
    #[serde(
        default = "levels",
        deserialize_with = "num::de_vec",
        skip_serializing_if = "is_levels"
    )]
    #[schemars(with = "Vec<num::Num>")]
    pub usage_pct: Vec<Decimal>,
    /// How the published tariffs are rounded. Default: as the request's offer publishes its
    /// tariffs (`offer.settings.published_rounding`, listed in `chained`), and whole kroner,
    /// half away from zero, without an offer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rounding: Option<Rounding>,
}

/// How the partners' fixed share is split.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum KeyBasis {
    /// By the partners' expected days.
    #[default]
    ExpectedDays,
    /// By the agreed `key` of each partner (any positive weights, e.g. per cent).
    Agreed,
}

/// A partner municipality.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Partner {
    /// The municipality.
    pub municipality: String,
    /// The days it expects to use in the year.
    #[serde(deserialize_with = "num::de")]
    #[schemars(with = "num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub expected_days: Decimal,
    /// Its weight in the agreed key (when `key` is `agreed`), e.g. 60 for 60 %.
    #[serde(
        default,
        deserialize_with = "num::de_opt",
        skip_serializing_if = "Option::is_none"
    )]
    #[schemars(with = "Option<num::Num>")]
    #[serde(serialize_with = "crate::digits::ser_opt_decimal")]
    pub key: Option<Decimal>,
}

/// A partner's cost at one usage level.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
pub struct UsageLevel {
    /// The usage, in per cent of the partner's expected days.
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub usage_pct: Decimal,
    /// The days used.
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub days: Decimal,
    /// Cost as a partner: the fixed contribution + days × the partner tariff.
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub as_partner: Decimal,
    /// Cost for the same days at the full tariff, as a non-partner.
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub as_non_partner: Decimal,
    /// as_non_partner − as_partner: positive, the partnership pays off.
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub saving: Decimal,
}

/// One partner's figures.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
pub struct PartnerResult {
    /// The municipality.
    pub municipality: String,
    /// Its expected days.
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub expected_days: Decimal,
    /// Its share of the fixed payment, to øre (the shares sum exactly to the fixed payment).
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub contribution: Decimal,
    /// Days at which the partnership costs it the same as the full tariff would
    /// (contribution ÷ (full − partner tariff)), to 0.01 days; absent when the tariffs are
    /// equal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<crate::num::Num>")]
    #[serde(serialize_with = "crate::digits::ser_opt_decimal")]
    pub break_even_days: Option<Decimal>,
    /// Its cost at each usage level.
    pub usage: Vec<UsageLevel>,
}

/// The partnership's figures.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
pub struct PartnershipResult {
    /// The name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The financing base.
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub financing_base: Decimal,
    /// All expected days.
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub expected_days: Decimal,
    /// The partners' fixed payment in all, to øre.
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub fixed_payment: Decimal,
    /// The full tariff per day, paid by non-partners (published, rounded).
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub full_tariff: Decimal,
    /// The partners' tariff per day (published, rounded once from the exact value).
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub partner_tariff: Decimal,
    /// The partners' expected days together.
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub partner_days: Decimal,
    /// The non-partners' expected days.
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub non_partner_days: Decimal,
    /// Revenue at the expected days with the published tariffs.
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub revenue: Decimal,
    /// revenue − financing base: what rounding the tariffs leaves (0 before rounding).
    #[schemars(with = "crate::num::Num")]
    #[serde(serialize_with = "crate::digits::ser_decimal")]
    pub residue: Decimal,
    /// Each partner.
    pub partners: Vec<PartnerResult>,
    /// The fields taken from the request's offer rather than given (`financing_base`,
    /// `expected_days`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub chained: Vec<String>,
}

const P: &str = "partnership";
const BASE: Desc = desc(
    "partnership.financing_base",
    "Finansieringsgrundlag",
    Unit::Kr,
    "",
    None,
    "partnership.financing_base",
);
const BASE_CHAINED: Desc = desc(
    "partnership.financing_base",
    "Finansieringsgrundlag",
    Unit::Kr,
    "overført fra tilbuddets takstgrundlag i samme beregning",
    Some("kæden: tilbud → partnerskab"),
    "offer.costs",
);
const DAYS_CHAINED: Desc = desc(
    "partnership.expected_days",
    "Forventede dage i alt",
    Unit::Days,
    "overført fra tilbuddets forventede belægningsdage i samme beregning",
    Some("kæden: tilbud → partnerskab"),
    "offer.capacity",
);
const DAYS: Desc = desc(
    "partnership.expected_days",
    "Forventede dage i alt",
    Unit::Days,
    "",
    None,
    "partnership.expected_days",
);
const FULL_EXACT: Desc = desc(
    "partnership.full_tariff.exact",
    "Fuld takst pr. dag, eksakt",
    Unit::KrPerDay,
    "finansieringsgrundlag ÷ forventede dage i alt",
    None,
    "partnership.expected_days",
);
const FULL: Desc = desc(
    "partnership.full_tariff",
    "Fuld takst pr. dag (ikke-partnere)",
    Unit::KrPerDay,
    "den eksakte fulde takst, afrundet",
    None,
    "partnership.rounding",
);
const SHARE_PCT: Desc = desc(
    "partnership.fixed_share_pct",
    "Partnernes faste andel, pct.",
    Unit::Percent,
    "",
    Some("partnerskabsaftalen"),
    "partnership.fixed_share_pct",
);
const FIXED_EXACT: Desc = desc(
    "partnership.fixed_payment.exact",
    "Fast betaling fra partnerne, eksakt",
    Unit::Kr,
    "finansieringsgrundlag × fast andel",
    Some("partnerskabsaftalen"),
    "partnership.fixed_share_pct",
);
const FIXED: Desc = desc(
    "partnership.fixed_payment",
    "Fast betaling fra partnerne",
    Unit::Kr,
    "den eksakte faste betaling, rundet til hele øre",
    None,
    "partnership.fixed_share_pct",
);
const PARTNER_DAYS: Desc = desc(
    "partnership.partner.{m}.expected_days",
    "Forventede dage, {m}",
    Unit::Days,
    "",
    None,
    "partnership.partners",
);
const KEY: Desc = desc(
    "partnership.partner.{m}.key",
    "Fordelingsnøgle, {m}",
    Unit::Number,
    "",
    Some("partnerskabsaftalen"),
    "partnership.partners",
);
const PARTNER_DAYS_SUM: Desc = desc(
    "partnership.partner_days",
    "Partnernes forventede dage i alt",
    Unit::Days,
    "summen af partnernes forventede dage",
    None,
    "partnership.partners",
);
const KEY_SUM: Desc = desc(
    "partnership.key_sum",
    "Fordelingsnøglen i alt",
    Unit::Number,
    "summen af partnernes vægte",
    None,
    "partnership.partners",
);
const PER_DAY: Desc = desc(
    "partnership.fixed_per_partner_day",
    "Fast betaling pr. forventet partnerdag",
    Unit::KrPerDay,
    "den faste betaling, som partnerne betaler (til øre), ÷ partnernes forventede dage",
    None,
    "partnership.partners",
);
const PARTNER_EXACT: Desc = desc(
    "partnership.partner_tariff.exact",
    "Partnertakst pr. dag, eksakt",
    Unit::KrPerDay,
    "eksakt fuld takst − fast betaling pr. forventet partnerdag",
    Some("partnerskabsmodellen (MultifunC)"),
    "partnership.partners",
);
const PARTNER_TARIFF: Desc = desc(
    "partnership.partner_tariff",
    "Partnertakst pr. dag",
    Unit::KrPerDay,
    "den eksakte partnertakst, afrundet",
    None,
    "partnership.rounding",
);
const NON_PARTNER_DAYS: Desc = desc(
    "partnership.non_partner_days",
    "Ikke-partneres forventede dage",
    Unit::Days,
    "forventede dage i alt − partnernes forventede dage",
    None,
    "partnership.partners",
);
split_descs!(
    CONTRIBUTION,
    "partnership.partner.{m}.contribution",
    "Fast bidrag, {m}",
    "partnership.partners"
);
const GAP: Desc = desc(
    "partnership.tariff_gap",
    "Forskel mellem fuld takst og partnertakst",
    Unit::KrPerDay,
    "fuld takst − partnertakst",
    None,
    "partnership.partners",
);
const BREAK_EVEN: Desc = desc(
    "partnership.partner.{m}.break_even_days",
    "Break-even, dage, {m}",
    Unit::Days,
    "fast bidrag ÷ (fuld takst − partnertakst), rundet til 0,01 dag",
    None,
    "partnership.partners",
);
const LEVEL: Desc = desc(
    "partnership.usage[{u}].pct",
    "Forbrugsniveau {ul} af forventede dage",
    Unit::Percent,
    "",
    None,
    "partnership.usage_pct",
);
const LEVEL_DAYS: Desc = desc(
    "partnership.partner.{m}.usage[{u}].days",
    "Dage ved forbrug på {ul}, {m}",
    Unit::Days,
    "forventede dage × forbrug i pct.",
    None,
    "partnership.usage_pct",
);
const LEVEL_TARIFF: Desc = desc(
    "partnership.partner.{m}.usage[{u}].tariff_payments",
    "Betaling efter partnertakst ved forbrug på {ul}, {m}",
    Unit::Kr,
    "dage × partnertakst, rundet til hele øre",
    None,
    "partnership.usage_pct",
);
const LEVEL_COST: Desc = desc(
    "partnership.partner.{m}.usage[{u}].as_partner",
    "Udgift som partner ved forbrug på {ul}, {m}",
    Unit::Kr,
    "fast bidrag + betaling efter partnertakst",
    None,
    "partnership.usage_pct",
);
const LEVEL_FULL: Desc = desc(
    "partnership.partner.{m}.usage[{u}].as_non_partner",
    "Udgift til fuld takst ved forbrug på {ul}, {m}",
    Unit::Kr,
    "dage × fuld takst, rundet til hele øre",
    None,
    "partnership.usage_pct",
);
const LEVEL_SAVING: Desc = desc(
    "partnership.partner.{m}.usage[{u}].saving",
    "Besparelse ved partnerskab ved forbrug på {ul}, {m}",
    Unit::Kr,
    "udgift til fuld takst − udgift som partner",
    None,
    "partnership.usage_pct",
);
const REV_PARTNERS: Desc = desc(
    "partnership.revenue.partner_tariff",
    "Indtægt efter partnertakst ved forventede dage",
    Unit::Kr,
    "partnernes forventede dage × partnertakst, rundet til hele øre",
    None,
    "partnership",
);
const REV_OTHERS: Desc = desc(
    "partnership.revenue.full_tariff",
    "Indtægt efter fuld takst ved forventede dage",
    Unit::Kr,
    "ikke-partneres forventede dage × fuld takst, rundet til hele øre",
    None,
    "partnership",
);
const REVENUE: Desc = desc(
    "partnership.revenue",
    "Indtægt i alt ved forventede dage",
    Unit::Kr,
    "fast betaling + indtægt efter partnertakst + indtægt efter fuld takst",
    None,
    "partnership",
);
const RESIDUE: Desc = desc(
    "partnership.residue",
    "Afrundingsrest",
    Unit::Kr,
    "indtægt i alt − finansieringsgrundlag",
    None,
    "partnership",
);

/// The subject's `b` of usage level `l` (at most 100 levels, checked): its place and, for
/// the labels, a party named by its percentage ("87,5 %"), so that a level keeps its figures
/// when another level is put before it (a scenario pairs figures by key and label).
fn level_subj(ex: &mut Explanation, l: usize, pct: Decimal) -> u32 {
    // The level's value, not its writing: 100 and 100.0 are one level.
    let party = ex.party(|| format!("{} %", crate::danish::number(pct.normalize())));
    // A request's size limit keeps its parties far below u32::MAX / 100.
    u32::try_from(party)
        .unwrap_or(u32::MAX)
        .saturating_mul(100)
        .saturating_add(l as u32)
}

fn check(p: &Partnership) -> Result<(), Errors> {
    let mut c = Check(Vec::new());
    if let Some(base) = p.financing_base {
        c.non_negative(
            base,
            "partnership.financing_base",
            ("the financing base", "finansieringsgrundlaget"),
        );
    }
    if let Some(days) = p.expected_days {
        c.positive(
            days,
            "partnership.expected_days",
            ("the expected days", "de forventede dage"),
        );
    }
    c.percent(
        p.fixed_share_pct,
        "partnership.fixed_share_pct",
        ("the partners' fixed share", "partnernes faste andel"),
    );
    if let Some(r) = &p.rounding {
        c.rounding(r, "partnership.rounding");
    }
    if p.partners.is_empty() {
        c.fail(
            ErrorCode::MissingValue,
            "partnership.partners",
            "a partnership needs at least one partner",
            "Et partnerskab skal have mindst én partner.",
        );
    }
    for (i, m) in p.partners.iter().enumerate() {
        c.non_negative(
            m.expected_days,
            At("partnership.partners", i, ".expected_days"),
            ("a partner's expected days", "en partners forventede dage"),
        );
        match (p.key, m.key) {
            (KeyBasis::Agreed, None) => c.fail(
                ErrorCode::MissingField,
                At("partnership.partners", i, ".key"),
                "the key is agreed, so every partner needs its weight in `key`",
                "Fordelingsnøglen er aftalt, så hver partner skal have sin vægt i `key`.",
            ),
            (KeyBasis::Agreed, Some(k)) => c.non_negative(
                k,
                At("partnership.partners", i, ".key"),
                (
                    "a partner's weight in the key",
                    "en partners vægt i fordelingsnøglen",
                ),
            ),
            (KeyBasis::ExpectedDays, Some(_)) => c.fail(
                ErrorCode::Conflict,
                At("partnership.partners", i, ".key"),
                "a weight is given, but the fixed share is split by expected days; \
                 set `key = \"agreed\"` to use the weights",
                "Der er angivet en vægt, men den faste andel fordeles efter forventede dage; \
                 sæt `key = \"agreed\"` for at bruge vægtene.",
            ),
            (KeyBasis::ExpectedDays, None) => {}
        }
    }
    for (i, l) in p.usage_pct.iter().enumerate() {
        c.non_negative(
            *l,
            At("partnership.usage_pct", i, ""),
            ("a usage level", "et forbrugsniveau"),
        );
    }
    if p.usage_pct.len() > 100 {
        c.fail(
            ErrorCode::LimitExceeded,
            "partnership.usage_pct",
            format!("{} usage levels; the limit is 100", p.usage_pct.len()),
            format!(
                "Der er angivet {} forbrugsniveauer; grænsen er 100.",
                crate::danish::int(p.usage_pct.len())
            ),
        );
    }
    c.unique_field(
        &p.partners,
        |m| &m.municipality,
        "partnership.partners",
        ".municipality",
    );
    let partner_days: Decimal = p
        .partners
        .iter()
        .map(|m| m.expected_days)
        .fold(Decimal::ZERO, |a, b| a.saturating_add(b));
    if let Some(days) = p.expected_days.filter(|d| partner_days > *d) {
        c.fail(
            ErrorCode::OutOfRange,
            "partnership.partners",
            format!(
                "the partners expect {partner_days} days, more than the offer's {days} expected days"
            ),
            format!(
                "Partnerne forventer {} dage, flere end tilbuddets {} forventede dage.",
                crate::danish::number(partner_days),
                crate::danish::number(days)
            ),
        );
    }
    if partner_days.is_zero() && !p.partners.is_empty() {
        c.fail(
            ErrorCode::NotPositive,
            "partnership.partners",
            "the partners' expected days sum to 0, so the fixed payment cannot lower their tariff",
            "Partnernes forventede dage giver tilsammen 0, så den faste betaling kan ikke \
             sænke deres takst.",
        );
    }
    match Errors::from_vec(c.0) {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

impl Partnership {
    /// The partnership in `ex`, taking the financing base and expected days it does not give
    /// from the request's offer (`chain`).
    pub(crate) fn compute(
        &self,
        ex: &mut Explanation,
        warnings: &mut Vec<Warning>,
        chain: &Chain<'_>,
    ) -> Result<PartnershipResult, Errors> {
        check(self)?;
        let result = self.figures(ex, chain)?;
        warnings.extend(self.without_share());
        warnings.extend(self.billed_in_full(chain));
        Ok(result)
    }

    /// Each partner whose share of the fixed payment is 0 (0 expected days, or a weight of 0
    /// in an agreed key) but who gets the partner tariff.
    fn without_share(&self) -> impl Iterator<Item = Warning> + '_ {
        self.partners.iter().enumerate().filter_map(|(i, m)| {
            let (zero, field, what, what_da) = match self.key {
                KeyBasis::ExpectedDays => (
                    m.expected_days.is_zero(),
                    "expected_days",
                    "0 expected days",
                    "0 forventede dage",
                ),
                KeyBasis::Agreed => (
                    m.key.is_some_and(|k| k.is_zero()),
                    "key",
                    "a weight of 0 in the key",
                    "vægten 0 i fordelingsnøglen",
                ),
            };
            zero.then(|| {
                Warning::new(
                    WarningCode::PartnerWithoutShare,
                    format!("partnership.partners[{i}].{field}"),
                    format!(
                        "partner {:?} has {what}, so it pays nothing of the fixed payment, yet \
                         it gets the partner tariff: the days it uses are billed below the full \
                         tariff without being in the partner days the tariff is built on",
                        m.municipality
                    ),
                    format!(
                        "Partneren {:?} har {what_da} og betaler derfor intet af det faste \
                         bidrag, men får partnertaksten: de dage, den bruger, afregnes under den \
                         fulde takst uden at være med i de partnerdage, taksten bygger på.",
                        m.municipality
                    ),
                )
            })
        })
    }

    /// The request's courses of partner municipalities at the offer (every one of them when
    /// the request's sheets are of several offers and none is computed: which the
    /// partnership is of cannot be told) are billed at their sheet's tariffs: takst does not
    /// bill the partner tariff, and a settlement that takes its revenue from the courses does
    /// not count the partners' fixed payment. Warned of once, naming them.
    fn billed_in_full(&self, chain: &Chain<'_>) -> Option<Warning> {
        let partner = |m: &str| self.partners.iter().any(|p| p.municipality == m);
        let mut courses = 0usize;
        let mut towns: Vec<&str> = Vec::new();
        for (i, m) in chain.municipalities.iter().enumerate() {
            let at_offer = chain.at_offer.get(i).copied().unwrap_or(true);
            if let Some(m) = m.filter(|m| at_offer && partner(m)) {
                courses += 1;
                if !towns.contains(&m) {
                    towns.push(m);
                }
            }
        }
        if courses == 0 {
            return None;
        }
        let names = towns.join(", ");
        let (settled, settled_da) = if chain.revenue_from_courses {
            (
                "; the settlement's revenue, taken from the courses, leaves out the partners' \
                 fixed payment",
                "; efterreguleringens indtægt, taget fra forløbene, er uden partnernes faste \
                 betaling",
            )
        } else {
            ("", "")
        };
        Some(Warning::new(
            WarningCode::PartnerBilledFullTariff,
            "partnership",
            format!(
                "{courses} course(s) of the partner municipalities {names} are billed at their \
                 tariff sheet's tariffs, not at the partner tariff: takst does not bill the \
                 partnership's tariffs{settled}"
            ),
            format!(
                "{} forløb i partnerkommunerne {names} afregnes efter takstbladets takster, \
                 ikke efter partnertaksten: takst afregner ikke partnerskabets takster{settled_da}.",
                crate::danish::int(courses)
            ),
        ))
    }

    fn figures(&self, ex: &mut Explanation, chain: &Chain<'_>) -> Result<PartnershipResult, Error> {
        let none = Subj::NONE;
        let offer = chain.offer.as_ref();
        let mut chained = Vec::new();
        let base = given_or_offer(
            ex,
            self.financing_base,
            offer.map(|o| &o.cost_base),
            (&BASE, &BASE_CHAINED),
            "partnership",
            "financing_base",
            &mut chained,
        )?;
        let days = given_or_offer(
            ex,
            self.expected_days,
            offer.map(|o| &o.expected_days),
            (&DAYS, &DAYS_CHAINED),
            "partnership",
            "expected_days",
            &mut chained,
        )?;
        let rounding = rounding_or_offer(self.rounding, offer, &mut chained);
        let publish = |ex: &mut Explanation, d: &'static Desc, f: Fig| {
            ex.round(d, none, f, rounding, Step::Published)
        };
        let (base_dec, days_dec) = (dec(&base, P)?, dec(&days, P)?.normalize());
        let expected: Decimal = self
            .partners
            .iter()
            .fold(Decimal::ZERO, |a, m| a.saturating_add(m.expected_days));
        if expected > days_dec {
            return Err(Error::new(
                ErrorCode::OutOfRange,
                "partnership.partners",
                format!(
                    "the partners expect {expected} days, more than the offer's {days_dec} \
                     expected days"
                ),
                format!(
                    "Partnerne forventer {} dage, flere end tilbuddets {} forventede dage.",
                    crate::danish::number(expected),
                    crate::danish::number(days_dec)
                ),
            ));
        }
        let full_exact = ex.derive(
            &FULL_EXACT,
            none,
            Op::Quotient,
            &[base.clone(), days.clone()],
        )?;
        let (full, full_dec) = publish(ex, &FULL, full_exact.clone())?;
        let pct = input(ex, &SHARE_PCT, none, self.fixed_share_pct)?;
        let fixed_exact = ex.derive(&FIXED_EXACT, none, Op::PercentOf, &[base.clone(), pct])?;
        let (fixed, fixed_dec) = ex.round(&FIXED, none, fixed_exact.clone(), ORE, Step::Derived)?;

        let mut subjects = Vec::with_capacity(self.partners.len());
        let mut pdays = Vec::with_capacity(self.partners.len());
        for m in &self.partners {
            let s = Subj::one(ex.party(|| m.municipality.clone()));
            subjects.push(s);
            pdays.push(input(ex, &PARTNER_DAYS, s, m.expected_days)?);
        }
        let partner_days = ex.derive(&PARTNER_DAYS_SUM, none, Op::Sum, &pdays)?;
        // From the fixed payment actually paid (the partners' contributions sum to it
        // exactly), so that revenue at the expected days is the financing base exactly.
        let per_day = ex.derive(
            &PER_DAY,
            none,
            Op::Quotient,
            &[fixed.clone(), partner_days.clone()],
        )?;
        let partner_exact =
            ex.derive(&PARTNER_EXACT, none, Op::Difference, &[full_exact, per_day])?;
        if partner_exact.v.is_negative() {
            return Err(Error::new(
                ErrorCode::OutOfRange,
                "partnership.partners",
                format!(
                    "the partner tariff would be negative: the partners expect {} of the {} \
                     days but pay {} % of the financing base ({fixed_dec} kr); they must expect \
                     at least that share of the days",
                    dec(&partner_days, P)?,
                    days_dec,
                    self.fixed_share_pct
                ),
                format!(
                    "Partnertaksten ville blive negativ: partnerne forventer {} af de {} dage, \
                     men betaler {} % af finansieringsgrundlaget ({} kr.); de skal mindst \
                     forvente den andel af dagene.",
                    crate::danish::number(dec(&partner_days, P)?),
                    crate::danish::number(days_dec),
                    crate::danish::number(self.fixed_share_pct),
                    crate::danish::number(fixed_dec)
                ),
            ));
        }
        let (partner, partner_dec) = publish(ex, &PARTNER_TARIFF, partner_exact)?;
        let others = ex.derive(
            &NON_PARTNER_DAYS,
            none,
            Op::Difference,
            &[days, partner_days.clone()],
        )?;

        let (weights, weight_sum) = match self.key {
            KeyBasis::ExpectedDays => (pdays.clone(), partner_days.clone()),
            KeyBasis::Agreed => {
                let mut keys = Vec::with_capacity(self.partners.len());
                for (m, s) in self.partners.iter().zip(&subjects) {
                    keys.push(input(ex, &KEY, *s, m.key.unwrap_or_default())?);
                }
                let sum = ex.derive(&KEY_SUM, none, Op::Sum, &keys)?;
                (keys, sum)
            }
        };
        let contributions = split(
            ex,
            &fixed,
            &weights,
            &weight_sum,
            ORE.increment,
            &CONTRIBUTION,
            |k| subjects[k],
            "partnership.partners",
        )?;

        let gap = ex.derive(&GAP, none, Op::Difference, &[full.clone(), partner.clone()])?;
        let mut level_figs = Vec::with_capacity(self.usage_pct.len());
        let mut levels = Vec::with_capacity(self.usage_pct.len());
        for (l, pct) in self.usage_pct.iter().enumerate() {
            let level = level_subj(ex, l, *pct);
            level_figs.push(input(ex, &LEVEL, Subj::two(0, level), *pct)?);
            levels.push(level);
        }
        let mut partners = Vec::with_capacity(self.partners.len());
        for (k, m) in self.partners.iter().enumerate() {
            let s = subjects[k];
            let (contribution, contribution_dec) = &contributions[k];
            let break_even_days = if gap.v.is_zero() {
                None
            } else {
                Some(
                    ex.derive_rounded(
                        &BREAK_EVEN,
                        s,
                        Op::Quotient,
                        &[contribution.clone(), gap.clone()],
                        Rounding::ORE,
                        Step::Display,
                    )?
                    .1,
                )
            };
            let mut usage = Vec::with_capacity(self.usage_pct.len());
            for (l, level) in level_figs.iter().enumerate() {
                let sl = Subj::two(s.a as usize, levels[l]);
                let used = ex.derive(
                    &LEVEL_DAYS,
                    sl,
                    Op::PercentOf,
                    &[pdays[k].clone(), level.clone()],
                )?;
                let (paid, _) = ex.derive_rounded(
                    &LEVEL_TARIFF,
                    sl,
                    Op::Product,
                    &[used.clone(), partner.clone()],
                    ORE,
                    Step::Derived,
                )?;
                let as_partner =
                    ex.derive(&LEVEL_COST, sl, Op::Sum, &[contribution.clone(), paid])?;
                let (as_non, _) = ex.derive_rounded(
                    &LEVEL_FULL,
                    sl,
                    Op::Product,
                    &[used.clone(), full.clone()],
                    ORE,
                    Step::Derived,
                )?;
                let saving = ex.derive(
                    &LEVEL_SAVING,
                    sl,
                    Op::Difference,
                    &[as_non.clone(), as_partner.clone()],
                )?;
                usage.push(UsageLevel {
                    usage_pct: self.usage_pct[l],
                    days: dec(&used, P)?,
                    as_partner: dec(&as_partner, P)?,
                    as_non_partner: dec(&as_non, P)?,
                    saving: dec(&saving, P)?,
                });
            }
            partners.push(PartnerResult {
                municipality: m.municipality.clone(),
                expected_days: m.expected_days,
                contribution: *contribution_dec,
                break_even_days,
                usage,
            });
        }

        let (rev_p, _) = ex.derive_rounded(
            &REV_PARTNERS,
            none,
            Op::Product,
            &[partner_days.clone(), partner],
            ORE,
            Step::Derived,
        )?;
        let (rev_o, _) = ex.derive_rounded(
            &REV_OTHERS,
            none,
            Op::Product,
            &[others.clone(), full],
            ORE,
            Step::Derived,
        )?;
        let revenue = ex.derive(&REVENUE, none, Op::Sum, &[fixed, rev_p, rev_o])?;
        let residue = ex.derive(&RESIDUE, none, Op::Difference, &[revenue.clone(), base])?;
        Ok(PartnershipResult {
            name: self.name.clone(),
            financing_base: base_dec,
            expected_days: days_dec,
            fixed_payment: fixed_dec,
            full_tariff: full_dec,
            partner_tariff: partner_dec,
            partner_days: dec(&partner_days, P)?,
            non_partner_days: dec(&others, P)?,
            revenue: dec(&revenue, P)?,
            residue: dec(&residue, P)?,
            partners,
            chained,
        })
    }
}
