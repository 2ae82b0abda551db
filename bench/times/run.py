#!/usr/bin/env python3
"""Time expressions on TempEval-3 (TimeBank + AQUAINT dev part): `dossier times` scored with the
TempEval-3 task A measures, per fold of documents.

The 256 documents are split into 5 folds by document: sorted by doc_id, the i-th goes to fold
i % 5 + 1. The rules were developed looking only at folds 1-4; fold 5 is the held-out figure,
and the spread over folds 1-4 is printed beside it.

    python3 bench/times/run.py                   # release binary, ../shared/data/tempeval3/dev.jsonl
    python3 bench/times/run.py --bin PATH --data FILE
    python3 bench/times/run.py --tuning          # folds 1-4 only: the held-out fold is not scored

Score with --tuning while changing the rules, and the held-out fold once at the end
(bench/times/errors.py lists the errors of folds 1-4 by bucket).

Measures (as the TempEval-3 scorer defines them): a predicted TIMEX3 matches a gold one
strictly when the character spans are equal, relaxed when they overlap (one to one, an exact
match preferred); P, R and F1 over those matches; value F1 = relaxed F1 x the share of relaxed
matches whose value is exactly the gold value (type F1 likewise with the type).
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEFAULT_DATA = os.path.join(ROOT, "..", "shared", "data", "tempeval3", "dev.jsonl")
DEFAULT_BIN = os.path.join(
    os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target")), "release", "dossier"
)
FOLDS = 5
HELD_OUT = 5


def folds_of(docs):
    ids = sorted(d["doc_id"] for d in docs)
    return {doc_id: i % FOLDS + 1 for i, doc_id in enumerate(ids)}


def match(gold, pred):
    """One-to-one overlap matches, each prediction taking an exact gold span when there is
    one, else the first overlapping gold span not yet taken: [(gold, pred, exact)]."""
    taken, pairs = set(), []
    for p in pred:
        best = None
        for k, g in enumerate(gold):
            if k in taken or g["end"] <= p["start"] or p["end"] <= g["start"]:
                continue
            exact = (g["start"], g["end"]) == (p["start"], p["end"])
            if best is None or exact:
                best = (k, exact)
                if exact:
                    break
        if best is not None:
            taken.add(best[0])
            pairs.append((gold[best[0]], p, best[1]))
    return pairs


def score(gold_docs, pred_docs, ids):
    n_gold = n_pred = strict = relaxed = value = kind = 0
    for doc_id in ids:
        gold = gold_docs[doc_id]["timex"]
        pred = pred_docs.get(doc_id, {"timex": []})["timex"]
        n_gold += len(gold)
        n_pred += len(pred)
        for g, p, exact in match(gold, pred):
            relaxed += 1
            strict += exact
            value += g["value"] == p["value"]
            kind += g["type"] == p["type"]
    f1 = lambda tp: 2 * tp / (n_gold + n_pred) if n_gold + n_pred else 0.0
    relaxed_f1 = f1(relaxed)
    return {
        "strict P": strict / n_pred if n_pred else 0.0,
        "strict R": strict / n_gold if n_gold else 0.0,
        "strict F1": f1(strict),
        "relaxed P": relaxed / n_pred if n_pred else 0.0,
        "relaxed R": relaxed / n_gold if n_gold else 0.0,
        "relaxed F1": relaxed_f1,
        "value F1": relaxed_f1 * value / relaxed if relaxed else 0.0,
        "type F1": relaxed_f1 * kind / relaxed if relaxed else 0.0,
        "gold": n_gold,
    }


def tag(binary, docs, repeat):
    """`dossier times` over the documents, dated by their creation date: ({doc_id: output line},
    the fastest of `repeat` runs in seconds)."""
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as tmp:
        for d in docs:
            tmp.write(json.dumps({"doc_id": d["doc_id"], "text": d["text"], "published": d["dct"]}) + "\n")
    try:
        seconds = None
        for _ in range(repeat):
            started = time.perf_counter()
            run = subprocess.run([binary, "times", tmp.name], capture_output=True, text=True)
            elapsed = time.perf_counter() - started
            seconds = elapsed if seconds is None else min(seconds, elapsed)
    finally:
        os.unlink(tmp.name)
    if run.returncode != 0:
        sys.exit(f"dossier times failed:\n{run.stderr}")
    return {d["doc_id"]: d for d in map(json.loads, run.stdout.splitlines())}, seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", default=DEFAULT_BIN, help="the dossier binary")
    parser.add_argument("--data", default=DEFAULT_DATA, help="TempEval-3 JSON Lines gold")
    parser.add_argument("--repeat", type=int, default=3, help="runs timed; the fastest is reported")
    parser.add_argument("--tuning", action="store_true", help="score folds 1-4 only, not the held-out fold")
    args = parser.parse_args()
    if not os.path.exists(args.bin):
        sys.exit(f"no binary at {args.bin}: cargo build --release -p dossier-cli")
    with open(args.data, encoding="utf-8") as f:
        docs = [json.loads(line) for line in f if line.strip()]
    gold = {d["doc_id"]: d for d in docs}
    fold = folds_of(docs)
    pred, seconds = tag(args.bin, docs, args.repeat)

    names = ["strict P", "strict R", "strict F1", "relaxed P", "relaxed R", "relaxed F1", "value F1", "type F1"]
    scored = [k for k in range(1, FOLDS + 1) if not (args.tuning and k == HELD_OUT)]
    rows = [(f"fold {k}", score(gold, pred, [i for i in gold if fold[i] == k])) for k in scored]
    dev = [r for name, r in rows if name != f"fold {HELD_OUT}"]
    print(f"TempEval-3 task A, {len(docs)} documents ({args.data})")
    print(f"{'':<22}" + "".join(f"{n:>11}" for n in names) + f"{'gold':>7}")
    for name, r in rows:
        label = name + (" (held out)" if name == f"fold {HELD_OUT}" else " (developed on)")
        print(f"{label:<22}" + "".join(f"{r[n]:>11.3f}" for n in names) + f"{r['gold']:>7}")
    print(f"{'folds 1-4 mean':<22}" + "".join(f"{statistics.mean(r[n] for r in dev):>11.3f}" for n in names))
    print(f"{'folds 1-4 min':<22}" + "".join(f"{min(r[n] for r in dev):>11.3f}" for n in names))
    print(f"{'folds 1-4 max':<22}" + "".join(f"{max(r[n] for r in dev):>11.3f}" for n in names))
    if not args.tuning:
        print_held_out(dict(rows)[f"fold {HELD_OUT}"])
    print(f"speed: {len(docs)} documents in {seconds:.2f} s, {len(docs) / seconds:.0f} documents/s "
          f"(fastest of {args.repeat} runs of one process, start-up included)")


def print_held_out(held):
    print()
    print("held-out fold against the targets and the published systems (official test set):")
    print(f"  {'':<24}{'strict F1':>10}{'relaxed F1':>11}{'value F1':>10}")
    print(f"  {'dossier, fold 5':<24}{held['strict F1']:>10.3f}{held['relaxed F1']:>11.3f}{held['value F1']:>10.3f}")
    print(f"  {'target':<24}{0.83:>10.3f}{0.91:>11.3f}{0.80:>10.3f}")
    print(f"  {'HeidelTime (TE-3 test)':<24}{0.8134:>10.3f}{0.9030:>11.3f}{0.7761:>10.3f}")
    print(f"  {'SUTime (TE-3 test)':<24}{'':>10}{0.9032:>11.3f}{0.6738:>10.3f}")
    print()


if __name__ == "__main__":
    main()
