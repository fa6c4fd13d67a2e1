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

use std::sync::Arc;

use rustc_hash::FxHashMap;

use rust_decimal::Decimal;

use crate::error::{Error, ErrorCode};
use crate::exact::Exact;
use crate::explain::{Desc, Explanation, Fig, Op, SheetBase, Step, Subj, Unit};
use crate::sheet::{AddOnUnit, TariffSheet};
use crate::tariff::{ServiceIndex, SheetFigs, TariffFigs};

use super::calendar::Service;
use super::model::{IndexMethod, Indexation};

mod index;

pub(crate) use index::check_index;
use index::{Series, SeriesYear};

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

/// A held sheet's published figures.
#[allow(clippy::large_enum_variant)] // held as the figures were before; a box is an allocation
pub(crate) enum Figs {
    /// Recorded as nodes of the explanation when the sheet was read.
    Recorded(SheetFigs),
    /// Not recorded: read into an arena that keeps no nodes (a `Pricer`'s), where a figure
    /// is only its value. Each is made from the sheet when a tariff in force needs it, so
    /// one course priced from a sheet converts the few tariffs it bills rather than all of
    /// them (callgrind: a fifth of reading a sheet). With where the sheet's entries start in
    /// the name tables.
    Published(SheetBase),
}

/// One sheet held for pricing.
pub(crate) struct Held<'s> {
    pub sheet: &'s TariffSheet,
    pub figs: Figs,
    services: ServiceIndex<'s, crate::sheet::ServiceTariff>,
    add_ons: ServiceIndex<'s, crate::sheet::AddOnTariff>,
}

impl Held<'_> {
    /// Where the sheet's entries start in the name tables.
    pub fn base(&self) -> SheetBase {
        match &self.figs {
            Figs::Recorded(f) => f.base,
            Figs::Published(base) => *base,
        }
    }

    /// A published tariff's figures: `recorded`'s, or made from `t`, the tariff itself.
    fn tariff(
        &self,
        t: &crate::sheet::Tariff,
        recorded: impl FnOnce(&SheetFigs) -> Option<&TariffFigs>,
    ) -> Option<TariffFigs> {
        match &self.figs {
            Figs::Recorded(f) => recorded(f).cloned(),
            Figs::Published(_) => Some(TariffFigs {
                day: Fig::unkept(t.day.into()),
                month: t.month.map(|m| Fig::unkept(m.into())),
            }),
        }
    }

    /// A published figure: `recorded`'s, or made from `value`, the figure itself.
    fn figure(
        &self,
        value: Decimal,
        recorded: impl FnOnce(&SheetFigs) -> Option<&Fig>,
    ) -> Option<Fig> {
        match &self.figs {
            Figs::Recorded(f) => recorded(f).cloned(),
            Figs::Published(_) => Some(Fig::unkept(value.into())),
        }
    }
}

/// One offer's sheets, by year.
pub(crate) struct OfferSheets<'s> {
    pub key: &'s str,
    /// Indices into `Tariffs::held`, by year ascending.
    by_year: Vec<(i32, usize)>,
    /// Service and add-on ids across the offer's sheets, by their number in a [`Key`].
    ids: Vec<&'s str>,
    /// The numbers by id, once there are more ids than a scan finds quickly (as
    /// [`ServiceIndex`]): filling a map for a real offer's handful cost a cold course more
    /// than its look-ups (callgrind).
    numbers: Option<FxHashMap<&'s str, u32>>,
}

impl<'s> OfferSheets<'s> {
    /// Ids beyond this many are found by the map.
    const SCAN: usize = 16;

    /// The number of a service's or add-on's id.
    fn number(&self, id: &str) -> Option<u32> {
        match &self.numbers {
            Some(m) => m.get(id).copied(),
            None => self.ids.iter().position(|i| *i == id).map(|k| k as u32),
        }
    }

    /// Numbers `id` if it is new (its first sheet's number stays).
    fn intern(&mut self, id: &'s str) {
        if self.number(id).is_some() {
            return;
        }
        let n = self.ids.len() as u32;
        self.ids.push(id);
        match &mut self.numbers {
            Some(m) => {
                m.insert(id, n);
            }
            None if self.ids.len() > Self::SCAN => {
                let mut m = FxHashMap::with_capacity_and_hasher(self.ids.len(), Default::default());
                for (k, id) in self.ids.iter().enumerate() {
                    m.insert(*id, k as u32);
                }
                self.numbers = Some(m);
            }
            None => {}
        }
    }
}

/// The tariffs a course is priced from.
pub(crate) struct Tariffs<'s> {
    pub held: Vec<Held<'s>>,
    pub offers: Vec<OfferSheets<'s>>,
    indexation: &'s Indexation,
    series: Series,
    /// Shared, so that a look-up hands out a count rather than a copy of the tariff's
    /// figures (a line's tariff was cloned each year of each segment: `bench profile` −2.7 %).
    cache: FxHashMap<(u32, Key, i32), Arc<InForce>>,
}

/// Package `n`'s day tariff as the sheet's package scheme gives it: basis +
/// round((n − ½) × interval) with the sheet's rounding, the arithmetic the explained path
/// (`Key::Package`) does with nodes; for a catalogue's check of its listed packages.
pub(crate) fn scheme_day(
    ps: &crate::sheet::SheetPackageScheme,
    n: u32,
    rounding: crate::rounding::Rounding,
) -> Option<Decimal> {
    let middle = Exact::new(2 * i128::from(n) - 1, 2)?;
    let part = rounding.apply_exact(&middle.checked_mul(&Exact::from(ps.interval))?)?;
    crate::decimal::add(ps.basis, part)
}

/// The offer a sheet belongs to: its id, or its name.
pub(crate) fn offer_key(sheet: &TariffSheet) -> &str {
    sheet.offer.id.as_deref().unwrap_or(&sheet.offer.name)
}

impl<'s> Tariffs<'s> {
    /// Holds the sheets (each with its figures in the explanation) and the index series,
    /// which the caller has checked ([`check_index`]: both callers report every problem of a
    /// request's or a `Pricer`'s inputs together).
    pub fn new(
        sheets: Vec<(&'s TariffSheet, Figs)>,
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
                        ids: Vec::with_capacity(sheet.services.len() + sheet.add_ons.len()),
                        numbers: None,
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
                o.intern(id);
            }
            held.push(Held {
                sheet,
                figs,
                services: ServiceIndex::new(&sheet.services, |s| &s.id),
                add_ons: ServiceIndex::new(&sheet.add_ons, |a| &a.id),
            });
        }
        for o in &mut offers {
            o.by_year = crate::order::sorted_by_key(&o.by_year, |y| *y);
        }
        // The maps are sized at once: one course priced from a sheet (the calculator, a web
        // service) pays for every rehash of a map grown from empty.
        let mut series = Series::default();
        let years = indexation.rates_pct.len() + indexation.values.len();
        series.by_year.reserve(years);
        // By year (checked above: no year twice, one form only), each year's node made
        // when first used. Each put in its place as it comes, at the end for a published
        // series (ascending): a sort of these would be a sort of its own in the browser
        // module (5 KB), for a few dozen years at most.
        let mut put = |at, year, value| {
            let s = SeriesYear {
                year,
                value,
                at,
                fig: None,
            };
            match series.by_year.last() {
                Some(last) if last.year > year => {
                    let place = series.by_year.partition_point(|s| s.year < year);
                    series.by_year.insert(place, s);
                }
                _ => series.by_year.push(s),
            }
        };
        for (i, r) in indexation.rates_pct.iter().enumerate() {
            put(i, r.year, r.pct);
        }
        for (i, v) in indexation.values.iter().enumerate() {
            put(i, v.year, v.value);
        }
        series.later = indexation.later();
        Ok(Tariffs {
            held,
            offers,
            indexation,
            series,
            // A service and its average in force in a course's two or three years.
            cache: FxHashMap::with_capacity_and_hasher(16, Default::default()),
        })
    }

    /// Whether any of an offer's sheets has a day basis below 365 (a school home's 334 days):
    /// its day tariffs divide a year's cost by fewer days than a calendar year has.
    pub fn any_short_day_basis(&self, offer: u32) -> bool {
        self.offers.get(offer as usize).is_some_and(|o| {
            o.by_year
                .iter()
                .filter_map(|(_, k)| self.held.get(*k))
                .any(|h| h.sheet.day_basis < 365)
        })
    }

    /// The day basis of the sheet a tariff in force comes from (the sheet of its year, or
    /// the latest before it that it is indexed or carried from), when it is below 365.
    pub fn short_day_basis(&self, offer: u32, source: TariffSource) -> Option<u32> {
        let year = match source {
            TariffSource::Sheet { year } | TariffSource::Carried { year } => year,
            TariffSource::Indexed { base_year, .. } => base_year,
        };
        let o = self.offers.get(offer as usize)?;
        let k = match o.by_year.iter().rev().find(|(y, _)| *y <= year) {
            Some(&(_, k)) => k,
            None => o.by_year.first()?.1,
        };
        let n = self.held.get(k)?.sheet.day_basis;
        (n < 365).then_some(n)
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
            o.number(id).ok_or_else(|| {
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
        match o.number(id) {
            Some(k) => Ok(Key::AddOn(k)),
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

    /// An add-on of the offer, from its latest sheet that has it (an add-on's id may equal a
    /// service's).
    fn add_on_of(&self, offer: u32, id: &str) -> Option<&'s crate::sheet::AddOnTariff> {
        self.offers[offer as usize]
            .by_year
            .iter()
            .rev()
            .find_map(|(_, k)| {
                let h = &self.held[*k];
                h.add_ons.get(id).map(|i| &h.sheet.add_ons[i])
            })
    }

    /// An add-on's name.
    pub fn add_on_name_of(&self, offer: u32, id: &str) -> Option<&'s str> {
        self.add_on_of(offer, id).map(|a| a.name.as_str())
    }

    /// An add-on's unit.
    pub fn add_on_unit_of(&self, offer: u32, id: &str) -> Option<AddOnUnit> {
        self.add_on_of(offer, id).map(|a| a.unit)
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
        self.offers[offer as usize].ids.get(k as usize).copied()
    }

    /// The tariff of `key` in the sheet `held`, as of the sheet's own year; `None` when the
    /// sheet does not have it.
    fn in_sheet(
        &mut self,
        ex: &mut Explanation,
        held: usize,
        offer: u32,
        key: Key,
        path: &dyn Fn() -> String,
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
                .and_then(|t| Some((t, h.tariff(t, |f| f.average.as_ref())?)))
                .map(|(t, f)| InForce {
                    day: t.day,
                    day_fig: f.day,
                    month: t.month.zip(f.month),
                    source,
                    unit: AddOnUnit::Day,
                }),
            Key::Service(k) => service(k).and_then(|i| {
                let t = &sheet.services[i].tariff;
                h.tariff(t, |f| f.services.get(i)).map(|f| InForce {
                    day: t.day,
                    day_fig: f.day,
                    month: t.month.zip(f.month),
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
                    let day = sheet.part_time[i].day;
                    h.figure(day, |f| f.part_time.get(i)).map(|f| InForce {
                        day,
                        day_fig: f,
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
                    let price = sheet.add_ons[i].price;
                    h.figure(price, |f| f.add_ons.get(i)).map(|f| InForce {
                        day: price,
                        day_fig: f,
                        month: None,
                        source,
                        unit: sheet.add_ons[i].unit,
                    })
                }),
            Key::Package(n) => {
                // Listed: the sheet's own tariff. Otherwise priced from the scheme.
                if let Some(i) = sheet.services.iter().position(|s| s.package == Some(n)) {
                    let t = &sheet.services[i].tariff;
                    h.tariff(t, |f| f.services.get(i)).map(|f| InForce {
                        day: t.day,
                        day_fig: f.day,
                        month: t.month.zip(f.month),
                        source,
                        unit: AddOnUnit::Day,
                    })
                } else {
                    let ps = sheet.package_scheme.as_ref();
                    match (
                        ps,
                        ps.and_then(|ps| h.figure(ps.basis, |f| f.basis.as_ref())),
                        ps.and_then(|ps| h.figure(ps.interval, |f| f.interval.as_ref())),
                    ) {
                        (Some(ps), Some(basis), Some(interval)) => {
                            let t = ex.tariff_name(h.base().sheet, |prefix, word| {
                                (
                                    format!("{prefix}package[{n}].day"),
                                    format!("Pakke {n}, pr. {word}"),
                                )
                            });
                            let half =
                                ex.constant(&PACKAGE_HALF, Exact::new(1, 2).unwrap_or(Exact::ONE))?;
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
                            // The sum exactly, or an error: `Decimal`'s `+` panics beyond 96
                            // bits and rounds a sum that fits only with fewer decimals.
                            let day_value =
                                crate::decimal::add(ps.basis, part_value).ok_or_else(|| {
                                    Error::new(
                                        ErrorCode::Overflow,
                                        path(),
                                        format!(
                                            "package {n}'s day tariff (basis + package tariff) \
                                             is too large for a 96-bit decimal"
                                        ),
                                        format!(
                                            "Pakke {n}s dagtakst (basistakst + pakketakst) er \
                                             for stor til et 96-bit decimaltal."
                                        ),
                                    )
                                })?;
                            Some(InForce {
                                day: day_value,
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
    ) -> Result<Arc<InForce>, Error> {
        if let Some(t) = self.cache.get(&(offer, key, year)) {
            return Ok(Arc::clone(t));
        }
        let t = Arc::new(self.resolve(ex, offer, key, year, &path)?);
        self.cache.insert((offer, key, year), Arc::clone(&t));
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
        // The sheets that can give the year its tariff: its own, the latest before it, the
        // first (copied out: the sheets' list stays borrowed otherwise).
        let o = &self.offers[offer as usize];
        let own = o.by_year.iter().find(|(y, _)| *y == year).copied();
        let before = o.by_year.iter().rev().find(|(y, _)| *y < year).copied();
        let first = o.by_year.first().copied();
        let offer_key = o.key;
        let missing = |y: i32| {
            Error::new(
                ErrorCode::UnknownReference,
                path(),
                format!("the {y} tariff sheet of {offer_key:?} has no tariff for this service"),
                format!("Takstbladet for {offer_key:?} for {y} har ingen takst for denne ydelse."),
            )
        };
        // The year's own sheet.
        if let Some((_, held)) = own {
            return self
                .in_sheet(ex, held, offer, key, path)?
                .ok_or_else(|| missing(year));
        }
        // Indexed from the latest sheet before the year.
        let Some((base_year, held)) = before else {
            // Before the first sheet: its tariff, carried back with a warning.
            let Some((first, held)) = first else {
                return Err(missing(year));
            };
            let t = self
                .in_sheet(ex, held, offer, key, path)?
                .ok_or_else(|| missing(first))?;
            return Ok(InForce {
                source: TariffSource::Carried { year: first },
                ..t
            });
        };
        // The base year's tariff: as priced already, when a course passed through that year
        // (lines come in date order), rather than looked up in the sheet again. A package
        // priced from the scheme is looked up again: that makes its nodes again, as before.
        let priced = match key {
            Key::Package(_) => None,
            _ => self
                .cache
                .get(&(offer, key, base_year))
                .map(|t| InForce::clone(t)),
        };
        let base = match priced {
            Some(t) => t,
            None => self
                .in_sheet(ex, held, offer, key, path)?
                .ok_or_else(|| missing(base_year))?,
        };
        // The latest year up to `year` that the index reaches.
        let reach = self.reach(base_year, year);
        if reach == base_year {
            return Ok(InForce {
                source: TariffSource::Carried { year: base_year },
                ..base
            });
        }
        // Past the reach, the reach year's own tariff, as it is in force that year (one figure,
        // made once).
        let t = if reach < year {
            InForce::clone(&*self.in_force(ex, offer, key, reach, path)?)
        } else {
            self.index(ex, offer, key, base, base_year, reach, held)?
        };
        Ok(if reach < year {
            InForce {
                source: TariffSource::Carried { year: reach },
                ..t
            }
        } else {
            t
        })
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
            Key::Service(k) => name(k),
            // An add-on's name (its id may also be a service's).
            Key::AddOn(k) => self
                .id_of(offer, k)
                .map(|id| self.add_on_name_of(offer, id).unwrap_or(id))
                .unwrap_or("?")
                .to_string(),
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
            Key::Service(k) => self.id_of(offer, k).unwrap_or("?").to_string(),
            // `add_on.<id>`: an add-on's id may also be a service's.
            Key::AddOn(k) => format!("add_on.{}", self.id_of(offer, k).unwrap_or("?")),
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
