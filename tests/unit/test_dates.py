from datetime import datetime, UTC

import pytest

from transforms.dates import best_page_time, find_written_time, parse_page_time


def utc(*parts):
    return datetime(*parts, tzinfo=UTC)


@pytest.mark.parametrize("raw, expected, precision", [
    ("2022-01-11T09:15:00+07:00", utc(2022, 1, 11, 2, 15), "minute"),
    ("2022-01-11T09:15:42+07:00", utc(2022, 1, 11, 2, 15, 42), "second"),
    ("2025-01-14T13:45Z", utc(2025, 1, 14, 13, 45), "minute"),
    ("2023-04-28T10:00:00.000000+02:00", utc(2023, 4, 28, 8, 0), "minute"),
    ("Selasa, 14 Januari 2025 | 13:45 WIB", utc(2025, 1, 14, 6, 45), "minute"),
    ("14/01/2025 13:45 WITA", utc(2025, 1, 14, 5, 45), "minute"),
    ("Rabu, 15 Januari 2025 08:00 WIT", utc(2025, 1, 14, 23, 0), "minute"),
    ("January 14, 2025 1:45 PM EST", utc(2025, 1, 14, 18, 45), "minute"),
    ("Tue, 14 Jan 2025 13:45:09 +0700", utc(2025, 1, 14, 6, 45, 9), "second"),
    ("Tue, 14 Jan 2025 13:45:00 WIB", utc(2025, 1, 14, 6, 45), "minute"),   # RSS style with a zone name
    ("Tue, 14 Jan 2025 13:45:00 GMT", utc(2025, 1, 14, 13, 45), "minute"),
    ("2025-01-14", utc(2025, 1, 14), "day"),
    ("20 de enero de 2025", utc(2025, 1, 20), "day"),
])
def test_parses_zoned_times_to_utc(raw, expected, precision):
    parsed = parse_page_time(raw)
    assert (parsed.value, parsed.precision) == (expected, precision)


@pytest.mark.parametrize("raw", ["2025-01-14T13:45:00", "14. Januar 2025, 13:45 Uhr", "Tue, 14 Jan 2025 13:45:00",
                                 "Tue, 14 Jan 2025 13:45:00 XYZ"])
def test_time_without_zone_keeps_only_the_local_date(raw):
    parsed = parse_page_time(raw)
    assert parsed.precision == "day" and not parsed.has_zone
    assert parsed.value == utc(2025, 1, 14)


@pytest.mark.parametrize("raw", [None, "", "   ", "yesterday", "2025-13-45T10:00:00Z", "31 Februari 2025"])
def test_no_date_or_impossible_date_gives_none(raw):
    assert parse_page_time(raw) is None


def test_best_time_prefers_a_zoned_time_over_an_earlier_date_only_candidate():
    best = best_page_time(["2025-01-14", None, "2025-01-14T13:45:00+07:00"])
    assert best.value == utc(2025, 1, 14, 6, 45)


def test_finds_date_written_in_a_byline():
    assert find_written_time("Oleh Rina Kartika | Selasa, 14 Januari 2025 | 13:45 WIB") == "14 Januari 2025 | 13:45 WIB"
    assert find_written_time("no date here at all") is None


def test_placeholder_dates_are_skipped_for_the_next_candidate():
    best = best_page_time(["0001-01-01T00:00:00Z", "01 Jan 1970 00:00:01 GMT", "2025-01-14T13:45:00+07:00"])
    assert best.value == utc(2025, 1, 14, 6, 45)
    assert best_page_time(["0001-01-01T00:00:00Z"]) is None
