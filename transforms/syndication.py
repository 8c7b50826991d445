"""Near-duplicate articles (wire copy republished, versions of one story) share a ``cluster_id``.

Each text becomes a set of word 5-shingles (``\\w+`` words, case-folded), summarised by a MinHash
signature of ``NUM_PERM`` values; the signature is cut into ``BANDS`` bands of ``ROWS_PER_BAND``
values and two articles are compared only when some band is identical (LSH). A candidate pair is
a near-duplicate when its estimated Jaccard similarity is at least ``SIMILARITY_THRESHOLD``.

Why 0.5: in ``../shared/corpus`` the two versions of one Taz article score 0.73 (the later one
adds paragraphs), the sample corpus's syndicated copy 0.99, and the most similar unrelated pair
0.14 (two pages of one site sharing boilerplate). Half the shingles in common leaves room for
heavier edits than either (a trimmed ending, a local paragraph) while staying far above chance
overlap; with 40 bands of 3 rows a pair at 0.5 becomes a candidate with probability 0.995, one
at 0.14 with 0.10 (and is then rejected by the full signature).

Clustering is incremental: articles are taken in publication order, each joining the cluster of
its most similar near-duplicate already seen (stored in earlier runs or earlier in this batch),
else founding its own. A ``cluster_id`` is the ``article_id`` of the cluster's first loaded member
and never changes once stored. Texts shorter than ``MIN_WORDS`` carry too little evidence and stay
alone. Hashes come from BLAKE2b and fixed coefficients, never Python's salted ``hash()``, so stored
signatures stay comparable across processes and releases (changing any parameter here means
re-running ``kabar run --reprocess``). Scripts written without spaces (Chinese, Japanese, Thai)
yield clause-long "words": only close copies cluster there.
"""
from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache, partial

import numpy as np
import polars as pl

from transforms.bounds import bounded_text
from transforms.failures import failures_frame, guarded
from transforms.schemas import TABLES

SHINGLE_WORDS = 5
BANDS = 40
ROWS_PER_BAND = 3
NUM_PERM = BANDS * ROWS_PER_BAND
SIMILARITY_THRESHOLD = 0.5
MIN_WORDS = 30

_WORD = re.compile(r"\w+")
_CHUNK = 4096  # shingles hashed at once: bounds memory on very long texts
_SHINGLE_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)
# Publication order decides who founds a cluster within a batch (undated last, then by id).
ARRIVAL_ORDER = ("published_at", "article_id")


def _coefficients(name: str) -> np.ndarray:
    """``NUM_PERM`` fixed 64-bit values derived from SHA-256, the same on every machine."""
    digests = (hashlib.sha256(f"kabar-minhash|{name}|{i}".encode()).digest()[:8] for i in range(NUM_PERM))
    return np.array([int.from_bytes(d, "little") for d in digests], dtype=np.uint64)


_A = _coefficients("a") | np.uint64(1)  # multiply-add-shift hashing wants odd multipliers
_B = _coefficients("b")


@dataclass(frozen=True, eq=False)  # compare with similarity(), not ==
class Signature:
    """MinHash values and the LSH band keys derived from them."""

    minhash: np.ndarray  # uint32, NUM_PERM values
    band_keys: tuple[int, ...]  # one signed 64-bit key per band

    def similarity(self, other: Signature) -> float:
        """Estimated Jaccard similarity of the two shingle sets."""
        return float(np.mean(self.minhash == other.minhash))


@lru_cache(maxsize=1 << 16)
def _word_hash(word: str) -> int:
    return int.from_bytes(hashlib.blake2b(word.encode(), digest_size=8).digest(), "little")


def shingle_hashes(text: str | None) -> np.ndarray:
    """Distinct 64-bit hashes of the text's word 5-shingles (empty below ``MIN_WORDS`` words)."""
    words = _WORD.findall((text or "").casefold())
    if len(words) < MIN_WORDS:
        return np.empty(0, dtype=np.uint64)
    word_hashes = np.array([_word_hash(word) for word in words], dtype=np.uint64)
    count = len(words) - SHINGLE_WORDS + 1
    shingles = np.zeros(count, dtype=np.uint64)
    for offset in range(SHINGLE_WORDS):
        shingles = shingles * _SHINGLE_MULTIPLIER + word_hashes[offset:offset + count]
    return np.unique(shingles)


def signature(text: str | None) -> Signature | None:
    """The text's MinHash signature, or None when it is too short to compare."""
    shingles = shingle_hashes(text)
    if not shingles.size:
        return None
    keys = (shingles >> np.uint64(32)) ^ (shingles & np.uint64(0xFFFFFFFF))  # 32-bit inputs
    minhash = np.full(NUM_PERM, np.iinfo(np.uint64).max, dtype=np.uint64)
    for start in range(0, keys.size, _CHUNK):
        chunk = keys[None, start:start + _CHUNK]
        hashed = (_A[:, None] * chunk + _B[:, None]) >> np.uint64(32)
        minhash = np.minimum(minhash, hashed.min(axis=1))
    return from_minhash(minhash.astype(np.uint32))


def from_minhash(minhash: Iterable[int]) -> Signature:
    """A signature rebuilt from stored MinHash values."""
    values = np.asarray(minhash, dtype=np.uint32)
    bands = values.astype("<u4").reshape(BANDS, ROWS_PER_BAND)  # little-endian bytes on every machine
    keys = tuple(int.from_bytes(hashlib.blake2b(band.tobytes(), digest_size=8, salt=index.to_bytes(8, "little")).digest(),
                                "little", signed=True)
                 for index, band in enumerate(bands))
    return Signature(values, keys)


def assign_clusters(new: Iterable[tuple[str, Signature | None]],
                    stored: Iterable[tuple[str, str, Signature]] = ()) -> dict[str, str]:
    """``article_id -> cluster_id`` for ``new`` (in arrival order), given ``stored`` articles
    ``(article_id, cluster_id, signature)`` from earlier runs. Each article joins the cluster of
    its most similar near-duplicate seen before it (ties: its own stored version, then the smaller
    cluster id), else founds its own."""
    by_band: dict[int, set[str]] = {}
    seen: dict[str, tuple[str, Signature]] = {}

    def remember(article_id: str, cluster_id: str, found: Signature) -> None:
        seen[article_id] = (cluster_id, found)
        for key in found.band_keys:
            by_band.setdefault(key, set()).add(article_id)

    for article_id, cluster_id, found in stored:
        remember(article_id, cluster_id, found)
    clusters: dict[str, str] = {}
    for article_id, found in new:
        clusters[article_id] = article_id
        if found is None:
            continue
        candidates = {other for key in found.band_keys for other in by_band.get(key, ())}
        best = min(((-found.similarity(earlier), other != article_id, cluster_id)
                    for other in candidates for cluster_id, earlier in [seen[other]]), default=None)
        if best is not None and -best[0] >= SIMILARITY_THRESHOLD:
            clusters[article_id] = best[2]
        remember(article_id, clusters[article_id], found)
    return clusters


# --- frames: what the Dagster asset and the staging step call ----------------------------------

SIGNATURES = TABLES["article_signatures"]
CLUSTERS = {"article_id": pl.String, "cluster_id": pl.String, **SIGNATURES}
# Loaded articles a batch is compared with (``warehouse.io.signatures_sharing_bands``).
STORED = {"article_id": pl.String, "cluster_id": pl.String, "minhash": SIGNATURES["minhash"]}


def signature_frame(articles: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """``article_signatures`` rows of the articles long enough to compare, and the per-article
    failures (``syndication_error``)."""
    rows, failures = [], []
    for article_id, text in articles.select("article_id", "text").iter_rows():
        found = guarded("syndication", article_id, partial(signature, bounded_text(text or "")[0]), failures)
        if found is not None:
            rows.append({"article_id": article_id, "minhash": found.minhash.tolist(), "band_keys": list(found.band_keys)})
    return pl.DataFrame(rows, schema=SIGNATURES), failures_frame(failures)


def cluster_frame(articles: pl.DataFrame, signatures: pl.DataFrame, stored: pl.DataFrame | None = None) -> pl.DataFrame:
    """``article_id, cluster_id`` and the signature columns for every article of the batch.

    ``stored`` (``STORED`` columns): loaded articles that share a band with the batch; none by default.
    """
    stored = pl.DataFrame(schema=STORED) if stored is None else stored
    ordered = (articles.select(ARRIVAL_ORDER).sort(ARRIVAL_ORDER, nulls_last=True)
               .join(signatures, on="article_id", how="left", maintain_order="left"))
    new = [(article_id, from_minhash(minhash) if minhash is not None else None)
           for article_id, minhash in ordered.select("article_id", "minhash").iter_rows()]
    earlier = [(article_id, cluster_id, from_minhash(minhash))
               for article_id, cluster_id, minhash in stored.select("article_id", "cluster_id", "minhash").iter_rows()]
    clusters = assign_clusters(new, earlier)
    return (ordered.with_columns(pl.col("article_id").replace_strict(clusters, return_dtype=pl.String).alias("cluster_id"))
            .select(list(CLUSTERS)))


def with_cluster_ids(articles: pl.DataFrame, clusters: pl.DataFrame) -> pl.DataFrame:
    """Fill ``articles.cluster_id`` from the syndication stage."""
    return (articles.drop("cluster_id", strict=False)
            .join(clusters.select("article_id", "cluster_id"), on="article_id", how="left", maintain_order="left"))


def promote_orphaned_leaders(articles: pl.DataFrame, loaded_ids: Iterable[str]) -> pl.DataFrame:
    """Validation may reject the article a cluster was named after: the cluster then takes the id of
    its next member in arrival order, so every ``cluster_id`` still names a loaded article."""
    live = pl.Series(list({*articles["article_id"].to_list(), *loaded_ids}), dtype=pl.String).implode()
    leaders = (articles.filter(~pl.col("cluster_id").is_in(live))
               .sort(ARRIVAL_ORDER, nulls_last=True)
               .group_by("cluster_id", maintain_order=True)
               .agg(pl.col("article_id").first().alias("_leader")))
    return (articles.join(leaders, on="cluster_id", how="left", maintain_order="left")
            .with_columns(pl.coalesce("_leader", "cluster_id").alias("cluster_id")).drop("_leader"))
