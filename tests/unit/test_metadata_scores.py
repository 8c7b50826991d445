"""The bench's metadata metrics: the day in the page's own offset, junk authors, site-name titles."""
from datetime import datetime, UTC
from pathlib import Path
from types import SimpleNamespace

from evaluation.corpora import GoldPage
from evaluation.extraction import metadata_scores, same_day


def test_the_day_is_read_in_the_gold_offset():
    early_morning_in_berlin = datetime(2024, 4, 24, 22, 30, tzinfo=UTC)   # 00:30 on the 25th at +02:00
    assert same_day(early_morning_in_berlin, "minute", "2024-04-25 00:30:00+02:00")
    assert not same_day(early_morning_in_berlin, "minute", "2024-04-25 12:00:00-04:00")   # the 24th in New York
    assert same_day(datetime(2024, 4, 25, tzinfo=UTC), "day", "2024-04-25 23:00:00-05:00")
    assert not same_day(None, None, "2024-04-25")


def test_junk_authors_and_site_name_titles_are_counted():
    gold = GoldPage("fundus", "p", Path("p.html.gz"), None, "", "Flood waters recede", ("Rina Kartika",),
                    "2024-04-25 10:00:00+02:00", "en", "Northern Post")
    found = SimpleNamespace(title="NORTHERN POST", authors=["Rina Kartika", "See full bio"], site_name=None,
                            published_at=datetime(2024, 4, 25, 8, 0, tzinfo=UTC), published_at_precision="minute")
    scores = metadata_scores([gold], [found])
    assert (scores.junk_authors, scores.site_name_titles, scores.published_day, scores.author_any) == (1, 1, 1.0, 1.0)
