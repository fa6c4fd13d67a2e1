#!/usr/bin/env bash
# Sets up what the quickstart needs and prints the tariff sheet of the bundled sample offer
# (invented figures modelled on Elbæk's three modules), with the explanation of one tariff.
#
#   ./scripts/quickstart.sh                         # sheet + explanation of service.udredning.day
#   ./scripts/quickstart.sh service.udvikling.month # explain another figure
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

need_rust
cargo run --quiet --example quickstart -- "$@"
