"""Extract: raw documents → article records (trafilatura + page metadata) and rejects."""

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, UTC

import dagster as dg
import polars as pl

from orchestration.defs.ingest import NEW
from orchestration.defs.metadata import frame_metadata
from orchestration.parallel import process_map
from orchestration.resources import KabarResource
from transforms.batch import articles_frame, drop_older_than_stored, keep_latest_versions, rejects_frame
from transforms.documents import Rejection
from transforms.extract import EXTRACTION_ERROR, EXTRACTOR_VERSION, process_document
from transforms.failures import one_line
from warehouse.io import stored_publication_times
from warehouse.raw_store import RawStore

def extract_one(task: tuple) -> tuple:
    """One stored document to an article or a rejection (a picklable task for worker processes);
    whatever raises on the way (reading the raw store included) is that document's rejection."""
    raw_root, document_id, origin, url, fetched_at, extracted_at, max_bytes = task
    try:
        data = RawStore(raw_root).get(document_id)
        result = process_document(data, document_id=document_id, origin=origin, url=url,
                                  extracted_at=extracted_at, max_bytes=max_bytes)
        if not isinstance(result, Rejection):
            result = replace(result, fetched_at=fetched_at)
    except Exception as error:   # noqa: BLE001 - one document's failure is that document's reject
        result = Rejection(EXTRACTION_ERROR, one_line(error))
    return document_id, origin, result


def worker_died(task: tuple, error: BaseException) -> tuple:
    """The document whose extraction killed its worker process (a crash in a parser, out of memory)."""
    _, document_id, origin, *_ = task
    return document_id, origin, Rejection(EXTRACTION_ERROR, f"its worker process died: {one_line(error)}")


def extract_documents(new: pl.DataFrame, kabar: KabarResource, now: datetime,
                      map_tasks: Callable = map) -> tuple[pl.DataFrame, list[tuple[str, str, Rejection]]]:
    """Articles of the ``new`` manifest rows' stored documents, and ``(document_id, origin, Rejection)``
    for those that gave none (including rows rejected before storing). ``map_tasks`` may spread the
    documents over worker processes."""
    early = [(row["document_id"], row["origin"], Rejection(row["reject_reason"], row["reject_detail"]))
             for row in new.filter(pl.col("reject_reason").is_not_null()).iter_rows(named=True)]
    tasks = [(str(kabar.raw_store.root), row["document_id"], row["origin"], row["url"], row["fetched_at"], now,
              kabar.max_document_bytes)
             for row in new.filter(pl.col("reject_reason").is_null()).iter_rows(named=True)]
    results = list(map_tasks(extract_one, tasks))
    articles = articles_frame([result for _, _, result in results if not isinstance(result, Rejection)])
    return articles, early + [(doc_id, origin, result) for doc_id, origin, result in results
                              if isinstance(result, Rejection)]


def current_versions(articles: pl.DataFrame, kabar: KabarResource, now: datetime) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The latest version of each article, unless the warehouse holds a newer one; the others as
    ``superseded`` rejects."""
    articles, superseded = keep_latest_versions(articles, now)
    with kabar.warehouse() as con:
        stored = stored_publication_times(con, articles["article_id"].to_list())
    articles, older = drop_older_than_stored(articles, stored, now)
    return articles, pl.concat([superseded, older])


@dg.multi_asset(
    group_name="extract",
    outs={
        "extracted_articles": dg.AssetOut(description="One row per article: body text (trafilatura, boilerplate "
                                          "removed) and metadata from JSON-LD, meta tags and visible dates."),
        "extraction_rejects": dg.AssetOut(description="Documents that yielded no article, with the reason: "
                                          "empty, not_html, too_large, no_text, superseded, …"),
    },
    ins={"raw_documents": dg.AssetIn()},
)
def extracted_articles(context: dg.AssetExecutionContext, raw_documents: pl.DataFrame, kabar: KabarResource):
    now = datetime.now(UTC)
    articles, rejected = extract_documents(raw_documents.filter(pl.col("status") == NEW), kabar, now,
                                           process_map(kabar.workers, on_crash=worker_died))
    articles, superseded = current_versions(articles, kabar, now)
    rejects = pl.concat([rejects_frame(rejected, now), superseded])
    context.log.info(f"extracted {articles.height} articles, rejected {rejects.height} documents ({EXTRACTOR_VERSION})")
    yield dg.Output(articles, output_name="extracted_articles", metadata=frame_metadata(
        articles.drop("text", "captions"), extractor_version=EXTRACTOR_VERSION))
    yield dg.Output(rejects, output_name="extraction_rejects", metadata=frame_metadata(rejects))

