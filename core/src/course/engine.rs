//! The pricing engine: a course laid onto the calendar, its changes applied, and its lines,
//! comparison and change report priced; [`Pricer`] for pricing many courses from sheets.

use std::sync::Arc;

use rust_decimal::Decimal;

use crate::error::Error;
use crate::explain::{Explanation, Fig};

use super::calendar::{self, Plan, Segment};
use super::changes::change_report;
use super::lines::{amount_of, course_years, origin_path, what, Lines, ORIGINAL, PRICED};
use super::model::Billing;
use super::tariffs::{Key, Tariffs};
use super::*;

use super::model::Course;
use crate::error::{Errors, Warning};
use crate::sheet::TariffSheet;

/// A line under construction, with its figure.
#[derive(Clone)]
pub(super) struct Priced {
    pub(super) fig: Fig,
    pub(super) service_line: bool,
    /// The days a week of a part-time service line (0: full time, or an add-on).
    pub(super) part_time: u32,
    /// The line's index among the explanation's lines (its nodes' subject).
    pub(super) line: u32,
}

/// The inputs of the sums a course is made of (a month's lines, the months, whose years are
/// runs of them, and the comparison's flat months), gathered here so that no course
/// allocates them.
#[derive(Default)]
pub(super) struct Sums {
    pub(super) members: Vec<Fig>,
    pub(super) months: Vec<Fig>,
    pub(super) flats: Vec<Fig>,
}

/// Buffers reused from course to course.
#[derive(Default)]
struct Scratch<'c> {
    plan: Plan<'c>,
    original: Plan<'c>,
}

/// Prices courses from a set of tariff sheets.
pub(crate) struct Engine<'s> {
    pub tariffs: Tariffs<'s>,
    pub billing: &'s Billing,
    /// Lines of the plan being priced (reused).
    pub(super) figs: Vec<Priced>,
    original_lines: Vec<InvoiceLine>,
    /// The lines of the quote priced into before, taken before the quote is cleared, for
    /// `lines` to write the next course's lines over (`lines::put`).
    pub(super) spare_lines: Vec<InvoiceLine>,
    /// Likewise its schedule.
    spare_schedule: Vec<Scheduled>,
    /// The texts of each key met so far: the id its lines show and the name they bill by
    /// (shared by every line of the key, in every course).
    texts: rustc_hash::FxHashMap<(u32, Key), Texts>,
    /// The key and texts of each segment of the plan last priced by `lines` (so that the
    /// schedule and the add-ons do not look them up again).
    pub(super) segments: Vec<(Key, Texts)>,
    /// Figures gathered for a sum (reused from course to course).
    pub(super) sums: Sums,
    /// When set, each priced course's billing per calendar year is recorded here.
    pub years: Option<Vec<CourseYear>>,
    /// The years the course being priced has been warned of as priced at another year's
    /// tariff (`tariff_year_unknown`): by its lines, then by its original plan's.
    pub(super) carried_years: Vec<i32>,
    /// The buffer of the comparison's months, taken from the quote priced into before
    /// (`price_into`), so that a warm `Pricer` does not allocate it for every course.
    pub(super) compared: Vec<MonthComparison>,
    /// The buffers of the plan of the course priced before, emptied (`Plan::recycle`), for
    /// the next course's plan.
    spare_plan: Plan<'static>,
    /// What `segment_texts` found for the services met so far (at most `FOUND` of them),
    /// looked through before the key and the texts are looked up by hash.
    found: Vec<Found>,
}

/// A segment's service as [`Engine::segment_texts`] found it: its offer, its package (`None`
/// for a service id, which is its texts' id: `segment_texts` makes the texts of a service
/// id with that id, and no other id has its key), its part-time days, key and texts.
struct Found {
    offer: u32,
    package: Option<u32>,
    part_time: Option<u32>,
    key: Key,
    texts: Texts,
}

/// The services `Engine::found` keeps: a course has a few, and a linear look through them
/// (a few comparisons and one of a short text) costs less than the key's look-up and the
/// texts' hash look-up (some 240 instructions a segment, `bench profile`).
const FOUND: usize = 16;

impl<'s> Engine<'s> {
    /// The billing conventions the courses are priced by: the engine's, or, without the
    /// `billing` feature, the defaults as a constant (that build refuses any other: `evaluate`
    /// a request with a `billing` section, `Pricer::new` other conventions), which the
    /// compiler folds into the pricing, leaving the other conventions' code out of the
    /// calculator's first module (2.1 KB raw, 1.0 KB gzip).
    #[inline(always)]
    pub(crate) fn conventions(&self) -> &'s Billing {
        #[cfg(not(feature = "billing"))]
        return &Billing::DEFAULT;
        #[cfg(feature = "billing")]
        self.billing
    }

    pub fn new(tariffs: Tariffs<'s>, billing: &'s Billing) -> Engine<'s> {
        Engine {
            tariffs,
            billing,
            figs: Vec::new(),
            original_lines: Vec::new(),
            spare_lines: Vec::new(),
            spare_schedule: Vec::new(),
            texts: rustc_hash::FxHashMap::with_capacity_and_hasher(8, Default::default()),
            segments: Vec::new(),
            sums: Sums::default(),
            years: None,
            carried_years: Vec::new(),
            compared: Vec::new(),
            spare_plan: Plan::default(),
            found: Vec::new(),
        }
    }

    /// The shared texts of a key: made by `make` (its id, its name) the first time.
    pub(super) fn texts(
        &mut self,
        offer: u32,
        key: Key,
        make: impl FnOnce(&Tariffs<'s>) -> (Arc<str>, Arc<str>),
    ) -> Texts {
        let tariffs = &self.tariffs;
        self.texts
            .entry((offer, key))
            .or_insert_with(|| {
                let (id, name) = make(tariffs);
                Texts { id, name }
            })
            .clone()
    }

    /// Prices course `c` into `quote`.
    pub fn price(
        &mut self,
        ex: &mut Explanation,
        c: usize,
        course: &Course,
        quote: &mut Quote,
    ) -> Result<(), Error> {
        // The quote's buffers are reused: its comparison's months (for this comparison), and
        // its id and municipality, copied into their texts rather than allocated anew.
        if let Some(previous) = quote.comparison.take() {
            self.compared = previous.months;
        }
        // And its lines and schedule, for this course's to be written over them.
        self.spare_lines = std::mem::take(&mut quote.lines);
        self.spare_schedule = std::mem::take(&mut quote.schedule);
        quote.clear();
        self.carried_years.clear();
        let offer = match self
            .tariffs
            .offer(course.offer.as_deref(), || calendar::at(c, ".offer"))
        {
            Ok(offer) => offer,
            Err(e) => {
                // A quote whose offer is unknown is left without an id and municipality,
                // as it was when `clear` emptied them.
                quote.id = None;
                quote.municipality = None;
                return Err(e);
            }
        };
        quote.id.clone_from(&course.id);
        quote.municipality.clone_from(&course.municipality);
        quote
            .offer
            .push_str(self.tariffs.offers[offer as usize].key);
        quote.offer_name.push_str(self.tariffs.offer_name(offer));

        let mut scratch = Scratch {
            plan: std::mem::take(&mut self.spare_plan).recycle(),
            original: Plan::default(),
        };
        calendar::phases(c, course, &mut scratch.plan)?;
        let changed = !course.changes.is_empty();
        if changed {
            #[cfg(feature = "billing")]
            {
                scratch.original = scratch.plan.clone();
                amend::apply_changes(
                    c,
                    course,
                    &self.billing.notice,
                    &mut scratch.plan,
                    &mut quote.warnings,
                )?;
            }
            // Without the `billing` feature (the calculator's first browser module), refused
            // as `evaluate` refuses it, never priced as if there were none.
            #[cfg(not(feature = "billing"))]
            return Err(crate::format::request::billing_refused(
                calendar::at(c, ".changes"),
                "changes",
            ));
        }
        super::lines::add_ons_twice(
            c,
            &scratch.plan,
            changed.then_some(&scratch.original),
            |id| self.tariffs.add_on_unit_of(offer, id),
            &mut quote.warnings,
        );
        let scale = self.conventions().line_rounding.increment.scale();
        let totals = self.lines(
            ex,
            c,
            offer,
            &scratch.plan,
            &PRICED,
            quote,
            Lines::Quote { changed },
        )?;
        if let Some(years) = self.years.as_mut() {
            course_years(ex, c, offer, &quote.lines, &self.figs, years)?;
        }
        quote.total = match totals.total {
            Some(ref t) => amount_of(t, c, scale)?,
            None => Decimal::ZERO,
        };
        // The segments' texts, as `lines` found them for this plan.
        if self.segments.len() != scratch.plan.segments.len() {
            let mut segments = std::mem::take(&mut self.segments);
            for (i, seg) in scratch.plan.segments.iter().enumerate() {
                self.segment_texts(offer, seg, c, &mut segments, i)?;
            }
            segments.truncate(scratch.plan.segments.len());
            self.segments = segments;
        }
        // Written over the previous course's schedule, as the lines are (`lines::put`).
        let mut schedule = std::mem::take(&mut self.spare_schedule);
        let segments = scratch.plan.segments.iter().zip(&self.segments);
        for (k, (seg, (_, texts))) in segments.enumerate() {
            let days = calendar::days_inclusive(seg.from, seg.to) as u32;
            match schedule.get_mut(k) {
                // Every field named: one added to the entry is written here too.
                Some(Scheduled {
                    phase,
                    service,
                    name,
                    part_time_days,
                    from,
                    to,
                    days: d,
                }) => {
                    *phase = seg.phase;
                    share(service, &texts.id);
                    share(name, &texts.name);
                    *part_time_days = seg.part_time;
                    *from = seg.from;
                    *to = seg.to;
                    *d = days;
                }
                None => schedule.push(Scheduled {
                    phase: seg.phase,
                    service: texts.id.clone(),
                    name: texts.name.clone(),
                    part_time_days: seg.part_time,
                    from: seg.from,
                    to: seg.to,
                    days,
                }),
            }
        }
        schedule.truncate(scratch.plan.segments.len().min(self.segments.len()));
        quote.schedule = schedule;
        if self.conventions().comparison {
            self.compare(ex, c, offer, quote)?;
        }
        if changed {
            let mut original = Quote::default();
            std::mem::swap(&mut original.lines, &mut self.original_lines);
            let original_totals = self.lines(
                ex,
                c,
                offer,
                &scratch.original,
                &ORIGINAL,
                &mut original,
                Lines::Original,
            )?;
            std::mem::swap(&mut original.lines, &mut self.original_lines);
            // The years only the original plan reaches, priced at another year's tariff:
            // the change report's original figure rests on them.
            quote.warnings.append(&mut original.warnings);
            quote.original_lines.clone_from(&self.original_lines);
            quote.changes = Some(change_report(ex, c, &totals, &original_totals, scale)?);
        }
        self.spare_plan = scratch.plan.recycle();
        Ok(())
    }

    /// The key of a segment's tariff, the id its lines show and the name they bill by,
    /// written as entry `at` of `out` (at most `out.len()`): over the entry of the course
    /// priced before that is there, its shared names left where they are the same (`share`),
    /// else pushed. A warm `Pricer` so neither clones the names for each segment nor drops
    /// the previous course's (each an atomic count).
    pub(super) fn segment_texts(
        &mut self,
        offer: u32,
        seg: &Segment<'_>,
        c: usize,
        out: &mut Vec<(Key, Texts)>,
        at: usize,
    ) -> Result<(), Error> {
        fn put(out: &mut Vec<(Key, Texts)>, at: usize, key: Key, texts: &Texts) {
            match out.get_mut(at) {
                Some((k, t)) => {
                    *k = key;
                    share(&mut t.id, &texts.id);
                    share(&mut t.name, &texts.name);
                }
                None => out.push((key, texts.clone())),
            }
        }
        let found = self.found.iter().find(|f| {
            f.offer == offer
                && f.part_time == seg.part_time
                && match seg.service {
                    calendar::Service::Id(id) => f.package.is_none() && *f.texts.id == *id,
                    calendar::Service::Package(n) => f.package == Some(n),
                }
        });
        if let Some(f) = found {
            put(out, at, f.key, &f.texts);
            return Ok(());
        }
        let key = self.tariffs.key(offer, seg.service, seg.part_time, || {
            origin_path(c, seg.origin)
        })?;
        let (service, part_time) = (seg.service, seg.part_time);
        let texts = self.texts(offer, key, |tariffs| {
            let id = match service {
                calendar::Service::Id(id) => Arc::from(id),
                calendar::Service::Package(n) => Arc::from(format!("package[{n}]")),
            };
            (id, what(tariffs, offer, service, part_time, None))
        });
        put(out, at, key, &texts);
        if self.found.len() < FOUND {
            self.found.push(Found {
                offer,
                package: match service {
                    calendar::Service::Id(_) => None,
                    calendar::Service::Package(n) => Some(n),
                },
                part_time,
                key,
                texts,
            });
        }
        Ok(())
    }
}

/// Makes `slot` the shared text `name`, unless it is already that text: the previous
/// course's line or segment at the same place usually names the same service, and its
/// count is then neither raised nor lowered (atomic operations, a sixth of a warm course's
/// time at 16 lines).
#[cfg_attr(not(target_arch = "wasm32"), inline(always))]
pub(super) fn share(slot: &mut Arc<str>, name: &Arc<str>) {
    if !Arc::ptr_eq(slot, name) {
        *slot = name.clone();
    }
}

/// The texts of a tariff's key, shared by its lines: the id they show (`service`, or the
/// add-on's `add_on`) and the name they bill by.
#[derive(Clone)]
pub(super) struct Texts {
    pub(super) id: Arc<str>,
    pub(super) name: Arc<str>,
}

/// Tariff sheets validated and held for pricing courses, as a Rust API (the request path
/// prices courses in the same explanation as the tariffs).
pub struct Pricer<'s> {
    ex: Explanation,
    engine: Engine<'s>,
    warnings: Vec<Warning>,
}

impl<'s> Pricer<'s> {
    /// Holds `sheets` (each checked like a catalogue) for pricing courses with the given
    /// index and billing conventions.
    ///
    /// # Example
    ///
    #[cfg_attr(feature = "provider", doc = "```")]
    #[cfg_attr(not(feature = "provider"), doc = "```ignore")]
    /// use takst::{Billing, Course, Indexation, Pricer};
    ///
    /// let sheet = takst::Offer::sample().compute().unwrap().sheet;
    /// let (index, billing) = (Indexation::default(), Billing::default());
    /// let sheets = [sheet];
    /// let mut pricer = Pricer::new(&sheets, &index, &billing).unwrap();
    /// let course: Course = serde_json::from_str(r#"{
    ///     "start": "2026-03-01",
    ///     "phases": [{"service": "udredning", "months": 1}, {"service": "udvikling", "months": 2}]
    /// }"#).unwrap();
    /// let quote = pricer.price(&course).unwrap();
    /// // March at 4,801 and April–May at 3,716 kr per døgn: 31 × 4,801 + 61 × 3,716.
    /// assert_eq!(quote.total.to_string(), "375507.00");
    /// assert_eq!(quote.lines.len(), 3);
    /// ```
    pub fn new(
        sheets: &'s [TariffSheet],
        indexation: &'s model::Indexation,
        billing: &'s Billing,
    ) -> Result<Pricer<'s>, Errors> {
        let mut ex = Explanation::new(false);
        let mut held = Vec::with_capacity(sheets.len());
        let mut warnings = Vec::new();
        // Every problem of the sheets, the index and the billing conventions, in the order
        // and at the paths a request with the sheets as `catalogues` gives them.
        let mut errors = Vec::new();
        for (k, sheet) in sheets.iter().enumerate() {
            match crate::format::catalogue::read_for_pricing(
                sheet,
                crate::format::catalogue::Place::Listed(k),
                &mut ex,
            ) {
                Ok((mut w, figs)) => {
                    warnings.append(&mut w);
                    held.push((sheet, figs));
                }
                Err(e) => errors.extend(e.into_vec()),
            }
        }
        errors.extend(super::tariffs::check_index(indexation));
        errors.extend(super::model::check_billing(billing));
        // Without the `billing` feature courses are priced by the default conventions only
        // (`Engine::conventions`): other ones are refused, never ignored.
        #[cfg(not(feature = "billing"))]
        if *billing != Billing::default() {
            errors.push(crate::format::request::billing_refused(
                "billing".to_string(),
                "billing",
            ));
        }
        if let Some(e) = Errors::from_vec(errors) {
            return Err(e);
        }
        let tariffs = Tariffs::new(held, indexation)?;
        Ok(Pricer {
            ex,
            engine: Engine::new(tariffs, billing),
            warnings,
        })
    }

    /// The sheets' own warnings, found when they were read (a tariff of 0, a part-time
    /// tariff that is not its percentage of the day tariff), at the sheets' paths
    /// (`catalogues[k]…`): what a request with the sheets as `catalogues` lists once in its
    /// response's warnings. A quote's own warnings are in [`Quote::warnings`].
    ///
    /// # Example
    ///
    #[cfg_attr(feature = "provider", doc = "```")]
    #[cfg_attr(not(feature = "provider"), doc = "```ignore")]
    /// use takst::{Billing, Indexation, Pricer};
    ///
    /// let mut sheet = takst::Offer::sample().compute().unwrap().sheet;
    /// sheet.services[0].tariff.day = rust_decimal::Decimal::ZERO;
    /// let (index, billing, sheets) = (Indexation::default(), Billing::default(), [sheet]);
    /// let pricer = Pricer::new(&sheets, &index, &billing).unwrap();
    /// let w = &pricer.warnings()[0];
    /// assert_eq!(w.code(), takst::WarningCode::ZeroTariff);
    /// assert_eq!(w.path(), "catalogues[0].services[0].tariff.day");
    /// ```
    pub fn warnings(&self) -> &[Warning] {
        &self.warnings
    }

    /// Prices a course.
    pub fn price(&mut self, course: &Course) -> Result<Quote, Errors> {
        let mut quote = Quote::default();
        self.price_into(course, &mut quote)?;
        Ok(quote)
    }

    /// Prices a course into `quote`, reusing its buffers (for pricing many courses).
    pub fn price_into(&mut self, course: &Course, quote: &mut Quote) -> Result<(), Errors> {
        self.price_at(0, course, quote)
    }

    /// [`Self::price_into`] for course number `index` of a batch: error paths name it
    /// (`courses[17].phases[1].service`).
    pub fn price_at(
        &mut self,
        index: usize,
        course: &Course,
        quote: &mut Quote,
    ) -> Result<(), Errors> {
        self.engine
            .price(&mut self.ex, index, course, quote)
            .map_err(Errors::from)
    }
}
