#!/usr/bin/env bash
# Stream clustering quality on the UCI headline stream: incremental path (real store, batches in
# TIMESTAMP order) and batch path, scored against Google News' story ids. See README.md.
# The encoder rows embed every headline (minutes on 2 cores); the words-only rows take seconds.
set -euo pipefail
cd "$(dirname "$0")/../.."
csv=${CSV:-../shared/data/uci-headlines/dev.csv}
cargo build --release --quiet -p dossier --example stream_replay
for window in 86400 none; do
  echo "# encoder, --window $window $*"
  ./target/release/examples/stream_replay "$csv" --batch 10 --window "$window" "$@" 2>/dev/null
done
for window in none 86400 21600 3600; do
  echo "# words only, --window $window $*"
  ./target/release/examples/stream_replay "$csv" --batch 10 --window "$window" --no-encoder "$@" 2>/dev/null
done
