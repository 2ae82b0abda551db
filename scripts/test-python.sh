#!/usr/bin/env bash
# The Python package's tests (crates/dossier-py/tests): builds the extension into a virtualenv
# under target/ (maturin develop, the debug profile, so it reuses what `cargo test` built) and
# runs pytest over it, the Spark job included. Needs python3 >= 3.9 and, for Spark, Java 17+.
set -euo pipefail
cd "$(dirname "$0")/.."

venv=${DOSSIER_PY_VENV:-target/py-venv}
if [ ! -x "$venv/bin/pytest" ] || [ ! -x "$venv/bin/maturin" ]; then
  echo "test-python: making $venv (maturin, pytest, pyspark from PyPI; once)" >&2
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet "maturin>=1.9,<2" "pytest>=8" "pyspark>=3.5,<5"
fi
VIRTUAL_ENV=$PWD/$venv PATH=$PWD/$venv/bin:$PATH \
  maturin develop --quiet --manifest-path crates/dossier-py/Cargo.toml
export SPARK_LOCAL_IP=${SPARK_LOCAL_IP:-127.0.0.1}
exec "$venv/bin/pytest" -q crates/dossier-py/tests "$@"
