"""How fast `dossier serve` analyses full news articles: the figure behind --max-queue's default.

Starts a release `dossier serve` over a fresh store, posts the first N PolNeAR development
articles (about 700 words each) in one body, and prints the seconds until the queue is empty.
Extra arguments go to `dossier serve` (e.g. --no-entities --no-claims).

    cargo build --release -p dossier-cli
    python3 bench/serve/drain.py 100                              # with the models
    python3 bench/serve/drain.py 300 --no-entities --no-claims
"""
import gzip, json, os, pathlib, re, subprocess, sys, tempfile, time, urllib.request

ROOT = pathlib.Path(__file__).resolve().parents[2]
DATA = ROOT.parent / "shared" / "data" / "polnear" / "dev.jsonl.gz"
DOSSIER = os.environ.get("DOSSIER", str(ROOT / "target" / "release" / "dossier"))

n = int(sys.argv[1])
extra = sys.argv[2:]
rows = []
for line in gzip.open(DATA, "rt"):
    d = json.loads(line)
    rows.append({"id": d["doc_id"], "title": d["title"], "text": d["text"],
                 "published": d["date"], "source": d["publisher"]})
    if len(rows) == n:
        break
with tempfile.TemporaryDirectory() as work:
    log = open(os.path.join(work, "log"), "w+")
    server = subprocess.Popen([DOSSIER, "serve", "--data", os.path.join(work, "data"),
                               "--listen", "127.0.0.1:0", "--max-queue", str(10**9)] + extra,
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
            sys.exit("server did not start")
        body = "\n".join(json.dumps(r) for r in rows).encode()
        start = time.time()
        urllib.request.urlopen(urllib.request.Request(base + "/reports", data=body, method="POST"))
        while json.load(urllib.request.urlopen(base + "/health"))["queued"] > 0:
            time.sleep(0.5)
        took = time.time() - start
        words = sum(len(r["text"].split()) for r in rows) / len(rows)
        print(f"{len(rows)} articles ({words:.0f} words mean), serve {' '.join(extra) or '(models)'}: "
              f"analysed in {took:.1f}s, {len(rows) / took:.2f} reports/s")
    finally:
        server.terminate()
        server.wait()
