#!/usr/bin/env bash
# Sets up and builds the browser calculator and serves its demo page:
#
#   ./scripts/demo.sh          # then open http://127.0.0.1:8080/demo/ (Ctrl-C stops it)
#   ./scripts/demo.sh 9000     # another port
#
# The set-up (scripts/wasm-setup.sh --no-browser) installs the wasm32 target, wasm-bindgen-cli
# at the version pinned in Cargo.lock (about 3 minutes the first time) and the npm packages;
# the build (wasm/tools/build.sh) writes wasm/dist/; the server (wasm/tools/serve.mjs) serves
# it on 127.0.0.1 only, under the strict Content-Security-Policy a municipal site would use.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

scripts/wasm-setup.sh --no-browser
section "demo: build the WebAssembly package and the demo page"
bash wasm/tools/build.sh
section "demo: serve wasm/dist"
exec node wasm/tools/serve.mjs "$@"
