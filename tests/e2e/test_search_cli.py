"""`kabar search`: hits as lines or JSON, the index build said on stderr once, no hit and bad input in one line."""
from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bench.analyst_warehouse import article_row, load_rows, source_row
from orchestration.cli import main

KABAR = Path(sys.executable).parent / "kabar"
TEMPO = source_row("Tempo", "tempo.co", "publisher", "id", "ID")


@pytest.fixture
def warehouse(kabar_home):
    texts = {"a": "Presiden Jokowi meresmikan bendungan baru di Jawa Tengah bersama pemerintah daerah.",
             "b": "Harga beras naik di pasar induk, kata pedagang.",
             "c": "Jokowi, Jokowi: the president's name opens the English edition's story."}
    articles = [article_row(f"id-{key}", text, title=f"Berita {key}", language="en" if key == "c" else "id",
                            source_id=TEMPO["source_id"], url=f"https://tempo.co/{key}",
                            published_at=datetime(2026, 11, 3, 9, tzinfo=UTC)) for key, text in texts.items()]
    path = kabar_home / "warehouse.duckdb"
    load_rows(path, {"sources": [TEMPO], "articles": articles})
    return path


def test_hits_print_rank_day_outlet_title_url_and_snippet(warehouse, capsys):
    assert main(["search", "jokowi"]) == 0
    out, err = capsys.readouterr()
    assert err == "kabar: indexing 3 articles for search\n"
    assert out.splitlines()[:3] == ["1. 2026-11-03  Tempo  Berita c", "   https://tempo.co/c",
                                    "   Jokowi, Jokowi: the president's name opens the English edition's story."]
    assert out.splitlines()[3] == "2. 2026-11-03  Tempo  Berita a" and len(out.splitlines()) == 6
    assert main(["search", "jokowi", "--lang", "id", "--outlet", "TEMPO.CO", "--since", "2026-11-03",
                 "--until", "2026-11-03", "--limit", "1"]) == 0
    out, err = capsys.readouterr()
    assert err == "" and out.splitlines()[0] == "1. 2026-11-03  Tempo  Berita a" and len(out.splitlines()) == 3


def test_json_is_one_list_of_hits(warehouse, capsys):
    assert main(["search", "beras", "--json"]) == 0
    hits = json.loads(capsys.readouterr().out)
    assert [(hit["article_id"], hit["outlet"], hit["published_at"]) for hit in hits] == [
        ("id-b", "Tempo", "2026-11-03T09:00:00+00:00")]
    assert "beras" in hits[0]["snippet"] and hits[0]["score"] > 0


def test_no_hit_says_so_on_stderr_and_exits_1(warehouse, capsys):
    assert main(["search", "tsunami", "--lang", "en"]) == 1
    out, err = capsys.readouterr()
    assert out == "" and err.splitlines()[-1] == "kabar: no articles match 'tsunami' with --lang en"


@pytest.mark.parametrize("arguments, code, message", [
    (["search", "   "], 1, "kabar: the search query is blank: give words to look for"),
    (["search", "x", "--since", "3 Nov"], 2, "kabar: argument --since: not a day (YYYY-MM-DD): '3 Nov'"),
    (["search", "x", "--until", "2026-02-30"], 2, "kabar: argument --until: not a day (YYYY-MM-DD): '2026-02-30'"),
    (["search", "x", "--since", "2026-11-04", "--until", "2026-11-03"], 1,
     "kabar: --since 2026-11-04 is after --until 2026-11-03"),
    (["search", "x", "--limit", "0"], 2, "kabar: argument --limit: not a whole number of at least 1: '0'"),
])
def test_bad_input_is_one_line(warehouse, capsys, arguments, code, message):
    assert main(arguments) == code
    out, err = capsys.readouterr()
    assert out == "" and len(err.splitlines()) == 1 and err.startswith(message)


def test_no_warehouse_is_one_line_from_the_command(kabar_home):
    result = subprocess.run([str(KABAR), "search", "jokowi"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.startswith(f"kabar: no warehouse at {kabar_home / 'warehouse.duckdb'}")
    assert len(result.stderr.splitlines()) == 1
