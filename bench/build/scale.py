#!/usr/bin/env python3
"""Time and peak memory of `dossier build` over a big pile of short reports (no models).

The pile is the UCI headline stream (`../shared/data/uci-headlines/dev.csv`, 3,318 headlines
of 44 Google News stories) repeated with new ids until it holds N reports, as JSON Lines in a
temporary folder. Each repeat shifts the publication time by three days and takes another
outlet. Two kinds of pile:

- `copies`: every repeat keeps the headline's text, so the pile is 3,318 texts with many copies
  each (one wire story syndicated to many outlets);
- `varied`: from the second repeat on, each headline loses one word (which one turns with the
  repeat) and ends with another outlet's name in brackets, so nearly every report is a text of
  its own, and each known story grows with the pile.

Runs the release binary under `/usr/bin/time -v` (`dossier build PILE --out DIR --no-entities
--no-claims --quiet`) and prints wall time, reports/s and peak RSS; then scores the stories
against the known story of each headline (pairwise and B-cubed F1), unless `--no-score`.

    cargo build --release -p dossier-cli
    python3 bench/build/scale.py --reports 100000 --kind copies varied [--threads 2]

Needs only Python 3 and GNU time. Not run in CI.
"""

import argparse
import collections
import csv
import datetime
import json
import os
import pathlib
import re
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parents[2]
DATA = ROOT.parent / "shared" / "data" / "uci-headlines" / "dev.csv"


def write_pile(path, total, kind):
    """Writes `total` reports; returns the known story of each report id."""
    rows = list(csv.DictReader(open(DATA)))
    gold = {}
    with open(path, "w") as out:
        for n in range(total):
            rnd, i = divmod(n, len(rows))
            row = rows[i]
            text = row["TITLE"]
            # Another outlet per repeat: a step prime to the number of rows visits them all.
            outlet = rows[(i + 7919 * rnd) % len(rows)]["PUBLISHER"]
            if kind == "varied" and rnd > 0:
                words = text.split()
                del words[(rnd - 1) % len(words)]
                text = " ".join(words) + f" ({outlet})"
            ms = int(row["TIMESTAMP"]) + rnd * 3 * 86400 * 1000
            published = datetime.datetime.fromtimestamp(ms / 1000, datetime.timezone.utc)
            rid = f"uci-{row['ID']}-{rnd}"
            out.write(json.dumps({"id": rid, "text": text, "published": published.isoformat(),
                                  "source": outlet}) + "\n")
            gold[rid] = row["STORY"]
    return gold


def run(dossier, pile, out, threads, timeout):
    env = dict(os.environ)
    if threads:
        env["RAYON_NUM_THREADS"] = str(threads)
    cmd = ["/usr/bin/time", "-v", dossier, "build", pile, "--out", out, "--quiet",
           "--no-entities", "--no-claims"]
    if threads:
        # Pin to the first cores too: the rayon pool alone does not stop the allocator and the
        # main thread from using the others.
        cmd = ["taskset", "-c", f"0-{threads - 1}"] + cmd
    try:
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None
    if proc.returncode != 0:
        sys.exit(f"dossier build failed:\n{proc.stderr[-3000:]}")
    wall = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", proc.stderr)
    h, m, s = wall.groups()
    seconds = int(h or 0) * 3600 + int(m) * 60 + float(s)
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr).group(1))
    cpu = sum(float(x) for x in re.findall(r"(?:User|System) time \(seconds\): ([\d.]+)",
                                           proc.stderr))
    return seconds, cpu, rss / 1024


def score(out, gold):
    """Stories, largest story, pairwise P/R/F1 and B-cubed F1 against the known stories, by
    counting pairs per (story, known story) cell: linear in the pile."""
    with open(os.path.join(out, "dossier.json")) as f:
        stories = json.load(f)["stories"]
    cells = collections.Counter()
    sizes = []
    for s in stories:
        sizes.append(len(s["reports"]))
        for rid in s["reports"]:
            cells[(s["id"], gold[rid])] += 1
    pred = collections.Counter()
    known = collections.Counter()
    for (p, g), k in cells.items():
        pred[p] += k
        known[g] += k
    pairs = lambda counts: sum(k * (k - 1) / 2 for k in counts.values())
    tp = pairs(cells)
    p = tp / max(pairs(pred), 1)
    r = tp / max(pairs(known), 1)
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    n = sum(cells.values())
    bp = sum(k * k / pred[c[0]] for c, k in cells.items()) / n
    br = sum(k * k / known[c[1]] for c, k in cells.items()) / n
    bf = 2 * bp * br / (bp + br) if bp + br else 0.0
    return len(stories), max(sizes), p, r, f1, bf


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--reports", type=int, nargs="+", default=[100_000])
    ap.add_argument("--kind", choices=("copies", "varied"), nargs="+", default=["copies", "varied"])
    ap.add_argument("--threads", type=int, default=0, help="cores to use (default: all)")
    ap.add_argument("--timeout", type=int, default=1800, help="seconds before a run is stopped")
    ap.add_argument("--no-score", action="store_true", help="skip scoring (reads dossier.json)")
    ap.add_argument("--dossier", default=str(ROOT / "target" / "release" / "dossier"))
    args = ap.parse_args()
    if not pathlib.Path(args.dossier).exists():
        sys.exit(f"no dossier binary at {args.dossier}: run `cargo build --release` first")
    cores = args.threads or os.cpu_count()
    print(f"dossier build, --no-entities --no-claims, {cores} cores\n")
    print("| reports | kind | wall s | reports/s | CPU s | peak RSS MiB | stories | largest "
          "| pairwise P / R / F1 | B-cubed F1 |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|---|---:|")
    for total in args.reports:
        for kind in args.kind:
            with tempfile.TemporaryDirectory() as tmp:
                pile = os.path.join(tmp, "pile.jsonl")
                gold = write_pile(pile, total, kind)
                out = os.path.join(tmp, "out")
                result = run(args.dossier, pile, out, args.threads, args.timeout)
                if result is None:
                    print(f"| {total:,} | {kind} | > {args.timeout} (stopped) | | | | | | | |",
                          flush=True)
                    continue
                wall, cpu, rss = result
                row = f"| {total:,} | {kind} | {wall:.1f} | {total / wall:,.0f} | {cpu:.1f} | {rss:,.0f}"
                if args.no_score:
                    row += " | | | | |"
                else:
                    stories, largest, p, r, f1, bf = score(out, gold)
                    row += (f" | {stories:,} | {largest:,} | {p:.3f} / {r:.3f} / {f1:.3f} "
                            f"| {bf:.3f} |")
                print(row, flush=True)


if __name__ == "__main__":
    main()
