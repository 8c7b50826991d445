"""Extraction of one page: text, metadata precedence, and what bad pages become."""
from datetime import datetime, UTC

import pytest

from transforms.documents import EMPTY, NO_TEXT, NOT_HTML, TOO_LARGE
from transforms.extract import ExtractedArticle, process_document
from transforms.identity import sha256_hex

BODY = "".join(f"<p>Paragraf {i}: Pemerintah kota menyatakan bahwa banjir di kawasan utara mulai surut setelah "
               f"hujan deras selama tiga hari berturut-turut melanda wilayah tersebut.</p>" for i in range(6))


def page(head: str = "", body_top: str = "", body: str = BODY) -> bytes:
    return (f"<!doctype html><html><head><meta charset='utf-8'>{head}</head><body><nav>Beranda | Nasional</nav>"
            f"<article><h1>Banjir Surut di Jakarta Utara</h1>{body_top}{body}"
            f"<p>Baca Juga: Harga Cabai Naik Lagi</p></article><footer>Copyright © 2025 KabarNusa</footer></body></html>").encode()


def extract(data: bytes, **kwargs):
    return process_document(data, document_id=sha256_hex(data), origin="test.html", **kwargs)


def test_json_ld_metadata_wins_and_is_normalised():
    head = ('<title>Banjir Surut | KabarNusa</title><link rel="canonical" href="https://www.kabarnusa.co.id/banjir?utm_source=fb">'
            '<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle",'
            '"headline":"Banjir Surut di Jakarta Utara","datePublished":"2025-01-14T13:45:00+07:00",'
            '"author":[{"@type":"Person","name":"Rina Kartika"},{"@type":"Person","name":"Budi Santoso"}],'
            '"publisher":{"@type":"Organization","name":"KabarNusa"}}</script>')
    article = extract(page(head))
    assert isinstance(article, ExtractedArticle)
    assert article.title == "Banjir Surut di Jakarta Utara"
    assert article.authors == ["Rina Kartika", "Budi Santoso"]
    assert article.published_at == datetime(2025, 1, 14, 6, 45, tzinfo=UTC)
    assert article.published_at_precision == "minute"
    assert article.canonical_url == "https://www.kabarnusa.co.id/banjir"
    assert article.article_id == sha256_hex("https://www.kabarnusa.co.id/banjir")
    assert article.url == article.canonical_url
    assert article.site_name == "KabarNusa" and article.language == "id"
    assert "Baca Juga" not in article.text and "Copyright" not in article.text
    assert article.word_count > 50


def test_opengraph_only_page_and_title_suffix():
    head = ('<title>Banjir Surut di Jakarta Utara - KabarNusa</title><meta property="og:site_name" content="KabarNusa">'
            '<meta property="article:published_time" content="2025-01-14T06:45:00Z">'
            '<meta name="author" content="Rina Kartika">')
    article = extract(page(head, body=BODY.replace("<h1>", "")))
    assert article.authors == ["Rina Kartika"]
    assert article.published_at_precision == "minute"


def test_page_without_metadata_reads_the_written_wib_time_and_uses_the_bytes_as_id():
    data = page(body_top="<div class='byline'>Oleh Rina Kartika | Selasa, 14 Januari 2025 | 13:45 WIB</div>")
    article = extract(data)
    assert article.published_at == datetime(2025, 1, 14, 6, 45, tzinfo=UTC)
    assert article.published_at_precision == "minute"
    assert article.url is None and article.canonical_url is None
    assert article.article_id == sha256_hex(data)


def test_input_url_is_kept_when_the_page_has_none():
    article = extract(page(), url="https://kabarnusa.co.id/a?utm_medium=x")
    assert article.url == "https://kabarnusa.co.id/a?utm_medium=x"
    assert article.canonical_url == "https://kabarnusa.co.id/a"


def test_zone_less_time_is_not_taken_as_utc():
    head = '<meta property="article:published_time" content="2025-01-14T23:30:00">'
    article = extract(page(head))
    assert article.published_at_precision == "day"
    assert article.published_at == datetime(2025, 1, 14, tzinfo=UTC)


def test_truncated_html_keeps_what_is_there():
    data = page()[: len(page()) // 2]
    article = extract(data)
    assert isinstance(article, ExtractedArticle) and "Paragraf 0" in article.text


def test_windows_1251_page_decodes():
    body = "".join("<p>Правительство заявило в понедельник, что беспорядки в стране были попыткой переворота "
                   f"вооружённых групп, подготовленных за рубежом ({i}).</p>" for i in range(5))
    data = f"<html><head><meta charset='windows-1251'></head><body><article>{body}</article></body></html>".encode("cp1251")
    article = extract(data)
    assert "Правительство заявило" in article.text and article.language == "ru"


@pytest.mark.parametrize("data, reason", [
    (b"", EMPTY),
    (bytes(range(256)) * 4, NOT_HTML),
    (b"<html><head><title>Nothing</title></head><body><nav><a href='/'>Home</a></nav></body></html>", NO_TEXT),
])
def test_bad_pages_become_rejections(data, reason):
    assert extract(data).reason == reason


def test_huge_page_is_rejected_before_parsing():
    assert extract(page(), max_bytes=100).reason == TOO_LARGE


def test_malformed_markup_does_not_raise():
    data = b"<html><body><div><p>Unclosed <b>tags <i>everywhere " + b"<p>Sentence number one is here with words. " * 40
    assert isinstance(extract(data), ExtractedArticle)
