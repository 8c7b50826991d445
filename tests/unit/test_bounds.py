"""Bounds before the expensive steps: each pathological page fires its bound (a rejection with its
reason, or markup bounded and the article marked), and ordinary pages pass untouched."""
import gzip
from pathlib import Path

import pytest
from trafilatura.utils import load_html

import tests.slow_pages as slow
from transforms.bounds import (MAX_DEPTH, MAX_ELEMENT_ATTRIBUTES, MAX_LINKS, MAX_PAGE_ATTRIBUTES, MAX_TEXT_CHARS,
                               TOO_MANY_ELEMENTS, TOO_MANY_LINKS, BoundedMarkup, bound_markup, bounded_text)
from transforms.documents import Rejection, decode_html
from transforms.extract import EXTRACTION_ERROR, ExtractedArticle, process_document
from transforms.identity import sha256_hex

SAMPLES = Path(__file__).resolve().parents[2] / "samples"


def extract(html: str):
    data = html.encode()
    return process_document(data, document_id=sha256_hex(data), origin="test.html")


def untouched(html: str) -> bool:
    bounded = bound_markup(html)
    return isinstance(bounded, BoundedMarkup) and bounded.html == html and not bounded.is_truncated


def lxml_depth(html: str) -> int:
    return max(len(list(element.iterancestors())) + 1 for element in load_html(html).iter())


@pytest.mark.parametrize("make", [slow.english_page, slow.indonesian_page])
def test_ordinary_pages_pass_untouched_and_are_not_marked(make):
    assert untouched(make())
    article = extract(make())
    assert isinstance(article, ExtractedArticle) and not article.is_truncated


@pytest.mark.parametrize("path", [p for p in sorted(SAMPLES.glob("*.html")) if p.stat().st_size > 100],
                         ids=lambda p: p.name)
def test_bundled_samples_pass_untouched(path):
    assert untouched(decode_html(path.read_bytes()))


@pytest.mark.shared
def test_no_real_page_reaches_a_bound(shared):
    paths = sorted((shared / "corpus").glob("*/html/*.html.gz")) + sorted((shared / "seed").glob("*.html"))
    for path in paths:
        data = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
        assert untouched(decode_html(data)), path.name


def test_nine_megabyte_text_node_passes_the_markup_and_is_cut_for_the_text_passes():
    assert untouched(slow.long_text_page())
    text = slow.prose(9_000_000)
    bounded, cut = bounded_text(text)
    assert cut and MAX_TEXT_CHARS // 2 <= len(bounded) <= MAX_TEXT_CHARS and text.startswith(bounded)


def test_long_article_is_stored_whole_and_marked():
    article = extract(slow.long_text_page(3 * MAX_TEXT_CHARS))
    assert isinstance(article, ExtractedArticle) and article.is_truncated
    assert len(article.text) > 2 * MAX_TEXT_CHARS


def test_page_with_fifty_thousand_links_is_rejected():
    rejection = bound_markup(slow.many_links_page())
    assert rejection == Rejection(TOO_MANY_LINKS, f"50,000 links, over the limit of {MAX_LINKS:,}")
    assert extract(slow.many_links_page(MAX_LINKS + 50)).reason == TOO_MANY_LINKS


def test_links_up_to_the_limit_pass_untouched():
    assert untouched(slow.many_links_page(MAX_LINKS))


def test_excess_attributes_are_dropped_and_the_text_kept():
    html = slow.many_attributes_page()
    bounded = bound_markup(html)
    assert bounded.is_truncated and bounded.size.element_attributes == 100_000
    element = load_html(bounded.html).find(".//div")
    assert list(element.attrib) == [f"data-a{i}" for i in range(MAX_ELEMENT_ATTRIBUTES)]
    assert untouched(bounded.html)
    article = extract(html)
    assert article.is_truncated and "harbour works" in article.text


def test_attributes_past_the_page_limit_are_dropped():
    element = "<span " + " ".join(f'data-a{i}="{i}"' for i in range(MAX_ELEMENT_ATTRIBUTES)) + ">word</span>"
    html = slow.page_around(element * (2 * MAX_PAGE_ATTRIBUTES // MAX_ELEMENT_ATTRIBUTES))
    bounded = bound_markup(html)
    assert bounded.is_truncated and bound_markup(bounded.html).size.attributes <= MAX_PAGE_ATTRIBUTES
    assert bounded.html.count("word") == html.count("word")


def test_deep_nesting_is_unwrapped_and_its_text_kept():
    html = slow.deep_nesting_page()
    assert lxml_depth(html) < 300 and "harbour works" not in load_html(html).text_content()  # lxml drops it
    bounded = bound_markup(html)
    assert bounded.is_truncated and bounded.size.depth > 10_000
    assert lxml_depth(bounded.html) <= MAX_DEPTH + 3 and untouched(bounded.html)
    article = extract(html)
    assert article.is_truncated and "harbour works" in article.text


def test_page_with_two_hundred_thousand_elements_is_rejected():
    assert bound_markup(slow.many_elements_page()) == Rejection(TOO_MANY_ELEMENTS,
                                                                "200,008 elements, over the limit of 30,000")


def test_five_megabyte_attribute_value_passes():
    """No bound: lxml and trafilatura are linear in an attribute's length (5 MB: 0.04 s each)."""
    html = slow.long_attribute_page()
    assert untouched(html)
    assert "harbour works" in extract(html).text


@pytest.mark.parametrize("markup, links, depth", [
    ('<div title="<a href=x>">text</div>', 0, 3),                         # a quoted value hides markup
    ("<script>var s = '<a href=x><div><div>';</script><p>t</p>", 0, 3),   # so does a script
    ("<!-- <a href=x><div><div> --><p>t</p>", 0, 3),                      # and a comment
    ("<svg>" + "<path d='M0 0'/>" * 500 + "</svg>", 0, 3),              # "/>" closes an element
    ("<script src=x /><div><a href=x>t</a></div>", 1, 4),                 # even a script
    ("<ul>" + "<li>item" * 500 + "</ul>", 0, 4),                           # unclosed items are siblings
    ("<table>" + "<tr><td>cell" * 500 + "</table>", 0, 5),
    ("<p>one" * 500, 0, 3),
    ("<p>" + "<a href=x>link" * 500, 500, 4),                               # a link closes the one before
])
def test_depth_and_links_follow_how_libxml2_reads_the_markup(markup, links, depth):
    html = f"<html><body>{markup}</body></html>"
    size = bound_markup(html).size
    assert (size.links, size.depth) == (links, depth)
    assert abs(size.depth - lxml_depth(html)) <= 1


def test_unquoted_value_ending_in_a_slash_does_not_close_the_element():
    assert bound_markup("<html><body><a href=/news/>x</a><div>y</div></body></html>").size.depth == 3


def test_short_text_is_not_cut():
    assert bounded_text("Kalimat pendek.") == ("Kalimat pendek.", False)


@pytest.mark.parametrize("text, ending", [
    ("Paragraf pertama yang cukup panjang untuk diuji.\n" * 5000, "diuji."),
    ("Presiden berkata bahwa rencana itu berjalan. " * 5000, "berjalan."),
])
def test_long_text_is_cut_at_a_paragraph_or_sentence_end(text, ending):
    cut, was_cut = bounded_text(text)
    assert was_cut and text.startswith(cut) and MAX_TEXT_CHARS // 2 <= len(cut) <= MAX_TEXT_CHARS
    assert cut.endswith(ending)


def test_text_without_any_break_is_cut_at_the_limit():
    assert bounded_text("x" * (MAX_TEXT_CHARS + 10)) == ("x" * MAX_TEXT_CHARS, True)


def test_any_parser_error_becomes_an_extraction_error(monkeypatch):
    def broken(*args, **kwargs):
        raise OSError("parser gave up\non this page")

    monkeypatch.setattr("transforms.extract.trafilatura.bare_extraction", broken)
    rejection = extract(slow.english_page())
    assert rejection == Rejection(EXTRACTION_ERROR, "OSError: parser gave up on this page")
