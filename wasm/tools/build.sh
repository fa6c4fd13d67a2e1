#!/usr/bin/env bash
# Builds the browser package into wasm/dist/:
#   dist/takst/  the full module (takst_wasm_bg.wasm + glue), the calculator's smaller modules
#                (takst_tal_bg.wasm: catalogues and courses, figures only; takst_beregner_bg.wasm:
#                the same with the explanation), takst.js, the calculator
#                element, the TypeScript declarations
#   dist/demo/   the demo page with the sample tariff sheet (examples/published/elbaek.json)
# Steps: cargo build --target wasm32-unknown-unknown (profile release-wasm), wasm-bindgen
# (the CLI at the version pinned in Cargo.lock), wasm-opt from the npm package binaryen,
# the JS minified by esbuild (npm; the stylesheet's CSS too, tools/css.mjs), and brotli and
# gzip copies of every file (tools/compress.mjs).
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
[ -x wasm/node_modules/.bin/esbuild ] || { echo "esbuild (npm) is missing: run scripts/wasm-setup.sh" >&2; exit 1; }

out=wasm/dist
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
rm -rf "$out"
mkdir -p "$out/takst/types" "$out/demo"

# build NAME [cargo flags]: the module $out/takst/NAME_bg.wasm and its glue $tmp/NAME/takst_wasm.js.
# Both modules are bound under the name takst_wasm: the module names the glue it imports from.
build() {
  local name=$1
  shift
  cargo build --quiet -p takst-wasm --target wasm32-unknown-unknown --profile release-wasm "$@"
  wasm-bindgen --target web --out-dir "$tmp/$name" --out-name takst_wasm --no-typescript \
    --remove-name-section --remove-producers-section \
    "${CARGO_TARGET_DIR:-target}/wasm32-unknown-unknown/release-wasm/takst_wasm.wasm"
  # The features Rust enables by default for wasm32-unknown-unknown, so wasm-opt keeps them.
  # -ocimfs=0: no inlining of single-caller functions; measured, it gzips 9 % smaller than
  # plain -Oz for the same raw size. --converge: the passes again until the module stops
  # shrinking (0.3 KB gzip less for the calculator's module, 0.6 KB for the full one).
  # --strip-target-features: the features' section is for tools (wasm-bindgen has read it),
  # not browsers. (-Os or -O2 gzip some 1 KB smaller but are 8 to 15 KB larger raw.)
  "$wasm_opt" -Oz -ocimfs=0 --converge --strip-target-features \
    --enable-bulk-memory --enable-mutable-globals --enable-sign-ext \
    --enable-nontrapping-float-to-int --enable-multivalue --enable-reference-types \
    "$tmp/$name/takst_wasm_bg.wasm" -o "$out/takst/${name}_bg.wasm"
}
# The full module: every request but e-invoices (takst.js loads it by default).
build takst_wasm
# The calculator's modules: the core without `provider` (catalogues and courses only). The
# first, takst_tal_bg.wasm, is without `explain` and `billing` as well (no explanation, no
# billing section, course changes or caseload: none of which the calculator sends):
# <takst-beregner> starts it and gets its figures from it; the second,
# takst_beregner_bg.wasm, with the explanation, when one is asked for. They export the same functions, so one glue starts any of the three modules:
# the build stops if the glues differ.
build takst_beregner --no-default-features --features explain,billing
build takst_tal --no-default-features
for name in takst_beregner takst_tal; do
  if ! diff "$tmp/$name/takst_wasm.js" "$tmp/takst_wasm/takst_wasm.js" >&2; then
    echo "the glue of $name differs from the full module's: takst.js cannot start both" >&2
    exit 1
  fi
done
# The JS, minified file by file (esbuild: the same modules and imports, no bundle), each with a
# source map holding the readable source for the browser's developer tools.
esbuild=wasm/node_modules/.bin/esbuild
minify() {
  "$esbuild" "$@" --minify --format=esm --charset=utf8 --sourcemap --sources-content=true \
    --log-level=warning --outdir="$out/takst"
}
minify wasm/js/*.js
# The stylesheet module again, its CSS minified too (esbuild leaves a template string as it is).
node wasm/tools/css.mjs "$out/takst"
minify "$tmp/takst_wasm/takst_wasm.js"
cp wasm/js/*.d.ts "$out/takst/"
cp wasm/js/types/*.d.ts "$out/takst/types/"
cp wasm/demo/* "$out/demo/"
cp -p examples/published/elbaek.json "$out/demo/tariffs.json"
# Precompressed copies (.br, .gz) for servers that serve them (serve.mjs does).
node wasm/tools/compress.mjs "$out"
echo "built $out/takst ($(stat -c %s "$out/takst/takst_wasm_bg.wasm") bytes of wasm, the calculator's $(stat -c %s "$out/takst/takst_tal_bg.wasm") and $(stat -c %s "$out/takst/takst_beregner_bg.wasm")) and $out/demo"
