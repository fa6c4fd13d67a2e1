#!/usr/bin/env bash
# Runs a libFuzzer target over takst's entry points (nightly toolchain and cargo-fuzz):
#
#   ./scripts/fuzz.sh [evaluate_json|evaluate_toml] [seconds]
#
# The corpus is seeded with every conformance request (tests/cases) and example request, so
# the fuzzer starts from valid requests and mutates them. Findings land in
# fuzz/artifacts/<target>/; a finding is any panic or an `internal` error.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
need_rust
target="${1:-evaluate_json}"
seconds="${2:-60}"
command -v cargo-fuzz >/dev/null 2>&1 || cargo install cargo-fuzz --locked
corpus="fuzz/corpus/$target"
mkdir -p "$corpus"
python3 - "$target" "$corpus" <<'PY'
import json, pathlib, sys, hashlib
target, corpus = sys.argv[1], pathlib.Path(sys.argv[2])
seeds = []
for case in sorted(pathlib.Path("tests/cases").glob("*.json")):
    seeds.append(json.dumps(json.load(open(case, encoding="utf-8"))["request"], ensure_ascii=False))
for req in sorted(pathlib.Path("examples/requests").glob("*")):
    text = req.read_text(encoding="utf-8")
    if (req.suffix == ".json") == (target == "evaluate_json"):
        seeds.append(text)
for s in seeds:
    name = hashlib.sha1(s.encode()).hexdigest()
    (corpus / name).write_text(s, encoding="utf-8")
print(f"{len(seeds)} seeds in {corpus}")
PY
cargo +nightly fuzz run "$target" "$corpus" -- -max_total_time="$seconds" -max_len=65536
