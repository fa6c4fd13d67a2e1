#!/usr/bin/env bash
# Builds the browser package into wasm/dist/:
#   dist/takst/  the module (takst_wasm_bg.wasm + glue), takst.js, the calculator element,
#                the TypeScript declarations
#   dist/demo/   the demo page with the sample tariff sheet (examples/published/elbaek.json)
# Steps: cargo build --target wasm32-unknown-unknown (profile release-wasm), wasm-bindgen
# (the CLI at the version pinned in Cargo.lock), wasm-opt from the npm package binaryen,
# and brotli and gzip copies of every file (tools/compress.mjs).
# Run scripts/wasm-setup.sh once first.
set -euo pipefail
cd "$(dirname "$0")/../.."

pinned=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" != "$pinned" ]; then
  echo "wasm-bindgen CLI $pinned is needed (found '${have:-none}'): run scripts/wasm-setup.sh" >&2
  exit 1
fi
wasm_opt=wasm/node_modules/.bin/wasm-opt
[ -x "$wasm_opt" ] || { echo "wasm-opt (npm binaryen) is missing: run scripts/wasm-setup.sh" >&2; exit 1; }

cargo build --quiet -p takst-wasm --target wasm32-unknown-unknown --profile release-wasm

out=wasm/dist
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
wasm-bindgen --target web --out-dir "$tmp" --out-name takst_wasm --no-typescript \
  --remove-name-section --remove-producers-section \
  target/wasm32-unknown-unknown/release-wasm/takst_wasm.wasm

rm -rf "$out"
mkdir -p "$out/takst/types" "$out/demo"
# The features Rust enables by default for wasm32-unknown-unknown, so wasm-opt keeps them.
# -ocimfs=0: no inlining of single-caller functions; measured, it gzips 9 % smaller than
# plain -Oz for the same raw size.
"$wasm_opt" -Oz -ocimfs=0 \
  --enable-bulk-memory --enable-mutable-globals --enable-sign-ext \
  --enable-nontrapping-float-to-int --enable-multivalue --enable-reference-types \
  "$tmp/takst_wasm_bg.wasm" -o "$out/takst/takst_wasm_bg.wasm"
cp "$tmp/takst_wasm.js" "$out/takst/"
cp wasm/js/*.js wasm/js/*.d.ts "$out/takst/"
cp wasm/js/types/*.d.ts "$out/takst/types/"
cp wasm/demo/* "$out/demo/"
cp -p examples/published/elbaek.json "$out/demo/tariffs.json"
# Precompressed copies (.br, .gz) for servers that serve them (serve.mjs does).
node wasm/tools/compress.mjs "$out"
echo "built $out/takst ($(stat -c %s "$out/takst/takst_wasm_bg.wasm") bytes of wasm) and $out/demo"
