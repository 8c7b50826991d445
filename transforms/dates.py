"""Publication times as pages write them, normalised to UTC with an honest precision.

Precision is ``second`` when the seconds are non-zero, ``minute`` for other times, ``day`` for
dates. A time is only converted to UTC when the page gives its zone (an offset, ``Z``, or a named zone
such as WIB = UTC+7). A time without a zone keeps only its calendar date (precision ``day``): we
never silently read local time as UTC. An offset no place uses ("+99:99") is no zone, and a time
whose UTC falls outside the calendar datetime holds ("0001-01-01T00:00:00+07:00") is no time: both
come from hostile or placeholder markup, and neither may stop a page.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, UTC
from email.utils import parsedate_tz

DAY, MINUTE, SECOND = "day", "minute", "second"

ZONE_OFFSETS_HOURS = {
    "Z": 0, "UTC": 0, "GMT": 0, "WIB": 7, "WITA": 8, "WIT": 9, "CET": 1, "CEST": 2, "MEZ": 1, "MESZ": 2,
    "BST": 1, "EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6, "PST": -8, "PDT": -7,
    "JST": 9, "KST": 9, "MSK": 3, "AEST": 10, "AEDT": 11, "SGT": 8, "MYT": 8, "HKT": 8, "ICT": 7, "PHT": 8,
    "EET": 2, "EEST": 3, "WET": 0, "WEST": 1, "SAST": 2, "NZST": 12, "NZDT": 13,
}

MONTHS = {
    # English, Indonesian/Malay, German, French, Spanish, Portuguese, Dutch, Italian (full and short forms)
    **dict.fromkeys(["january", "jan", "januari", "januar", "janvier", "janv", "enero", "ene", "janeiro", "gennaio", "jän"], 1),
    **dict.fromkeys(["february", "feb", "februari", "februar", "février", "fevrier", "févr", "febrero", "fevereiro", "fev", "febbraio", "pebruari"], 2),
    **dict.fromkeys(["march", "mar", "maret", "märz", "maerz", "mars", "marzo", "março", "marco", "maart", "mrt"], 3),
    **dict.fromkeys(["april", "apr", "avril", "avr", "abril", "abr", "aprile"], 4),
    **dict.fromkeys(["may", "mei", "mai", "mayo", "maio", "maggio"], 5),
    **dict.fromkeys(["june", "jun", "juni", "juin", "junio", "junho", "giugno"], 6),
    **dict.fromkeys(["july", "jul", "juli", "juillet", "juil", "julio", "julho", "luglio"], 7),
    **dict.fromkeys(["august", "aug", "agustus", "agu", "agt", "août", "aout", "agosto", "ago", "augustus"], 8),
    **dict.fromkeys(["september", "sep", "sept", "septembre", "septiembre", "setembro", "set", "settembre"], 9),
    **dict.fromkeys(["october", "oct", "oktober", "okt", "octobre", "octubre", "outubro", "out", "ottobre"], 10),
    **dict.fromkeys(["november", "nov", "nopember", "novembre", "noviembre", "novembro"], 11),
    **dict.fromkeys(["december", "dec", "desember", "des", "dezember", "dez", "décembre", "decembre", "déc", "diciembre", "dic", "dezembro", "dicembre"], 12),
}

_ISO = re.compile(
    r"(?P<y>\d{4})-(?P<mo>\d{1,2})-(?P<d>\d{1,2})"
    r"(?:[T ](?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2})(?:[.,]\d+)?)?)?"
    r"\s*(?P<tz>Z|[+-]\d{2}:?\d{2}|[+-]\d{2}\b|[A-Z]{2,5}\b)?"
)
_MONTH_WORD = "(?P<mon>[A-Za-zÀ-ÿ]{3,10})\\.?"
_TIME = r"(?:(?:,|\||-|–|—|pukul|um|à|a las|às|at)?\s*(?P<h>\d{1,2})[:.](?P<mi>\d{2})(?::(?P<s>\d{2}))?\s*(?P<ampm>[AaPp]\.?[Mm]\.?)?\s*(?:Uhr|h)?\s*(?P<tz>[A-Z]{1,5}\b|[+-]\d{2}:?\d{2})?)?"
_DAY_MONTH_YEAR = re.compile(r"(?P<d>\d{1,2})\.?\s+(?:de\s+)?" + _MONTH_WORD + r"\s+(?:de\s+)?(?P<y>\d{4})\s*" + _TIME)
_MONTH_DAY_YEAR = re.compile(_MONTH_WORD + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>\d{4})\s*" + _TIME)
_RFC2822 = re.compile(r"(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+(?P<y>\d{4})\s+\d{1,2}:\d{2}")
_NUMERIC_DMY = re.compile(r"(?P<d>\d{1,2})[/.](?P<mo>\d{1,2})[/.](?P<y>\d{4})\s*" + _TIME)


# CMS placeholders ("0001-01-01T00:00:00Z", the Unix epoch, "9999-12-31" for never) are not publication dates.
_SENTINEL_YEAR = 1970
_NEVER_YEAR = datetime.max.year
# Offsets in use run from UTC-12 to UTC+14.
_LARGEST_OFFSET = timedelta(hours=14)


@dataclass(frozen=True)
class PageTime:
    """A parsed time: ``value`` in UTC (midnight UTC of the written date for ``day`` precision)."""

    value: datetime
    precision: str
    has_zone: bool
    raw: str


def parse_page_time(raw: str | None) -> PageTime | None:
    """Parse one date string from metadata or visible text; None when it holds no date."""
    if not raw or not raw.strip():
        return None
    raw = " ".join(raw.split())
    for parser in (_parse_iso, _parse_rfc2822, _parse_written):
        parsed = parser(raw)
        if parsed is not None:
            return parsed
    return None


def best_page_time(candidates: list[str | None]) -> PageTime | None:
    """The first candidate (in priority order) that has a time and a zone; else the first date."""
    parsed = [p for p in (parse_page_time(c) for c in candidates)
              if p is not None and _SENTINEL_YEAR < p.value.year < _NEVER_YEAR]
    for candidate in parsed:
        if candidate.has_zone and candidate.precision != DAY:
            return candidate
    return parsed[0] if parsed else None


def find_written_time(text: str, day: date | None = None) -> str | None:
    """The first date written in prose ("Selasa, 14 Januari 2025 | 13:45 WIB"), as found; only one
    on ``day`` when a day is given."""
    for pattern in (_DAY_MONTH_YEAR, _MONTH_DAY_YEAR, _NUMERIC_DMY):
        for match in pattern.finditer(text):
            month = _month_number(match)
            if month is not None and (day is None or (int(match["y"]), month, int(match["d"])) == (day.year, day.month, day.day)):
                return match.group(0)
    return None


def _parse_iso(raw: str) -> PageTime | None:
    match = _ISO.search(raw)
    if not match:
        return None
    return _build(match, int(match["mo"]), raw)


def _parse_rfc2822(raw: str) -> PageTime | None:
    written = _RFC2822.match(raw)
    parts = parsedate_tz(raw) if written else None
    if not parts:
        return None
    _year, month, day, hour, minute, second, *_rest, seconds_east = parts
    # the year as written: the email parser reads "0001" as 2001
    local = _safe_datetime(int(written["y"]), month, day, hour, minute, second)
    if local is None:
        return None
    zone = raw.split()[-1]
    if zone.isalpha():   # the email parser reads a zone name it does not know ("WIB") as UTC
        offset = _zone_offset(zone)
    elif ":" in zone or seconds_east is None:   # and a time with no zone at all as UTC too
        offset = None
    else:
        offset = _in_use(timedelta(seconds=seconds_east))
    return _zoned(local, offset, raw)


def _parse_written(raw: str) -> PageTime | None:
    for pattern in (_DAY_MONTH_YEAR, _MONTH_DAY_YEAR, _NUMERIC_DMY):
        match = pattern.search(raw)
        if match:
            month = _month_number(match)
            if month is not None:
                return _build(match, month, raw)
    return None


def _month_number(match: re.Match) -> int | None:
    groups = match.groupdict()
    if groups.get("mo"):
        return int(groups["mo"])
    return MONTHS.get(groups["mon"].lower().rstrip("."))


def _build(match: re.Match, month: int, raw: str) -> PageTime | None:
    year, day = int(match["y"]), int(match["d"])
    hour_text = match.groupdict().get("h")
    if hour_text is None:
        local = _safe_datetime(year, month, day)
        return PageTime(_midnight(local), DAY, False, raw) if local else None
    hour, minute = int(hour_text), int(match["mi"])
    ampm = (match.groupdict().get("ampm") or "").lower().replace(".", "")
    if ampm == "pm" and hour < 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    seconds_text = match.groupdict().get("s")
    local = _safe_datetime(year, month, day, hour, minute, int(seconds_text or 0))
    if local is None:
        return None
    return _zoned(local, _zone_offset(match.groupdict().get("tz")), raw)


def _zoned(local: datetime, offset: timedelta | None, raw: str) -> PageTime | None:
    """``local`` at ``offset`` in UTC; only its date without an offset; None when UTC leaves the
    calendar (year 1 east of Greenwich, year 9999 west of it)."""
    if offset is None:
        return PageTime(_midnight(local), DAY, False, raw)
    try:
        value = (local - offset).replace(tzinfo=UTC)
    except OverflowError:
        return None
    return PageTime(value, _precision(local), True, raw)


def _precision(local: datetime) -> str:
    """``second`` only when the seconds say something: CMSs write ``:00`` when they store minutes."""
    return SECOND if local.second else MINUTE


def _zone_offset(zone: str | None) -> timedelta | None:
    if not zone:
        return None
    zone = zone.strip()
    if zone.upper() in ZONE_OFFSETS_HOURS:
        return timedelta(hours=ZONE_OFFSETS_HOURS[zone.upper()])
    match = re.fullmatch(r"([+-])(\d{2}):?([0-5]\d)?", zone)
    if not match:
        return None
    sign = 1 if match[1] == "+" else -1
    return _in_use(sign * timedelta(hours=int(match[2]), minutes=int(match[3] or 0)))


def _in_use(offset: timedelta) -> timedelta | None:
    """``offset`` when some place uses it, else None: "+99:99" names no zone."""
    return offset if abs(offset) <= _LARGEST_OFFSET else None


def _safe_datetime(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> datetime | None:
    try:
        return datetime(year, month, day, hour, minute, second)
    except ValueError:
        return None


def _midnight(local: datetime) -> datetime:
    return datetime(local.year, local.month, local.day, tzinfo=UTC)
