"""The staged-table suites: every check passes on good rows and fails on a bad one.

GX is imported once for the module (the validator caches one ephemeral context per process).
"""
from __future__ import annotations

import copy
import hashlib
import subprocess
import sys
from datetime import datetime, timedelta, UTC
from pathlib import Path

import polars as pl
import pytest

from expectations.quarantine import QuarantineLimit, quarantine
from expectations.checks import BATCH_QUARANTINE_SHARE, ERROR, QUARANTINE, REPAIR, STAGED_SCHEMA, WARN
from expectations.suites import SUITES
from transforms.failures import failures_frame
from transforms.languages import language_subtags
from transforms.schemas import ARTICLE_CHILDREN, TABLES, frame
from transforms.syndication import promote_orphaned_leaders

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)

EXPECTED_COUNTS = {
    "articles": 14,
    "sources": 6,
    "entities": 10,
    "entity_mentions": 10,
    "quotes": 10,
    "article_sources": 7,
}


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


QUOTE = "Kita akan bekerja keras untuk rakyat."
TEXT = (
    'Presiden Joko Widodo berkata di Jakarta, "' + QUOTE + '" '
    + " ".join(f"kata{i}" for i in range(60))
    + " Sumber 😀 Reuters melaporkan."
)
A1, A2 = sha("article-1"), sha("article-2")
S1 = sha("source-wowkeren")
E1 = sha("PERSON|joko widodo")
E2 = sha("LOC|jakarta")


def span(text: str, part: str) -> tuple[int, int]:
    start = text.index(part)
    return start, start + len(part)


def article_rows(article_id: str, n: int, **changes) -> dict[str, list[dict]]:
    """One article with one entity, two mentions, one quote and one article_source."""
    doc = f"doc-{n}"
    j_start, j_end = span(TEXT, "Joko Widodo")
    k_start, k_end = span(TEXT, "Jakarta")
    q_start, q_end = span(TEXT, QUOTE)
    e_start, e_end = span(TEXT, "😀 Reuters")
    article = {
        "article_id": article_id, "document_id": doc, "url": f"https://wowkeren.com/{n}",
        "canonical_url": f"https://wowkeren.com/{n}", "source_id": S1, "title": f"Judul {n}",
        "text": TEXT, "language": "id", "published_at": NOW - timedelta(days=n),
        "published_at_precision": "minute", "authors": ["Redaksi"],
        "word_count": len(TEXT.split()), "content_sha256": sha(TEXT), "origin": "inbox",
        "site_name": "WowKeren", "extracted_at": NOW, "extractor_version": "test",
        "modified_at": NOW - timedelta(days=n) + timedelta(hours=2), "is_accessible_for_free": True,
        "cluster_id": A1,  # every test article is a copy of the first
    }
    article.update(changes)
    return {
        "articles": [article],
        "entities": [
            {"article_id": article_id, "entity_id": E1, "name": "Joko Widodo", "type": "PERSON",
             "mention_count": 1, "country_code": None, "method": "ner"},
            {"article_id": article_id, "entity_id": E2, "name": "Jakarta", "type": "LOC",
             "mention_count": 1, "country_code": "ID", "method": "ner"},
        ],
        "entity_mentions": [
            {"article_id": article_id, "entity_id": E1, "start_offset": j_start,
             "end_offset": j_end, "surface": "Joko Widodo"},
            {"article_id": article_id, "entity_id": E2, "start_offset": k_start,
             "end_offset": k_end, "surface": "Jakarta"},
            # offsets count code points, as Python does: the emoji is one
            {"article_id": article_id, "entity_id": E2, "start_offset": e_start,
             "end_offset": e_end, "surface": "😀 Reuters"},
        ],
        "quotes": [
            {"quote_id": sha(f"QUOTE|{article_id}|{q_start}|{q_end}"), "article_id": article_id,
             "text": QUOTE, "speaker": "Joko Widodo", "speaker_entity_id": E1, "cue": "berkata",
             "start_offset": q_start, "end_offset": q_end},
        ],
        "article_sources": [
            {"article_id": article_id, "source_id": S1, "role": "publisher", "evidence": "site"},
        ],
    }


def good_rows() -> dict[str, list[dict]]:
    """A valid batch of two articles; the second sits on the boundaries (nulls where allowed,
    published_at and modified_at exactly now + 1 day, word_count exactly 50)."""
    rows = article_rows(A1, 1)
    second = article_rows(
        A2, 2, language=None, published_at=NOW + timedelta(days=1),
        published_at_precision=None, word_count=50, content_sha256=None, modified_at=NOW + timedelta(days=1),
        is_accessible_for_free=None,
    )
    second["quotes"][0]["speaker_entity_id"] = None
    for table, more in second.items():
        rows[table] += more
    rows["sources"] = [
        {"source_id": S1, "name": "WowKeren", "domain": "wowkeren.com", "kind": "publisher", "language": "id"},
        {"source_id": sha("source-reuters"), "name": "Reuters", "domain": "reuters.com",
         "kind": "agency", "country_code": "GB", "language": "en"},
    ]
    return rows


def to_frames(rows: dict[str, list[dict]]) -> dict[str, pl.DataFrame]:
    return {table: frame(table, table_rows) for table, table_rows in rows.items()}


def extra_row(table: str, **changes):
    """Mutation: append a copy of the table's first row with ``changes``."""
    def mutate(rows):
        rows[table].append({**copy.deepcopy(rows[table][0]), **changes})
    return mutate


def set_row(table: str, index: int, **changes):
    """Mutation: change one row."""
    def mutate(rows):
        rows[table][index].update(changes)
    return mutate


def extra_article(**changes):
    """Mutation: append a third article (row 2) with its child rows and ``changes``."""
    article_id = changes.pop("article_id", sha("article-3"))

    def mutate(rows):
        for table, more in article_rows(article_id, 3, **changes).items():
            rows[table] += more
    return mutate


m_start, m_end = span(TEXT, "Joko Widodo")

# (table, check, mutation, failed rows of that table)
CASES = [
    # articles
    ("articles", "article_id_not_null", extra_article(article_id=None), (2,)),
    ("articles", "document_id_not_null", set_row("articles", 0, document_id=None), (0,)),
    ("articles", "primary_key_unique", extra_row("articles", document_id="doc-9"), (0, 2)),
    ("articles", "language_bcp47", set_row("articles", 0, language="ind"), (0,)),
    ("articles", "published_at_in_range",
     extra_article(published_at=datetime(1989, 12, 31, 23, 59, tzinfo=UTC)), (2,)),
    ("articles", "modified_at_in_range", set_row("articles", 1, modified_at=NOW + timedelta(days=2)), (1,)),
    ("articles", "modified_at_not_before_published_at",
     set_row("articles", 0, modified_at=NOW - timedelta(days=30)), (0,)),
    ("articles", "text_not_null", extra_article(text=None), (2,)),
    ("articles", "text_not_blank", extra_article(text=" \n\t "), (2,)),
    ("articles", "word_count_at_least_50", set_row("articles", 0, word_count=49), (0,)),
    ("articles", "published_at_precision_known",
     set_row("articles", 1, published_at_precision="hour"), (1,)),
    ("articles", "content_sha256_hex", set_row("articles", 0, content_sha256=sha("x").upper()),
     (0,)),
    ("articles", "cluster_id_not_null", set_row("articles", 1, cluster_id=None), (1,)),
    ("articles", "cluster_id_resolves", set_row("articles", 1, cluster_id=sha("nope")), (1,)),
    # sources
    ("sources", "source_id_not_null", extra_row("sources", source_id=None), (2,)),
    ("sources", "primary_key_unique", extra_row("sources", name="WowKeren 2"), (0, 2)),
    ("sources", "kind_not_null", set_row("sources", 1, kind=None), (1,)),
    ("sources", "kind_known", set_row("sources", 1, kind="blog"), (1,)),
    ("sources", "country_code_alpha_2", set_row("sources", 1, country_code="gb"), (1,)),
    ("sources", "language_bcp47", set_row("sources", 0, language="Indonesian"), (0,)),
    # entities
    ("entities", "article_id_not_null", extra_row("entities", article_id=None), (4,)),
    ("entities", "entity_id_not_null", extra_row("entities", entity_id=None), (4,)),
    ("entities", "primary_key_unique", extra_row("entities", name="Jokowi"), (0, 4)),
    ("entities", "type_not_null", set_row("entities", 1, type=None), (1,)),
    ("entities", "type_known", set_row("entities", 1, type="MISC"), (1,)),
    ("entities", "mention_count_positive", set_row("entities", 3, mention_count=0), (3,)),
    ("entities", "country_code_alpha_2", set_row("entities", 1, country_code="IDN"), (1,)),
    ("entities", "latitude_in_range", set_row("entities", 1, latitude=91.0, longitude=10.0), (1,)),
    ("entities", "longitude_in_range", set_row("entities", 1, latitude=10.0, longitude=-180.5), (1,)),
    ("entities", "article_id_resolves", extra_row("entities", article_id=sha("nope")), (4,)),
    # entity_mentions
    ("entity_mentions", "article_id_not_null", extra_row("entity_mentions", article_id=None),
     (6,)),
    ("entity_mentions", "entity_id_not_null", extra_row("entity_mentions", entity_id=None),
     (6,)),
    ("entity_mentions", "primary_key_unique", extra_row("entity_mentions", entity_id=E2),
     (0, 6)),
    ("entity_mentions", "start_offset_not_null",
     set_row("entity_mentions", 1, start_offset=None), (1,)),
    ("entity_mentions", "end_offset_not_null", set_row("entity_mentions", 1, end_offset=None),
     (1,)),
    ("entity_mentions", "start_offset_non_negative",
     set_row("entity_mentions", 1, start_offset=-1), (1,)),
    ("entity_mentions", "end_offset_after_start",
     set_row("entity_mentions", 1, end_offset=span(TEXT, "Jakarta")[0]), (1,)),
    ("entity_mentions", "offsets_slice_surface",
     set_row("entity_mentions", 3, start_offset=m_start + 1, end_offset=m_end + 1), (3,)),
    ("entity_mentions", "article_id_resolves",
     extra_row("entity_mentions", article_id=sha("nope")), (6,)),
    ("entity_mentions", "entity_id_resolves",
     extra_row("entity_mentions", entity_id=sha("ORG|ghost"), start_offset=0, end_offset=8,
               surface="Presiden"), (6,)),
    # quotes
    ("quotes", "quote_id_not_null", extra_row("quotes", quote_id=None), (2,)),
    ("quotes", "article_id_not_null", extra_row("quotes", quote_id="q-x", article_id=None),
     (2,)),
    ("quotes", "primary_key_unique", extra_row("quotes", speaker="Jokowi"), (0, 2)),
    ("quotes", "start_offset_not_null", set_row("quotes", 1, start_offset=None), (1,)),
    ("quotes", "end_offset_not_null", set_row("quotes", 1, end_offset=None), (1,)),
    ("quotes", "start_offset_non_negative", set_row("quotes", 1, start_offset=-5), (1,)),
    ("quotes", "end_offset_after_start", set_row("quotes", 0, end_offset=3, start_offset=3),
     (0,)),
    ("quotes", "offsets_slice_text",
     set_row("quotes", 0, text=QUOTE.upper()), (0,)),
    ("quotes", "article_id_resolves",
     extra_row("quotes", quote_id="q-y", article_id=sha("nope")), (2,)),
    ("quotes", "speaker_entity_id_resolves",
     set_row("quotes", 1, speaker_entity_id=sha("PERSON|ghost")), (1,)),
    # article_sources
    ("article_sources", "article_id_not_null", extra_row("article_sources", article_id=None),
     (2,)),
    ("article_sources", "source_id_not_null", extra_row("article_sources", source_id=None),
     (2,)),
    ("article_sources", "primary_key_unique", extra_row("article_sources", evidence="again"),
     (0, 2)),
    ("article_sources", "role_not_null", set_row("article_sources", 1, role=None), (1,)),
    ("article_sources", "role_known", set_row("article_sources", 1, role="author"), (1,)),
    ("article_sources", "article_id_resolves",
     extra_row("article_sources", article_id=sha("nope")), (2,)),
    ("article_sources", "source_id_resolves",
     extra_row("article_sources", source_id=sha("source-unknown")), (2,)),
]

CASE_IDS = [f"{table}.{check}" for table, check, _, _ in CASES]
ALL_CHECKS = [(table, check.name) for table, suite in SUITES.items() for check in suite.checks]


@pytest.fixture(scope="module")
def validator():
    """The validator module with its GX context created once for this module."""
    from expectations import validate

    validate.gx_context()
    return validate


@pytest.fixture(scope="module")
def good_reports(validator):
    return validator.validate_batch(to_frames(good_rows()), now=NOW)


def run_case(validator, mutation, **known):
    rows = good_rows()
    mutation(rows)
    frames = to_frames(rows)
    return frames, validator.validate_batch(frames, now=NOW, **known)


# --- suites -----------------------------------------------------------------------------------


def test_every_check_has_a_failing_case():
    assert sorted(ALL_CHECKS) == sorted((t, c) for t, c, _, _ in CASES)


@pytest.mark.parametrize("table", list(SUITES))
def test_suite_expectation_count(validator, table):
    """GX keeps every check: built in Python, and read back from the context's suite store."""
    suite = SUITES[table]
    assert len(suite.checks) == EXPECTED_COUNTS[table]
    built = validator.gx_suite(suite)
    stored = validator.gx_context().suites.get(table)
    for gx_suite in (built, stored):
        assert len(gx_suite.expectations) == EXPECTED_COUNTS[table]
        names = sorted(e.meta["kabar_check"] for e in gx_suite.expectations)
        assert names == sorted(c.name for c in suite.checks)


def test_language_codes_are_bcp47_primary_subtags():
    import pycountry

    two_letter = {lang.alpha_2 for lang in pycountry.languages if hasattr(lang, "alpha_2")}
    codes = language_subtags()
    assert two_letter <= codes and len(two_letter) == 184
    assert {"yue", "fil", "ceb"} <= codes            # ISO 639-3 where ISO 639-1 has no code
    assert not {"ind", "eng", "zxx", "und", "mis", "mul"} & codes   # a 639-1 code exists / no language


def test_article_tables_quarantine_and_shared_tables_repair():
    for table, suite in SUITES.items():
        allowed = {REPAIR, WARN} if table == "sources" else {QUARANTINE, WARN}
        assert {c.severity for c in suite.checks} <= allowed, table


def test_importing_does_not_load_gx_dagster_or_duckdb():
    code = (
        "import sys, expectations.validate, expectations.suites\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in "
        "('great_expectations', 'dagster', 'duckdb')]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


# --- every check passes on the good batch and fails on its bad case -------------------------


def test_good_batch_passes_everything(good_reports):
    assert list(good_reports) == list(SUITES)
    for report in good_reports.values():
        assert report.failures == (), [o.detail for o in report.failures]
        assert not report.blocking and report.warnings == ()


@pytest.mark.parametrize(("table", "check"), ALL_CHECKS, ids=[f"{t}.{c}" for t, c in ALL_CHECKS])
def test_check_passes(good_reports, table, check):
    outcome = good_reports[table].outcome(check)
    assert outcome.success, outcome.detail
    assert outcome.severity == SUITES[table].check(check).severity
    assert outcome.unexpected_count == 0 and outcome.failed_rows == ()
    assert outcome.element_count == len(good_rows()[table])


@pytest.mark.parametrize(("table", "check", "mutation", "rows"), CASES, ids=CASE_IDS)
def test_check_fails(validator, table, check, mutation, rows):
    frames, reports = run_case(validator, mutation)
    outcome = reports[table].outcome(check)
    severity = SUITES[table].check(check).severity
    assert not outcome.success
    assert outcome.severity == severity
    assert outcome.failed_rows == rows
    assert outcome.unexpected_count == len(rows)
    assert outcome.element_count == frames[table].height
    # the detail and the examples name the failing rows' articles (sources: the source), not row numbers
    assert len(outcome.examples) == min(len(rows), 3) and "row " not in outcome.detail.replace("rows break", "")
    assert all(key in outcome.detail for key, _ in outcome.examples)
    assert not reports[table].blocking   # one article's rows never block a batch
    if severity == WARN:
        assert outcome in reports[table].warnings

    settled = quarantine(frames, reports, rejected_at=NOW)
    assert dict(settled.rejects.schema) == TABLES["rejects"] and not settled.blocked
    if severity == WARN:
        assert settled.rejects.height == 0
        assert all(settled.frames[t].equals(frames[t]) for t in frames)
    elif severity == REPAIR:
        assert_repaired(frames, settled, rows, SUITES[table].check(check))
    else:
        assert_held_back(frames, settled, table, check, rows)
    if severity == WARN:
        return
    # what is left passes (once a held-back cluster leader hands its cluster on, as staging does)
    left = {**settled.frames, "articles": promote_orphaned_leaders(settled.frames["articles"], set())}
    again = validator.validate_batch(left, now=NOW)
    assert all(r.success for r in again.values()), [o.detail for r in again.values() for o in r.failures]


def assert_held_back(frames, settled, table, check, rows):
    """The failing rows' articles are gone with all their rows; each of their documents has one reject
    naming the check; rows that belong to no staged article are dropped; nothing else changes."""
    articles = frames["articles"]
    failing_ids = {frames[table][i, "article_id"] for i in rows}
    held = set(rows) if table == "articles" else {
        i for i, article_id in enumerate(articles["article_id"].to_list()) if article_id in failing_ids - {None}}
    expected = articles[sorted(held)]
    documents = expected["document_id"].drop_nulls().to_list()   # a row without a document: a warning, no reject
    named = settled.rejects.filter(pl.col("reason") == f"{table}.{check}")   # (other checks may fail with it)
    assert sorted(named["document_id"].to_list()) == sorted(documents)
    assert set(settled.rejects["document_id"]) == set(documents)
    assert set(settled.rejects["rejected_at"]) <= {NOW}
    assert all(settled.rejects["detail"])
    assert settled.frames["articles"].height == articles.height - len(held)
    gone = {article_id for article_id in expected["article_id"].to_list() if article_id is not None}
    orphans = {i for i in rows if table != "articles" and frames[table][i, "article_id"] not in set(articles["article_id"])}
    assert (not orphans) or settled.warnings
    for child in (name for name in ARTICLE_CHILDREN if name in frames):
        kept = frames[child].with_row_index("_row").filter(
            ~pl.col("article_id").is_in(list(gone)).fill_null(False)
            & ~(pl.col("_row").is_in(sorted(orphans)) if child == table else pl.lit(False))).drop("_row")
        if table == "articles" and None in failing_ids:   # the id-less article's children are orphans of their own
            kept = kept.filter(pl.col("article_id").is_not_null())
        assert settled.frames[child].equals(kept), child
    assert settled.frames["sources"].equals(frames["sources"])


def assert_repaired(frames, settled, rows, check):
    """A bad shared row is mended in place, or dropped when its field cannot be null; no article is held."""
    assert settled.rejects.height == 0 and settled.warnings
    assert any(str(frames["sources"][min(rows), "source_id"]) in warning for warning in settled.warnings)
    assert settled.frames["articles"].height == frames["articles"].height
    sources, mended = frames["sources"], settled.frames["sources"]
    columns = [c for c in check.shown_columns if c in sources.columns]
    if set(columns) & set(SUITES["sources"].required) or check.name == "primary_key_unique":
        dropped = set(rows) - ({0} if check.name == "primary_key_unique" else set())   # the first of duplicates stays
        assert mended.height == sources.height - len(dropped)
    else:
        assert mended.height == sources.height
        assert all(mended[i, c] is None for i in rows for c in columns)


# --- details of particular checks -------------------------------------------------------------


@pytest.mark.parametrize(("published_at", "ok"), [
    (datetime(1990, 1, 1, tzinfo=UTC), True),
    (datetime(1989, 12, 31, 23, 59, 59, tzinfo=UTC), False),
    (NOW + timedelta(days=1), True),
    (NOW + timedelta(days=1, seconds=1), False),
    (None, True),
])
def test_published_at_range_bounds(validator, published_at, ok):
    _, reports = run_case(validator, set_row("articles", 0, published_at=published_at))
    assert reports["articles"].outcome("published_at_in_range").success is ok


@pytest.mark.parametrize(("language", "ok"), [
    ("en", True), ("id", True), ("zh", True), ("yue", True), ("fil", True), (None, True),
    ("EN", False), ("ind", False), ("zxx", False), ("xx", False), ("", False), ("en-US", False),
])
def test_language_codes(validator, language, ok):
    _, reports = run_case(validator, set_row("articles", 0, language=language))
    assert reports["articles"].outcome("language_bcp47").success is ok


def test_known_ids_resolve_foreign_keys(validator):
    """Children may point at articles and sources already in the warehouse."""
    old_article, old_source = sha("loaded-article"), sha("loaded-source")

    def mutation(rows):
        extra_row("entities", article_id=old_article)(rows)
        extra_row("article_sources", article_id=old_article, source_id=old_source)(rows)
        # a mention of a loaded article cannot be slice-checked (its text is not staged)
        rows["entities"][-1]["entity_id"] = E1
        extra_row("entity_mentions", article_id=old_article, start_offset=0, end_offset=4,
                  surface="anything")(rows)

    _, unknown = run_case(validator, mutation)
    assert not unknown["entities"].outcome("article_id_resolves").success
    assert not unknown["article_sources"].outcome("source_id_resolves").success
    _, known = run_case(validator, mutation, known_article_ids={old_article},
                        known_source_ids=[old_source])
    assert all(r.success for r in known.values()), [
        o.detail for r in known.values() for o in r.failures]


def test_cluster_id_may_name_a_loaded_article(validator):
    """A new copy joins the cluster of a story loaded in an earlier run."""
    loaded = sha("loaded-article")
    _, unknown = run_case(validator, set_row("articles", 1, cluster_id=loaded))
    _, known = run_case(validator, set_row("articles", 1, cluster_id=loaded), known_article_ids={loaded})
    assert not unknown["articles"].outcome("cluster_id_resolves").success
    assert known["articles"].outcome("cluster_id_resolves").success


def test_mention_entity_must_belong_to_the_same_article(validator):
    # E2 exists, but only as an entity of A1/A2; point a third article's mention at it
    def mutation(rows):
        extra_article()(rows)
        rows["entities"] = [e for e in rows["entities"]
                            if not (e["article_id"] == sha("article-3") and e["entity_id"] == E2)]

    _, reports = run_case(validator, mutation)
    outcome = reports["entity_mentions"].outcome("entity_id_resolves")
    assert outcome.failed_rows == (7, 8)


def test_slice_check_rejects_offsets_past_the_text(validator):
    # text[start:end] with end past the text still equals the tail in Python; it must fail
    tail = TEXT[-9:]
    _, reports = run_case(validator, extra_row(
        "entity_mentions", start_offset=len(TEXT) - 9, end_offset=len(TEXT) + 3, surface=tail))
    assert reports["entity_mentions"].outcome("offsets_slice_surface").failed_rows == (6,)


def test_failure_detail_names_the_article_not_the_row(validator):
    _, reports = run_case(validator, set_row("sources", 1, kind="blog"))
    outcome = reports["sources"].outcome("kind_known")
    reuters = sha("source-reuters")
    assert "1 of 2 rows" in outcome.detail and f"source {reuters} <reuters.com>: kind='blog'" in outcome.detail
    assert outcome.examples == ((reuters, "reuters.com"),)
    # a child row's article URL is looked up among the staged articles
    _, reports = run_case(validator, set_row("quotes", 1, start_offset=None))
    outcome = reports["quotes"].outcome("start_offset_not_null")
    assert outcome.examples == ((A2, "https://wowkeren.com/2"),)
    assert f"article {A2} <https://wowkeren.com/2>: start_offset=None" in outcome.detail


def many_articles(n_articles: int, n_bad: int) -> dict[str, pl.DataFrame]:
    """``n_articles`` articles, the first ``n_bad`` published before 1990."""
    rows = {"articles": []}
    for i in range(n_articles):
        bad = {"published_at": datetime(1980, 1, 1, tzinfo=UTC)} if i < n_bad else {}
        rows["articles"] += article_rows(sha(f"a{i}"), i + 1, cluster_id=sha(f"a{i}"), **bad)["articles"]
    return to_frames(rows)


@pytest.mark.parametrize(("n_articles", "n_bad", "blocked"), [
    (10, 3, True),     # 30 % of a batch of 10: above the 20 % limit
    (10, 2, False),    # 20 % is not above it
    (9, 9, False),     # too small a batch to judge: each bad article is held back alone
])
def test_too_many_articles_held_back_blocks_the_batch(validator, n_articles, n_bad, blocked):
    frames = many_articles(n_articles, n_bad)
    settled = quarantine(frames, validator.validate_batch(frames, now=NOW), rejected_at=NOW)
    outcome = settled.reports["articles"].outcome(BATCH_QUARANTINE_SHARE)
    assert outcome.success is not blocked and outcome.severity == ERROR
    assert (outcome.unexpected_count, outcome.element_count) == (n_bad, n_articles)
    assert bool(settled.blocked) is blocked and settled.reports["articles"].blocking is blocked
    assert settled.rejects.height == n_bad and settled.frames["articles"].height == n_articles - n_bad


def test_the_share_limit_is_configurable(validator):
    frames = many_articles(10, 3)
    reports = validator.validate_batch(frames, now=NOW)
    assert not quarantine(frames, reports, rejected_at=NOW, limit=QuarantineLimit(share=0.5)).blocked
    assert quarantine(frames, reports, rejected_at=NOW, limit=QuarantineLimit(share=0.0, min_articles=1)).blocked


def test_an_article_breaking_several_checks_gets_one_reject_per_check(validator):
    frames, reports = run_case(validator, extra_article(
        published_at=datetime(1970, 1, 1, tzinfo=UTC), language="klingon"))
    rejects = quarantine(frames, reports, rejected_at=NOW).rejects
    assert sorted(rejects["reason"].to_list()) == ["articles.language_bcp47", "articles.published_at_in_range"]
    assert set(rejects["document_id"]) == {"doc-3"}
    assert "1970-01-01" in rejects.filter(pl.col("reason") == "articles.published_at_in_range")["detail"][0]


def test_a_child_rows_failure_names_the_offending_values(validator):
    frames, reports = run_case(validator, set_row("entity_mentions", 3, start_offset=m_start + 1, end_offset=m_end + 1))
    [row] = quarantine(frames, reports, rejected_at=NOW).rejects.iter_rows(named=True)
    assert row["document_id"] == "doc-2" and row["reason"] == "entity_mentions.offsets_slice_surface"
    assert f"start_offset={m_start + 1}" in row["detail"] and "surface='Joko Widodo'" in row["detail"]


def test_stage_failures_hold_their_articles_back(validator):
    frames = to_frames(good_rows())
    failures = failures_frame([{"article_id": A2, "reason": "quotes_error", "detail": "ValueError: odd page"}])
    settled = quarantine(frames, validator.validate_batch(frames, now=NOW), rejected_at=NOW, failures=failures)
    assert settled.rejects.select("document_id", "reason", "detail").rows() == [
        ("doc-2", "quotes_error", "ValueError: odd page")]
    assert settled.frames["articles"]["article_id"].to_list() == [A1]
    assert set(settled.frames["quotes"]["article_id"]) == {A1}


def test_a_source_dropped_by_repair_takes_its_links_and_publisher_ids(validator):
    frames, reports = run_case(validator, set_row("sources", 0, kind="blog"))   # WowKeren, every article's publisher
    settled = quarantine(frames, reports, rejected_at=NOW)
    assert settled.rejects.height == 0 and settled.frames["articles"].height == 2
    assert settled.frames["articles"]["source_id"].to_list() == [None, None]
    assert settled.frames["article_sources"].height == 0
    assert validator.validate_batch(settled.frames, now=NOW)["article_sources"].success


def test_staged_columns_that_do_not_match_block_the_batch(validator):
    frames = to_frames(good_rows())
    frames["quotes"] = frames["quotes"].with_columns(pl.col("start_offset").cast(pl.String))
    report = validator.validate_batch(frames, now=NOW)["quotes"]
    outcome = report.outcome(STAGED_SCHEMA)
    assert not outcome.success and outcome.severity == ERROR and report.blocking
    assert "start_offset" in outcome.detail


def test_empty_frames_validate(validator):
    for frames in ({}, {table: frame(table) for table in SUITES}):
        reports = validator.validate_batch(frames, now=NOW)
        assert list(reports) == list(SUITES)
        for report in reports.values():
            assert report.outcomes
            for outcome in report.outcomes:
                assert outcome.success, outcome.detail
                assert outcome.element_count == 0 and outcome.failed_rows == ()
        assert quarantine(frames, reports, rejected_at=NOW).rejects.height == 0


@pytest.mark.parametrize("frames", [{}, {table: frame(table) for table in SUITES}], ids=["none", "empty"])
def test_no_staged_row_passes_as_gx_passes_it(validator, frames, monkeypatch):
    """The shortcut for tables with no row gives exactly GX's outcomes (with ``ROW_WISE`` empty, every
    table goes to GX): a suite gaining an expectation GX judges differently on no row fails here."""
    shortcut = validator.validate_batch(frames, now=NOW)
    monkeypatch.setattr(validator, "ROW_WISE", frozenset())
    assert validator.validate_batch(frames, now=NOW) == shortcut


def test_row_wise_expectations_are_gx_map_expectations():
    """``ROW_WISE`` names only expectations GX evaluates row by row, and every suite uses only those (so a
    re-run with nothing staged needs no GX)."""
    import great_expectations as gx
    from great_expectations.expectations.expectation import (
        ColumnMapExpectation, ColumnPairMapExpectation, MulticolumnMapExpectation,
    )
    from expectations.validate import ROW_WISE

    maps = (ColumnMapExpectation, ColumnPairMapExpectation, MulticolumnMapExpectation)
    assert all(issubclass(getattr(gx.expectations, name), maps) for name in ROW_WISE)
    assert {check.expectation for suite in SUITES.values() for check in suite.checks} <= ROW_WISE


def test_a_table_level_expectation_goes_to_gx_even_without_rows():
    from expectations.checks import Check, Suite
    from expectations.validate import passes_without_rows

    empty = frame("articles")
    row_count = Check("some_rows", WARN, "ExpectTableRowCountToBeBetween", {"min_value": 1})
    assert passes_without_rows(SUITES["articles"], empty)
    assert not passes_without_rows(Suite("articles", (*SUITES["articles"].checks, row_count)), empty)
    assert not passes_without_rows(SUITES["articles"], to_frames(good_rows())["articles"])


def test_validating_no_staged_row_does_not_import_gx():
    code = (
        "import sys\n"
        "from datetime import datetime, UTC\n"
        "from expectations.validate import validate_batch\n"
        "reports = validate_batch({}, now=datetime.now(UTC))\n"
        "assert all(report.success for report in reports.values())\n"
        "assert 'great_expectations' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


def test_missing_column_is_a_blocking_error_not_a_crash(validator):
    frames = to_frames(good_rows())
    frames["articles"] = frames["articles"].drop("language")
    reports = validator.validate_batch(frames, now=NOW)
    outcome = reports["articles"].outcome(STAGED_SCHEMA)
    assert not outcome.success and outcome.severity == ERROR and reports["articles"].blocking
    assert "language (missing" in outcome.detail
    # no check runs on frames that do not fit: each is a blocking "could not run"
    assert all(o.severity == ERROR and "could not run" in o.detail for r in reports.values()
               for o in r.failures if o.expectation != STAGED_SCHEMA)
