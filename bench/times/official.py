#!/usr/bin/env python3
"""Score `dossier times` with the official TempEval-3 toolkit (UzZaman et al. 2013), beside
bench/times/run.py's own scorer, to check that the two agree.

The toolkit is not part of this repository. It is `TE3-evaluation.py` with its
`TimeML-Normalizer` (Java) and `evaluation-entities/`, as published by the TempEval-3
organisers; one public copy is the `temporal-normalizer/tools` folder of CogComp/cogcomp-nlp
(commit 345a392c). It needs Java and Python 2.

    python3 bench/times/official.py --toolkit DIR [--python2 CMD] [--folds 1,2,3,4]

This writes each document of the chosen folds twice as TimeML (the gold TIMEX3 and ours, over
the same text, with the creation date as `t0`), runs the toolkit on the two folders and prints
its timex lines, then run.py's figures over the same documents. Fold 5 is left out unless named.
"""
import argparse
import html
import json
import os
import shlex
import subprocess
import sys
import tempfile

import importlib.util

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("times_run", os.path.join(HERE, "run.py"))
run = importlib.util.module_from_spec(spec)
spec.loader.exec_module(run)


def timeml(doc_id, dct, text, timexes):
    """The document as a TimeML file: the text with the TIMEX3 tags put in at their offsets."""
    out, at = [], 0
    for k, t in enumerate(sorted(timexes, key=lambda t: (t["start"], t["end"]))):
        if t["start"] < at:
            continue  # TimeML tags cannot overlap: an overlapping one is dropped (counted below)
        out.append(html.escape(text[at:t["start"]], quote=False))
        attrs = f'tid="t{k + 1}" type="{t["type"]}" value="{html.escape(t["value"])}"'
        out.append(f"<TIMEX3 {attrs}>{html.escape(text[t['start']:t['end']], quote=False)}</TIMEX3>")
        at = t["end"]
    out.append(html.escape(text[at:], quote=False))
    return (
        '<?xml version="1.0" ?>\n<TimeML>\n'
        f"<DOCID>{html.escape(doc_id)}</DOCID>\n"
        f'<DCT><TIMEX3 tid="t0" type="DATE" value="{dct}" temporalFunction="false" '
        f'functionInDocument="CREATION_TIME">{dct}</TIMEX3></DCT>\n'
        f"<TEXT>\n{''.join(out)}\n</TEXT>\n</TimeML>\n"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--toolkit", required=True, help="the folder holding TE3-evaluation.py")
    parser.add_argument("--python2", default="python2", help="how to run Python 2")
    parser.add_argument("--bin", default=run.DEFAULT_BIN, help="the dossier binary")
    parser.add_argument("--data", default=run.DEFAULT_DATA, help="TempEval-3 JSON Lines gold")
    parser.add_argument("--folds", default="1,2,3,4", help="folds to score (fold 5 is held out)")
    args = parser.parse_args()
    wanted = {int(k) for k in args.folds.split(",")}
    with open(args.data, encoding="utf-8") as f:
        docs = [json.loads(line) for line in f if line.strip()]
    fold = run.folds_of(docs)
    docs = [d for d in docs if fold[d["doc_id"]] in wanted]
    pred = run.tag(args.bin, docs, repeat=1)[0]
    work = tempfile.mkdtemp(prefix="te3-")
    for side in ("gold", "system"):
        os.makedirs(os.path.join(work, side))
    for d in docs:
        ours = pred.get(d["doc_id"], {"timex": []})["timex"]
        for side, timexes in (("gold", d["timex"]), ("system", ours)):
            with open(os.path.join(work, side, d["doc_id"] + ".tml"), "w", encoding="utf-8") as f:
                f.write(timeml(d["doc_id"], d["dct"], d["text"], timexes))
    toolkit = os.path.abspath(args.toolkit)
    command = shlex.split(args.python2) + [
        "TE3-evaluation.py", os.path.join(work, "gold"), os.path.join(work, "system"), "0",
    ]
    out = subprocess.run(command, cwd=toolkit, capture_output=True, text=True)
    lines = out.stdout.splitlines()
    start = next((i for i, line in enumerate(lines) if "Timex Performance" in line), None)
    if start is None:
        sys.exit(f"the toolkit printed no timex figures:\n{out.stdout[-3000:]}\n{out.stderr[-3000:]}")
    print(f"official TempEval-3 toolkit, folds {args.folds} ({len(docs)} documents):")
    print("\n".join(lines[start:start + 7]))
    ours = run.score({d["doc_id"]: d for d in docs}, pred, [d["doc_id"] for d in docs])
    print("bench/times/run.py's scorer, the same documents (x 100):")
    for name in ("strict F1", "strict P", "strict R", "relaxed F1", "relaxed P", "relaxed R", "value F1", "type F1"):
        print(f"  {name:<11}{100 * ours[name]:.2f}")
    print(f"(TimeML files in {work})")


if __name__ == "__main__":
    main()
