#!/usr/bin/env python3
"""PolNeAR attribution scorer, as /work/shared/data/README.md defines it (`polnear/`).

A predicted content matches a gold one when their words overlap with Dice >= 0.5, one-to-one
(pairs taken best Dice first). The speaker is right when the source words overlap with Dice >= 0.5
or one holds the other; a gold without source needs a null source. Words are runs of `\\w`
characters, identified by position in the text; a word belongs to a span it overlaps. `--direct`
keeps only gold attributions (and predictions) with a double quotation mark in the content.

    score.py GOLD.jsonl[.gz] PRED.jsonl [--direct] [--split dev]
"""

import argparse
import gzip
import json
import re
import sys

WORD = re.compile(r"\w+")
QUOTE_MARKS = set('"“”«»')


def opener(path):
    return gzip.open(path, "rt", encoding="utf-8") if path.endswith(".gz") else open(path, encoding="utf-8")


def words_in(words, pieces):
    return frozenset(i for i, (a, b) in enumerate(words) if any(a < e and s < b for s, e in pieces))


def dice(a, b):
    return 2 * len(a & b) / (len(a) + len(b)) if a or b else 0.0


def same_source(gold, pred):
    if gold is None or pred is None:
        return gold is None and pred is None
    return bool(gold) and bool(pred) and (dice(gold, pred) >= 0.5 or gold <= pred or pred <= gold)


def pieces(role):
    return [tuple(s) for s in role["spans"]] if "spans" in role else [(role["start"], role["end"])]


def has_quote(text, role):
    return any(c in QUOTE_MARKS for s, e in pieces(role) for c in text[s:e])


def score_doc(text, gold, pred, direct, tally):
    words = [m.span() for m in WORD.finditer(text)]
    if direct:
        gold = [g for g in gold if has_quote(text, g["content"])]
        pred = [p for p in pred if has_quote(text, p["content"])]
    gc = [words_in(words, pieces(g["content"])) for g in gold]
    pc = [words_in(words, pieces(p["content"])) for p in pred]
    pairs = sorted(
        ((dice(g, p), i, j) for i, g in enumerate(gc) for j, p in enumerate(pc) if dice(g, p) >= 0.5),
        key=lambda x: (-x[0], x[1], x[2]),
    )
    used_g, used_p = set(), set()
    for _, i, j in pairs:
        if i in used_g or j in used_p:
            continue
        used_g.add(i)
        used_p.add(j)
        gs = gold[i]["source"]
        ps = pred[j].get("source")
        gs = None if gs is None else words_in(words, pieces(gs))
        ps = None if ps is None else words_in(words, pieces(ps))
        tally["matched"] += 1
        tally["speaker"] += same_source(gs, ps)
    tally["gold"] += len(gold)
    tally["pred"] += len(pred)


def prf(right, pred, gold):
    p = right / pred if pred else 0.0
    r = right / gold if gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score(gold_path, pred_path, direct=False, split=None):
    preds = {}
    with open(pred_path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                d = json.loads(line)
                preds[d["doc_id"]] = d["attributions"]
    tally = dict(gold=0, pred=0, matched=0, speaker=0)
    with opener(gold_path) as f:
        for line in f:
            d = json.loads(line)
            if split and d.get("split") != split:
                continue
            score_doc(d["text"], d["attributions"], preds.get(d["doc_id"], []), direct, tally)
    cp, cr, cf = prf(tally["matched"], tally["pred"], tally["gold"])
    ap, ar, af = prf(tally["speaker"], tally["pred"], tally["gold"])
    return dict(
        gold=tally["gold"],
        pred=tally["pred"],
        content_p=cp,
        content_r=cr,
        content_f1=cf,
        speaker_acc=tally["speaker"] / tally["matched"] if tally["matched"] else 0.0,
        attribution_p=ap,
        attribution_r=ar,
        attribution_f1=af,
    )


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("gold")
    ap.add_argument("pred")
    ap.add_argument("--direct", action="store_true")
    ap.add_argument("--split", help="score only gold documents of this split (train/dev)")
    a = ap.parse_args()
    json.dump(score(a.gold, a.pred, a.direct, a.split), sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
