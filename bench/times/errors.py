#!/usr/bin/env python3
"""Value errors of `dossier times` on the TempEval-3 folds the rules are developed on (1-4),
sorted into buckets by how the value differs from the gold. Fold 5 (held out) is never read.

    python3 bench/times/errors.py              # the bucket table
    python3 bench/times/errors.py --list       # and every error, with its context

A relaxed match whose value is not the gold value goes to the first bucket that fits:
- part of day: the same day, one side with a time of day (`TNI`, `TEV`, `T09:00`) and the other
  without, or another one;
- unspecified digits: the gold writes digits as X where we give them (`1968-XX`, `1989-WXX`,
  `199X`), or the other way round;
- week written: the same week number, written without its leading zero (`2000-W7`);
- reference or duration: one is `PAST_REF`/`PRESENT_REF`/`FUTURE_REF` and the other is not;
- duration or date: one is a duration (`P...`) and the other a point in time;
- the year before: "a year earlier", "year-ago", "last year" and the like, at another grain
  (quarter, year, month, day) or another quarter;
- same grain, other value: both values have the same form (`9999-99-99`, `9999-W99`...), so the
  anchor or direction was chosen otherwise (split by what the gold text names);
- other grain: everything else (`P100Y` for "this century", `1998-FA` for "days").
Each bucket also counts the errors whose predicted span differs from the gold span, where the
value of a longer or shorter phrase is compared ("a year or two" against "a year").
"""
import argparse
import collections
import importlib.util
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("times_run", os.path.join(HERE, "run.py"))
run = importlib.util.module_from_spec(spec)
spec.loader.exec_module(run)

WEEKDAY = re.compile(r"(?i)\b(?:mon|tues|wednes|thurs|fri|satur|sun)day")
MONTH = re.compile(
    r"(?i)\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?(?:\s+\d|\b)"
)
YEAR_BEFORE = re.compile(r"(?i)\byear[\s-]+(?:earlier|ago)|\blast\s+year|\b(?:19|20)\d\d\s+period")
REF = re.compile(r"^(?:PAST|PRESENT|FUTURE)_REF$")


def form(value):
    return re.sub(r"\d", "9", value)


def time_of_day(value):
    m = re.match(r"^(\d{4}-\d\d-\d\d)(T.*)?$", value)
    return (m.group(1), m.group(2)) if m else None


def bucket(gold_text, gold, ours):
    g, o = time_of_day(gold), time_of_day(ours)
    if g and o and g[1] != o[1]:
        return "part of day (TNI/TEV/clock vs bare date)"
    if ("X" in gold) != ("X" in ours) and not gold.startswith("P") and not ours.startswith("P"):
        return "unspecified digits (1968-XX, 1989-WXX, 199X)"
    if re.sub(r"W0(\d)", r"W\1", ours) == gold:
        return "week written without its zero (2000-W7)"
    if bool(REF.match(gold)) != bool(REF.match(ours)):
        return "PAST/PRESENT/FUTURE_REF vs another value"
    if gold.startswith("P") != ours.startswith("P"):
        return "duration vs point in time"
    if YEAR_BEFORE.search(gold_text):
        return "the year before: other grain or quarter"
    if form(gold) == form(ours):
        if WEEKDAY.search(gold_text):
            return "same grain, other value: weekday"
        if MONTH.search(gold_text):
            return "same grain, other value: month or day without a year"
        return "same grain, other value: other"
    return "other grain"


def tuning_docs(path):
    with open(path, encoding="utf-8") as f:
        docs = [json.loads(line) for line in f if line.strip()]
    fold = run.folds_of(docs)
    return [d for d in docs if fold[d["doc_id"]] != run.HELD_OUT]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", default=run.DEFAULT_BIN, help="the dossier binary")
    parser.add_argument("--data", default=run.DEFAULT_DATA, help="TempEval-3 JSON Lines gold")
    parser.add_argument("--list", action="store_true", help="print every error with its context")
    args = parser.parse_args()
    if not os.path.exists(args.bin):
        sys.exit(f"no binary at {args.bin}: cargo build --release -p dossier-cli")
    docs = tuning_docs(args.data)
    pred = run.tag(args.bin, docs, repeat=1)[0]
    counts, spans, matches, errors = collections.Counter(), collections.Counter(), 0, []
    for d in docs:
        text = d["text"]
        for g, p, exact in run.match(d["timex"], pred.get(d["doc_id"], {"timex": []})["timex"]):
            matches += 1
            if g["value"] == p["value"]:
                continue
            b = bucket(g["text"], g["value"], p["value"])
            counts[b] += 1
            spans[b] += not exact
            errors.append((b, d, g, p))
    print(f"value errors on folds 1-4: {len(errors)} of {matches} relaxed matches")
    print(f"  {'bucket':<56}{'errors':>7}{'span differs':>14}")
    for b, n in counts.most_common():
        print(f"  {b:<56}{n:>7}{spans[b]:>14}")
    if args.list:
        for b, d, g, p in sorted(errors, key=lambda e: e[0]):
            text = d["text"]
            context = (text[max(0, g["start"] - 80):g["start"]] + "[[" + g["text"] + "]]"
                       + text[g["end"]:g["end"] + 40]).replace("\n", " ")
            print(f"{b} | {d['doc_id']} {d['dct']} | gold {g['value']} ({g['type']}) | "
                  f"ours {text[p['start']:p['end']]!r} {p['value']} ({p['type']}) | {context}")


if __name__ == "__main__":
    main()
