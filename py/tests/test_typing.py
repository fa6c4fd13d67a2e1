"""The typed API: mypy --strict accepts real use and rejects a float amount, a misspelt
field, an unknown word; signatures match the request schema; every public name has a
docstring (issue 16 §4)."""

from __future__ import annotations

import dataclasses
import inspect
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import takst

HERE = Path(__file__).resolve().parent


def mypy(path: Path) -> str:
    out = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir=/dev/null",
         "--show-error-codes", str(path)],
        capture_output=True, text=True, cwd=HERE, check=False,
    )
    return out.stdout + out.stderr


def test_mypy_accepts_real_use() -> None:
    out = mypy(HERE / "typing" / "accept.py")
    assert "Success: no issues found" in out, out


def test_mypy_rejects_floats_misspellings_and_unknown_words() -> None:
    path = HERE / "typing" / "reject.py"
    lines = path.read_text(encoding="utf-8").splitlines()
    expected = {i + 1 for i, line in enumerate(lines) if "# E:" in line}
    out = mypy(path)
    found = {int(m.group(1)) for m in re.finditer(r"reject\.py:(\d+): error", out)}
    # Each marked statement has an error on its line or a continuation line just above.
    missing = [n for n in sorted(expected) if not any(n - 2 <= f <= n for f in found)]
    assert not missing, f"mypy accepted line(s) {missing}:\n{out}"


def _schema(root: Path, name: str) -> dict[str, Any]:
    s = json.loads((root / "schema" / "request.schema.json").read_text(encoding="utf-8"))
    return dict(s["$defs"][name])


@pytest.mark.parametrize(
    "target, name",
    [(takst.Offer, "Offer"), (takst.settle, "Settlement"), (takst.partnership, "Partnership"),
     (takst.base_funding, "BaseFunding"), (takst.ambulant, "Ambulant"), (takst.net_cost, "Buyer")],
)
def test_signatures_are_the_schemas_fields(root: Path, target: Any, name: str) -> None:
    schema = _schema(root, name)
    params = {p.name: p for p in inspect.signature(target).parameters.values() if p.name != "warn"}
    assert set(params) == set(schema["properties"]), name
    required = {f for f, p in params.items() if p.default is inspect.Parameter.empty}
    assert required == set(schema.get("required", [])), name
    assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in params.values())


@pytest.mark.parametrize("cls, name", [(takst.Course, "Course"), (takst.Phase, "Phase"), (takst.AddOn, "AddOnUse")])
def test_dataclasses_are_the_schemas_fields(root: Path, cls: Any, name: str) -> None:
    assert {f.name for f in dataclasses.fields(cls)} == set(_schema(root, name)["properties"])


def test_help_shows_the_fields() -> None:
    sig = str(inspect.signature(takst.Offer))
    assert "name: 'str'" in sig or "name: str" in sig
    assert "capacity" in sig and "occupancy" in sig and "**" not in sig


def test_generated_types_match_the_schema(root: Path) -> None:
    out = subprocess.run([sys.executable, str(root / "py" / "tools" / "gen_types.py"), "--check"],
                         capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stdout + out.stderr


def _public(obj: Any) -> list[tuple[str, Any]]:
    out = []
    for name, member in vars(obj).items():
        if name.startswith("_"):
            continue
        if isinstance(member, property) or inspect.isfunction(member) or isinstance(member, (classmethod, staticmethod)):
            out.append((name, member))
    return out


def test_every_public_name_has_a_docstring() -> None:
    missing = []
    for name in takst.__all__:
        obj = getattr(takst, name)
        if name in ("__version__",) or inspect.ismodule(obj):
            continue
        if not (getattr(obj, "__doc__", None) or "").strip():
            missing.append(name)
        if inspect.isclass(obj):
            for attr, member in _public(obj):
                fn = member.fget if isinstance(member, property) else getattr(member, "__func__", member)
                if not (fn.__doc__ or "").strip():
                    missing.append(f"{name}.{attr}")
    assert not missing, f"no docstring: {missing}"
