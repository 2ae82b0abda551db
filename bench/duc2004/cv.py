"""Five-fold cross-validation of dossier's summary constants on the DUC 2004 clusters.

The summariser exposes its constants (`dossier summarize --summary-constant NAME=VALUE`). Every
point of a small grid over them summarises every cluster; ROUGE scores each summary per cluster.
For each fold, the grid point with the best mean R-1 + R-2 on the other four folds is chosen and
scored on the fold itself. The stored peers are scored per cluster in the same ROUGE run, so
their fold means are over exactly the same clusters. See README.md beside this file.
"""

from __future__ import annotations

import itertools
import json
import re
import statistics
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Callable

FOLDS = 5

# Around each default (crates/dossier/src/summarise/mod.rs, `Tuning`), one step either way
# where the step changes a summary at all: 3^5 = 243 points.
GRID = {
    "centrality": [0.3, 0.6, 1.0],
    "lead": [2.0, 3.0, 4.0],
    "length-power": [0.6, 0.7, 0.8],
    "share": [0.3, 0.4, 0.5],
    "overlap": [0.4, 0.5, 0.6],
}
DEFAULTS = {"centrality": 0.6, "lead": 3.0, "length-power": 0.7, "share": 0.4, "overlap": 0.5}

# Per-cluster lines of ROUGE's -d output: "S003 ROUGE-1 Eval d30001.S003 R:0.38 P:0.37 F:0.38".
EVAL_LINE = re.compile(r"^(\S+) (ROUGE-[12]) Eval (\S+)\.\S+ R:([\d.]+) ", re.M)

# The published systems compared fold by fold (the four strongest on these clusters).
PEERS = ("DPP", "Submodular", "ICSISumm", "RegSum", "OCCAMS_V")


def folds_of(clusters: list[dict]) -> dict[str, int]:
    """Fold of each cluster: clusters sorted by id, dealt round-robin, so that each fold is 5
    clusters spread over the id range and the split never depends on anything learnt."""
    ids = sorted(c["cluster"] for c in clusters)
    return {cid: i % FOLDS for i, cid in enumerate(ids)}


def grid_points() -> list[dict[str, float]]:
    names = list(GRID)
    return [dict(zip(names, values)) for values in itertools.product(*(GRID[n] for n in names))]


def label(point: dict[str, float]) -> str:
    """The constants that differ from the defaults, or "defaults"."""
    changed = [f"{k}={v:g}" for k, v in point.items() if DEFAULTS[k] != v]
    return ", ".join(changed) or "defaults"


def summarise_grid(binary: Path, clusters: list[dict], in_dir: Path, words: int) -> list[dict[str, str]]:
    """Summaries ({cluster: text}) of every grid point, in grid order; two processes at a time."""
    points = grid_points()

    def one(job: tuple[int, str]) -> tuple[int, str, str]:
        p, cid = job
        flags = [f"--summary-constant={k}={v:g}" for k, v in points[p].items()]
        cmd = [str(binary), "summarize", str(in_dir / f"{cid}.jsonl"), "--one-story", "--words", str(words),
               "--format", "json", "-q", *flags]
        proc = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=600)
        if proc.returncode != 0:
            sys.exit(f"cross-validation: {' '.join(cmd)} failed: {proc.stderr[-500:]}")
        stories = json.loads(proc.stdout)["stories"]
        return p, cid, "\n".join(s["text"] for story in stories for s in story["summary"])

    jobs = [(p, c["cluster"]) for p in range(len(points)) for c in clusters]
    print(f"cross-validation: {len(points)} grid points x {len(clusters)} clusters", file=sys.stderr)
    out: list[dict[str, str]] = [{} for _ in points]
    with ThreadPoolExecutor(max_workers=2) as pool:
        for p, cid, text in pool.map(one, jobs):
            out[p][cid] = text
    return out


def per_cluster(
    run_rouge: Callable, clusters: list[dict], summaries: dict[str, dict[str, str]], options: list[str], work: Path
) -> dict[str, dict[str, dict[str, float]]]:
    """{system: {cluster: {"ROUGE-1": r, "ROUGE-2": r}}} (x100) from one ROUGE run with -d."""
    stdout = run_rouge(clusters, summaries, options + ["-d"], work, "cv", raw=True)
    ids = {f"S{i:02d}": name for i, name in enumerate(summaries)}
    scores: dict[str, dict[str, dict[str, float]]] = {name: {} for name in summaries}
    for sid, measure, cid, r in EVAL_LINE.findall(stdout):
        scores[ids[sid]].setdefault(cid, {})[measure] = float(r) * 100
    return scores


def mean_over(scores: dict[str, dict[str, float]], ids: list[str], measure: str) -> float:
    return statistics.mean(scores[c][measure] for c in ids)


def cross_validate(
    run_rouge: Callable, binary: Path, clusters: list[dict], in_dir: Path, work: Path, options: list[str], words: int
) -> dict:
    """Per-fold figures: the chosen constants, dossier's score on the held-out fold, dossier with
    its default constants, and the peers, on the same clusters."""
    points = grid_points()
    grid = summarise_grid(binary, clusters, in_dir, words)
    systems = {f"grid{p}": s for p, s in enumerate(grid)}
    for name in PEERS:
        systems[name] = {c["cluster"]: c["peers"].get(name, "") for c in clusters}
    print(f"cross-validation: scoring {len(systems)} systems per cluster", file=sys.stderr)
    scores = per_cluster(run_rouge, clusters, systems, options, work)
    fold = folds_of(clusters)
    default = next(p for p, point in enumerate(points) if point == DEFAULTS)
    rows = []
    for k in range(FOLDS):
        test = sorted(c for c, f in fold.items() if f == k)
        train = sorted(c for c, f in fold.items() if f != k)

        def train_score(p: int) -> float:
            s = scores[f"grid{p}"]
            return mean_over(s, train, "ROUGE-1") + mean_over(s, train, "ROUGE-2")

        best = max(range(len(points)), key=lambda p: (train_score(p), p == default))
        row = {"fold": k + 1, "clusters": test, "chosen": label(points[best])}
        for name, key in [("dossier", f"grid{best}"), ("dossier, defaults", f"grid{default}")] + [(n, n) for n in PEERS]:
            row[name] = {m: mean_over(scores[key], test, m) for m in ("ROUGE-1", "ROUGE-2")}
        rows.append(row)
    return {"rows": rows, "grid_points": len(points)}


def markdown(cv: dict, full_dev: dict[str, tuple[float, float]]) -> str:
    """The per-fold table, then mean and spread (sample standard deviation over the folds)."""
    names = ["dossier", "dossier, defaults", *PEERS]
    head = "| fold | constants chosen on the other four | " + " | ".join(f"{n} R-1 / R-2" for n in names) + " |"
    lines = [head, "|---|---|" + "---:|" * len(names)]
    for row in cv["rows"]:
        cells = " | ".join(f"{row[n]['ROUGE-1']:.2f} / {row[n]['ROUGE-2']:.2f}" for n in names)
        lines.append(f"| {row['fold']} ({', '.join(row['clusters'])}) | {row['chosen']} | {cells} |")
    cells = []
    for n in names:
        r1 = [row[n]["ROUGE-1"] for row in cv["rows"]]
        r2 = [row[n]["ROUGE-2"] for row in cv["rows"]]
        cells.append(f"**{statistics.mean(r1):.2f}** ± {statistics.stdev(r1):.2f} / "
                     f"**{statistics.mean(r2):.2f}** ± {statistics.stdev(r2):.2f}")
    lines.append(f"| mean ± sd over folds | | {' | '.join(cells)} |")
    full = " | ".join(f"{full_dev[n][0]:.2f} / {full_dev[n][1]:.2f}" if n in full_dev else "-" for n in names)
    lines.append(f"| all 25, one run (full-dev figure) | defaults | {full} |")
    return "\n".join(lines)


def lead_lines(cv: dict) -> list[str]:
    """dossier's cross-validated lead over the best peer of each measure (by the fold mean)."""
    out = []
    for m in ("ROUGE-1", "ROUGE-2"):
        ours = statistics.mean(row["dossier"][m] for row in cv["rows"])
        peer = max(PEERS, key=lambda n: statistics.mean(row[n][m] for row in cv["rows"]))
        theirs = statistics.mean(row[peer][m] for row in cv["rows"])
        wins = sum(row["dossier"][m] > max(row[n][m] for n in PEERS) for row in cv["rows"])
        out.append(f"cross-validated {m}: dossier {ours:.2f} against the best peer, {peer}, {theirs:.2f} "
                   f"({ours - theirs:+.2f}); ahead of every peer on {wins} of {FOLDS} folds")
    return out
