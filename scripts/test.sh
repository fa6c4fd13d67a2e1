#!/usr/bin/env bash
# Sets up everything the tests need and runs every test: formatting, clippy (with the ban on
# banker's rounding), the Rust unit, property, conformance and doc tests, the examples, and a
# check that the committed JSON Schemas match the types. `.ci/run` calls exactly this.
#
# As the Python and WebAssembly bindings land, their set-up (venv, wasm-bindgen-cli, npm,
# Chromium) and test runs are added here, so that this stays the one command.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

section "set-up: Rust toolchain and components"
need_rust
need_rust_components
rustc --version

section "format: cargo fmt --check"
cargo fmt --all -- --check

section "lint: cargo clippy --all-targets -D warnings"
cargo clippy --workspace --all-targets --quiet -- -D warnings

mkdir -p target
section "tests: cargo test --workspace (unit, property, conformance, schema, doc tests)"
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
cargo run --quiet --example evaluate < examples/requests/elbaek.json > target/response.json
grep -q '"ok": true' target/response.json
cargo run --quiet --example evaluate < examples/requests/catalogue.toml > target/response.json
grep -q '"ok": true' target/response.json
cargo run --quiet --example sheet < examples/requests/elbaek.json | grep -q "Udredningsmodul"
echo "quickstart and evaluate examples ran"

section "summary"
awk '/^test result:/ { split($0, a, /[.;] /); for (i in a) { if (a[i] ~ /passed/) { split(a[i], b, " "); p += b[1] } if (a[i] ~ /failed/) { split(a[i], c, " "); f += c[1] } } }
     END { printf "%d passed, %d failed\n", p, f }' target/test-output.txt
