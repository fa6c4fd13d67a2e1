"""The conformance cases in tests/cases, run through the Python package: the same
expected figures as Rust, and — when the Rust `evaluate` example is built — the very same
bytes."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

import takst
from takst.explanation import read_back

CASES = sorted((Path(__file__).resolve().parents[2] / "tests" / "cases").glob("*.json"))


def matches(expected: Any, actual: Any, path: str = "") -> str | None:
    """The subset rule of tests/cases/README.md; returns where it fails."""
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return f"{path}: expected an object"
        for k, v in expected.items():
            if k not in actual:
                return f"{path}.{k}: missing"
            if (m := matches(v, actual[k], f"{path}.{k}")) is not None:
                return m
        return None
    if isinstance(expected, list):
        if not isinstance(actual, list) or len(actual) != len(expected):
            return f"{path}: expected a list of {len(expected)}"
        for i, (e, a) in enumerate(zip(expected, actual)):
            if (m := matches(e, a, f"{path}[{i}]")) is not None:
                return m
        return None
    return None if expected == actual else f"{path}: expected {expected!r}, got {actual!r}"


def test_there_are_cases() -> None:
    assert len(CASES) >= 15


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_case(case: Path) -> None:
    c = json.loads(case.read_text(encoding="utf-8"))
    response = takst.evaluate(c["request"])
    if "explanation" in response:
        # The explanation is matched as read back (the node table's one rule, as Rust and JS do).
        response["explanation"] = {"version": 3, "nodes": read_back(response["explanation"])}
    assert matches(c["expected"], response) is None, matches(c["expected"], response)


def rust(case: Path, flag: str) -> tuple[str, bytes]:
    """The case's request as JSON text, and what the Rust ``evaluate`` example prints for it
    with ``flag`` (skips when the example is not built)."""
    binary = os.environ.get("TAKST_EVALUATE")
    if not binary:
        pytest.skip("TAKST_EVALUATE (the Rust evaluate example) is not set")
    text = json.dumps(json.loads(case.read_text(encoding="utf-8"))["request"], ensure_ascii=False)
    return text, subprocess.run([binary, flag], input=text.encode(), capture_output=True, check=False).stdout


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_case_bytes_equal_rust(case: Path) -> None:
    text, out = rust(case, "--compact")
    assert takst.evaluate_json(text).encode() == out


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_case_explanation_read_back_is_the_cores(case: Path) -> None:
    """The node table read back in Python is the figures as the core fills them
    (``evaluate --nodes``); a case whose request cannot be computed has none."""
    text, out = rust(case, "--nodes")
    response = takst.evaluate(text)
    assert read_back(response.get("explanation", {})) == (json.loads(out) if response["ok"] else [])
