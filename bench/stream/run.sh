#!/usr/bin/env bash
# Stream clustering quality on the UCI headline stream: incremental path (real store, batches in
# TIMESTAMP order) and batch path, scored against Google News' story ids. See README.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
csv=${CSV:-../shared/data/uci-headlines/dev.csv}
cargo build --release --quiet -p dossier --example stream_replay
for window in none 86400 21600 3600; do
  echo "# --window $window $*"
  ./target/release/examples/stream_replay "$csv" --batch 10 --window "$window" "$@" 2>/dev/null
done
