#!/usr/bin/env python3
"""The Spark job beside one box: the same pile through `dossier_spark` (local master) and
through `dossier.build`, scored against the gold stories and against each other.

    scripts/test-python.sh -k nothing        # once: builds the package into target/py-venv
    target/py-venv/bin/python bench/spark/run.py [--set duc|ecb|both] [--master local[2]]
        [--shards 4] [--block-threshold 0.15] [--key-limit 1000]

Prints, per set: pairwise F1 and B-cubed F1 against the gold of one box and of Spark, the
pairwise agreement of Spark with one box (F1 of Spark's stories scored against one box's), the
blocks Spark formed (count, largest) and its reports/s, start-up included. Both run without the
models (--no-entities --no-claims): grouping is what differs between the two, and the per-story
analysis is the same function on the same reports (crates/dossier-py/tests/test_spark.py).
"""

import argparse
import json
import os
import pathlib
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench" / "events"))
os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")

import dossier  # noqa: E402
from dossier_spark.job import main as spark_main  # noqa: E402
from run import duc_docs, ecb_docs, scores, uci_docs  # noqa: E402  (bench/events/run.py)


def shards(docs, folder, n):
    """The pile as n JSON Lines shards, in pile order."""
    size = -(-len(docs) // n)
    for k in range(n):
        with open(folder / f"shard-{k:03}.jsonl", "w") as out:
            for doc_id, _, text in docs[k * size:(k + 1) * size]:
                out.write(json.dumps({"id": doc_id, "text": text}) + "\n")


def lines(folder):
    return [json.loads(l) for p in sorted(folder.glob("part-*")) for l in p.read_text().splitlines() if l]


def blocks_said(log):
    for line in log:
        if "block(s), the largest of" in line:
            return line.split("dossier_spark: ")[1]
    return "?"


def one_set(name, docs, args):
    gold = {i: g for i, g, _ in docs}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = pathlib.Path(tmp)
        (tmp / "pile").mkdir()
        shards(docs, tmp / "pile", args.shards)
        inputs = sorted((tmp / "pile").iterdir())
        start = time.perf_counter()
        box = dossier.build(inputs, entities=False, claims=False)
        box_took = time.perf_counter() - start
        start = time.perf_counter()
        code = spark_main([str(tmp / "pile"), "--out", str(tmp / "out"), "--master", args.master,
                           "--no-entities", "--no-claims", "--block-threshold", str(args.block_threshold),
                           "--key-limit", str(args.key_limit)])
        took = time.perf_counter() - start
        if code != 0:
            sys.exit(f"dossier_spark failed on {name}")
        stories = lines(tmp / "out" / "stories")
    of = lambda ss: {r: s["id"] + f"#{k}" for k, s in enumerate(ss) for r in s["reports"]}
    box_stories, spark_stories = of(box["stories"]), of(stories)
    return {
        "set": name,
        "reports": len(docs),
        "box": scores(gold, box_stories),
        "spark": scores(gold, spark_stories),
        "agree": scores(box_stories, spark_stories),
        "box_rps": len(docs) / box_took,
        "spark_rps": len(docs) / took,
    }


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--set", choices=["duc", "ecb", "uci", "both"], default="both",
                   help="both: duc and ecb; uci (headlines) on its own")
    p.add_argument("--master", default="local[2]")
    p.add_argument("--shards", type=int, default=4)
    p.add_argument("--block-threshold", type=float, default=0.15)
    p.add_argument("--key-limit", type=int, default=1000)
    args = p.parse_args()
    sets = {"duc": duc_docs, "ecb": lambda: [(i, g, t) for i, g, t, _ in ecb_docs()], "uci": uci_docs}
    chosen = ["duc", "ecb"] if args.set == "both" else [args.set]
    rows = [one_set(s, sets[s](), args) for s in chosen]
    print(f"\nmaster {args.master}, {args.shards} shards, block threshold {args.block_threshold}, "
          f"key limit {args.key_limit}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}\n")
    print("| set | reports | one box F1 / B3 | Spark F1 / B3 | agreement (pairwise F1) | stories box / Spark | reports/s box / Spark |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        b, s, a = r["box"], r["spark"], r["agree"]
        print(f"| {r['set']} | {r['reports']} | {b['F1']:.3f} / {b['B3']:.3f} | {s['F1']:.3f} / {s['B3']:.3f} "
              f"| {a['F1']:.3f} | {b['stories']} / {s['stories']} | {r['box_rps']:.0f} / {r['spark_rps']:.1f} |")


if __name__ == "__main__":
    main()
