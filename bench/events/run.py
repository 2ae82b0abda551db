#!/usr/bin/env python3
"""Stories as events: dossier's grouping beside a tf-idf average-link peer on three gold sets.

    cargo build --release -p dossier-cli && cargo build --release -p dossier --example stream_replay
    python3 bench/events/run.py [--sets ecb uci duc agree live] [--no-encoder] [--events-model-dir DIR]
        [--former-dir DIR] [--former FILE] [--live N] [--dump FILE]

- ECB+ dev (`../shared/data/ecbplus/dev.jsonl`, 22 topics, two events each; gold = `subtopic`):
  the topics sorted and alternated into two halves; each half is one pile through `dossier build
  --no-entities --no-claims`. Whatever is learnt (the peer's threshold; dossier's event model when
  `--events-model-dir` holds `half0.json` and `half1.json`, see bench/events/README.md) is learnt
  on the other half.
- UCI dev (`../shared/data/uci-headlines/dev.csv`): each story-disjoint half (`stream_replay
  --half`, sorted story ids alternated) and the whole file replayed through the service's engine
  in batches of 10 in timestamp order (bench/stream); the peer's threshold is chosen on the
  other half.
- DUC 2004 dev (`../shared/data/duc2004/dev.jsonl`, 25 clusters of 10): cluster-disjoint halves
  (sorted cluster names alternated), each one pile through `dossier build --no-entities
  --no-claims` (bench/build), and the whole pile.

- `--former-dir DIR`: adds the learnt story former's rows (`stream::former`), `DIR/halfH.json`
  written by `dossier-train former --half H` (learnt on half H of ECB+, DUC and UCI together),
  each half scored with the other half's weights: ECB+ and DUC through `dossier build
  --former` (with the final pass), UCI through the engine replay (`stream_replay --former`, encoder);
  the whole DUC pile with `DIR/noduc.json` (`dossier-train former --without duc`) when present.
- `--sets agree`: `dossier build` (the service's story former replayed over the pile in date
  order, then its final pass) beside `dossier serve --no-entities --no-claims` fed the same reports in
  the same order in batches of 10, on ECB+ dev, DUC dev and UCI dev (dated headlines, time
  order): the two paths' pairwise agreement and each one's scores; with `--former FILE`, both
  form stories by that learnt former.
- `--sets live`: a worst case for the service: 1,660 undated articles (ECB+ dev, DUC dev and
  PolNeAR dev, `../shared/data/polnear/dev.jsonl.gz`, shuffled with seed 1), all live at once,
  posted to `dossier serve --no-entities --no-claims` in batches of 10: reports/s, and the
  stories beside `dossier build` of the same pile in the same order (agreement).
  `--live N` takes the first N of the shuffled articles.

Scores: pairwise (pair-counting) P/R/F1 and B-cubed F1. reports/s is the whole process (start-up
included) for build, the engine replay for the stream, and the clustering alone for the peer.
The peer is tf-idf (raw tf, smoothed idf, L2; lower-cased words, English stopwords dropped, as
scikit-learn's TfidfVectorizer(stop_words="english")) with average-link agglomeration on cosine,
cut at the threshold that maximises pairwise F1 on the training half (grid 0.01 to 0.60).
"""

import argparse
import collections
import heapq
import json
import math
import os
import pathlib
import re
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parents[2]
DATA = ROOT.parent / "shared" / "data"
TARGET = pathlib.Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target")) / "release"

# scikit-learn's English stop words (ENGLISH_STOP_WORDS), the peer's usual setting.
STOP = set("""a about above across after afterwards again against all almost alone along already also
although always am among amongst amoungst amount an and another any anyhow anyone anything anyway
anywhere are around as at back be became because become becomes becoming been before beforehand
behind being below beside besides between beyond bill both bottom but by call can cannot cant co con
could couldnt cry de describe detail do done down due during each eg eight either eleven else
elsewhere empty enough etc even ever every everyone everything everywhere except few fifteen fifty
fill find fire first five for former formerly forty found four from front full further get give go
had has hasnt have he hence her here hereafter hereby herein hereupon hers herself him himself his
how however hundred i ie if in inc indeed interest into is it its itself keep last latter latterly
least less ltd made many may me meanwhile might mill mine more moreover most mostly move much must
my myself name namely neither never nevertheless next nine no nobody none noone nor not nothing now
nowhere of off often on once one only onto or other others otherwise our ours ourselves out over own
part per perhaps please put rather re same see seem seemed seeming seems serious several she should
show side since sincere six sixty so some somehow someone something sometime sometimes somewhere
still such system take ten than that the their them themselves then thence there thereafter thereby
therefore therein thereupon these they thick thin third this those though three through throughout
thru thus to together too top toward towards twelve twenty two un under until up upon us very via
was we well were what whatever when whence whenever where whereafter whereas whereby wherein
whereupon wherever whether which while whither who whoever whole whom whose why will with within
without would yet you your yours yourself yourselves""".split())
WORD = re.compile(r"(?u)\b\w\w+\b")


# ---------------------------------------------------------------- scores

def scores(gold, predicted):
    """Pairwise and B-cubed P/R/F1 of `predicted` (id -> cluster) against `gold` (id -> cluster)."""
    ids = list(gold)
    cell = collections.Counter((gold[i], predicted.get(i, "unread:" + i)) for i in ids)
    g = collections.Counter(gold[i] for i in ids)
    p = collections.Counter(predicted.get(i, "unread:" + i) for i in ids)
    pairs = lambda c: sum(n * (n - 1) / 2 for n in c.values())
    tp, gp, pp = pairs(cell), pairs(g), pairs(p)
    prec = tp / pp if pp else 1.0
    rec = tp / gp if gp else 1.0
    bp = sum(n * n / p[k[1]] for k, n in cell.items()) / len(ids)
    br = sum(n * n / g[k[0]] for k, n in cell.items()) / len(ids)
    f = lambda a, b: 2 * a * b / (a + b) if a + b else 0.0
    return {"P": prec, "R": rec, "F1": f(prec, rec), "B3": f(bp, br), "stories": len(p)}


# ---------------------------------------------------------------- the peer

def tfidf(texts):
    counts = [collections.Counter(w for w in WORD.findall(t.lower()) if w not in STOP) for t in texts]
    df = collections.Counter(w for c in counts for w in c)
    n = len(texts)
    vectors = []
    for c in counts:
        v = {w: tf * (math.log((1 + n) / (1 + df[w])) + 1) for w, tf in c.items()}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        vectors.append({w: x / norm for w, x in v.items()})
    return vectors


def dendrogram(texts, floor=0.01):
    """Average-link merges (height, a, b) down to `floor`, highest first; a cut at t applies the
    merges of height >= t (average link has no inversions)."""
    vectors = tfidf(texts)
    postings = collections.defaultdict(list)
    for i, v in enumerate(vectors):
        for w, x in v.items():
            postings[w].append((i, x))
    sums = [collections.defaultdict(float) for _ in texts]
    for plist in postings.values():
        for a in range(len(plist)):
            i, x = plist[a]
            for j, y in plist[a + 1:]:
                sums[i][j] += x * y
                sums[j][i] += x * y
    size = [1] * len(texts)
    alive = [True] * len(texts)
    heap = [(-s, i, j) for i in range(len(texts)) for j, s in sums[i].items() if i < j and s >= floor]
    heapq.heapify(heap)
    merges = []
    while heap:
        neg, a, b = heapq.heappop(heap)
        if not (alive[a] and alive[b]):
            continue
        mean = sums[a].get(b, 0.0) / (size[a] * size[b])
        if abs(mean + neg) > 1e-12:
            continue
        merges.append((mean, a, b))
        alive[b] = False
        size[a] += size[b]
        for o, s in sums[b].items():
            if o == a:
                continue
            sums[a][o] += s
            sums[o][a] = sums[o].get(a, 0.0) + sums[o].pop(b, 0.0)
        sums[a].pop(b, None)
        sums[b] = {}
        for o, s in sums[a].items():
            m = s / (size[a] * size[o])
            if m >= floor:
                heapq.heappush(heap, (-m, min(a, o), max(a, o)))
    return merges


def cut(n, merges, threshold):
    parent = list(range(n))

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x
    for h, a, b in merges:
        if h < threshold:
            break
        parent[find(b)] = find(a)
    return [find(i) for i in range(n)]


GRID = [round(0.01 * k, 2) for k in range(1, 61)]


def peer_on_halves(halves):
    """halves: two lists of (id, gold, text). The threshold is chosen on one half, scored on the other."""
    fitted = []
    for docs in halves:
        start = time.perf_counter()
        merges = dendrogram([t for _, _, t in docs])
        took = time.perf_counter() - start
        gold = {i: g for i, g, _ in docs}
        by_t = {t: scores(gold, {d[0]: str(c) for d, c in zip(docs, cut(len(docs), merges, t))}) for t in GRID}
        fitted.append((by_t, len(docs) / took))
    rows = []
    for h in (0, 1):
        train, test = fitted[1 - h][0], fitted[h][0]
        best = max(GRID, key=lambda t: (train[t]["F1"], -t))
        rows.append((f"half {h}", f"peer, threshold {best:.2f} (from half {1 - h})", test[best], fitted[h][1]))
    return rows


# ---------------------------------------------------------------- dossier

def build(dossier, docs, extra=()):
    """docs: (id, gold, text); one pile through `dossier build`; returns (scores, reports/s)."""
    with tempfile.TemporaryDirectory() as tmp:
        pile = os.path.join(tmp, "pile.jsonl")
        with open(pile, "w") as out:
            for d in docs:
                out.write(json.dumps(report_line(d)) + "\n")
        start = time.perf_counter()
        run = subprocess.run([dossier, "build", pile, "--out", os.path.join(tmp, "out"), "--quiet",
                              "--no-entities", "--no-claims", *extra], capture_output=True, text=True)
        took = time.perf_counter() - start
        if run.returncode != 0:
            sys.exit(f"dossier build failed:\n{run.stderr}")
        with open(os.path.join(tmp, "out", "dossier.json")) as f:
            d = json.load(f)
    predicted = {r: s["id"] for s in d["stories"] for r in s["reports"]}
    return scores({d[0]: d[1] for d in docs}, predicted), len(docs) / took, predicted


def agreement(a, b):
    """Pairwise F1 of partition `b` against partition `a` (id -> cluster, same ids): 1.0 when the
    two group every pair alike."""
    return scores(a, b)["F1"]


def serve_replay(dossier, docs, extra=(), batch=10):
    """docs: (id, gold, text[, published]); posted to a fresh `dossier serve --no-entities
    --no-claims` in batches of `batch`, each analysed before the next is posted (as the engine
    replay of bench/stream); returns id -> story and reports/s."""
    with tempfile.TemporaryDirectory() as work:
        log = open(os.path.join(work, "log"), "w+")
        server = subprocess.Popen([dossier, "serve", "--data", os.path.join(work, "data"), "--listen",
                                   "127.0.0.1:0", "--max-queue", str(10**9), "--no-entities", "--no-claims", *extra],
                                  stderr=log)
        try:
            base = None
            for _ in range(1200):
                log.seek(0)
                m = re.search(r"serving (http://[0-9.:]+)", log.read())
                if m:
                    base = m.group(1)
                    break
                time.sleep(0.1)
            if not base:
                sys.exit("dossier serve did not start:\n" + open(os.path.join(work, "log")).read())
            start = time.perf_counter()
            for at in range(0, len(docs), batch):
                body = "\n".join(json.dumps(report_line(d)) for d in docs[at:at + batch]).encode()
                urllib.request.urlopen(urllib.request.Request(base + "/reports", data=body, method="POST"))
                while json.load(urllib.request.urlopen(base + "/health"))["queued"] > 0:
                    time.sleep(0.02)
            took = time.perf_counter() - start
            story = {}
            for d in docs:
                got = json.load(urllib.request.urlopen(base + "/reports/" + urllib.parse.quote(d[0], safe="")))
                story[d[0]] = got.get("story", "unread:" + d[0])
            return story, len(docs) / took
        finally:
            server.terminate()
            server.wait()


def report_line(d):
    """A pile's JSON line for (id, gold, text[, published])."""
    line = {"id": d[0], "text": d[2]}
    if len(d) > 3 and d[3]:
        line["published"] = d[3]
    return line


def halves_of(docs, key):
    """Two halves of docs (id, gold, text), the sorted values of `key` alternated."""
    keys = sorted({key(d) for d in docs})
    return [[d for d in docs if keys.index(key(d)) % 2 == h] for h in (0, 1)]


# ---------------------------------------------------------------- data sets

def ecb_docs():
    docs = []
    with open(DATA / "ecbplus" / "dev.jsonl") as f:
        for line in f:
            d = json.loads(line)
            lines = d["text"].split("\n")
            # Sentence 0 of an ECB+ (`ecbplus`) document is its source URL, which the ECB ones lack:
            # kept, it would tell the two events apart by a quirk of the corpus.
            if d["doc_id"].endswith("ecbplus") and d["sent_ids"][:1] == [0]:
                lines = lines[1:]
            docs.append((d["doc_id"], d["subtopic"], "\n".join(lines), d["topic"]))
    return docs


def duc_docs():
    docs = []
    with open(DATA / "duc2004" / "dev.jsonl") as f:
        for line in f:
            c = json.loads(line)
            for n, t in enumerate(c["docs"]):
                docs.append((f"{c['cluster']}-{n}", c["cluster"], t))
    return docs


def uci_docs(dated=False):
    """(id, gold, headline[, published]); with `dated`, in time order (ties in file order) and
    with the time, as the engine replay reads them (`stream::data`: ids prefixed `uci-`)."""
    import csv
    import datetime
    with open(DATA / "uci-headlines" / "dev.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    if not dated:
        return [(r["ID"], r["STORY"], r["TITLE"]) for r in rows]
    rows.sort(key=lambda r: int(r["TIMESTAMP"]))
    when = lambda r: datetime.datetime.fromtimestamp(int(r["TIMESTAMP"]) / 1000, datetime.timezone.utc).isoformat()
    return [("uci-" + r["ID"], r["STORY"], r["TITLE"], when(r)) for r in rows]


# ---------------------------------------------------------------- sets

def ecb(args):
    docs = ecb_docs()
    halves = halves_of([d[:3] + (d[3],) for d in docs], key=lambda d: d[3])
    halves = [[d[:3] for d in h] for h in halves]
    rows = []
    for h, half in enumerate(halves):
        s, rate, _ = build(args.dossier, half)
        rows.append((f"half {h}", "dossier build", s, rate))
        if args.events_model_dir:
            model = os.path.join(args.events_model_dir, f"half{1 - h}.json")
            s, rate, _ = build(args.dossier, half, ["--events-model", model])
            rows.append((f"half {h}", f"dossier build --events-model (from half {1 - h})", s, rate))
        rows += former_rows(args, half, h)
    rows += peer_on_halves(halves)
    return rows


def former_rows(args, docs, h):
    """The learnt former on half `h` of a pile, with the weights learnt on the other half."""
    if not args.former_dir:
        return []
    model = os.path.join(args.former_dir, f"half{1 - h}.json")
    s, rate, _ = build(args.dossier, docs, ["--former", model])
    return [(f"half {h}", f"dossier build --former (from half {1 - h})", s, rate)]


def replay_rows(args, h, extra, label):
    """The engine replay of UCI half `h` (or the whole file) with `extra` options."""
    part = "whole" if h is None else f"half {h}"
    cmd = [str(TARGET / "examples" / "stream_replay"), str(DATA / "uci-headlines" / "dev.csv"),
           "--batch", "10", *([] if h is None else ["--half", str(h)]), *extra]
    if args.no_encoder:
        cmd.append("--no-encoder")
    run = subprocess.run(cmd, capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit(f"stream_replay failed:\n{run.stderr}")
    rows = []
    for line in run.stdout.splitlines():
        m = re.search(r"(\w+): (\d+) stories .*pairwise P ([\d.]+) R ([\d.]+) F1 ([\d.]+), "
                      r"B-cubed P [\d.]+ R [\d.]+ F1 ([\d.]+), [\d.]+s \((\d+) reports/s\)", line)
        if m and m.group(1) == "incremental":
            s = {"stories": int(m.group(2)), "P": float(m.group(3)), "R": float(m.group(4)),
                 "F1": float(m.group(5)), "B3": float(m.group(6))}
            rows.append((part, label + (", words only" if args.no_encoder else ", encoder"), s,
                         float(m.group(7))))
    return rows


def uci(args):
    rows = []
    dated = halves_of(uci_docs(dated=True), key=lambda d: d[1])
    for h in (0, 1, None):
        shipped = str(ROOT / "crates" / "dossier" / "models" / "former.json")
        rows += replay_rows(args, h, ["--former", shipped], "engine, shipped former (serve)")
        rows += replay_rows(args, h, [], "engine, gates (serve --gates)")
        # The same headlines as a pile in time order, words alone (a pile has no embeddings).
        pile = uci_docs(dated=True) if h is None else dated[h]
        s, rate, _ = build(args.dossier, pile)
        rows.append(("whole" if h is None else f"half {h}", "dossier build (a pile, words only)", s, rate))
        if args.former_dir and h is not None:
            model = os.path.join(args.former_dir, f"half{1 - h}.json")
            rows += replay_rows(args, h, ["--former", model], f"engine --former (from half {1 - h})")
            s, rate, _ = build(args.dossier, pile, ["--former", model])
            rows.append((f"half {h}", f"dossier build --former (from half {1 - h})", s, rate))
    rows += peer_on_halves(halves_of(uci_docs(), key=lambda d: d[1]))
    return rows


def duc(args):
    docs = duc_docs()
    halves = halves_of(docs, key=lambda d: d[1])
    rows = []
    variants = [("dossier build", [])]
    if args.events_model_dir:
        # The shipped model is learnt on ECB+ alone: DUC is unseen data for it.
        variants.append(("dossier build --events (learnt on ECB+ dev)", ["--events"]))
    for label, extra in variants:
        for h, half in enumerate(halves):
            s, rate, _ = build(args.dossier, half, extra)
            rows.append((f"half {h}", label, s, rate))
    for h, half in enumerate(halves):
        rows += former_rows(args, half, h)
    rows += peer_on_halves(halves)
    for label, extra in variants:
        s, rate, _ = build(args.dossier, docs, extra)
        rows.append(("whole", label, s, rate))
    unseen = args.former_dir and os.path.join(args.former_dir, "noduc.json")
    if unseen and os.path.exists(unseen):
        s, rate, _ = build(args.dossier, docs, ["--former", unseen])
        rows.append(("whole", "dossier build --former (learnt without DUC)", s, rate))
    return rows


def agree(args):
    """`dossier build` beside `dossier serve` fed the same reports in the same order
    (batches of 10), both on words alone: their agreement, and each against the gold."""
    sets = [("ECB+ dev", [d[:3] for d in ecb_docs()]), ("DUC dev", duc_docs()),
            ("UCI dev", uci_docs(dated=True))]
    rows = []
    for name, docs in sets:
        former = ["--former", args.former] if args.former else []
        built_scores, build_rate, built = build(args.dossier, docs, former)
        served, serve_rate = serve_replay(args.dossier, docs, former)
        gold = {d[0]: d[1] for d in docs}
        served_scores = scores(gold, served)
        rows.append((name, built_scores, build_rate, served_scores, serve_rate,
                     agreement(built, served)))
    print("\nbuild beside serve (same reports, same order, words alone)")
    print(f"{'set':<9} {'build P/R/F1, B3':<28} {'rep/s':>6} {'serve P/R/F1, B3':<28} {'rep/s':>6} "
          f"{'agreement':>9}")
    cell = lambda s: f"{s['P']:.3f}/{s['R']:.3f}/{s['F1']:.3f}, {s['B3']:.3f} ({s['stories']})"
    for name, b, br, v, vr, a in rows:
        print(f"{name:<9} {cell(b):<28} {br:>6.0f} {cell(v):<28} {vr:>6.0f} {a:>9.3f}")
    return []


def live_docs(n):
    """(id, gold, text): ECB+ dev, DUC dev and PolNeAR dev articles (gold: its own id), shuffled
    with seed 1; the first `n`."""
    import gzip
    import random
    docs = [d[:3] for d in ecb_docs()] + duc_docs()
    with gzip.open(DATA / "polnear" / "dev.jsonl.gz", "rt") as f:
        for line in f:
            d = json.loads(line)
            docs.append((d["doc_id"], "p" + d["doc_id"], d["text"]))
    random.Random(1).shuffle(docs)
    return docs[:n]


def live(args):
    """Every article live at once in the service (no dates, so no window closes): its reports/s,
    and its stories beside a build of the same pile."""
    docs = live_docs(args.live)
    built_scores, build_rate, built = build(args.dossier, docs)
    served, rate = serve_replay(args.dossier, docs)
    stories = len(set(served.values()))
    print(f"\n{len(docs)} undated articles, all live, batches of 10: serve {rate:.1f} reports/s, "
          f"{stories} stories; build {built_scores['stories']} stories "
          f"({build_rate:.0f} reports/s); agreement {agreement(built, served):.3f}")
    if args.dump:
        with open(args.dump, "w") as f:
            json.dump(served, f, indent=0, sort_keys=True)
    return []


def show(name, rows):
    print(f"\n{name}")
    print(f"{'part':<7} {'method':<48} {'stories':>7} {'P':>6} {'R':>6} {'F1':>6} {'B3 F1':>6} {'reports/s':>10}")
    for part, label, s, rate in rows:
        print(f"{part:<7} {label:<48} {s['stories']:>7} {s['P']:>6.3f} {s['R']:>6.3f} {s['F1']:>6.3f} "
              f"{s['B3']:>6.3f} {rate:>10.0f}")
    methods = collections.OrderedDict()
    for part, label, s, _ in rows:
        if part.startswith("half"):
            methods.setdefault(label.split(" (")[0].split(", threshold")[0], []).append(s)
    for label, ss in methods.items():
        if len(ss) == 2:
            mean = lambda k: sum(x[k] for x in ss) / 2
            spread = lambda k: abs(ss[0][k] - ss[1][k])
            print(f"{'mean':<7} {label:<48} {'':>7} {mean('P'):>6.3f} {mean('R'):>6.3f} {mean('F1'):>6.3f} "
                  f"{mean('B3'):>6.3f}   (F1 spread {spread('F1'):.3f})")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sets", nargs="+", default=["ecb", "uci", "duc"], choices=["ecb", "uci", "duc", "agree", "live"])
    ap.add_argument("--dossier", default=str(TARGET / "dossier"))
    ap.add_argument("--no-encoder", action="store_true", help="UCI: the engine on words alone")
    ap.add_argument("--events-model-dir", help="half0.json / half1.json from `dossier-train events --half`: "
                    "adds the event model's rows (ECB+ with the other half's; DUC with the shipped one)")
    ap.add_argument("--former-dir", help="half0.json / half1.json (and noduc.json) from `dossier-train former`: "
                    "adds the learnt former's rows, each half with the other half's weights")
    ap.add_argument("--former", help="--sets agree: both paths form stories by this learnt former")
    ap.add_argument("--live", type=int, default=1660, help="--sets live: how many articles")
    ap.add_argument("--dump", help="--sets live: write the service's story of each report here (JSON)")
    args = ap.parse_args()
    if not pathlib.Path(args.dossier).exists():
        sys.exit(f"no dossier binary at {args.dossier}: run `cargo build --release -p dossier-cli` first")
    names = {"ecb": "ECB+ dev (22 topics, 44 events, 486 documents): build by topic halves",
             "uci": "UCI dev headlines (44 stories): engine, batches of 10, timestamp order, story halves and whole",
             "duc": "DUC 2004 dev (25 clusters, 250 documents): build by cluster halves and whole"}
    for s in args.sets:
        rows = globals()[s](args)
        if rows:
            show(names[s], rows)


if __name__ == "__main__":
    main()
