"""The committed JSON Schemas describe what takst reads and writes.

Validates every request the project ships (conformance cases that compute, example
requests) against schema/request.schema.json, the response takst writes for each against
schema/response.schema.json and its tariff sheet against schema/tariff-sheet.schema.json,
and checks that the request schema refuses a misspelt field.

    python tests/schema/check.py [path/to/evaluate]

The responses come from the `evaluate` example program (built by `cargo test`), so this
check runs the library exactly as users build it.
"""

import json
import pathlib
import subprocess
import sys

from jsonschema import Draft202012Validator

ROOT = pathlib.Path(__file__).resolve().parents[2]


def load(name):
    return Draft202012Validator(json.loads((ROOT / "schema" / name).read_text(encoding="utf-8")))


def problems(validator, instance):
    return [f"{e.message} at /{'/'.join(map(str, e.absolute_path))}" for e in validator.iter_errors(instance)]


def main():
    evaluate = sys.argv[1] if len(sys.argv) > 1 else str(ROOT / "target/debug/examples/evaluate")
    request, response, sheet = load("request.schema.json"), load("response.schema.json"), load("tariff-sheet.schema.json")
    shipped = []
    for case in sorted((ROOT / "tests/cases").glob("*.json")):
        c = json.loads(case.read_text(encoding="utf-8"))
        if c["expected"].get("ok") is True:
            shipped.append((case.name, c["request"]))
    shipped.append(("examples/requests/einvoice.json", json.loads((ROOT / "examples/requests/einvoice.json").read_text(encoding="utf-8"))))
    shipped.append(("examples/requests/elbaek.json", json.loads((ROOT / "examples/requests/elbaek.json").read_text(encoding="utf-8"))))
    failures = []
    for name, req in shipped:
        failures += [f"{name}: request: {p}" for p in problems(request, req)]
        out = subprocess.run([evaluate], input=json.dumps(req), capture_output=True, text=True, check=False)
        resp = json.loads(out.stdout)
        failures += [f"{name}: response: {p}" for p in problems(response, resp)]
        if "tariff_sheet" in resp:
            failures += [f"{name}: tariff sheet: {p}" for p in problems(sheet, resp["tariff_sheet"])]
        if resp.get("ok") is not True:
            failures.append(f"{name}: the request does not compute: {resp.get('errors')}")
    typo = dict(shipped[-1][1])
    typo["offer"] = dict(typo["offer"], nmae="x")
    if request.is_valid(typo):
        failures.append("the request schema accepts an unknown field")
    published = json.loads((ROOT / "examples/published/elbaek.json").read_text(encoding="utf-8"))
    failures += [f"examples/published/elbaek.json: {p}" for p in problems(sheet, published)]
    for f in failures:
        print(f)
    print(f"schema check: {len(shipped)} requests, responses and sheets checked, {len(failures)} problems")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
