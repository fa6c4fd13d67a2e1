#!/usr/bin/env bash
# Prints takst's benchmark figures, each beside its aim with "met" or "not met" (issue 15):
# - the Rust figures (cargo run --release --example bench): courses per second through
#   `Pricer` with and without the flat comparison beside a plain-integer floor the benchmark
#   runs itself, one course priced from a sheet with no warm `Pricer`, offers per second with
#   and without the explanation graph, what keeping and writing the graph costs,
#   `evaluate_json` per course with the explanation on and off, and the growth table;
# - the browser figures (node wasm/tools/report.mjs): the size of the module and JS a page
#   loads, and the recompute time in Debian's Chromium. This builds the WebAssembly package
#   first (scripts/wasm-setup.sh, wasm/tools/build.sh).
# The test command (scripts/test.sh) prints only test results; aims are reported here.
#
#   scripts/bench.sh            # everything
#   scripts/bench.sh --rust     # the Rust figures only (no WebAssembly build, no browser)
#   scripts/bench.sh --quick    # fewer rounds and a smaller growth table
set -euo pipefail
rust_only=no
quick=()
for arg in "$@"; do
  case "$arg" in
    --rust) rust_only=yes ;;
    --quick) quick=(quick) ;;
    *) echo "usage: scripts/bench.sh [--rust] [--quick]" >&2; exit 2 ;;
  esac
done
cd "$(dirname "$0")/.."
source scripts/lib.sh
need_rust

section "rust: cargo run --release --example bench (one thread)"
cargo run --quiet --release --example bench -- "${quick[@]}"

if [ "$rust_only" = yes ]; then
  exit 0
fi

section "wasm: set-up and build (scripts/wasm-setup.sh, wasm/tools/build.sh)"
scripts/wasm-setup.sh
bash wasm/tools/build.sh

section "wasm: size and speed (node wasm/tools/report.mjs)"
node wasm/tools/report.mjs
