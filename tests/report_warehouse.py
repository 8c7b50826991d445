"""A small warehouse whose every count is known, for the tests of ``kabar report`` (``pipeline.warehouse_report``):
three outlets (two with markup-like names), two agencies, six articles, entities, quotes and rejects, written
straight into the tables with bound parameters."""
from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from warehouse.io import open_warehouse

ALPHA, BETA, GAMMA = "Alpha & Co", "<script>alert(1)</script> Times", "Gamma"
PERSON = "Joko <b>Widodo</b> & Sons"
SOURCES = [  # source_id, name, domain, kind
    ("s-alpha", ALPHA, "alpha.example", "publisher"),
    ("s-beta", BETA, "beta.example", "publisher"),
    ("s-gamma", GAMMA, "gamma.example", "publisher"),
    ("s-reuters", "Reuters", "reuters.com", "agency"),
    ("s-antara", "Antara", "antaranews.com", "agency"),
]
# article_id, source_id, title, site_name, language, published_at, fetched_at, authors, word_count
ARTICLES = [
    ("a1", "s-alpha", "Flood in the city", "Alpha", "en", "2025-01-01 08:00:00+00", None, ["Ana"], 100),
    ("a2", "s-alpha", "Rain again", "Alpha", "en", "2025-01-01 23:30:00+00", None, [], 300),
    # 01:00 in Jakarta on the 3rd is the 2nd in UTC; its title is only the site's name
    ("a3", "s-alpha", "Alpha", "Alpha", None, "2025-01-03 01:00:00+07", None, ["Ana", "Budi"], 200),
    ("b1", "s-beta", "Banjir", "Beta", "id", "2025-01-01 12:00:00+00", None, ["Sari"], 400),
    ("b2", "s-beta", "Hujan", "Beta", "id", "2025-01-02 12:00:00+00", None, None, 500),
    # no publication date: out of the articles-per-day chart, in the health chart on its fetch day
    ("g1", "s-gamma", "Gempa", "Gamma", "id", None, "2025-01-02 09:00:00+00", ["Dewi"], 50),
]
ENTITIES = [  # article_id, entity_id, name, type, mention_count
    ("a1", "e-jakarta", "Jakarta", "LOC", 3), ("a2", "e-jakarta", "Jakarta", "LOC", 1),
    ("b1", "e-jakarta", "Jakarta", "LOC", 2), ("a1", "e-joko", PERSON, "PERSON", 1),
    ("b2", "e-joko", PERSON, "PERSON", 4), ("g1", "e-bmkg", "BMKG", "ORG", 1),
]
QUOTES = [  # quote_id, article_id, speaker
    ("q1", "a1", "Budi"), ("q2", "a1", "Budi"), ("q3", "b1", "Budi"), ("q4", "b2", "Sari"), ("q5", "a2", None),
]
ARTICLE_SOURCES = [  # article_id, source_id, role
    ("a1", "s-alpha", "publisher"), ("a1", "s-reuters", "cited"), ("a2", "s-antara", "credit"),
    ("b1", "s-reuters", "cited"), ("b1", "s-antara", "cited"), ("g1", "s-antara", "credit"),
    ("b2", "s-alpha", "cited"),   # an outlet cited, not an agency: not an agency citation
]
REJECTS = [  # document_id, url, reason
    ("r1", "https://www.alpha.example/x", "empty"), ("r2", "https://news.beta.example/y", "not_html"),
    ("r2", "https://news.beta.example/y", "too_short"), ("r3", None, "empty"),
]
REJECTED_AT = datetime(2025, 1, 3, 10, 0, tzinfo=UTC)

# What the report must say about it.
HEADLINE = {"articles": 6, "outlets": 3, "first_day": "2025-01-01", "last_day": "2025-01-02", "undated_articles": 1,
            "entities": 3, "quotes": 5, "rejects": 4}
ARTICLES_PER_DAY = {("2025-01-01", ALPHA): 2, ("2025-01-01", BETA): 1, ("2025-01-02", ALPHA): 1,
                    ("2025-01-02", BETA): 1}
LANGUAGES = {"en": 2, "id": 3, "unknown": 1}
TOP_ENTITIES = [("Jakarta", "LOC", 3), (PERSON, "PERSON", 2), ("BMKG", "ORG", 1)]
TOP_SPEAKERS = [("Budi", 3), ("Sari", 1)]
AGENCY_CITATIONS = {(ALPHA, "Reuters"): 1, (ALPHA, "Antara"): 1, (BETA, "Reuters"): 1, (BETA, "Antara"): 1,
                    (GAMMA, "Antara"): 1}
# (outlet, day): (articles, title share, author share, date share, median words)
OUTLET_HEALTH = {(ALPHA, "2025-01-01"): (2, 1.0, 0.5, 1.0, 200.0), (ALPHA, "2025-01-02"): (1, 0.0, 1.0, 1.0, 200.0),
                 (BETA, "2025-01-01"): (1, 1.0, 1.0, 1.0, 400.0), (BETA, "2025-01-02"): (1, 1.0, 0.0, 1.0, 500.0),
                 (GAMMA, "2025-01-02"): (1, 1.0, 1.0, 0.0, 50.0)}
OUTLET_REJECTS = {(ALPHA, "empty"): 1, (BETA, "not_html"): 1, (BETA, "too_short"): 1, ("unknown outlet", "empty"): 1}


def build(path: Path) -> Path:
    """The known warehouse at ``path`` (migrated by ``open_warehouse``)."""
    with open_warehouse(path) as con:
        con.executemany("insert into sources (source_id, name, domain, kind) values (?, ?, ?, ?)", SOURCES)
        con.executemany(
            "insert into articles (article_id, document_id, source_id, title, site_name, language, published_at, "
            "fetched_at, authors, word_count, text, content_sha256, extracted_at, extractor_version) "
            "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'text', 'sha', now(), 'test')",
            [(article_id, f"d-{article_id}", *rest) for article_id, *rest in ARTICLES])
        con.executemany("insert into entities (article_id, entity_id, name, type, mention_count) values (?, ?, ?, ?, ?)",
                        ENTITIES)
        con.executemany("insert into quotes (quote_id, article_id, speaker, text, start_offset, end_offset) "
                        "values (?, ?, ?, 'said', 0, 4)", QUOTES)
        con.executemany("insert into article_sources (article_id, source_id, role) values (?, ?, ?)", ARTICLE_SOURCES)
        documents = {document_id: url for document_id, url, _ in REJECTS}
        con.executemany("insert into documents (document_id, origin, url, size_bytes, first_seen_at) "
                        "values (?, 'test', ?, 10, ?)", [(d, url, REJECTED_AT) for d, url in documents.items()])
        con.executemany("insert into rejects (document_id, reason, rejected_at) values (?, ?, ?)",
                        [(document_id, reason, REJECTED_AT) for document_id, _, reason in REJECTS])
    return path
