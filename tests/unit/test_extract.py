"""Extraction of one page: text, metadata precedence, and what bad pages become."""
import json
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


# ---------------------------------------------------------------- hostile metadata and canonical links

def json_ld(*scripts: str) -> str:
    return "".join(f'<script type="application/ld+json">{script}</script>' for script in scripts)


def metadata_of(head: str):
    from lxml.html import document_fromstring

    from transforms.metadata import read_metadata

    return read_metadata(document_fromstring(page(head).decode()))


ARTICLE = '{"@type":"NewsArticle","headline":"Banjir Surut","datePublished":"2025-01-14T13:45:00+07:00"}'


@pytest.mark.parametrize("hostile", ["[" * 10_000 + "]" * 10_000, '{"a":' * 10_000 + "1" + "}" * 10_000,
                                     '{"@type":' + "[" * 500 + '"NewsArticle"' + "]" * 500 + ',"headline":"x"}'])
def test_json_ld_nested_thousands_deep_is_skipped_and_the_next_script_read(hostile):
    meta = metadata_of(json_ld(hostile, ARTICLE))
    assert meta.titles[0] == "Banjir Surut" and meta.published == ["2025-01-14T13:45:00+07:00"]


def test_json_ld_values_of_the_wrong_type_are_skipped():
    hostile = ('{"@type":["NewsArticle",5,null,{"x":1}],"headline":{"@value":"x"},"name":7,"datePublished":20250114,'
               '"dateCreated":"2025-01-14","author":[null,true,1.5,{"name":7},{"name":{"x":1}},[["Budi"]],"Rina Kartika"],'
               '"url":12,"mainEntityOfPage":[null,{"@id":false}],"publisher":{"name":["KabarNusa"]},"image":{"url":3},'
               '"articleSection":{"a":1},"keywords":[1,"banjir",null],"description":false,"@graph":"x"}')
    meta = metadata_of(json_ld(hostile, "null", "5", '"text"', "[true, null]"))
    assert meta.authors == ["Rina Kartika"] and meta.published == ["2025-01-14"] and meta.keywords == ["banjir"]
    assert meta.urls == [] and meta.site_names == [] and meta.sections == []


def test_a_huge_json_ld_graph_is_read_only_up_to_the_node_bound():
    from transforms.metadata import MAX_JSON_LD_NODES

    late = '{"@type":"NewsArticle","headline":"Too Late"}'
    graph = ",".join([ARTICLE] + ['{"@type":"Thing"}'] * (MAX_JSON_LD_NODES + 100_000) + [late])
    meta = metadata_of(json_ld(f'{{"@graph":[{graph}]}}', late.replace("Too Late", "Next Script")))
    assert meta.titles[0] == "Banjir Surut"
    assert "Too Late" not in meta.titles and "Next Script" not in meta.titles   # the bound fired


def test_json_ld_fields_and_article_counts_are_bounded():
    from transforms.metadata import MAX_ARTICLE_NODES, MAX_FIELD_VALUES

    keywords = ",".join(f'"k{i}"' for i in range(100_000))
    authors = ",".join(f'"Penulis {i}"' for i in range(100_000))
    articles = ",".join(f'{{"@type":"NewsArticle","headline":"Judul {i}"}}' for i in range(MAX_ARTICLE_NODES + 10))
    meta = metadata_of(json_ld(f'{{"@type":"NewsArticle","headline":"Banjir","keywords":[{keywords}],'
                               f'"author":[{authors}]}}', f"[{articles}]")
                       + f'<meta name="keywords" content="{",".join(map(str, range(100_000)))}">')
    assert len(meta.authors) == MAX_FIELD_VALUES and len(meta.keywords) <= 2 * MAX_FIELD_VALUES
    assert f"Judul {MAX_ARTICLE_NODES - 2}" in meta.titles and f"Judul {MAX_ARTICLE_NODES}" not in meta.titles


def test_lone_surrogates_from_json_escapes_are_replaced():
    meta = metadata_of(json_ld(r'{"@type":"NewsArticle","headline":"Banjir \ud800Surut","author":"Rina \udfff",'
                               r'"keywords":"a\ud83d\ude00b"}'))
    assert meta.titles[0] == "Banjir \ufffdSurut" and meta.authors == ["Rina \ufffd"] and meta.keywords == ["a😀b"]


@pytest.mark.parametrize("canonical", ["http://[::1", "https://kabar nusa.co.id/a", "https://kabarnusa.co.id:99999/a",
                                       "http://[fe80::1%25eth0]/", "https://", "//"])
def test_a_malformed_canonical_link_gives_way_to_the_next_url(canonical):
    head = f'<link rel="canonical" href="{canonical}"><meta property="og:url" content="https://kabarnusa.co.id/banjir">'
    article = extract(page(head), url="https://kabarnusa.co.id/banjir?utm_source=x")
    assert isinstance(article, ExtractedArticle) and article.canonical_url == "https://kabarnusa.co.id/banjir"
    only = extract(page(f'<link rel="canonical" href="{canonical}">'), url="https://kabarnusa.co.id/b")
    assert only.canonical_url == "https://kabarnusa.co.id/b"


def test_a_page_with_hostile_json_ld_is_still_extracted():
    head = json_ld("[" * 10_000 + "]" * 10_000, '{"@type":"NewsArticle","headline":{"x":1},"datePublished":'
                   '"0001-01-01T00:00:00+07:00","url":"http://[::1","author":[null,5]}')
    article = extract(page(head))
    assert isinstance(article, ExtractedArticle) and article.title == "Banjir Surut di Jakarta Utara"
    assert article.published_at is None and article.canonical_url is None


def test_objects_without_a_graph_do_not_use_up_the_json_ld_budget():
    """2,600 plain objects and an article three levels down: well within the 5,000 nodes read."""
    from lxml import html as lxml_html

    from transforms.metadata import read_metadata

    article = {"@type": "NewsArticle", "headline": "Found", "datePublished": "2025-01-13T10:30:00+07:00"}
    data = [{"@type": "Thing", "name": f"t{i}"} for i in range(2_600)] + [[[article]]]
    tree = lxml_html.fromstring(f'<html><head><script type="application/ld+json">{json.dumps(data)}</script>'
                                "</head><body><p>x</p></body></html>")
    assert read_metadata(tree).titles[:1] == ["Found"]
