"""The request format as types: ``TypedDict``s generated from the JSON Schema
(``schema/request.schema.json``) by ``py/tools/gen_types.py``. Do not edit by hand.

Use them to type the dicts you give takst, so that mypy or pyright find a misspelt field, a
float where money is taken or a word outside an enum before anything runs:

>>> from takst.types import Capacity
>>> capacity: Capacity = {"places": 12}
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal, TypeAlias, TypedDict

if TYPE_CHECKING:  # typing.NotRequired is new in 3.11; only type checkers read it here
    from typing_extensions import NotRequired

#: An amount or percentage: a ``Decimal``, an ``int`` or a numeric ``str`` — never a float.
Money: TypeAlias = "Decimal | int | str"
#: A date: ``datetime.date`` or ``"YYYY-MM-DD"``.
Date: TypeAlias = "datetime.date | str"

__all__ = [
    "Money",
    "Date",
    "AddOn",
    "AddOnChange",
    "AddOnPrice",
    "AddOnPriceDayFraction",
    "AddOnPricePerHour",
    "AddOnPricePerKm",
    "AddOnTariff",
    "AddOnUnit",
    "AddOnUse",
    "Address",
    "AllocationKey",
    "Ambulant",
    "AmbulantProduct",
    "Band",
    "BankAccount",
    "BaseFunding",
    "BilledDays",
    "Billing",
    "Bracket",
    "Buyer",
    "Buyer2",
    "BuyerCost",
    "Capacity",
    "CapacityPlaces",
    "CapacityTreatmentCitizens",
    "Category",
    "Change",
    "ChangeAddOn",
    "ChangeEndAddOn",
    "ChangeService",
    "ChangeTerminate",
    "Contact",
    "CostItem",
    "CostLine",
    "Course",
    "CourseReferences",
    "DayBasis",
    "DayBasisName",
    "DayFraction",
    "EarlyEnd",
    "Einvoicing",
    "EndAddOn",
    "Exemption",
    "FundingSource",
    "Grouping",
    "IbanAccount",
    "IndexMethod",
    "Indexation",
    "Invoicing",
    "KeyBasis",
    "Month",
    "Notice",
    "Numbering",
    "Occupancy",
    "OccupancyBudgetedPct",
    "OccupancyPreviousYearsPct",
    "Offer",
    "OfferChanges",
    "Options",
    "Overhead",
    "PackageScheme",
    "PartTime",
    "PartTimeTariff",
    "Partner",
    "Partnership",
    "PaymentMeans",
    "PaymentMeansBankAccount",
    "PaymentMeansIban",
    "PctOf",
    "Phase",
    "PlaceKind",
    "Population",
    "ProductPricing",
    "Profile",
    "RefundLevels",
    "RefundMethod",
    "RefundTable",
    "Request",
    "Reserve",
    "RoundMode",
    "Rounding",
    "Scenario",
    "Seller",
    "Service",
    "ServiceChange",
    "ServiceKind",
    "ServiceTariff",
    "Settings",
    "Settlement",
    "SheetFormat",
    "SheetOffer",
    "SheetPackageScheme",
    "SourceKind",
    "SpecialArrangement",
    "Split",
    "Stage",
    "StandardRate",
    "Tariff",
    "TariffNotice",
    "TariffSheet",
    "Termination",
    "Vat",
    "VatExempt",
    "VatStandard",
    "Weight",
    "YearRate",
    "YearValue"
]

class AddOn(TypedDict):
    """An add-on (tillægsydelse) billed on top of a main service."""
    #: Unique id among the add-ons.
    id: str
    #: Name shown on the tariff sheet.
    name: str
    #: How the add-on is priced.
    price: AddOnPrice


AddOnChange = TypedDict('AddOnChange', {"from": "Date", "id": "str", "quantity_per_month": "NotRequired[Money | None]", "until": "NotRequired[Date | None]"})
AddOnChange.__doc__ = 'An add-on from a date.'


class AddOnPricePerHour(TypedDict):
    """A price per hour, in kroner."""
    per_hour: Money


class AddOnPricePerKm(TypedDict):
    """A price per kilometre, in kroner."""
    per_km: Money


class AddOnPriceDayFraction(TypedDict):
    """A fraction of a day tariff, billed per calendar day (e.g. 2 hours a week = 2/5)."""
    day_fraction: DayFraction


#: How an add-on is priced.
AddOnPrice: TypeAlias = 'AddOnPricePerHour | AddOnPricePerKm | AddOnPriceDayFraction'


class AddOnTariff(TypedDict):
    """An add-on's price."""
    #: Add-on id.
    id: str
    #: Name.
    name: str
    #: Price per unit.
    price: Money
    #: What one unit is.
    unit: AddOnUnit


#: The unit an add-on is billed in.
AddOnUnit: TypeAlias = 'Literal["hour"] | Literal["km"] | Literal["day"]'


class AddOnUse(TypedDict):
    """An add-on billed with a phase (or added by a change)."""
    #: The add-on's id in the tariff sheet.
    id: str
    #: For add-ons priced per hour or per km: the quantity per calendar month (a part of a
    #: month gets its share by days). Add-ons priced per day are billed per calendar day and
    #: take no quantity.
    quantity_per_month: NotRequired[Money | None]


class Address(TypedDict):
    """A postal address (Danish form: street and building number, postal code and city)."""
    #: A second address line (floor, department, …).
    additional_street: NotRequired[str | None]
    #: Building number (OIOUBL writes it apart; Peppol after the street).
    building_number: str
    #: City.
    city: str
    #: ISO 3166-1 alpha-2 country code. Default `"DK"`.
    country: NotRequired[str]
    #: Postal code.
    postal_zone: str
    #: Street name.
    street: str


#: How a cost line is shared among services.
AllocationKey: TypeAlias = 'Literal["days"] | Literal["support_hours"]'


class Ambulant(TypedDict):
    """An ambulant service priced by the hour.

    # Example

    ```
    let out = takst::evaluate_json(r#"{"version": 1, "ambulant": {
        "name": "Specialrådgivning", "staff_costs": [{"label": "Psykologer", "amount": "3000000"}],
        "overhead": {"pct": "6"}, "productive_hours": "3000",
        "products": [{"id": "udredning", "name": "Udredning, 20 timer", "hours": "20"}]}}"#);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["ambulant"]["hourly_rate"], "1060");           // 3,180,000 ÷ 3,000
    assert_eq!(v["ambulant"]["products"][0]["price"], "21200");
    ```"""
    #: The service's name, for the statement.
    name: NotRequired[str | None]
    #: Overhead: an amount, or a percentage of the staff costs.
    overhead: NotRequired[Overhead | None]
    #: The agreed cap on overhead, in per cent of the staff costs: above it is the warning
    #: `overhead_above_cap`. Default 6, as an offer's `settings.overhead_cap_pct`.
    overhead_cap_pct: NotRequired[Money]
    #: How products of a fixed number of hours are priced: hours × the published (rounded)
    #: hourly rate (`published_rate`, the default, so anyone holding the sheet can price a
    #: product), or hours × the exact rate (`exact_rate`).
    product_pricing: NotRequired[ProductPricing]
    #: The productive hours of the year (hours delivered to citizens and municipalities).
    productive_hours: Money
    #: Products of a fixed number of hours.
    products: NotRequired[list[AmbulantProduct]]
    #: How the hourly rate and the products are rounded. Default whole kroner, half away
    #: from zero.
    rounding: NotRequired[Rounding]
    #: The staff costs of the year (wages, by staff group).
    staff_costs: list[CostItem]


class AmbulantProduct(TypedDict):
    """A product of a fixed number of hours."""
    #: Its hours.
    hours: Money
    #: Its id.
    id: str
    #: Its name.
    name: str


class Band(TypedDict):
    """A closed band of percentages."""
    #: Highest value inside the band.
    max: Money
    #: Lowest value inside the band.
    min: Money


class BankAccount(TypedDict):
    """A Danish bank account."""
    #: Account number (up to 10 digits).
    account: str
    #: Registration number (4 digits).
    registration: str


class BaseFunding(TypedDict):
    """Base funding of an offer.

    # Example

    ```
    let out = takst::evaluate_json(r#"{"version": 1, "base_funding": {
        "cost_base": "10000000", "expected_days": "2000",
        "sources": [{"label": "Statens basisbevilling", "kind": "state", "amount": "1000000"}]}}"#);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["base_funding"]["day_tariff_without"], "5000");
    assert_eq!(v["base_funding"]["day_tariff"], "4500");   // (10,000,000 − 1,000,000) ÷ 2,000
    ```"""
    #: The cost base before base funding. Default: the cost base of the request's offer.
    cost_base: NotRequired[Money | None]
    #: The expected days the tariff is paid for. Default: the expected days of the
    #: request's offer.
    expected_days: NotRequired[Money | None]
    #: The municipalities that municipal funding is split among, with their populations
    #: (needed when a source is split by population).
    municipalities: NotRequired[list[Population]]
    #: The offer's name, for the statement.
    name: NotRequired[str | None]
    #: How the day tariff is rounded. Default: as the request's offer publishes its tariffs
    #: (`offer.settings.published_rounding`, listed in `chained`), and whole kroner, half away
    #: from zero, without an offer.
    rounding: NotRequired[Rounding | None]
    #: The sources of base funding.
    sources: list[FundingSource]


class BilledDays(TypedDict):
    """A paying municipality's billed days."""
    #: Days billed to it in year N.
    days: Money
    #: The municipality.
    municipality: str


class Billing(TypedDict):
    """How courses are billed *(conventions)*; every field has a default."""
    #: Show the same billed days on the offer's flat average tariff. Default true.
    comparison: NotRequired[bool]
    #: The arrival day is billed. Default true.
    first_day: NotRequired[bool]
    #: A-conto billing: each month is invoiced in advance, on its first day, instead of in
    #: arrears on the first day of the next month. Default false.
    in_advance: NotRequired[bool]
    #: One line per calendar month per phase, priced per day (default), or full calendar
    #: months at the month tariff and partial months per day.
    invoicing: NotRequired[Invoicing]
    #: The end day (ophørsdag) is billed ("til og med ophørsdagen"). Default true.
    last_day: NotRequired[bool]
    #: Rounding of invoice lines. Default øre, half away from zero.
    line_rounding: NotRequired[Rounding]
    #: The notice period of a termination without its own. Default one month.
    notice: NotRequired[Notice]


Bracket = TypedDict('Bracket', {"from": "Money", "pct": "Money"})
Bracket.__doc__ = 'One refund bracket.'


class Buyer(TypedDict):
    """The buying municipality's view: net cost after refunds.

    # Example

    SEL § 176 with the 2020 brackets (none below 1,090,000 kr, 25 % up to 2,050,000 kr,
    50 % above), for a citizen costing 2,500,000 kr:

    ```
    let out = takst::evaluate_json(r#"{"version": 1, "buyer": {
        "refund": [{"year": 2020, "brackets": [{"from": "1090000", "pct": 25},
                                                {"from": "2050000", "pct": 50}]}],
        "costs": [{"citizen": "A", "year": 2020, "amount": "2500000"}]}}"#);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    // 25 % × 960,000 + 50 % × 450,000 = 240,000 + 225,000
    assert_eq!(v["buyer"]["cases"][0]["refund_176"], "465000.00");
    assert_eq!(v["buyer"]["cases"][0]["net"], "2035000.00");
    ```"""
    #: Costs per citizen and year besides the request's courses.
    costs: NotRequired[list[BuyerCost]]
    #: Count the request's courses (each course a citizen, by its id). Default true.
    include_courses: NotRequired[bool]
    #: The buying municipality, for the statement.
    municipality: NotRequired[str | None]
    #: The provider is private (not a public authority): the municipality gets the indirect
    #: VAT refund on the price. Default false.
    private_provider: NotRequired[bool]
    #: The SEL § 176 refund brackets, per year (a year given here is used as given).
    refund: NotRequired[list[RefundTable]]
    #: The SEL § 176 brackets at a price level, indexed to each year of the costs.
    refund_levels: NotRequired[RefundLevels | None]
    #: How the SEL § 176 refund is worked out: `monthly` (default) or `annual`.
    refund_method: NotRequired[RefundMethod]
    #: The share of the price that bears VAT, in per cent. Default 100.
    vat_bearing_pct: NotRequired[Money]
    #: How the VAT refund is rounded. Default whole kroner, half away from zero (BEK
    #: 891/2025 § 10).
    vat_rounding: NotRequired[Rounding]


class Buyer2(TypedDict):
    """A paying municipality as the documents address it."""
    #: Postal address.
    address: Address
    #: The buyer reference (BT-10) the municipality asks for. A document needs this or
    #: `order_reference`; never a CPR number.
    buyer_reference: NotRequired[str | None]
    #: The contact's telephone (with country code) and e-mail, written with the person
    #: reference. OIOUBL requires both whenever a contact is written.
    contact: NotRequired[Contact | None]
    #: CVR number (8 digits). Required by OIOUBL.
    cvr: NotRequired[str | None]
    #: EAN/GLN location number (13 digits with a valid check digit): the electronic address
    #: the invoice is sent to (scheme 0088).
    gln: str
    #: The municipality as the courses name it (`courses[i].municipality`).
    municipality: str
    #: Legal name (`"Aarhus Kommune"`).
    name: str
    #: The order reference (BT-13): the municipality's case or bevilling number. Never a
    #: CPR number.
    order_reference: NotRequired[str | None]
    #: The person reference: the municipality's contact for the case (BT-56). Never a CPR
    #: number.
    person_reference: NotRequired[str | None]


class BuyerCost(TypedDict):
    """A cost for a citizen in a year."""
    #: The gross cost (the price paid).
    amount: Money
    #: The citizen (an id, never a CPR number).
    citizen: str
    #: The year.
    year: int


class CapacityPlaces(TypedDict):
    """Number of places, e.g. `{"places": 12}`. Fractions are allowed."""
    places: Money


class CapacityTreatmentCitizens(TypedDict):
    """Treatment places (SEL §§ 101/101a, SUL § 141): citizens expected to be treated in the
    year; places = citizens ÷ 10."""
    treatment_citizens: Money


#: Places in the calculation, given directly or as treatment citizens.
Capacity: TypeAlias = 'CapacityPlaces | CapacityTreatmentCitizens'


#: The category of a cost line.
Category: TypeAlias = 'Literal["wages"] | Literal["operating"] | Literal["property"] | Literal["overhead"] | Literal["depreciation"] | Literal["interest"] | Literal["pension"] | Literal["vat"] | Literal["other_income"] | Literal["base_funding"] | Literal["regulation"]'


class ChangeService(TypedDict):
    """Intensify or reduce: another service from `from` to the end of the phase in effect
    then (or to `until`)."""
    service: ServiceChange


class ChangeAddOn(TypedDict):
    """An add-on from a date (to `until`, or the end of the course)."""
    add_on: AddOnChange


class ChangeEndAddOn(TypedDict):
    """An add-on ends: it is not billed from `from`."""
    end_add_on: EndAddOn


class ChangeTerminate(TypedDict):
    """Termination with notice: billing runs to the end of the notice period."""
    terminate: Termination


#: A change during the course. The course is re-priced from the change, and the quote shows the difference to the original plan month by month.
Change: TypeAlias = 'ChangeService | ChangeAddOn | ChangeEndAddOn | ChangeTerminate'


class Contact(TypedDict):
    """A contact point."""
    #: E-mail address.
    email: NotRequired[str | None]
    #: Name or department.
    name: NotRequired[str | None]
    #: Telephone, with country code (`+45…`).
    telephone: NotRequired[str | None]


class CostItem(TypedDict):
    """A cost line of a special arrangement."""
    #: The amount for the whole period.
    amount: Money
    #: What it is.
    label: str


class CostLine(TypedDict):
    """One line of the cost base."""
    #: The annual amount in kroner. Income categories (`other_income`, `base_funding`) are
    #: entered as positive amounts and subtracted. Only `regulation` may be negative.
    amount: NotRequired[Money | None]
    #: The kind of cost, which decides how the line enters the cost base.
    category: Category
    #: How the line is shared among services. Default: per occupied day.
    key: NotRequired[AllocationKey]
    #: What the line is, e.g. "Pædagogisk personale".
    label: str
    #: For `overhead` only, instead of `amount`: a percentage of `pct_base`.
    pct: NotRequired[Money | None]
    #: The categories `pct` is taken of (their lines with amounts). Default: the direct costs
    #: (`wages`, `operating`, `property`). Costs only: `overhead` cannot be part of its own
    #: base, and income (`other_income`, `base_funding`) and `regulation` are not costs.
    #: Left out to take the default; `null` is `missing_value`, as in every field with a
    #: default.
    pct_base: NotRequired[list[Category]]
    #: Where the figure comes from (budget account, agreement), shown in the explanation.
    source: NotRequired[str | None]


class Course(TypedDict):
    """A citizen's course at one offer: a start date and a sequence of phases.

    Month phases count from the course start (month ends clamp: a 1-month phase from 31
    January ends 27 February); a phase of *n* days ends on its start + *n* − 1, and month
    phases after it count from the day after it."""
    #: Changes during the course (initiativpligt), applied in order.
    changes: NotRequired[list[Change]]
    #: An identifier for the citizen's course (never a CPR number), e.g. `"borger-17"`.
    id: NotRequired[str | None]
    #: The paying municipality (betalingskommune), for caseload budgets.
    municipality: NotRequired[str | None]
    #: The offer whose tariffs apply (its id in the tariff sheets). Needed only when the
    #: request has sheets of more than one offer.
    offer: NotRequired[str | None]
    #: The phases, in order.
    phases: list[Phase]
    #: The first day of the course.
    start: Date


class CourseReferences(TypedDict):
    """References of one course, overriding the buyer's."""
    #: The buyer reference (BT-10) for this course.
    buyer_reference: NotRequired[str | None]
    #: The course's id (`courses[i].id`).
    course: str
    #: The order reference (BT-13): the citizen's bevilling or case number.
    order_reference: NotRequired[str | None]
    #: The person reference (the case worker).
    person_reference: NotRequired[str | None]


#: Days a place is billed in a year *(convention)*; when absent, 365.
DayBasis: TypeAlias = 'int | DayBasisName'


#: Named day bases.
DayBasisName: TypeAlias = 'Literal["actual"]'


class DayFraction(TypedDict):
    """A fraction of a service's day tariff."""
    #: Denominator of the fraction (> 0).
    denominator: int
    #: Numerator of the fraction.
    numerator: int
    #: The service whose day tariff is the base, or `"average"`.
    of: str


class EarlyEnd(TypedDict):
    """An early end of a special arrangement."""
    #: The last day billed.
    date: Date
    #: Days of staffing costs that run on after the end (notice). Default 0.
    staff_notice_days: NotRequired[int]


class Einvoicing(TypedDict):
    """E-invoices from the priced courses (and a settlement's refunds): one invoice per paying
    municipality per course per month by default, UBL 2.1 XML in the Peppol BIS Billing 3.0
    profile (or OIOUBL 3).

    Every field that the validation rules need is required here, so a missing one is an
    error with its path rather than a document the municipality's system rejects."""
    #: The paying municipalities, each linked to courses by `municipality`.
    buyers: list[Buyer2]
    #: References of single courses (the citizen's bevilling or case number, the case
    #: worker), overriding the buyer's for that course.
    courses: NotRequired[list[CourseReferences]]
    #: One due date for every invoice. Give this or `payment_terms_days`.
    due_date: NotRequired[str | None]
    #: Which lines make one document. Default `per_course`.
    grouping: NotRequired[Grouping]
    #: The last month already invoiced (`"YYYY-MM"`), by the courses as originally planned.
    #: Months up to it get no invoice again; where a change lowered a month's amount, a
    #: credit note for the difference (where it raised it, an invoice for the difference).
    invoiced_through: NotRequired[Month | None]
    #: The issue date of every document. Default: each month's invoice date by the billing
    #: conventions (in arrears the first of the next month, a conto the first of the month).
    issue_date: NotRequired[str | None]
    #: Document numbers: `prefix` + a running number from `start`.
    number: NotRequired[Numbering]
    #: How the municipality pays.
    payment_means: PaymentMeans
    #: Days from the issue date to the due date. Give this or `due_date`.
    payment_terms_days: NotRequired[int | None]
    #: The document profile. Default `peppol_bis3`.
    profile: NotRequired[Profile]
    #: The provider who invoices.
    seller: Seller
    #: Refund each paying municipality's share of a returned surplus (the settlement's
    #: split by municipality) as a credit note. Default `false`: a surplus lowers the tariffs
    #: of a later year instead.
    settlement_refunds: NotRequired[bool]
    #: VAT. Default: exempt (social services), category E with its exemption reason.
    vat: NotRequired[Vat]


EndAddOn = TypedDict('EndAddOn', {"from": "Date", "id": "str"})
EndAddOn.__doc__ = 'The end of an add-on.'


class Exemption(TypedDict):
    """The exemption reason written with category E."""
    #: The reason in words. Default: the Danish VAT act's exemption of social services.
    reason: NotRequired[str]
    #: The VATEX code. Default `VATEX-EU-132-1G` (VAT directive art. 132(1)(g): services
    #: closely linked to welfare and social security work).
    reason_code: NotRequired[str]


class FundingSource(TypedDict):
    """One source of base funding."""
    #: The annual amount. Give `amount` or `per_inhabitant`.
    amount: NotRequired[Money | None]
    #: For `split = "key"`: each municipality's weight (municipalities listed in
    #: `municipalities`).
    key: NotRequired[list[Weight]]
    #: Who pays.
    kind: SourceKind
    #: What it is, e.g. "Objektiv finansiering": one label per source (it keys the
    #: source's figures).
    label: str
    #: For `municipalities`: a rate in kroner per inhabitant (objective financing, e.g.
    #: 0.88 kr): each municipality pays rate × its population, rounded to øre, and the
    #: source's amount is the sum. Implies `split = "population"`.
    per_inhabitant: NotRequired[Money | None]
    #: For `municipalities`: how the amount is split among them.
    split: NotRequired[Split | None]


#: Which lines make one document.
Grouping: TypeAlias = 'Literal["per_course"] | Literal["per_municipality"]'


class IbanAccount(TypedDict):
    """An IBAN account."""
    #: The bank's BIC (8 or 11 characters).
    bic: NotRequired[str | None]
    #: The IBAN (`DK50…`), without spaces.
    iban: str


#: How indexed tariffs are derived.
IndexMethod: TypeAlias = 'Literal["cumulative"] | Literal["chained"]'


class Indexation(TypedDict):
    """Price and wage indexation (PL) of tariffs for years without a sheet.

    Give `rates_pct` (the yearly rate: the tariff of year y is that of y − 1 × (1 + rate ÷
    100)) and/or `later_pct` (the rate of every year after the last in `rates_pct`), or
    `values` (an index series: the tariff of year y is that of the sheet's year × value(y) ÷
    value(sheet year))."""
    #: The rate of every year after the last in `rates_pct` (of every year when it is
    #: empty), in per cent, e.g. `"1.96"`: a projection at one rate, however far a course
    #: reaches. Not with `values`.
    later_pct: NotRequired[Money | None]
    #: Cumulative (default): the sheet's tariff × the exact cumulative index, rounded once per
    #: year. Chained: each year's rounded tariff × that year's rate.
    method: NotRequired[IndexMethod]
    #: Yearly rates, e.g. `[{ "year": 2027, "pct": "2.1" }]`.
    rates_pct: NotRequired[list[YearRate]]
    #: Rounding of an indexed tariff. Default øre, half away from zero.
    rounding: NotRequired[Rounding]
    #: Index values, e.g. `[{ "year": 2026, "value": "100" }, { "year": 2027, "value": "102.1" }]`.
    values: NotRequired[list[YearValue]]


#: How a calendar month is invoiced.
Invoicing: TypeAlias = 'Literal["per_day"] | Literal["full_months"]'


#: How the partners' fixed share is split.
KeyBasis: TypeAlias = 'Literal["expected_days"] | Literal["agreed"]'


#: A calendar month, YYYY-MM.
Month: TypeAlias = 'str'


class Notice(TypedDict):
    """A notice period *(convention)*: the course ends (ophørsdag) on the day notice is given
    plus the period, billed up to and including that day — or, with `to_month_end`, up to the
    end of that month.

    Read from `{ months, days, to_month_end }`, of which `months` or `days` must be given: a
    missing one is 0, so `{ "to_month_end": true }` alone would be no notice at all where the
    default is a month; it is refused (`invalid_value`), and `{ "days": 0 }` is day to day."""
    #: Days (0: day to day, as for acute places).
    days: NotRequired[int]
    #: Calendar months (month ends clamp).
    months: NotRequired[int]
    #: Extend to the last day of the month in which the notice expires.
    to_month_end: NotRequired[bool]


class Numbering(TypedDict):
    """Document numbers."""
    #: Written before the running number (`"TK-2026-"`). Default empty.
    prefix: NotRequired[str]
    #: The first running number. Default 1.
    start: NotRequired[int]


class OccupancyBudgetedPct(TypedDict):
    """Occupancy given directly, e.g. `{"budgeted_pct": 97}`."""
    budgeted_pct: Money


class OccupancyPreviousYearsPct(TypedDict):
    """Actual occupancy of previous years (normally two); the budget uses their mean."""
    previous_years_pct: list[Money]


#: Budgeted occupancy in per cent.
Occupancy: TypeAlias = 'OccupancyBudgetedPct | OccupancyPreviousYearsPct'


class Offer(TypedDict):
    """An offer (tilbud) with its budget for one year: the input from which tariffs are computed."""
    #: Add-ons (tillægsydelser) billed on top of a main service.
    add_ons: NotRequired[list[AddOn]]
    #: Places in the calculation.
    capacity: Capacity
    #: The cost base, line by line (takstberegningsgrundlag).
    costs: list[CostLine]
    #: Days a place is billed in a year: a number (334) or `"actual"`. Default 365.
    day_basis: NotRequired[DayBasis | None]
    #: A short stable identifier, e.g. `"elbaek"`.
    id: NotRequired[str | None]
    #: Residential places (døgn) or day places (dag).
    kind: PlaceKind
    #: The offer's name, e.g. `"Elbæk"`.
    name: str
    #: Budgeted occupancy.
    occupancy: Occupancy
    #: Band width for packages (basis + package model). Needed by services with `package`.
    package_scheme: NotRequired[PackageScheme | None]
    #: Part-time fractions of the day tariff by days attended per week (day offers).
    part_time: NotRequired[list[PartTime]]
    #: The provider (region, municipality or private), e.g. `"Region Midtjylland"`.
    provider: NotRequired[str | None]
    #: The differentiated services (modules, packages, levels). Empty: average tariff only.
    services: NotRequired[list[Service]]
    #: Conventions and thresholds; every one has a default.
    settings: NotRequired[Settings]
    #: A short-term, acute or respite offer: the occupancy band's floor is then 90 %.
    short_term: NotRequired[bool]
    #: The budget year the tariffs apply to.
    year: int


class Options(TypedDict):
    """What to include in the response."""
    #: Include the caseload budget: the courses summed per paying municipality, month and
    #: year. Default false.
    caseload: NotRequired[bool]
    #: Include the explanation graph. Default true.
    explain: NotRequired[bool]
    #: Include each quote's invoice lines. Default true; false leaves `lines` out of every
    #: quote (its schedule, months, years, total and comparison are the same), for a page
    #: or a service that shows the totals: a quote's lines are most of its text. (The
    #: limit on invoice lines holds either way: the lines are computed, and bound the
    #: months a quote still has.)
    lines: NotRequired[bool]
    #: Include each course's quote (invoice lines, totals, comparison). Default true; a
    #: large caseload may want only its budget.
    quotes: NotRequired[bool]
    #: Include the tariff sheet (`tariff_sheet`): the sheet computed from the offer, or the
    #: catalogue as read. Default true; false leaves it out of the response (every other
    #: figure the same), for a page or a service that prices course after course from a
    #: sheet it already holds: a calculator's catalogue, echoed back, was some 40 % of its
    #: response.
    tariff_sheet: NotRequired[bool]


class Overhead(TypedDict):
    """Overhead of an ambulant service: give `amount` or `pct`."""
    #: An amount.
    amount: NotRequired[Money | None]
    #: A percentage of the staff costs.
    pct: NotRequired[Money | None]


class PackageScheme(TypedDict):
    """The package scheme (basis + package, Region Syddanmark)."""
    #: Support hours per week between two packages: 7 for residential packages (one hour a
    #: day); day packages are often 2⅓ hours apart (give e.g. "2.3333").
    band_hours_per_week: Money


class PartTime(TypedDict):
    """A part-time fraction of the day tariff."""
    #: Days attended per week (1–7).
    days_per_week: int
    #: Percentage of the full-time day tariff, e.g. 60.
    pct: Money


class PartTimeTariff(TypedDict):
    """A part-time day tariff."""
    #: The part-time day tariff, to øre.
    day: Money
    #: Days attended per week.
    days_per_week: int
    #: `"average"` or a service id.
    of: str
    #: Percentage of the full-time day tariff.
    pct: Money


class Partner(TypedDict):
    """A partner municipality."""
    #: The days it expects to use in the year.
    expected_days: Money
    #: Its weight in the agreed key (when `key` is `agreed`), e.g. 60 for 60 %.
    key: NotRequired[Money | None]
    #: The municipality.
    municipality: str


class Partnership(TypedDict):
    """A partnership: a fixed share of the financing base paid by partner municipalities.

    # Example

    ```
    let out = takst::evaluate_json(r#"{"version": 1, "partnership": {
        "financing_base": "20000000", "expected_days": "4000", "fixed_share_pct": 25,
        "partners": [{"municipality": "Aarhus", "expected_days": "1500"},
                     {"municipality": "Randers", "expected_days": "500"}]}}"#);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let p = &v["partnership"];
    assert_eq!(p["full_tariff"], "5000");      // 20,000,000 ÷ 4,000
    assert_eq!(p["partner_tariff"], "2500");   // 5,000 − 5,000,000 ÷ 2,000
    assert_eq!(p["partners"][0]["contribution"], "3750000.00");
    ```"""
    #: All expected days of the offer in the year (places × day basis × occupancy).
    #: Default: the expected days of the request's offer.
    expected_days: NotRequired[Money | None]
    #: The financing base (the cost base the tariffs and the fixed payments cover), a year.
    #: Default: the cost base of the request's offer.
    financing_base: NotRequired[Money | None]
    #: The partners' fixed share of the financing base, in per cent. Default 25.
    fixed_share_pct: NotRequired[Money]
    #: How the fixed share is split among the partners: by their expected days (default)
    #: or by an agreed key (`key` on each partner).
    key: NotRequired[KeyBasis]
    #: The partnership's or offer's name, for the statement.
    name: NotRequired[str | None]
    #: The partner municipalities.
    partners: list[Partner]
    #: How the published tariffs are rounded. Default: as the request's offer publishes its
    #: tariffs (`offer.settings.published_rounding`, listed in `chained`), and whole kroner,
    #: half away from zero, without an offer.
    rounding: NotRequired[Rounding | None]
    #: Usage levels to show each partner's cost at, in per cent of its expected days.
    #: Default 50, 75, 100, 125, 150.
    usage_pct: NotRequired[list[Money]]


class PaymentMeansBankAccount(TypedDict):
    """Transfer to a Danish bank account (code 42): registration and account number."""
    bank_account: BankAccount


class PaymentMeansIban(TypedDict):
    """SEPA credit transfer to an IBAN (code 58)."""
    iban: IbanAccount


#: How the municipality pays (Danish payment means codes).
PaymentMeans: TypeAlias = 'PaymentMeansBankAccount | PaymentMeansIban | Literal["nemkonto"]'


class PctOf(TypedDict):
    """A tariff set as a percentage of another service's tariff."""
    #: The percentage, e.g. 85.
    pct: Money
    #: The id of a service priced by hours or package, or `"average"`.
    service: str


class Phase(TypedDict):
    """One phase: a service for a duration."""
    #: Add-ons billed with the phase.
    add_ons: NotRequired[list[AddOnUse]]
    #: Duration in days.
    days: NotRequired[int | None]
    #: Duration in calendar months. Give one of `months`, `days` or `until`.
    months: NotRequired[int | None]
    #: A package number of the sheet's package scheme, priced as basis + round((n − ½) ×
    #: interval) also when the sheet does not list it.
    package: NotRequired[int | None]
    #: Part-time day places: days attended per week, priced at the sheet's part-time
    #: tariff for the service.
    part_time_days: NotRequired[int | None]
    #: The service (module, package, level) id in the tariff sheet, or `"average"` for
    #: the average tariff. Give `service` or `package`.
    service: NotRequired[str | None]
    #: Open-ended: the phase runs up to and including this date.
    until: NotRequired[Date | None]


#: Residential (døgn) or day (dag) places.
PlaceKind: TypeAlias = 'Literal["residential"] | Literal["day"]'


class Population(TypedDict):
    """A municipality and its population."""
    #: The municipality.
    municipality: str
    #: Its population (needed for splits by population).
    population: NotRequired[Money | None]


#: How a product of a fixed number of hours is priced.
ProductPricing: TypeAlias = 'Literal["published_rate"] | Literal["exact_rate"]'


#: The document profile.
Profile: TypeAlias = 'Literal["peppol_bis3"] | Literal["oioubl3"]'


class RefundLevels(TypedDict):
    """SEL § 176 thresholds stated at a price level (the law states them at 2022 level:
    860,000 / 1,680,000 / 2,120,000 kr at 25 / 50 / 75 %), indexed to a year by the yearly
    rates and rounded to the increment the published amounts move in."""
    #: The brackets at that level.
    brackets: list[Bracket]
    #: The yearly regulation rates after the level's year, e.g. `[{ "year": 2023, "pct":
    #: "4.7" }]`; a year of costs needs every rate up to it.
    rates_pct: NotRequired[list[YearRate]]
    #: Rounding of an indexed threshold. Default 10,000 kr, half away from zero.
    rounding: NotRequired[Rounding]
    #: The price level's year, e.g. 2022.
    year: int


#: How the SEL § 176 refund is worked out.
RefundMethod: TypeAlias = 'Literal["monthly"] | Literal["annual"]'


class RefundTable(TypedDict):
    """The SEL § 176 brackets of one year."""
    #: The brackets, by rising threshold: `pct` of the net cost above `from` (up to the next
    #: bracket's `from`) is refunded. Nothing is refunded below the first threshold.
    brackets: list[Bracket]
    #: The year.
    year: int


class Reserve(TypedDict):
    """An amount set aside in an earlier year."""
    #: The amount set aside.
    amount: Money
    #: How much of it has been used so far. Default 0.
    used: NotRequired[Money]
    #: The year whose surplus it was set aside from.
    year: int


#: How a value that lies between two multiples of the increment is rounded.  The examples use an increment of 1 kr.
RoundMode: TypeAlias = 'Literal["half_away_from_zero"] | Literal["half_even"] | Literal["half_toward_zero"] | Literal["up"] | Literal["down"] | Literal["ceiling"] | Literal["floor"]'


class Rounding(TypedDict):
    """A rounding policy: round to a multiple of `increment` using `mode`.

    # Example

    ```
    use rust_decimal::Decimal;
    use takst::{Rounding, RoundMode};

    let d = |s: &str| s.parse::<Decimal>().unwrap();
    assert_eq!(Rounding::KRONER.apply(d("2344.5")), Some(d("2345")));
    assert_eq!(Rounding::KRONER.apply(d("-2344.5")), Some(d("-2345")));
    assert_eq!(Rounding::ORE.apply(d("1993.245")), Some(d("1993.25")));

    // Banker's rounding must be asked for by name.
    let bankers = Rounding::new(d("1"), RoundMode::HalfEven).unwrap();
    assert_eq!(bankers.apply(d("2344.5")), Some(d("2344")));

    // Any positive increment: to the nearest 50 øre.
    let half = Rounding::new(d("0.50"), RoundMode::HalfAwayFromZero).unwrap();
    assert_eq!(half.apply(d("10.26")), Some(d("10.50")));
    ```"""
    #: The step to round to, in kroner: `"1"` for whole kroner, `"0.01"` for øre. Must be > 0.
    increment: Money
    #: How ties and remainders are resolved. Default: `half_away_from_zero`.
    mode: NotRequired[RoundMode]


class Scenario(TypedDict):
    """A variant of the request, compared with it."""
    #: The changes to the request, as a JSON merge patch (RFC 7396), e.g.
    #: `{"offer": {"occupancy": {"budgeted_pct": 92}}}`. Numbers keep their text.
    changes: Any
    #: The variant's name, e.g. "Belægning 3 point lavere".
    name: str


class Seller(TypedDict):
    """The provider who invoices."""
    #: Postal address.
    address: Address
    #: Who to contact about the invoices.
    contact: NotRequired[Contact | None]
    #: CVR number (8 digits), the legal registration (scheme 0184).
    cvr: str
    #: EAN/GLN location number (13 digits): when given it is the electronic address
    #: (scheme 0088); otherwise the CVR number is (scheme 0184).
    gln: NotRequired[str | None]
    #: Legal name.
    name: str
    #: VAT (SE) number, `DK` + 8 digits: EN 16931 needs it on an exempt invoice too
    #: (BR-E-02) and on one with VAT (BR-S-02).
    vat_number: str


class Service(TypedDict):
    """One differentiated service: a module, package or level.

    A service is priced in exactly one of three ways: by `hours_per_week` (its support hours),
    by `package` (a band of the package scheme) or by `pct_of` (a percentage of another
    service's tariff)."""
    #: Support (staff) hours per week the service gives one citizen.
    hours_per_week: NotRequired[Money | None]
    #: Unique id, e.g. `"udredning"`.
    id: str
    #: What kind of service this is. Default: `service`.
    kind: NotRequired[ServiceKind]
    #: Name shown on the tariff sheet, e.g. "Udredningsmodul".
    name: str
    #: Package number n ≥ 1 in the package scheme: support hours = (n − ½) × band.
    package: NotRequired[int | None]
    #: A percentage of another service's published tariff, kept to øre (levels).
    pct_of: NotRequired[PctOf | None]
    #: Expected share of the offer's occupied days, in per cent. The shares of all
    #: services should sum to 100.
    share_pct: Money
    #: For modules: where along the course it lies (tariffs should fall along it).
    stage: NotRequired[Stage | None]


ServiceChange = TypedDict('ServiceChange', {"from": "Date", "package": "NotRequired[int | None]", "service": "NotRequired[str | None]", "until": "NotRequired[Date | None]"})
ServiceChange.__doc__ = 'Another service from a date.'


#: The kind of a service (a label; the pricing follows from the fields given).
ServiceKind: TypeAlias = 'Literal["service"] | Literal["module"] | Literal["package"] | Literal["level"]'


class ServiceTariff(TypedDict):
    """The tariff of one service."""
    #: For packages: the basis tariff included in `tariff.day`.
    basis: NotRequired[Money | None]
    #: Support hours per week the tariff pays for.
    hours_per_week: NotRequired[Money | None]
    #: For packages: the band's upper end, support hours per week "til og med" (n × band,
    #: to one decimal), as the regions publish it.
    hours_to_per_week: NotRequired[Money | None]
    #: Service id.
    id: str
    #: Kind of service.
    kind: NotRequired[ServiceKind]
    #: Name.
    name: str
    #: For packages: the package number n in the package scheme.
    package: NotRequired[int | None]
    #: For packages: the package part included in `tariff.day`.
    package_part: NotRequired[Money | None]
    #: Expected share of occupied days, in per cent.
    share_pct: NotRequired[Money | None]
    #: Stage along a course, for modules.
    stage: NotRequired[Stage | None]
    #: The tariff (for packages: basis + package part).
    tariff: Tariff


class Settings(TypedDict):
    """Conventions and thresholds. Every field has a default taken from the domain reference."""
    #: Rounding of derived amounts (levels as %, part-time fractions, add-ons). Default:
    #: øre, half away from zero.
    derived_rounding: NotRequired[Rounding]
    #: The highest budgeted occupancy that is accepted, in per cent. Above it the offer is
    #: refused (`out_of_range`): it would promise more occupied days than the places have.
    #: Default 100.
    max_occupancy_pct: NotRequired[Money]
    #: Agreed occupancy band in per cent. Default 95–98 (90–98 for short-term offers).
    occupancy_band_pct: NotRequired[Band | None]
    #: Cap on overhead as a percentage of direct costs. Default 6.
    overhead_cap_pct: NotRequired[Money]
    #: Rounding of published tariffs (average, module, package, basis). Default: whole
    #: kroner, half away from zero.
    published_rounding: NotRequired[Rounding]
    #: Warn when the rounding residue exceeds this percentage of the cost base (0–100).
    #: Default 0.1.
    residue_warning_pct: NotRequired[Money]


class Settlement(TypedDict):
    """A year-end settlement of one offer (or one provider's tariff-financed area).

    # Example

    The domain reference's example: budget 8,000,000, actual costs 7,648,000, actual revenue
    8,418,000.

    ```
    let out = takst::evaluate_json(r#"{"version": 1, "settlement": {
        "year": 2026, "budget": "8000000", "actual_costs": "7648000", "revenue": "8418000"}}"#);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let s = &v["settlement"];
    assert_eq!(s["result"], "770000");                  // a surplus
    assert_eq!(s["set_aside"], "400000.00");            // at most 5 % of 8,000,000
    assert_eq!(s["regulation"], "-370000.00");          // lowers the cost base of 2028
    assert_eq!(s["regulation_years"][0]["year"], 2028);
    ```"""
    #: The actual cost-based accounts of year N.
    actual_costs: Money
    #: The budgeted cost base of year N (the base the tariffs were computed from). Default:
    #: the cost base of the request's offer, when it is of year N.
    budget: NotRequired[Money | None]
    #: The paying municipalities' billed days in year N, to split the regulation among them.
    #: Default: the days the request's courses bill in year N, by their paying municipality.
    municipalities: NotRequired[list[BilledDays]]
    #: What is settled (the offer's name), for the statement.
    name: NotRequired[str | None]
    #: The regulation enters the cost base of year N + this. Default 2.
    regulation_year_offset: NotRequired[int]
    #: Amounts set aside in earlier years, for the ledger.
    reserves: NotRequired[list[Reserve]]
    #: The actual tariff revenue of year N. Default: the service lines that the request's
    #: courses at the offer bill for the days of year N (add-ons are settled apart).
    revenue: NotRequired[Money | None]
    #: The amount set aside. Default: as much as the cap allows. Must not exceed the cap or
    #: the surplus; must be 0 after a deficit.
    set_aside: NotRequired[Money | None]
    #: The most of a surplus that may be set aside, in per cent of the budgeted cost base.
    #: Default 5.
    set_aside_cap_pct: NotRequired[Money]
    #: The regulation is spread evenly over this many years (a large deficit may be spread).
    #: Default 1.
    spread_years: NotRequired[int]
    #: A set-aside must be used within this many years. Default 5.
    use_within_years: NotRequired[int]
    #: The year N whose accounts are settled.
    year: int


#: The format marker of a tariff sheet.
SheetFormat: TypeAlias = 'Literal["takst/tariff-sheet"]'


class SheetOffer(TypedDict):
    """The offer a sheet belongs to."""
    #: Stable identifier.
    id: NotRequired[str | None]
    #: Residential or day places.
    kind: PlaceKind
    #: Name.
    name: str
    #: Provider.
    provider: NotRequired[str | None]
    #: The tariff year.
    year: int


class SheetPackageScheme(TypedDict):
    """The package scheme as published."""
    #: Support hours per week between two packages.
    band_hours_per_week: Money
    #: Basis tariff per day (common costs).
    basis: Money
    #: The interval: the price per day of the hours between two packages, a published
    #: figure rounded like the tariffs (Region Syddanmark publishes e.g. 349 kr).
    interval: Money


#: Who pays a source.
SourceKind: TypeAlias = 'Literal["state"] | Literal["fund"] | Literal["municipalities"] | Literal["other"]'


class SpecialArrangement(TypedDict):
    """A special arrangement for one citizen.

    # Example

    ```
    let out = takst::evaluate_json(r#"{"version": 1, "special_arrangements": [{
        "name": "Enkeltmandsprojekt", "start": "2026-01-01", "end": "2026-12-31",
        "fixed_costs": [{"label": "Hus", "amount": "365000"}],
        "staffing": [{"label": "Personale", "amount": "3285000"}], "markup_pct": 0,
        "early_end": {"date": "2026-06-30"}}]}"#);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let s = &v["special_arrangements"][0];
    assert_eq!(s["day_price"], "10000");               // 3,650,000 ÷ 365
    assert_eq!(s["early_end"]["uncovered"], "184000.00"); // the house for 184 days
    ```"""
    #: An early end to show the uncovered costs of.
    early_end: NotRequired[EarlyEnd | None]
    #: The last day of the agreed period.
    end: Date
    #: Fixed costs for the whole period (a building, its fitting out), which run on if the
    #: arrangement ends early.
    fixed_costs: NotRequired[list[CostItem]]
    #: The fee on top of the costs (overhead, risk), in per cent. Default 0.
    markup_pct: NotRequired[Money]
    #: What it is called (never the citizen's name or CPR number).
    name: str
    #: How the day price is rounded. Default whole kroner, half away from zero.
    rounding: NotRequired[Rounding]
    #: Staffing and other running costs for the whole period.
    staffing: NotRequired[list[CostItem]]
    #: The first day of the agreed period.
    start: Date


#: How a municipal source is split.
Split: TypeAlias = 'Literal["population"] | Literal["key"]'


#: The stage of a module along a course.
Stage: TypeAlias = 'Literal["assessment"] | Literal["development"] | Literal["long_term"]'


class StandardRate(TypedDict):
    """A VAT rate."""
    #: The rate in per cent. Default 25.
    rate_pct: NotRequired[Money]


class Tariff(TypedDict):
    """A day tariff with the month and year tariffs derived from the same unrounded figure."""
    #: Per day (døgn for residential places).
    day: Money
    #: Per month.
    month: NotRequired[Money | None]
    #: Per place per year.
    year: NotRequired[Money | None]


class TariffNotice(TypedDict):
    """The tariff-change notice of the request's offer (year N+1) against the offer of year N."""
    #: The price and wage index from year N to N+1, in per cent. Default: the request's
    #: `index` (the rates of the years after N up to N+1, or its values).
    pl_pct: NotRequired[Money | None]
    #: The offer of the year before, as it was budgeted (its cost lines, capacity, occupancy,
    #: services).
    previous: Offer


class TariffSheet(TypedDict):
    """A published tariff sheet (takstblad), version 1."""
    #: Add-ons.
    add_ons: NotRequired[list[AddOnTariff]]
    #: The average tariff of the offer (absent from catalogues that have none).
    average: NotRequired[Tariff | None]
    #: Days a place is billed in a year.
    day_basis: int
    #: The rounding of the figures derived from the tariffs (part-time tariffs, levels in per
    #: cent, add-ons priced as a fraction of a day), when it is not the default (to øre, half
    #: away from zero): a reader checking a part-time tariff against its percentage of the
    #: day tariff allows for it.
    derived_rounding: NotRequired[Rounding | None]
    #: Always `"takst/tariff-sheet"`.
    format: SheetFormat
    #: The offer the tariffs belong to.
    offer: SheetOffer
    #: The package scheme, so that any package can be priced from the sheet, including
    #: those beyond the last listed: package n = basis + round((n − ½) × interval).
    package_scheme: NotRequired[SheetPackageScheme | None]
    #: Part-time day tariffs.
    part_time: NotRequired[list[PartTimeTariff]]
    #: The regulation of an earlier year's result in the tariffs, per day (the regulation ÷ expected days,
    #: rounded like derived amounts, to øre by default), as agreements publish it: positive
    #: the tariffs cover an earlier deficit, negative they return a surplus. Informative: the
    #: tariffs already contain it.
    regulation_per_day: NotRequired[Money | None]
    #: The rounding of the published tariffs.
    rounding: Rounding
    #: The differentiated services.
    services: NotRequired[list[ServiceTariff]]
    #: Who set the tariffs: "computed by takst 0.1.0 from the cost base", "KKR 2026", …
    source: NotRequired[str | None]
    #: Format version; this library writes and reads 1.
    version: int


class Termination(TypedDict):
    """Termination with notice."""
    #: The notice period; default the billing settings' notice (one month).
    notice: NotRequired[Notice | None]
    #: The day notice is given.
    notice_given: Date


class VatExempt(TypedDict):
    """Exempt (category E): social services are (momsloven § 13, stk. 1, nr. 2)."""
    exempt: Exemption


class VatStandard(TypedDict):
    """The provider charges VAT (category S) at a rate, computed on each document's lines
    and rounded half away from zero to øre."""
    standard: StandardRate


#: VAT on the documents.
Vat: TypeAlias = 'VatExempt | VatStandard'


class Weight(TypedDict):
    """A municipality's weight in an agreed key."""
    #: The municipality (one listed in `municipalities`).
    municipality: str
    #: Its weight, e.g. 12.5 for 12.5 %.
    weight: Money


class YearRate(TypedDict):
    """The PL rate of one year."""
    #: The rate in per cent, e.g. 1.96.
    pct: Money
    #: The year the rate takes the tariffs into.
    year: int


class YearValue(TypedDict):
    """An index value of one year."""
    #: The index value (any base), e.g. 103.56.
    value: Money
    #: The year.
    year: int


class OfferChanges(TypedDict):
    """Fields of an offer to replace (``Offer.replace``)."""
    #: Add-ons (tillægsydelser) billed on top of a main service.
    add_ons: NotRequired[list[AddOn]]
    #: Places in the calculation.
    capacity: NotRequired[Capacity]
    #: The cost base, line by line (takstberegningsgrundlag).
    costs: NotRequired[list[CostLine]]
    #: Days a place is billed in a year: a number (334) or `"actual"`. Default 365.
    day_basis: NotRequired[DayBasis | None]
    #: A short stable identifier, e.g. `"elbaek"`.
    id: NotRequired[str | None]
    #: Residential places (døgn) or day places (dag).
    kind: NotRequired[PlaceKind]
    #: The offer's name, e.g. `"Elbæk"`.
    name: NotRequired[str]
    #: Budgeted occupancy.
    occupancy: NotRequired[Occupancy]
    #: Band width for packages (basis + package model). Needed by services with `package`.
    package_scheme: NotRequired[PackageScheme | None]
    #: Part-time fractions of the day tariff by days attended per week (day offers).
    part_time: NotRequired[list[PartTime]]
    #: The provider (region, municipality or private), e.g. `"Region Midtjylland"`.
    provider: NotRequired[str | None]
    #: The differentiated services (modules, packages, levels). Empty: average tariff only.
    services: NotRequired[list[Service]]
    #: Conventions and thresholds; every one has a default.
    settings: NotRequired[Settings]
    #: A short-term, acute or respite offer: the occupancy band's floor is then 90 %.
    short_term: NotRequired[bool]
    #: The budget year the tariffs apply to.
    year: NotRequired[int]


class Request(TypedDict):
    """A request: compute the tariffs of an offer, or read a given tariff catalogue."""
    #: An ambulant service priced by the hour.
    ambulant: NotRequired[Ambulant | None]
    #: Base funding outside the tariff.
    base_funding: NotRequired[BaseFunding | None]
    #: How courses are billed.
    billing: NotRequired[Billing]
    #: The buying municipality's net cost after refunds.
    buyer: NotRequired[Buyer | None]
    #: A tariff catalogue given rather than computed (same format as a published tariff
    #: sheet): the provider's published sheet, or national packages set by KKR.
    catalogue: NotRequired[TariffSheet | None]
    #: More tariff sheets, for courses: other years of the same offer, or other offers.
    catalogues: NotRequired[list[TariffSheet]]
    #: Courses to price from the tariffs (the offer's, the catalogue's, the catalogues').
    courses: NotRequired[list[Course]]
    #: E-invoices (Peppol BIS Billing 3.0 or OIOUBL 3) from the priced courses.
    einvoicing: NotRequired[Einvoicing | None]
    #: The price and wage index for tariff years without a sheet.
    index: NotRequired[Indexation]
    #: An offer whose tariffs are computed from its cost base.
    offer: NotRequired[Offer | None]
    #: What to include in the response.
    options: NotRequired[Options]
    #: Partnership financing: partners pay a fixed share and a lower tariff.
    partnership: NotRequired[Partnership | None]
    #: Variants of this request to compare with it, figure by figure.
    scenarios: NotRequired[list[Scenario]]
    #: The year-end settlement (efterregulering) of a year.
    settlement: NotRequired[Settlement | None]
    #: Special arrangements for single citizens, priced cost-plus.
    special_arrangements: NotRequired[list[SpecialArrangement]]
    #: The tariff-change notice: the offer's tariffs against the previous year's offer, each
    #: change split into its drivers.
    tariff_notice: NotRequired[TariffNotice | None]
    #: Format version: 1.
    version: int
