//! A priced batch's figures as Arrow columns: money as `decimal128(38, s)` from the core's
//! exact decimals (never through float), dates as `date32`, warnings as lists of structs.

use std::sync::Arc;

use arrow_array::builder::{Decimal128Builder, ListBuilder, StringBuilder, StructBuilder};
use arrow_array::{
    ArrayRef, Date32Array, Decimal128Array, Int32Array, RecordBatch, StringArray, UInt32Array,
};
use arrow_buffer::{NullBufferBuilder, ScalarBuffer};
use arrow_schema::{ArrowError, DataType, Field, Fields, Schema};
use takst::Decimal;

use crate::arrow_in::days_from_civil;

/// The scale of a money column: øre, or more when a value has more places.
fn scale(values: impl Iterator<Item = Decimal>) -> u32 {
    values.map(|d| d.scale()).max().unwrap_or(2).max(2)
}

/// Exact decimals as `decimal128(38, s)`, `s` the column's largest scale (at least 2).
pub fn decimals(values: &[Option<Decimal>]) -> Result<ArrayRef, ArrowError> {
    let s = scale(values.iter().flatten().copied());
    let mut b = Decimal128Builder::with_capacity(values.len());
    for v in values {
        match v {
            None => b.append_null(),
            Some(d) => {
                // Nearly every figure has the column's scale: its mantissa as it is.
                let up = if d.scale() == s {
                    Some(d.mantissa())
                } else {
                    10i128
                        .checked_pow(s - d.scale())
                        .and_then(|f| d.mantissa().checked_mul(f))
                };
                match up {
                    Some(m) => b.append_value(m),
                    None => {
                        return Err(ArrowError::ComputeError(format!(
                            "{d} does not fit a decimal128(38, {s}) column"
                        )))
                    }
                }
            }
        }
    }
    let scale = i8::try_from(s).map_err(|_| ArrowError::ComputeError(String::from("scale")))?;
    Ok(Arc::new(b.finish().with_precision_and_scale(38, scale)?))
}

/// A money column of the courses, as it is collected. While every figure has one scale of at
/// least 2 (øre: nearly always), the mantissas that [`decimals`] would write for them, and
/// which rows are missing: the Arrow column is then made of them without a copy. Before,
/// each figure was kept whole (20 bytes) and written again into a new column (16 bytes) at
/// the end: on 100,000 rows five such columns were 9.5 MB of fresh pages and 254
/// instructions a row. A figure of another scale turns the column into the figures
/// themselves (those kept as mantissas are the figures of that scale), which [`decimals`]
/// writes as before, scaled to the largest: the same column either way.
pub struct Money {
    scale: Option<u32>,
    values: Vec<i128>,
    nulls: NullBufferBuilder,
    /// Once a figure of another scale came: every figure (and `values` is left empty).
    figures: Option<Vec<Option<Decimal>>>,
    /// A mantissa that was no decimal again when the column turned into its figures: it
    /// cannot happen (each came from a `Decimal` of that scale), and if it did the column
    /// is an error, never a missing figure.
    lost: bool,
}

impl Default for Money {
    fn default() -> Money {
        Money {
            scale: None,
            values: Vec::new(),
            nulls: NullBufferBuilder::new(0),
            figures: None,
            lost: false,
        }
    }
}

impl Money {
    /// A figure (`None`: missing) after those pushed (inlined into the batch's collecting:
    /// called, it was some 50 instructions a figure).
    #[inline(always)]
    pub fn push(&mut self, v: Option<Decimal>) {
        if self.figures.is_none() {
            match v {
                Some(d) if self.scale == Some(d.scale()) => {
                    self.values.push(d.mantissa());
                    self.nulls.append_non_null();
                    return;
                }
                None => {
                    self.values.push(0);
                    self.nulls.append_null();
                    return;
                }
                Some(_) => {}
            }
        }
        self.push_other(v);
    }

    /// The first figure, or one of another scale than the figures before it.
    #[inline(never)]
    fn push_other(&mut self, v: Option<Decimal>) {
        if let (None, None, Some(d)) = (&self.figures, self.scale, v) {
            if d.scale() >= 2 {
                self.scale = Some(d.scale());
                self.values.push(d.mantissa());
                self.nulls.append_non_null();
                return;
            }
        }
        self.figures().push(v);
    }

    /// The column as its figures (made so if it is not).
    fn figures(&mut self) -> &mut Vec<Option<Decimal>> {
        let (scale, values, nulls, lost) = (
            self.scale,
            &mut self.values,
            &mut self.nulls,
            &mut self.lost,
        );
        self.figures.get_or_insert_with(|| {
            let nulls = nulls.finish();
            let s = scale.unwrap_or(2);
            std::mem::take(values)
                .into_iter()
                .enumerate()
                .map(|(i, m)| {
                    // (A figure's own mantissa and scale: always a decimal again.)
                    let missing = nulls.as_ref().is_some_and(|n| n.is_null(i));
                    if missing {
                        return None;
                    }
                    let d = Decimal::try_from_i128_with_scale(m, s).ok();
                    *lost |= d.is_none();
                    d
                })
                .collect()
        })
    }

    fn reserve(&mut self, rows: usize) {
        let _ = match &mut self.figures {
            None => self.values.try_reserve(rows),
            Some(f) => f.try_reserve(rows),
        };
    }

    /// Moves `other`'s rows after these.
    fn append(&mut self, other: &mut Money) {
        let one_scale = self.scale.is_none() || other.scale.is_none() || self.scale == other.scale;
        if self.figures.is_none() && other.figures.is_none() && one_scale {
            self.scale = self.scale.or(other.scale);
            let rows = other.values.len();
            self.values.append(&mut other.values);
            match other.nulls.finish() {
                Some(n) => self.nulls.append_buffer(&n),
                None => self.nulls.append_n_non_nulls(rows),
            }
            return;
        }
        let theirs = std::mem::take(other.figures());
        self.lost |= other.lost;
        self.figures().extend(theirs);
    }

    /// The column: `decimal128(38, s)`, as [`decimals`] makes it of the figures.
    fn finish(mut self) -> Result<ArrayRef, ArrowError> {
        if self.lost {
            return Err(ArrowError::ComputeError(String::from(
                "a money figure's mantissa was no decimal of its scale",
            )));
        }
        if let Some(f) = &self.figures {
            return decimals(f);
        }
        let scale = i8::try_from(self.scale.unwrap_or(2))
            .map_err(|_| ArrowError::ComputeError(String::from("scale")))?;
        Ok(Arc::new(
            Decimal128Array::try_new(ScalarBuffer::from(self.values), self.nulls.finish())?
                .with_precision_and_scale(38, scale)?,
        ))
    }
}

/// A civil date as days since 1970-01-01.
pub fn date32(d: jiff::civil::Date) -> i32 {
    let days = days_from_civil(i64::from(d.year()), d.month() as u32, d.day() as u32);
    i32::try_from(days).unwrap_or(i32::MAX)
}

fn warning_fields() -> Fields {
    Fields::from(vec![
        Field::new("code", DataType::Utf8, false),
        Field::new("path", DataType::Utf8, false),
        Field::new("message", DataType::Utf8, false),
        Field::new("message_da", DataType::Utf8, true),
    ])
}

/// The per-course columns.
#[derive(Default)]
pub struct Courses {
    pub days: Vec<u32>,
    pub total: Money,
    /// The comparison's side of the course: its service lines (add-ons are billed alike
    /// either way and not compared), so that `difference` = `compared` − `flat`.
    pub compared: Money,
    pub flat: Money,
    pub difference: Money,
    pub change: Money,
    /// Per course: its warnings as JSON objects (code, path, message, message_da).
    pub warnings: Vec<Vec<serde_json::Value>>,
}

impl Courses {
    /// Room for `rows` more rows in every column: a batch's columns, grown chunk by chunk,
    /// were copied again at every doubling, on fresh pages (73 % of `price_courses`'s page
    /// faults on 100,000 rows, perf).
    /// Room that cannot be had is left to grow as before (never a panic or an abort).
    pub fn reserve(&mut self, rows: usize) {
        let _ = self.days.try_reserve(rows);
        for column in [
            &mut self.total,
            &mut self.compared,
            &mut self.flat,
            &mut self.difference,
            &mut self.change,
        ] {
            column.reserve(rows);
        }
        let _ = self.warnings.try_reserve(rows);
    }

    /// Moves `other`'s rows after these.
    pub fn append(&mut self, other: &mut Courses) {
        self.days.append(&mut other.days);
        self.total.append(&mut other.total);
        self.compared.append(&mut other.compared);
        self.flat.append(&mut other.flat);
        self.difference.append(&mut other.difference);
        self.change.append(&mut other.change);
        self.warnings.append(&mut other.warnings);
    }

    pub fn finish(self) -> Result<RecordBatch, ArrowError> {
        let mut warnings =
            ListBuilder::new(StructBuilder::from_fields(warning_fields(), 0)).with_field(Arc::new(
                Field::new("item", DataType::Struct(warning_fields()), false),
            ));
        for ws in &self.warnings {
            let items = warnings.values();
            for w in ws {
                for (i, name) in ["code", "path", "message", "message_da"].iter().enumerate() {
                    let text = w.get(*name).and_then(|v| v.as_str());
                    let f = items.field_builder::<StringBuilder>(i);
                    match (f, text) {
                        (Some(f), Some(t)) => f.append_value(t),
                        (Some(f), None) if i < 3 => f.append_value(""),
                        (Some(f), None) => f.append_null(),
                        (None, _) => {}
                    }
                }
                items.append(true);
            }
            warnings.append(true);
        }
        let columns: Vec<ArrayRef> = vec![
            Arc::new(UInt32Array::from(self.days)),
            self.total.finish()?,
            self.compared.finish()?,
            self.flat.finish()?,
            self.difference.finish()?,
            self.change.finish()?,
            Arc::new(warnings.finish()),
        ];
        let schema = Schema::new(vec![
            Field::new("days", DataType::UInt32, false),
            Field::new("total", columns[1].data_type().clone(), false),
            Field::new("compared", columns[2].data_type().clone(), true),
            Field::new("flat", columns[3].data_type().clone(), true),
            Field::new("difference", columns[4].data_type().clone(), true),
            Field::new("change", columns[5].data_type().clone(), true),
            Field::new("warnings", columns[6].data_type().clone(), false),
        ]);
        RecordBatch::try_new(Arc::new(schema), columns)
    }
}

/// The invoice-line columns.
#[derive(Default)]
pub struct Lines {
    pub row: Vec<u32>,
    pub month: Vec<String>,
    pub phase: Vec<u32>,
    pub service: Vec<Arc<str>>,
    pub add_on: Vec<Option<Arc<str>>>,
    pub start: Vec<i32>,
    pub end: Vec<i32>,
    pub days: Vec<u32>,
    pub basis: Vec<&'static str>,
    pub quantity_per_month: Vec<Option<Decimal>>,
    pub unit: Vec<Option<&'static str>>,
    pub tariff: Vec<Option<Decimal>>,
    pub tariff_year: Vec<i32>,
    pub amount: Vec<Option<Decimal>>,
    pub invoice_date: Vec<i32>,
}

impl Lines {
    /// Moves `other`'s lines after these.
    pub fn append(&mut self, other: &mut Lines) {
        self.row.append(&mut other.row);
        self.month.append(&mut other.month);
        self.phase.append(&mut other.phase);
        self.service.append(&mut other.service);
        self.add_on.append(&mut other.add_on);
        self.start.append(&mut other.start);
        self.end.append(&mut other.end);
        self.days.append(&mut other.days);
        self.basis.append(&mut other.basis);
        self.quantity_per_month
            .append(&mut other.quantity_per_month);
        self.unit.append(&mut other.unit);
        self.tariff.append(&mut other.tariff);
        self.tariff_year.append(&mut other.tariff_year);
        self.amount.append(&mut other.amount);
        self.invoice_date.append(&mut other.invoice_date);
    }

    pub fn push(&mut self, row: u32, l: &takst::InvoiceLine) {
        self.row.push(row);
        self.month.push(l.month.to_string());
        self.phase.push(l.phase);
        self.service.push(l.service.clone());
        self.add_on.push(l.add_on.clone());
        self.start.push(date32(l.from));
        self.end.push(date32(l.to));
        self.days.push(l.days);
        self.basis.push(match l.basis {
            takst::Basis::PerDay => "per_day",
            takst::Basis::FullMonth => "full_month",
            takst::Basis::PerUnit => "per_unit",
        });
        self.quantity_per_month.push(l.quantity_per_month);
        self.unit.push(l.unit.map(|u| match u {
            takst::AddOnUnit::Hour => "hour",
            takst::AddOnUnit::Km => "km",
            takst::AddOnUnit::Day => "day",
        }));
        self.tariff.push(Some(l.tariff));
        self.tariff_year.push(l.tariff_year);
        self.amount.push(Some(l.amount));
        self.invoice_date.push(date32(l.invoice_date));
    }

    pub fn finish(self) -> Result<RecordBatch, ArrowError> {
        let tariff = decimals(&self.tariff)?;
        let amount = decimals(&self.amount)?;
        let quantity = decimals(&self.quantity_per_month)?;
        let schema = Schema::new(vec![
            Field::new("row", DataType::UInt32, false),
            Field::new("month", DataType::Utf8, false),
            Field::new("phase", DataType::UInt32, false),
            Field::new("service", DataType::Utf8, false),
            Field::new("add_on", DataType::Utf8, true),
            Field::new("start", DataType::Date32, false),
            Field::new("end", DataType::Date32, false),
            Field::new("days", DataType::UInt32, false),
            Field::new("basis", DataType::Utf8, false),
            Field::new("quantity_per_month", quantity.data_type().clone(), true),
            Field::new("unit", DataType::Utf8, true),
            Field::new("tariff", tariff.data_type().clone(), false),
            Field::new("tariff_year", DataType::Int32, false),
            Field::new("amount", amount.data_type().clone(), false),
            Field::new("invoice_date", DataType::Date32, false),
        ]);
        let columns: Vec<ArrayRef> = vec![
            Arc::new(UInt32Array::from(self.row)),
            Arc::new(StringArray::from_iter_values(self.month)),
            Arc::new(UInt32Array::from(self.phase)),
            Arc::new(StringArray::from_iter_values(
                self.service.iter().map(|s| &**s),
            )),
            Arc::new(StringArray::from_iter(
                self.add_on.iter().map(|s| s.as_deref()),
            )),
            Arc::new(Date32Array::from(self.start)),
            Arc::new(Date32Array::from(self.end)),
            Arc::new(UInt32Array::from(self.days)),
            Arc::new(StringArray::from_iter_values(self.basis)),
            quantity,
            Arc::new(StringArray::from_iter(self.unit)),
            tariff,
            Arc::new(Int32Array::from(self.tariff_year)),
            amount,
            Arc::new(Date32Array::from(self.invoice_date)),
        ];
        RecordBatch::try_new(Arc::new(schema), columns)
    }
}
