//! From priced courses to documents: each invoice line of a course becomes a document line
//! (days × the day tariff, a whole month at the month tariff, hours or km × the add-on's
//! price), lines are grouped into documents (per course or per municipality, per month),
//! months already invoiced give the difference a change made, a settlement's refunds give
//! credit notes, and every document gets its references, dates, VAT and number.

use std::collections::{BTreeMap, HashMap, HashSet};

use jiff::civil::Date;
use rust_decimal::Decimal;

use crate::course::{Basis, InvoiceLine, Month, Quote};
use crate::error::{Error, ErrorCode};
use crate::exact::Exact;
use crate::rounding::{RoundMode, Rounding};
use crate::sheet::{AddOnUnit, TariffSheet};

use super::check::{looks_like_cpr, xml_char, Problems};
use super::document::{EinvoiceKind, EinvoiceSource};
use super::model::{Einvoicing, Grouping, Vat};
use super::Sources;

/// A document line: what the XML writer writes.
#[derive(Clone, Debug)]
pub(crate) struct DocLine {
    /// The course (index in the quotes) it comes from, if any.
    pub course: Option<usize>,
    /// The item's name: the service's (or add-on's) name from the tariff sheet.
    pub name: String,
    /// The seller's item id: the service's or add-on's id.
    pub item_id: String,
    /// UN/ECE Rec. 20 unit code: `DAY`, `MON`, `HUR`, `KMT`, `C62`.
    pub unit: &'static str,
    /// Quantity (negative only on a correction's line that goes against the document).
    pub quantity: Decimal,
    /// Unit price (the tariff in force), never negative.
    pub price: Decimal,
    /// The line amount, to øre.
    pub amount: Decimal,
    /// The line's period.
    pub from: Date,
    pub to: Date,
    /// A note on the line (the course, in a document of several).
    pub note: Option<String>,
}

/// The references a document carries.
#[derive(Clone, Debug, Default)]
pub(crate) struct Refs {
    pub buyer_reference: Option<String>,
    pub order_reference: Option<String>,
    pub person_reference: Option<String>,
}

/// A document before it is numbered and written.
#[derive(Clone, Debug)]
pub(crate) struct Doc {
    pub kind: EinvoiceKind,
    pub source: EinvoiceSource,
    pub buyer: usize,
    pub course: Option<usize>,
    pub month: Option<Month>,
    pub issue_date: Date,
    pub due_date: Option<Date>,
    pub refs: Refs,
    pub note: String,
    pub lines: Vec<DocLine>,
    pub period: (Date, Date),
    pub net: Decimal,
    pub vat: Decimal,
    pub total: Decimal,
    /// Order among documents of the same date, month and source.
    pub order: usize,
}

const TOLERANCE: Decimal = Decimal::from_parts(2, 0, 0, false, 2);

/// A sum that refuses to overflow.
fn checked_sum(values: impl IntoIterator<Item = Decimal>) -> Option<Decimal> {
    values
        .into_iter()
        .try_fold(Decimal::ZERO, crate::decimal::add)
}

fn too_large(path: impl Into<String>) -> Error {
    Error::new(
        ErrorCode::Overflow,
        path,
        "an e-invoice amount is too large for a 96-bit decimal",
        "Et beløb på en elektronisk faktura er for stort til et 96-bit decimaltal.",
    )
}

/// VAT of an amount at a rate in per cent, rounded half away from zero to øre (`None` when
/// it does not fit a decimal).
pub(crate) fn line_vat(amount: Decimal, rate_pct: Decimal) -> Option<Decimal> {
    // Exact until the one rounding: `Decimal`'s ÷ 100 would round at 28 decimals first.
    Exact::from(amount)
        .checked_mul(&Exact::from(rate_pct))
        .and_then(|x| x.checked_div(&Exact::from(100i64)))
        .and_then(|x| Rounding::ORE.apply_exact(&x))
}

fn first_of(m: Month) -> Option<Date> {
    Date::new(m.year, m.month, 1).ok()
}

fn month_after(m: Month, n: i8) -> Month {
    let total = i32::from(m.year) * 12 + i32::from(m.month - 1) + i32::from(n);
    Month {
        year: (total.div_euclid(12)) as i16,
        month: (total.rem_euclid(12) + 1) as i8,
    }
}

/// What the sheets say of an offer's add-ons: their units.
struct Items<'a> {
    sheets: &'a [&'a TariffSheet],
}

impl Items<'_> {
    fn sheets_of<'s>(&'s self, offer: &'s str) -> impl Iterator<Item = &'s TariffSheet> + 's {
        let of: Vec<&TariffSheet> = self
            .sheets
            .iter()
            .copied()
            .filter(|s| s.offer.id.as_deref().unwrap_or(&s.offer.name) == offer)
            .collect();
        // The latest year's names first.
        crate::order::sorted_by_key(&of, |s| std::cmp::Reverse(s.offer.year)).into_iter()
    }

    /// The unit of an add-on (per hour, km or day) on the offer's sheets.
    fn add_on_unit(&self, offer: &str, id: &str) -> Option<AddOnUnit> {
        self.sheets_of(offer)
            .find_map(|s| s.add_ons.iter().find(|x| x.id == id).map(|x| x.unit))
    }
}

/// Text from a tariff sheet as XML can carry it: characters XML 1.0 cannot hold become
/// U+FFFD, and a blank name becomes the id.
fn sheet_text(name: String, id: &str) -> String {
    if name.trim().is_empty() {
        return id.to_string();
    }
    if name.chars().all(xml_char) {
        name
    } else {
        name.chars()
            .map(|c| if xml_char(c) { c } else { '\u{FFFD}' })
            .collect()
    }
}

/// A course's name in documents: its id, or its place in the request.
fn course_label(quotes: &[Quote], i: usize) -> String {
    match &quotes[i].id {
        Some(id) => id.clone(),
        None => format!("forløb nr. {}", i + 1),
    }
}

/// The key two lines of one month share when they bill the same thing at the same price.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct LineKey {
    item_id: String,
    name: String,
    unit: &'static str,
    price: Decimal,
    quantity_per_month: Option<Decimal>,
}

/// One course line as a document line (its key, for comparing plans).
fn doc_line(
    items: &Items<'_>,
    quote: &Quote,
    course: usize,
    line: &InvoiceLine,
) -> Result<(LineKey, DocLine), Error> {
    let offer = quote.offer.as_str();
    let (item_id, unit, quantity) = match &line.add_on {
        Some(id) => match (line.basis, items.add_on_unit(offer, id)) {
            (Basis::PerUnit, Some(u)) => {
                let q = line.quantity_per_month.unwrap_or_default();
                let dim = first_of(line.month)
                    .map(|d| Decimal::from(d.days_in_month()))
                    .unwrap_or(Decimal::ONE);
                // q × days ÷ days in the month, exact until it is rounded once to 6 decimals.
                let exact = Exact::from(q)
                    .checked_mul(&Exact::from(line.days))
                    .and_then(|x| x.checked_div(&Exact::from(dim)))
                    .ok_or_else(|| overflow(course))?;
                let quantity = Rounding::new(Decimal::new(1, 6), RoundMode::HalfAwayFromZero)
                    .and_then(|r| r.apply_exact(&exact))
                    .ok_or_else(|| overflow(course))?
                    .normalize();
                let unit = if u == AddOnUnit::Km { "KMT" } else { "HUR" };
                (id.to_string(), unit, quantity)
            }
            _ => (id.to_string(), "DAY", Decimal::from(line.days)),
        },
        None => match line.basis {
            Basis::FullMonth => (line.service.to_string(), "MON", Decimal::ONE),
            _ => (line.service.to_string(), "DAY", Decimal::from(line.days)),
        },
    };
    // The name on the tariff sheet, as the quote's line has it (with part-time days).
    let name = sheet_text(line.name.to_string(), &item_id);
    let key = LineKey {
        item_id: item_id.clone(),
        name: name.clone(),
        unit,
        price: line.tariff,
        quantity_per_month: line.quantity_per_month,
    };
    Ok((
        key,
        DocLine {
            course: Some(course),
            name,
            item_id,
            unit,
            quantity,
            price: line.tariff,
            amount: line.amount,
            from: line.from,
            to: line.to,
            note: None,
        },
    ))
}

fn overflow(course: usize) -> Error {
    Error::new(
        ErrorCode::Overflow,
        format!("courses[{course}]"),
        "an e-invoice line's quantity is too large",
        "Mængden på en linje i en elektronisk faktura er for stor.",
    )
}

/// The lines of one month's difference between the original plan and the changed course:
/// changed − original per item and price (positive: billed more, negative: billed less).
fn difference(
    original: Vec<(LineKey, DocLine)>,
    changed: Vec<(LineKey, DocLine)>,
) -> Option<Vec<DocLine>> {
    let mut by_key: BTreeMap<LineKey, (Option<DocLine>, Decimal, Decimal)> = BTreeMap::new();
    for (negate, lines) in [(true, original), (false, changed)] {
        // The original plan counts negative (a sign flip: exact, and never overflows).
        let signed = |x: Decimal| if negate { -x } else { x };
        for (key, line) in lines {
            let e = by_key
                .entry(key)
                .or_insert((None, Decimal::ZERO, Decimal::ZERO));
            e.1 = crate::decimal::add(e.1, signed(line.quantity))?;
            e.2 = crate::decimal::add(e.2, signed(line.amount))?;
            e.0 = Some(match e.0.take() {
                None => line,
                Some(mut l) => {
                    l.from = l.from.min(line.from);
                    l.to = l.to.max(line.to);
                    l
                }
            });
        }
    }
    let lines: Vec<DocLine> = by_key
        .into_values()
        .filter_map(|(line, quantity, amount)| {
            let mut line = line?;
            if amount.is_zero() && quantity.is_zero() {
                return None;
            }
            line.quantity = quantity.normalize();
            line.amount = amount;
            Some(line)
        })
        .collect();
    // What was billed less first (the credit), then what replaced it; by date within each.
    Some(crate::order::sorted_by(lines, |a, b| {
        (a.amount > Decimal::ZERO, a.from).cmp(&(b.amount > Decimal::ZERO, b.from))
    }))
}

/// The documents of a request, not yet numbered or written.
pub(crate) fn documents(
    e: &Einvoicing,
    src: &Sources<'_>,
    buyers: &HashMap<String, usize>,
    p: &mut Problems,
) -> Vec<Doc> {
    let items = Items { sheets: src.sheets };
    let through = e.invoiced_through;
    // The buyer of every course.
    let mut buyer_of: Vec<Option<usize>> = Vec::with_capacity(src.quotes.len());
    for (i, q) in src.quotes.iter().enumerate() {
        let b = match &q.municipality {
            None => {
                p.fail(
                    ErrorCode::MissingField,
                    format!("courses[{i}].municipality"),
                    "e-invoices need each course's paying municipality",
                    "Elektroniske fakturaer kræver hvert forløbs betalende kommune.",
                );
                None
            }
            Some(m) => match buyers.get(m) {
                Some(&b) => Some(b),
                None => {
                    p.fail(
                        ErrorCode::UnknownReference,
                        format!("courses[{i}].municipality"),
                        format!("the municipality {m:?} is not among einvoicing.buyers"),
                        format!("Kommunen {m:?} er ikke blandt `einvoicing.buyers`."),
                    );
                    None
                }
            },
        };
        buyer_of.push(b);
        if let Some(id) = &q.id {
            p.text(
                id,
                &format!("courses[{i}].id"),
                ("the course's id", "forløbets id"),
            );
            if looks_like_cpr(id) {
                p.fail(
                    ErrorCode::InvalidValue,
                    format!("courses[{i}].id"),
                    "the course's id looks like a CPR number (DDMMYY-XXXX); it is written on \
                     the invoice, which must never identify the citizen by CPR number",
                    "Forløbets id ligner et CPR-nummer (DDMMÅÅ-XXXX); det skrives på fakturaen, \
                     som aldrig må udpege borgeren ved CPR-nummer.",
                );
            }
        }
    }
    let mut refs_of: HashMap<&str, usize> = HashMap::new();
    for (k, c) in e.courses.iter().enumerate() {
        let mut of_id = (src.quotes.iter().enumerate())
            .filter(|(_, q)| q.id.as_deref() == Some(c.course.as_str()))
            .map(|(i, _)| i);
        match (of_id.next(), of_id.next()) {
            (None, _) => p.fail(
                ErrorCode::UnknownReference,
                format!("einvoicing.courses[{k}].course"),
                format!("no course has the id {:?}", c.course),
                format!("Intet forløb har id'et {:?}.", c.course),
            ),
            // The references (the citizen's bevilling, the case worker) are one course's:
            // which course was meant cannot be guessed.
            (Some(i), Some(j)) => p.fail(
                ErrorCode::DuplicateId,
                format!("einvoicing.courses[{k}].course"),
                format!(
                    "courses[{i}] and courses[{j}] both have the id {:?}: give each course its \
                     own id to give it its references",
                    c.course
                ),
                format!(
                    "`courses[{i}]` og `courses[{j}]` har begge id'et {:?}; giv hvert forløb \
                     sit eget id for at give det sine referencer.",
                    c.course
                ),
            ),
            (Some(_), None) => {}
        }
        if refs_of.insert(c.course.as_str(), k).is_some() {
            p.fail(
                ErrorCode::DuplicateId,
                format!("einvoicing.courses[{k}].course"),
                format!("the course {:?} is listed twice", c.course),
                format!("Forløbet {:?} står der to gange.", c.course),
            );
        }
    }

    // Lines grouped into documents: (buyer, month, course or none, source) → lines.
    type Key = (usize, Month, usize, u8);
    let mut groups: BTreeMap<Key, Vec<DocLine>> = BTreeMap::new();
    let mut dates: HashMap<Key, Date> = HashMap::new();
    let per_course = e.grouping == Grouping::PerCourse;
    for (i, q) in src.quotes.iter().enumerate() {
        let Some(b) = buyer_of[i] else { continue };
        let group = if per_course { i } else { usize::MAX };
        let mut by_month: BTreeMap<Month, (Vec<&InvoiceLine>, Vec<&InvoiceLine>)> = BTreeMap::new();
        for l in &q.lines {
            by_month.entry(l.month).or_default().1.push(l);
        }
        let changed = q.changes.is_some();
        if changed {
            for l in &q.original_lines {
                by_month.entry(l.month).or_default().0.push(l);
            }
        }
        for (month, (original, now)) in by_month {
            let invoiced = through.is_some_and(|t| month <= t);
            let convert = |lines: Vec<&InvoiceLine>, p: &mut Problems| -> Vec<(LineKey, DocLine)> {
                lines
                    .into_iter()
                    .filter_map(|l| match doc_line(&items, q, i, l) {
                        Ok(x) => Some(x),
                        Err(err) => {
                            p.0.push(err);
                            None
                        }
                    })
                    .collect()
            };
            let (source, lines) = if !invoiced {
                let lines: Vec<DocLine> = convert(now.clone(), p)
                    .into_iter()
                    .map(|(_, l)| l)
                    .collect();
                if let Some(first) = now.first() {
                    dates
                        .entry((b, month, group, 0))
                        .or_insert(first.invoice_date);
                }
                (0u8, lines)
            } else if changed {
                let o = convert(original, p);
                let c = convert(now, p);
                match difference(o, c) {
                    Some(lines) => (1u8, lines),
                    None => {
                        p.0.push(too_large(format!("courses[{i}]")));
                        continue;
                    }
                }
            } else {
                continue;
            };
            let lines: Vec<DocLine> = lines
                .into_iter()
                .filter(|l| !(l.quantity.is_zero() && l.amount.is_zero()))
                .map(|mut l| {
                    if !per_course {
                        l.note = Some(course_note(e, src.quotes, i, &refs_of));
                    }
                    l
                })
                .collect();
            if !lines.is_empty() {
                groups
                    .entry((b, month, group, source))
                    .or_default()
                    .extend(lines);
            }
        }
    }

    let mut docs = Vec::new();
    let mut reported: HashSet<String> = HashSet::new();
    for ((b, month, group, source), lines) in groups {
        let course = (group != usize::MAX).then_some(group);
        let Some(net) = checked_sum(lines.iter().map(|l| l.amount)) else {
            p.0.push(too_large("einvoicing"));
            continue;
        };
        if net.is_zero() {
            continue;
        }
        let (kind, lines) = if net > Decimal::ZERO {
            (EinvoiceKind::Invoice, lines)
        } else {
            let negated = lines
                .into_iter()
                .map(|mut l| {
                    l.quantity = -l.quantity;
                    l.amount = -l.amount;
                    l
                })
                .collect();
            (EinvoiceKind::CreditNote, negated)
        };
        let source = if source == 0 {
            EinvoiceSource::Course
        } else {
            EinvoiceSource::CourseChange
        };
        let issue_date = match (e.issue_date, source) {
            (Some(d), _) => d,
            (None, EinvoiceSource::Course) => match dates.get(&(b, month, group, 0)) {
                Some(d) => *d,
                None => continue,
            },
            (None, _) => correction_date(through.unwrap_or(month), src.billing.in_advance),
        };
        let refs = references(e, src.quotes, b, course, &refs_of, p, &mut reported);
        let what = match course {
            Some(c) => format!("forløb {}", course_label(src.quotes, c)),
            None => "kommunens forløb".to_string(),
        };
        let note = match (kind, source) {
            (_, EinvoiceSource::Course) => format!("Takst for {what}, {}", month_da(month)),
            (EinvoiceKind::CreditNote, _) => format!(
                "Kreditnota: {what} er ændret, så {} koster mindre end faktureret",
                month_da(month)
            ),
            (EinvoiceKind::Invoice, _) => format!(
                "Efterfakturering: {what} er ændret, så {} koster mere end faktureret",
                month_da(month)
            ),
        };
        docs.push(finish(
            e,
            Doc {
                kind,
                source,
                buyer: b,
                course,
                month: Some(month),
                issue_date,
                due_date: None,
                refs,
                note,
                lines,
                period: (issue_date, issue_date),
                net: Decimal::ZERO,
                vat: Decimal::ZERO,
                total: Decimal::ZERO,
                order: if per_course { group } else { b },
            },
            p,
        ));
    }
    settlement_refunds(e, src, buyers, p, &mut docs, &refs_of, &mut reported);
    crate::order::sorted_by(docs, |a, b| {
        (a.issue_date, a.month, a.source as u8, a.order, a.buyer).cmp(&(
            b.issue_date,
            b.month,
            b.source as u8,
            b.order,
            b.buyer,
        ))
    })
}

/// A line's note in a municipality's document: the course, and its own references.
fn course_note(
    e: &Einvoicing,
    quotes: &[Quote],
    i: usize,
    refs_of: &HashMap<&str, usize>,
) -> String {
    let mut note = format!("Forløb {}", course_label(quotes, i));
    let own = quotes[i]
        .id
        .as_deref()
        .and_then(|id| refs_of.get(id))
        .map(|&k| &e.courses[k]);
    if let Some(c) = own {
        for (label, value) in [
            ("ordre", &c.order_reference),
            ("reference", &c.buyer_reference),
            ("person", &c.person_reference),
        ] {
            if let Some(v) = value {
                note.push_str(&format!(", {label} {v}"));
            }
        }
    }
    note
}

/// When corrections of months already invoiced are issued by default: with the invoices of
/// the first month not yet invoiced.
fn correction_date(through: Month, in_advance: bool) -> Date {
    let m = month_after(through, if in_advance { 1 } else { 2 });
    first_of(m).unwrap_or(Date::MAX)
}

fn month_da(m: Month) -> String {
    crate::danish::month(m.year, m.month)
}

/// The references of a document: the course's own over the buyer's (one course), or the
/// buyer's (a municipality's month). A buyer or order reference and a person reference
/// are required.
fn references(
    e: &Einvoicing,
    quotes: &[Quote],
    b: usize,
    course: Option<usize>,
    refs_of: &HashMap<&str, usize>,
    p: &mut Problems,
    reported: &mut HashSet<String>,
) -> Refs {
    let buyer = &e.buyers[b];
    let own = course
        .and_then(|c| quotes[c].id.as_deref())
        .and_then(|id| refs_of.get(id))
        .map(|&k| &e.courses[k]);
    let pick = |c: Option<&Option<String>>, d: &Option<String>| -> Option<String> {
        c.and_then(|c| c.clone()).or_else(|| d.clone())
    };
    let refs = Refs {
        buyer_reference: pick(own.map(|c| &c.buyer_reference), &buyer.buyer_reference),
        order_reference: pick(own.map(|c| &c.order_reference), &buyer.order_reference),
        person_reference: pick(own.map(|c| &c.person_reference), &buyer.person_reference),
    };
    let (whose, whose_da) = match course {
        Some(c) => (
            format!("course {}", course_label(quotes, c)),
            format!("forløbet \"{}\"", course_label(quotes, c)),
        ),
        None => (
            format!("{} (one document for all its courses)", buyer.municipality),
            format!(
                "kommunen \"{}\" (én faktura for alle dens forløb)",
                buyer.municipality
            ),
        ),
    };
    if refs.buyer_reference.is_none() && refs.order_reference.is_none() {
        let path = format!("einvoicing.buyers[{b}].buyer_reference");
        if reported.insert(format!("{path}/{whose}")) {
            p.fail(
                ErrorCode::MissingValue,
                path,
                                format!(
                    "the documents for {whose} need a buyer_reference or an order_reference (the \
                     municipality's case or bevilling number; rule PEPPOL-EN16931-R003): give one \
                     for the buyer, or for the course in einvoicing.courses"
                ),
                format!(
                    "Fakturaerne for {whose_da} skal have `buyer_reference` eller `order_reference` \
                     (kommunens sags- eller bevillingsnummer; regel PEPPOL-EN16931-R003): angiv den \
                     for køberen eller for forløbet i `einvoicing.courses`."
                ),
            );
        }
    }
    if refs.person_reference.is_none() {
        let path = format!("einvoicing.buyers[{b}].person_reference");
        if reported.insert(format!("{path}/{whose}")) {
            p.fail(
                ErrorCode::MissingField,
                path,
                format!(
                    "the documents for {whose} need the municipality's person reference: give \
                     it for the buyer, or for the course in einvoicing.courses"
                ),
                format!(
                    "Fakturaerne for {whose_da} skal have kommunens personreference: angiv den \
                     for køberen eller for forløbet i `einvoicing.courses`."
                ),
            );
        }
    }
    refs
}

/// Period, totals, VAT, due date; checks each line against quantity × price.
fn finish(e: &Einvoicing, mut d: Doc, p: &mut Problems) -> Doc {
    let from = d.lines.iter().map(|l| l.from).min().unwrap_or(d.issue_date);
    let to = d.lines.iter().map(|l| l.to).max().unwrap_or(d.issue_date);
    d.period = (from, to);
    for l in &d.lines {
        let expected = crate::decimal::mul(l.quantity, l.price);
        let off = expected
            .and_then(|x| crate::decimal::sub(l.amount, x))
            .map(|x| x.abs());
        let reported = p.0.iter().any(|e| e.path() == "billing.line_rounding");
        if !reported && (l.amount.normalize().scale() > 2 || off.is_none_or(|o| o > TOLERANCE)) {
            let what = match l.course {
                Some(c) => format!("courses[{c}]"),
                None => "settlement".to_string(),
            };
            p.fail(
                ErrorCode::InvalidValue,
                "billing.line_rounding",
                                format!(
                    "e-invoices need lines rounded to øre: the line {} of {what} ({} {} × {} = {}) \
                     is not quantity × price within 0.02 kr in øre (rule PEPPOL-EN16931-R120)",
                    l.name, l.quantity, l.unit, l.price, l.amount
                ),
                format!(
                    "Elektroniske fakturaer kræver linjer afrundet til øre: linjen \"{}\" i `{what}` \
                     ({} {} × {} = {}) er ikke mængde × pris inden for 0,02 kr. (regel \
                     PEPPOL-EN16931-R120).",
                    l.name,
                    crate::danish::number(l.quantity),
                    l.unit,
                    crate::danish::number(l.price),
                    crate::danish::number(l.amount)
                ),
            );
        }
    }
    let net = checked_sum(d.lines.iter().map(|l| l.amount));
    let vat = match (&e.vat, net) {
        (Vat::Exempt(_), _) => Some(Decimal::ZERO),
        (Vat::Standard(r), Some(net)) => line_vat(net, r.rate_pct),
        (_, None) => None,
    };
    let total = net.zip(vat).and_then(|(n, v)| crate::decimal::add(n, v));
    let (Some(net), Some(vat), Some(total)) = (net, vat, total) else {
        p.0.push(too_large("einvoicing"));
        return d;
    };
    let scaled = |mut x: Decimal| {
        x.rescale(2);
        x
    };
    d.net = scaled(net);
    d.vat = scaled(vat);
    d.total = scaled(total);
    if d.kind == EinvoiceKind::Invoice {
        d.due_date = Some(match (e.due_date, e.payment_terms_days) {
            (Some(due), _) => {
                if due < d.issue_date {
                    p.fail(
                        ErrorCode::OutOfRange,
                        "einvoicing.due_date",
                        format!(
                            "the due date {due} is before the issue date {}",
                            d.issue_date
                        ),
                        format!(
                            "Forfaldsdatoen {} ligger før udstedelsesdatoen {}.",
                            crate::danish::date(due),
                            crate::danish::date(d.issue_date)
                        ),
                    );
                }
                due
            }
            (None, days) => jiff::Span::new()
                .try_days(i64::from(days.unwrap_or(0)))
                .ok()
                .and_then(|span| d.issue_date.checked_add(span).ok())
                .unwrap_or(d.issue_date),
        });
    }
    d
}

/// A settlement's refunds: each paying municipality's share of a returned surplus as a
/// credit note, never more than the request's courses invoiced it in the settled year.
#[allow(clippy::too_many_arguments)]
fn settlement_refunds(
    e: &Einvoicing,
    src: &Sources<'_>,
    buyers: &HashMap<String, usize>,
    p: &mut Problems,
    docs: &mut Vec<Doc>,
    refs_of: &HashMap<&str, usize>,
    reported: &mut HashSet<String>,
) {
    if !e.settlement_refunds {
        return;
    }
    let Some(s) = src.settlement.filter(|s| !s.municipalities.is_empty()) else {
        p.fail(
            ErrorCode::MissingValue,
            "einvoicing.settlement_refunds",
            "settlement refunds need the settlement section with its municipalities (their \
             billed days), which splits the regulation among them",
            "Tilbagebetaling efter efterreguleringen kræver afsnittet `settlement` med dets \
             kommuner (deres fakturerede dage), som fordeler reguleringen mellem dem.",
        );
        return;
    };
    let Some(issue_date) = e.issue_date else {
        p.fail(
            ErrorCode::MissingField,
            "einvoicing.issue_date",
            "a settlement's credit notes need an issue date",
            "Kreditnotaer for en efterregulering skal have en udstedelsesdato.",
        );
        return;
    };
    let year = i16::try_from(s.year).unwrap_or(i16::MAX);
    let (Ok(first), Ok(last)) = (Date::new(year, 1, 1), Date::new(year, 12, 31)) else {
        return;
    };
    for (k, share) in s.municipalities.iter().enumerate() {
        if share.amount >= Decimal::ZERO {
            continue; // a deficit is not refunded: it enters a later year's tariffs
        }
        let refund = -share.amount;
        let Some(&b) = buyers.get(&share.municipality) else {
            p.fail(
                ErrorCode::UnknownReference,
                format!("settlement.municipalities[{k}].municipality"),
                format!(
                    "the municipality {:?} is not among einvoicing.buyers",
                    share.municipality
                ),
                format!(
                    "Kommunen {:?} er ikke blandt `einvoicing.buyers`.",
                    share.municipality
                ),
            );
            continue;
        };
        let invoiced = checked_sum(
            src.quotes
                .iter()
                .filter(|q| q.municipality.as_deref() == Some(share.municipality.as_str()))
                .flat_map(|q| &q.lines)
                .filter(|l| i32::from(l.month.year) == s.year)
                .map(|l| l.amount),
        );
        let Some(invoiced) = invoiced else {
            p.0.push(too_large(format!("settlement.municipalities[{k}]")));
            continue;
        };
        if refund > invoiced {
            p.fail(
                ErrorCode::OutOfRange,
                format!("settlement.municipalities[{k}]"),
                format!(
                    "the refund of {refund} kr to {} is more than the {invoiced} kr the request's \
                     courses invoiced it in {}: a credit note may not credit more than was \
                     invoiced (give the year's courses, or leave settlement_refunds off)",
                    share.municipality, s.year
                ),
                format!(
                    "Tilbagebetalingen på {} kr. til {:?} er mere end de {} kr., som anmodningens \
                     forløb har faktureret kommunen i {}: en kreditnota må ikke kreditere mere end \
                     faktureret (angiv årets forløb, eller slå `settlement_refunds` fra).",
                    crate::danish::number(refund),
                    share.municipality,
                    crate::danish::number(invoiced),
                    s.year
                ),
            );
            continue;
        }
        let line = DocLine {
            course: None,
            name: format!("Efterregulering {}: andel af overskud", s.year),
            item_id: format!("efterregulering-{}", s.year),
            unit: "C62",
            quantity: Decimal::ONE,
            price: refund,
            amount: refund,
            from: first,
            to: last,
            note: None,
        };
        let refs = references(e, src.quotes, b, None, refs_of, p, reported);
        docs.push(finish(
            e,
            Doc {
                kind: EinvoiceKind::CreditNote,
                source: EinvoiceSource::Settlement,
                buyer: b,
                course: None,
                month: None,
                issue_date,
                due_date: None,
                refs,
                note: format!(
                    "Efterregulering {}: {}s andel af overskuddet, tilbagebetalt",
                    s.year, share.municipality
                ),
                lines: vec![line],
                period: (first, last),
                net: Decimal::ZERO,
                vat: Decimal::ZERO,
                total: Decimal::ZERO,
                order: b,
            },
            p,
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::decimal::tests::d;

    /// VAT is the exact amount × rate ÷ 100 rounded once: 0.03 × 16.666…650 % is
    /// 0.0049999…995, so 0.00; dividing in `Decimal` first rounded it to 0.005 at 28
    /// decimals, and then up to 0.01.
    #[test]
    fn vat_is_rounded_once_from_the_exact_value() {
        assert_eq!(
            line_vat(d("0.03"), d("16.66666666666666666666666650")),
            Some(d("0.00"))
        );
        assert_eq!(line_vat(d("1462.80"), d("25")), Some(d("365.70")));
        assert_eq!(line_vat(d("0.02"), d("25")), Some(d("0.01"))); // 0.005: half away from zero
    }
}
