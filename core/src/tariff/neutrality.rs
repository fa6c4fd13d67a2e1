//! Revenue neutrality (domain reference §4): with the expected mix of days per service,
//! Σ published tariff × expected days must equal the cost base, up to rounding; the
//! rounding residue is reported, and a warning given when it exceeds a share of the cost
//! base.

use schemars::JsonSchema;
use serde::Serialize;

use crate::error::{Error, ErrorCode, WarningCode};
use crate::exact::Exact;
use crate::explain::{Desc, Fig, Op, Subj, Unit};
use crate::name::Name;

use super::average::Average;
use super::capacity::Cap;
use super::cost_base::Base;
use super::derived::AVERAGE_ID;
use super::services::{Services, ON_STACK};
use super::Calc;

/// Revenue neutrality: what the published tariffs bring in with the expected mix of days.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct Neutrality {
    /// The cost base.
    pub cost_base: Exact,
    /// Σ published day tariff × expected days.
    pub revenue: Exact,
    /// revenue − cost base: the rounding of the tariffs priced from the cost base, plus what
    /// tariffs not priced from it bring in beyond their share (levels set as a percentage of
    /// another) and any gap in the service mix (the warning `rounding_residue` gives the two
    /// parts).
    pub residue: Exact,
    /// Per service (or the average tariff when there are no services).
    pub by_service: Vec<ServiceRevenue>,
}

/// One service's expected revenue.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct ServiceRevenue {
    /// Service id, or "average".
    pub id: Name,
    /// Expected occupied days of the service.
    pub expected_days: Exact,
    /// Published day tariff.
    #[schemars(with = "crate::num::Num")]
    pub day: rust_decimal::Decimal,
    /// day × expected days.
    pub revenue: Exact,
}

const AVERAGE_REVENUE: Desc = Desc {
    key: "average.revenue",
    label: "Forventet indtægt ved gennemsnitstaksten",
    unit: Unit::Kr,
    rule: "gennemsnitstakst × forventede belægningsdage",
    source: None,
    path: "offer",
};
const SERVICE_DAYS: Desc = Desc {
    key: "service.{s}.expected_days",
    label: "Forventede belægningsdage, {S}",
    unit: Unit::Days,
    rule: "forventede belægningsdage × andel ÷ 100",
    source: None,
    path: "offer.services[{a}].share_pct",
};
const SERVICE_REVENUE: Desc = Desc {
    key: "service.{s}.revenue",
    label: "Forventet indtægt, {S}",
    unit: Unit::Kr,
    rule: "offentliggjort dagtakst × forventede dage",
    source: None,
    path: "offer.services[{a}]",
};
const REVENUE: Desc = Desc {
    key: "neutrality.revenue",
    label: "Forventet takstindtægt",
    unit: Unit::Kr,
    rule: "Σ takst × forventede dage",
    source: None,
    path: "offer.services",
};
const RESIDUE: Desc = Desc {
    key: "neutrality.residue",
    label: "Afrundingsrest (indtægt − omkostningsgrundlag)",
    unit: Unit::Kr,
    rule: "forventet takstindtægt − omkostningsgrundlag",
    source: Some("provenuneutralitet"),
    path: "offer.services",
};

pub(crate) fn compute(
    c: &mut Calc<'_>,
    cap: &Cap,
    base: &Base,
    avg: &Average,
    svc: &Services,
) -> Result<Neutrality, Error> {
    let o = c.o;
    let mut by_service = Vec::with_capacity(o.services.len().max(1));
    // The revenues, summed: on the stack for an offer of ordinary size.
    let mut on_stack = [const { Fig::NONE }; ON_STACK];
    let mut on_heap = Vec::new();
    let revenues = super::buffer(
        &mut on_stack,
        &mut on_heap,
        o.services.len().max(1),
        Fig::NONE,
    );
    let mut n_revenues = 0;
    if o.services.is_empty() {
        let rev = c.ex.derive(
            &AVERAGE_REVENUE,
            Subj::NONE,
            Op::Product,
            &[avg.published.day.clone(), cap.expected_days.clone()],
        )?;
        by_service.push(ServiceRevenue {
            id: AVERAGE_ID.name(),
            expected_days: cap.expected_days.v.clone(),
            day: avg.published.day_value,
            revenue: rev.v.clone(),
        });
        if let Some(slot) = revenues.get_mut(n_revenues) {
            *slot = rev;
            n_revenues += 1;
        }
    }
    for (i, s) in o.services.iter().enumerate() {
        let Some(p) = svc.get(i) else { continue };
        let subj = Subj::one(i);
        let days = c.ex.derive_pair(
            &SERVICE_DAYS,
            subj,
            Op::PercentOf,
            &cap.expected_days,
            &svc.each[i].share,
        )?;
        let rev =
            c.ex.derive_pair(&SERVICE_REVENUE, subj, Op::Product, &p.day, &days)?;
        by_service.push(ServiceRevenue {
            id: s.id.clone(),
            expected_days: days.v,
            day: p.day_value,
            revenue: rev.v.clone(),
        });
        if let Some(slot) = revenues.get_mut(n_revenues) {
            *slot = rev;
            n_revenues += 1;
        }
    }
    let revenues = revenues.get(..n_revenues).unwrap_or_default();
    let revenue = c.ex.derive(&REVENUE, Subj::NONE, Op::Sum, revenues)?;
    let residue =
        c.ex.derive_pair(&RESIDUE, Subj::NONE, Op::Difference, &revenue, &base.total)?;
    let threshold = o.settings.residue_warning_pct;
    let limit = base
        .total
        .v
        .checked_mul(&Exact::from(threshold))
        .and_then(|x| x.checked_div(&Exact::from(100i64)))
        .ok_or_else(|| {
            Error::new(
                ErrorCode::Overflow,
                "offer.settings.residue_warning_pct",
                "the residue threshold is too large to apply to the cost base",
                "Grænsen for afrundingsdifferencen er for stor til at anvende på \
                 omkostningsgrundlaget.",
            )
        })?;
    if residue.v.abs() > limit {
        // Each revenue's tariff before rounding, when priced from the cost base, in the
        // order of `by_service`.
        let made: Vec<Option<std::borrow::Cow<'_, Exact>>> = if o.services.is_empty() {
            vec![avg.published.day_exact.value()]
        } else {
            (0..o.services.len())
                .filter_map(|i| svc.get(i))
                .map(|p| p.day_exact.value())
                .collect()
        };
        let exact: Vec<Option<&Exact>> = made.iter().map(|v| v.as_deref()).collect();
        let (en, da) = residue_warning(&residue.v, &by_service, &exact, threshold);
        c.warn(WarningCode::RoundingResidue, "neutrality.residue", en, da);
    }
    Ok(Neutrality {
        cost_base: base.total.v.clone(),
        revenue: revenue.v,
        residue: residue.v,
        by_service,
    })
}

/// An amount of kroner in English text: øre with two decimals, never one (`-172.60`).
fn kr_en(value: &Exact) -> String {
    match value.to_decimal().map(|d| d.normalize()) {
        Some(mut d) if d.scale() == 1 => {
            d.rescale(2);
            d.to_string()
        }
        _ => value.short(),
    }
}

/// The texts of the residue's warning: how much of it is the rounding of the tariffs priced
/// from the cost base (a package's too), and how much comes from tariffs that are not (a
/// level in per cent of another) or from a service mix that is not 100 %.
#[cold]
fn residue_warning(
    residue: &Exact,
    by_service: &[ServiceRevenue],
    exact: &[Option<&Exact>],
    threshold: rust_decimal::Decimal,
) -> (String, String) {
    let (direction, direction_da) = if residue.is_negative() {
        ("less", "mindre")
    } else {
        ("more", "mere")
    };
    let rounding =
        by_service
            .iter()
            .zip(exact)
            .try_fold(Exact::ZERO, |sum, (s, exact)| match exact {
                Some(e) => Exact::from(s.day)
                    .checked_sub(e)
                    .and_then(|d| d.checked_mul(&s.expected_days))
                    .and_then(|d| sum.checked_add(&d)),
                None => Some(sum),
            });
    let other = rounding.as_ref().and_then(|r| residue.checked_sub(r));
    let threshold_da = crate::danish::number(threshold);
    let size = residue.abs();
    match (&rounding, &other) {
        (Some(r), Some(other)) if !other.is_zero() => (
            format!(
                "the published tariffs bring in {} kr {direction} than the cost base (above \
                 {threshold} % of it): {} kr from rounding the tariffs priced from the cost \
                 base, {} kr from tariffs that are not (levels set as a percentage of \
                 another) or a service mix that is not 100 %",
                kr_en(&size),
                kr_en(r),
                kr_en(other)
            ),
            format!(
                "De offentliggjorte takster giver {} kr. {direction_da} end \
                 omkostningsgrundlaget (over {threshold_da} % af det): {} kr. fra \
                 afrundingen af de takster, der er beregnet af omkostningsgrundlaget, og \
                 {} kr. fra takster, der ikke er (niveauer i procent af en anden takst), \
                 eller en fordeling af dagene, der ikke er 100 %.",
                crate::danish::figure(&size, Unit::Kr),
                crate::danish::figure(r, Unit::Kr),
                crate::danish::figure(other, Unit::Kr)
            ),
        ),
        _ => (
            format!(
                "the published tariffs bring in {} kr {direction} than the cost base (residue \
                 above {threshold} % of the cost base)",
                kr_en(&size)
            ),
            format!(
                "De offentliggjorte takster giver {} kr. {direction_da} end \
                 omkostningsgrundlaget (en afrundingsdifference over {threshold_da} % af \
                 omkostningsgrundlaget).",
                crate::danish::figure(&size, Unit::Kr)
            ),
        ),
    }
}
