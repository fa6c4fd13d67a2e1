#!/usr/bin/env bash
# Installs what the WebAssembly build and tests need (scripts/wasm-test.sh), from the
# registries only: the wasm32-unknown-unknown target, wasm-bindgen-cli at exactly the version
# of the `wasm-bindgen` crate in Cargo.lock (crates.io), Debian's Chromium and poppler-utils
# (apt), and the npm
# packages of wasm/package-lock.json (npm ci: binaryen's wasm-opt, esbuild, playwright-core, axe-core,
# json-schema-to-typescript, typescript). Idempotent: a second run only checks.
#
#   scripts/wasm-setup.sh               # everything the wasm build and tests need
#   scripts/wasm-setup.sh --no-browser  # the build only (scripts/demo.sh): no Chromium
set -euo pipefail
browser=yes
for arg in "$@"; do
  case "$arg" in
    --no-browser) browser=no ;;
    *) echo "usage: scripts/wasm-setup.sh [--no-browser]" >&2; exit 2 ;;
  esac
done
cd "$(dirname "$0")/.."
source scripts/lib.sh

section "wasm set-up: Rust and the wasm32-unknown-unknown target"
need_rust
if command -v rustup >/dev/null 2>&1; then
  rustup target add wasm32-unknown-unknown >/dev/null 2>&1 || true
fi
if [ ! -d "$(rustc --print sysroot)/lib/rustlib/wasm32-unknown-unknown" ]; then
  echo "the Rust target wasm32-unknown-unknown is missing (rustup target add wasm32-unknown-unknown)" >&2
  exit 1
fi
echo "wasm32-unknown-unknown: installed"

section "wasm set-up: wasm-bindgen-cli at the version pinned in Cargo.lock"
pinned=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if [ -z "$pinned" ]; then
  echo "no wasm-bindgen in Cargo.lock" >&2
  exit 1
fi
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" != "$pinned" ]; then
  # Not --locked: the CLI's own lock file pins a crate version crates.io no longer serves.
  cargo install --quiet wasm-bindgen-cli --version "$pinned"
fi
wasm-bindgen --version

section "wasm set-up: Debian's Chromium and poppler-utils for the end-to-end tests"
if [ "$browser" = no ]; then
  echo "skipped (--no-browser)"
elif [ ! -x /usr/bin/chromium ] || ! command -v pdftotext >/dev/null 2>&1; then
  sudo=""
  if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null 2>&1; then sudo=sudo; else
      echo "installing chromium needs root (apt-get install chromium chromium-driver)" >&2
      exit 1
    fi
  fi
  $sudo apt-get update -qq
  # poppler-utils: pdftotext and pdftoppm read the printed quote (page.pdf) in the tests.
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium chromium-driver poppler-utils >/dev/null
fi
[ "$browser" = no ] || { /usr/bin/chromium --version 2>/dev/null | sed -n 1p; pdftotext -v 2>&1 | sed -n 1p; }

section "wasm set-up: Node.js ≥ 20 and the npm packages (npm ci)"
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "the wasm tests need Node.js ≥ 20 with npm; none was found on PATH." >&2
  exit 1
fi
node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 20 ]; then
  echo "the wasm tests need Node.js ≥ 20 (playwright-core); found $(node --version)." >&2
  exit 1
fi
node --version
(
  cd wasm
  # npm ci only when the lock file changed since the last install.
  if [ ! -f node_modules/.takst-lock ] || ! cmp -s package-lock.json node_modules/.takst-lock; then
    npm ci --no-audit --no-fund --loglevel=error
    cp package-lock.json node_modules/.takst-lock
  fi
  node_modules/.bin/wasm-opt --version
  echo "esbuild $(node_modules/.bin/esbuild --version)"
)
