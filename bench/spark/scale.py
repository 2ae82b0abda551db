#!/usr/bin/env python3
"""Throughput and memory of the Spark job on growing synthetic piles, beside one box.

    target/py-venv/bin/python bench/spark/scale.py [--reports 2500 10000] \
        [--masters 'local[1]' 'local[2]' spark://127.0.0.1:7077] [--shards 8] [--key-limit 200] [--no-box]
        [--models [DIR]] [--log FILE]

(`bench/spark/standalone.sh start` runs the standalone master and its two workers.)

The pile is the DUC 2004 and ECB+ dev documents repeated under new ids and shuffled (seed 1),
as JSON Lines shards; both paths run without the models unless ``--models`` is given (then
with entities, quotes and claims, as ``dossier build`` runs by default). Each run is its own process tree
(`python -m dossier_spark`, whose JVM and Python workers are its children), sampled every 0.5 s
for the resident memory of the whole tree and of each standalone executor's tree, and for the
load; reports/s include start-up. The job's own log of its steps is printed after the table.
"""

import argparse
import json
import os
import pathlib
import random
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench" / "events"))
from run import duc_docs, ecb_docs  # noqa: E402  (bench/events/run.py)


def pile(n, folder, shards):
    base = [t for _, _, t in duc_docs()] + [t for _, _, t, _ in ecb_docs()]
    rng = random.Random(1)
    texts = [base[i % len(base)] for i in range(n)]
    rng.shuffle(texts)
    size = -(-n // shards)
    for k in range(shards):
        with open(folder / f"shard-{k:03}.jsonl", "w") as out:
            for i, text in enumerate(texts[k * size:(k + 1) * size], start=k * size):
                out.write(json.dumps({"id": f"r{i}", "text": text}) + "\n")


def process_tree():
    """Children of each process, and the pids of Spark executors (standalone workers' JVMs)."""
    children, executors = {}, []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
                children.setdefault(ppid, []).append(int(entry))
                with open(f"/proc/{entry}/cmdline", "rb") as f:
                    if b"CoarseGrainedExecutorBackend" in f.read():
                        executors.append(int(entry))
            except (OSError, IndexError, ValueError):
                pass
    return children, executors


def tree_rss(pid, children):
    """Resident KiB of a process and all its descendants."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        todo.extend(children.get(p, []))
        try:
            with open(f"/proc/{p}/status") as f:
                total += next(int(l.split()[1]) for l in f if l.startswith("VmRSS:"))
        except (OSError, StopIteration):
            pass
    return total


def timed(command, env, log_path=None):
    """Wall seconds, the peak resident MiB of the command's process tree and of the biggest
    executor (a standalone worker's executor JVM and its Python workers; on a local master the
    executor is the driver, so the two are one), the mean load while it ran, the blocks and the
    job's own account of its steps (each with its time since start)."""
    start = time.perf_counter()
    # To a file, not a pipe: Spark's progress and log lines would fill a pipe read only at the
    # end, and the job would stop on its next write.
    # A named log (--log) can be watched while a long run goes, and is kept after it.
    err_file = open(log_path, "a+") if log_path else tempfile.TemporaryFile("w+")
    start_at = err_file.seek(0, os.SEEK_END)
    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=err_file, text=True)
    peak, executor, loads = 0, 0, []
    while proc.poll() is None:
        children, executors = process_tree()
        peak = max(peak, tree_rss(proc.pid, children))
        for pid in executors:
            executor = max(executor, tree_rss(pid, children))
        loads.append(os.getloadavg()[0])
        time.sleep(0.5)
    took = time.perf_counter() - start
    err_file.seek(start_at)
    err = err_file.read()
    err_file.close()
    if proc.returncode != 0:
        sys.exit(f"{command[:3]} failed:\n{err[-3000:]}")
    said = [l.split("dossier_spark: ", 1)[1] for l in err.splitlines() if l.startswith("dossier_spark: ")]
    blocks = next((l.split("] ")[1] for l in said if "block(s)" in l), "")
    load = sum(loads) / max(len(loads), 1)
    return took, peak / 1024, (executor or peak) / 1024, load, blocks, said


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--reports", type=int, nargs="+", default=[2500, 10000])
    p.add_argument("--masters", nargs="+", default=["local[1]", "local[2]"])
    p.add_argument("--shards", type=int, default=8)
    p.add_argument("--key-limit", type=int, default=200)
    p.add_argument("--no-box", action="store_true", help="leave out one box (a pile too big for it)")
    p.add_argument("--models", nargs="?", const=str(ROOT / "models"), metavar="DIR",
                   help="run both paths with the models (entities, quotes, claims) of DIR [models/]")
    p.add_argument("--log", help="append each Spark run's own log (stderr) to this file, to watch it")
    args = p.parse_args()
    # Executors of a standalone master start the Python their driver names: this one.
    env = dict(os.environ, SPARK_LOCAL_IP="127.0.0.1", PYSPARK_PYTHON=sys.executable)
    if args.models:
        stages = f"models={str(pathlib.Path(args.models).resolve())!r}"
        job_stages = ["--models", str(pathlib.Path(args.models).resolve())]
    else:
        stages = "entities=False, claims=False"
        job_stages = ["--no-entities", "--no-claims"]
    rows, phases = [], []
    for n in args.reports:
        with tempfile.TemporaryDirectory() as tmp:
            tmp = pathlib.Path(tmp)
            (tmp / "pile").mkdir()
            pile(n, tmp / "pile", args.shards)
            if not args.no_box:
                box = [sys.executable, "-c",
                       f"import sys, dossier; dossier.build(sys.argv[1], {stages})",
                       str(tmp / "pile")]
                took, peak, executor, load, _, _ = timed(box, env)
                rows.append((n, "one box (dossier.build)", n / took, peak, executor, load, ""))
            for k, master in enumerate(args.masters):
                job = [sys.executable, "-m", "dossier_spark", str(tmp / "pile"), "--out", str(tmp / f"out{k}"),
                       "--master", master, *job_stages, "--key-limit", str(args.key_limit),
                       # The job's local default on every master (Spark's 200 elsewhere).
                       "--partitions", str(4 * (os.cpu_count() or 2))]
                took, peak, executor, load, blocks, said = timed(job, env, args.log)
                rows.append((n, f"Spark {master}", n / took, peak, executor, load, blocks))
                phases.append((n, master, said))
    with_models = f"with the models of {args.models}" if args.models else "model-free"
    print(f"\n{os.cpu_count()} cores, key limit {args.key_limit}, {with_models}\n")
    print("| reports | run | reports/s | peak RSS MiB (driver's process tree) | peak RSS MiB per executor | load (mean) | blocks |")
    print("|---:|---|---:|---:|---:|---:|---|")
    for n, run, rate, peak, executor, load, blocks in rows:
        print(f"| {n} | {run} | {rate:.1f} | {peak:.0f} | {executor:.0f} | {load:.1f} | {blocks} |")
    for n, master, said in phases:
        print(f"\n{n} reports, {master}:")
        print("\n".join(f"    {line}" for line in said))


if __name__ == "__main__":
    main()
