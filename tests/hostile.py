"""A seeded generator of hostile inputs: several variants of every class that once stopped or lost a run.

Each ``Hostile`` is one input (a file, a WARC archive, or something that is not a file) with what must
become of it: per document it yields, an article (with column values it must hold) or a reject with
its reason; or a notice that it was not read. ``write_folder`` puts them all in one folder beside good
pages, so one run shows that no input vanishes and none blocks the rest.

    python -m tests.hostile DIR [SEED] [FOLDERS]   # write the folder (FOLDERS seeds, one subfolder each)
"""
from __future__ import annotations

import codecs
import gzip
import json
import os
import random
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tests.pages import news_page
from tests.slow_pages import deep_nesting_page, many_attributes_page, many_elements_page, many_links_page
from tests.warcs import gzip_members, http_message, raw_record

ARTICLE = None   # an Expect without a reject reason is an article


@dataclass(frozen=True)
class Expect:
    """What one document must become: an article holding ``columns``, or a reject with ``reject``."""

    reject: str | None = ARTICLE
    columns: tuple[tuple[str, object], ...] = ()


@dataclass(frozen=True)
class Hostile:
    kind: str
    name: str | bytes                            # bytes: a file name that is not UTF-8
    content: bytes | None = None                 # None: ``special`` says what to make
    documents: tuple[Expect, ...] = ()           # in the order of their origins
    skipped_records: int = 0                     # WARC records that are not pages (counted, not documents)
    not_read: str | None = None                  # the notice for what is not a regular file
    special: str | None = None                   # "fifo", "dangling link", "link loop", "folder"
    inside: tuple[Hostile, ...] = field(default=())   # the files in a folder named like a page


# --- page text ----------------------------------------------------------------------------------

ID_BODY = ["Pemerintah Kota Surabaya memperpanjang status siaga banjir hingga akhir pekan setelah hujan deras "
           "mengguyur kota itu selama tiga hari berturut-turut, kata petugas di lapangan.",
           "Menurut data Badan Penanggulangan Bencana Daerah, lebih dari 1.200 rumah di lima kecamatan terendam "
           "air setinggi setengah meter dan warga mulai mengungsi ke balai desa."]
EN_BODY = ["Dock workers at the Port of Melbourne walked off the job on Monday, halting container traffic at "
           "Australia's busiest port for the first time in a decade, union officials said.",
           "Shipping lines warned that delays could ripple through supply chains before the holiday season, "
           "according to a statement released by the port operator."]
LANGUAGE_SAMPLES = {   # py3langid answers with these codes, none of them ISO 639-1 (zxx: no language)
    "yue": ("佢哋話今日會落雨，大家記得帶遮。我哋喺香港嘅時候成日都好忙，冇乜時間食飯。"
            "呢間餐廳嘅嘢食真係好好味，下次再嚟啦。佢話佢唔知點解會咁，但係佢好開心。"),
    "lij": ("O zeneise o l'é unna lengua romanza parlâ in Liguria. A çitæ de Zena a l'é a capitâ da region, e o "
            "seu pòrto o l'é o ciù grande do Mediterraneo. Inta lengua zeneise gh'é tante pòule che vegnan da "
            "l'arabo e da-o spagnòllo."),
    "gcf": ("Sé lè nou té ka alé lékòl, nou té ka palé kréyòl épi manman nou. Gwadloup sé on bèl péyi, tout moun "
            "ka vin vizité-y. Yo ka di sé lanmè-la ki pi bèl adan tout Karayib-la."),
    None: " ".join(str(1000 + 37 * i) for i in range(40)),
}


class _Pages:
    """Good pages, each with a URL and text of its own (so no two inputs are one document or one article)."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.count = 0

    def html(self, *, body: list[str] | None = None, language: str = "id", published: str | None = None,
             head: str = "", body_extra: str = "", canonical: str | None = None) -> str:
        self.count += 1
        paragraphs = body or (ID_BODY if language == "id" else EN_BODY)
        url = canonical or f"https://hostile.example/{language}/{self.count}-{self.rng.randrange(10**6)}"
        page = news_page(title=f"Berita {self.count}", body=paragraphs, url=url, published=published,
                         language=language)
        return page.replace("</head>", head + "</head>").replace("</article>", body_extra + "</article>")


def _page(kind: str, name: str, html: str | bytes, *columns: tuple[str, object]) -> Hostile:
    data = html.encode("utf-8") if isinstance(html, str) else html
    return Hostile(kind, name, data, (Expect(columns=tuple(columns)),))


def _rejected(kind: str, name: str, data: bytes, reason: str) -> Hostile:
    return Hostile(kind, name, data, (Expect(reason),))


# --- the classes ------------------------------------------------------------------------------------


def languages(rng: random.Random, pages: _Pages) -> list[Hostile]:
    """Languages the detector names outside ISO 639-1 (Cantonese "yue", Ligurian "lij", a page of numbers
    "zxx"), declared or not in the page: stored as BCP 47 subtags, or null for no language."""
    found = []
    for index, (code, text) in enumerate(rng.sample(sorted(LANGUAGE_SAMPLES.items(), key=str), 3)):
        declared = rng.choice(["yue", "zh-HK", "lij", "und", "zxx", "x-klingon"])
        html = pages.html(body=[text, text], language=declared)
        found.append(_page("language", f"language-{index}.html", html, ("language", code)))
    return found


def duplicate_mentions(rng: random.Random, pages: _Pages) -> list[Hostile]:
    """Hyphenated names a model reads as two names widened into one ("Soekarno-Hatta", "Canada-EU")."""
    texts = [("id", "Penumpang tiba di Bandara Soekarno-Hatta pada Senin pagi dan langsung menuju kota. "
                    "Petugas Bandara Soekarno-Hatta meminta penumpang tetap tenang."),
             ("en", "Canada-EU trade deal signed as leaders meet in Brussels. Officials said the Canada-EU "
                    "agreement would cut tariffs on cheese and steel within three years."),
             ("id", "Kereta cepat Jakarta-Bandung melayani ribuan penumpang. Menteri Perhubungan meninjau "
                    "stasiun Jakarta-Bandung dan Al-Azhar pada Minggu siang.")]
    return [_page("duplicate mention", f"hyphen-{index}.html", pages.html(body=[text], language=language))
            for index, (language, text) in enumerate(rng.sample(texts, 3))]


def extreme_dates(rng: random.Random, pages: _Pages) -> list[Hostile]:
    """Dates in year 1 or 9999 with a zone: no publication time, never an overflow."""
    values = ["0001-01-01T00:00:00+07:00", "9999-12-31T23:59:59-05:00", "0001-01-01T07:00:00+14:00"]
    places = {
        "meta": lambda v: {"head": f'<meta property="article:published_time" content="{v}">'},
        "json-ld": lambda v: {"published": v},
        "text": lambda v: {"body_extra": f"<p>Diperbarui {v[8:10]} Januari {v[:4]} 07:00 WIB</p>"},
    }
    found = []
    for index, place in enumerate(places):
        value = rng.choice(values)
        found.append(_page("extreme date", f"date-{index}.html", pages.html(**places[place](value)),
                           ("published_at", None)))
    return found


def encodings(rng: random.Random, pages: _Pages) -> list[Hostile]:
    """Valid text in hostile bytes: UTF-16/32 with a byte-order mark, a stray NUL, a lying charset."""
    html = pages.html()
    variants = {
        "utf16le": codecs.BOM_UTF16_LE + html.encode("utf-16-le"),
        "utf16be": codecs.BOM_UTF16_BE + html.encode("utf-16-be"),
        "utf32": codecs.BOM_UTF32_LE + pages.html().encode("utf-32-le"),
        "nul": pages.html().replace("<p>", "<p>\x00", 1).encode("utf-8"),
        "declares-utf16": pages.html(head='<meta charset="utf-16">').encode("utf-8"),
        "lying-charset": pages.html(head='<meta charset="windows-1251">', body=[t + " — café, naïve"
                                                                               for t in EN_BODY]).encode("utf-8"),
    }
    chosen = rng.sample(sorted(variants), 4) + ["utf16le"] * ("utf16le" not in variants)
    return [_page("encoding", f"encoding-{name}.html", variants[name]) for name in dict.fromkeys(chosen)]


def compressed(rng: random.Random, pages: _Pages) -> list[Hostile]:
    """gzip with trailing bytes (read), two members (read), a member cut short (unreadable)."""
    trailing = gzip.compress(pages.html().encode()) + bytes(rng.randrange(256) for _ in range(rng.randint(1, 64)))
    html = pages.html().encode()
    half = len(html) // 2
    members = gzip.compress(html[:half]) + gzip.compress(html[half:])
    cut = gzip.compress(pages.html().encode())
    return [_page("gzip", "trailing.html.gz", trailing), _page("gzip", "members.html.gz", members),
            _rejected("gzip", "cut.html.gz", cut[:rng.randint(20, len(cut) - 10)], "unreadable")]


def canonical_links(rng: random.Random, pages: _Pages) -> list[Hostile]:
    """A malformed canonical link: the page is still read, identified by its next good URL or its bytes."""
    bad = rng.sample(["http://[::1", "https://exa mple.com/x", "http://host:99999/a", "//", "https://\x7f/"], 3)
    return [_page("canonical link", f"canonical-{index}.html",
                  pages.html(head=f'<link rel="canonical" href="{link}">'))
            for index, link in enumerate(bad)]


def hostile_json_ld(rng: random.Random, pages: _Pages) -> list[Hostile]:
    """JSON-LD nested thousands deep, of the wrong types, or not JSON at all."""
    depth = rng.randint(2_000, 20_000)
    scripts = ["[" * depth + "]" * depth, json.dumps({"@type": "NewsArticle", "headline": {"a": 1}, "author": 7,
                                                       "datePublished": ["x"], "url": None}),
               "{not json at all"]
    return [_page("json-ld", f"json-ld-{index}.html",
                  pages.html(head=f'<script type="application/ld+json">{script}</script>'))
            for index, script in enumerate(scripts)]


def pathological(rng: random.Random, pages: _Pages) -> list[Hostile]:
    """Pages past a bound: read in part (``is_truncated``) or rejected with the bound's reason."""
    paragraphs = [f"Update {index}: {EN_BODY[index % 2]}" for index in range(rng.randint(700, 1_000))]
    long_text = pages.html(body=paragraphs, language="en")   # over the 100,000 characters NER reads
    return [
        _page("bound", "long-text.html", long_text, ("is_truncated", True)),
        _page("bound", "attributes.html", many_attributes_page(rng.randint(2_000, 20_000)), ("is_truncated", True)),
        _page("bound", "nesting.html", deep_nesting_page(rng.randint(500, 3_000)), ("is_truncated", True)),
        _rejected("bound", "links.html", many_links_page(rng.randint(4_000, 8_000)).encode(), "too_many_links"),
        _rejected("bound", "elements.html", many_elements_page(rng.randint(40_000, 60_000)).encode(),
                  "too_many_elements"),
    ]


def not_pages(rng: random.Random, pages: _Pages) -> list[Hostile]:
    """Files named like pages that are not: binary, empty, too large, text with no markup."""
    png = b"\x89PNG\r\n\x1a\n" + bytes(rng.randrange(256) for _ in range(2048))
    return [_rejected("not a page", "image.html", png, "not_html"),
            _rejected("not a page", "blank.html", b" \n\t" * rng.randint(1, 50), "empty"),
            _rejected("not a page", "huge.html", b"<html><body><p>" + b"a " * (5 * 1024 * 1024 + 1), "too_large"),
            _rejected("not a page", "notes.html", b"just some notes, no markup " * 20, "not_html")]


def names(rng: random.Random, pages: _Pages) -> list[Hostile]:
    """File names that are not UTF-8 (Latin-1, a lone byte), with spaces and control characters."""
    raw = [b"caf\xe9-%d.html", b"\xff\xfe-%d.htm", b"line\x0abreak %d.html"]
    return [_page("file name", name % index, pages.html()) for index, name in enumerate(rng.sample(raw, 3))]


def not_files(rng: random.Random, pages: _Pages) -> list[Hostile]:
    """What is not a regular file: a named pipe, a dangling link, a link loop, a folder named like a page
    (whose pages are read)."""
    inside = (_page("folder", "inside.html", pages.html()),)
    return [Hostile("not a file", "pipe.html", special="fifo", not_read="named pipe"),
            Hostile("not a file", "gone.html", special="dangling link", not_read="dangling symbolic link"),
            Hostile("not a file", "loop.html", special="link loop", not_read="symbolic link loop"),
            Hostile("not a file", f"folder-{rng.randrange(100)}.html", special="folder",
                    not_read="folder named like a page", inside=inside)]


def archives(rng: random.Random, pages: _Pages) -> list[Hostile]:
    """WARC archives: a header cut short, a record without a target URI, a malformed target URI, refusal
    records whose JSON is a list or a string, and good records around each."""
    def response(url: str | bytes, html: str, **fields) -> bytes:
        return raw_record(http_message(html.encode()), WARC_Target_URI=url, **fields)

    good = [pages.html() for _ in range(6)]
    refusal_bodies = rng.sample([b"[1, 2]", b'"refused"', b"42", b"{not json", b'{"reason": ["x"]}'], 2)
    refusals = [raw_record(body, WARC_Type="metadata", Content_Type="application/vnd.kabar.refusal+json",
                           WARC_Target_URI=f"https://w.example/refused/{index}")
                for index, body in enumerate(refusal_bodies)]
    cut_at = rng.randint(12, 40)
    no_uri = b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 5\r\n\r\nhello\r\n\r\n"
    return [
        Hostile("warc", "cut-header.warc", response("https://w.example/1", good[0]) + response("https://w.example/2",
                good[1])[:cut_at], (Expect(), Expect("warc_damaged"))),
        Hostile("warc", "no-target-uri.warc", no_uri + response("https://w.example/3", good[2]),
                (Expect(),), skipped_records=1),
        Hostile("warc", "bad-target-uri.warc.gz", gzip_members(response("http://[::1", good[3]),
                                                               response("https://w.example/4", good[4])),
                (Expect(columns=(("url", "http://[::1"),)), Expect())),
        Hostile("warc", "bad-refusals.warc.gz", gzip_members(*refusals, response("https://w.example/5", good[5])),
                (Expect("refused"), Expect("refused"), Expect())),
    ]


CLASSES: tuple[Callable[[random.Random, _Pages], list[Hostile]], ...] = (
    languages, duplicate_mentions, extreme_dates, encodings, compressed, canonical_links, hostile_json_ld,
    pathological, not_pages, names, not_files, archives)


def hostile_inputs(seed: int) -> list[Hostile]:
    """Several variants of every class, chosen by ``seed``."""
    rng = random.Random(seed)
    pages = _Pages(rng)
    return [item for make in CLASSES for item in make(rng, pages)]


def write_folder(folder: Path, inputs: list[Hostile], good_pages: int = 5, seed: int = 0) -> Path:
    """Every input in ``folder``, and ``good_pages`` ordinary pages that must load beside them."""
    folder.mkdir(parents=True, exist_ok=True)
    pages = _Pages(random.Random(seed))
    for index in range(good_pages):
        (folder / f"good-{index}.html").write_text(pages.html(language=("id", "en")[index % 2]), encoding="utf-8")
    for item in inputs:
        _write(folder, item)
    return folder


def _write(folder: Path, item: Hostile) -> None:
    path = Path(os.fsdecode(os.path.join(os.fsencode(folder), os.fsencode(item.name))))
    if item.special == "fifo":
        os.mkfifo(path)
    elif item.special == "dangling link":
        path.symlink_to(folder / "no-such-page.html")
    elif item.special == "link loop":
        path.symlink_to(path)
    elif item.special == "folder":
        path.mkdir()
        for inside in item.inside:
            _write(path, inside)
    else:
        path.write_bytes(item.content)


def good_page_names(good_pages: int = 5) -> list[str]:
    return [f"good-{index}.html" for index in range(good_pages)]


if __name__ == "__main__":
    target, first = Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 11
    folders = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    for seed in range(first, first + folders):
        write_folder(target / f"seed-{seed}" if folders > 1 else target, hostile_inputs(seed), seed=seed)
    print(f"wrote {sum(1 for _ in target.rglob('*'))} entries to {target}")
