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


@pytest.mark.parametrize("raw", [
    "0001-01-01T00:00:00+07:00", "9999-12-31T23:59:59-05:00",
    "Mon, 01 Jan 0001 00:00:00 +0700", "Fri, 31 Dec 9999 23:59:59 -0500",
    "31 December 9999 23:00 PST", "1 January 0001 00:30 WIB", "December 31, 9999 11:00 PM EST", "01/01/0001 00:00 WITA",
])
def test_a_time_whose_utc_falls_outside_the_calendar_is_no_time(raw):
    assert parse_page_time(raw) is None
    assert best_page_time([raw]) is None
    assert best_page_time([raw, "2025-01-14T13:45:00+07:00"]).value == utc(2025, 1, 14, 6, 45)


def test_a_written_time_outside_the_calendar_is_found_and_then_refused():
    written = find_written_time("Diperbarui 31 December 9999 23:00 PST oleh redaksi")
    assert written == "31 December 9999 23:00 PST"
    assert parse_page_time(written) is None


@pytest.mark.parametrize("raw", ["2025-01-14T13:45:00+99:99", "2025-01-14T13:45:00+07:75", "2025-01-14T13:45:00-15:00",
                                 "Tue, 14 Jan 2025 13:45:00 +9999"])
def test_an_offset_no_place_uses_is_no_zone(raw):
    parsed = parse_page_time(raw)
    assert (parsed.value, parsed.precision, parsed.has_zone) == (utc(2025, 1, 14), "day", False)


def test_the_last_day_of_the_calendar_is_a_placeholder():
    assert best_page_time(["9999-12-31T23:59:59Z", "2025-01-14"]).value == utc(2025, 1, 14)


def _random_date_strings(seed: int, count: int) -> list[str]:
    """Date-like strings in every form the parsers read, with years 0-99999 (often the calendar's
    edges), impossible months, days, hours and minutes, offsets up to ±99:99 and zone names known and
    unknown."""
    import random

    rng = random.Random(seed)
    zones = ["Z", "UTC", "WIB", "WITA", "PST", "NZDT", "XYZ", "", "GMT", "-0000", "+1400", "-1200"]
    months = ["January", "Jan", "Desember", "März", "août", "Sept", "Foo"]
    forms = [
        "{y:04d}-{mo:02d}-{d:02d}T{h:02d}:{mi:02d}:{s:02d}{off}", "{y}-{mo}-{d} {h}:{mi:02d}{zone}",
        "{y:04d}-{mo:02d}-{d:02d}", "Tue, {d:02d} Jan {y:04d} {h:02d}:{mi:02d}:{s:02d} {rfc}",
        "{d} {month} {y:04d} {h}:{mi:02d} {zone}", "{month} {d}, {y:04d} {h}:{mi:02d} PM {zone}",
        "{d:02d}/{mo:02d}/{y:04d} {h:02d}:{mi:02d} {zone}", "Selasa, {d} {month} {y} | {h}:{mi:02d} {zone}",
    ]
    strings = []
    for _ in range(count):
        sign = rng.choice("+-")
        values = {"y": rng.choice([0, 1, 2, 1970, 2025, 9998, 9999, 10000, rng.randint(0, 99999)]),
                  "mo": rng.choice([1, 12, rng.randint(0, 13)]), "d": rng.choice([1, 31, rng.randint(0, 32)]), "h": rng.randint(0, 25), "mi": rng.randint(0, 61),
                  "s": rng.randint(0, 61), "month": rng.choice(months), "zone": rng.choice(zones),
                  "off": rng.choice(["", "Z", f"{sign}{rng.randint(0, 99):02d}:{rng.randint(0, 99):02d}",
                                     f"{sign}{rng.randint(0, 99):02d}", rng.choice(zones)]),
                  "rfc": rng.choice([f"{sign}{rng.randint(0, 9999):04d}", rng.choice(zones)])}
        strings.append(rng.choice(forms).format(**values))
    return strings


def test_random_date_strings_never_raise_and_always_give_utc_times():
    strings = _random_date_strings(seed=20250114, count=2000)
    parsed = [parse_page_time(raw) for raw in strings]
    assert sum(p is not None and p.has_zone for p in parsed) > 200   # the fuzz reaches the zone arithmetic
    for found in [*parsed, *(best_page_time(strings[i:i + 5]) for i in range(0, len(strings), 5))]:
        if found is not None:
            assert found.value.tzinfo is UTC and found.precision in ("day", "minute", "second")
    written = [find_written_time(f"Diperbarui {raw} oleh redaksi") for raw in strings]
    assert all(found is None or found.strip() in raw for found, raw in zip(written, strings))
    assert all(found is None or found.value.tzinfo is UTC for found in map(parse_page_time, filter(None, written)))
