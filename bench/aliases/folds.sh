#!/bin/sh
# The learnt alias merge by topic folds (see README.md): the rules' entity pairs of ECB+ dev are
# written once, a model is learnt for each fold on the other folds, and the bench scores each
# fold with its own model. Usage: bench/aliases/folds.sh K [DATA] (K = 2 for the halves, 11, 22).
# ALIASES_CACHE (the recogniser's mentions, see README.md) is passed through.
set -eu
k=${1:?number of folds}
data=${2:-../shared/data/ecbplus/dev.jsonl}
work=${ALIASES_WORK:-/tmp/aliases-folds-$k}
mkdir -p "$work"
cargo build --release -q -p dossier --example aliases_bench
cargo build --release -q -p dossier-train
target=${CARGO_TARGET_DIR:-target}/release
ALIASES_FOLDS=$k ALIASES_MODELS=none ALIASES_PAIRS="$work/pairs.jsonl" \
  "$target/examples/aliases_bench" "$data" > "$work/rules.txt"
"$target/dossier-train" aliases --pairs "$work/pairs.jsonl" --out "$work/all.json" \
  --folds "$k" --fold-dir "$work" > "$work/train.txt"
echo "rules alone:"
sed -n '/validated sentences/,/all annotated/p' "$work/rules.txt"
echo "rules, then each fold's learnt merge (learnt on the other folds):"
ALIASES_FOLDS=$k ALIASES_MODELS="$work" "$target/examples/aliases_bench" "$data"
