//! The tariff in force for a service on a day: from the sheet of that year, or indexed by
//! the price and wage index (PL) from the latest sheet before it (domain reference §5).
//!
//! ```text
//! cumulative (default): tariff(y) = round(tariff(sheet year) × Π (1 + rate ÷ 100))   once per year
//! chained:              tariff(y) = round(tariff(y − 1) × (1 + rate(y) ÷ 100))
//! index values:         the factor from the sheet year to y is value(y) ÷ value(sheet year)
//! ```
//!
//! A year with neither a sheet nor an index is priced at the latest tariff that can be
//! computed, with a warning naming the year; it is never silent.

use std::collections::HashMap;

use rustc_hash::FxHashMap;

use rust_decimal::Decimal;

use crate::error::{Error, ErrorCode};
use crate::exact::Exact;
use crate::explain::{Desc, Explanation, Fig, Op, Step, Subj, Unit};
use crate::sheet::{AddOnUnit, TariffSheet};
use crate::tariff::{ServiceIndex, SheetFigs};

use super::calendar::Service;
use super::model::{IndexMethod, Indexation};

const RATE: Desc = Desc {
    key: "index.{b}.rate_pct",
    label: "PL-fremskrivning {b}, procent",
    unit: Unit::Percent,
    rule: "",
    source: None,
    path: "index.rates_pct[{a}].pct",
};
const VALUE: Desc = Desc {
    key: "index.{b}.value",
    label: "PL-indeks {b}",
    unit: Unit::Number,
    rule: "",
    source: None,
    path: "index.values[{a}].value",
};
const HUNDRED: Desc = Desc {
    key: "const.hundred",
    label: "Hundrede",
    unit: Unit::Number,
    rule: "fast værdi",
    source: Some("procent"),
    path: "index",
};
const LEVEL: Desc = Desc {
    key: "index.{b}.level",
    label: "100 + PL-fremskrivning {b}",
    unit: Unit::Number,
    rule: "100 + procent",
    source: None,
    path: "index.rates_pct",
};
const STEP: Desc = Desc {
    key: "index.{b}.step",
    label: "PL-faktor {b}",
    unit: Unit::Ratio,
    rule: "(100 + procent) ÷ 100",
    source: Some("PL-fremskrivning af takster"),
    path: "index.rates_pct",
};
const FACTOR_RATES: Desc = Desc {
    key: "index.{a}-{b}.factor",
    label: "Samlet PL-faktor fra {a} til {b}",
    unit: Unit::Ratio,
    rule: "produktet af årenes PL-faktorer",
    source: Some("PL-fremskrivning, kumulativ (standard)"),
    path: "index.rates_pct",
};
const FACTOR_VALUES: Desc = Desc {
    key: "index.{a}-{b}.factor",
    label: "Samlet PL-faktor fra {a} til {b}",
    unit: Unit::Ratio,
    rule: "indeks i år {b} ÷ indeks i år {a}",
    source: Some("PL-fremskrivning efter indeksserie"),
    path: "index.values",
};
const INDEXED: Desc = Desc {
    key: "{tk}",
    label: "{tl}",
    unit: Unit::KrPerDay,
    rule: "takst × PL-faktor, afrundet én gang pr. år",
    source: Some("PL-fremskrivning af takster"),
    path: "index",
};
const INDEXED_MONTH: Desc = Desc {
    key: "{tk}",
    label: "{tl}",
    unit: Unit::KrPerMonth,
    rule: "månedstakst × PL-faktor, afrundet én gang pr. år",
    source: Some("PL-fremskrivning af takster"),
    path: "index",
};
const PACKAGE_HALF: Desc = Desc {
    key: "const.half",
    label: "En halv",
    unit: Unit::Number,
    rule: "fast værdi",
    source: Some("pakken prissættes midt i sit timeinterval"),
    path: "courses",
};
const PACKAGE_MIDDLE: Desc = Desc {
    key: "{tk}.band_middle",
    label: "Midten af pakkens interval, {tl}",
    unit: Unit::Number,
    rule: "pakkenummer − ½",
    source: None,
    path: "courses",
};
const PACKAGE_NUMBER: Desc = Desc {
    key: "{tk}.number",
    label: "Pakkenummer, {tl}",
    unit: Unit::Number,
    rule: "fast værdi",
    source: Some("forløbets fase"),
    path: "courses",
};
const PACKAGE_PART: Desc = Desc {
    key: "{tk}.package_part",
    label: "Pakketakst, {tl}",
    unit: Unit::KrPerDay,
    rule: "(pakkenummer − ½) × offentliggjort interval, afrundet",
    source: Some("takstbladets pakkeordning"),
    path: "courses",
};
const PACKAGE_DAY: Desc = Desc {
    key: "{tk}",
    label: "{tl}",
    unit: Unit::KrPerDay,
    rule: "basistakst + pakketakst",
    source: Some("takstbladets pakkeordning"),
    path: "courses",
};

/// What a tariff is of, within one offer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Key {
    Average,
    /// A service, by its interned id.
    Service(u32),
    /// Package n of the package scheme.
    Package(u32),
    /// A part-time tariff: (interned service id or u32::MAX for average, days per week).
    PartTime(u32, u32),
    /// An add-on, by its interned id.
    AddOn(u32),
}

/// Where a tariff in force comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
#[serde(tag = "from", rename_all = "snake_case")]
pub enum TariffSource {
    /// The sheet of the year itself.
    Sheet {
        /// The sheet's year.
        year: i32,
    },
    /// Indexed from the sheet of an earlier year.
    Indexed {
        /// The sheet's year.
        base_year: i32,
        /// How it was indexed.
        method: IndexMethod,
    },
    /// No sheet or index reaches the year: the tariff of the nearest year that can be
    /// priced is used, with a warning.
    Carried {
        /// The year whose tariff is used.
        year: i32,
    },
}

/// A tariff in force in a year.
#[derive(Clone, Debug)]
pub(crate) struct InForce {
    pub day: Decimal,
    pub day_fig: Fig,
    pub month: Option<(Decimal, Fig)>,
    pub source: TariffSource,
    /// The unit of an add-on's price (day tariffs are per day).
    pub unit: AddOnUnit,
}

/// One sheet held for pricing.
pub(crate) struct Held<'s> {
    pub sheet: &'s TariffSheet,
    pub figs: SheetFigs,
    services: ServiceIndex<'s, crate::sheet::ServiceTariff>,
    add_ons: ServiceIndex<'s, crate::sheet::AddOnTariff>,
}

/// One offer's sheets, by year.
pub(crate) struct OfferSheets<'s> {
    pub key: &'s str,
    /// Indices into `Tariffs::held`, by year ascending.
    by_year: Vec<(i32, usize)>,
    /// Service and add-on ids across the offer's sheets.
    ids: HashMap<&'s str, u32>,
}

/// The index series, parsed once.
#[derive(Default)]
struct Series {
    /// Rate or value per year, with its position in the request.
    by_year: HashMap<i32, (Decimal, usize)>,
    /// Nodes made so far: step (rates) or value (values) per year.
    figs: HashMap<i32, Fig>,
    hundred: Option<Fig>,
}

/// The tariffs a course is priced from.
pub(crate) struct Tariffs<'s> {
    pub held: Vec<Held<'s>>,
    pub offers: Vec<OfferSheets<'s>>,
    indexation: &'s Indexation,
    series: Series,
    cache: FxHashMap<(u32, Key, i32), InForce>,
    half: Option<Fig>,
}

/// The offer a sheet belongs to: its id, or its name.
pub(crate) fn offer_key(sheet: &TariffSheet) -> &str {
    sheet.offer.id.as_deref().unwrap_or(&sheet.offer.name)
}

/// The highest yearly PL rate accepted, in per cent. Real rates are a few per cent; a rate
/// above this is a typing error (or not a price and wage index), not a year to price.
pub(crate) const MAX_RATE_PCT: i64 = 100;

/// Every problem of the price and wage index, each at its path: rates in (−100 %, 100 %],
/// index values positive and no more than doubling a year, no year twice, one form only.
pub(crate) fn check_index(indexation: &Indexation) -> Vec<Error> {
    let mut errors = Vec::new();
    if !indexation.rates_pct.is_empty() && !indexation.values.is_empty() {
        errors.push(Error::new(
            ErrorCode::Conflict,
            "index",
            "give the index as rates_pct or as values, not both",
            "Angiv PL-fremskrivningen som `rates_pct` eller som `values`, ikke begge.",
        ));
    }
    let mut years = std::collections::HashSet::new();
    for (i, r) in indexation.rates_pct.iter().enumerate() {
        if !years.insert(r.year) {
            errors.push(Error::new(
                ErrorCode::DuplicateId,
                format!("index.rates_pct[{i}].year"),
                format!("the rate of {} is given twice", r.year),
                format!("PL-satsen for {} er angivet to gange.", r.year),
            ));
        }
        if r.pct <= Decimal::from(-100) || r.pct > Decimal::from(MAX_RATE_PCT) {
            errors.push(Error::new(
                ErrorCode::OutOfRange,
                format!("index.rates_pct[{i}].pct"),
                format!(
                    "a yearly rate must be above −100 % and at most {MAX_RATE_PCT} %, got {} %",
                    r.pct
                ),
                format!(
                    "En årlig PL-sats skal være over −100 % og højst {MAX_RATE_PCT} %, men er \
                     {} %.",
                    crate::danish::number(r.pct)
                ),
            ));
        }
    }
    years.clear();
    let mut values: Vec<(i32, Decimal, usize)> = Vec::new();
    for (i, v) in indexation.values.iter().enumerate() {
        if !years.insert(v.year) {
            errors.push(Error::new(
                ErrorCode::DuplicateId,
                format!("index.values[{i}].year"),
                format!("the index of {} is given twice", v.year),
                format!("Indekset for {} er angivet to gange.", v.year),
            ));
        }
        if v.value <= Decimal::ZERO {
            errors.push(Error::new(
                ErrorCode::NotPositive,
                format!("index.values[{i}].value"),
                "an index value must be greater than 0",
                format!(
                    "En indeksværdi skal være større end 0, men er {}.",
                    crate::danish::number(v.value)
                ),
            ));
        } else {
            values.push((v.year, v.value, i));
        }
    }
    // Between two listed years the index may at most double a year (the rates' bound).
    values.sort_unstable_by_key(|v| v.0);
    for w in values.windows(2) {
        let ((y0, v0, _), (y1, v1, i)) = (w[0], w[1]);
        let gap = u32::try_from(y1 - y0).unwrap_or(0);
        let most = (0..gap).try_fold(v0, |m, _| m.checked_mul(Decimal::TWO));
        if gap > 0 && most.is_some_and(|m| v1 > m) {
            errors.push(Error::new(
                ErrorCode::OutOfRange,
                format!("index.values[{i}].value"),
                format!(
                    "the index rises from {v0} in {y0} to {v1} in {y1}: more than doubling a \
                     year is not a price and wage index"
                ),
                format!(
                    "Indekset stiger fra {} i {y0} til {} i {y1}: mere end en fordobling om året \
                     er ikke en PL-fremskrivning.",
                    crate::danish::number(v0),
                    crate::danish::number(v1)
                ),
            ));
        }
    }
    if indexation.rounding.increment <= Decimal::ZERO {
        errors.push(Error::new(
            ErrorCode::NotPositive,
            "index.rounding.increment",
            "the rounding increment must be greater than 0",
            format!(
                "Afrundingstrinnet skal være større end 0, men er {}.",
                crate::danish::number(indexation.rounding.increment)
            ),
        ));
    }
    errors
}

impl<'s> Tariffs<'s> {
    /// Holds the sheets (each with its figures in the explanation) and the index series.
    pub fn new(
        sheets: Vec<(&'s TariffSheet, SheetFigs)>,
        indexation: &'s Indexation,
    ) -> Result<Tariffs<'s>, Error> {
        let mut held = Vec::with_capacity(sheets.len());
        let mut offers: Vec<OfferSheets<'s>> = Vec::new();
        for (k, (sheet, figs)) in sheets.into_iter().enumerate() {
            let key = offer_key(sheet);
            let i = match offers.iter().position(|o| o.key == key) {
                Some(i) => i,
                None => {
                    offers.push(OfferSheets {
                        key,
                        by_year: Vec::new(),
                        ids: HashMap::new(),
                    });
                    offers.len() - 1
                }
            };
            let o = &mut offers[i];
            if o.by_year.iter().any(|(y, _)| *y == sheet.offer.year) {
                return Err(Error::new(
                    ErrorCode::DuplicateId,
                    "catalogues",
                    format!(
                        "two tariff sheets of {key:?} are for {}; give one sheet per offer and year",
                        sheet.offer.year
                    ),
                    format!(
                        "To takstblade for {key:?} gælder for {}; angiv ét takstblad pr. tilbud \
                         og år.",
                        sheet.offer.year
                    ),
                ));
            }
            o.by_year.push((sheet.offer.year, k));
            for id in sheet
                .services
                .iter()
                .map(|s| s.id.as_str())
                .chain(sheet.add_ons.iter().map(|a| a.id.as_str()))
            {
                let n = o.ids.len() as u32;
                o.ids.entry(id).or_insert(n);
            }
            held.push(Held {
                sheet,
                figs,
                services: ServiceIndex::new(&sheet.services, |s| &s.id),
                add_ons: ServiceIndex::new(&sheet.add_ons, |a| &a.id),
            });
        }
        for o in &mut offers {
            o.by_year.sort_unstable();
        }
        let errors = check_index(indexation);
        if !errors.is_empty() {
            return Err(errors.into_iter().next().unwrap_or_else(|| {
                Error::new(
                    ErrorCode::Internal,
                    "index",
                    "an index without errors failed",
                    "PL-fremskrivningen fejlede uden at have fejl (en fejl i takst).",
                )
            }));
        }
        let mut series = Series::default();
        for (i, r) in indexation.rates_pct.iter().enumerate() {
            series.by_year.insert(r.year, (r.pct, i));
        }
        for (i, v) in indexation.values.iter().enumerate() {
            series.by_year.insert(v.year, (v.value, i));
        }
        Ok(Tariffs {
            held,
            offers,
            indexation,
            series,
            cache: FxHashMap::default(),
            half: None,
        })
    }

    /// The offer a course is priced at: its `offer`, or the only one.
    pub fn offer(&self, wanted: Option<&str>, path: impl FnOnce() -> String) -> Result<u32, Error> {
        match wanted {
            Some(w) => self
                .offers
                .iter()
                .position(|o| o.key == w)
                .map(|i| i as u32)
                .ok_or_else(|| {
                    Error::new(
                        ErrorCode::UnknownReference,
                        path(),
                        format!(
                            "there is no tariff sheet of the offer {w:?} (offers: {})",
                            self.offers
                                .iter()
                                .map(|o| format!("{:?}", o.key))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                        format!(
                            "Der er intet takstblad for tilbuddet {w:?} (tilbud: {}).",
                            self.offers
                                .iter()
                                .map(|o| format!("{:?}", o.key))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    )
                }),
            None if self.offers.len() == 1 => Ok(0),
            None if self.offers.is_empty() => Err(Error::new(
                ErrorCode::MissingValue,
                "offer",
                "courses are priced from tariffs: give an offer, a catalogue or catalogues",
                "Forløb prissættes ud fra takster: angiv `offer`, `catalogue` eller `catalogues`.",
            )),
            None => Err(Error::new(
                ErrorCode::MissingValue,
                path(),
                "the request has tariff sheets of several offers: say which offer the course is at",
                "Forespørgslen har takstblade for flere tilbud: angiv, hvilket tilbud forløbet \
                 er på.",
            )),
        }
    }

    /// The key of a segment's service in the offer; an unknown service is an error at
    /// `path` + `.service` (the phase's or the change's field).
    pub fn key(
        &self,
        offer: u32,
        service: Service<'_>,
        part_time: Option<u32>,
        path: impl Fn() -> String,
    ) -> Result<Key, Error> {
        let o = &self.offers[offer as usize];
        let id = |id: &str| -> Result<u32, Error> {
            o.ids.get(id).copied().ok_or_else(|| {
                Error::new(
                    ErrorCode::UnknownReference,
                    format!("{}.service", path()),
                    format!("the tariff sheet of {:?} has no service {id:?}", o.key),
                    format!("Takstbladet for {:?} har ingen ydelse {id:?}.", o.key),
                )
            })
        };
        Ok(match (service, part_time) {
            (Service::Id("average"), None) => Key::Average,
            (Service::Id("average"), Some(d)) => Key::PartTime(u32::MAX, d),
            (Service::Id(s), None) => Key::Service(id(s)?),
            (Service::Id(s), Some(d)) => Key::PartTime(id(s)?, d),
            (Service::Package(n), None) => Key::Package(n),
            (Service::Package(_), Some(_)) => {
                return Err(Error::new(
                    ErrorCode::Conflict,
                    path(),
                    "a package phase cannot be part-time",
                    "En fase med en pakke kan ikke være på deltid.",
                ))
            }
        })
    }

    /// The key of an add-on in the offer.
    pub fn add_on_key(
        &self,
        offer: u32,
        id: &str,
        path: impl FnOnce() -> String,
    ) -> Result<Key, Error> {
        let o = &self.offers[offer as usize];
        match o.ids.get(id) {
            Some(k) => Ok(Key::AddOn(*k)),
            None => Err(Error::new(
                ErrorCode::UnknownReference,
                path(),
                format!("the tariff sheet of {:?} has no add-on {id:?}", o.key),
                format!(
                    "Takstbladet for {:?} har ingen tillægsydelse {id:?}.",
                    o.key
                ),
            )),
        }
    }

    /// The name of a service or add-on of the offer (from its latest sheet that has it).
    /// The offer's name, from its latest sheet.
    pub fn offer_name(&self, offer: u32) -> &'s str {
        let o = &self.offers[offer as usize];
        o.by_year
            .last()
            .map_or(o.key, |(_, k)| self.held[*k].sheet.offer.name.as_str())
    }

    /// An add-on's name (an add-on's id may equal a service's).
    pub fn add_on_name_of(&self, offer: u32, id: &str) -> Option<&'s str> {
        self.offers[offer as usize]
            .by_year
            .iter()
            .rev()
            .find_map(|(_, k)| {
                let h = &self.held[*k];
                h.add_ons.get(id).map(|i| h.sheet.add_ons[i].name.as_str())
            })
    }

    pub fn name_of(&self, offer: u32, id: &str) -> Option<&'s str> {
        self.offers[offer as usize]
            .by_year
            .iter()
            .rev()
            .find_map(|(_, k)| {
                let h = &self.held[*k];
                h.services
                    .get(id)
                    .map(|i| h.sheet.services[i].name.as_str())
                    .or_else(|| h.add_ons.get(id).map(|i| h.sheet.add_ons[i].name.as_str()))
            })
    }

    fn id_of(&self, offer: u32, k: u32) -> Option<&'s str> {
        self.offers[offer as usize]
            .ids
            .iter()
            .find(|(_, v)| **v == k)
            .map(|(id, _)| *id)
    }

    /// The tariff of `key` in the sheet `held`, as of the sheet's own year; `None` when the
    /// sheet does not have it.
    fn in_sheet(
        &mut self,
        ex: &mut Explanation,
        held: usize,
        offer: u32,
        key: Key,
    ) -> Result<Option<InForce>, Error> {
        let h = &self.held[held];
        let sheet = h.sheet;
        let source = TariffSource::Sheet {
            year: sheet.offer.year,
        };
        let service = |k: u32| self.id_of(offer, k).and_then(|id| h.services.get(id));
        let found = match key {
            Key::Average => sheet
                .average
                .as_ref()
                .zip(h.figs.average.clone())
                .map(|(t, f)| InForce {
                    day: t.day,
                    day_fig: f.day,
                    month: t.month.zip(f.month),
                    source,
                    unit: AddOnUnit::Day,
                }),
            Key::Service(k) => service(k).and_then(|i| {
                let t = &sheet.services[i].tariff;
                h.figs.services.get(i).map(|f| InForce {
                    day: t.day,
                    day_fig: f.day.clone(),
                    month: t.month.zip(f.month.clone()),
                    source,
                    unit: AddOnUnit::Day,
                })
            }),
            Key::PartTime(k, days) => {
                let of = if k == u32::MAX {
                    Some("average")
                } else {
                    self.id_of(offer, k)
                };
                of.and_then(|of| {
                    sheet
                        .part_time
                        .iter()
                        .position(|p| p.of == of && p.days_per_week == days)
                })
                .and_then(|i| {
                    h.figs.part_time.get(i).map(|f| InForce {
                        day: sheet.part_time[i].day,
                        day_fig: f.clone(),
                        month: None,
                        source,
                        unit: AddOnUnit::Day,
                    })
                })
            }
            Key::AddOn(k) => self
                .id_of(offer, k)
                .and_then(|id| h.add_ons.get(id))
                .and_then(|i| {
                    h.figs.add_ons.get(i).map(|f| InForce {
                        day: sheet.add_ons[i].price,
                        day_fig: f.clone(),
                        month: None,
                        source,
                        unit: sheet.add_ons[i].unit,
                    })
                }),
            Key::Package(n) => {
                // Listed: the sheet's own tariff. Otherwise priced from the scheme.
                if let Some(i) = sheet.services.iter().position(|s| s.package == Some(n)) {
                    let t = &sheet.services[i].tariff;
                    h.figs.services.get(i).map(|f| InForce {
                        day: t.day,
                        day_fig: f.day.clone(),
                        month: t.month.zip(f.month.clone()),
                        source,
                        unit: AddOnUnit::Day,
                    })
                } else {
                    match (
                        &sheet.package_scheme,
                        h.figs.basis.clone(),
                        h.figs.interval.clone(),
                    ) {
                        (Some(ps), Some(basis), Some(interval)) => {
                            let prefix = h.sheet_key_prefix(ex);
                            let name = format!("{prefix}package[{n}]");
                            let t = ex.tariff_name(
                                || format!("{name}.day"),
                                || format!("Pakke {n}, pr. dag"),
                            );
                            let half = match self.half.clone() {
                                Some(h) => h,
                                None => {
                                    let h = ex.constant(
                                        &PACKAGE_HALF,
                                        Exact::new(1, 2).unwrap_or(Exact::ONE),
                                    )?;
                                    self.half = Some(h.clone());
                                    h
                                }
                            };
                            let number =
                                ex.constant_at(&PACKAGE_NUMBER, Subj::one(t), Exact::from(n))?;
                            let mid = ex.derive(
                                &PACKAGE_MIDDLE,
                                Subj::one(t),
                                Op::Difference,
                                &[number, half],
                            )?;
                            let (part, part_value) = ex.derive_rounded(
                                &PACKAGE_PART,
                                Subj::one(t),
                                Op::Product,
                                &[mid, interval],
                                sheet.rounding,
                                Step::Published,
                            )?;
                            let day =
                                ex.derive(&PACKAGE_DAY, Subj::one(t), Op::Sum, &[basis, part])?;
                            Some(InForce {
                                day: ps.basis + part_value,
                                day_fig: day,
                                month: None,
                                source,
                                unit: AddOnUnit::Day,
                            })
                        }
                        _ => None,
                    }
                }
            }
        };
        Ok(found)
    }

    /// The tariff of `key` at `offer` in `year`, with the warning to give if the year could
    /// not be reached (the year whose tariff is used instead).
    pub fn in_force(
        &mut self,
        ex: &mut Explanation,
        offer: u32,
        key: Key,
        year: i32,
        path: impl Fn() -> String,
    ) -> Result<InForce, Error> {
        if let Some(t) = self.cache.get(&(offer, key, year)) {
            return Ok(t.clone());
        }
        let t = self.resolve(ex, offer, key, year, &path)?;
        self.cache.insert((offer, key, year), t.clone());
        Ok(t)
    }

    fn resolve(
        &mut self,
        ex: &mut Explanation,
        offer: u32,
        key: Key,
        year: i32,
        path: &dyn Fn() -> String,
    ) -> Result<InForce, Error> {
        let by_year = self.offers[offer as usize].by_year.clone();
        let offer_key = self.offers[offer as usize].key;
        let missing = |y: i32| {
            Error::new(
                ErrorCode::UnknownReference,
                path(),
                format!("the {y} tariff sheet of {offer_key:?} has no tariff for this service"),
                format!("Takstbladet for {offer_key:?} for {y} har ingen takst for denne ydelse."),
            )
        };
        // The year's own sheet.
        if let Some((_, held)) = by_year.iter().find(|(y, _)| *y == year) {
            return self
                .in_sheet(ex, *held, offer, key)?
                .ok_or_else(|| missing(year));
        }
        // Indexed from the latest sheet before the year.
        let Some(&(base_year, held)) = by_year.iter().rev().find(|(y, _)| *y < year) else {
            // Before the first sheet: its tariff, carried back with a warning.
            let Some(&(first, held)) = by_year.first() else {
                return Err(missing(year));
            };
            let t = self
                .in_sheet(ex, held, offer, key)?
                .ok_or_else(|| missing(first))?;
            return Ok(InForce {
                source: TariffSource::Carried { year: first },
                ..t
            });
        };
        let base = self
            .in_sheet(ex, held, offer, key)?
            .ok_or_else(|| missing(base_year))?;
        // The latest year up to `year` that the index reaches.
        let reach = self.reach(base_year, year);
        if reach == base_year {
            return Ok(InForce {
                source: TariffSource::Carried { year: base_year },
                ..base
            });
        }
        let t = self.index(ex, offer, key, base, base_year, reach, held)?;
        Ok(if reach < year {
            InForce {
                source: TariffSource::Carried { year: reach },
                ..t
            }
        } else {
            t
        })
    }

    /// The latest year ≤ `year` that the index series reaches from `base`.
    fn reach(&self, base: i32, year: i32) -> i32 {
        let has = |y: i32| self.series.by_year.contains_key(&y);
        if !self.indexation.values.is_empty() {
            if !has(base) {
                return base;
            }
            return (base..=year).rev().find(|y| has(*y)).unwrap_or(base);
        }
        let mut reach = base;
        while reach < year && has(reach + 1) {
            reach += 1;
        }
        reach
    }

    /// The index node of a year: the step (1 + rate ÷ 100) or the index value.
    fn series_fig(&mut self, ex: &mut Explanation, year: i32) -> Result<Fig, Error> {
        if let Some(f) = self.series.figs.get(&year) {
            return Ok(f.clone());
        }
        let Some(&(value, i)) = self.series.by_year.get(&year) else {
            return Err(Error::new(
                ErrorCode::Internal,
                "index",
                "an index year without a value",
                "Et indeksår uden værdi (en fejl i takst).",
            ));
        };
        let subj = Subj::two(i, year as u32);
        let fig = if self.indexation.values.is_empty() {
            let rate = ex.input(&RATE, subj, value.into())?;
            let hundred = match self.series.hundred.clone() {
                Some(h) => h,
                None => {
                    let h = ex.constant(&HUNDRED, Exact::from(100i64))?;
                    self.series.hundred = Some(h.clone());
                    h
                }
            };
            let level = ex.derive(&LEVEL, subj, Op::Sum, &[hundred.clone(), rate])?;
            ex.derive(&STEP, subj, Op::Quotient, &[level, hundred])?
        } else {
            ex.input(&VALUE, subj, value.into())?
        };
        self.series.figs.insert(year, fig.clone());
        Ok(fig)
    }

    /// The factor from `from` to `to` (cumulative).
    fn factor(&mut self, ex: &mut Explanation, from: i32, to: i32) -> Result<Fig, Error> {
        let subj = Subj::two(from as usize, to as u32);
        if self.indexation.values.is_empty() {
            let mut steps = Vec::with_capacity((to - from).max(0) as usize);
            for y in from + 1..=to {
                steps.push(self.series_fig(ex, y)?);
            }
            ex.derive(&FACTOR_RATES, subj, Op::Product, &steps)
        } else {
            let a = self.series_fig(ex, from)?;
            let b = self.series_fig(ex, to)?;
            ex.derive(&FACTOR_VALUES, subj, Op::Quotient, &[b, a])
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn index(
        &mut self,
        ex: &mut Explanation,
        offer: u32,
        key: Key,
        base: InForce,
        base_year: i32,
        year: i32,
        held: usize,
    ) -> Result<InForce, Error> {
        let r = self.indexation.rounding;
        let source = TariffSource::Indexed {
            base_year,
            method: self.indexation.method,
        };
        let name = |ex: &mut Explanation, this: &Self, y: i32, month: bool| {
            let prefix = this.held[held].sheet_key_prefix(ex);
            let what = this.key_text(offer, key);
            let label = this.key_label(offer, key);
            ex.tariff_name(
                || {
                    format!(
                        "{prefix}tariff.{what}.{y}.{}",
                        if month { "month" } else { "day" }
                    )
                },
                || {
                    format!(
                        "{label}, {} {y} (PL-fremskrevet)",
                        if month {
                            "månedstakst"
                        } else {
                            "takst pr. dag"
                        }
                    )
                },
            )
        };
        match self.indexation.method {
            IndexMethod::Cumulative => {
                let factor = self.factor(ex, base_year, year)?;
                let t = name(ex, self, year, false);
                let (day_fig, day) = ex.derive_rounded(
                    &INDEXED,
                    Subj::one(t),
                    Op::Product,
                    &[base.day_fig, factor.clone()],
                    r,
                    Step::Derived,
                )?;
                let month = match base.month {
                    Some((_, m)) => {
                        let t = name(ex, self, year, true);
                        let (f, v) = ex.derive_rounded(
                            &INDEXED_MONTH,
                            Subj::one(t),
                            Op::Product,
                            &[m, factor],
                            r,
                            Step::Derived,
                        )?;
                        Some((v, f))
                    }
                    None => None,
                };
                Ok(InForce {
                    day,
                    day_fig,
                    month,
                    source,
                    unit: base.unit,
                })
            }
            IndexMethod::Chained => {
                let mut t = base.clone();
                for y in base_year + 1..=year {
                    let factor = self.factor(ex, y - 1, y)?;
                    let n = name(ex, self, y, false);
                    let (day_fig, day) = ex.derive_rounded(
                        &INDEXED,
                        Subj::one(n),
                        Op::Product,
                        &[t.day_fig, factor.clone()],
                        r,
                        Step::Derived,
                    )?;
                    let month = match t.month {
                        Some((_, m)) => {
                            let n = name(ex, self, y, true);
                            let (f, v) = ex.derive_rounded(
                                &INDEXED_MONTH,
                                Subj::one(n),
                                Op::Product,
                                &[m, factor],
                                r,
                                Step::Derived,
                            )?;
                            Some((v, f))
                        }
                        None => None,
                    };
                    t = InForce {
                        day,
                        day_fig,
                        month,
                        source,
                        unit: base.unit,
                    };
                }
                Ok(t)
            }
        }
    }

    /// A Danish label for a key.
    fn key_label(&self, offer: u32, key: Key) -> String {
        let name = |k: u32| {
            self.id_of(offer, k)
                .map(|id| self.name_of(offer, id).unwrap_or(id))
                .unwrap_or("?")
                .to_string()
        };
        match key {
            Key::Average => "Gennemsnitstakst".into(),
            Key::Service(k) | Key::AddOn(k) => name(k),
            Key::Package(n) => format!("Pakke {n}"),
            Key::PartTime(k, d) => {
                let of = if k == u32::MAX {
                    "Gennemsnitstakst".into()
                } else {
                    name(k)
                };
                format!("{of}, deltid {d} dage om ugen")
            }
        }
    }

    /// A short text for a key, for names of indexed tariffs.
    fn key_text(&self, offer: u32, key: Key) -> String {
        match key {
            Key::Average => "average".into(),
            Key::Service(k) | Key::AddOn(k) => self.id_of(offer, k).unwrap_or("?").to_string(),
            Key::Package(n) => format!("package[{n}]"),
            Key::PartTime(k, d) => {
                let of = if k == u32::MAX {
                    "average"
                } else {
                    self.id_of(offer, k).unwrap_or("?")
                };
                format!("part_time.{d}.{of}")
            }
        }
    }
}

impl Held<'_> {
    /// The prefix of this sheet's keys in the explanation.
    fn sheet_key_prefix(&self, ex: &Explanation) -> String {
        ex.sheet_key_prefix(self.figs.base.sheet)
    }
}
