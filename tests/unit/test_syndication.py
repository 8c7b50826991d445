"""Near-duplicate clustering: shingles, MinHash signatures, LSH, incremental cluster assignment."""
from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime, timedelta, UTC
from pathlib import Path

import polars as pl

from transforms.syndication import (
    MIN_WORDS, NUM_PERM, SIMILARITY_THRESHOLD, assign_clusters, cluster_frame, from_minhash,
    promote_orphaned_leaders, signature, signature_frame, with_cluster_ids,
)

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2025, 2, 26, 10, 0, tzinfo=UTC)

WIRE = """JAKARTA (Reuters) - Indonesia will halt exports of raw bauxite from June as part of a drive to
develop its domestic processing industry, President Joko Widodo said on Wednesday, extending a policy
that has already transformed the country's nickel sector.

The ban follows a similar move on nickel ore in 2020, which the government credits with attracting
billions of dollars in investment in smelters and battery plants across Sulawesi and Maluku.

"We must stop exporting raw materials and start creating added value at home," Widodo told reporters
at the presidential palace, adding that the ministry of energy would publish detailed rules next month.

Indonesia is one of the world's largest bauxite producers. Industry groups have warned that the
country has only a handful of alumina refineries and that miners could be forced to cut output and lay
off workers before new plants are built.

Officials said four refineries were under construction and that the government expected at least
eleven to be operating by 2027, though analysts said financing for several projects remained uncertain."""

# The same wire story as a second outlet runs it: dateline, a changed word or two, the last paragraph cut,
# a local paragraph added.
EDITED_COPY = (WIRE.replace("JAKARTA (Reuters) -", "JAKARTA, Feb 26 (Reuters) —")
               .replace("on Wednesday", "on Wednesday morning")
               .replace("a handful of", "few")
               .rsplit("\n\n", 1)[0]
               + "\n\nIn West Kalimantan, home to most of the province's bauxite mines, local officials said they"
                 " were studying the impact on regional revenue.")

# Another story on the same topic, told in its own words.
SAME_TOPIC = """Indonesia's bauxite miners are bracing for a slump in revenue after the government confirmed that
shipments of unprocessed ore will end in June. Producers in West Kalimantan said most of their output
went to Chinese refineries and that domestic buyers could absorb only a fraction of it.

The Indonesian Bauxite and Iron Ore Association estimated that up to 40,000 jobs were at risk and urged
the government to delay the ban until more alumina refineries were finished. Energy ministry officials
said the deadline would not move, pointing to the nickel industry, where a ban on ore exports in 2020
was followed by a wave of smelter investment. Economists said the comparison was imperfect because
bauxite refining needs far more power and capital per tonne than nickel processing."""


def article_frame(*rows: tuple[str, str | None, datetime | None]) -> pl.DataFrame:
    return pl.DataFrame([{"article_id": a, "text": t, "published_at": p} for a, t, p in rows],
                        schema={"article_id": pl.String, "text": pl.String, "published_at": pl.Datetime("us", "UTC")})


def clusters_of(articles: pl.DataFrame) -> dict[str, str]:
    return dict(cluster_frame(articles, signature_frame(articles)[0]).select("article_id", "cluster_id").iter_rows())


def test_an_edited_wire_copy_is_a_near_duplicate():
    similarity = signature(WIRE).similarity(signature(EDITED_COPY))
    assert SIMILARITY_THRESHOLD <= similarity < 1.0


def test_another_story_on_the_same_topic_is_not():
    assert signature(WIRE).similarity(signature(SAME_TOPIC)) < 0.1


def test_batch_clusters_copies_under_the_earliest_and_leaves_other_stories_alone():
    articles = article_frame(("copy", EDITED_COPY, NOW + timedelta(minutes=15)), ("wire", WIRE, NOW),
                             ("topic", SAME_TOPIC, NOW - timedelta(hours=1)))
    assert clusters_of(articles) == {"wire": "wire", "copy": "wire", "topic": "topic"}


def test_empty_and_short_texts_stay_alone_without_crashing():
    short = "Breaking: ferry fire off Zamboanga, all passengers rescued, officials say."
    assert len(short.split()) < MIN_WORDS
    assert signature(None) is None and signature("") is None and signature(short) is None
    articles = article_frame(("a", short, NOW), ("b", short, NOW), ("c", "", None), ("d", None, None))
    assert signature_frame(articles)[0].height == 0
    assert clusters_of(articles) == {"a": "a", "b": "b", "c": "c", "d": "d"}
    assert clusters_of(article_frame()) == {}


def test_a_new_copy_joins_the_cluster_stored_in_an_earlier_run():
    first = signature(WIRE)
    stored = [("wire-copy-1", "wire", first)]  # itself a member of the cluster named after "wire"
    assert assign_clusters([("copy-2", signature(EDITED_COPY))], stored) == {"copy-2": "wire"}
    assert assign_clusters([("topic", signature(SAME_TOPIC))], stored) == {"topic": "topic"}


def test_rerunning_keeps_every_cluster_id():
    """A reprocessed article finds its own stored version first, so no cluster is renamed even when a
    published-earlier copy arrives in the same batch."""
    stored = [("wire", "wire", signature(WIRE)), ("copy", "wire", signature(EDITED_COPY))]
    again = [("copy", signature(EDITED_COPY)), ("wire", signature(WIRE))]
    assert assign_clusters(again, stored) == {"copy": "wire", "wire": "wire"}


def test_signatures_survive_storage():
    """What the warehouse stores (the MinHash values) rebuilds the same band keys."""
    found = signature(WIRE)
    assert found.minhash.shape == (NUM_PERM,)
    rebuilt = from_minhash(found.minhash.tolist())
    assert rebuilt.band_keys == found.band_keys and rebuilt.similarity(found) == 1.0


def test_signatures_are_the_same_in_every_process():
    """No salted hash(): another interpreter with another hash seed computes the same values."""
    code = ("import sys; from transforms.syndication import signature; "
            "sys.stdout.write(','.join(map(str, signature(sys.stdin.read()).minhash.tolist())))")
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    other = subprocess.run([sys.executable, "-c", code], input=WIRE, capture_output=True, text=True, cwd=ROOT,
                           env=env, check=True).stdout
    assert other == ",".join(map(str, signature(WIRE).minhash.tolist()))


def test_with_cluster_ids_fills_the_articles_column():
    articles = article_frame(("wire", WIRE, NOW), ("copy", EDITED_COPY, NOW)).with_columns(
        pl.lit(None, dtype=pl.String).alias("cluster_id"))
    clusters = pl.DataFrame({"article_id": ["copy", "wire"], "cluster_id": ["wire", "wire"]})
    assert with_cluster_ids(articles, clusters)["cluster_id"].to_list() == ["wire", "wire"]


def test_a_cluster_whose_first_member_was_rejected_takes_the_next_one():
    remaining = article_frame(("copy-b", None, NOW + timedelta(hours=2)), ("copy-a", None, NOW + timedelta(hours=1)),
                              ("other", None, NOW)).with_columns(cluster_id=pl.Series(["gone", "gone", "loaded"]))
    promoted = promote_orphaned_leaders(remaining, {"loaded"})
    assert promoted["article_id"].to_list() == ["copy-b", "copy-a", "other"]
    assert promoted["cluster_id"].to_list() == ["copy-a", "copy-a", "loaded"]
