#!/usr/bin/env python3
"""Time of one story's model-free analysis as its reports become copies of the same texts.

    target/py-venv/bin/python bench/spark/copies.py [COPIES...]   # default 50 100 200 400 800

The story is the first DUC 2004 dev cluster (10 articles), each repeated COPIES times under new
ids, as the synthetic pile of scale.py repeats texts; `dossier.story` analyses it as the Spark
job analyses each story (no models). Prints the seconds and the timeline's events per size:
a cost that grows with the square of the copies shows as four times the seconds per doubling.
"""

import argparse
import json
import pathlib
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "events"))
from run import duc_docs  # noqa: E402  (bench/events/run.py)

import dossier  # noqa: E402


def copies(base, k):
    """k copies of each report, ids (and sentence ids) made unique."""
    reports = []
    for c in range(k):
        for report in base:
            copy = json.loads(json.dumps(report))
            copy["id"] = f"{report['id']}-{c}"
            for n, sentence in enumerate(copy["sentences"], start=1):
                sentence["id"] = f"{copy['id']}:{n}"
            reports.append(copy)
    return reports


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("copies", type=int, nargs="*", default=[50, 100, 200, 400, 800])
    sizes = p.parse_args().copies
    docs = duc_docs()
    texts = [t for _, cluster, t in docs if cluster == docs[0][1]]
    pile = "\n".join(json.dumps({"id": f"d{i}", "text": t}) for i, t in enumerate(texts))
    base = dossier.read(pile.encode(), kind="jsonl")
    print("| texts | copies each | reports | seconds | timeline events |")
    print("|---:|---:|---:|---:|---:|")
    for k in sizes:
        reports = copies(base, k)
        start = time.perf_counter()
        story = dossier.story(reports, entities=False, claims=False)
        took = time.perf_counter() - start
        print(f"| {len(base)} | {k} | {len(reports)} | {took:.1f} | {len(story['timeline'])} |", flush=True)


if __name__ == "__main__":
    main()
