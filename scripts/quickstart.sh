#!/usr/bin/env bash
# Sets up what the quickstart needs and prints the tariff sheet of the bundled sample offer
# (invented figures modelled on Elbæk's three modules), the README's course priced month by
# month, and the explanation of one figure.
#
#   ./scripts/quickstart.sh                         # sheet + course + service.udredning.day
#   ./scripts/quickstart.sh service.udvikling.month # explain another figure
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

need_rust
echo "Building takst (only the first time compiles its dependencies: a few minutes on 2 cores)…" >&2
cargo build --example quickstart
# Run through cargo, so that a CARGO_TARGET_DIR of the user's own is where it looks.
exec cargo run -q --example quickstart -- "$@"
