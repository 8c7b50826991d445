"""Enrich: entities with offsets, quotes with speakers, publishers and cited agencies."""

import dagster as dg
import polars as pl

from orchestration.defs.metadata import frame_metadata
from orchestration.parallel import one_by_one, process_map
from orchestration.resources import KabarResource
from transforms.batch import ENRICH_CHUNK, enrich_articles, enrichment_frames, source_frames
from transforms.failures import failure


@dg.multi_asset(
    group_name="enrich",
    outs={
        "found_entities": dg.AssetOut(description="People, organisations and places per article (spaCy NER where a model "
                                    "exists: en, id; rules and gazetteers otherwise and for normalisation)."),
        "found_entity_mentions": dg.AssetOut(description="Each entity mention with its character offsets in the text."),
        "found_quotes": dg.AssetOut(description="Direct quotes with speaker and speech cue, with offsets."),
        "enrichment_failures": dg.AssetOut(description="Articles whose entities or quotes raised (entities_error, "
                                           "quotes_error): held back as rejects, the rest of the batch goes on."),
    },
    ins={"extracted_articles": dg.AssetIn()},
)
def found_entities(extracted_articles: pl.DataFrame, kabar: KabarResource):
    # process_map spreads chunks of articles (one batched NER pass each) over worker processes.
    entities, mentions, quotes, failures = enrichment_frames(
        extracted_articles, process_map(kabar.workers, ENRICH_CHUNK, on_crash=_chunk_crashed), chunk_size=ENRICH_CHUNK)
    yield dg.Output(entities, output_name="found_entities", metadata=frame_metadata(entities))
    yield dg.Output(mentions, output_name="found_entity_mentions", metadata=frame_metadata(mentions))
    yield dg.Output(quotes, output_name="found_quotes", metadata=frame_metadata(quotes))
    yield dg.Output(failures, output_name="enrichment_failures", metadata=frame_metadata(failures))


def _chunk_crashed(chunk: list, error: BaseException) -> tuple:
    """A chunk whose worker died: its articles again one by one, so only one that kills a worker fails."""
    parts = one_by_one(enrich_articles, [[row] for row in chunk], on_crash=_article_crashed)
    return tuple([row for part in parts for row in part[index]] for index in range(4))


def _article_crashed(single: list, error: BaseException) -> tuple:
    [(article_id, _, _)] = single
    return [], [], [], [failure("entities", article_id, error)]


@dg.multi_asset(
    group_name="enrich",
    outs={
        "found_sources": dg.AssetOut(description="Organisations behind the articles: publishers and wire agencies."),
        "found_article_sources": dg.AssetOut(description="Who published each article and which agencies it cites "
                                             "or credits, with the evidence phrase."),
        "source_failures": dg.AssetOut(description="Articles whose sources raised (sources_error): held back as "
                                       "rejects, the rest of the batch goes on."),
    },
    ins={"extracted_articles": dg.AssetIn()},
)
def found_sources(extracted_articles: pl.DataFrame):
    sources, links, failures = source_frames(extracted_articles)
    yield dg.Output(sources, output_name="found_sources", metadata=frame_metadata(sources))
    yield dg.Output(links, output_name="found_article_sources", metadata=frame_metadata(links))
    yield dg.Output(failures, output_name="source_failures", metadata=frame_metadata(failures))
