#!/usr/bin/env bash
# Sets up everything the tests need and runs every test: formatting, clippy (with the ban on
# banker's rounding), the API docs with warnings as errors, the Rust unit, property,
# hostile-input, conformance and doc tests, the
# examples, a smoke fuzz run, a check that the committed JSON Schemas describe what takst
# reads and writes, the Python package (a release abi3 wheel and an sdist checked by twine,
# installed into a fresh virtual environment outside the repository, where pytest with
# hypothesis, the conformance cases byte for byte against Rust, the Arrow, Dask and typing
# tests, every generated e-invoice through the official Peppol BIS 3 and OIOUBL 3 rules,
# the notebooks, stubtest and mypy run against the installed wheel; the documentation
# site), and the WebAssembly
# build with its Node and Chromium tests (scripts/wasm-setup.sh, scripts/wasm-test.sh).
# It prints test results only; the benchmark figures and their aims are scripts/bench.sh's.
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
.venv/bin/pip install --quiet --disable-pip-version-check -r tests/requirements.txt -r tests/requirements-docs.txt
.venv/bin/python --version

section "format: cargo fmt --check"
cargo fmt --all -- --check

section "lint: cargo clippy --all-targets -D warnings"
cargo clippy --workspace --all-targets --quiet -- -D warnings
# The core as the calculator's browser modules build it (no `provider`, no `einvoice`; with
# `explain` and `billing`, and without either for the first module).
cargo clippy -p takst --lib --tests --no-default-features --features explain,billing --quiet -- -D warnings
cargo clippy -p takst --lib --tests --no-default-features --quiet -- -D warnings

section "docs: cargo doc --workspace --no-deps, warnings as errors (broken or private links)"
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --quiet

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
# The core as the calculator's browser modules build it (no `provider`; with `explain` and
# `billing`, and without either for the first module): its unit tests (the reader, the
# numbers, the courses), and core/tests/calculator.rs: provider sections, and without
# `explain` a request for the explanation, without `billing` a billing section, a course's
# changes and the caseload, refused as unsupported, never dropped (empty with the defaults).
# The other test targets are of the whole library (`required-features` in core/Cargo.toml).
for features in "--features explain,billing" ""; do
  # The doc tests too: an example of what these builds leave out opens with a fence that is
  # ```ignore without the `provider` feature (`#[cfg_attr(not(feature = "provider"), ...)]`),
  # so that a contributor's `cargo test` of such a build passes (those are ignored).
  # shellcheck disable=SC2086 # the features are two words or none
  if ! { cargo test -p takst --no-default-features $features --lib --tests \
      && cargo test -p takst --no-default-features $features --doc; } > target/test-calculator.txt 2>&1; then
    cat target/test-calculator.txt
    echo "cargo test of the core without provider (${features:-nor explain nor billing}) failed" >&2
    exit 1
  fi
  label=${features:+with explain and billing}
  grep -E '^test result:' target/test-calculator.txt | sed "s/^/without the provider feature, ${label:-nor explain nor billing}: /"
done
if ! grep -q '^test result: ok. [1-9]' target/test-output.txt; then
  echo "cargo test ran no tests" >&2
  exit 1
fi

section "examples: quickstart, and evaluate on the example requests (JSON and TOML)"
cargo run --quiet --example quickstart > target/quickstart.txt
grep -q "TAKSTBLAD 2026" target/quickstart.txt
grep -q "I alt, 395 dage *1.655.684,36" target/quickstart.txt
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

section "python: the wheel (abi3, manylinux, stripped, release) and the sdist, checked by twine"
rm -rf target/wheels
started=$(date +%s)
if ! (cd py && ../.venv/bin/maturin build --release --strip -o ../target/wheels > ../target/maturin.txt 2>&1 \
      && ../.venv/bin/maturin sdist -o ../target/wheels >> ../target/maturin.txt 2>&1); then
  cat target/maturin.txt
  echo "maturin build failed" >&2
  exit 1
fi
wheel_seconds=$(( $(date +%s) - started ))
wheel=$(ls target/wheels/takst-*-cp310-abi3-manylinux*.whl)
sdist=$(ls target/wheels/takst-*.tar.gz)
.venv/bin/twine check --strict "$wheel" "$sdist"
wheel_kb=$(( $(stat -c %s "$wheel") / 1024 ))
echo "wheel: $(basename "$wheel") ($wheel_kb KB, built in $wheel_seconds s); sdist: $(basename "$sdist")"

section "python: a fresh virtual environment outside the repository, with the wheel installed"
repo=$PWD
venv="${TMPDIR:-/tmp}/takst-wheel-venv"
rm -rf "$venv"
python3 -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip > /dev/null
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
  -r tests/requirements.txt -r tests/requirements-docs.txt "$wheel"
(cd "$venv" && "$venv/bin/python" -c "
import sys, takst
assert takst.__file__.startswith(sys.prefix), takst.__file__
print('takst', takst.__version__, 'for Python, installed from the wheel:', takst.__file__)")
(cd "$venv" && "$venv/bin/python" "$repo/py/tools/import_time.py") | tee target/import-time.txt

section "python: pytest against the installed wheel (hypothesis, conformance byte for byte, Arrow, Dask, typing, notebooks, e-invoices through the official Peppol BIS 3 and OIOUBL 3 rules)"
rm -rf target/notebooks target/einvoice-validation.txt
(cd "$venv" && TAKST_EVALUATE="$repo/target/debug/examples/evaluate" TAKST_NOTEBOOK_OUT="$repo/target/notebooks" \
  timeout 1800 "$venv/bin/python" -m pytest -q -p no:cacheprovider "$repo/py/tests") 2>&1 | tee target/pytest.txt | tail -15
grep -qE '^[0-9]+ passed' target/pytest.txt || { echo "pytest failed" >&2; exit 1; }
if grep -qE '[0-9]+ (failed|error)' target/pytest.txt; then echo "pytest failed" >&2; exit 1; fi
# The e-invoice validation must have run (it is skipped without saxonche) and found 0 fatal.
grep -qE ', 0 fatal' target/einvoice-validation.txt || { echo "e-invoice validation did not pass" >&2; exit 1; }

section "python: stubtest (the installed .pyi matches the native module), mypy --strict, the generated types"
(cd "$venv" && "$venv/bin/python" -m mypy.stubtest takst._native)
"$venv/bin/python" -m mypy --strict --ignore-missing-imports --no-incremental py/python/takst
"$venv/bin/python" py/tools/gen_types.py --check

section "python: the documentation site (mkdocs: README, API reference, executed notebooks) into target/site"
rm -rf target/docs-src target/site
cp -r py/docs target/docs-src
cp py/README.md target/docs-src/index.md
mkdir -p target/docs-src/notebooks
cp target/notebooks/*.ipynb target/docs-src/notebooks/
NO_MKDOCS_2_WARNING=1 "$venv/bin/mkdocs" build --strict --quiet -f py/mkdocs.yml
test -s target/site/api/index.html && test -s target/site/notebooks/caseload_at_scale/index.html
echo "documentation site: target/site ($(find target/site -name '*.html' | wc -l) pages)"

section "fuzz: 300,000 mutated requests through evaluate_json and evaluate_toml (release build)"
cargo run --quiet --release --example fuzz_smoke -- 300000 | tee target/fuzz-smoke.txt

section "wasm: set-up, WebAssembly build, Node and Chromium tests"
scripts/wasm-setup.sh
scripts/wasm-test.sh | tee target/wasm-test.txt

section "summary"
awk '/^test result:/ { split($0, a, /[.;] /); for (i in a) { if (a[i] ~ /passed/) { split(a[i], b, " "); p += b[1] } if (a[i] ~ /failed/) { split(a[i], c, " "); f += c[1] } } }
     END { printf "cargo test: %d passed, %d failed\n", p, f }' target/test-output.txt
grep -E '^[0-9]+ passed' target/pytest.txt | sed 's/^/pytest (installed wheel): /'
echo "python wheel: $(basename "$wheel"), $wheel_kb KB, built in $wheel_seconds s"
cat target/import-time.txt
cat target/einvoice-validation.txt
cat target/fuzz-smoke.txt
grep -E '^wasm (node|e2e) tests:' target/wasm-test.txt
