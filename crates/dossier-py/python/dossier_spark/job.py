"""dossier over Apache Spark: the pile read in parallel, stories formed and analysed per block.

Steps, each a Spark stage over the whole pile:

1. **Read.** Every input file (text, HTML, JSON Lines, WARC, gzipped or not) is read where it
   lies, by ``dossier.read`` on its bytes: the same extraction, cleaning and sentence split as
   ``dossier build``. Report ids are then made unique over the pile in input order (path, then
   position in the file), by the one-box rule (``id``, ``id~2``...).
2. **Block.** Reports are paired by the words they share (stems, from the tokeniser the story
   former reads), weighted by inverse document frequency over the whole pile; a word held by
   more than ``--key-limit`` reports pairs none, so no common word makes a quadratic block.
   Pairs at least ``--block-threshold`` alike (cosine) are joined, and blocks are the connected
   components, found by iterated minimum-label joins.
3. **Stories.** Each block goes whole to ``dossier.analyse``: the story former of ``dossier
   build`` and its analysis, so the stories are those one box makes of that block. The former
   joins reports whose words are alike well above the block threshold, so a block holds whole
   stories; where one box and Spark still differ is measured in bench/spark.

Output: ``OUT/reports/`` and ``OUT/stories/`` (JSON Lines, one object of the ``dossier.json``
contract per line, in Spark's part files), ``OUT/skipped/`` (inputs left out and why), and with
``--html`` a folder per story under ``OUT/pages/`` with its ``index.html`` and ``dossier.json``
(written by the workers, so OUT must then be a path they share).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from typing import Any, Dict, Iterable, Iterator, List, Tuple

import dossier
from dossier import _native


def parse(argv: List[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="python -m dossier_spark",
        description="Read a pile of news reports with Apache Spark and write its stories, "
        "as `dossier build` would on one machine.",
        epilog="Example: python -m dossier_spark crawl/*.warc.gz feeds/ --out stories/ "
        "--no-claims. INPUT is any path or URI Spark reads (local, hdfs://, s3a:// through "
        "your Hadoop configuration); folders are read recursively. Workers need the `dossier` "
        "wheel installed and, for entities and claims, the models folder (--models).",
    )
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="files or folders of reports")
    p.add_argument("--out", required=True, help="output folder (must not exist yet)")
    p.add_argument("--master", help="Spark master URL [default: spark-submit's, else local[*]]")
    p.add_argument("--no-entities", action="store_true", help="skip the NER model")
    p.add_argument("--no-claims", action="store_true", help="skip the claims stage")
    p.add_argument("--models", help="models folder on every worker [default: $DOSSIER_MODELS]")
    p.add_argument("--precision", choices=["f32", "int8"], help="the encoder's layers [f32]")
    p.add_argument("--words", type=int, default=100, help="summary length in words [100]")
    p.add_argument("--story-threshold", type=float, help="as for dossier build")
    p.add_argument("--events", action="store_true", help="group by the shipped event model")
    p.add_argument("--report-timeout", type=float, default=60.0, help="seconds per report [60]")
    p.add_argument("--max-bytes", type=int, help="largest report file or JSON line [16 MiB]")
    p.add_argument("--html", action="store_true", help="also write each story's index.html")
    p.add_argument(
        "--key-limit",
        type=int,
        default=1000,
        help="a word in more reports than this joins none of them [1000]",
    )
    p.add_argument(
        "--block-threshold",
        type=float,
        default=0.13,
        help="reports this alike (cosine of rare words) go to one block, whose stories are "
        "formed as dossier build forms them; lower is closer to one box, higher is more "
        "parallel [0.13: chosen on DUC 2004 dev, see bench/spark]",
    )
    p.add_argument(
        "--partitions",
        type=int,
        help="shuffle partitions [Spark's setting; 4 per core on a local master]",
    )
    args = p.parse_args(argv)
    if args.key_limit < 2 or args.words < 1 or not 0.0 <= args.block_threshold <= 1.0:
        p.error("--key-limit must be at least 2, --words at least 1, --block-threshold in [0, 1]")
    return args


def analysis_options(args: argparse.Namespace) -> Dict[str, Any]:
    options = {
        "entities": not args.no_entities,
        "claims": not args.no_claims,
        "models": args.models,
        "precision": args.precision,
        "words": args.words,
        "story_threshold": args.story_threshold,
        "events": args.events,
        "report_timeout": args.report_timeout,
        "max_bytes": args.max_bytes,
    }
    return {k: v for k, v in options.items() if v is not None}


def shown(path: str) -> str:
    """A local file as the command line names it; any other URI as it is."""
    return path[len("file:") :] if path.startswith("file:") else path


def read_files(rows: Iterable[Any], options: Dict[str, Any]) -> Iterator[Tuple]:
    """(path, position, kind, id, payload, terms) for each report and each skipped input."""
    reading = {k: options[k] for k in ("report_timeout", "max_bytes") if k in options}
    for row in rows:
        name = shown(row.path)
        found = dossier.read_all(bytes(row.content), name=name, **reading)
        terms = _native.terms(json.dumps(found.reports)) if found.reports else []
        for n, (report, words) in enumerate(zip(found.reports, terms)):
            yield (row.path, n, "report", report["id"], json.dumps(report), words)
        for n, (where, why) in enumerate(found.skipped + found.warnings):
            said = {"input": where, "reason": why, "kept": n >= len(found.skipped)}
            yield (row.path, -1 - n, "skipped", "", json.dumps(said), [])


def renamed(report: Dict[str, Any], new_id: str) -> Dict[str, Any]:
    """The report under the id one box would give it, its sentences' ids following."""
    if report["id"] != new_id:
        report["id"] = new_id
        for i, sentence in enumerate(report.get("sentences", [])):
            sentence["id"] = f"{new_id}:{i + 1}"
    return report


def analyse_block(members: Iterable[Tuple[int, str, str]], options: Dict[str, Any]) -> List[str]:
    """The stories (JSON lines) of one block, its reports in pile order."""
    ordered = sorted(members)
    reports = [renamed(json.loads(text), new_id) for _, new_id, text in ordered]
    result = dossier.analyse(reports, **options)
    return [json.dumps(story) for story in result["stories"]]


def write_pages(stories: Iterable[str], reports_by_id: Dict[str, Any], out: str) -> None:
    for line in stories:
        story = json.loads(line)
        members = [reports_by_id[r] for r in story["reports"] if r in reports_by_id]
        page = {"version": dossier.CONTRACT_VERSION, "reports": members, "stories": [story]}
        _native.write(json.dumps(page), os.path.join(out, "pages", story["id"]))


def candidate_edges(docs: Any, total: int, args: argparse.Namespace) -> Any:
    """Pairs of reports alike enough to maybe share a story: the cosine of their words weighted
    by inverse document frequency over the whole pile, from the pairs that share a word held by
    at most ``--key-limit`` reports (so no word costs more than key-limit squared pairs)."""
    from pyspark.sql import functions as F

    keyed = docs.select("seq", F.explode("terms").alias("term"))
    df = keyed.groupBy("term").agg(F.count("*").alias("df"))
    weighted = (
        keyed.join(df.where((F.col("df") >= 2) & (F.col("df") <= args.key_limit)), "term")
        .withColumn("w", F.log(F.lit(float(total)) / F.col("df")))
        .select("seq", "term", "w")
        .cache()
    )
    norms = weighted.groupBy("seq").agg(F.sqrt(F.sum(F.col("w") * F.col("w"))).alias("norm"))
    a, b = weighted.alias("a"), weighted.alias("b")
    shared = (
        a.join(b, (F.col("a.term") == F.col("b.term")) & (F.col("a.seq") < F.col("b.seq")))
        .groupBy(F.col("a.seq").alias("a"), F.col("b.seq").alias("b"))
        .agg(F.sum(F.col("a.w") * F.col("b.w")).alias("dot"))
    )
    na, nb = norms.alias("na"), norms.alias("nb")
    return (
        shared.join(na, F.col("a") == F.col("na.seq"))
        .join(nb, F.col("b") == F.col("nb.seq"))
        .where(F.col("dot") >= args.block_threshold * F.col("na.norm") * F.col("nb.norm"))
        .select("a", "b")
    )


def components(spark: Any, edges: Any, nodes: Any, log: Any) -> Any:
    """Connected components by iterated minimum labels: each node takes the least label of its
    neighbours until none changes (as many rounds as the longest shortest path, short here
    because every key is a star)."""
    from pyspark.sql import functions as F

    both = edges.union(edges.select(F.col("b").alias("a"), F.col("a").alias("b"))).cache()
    labels = nodes.select(F.col("seq").alias("node"), F.col("seq").alias("label")).localCheckpoint()
    for round_ in range(1, 1000):
        offered = (
            both.join(labels, both.b == labels.node)
            .groupBy(both.a.alias("node"))
            .agg(F.min("label").alias("offer"))
        )
        # Checkpointed so that each round's plan starts from data, not from every round before.
        new = (
            labels.join(offered, "node", "left")
            .select("node", F.least("label", F.coalesce("offer", "label")).alias("label"))
            .localCheckpoint(eager=True)
        )
        changed = new.join(labels.withColumnRenamed("label", "old"), "node").where(
            F.col("label") != F.col("old")
        ).count()
        labels = new
        log(f"blocking: round {round_}, {changed} report(s) changed block")
        if changed == 0:
            return labels
    raise RuntimeError("blocking did not converge in 1000 rounds")


def main(argv: List[str] = None) -> int:
    args = parse(sys.argv[1:] if argv is None else argv)
    options = analysis_options(args)
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        print("dossier_spark: error: pyspark is not installed (pip install pyspark)", file=sys.stderr)
        return 2
    if os.path.exists(args.out):
        print(f"dossier_spark: error: {args.out} exists; give a new folder", file=sys.stderr)
        return 2
    builder = SparkSession.builder.appName("dossier")
    master = args.master
    if master is None and "--master" not in os.environ.get("PYSPARK_SUBMIT_ARGS", ""):
        master = os.environ.get("MASTER", "local[*]")
    if master is not None:
        builder = builder.master(master)
    if (master or "").startswith("local"):
        # Local workers are this machine's Python: the one running this job has dossier
        # installed, the first `python3` on the PATH may not.
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    if args.partitions:
        builder = builder.config("spark.sql.shuffle.partitions", str(args.partitions))
    elif (master or "").startswith("local"):
        # Spark's 200 suit a cluster; on one machine they are 200 tasks of overhead a stage.
        builder = builder.config("spark.sql.shuffle.partitions", str(4 * (os.cpu_count() or 2)))
    spark = builder.getOrCreate()
    try:
        return run(spark, args, options)
    finally:
        spark.stop()


def log(message: str) -> None:
    print(f"dossier_spark: {message}", file=sys.stderr, flush=True)


def run(spark: Any, args: argparse.Namespace, options: Dict[str, Any]) -> int:
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    started = time.monotonic()
    files = (
        spark.read.format("binaryFile")
        .option("recursiveFileLookup", "true")
        .load(args.inputs)
        .select("path", "content")
    )
    read = files.rdd.mapPartitions(lambda rows: read_files(rows, options))
    schema = "path string, pos int, kind string, id string, payload string, terms array<string>"
    rows = spark.createDataFrame(read, schema).cache()
    skipped = rows.where(F.col("kind") == "skipped").orderBy("path", F.desc("pos"))
    for line in skipped.select("payload").collect():
        said = json.loads(line.payload)
        what = "" if said["kept"] else "skipped "
        log(f"warning: {what}{said['input']}: {said['reason']}")
    skipped.select("payload").write.text(os.path.join(args.out, "skipped"))

    # Pile order, and ids made unique in it as one box does.
    ordered = Window.orderBy("path", "pos")
    same_id = Window.partitionBy("id").orderBy("seq")
    docs = (
        rows.where(F.col("kind") == "report")
        .withColumn("seq", F.row_number().over(ordered))
        .withColumn("n", F.row_number().over(same_id))
        .withColumn("new_id", F.when(F.col("n") == 1, F.col("id")).otherwise(
            F.concat(F.col("id"), F.lit("~"), F.col("n").cast("string"))))
        .select("seq", "new_id", "payload", "terms")
        .cache()
    )
    total = docs.count()
    if total == 0:
        log("error: no report could be read (reasons above)")
        return 1
    log(f"read {total} report(s) in {time.monotonic() - started:.1f} s")

    edges = candidate_edges(docs, total, args)
    labels = components(spark, edges, docs.select("seq"), log)
    blocks = docs.join(labels, docs.seq == labels.node)
    sizes = blocks.groupBy("label").count().agg(F.count("*"), F.max("count")).first()
    log(f"{sizes[0]} block(s), the largest of {sizes[1]} report(s)")

    members = blocks.rdd.map(lambda r: (r.label, (r.seq, r.new_id, r.payload)))
    stories = members.groupByKey().flatMap(lambda kv: analyse_block(kv[1], options)).cache()
    docs.orderBy("seq").rdd.map(lambda r: json.dumps(renamed(json.loads(r.payload), r.new_id))).saveAsTextFile(
        os.path.join(args.out, "reports")
    )
    stories.saveAsTextFile(os.path.join(args.out, "stories"))
    count = stories.count()
    if args.html:
        write_all_pages(docs, stories, args.out)
    log(
        f"{total} report(s) in {count} stor{'y' if count == 1 else 'ies'}; wrote {args.out} "
        f"in {time.monotonic() - started:.1f} s"
    )
    return 0


def write_all_pages(docs: Any, stories: Any, out: str) -> None:
    """Each story's page, beside its reports: stories are keyed by their reports' ids."""
    by_report = stories.flatMap(
        lambda line: [(r, line) for r in json.loads(line)["reports"]]
    )
    reports = docs.rdd.map(lambda r: (r.new_id, json.dumps(renamed(json.loads(r.payload), r.new_id))))
    grouped = by_report.join(reports).map(lambda kv: (kv[1][0], kv[1][1])).groupByKey()

    def page(kv: Tuple[str, Iterable[str]]) -> None:
        found = {json.loads(r)["id"]: json.loads(r) for r in kv[1]}
        write_pages([kv[0]], found, out)

    grouped.foreach(page)
