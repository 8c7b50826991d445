"""Syndication clusters on the real pages in ../shared: the two versions of one Taz article cluster,
no other pair of the 276 pages does."""
from __future__ import annotations

import polars as pl
import pytest

from bench.syndication import TAZ_PAIR, corpus_articles, pair_similarities
from transforms.syndication import SIMILARITY_THRESHOLD, cluster_frame, signature_frame

pytestmark = pytest.mark.shared


@pytest.fixture(scope="module")
def articles(shared) -> pl.DataFrame:
    return corpus_articles(shared)


def test_only_the_two_taz_versions_share_a_cluster(articles):
    clusters = cluster_frame(articles, signature_frame(articles)[0])
    shared_clusters = (clusters.group_by("cluster_id").agg(pl.col("article_id").sort())
                       .filter(pl.col("article_id").list.len() > 1))
    assert shared_clusters["article_id"].to_list() == [sorted(TAZ_PAIR)]
    assert articles.height >= 270


def test_the_taz_pair_is_well_clear_of_the_threshold_and_every_other_pair_well_below(articles):
    pairs = pair_similarities(articles)
    taz, *others = pairs.rows()
    assert {taz[0], taz[1]} == set(TAZ_PAIR) and taz[2] >= SIMILARITY_THRESHOLD + 0.15
    assert others[0][2] <= SIMILARITY_THRESHOLD - 0.25
