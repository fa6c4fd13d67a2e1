"""E-invoices: every document takst writes passes the official validation rules.

The rules are the ones Danish public buyers' access points apply, vendored in
``tests/einvoice/`` (Peppol BIS Billing 3.0 release 2026.5: the EN 16931 core rules and the
Peppol rules with the Danish DK-R block; OIOUBL 3.0.1), compiled Schematron run by Saxon-HE
from PyPI (saxonche). Each stylesheet is compiled once per test session.

Peppol documents are checked with the EN 16931 and Peppol rules; OIOUBL documents with the
OIOUBL rules of their kind and the EN 16931 rules. Every document must have 0 fatal failed
assertions. The count is written to ``target/einvoice-validation.txt`` for the summary of
``scripts/test.sh``.
"""

from __future__ import annotations

import copy
import importlib.util
import json
import re
import xml.etree.ElementTree as ET
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest

import takst

ROOT = Path(__file__).resolve().parents[2]
RULES = ROOT / "tests" / "einvoice"
NS = {
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
}


def _validate_module() -> Any:
    """The vendored validate.py (its rule sets and report patterns), imported as a module."""
    spec = importlib.util.spec_from_file_location("einvoice_validate", RULES / "validate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


Failed = list[tuple[str, str, str]]


@pytest.fixture(scope="session")
def validator() -> Iterator[Callable[[str, str], Failed]]:
    """``failed(xml, ruleset)`` → the failed assertions as (flag, rule id, text); rule sets
    as in validate.py plus ``cen`` (the EN 16931 core rules alone)."""
    saxonche = pytest.importorskip("saxonche")
    v = _validate_module()
    rulesets = dict(v.RULESETS)
    rulesets["cen"] = [v.RULESETS["peppol"][0]]
    proc = saxonche.PySaxonProcessor(license=False)
    xslt = proc.new_xslt30_processor()
    compiled: dict[str, Any] = {}

    def failed(xml: str, ruleset: str) -> Failed:
        node = proc.parse_xml(xml_text=xml)
        out: Failed = []
        for rel in rulesets[ruleset]:
            if rel not in compiled:
                compiled[rel] = xslt.compile_stylesheet(stylesheet_file=str(RULES / rel))
            report = compiled[rel].transform_to_string(xdm_node=node)
            for attrs, body in v.FAILED.findall(report):
                a = dict(v.ATTR.findall(attrs))
                m = v.TEXT.search(body)
                text = " ".join(m.group(1).split()) if m else ""
                out.append((a.get("flag", "fatal"), a.get("id", "?"), text))
        return out

    yield failed


def _example() -> dict[str, Any]:
    return json.loads((ROOT / "examples" / "requests" / "einvoice.json").read_text(encoding="utf-8"))


CONTACT = {"telephone": "+4589402000", "email": "faktura@example.dk"}


def variants() -> dict[str, dict[str, Any]]:
    """The test requests: both profiles, both groupings, exempt and with VAT, every payment
    means, corrections and settlement refunds as credit notes, add-ons per hour, km and day,
    full months, a course over a year end with indexed tariffs, and names with Danish
    letters and <&>."""
    out: dict[str, dict[str, Any]] = {}
    base = _example()
    out["peppol-per-course"] = base

    r = copy.deepcopy(base)
    r["einvoicing"]["profile"] = "oioubl3"
    for b in r["einvoicing"]["buyers"]:
        b["contact"] = dict(CONTACT)
    out["oioubl-per-course"] = r

    # Per municipality, 25 % VAT, IBAN, every month invoiced, settlement refunds, and names
    # that must be escaped.
    r = copy.deepcopy(base)
    e = r["einvoicing"]
    e["grouping"] = "per_municipality"
    e["vat"] = {"standard": {"rate_pct": 25}}
    e["payment_means"] = {"iban": {"iban": "DK5000400440116243", "bic": "DABADKKK"}}
    e["seller"]["name"] = "Æblehaven <Børn & Unge> \"Søndergård\""
    e["buyers"][1]["name"] = "Herning Kommune <Voksen & Handicap>"
    e["buyers"][1]["person_reference"] = "Ærø-teamet & co"
    del e["invoiced_through"]
    e["issue_date"] = "2027-11-15"
    e["settlement_refunds"] = True
    r["catalogue"]["services"][0]["name"] = "Udredning <intensiv> & afklaring"
    r["settlement"] = {
        "year": 2026, "budget": "8000000", "actual_costs": "7648000", "revenue": "8418000",
        "municipalities": [{"municipality": "Aarhus", "days": "1000"}, {"municipality": "Herning", "days": "500"}],
    }
    out["peppol-per-municipality-vat-settlement"] = r

    r = copy.deepcopy(out["peppol-per-municipality-vat-settlement"])
    r["einvoicing"]["profile"] = "oioubl3"
    r["einvoicing"]["payment_means"] = "nemkonto"
    for b in r["einvoicing"]["buyers"]:
        b["contact"] = dict(CONTACT)
    r["einvoicing"]["seller"]["contact"] = dict(CONTACT)
    r["einvoicing"]["invoiced_through"] = "2027-01"
    out["oioubl-per-municipality-vat-settlement"] = r

    # Full months at the month tariff, an add-on per day, termination and corrections.
    r = copy.deepcopy(base)
    r["billing"] = {"invoicing": "full_months"}
    r["courses"][0]["phases"][1]["add_ons"].append({"id": "to_timer_ugentligt"})
    r["courses"][2]["changes"] = [{"terminate": {"notice_given": "2026-12-05", "notice": {"days": 10}}}]
    r["einvoicing"]["invoiced_through"] = "2027-01"
    r["einvoicing"]["number"] = {"prefix": "2027/FM-", "start": 1}
    out["peppol-full-months-corrections"] = r

    # The provider's year (README): the offer's tariff, three citizens, per municipality.
    out["provider-year"] = json.loads(
        (ROOT / "examples" / "requests" / "provider-year.json").read_text(encoding="utf-8"))
    return out


def _profile(request: dict[str, Any]) -> str:
    return str(request["einvoicing"].get("profile", "peppol_bis3"))


def _rulesets(profile: str, kind: str) -> list[str]:
    if profile == "oioubl3":
        return ["oioubl-creditnote" if kind == "credit_note" else "oioubl-invoice", "cen"]
    return ["peppol"]


def test_every_document_passes_the_official_rules(validator: Callable[[str, str], Failed]) -> None:
    documents = Counter[str]()
    fatal: list[str] = []
    warnings = Counter[str]()
    units: set[str] = set()
    runs = 0
    for name, request in variants().items():
        result = takst.compute(request)
        docs = result.einvoices
        assert docs, name
        for d in docs:
            documents[f"{_profile(request)} {d.kind}"] += 1
            units.update(re.findall(r'unitCode="([A-Z0-9]+)"', d.xml))
            for ruleset in _rulesets(_profile(request), d.kind):
                runs += 1
                for flag, rule, text in validator(d.xml, ruleset):
                    if flag == "fatal":
                        fatal.append(f"{name} {d.file_name} {ruleset}: {rule} {text}")
                    else:
                        warnings[rule] += 1
    total = sum(documents.values())
    summary = (
        f"einvoice validation: {total} documents ("
        + ", ".join(f"{n} {k}" for k, n in sorted(documents.items()))
        + f"), {runs} rule-set runs, {len(fatal)} fatal"
        + (f", warnings: {dict(warnings)}" if warnings else "")
    )
    (ROOT / "target").mkdir(exist_ok=True)
    (ROOT / "target" / "einvoice-validation.txt").write_text(summary + "\n", encoding="utf-8")
    print(summary)
    assert fatal == [], "\n".join(fatal[:40])
    # What the documents cover.
    for kind in ("peppol_bis3 invoice", "peppol_bis3 credit_note", "oioubl3 invoice", "oioubl3 credit_note"):
        assert documents[kind] > 0, kind
    assert {"DAY", "MON", "HUR", "KMT", "C62"} <= units


def _find(xml: str, path: str) -> list[ET.Element]:
    return ET.fromstring(xml).findall(path, NS)


def test_escaped_names_read_back_exactly() -> None:
    r = variants()["peppol-per-municipality-vat-settlement"]
    docs = takst.compute(r).einvoices
    names = {e.text for d in docs for e in _find(d.xml, ".//cac:Item/cbc:Name")}
    assert "Udredning <intensiv> & afklaring" in names
    assert "&lt;intensiv&gt; &amp; afklaring" in docs[0].xml or any("&lt;intensiv&gt;" in d.xml for d in docs)
    sellers = {e.text for d in docs for e in _find(d.xml, ".//cac:AccountingSupplierParty//cac:PartyName/cbc:Name")}
    assert sellers == {"Æblehaven <Børn & Unge> \"Søndergård\""}


def test_removing_the_buyer_reference_fails_r003(validator: Callable[[str, str], Failed]) -> None:
    docs = takst.compute(_example()).einvoices
    # Herning's documents carry a buyer reference and no order reference.
    doc = next(d for d in docs if d.municipality == "Herning")
    assert "<cbc:BuyerReference>" in doc.xml and "<cac:OrderReference>" not in doc.xml
    assert [f for f in validator(doc.xml, "peppol") if f[0] == "fatal"] == []
    without = re.sub(r"\s*<cbc:BuyerReference>[^<]*</cbc:BuyerReference>", "", doc.xml)
    rules = {rule for flag, rule, _ in validator(without, "peppol") if flag == "fatal"}
    assert "PEPPOL-EN16931-R003" in rules
    # And the validator does check the sums: a wrong payable amount fails BR-CO-16.
    wrong = re.sub(r'(<cbc:PayableAmount currencyID="DKK">)[^<]*', r"\g<1>1.00", doc.xml)
    assert "BR-CO-16" in {rule for flag, rule, _ in validator(wrong, "peppol") if flag == "fatal"}


def test_documents_sum_to_the_courses() -> None:
    r = _example()
    del r["einvoicing"]["invoiced_through"]
    result = takst.compute(r)
    by_course = Counter[str]()
    for d in result.einvoices:
        assert d.kind == "invoice" and d.course is not None
        by_course[d.course] += d.total  # type: ignore[assignment]
    for q in result.quotes:
        assert q.id is not None
        assert by_course[q.id] == q.total


def test_the_provider_years_invoices_are_its_revenue() -> None:
    # README, "A provider's year in one request": one invoice per municipality per month,
    # 22 for 2026 and Randers' two of 2027 (59 days at 2,050 = 63,550 + 57,400); the 2026
    # invoices are the settlement's chained revenue, 1,098,000 + 612,000 = 1,710,000.
    result = takst.compute(ROOT / "examples" / "requests" / "provider-year.json")
    docs = result.einvoices
    assert len(docs) == 24 and all(d.kind == "invoice" and d.course is None for d in docs)
    year = Counter[str]()
    for d in docs:
        assert d.month is not None
        if d.month.startswith("2026"):
            year[d.municipality] += d.total  # type: ignore[assignment]
    assert year == {"Aarhus": Decimal("1098000"), "Randers": Decimal("612000")}
    assert result.settlement is not None
    assert sum(year.values()) == result.settlement["revenue"] == Decimal("1710000")
    assert [(d.month, d.total) for d in docs if d.month >= "2027"] == [  # type: ignore[operator]
        ("2027-01", Decimal("63550.00")), ("2027-02", Decimal("57400.00"))]


def test_einvoices_api_and_files(tmp_path: Path) -> None:
    result = takst.compute(_example())
    docs = result.einvoices
    assert all(isinstance(d, takst.Einvoice) for d in docs)
    first = docs[0]
    assert isinstance(first.total, Decimal) and first.issue_date.year >= 2026
    assert first.kind == "credit_note" and first.source == "course_change" and first.due_date is None
    paths = result.write_einvoices(tmp_path / "out")
    assert [p.name for p in paths] == [d.file_name for d in docs]
    assert paths[0].read_text(encoding="utf-8") == first.xml
    assert "e-invoices" in repr(result)


def test_price_takes_einvoicing(sheet: takst.TariffSheet) -> None:
    e = _example()["einvoicing"]
    del e["invoiced_through"], e["courses"]
    result = takst.price(
        {"id": "borger-9", "municipality": "Herning", "start": "2026-03-01", "phases": [{"service": "udvikling", "months": 1}]},
        sheet,
        einvoicing=e,
    )
    (doc,) = result.einvoices
    assert doc.total == Decimal("115196.00")  # 31 × 3,716
    assert doc.due_date is not None and (doc.due_date - doc.issue_date).days == 30


def test_missing_and_malformed_inputs_name_their_field() -> None:
    r = _example()
    b = r["einvoicing"]["buyers"][0]
    b["gln"] = "5798005770214"  # wrong check digit
    b["order_reference"] = "010190-1234"  # a CPR number
    r["courses"][2]["municipality"] = "Skive"
    with pytest.raises(takst.TakstError) as err:
        takst.compute(r)
    found = {(p.code, p.path) for p in err.value.errors}
    assert ("invalid_value", "einvoicing.buyers[0].gln") in found
    assert ("invalid_value", "einvoicing.buyers[0].order_reference") in found
    assert ("unknown_reference", "courses[2].municipality") in found
