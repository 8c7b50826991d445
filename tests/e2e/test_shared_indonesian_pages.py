"""The Indonesian pages of ../shared/corpus, annotated by hand: every direct quote with its speaker
and cue, the cited agencies (none), the publisher. Read in place, never copied."""
from __future__ import annotations

import pytest

from evaluation.corpora import aeb_pages, fundus_pages
from evaluation.extraction import kabar_extract
from transforms.entities import find_entities
from transforms.quotes import find_quotes
from transforms.sources import find_agency_citations, publisher_source

pytestmark = pytest.mark.shared

# url fragment -> (publisher, [(quote opening, speaker, cue)]); a None speaker is a quotation with no
# speech cue (scripture, hadith), which Kabar records unattributed.
PAGES = {
    "jangan-membenci-satu-kaum": ("Kabar tentang Dunia Islam", [
        ("…Dan janganlah sekali-kali kebencian(mu)", None, None),      # [Al Maa-idah 2]
        ("… Dan janganlah sekali-kali kebencianmu", None, None),       # [Al Maa-idah 8]
        ("Cintailah orang yang kamu cintai", None, None),              # [HR. At-Tirmidzi …]
        ("Wahai Aslam, janganlah", "Umar bin Al-Khaththab", "berkata"),
        ("Bagaimana itu?", "Aslam", "berkata"),                        # two words, but a cue right before
        ("Jika engkau mencintai seseorang", "Umar bin Al-Khaththab", "berkata"),  # closes on the next line
        ("Hendaknya kalian mencintai", "Al-Hasan Al-Bashri", "berkata"),
    ]),
    "sejarah-pecahnya-islam": ("Kabar tentang Dunia Islam", [
        ("Dari tribun ini saya tegaskan", "Ahmadinejad", "menandaskan"),
    ]),
    "wisuda-igi-school-of-economics": ("Media Indonesia", [
        ("Meski tidak bisa membaca dan menulis", "John Waller Limbong", "kata"),
    ]),
}
# Quoted phrases that are not quotations: scare quotes and names.
NOT_QUOTES = {"jangan-membenci-satu-kaum": ["Penegak Sunnah"]}


@pytest.fixture(scope="module")
def articles(shared):
    found = {}
    for page in aeb_pages(shared) + fundus_pages(shared):
        key = next((key for key in PAGES if key in (page.url or "")), None)
        if key:
            found[key] = kabar_extract(page)
    assert set(found) == set(PAGES), f"pages missing from {shared / 'corpus'}: {set(PAGES) - set(found)}"
    return found


@pytest.mark.parametrize("key", sorted(PAGES))
def test_indonesian_corpus_page_quotes_speakers_and_sources(articles, key):
    article = articles[key]
    publisher, expected = PAGES[key]
    assert article.language == "id"
    quotes = find_quotes(article.text, article.language, find_entities(article.text, article.language))
    got = [(next((q.text for q in quotes if q.text.startswith(opening)), None), opening) for opening, _, _ in expected]
    assert [opening for text, opening in got if text is None] == [], [q.text[:40] for q in quotes]
    assert len(quotes) == len(expected), [q.text[:40] for q in quotes]
    for opening, speaker, cue in expected:
        quote = next(q for q in quotes if q.text.startswith(opening))
        assert (quote.speaker, quote.cue) == (speaker, cue), opening
    for phrase in NOT_QUOTES.get(key, []):
        assert not any(q.text == phrase for q in quotes)
    assert find_agency_citations(article.text, article.captions) == []
    assert publisher_source(article.url, article.site_name).name == publisher
