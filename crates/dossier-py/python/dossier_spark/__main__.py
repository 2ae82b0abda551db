"""``python -m dossier_spark`` and ``spark-submit .../dossier_spark/__main__.py``."""

import sys

from dossier_spark.job import main

if __name__ == "__main__":
    sys.exit(main())
