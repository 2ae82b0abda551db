"""The Spark job on a local master gives the stories one box gives, and the same account of
what it could not read."""

import html
import json
import os
import shutil
from pathlib import Path

import pytest

import dossier

pyspark = pytest.importorskip("pyspark", reason="pip install pyspark (scripts/test-python.sh does)")
if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
    pytest.skip("Spark needs Java 17 or newer", allow_module_level=True)

from dossier_spark.job import main  # noqa: E402

from test_dossier import FAST, ROOT, duc_pile  # noqa: E402


def lines(folder: Path):
    return [
        json.loads(line)
        for part in sorted(folder.glob("part-*"))
        for line in part.read_text().splitlines()
        if line
    ]


def test_spark_stories_are_those_of_one_box(tmp_path, monkeypatch):
    """The bundled example and a small DUC pile, in shards, beside a file that is no report."""
    monkeypatch.setenv("SPARK_LOCAL_IP", "127.0.0.1")
    pile = tmp_path / "pile"
    pile.mkdir()
    for example in sorted((ROOT / "examples" / "harbour-bridge").iterdir()):
        shutil.copy(example, pile / example.name)
    data, gold = duc_pile(4)
    rows = data.split(b"\n")
    (pile / "duc-a.jsonl").write_bytes(b"\n".join(rows[: len(rows) // 2]))
    (pile / "duc-b.jsonl").write_bytes(b"\n".join(rows[len(rows) // 2 :]))
    (pile / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00binary")
    out = tmp_path / "out"

    code = main(
        [str(pile), "--out", str(out), "--master", "local[2]", "--html"]
        + ["--no-entities", "--no-claims"]
    )

    assert code == 0
    with pytest.warns(dossier.DossierWarning, match="logo.png"):
        one_box = dossier.build(pile, **FAST)
    reports, stories = lines(out / "reports"), lines(out / "stories")
    assert [r["id"] for r in reports] == [r["id"] for r in one_box["reports"]]
    assert set(gold) <= {r["id"] for r in reports}
    assert sorted(map(sorted, (s["reports"] for s in stories))) == sorted(
        map(sorted, (s["reports"] for s in one_box["stories"]))
    )
    by_id = {s["id"]: s for s in one_box["stories"]}
    for story in stories:
        assert story["summary"] == by_id[story["id"]]["summary"]
        page = (out / "pages" / story["id"] / "index.html").read_text()
        assert html.escape(story["title"], quote=False) in page
    skipped = lines(out / "skipped")
    assert any(s["input"].endswith("logo.png") and "binary" in s["reason"] for s in skipped)


def test_blocks_by_rounds_of_joins_are_those_found_on_the_driver():
    """A text graph too big for the driver is labelled by Spark's rounds of joins; the two ways
    give every text the least text of its component."""
    from pyspark.sql import SparkSession

    from dossier_spark import job

    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    spark = SparkSession.builder.master("local[1]").config("spark.sql.shuffle.partitions", "2").getOrCreate()
    try:
        # A chain 1-2-5-7 reached from its far end, a pair 3-4, and 6 and 8 alone.
        edges = spark.createDataFrame([(5, 7), (2, 5), (1, 2), (3, 4)], "a long, b long")
        nodes = spark.createDataFrame([(i,) for i in range(1, 9)], "seq long")
        by_joins = sorted(tuple(r) for r in job.components(edges, nodes, lambda _: None).collect())
        on_driver = sorted(tuple(r) for r in job.blocks(edges, nodes, 4).collect())
    finally:
        spark.stop()
    expected = [(1, 1), (2, 1), (3, 3), (4, 3), (5, 1), (6, 6), (7, 1), (8, 8)]
    assert by_joins == expected
    assert on_driver == expected
