//! Errors (input that cannot be computed) and warnings (legal but doubtful results).
//!
//! Both carry a stable machine `code`, the `path` of the field concerned (dotted, with list
//! indices: `offer.costs[2].amount`) and a plain `message` in English, with the same in
//! Danish (`message_da`) for the pages, statements and notebooks that speak Danish. The codes
//! are part of the format: they never change meaning, and new ones are only added.
//!
//! A message a serde visitor reports (a number or a date that cannot be read) travels as one
//! string through serde's `Error::custom`; [`Bilingual`] carries both languages through it.

use std::fmt;

use schemars::JsonSchema;
use serde::Serialize;

/// The character between the English and the Danish text of a message that travels as one
/// string (a control character, which no message contains).
const SEP: char = '\u{1f}';

/// A message in English and in Danish, for serde's `Error::custom`.
///
/// Displayed plainly (`{}`), it is the English text alone, so a caller who reads a model type
/// with serde_json directly gets a plain English message. Displayed with the alternate flag
/// (`{:#}`), as takst's reader does, it is both texts joined by a separator, which
/// [`split`] takes apart again.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Bilingual {
    pub en: String,
    pub da: String,
}

impl Bilingual {
    pub(crate) fn new(en: impl Into<String>, da: impl Into<String>) -> Bilingual {
        Bilingual {
            en: en.into(),
            da: da.into(),
        }
    }
}

impl fmt::Display for Bilingual {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        if f.alternate() {
            write!(f, "{}{SEP}{}", self.en, self.da)
        } else {
            f.write_str(&self.en)
        }
    }
}

/// A message from [`Bilingual`]'s alternate form: the English text and, when it carries one,
/// the Danish text.
pub(crate) fn split(message: &str) -> (&str, Option<&str>) {
    match message.split_once(SEP) {
        Some((en, da)) => (en, Some(da)),
        None => (message, None),
    }
}

/// Stable machine code of an [`Error`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ErrorCode {
    /// The text is not well-formed JSON or TOML.
    Syntax,
    /// A field that the format does not have (a typo, or a field of a newer version).
    UnknownField,
    /// A required field is missing.
    MissingField,
    /// A field has the wrong type (a list where a number belongs, …).
    InvalidType,
    /// A field is not one of the allowed words (an unknown category, mode, …).
    InvalidValue,
    /// A number could not be read exactly (not a number, or a float with too many digits).
    InvalidNumber,
    /// The request's `version` is not one this library reads.
    UnsupportedVersion,
    /// A value that must not be negative is negative.
    Negative,
    /// A value that must be greater than zero is zero or negative.
    NotPositive,
    /// A value is outside its possible range (a day basis of 400, package number 0, …).
    OutOfRange,
    /// Two items share an id that must be unique.
    DuplicateId,
    /// A reference to a service or item that does not exist (or cannot be referred to).
    UnknownReference,
    /// A value is missing: `null` where a value is required, or neither of two alternative
    /// fields was given.
    MissingValue,
    /// Two fields that exclude each other were both given.
    Conflict,
    /// A figure grew beyond the range of 96-bit decimals (about 7.9 × 10²⁸).
    Overflow,
    /// A figure would need a division by zero (e.g. no expected support hours).
    DivisionByZero,
    /// A key appears twice in the same object or table.
    DuplicateKey,
    /// The request is larger than the limits allow (bytes, cost lines, services, …).
    LimitExceeded,
    /// A section is not computed because a section it depends on has errors (which are
    /// reported beside this one): courses whose tariffs failed, the buyer's side of courses
    /// that failed.
    DependsOnError,
    /// The request asks for something this build of takst leaves out (e-invoices in the
    /// browser modules, the provider's sections in the calculator's, the explanation in the
    /// calculator's first module).
    Unsupported,
    /// A bug in takst: please report it with the request.
    Internal,
}

/// Stable machine code of a [`Warning`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum WarningCode {
    /// Budgeted occupancy is below the agreed band (95 %, or 90 % for short-term offers).
    OccupancyBelowBand,
    /// Budgeted occupancy is above the agreed band (recommended at most 98 %).
    OccupancyAboveBand,
    /// Budgeted occupancy was derived from a number of previous years other than two.
    OccupancyYears,
    /// Overhead (central management and administration) is above the agreed cap.
    OverheadAboveCap,
    /// The services' expected shares of occupied days do not sum to 100 %.
    #[serde(rename = "service_mix_not_100")]
    ServiceMixNot100,
    /// Rounding the published tariffs leaves a residue above the threshold.
    RoundingResidue,
    /// Module tariffs do not fall along the course (assessment ≥ development ≥ long-term).
    ModuleOrder,
    /// Part-time fractions are given for a residential offer, or a residential catalogue.
    PartTimeResidential,
    /// A given catalogue tariff is zero.
    ZeroTariff,
    /// An overhead percentage is taken of categories that no line has, so it is 0 kr.
    EmptyOverheadBase,
    /// A course reaches a year that no tariff sheet or price and wage index covers; its days
    /// are priced at the tariff of the nearest year that can be priced.
    TariffYearUnknown,
    /// Full-month invoicing, but the service has no month tariff: the month is billed per day.
    NoMonthTariff,
    /// The tariff sheet has no average tariff, so a course is not compared with it.
    NoAverageTariff,
    /// An amount set aside from a surplus was not used within the years allowed.
    ReserveExpired,
    /// An amount set aside from a surplus must be used next year, its last year of use.
    ReserveExpiring,
    /// A year of the buyer's costs has no SEL § 176 brackets, so no state refund is counted.
    #[serde(rename = "refund_year_unknown")]
    RefundYearUnknown,
    /// A termination's notice runs past the course's planned end: the course ends as planned.
    NoticeBeyondEnd,
    /// A change's `until` is after the course's last day (as planned, or as a termination
    /// listed before it ends the course): it is billed to that day.
    ChangeBeyondEnd,
    /// A settlement takes its billed days from the courses, but a course has no paying
    /// municipality: the regulation is not split among the municipalities.
    SettlementNotSplit,
    /// The same add-on is billed twice for the same days (given twice in a phase, or added by
    /// a change while it runs): both are billed.
    AddOnTwice,
    /// An `end_add_on` change ends nothing: the add-on has already ended by then.
    AddOnAlreadyEnded,
    /// A catalogue's part-time day tariff is not its percentage of the full day tariff.
    PartTimeMismatch,
    /// The buyer's statement is for one municipality, and courses paid by other
    /// municipalities are left out of it.
    BuyerOtherMunicipality,
    /// A course's part-time days are compared with the flat average at the full average day
    /// tariff: the sheet has no average part-time tariff for their days a week, or the month
    /// mixes part-time and other days.
    ComparisonAtFullDay,
    /// A course bills calendar days per day at day tariffs made for fewer days a year (a
    /// `day_basis` below 365, as a school home's 334).
    DayBasisBilledDaily,
    /// A catalogue's listed package tariff is not what its package scheme gives for the
    /// package's number: the listed tariff is billed.
    PackageMismatch,
    /// The base funding section takes the offer's cost base, but its sources are not the
    /// base funding the offer's tariffs are computed with (its cost lines of category
    /// `base_funding`): the section's day tariff is not the offer's.
    BaseFundingNotInOffer,
    /// Courses of partner municipalities are billed at the offer's tariffs: takst does not
    /// bill the partnership's partner tariff (and a settlement's revenue taken from the
    /// courses leaves out the partners' fixed payment).
    PartnerBilledFullTariff,
    /// A catalogue's month or year tariff is further from its day tariff × the day basis
    /// (÷ 12 for a month) than the roundings of the two allow: the month tariff is what a
    /// full month bills.
    PeriodTariffMismatch,
    /// A municipality's name is written in two ways that differ only in letter case or
    /// spaces: takst compares names as written, so they are two municipalities.
    MunicipalitySpelling,
    /// A partner's share of the fixed payment is 0 (0 expected days, or a weight of 0 in an
    /// agreed key), yet it gets the partner tariff: the days it uses are billed below the full
    /// tariff without being in the partner days the tariff is built on.
    PartnerWithoutShare,
    /// A part-time row's percentage is above 100 %: a part-time day costs more than a
    /// full-time day, where part-time fractions are fractions of the full-time tariff.
    PartTimeAboveFull,
    /// A catalogue's published tariff (day, month or year of the average or a service) is
    /// not a whole number of the sheet's rounding increment (øre on a sheet of whole
    /// kroner): billed as given.
    TariffOffStep,
    /// A scenario changes the response only where no figure of the explanation is (the
    /// caseload's budget, the e-invoices, invoice dates, a paying municipality): its
    /// `changes` is empty, though its `response` differs from the request's own.
    ScenarioChangesOutsideFigures,
}

/// Input that cannot be computed: which field, why, and a stable code.
///
/// # Example
///
#[cfg_attr(feature = "provider", doc = "```")]
#[cfg_attr(not(feature = "provider"), doc = "```ignore")]
/// let response = takst::evaluate_json(r#"{"version": 1, "offer": {"name": 7}}"#);
/// let value: serde_json::Value = serde_json::from_str(&response).unwrap();
/// assert_eq!(value["ok"], false);
/// assert_eq!(value["errors"][0]["code"], "invalid_type");
/// assert_eq!(value["errors"][0]["path"], "offer.name");
/// ```
// Its fields are boxed: an `Error` is one pointer, so the `Result` of every computed figure
// stays as small as the figure (its fields inline made each `Result<Fig, Error>` twice the
// figure's size, written out on every node of every course).
#[derive(Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(transparent)]
#[error("{0}")]
pub struct Error(Box<Fields>);

/// As the fields were printed before they were boxed: `Error { code: …, path: …, … }`.
impl std::fmt::Debug for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let e = &self.0;
        f.debug_struct("Error")
            .field("code", &e.code)
            .field("path", &e.path)
            .field("message", &e.message)
            .field("message_da", &e.message_da)
            .field("line", &e.line)
            .field("column", &e.column)
            .finish()
    }
}

impl JsonSchema for Error {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Error".into()
    }
    fn schema_id() -> std::borrow::Cow<'static, str> {
        concat!(module_path!(), "::Error").into()
    }
    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        Fields::json_schema(generator)
    }
}

/// Input that cannot be computed: which field, why, and a stable code.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema, thiserror::Error)]
#[error("{}{message}", if path.is_empty() { String::new() } else { format!("{path}: ") })]
struct Fields {
    code: ErrorCode,
    path: String,
    message: String,
    /// The message in Danish, for Danish pages, statements and notebooks.
    message_da: String,
    /// For syntax errors: the line (from 1) where the text stops being well-formed.
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<u32>,
    /// For syntax errors: the column (from 1, in characters).
    #[serde(skip_serializing_if = "Option::is_none")]
    column: Option<u32>,
}

impl Error {
    /// A new error for the field at `path`, with its message in English and in Danish.
    pub fn new(
        code: ErrorCode,
        path: impl Into<String>,
        message: impl Into<String>,
        message_da: impl Into<String>,
    ) -> Error {
        Error(Box::new(Fields {
            code,
            path: path.into(),
            message: message.into(),
            message_da: message_da.into(),
            line: None,
            column: None,
        }))
    }
    /// The same error at a line and column of the text (for syntax errors).
    /// The error with its path placed under `prefix` (a scenario's changes).
    pub(crate) fn prefixed(mut self, prefix: &str) -> Error {
        self.0.path = if self.0.path.is_empty() {
            prefix.to_string()
        } else {
            format!("{prefix}.{}", self.0.path)
        };
        self
    }

    /// The error at another path.
    pub(crate) fn with_path(mut self, path: String) -> Error {
        self.0.path = path;
        self
    }

    /// The error with its path moved from under `from` to under `to` (an offer read
    /// elsewhere in the request: `offer.costs[0]` → `tariff_notice.previous.costs[0]`).
    pub(crate) fn moved(mut self, from: &str, to: &str) -> Error {
        if let Some(rest) = self.0.path.strip_prefix(from) {
            self.0.path = format!("{to}{rest}");
        }
        self
    }

    pub(crate) fn at(mut self, line: usize, column: usize) -> Error {
        self.0.line = u32::try_from(line).ok();
        self.0.column = u32::try_from(column).ok();
        self
    }
    /// The stable machine code.
    pub fn code(&self) -> ErrorCode {
        self.0.code
    }
    /// For syntax errors: the line and column (from 1) where the text stops being
    /// well-formed.
    pub fn position(&self) -> Option<(u32, u32)> {
        self.0.line.zip(self.0.column)
    }
    /// The line and the column as they are written, each when it is set.
    pub(crate) fn line_column(&self) -> (Option<u32>, Option<u32>) {
        (self.0.line, self.0.column)
    }
    /// The dotted path of the offending field, e.g. `offer.costs[2].amount`.
    pub fn path(&self) -> &str {
        &self.0.path
    }
    /// A plain-language explanation.
    pub fn message(&self) -> &str {
        &self.0.message
    }
    /// The explanation in Danish.
    pub fn message_da(&self) -> &str {
        &self.0.message_da
    }
}

/// One or more [`Error`]s: validation reports every problem it finds, not only the first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(transparent)]
pub struct Errors(Vec<Error>);

impl Errors {
    /// The errors, in the order they were found (never empty).
    pub fn as_slice(&self) -> &[Error] {
        &self.0
    }
    /// The errors, by value.
    pub fn into_vec(self) -> Vec<Error> {
        self.0
    }
    pub(crate) fn from_vec(errors: Vec<Error>) -> Option<Errors> {
        (!errors.is_empty()).then_some(Errors(errors))
    }
}

impl From<Error> for Errors {
    fn from(e: Error) -> Errors {
        Errors(vec![e])
    }
}

impl fmt::Display for Errors {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Errors {}

/// A legal but doubtful calculation: the result stands, and says what is doubtful.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Warning {
    code: WarningCode,
    path: String,
    message: String,
    /// The message in Danish, for Danish pages, statements and notebooks.
    message_da: String,
}

impl Warning {
    /// The warning at `to…` where its path was `from…` (an offer's warning, as the previous
    /// year's offer of a tariff notice).
    pub(crate) fn moved(mut self, from: &str, to: &str) -> Warning {
        if let Some(rest) = self.path.strip_prefix(from) {
            self.path = format!("{to}{rest}");
        }
        self
    }

    pub(crate) fn new(
        code: WarningCode,
        path: impl Into<String>,
        message: impl Into<String>,
        message_da: impl Into<String>,
    ) -> Warning {
        Warning {
            code,
            path: path.into(),
            message: message.into(),
            message_da: message_da.into(),
        }
    }
    /// The stable machine code.
    pub fn code(&self) -> WarningCode {
        self.code
    }
    /// The dotted path of the field concerned.
    pub fn path(&self) -> &str {
        &self.path
    }
    /// A plain-language explanation.
    pub fn message(&self) -> &str {
        &self.message
    }
    /// The explanation in Danish.
    pub fn message_da(&self) -> &str {
        &self.message_da
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_prints_its_fields_whatever_holds_them() {
        let e = Error::new(ErrorCode::Overflow, "courses[0]", "too large", "for stort");
        assert_eq!(e.to_string(), "courses[0]: too large");
        assert_eq!(
            format!("{e:?}"),
            "Error { code: Overflow, path: \"courses[0]\", message: \"too large\", \
             message_da: \"for stort\", line: None, column: None }"
        );
        assert_eq!(
            serde_json::to_string(&e).ok().as_deref(),
            Some(
                "{\"code\":\"overflow\",\"path\":\"courses[0]\",\"message\":\"too large\",\
                 \"message_da\":\"for stort\"}"
            )
        );
    }

    #[test]
    fn a_bilingual_message_travels_as_one_string() {
        let m = Bilingual::new("not a date", "Ikke en gyldig dato.");
        assert_eq!(m.to_string(), "not a date");
        let joined = format!("{m:#}");
        assert_eq!(split(&joined), ("not a date", Some("Ikke en gyldig dato.")));
        assert_eq!(split("invalid length 3"), ("invalid length 3", None));
    }
}
