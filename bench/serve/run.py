#!/usr/bin/env python3
"""Throughput and read latency of `dossier serve` with a store of N reports (default 100,000).

Starts a release `dossier serve` on a free loopback port over a fresh store, then:
1. ingests N reports made by replaying the UCI headline stream with distinct ids (each round
   shifted by 3 days, so a round's stories are new stories rather than one story per headline
   growing for ever), POSTed as JSON Lines in batches; prints accepted reports/s (answered 202,
   so durably stored) and analysed reports/s (until the queue is empty);
2. loads `GET /stories/{id}` from a second process (`wrk`, bounded in time) over the 100 most
   recently updated stories and prints p50/p99 latency and requests/s.

    cargo build --release -p dossier-cli
    python3 bench/serve/run.py [--reports 100000] [--batch 1000] [--seconds 20]

Needs Python 3 and `wrk` (apt-get install -y wrk). Not run in CI.
"""

import argparse
import csv
import datetime
import json
import os
import pathlib
import re
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parents[2]
DATA = ROOT.parent / "shared" / "data" / "uci-headlines" / "dev.csv"
WRK_SCRIPT = """
local ids = {}
for line in io.lines(os.getenv("STORY_IDS")) do ids[#ids + 1] = line end
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", "/stories/" .. ids[(n % #ids) + 1])
end
"""


def reports(total):
    rows = sorted(csv.DictReader(open(DATA)), key=lambda r: int(r["TIMESTAMP"]))
    n = 0
    while True:
        for r in rows:
            if n == total:
                return
            rnd = n // len(rows)
            ms = int(r["TIMESTAMP"]) + rnd * 3 * 86400 * 1000
            published = datetime.datetime.fromtimestamp(ms / 1000, datetime.timezone.utc)
            yield {"id": f"uci-{r['ID']}-{rnd}", "text": r["TITLE"],
                   "published": published.isoformat(), "source": r["PUBLISHER"]}
            n += 1


def get(base, path):
    with urllib.request.urlopen(base + path) as r:
        return json.load(r)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--reports", type=int, default=100_000)
    ap.add_argument("--batch", type=int, default=1000)
    ap.add_argument("--seconds", type=int, default=20)
    ap.add_argument("--connections", type=int, default=32)
    ap.add_argument("--dossier", default=str(ROOT / "target" / "release" / "dossier"))
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as work:
        log = open(os.path.join(work, "log"), "w+")
        server = subprocess.Popen([args.dossier, "serve", "--data", os.path.join(work, "data"),
                                   "--listen", "127.0.0.1:0",
                                   # the bench measures intake, not back-pressure
                                   "--max-queue", str(10**9)], stderr=log)
        try:
            base = None
            for _ in range(200):
                log.seek(0)
                m = re.search(r"serving (http://[0-9.:]+)", log.read())
                if m:
                    base = m.group(1)
                    break
                time.sleep(0.05)
            if not base:
                sys.exit("server did not start")

            start = time.perf_counter()
            batch = []
            accepted = 0

            def flush():
                nonlocal accepted
                body = "".join(json.dumps(b) + "\n" for b in batch).encode()
                req = urllib.request.Request(base + "/reports", data=body, method="POST")
                with urllib.request.urlopen(req) as r:
                    assert r.status == 202
                    accepted += len(json.load(r)["accepted"])
                batch.clear()

            for rep in reports(args.reports):
                batch.append(rep)
                if len(batch) == args.batch:
                    flush()
            if batch:
                flush()
            stored = time.perf_counter() - start
            while get(base, "/health")["queued"] > 0:
                time.sleep(0.2)
            analysed = time.perf_counter() - start
            health = get(base, "/health")
            print(f"ingest: {accepted} reports accepted in {stored:.1f}s "
                  f"({accepted / stored:.0f} reports/s, batches of {args.batch}); "
                  f"all analysed after {analysed:.1f}s ({accepted / analysed:.0f} reports/s); "
                  f"{health['stories']} stories")

            ids = [s["id"] for s in get(base, "/stories?limit=100")["stories"]]
            id_file = os.path.join(work, "ids")
            pathlib.Path(id_file).write_text("\n".join(ids) + "\n")
            script = os.path.join(work, "stories.lua")
            pathlib.Path(script).write_text(WRK_SCRIPT)
            out = subprocess.run(
                ["wrk", "-t2", f"-c{args.connections}", f"-d{args.seconds}s", "--latency",
                 "-s", script, base],
                env=dict(os.environ, STORY_IDS=id_file), capture_output=True, text=True,
                check=True).stdout
            lat = dict(re.findall(r"^\s+(50|99)%\s+(\S+)$", out, re.M))
            rps = re.search(r"Requests/sec:\s+(\S+)", out).group(1)
            errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
            print(f"GET /stories/{{id}} ({len(ids)} stories, wrk -t2 -c{args.connections} "
                  f"-d{args.seconds}s): p50 {lat['50']}, p99 {lat['99']}, {rps} requests/s"
                  + (f", {errors.group(1)} errors" if errors else ""))
        finally:
            server.terminate()
            server.wait()


if __name__ == "__main__":
    main()
