#!/usr/bin/env bash
# Sets up everything the tests need and runs every test: formatting, clippy (with the ban on
# banker's rounding), the Rust unit, property, hostile-input, conformance and doc tests, the
# examples, a smoke fuzz run, a check that the committed JSON Schemas describe what takst
# reads and writes, and the Python package's tests (pytest with hypothesis, the conformance
# cases byte for byte against Rust, the notebooks, every generated e-invoice through the
# official Peppol BIS 3 and OIOUBL 3 rules, stubtest and mypy), and the WebAssembly
# build with its Node and Chromium tests (scripts/wasm-setup.sh, scripts/wasm-test.sh).
# `.ci/run` calls exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

section "set-up: Rust toolchain and components"
need_rust
need_rust_components
rustc --version

section "set-up: Python virtual environment (.venv) with the test packages"
need_venv
.venv/bin/pip install --quiet --disable-pip-version-check -r tests/requirements.txt
.venv/bin/python --version

section "format: cargo fmt --check"
cargo fmt --all -- --check

section "lint: cargo clippy --all-targets -D warnings"
cargo clippy --workspace --all-targets --quiet -- -D warnings

mkdir -p target
section "tests: cargo test --workspace (unit, property, hostile-input, conformance, schema, doc tests)"
status=0
cargo test --workspace > target/test-output.txt 2>&1 || status=$?
if [ "$status" -ne 0 ]; then
  cat target/test-output.txt
  echo "cargo test failed (exit $status)" >&2
  exit "$status"
fi
grep -E '^(test result:|     Running|   Doc-tests)' target/test-output.txt
if ! grep -q '^test result: ok. [1-9]' target/test-output.txt; then
  echo "cargo test ran no tests" >&2
  exit 1
fi

section "examples: quickstart, and evaluate on the example requests (JSON and TOML)"
cargo run --quiet --example quickstart > target/quickstart.txt
grep -q "TAKSTBLAD 2026" target/quickstart.txt
grep -q "I alt, 395 dage på forløbets ydelser *1.655.684,36" target/quickstart.txt
for request in examples/requests/*; do
  cargo run --quiet --example evaluate < "$request" > target/response.json
  grep -q '"ok": true' target/response.json || { cat target/response.json; exit 1; }
done
cargo run --quiet --example sheet < examples/requests/elbaek.json | grep -q "Udredningsmodul"
rm -rf target/einvoice-example
cargo run --quiet --example einvoice -- target/einvoice-example < examples/requests/einvoice.json > target/einvoice-example.txt
tail -1 target/einvoice-example.txt
.venv/bin/python tests/einvoice/validate.py target/einvoice-example/TK-1001.xml > /dev/null
echo "quickstart, evaluate and einvoice examples ran"

section "schema: the committed JSON Schemas accept what takst reads and writes (Python jsonschema)"
.venv/bin/python tests/schema/check.py target/debug/examples/evaluate

section "python: build the package (maturin develop) into .venv"
if ! (cd py && ../.venv/bin/maturin develop --quiet > ../target/maturin.txt 2>&1); then
  cat target/maturin.txt
  echo "maturin develop failed" >&2
  exit 1
fi
.venv/bin/python -c "import takst; print('takst', takst.__version__, 'for Python is installed')"

section "python: pytest (conformance byte for byte against Rust, hypothesis, notebooks, e-invoices through the official Peppol BIS 3 and OIOUBL 3 rules)"
rm -f target/einvoice-validation.txt
TAKST_EVALUATE="$PWD/target/debug/examples/evaluate" .venv/bin/python -m pytest -q -p no:cacheprovider py/tests 2>&1 | tee target/pytest.txt | tail -15
grep -qE '^[0-9]+ passed' target/pytest.txt || { echo "pytest failed" >&2; exit 1; }
if grep -qE '[0-9]+ (failed|error)' target/pytest.txt; then echo "pytest failed" >&2; exit 1; fi
# The e-invoice validation must have run (it is skipped without saxonche) and found 0 fatal.
grep -qE ', 0 fatal' target/einvoice-validation.txt || { echo "e-invoice validation did not pass" >&2; exit 1; }

section "python: stubtest (the .pyi matches the native module) and mypy --strict"
.venv/bin/python -m mypy.stubtest takst._native
.venv/bin/python -m mypy --strict --ignore-missing-imports --no-incremental py/python/takst

section "fuzz: 300,000 mutated requests through evaluate_json and evaluate_toml (release build)"
cargo run --quiet --release --example fuzz_smoke -- 300000 | tee target/fuzz-smoke.txt

section "wasm: set-up, WebAssembly build, Node and Chromium tests, size and speed"
scripts/wasm-setup.sh
scripts/wasm-test.sh | tee target/wasm-test.txt

section "summary"
awk '/^test result:/ { split($0, a, /[.;] /); for (i in a) { if (a[i] ~ /passed/) { split(a[i], b, " "); p += b[1] } if (a[i] ~ /failed/) { split(a[i], c, " "); f += c[1] } } }
     END { printf "cargo test: %d passed, %d failed\n", p, f }' target/test-output.txt
grep -E '^[0-9]+ passed' target/pytest.txt | sed 's/^/pytest: /'
cat target/einvoice-validation.txt
cat target/fuzz-smoke.txt
grep -E '^wasm (node|e2e) tests:' target/wasm-test.txt
