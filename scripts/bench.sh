#!/usr/bin/env bash
# Prints takst's benchmark figures, each beside its aim with "met" or "not met" (issue 15):
# - the Rust figures (cargo run --release --example bench): courses per second through
#   `Pricer` with and without the flat comparison beside a plain-integer floor the benchmark
#   runs itself, one course priced from a sheet with no warm `Pricer`, offers per second with
#   and without the explanation graph, what keeping and writing the graph costs,
#   `evaluate_json` per course with the explanation on and off, and the growth table;
# - the Python figure (py/bench.py): `price_courses` on pandas rows (each row its own phase
#   list, or one shared) and on polars/Arrow against the Rust `Pricer`, round by round, and
#   the instructions a course costs on either side (valgrind, if installed). This builds the
#   release wheel into .venv first (maturin);
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

section "python: the release wheel into .venv (maturin), then py/bench.py"
need_venv
.venv/bin/pip install --quiet --disable-pip-version-check -r tests/requirements.txt
rm -rf target/bench-wheel
(cd py && ../.venv/bin/maturin build --release -o ../target/bench-wheel > ../target/bench-maturin.txt 2>&1) \
  || { cat target/bench-maturin.txt; echo "maturin build failed" >&2; exit 1; }
.venv/bin/pip install --quiet --disable-pip-version-check --force-reinstall --no-deps target/bench-wheel/takst-*.whl
if [ "${#quick[@]}" -gt 0 ]; then
  .venv/bin/python py/bench.py 100000 2
else
  .venv/bin/python py/bench.py 300000 3
fi
# The same ratio in instructions (valgrind, when installed): a figure this host's drift
# does not move.
.venv/bin/python py/bench.py --instructions

section "wasm: set-up and build (scripts/wasm-setup.sh, wasm/tools/build.sh)"
scripts/wasm-setup.sh
bash wasm/tools/build.sh

section "wasm: size and speed (node wasm/tools/report.mjs)"
node wasm/tools/report.mjs
