"""The Python package over the real pipeline and models, on the bundled example and DUC 2004."""

import gzip
import json
import os
import subprocess
import warnings
from pathlib import Path

import pytest

import dossier

ROOT = Path(__file__).resolve().parents[3]
EXAMPLE = ROOT.parent / "shared" / "examples" / "iraq-letter"
DUC = ROOT.parent / "shared" / "data" / "duc2004" / "dev.jsonl"
FAST = {"entities": False, "claims": False}


def duc_pile(clusters):
    """JSON Lines bytes of the first documents of the first DUC clusters, and each
    document's cluster."""
    lines, gold = [], {}
    with open(DUC) as f:
        for n, line in enumerate(f):
            if n == clusters:
                break
            cluster = json.loads(line)
            for i, text in enumerate(cluster["docs"][:4]):
                doc_id = f"{cluster['cluster']}-{i}"
                gold[doc_id] = cluster["cluster"]
                lines.append(json.dumps({"id": doc_id, "text": text}))
    return "\n".join(lines).encode(), gold


def test_reads_a_folder_like_the_command_line():
    reports = dossier.read(EXAMPLE)
    assert len(reports) == 2
    for report in reports:
        assert report["sentences"], report["id"]
        assert report["sentences"][0]["id"] == f"{report['id']}:1"
    # The scraped page's debris is taken out, and said why.
    removed = [r for report in reports for r in report["removed"]]
    assert removed and all(r["rule"] for r in removed)


def test_reads_bytes_of_each_kind_and_says_what_it_skipped():
    page = b"<html><head><title>Ferry sinks</title></head><body><article><p>" + (
        b"A ferry carrying 300 passengers sank off the coast of Sulawesi on Monday, "
        b"the coast guard said. Rescuers pulled 120 people from the water.</p>"
        b"</article></body></html>"
    )
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        reports = dossier.read(
            [page, b"\x89PNG\r\n\x1a\n\x00\x00binary"], name="ferry.html"
        )
    assert [r["title"] for r in reports] == ["Ferry sinks"]
    assert "Sulawesi" in reports[0]["text"]
    messages = [str(w.message) for w in said if issubclass(w.category, dossier.DossierWarning)]
    assert any("skipped ferry.html" in m and "binary" in m for m in messages), messages


def test_reading_nothing_is_an_error_naming_the_inputs(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("   \n")
    with pytest.raises(dossier.DossierError, match="empty.txt: empty file"):
        dossier.read(empty, errors="ignore")
    with pytest.raises(dossier.DossierError, match="cannot open"):
        dossier.read(tmp_path / "missing.txt", errors="raise")


def test_a_report_from_memory_reads_its_date():
    report = dossier.report(
        "Hurricane Mitch killed at least 200 people in Honduras, officials said on Tuesday.",
        id="mitch",
        title="Mitch kills 200",
        published="October 27, 1998",
        source="Wire",
    )
    assert report["id"] == "mitch"
    assert report["published"].startswith("1998-10-27")
    assert report["outlet"] == "Wire"


def test_bad_options_and_kinds_are_refused():
    reports = dossier.read(EXAMPLE)
    with pytest.raises(ValueError, match="unknown field `colour`"):
        dossier.analyse(reports, colour="red")
    with pytest.raises(ValueError, match="unknown kind"):
        dossier.read(b"text", kind="pdf")
    with pytest.raises(TypeError):
        dossier.read(42)


def test_build_groups_duc_clusters_and_writes_the_page(tmp_path):
    pile, gold = duc_pile(3)
    result = dossier.build(pile, out=tmp_path / "out", name="duc.jsonl", **FAST)
    assert result["version"] == dossier.CONTRACT_VERSION
    assert len(result["reports"]) == 12
    clusters = [{gold[r] for r in story["reports"]} for story in result["stories"]]
    assert all(len(c) == 1 for c in clusters), clusters
    assert len(result["stories"]) == 3
    written = json.loads((tmp_path / "out" / "dossier.json").read_text())
    assert written == result
    page = (tmp_path / "out" / "index.html").read_text()
    assert result["stories"][0]["title"].split()[0] in page


def test_a_story_with_the_models_matches_the_command_line(tmp_path):
    """The same reports through the CLI and through Python give the same story."""
    cli = os.environ.get("DOSSIER_BIN") or str(
        Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target")) / "debug" / "dossier"
    )
    if not Path(cli).exists():
        pytest.skip(f"no dossier binary at {cli} (cargo build -p dossier-cli, or set DOSSIER_BIN)")
    out = tmp_path / "cli"
    subprocess.run([cli, "build", str(EXAMPLE), "--out", str(out), "--quiet"], check=True)
    from_cli = json.loads((out / "dossier.json").read_text())
    from_python = dossier.build(EXAMPLE)
    assert from_python == from_cli
    (story,) = from_python["stories"]
    names = {e["name"] for e in story["entities"]}
    assert "Green Zone" in names, names
    again = dossier.story(from_python["reports"])
    assert again["summary"] == story["summary"]
    assert again["claims"] == story["claims"]
