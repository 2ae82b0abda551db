#!/usr/bin/env python3
"""bench/quotes: `dossier quotes` on PolNeAR beside the quotation-mark baseline.

    python3 bench/quotes/run.py [--data ../shared/data/polnear/dev.jsonl.gz] [--split dev]
                                [--bin target/release/dossier]

Scores the documents of one split (default `dev`: nothing was learnt or tuned on it; the cue
lexicon is learnt and its threshold chosen on `train` folds by `dossier-train quotes`).
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from score import opener, score  # noqa: E402

QUOTE = re.compile(r"[“\"][^”\"\n]+[”\"]")
NAME = r"(?:[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*)*|[Hh]e|[Ss]he|[Tt]hey)"
SAID = r"(?:said|says|told|added)"
AFTER = [re.compile(r"^\W{0,3}\s*" + SAID + r"\s+(" + NAME + ")"), re.compile(r"^\W{0,3}\s*(" + NAME + r")\s+" + SAID)]
BEFORE = re.compile(r"(" + NAME + r")\s+" + SAID + r"\W{0,3}\s*$")


def baseline(text):
    """Quoted stretches, each with the name next to a `said` beside it, if any."""
    out = []
    for m in QUOTE.finditer(text):
        source = None
        after = text[m.end() : m.end() + 80]
        for pattern in AFTER:
            s = pattern.search(after)
            if s:
                source = {"start": m.end() + s.start(1), "end": m.end() + s.end(1)}
                break
        if source is None:
            lead = text[max(0, m.start() - 80) : m.start()]
            s = BEFORE.search(lead)
            if s:
                off = m.start() - len(lead)
                source = {"start": off + s.start(1), "end": off + s.end(1)}
        out.append({"content": {"start": m.start(), "end": m.end()}, "source": source})
    return out


def table(rows):
    keys = [
        ("attribution_f1", "attribution F1 (all)", "all"),
        ("content_p", "content P (all)", "all"),
        ("content_r", "content R (all)", "all"),
        ("content_f1", "content F1 (all)", "all"),
        ("content_r", "direct: content recall", "direct"),
        ("speaker_acc", "direct: speaker accuracy", "direct"),
        ("content_p", "direct: content P", "direct"),
        ("content_f1", "direct: content F1", "direct"),
        ("attribution_f1", "direct: attribution F1", "direct"),
        ("speaker_acc", "speaker accuracy (all)", "all"),
    ]
    names = list(rows)
    print(f"{'':28}" + "".join(f"{n:>16}" for n in names))
    for key, label, part in keys:
        print(f"{label:28}" + "".join(f"{rows[n][part][key]:16.4f}" for n in names))
    print(f"{'documents/s':28}" + "".join(f"{rows[n]['docs_per_s']:16.1f}" for n in names))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default="../shared/data/polnear/dev.jsonl.gz")
    ap.add_argument("--split", default="dev")
    ap.add_argument("--bin", default=os.environ.get("DOSSIER_BIN", "target/release/dossier"))
    a = ap.parse_args()
    with opener(a.data) as f:
        docs = [d for d in map(json.loads, f) if d["split"] == a.split]
    with tempfile.TemporaryDirectory() as tmp:
        inp = os.path.join(tmp, "in.jsonl")
        with open(inp, "w", encoding="utf-8") as f:
            for d in docs:
                f.write(json.dumps({"doc_id": d["doc_id"], "text": d["text"], "title": d["title"]}) + "\n")
        rows = {}
        pred = os.path.join(tmp, "dossier.jsonl")
        start = time.perf_counter()
        with open(pred, "w") as out:
            subprocess.run([a.bin, "quotes", inp], stdout=out, check=True)
        took = time.perf_counter() - start
        rows["dossier"] = run_scores(a, pred, len(docs) / took)
        base = os.path.join(tmp, "baseline.jsonl")
        start = time.perf_counter()
        with open(base, "w", encoding="utf-8") as out:
            for d in docs:
                out.write(json.dumps({"doc_id": d["doc_id"], "attributions": baseline(d["text"])}) + "\n")
        took = time.perf_counter() - start
        rows["quote regex"] = run_scores(a, base, len(docs) / took)
    n = sum(len(d["attributions"]) for d in docs)
    print(f"PolNeAR {a.split}: {len(docs)} documents, {n} gold attributions")
    table(rows)


def run_scores(a, pred, docs_per_s):
    return {
        "all": score(a.data, pred, False, a.split),
        "direct": score(a.data, pred, True, a.split),
        "docs_per_s": docs_per_s,
    }


if __name__ == "__main__":
    main()
