"""Many courses from a DataFrame: the same figures as one by one, for every course field."""

from __future__ import annotations

import datetime as dt
import gc
import json
import warnings
from decimal import Decimal
from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import takst

INDEX = {"rates_pct": [{"year": 2027, "pct": "1.96"}]}
PLAN = [{"service": "udredning", "months": 5}, {"service": "udvikling", "months": 8}]


def frame(n: int) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": [f"borger-{i}" for i in range(n)],
            "municipality": ["Aarhus" if i % 3 else "Silkeborg" for i in range(n)],
            "start": [dt.date(2026, 1, 1) + dt.timedelta(days=7 * i) for i in range(n)],
            "phases": [PLAN] * n,
        }
    )


def test_batch_equals_one_by_one(sheet: takst.TariffSheet) -> None:
    df = frame(40)
    out = takst.price_courses(df, sheet, index=INDEX)
    one = takst.price(
        [takst.Course(start=r.start, phases=PLAN, id=r.id) for r in df.itertuples()], sheet, index=INDEX
    )
    assert list(out["total"]) == [q.total for q in one.quotes]
    assert list(out["days"]) == [q.days for q in one.quotes]
    assert all(isinstance(t, Decimal) for t in out["total"])


def test_a_later_rate_prices_as_the_rates_written_out(sheet: takst.TariffSheet) -> None:
    # `later_pct` is the rate of every year after the last listed one: 2.5 % for 2028 on,
    # as if written out year by year, in the batch and one by one.
    later = {"rates_pct": [{"year": 2027, "pct": Decimal("1.96")}], "later_pct": Decimal("2.5")}
    written = {"rates_pct": [{"year": 2027, "pct": "1.96"}] + [{"year": y, "pct": "2.5"} for y in range(2028, 2040)]}
    df = frame(20).assign(phases=[[{"service": "udvikling", "months": 30 + i}] for i in range(20)])
    a = takst.price_courses(df, sheet, index=later, progress=False)
    b = takst.price_courses(df, sheet, index=written, progress=False)
    assert list(a["total"]) == list(b["total"])
    one = takst.price(takst.Course(start=df["start"][0], phases=df["phases"][0]), sheet, index=later)
    assert one.quotes[0].total == a["total"][0]
    with pytest.raises(takst.TakstError) as e:
        takst.price_courses(df, sheet, index={"later_pct": "150"}, progress=False)
    assert [(p.code, p.path) for p in e.value.errors] == [
        ("out_of_range", "index.later_pct"), ("depends_on_error", "courses")]


def test_batch_difference_is_compared_minus_flat_beside_add_ons(sheet: takst.TariffSheet) -> None:
    # March 2026 at udvikling, 31 × 3,716 = 115,196, with 10 hours of ekstra_timer at 465 =
    # 4,650: total 119,846. The comparison weighs the service lines, 115,196, against
    # 31 × 3,657 = 113,367 at the flat average: difference 1,829 (the add-on is billed alike
    # either way), which `compared` makes the row show.
    plan = [{"service": "udvikling", "months": 1, "add_ons": [{"id": "ekstra_timer", "quantity_per_month": "10"}]}]
    out = takst.price_courses(pd.DataFrame({"start": [dt.date(2026, 3, 1)], "phases": [plan]}), sheet, progress=False)
    row = out.iloc[0]
    assert (row["total"], row["compared"], row["flat"], row["difference"]) == (
        Decimal("119846.00"), Decimal("115196.00"), Decimal("113367.00"), Decimal("1829.00"))
    assert row["compared"] - row["flat"] == row["difference"]


def test_batch_lines_sum_to_totals(sheet: takst.TariffSheet) -> None:
    totals, lines = takst.price_courses(frame(10), sheet, index=INDEX, lines=True)
    by_row = lines.groupby("row")["amount"].apply(lambda s: sum(s, Decimal(0)))
    assert list(by_row) == list(totals["total"])
    assert set(lines.columns) >= {"start", "end", "phase", "invoice_date"}


def test_batch_accepts_timestamps_and_text_plans(sheet: takst.TariffSheet) -> None:
    df = pd.DataFrame({"start": pd.to_datetime(["2026-01-01"]), "phases": ['[{"service": "udvikling", "days": 10}]']})
    assert takst.price_courses(df, sheet)["total"][0] == Decimal("37160.00")


def test_batch_errors_name_the_row(sheet: takst.TariffSheet) -> None:
    df = frame(3)
    df.loc[2, "phases"] = [[{"service": "ukendt", "months": 1}]]
    with pytest.raises(takst.ValidationError) as e:
        takst.price_courses(df, sheet)
    assert e.value.path == "courses[2].phases[0].service"


def test_batch_reports_a_shared_plan_at_every_row(sheet: takst.TariffSheet) -> None:
    """One plan object shared by every row is converted once, but each row is its own course:
    a problem in it is reported at each row, as when every row has its own copy."""
    bad = [{"service": "udredning", "months": "tre"}]
    errors = []
    for phases in ([bad] * 3, [[dict(p) for p in bad] for _ in range(3)]):
        df = pd.DataFrame({"start": [dt.date(2026, 1, 1)] * 3, "phases": phases})
        with pytest.raises(takst.TakstError) as e:
            takst.price_courses(df, sheet)
        errors.append([(x.code, x.path) for x in e.value.errors])
    assert errors[0] == errors[1]
    assert [p for _, p in errors[0]] == [f"courses[{i}].phases[0].months" for i in range(3)]


def test_batch_rows_with_equal_looking_plans_are_each_their_own(sheet: takst.TariffSheet) -> None:
    """A row's phase list equal to the row before's is read once and the later course given
    what was read: rows whose lists only look equal (Python's ``==`` takes 5 for 5.0 and for
    ``True``, ``Decimal("10")`` for ``Decimal("10.0")``) or differ in one service, one
    month, one more phase or the order of keys are each priced as their own course, and
    the same lists in any order give the same figures as one by one."""
    base = [{"service": "udredning", "months": 3}, {"service": "udvikling", "months": 5}]
    add_on = [{"service": "udvikling", "months": 2, "add_ons": [{"id": "ekstra_timer", "quantity_per_month": Decimal("10")}]}]
    variants: list[Any] = [
        [{"service": "udredning", "months": 3}, {"service": "laengerevarende", "months": 5}],
        [{"service": "udredning", "months": 3}, {"service": "udvikling", "months": 6}],
        [*(dict(p) for p in base), {"service": "laengerevarende", "months": 1}],
        [{"months": 3, "service": "udredning"}, {"months": 5, "service": "udvikling"}],
        [{"service": "udredning", "months": 3}, {"service": "udvikling", "days": 5}],
        tuple(dict(p) for p in base),
        [dict(p) for p in base[:1]],
        add_on,
        [{**add_on[0], "add_ons": [{"id": "ekstra_timer", "quantity_per_month": Decimal("10.0")}]}],
        [{**add_on[0], "add_ons": [{"id": "ekstra_timer", "quantity_per_month": Decimal("10.5")}]}],
        [{**add_on[0], "add_ons": [{"id": "koersel", "quantity_per_month": Decimal("10.5")}]}],
        base,
    ]
    # Each after two rows equal to the base list: compared with the list built first.
    plans: list[Any] = []
    for v in variants:
        plans += [[dict(p) for p in base], [dict(p) for p in base], v]
    plans = plans + plans[::-1]
    start = dt.date(2026, 6, 15)
    df = pd.DataFrame({"start": [start] * len(plans), "phases": plans})
    singles = [takst.price(takst.Course(start=start, phases=p), sheet, index=INDEX).quotes[0] for p in plans]
    for parallel in (False, True):
        out = takst.price_courses(df, sheet, index=INDEX, progress=False, parallel=parallel)
        assert list(out["total"]) == [q.total for q in singles]
        assert list(out["days"]) == [q.days for q in singles]
    assert len(set(out["total"])) >= 6
    # Equal to Python, not to takst: a float or a bool where the row before had an integer is
    # refused at its own row, and the rows around it are read as they are.
    for other, code in ((5.0, "invalid_type"), (True, "invalid_type"), ("5", "invalid_type")):
        rows = [[dict(p) for p in base] for _ in range(6)]
        rows[3][1]["months"] = other
        rows[4][1]["months"] = other
        df = pd.DataFrame({"start": [start] * 6, "phases": rows})
        with pytest.raises(takst.TakstError) as e:
            takst.price_courses(df, sheet, progress=False)
        assert [(x.code, x.path) for x in e.value.errors] == [
            (code, f"courses[{i}].phases[1].months") for i in (3, 4)], other


def test_batch_reads_a_repeated_plan_like_its_copies(sheet: takst.TariffSheet) -> None:
    """Rows repeating a phase list or a list of changes (the same object, or equal ones) give
    the figures and the problems of the same rows written out one by one: a problem in a
    repeated list at every row, also when another row has a problem of its own, and a
    limit counted over the phases of every row."""
    plan = [{"service": "udredning", "months": 1}] * 3
    changes = [{"service": {"from": "2026-07-01", "service": "udvikling"}}]
    start = dt.date(2026, 6, 15)
    df = pd.DataFrame({"start": [start] * 5, "phases": [plan] * 2 + [[dict(p) for p in plan] for _ in range(3)],
                       "changes": [changes, [dict(c) for c in changes], None, changes, [dict(c) for c in changes]]})
    one = takst.price([takst.Course(start=start, phases=plan, changes=changes if c is not None else [])
                       for c in df["changes"]], sheet, index=INDEX)
    out = takst.price_courses(df, sheet, index=INDEX, progress=False)
    assert list(out["total"]) == [q.total for q in one.quotes]
    assert [_none(c) for c in out["change"]] == [q.changes["difference"] if q.changes else None for q in one.quotes]
    assert out["change"].notna().sum() == 4
    # JSON text cells are built as they are, each row its own: the reference.
    for bad in ([{"service": "udredning", "months": "tre"}], [{"service": "udredning", "months": 1, "days": 3}]):
        rows: list[Any] = [bad, [dict(p) for p in bad], bad, [{"service": "ukendt", "months": 1}], [dict(p) for p in bad]]
        df = pd.DataFrame({"start": [start] * 5, "phases": rows})
        with pytest.raises(takst.TakstError) as e:
            takst.price_courses(df, sheet, progress=False)
        with pytest.raises(takst.TakstError) as t:
            takst.price_courses(df.assign(phases=[json.dumps(p) for p in rows]), sheet, progress=False)
        found = [(x.code, x.path) for x in e.value.errors]
        assert found == [(x.code, x.path) for x in t.value.errors]
        assert {p.split("].")[0] for _, p in found} >= {f"courses[{i}" for i in (0, 1, 2, 4)}, found
    long = [{"service": "udredning", "days": 1}] * 1001
    df = pd.DataFrame({"start": [start] * 3, "phases": [long, [dict(p) for p in long], long]})
    with pytest.raises(takst.TakstError) as e:
        takst.price_courses(df, sheet, progress=False)
    with pytest.raises(takst.TakstError) as t:
        takst.price_courses(df.assign(phases=[json.dumps(p) for p in df["phases"]]), sheet, progress=False)
    assert [(x.code, x.path) for x in e.value.errors] == [(x.code, x.path) for x in t.value.errors]
    assert [x.path for x in e.value.errors if x.code == "limit_exceeded"] == [f"courses[{i}].phases" for i in range(3)]


def test_batch_one_object_in_two_columns_is_each_columns_own(sheet: takst.TariffSheet) -> None:
    """One Python object as one row's changes and another row's phases (the shared empty
    tuple, or one list constant reused) is read in each column as that column's value: a
    row's phases are never another row's, and a row's changes are never dropped. Figures and
    problems as the same rows one by one, and as JSON text cells."""
    plan = [{"service": "udredning", "months": 3}, {"service": "udvikling", "months": 5}]
    start = dt.date(2026, 6, 15)

    def problems(df: pd.DataFrame) -> list[tuple[str, str]]:
        with pytest.raises(takst.TakstError) as e:
            takst.price_courses(df, sheet, index=INDEX, progress=False)
        return [(x.code, x.path) for x in e.value.errors]

    # Row 0's changes and row 1's phases are one object: row 1 has no phase.
    empty: tuple[Any, ...] = ()
    df = pd.DataFrame({"start": [start] * 2, "phases": [tuple(plan), empty], "changes": [empty, None]})
    assert problems(df) == [("missing_value", "courses[1].phases")]
    # One row's phases are its own changes: the changes are read (and refused) as changes.
    df = pd.DataFrame({"start": [start], "phases": [plan], "changes": [plan]})
    text = df.assign(phases=[json.dumps(plan)], changes=[json.dumps(plan)])
    assert [p for _, p in problems(df)] == [p for _, p in problems(text)]
    assert all(p.startswith("courses[0].changes") for _, p in problems(df))
    # A list constant as row 0's phases and row 1's changes.
    df = pd.DataFrame({"start": [start] * 2, "phases": [plan, plan], "changes": [None, plan]})
    assert all(p.startswith("courses[1].changes") for _, p in problems(df))


def test_batch_arrow_rows_with_equal_lists_are_each_their_own(sheet: takst.TariffSheet) -> None:
    """Arrow rows whose phase list builds the same value as the row before's are read once;
    rows that differ in one service, month or phase, and rows equal to an earlier row but
    not the one before, are each priced as their own course, as one by one; and a list
    the core cannot read is reported at every row that repeats it."""
    pa = pytest.importorskip("pyarrow")
    base = [{"service": "udredning", "months": 3}, {"service": "udvikling", "months": 5}]
    variants = [
        [{"service": "udredning", "months": 3}, {"service": "laengerevarende", "months": 5}],
        [{"service": "udredning", "months": 3}, {"service": "udvikling", "months": 6}],
        [*base, {"service": "laengerevarende", "months": 1}],
        base[:1],
    ]
    plans: list[Any] = []
    for v in variants:
        plans += [base, base, v, v]
    start = dt.date(2026, 6, 15)
    table = pa.table({"start": pa.array([start] * len(plans), pa.date32()), "phases": pa.array(plans)})
    out = takst.price_courses(table, sheet, index=INDEX, progress=False)
    singles = [takst.price(takst.Course(start=start, phases=p), sheet, index=INDEX).quotes[0] for p in plans]
    assert out.column("total").to_pylist() == [q.total for q in singles]
    assert out.column("days").to_pylist() == [q.days for q in singles]
    bad = [{"service": "udredning", "monthz": 3}]
    rows = [bad, bad, base, bad, bad]
    table = pa.table({"start": pa.array([start] * 5, pa.date32()),
                      "phases": pa.array(rows, pa.list_(pa.struct([("service", pa.string()), ("monthz", pa.int64()), ("months", pa.int64())])))})
    with pytest.raises(takst.TakstError) as e:
        takst.price_courses(table, sheet, progress=False)
    with pytest.raises(takst.TakstError) as t:
        takst.price_courses(pd.DataFrame({"start": [start] * 5, "phases": [json.dumps(r) for r in rows]}), sheet, progress=False)
    found = [(x.code, x.path) for x in e.value.errors]
    assert found == [(x.code, x.path) for x in t.value.errors]
    assert {p.split("].")[0] for _, p in found} == {f"courses[{i}" for i in (0, 1, 3, 4)}, found


def test_batch_reports_every_bad_row_as_itself(sheet: takst.TariffSheet) -> None:
    """A row that fails halfway through its phases is dropped whole: the rows after it are
    read as themselves, each with its own problem (300 rows, each a float)."""
    df = pd.DataFrame({"start": [dt.date(2026, 1, 1)] * 300,
                       "phases": [[{"service": "udredning", "months": 1.5}] for _ in range(300)]})
    with pytest.raises(takst.TakstError) as e:
        takst.price_courses(df, sheet)
    found = [(x.code, x.path) for x in e.value.errors]
    assert found == [("invalid_type", f"courses[{i}].phases[0].months") for i in range(300)]


@pytest.mark.parametrize("parallel", [False, True])
def test_batch_errors_are_each_chunks_as_documented(sheet: takst.TariffSheet, parallel: bool) -> None:
    """Each chunk of 1,024 rows is its own request (py/README.md). A row the core cannot read
    (row 5's months as text) does not hide the problems of the rows that read: row 7's
    unknown service is reported after it, as the core reports a request's courses that read
    beside one that does not; the next chunk reports its own pricing problem."""
    rows = [[{"service": "udredning", "months": 3}] for _ in range(2100)]
    rows[5][0]["months"] = "tre"
    rows[7][0]["service"] = "ukendt"
    rows[1500][0]["service"] = "ukendt"
    df = pd.DataFrame({"start": [dt.date(2026, 6, 15)] * 2100, "phases": rows})
    with pytest.raises(takst.TakstError) as e:
        takst.price_courses(df, sheet, progress=False, parallel=parallel)
    found = [(x.code, x.path) for x in e.value.errors]
    assert found == [
        ("invalid_type", "courses[5].phases[0].months"),
        ("unknown_reference", "courses[7].phases[0].service"),
        ("unknown_reference", "courses[1500].phases[0].service"),
    ]


def test_batch_reports_every_bad_arrow_cell_as_itself(sheet: takst.TariffSheet) -> None:
    pa = pytest.importorskip("pyarrow")
    phases = pa.array([[{"service": "udredning", "months": 1.5}]] * 200)
    table = pa.table({"start": pa.array([dt.date(2026, 1, 1)] * 200, pa.date32()), "phases": phases})
    with pytest.raises(takst.TakstError) as e:
        takst.price_courses(table, sheet)
    found = [(x.code, x.path) for x in e.value.errors]
    assert found == [("invalid_type", f"courses[{i}].phases[0].months") for i in range(200)]


def test_batch_reports_a_text_plan_that_is_not_json(sheet: takst.TariffSheet) -> None:
    df = pd.DataFrame({"start": [dt.date(2026, 1, 1)] * 2, "phases": ['[{"service": "udvikling", "days": 10}]', "[{"]})
    with pytest.raises(takst.TakstError) as e:
        takst.price_courses(df, sheet)
    assert e.value.code == "syntax"
    assert e.value.path == "courses[1].phases"
    assert "not JSON text" in e.value.message


def test_batch_applies_changes_and_termination(sheet: takst.TariffSheet) -> None:
    """The issue's case: a course terminated early bills 69 days through price(); the batch
    once ignored the changes column and billed the whole year."""
    phases = [{"service": "udredning", "months": 12}]
    changes = [{"terminate": {"notice_given": "2026-02-10", "notice": {"months": 1}}}]
    one = takst.price(takst.Course(start=dt.date(2026, 1, 1), phases=phases, changes=changes), sheet)
    df = pd.DataFrame({"start": [dt.date(2026, 1, 1)], "phases": [phases], "changes": [changes]})
    out = takst.price_courses(df, sheet)
    assert one.quotes[0].days == 69  # 1 January – 10 March, the end of notice
    assert out["days"][0] == 69
    assert out["total"][0] == one.quotes[0].total == Decimal("331269.00")  # 69 × 4,801
    assert out["change"][0] == Decimal(one.quotes[0].raw["changes"]["difference"])
    changes = one.quotes[0].changes
    assert changes is not None and changes["difference"] == out["change"][0]
    assert changes["changed"] - changes["original"] == changes["difference"]
    assert sum((m["difference"] for m in changes["months"]), Decimal(0)) == changes["difference"]


def test_batch_keeps_the_callers_columns(sheet: takst.TariffSheet) -> None:
    df = frame(3)
    df["sagsnummer"] = ["S-1", "S-2", "S-3"]
    df = df.set_index(pd.Index([10, 20, 30]))
    out = takst.price_courses(df, sheet)
    assert list(out.index) == [10, 20, 30]
    assert list(out["sagsnummer"]) == ["S-1", "S-2", "S-3"]
    assert "sagsnummer" in df.columns and "total" not in df.columns  # the input is not changed
    # Nor by writing to the result's copies of its columns (shared until written under
    # pandas' copy-on-write, copied in full without it).
    out.loc[10, "sagsnummer"] = "ændret"
    out["id"] = "x"
    assert list(df["sagsnummer"]) == ["S-1", "S-2", "S-3"]
    assert list(df["id"]) == ["borger-0", "borger-1", "borger-2"]


def test_batch_refuses_to_overwrite_a_column(sheet: takst.TariffSheet) -> None:
    df = frame(1)
    df["total"] = ["mine"]
    with pytest.raises(ValueError, match="total"):
        takst.price_courses(df, sheet)


@pytest.mark.parametrize("start", ["2026-03-01T00:00", "20260301", "+002026-03-01", "2026-3-1"])
def test_batch_reads_dates_like_price(sheet: takst.TariffSheet, start: str) -> None:
    df = pd.DataFrame({"start": [start], "phases": [PLAN]})
    with pytest.raises(takst.InputError) as batch:
        takst.price_courses(df, sheet)
    with pytest.raises(takst.InputError) as one:
        takst.price({"start": start, "phases": PLAN}, sheet)
    assert batch.value.path == one.value.path == "courses[0].start"
    assert batch.value.code == one.value.code
    assert "jiff" not in str(batch.value)


@pytest.mark.parametrize("missing", [None, pd.NaT, float("nan")])
def test_batch_missing_date_is_a_missing_value(sheet: takst.TariffSheet, missing: Any) -> None:
    df = pd.DataFrame({"start": [dt.date(2026, 1, 1), missing], "phases": [PLAN, PLAN]})
    with pytest.raises(takst.ValidationError) as e:
        takst.price_courses(df, sheet)
    assert (e.value.code, e.value.path) == ("missing_value", "courses[1].start")


def test_batch_surfaces_warnings_like_price(sheet: takst.TariffSheet) -> None:
    # 2028 has no sheet and no PL rate: priced at the last known year, with a warning.
    df = pd.DataFrame({"start": [dt.date(2026, 1, 1), dt.date(2027, 6, 1)], "phases": [[{"service": "udvikling", "months": 2}], [{"service": "udvikling", "months": 12}]]})
    out = takst.price_courses(df, sheet, index=INDEX)
    one = takst.price(takst.Course(start=dt.date(2027, 6, 1), phases=[{"service": "udvikling", "months": 12}]), sheet, index=INDEX)
    assert out["warnings"][0] == []
    assert [w.code for w in out["warnings"][1]] == [w.code for w in one.warnings] == ["tariff_year_unknown"]
    # Every row has its own list, made with the cycle collector paused and left as it was.
    assert gc.isenabled()
    three = takst.price_courses(pd.concat([df.iloc[:1]] * 3, ignore_index=True), sheet, index=INDEX)
    lists = list(three["warnings"])
    assert lists == [[], [], []] and len({id(w) for w in lists}) == 3
    gc.disable()
    try:
        takst.price_courses(df, sheet, index=INDEX)
        assert not gc.isenabled()
    finally:
        gc.enable()
    with pytest.warns(takst.TakstWarning):
        takst.price_courses(df, sheet, index=INDEX, warn=True)


# --- batch = one by one, for random courses using every course field -------------------

DAY_OFFER = {
    "name": "Dagtilbud", "year": 2026, "kind": "day", "id": "dag",
    "capacity": {"places": 1}, "occupancy": {"budgeted_pct": 100},
    "costs": [{"label": "Alt", "category": "wages", "amount": "855925"}],
    "services": [
        {"id": "ordinaer", "name": "Ordinær", "hours_per_week": 10, "share_pct": 100},
        {"id": "n1", "name": "Niveau 1", "kind": "level", "pct_of": {"service": "ordinaer", "pct": 85}, "share_pct": 0},
    ],
    "part_time": [{"days_per_week": 2, "pct": 60}, {"days_per_week": 3, "pct": 85}],
    "add_ons": [{"id": "to", "name": "2 timer", "price": {"day_fraction": {"of": "ordinaer", "numerator": 2, "denominator": 5}}}],
    "settings": {"occupancy_band_pct": {"min": 95, "max": 100}},
}

dates = st.dates(min_value=dt.date(2025, 11, 1), max_value=dt.date(2027, 3, 31))


@st.composite
def phase(draw: Any, day: bool) -> dict[str, Any]:
    p: dict[str, Any] = {"service": draw(st.sampled_from(["ordinaer", "n1"] if day else ["udredning", "udvikling", "laengerevarende"]))}
    kind = draw(st.sampled_from(["months", "days"]))
    p[kind] = draw(st.integers(1, 8) if kind == "months" else st.integers(1, 120))
    if day and draw(st.booleans()):
        p["part_time_days"] = draw(st.sampled_from([2, 3]))
    if draw(st.booleans()):
        if day:
            p["add_ons"] = [{"id": "to"}]
        else:
            p["add_ons"] = [{"id": draw(st.sampled_from(["ekstra_timer", "koersel"])), "quantity_per_month": str(draw(st.integers(1, 40)))}]
    return p


@st.composite
def change(draw: Any, day: bool, start: dt.date) -> dict[str, Any]:
    on = (start + dt.timedelta(days=draw(st.integers(0, 200)))).isoformat()
    kind = draw(st.sampled_from(["service", "add_on", "end_add_on", "terminate"]))
    if kind == "service":
        return {"service": {"from": on, "service": draw(st.sampled_from(["n1"] if day else ["udvikling", "laengerevarende"]))}}
    add_on = "to" if day else "ekstra_timer"
    if kind == "add_on":
        c: dict[str, Any] = {"from": on, "id": add_on}
        if not day:
            c["quantity_per_month"] = "8"
        return {"add_on": c}
    if kind == "end_add_on":
        return {"end_add_on": {"from": on, "id": add_on}}
    notice = draw(st.sampled_from([None, {"months": 1}, {"days": 14}, {"months": 1, "to_month_end": True}, {"days": 0}]))
    t: dict[str, Any] = {"notice_given": on}
    if notice is not None:
        t["notice"] = notice
    return {"terminate": t}


@st.composite
def course(draw: Any) -> dict[str, Any]:
    day = draw(st.booleans())
    start = draw(dates)
    c: dict[str, Any] = {
        "start": start,
        "phases": draw(st.lists(phase(day), min_size=1, max_size=3)),
        "offer": "dag" if day else "elbaek",
    }
    if draw(st.booleans()):
        c["changes"] = draw(st.lists(change(day, start), min_size=1, max_size=2))
    if draw(st.booleans()):
        c["id"] = f"borger-{draw(st.integers(1, 99))}"
    if draw(st.booleans()):
        c["municipality"] = draw(st.sampled_from(["Aarhus", "Skive", "Randers"]))
    return c


billings = st.fixed_dictionaries(
    {},
    optional={
        "first_day": st.booleans(),
        "last_day": st.booleans(),
        "invoicing": st.sampled_from(["per_day", "full_months"]),
        "in_advance": st.booleans(),
        "comparison": st.booleans(),
        "notice": st.just({"months": 2}),
    },
)


@pytest.fixture(scope="module")
def sheets(sheet: takst.TariffSheet) -> list[Any]:
    return [sheet, takst.Offer(**DAY_OFFER).compute().sheet]


def _none(v: Any) -> Any:
    return None if v is pd.NA else v


def _one_by_one(c: dict[str, Any], sheets: list[Any], billing: dict[str, Any]) -> Any:
    try:
        return takst.price(c, sheets, index=INDEX, billing=billing)
    except takst.TakstError as e:
        return (e.code, e.path.replace("courses[0]", ""))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(courses=st.lists(course(), min_size=1, max_size=6), billing=billings)
def test_batch_equals_one_by_one_for_every_field(sheets: list[Any], courses: list[dict[str, Any]], billing: dict[str, Any]) -> None:
    singles = [_one_by_one(c, sheets, billing) for c in courses]
    df = pd.DataFrame({k: [c.get(k) for c in courses] for k in ("id", "municipality", "offer", "start", "phases", "changes")})
    df["kolonne"] = range(len(df))
    failed = [s for s in singles if isinstance(s, tuple)]
    if failed:
        with pytest.raises(takst.TakstError) as e:
            takst.price_courses(df, sheets, index=INDEX, billing=billing)
        rows = {p.path.split("]")[0] + "]" for p in e.value.errors}
        assert rows == {f"courses[{i}]" for i, s in enumerate(singles) if isinstance(s, tuple)}
        return
    out, lines = takst.price_courses(df, sheets, index=INDEX, billing=billing, lines=True)
    assert list(out["kolonne"]) == list(range(len(df)))
    for row, result in enumerate(singles):
        q = result.quotes[0]
        assert out["total"][row] == q.total
        assert out["days"][row] == q.days
        comparison = q.raw.get("comparison")
        # Money columns are Arrow-backed decimals: a missing figure is pd.NA.
        assert _none(out["difference"][row]) == (None if comparison is None else Decimal(comparison["difference"]))
        assert _none(out["flat"][row]) == (None if comparison is None else Decimal(comparison["flat"]))
        assert _none(out["compared"][row]) == (None if comparison is None else Decimal(comparison["course"]))
        changes = q.raw.get("changes")
        assert _none(out["change"][row]) == (None if changes is None else Decimal(changes["difference"]))
        assert [(w.code, w.path.replace("courses[0]", f"courses[{row}]")) for w in result.warnings] == [
            (w.code, w.path) for w in out["warnings"][row]
        ]
        mine = lines[lines["row"] == row]
        assert list(mine["amount"]) == [l.amount for l in q.lines]
        assert list(mine["days"]) == [l.days for l in q.lines]
        assert list(mine["tariff"]) == [l.tariff for l in q.lines]
        assert list(mine["end"]) == [l.end for l in q.lines]


def _look_alike(draw: Any, base: list[dict[str, Any]], day: bool) -> Any:
    """A row's list made from `base`: the same object, an equal copy, or one that only looks
    equal or differs a little (numbers as floats, bools or text, keys in another order, a
    quantity's Decimal at another scale, one phase more, a tuple), or another list."""
    kind = draw(st.sampled_from(["same", "same", "same", "copy", "copy", "float", "bool", "text", "reorder", "decimal",
                                 "extra", "tuple", "other"]))
    copy = [dict(p) for p in base]

    def numbers(f: Any) -> list[dict[str, Any]]:
        return [{k: (f(v) if type(v) is int else v) for k, v in p.items()} for p in copy]

    if kind == "same":
        return base
    if kind == "float":
        return numbers(float)
    if kind == "bool":
        return numbers(lambda v: v == 1)
    if kind == "text":
        return numbers(str)
    if kind == "reorder":
        return [dict(reversed(list(p.items()))) for p in copy]
    if kind == "decimal":
        return [{**p, "add_ons": [{**a, "quantity_per_month": Decimal(a["quantity_per_month"]) + Decimal("0.0")}
                                  for a in p["add_ons"]]} if "quantity_per_month" in str(p.get("add_ons")) else p for p in copy]
    if kind == "extra":
        return [*copy, draw(phase(day))]
    if kind == "tuple":
        return tuple(copy)
    if kind == "other":
        return draw(st.lists(phase(day), min_size=1, max_size=3))
    return copy


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), billing=billings)
def test_batch_rows_repeating_a_list_equal_one_by_one(sheets: list[Any], data: Any, billing: dict[str, Any]) -> None:
    """Rows whose phase and change lists repeat one list (the same object, equal copies,
    look-alikes, the phase list as another row's changes) are each priced as their own course:
    the figures, or the rows with problems, are those of the courses one by one."""
    day = data.draw(st.booleans())
    start = data.draw(dates)
    base = data.draw(st.lists(phase(day), min_size=1, max_size=3))
    changes = data.draw(st.lists(change(day, start), min_size=1, max_size=2))
    courses = []
    for _ in range(data.draw(st.integers(2, 9))):
        c: dict[str, Any] = {"start": start, "offer": "dag" if day else "elbaek", "phases": _look_alike(data.draw, base, day)}
        which = data.draw(st.sampled_from(["none", "changes", "copy", "phases"]))
        c["changes"] = {"none": None, "changes": changes, "copy": [dict(x) for x in changes], "phases": base}[which]
        courses.append(c)
    singles = [_one_by_one({k: v for k, v in c.items() if v is not None}, sheets, billing) for c in courses]
    df = pd.DataFrame({k: [c[k] for c in courses] for k in ("offer", "start", "phases", "changes")})
    if any(isinstance(s, tuple) for s in singles):
        with pytest.raises(takst.TakstError) as e:
            takst.price_courses(df, sheets, index=INDEX, billing=billing, progress=False)
        # Each row reported fails on its own too. (Not every failing row is reported: the
        # core's reader reports the problems of its first stage that finds any, so a float
        # where an integer belongs is not listed beside a bool elsewhere, as with JSON text.)
        rows = {p.path.split("]")[0] + "]" for p in e.value.errors}
        assert rows and rows <= {f"courses[{i}]" for i, s in enumerate(singles) if isinstance(s, tuple)}
        return
    out = takst.price_courses(df, sheets, index=INDEX, billing=billing, progress=False)
    assert list(out["total"]) == [s.quotes[0].total for s in singles]
    assert list(out["days"]) == [s.quotes[0].days for s in singles]
    assert [_none(c) for c in out["change"]] == [
        Decimal(s.quotes[0].raw["changes"]["difference"]) if s.quotes[0].raw.get("changes") else None for s in singles]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_batch_rows_repeating_lists_over_many_chunks(sheets: list[Any], data: Any) -> None:
    """Rows repeating phase lists over many chunks give the figures and invoice lines of the
    rows read one a chunk (where no row repeats another). A priced chunk's phase lists are
    kept and a later chunk's repeated list is copied into one of them, which held another
    list before: more or fewer phases, other services, durations, add-ons or part-time
    days; nothing of it may be left in the course."""
    day = data.draw(st.booleans())
    plans = data.draw(st.lists(st.lists(phase(day), min_size=1, max_size=4), min_size=2, max_size=4))
    picks = data.draw(st.lists(st.integers(0, len(plans) - 1), min_size=4, max_size=30))
    df = pd.DataFrame({"start": [dt.date(2026, 1, 1)] * len(picks), "offer": ["dag" if day else "elbaek"] * len(picks),
                       "phases": [[dict(p) for p in plans[i]] for i in picks]})
    parallel = data.draw(st.booleans())
    assert _in_chunks(df, sheets, data.draw(st.integers(2, 5)), parallel) == _in_chunks(df, sheets, 1, parallel)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_arrow_rows_repeating_lists_equal_one_a_chunk(sheets: list[Any], data: Any) -> None:
    """Arrow rows whose phase list equals the row before's are placed without being built
    (compared in the Arrow arrays), and rows that repeat the row before but for their texts
    and start are made from it: pyarrow and polars tables (string views, large lists),
    in several record batches, texts dictionary-encoded or not, months of several integer
    types, missing fields, a missing list now and then, and a list that differs in one
    thing from the row before's, give the figures, lines, warnings and errors of the rows
    read one a chunk, where no row repeats another."""
    pa = pytest.importorskip("pyarrow")
    day = data.draw(st.booleans())
    plans = data.draw(st.lists(st.lists(phase(day), min_size=1, max_size=3), min_size=1, max_size=3))
    picks = data.draw(st.lists(st.integers(0, len(plans) - 1), min_size=2, max_size=25))
    rows: list[Any] = [[dict(p) for p in plans[i]] for i in picks]
    if data.draw(st.integers(0, 4)) == 0:
        rows[data.draw(st.integers(0, len(rows) - 1))] = None
    for _ in range(data.draw(st.integers(0, 2))):
        # A row that repeats another but for one thing: a month more, a field left out (a
        # null in the struct), an empty list of add-ons where the others have none, or a
        # null phase before the others.
        at = data.draw(st.integers(0, len(rows) - 1))
        if rows[at]:
            first = next(p for p in rows[at] if p is not None)
            how = data.draw(st.sampled_from(["value", "drop", "empty", "null"]))
            if how == "null":
                rows[at] = [None, *rows[at]]  # a null struct: the core refuses the phase
            elif how == "value":
                first["months" if "months" in first else "days"] += 1
            elif how == "drop" and len(first) > 2:
                first.pop(sorted(k for k in first if k not in ("service", "months", "days"))[0])
            else:
                first["add_ons"] = [] if "add_ons" not in first else None
    n = len(rows)
    months = data.draw(st.sampled_from([pa.int64(), pa.int32(), pa.uint16()]))
    service = data.draw(st.sampled_from([pa.string(), pa.large_string(), pa.dictionary(pa.int8(), pa.string())]))
    add_on = pa.struct([("id", pa.string()), ("quantity_per_month", pa.string())])
    phase_type = pa.struct([("service", service), ("months", months), ("days", months),
                            ("part_time_days", months), ("add_ons", pa.list_(add_on))])
    # Rows that repeat the row before but for their texts and start are made from it: starts
    # of one day or each its own, ids and municipalities of their own or missing, as text of
    # any Arrow string type (or a number as an id, or a date as a timestamp: built).
    starts = data.draw(st.lists(st.dates(min_value=dt.date(2025, 11, 1), max_value=dt.date(2027, 3, 31)),
                                min_size=1, max_size=3))
    start = [starts[data.draw(st.integers(0, len(starts) - 1))] for _ in range(n)]
    texts = data.draw(st.sampled_from([pa.string(), pa.large_string(), pa.string_view()]))
    columns: dict[str, Any] = {
        "start": (pa.array(start, pa.date32()) if data.draw(st.integers(0, 2)) else
                  pa.array([dt.datetime(d.year, d.month, d.day) for d in start], pa.timestamp("s"))),
        "offer": pa.array(["dag" if day else "elbaek"] * n, texts),
        "phases": pa.array(rows, pa.list_(phase_type)),
    }
    if data.draw(st.booleans()):
        names = ["Aarhus", "aarhus ", "Skive", "Ærø \"Kommune\"", None]  # two spellings of one: warned of
        columns["municipality"] = pa.array([names[data.draw(st.integers(0, 4))] for _ in range(n)], texts)
    if data.draw(st.booleans()):
        columns["id"] = (pa.array([f"borger-{k}" if k % 4 else None for k in range(n)], texts)
                         if data.draw(st.booleans()) else pa.array(range(n), pa.int64()))
    table = pa.table(columns)
    table = pa.Table.from_batches(table.to_batches(max_chunksize=data.draw(st.integers(1, n))))
    if data.draw(st.booleans()):
        pl = pytest.importorskip("polars")
        courses: Any = pl.from_arrow(table)
    else:
        courses = table
    parallel = data.draw(st.booleans())
    chunk = data.draw(st.integers(2, 9))
    assert _arrow_in_chunks(courses, sheets, chunk, parallel) == _arrow_in_chunks(courses, sheets, 1, parallel)


def _arrow_in_chunks(courses: Any, sheets: list[Any], chunk: int, parallel: bool) -> Any:
    """An Arrow table priced in chunks of `chunk` rows: the courses' rows and invoice lines
    as Python values, or the errors."""
    import takst._batch as batch

    was = batch.CHUNK
    batch.CHUNK = chunk
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            out, lines = takst.price_courses(courses, sheets, index=INDEX, lines=True, progress=False, parallel=parallel)
    except takst.TakstError as e:
        return [(x.code, x.path, x.message) for x in e.errors]
    finally:
        batch.CHUNK = was
    rows = out.to_dicts() if hasattr(out, "to_dicts") else out.to_pylist()
    found = lines.to_dicts() if hasattr(lines, "to_dicts") else lines.to_pylist()
    return repr(rows), repr(found), [str(w.message) for w in caught]


def _in_chunks(df: pd.DataFrame, sheets: list[Any], chunk: int, parallel: bool) -> Any:
    """`df` priced in chunks of `chunk` rows: the courses' figures, their warnings, the
    table's and the invoice lines, or the errors."""
    import takst._batch as batch

    was = batch.CHUNK
    batch.CHUNK = chunk
    try:
        out, lines = takst.price_courses(df, sheets, index=INDEX, lines=True, progress=False, parallel=parallel)
    except takst.TakstError as e:
        return [(x.code, x.path, x.message) for x in e.errors]
    finally:
        batch.CHUNK = was
    warnings = ([[(w.code, w.path, w.message) for w in ws] for ws in out["warnings"]],
                [(w.code, w.path, w.message) for w in out.attrs["warnings"]])
    return [list(out[c]) for c in ("days", "total", "compared", "flat")], warnings, lines.to_dict("list")


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_rows_repeating_the_row_before_but_for_the_start(sheets: list[Any], data: Any) -> None:
    """Rows that repeat the row before but for their texts and start date (an equal or the
    same phase list, the same cells left out) are made from the course read at that row
    with their own start and texts: the figures, invoice lines, warnings and errors are
    those of the rows read one a chunk, where no row repeats another. The rows are made
    from a few templates, with starts on any day a `datetime.date` holds (the first and
    last years too, which the core refuses at the course), one `date` object for many rows
    or each its own; their offers, municipalities (spellings of one name, warned of at
    their rows) and ids vary, now and then a cell breaks the repeat (a missing
    municipality, a date as text) or a phase list or offer the core refuses, which has the
    chunk read again with every row in place."""
    day = data.draw(st.booleans())
    templates = data.draw(st.lists(st.lists(phase(day), min_size=1, max_size=3), min_size=1, max_size=3))
    shared_start = data.draw(dates)
    near = st.one_of(st.just(shared_start), dates, dates)
    far = st.sampled_from([dt.date(1, 1, 1), dt.date(9999, 12, 31), dt.date(2024, 2, 29), dt.date(999, 6, 1)])
    names = ["Aarhus", "aarhus "]  # spellings of one name: warned of at their rows
    rows: dict[str, list[Any]] = {"id": [], "municipality": [], "start": [], "phases": [], "offer": []}
    pick = 0
    for _ in range(data.draw(st.integers(2, 40))):
        if data.draw(st.integers(0, 4)) == 0:
            pick = data.draw(st.integers(0, len(templates) - 1))
        plan = templates[pick]
        kind = data.draw(st.sampled_from(["same", "copy", "copy", "copy", "refused", "text"]))
        if kind == "refused":
            plan = [{**plan[0], "service": "findes-ikke"}]
        elif kind != "same":
            plan = [dict(p) for p in plan]
        start = data.draw(st.one_of(near, near, near, far))
        if kind == "text":
            start = start.isoformat()
        elif data.draw(st.booleans()) and start == shared_start:
            start = dt.date(start.year, start.month, start.day)  # another object, the same day
        rows["start"].append(start)
        rows["phases"].append(plan)
        offer = "dag" if day else "elbaek"
        rows["offer"].append(data.draw(st.sampled_from([offer, offer, offer, "elbaek" if day else "dag"])))
        rows["municipality"].append(data.draw(st.sampled_from([names[0], names[0], names[0], names[1], None])))
        rows["id"].append(data.draw(st.sampled_from([None, "borger-1", f"borger-{len(rows['id'])}"])))
    df = pd.DataFrame(rows)
    parallel = data.draw(st.booleans())
    assert _in_chunks(df, sheets, data.draw(st.sampled_from([64, 1024])), parallel) == _in_chunks(df, sheets, 1, parallel)


def test_repeated_rows_are_counted_at_their_size_in_the_chunking(sheets: list[Any], monkeypatch: Any) -> None:
    """A chunk ends at 8 MiB of request, counted as the text of its rows would be: rows left
    out as repeats of a row whose own phase list was placed as a copy of an earlier one (row
    0 has no id, so row 1 is built and row 2 on repeat row 1) are counted at that list's
    size, not the empty list that stands for it, so the table is chunked as one of rows of
    the same size that repeat nothing (each list another than the row before's). Counted at
    the empty list's size, the 520 rows went into one chunk of 520,000 invoice lines, over
    the limit of 500,000 a request."""
    import takst._batch as batch

    n = 520

    def chunks(days: Any) -> list[int]:
        steps: list[int] = []
        monkeypatch.setattr(batch, "progress_bar", lambda show, total: lambda done, total: steps.append(done))
        df = pd.DataFrame({"id": pd.Series([None] + [f"b{i}" for i in range(1, n)], dtype=object), "offer": ["elbaek"] * n,
                           "start": [dt.date(2026, 1, 5)] * n,
                           "phases": [[{"service": "udredning", "days": days(i)} for _ in range(1000)] for i in range(n)]})
        out = takst.price_courses(df, sheets, index=INDEX, parallel=False)
        assert list(out["days"]) == [1000 * days(i) for i in range(n)]
        return steps

    assert chunks(lambda i: 1) == chunks(lambda i: 1 + i % 2) == [254, 508, 520]


def test_rows_without_a_list_are_each_read_and_their_code_run_once(sheet: takst.TariffSheet) -> None:
    """Rows that repeat each other without a phase list (missing phases, which never price)
    are built as they were, not left out: a chunk with a problem is built again only when it
    holds a list placed as a copy, so a municipality's `__index__` that fails when asked
    twice is asked once, and the errors are the rows' missing phases."""

    class Code:
        def __init__(self) -> None:
            self.calls = 0

        def __index__(self) -> int:
            self.calls += 1
            if self.calls > 1:
                raise ValueError("asked twice")
            return 751

    code = Code()
    day = dt.date(2026, 1, 1)
    df = pd.DataFrame({"id": ["a", "b", "c"], "municipality": ["X", "X", code], "start": [day] * 3, "phases": [None] * 3})
    with pytest.raises(takst.InputError) as e:
        takst.price_courses(df, sheet, progress=False)
    assert [(x.code, x.path) for x in e.value.errors] == [("missing_field", f"courses[{i}].phases") for i in range(3)]
    assert code.calls == 1


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_batch_warns_of_its_whole_table_as_one_request(sheets: list[Any], data: Any) -> None:
    """A table in chunks gives one request's warnings, texts and order: the spellings of a
    municipality (`municipality_spelling`) are those of the whole table, also when "Aarhus"
    is in one chunk and "aarhus " in another, and a warning's text names the earlier row by
    its number in the table, not in its chunk."""
    import takst._batch as batch

    courses = data.draw(st.lists(course(), min_size=2, max_size=12))
    for c in courses:
        c["municipality"] = data.draw(st.sampled_from(["Aarhus", "aarhus ", "AARHUS", "Skive", "skive", None]))
        if c["municipality"] is None:
            del c["municipality"]
    try:
        one = takst.price(courses, sheets, index=INDEX)
    except takst.TakstError:
        return
    expected = [(w.code, w.path, w.message) for w in one.warnings]
    df = pd.DataFrame({k: [c.get(k) for c in courses] for k in ("municipality", "offer", "start", "phases", "changes")})
    was = batch.CHUNK
    batch.CHUNK = data.draw(st.integers(1, len(courses)))
    try:
        out = takst.price_courses(df, sheets, index=INDEX, progress=False, parallel=data.draw(st.booleans()))
    finally:
        batch.CHUNK = was
    assert [(w.code, w.path, w.message) for w in out.attrs["warnings"]] == expected


def test_a_spelling_across_chunks_is_warned_of_at_its_rows(sheet: takst.TariffSheet) -> None:
    """Row 0 "Aarhus", row 2,500 "aarhus ": three chunks of 1,024, one warning, as one request
    gives it."""
    n = 2600
    municipality = ["Skive"] * n
    municipality[0], municipality[2500] = "Aarhus", "aarhus "
    df = pd.DataFrame({"start": [dt.date(2026, 1, 1)] * n, "phases": [PLAN] * n, "municipality": municipality})
    out = takst.price_courses(df, sheet, progress=False)
    spelt = [w for w in out.attrs["warnings"] if w.code == "municipality_spelling"]
    assert [(w.path, w.message) for w in spelt] == [(
        "courses[2500].municipality",
        'the municipality "Aarhus" (courses[0].municipality) is written "aarhus " here: takst compares names '
        "as written, so they are two municipalities",
    )]
    # A warning of the table, not of the row's course (as `price` has it).
    assert all(w.code != "municipality_spelling" for ws in out["warnings"] for w in ws)


def _problems(f: Any) -> list[tuple[str, str, str]]:
    with pytest.raises(takst.TakstError) as e:
        f()
    return [(x.code, x.path, x.message) for x in e.value.errors]


@pytest.mark.parametrize("kind", ["pandas", "polars", "pyarrow"])
def test_an_empty_table_is_price_of_no_courses(sheet: takst.TariffSheet, kind: str) -> None:
    """A table without rows is one request without courses, as ``price([])`` is: a sheet that
    cannot be used is its error, and a sheet's warning its warning (an empty table returned no
    error and no warning: no chunk was read)."""
    empty: Any = pd.DataFrame({"start": pd.Series([], dtype=object), "phases": pd.Series([], dtype=object)})
    if kind == "polars":
        pl = pytest.importorskip("polars")
        empty = pl.DataFrame({"start": [], "phases": []}, schema={"start": pl.Date, "phases": pl.String})
    elif kind == "pyarrow":
        import pyarrow as pa

        empty = pa.table({"start": pa.array([], pa.date32()), "phases": pa.array([], pa.string())})
    broken = json.loads(json.dumps(sheet.raw))
    broken["services"][0]["tariff"]["day"] = "-5"
    expected = _problems(lambda: takst.price([], broken))
    assert expected[0][:2] == ("negative", "catalogues[0].services[0].tariff.day")
    assert _problems(lambda: takst.price_courses(empty, broken, progress=False)) == expected
    doubtful = json.loads(json.dumps(sheet.raw))
    doubtful["average"]["month"] = "1"
    one = [(w.code, w.path, w.message) for w in takst.price([], doubtful).warnings]
    assert [c for c, _, _ in one] == ["period_tariff_mismatch"]
    if kind == "polars":  # no place for a warning that is no row's: issued
        with pytest.warns(takst.TakstWarning, match="period_tariff_mismatch"):
            out = takst.price_courses(empty, doubtful, progress=False)
    else:
        out = takst.price_courses(empty, doubtful, progress=False)
    assert len(out) == 0
    if kind == "pandas":
        assert [(w.code, w.path, w.message) for w in out.attrs["warnings"]] == one
    if kind == "pyarrow":
        assert [(w["code"], w["path"], w["message"]) for w in json.loads(out.schema.metadata[b"takst.warnings"])] == one
    with pytest.warns(takst.TakstWarning, match="period_tariff_mismatch"):
        takst.price_courses(empty, doubtful, progress=False, warn=True)


def test_long_courses_price_in_a_chunk_as_one_by_one(sheet: takst.TariffSheet) -> None:
    """520 courses of 1,000 months each make 520,000 invoice lines, more than one request may
    (500,000): priced one by one each is well within it, and so is each row of a table in
    chunks (the chunk of 520 rows was refused at the 501st row, whichever row it was; found
    by a review)."""
    plan = [{"service": "udredning", "months": 1000}]
    df = pd.DataFrame({"start": [dt.date(2026, 1, 1)] * 520, "phases": [plan] * 520})
    out = takst.price_courses(df, sheet, progress=False)
    one = takst.price(takst.Course(start=dt.date(2026, 1, 1), phases=plan), sheet)
    assert len(out) == 520 and set(out["total"]) == {one.quotes[0].total}


@pytest.mark.parametrize("months", [0, "x"])
@pytest.mark.parametrize("n", [1000, 1001, 2100])
def test_a_batch_cut_at_a_thousand_problems_says_so_as_one_request(sheet: takst.TariffSheet, months: Any, n: int) -> None:
    """More than 1,000 problems: the first 1,000 and the core's note that the list is cut, as
    ``price`` of the same courses lists them, whether the problems are found pricing (months 0)
    or reading (a text for months); exactly 1,000 without the note. (The batch cut the note off
    with the problems after the 1,000th, so a cut list looked like every problem.)"""
    import takst._batch as batch

    plan = [{"service": "udredning", "months": months}]
    courses = [{"start": dt.date(2026, 1, 1), "phases": plan} for _ in range(n)]
    one = _problems(lambda: takst.price(courses, sheet))
    assert len(one) == min(n, 1001)
    if n > 1000:
        assert one[-1] == ("limit_exceeded", "", "the request has more than 1000 problems; the first 1000 are listed")
    df = pd.DataFrame({"start": [c["start"] for c in courses], "phases": [plan] * n})
    was = batch.CHUNK
    try:
        for chunk in (1024, 300):
            batch.CHUNK = chunk
            assert _problems(lambda: takst.price_courses(df, sheet, progress=False)) == one, chunk
    finally:
        batch.CHUNK = was


def _outcome(df: pd.DataFrame, sheet: takst.TariffSheet) -> Any:
    """The figures of a batch, or its errors as (code, path, message)."""
    try:
        out = takst.price_courses(df, sheet, index=INDEX, progress=False)
    except takst.TakstError as e:
        return [(x.code, x.path, x.message) for x in e.errors]
    return [list(out[c]) for c in ("days", "total", "flat", "difference")]


@pytest.mark.parametrize("unit", ["s", "ms", "us", "ns"])
def test_a_datetime64_start_column_is_read_as_its_timestamps(sheet: takst.TariffSheet, unit: str) -> None:
    """A start column of `datetime64` (read_csv's parse_dates, pd.to_datetime) goes to the
    core as dates, not as a Timestamp a row; what the core reads is the same: the figures,
    a missing date, a time of day (its message naming the Timestamp) and a date before 1970."""
    starts = ["2026-01-01", "1969-12-31", "2026-02-28 00:00:00", "2026-07-15"]
    for extra in ([], [None], ["2026-03-01 12:30"], [None, "2026-03-01 00:00:01"]):
        values = starts + extra
        column = pd.Series(pd.to_datetime(values, format="mixed")).astype(f"datetime64[{unit}]")
        df = pd.DataFrame({"start": column, "phases": [PLAN] * len(values)})
        assert str(df["start"].dtype) == f"datetime64[{unit}]"
        # The same values as Python objects: Timestamps and NaT, as `tolist` gives them.
        objects = df.assign(start=pd.Series(column.tolist(), dtype=object))
        assert objects["start"].dtype == object
        assert _outcome(df, sheet) == _outcome(objects, sheet), extra


def test_a_datetime64_start_column_beyond_year_9999_goes_as_before(sheet: takst.TariffSheet) -> None:
    import numpy as np

    column = pd.Series(np.array(["2026-01-01", "10000-01-01"], dtype="datetime64[s]"))
    df = pd.DataFrame({"start": column, "phases": [PLAN] * 2})
    objects = df.assign(start=pd.Series(column.tolist(), dtype=object))
    assert _outcome(df, sheet) == _outcome(objects, sheet)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.one_of(st.none(), st.dates(dt.date(1950, 1, 1), dt.date(2150, 12, 31))), min_size=1, max_size=12))
def test_a_datetime64_start_column_prices_as_its_dates(sheet: takst.TariffSheet, starts: list[dt.date | None]) -> None:
    as_dates = pd.DataFrame({"start": pd.Series(starts, dtype=object), "phases": [PLAN] * len(starts)})
    as_datetime64 = as_dates.assign(start=pd.to_datetime(as_dates["start"]))
    assert _outcome(as_datetime64, sheet) == _outcome(as_dates, sheet)


def test_every_object_of_a_type_is_read_as_the_first(sheet: takst.TariffSheet) -> None:
    """The native writer remembers what a type is after its first object (numpy's, or one
    with `to_dict`): every later object of the type is read as the first, and a problem is
    found at every row that has it."""
    import numpy as np

    forms = [
        [{"service": "udredning", "months": np.int64(3)}],
        [takst.Phase(service="udredning", months=3)],
        [{"service": "udredning", "months": 3}],
        [{"service": "udredning", "months": np.int32(3)}],
    ]
    df = pd.DataFrame({"start": [dt.date(2026, 1, 1)] * 8, "phases": [[dict(p) if isinstance(p, dict) else p for p in f] for f in forms * 2]})
    totals = list(takst.price_courses(df, sheet, progress=False)["total"])
    assert len(set(totals)) == 1 and len(totals) == 8
    bad = [[{"service": "udredning", "months": np.float64(3)}] for _ in range(3)]
    df = pd.DataFrame({"start": [dt.date(2026, 1, 1)] * 3, "phases": bad})
    with pytest.raises(takst.InputTypeError) as e:
        takst.price_courses(df, sheet, progress=False)
    assert [x.path for x in e.value.errors] == [f"courses[{i}].phases[0].months" for i in range(3)]
    odd = [[{"service": "udredning", "months": object()}] for _ in range(2)]
    df = pd.DataFrame({"start": [dt.date(2026, 1, 1)] * 2, "phases": odd})
    with pytest.raises(takst.InputTypeError) as e:
        takst.price_courses(df, sheet, progress=False)
    assert [x.path for x in e.value.errors] == [f"courses[{i}].phases[0].months" for i in range(2)]


@pytest.mark.parametrize(
    "value",
    [3, 0, -1, 2**32, 2**63 - 1, 2**64 - 1, True, False],
)
def test_a_numpy_scalar_in_a_batch_is_read_as_its_python_value(sheet: takst.TariffSheet, value: int) -> None:
    """numpy integers are read through `__index__` (their `item()` beyond 64 bits) and
    `np.bool_` through `item()`: every numpy type gives the figures or the error of the
    Python value it holds, at every row."""
    import numpy as np

    def outcome(months: Any) -> Any:
        df = pd.DataFrame({"start": [dt.date(2026, 1, 1)] * 2, "phases": [[{"service": "udredning", "months": months}] for _ in range(2)]})
        return _outcome(df, sheet)

    expected = outcome(value)
    kinds = [np.bool_] if isinstance(value, bool) else [np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32, np.uint64]
    for kind in kinds:
        try:
            scalar = kind(value)
        except OverflowError:
            continue
        if scalar.item() != value:  # numpy wraps some values into a narrower type
            continue
        assert outcome(scalar) == expected, kind


@pytest.mark.parametrize(("value", "read"), [(751, "751"), ("0751", "0751"), (True, None), (751.0, None),
                                             (Decimal("751.10"), "751.10"), (dt.date(2026, 1, 1), "2026-01-01"),
                                             ("timedelta64", None)],
                         ids=["int", "text", "bool", "float", "Decimal", "date", "timedelta64"])
def test_a_municipality_is_read_as_price_reads_it(sheet: takst.TariffSheet, value: Any, read: str | None) -> None:
    """An integer municipality code is its digits in both; anything else is written as
    `price()` writes it (a Decimal or a date as its text; a bool and a float refused), never
    as its `str()` ("751.0", "True"), which the batch once did."""
    np = pytest.importorskip("numpy")
    more = [np.int64(751), np.array(751)] if read == "751" else [np.True_] if value is True else []
    if value == "timedelta64":
        value = np.timedelta64(5, "D")  # a numpy integer subclass without __index__: not an id
    for v in [value, *more]:
        course = {"start": dt.date(2026, 1, 1), "phases": PLAN, "municipality": v}
        df = pd.DataFrame({"start": [course["start"]], "phases": [PLAN], "municipality": pd.Series([v], dtype=object)})
        if read is None:
            with pytest.raises(takst.TakstError) as one:
                takst.price(course, sheet)
            with pytest.raises(takst.TakstError) as batch:
                takst.price_courses(df, sheet, progress=False)
            assert type(batch.value) is type(one.value), v
            assert [(x.code, x.path) for x in batch.value.errors] == [(x.code, x.path) for x in one.value.errors], v
        else:
            budget = takst.price(course, sheet, caseload=True).caseload
            assert budget is not None and budget[0].municipality == read
            assert takst.price_courses(df, sheet, progress=False)["total"][0] == takst.price(course, sheet).quotes[0].total


def test_a_polars_column_of_nones_is_a_missing_value(sheet: takst.TariffSheet) -> None:
    """polars gives an all-None column (or struct field) the Null type, whose Arrow export the
    C interface refused: such columns are read as missing values."""
    pl = pytest.importorskip("polars")
    base = {"start": [dt.date(2026, 9, 15)] * 2, "phases": [[{"service": "udredning", "months": 5}]] * 2}
    want = takst.price_courses(pl.DataFrame(base), sheet, progress=False)["total"].to_list()
    for extra in ({"municipality": [None, None], "changes": [None, None]},
                  {"phases": [[{"service": "udredning", "months": 5, "until": None}]] * 2}):
        frame = pl.DataFrame({**base, **extra})
        assert pl.Null in [t for t in frame.schema.values()] or "Null" in str(frame.schema)
        assert takst.price_courses(frame, sheet, progress=False)["total"].to_list() == want


def test_a_pyarrow_column_of_nones_is_a_missing_value(sheet: takst.TariffSheet) -> None:
    """pyarrow gives an all-None column (or struct field) its null type, which arrow-rs holds
    without a validity buffer: its cells are missing values, as a pandas ``None`` is (they
    were written as ``null``, and a ``changes`` column of them refused at every row)."""
    pa = pytest.importorskip("pyarrow")
    base = {"start": pa.array([dt.date(2026, 9, 15)] * 3, pa.date32()),
            "phases": pa.array([[{"service": "udredning", "months": 5}]] * 3)}
    want = takst.price_courses(pa.table(base), sheet, progress=False).column("total").to_pylist()
    for extra in ({"municipality": pa.nulls(3), "changes": pa.nulls(3)},
                  {"phases": pa.array([[{"service": "udredning", "months": 5, "until": None}]] * 3)}):
        table = pa.table({**base, **extra})
        assert "null" in str(table.schema)
        assert takst.price_courses(table, sheet, progress=False).column("total").to_pylist() == want
        rows = pd.DataFrame({k: v.to_pylist() for k, v in {**base, **extra}.items()})
        assert list(takst.price_courses(rows, sheet, progress=False)["total"]) == want


def test_the_warnings_no_row_has_reach_every_kind_of_table(sheet: takst.TariffSheet) -> None:
    """A warning that is no row's own (here a municipality written two ways) is in pandas'
    ``attrs``, in a pyarrow result's schema metadata (the caller's own metadata kept), and
    issued by default for a polars frame, which keeps neither; ``warn=False`` issues none."""
    import warnings as w

    import polars as pl
    import pyarrow as pa

    data = {"municipality": ["Aarhus", "aarhus "], "start": [dt.date(2026, 1, 1)] * 2, "phases": [PLAN, PLAN]}
    one = takst.price([{k: v[i] for k, v in data.items()} for i in range(2)], sheet, index=INDEX)
    expected = [(x.code, x.path, x.message) for x in one.warnings]
    assert ("municipality_spelling", "courses[1].municipality") in [(c, p) for c, p, _ in expected]

    table = pa.table(pd.DataFrame(data)).replace_schema_metadata({b"mine": b"kept"})
    for source in (table, table.to_batches()[0]):
        with w.catch_warnings():
            w.simplefilter("error")
            out = takst.price_courses(source, sheet, index=INDEX, progress=False)
        meta = out.schema.metadata
        assert meta[b"mine"] == b"kept"
        assert [(x["code"], x["path"], x["message"]) for x in json.loads(meta[b"takst.warnings"])] == expected

    frame = pl.DataFrame(data)
    # Without the index, each row has a warning of its own (2027 priced at 2026's tariff).
    with pytest.warns(takst.TakstWarning) as issued:
        out = takst.price_courses(frame, sheet, progress=False)
    said = [str(x.message) for x in issued]
    assert any(s.startswith("[municipality_spelling] courses[1].municipality") for s in said)
    # A row's own warning is in its row's column, so it is not issued again.
    assert [x["code"] for x in out["warnings"][0]] == ["tariff_year_unknown"]
    assert not any(s.startswith("[tariff_year_unknown]") for s in said)
    with w.catch_warnings():
        w.simplefilter("error")
        takst.price_courses(frame, sheet, index=INDEX, progress=False, warn=False)
