"""The Spark job on a local master gives the stories one box gives, and the same account of
what it could not read."""

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

from test_dossier import FAST, duc_pile  # noqa: E402


def lines(folder: Path):
    return [
        json.loads(line)
        for part in sorted(folder.glob("part-*"))
        for line in part.read_text().splitlines()
        if line
    ]


def test_spark_stories_are_those_of_one_box(tmp_path, monkeypatch):
    monkeypatch.setenv("SPARK_LOCAL_IP", "127.0.0.1")
    pile = tmp_path / "pile"
    pile.mkdir()
    data, gold = duc_pile(4)
    half = data.count(b"\n") // 2
    first, second = data.split(b"\n")[:half], data.split(b"\n")[half:]
    (pile / "a.jsonl").write_bytes(b"\n".join(first))
    (pile / "b.jsonl").write_bytes(b"\n".join(second))
    (pile / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00binary")
    out = tmp_path / "out"

    code = main([str(pile), "--out", str(out), "--master", "local[2]", "--no-entities", "--no-claims"])

    assert code == 0
    reports = lines(out / "reports")
    stories = lines(out / "stories")
    assert sorted(r["id"] for r in reports) == sorted(gold)
    one_box = dossier.build([pile / "a.jsonl", pile / "b.jsonl"], **FAST)
    assert sorted(map(sorted, (s["reports"] for s in stories))) == sorted(
        map(sorted, (s["reports"] for s in one_box["stories"]))
    )
    by_id = {s["id"]: s for s in one_box["stories"]}
    for story in stories:
        assert story["summary"] == by_id[story["id"]]["summary"]
    skipped = lines(out / "skipped")
    assert any(s["input"].endswith("logo.png") and "binary" in s["reason"] for s in skipped)
