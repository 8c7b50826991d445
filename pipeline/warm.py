"""Imported once by the forkserver of Dagster's multiprocess executor (``preload_modules``), so every
step process forks with the models, lexicons, gazetteers and indexes already loaded, instead of
loading them again in each chunk step.

`make bench` measured what this is worth: with only the NER models preloaded, a chunk step of 100
pages took 15.0 s on the multiprocess executor against 11.0 s in-process (each step process filled
the same lazy caches again: GeoNames, the first-name genders, the agency lexicons, tldextract).
So the warm-up runs one small page per language with a model (en, id, fr) and one read by the rules
(de) through every stage, then fills the per-language caches a page does not reach. Before the
French page was warmed, each step process that met one French page loaded the French model itself:
3.1 s of CPU per step (2.9 s of it compiling spaCy's French tokenizer exceptions), ~24 s over the ten
steps of 1,000 pages (issue 18).
"""
from datetime import datetime, UTC

from htmldate.extractors import get_external_parser

from transforms.batch import enrich_articles
from transforms.documents import Rejection
from transforms.extract import process_document
from transforms.lexicons import is_given_name, speech_verb_languages
from transforms.quotes import cue_patterns
from transforms.sources import find_agency_citations, publisher_source
from transforms.syndication import signature

_PAGES = {
    "id": ("https://kabarnusa.co.id/warm", "Presiden Joko Widodo tiba di Surabaya, Jawa Timur, Senin.",
           "“Kami siap membantu warga,” kata Gubernur Khofifah Indar Parawansa, seperti dikutip Antara."),
    "en": ("https://harbourtimes.com.au/warm", "President Joe Biden arrived in Melbourne, Australia, on Monday.",
           "“We are ready to help,” said Mayor Sally Capp, according to Reuters."),
    "fr": ("https://lecourrierdulac.fr/warm", "Le président Emmanuel Macron est arrivé à Lyon lundi.",
           "« Nous sommes prêts à aider », a déclaré la maire Anne Hidalgo, selon l'AFP."),
    "de": ("https://rheinbote.de/warm", "Bundeskanzler Olaf Scholz ist am Montag in Köln angekommen.",
           "„Wir sind bereit zu helfen“, sagte Bürgermeisterin Henriette Reker laut dpa."),
}


def _page(language: str, url: str, *paragraphs: str) -> bytes:
    body = "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs * 3)
    return (f"<html lang='{language}'><head><title>Warm</title><link rel='canonical' href='{url}'>"
            "<meta property='article:published_time' content='2025-01-13T10:30:00+07:00'></head>"
            f"<body><article><h1>Warm</h1>{body}</article></body></html>").encode()


def warm() -> None:
    """Every stage on the pages, without polars: its thread pool must not start before the fork (a
    forked child of a process with polars threads deadlocks on its first frame)."""
    now = datetime.now(UTC)
    for language, (url, *paragraphs) in _PAGES.items():
        article = process_document(_page(language, url, *paragraphs), document_id=f"warm-{language}", origin="warm",
                                   url=url, extracted_at=now)
        if isinstance(article, Rejection):
            continue
        enrich_articles([(article.article_id, article.text, article.language)])
        publisher_source(article.url, article.site_name, article.language)
        find_agency_citations(article.text, list(article.captions or []))
        signature(article.text)
    _warm_caches()


def _warm_caches() -> None:
    """What the pages do not reach: the quote cues of every language with speech verbs (and of all
    others, compiled once), the given names the rules read (a 22 MB table), and dateparser's patterns
    of every locale, which htmldate's search compiles on its first date no locale reads (1.9 s)."""
    for language in (*sorted(speech_verb_languages()), None):
        cue_patterns(language)
    is_given_name("Budi")
    get_external_parser().get_date_data("warm")


warm()
