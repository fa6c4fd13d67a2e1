"""Shared fixtures: the repository's paths and the sample tariff sheet."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import takst

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def sheet() -> takst.TariffSheet:
    """The sample offer's published sheet (examples/published/elbaek.json)."""
    return takst.read_sheet(ROOT / "examples" / "published" / "elbaek.json")


@pytest.fixture(scope="session")
def course_request() -> dict:
    return json.loads((ROOT / "examples" / "requests" / "course.json").read_text(encoding="utf-8"))
