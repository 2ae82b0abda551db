"""dossier over Apache Spark: the pile read in parallel, stories formed and analysed per block.

Steps, each a Spark stage over the whole pile:

1. **Read.** Every input file (text, HTML, JSON Lines, WARC, gzipped or not) is read where it
   lies, by ``dossier.read`` on its bytes: the same extraction, cleaning and sentence split as
   ``dossier build``. Report ids are then made unique over the pile in input order (path, then
   position in the file), by the one-box rule (``id``, ``id~2``...).
2. **Texts.** Copies of one text (same title and sentences: one wire story syndicated, one
   page crawled twice) are one text, as in ``dossier build``: the former clusters at most three
   copies of each and every copy follows its text into its story. Everything up to the
   stories is computed over distinct texts, so copies cost no pairs.
3. **Block.** Each text's words are weighed as the story former weighs them (its stems and
   counts, from the library; tf-idf with the document frequencies of the whole pile). Texts
   that share a word held by at most ``--key-limit`` distinct texts are paired (so no common
   word makes a quadratic block); the exact cosine of each pair is one Spark SQL expression over
   the two texts' compact vectors (sorted stem numbers and unit weights); pairs at least
   ``--block-threshold`` alike are joined, and blocks are the connected components (on the
   driver when the graph is small, else by iterated minimum-label joins).
4. **Stories.** Each block's first copies go to the story former of ``dossier build``
   (``pipeline::groups``: the service's former placing them in date order, then its final
   pass) with the pile's document frequencies. The final pass re-forms the stories of long
   texts by average link, which joins two groups only through a pair at least 0.1 alike (the
   mean link at 0.2, fragments at 0.1), so at a block threshold of 0.1 no such story spans two
   blocks, and inside a block every similarity the pass weighs is the pile's, so those stories
   are one box's. The default, 0.15, keeps articles from chaining into one block and still gave
   one box's stories on every set of articles measured (bench/spark). The stories of short
   texts (headlines, posts) are the former's own joins to a story's centroid, which a block
   need not hold whole; ``--events`` decides by a learnt model, for which blocks are not
   proven whole either.
5. **Analysis.** Every report goes to its text's story, and each story is analysed where its
   reports meet, by the function ``dossier build`` analyses a story with.

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
    p.add_argument("--precision", choices=["onnx-f32", "onnx-int8", "f32", "int8"], help="the encoder's engine and precision [onnx-f32]")
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
        default=0.15,
        help="reports this alike (the story former's own cosine) go to one block, whose "
        "stories are formed as dossier build forms them. 0.1 is the lowest similarity through "
        "which the former joins two groups, so blocks then hold whole stories for certain, but "
        "news articles chain into one block at 0.1; the default 0.15 was chosen on DUC 2004 "
        "(same stories as one box there and on ECB+ and UCI, see bench/spark); higher is more "
        "parallel and splits stories [0.15]",
    )
    p.add_argument(
        "--partitions",
        type=int,
        help="shuffle partitions [spark.sql.shuffle.partitions when set, else 4 per core the job starts with]",
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
    """(path, position, kind, id, payload, text key, stem counts) for each report and each
    skipped input; the stem counts only with the first copy of a text in the partition (copies
    have the same)."""
    reading = {k: options[k] for k in ("report_timeout", "max_bytes") if k in options}
    seen = set()
    for row in rows:
        name = shown(row.path)
        found = dossier.read_all(bytes(row.content), name=name, **reading)
        keys = _native.terms(json.dumps(found.reports)) if found.reports else []
        for n, (report, (key, words)) in enumerate(zip(found.reports, keys)):
            terms = None if key in seen else words
            seen.add(key)
            yield (row.path, n, "report", report["id"], json.dumps(report), key, terms)
        for n, (where, why) in enumerate(found.skipped + found.warnings):
            said = {"input": where, "reason": why, "kept": n >= len(found.skipped)}
            yield (row.path, -1 - n, "skipped", "", json.dumps(said), "", None)


def renamed(report: Dict[str, Any], new_id: str) -> Dict[str, Any]:
    """The report under the id one box would give it, its sentences' ids following."""
    if report["id"] != new_id:
        report["id"] = new_id
        for i, sentence in enumerate(report.get("sentences", [])):
            sentence["id"] = f"{new_id}:{i + 1}"
    return report


ESTABLISHED = 3  # copies of one text the former counts (dossier::analyse::cluster::ESTABLISHED)


def grouping_options(options: Dict[str, Any]) -> Dict[str, Any]:
    """What the story former reads of the options: with the models, the encoder (loaded with the
    name tagger, which grouping does not run), by which the former weighs a report's meaning as
    one box does; without them, words alone."""
    said = {k: options[k] for k in ("story_threshold", "events", "models", "precision") if k in options}
    meaning = options.get("entities", True) or options.get("claims", True)
    return dict(said, entities=meaning, claims=False)


def form_stories(
    block: Iterable[Tuple[int, int, str, List[Tuple[str, int]]]], texts: int, options: Dict[str, Any]
) -> List[Tuple[int, int]]:
    """(text, story) for the texts of one block: the former of ``dossier build`` over the
    block's first copies of each text (all it clusters), in pile order, each word weighed by its
    frequency in the whole pile (``texts`` texts). A story is named by its first text."""
    ordered = sorted(block)
    df: Dict[str, int] = {}
    for _, _, _, frequencies in ordered:
        df.update(frequencies)
    reports = "[" + ",".join(payload for _, _, payload, _ in ordered) + "]"
    found = _native.groups(reports, json.dumps(dict(options, pile={"texts": texts, "df": df})))
    named = []
    for group in found:
        tids = sorted({ordered[i][1] for i in group})
        named.extend((tid, tids[0]) for tid in tids)
    return named


def analyse_story(members: Iterable[Tuple[int, str, str]], options: Dict[str, Any]) -> str:
    """The story (a JSON line) of its reports, in pile order, as ``dossier build`` analyses it."""
    ordered = sorted(members)
    reports = [renamed(json.loads(payload), new_id) for _, new_id, payload in ordered]
    return json.dumps(dossier.story(reports, **options))


def write_pages(stories: Iterable[str], reports_by_id: Dict[str, Any], out: str) -> None:
    for line in stories:
        story = json.loads(line)
        members = [reports_by_id[r] for r in story["reports"] if r in reports_by_id]
        page = {"version": dossier.CONTRACT_VERSION, "reports": members, "stories": [story]}
        _native.write(json.dumps(page), os.path.join(out, "pages", story["id"]))


def distinct_texts(docs: Any) -> Any:
    """One row per distinct text (copies share a text key): ``tid`` (its first report's seq),
    ``copies``, the seqs of its first ESTABLISHED copies (all the former clusters: more copies
    change nothing) and its stem counts."""
    from pyspark.sql import functions as F

    return docs.groupBy("key").agg(
        F.min("seq").alias("tid"),
        F.count("*").alias("copies"),
        F.slice(F.sort_array(F.collect_list("seq")), 1, ESTABLISHED).alias("clustered"),
        F.first("terms", ignorenulls=True).alias("terms"),
    )


def weighted(texts: Any) -> Tuple[int, Any]:
    """Each text's words as the former weighs them over the whole pile: (tid, stem, sid (a
    number for the stem), df, holders, w), w the tf-idf weight (1 + ln count) * (ln((n + 1) / (df + 1)) + 1), n and the
    document frequencies over the texts the former counts (each distinct text at most
    ESTABLISHED times); ``holders`` is how many distinct texts hold the stem."""
    from pyspark.sql import functions as F

    counted = texts.select("tid", F.least("copies", F.lit(ESTABLISHED)).alias("n"), "terms")
    n = counted.agg(F.sum("n")).first()[0]
    words = counted.select("tid", "n", F.explode("terms").alias("t")).select(
        "tid", "n", F.col("t.stem").alias("stem"), F.col("t.count").alias("count")
    )
    df = (
        words.groupBy("stem")
        .agg(F.sum("n").alias("df"), F.count("*").alias("holders"))
        .withColumn("sid", F.monotonically_increasing_id())
    )
    idf = F.log(F.lit(float(n + 1)) / (F.col("df") + 1)) + 1
    return n, words.join(df, "stem").select(
        "tid", "stem", "sid", "df", "holders", ((1 + F.log("count")) * idf).alias("w")
    )


def candidate_edges(words: Any, args: argparse.Namespace) -> Any:
    """Pairs of texts at least ``--block-threshold`` alike by the former's own cosine, among
    the pairs that share a word held by at most ``--key-limit`` distinct texts (so no word costs
    more than key-limit squared pairs). Each text's words travel as one row of two arrays, so
    the exact cosine (over all their words) is one expression per pair, in the JVM."""
    from pyspark.sql import functions as F

    ordered = F.array_sort(F.collect_list(F.struct("sid", "w")))
    vectors = (
        words.groupBy("tid")
        .agg(ordered.alias("v"), F.sqrt(F.sum(F.col("w") * F.col("w"))).alias("norm"))
        .select(
            "tid",
            F.col("v.sid").alias("ids"),
            F.transform("v", lambda e: e.w / F.col("norm")).alias("w"),
        )
    )
    rare = words.where(F.col("holders") <= args.key_limit).select("sid", "tid")
    pairs = (
        rare.alias("p")
        .join(rare.alias("q"), (F.col("p.sid") == F.col("q.sid")) & (F.col("p.tid") < F.col("q.tid")))
        .select(F.col("p.tid").alias("a"), F.col("q.tid").alias("b"))
        .distinct()
    )
    x = vectors.select(F.col("tid").alias("a"), F.col("ids").alias("xs"), F.col("w").alias("xw"))
    y = vectors.select(F.col("tid").alias("b"), F.col("ids").alias("ys"), F.col("w").alias("yw"))

    def shared(acc: Any, stem: Any) -> Any:
        at_x = F.array_position("xs", stem).cast("int") - 1
        at_y = F.array_position("ys", stem).cast("int") - 1
        return acc + F.col("xw")[at_x] * F.col("yw")[at_y]

    cosine = F.aggregate(F.array_intersect("xs", "ys"), F.lit(0.0), shared)
    return (
        pairs.join(x, "a")
        .join(y, "b")
        .where(cosine >= args.block_threshold)
        .select("a", "b")
    )


# Edges of the text graph up to which its components are found on the driver (union-find,
# about 100 bytes an edge), rather than by Spark's rounds of joins: each round is several jobs,
# which cost more than the whole graph when it is this small.
DRIVER_EDGES = 2_000_000


def blocks(edges: Any, nodes: Any, count: int) -> Any:
    """(node, label) for every node: its connected component, named by its least node."""
    from pyspark.sql import functions as F

    if count > DRIVER_EDGES:
        return components(edges, nodes, log)
    parent: Dict[int, int] = {}

    def root(x: int) -> int:
        while parent.get(x, x) != x:
            parent[x] = parent.get(parent[x], parent[x])
            x = parent[x]
        return x

    for a, b in edges.collect():
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    joined = [(x, root(x)) for x in parent]
    found = nodes.sparkSession.createDataFrame(joined or [(-1, -1)], "node long, found long")
    return (
        nodes.select(F.col("seq").alias("node"))
        .join(F.broadcast(found), "node", "left")
        .select("node", F.coalesce("found", "node").alias("label"))
    )


def components(edges: Any, nodes: Any, log: Any) -> Any:
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
    # Small shuffles feed Python steps that cost far more than their bytes (the pairs' cosines,
    # the stories): coalesced into one partition they would run on one core.
    builder = builder.config("spark.sql.adaptive.coalescePartitions.enabled", "false")
    spark = builder.getOrCreate()
    if not spark.sparkContext.getConf().contains("spark.sql.shuffle.partitions"):
        # Spark's 200 are 200 tasks of overhead a stage on a few cores, and with coalescing off
        # nothing merges them: four per core the job was given (its cores when it starts; at
        # least two), unless the user set the number (--partitions or --conf).
        cores = max(spark.sparkContext.defaultParallelism, 2)
        spark.conf.set("spark.sql.shuffle.partitions", str(4 * cores))
    try:
        return run(spark, args, options)
    finally:
        spark.stop()


STARTED = time.monotonic()


def log(message: str) -> None:
    print(f"dossier_spark: [{time.monotonic() - STARTED:.1f} s] {message}", file=sys.stderr, flush=True)


def read_pile(spark: Any, args: argparse.Namespace, options: Dict[str, Any]) -> Any:
    """Every report and skipped input of the inputs, read where they lie (``kind`` says which;
    persisted, for the caller to unpersist); skipped ones said and written."""
    from pyspark import StorageLevel
    from pyspark.sql import functions as F

    files = (
        spark.read.format("binaryFile")
        .option("recursiveFileLookup", "true")
        .load(args.inputs)
        .select("path", "content")
    )
    read = files.rdd.mapPartitions(lambda rows: read_files(rows, options))
    schema = (
        "path string, pos int, kind string, id string, payload string, key string, "
        "terms array<struct<stem: string, count: int>>"
    )
    rows = spark.createDataFrame(read, schema).persist(StorageLevel.DISK_ONLY)
    skipped = rows.where(F.col("kind") == "skipped").orderBy("path", F.desc("pos"))
    for line in skipped.select("payload").collect():
        said = json.loads(line.payload)
        what = "" if said["kept"] else "skipped "
        log(f"warning: {what}{said['input']}: {said['reason']}")
    skipped.select("payload").write.text(os.path.join(args.out, "skipped"))
    return rows


def in_pile_order(reports: Any) -> Any:
    """The reports with ``seq``, their place in the pile (files in path order, then position),
    and ``new_id``, their id made unique as one box makes it (``id``, ``id~2``...). Only the
    files' report counts and the repeated ids are gathered: no report moves."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    spark = reports.sparkSession
    counts = sorted(reports.groupBy("path").count().collect())
    offsets, at = [], 0
    for row in counts:
        offsets.append((row.path, at))
        at += row["count"]
    starts = spark.createDataFrame(offsets or [("", 0)], "path string, offset long")
    docs = reports.join(F.broadcast(starts), "path").withColumn(
        "seq", F.col("offset") + F.col("pos") + 1
    )
    same_id = Window.partitionBy("id").orderBy("seq")
    repeated = (
        docs.select("id", "seq")
        .withColumn("copies", F.count("*").over(Window.partitionBy("id")))
        .where(F.col("copies") > 1)
        .withColumn("n", F.row_number().over(same_id))
        .where(F.col("n") > 1)
        .select("seq", F.concat("id", F.lit("~"), F.col("n").cast("string")).alias("renamed"))
    )
    return docs.join(repeated, "seq", "left").select(
        "seq", F.coalesce("renamed", "id").alias("new_id"), "payload", "key", "terms"
    )


def stories_of_texts(
    docs: Any, texts: Any, args: argparse.Namespace, options: Dict[str, Any]
) -> Any:
    """(key, story) for each distinct text: blocks of texts alike by the former's cosine, and
    in each block the stories ``dossier build`` forms."""
    from pyspark.sql import functions as F

    spark = docs.sparkSession
    n, words = weighted(texts)
    words = words.persist()
    edges = candidate_edges(words, args).persist()
    count = edges.count()
    log(f"{count} pair(s) of texts alike")
    labels = blocks(edges, texts.select(F.col("tid").alias("seq")), count).persist()
    frequencies = words.groupBy("tid").agg(
        F.map_from_entries(F.collect_list(F.struct("stem", "df"))).alias("dfs")
    )
    sizes = labels.groupBy("label").count().agg(F.count("*"), F.max("count")).first()
    log(f"{sizes[0]} block(s), the largest of {sizes[1]} distinct text(s)")
    clustered = texts.select("tid", F.explode("clustered").alias("seq"))
    block_rows = (
        docs.select("seq", "payload")
        .join(clustered, "seq")
        .join(labels.select(F.col("node").alias("tid"), "label"), "tid")
        .join(frequencies, "tid", "left")
    )
    grouping = grouping_options(options)
    formed = (
        block_rows.rdd.map(lambda r: (r.label, (r.seq, r.tid, r.payload, r.dfs or {})))
        .groupByKey()
        .flatMap(lambda kv: form_stories(kv[1], n, grouping))
    )
    story_of = spark.createDataFrame(formed, "tid long, story long")
    return texts.join(story_of, "tid").select("key", "story")


def run(spark: Any, args: argparse.Namespace, options: Dict[str, Any]) -> int:
    from pyspark import StorageLevel
    from pyspark.sql import functions as F

    started = time.monotonic()
    # The reports are the pile itself, kept on local disk rather than in the heap: cached in
    # memory, 720,000 of a million filled a 4 GB driver's storage memory and the next cached
    # batch ran its heap out (bench/spark). Read once, they are kept once: as read, until they
    # are in pile order.
    rows = read_pile(spark, args, options)
    docs = in_pile_order(rows.where(F.col("kind") == "report")).persist(StorageLevel.DISK_ONLY)
    total = docs.count()
    rows.unpersist()
    if total == 0:
        log("error: no report could be read (reasons above)")
        return 1
    log(f"read {total} report(s) in {time.monotonic() - started:.1f} s")

    texts = distinct_texts(docs).persist()
    log(f"{texts.count()} distinct text(s)")
    story_of = stories_of_texts(docs, texts, args, options).persist()
    log(f"{story_of.select('story').distinct().count()} stories formed")

    members = docs.select("seq", "new_id", "payload", "key").join(story_of, "key")
    stories = (
        members.rdd.map(lambda r: (r.story, (r.seq, r.new_id, r.payload)))
        .groupByKey()
        .map(lambda kv: analyse_story(kv[1], options))
        .persist(StorageLevel.MEMORY_AND_DISK)
    )
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
