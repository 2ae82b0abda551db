#!/usr/bin/env bash
# Installs what bench/extraction/run.py needs: Python trafilatura 2.3.x (the live peer).
# Idempotent and quiet: does nothing when the right versions already import.
set -euo pipefail

PYTHON="${PYTHON:-python3}"

# trafilatura imports justext, which imports lxml.html.clean; lxml >= 5.2 moved that module out
# into the separate lxml_html_clean package, and lxml 6.x no longer declares the `html_clean`
# extra that would pull it in, so name it explicitly or `import trafilatura` fails.
if "$PYTHON" - <<'EOF' 2>/dev/null
import importlib.metadata as m
import trafilatura, lxml_html_clean  # noqa: F401  (both must import)
assert m.version("trafilatura").startswith("2.3.")
EOF
then
    exit 0
fi

"$(dirname "$0")/../pip-install.sh" "$PYTHON" 'trafilatura>=2.3,<2.4' 'lxml_html_clean'

"$PYTHON" -c 'import trafilatura' >/dev/null
