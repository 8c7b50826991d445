"""Metadata on pages unlike the ones the rules were written on: dates, modified times, paywall flags,
titles that are the site's name, junk authors. Each page is a small one written here."""
import json
from datetime import datetime, UTC

import pytest

from transforms.authors import clean_authors
from transforms.extract import ExtractedArticle, process_document
from transforms.identity import sha256_hex

BODY = "".join(f"<p>Paragraph {i}: the city council said on Tuesday that the flood waters in the northern districts "
               f"had started to recede after three days of heavy rain across the region.</p>" for i in range(6))


def page(head: str = "", top: str = "", *, headline: str = "Flood waters recede in the north") -> bytes:
    return (f"<!doctype html><html><head><meta charset='utf-8'>{head}</head><body><nav>Home | News</nav>"
            f"<article><h1>{headline}</h1>{top}{BODY}</article><footer>Copyright © 2025 Northern Post</footer>"
            f"</body></html>").encode()


def json_ld(**fields) -> str:
    return f'<script type="application/ld+json">{json.dumps({"@type": "NewsArticle", **fields})}</script>'


def extract(data: bytes, url: str | None = None) -> ExtractedArticle:
    article = process_document(data, document_id=sha256_hex(data), origin="test.html", url=url)
    assert isinstance(article, ExtractedArticle)
    return article


# --- publication dates ---

def test_an_unrelated_date_in_the_page_text_is_not_the_publication_date():
    sidebar = "<aside>Most read: AUGUST 23, 2022 — the storm of the decade</aside>"
    article = extract(page(top=sidebar), url="https://northernpost.example/2019/05/14/flood-recedes/")
    assert article.published_at.date() == datetime(2019, 5, 14).date()


def test_a_page_without_date_metadata_gets_the_day_its_markup_writes_and_no_copyright_year():
    article = extract(page(top="<div class='meta'>发布时间：2024-03-05 10:30</div>"))
    assert article.published_at is not None and article.published_at.date() == datetime(2024, 3, 5).date()
    assert extract(page()).published_at is None   # "Copyright © 2025" is no publication day


def test_the_modified_time_element_is_not_read_as_the_published_one():
    times = ('<time class="updated" datetime="2024-05-02T10:00:00Z">2 May</time>'
             '<time class="published" datetime="2024-05-01T08:00:00Z">1 May</time>')
    article = extract(page(top=times))
    assert article.published_at == datetime(2024, 5, 1, 8, 0, tzinfo=UTC)


def test_a_time_element_with_data_published_is_read():
    article = extract(page(top='<time data-published="2024-05-01T08:00:00Z">1 May</time>'))
    assert article.published_at == datetime(2024, 5, 1, 8, 0, tzinfo=UTC)
    assert article.published_at_precision == "minute"


def test_the_text_adds_a_time_only_to_the_day_the_metadata_gives():
    head = '<meta property="article:published_time" content="2024-05-01">'
    other_day = extract(page(head, top="<p class='meta'>Updated 3 May 2024 10:00 WIB</p>"))
    assert other_day.published_at == datetime(2024, 5, 1, tzinfo=UTC) and other_day.published_at_precision == "day"
    same_day = extract(page(head, top="<p class='meta'>1 May 2024 10:00 WIB</p>"))
    assert same_day.published_at == datetime(2024, 5, 1, 3, 0, tzinfo=UTC)


# --- modified time and paywall ---

@pytest.mark.parametrize("markup", [
    json_ld(headline="Flood waters recede", datePublished="2024-05-01T08:00:00Z", dateModified="2024-05-02T10:00:00Z"),
    '<meta property="article:published_time" content="2024-05-01T08:00:00Z">'
    '<meta property="article:modified_time" content="2024-05-02T10:00:00Z">',
    '<meta property="og:updated_time" content="2024-05-02T12:00:00+02:00">',
    '<meta itemprop="dateModified" content="2024-05-02T10:00:00Z">',
])
def test_modified_at_is_read_from_date_modified_and_its_kin(markup):
    article = extract(page(markup))
    assert article.modified_at == datetime(2024, 5, 2, 10, 0, tzinfo=UTC)
    assert article.published_at != article.modified_at


def test_modified_at_from_a_time_element_and_none_when_silent():
    marked = extract(page(top='<time data-modified="2024-05-02T10:00:00Z">2 May</time>'))
    assert marked.modified_at == datetime(2024, 5, 2, 10, 0, tzinfo=UTC)
    assert extract(page()).modified_at is None


@pytest.mark.parametrize("fields, expected", [
    ({"isAccessibleForFree": True}, True),
    ({"isAccessibleForFree": False}, False),
    ({"isAccessibleForFree": "False"}, False),
    ({"isAccessibleForFree": "true"}, True),
    ({"hasPart": {"@type": "WebPageElement", "isAccessibleForFree": "False", "cssSelector": ".paywall"}}, False),
    ({"isAccessibleForFree": "maybe"}, None),
    ({}, None),
])
def test_is_accessible_for_free(fields, expected):
    article = extract(page(json_ld(headline="Flood waters recede", **fields)))
    assert article.is_accessible_for_free is expected


# --- titles ---

def test_a_json_ld_headline_that_is_the_site_name_gives_way_to_the_article_headline():
    head = json_ld(headline="Engadget", datePublished="2024-05-01T08:00:00Z") + \
        '<meta property="og:site_name" content="Engadget">'
    assert extract(page(head)).title == "Flood waters recede in the north"


def test_an_og_title_that_is_the_host_name_gives_way_to_the_h1():
    article = extract(page('<meta property="og:title" content="Rolling Stone">'),
                      url="https://www.rollingstone.com/music/flood-waters-recede/")
    assert article.title == "Flood waters recede in the north"


def test_a_section_name_is_not_the_title():
    head = '<meta property="og:title" content="Business Monday"><meta property="article:section" content="Business Monday">'
    assert extract(page(head)).title == "Flood waters recede in the north"


# --- authors ---

@pytest.mark.parametrize("junk", [
    "Username", "User name", "See full bio", "View full profile", "Read more articles", "More stories",
    "Lesedauer", "Lesedauer 4 Min.", "Lesezeit: 3 Minuten", "Temps de lecture 2 min", "Tiempo de lectura",
    "5 min read", "Waktu baca 2 menit", "Dec", "Sept.", "Okt.", "No Author", "Unknown author", "admin",
    "Administrator", "webmaster", "105092", "Follow", "Folgen", "Teilen", "commented on",
    "WASHINGTON —", "JAKARTA (Reuters) -", "Home › News › Politics", "Startseite » Politik", "Skip to content", "Menu",
])
def test_junk_author_strings_are_dropped(junk):
    assert clean_authors(["Rina Kartika", junk]) == ["Rina Kartika"]
    assert clean_authors([junk]) == []


@pytest.mark.parametrize("written, name", [
    ("GILLIAN MOHNEY March", "GILLIAN MOHNEY"),
    ("JANE O'NEILL Okt.", "JANE O'NEILL"),
    ("PAUL GRANT Dec", "PAUL GRANT"),
    ("Associated Press in Valencia", "Associated Press"),
    ("The Washington Times https://www.washingtontimes.com", "The Washington Times"),
    ("Deutsche Welle (www.dw.com)", "Deutsche Welle"),
    ("Analysis by Chris Cillizza", "Chris Cillizza"),
    ("Quelle: sid", "sid"),
])
def test_furniture_around_a_name_is_removed(written, name):
    assert clean_authors([written]) == [name]


@pytest.mark.parametrize("names", [
    ["Theresa May"], ["ASCII Smith"], ["TOM KRISHER"], ["McDonald van der Berg"], ["HNN Staff"],
    ["Guardian staff reporter"], ["Associated Press"], ["Reuters", "Anna Sleegers"],
])
def test_names_keep_their_case_and_staff_or_agency_bylines_stay(names):
    assert clean_authors(names) == names


def test_a_role_after_the_name_and_the_outlet_beside_a_person_are_dropped():
    assert clean_authors(["TOM KRISHER", "AP Auto Writer"]) == ["TOM KRISHER"]
    assert clean_authors(["Dirk Knop", "heise online"], ["heise online"]) == ["Dirk Knop"]
    assert clean_authors(["Salzburger Nachrichten"], ["Salzburger Nachrichten"]) == ["Salzburger Nachrichten"]


def test_junk_authors_in_the_page_metadata_are_dropped():
    head = json_ld(headline="Flood waters recede", author=[{"name": "Rina Kartika"}, {"name": "See full bio"},
                                                           {"name": "Lesedauer 3 Min."}])
    assert extract(page(head)).authors == ["Rina Kartika"]


@pytest.mark.parametrize("byline, names", [
    ("<p class='byline'>By de la Cruz, ASCII</p>", ["de la Cruz", "ASCII"]),
    ("<div class='author'>dpa</div>", ["dpa"]),
])
def test_a_byline_name_keeps_the_page_spelling(byline, names):
    assert extract(page(top=byline)).authors == names
