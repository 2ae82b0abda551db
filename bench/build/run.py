#!/usr/bin/env python3
"""Throughput and peak memory of `dossier build` over the 250 DUC 2004 dev documents.

Runs the whole process (start-up, every stage, writing the outputs) several times and reports
the fastest run, so later changes can be compared on the same machine:

    cargo build --release && python3 bench/build/run.py [--repeat 3] [--dossier PATH] [--no-models]
"""

import argparse
import collections
import json
import os
import pathlib
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[2]
DATA = ROOT.parent / "shared" / "data" / "duc2004" / "dev.jsonl"


def write_pile(path):
    """The 25 clusters flattened into one JSON Lines pile, one document per line."""
    count = 0
    with open(DATA) as src, open(path, "w") as out:
        for line in src:
            cluster = json.loads(line)
            for n, doc in enumerate(cluster["docs"]):
                out.write(json.dumps({"id": f"{cluster['cluster']}-{n}", "text": doc}) + "\n")
                count += 1
    return count


def run_once(dossier, pile, out, threads, extra):
    env = dict(os.environ)
    if threads:
        env["RAYON_NUM_THREADS"] = str(threads)
    start = time.perf_counter()
    proc = subprocess.Popen([dossier, "build", pile, "--out", out, "--quiet", *extra], env=env,
                            stderr=subprocess.PIPE)
    # wait4 gives this child's own peak RSS and CPU time.
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    err = proc.stderr.read().decode(errors="replace")
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"dossier build failed:\n{err}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dossier", default=str(ROOT / "target" / "release" / "dossier"))
    ap.add_argument("--repeat", type=int, default=3, help="runs; the fastest is reported")
    ap.add_argument("--no-models", action="store_true",
                    help="only the runs without models (--no-entities --no-claims): seconds, not minutes")
    args = ap.parse_args()
    if not pathlib.Path(args.dossier).exists():
        sys.exit(f"no dossier binary at {args.dossier}: run `cargo build --release` first")
    with tempfile.TemporaryDirectory() as tmp:
        pile = os.path.join(tmp, "pile.jsonl")
        docs = write_pile(pile)
        size_mb = os.path.getsize(pile) / 1e6
        rows = []
        # The models (NER, and the claims judge's encoder) encode every sentence and dominate a
        # full run; the lines without them show the rest of the pipeline.
        fast = ["--no-entities", "--no-claims"]
        runs = (("all cores", None, []), ("all cores, --no-claims", None, ["--no-claims"]),
                ("all cores, --no-entities --no-claims", None, fast),
                ("1 thread, --no-entities --no-claims", 1, fast))
        if args.no_models:
            runs = tuple(r for r in runs if r[2] == fast)
        claims = None
        for label, threads, extra in runs:
            best = min((run_once(args.dossier, pile, os.path.join(tmp, "out"), threads, extra)
                        for _ in range(args.repeat)), key=lambda r: r[0])
            rows.append((label, *best))
            if claims is None and not args.no_models:
                # The claims of the full run: no gold exists for them, but on ten-report stories
                # a high share of contested claims means the judge is seeing disputes that are
                # not there (read a sample in dossier.json).
                claims = collections.Counter(
                    c["status"]
                    for s in json.load(open(os.path.join(tmp, "out", "dossier.json")))["stories"]
                    for c in s["claims"])
        stories = len(json.load(open(os.path.join(tmp, "out", "dossier.json")))["stories"])
    print(f"dossier build over DUC 2004 dev: {docs} documents, {size_mb:.1f} MB, {stories} stories "
          f"({os.cpu_count()} cores, fastest of {args.repeat})\n")
    print("| run | wall s | reports/s | CPU s | peak RSS MiB |")
    print("|---|---:|---:|---:|---:|")
    for label, wall, cpu, rss in rows:
        print(f"| {label} | {wall:.2f} | {docs / wall:.0f} | {cpu:.2f} | {rss:.0f} |")
    if claims is None:
        return
    total = sum(claims.values())
    print(f"\nclaims of the full run: {total}; " + ", ".join(
        f"{status} {n} ({100 * n / max(total, 1):.1f}%)" for status, n in claims.most_common()))


if __name__ == "__main__":
    main()
