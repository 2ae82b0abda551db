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
