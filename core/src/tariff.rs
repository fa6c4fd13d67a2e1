//! From an offer's budget to tariffs: the cost base, the average tariff, differentiated
//! services, part-time fractions and add-ons, and the revenue-neutrality check.
//!
//! The general mechanism (domain reference §4): every cost line has an allocation key. Lines
//! keyed per occupied day are common costs, shared equally; lines keyed per support hour are
//! care costs, shared by the weekly support hours each service gives. Then
//!
//! ```text
//! tariff(s) = common ÷ expected days + support ÷ (expected days × mean weekly hours) × hours(s)
//! ```
//!
//! where the mean is weighted by the services' shares of the occupied days. With shares that
//! sum to 100 % this is revenue neutral before rounding.

use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::Serialize;

use crate::error::{Error, ErrorCode, Errors, Warning, WarningCode};
use crate::explain::{Explanation, NodeId, Op, Unit};
use crate::offer::{
    AddOnPrice, AllocationKey, Capacity, Category, DayBasis, Occupancy, Offer, Service,
};
use crate::sheet::{
    AddOnTariff, AddOnUnit, PartTimeTariff, ServiceTariff, SheetFormat, SheetOffer,
    SheetPackageScheme, Tariff, TariffSheet,
};
use crate::validate::{self, AVERAGE};

const PUBLISHED: &str = "offentliggjort takst";
const DERIVED: &str = "afledt beløb";
const SEL_174: &str = "SEL § 174: takst fastsættes ud fra alle budgetterede direkte og indirekte langsigtede omkostninger";

/// Everything computed from an offer.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct Computed {
    /// The published tariffs.
    pub sheet: TariffSheet,
    /// The cost base line by line, and the capacity it is spread over.
    pub cost_base: CostBase,
    /// Σ tariff × expected days against the cost base.
    pub neutrality: Neutrality,
    /// Legal but doubtful aspects of the calculation.
    pub warnings: Vec<Warning>,
    /// How every figure came about.
    pub explanation: Explanation,
}

/// The cost base and capacity.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct CostBase {
    /// Each line's signed contribution (income lines negative).
    pub lines: Vec<CostBaseLine>,
    /// Subtotal per category, in sheet order.
    pub categories: Vec<CategoryTotal>,
    /// Direct costs (wages, operating, property): the base of a percentage overhead.
    #[schemars(with = "crate::num::Num")]
    pub direct: Decimal,
    /// Lines keyed per occupied day.
    #[schemars(with = "crate::num::Num")]
    pub common: Decimal,
    /// Lines keyed per support hour.
    #[schemars(with = "crate::num::Num")]
    pub support: Decimal,
    /// The cost base the tariffs must cover.
    #[schemars(with = "crate::num::Num")]
    pub total: Decimal,
    /// Places in the calculation.
    #[schemars(with = "crate::num::Num")]
    pub places: Decimal,
    /// Budgeted occupancy in per cent.
    #[schemars(with = "crate::num::Num")]
    pub occupancy_pct: Decimal,
    /// Days a place is billed in a year.
    pub day_basis: u32,
    /// places × day basis × occupancy.
    #[schemars(with = "crate::num::Num")]
    pub expected_days: Decimal,
}

/// One cost line's contribution.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct CostBaseLine {
    /// The line's label.
    pub label: String,
    /// Its category.
    pub category: Category,
    /// Its allocation key.
    pub key: AllocationKey,
    /// Signed contribution to the cost base.
    #[schemars(with = "crate::num::Num")]
    pub amount: Decimal,
}

/// A category subtotal.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct CategoryTotal {
    /// The category.
    pub category: Category,
    /// Signed subtotal.
    #[schemars(with = "crate::num::Num")]
    pub amount: Decimal,
}

/// Revenue neutrality: what the published tariffs bring in with the expected mix of days.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct Neutrality {
    /// The cost base.
    #[schemars(with = "crate::num::Num")]
    pub cost_base: Decimal,
    /// Σ published day tariff × expected days.
    #[schemars(with = "crate::num::Num")]
    pub revenue: Decimal,
    /// revenue − cost base: the rounding residue (plus any gap in the service mix).
    #[schemars(with = "crate::num::Num")]
    pub residue: Decimal,
    /// Per service (or the average tariff when there are no services).
    pub by_service: Vec<ServiceRevenue>,
}

/// One service's expected revenue.
#[derive(Clone, Debug, PartialEq, Serialize, JsonSchema)]
pub struct ServiceRevenue {
    /// Service id, or "average".
    pub id: String,
    /// Expected occupied days of the service.
    #[schemars(with = "crate::num::Num")]
    pub expected_days: Decimal,
    /// Published day tariff.
    #[schemars(with = "crate::num::Num")]
    pub day: Decimal,
    /// day × expected days.
    #[schemars(with = "crate::num::Num")]
    pub revenue: Decimal,
}

impl Offer {
    /// Computes the tariffs of the offer, with warnings and the explanation of every figure.
    ///
    /// All structural problems are reported together; an arithmetic failure (a division by
    /// zero, an overflow) names the figure that could not be computed.
    ///
    /// # Example
    ///
    /// ```
    /// let offer = takst::Offer::from_toml(r#"
    ///     name = "Eksempel"
    ///     year = 2026
    ///     kind = "residential"
    ///     capacity = { places = 10 }
    ///     occupancy = { budgeted_pct = 95 }
    ///     costs = [ { label = "Alt", category = "wages", amount = 9_500_000 } ]
    /// "#).unwrap();
    /// let computed = offer.compute().unwrap();
    /// // 9,500,000 / (10 × 365 × 0.95) = 2,739.73 → 2,740 kr per døgn.
    /// assert_eq!(computed.sheet.average.unwrap().day.to_string(), "2740");
    /// ```
    pub fn compute(&self) -> Result<Computed, Errors> {
        validate::offer(self)?;
        Calc::new(self).run().map_err(Errors::from)
    }
}

struct Published {
    day: NodeId,
    month: Option<NodeId>,
    year: Option<NodeId>,
}

struct Calc<'a> {
    o: &'a Offer,
    ex: Explanation,
    warnings: Vec<Warning>,
    day_word: &'static str,
}

fn days_in_year(year: i32) -> u32 {
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    if leap {
        366
    } else {
        365
    }
}

impl<'a> Calc<'a> {
    fn new(o: &'a Offer) -> Self {
        Calc {
            o,
            ex: Explanation::new(),
            warnings: Vec::new(),
            day_word: o.kind.day_word_da(),
        }
    }

    /// Days a place is billed in the year: the offer's day basis, 365 when not given.
    fn day_basis_days(&self) -> u32 {
        match self.o.day_basis {
            None => 365,
            Some(DayBasis::Days(d)) => d,
            Some(DayBasis::Named(_)) => days_in_year(self.o.year),
        }
    }

    /// The value of a node this calculation made. Every id here was returned by `self.ex`,
    /// which never removes a node, so the lookup cannot miss.
    fn v(&self, id: NodeId) -> Decimal {
        self.ex.value(id).unwrap_or_default()
    }

    fn warn(&mut self, code: WarningCode, path: impl Into<String>, message: impl Into<String>) {
        self.warnings.push(Warning::new(code, path, message));
    }

    fn run(mut self) -> Result<Computed, Error> {
        let (places, day_basis, occupancy, expected_days) = self.capacity()?;
        let (cost_base_report, totals) = self.cost_base()?;
        let CostTotals {
            total,
            common,
            support,
        } = totals;

        let average_exact = self
            .ex
            .derive(
                "average.day_exact",
                format!("Gennemsnitlig {}takst før afrunding", self.day_word),
                Unit::KrPerDay,
            )
            .rule("omkostningsgrundlag ÷ forventede belægningsdage")
            .source(SEL_174)
            .of(Op::Quotient, &[total, expected_days])?;
        let average = self.publish("average", "Gennemsnitstakst", average_exact, day_basis)?;

        let mut services: Vec<(usize, Published)> = Vec::new();
        let mut package_scheme = None;
        if !self.o.services.is_empty() {
            let (priced, scheme) =
                self.services(expected_days, day_basis, common, support, &average)?;
            services = priced;
            package_scheme = scheme;
        }
        let neutrality = self.neutrality(total, expected_days, &average, &services)?;
        let part_time = self.part_time(&average, &services)?;
        let add_ons = self.add_ons(&average, &services)?;

        let tariff = |ex: &Explanation, p: &Published| Tariff {
            day: ex.value(p.day).unwrap_or_default(),
            month: p.month.and_then(|m| ex.value(m)),
            year: p.year.and_then(|y| ex.value(y)),
        };
        let service_tariffs = services
            .iter()
            .map(|(i, p)| {
                let s = &self.o.services[*i];
                let find = |suffix: &str| {
                    self.ex
                        .find(&format!("service.{}.{suffix}", s.id))
                        .map(|n| n.value)
                };
                ServiceTariff {
                    id: s.id.clone(),
                    name: s.name.clone(),
                    kind: s.kind,
                    stage: s.stage,
                    tariff: tariff(&self.ex, p),
                    basis: s.package.and_then(|_| {
                        package_scheme
                            .as_ref()
                            .map(|ps: &SheetPackageScheme| ps.basis)
                    }),
                    package_part: find("package_part"),
                    hours_per_week: find("hours_per_week"),
                    share_pct: Some(s.share_pct),
                }
            })
            .collect();

        let o = self.o;
        let sheet = TariffSheet {
            format: SheetFormat::TariffSheet,
            version: 1,
            offer: SheetOffer {
                id: o.id.clone(),
                name: o.name.clone(),
                provider: o.provider.clone(),
                kind: o.kind,
                year: o.year,
            },
            source: Some(format!(
                "beregnet af takst {} ud fra omkostningsgrundlaget",
                env!("CARGO_PKG_VERSION")
            )),
            day_basis: self.day_basis_days(),
            rounding: o.settings.published_rounding,
            average: Some(tariff(&self.ex, &average)),
            services: service_tariffs,
            package_scheme,
            part_time,
            add_ons,
        };
        let cost_base = CostBase {
            places: self.v(places),
            occupancy_pct: self.v(occupancy),
            day_basis: sheet.day_basis,
            expected_days: self.v(expected_days),
            ..cost_base_report
        };
        Ok(Computed {
            sheet,
            cost_base,
            neutrality,
            warnings: self.warnings,
            explanation: self.ex,
        })
    }

    /// Places, day basis, occupancy and expected occupied days.
    fn capacity(&mut self) -> Result<(NodeId, NodeId, NodeId, NodeId), Error> {
        let places = match self.o.capacity {
            Capacity::Places(p) => self.ex.input(
                "offer.places",
                "Pladser",
                p,
                Unit::Places,
                "offer.capacity.places",
            )?,
            Capacity::TreatmentCitizens(n) => {
                let citizens = self.ex.input(
                    "offer.treatment_citizens",
                    "Forventede behandlede borgere i året",
                    n,
                    Unit::Citizens,
                    "offer.capacity.treatment_citizens",
                )?;
                let ten = self.ex.constant(
                    "const.citizens_per_place",
                    "Borgere pr. behandlingsplads",
                    Decimal::TEN,
                    Unit::Citizens,
                    "SEL §§ 101/101a, SUL § 141: pladser = borgere ÷ 10",
                )?;
                self.ex
                    .derive("offer.places", "Pladser", Unit::Places)
                    .rule("behandlede borgere ÷ 10")
                    .source("SEL §§ 101/101a, SUL § 141")
                    .of(Op::Quotient, &[citizens, ten])?
            }
        };
        let day_basis = match self.o.day_basis {
            None => self.ex.constant(
                "offer.day_basis",
                "Dagbasis",
                Decimal::from(self.day_basis_days()),
                Unit::Days,
                "konvention: 365 dage om året (standard)",
            )?,
            Some(DayBasis::Days(d)) => self.ex.input(
                "offer.day_basis",
                "Dagbasis",
                Decimal::from(d),
                Unit::Days,
                "offer.day_basis",
            )?,
            Some(DayBasis::Named(_)) => {
                let d = self.day_basis_days();
                self.ex.constant(
                    "offer.day_basis",
                    "Dagbasis",
                    Decimal::from(d),
                    Unit::Days,
                    format!("faktiske dage i {}", self.o.year),
                )?
            }
        };
        let occupancy = match &self.o.occupancy {
            Occupancy::BudgetedPct(p) => self.ex.input(
                "offer.occupancy_pct",
                "Budgetteret belægningsprocent",
                *p,
                Unit::Percent,
                "offer.occupancy.budgeted_pct",
            )?,
            Occupancy::PreviousYearsPct(years) => {
                let mut inputs = Vec::new();
                for (i, y) in years.iter().enumerate() {
                    inputs.push(self.ex.input(
                        format!("offer.occupancy_pct.previous[{i}]"),
                        format!("Faktisk belægning, tidligere år {}", i + 1),
                        *y,
                        Unit::Percent,
                        format!("offer.occupancy.previous_years_pct[{i}]"),
                    )?);
                }
                if years.len() != 2 {
                    self.warn(WarningCode::OccupancyYears, "offer.occupancy.previous_years_pct", format!("budgeted occupancy is normally the mean of the two previous years; {} were given", years.len()));
                }
                self.ex
                    .derive(
                        "offer.occupancy_pct",
                        "Budgetteret belægningsprocent",
                        Unit::Percent,
                    )
                    .rule("gennemsnit af de foregående års faktiske belægning")
                    .source("styringsaftale: belægningsprocent")
                    .of(Op::Mean, &inputs)?
            }
        };
        self.occupancy_warnings(self.v(occupancy));
        let occupied = self
            .ex
            .derive(
                "offer.occupied_places",
                "Forventet belagte pladser",
                Unit::Places,
            )
            .rule("pladser × belægningsprocent ÷ 100")
            .of(Op::PercentOf, &[places, occupancy])?;
        let expected_days = self
            .ex
            .derive(
                "offer.expected_days",
                "Forventede belægningsdage",
                Unit::Days,
            )
            .rule("pladser × dagbasis × belægningsprocent")
            .of(Op::Product, &[occupied, day_basis])?;
        Ok((places, day_basis, occupancy, expected_days))
    }

    fn occupancy_warnings(&mut self, pct: Decimal) {
        let path = match self.o.occupancy {
            Occupancy::BudgetedPct(_) => "offer.occupancy.budgeted_pct",
            Occupancy::PreviousYearsPct(_) => "offer.occupancy.previous_years_pct",
        };
        let (min, max) = match &self.o.settings.occupancy_band_pct {
            Some(b) => (b.min, b.max),
            None if self.o.short_term => (Decimal::from(90), Decimal::from(98)),
            None => (Decimal::from(95), Decimal::from(98)),
        };
        if pct < min {
            let why = if self.o.short_term {
                "short-term, acute and respite offers must budget at least"
            } else {
                "the agreed band starts at"
            };
            self.warn(
                WarningCode::OccupancyBelowBand,
                path,
                format!("budgeted occupancy {pct} % is below the band: {why} {min} %"),
            );
        } else if pct > max {
            self.warn(WarningCode::OccupancyAboveBand, path, format!("budgeted occupancy {pct} % is above the band's {max} % (styringsaftaler recommend at most 98 %)"));
        }
    }

    fn cost_base(&mut self) -> Result<(CostBase, CostTotals), Error> {
        let lines = &self.o.costs;
        let mut contribution: Vec<Option<NodeId>> = vec![None; lines.len()];
        // Amount lines first; percentage overhead needs the direct total.
        for (i, line) in lines.iter().enumerate() {
            let Some(amount) = line.amount else { continue };
            let (key, path) = (format!("cost[{i}]"), format!("offer.costs[{i}].amount"));
            let label = line.label.clone();
            let mut node = match &line.source {
                Some(src) => self
                    .ex
                    .input_from(key, label, amount, Unit::Kr, path, src)?,
                None => self.ex.input(key, label, amount, Unit::Kr, path)?,
            };
            if line.category.is_income() {
                node = self
                    .ex
                    .derive(
                        format!("cost[{i}].signed"),
                        format!("{} (fradrag)", line.label),
                        Unit::Kr,
                    )
                    .rule("indtægter trækkes fra omkostningsgrundlaget")
                    .of(Op::Negate, &[node])?;
            }
            contribution[i] = Some(node);
        }
        let direct_nodes: Vec<NodeId> = lines
            .iter()
            .zip(&contribution)
            .filter(|(l, _)| l.category.is_direct())
            .filter_map(|(_, c)| *c)
            .collect();
        let direct = self
            .ex
            .derive("cost_base.direct", "Direkte omkostninger", Unit::Kr)
            .rule("løn + øvrig drift + ejendomsudgifter")
            .of(Op::Sum, &direct_nodes)?;
        for (i, line) in lines.iter().enumerate() {
            let Some(pct) = line.pct else { continue };
            let base = match &line.pct_base {
                None => direct,
                Some(categories) => {
                    let members: Vec<NodeId> = lines
                        .iter()
                        .zip(&contribution)
                        .filter(|(l, _)| categories.contains(&l.category))
                        .filter_map(|(_, c)| *c)
                        .collect();
                    let names: Vec<&str> = categories.iter().map(|c| c.name()).collect();
                    self.ex
                        .derive(
                            format!("cost[{i}].base"),
                            format!("Grundlag for {}", line.label),
                            Unit::Kr,
                        )
                        .rule(format!("sum af kategorierne {}", names.join(", ")))
                        .of(Op::Sum, &members)?
                }
            };
            let p = self.ex.input(
                format!("cost[{i}].pct"),
                format!("{}, procentsats", line.label),
                pct,
                Unit::Percent,
                format!("offer.costs[{i}].pct"),
            )?;
            let rule = match line.pct_base {
                None => "direkte omkostninger × procentsats ÷ 100",
                Some(_) => "grundlag × procentsats ÷ 100",
            };
            let source = line.source.clone();
            let source =
                source.unwrap_or_else(|| "rammeaftale: overhead i procent af et grundlag".into());
            contribution[i] = Some(
                self.ex
                    .derive(format!("cost[{i}]"), line.label.clone(), Unit::Kr)
                    .rule(rule)
                    .source(source)
                    .of(Op::PercentOf, &[base, p])?,
            );
        }
        let contribution: Vec<NodeId> = contribution.into_iter().flatten().collect();

        let mut categories = Vec::new();
        let mut category_nodes = Vec::new();
        for cat in Category::ALL {
            let members: Vec<NodeId> = lines
                .iter()
                .zip(&contribution)
                .filter(|(l, _)| l.category == cat)
                .map(|(_, c)| *c)
                .collect();
            if members.is_empty() {
                continue;
            }
            let node = self
                .ex
                .derive(
                    format!("cost_base.{}", cat.name()),
                    cat.label_da(),
                    Unit::Kr,
                )
                .rule("sum af linjerne i kategorien")
                .of(Op::Sum, &members)?;
            categories.push(CategoryTotal {
                category: cat,
                amount: self.v(node),
            });
            category_nodes.push(node);
        }
        let total = self
            .ex
            .derive("cost_base", "Omkostningsgrundlag (takstberegningsgrundlag)", Unit::Kr)
            .rule("direkte + indirekte omkostninger + afskrivninger + forrentning + tjenestemandspension − indtægter ± efterregulering")
            .source(SEL_174)
            .of(Op::Sum, &category_nodes)?;
        if self.v(total) <= Decimal::ZERO {
            return Err(Error::new(
                ErrorCode::NotPositive,
                "offer.costs",
                format!("the cost base is {} kr: income and regulation exceed the costs, so there is nothing for a tariff to cover", self.v(total)),
            ));
        }
        let keyed = |key: AllocationKey| -> Vec<NodeId> {
            lines
                .iter()
                .zip(&contribution)
                .filter(|(l, _)| l.key == key)
                .map(|(_, c)| *c)
                .collect()
        };
        let (days_lines, hour_lines) = (
            keyed(AllocationKey::Days),
            keyed(AllocationKey::SupportHours),
        );
        let common = self
            .ex
            .derive(
                "cost_base.common",
                "Fællesomkostninger (fordeles pr. belægningsdag)",
                Unit::Kr,
            )
            .rule("sum af linjer med fordelingsnøgle pr. belægningsdag")
            .of(Op::Sum, &days_lines)?;
        let support = self
            .ex
            .derive(
                "cost_base.support",
                "Støtteomkostninger (fordeles efter støttetimer)",
                Unit::Kr,
            )
            .rule("sum af linjer med fordelingsnøgle pr. støttetime")
            .of(Op::Sum, &hour_lines)?;

        self.overhead_warning(direct)?;

        let report = CostBase {
            lines: lines
                .iter()
                .zip(&contribution)
                .map(|(l, c)| CostBaseLine {
                    label: l.label.clone(),
                    category: l.category,
                    key: l.key,
                    amount: self.v(*c),
                })
                .collect(),
            categories,
            direct: self.v(direct),
            common: self.v(common),
            support: self.v(support),
            total: self.v(total),
            places: Decimal::ZERO,
            occupancy_pct: Decimal::ZERO,
            day_basis: 0,
            expected_days: Decimal::ZERO,
        };
        Ok((
            report,
            CostTotals {
                total,
                common,
                support,
            },
        ))
    }

    fn overhead_warning(&mut self, direct: NodeId) -> Result<(), Error> {
        let Some(overhead) = self.ex.find("cost_base.overhead").map(|n| n.id) else {
            return Ok(());
        };
        if self.v(direct) <= Decimal::ZERO {
            return Ok(());
        }
        let hundred = self.ex.constant(
            "const.hundred",
            "Hundrede",
            Decimal::ONE_HUNDRED,
            Unit::Number,
            "procent",
        )?;
        let ratio = self
            .ex
            .derive(
                "cost_base.overhead_share",
                "Overhead i forhold til direkte omkostninger",
                Unit::Ratio,
            )
            .rule("overhead ÷ direkte omkostninger")
            .of(Op::Quotient, &[overhead, direct])?;
        let pct = self
            .ex
            .derive(
                "cost_base.overhead_pct",
                "Overhead i % af direkte omkostninger",
                Unit::Percent,
            )
            .rule("forhold × 100")
            .of(Op::Product, &[ratio, hundred])?;
        let cap = self.o.settings.overhead_cap_pct;
        let actual = self.v(pct);
        if actual > cap {
            let shown = crate::Rounding::ORE.apply(actual).unwrap_or(actual);
            self.warn(
                WarningCode::OverheadAboveCap,
                "offer.costs",
                format!("overhead is {shown} % of direct costs, above the agreed cap of {cap} %"),
            );
        }
        Ok(())
    }

    /// Publishes the day, month and year tariff derived from an unrounded day tariff.
    fn publish(
        &mut self,
        prefix: &str,
        label: &str,
        day_exact: NodeId,
        day_basis: NodeId,
    ) -> Result<Published, Error> {
        let r = self.o.settings.published_rounding;
        let w = self.day_word;
        let day = self
            .ex
            .derive(
                format!("{prefix}.day"),
                format!("{label}, pr. {w}"),
                Unit::KrPerDay,
            )
            .rule(format!("{w}takst afrundet"))
            .rounded(r, PUBLISHED)
            .of(Op::Round, &[day_exact])?;
        let annual = self
            .ex
            .derive(
                format!("{prefix}.year_exact"),
                format!("{label}, årstakst før afrunding"),
                Unit::KrPerYear,
            )
            .rule(format!("{w}takst før afrunding × dagbasis"))
            .of(Op::Product, &[day_exact, day_basis])?;
        let twelve = match self.ex.find("const.months").map(|n| n.id) {
            Some(id) => id,
            None => self.ex.constant(
                "const.months",
                "Måneder i et år",
                Decimal::from(12),
                Unit::Number,
                "månedstakst = årstakst ÷ 12",
            )?,
        };
        let month = self
            .ex
            .derive(
                format!("{prefix}.month"),
                format!("{label}, pr. måned"),
                Unit::KrPerMonth,
            )
            .rule("årstakst før afrunding ÷ 12")
            .rounded(r, PUBLISHED)
            .of(Op::Quotient, &[annual, twelve])?;
        let year = self
            .ex
            .derive(
                format!("{prefix}.year"),
                format!("{label}, pr. år"),
                Unit::KrPerYear,
            )
            .rule("årstakst afrundet")
            .rounded(r, PUBLISHED)
            .of(Op::Round, &[annual])?;
        Ok(Published {
            day,
            month: Some(month),
            year: Some(year),
        })
    }

    #[allow(clippy::type_complexity)]
    fn services(
        &mut self,
        expected_days: NodeId,
        day_basis: NodeId,
        common: NodeId,
        support: NodeId,
        average: &Published,
    ) -> Result<(Vec<(usize, Published)>, Option<SheetPackageScheme>), Error> {
        let services = &self.o.services;
        let w = self.day_word;
        let common_per_day = self
            .ex
            .derive(
                "services.common_per_day",
                format!("Fællesomkostninger pr. {w}"),
                Unit::KrPerDay,
            )
            .rule("fællesomkostninger ÷ forventede belægningsdage")
            .of(Op::Quotient, &[common, expected_days])?;

        // Weekly support hours of every service priced by hours or package.
        let band = match &self.o.package_scheme {
            Some(ps) => Some(self.ex.input(
                "package_scheme.band_hours_per_week",
                "Timer pr. uge mellem to pakker",
                ps.band_hours_per_week,
                Unit::HoursPerWeek,
                "offer.package_scheme.band_hours_per_week",
            )?),
            None => None,
        };
        let mut hours: Vec<Option<NodeId>> = vec![None; services.len()];
        let mut shares: Vec<NodeId> = Vec::with_capacity(services.len());
        let mut weighted = Vec::new();
        for (i, s) in services.iter().enumerate() {
            let id = &s.id;
            shares.push(self.ex.input(
                format!("service.{id}.share_pct"),
                format!("Andel af belægningsdage, {}", s.name),
                s.share_pct,
                Unit::Percent,
                format!("offer.services[{i}].share_pct"),
            )?);
            let h = match (s.hours_per_week, s.package, band) {
                (Some(h), _, _) => Some(self.ex.input(
                    format!("service.{id}.hours_per_week"),
                    format!("Støttetimer pr. uge, {}", s.name),
                    h,
                    Unit::HoursPerWeek,
                    format!("offer.services[{i}].hours_per_week"),
                )?),
                (None, Some(n), Some(band)) => {
                    let n = self.ex.input(
                        format!("service.{id}.package"),
                        format!("Pakkenummer, {}", s.name),
                        Decimal::from(n),
                        Unit::Number,
                        format!("offer.services[{i}].package"),
                    )?;
                    let half = match self.ex.find("const.half").map(|n| n.id) {
                        Some(id) => id,
                        None => self.ex.constant(
                            "const.half",
                            "En halv",
                            Decimal::new(5, 1),
                            Unit::Number,
                            "pakken prissættes midt i sit timeinterval",
                        )?,
                    };
                    let mid = self
                        .ex
                        .derive(
                            format!("service.{id}.band_middle"),
                            format!("Midten af pakkens interval, {}", s.name),
                            Unit::Number,
                        )
                        .rule("pakkenummer − ½")
                        .of(Op::Difference, &[n, half])?;
                    Some(
                        self.ex
                            .derive(
                                format!("service.{id}.hours_per_week"),
                                format!("Støttetimer pr. uge, {}", s.name),
                                Unit::HoursPerWeek,
                            )
                            .rule("(pakkenummer − ½) × timer mellem to pakker")
                            .of(Op::Product, &[mid, band])?,
                    )
                }
                _ => None,
            };
            if let Some(h) = h {
                weighted.push(
                    self.ex
                        .derive(
                            format!("service.{id}.weighted_hours"),
                            format!("Vægtede støttetimer, {}", s.name),
                            Unit::HoursPerWeek,
                        )
                        .rule("støttetimer × andel ÷ 100")
                        .of(Op::PercentOf, &[h, shares[i]])?,
                );
            }
            hours[i] = h;
        }
        let share_sum: Decimal = services.iter().map(|s| s.share_pct).sum();
        if share_sum != Decimal::ONE_HUNDRED {
            self.warn(WarningCode::ServiceMixNot100, "offer.services", format!("the services' shares of occupied days sum to {share_sum} %, not 100 %; the tariffs will not cover the cost base exactly"));
        }

        // The support rate: kr per occupied day per weekly support hour.
        let has_support = self
            .o
            .costs
            .iter()
            .any(|l| l.key == AllocationKey::SupportHours);
        let rate = if has_support {
            let mean = self
                .ex
                .derive(
                    "services.mean_hours_per_week",
                    "Gennemsnitlige støttetimer pr. uge (vægtet med andele)",
                    Unit::HoursPerWeek,
                )
                .rule("Σ støttetimer × andel")
                .of(Op::Sum, &weighted)?;
            if self.v(mean).is_zero() {
                return Err(Error::new(ErrorCode::MissingValue, "offer.services", "cost lines are keyed to support_hours, but no service with a share of days gives support hours"));
            }
            let day_hours = self
                .ex
                .derive(
                    "services.support_day_hours",
                    "Forventede belægningsdage × gennemsnitlige ugentlige støttetimer",
                    Unit::DayHours,
                )
                .rule("forventede belægningsdage × gennemsnitlige støttetimer")
                .of(Op::Product, &[expected_days, mean])?;
            Some(self.ex.derive("services.support_rate", "Støttesats", Unit::KrPerDayPerWeeklyHour).rule("støtteomkostninger ÷ (belægningsdage × gennemsnitlige ugentlige støttetimer)").source("takstdifferentiering: støtteomkostninger fordeles efter ydelsens støttetimer").of(Op::Quotient, &[support, day_hours])?)
        } else {
            None
        };

        let mut scheme = None;
        let mut published: Vec<(usize, Published)> = Vec::new();
        for (i, s) in services.iter().enumerate() {
            let id = &s.id;
            let Some(h) = hours[i] else { continue };
            let support_part = match rate {
                Some(rate) => Some(
                    self.ex
                        .derive(
                            format!("service.{id}.support_per_day"),
                            format!("Støtteomkostninger pr. {w}, {}", s.name),
                            Unit::KrPerDay,
                        )
                        .rule("støttesats × støttetimer pr. uge")
                        .of(Op::Product, &[rate, h])?,
                ),
                None => None,
            };
            if s.package.is_some() {
                let (basis, interval, band) = self.package_scheme(common_per_day, rate, band)?;
                let p = self
                    .ex
                    .find(&format!("service.{id}.band_middle"))
                    .map(|n| n.id);
                let p = p.ok_or_else(|| {
                    Error::new(
                        ErrorCode::Internal,
                        format!("offer.services[{i}]"),
                        "package without band middle",
                    )
                })?;
                let part = self
                    .ex
                    .derive(
                        format!("service.{id}.package_part"),
                        format!("Pakketakst, {}", s.name),
                        Unit::KrPerDay,
                    )
                    .rule("(pakkenummer − ½) × interval, afrundet")
                    .source("basistakst + ydelsespakke (Region Syddanmark)")
                    .rounded(self.o.settings.published_rounding, PUBLISHED)
                    .of(Op::Product, &[p, interval])?;
                let day = self
                    .ex
                    .derive(
                        format!("service.{id}.day"),
                        format!("{}, pr. {w}", s.name),
                        Unit::KrPerDay,
                    )
                    .rule("basistakst + pakketakst")
                    .of(Op::Sum, &[basis, part])?;
                if scheme.is_none() {
                    scheme = Some(SheetPackageScheme {
                        basis: self.v(basis),
                        interval: self.v(interval),
                        band_hours_per_week: self.v(band),
                    });
                }
                published.push((
                    i,
                    Published {
                        day,
                        month: None,
                        year: None,
                    },
                ));
            } else {
                let parts: Vec<NodeId> = std::iter::once(common_per_day)
                    .chain(support_part)
                    .collect();
                let exact = self
                    .ex
                    .derive(
                        format!("service.{id}.day_exact"),
                        format!("{}, {w}takst før afrunding", s.name),
                        Unit::KrPerDay,
                    )
                    .rule("fællesomkostninger pr. dag + støtteomkostninger pr. dag")
                    .of(Op::Sum, &parts)?;
                published.push((
                    i,
                    self.publish(&format!("service.{id}"), &s.name, exact, day_basis)?,
                ));
            }
        }
        // Levels as a percentage of another tariff, to øre.
        for (i, s) in services.iter().enumerate() {
            let Some(pct_of) = &s.pct_of else { continue };
            let target = if pct_of.service == AVERAGE {
                Some(average)
            } else {
                services
                    .iter()
                    .position(|t| t.id == pct_of.service)
                    .and_then(|j| published.iter().find(|(k, _)| *k == j))
                    .map(|(_, p)| p)
            };
            let target = target.map(|p| (p.day, p.month, p.year));
            let Some((t_day, t_month, t_year)) = target else {
                return Err(Error::new(
                    ErrorCode::UnknownReference,
                    format!("offer.services[{i}].pct_of.service"),
                    "the referenced service has no tariff",
                ));
            };
            let pct = self.ex.input(
                format!("service.{}.pct", s.id),
                format!("Procent af {}", pct_of.service),
                pct_of.pct,
                Unit::Percent,
                format!("offer.services[{i}].pct_of.pct"),
            )?;
            let r = self.o.settings.derived_rounding;
            let level =
                |ex: &mut Explanation, suffix: &str, unit: Unit, base: NodeId, label: String| {
                    ex.derive(format!("service.{}.{suffix}", s.id), label, unit)
                        .rule("takst × procent ÷ 100")
                        .source("niveau i procent af ordinær takst")
                        .rounded(r, DERIVED)
                        .of(Op::PercentOf, &[base, pct])
                };
            let day = level(
                &mut self.ex,
                "day",
                Unit::KrPerDay,
                t_day,
                format!("{}, pr. {w}", s.name),
            )?;
            let month = match t_month {
                Some(m) => Some(level(
                    &mut self.ex,
                    "month",
                    Unit::KrPerMonth,
                    m,
                    format!("{}, pr. måned", s.name),
                )?),
                None => None,
            };
            let year = match t_year {
                Some(y) => Some(level(
                    &mut self.ex,
                    "year",
                    Unit::KrPerYear,
                    y,
                    format!("{}, pr. år", s.name),
                )?),
                None => None,
            };
            published.push((i, Published { day, month, year }));
        }
        published.sort_by_key(|(i, _)| *i);
        self.module_order(&published);
        Ok((published, scheme))
    }

    fn package_scheme(
        &mut self,
        common_per_day: NodeId,
        rate: Option<NodeId>,
        band: Option<NodeId>,
    ) -> Result<(NodeId, NodeId, NodeId), Error> {
        let band = band.ok_or_else(|| {
            Error::new(
                ErrorCode::MissingValue,
                "offer.package_scheme",
                "packages need a package_scheme",
            )
        })?;
        if let (Some(b), Some(i)) = (
            self.ex.find("package_scheme.basis"),
            self.ex.find("package_scheme.interval"),
        ) {
            return Ok((b.id, i.id, band));
        }
        let w = self.day_word;
        let basis = self.ex.derive("package_scheme.basis", format!("Basistakst pr. {w}"), Unit::KrPerDay).rule("fællesomkostninger pr. dag, afrundet").source("basistakst: fællesomkostninger (ledelse, ejendom, nattevagt, service, afskrivninger, forrentning)").rounded(self.o.settings.published_rounding, PUBLISHED).of(Op::Round, &[common_per_day])?;
        let interval = match rate {
            Some(rate) => self
                .ex
                .derive(
                    "package_scheme.interval",
                    "Pris pr. dag for timerne mellem to pakker",
                    Unit::KrPerDay,
                )
                .rule("støttesats × timer pr. uge mellem to pakker")
                .of(Op::Product, &[rate, band])?,
            None => self.ex.constant(
                "package_scheme.interval",
                "Pris pr. dag for timerne mellem to pakker",
                Decimal::ZERO,
                Unit::KrPerDay,
                "ingen omkostninger er fordelt efter støttetimer",
            )?,
        };
        Ok((basis, interval, band))
    }

    fn module_order(&mut self, published: &[(usize, Published)]) {
        let mut staged: Vec<(crate::offer::Stage, &Service, Decimal)> = published
            .iter()
            .filter_map(|(i, p)| {
                let s = &self.o.services[*i];
                s.stage.map(|st| (st, s, self.v(p.day)))
            })
            .collect();
        staged.sort_by_key(|(st, _, _)| *st);
        let mut warn = Vec::new();
        for pair in staged.windows(2) {
            let ((_, a, ta), (_, b, tb)) = (&pair[0], &pair[1]);
            if tb > ta {
                warn.push(format!("the tariff of {:?} ({tb}) is above that of the earlier module {:?} ({ta}); module tariffs should fall along the course", b.id, a.id));
            }
        }
        for m in warn {
            self.warn(WarningCode::ModuleOrder, "offer.services", m);
        }
    }

    fn neutrality(
        &mut self,
        total: NodeId,
        expected_days: NodeId,
        average: &Published,
        services: &[(usize, Published)],
    ) -> Result<Neutrality, Error> {
        let mut by_service = Vec::new();
        let mut revenues = Vec::new();
        if services.is_empty() {
            let rev = self
                .ex
                .derive(
                    "average.revenue",
                    "Forventet indtægt ved gennemsnitstaksten",
                    Unit::Kr,
                )
                .rule("gennemsnitstakst × forventede belægningsdage")
                .of(Op::Product, &[average.day, expected_days])?;
            by_service.push(ServiceRevenue {
                id: AVERAGE.into(),
                expected_days: self.v(expected_days),
                day: self.v(average.day),
                revenue: self.v(rev),
            });
            revenues.push(rev);
        }
        for (i, p) in services {
            let s = &self.o.services[*i];
            let share = self
                .ex
                .find(&format!("service.{}.share_pct", s.id))
                .map(|n| n.id);
            let share = share.ok_or_else(|| {
                Error::new(
                    ErrorCode::Internal,
                    "offer.services",
                    "service without share",
                )
            })?;
            let days = self
                .ex
                .derive(
                    format!("service.{}.expected_days", s.id),
                    format!("Forventede belægningsdage, {}", s.name),
                    Unit::Days,
                )
                .rule("forventede belægningsdage × andel ÷ 100")
                .of(Op::PercentOf, &[expected_days, share])?;
            let rev = self
                .ex
                .derive(
                    format!("service.{}.revenue", s.id),
                    format!("Forventet indtægt, {}", s.name),
                    Unit::Kr,
                )
                .rule("offentliggjort dagtakst × forventede dage")
                .of(Op::Product, &[p.day, days])?;
            by_service.push(ServiceRevenue {
                id: s.id.clone(),
                expected_days: self.v(days),
                day: self.v(p.day),
                revenue: self.v(rev),
            });
            revenues.push(rev);
        }
        let revenue = self
            .ex
            .derive("neutrality.revenue", "Forventet takstindtægt", Unit::Kr)
            .rule("Σ takst × forventede dage")
            .of(Op::Sum, &revenues)?;
        let residue = self
            .ex
            .derive(
                "neutrality.residue",
                "Afrundingsrest (indtægt − omkostningsgrundlag)",
                Unit::Kr,
            )
            .rule("forventet takstindtægt − omkostningsgrundlag")
            .source("provenuneutralitet")
            .of(Op::Difference, &[revenue, total])?;
        let (cost, res) = (self.v(total), self.v(residue));
        let limit = cost * self.o.settings.residue_warning_pct / Decimal::ONE_HUNDRED;
        if res.abs() > limit {
            self.warn(WarningCode::RoundingResidue, "neutrality.residue", format!("the published tariffs bring in {res} kr more than the cost base (residue above {}% of the cost base)", self.o.settings.residue_warning_pct));
        }
        Ok(Neutrality {
            cost_base: cost,
            revenue: self.v(revenue),
            residue: res,
            by_service,
        })
    }

    fn day_of(
        &self,
        id: &str,
        average: &Published,
        services: &[(usize, Published)],
    ) -> Option<NodeId> {
        if id == AVERAGE {
            return Some(average.day);
        }
        services
            .iter()
            .find(|(i, _)| self.o.services[*i].id == id)
            .map(|(_, p)| p.day)
    }

    fn part_time(
        &mut self,
        average: &Published,
        services: &[(usize, Published)],
    ) -> Result<Vec<PartTimeTariff>, Error> {
        if self.o.part_time.is_empty() {
            return Ok(Vec::new());
        }
        if self.o.kind == crate::offer::PlaceKind::Residential {
            self.warn(
                WarningCode::PartTimeResidential,
                "offer.part_time",
                "part-time fractions are meant for day places, and this is a residential offer",
            );
        }
        let targets: Vec<String> = std::iter::once(AVERAGE.to_string())
            .chain(services.iter().map(|(i, _)| self.o.services[*i].id.clone()))
            .collect();
        let mut out = Vec::new();
        for (k, pt) in self.o.part_time.iter().enumerate() {
            let pct = self.ex.input(
                format!("part_time[{k}].pct"),
                format!(
                    "Deltid {} dage om ugen, procent af fuld takst",
                    pt.days_per_week
                ),
                pt.pct,
                Unit::Percent,
                format!("offer.part_time[{k}].pct"),
            )?;
            for t in &targets {
                let Some(day) = self.day_of(t, average, services) else {
                    continue;
                };
                let node = self
                    .ex
                    .derive(
                        format!("part_time.{}.{t}", pt.days_per_week),
                        format!("Deltidstakst {} dage om ugen, {t}", pt.days_per_week),
                        Unit::KrPerDay,
                    )
                    .rule("fuld dagtakst × procent ÷ 100")
                    .source("konvention: deltid efter fremmødedage pr. uge")
                    .rounded(self.o.settings.derived_rounding, DERIVED)
                    .of(Op::PercentOf, &[day, pct])?;
                out.push(PartTimeTariff {
                    of: t.clone(),
                    days_per_week: pt.days_per_week,
                    pct: pt.pct,
                    day: self.v(node),
                });
            }
        }
        Ok(out)
    }

    fn add_ons(
        &mut self,
        average: &Published,
        services: &[(usize, Published)],
    ) -> Result<Vec<AddOnTariff>, Error> {
        let mut out = Vec::new();
        for (k, a) in self.o.add_ons.iter().enumerate() {
            let path = format!("offer.add_ons[{k}].price");
            let key = format!("add_on.{}.price", a.id);
            let (unit, node) = match &a.price {
                AddOnPrice::PerHour(p) => (
                    AddOnUnit::Hour,
                    self.ex.input(
                        key,
                        format!("{}, pr. time", a.name),
                        *p,
                        Unit::KrPerHour,
                        format!("{path}.per_hour"),
                    )?,
                ),
                AddOnPrice::PerKm(p) => (
                    AddOnUnit::Km,
                    self.ex.input(
                        key,
                        format!("{}, pr. km", a.name),
                        *p,
                        Unit::KrPerKm,
                        format!("{path}.per_km"),
                    )?,
                ),
                AddOnPrice::DayFraction(f) => {
                    let day = self.day_of(&f.of, average, services).ok_or_else(|| {
                        Error::new(
                            ErrorCode::UnknownReference,
                            format!("{path}.day_fraction.of"),
                            format!("there is no service {:?}", f.of),
                        )
                    })?;
                    let num = self.ex.input(
                        format!("add_on.{}.numerator", a.id),
                        "Tæller",
                        Decimal::from(f.numerator),
                        Unit::Number,
                        format!("{path}.day_fraction.numerator"),
                    )?;
                    let den = self.ex.input(
                        format!("add_on.{}.denominator", a.id),
                        "Nævner",
                        Decimal::from(f.denominator),
                        Unit::Number,
                        format!("{path}.day_fraction.denominator"),
                    )?;
                    let scaled = self
                        .ex
                        .derive(
                            format!("add_on.{}.scaled", a.id),
                            format!("{}: dagtakst × tæller", a.name),
                            Unit::KrPerDay,
                        )
                        .rule("dagtakst × tæller")
                        .of(Op::Product, &[day, num])?;
                    let price = self
                        .ex
                        .derive(key, format!("{}, pr. kalenderdag", a.name), Unit::KrPerDay)
                        .rule("dagtakst × tæller ÷ nævner")
                        .source("tillægsydelse som brøkdel af en dagtakst")
                        .rounded(self.o.settings.derived_rounding, DERIVED)
                        .of(Op::Quotient, &[scaled, den])?;
                    (AddOnUnit::Day, price)
                }
            };
            out.push(AddOnTariff {
                id: a.id.clone(),
                name: a.name.clone(),
                unit,
                price: self.v(node),
            });
        }
        Ok(out)
    }
}

struct CostTotals {
    total: NodeId,
    common: NodeId,
    support: NodeId,
}
