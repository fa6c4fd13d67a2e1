"""Generates ``py/python/takst/types.py``: the request format's JSON Schema
(``schema/request.schema.json``, itself generated from the Rust types) as ``TypedDict``s, so
that mypy and pyright check a request's dicts field by field: a misspelt field, a float
where money is taken (``Money`` is ``Decimal | int | str``) or a word outside an enum is a
type error before anything runs.

    python py/tools/gen_types.py          # rewrite the file
    python py/tools/gen_types.py --check  # fail when it is out of date (the test command)
"""

from __future__ import annotations

import json
import keyword
import sys
import textwrap
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = ROOT / "schema" / "request.schema.json"
OUT = ROOT / "py" / "python" / "takst" / "types.py"
#: String fields that hold a date (``datetime.date`` or ``"YYYY-MM-DD"``).
DATES = {"start", "end", "until", "from", "date", "notice_given"}


class Gen:
    def __init__(self, defs: dict[str, Any]) -> None:
        self.defs = defs
        self.blocks: list[str] = []
        self.names: list[str] = []

    def ty(self, s: dict[str, Any], owner: str, field: str = "") -> str:
        if "$ref" in s:
            name = s["$ref"].split("/")[-1]
            return "Money" if name == "Decimal" else name
        for union in ("anyOf", "oneOf"):
            if union in s:
                parts = [self.variant(v, owner, i) for i, v in enumerate(s[union])]
                return " | ".join(dict.fromkeys(parts))
        if "const" in s:
            return f"Literal[{json.dumps(s['const'])}]"
        if "enum" in s:
            return "Literal[" + ", ".join(json.dumps(e) for e in s["enum"]) + "]"
        t = s.get("type")
        if isinstance(t, list):
            return " | ".join(self.ty({**s, "type": x}, owner, field) for x in t)
        if t == "string":
            return "Date" if field in DATES else "str"
        if t == "integer":
            return "int"
        if t == "number":
            return "Money"
        if t == "boolean":
            return "bool"
        if t == "null":
            return "None"
        if t == "array":
            return f"list[{self.ty(s.get('items', {}), owner, field)}]"
        if t == "object":
            if "properties" in s:
                name = owner + "".join(p.title() for p in field.split("_"))
                self.typed_dict(name, s)
                return name
            extra = s.get("additionalProperties")
            return f"dict[str, {self.ty(extra, owner) if isinstance(extra, dict) else 'Any'}]"
        return "Any"

    def variant(self, v: dict[str, Any], owner: str, i: int) -> str:
        if v.get("type") == "object" and "properties" in v:
            props = list(v["properties"])
            name = owner + "".join(w.title() for w in props[0].split("_"))
            if name in self.defs:
                name += "Variant"
            self.typed_dict(name, v)
            return name
        return self.ty(v, owner)

    def typed_dict(self, name: str, s: dict[str, Any]) -> None:
        required = set(s.get("required", []))
        fields = []
        for field, fs in s["properties"].items():
            t = self.ty(fs, name, field)
            fields.append((field, t if field in required else f"NotRequired[{t}]", fs.get("description", "")))
        doc = s.get("description", "").strip()
        if any(keyword.iskeyword(f) for f, _, _ in fields):
            body = ", ".join(f'"{f}": "{t}"' for f, t, _ in fields)
            block = f"{name} = TypedDict({name!r}, {{{body}}})\n"
            if doc:
                block += f"{name}.__doc__ = {doc!r}\n"
        else:
            lines = [f"class {name}(TypedDict):"]
            if doc:
                lines.append(textwrap.indent(f'"""{doc}"""', "    "))
            for f, t, d in fields:
                if d:
                    for dl in d.strip().splitlines():
                        lines.append(f"    #: {dl}".rstrip())
                lines.append(f"    {f}: {t}")
            if len(lines) == 1:
                lines.append("    pass")
            block = "\n".join(lines) + "\n"
        self.blocks.append(block)
        self.names.append(name)

    def alias(self, name: str, s: dict[str, Any]) -> None:
        t = self.ty(s, name)
        doc = s.get("description", "").strip().replace("\n", " ")
        block = f"{name}: TypeAlias = {t!r}\n"
        if doc:
            block = f"#: {doc}\n" + block
        self.blocks.append(block)
        self.names.append(name)


def generate() -> str:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    defs = schema["$defs"]
    g = Gen(defs)
    for name, s in sorted(defs.items()):
        if name == "Decimal":
            continue
        if s.get("type") == "object" and "properties" in s:
            g.typed_dict(name, s)
        else:
            g.alias(name, s)
    # Offer.replace(**changes): every field of an offer, none required.
    g.typed_dict("OfferChanges", {**defs["Offer"], "required": [],
                                  "description": "Fields of an offer to replace (``Offer.replace``)."})
    g.typed_dict("Request", {k: v for k, v in schema.items() if k in ("properties", "required", "description")})
    head = f'''"""The request format as types: ``TypedDict``s generated from the JSON Schema
(``schema/request.schema.json``) by ``py/tools/gen_types.py``. Do not edit by hand.

Use them to type the dicts you give takst, so that mypy or pyright find a misspelt field, a
float where money is taken or a word outside an enum before anything runs:

>>> from takst.types import Capacity
>>> capacity: Capacity = {{"places": 12}}
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

__all__ = {json.dumps(["Money", "Date"] + sorted(g.names), indent=4)}

'''
    return head + "\n\n".join(g.blocks)


def main() -> None:
    text = generate()
    if "--check" in sys.argv:
        if OUT.read_text(encoding="utf-8") != text:
            sys.exit(f"{OUT} is out of date: run python py/tools/gen_types.py")
        print(f"{OUT.relative_to(ROOT)} matches the schema")
        return
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
