"""``takst.Evaluator`` keeps the tariff sheet it read last: every answer is
``takst.evaluate_json``'s, byte for byte, whatever it held before."""

from __future__ import annotations

import doctest
import json
import threading
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

import takst

ROOT = Path(__file__).resolve().parents[2]
SHEET = json.dumps(json.loads((ROOT / "examples" / "published" / "elbaek.json").read_text("utf-8")))


def request(months: int, start: str = "2026-03-01", sheet: str = SHEET) -> str:
    phases = [{"service": "udredning", "months": 3}, {"service": "udvikling", "months": months}]
    rest = json.dumps({"courses": [{"start": start, "phases": phases}], "options": {"explain": False}})
    return f'{{"version": 1, "catalogue": {sheet}, {rest[1:]}'


def test_the_docstring_example_holds() -> None:
    finder = doctest.DocTestFinder()
    runner = doctest.DocTestRunner()
    for test in finder.find(takst.Evaluator, "Evaluator", globs={}):
        runner.run(test)
    assert runner.failures == 0 and runner.tries >= 5


def test_a_sheet_given_again_is_held_and_the_bytes_are_the_same() -> None:
    e = takst.Evaluator()
    assert e.evaluate_json(request(5)) == takst.evaluate_json(request(5))
    assert not e.reused_catalogue
    for months in (1, 8, 30):
        assert e.evaluate_json(request(months)) == takst.evaluate_json(request(months))
        assert e.reused_catalogue
    # An error in the rest of the request: read whole, the same errors.
    bad = request(5, start="2026-02-30")
    assert e.evaluate_json(bad) == takst.evaluate_json(bad)
    assert not e.reused_catalogue
    assert e.evaluate(request(2)) == takst.evaluate(request(2))
    # A str no UTF-8 can hold: the answer evaluate_json gives.
    odd = request(2).replace("udvikling", "udvikling\ud800")
    assert e.evaluate_json(odd) == takst.evaluate_json(odd)


def test_every_conformance_case_twice() -> None:
    e = takst.Evaluator()
    held = 0
    for case in sorted((ROOT / "tests" / "cases").glob("*.json")):
        text = json.dumps(json.loads(case.read_text("utf-8"))["request"])
        for _ in range(2):
            assert e.evaluate_json(text) == takst.evaluate_json(text), case.name
            held += e.reused_catalogue
    assert held >= 5


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 40), st.dates().map(str), st.booleans()),
        min_size=1,
        max_size=6,
    )
)
def test_any_sequence_is_answered_as_evaluate_json(steps: list[tuple[int, str, bool]]) -> None:
    e = takst.Evaluator()
    pretty = json.dumps(json.loads(SHEET), indent=1)
    for months, start, other in steps:
        text = request(months, start, pretty if other else SHEET)
        assert e.evaluate_json(text) == takst.evaluate_json(text)


def test_threads_take_turns() -> None:
    e = takst.Evaluator()
    texts = [request(m) for m in range(1, 13)]
    expected = [takst.evaluate_json(t) for t in texts]
    wrong: list[int] = []

    def work() -> None:
        for k, t in enumerate(texts * 5):
            if e.evaluate_json(t) != expected[k % len(texts)]:
                wrong.append(k)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert wrong == []
