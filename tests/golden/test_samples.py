"""Golden expectations for every bundled sample page (``samples/``), checked on the warehouse that
one run of the whole pipeline produces. Each page's expectations live in ``tests/golden/samples/<name>.json``."""
from __future__ import annotations

import json
from collections import defaultdict
from datetime import datetime
from pathlib import Path

import pytest

from orchestration.cli import main
from pipeline.config import BUNDLED_SAMPLES
from warehouse.io import open_warehouse

GOLDEN = sorted((Path(__file__).parent / "samples").glob("*.json"))
SPEAKER_ACCURACY_FLOOR = 0.9


def golden(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    """Run `kabar run` once over the bundled samples; read back everything per input file."""
    home = tmp_path_factory.mktemp("samples-home")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("KABAR_HOME", str(home))
        patch.delenv("KABAR_WAREHOUSE", raising=False)
        patch.delenv("KABAR_INBOX", raising=False)
        patch.setenv("DAGSTER_HOME", str(home / "dagster"))
        assert main(["run", str(BUNDLED_SAMPLES)]) == 0
    with open_warehouse(home / "warehouse.duckdb") as con:
        return {
            "articles": {Path(r[0]).name: r for r in con.execute(
                "select origin, article_id, title, language, site_name, canonical_url, published_at, "
                "published_at_precision, authors, text, modified_at, is_accessible_for_free from articles").fetchall()},
            "rejects": {Path(r[0]).name: r[1] for r in con.execute("select origin, reason from rejects").fetchall()},
            "clusters": {Path(r[0]).name: r[1] for r in con.execute("select origin, cluster_id from articles").fetchall()},
            "entities": _grouped(con, "select article_id, name, type, country_code from entities"),
            "methods": _grouped(con, "select article_id, method from entities"),
            "quotes": _grouped(con, "select article_id, text, speaker, cue from quotes order by start_offset"),
            "sources": _grouped(con, "select x.article_id, s.name, x.role from article_sources x join sources s using (source_id)"),
        }


def _grouped(con, query: str) -> dict[str, list[tuple]]:
    grouped = defaultdict(list)
    for row in con.execute(query).fetchall():
        grouped[row[0]].append(row[1:])
    return grouped


def test_every_sample_page_has_a_golden_file():
    pages = {p.name for p in BUNDLED_SAMPLES.iterdir() if p.suffix == ".html"}
    assert pages == {golden(path)["file"] for path in GOLDEN}
    assert len(pages) >= 24


def test_syndicated_copies_share_their_original_cluster_and_no_other_pages_do(warehouse):
    """``syndicated_copy_of`` names the page a copy was taken from; the cluster is named after the original."""
    pages = [golden(path) for path in GOLDEN if golden(path)["outcome"] == "article"]
    founders = {page["file"]: page["syndicated_copy_of"] or page["file"] for page in pages}
    assert any(founder != name for name, founder in founders.items())
    article_ids = {name: row[1] for name, row in warehouse["articles"].items()}
    assert warehouse["clusters"] == {name: article_ids[founder] for name, founder in founders.items()}


@pytest.mark.parametrize("path", GOLDEN, ids=lambda p: p.stem)
def test_page_outcome_and_metadata(warehouse, path):
    expected = golden(path)
    if expected["outcome"] == "reject":
        assert warehouse["rejects"].get(expected["file"]) == expected["reject_reason"]
        return
    row = warehouse["articles"][expected["file"]]
    _, _, title, language, site_name, canonical_url, published_at, precision, authors, text, modified_at, free = row
    assert title == expected["title"]
    assert language == expected["language"]
    assert site_name == expected["site_name"]
    assert canonical_url == expected["url"]
    assert list(authors) == expected["authors"]
    assert (published_at, precision) == (_time(expected["published_at"]), expected["published_at_precision"])
    assert (modified_at, free) == (_time(expected["modified_at"]), expected["is_accessible_for_free"])
    for phrase in expected["must_contain"]:
        assert phrase in text
    for phrase in expected["must_not_contain"]:
        assert phrase not in text


def _time(written: str | None) -> datetime | None:
    return datetime.fromisoformat(written.replace("Z", "+00:00")) if written else None


@pytest.mark.parametrize("path", [p for p in GOLDEN if golden(p)["outcome"] == "article"], ids=lambda p: p.stem)
def test_page_entities_quotes_and_agencies(warehouse, path):
    expected = golden(path)
    article_id = warehouse["articles"][expected["file"]][1]
    entities = {(name.casefold(), kind) for name, kind, _ in warehouse["entities"][article_id]}
    for entity in expected["entities"]:
        assert (entity["name"].casefold(), entity["type"]) in entities, entity
    quotes = warehouse["quotes"][article_id]
    for item in expected["quotes"]:
        assert any(text.startswith(item["starts_with"]) for text, _, _ in quotes), item["starts_with"]
    for scare in expected["not_quotes"]:
        assert all(text.strip(" .,") != scare for text, _, _ in quotes), scare
    assert len(quotes) == len(expected["quotes"])
    sources = set(warehouse["sources"][article_id])
    for agency in expected["agencies"]:
        assert (agency["name"], agency["role"]) in sources, agency
    cited = {name for name, role in sources if role != "publisher"}
    for name in expected["not_agencies"]:
        assert name not in cited, name


def test_entity_methods_follow_the_article_language(warehouse):
    """English, French and Indonesian pages use their NER model; every other language the rules and gazetteer."""
    seen = defaultdict(set)
    for path in GOLDEN:
        expected = golden(path)
        if expected["outcome"] == "article":
            article_id = warehouse["articles"][expected["file"]][1]
            seen[expected["language"]] |= {method for (method,) in warehouse["methods"][article_id]}
    assert "model:en" in seen.pop("en") and "model:id" in seen.pop("id") and "model:fr" in seen.pop("fr")
    assert seen and all(methods and methods <= {"rules", "gazetteer"} for methods in seen.values()), dict(seen)


@pytest.mark.parametrize("language", ["id", "en"])
def test_speaker_accuracy_per_language(warehouse, language):
    right = total = 0
    for path in GOLDEN:
        expected = golden(path)
        if expected["outcome"] != "article" or expected["language"] != language:
            continue
        quotes = warehouse["quotes"][warehouse["articles"][expected["file"]][1]]
        for item in expected["quotes"]:
            total += 1
            found = next((speaker for text, speaker, _ in quotes if text.startswith(item["starts_with"])), None)
            right += found == item["speaker"]
    assert total >= 30
    assert right / total >= SPEAKER_ACCURACY_FLOOR, f"{language}: {right}/{total}"
