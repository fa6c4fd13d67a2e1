//! Recording a checked catalogue's figures in the explanation, as inputs with the
//! catalogue's source.

use super::desc::*;
use super::{Place, Root};
use crate::error::Errors;
use crate::explain::{Entry, Explanation, Origin, PartTimeName, SheetName, Subj};
use crate::sheet::{AddOnUnit, TariffSheet};
use crate::tariff::{SheetFigs, TariffFigs};

/// Records a checked catalogue's figures as inputs.
pub(super) fn record(
    sheet: &TariffSheet,
    place: Place,
    ex: &mut Explanation,
) -> Result<SheetFigs, Errors> {
    let p = Root(place);
    // Every figure as an input with the catalogue's source.
    const GIVEN: &str = "givet takstkatalog";
    let base = ex.begin_sheet(
        sheet.services.len(),
        sheet.add_ons.len(),
        sheet.part_time.len(),
        |n, base| {
            let k = base.sheet;
            let root = p.to_string();
            let p: &str = &root;
            if n.day_word.is_empty() {
                n.day_word = sheet.offer.kind.day_word_da();
            }
            let texts = [p, ".", p, sheet.source.as_deref().unwrap_or(GIVEN)]
                .into_iter()
                .chain(sheet.services.iter().flat_map(|s| [&*s.id, &*s.name]))
                .chain(sheet.add_ons.iter().flat_map(|a| [&*a.id, &*a.name]));
            n.reserve_sheet(texts, sheet.services.len(), sheet.add_ons.len());
            let key_prefix = match place {
                Place::Single => n.put(""),
                Place::Listed(_) => n.put(&[p, "."].concat()),
            };
            let path_root = n.put(p);
            let source = n.put(sheet.source.as_deref().unwrap_or(GIVEN));
            n.sheets.push(SheetName {
                key_prefix,
                path_root,
                source: Some(source),
                day_word: sheet.offer.kind.day_word_da(),
            });
            for (i, s) in sheet.services.iter().enumerate() {
                let (id, name) = (n.put(&s.id), n.put(&s.name));
                n.services.push(Entry {
                    id,
                    name,
                    sheet: k,
                    local: i as u32,
                });
            }
            for (i, a) in sheet.add_ons.iter().enumerate() {
                let (id, name) = (n.put(&a.id), n.put(&a.name));
                n.add_ons.push(Entry {
                    id,
                    name,
                    sheet: k,
                    local: i as u32,
                });
            }
            for (i, pt) in sheet.part_time.iter().enumerate() {
                let name = sheet
                    .services
                    .iter()
                    .find(|s| s.id == pt.of)
                    .map_or("Gennemsnitstakst", |s| s.name.as_str());
                let of = (n.put(&pt.of), n.put(name));
                n.part_time.push(PartTimeName {
                    days: pt.days_per_week,
                    of: Some(of),
                    sheet: k,
                    local: i as u32,
                });
            }
        },
    );
    let cat = Origin::Sheet(base.sheet);
    let whole = Subj::two(0, base.sheet);
    let mut figs = SheetFigs {
        base,
        services: Vec::with_capacity(sheet.services.len()),
        part_time: Vec::with_capacity(sheet.part_time.len()),
        add_ons: Vec::with_capacity(sheet.add_ons.len()),
        ..SheetFigs::default()
    };
    if let Some(avg) = &sheet.average {
        let day = ex.input_from(&AVERAGE_DAY, whole, avg.day.into(), cat)?;
        let month = match avg.month {
            Some(m) => Some(ex.input_from(&AVERAGE_MONTH, whole, m.into(), cat)?),
            None => None,
        };
        if let Some(y) = avg.year {
            ex.input_from(&AVERAGE_YEAR, whole, y.into(), cat)?;
        }
        figs.average = Some(TariffFigs { day, month });
    }
    for (i, s) in sheet.services.iter().enumerate() {
        let subj = Subj::one(base.services as usize + i);
        let day = ex.input_from(&SERVICE_DAY, subj, s.tariff.day.into(), cat)?;
        let month = match s.tariff.month {
            Some(m) => Some(ex.input_from(&SERVICE_MONTH, subj, m.into(), cat)?),
            None => None,
        };
        if let Some(y) = s.tariff.year {
            ex.input_from(&SERVICE_YEAR, subj, y.into(), cat)?;
        }
        figs.services.push(TariffFigs { day, month });
    }
    if let Some(ps) = &sheet.package_scheme {
        figs.basis = Some(ex.input_from(&BASIS, whole, ps.basis.into(), cat)?);
        figs.interval = Some(ex.input_from(&INTERVAL, whole, ps.interval.into(), cat)?);
        ex.input_from(&BAND, whole, ps.band_hours_per_week.into(), cat)?;
    }
    for (k, pt) in sheet.part_time.iter().enumerate() {
        let subj = Subj::one(base.part_time as usize + k);
        figs.part_time
            .push(ex.input_from(&PART_TIME, subj, pt.day.into(), cat)?);
    }
    for (k, a) in sheet.add_ons.iter().enumerate() {
        let d = match a.unit {
            AddOnUnit::Hour => &ADD_ON_HOUR,
            AddOnUnit::Km => &ADD_ON_KM,
            AddOnUnit::Day => &ADD_ON_DAY,
        };
        let subj = Subj::one(base.add_ons as usize + k);
        figs.add_ons
            .push(ex.input_from(d, subj, a.price.into(), cat)?);
    }
    Ok(figs)
}
