"""The sources file: which outlets to crawl, where their feeds and sitemaps are, when, and how politely.

A hand-edited TOML file (``sources.example.toml`` documents every field). It is read whole and checked
before any crawl starts, so a typo stops the scheduler with one line naming the file, the outlet and
the field, instead of silently crawling less (an unknown key is an error, not ignored).
"""
from __future__ import annotations

import ipaddress
import re
import tomllib
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

import pycountry

from crawl.fetcher import DEFAULT_USER_AGENT
from transforms.urls import canonical_url, fetchable_url, is_fetchable_scheme

DEFAULT_SCHEDULE = "0 * * * *"

_LANGUAGE_TAG = re.compile(r"(?P<primary>[A-Za-z]{2,3})(?:-[A-Za-z0-9]{1,8})*")
_CRON_ITEM = re.compile(r"(?P<range>\*|[A-Za-z0-9]+(?:-[A-Za-z0-9]+)?)(?:/(?P<step>[0-9]+))?")
# (field, lowest, highest, names in value order from lowest) as cron reads them
_CRON_FIELDS = (
    ("minute", 0, 59, ()),
    ("hour", 0, 23, ()),
    ("day of month", 1, 31, ()),
    ("month", 1, 12, ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")),
    ("day of week", 0, 7, ("sun", "mon", "tue", "wed", "thu", "fri", "sat")),
)


class SourcesFileError(ValueError):
    """The sources file cannot be used; the message is one line naming the file, outlet and field."""


IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class CrawlerSettings:
    """The ``[crawler]`` table: defaults for every outlet."""
    user_agent: str = DEFAULT_USER_AGENT
    delay_seconds: float = 2.0               # between two requests to the same host
    timeout_seconds: float = 30.0
    max_body_bytes: int = 10 * 1024 * 1024
    allowed_networks: tuple[IPNetwork, ...] = ()   # private networks the fetcher may reach anyway (tests, intranet)


@dataclass(frozen=True)
class Outlet:
    """One ``[[outlets]]`` table; URLs are in their fetchable form (``transforms.urls.fetchable_url``)."""
    name: str
    homepage: str
    feeds: tuple[str, ...]
    sitemaps: tuple[str, ...]
    language: str                       # BCP 47, as written ("id", "en-AU")
    country: str                        # ISO 3166-1 alpha-2, upper case
    schedule: str = DEFAULT_SCHEDULE    # cron, 5 fields
    delay_seconds: float | None = None  # overrides [crawler] delay_seconds
    max_articles: int | None = None     # per crawl; None is no limit
    urls: tuple[str, ...] = ()          # article pages to fetch once, beside what feeds and sitemaps list

    @property
    def key(self) -> str:
        """The name as a Dagster-safe identifier: ``Kabar Nusa (Jakarta)`` → ``kabar_nusa_jakarta``."""
        return outlet_key(self.name)


@dataclass(frozen=True)
class SourcesFile:
    outlets: tuple[Outlet, ...]
    crawler: CrawlerSettings


def url_list_outlet(path: Path) -> Outlet:
    """A plain list of article URLs (one per line, ``#`` comments) as an outlet with only ``urls``;
    links that are not http(s) are kept, to be refused with a reason when crawled."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise SourcesFileError(f"{path}: no such URL list") from None
    except (OSError, UnicodeDecodeError) as error:
        raise SourcesFileError(f"{path}: cannot read the URL list: {error}") from None
    urls = tuple(url for url in dict.fromkeys(line.strip() for line in lines) if url and not url.startswith("#"))
    if not urls:
        raise SourcesFileError(f"{path}: no URLs (one per line)")
    return Outlet(name="URL list", homepage=urls[0], feeds=(), sitemaps=(), language="und", country="", urls=urls)


def outlet_key(name: str) -> str:
    """Lower-case ``[a-z0-9_]+``: accents folded, every other run of characters one underscore."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "_", folded.lower()).strip("_")


def load_outlets(path: Path) -> SourcesFile:
    """Read and check a sources file; every problem is a ``SourcesFileError``."""
    path = Path(path)
    try:
        with path.open("rb") as handle:
            document = tomllib.load(handle)
    except FileNotFoundError:
        raise SourcesFileError(f"{path}: no such sources file") from None
    except OSError as error:
        raise SourcesFileError(f"{path}: cannot read the sources file: {error.strerror}") from None
    except UnicodeDecodeError:
        raise SourcesFileError(f"{path}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as error:
        raise SourcesFileError(f"{path}: invalid TOML: {error}") from None
    top = _Table(path, "top level", document)
    top.refuse_unknown({"crawler", "outlets"})
    crawler = _crawler_settings(top.table_at("crawler"))
    outlets = tuple(_outlet(table) for table in top.tables_at("outlets"))
    if not outlets:
        top.fail("outlets", "needs at least one [[outlets]] table")
    _refuse_duplicate_keys(path, outlets)
    return SourcesFile(outlets, crawler)


@dataclass(frozen=True)
class _Table:
    """A TOML table being read; ``fail`` names the file, the table (``where``) and the field."""
    path: Path
    where: str
    values: dict[str, Any]

    def fail(self, field: str, problem: str) -> NoReturn:
        raise SourcesFileError(f"{self.path}: {self.where}: {field}: {problem}")

    def refuse_unknown(self, known: set[str]) -> None:
        for field in self.values:
            if field not in known:
                self.fail(field, f"unknown field (known: {', '.join(sorted(known))})")

    def table_at(self, field: str) -> _Table:
        value = self.values.get(field, {})
        if not isinstance(value, dict):
            self.fail(field, f"must be a table, as in [{field}]")
        return _Table(self.path, f"[{field}]", value)

    def tables_at(self, field: str) -> list[_Table]:
        value = self.values.get(field, [])
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            self.fail(field, f"must be tables, as in [[{field}]]")
        return [_Table(self.path, f"{field} #{number}", item) for number, item in enumerate(value, 1)]

    def string(self, field: str, default: str | None = None) -> str:
        value = self.values.get(field, default)
        if value is None:
            self.fail(field, "missing")
        if not isinstance(value, str) or not value.strip():
            self.fail(field, "must be a non-empty string")
        return value.strip()

    def number(self, field: str, default: float | None, *, minimum: float, integer: bool = False) -> Any:
        """The value (a float unless ``integer``), or ``default`` when absent."""
        value = self.values.get(field, default)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int if integer else int | float) or value < minimum:
            self.fail(field, f"must be {'an integer' if integer else 'a number'} of at least {minimum}, got {value!r}")
        return value if integer else float(value)

    def url(self, field: str, value: Any) -> str:
        if not isinstance(value, str):
            self.fail(field, f"must be a URL string, got {value!r}")
        if not is_fetchable_scheme(value):
            self.fail(field, f"must be an absolute http(s) URL, got {value!r}")
        url = fetchable_url(value)
        if url is None:
            self.fail(field, f"not a valid URL: {value!r}")
        return url

    def urls(self, field: str) -> tuple[str, ...]:
        values = self.values.get(field, [])
        if not isinstance(values, list):
            self.fail(field, "must be a list of URLs, as in [\"https://...\"]")
        urls = tuple(self.url(field, value) for value in values)
        pages = [canonical_url(url) for url in urls]   # http and https, or two spellings, are one page
        for index, url in enumerate(urls):
            if pages[index] in pages[:index]:
                earlier = urls[pages.index(pages[index])]
                self.fail(field, f"lists {url!r} twice" if url == earlier
                          else f"lists {earlier!r} and {url!r}, one page")
        return urls


def _crawler_settings(table: _Table) -> CrawlerSettings:
    table.refuse_unknown({"user_agent", "delay_seconds", "timeout_seconds", "max_body_bytes", "allowed_networks"})
    defaults = CrawlerSettings()
    return CrawlerSettings(
        user_agent=table.string("user_agent", defaults.user_agent),
        delay_seconds=table.number("delay_seconds", defaults.delay_seconds, minimum=0),
        timeout_seconds=table.number("timeout_seconds", defaults.timeout_seconds, minimum=0.1),
        max_body_bytes=table.number("max_body_bytes", defaults.max_body_bytes, minimum=1, integer=True),
        allowed_networks=_networks(table, "allowed_networks"),
    )


def _networks(table: _Table, field: str) -> tuple[IPNetwork, ...]:
    values = table.values.get(field, [])
    if not isinstance(values, list):
        table.fail(field, "must be a list of networks, as in [\"10.0.0.0/8\"]")
    networks = []
    for value in values:
        try:
            networks.append(ipaddress.ip_network(value))
        except (TypeError, ValueError):
            table.fail(field, f"{value!r} is not a network in CIDR notation (such as \"192.168.0.0/16\")")
    return tuple(networks)


def _outlet(table: _Table) -> Outlet:
    name = table.string("name")
    table = _Table(table.path, f"outlet {name!r}", table.values)
    table.refuse_unknown({"name", "homepage", "feeds", "sitemaps", "urls", "language", "country", "schedule",
                          "delay_seconds", "max_articles"})
    if not outlet_key(name):
        table.fail("name", "needs at least one letter or digit (it becomes the outlet's key)")
    outlet = Outlet(
        name=name,
        homepage=table.url("homepage", table.string("homepage")),
        feeds=table.urls("feeds"),
        sitemaps=table.urls("sitemaps"),
        language=_language(table),
        country=_country(table),
        schedule=_schedule(table),
        delay_seconds=table.number("delay_seconds", None, minimum=0),
        max_articles=table.number("max_articles", None, minimum=1, integer=True),
        urls=table.urls("urls"),
    )
    if not outlet.feeds and not outlet.sitemaps and not outlet.urls:
        table.fail("feeds", "no feeds, sitemaps or urls: list at least one")
    return outlet


def _language(table: _Table) -> str:
    tag = table.string("language")
    match = _LANGUAGE_TAG.fullmatch(tag)
    primary = match["primary"].lower() if match else ""
    code_kind = "alpha_2" if len(primary) == 2 else "alpha_3"
    if not primary or pycountry.languages.get(**{code_kind: primary}) is None:
        table.fail("language", f"{tag!r} is not a BCP 47 language tag with an ISO 639 language (such as \"id\")")
    return tag


def _country(table: _Table) -> str:
    code = table.string("country").upper()
    if len(code) != 2 or pycountry.countries.get(alpha_2=code) is None:
        table.fail("country", f"{code!r} is not an ISO 3166-1 alpha-2 country code (such as \"ID\")")
    return code


def _schedule(table: _Table) -> str:
    expression = " ".join(table.string("schedule", DEFAULT_SCHEDULE).split())
    problem = _cron_problem(expression)
    if problem:
        table.fail("schedule", f"{expression!r}: {problem}")
    return expression


def _cron_problem(expression: str) -> str | None:
    """A plain check of five cron fields (numbers, ``*``, ranges, steps, lists, month and day names)."""
    fields = expression.split()
    if len(fields) != 5:
        return f"needs 5 fields (minute hour day-of-month month day-of-week), got {len(fields)}"
    for text, (label, lowest, highest, names) in zip(fields, _CRON_FIELDS, strict=True):
        for item in text.split(","):
            match = _CRON_ITEM.fullmatch(item)
            if not match or match["step"] == "0":
                return f"{label} {text!r} is not valid"
            if match["range"] == "*":
                continue
            for bound in match["range"].split("-"):
                value = _cron_value(bound, lowest, names)
                if value is None or not lowest <= value <= highest:
                    return f"{label} {text!r} is outside {lowest}-{highest}"
    return None


def _cron_value(bound: str, lowest: int, names: tuple[str, ...]) -> int | None:
    if bound.lower() in names:
        return names.index(bound.lower()) + lowest
    return int(bound) if bound.isdigit() else None


def _refuse_duplicate_keys(path: Path, outlets: tuple[Outlet, ...]) -> None:
    seen: dict[str, str] = {}
    for outlet in outlets:
        if outlet.key in seen:
            raise SourcesFileError(f"{path}: outlet {outlet.name!r}: name: same key {outlet.key!r} as outlet "
                                   f"{seen[outlet.key]!r} (names must differ in letters or digits)")
        seen[outlet.key] = outlet.name
