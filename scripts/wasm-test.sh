#!/usr/bin/env bash
# Builds the WebAssembly package and runs every wasm test (run scripts/wasm-setup.sh first):
# - the build: cargo build --target wasm32-unknown-unknown (profile release-wasm), wasm-bindgen,
#   wasm-opt from the npm package binaryen (wasm/tools/build.sh → wasm/dist/);
# - Node tests (node:test) against the built module: every conformance case in tests/cases/
#   with the expected figures and byte for byte the same as Rust's `evaluate --compact`, the JS
#   API, the TypeScript declarations, hostile input;
# - end-to-end tests in Debian's Chromium (playwright-core): a course filled in, the figures,
#   the explanation, keyboard only, every bad-input message, hostile tariff files, the printed
#   quote (page.pdf, pdftotext), two plans, permalink, saved file, CSV, the embedding guide on
#   two origins, axe-core (WCAG 2.0/2.1 A and AA), reflow, the strict CSP, screenshots in
#   target/wasm/.
# The size and speed report is a benchmark, not a test: scripts/bench.sh prints it.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
need_rust
out=target/wasm
mkdir -p "$out"

section "wasm: build (cargo build --target wasm32-unknown-unknown, wasm-bindgen, wasm-opt)"
bash wasm/tools/build.sh

section "wasm: the Rust evaluate example, whose bytes the module must match"
cargo build --quiet --example evaluate

counts() { # pass and fail counts of a node:test TAP report
  awk '/^# pass / { p = $3 } /^# fail / { f = $3 } END { printf "%d %d\n", p, f }' "$1"
}

section "wasm: Node tests (conformance byte for byte against Rust, bindings, types, hostile input)"
status=0
evaluate="$(realpath "${CARGO_TARGET_DIR:-target}")/debug/examples/evaluate"
(cd wasm && TAKST_EVALUATE="$evaluate" \
  node --test --test-reporter=tap test/*.test.mjs) > "$out/node-tests.txt" 2>&1 || status=$?
read -r node_pass node_fail < <(counts "$out/node-tests.txt")
if [ "$status" -ne 0 ] || [ "$node_fail" -ne 0 ] || [ "$node_pass" -eq 0 ]; then
  grep -E -A30 '^not ok' "$out/node-tests.txt" | head -150 || tail -50 "$out/node-tests.txt"
  echo "wasm Node tests failed" >&2
  exit 1
fi
grep -E '^# (tests|pass|fail)' "$out/node-tests.txt"

section "wasm: end-to-end tests in Chromium (figures, keyboard, bad input, hostile files, quote, plans, permalink, CSV, embedding, axe, reflow, CSP)"
status=0
(cd wasm && node --test --test-reporter=tap e2e/*.test.mjs) > "$out/e2e-tests.txt" 2>&1 || status=$?
read -r e2e_pass e2e_fail < <(counts "$out/e2e-tests.txt")
if [ "$status" -ne 0 ] || [ "$e2e_fail" -ne 0 ] || [ "$e2e_pass" -eq 0 ]; then
  grep -E -A30 '^not ok' "$out/e2e-tests.txt" | head -150 || tail -50 "$out/e2e-tests.txt"
  echo "wasm end-to-end tests failed" >&2
  exit 1
fi
grep -E '^# (tests|pass|fail)' "$out/e2e-tests.txt"
echo "screenshots: $(ls "$out"/*.png | tr '\n' ' ')"

section "wasm: summary"
echo "wasm node tests: $node_pass passed, $node_fail failed"
echo "wasm e2e tests: $e2e_pass passed, $e2e_fail failed"
echo "wasm: $((node_pass + e2e_pass)) passed, $((node_fail + e2e_fail)) failed"
