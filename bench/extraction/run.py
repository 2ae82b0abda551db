#!/usr/bin/env python3
"""Main-content extraction benchmark: dossier against stored peers and live Python trafilatura.

Scores the text each system extracts from the article-extraction-benchmark (AEB) development
pages against the ground-truth article bodies, with the benchmark's own metric, and prints one
markdown table. See README.md beside this file.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Optional

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "extraction-aeb" / "dev"
DEFAULT_DOSSIER = ROOT / "target" / "release" / "dossier"
WORKER = HERE / "trafilatura_worker.py"


# --- The metric ---------------------------------------------------------------------------------
# Same definitions as scrapinghub/article-extraction-benchmark's evaluate.py:
# - tokens are `\w+` matches, case kept (its regex has IGNORECASE, which changes nothing for
#   `\w`, and it never lowercases);
# - shingles are 4-token windows, counted as a multiset; a text of 1-3 tokens still gives one
#   short shingle, an empty text none;
# - per page, TP/FP/FN are the multiset intersection and the two differences, divided by their
#   sum so that long articles do not weigh more;
# - precision is the mean of the per-page tp/(tp+fp) over the pages where it is defined
#   (tp+fp > 0), recall likewise with tp/(tp+fn); F1 = 2PR/(P+R) from those means.
# One consequence worth knowing: a page with empty output lowers recall but not precision.

TOKEN_RE = re.compile(r"\w+")
SHINGLE_LEN = 4


def shingles(text: Optional[str]) -> Counter:
    tokens = TOKEN_RE.findall(text or "")
    if not tokens:
        return Counter()
    if len(tokens) < SHINGLE_LEN:
        return Counter([tuple(tokens)])
    return Counter(tuple(tokens[i : i + SHINGLE_LEN]) for i in range(len(tokens) - SHINGLE_LEN + 1))


@dataclass
class PageScore:
    tp: float
    fp: float
    fn: float

    @property
    def precision(self) -> Optional[float]:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp > 0 else None

    @property
    def recall(self) -> Optional[float]:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn > 0 else None

    @property
    def f1(self) -> float:
        """Per-page F1, for spotting bad pages only (the benchmark's F1 is not a mean of these)."""
        p, r = self.precision, self.recall
        if p is None and r is None:  # gold and output both empty: nothing to get wrong
            return 1.0
        p, r = p or 0.0, r or 0.0
        return 2 * p * r / (p + r) if p + r > 0 else 0.0


def score_page(gold: str, output: str) -> PageScore:
    g, o = shingles(gold), shingles(output)
    tp = sum((g & o).values())
    fp = sum((o - g).values())
    fn = sum((g - o).values())
    total = tp + fp + fn
    if total == 0:
        return PageScore(0.0, 0.0, 0.0)
    return PageScore(tp / total, fp / total, fn / total)


def aggregate(scores: list[PageScore]) -> dict[str, float]:
    ps = [s.precision for s in scores if s.precision is not None]
    rs = [s.recall for s in scores if s.recall is not None]
    p = statistics.mean(ps) if ps else 0.0
    r = statistics.mean(rs) if rs else 0.0
    f1 = 2 * p * r / (p + r) if p + r > 0 else 0.0
    return {"f1": f1, "precision": p, "recall": r}


# --- Systems ------------------------------------------------------------------------------------


@dataclass
class System:
    name: str
    kind: str  # "dossier", "live" or "stored"
    outputs: dict[str, str]
    # Speed and memory, for the systems run here; None for stored outputs.
    wall_s: Optional[float] = None
    cpu_s: Optional[float] = None
    peak_rss_kib: Optional[int] = None
    scores: dict[str, PageScore] = field(default_factory=dict)
    metrics: dict[str, float] = field(default_factory=dict)

    def score(self, gold: dict[str, dict]) -> None:
        self.scores = {pid: score_page(g["articleBody"], self.outputs.get(pid, "")) for pid, g in gold.items()}
        self.metrics = aggregate(list(self.scores.values()))


class RunFailed(Exception):
    pass


@dataclass
class ChildRun:
    exit_code: int
    wall_s: float
    cpu_s: float
    peak_rss_kib: int
    timed_out: bool


def run_pinned(cmd: list[str], cpu: Optional[int], timeout_s: float, log_prefix: Path) -> ChildRun:
    """Runs cmd on one core, its output to log files, and returns its own resource use."""
    pin = (lambda: os.sched_setaffinity(0, {cpu})) if cpu is not None else None
    fired = threading.Event()
    with open(f"{log_prefix}.stdout", "wb") as out, open(f"{log_prefix}.stderr", "wb") as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=err, preexec_fn=pin)

        def kill() -> None:
            fired.set()
            proc.kill()

        killer = threading.Timer(timeout_s, kill)
        killer.start()
        try:
            # os.wait4 instead of proc.wait(): it returns this child's own rusage (peak RSS and
            # CPU time of it and its waited-for children), where getrusage(RUSAGE_CHILDREN)
            # would give the maximum over every child the harness has run.
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            killer.cancel()
        wall_s = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)  # reaped by wait4: tell Popen
    return ChildRun(
        exit_code=proc.returncode,
        wall_s=wall_s,
        cpu_s=usage.ru_utime + usage.ru_stime,
        peak_rss_kib=usage.ru_maxrss,  # KiB on Linux
        timed_out=fired.is_set(),
    )


def log_tail(path: str, lines: int = 15) -> str:
    text = Path(path).read_text(encoding="utf-8", errors="replace").rstrip()
    return "\n".join("    " + line for line in text.splitlines()[-lines:])


def check_child(run: ChildRun, what: str, log_prefix: Path, timeout_s: float) -> None:
    if run.timed_out:
        raise RunFailed(f"{what} killed after {timeout_s:.0f} s (--timeout)")
    if run.exit_code != 0:
        raise RunFailed(f"{what} exited with {run.exit_code}; stderr ends:\n{log_tail(f'{log_prefix}.stderr')}")


def run_dossier(
    binary: Path,
    html_dir: Path,
    work: Path,
    cpu: Optional[int],
    timeout_s: float,
    repeat: int,
    extra: list[str],
    notes: list[str],
) -> System:
    out_dir = work / "dossier-out"
    # Extraction is what is compared here: the NER and claims models would only add their own time.
    cmd = [
        str(binary), "build", str(html_dir), "--out", str(out_dir), "--quiet",
        "--no-entities", "--no-claims", *extra,
    ]
    print(f"running: {' '.join(cmd)}", file=sys.stderr)
    log = work / "dossier"
    runs = []
    for _ in range(repeat):
        # Each run starts from an empty output folder.
        shutil.rmtree(out_dir, ignore_errors=True)
        out_dir.mkdir()
        runs.append(run_pinned(cmd, cpu, timeout_s, log))
        check_child(runs[-1], "dossier", log, timeout_s)
    best = min(runs, key=lambda r: r.wall_s)

    result = out_dir / "dossier.json"
    try:
        doc = json.loads(result.read_text(encoding="utf-8"))
        reports = doc["reports"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise RunFailed(f"dossier ran but {result} is missing or not a dossier: {exc}") from exc

    # A report belongs to the page whose file it was built from: `source` is the input path as
    # given, so its file name is `<id>.html`.
    texts: dict[str, list[str]] = defaultdict(list)
    unknown = []
    for report in reports:
        name = PurePath(report.get("source") or "").name
        page_id = name[: -len(".html")] if name.endswith(".html") else name
        if (html_dir / f"{page_id}.html").exists():
            texts[page_id].append(report.get("text") or "")
        else:
            unknown.append(report.get("source"))
    n_pages = sum(1 for _ in html_dir.glob("*.html"))
    if len(texts) < n_pages:
        notes.append(f"dossier: pages with no report: {n_pages - len(texts)} of {n_pages} (scored as empty output)")
    split = sum(1 for t in texts.values() if len(t) > 1)
    if split:
        notes.append(f"dossier: pages with several reports: {split} (their texts joined)")
    if unknown:
        notes.append(f"dossier: reports whose source matches no page: {len(unknown)}, e.g. {unknown[0]!r}")

    return System(
        name="dossier",
        kind="dossier",
        outputs={pid: "\n\n".join(t) for pid, t in texts.items()},
        wall_s=best.wall_s,
        cpu_s=best.cpu_s,
        peak_rss_kib=max(r.peak_rss_kib for r in runs),
    )


def run_trafilatura(
    html_dir: Path, gold: dict[str, dict], work: Path, cpu: Optional[int], timeout_s: float, repeat: int, notes: list[str]
) -> System:
    urls_json, out_json = work / "urls.json", work / "trafilatura-out.json"
    urls_json.write_text(json.dumps({pid: g["url"] for pid, g in gold.items()}), encoding="utf-8")
    print("running: Python trafilatura (live)", file=sys.stderr)
    log = work / "trafilatura"
    # A fresh process each time, as for dossier: repeating the loop inside one process would let
    # trafilatura's internal caches make later passes look faster than a real first pass.
    results = []
    for _ in range(repeat):
        run = run_pinned([sys.executable, str(WORKER), str(html_dir), str(urls_json), str(out_json)], cpu, timeout_s, log)
        check_child(run, "trafilatura worker (bench/extraction/setup.sh installs trafilatura)", log, timeout_s)
        results.append(json.loads(out_json.read_text(encoding="utf-8")))
    res = min(results, key=lambda r: r["wall_s"])
    res["peak_rss_kib"] = max(r["peak_rss_kib"] for r in results)
    if res["errors"]:
        notes.append(f"trafilatura: pages where it raised: {len(res['errors'])} (scored as empty output)")
    notes.append(
        f"trafilatura {res['version']}: extract(html, url=url), default settings; pages/s and CPU s "
        f"time the extraction loop only (import {res['import_s']:.2f} s not counted); peak RSS is "
        f"its worker process's ({res['rss_before_loop_kib'] / 1024:.0f} MiB of it before the loop: "
        f"interpreter, trafilatura, pages read)"
    )
    return System(
        name=f"trafilatura {res['version']} (live)",
        kind="live",
        outputs=res["outputs"],
        wall_s=res["wall_s"],
        cpu_s=res["cpu_s"],
        peak_rss_kib=res["peak_rss_kib"],
    )


# --- Report -------------------------------------------------------------------------------------


def markdown_table(systems: list[System], n_pages: int) -> str:
    def num(x: Optional[float], fmt: str) -> str:
        return "-" if x is None else format(x, fmt)

    lines = [
        "| system | F1 | precision | recall | pages/s | CPU s | peak RSS (MiB) |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for s in systems:
        m = s.metrics
        pages_per_s = n_pages / s.wall_s if s.wall_s else None
        rss = s.peak_rss_kib / 1024 if s.peak_rss_kib is not None else None
        lines.append(
            f"| {s.name} | {m['f1']:.3f} | {m['precision']:.3f} | {m['recall']:.3f} "
            f"| {num(pages_per_s, '.1f')} | {num(s.cpu_s, '.2f')} | {num(rss, '.0f')} |"
        )
    return "\n".join(lines)


# --- Folds --------------------------------------------------------------------------------------
# dossier's extraction rules are code, not constants, so there is nothing to fit per fold; what
# the folds show is whether its lead holds on every part of the pages or rests on a few, and a
# rule's gain per fold is how a new rule is checked for generality (README, "A new rule").

FOLDS = 5
FOLD_PEERS = ("rs_trafilatura (stored)", "trafilatura (stored)", "go_trafilatura (stored)")


def folds_of(pages: list[str]) -> dict[str, int]:
    """Pages sorted by id and dealt round-robin: five folds of 18 or 19 pages, fixed by the data."""
    return {pid: i % FOLDS for i, pid in enumerate(sorted(pages))}


def fold_f1(system: System, pages: list[str]) -> float:
    return aggregate([system.scores[p] for p in pages])["f1"]


def fold_table(systems: list[System], gold: dict[str, dict], before: Optional[dict] = None) -> str:
    """F1 per fold of dossier and the strongest stored peers, then mean ± sd over the folds;
    with `before` (an earlier `--json`), dossier's change per fold beside it."""
    fold = folds_of(list(gold))
    shown = [s for s in systems if s.kind == "dossier" or s.name in FOLD_PEERS]
    names = [s.name for s in shown] + (["dossier change"] if before else [])
    lines = ["| fold (pages) | " + " | ".join(names) + " |", "|---|" + "---:|" * len(names)]
    per = {s.name: [] for s in shown}
    change: list[float] = []
    for k in range(FOLDS):
        pages = sorted(p for p, f in fold.items() if f == k)
        cells = []
        for s in shown:
            per[s.name].append(fold_f1(s, pages))
            cells.append(f"{per[s.name][-1]:.3f}")
        if before:
            ours = next(s for s in shown if s.kind == "dossier")
            change.append(per[ours.name][-1] - earlier_f1(before, pages))
            cells.append(f"{change[-1]:+.4f}")
        lines.append(f"| {k + 1} ({len(pages)}) | {' | '.join(cells)} |")
    means = [f"**{statistics.mean(v):.3f}** ± {statistics.stdev(v):.3f}" for v in per.values()]
    if before:
        means.append(f"{statistics.mean(change):+.4f}")
    lines.append(f"| mean ± sd | {' | '.join(means)} |")
    lines.append(f"| all {len(gold)} pages | " + " | ".join(f"{s.metrics['f1']:.3f}" for s in shown)
                 + (" |" if not before else " | |"))
    return "\n".join(lines)


def earlier_f1(before: dict, pages: list[str]) -> float:
    """dossier's F1 on `pages` in an earlier run's `--json` output."""
    ours = next(v for v in before["systems"].values() if v["kind"] == "dossier")["per_page"]
    return aggregate([PageScore(ours[p]["tp"], ours[p]["fp"], ours[p]["fn"]) for p in pages])["f1"]


def show_worst(system: System, gold: dict[str, dict], n: int) -> str:
    worst = sorted(system.scores.items(), key=lambda kv: kv[1].f1)[:n]
    lines = [f"{system.name}: the {len(worst)} pages with the lowest F1 (tokens: gold / output)"]
    for pid, s in worst:
        gold_tokens = len(TOKEN_RE.findall(gold[pid]["articleBody"]))
        out_tokens = len(TOKEN_RE.findall(system.outputs.get(pid, "")))
        p = "-" if s.precision is None else f"{s.precision:.3f}"
        r = "-" if s.recall is None else f"{s.recall:.3f}"
        lines.append(
            f"  {pid}  F1={s.f1:.3f} P={p} R={r}  tokens {gold_tokens}/{out_tokens}  {gold[pid]['url']}"
        )
    return "\n".join(lines)


def to_json(systems: list[System], data: Path, n_pages: int, cpu: Optional[int], notes: list[str]) -> dict:
    def system_json(s: System) -> dict:
        return {
            "kind": s.kind,
            **s.metrics,
            "pages_per_s": n_pages / s.wall_s if s.wall_s else None,
            "wall_s": s.wall_s,
            "cpu_s": s.cpu_s,
            "peak_rss_mib": s.peak_rss_kib / 1024 if s.peak_rss_kib is not None else None,
            "per_page": {
                pid: {"tp": sc.tp, "fp": sc.fp, "fn": sc.fn, "precision": sc.precision, "recall": sc.recall, "f1": sc.f1}
                for pid, sc in s.scores.items()
            },
        }

    return {
        "data": str(data),
        "pages": n_pages,
        "metric": "article-extraction-benchmark evaluate.py: 4-token \\w+ shingles, case kept",
        "pinned_cpu": cpu,
        "systems": {s.name: system_json(s) for s in systems},
        "notes": notes,
    }


# --- Main ---------------------------------------------------------------------------------------


def parse_args() -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="benchmark folder (default: %(default)s)")
    ap.add_argument("--dossier", type=Path, default=DEFAULT_DOSSIER, help="dossier binary (default: %(default)s)")
    ap.add_argument(
        "--dossier-arg", action="append", default=[], metavar="ARG",
        help="extra argument for `dossier build` (repeatable; write --dossier-arg=--flag)",
    )
    ap.add_argument("--skip-live", action="store_true", help="do not run Python trafilatura")
    ap.add_argument("--json", type=Path, metavar="OUT", help="also write all figures, per page too, as JSON")
    ap.add_argument("--compare", type=Path, metavar="EARLIER",
                    help="an earlier run's --json: print dossier's F1 change on each fold (checking a new rule)")
    ap.add_argument("--show-worst", type=int, default=0, metavar="N", help="list dossier's N lowest-F1 pages")
    ap.add_argument(
        "--repeat", type=int, default=1, metavar="N",
        help="run dossier and trafilatura N times each, fresh processes, and keep the fastest (default: %(default)s)",
    )
    ap.add_argument("--timeout", type=float, default=1800, help="seconds allowed to each run (default: %(default)s)")
    ap.add_argument("--keep", action="store_true", help="keep the work folder (pages, dossier output, logs)")
    args = ap.parse_args()
    if args.repeat < 1:
        ap.error("--repeat must be at least 1")
    return args


def main() -> int:
    args = parse_args()
    gold: dict[str, dict] = json.loads((args.data / "ground-truth.json").read_text(encoding="utf-8"))
    peers: dict[str, dict] = json.loads((args.data / "peer-outputs.json").read_text(encoding="utf-8"))
    n_pages = len(gold)
    notes: list[str] = []

    # Runs are pinned to one core so that pages/s means one core's worth, whatever rayon or the
    # machine would otherwise give; the last allowed core, as builds tend to start on the first.
    cpu = max(os.sched_getaffinity(0)) if hasattr(os, "sched_setaffinity") else None

    work = Path(tempfile.mkdtemp(prefix="dossier-aeb-"))
    try:
        # Both dossier and the trafilatura worker read the same decompressed `<id>.html` files.
        html_dir = work / "html"
        html_dir.mkdir()
        for pid in gold:
            with gzip.open(args.data / "html" / f"{pid}.html.gz", "rb") as f:
                (html_dir / f"{pid}.html").write_bytes(f.read())

        failed = False
        dossier: Optional[System] = None
        if not os.access(args.dossier, os.X_OK):
            notes.append(f"dossier: no executable at {args.dossier} (build it: cargo build --release); row left out")
        else:
            try:
                dossier = run_dossier(
                    args.dossier, html_dir, work, cpu, args.timeout, args.repeat, args.dossier_arg, notes
                )
            except RunFailed as exc:
                notes.append(f"dossier: FAILED, row left out: {exc}")
                failed = True

        live: Optional[System] = None
        if not args.skip_live:
            try:
                live = run_trafilatura(html_dir, gold, work, cpu, args.timeout, args.repeat, notes)
            except RunFailed as exc:
                notes.append(f"trafilatura: FAILED, row left out: {exc}")
                failed = True
    finally:
        if args.keep:
            print(f"work folder kept: {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)

    stored = [
        System(name=f"{name} (stored)", kind="stored", outputs={pid: (o.get("articleBody") or "") for pid, o in out.items()})
        for name, out in peers.items()
    ]
    for s in stored:
        missing = len(set(gold) - set(s.outputs))
        if missing:
            notes.append(f"{s.name}: pages with no output: {missing} (scored as empty output)")
    for s in [dossier, live, *stored]:
        if s is not None:
            s.score(gold)
    stored.sort(key=lambda s: -s.metrics["f1"])
    systems = [s for s in (dossier, live) if s is not None] + stored

    print(f"Main-content extraction, {args.data.name} part of the article-extraction-benchmark ({n_pages} pages)\n")
    print(markdown_table(systems, n_pages))
    print()
    print(
        "- Metric: the benchmark's evaluate.py (4-token `\\w+` shingles, case kept, per-page TP/FP/FN "
        "normalised, precision and recall averaged over pages)."
    )
    pin = f"pinned to CPU {cpu}" if cpu is not None else "not pinned"
    best = f", fastest of {args.repeat} runs" if args.repeat > 1 else ""
    print(f"- pages/s: {n_pages} pages / wall-clock seconds, one core ({pin}{best}); CPU s: user+system.")
    if dossier is not None:
        print(
            "- dossier: pages/s, CPU s and peak RSS are those of the whole `dossier build` process "
            "(start-up and every pipeline stage, not only extraction)."
        )
    for note in notes:
        print(f"- {note}")
    if dossier is not None:
        before = json.loads(args.compare.read_text(encoding="utf-8")) if args.compare else None
        print(f"\nF1 per fold (pages sorted by id, dealt round-robin into {FOLDS} folds), mean ± sd over the folds:\n")
        print(fold_table(systems, gold, before))

    if args.show_worst:
        print()
        if dossier is not None:
            print(show_worst(dossier, gold, args.show_worst))
        else:
            print("--show-worst: no dossier run to show")

    if args.json:
        args.json.write_text(json.dumps(to_json(systems, args.data, n_pages, cpu, notes), indent=1), encoding="utf-8")
    # A missing dossier binary is expected before the first release build; a run that failed is not.
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
