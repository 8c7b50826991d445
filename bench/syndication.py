"""Syndication figures: how similar the gold corpus's pages are, and what clustering costs.

    .venv/bin/python -m bench.syndication          # also part of `make bench`

Needs ../shared (or $KABAR_SHARED). Printed, never asserted (the tests assert the clusters).
"""
from __future__ import annotations

import sys
import time
from datetime import datetime, UTC
from pathlib import Path

import numpy as np
import polars as pl

from evaluation.corpora import aeb_pages, fundus_pages, shared_dir
from evaluation.extraction import kabar_extract
from transforms.schemas import frame
from transforms.syndication import SIMILARITY_THRESHOLD, cluster_frame, signature_frame
from warehouse.io import load_batch, open_warehouse, signatures_sharing_bands

TAZ_PAIR = ("fundus/Taz_2023_04_28", "fundus/Taz_2024_10_23")
_NOW = datetime(2026, 1, 1, tzinfo=UTC)


def corpus_articles(root: Path | None = None) -> pl.DataFrame:
    """``article_id`` (``corpus/page_id``), ``text`` and ``published_at`` of every gold page Kabar extracts."""
    rows = [{"article_id": f"{page.corpus}/{page.page_id}", "text": article.text, "published_at": article.published_at}
            for page in aeb_pages(root) + fundus_pages(root) for article in [kabar_extract(page)] if article]
    return pl.DataFrame(rows, schema={"article_id": pl.String, "text": pl.String, "published_at": pl.Datetime("us", "UTC")})


def pair_similarities(articles: pl.DataFrame) -> pl.DataFrame:
    """Estimated Jaccard similarity of every pair of signed articles, most similar first."""
    signatures, _ = signature_frame(articles)
    ids = signatures["article_id"].to_list()
    matrix = np.array(signatures["minhash"].to_list(), dtype=np.uint32)
    rows = []
    for i in range(len(ids) - 1):
        shared = (matrix[i + 1:] == matrix[i]).mean(axis=1)
        rows += [(ids[i], ids[j], float(s)) for j, s in zip(range(i + 1, len(ids)), shared)]
    return pl.DataFrame(rows, schema={"a": pl.String, "b": pl.String, "similarity": pl.Float64},
                        orient="row").sort("similarity", descending=True)


def with_variants(articles: pl.DataFrame, count: int) -> pl.DataFrame:
    """``count`` articles cycling through ``articles``; each later round drops a different paragraph, so the
    batch holds copies with edits as a news feed does."""
    rows = []
    for n in range(count):
        base = articles.row(n % articles.height, named=True)
        paragraphs = base["text"].split("\n")
        edit = n // articles.height
        if edit and len(paragraphs) > 1:
            del paragraphs[edit % len(paragraphs)]
        rows.append({**base, "article_id": f"{base['article_id']}#{edit}", "text": "\n".join(paragraphs)})
    return pl.DataFrame(rows, schema=articles.schema)


def clustering_seconds_per_1000(articles: pl.DataFrame, count: int = 1000) -> dict[str, float]:
    """Seconds for ``count`` articles to get their clusters (signatures, LSH look-up in a warehouse that
    already holds ``count`` articles, assignment), scaled to 1,000 articles; and the share that joined a cluster."""
    batch = with_variants(articles, 2 * count)
    first, second = batch.head(count), batch.tail(count)
    with open_warehouse(":memory:") as con:
        load_batch(con, _as_loaded(first))
        start = time.perf_counter()
        signatures, _ = signature_frame(second)
        signed = time.perf_counter()
        stored = signatures_sharing_bands(con, signatures["band_keys"].explode().drop_nulls().unique().to_list())
        looked_up = time.perf_counter()
        clusters = cluster_frame(second, signatures, stored)
        done = time.perf_counter()
    scale = 1000 / count
    return {"signatures_s": (signed - start) * scale, "lookup_s": (looked_up - signed) * scale,
            "assign_s": (done - looked_up) * scale, "total_s": (done - start) * scale,
            "joined_share": clusters.filter(pl.col("cluster_id") != pl.col("article_id")).height / count}


def _as_loaded(articles: pl.DataFrame) -> dict[str, pl.DataFrame]:
    """The staged frames that put ``articles``, clustered, and their signatures in a warehouse."""
    signatures, _ = signature_frame(articles)
    clusters = dict(cluster_frame(articles, signatures).select("article_id", "cluster_id").iter_rows())
    rows = [{"article_id": article_id, "document_id": article_id, "cluster_id": clusters[article_id], "text": text,
             "published_at": published_at, "content_sha256": "0" * 64, "extracted_at": _NOW, "extractor_version": "bench"}
            for article_id, text, published_at in articles.select("article_id", "text", "published_at").iter_rows()]
    documents = [{"document_id": article_id, "origin": "bench", "size_bytes": 0, "first_seen_at": _NOW}
                 for article_id in clusters]
    return {"articles": frame("articles", rows), "documents": frame("documents", documents),
            "article_signatures": signatures}


def syndication_figures(root: Path | None = None) -> None:
    """Print the Taz pair against the most similar other pair, and the clustering time per 1,000 articles."""
    articles = corpus_articles(root)
    pairs = pair_similarities(articles)
    is_taz = pl.col("a").is_in(TAZ_PAIR) & pl.col("b").is_in(TAZ_PAIR)
    taz = pairs.filter(is_taz)["similarity"][0]
    other = pairs.filter(~is_taz).row(0, named=True)
    print(f"Syndication ({articles.height} gold pages, threshold {SIMILARITY_THRESHOLD}):")
    print(f"  Taz pair similarity {taz:.3f}; most similar other pair {other['similarity']:.3f} ({other['a']} ~ {other['b']})")
    timing = clustering_seconds_per_1000(articles)
    print(f"  per 1,000 articles: {timing['total_s']:.2f} s (signatures {timing['signatures_s']:.2f}, warehouse look-up "
          f"{timing['lookup_s']:.3f}, assignment {timing['assign_s']:.3f}); {timing['joined_share']:.0%} joined a cluster")


if __name__ == "__main__":
    if not (shared_dir() / "corpus").is_dir():
        sys.exit(f"bench: no gold data at {shared_dir()} (set KABAR_SHARED)")
    syndication_figures()
