"""Quality: Great Expectations suites on the staged tables, run as blocking Dagster asset checks.

One factory turns each table's suite into an ``AssetCheckSpec``; the staging step validates every
table once, holds back the articles with a failing row or a stage failure (their documents get
``rejects``; ``expectations.quarantine``), mends shared ``sources`` rows, and reports each suite as a
check result. Only a batch-wide error (staged columns that do not fit, too many articles held back)
fails a check as ERROR and blocks the load.
"""

from datetime import datetime, UTC
from pathlib import Path

import dagster as dg
import polars as pl

from expectations.checks import STAGED_SCHEMA
from expectations.quarantine import QuarantineLimit, Settled, quarantine
from expectations.validate import TableReport, build_data_docs, validate_batch
from orchestration.defs.ingest import NEW
from orchestration.defs.metadata import frame_metadata
from orchestration.resources import KabarResource
from transforms.batch import with_publisher_ids
from transforms.schemas import TABLES
from transforms.syndication import promote_orphaned_leaders, with_cluster_ids
from warehouse.io import existing_ids

VALIDATED_TABLES = ("articles", "entities", "entity_mentions", "quotes", "sources", "article_sources")
# The per-article failures of the enrichment stages (``transforms.failures``).
FAILURE_ASSETS = ("enrichment_failures", "source_failures", "syndication_failures")
STAGED_TABLES = (*VALIDATED_TABLES, "article_signatures", "rejects", "documents")
_BLOCKING_CHARS = 600


def suite_check_name(table: str) -> str:
    """Name of the asset check that runs ``table``'s suite."""
    return f"{table}_suite"


def staging_key(table: str) -> dg.AssetKey:
    return dg.AssetKey(["staging", table])


def suite_check_specs(asset: dg.AssetKey | None = None) -> list[dg.AssetCheckSpec]:
    """One blocking check per validated table, on its staging asset or on ``asset``."""
    return [dg.AssetCheckSpec(suite_check_name(table), asset=asset or staging_key(table), blocking=True,
                              description=f"Great Expectations suite '{table}' on the rows about to be loaded.")
            for table in VALIDATED_TABLES]


_DESCRIPTIONS = {
    "articles": "Articles that passed validation, ready to load.",
    "entities": "Entities of the staged articles.",
    "entity_mentions": "Entity mentions of the staged articles.",
    "quotes": "Quotes of the staged articles.",
    "sources": "Publishers and agencies referenced by the staged articles.",
    "article_sources": "Article–source links of the staged articles.",
    "rejects": "Every document of the run that did not become an article, with its reason.",
    "documents": "The run's new documents, committed with their articles or rejects.",
    "article_signatures": "MinHash signatures of the staged articles, for later runs' syndication clusters.",
}


@dg.multi_asset(
    group_name="quality",
    outs={table: dg.AssetOut(key=staging_key(table), description=_DESCRIPTIONS[table]) for table in STAGED_TABLES},
    ins={name: dg.AssetIn() for name in ("raw_documents", "extracted_articles", "extraction_rejects", "found_entities",
                                          "found_entity_mentions", "found_quotes", "found_sources", "found_article_sources",
                                          "article_clusters", *FAILURE_ASSETS)},
    check_specs=suite_check_specs(),
)
def staged_tables(context: dg.AssetExecutionContext, kabar: KabarResource, raw_documents: pl.DataFrame,
                  extracted_articles: pl.DataFrame, extraction_rejects: pl.DataFrame, found_entities: pl.DataFrame,
                  found_entity_mentions: pl.DataFrame, found_quotes: pl.DataFrame, found_sources: pl.DataFrame,
                  found_article_sources: pl.DataFrame, article_clusters: pl.DataFrame, enrichment_failures: pl.DataFrame,
                  source_failures: pl.DataFrame, syndication_failures: pl.DataFrame):
    staged, settled, docs_index = stage_batch(kabar, {
        "documents": raw_documents.filter(pl.col("status") == NEW), "articles": extracted_articles,
        "rejects": extraction_rejects, "entities": found_entities, "entity_mentions": found_entity_mentions,
        "quotes": found_quotes, "sources": found_sources, "article_sources": found_article_sources},
        article_clusters, pl.concat([enrichment_failures, source_failures, syndication_failures]))
    for warning in settled.warnings:
        context.log.warning(warning)
    for table in STAGED_TABLES:
        yield dg.Output(staged[table], output_name=table, metadata=frame_metadata(
            staged[table].drop("text", strict=False), data_docs=dg.MetadataValue.path(str(docs_index))))
    for table in VALIDATED_TABLES:
        yield check_result(table, settled.reports[table], staging_key(table))


def stage_batch(kabar: KabarResource, found: dict[str, pl.DataFrame], clusters: pl.DataFrame,
                failures: pl.DataFrame) -> tuple[dict[str, pl.DataFrame], Settled, Path]:
    """A batch's tables as they will be loaded: publisher and cluster ids filled in, every suite run,
    the articles with a failing row or a stage failure held back as ``rejects``, shared rows mended.
    ``found`` holds the new documents, articles, extraction rejects and enrichment frames; returns the
    staged tables, the settled batch (reports, warnings) and the Data Docs index."""
    now = datetime.now(UTC)
    frames = {
        "articles": with_cluster_ids(with_publisher_ids(found["articles"], found["article_sources"]), clusters),
        **{table: found[table] for table in ("entities", "entity_mentions", "quotes", "sources", "article_sources")},
        "article_signatures": clusters.drop_nulls("minhash").select(list(TABLES["article_signatures"])),
    }
    # Look up ids the batch references but does not stage, and every cluster id: a staged version of an
    # article may yet be held back while the loaded one stays.
    with kabar.warehouse() as con:
        known_articles = existing_ids(con, "articles", _referenced(frames, "article_id", "articles")
                                      | set(frames["articles"]["cluster_id"].drop_nulls().to_list()))
        known_sources = existing_ids(con, "sources", _referenced(frames, "source_id", "sources"))
    reports = validate_batch(frames, now=now, known_article_ids=frozenset(known_articles),
                             known_source_ids=frozenset(known_sources))
    settled = quarantine(frames, reports, rejected_at=now, failures=failures,
                         limit=QuarantineLimit(kabar.max_quarantined_share))
    docs_index = build_data_docs(settled.reports, kabar.data_docs_dir)
    cleaned = dict(settled.frames)
    cleaned["articles"] = promote_orphaned_leaders(cleaned["articles"], known_articles)
    staged = {table: cleaned[table].select(list(TABLES[table])) for table in (*VALIDATED_TABLES, "article_signatures")}
    staged["rejects"] = pl.concat([found["rejects"].select(list(TABLES["rejects"])),
                                   settled.rejects.select(list(TABLES["rejects"]))])
    staged["documents"] = found["documents"].select(list(TABLES["documents"]))
    return staged, settled, docs_index


def _referenced(frames: dict[str, pl.DataFrame], key: str, parent: str) -> set[str]:
    """Values of ``key`` used by child tables but absent from the staged ``parent`` table."""
    used = {value for name, frame in frames.items() if name != parent and key in frame.columns
            for value in frame[key].drop_nulls().unique().to_list()}
    return used - set(frames[parent][key].to_list())


def _blocking(errors: tuple) -> str:
    """Why the load is blocked, on one line: staged columns that do not fit say it alone (every check is
    then "could not run"), else each error, shortened."""
    schema = [o for o in errors if o.expectation == STAGED_SCHEMA]
    text = " ".join("; ".join(o.detail for o in (schema or errors)).split())
    return (text[:_BLOCKING_CHARS - 1] + "…" if len(text) > _BLOCKING_CHARS else text) or "none"


def check_result(table: str, report: TableReport, asset_key: dg.AssetKey) -> dg.AssetCheckResult:
    """The Dagster check result of ``table``'s suite: failed on a batch-wide error (blocking), or with a
    warning when rows were mended or an informational check failed; held-back articles pass it (they are
    the rows' own failure, listed under ``articles_held_back``)."""
    errors, warnings = report.errors, report.warnings + report.repairs
    return dg.AssetCheckResult(
        check_name=suite_check_name(table),
        asset_key=asset_key,
        passed=not errors and not warnings,
        severity=dg.AssetCheckSeverity.ERROR if errors else dg.AssetCheckSeverity.WARN,
        metadata={
            "expectations": len(report.outcomes),
            "failed_errors": ", ".join(o.expectation for o in errors) or "none",
            "blocking": _blocking(errors),
            "warnings": ", ".join(f"{o.expectation} ({o.unexpected_count})" for o in warnings) or "none",
            "articles_held_back": ", ".join(f"{o.expectation} ({o.unexpected_count})" for o in report.quarantines)
                                  or "none",
            "detail": "\n".join(o.detail for o in report.failures)[:4000] or "all expectations met",
        },
    )
