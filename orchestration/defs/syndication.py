"""Syndication: near-duplicate articles share a cluster with those loaded in earlier runs."""

import dagster as dg
import polars as pl

from orchestration.defs.metadata import frame_metadata
from orchestration.resources import KabarResource
from transforms.syndication import cluster_frame, signature_frame
from warehouse.io import signatures_sharing_bands


@dg.multi_asset(
    group_name="enrich",
    outs={
        "article_clusters": dg.AssetOut(description="Each article's syndication cluster (MinHash of word shingles, "
                                        "LSH): near-duplicates share the article_id of the cluster's first loaded "
                                        "member. Carries the signatures."),
        "syndication_failures": dg.AssetOut(description="Articles whose signature raised (syndication_error): held "
                                            "back as rejects, the rest of the batch goes on."),
    },
    ins={"extracted_articles": dg.AssetIn()},
)
def article_clusters(extracted_articles: pl.DataFrame, kabar: KabarResource):
    clusters, stored, failures = clusters_for(extracted_articles, kabar)
    joined = clusters.filter(pl.col("cluster_id") != pl.col("article_id")).height
    yield dg.Output(clusters, output_name="article_clusters", metadata=frame_metadata(
        clusters.select("article_id", "cluster_id"), joined_a_cluster=dg.MetadataValue.int(joined),
        stored_candidates=dg.MetadataValue.int(stored.height)))
    yield dg.Output(failures, output_name="syndication_failures", metadata=frame_metadata(failures))


def clusters_for(articles: pl.DataFrame, kabar: KabarResource) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """Each article's cluster, against the stored signatures sharing an LSH band; those signatures;
    and the articles whose signature failed."""
    signatures, failures = signature_frame(articles)
    with kabar.warehouse() as con:
        stored = signatures_sharing_bands(con, signatures["band_keys"].explode().drop_nulls().unique().to_list())
    return cluster_frame(articles, signatures, stored), stored, failures
