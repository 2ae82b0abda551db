#!/usr/bin/env bash
# Installs Python packages for the benchmarks: `bench/pip-install.sh PYTHON PACKAGE...`.
# A Debian system Python refuses `pip install` (PEP 668, "externally managed"); the pyenv Python
# on the project's machines does not. Retry with --break-system-packages only for that reason.
set -euo pipefail
python="$1"
shift
# PIP_ROOT_USER_ACTION silences the "running pip as root" warning on CI machines.
export PIP_ROOT_USER_ACTION=ignore
errors="$(mktemp)"
trap 'rm -f "$errors"' EXIT
pip() {
    "$python" -m pip install --quiet --disable-pip-version-check --no-input "$@"
}
if ! pip "$@" 2>"$errors"; then
    if grep -q externally-managed "$errors"; then
        pip --break-system-packages "$@"
    else
        cat "$errors" >&2
        exit 1
    fi
fi
