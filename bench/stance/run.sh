#!/usr/bin/env bash
# Stance (FNC-1) by 5-fold cross-validation with folds split by body, then the end-to-end speed
# of `dossier stance`. See README.md. The first run encodes every body sentence and headline
# (about 29,000 texts: 8-10 minutes on two cores) into the cache; later runs reuse it.
set -euo pipefail
cd "$(dirname "$0")/../.."
data=${FNC1:-../shared/data/fnc1}
target=${CARGO_TARGET_DIR:-target}
work="$target/bench-stance"
mkdir -p "$work"
cargo build --release --quiet -p dossier-train -p dossier-cli
echo "# cross-validation (5 body-disjoint folds; every constant chosen inside the training part)"
"$target/release/dossier-train" stance --data "$data" --cache "$target/stance-cache" \
  --folds 5 --predictions "$work/cv-predictions.jsonl" --out "$work/stance-all.json" "$@" 2>"$work/train.log"
if [ "${SPEED:-1}" = 1 ]; then
  echo "# dossier stance end to end (encoder included; the shipped model, so speed only)"
  start=$(date +%s.%N)
  "$target/release/dossier" stance --bodies "$data/train_bodies.jsonl" \
    --pairs "$data/train_stances.jsonl" > "$work/stances.jsonl"
  end=$(date +%s.%N)
  pairs=$(wc -l < "$work/stances.jsonl")
  awk -v p="$pairs" -v s="$start" -v e="$end" 'BEGIN { printf "%d pairs in %.1f s: %.0f pairs/s\n", p, e - s, p / (e - s) }'
fi
