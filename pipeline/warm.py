"""Imported once by the forkserver of Dagster's multiprocess executor (``preload_modules``), so every
step process forks with the models, lexicons, gazetteers and indexes already loaded, instead of
loading them again in each chunk step.

`make bench` measured what this is worth: with only the NER models preloaded, a chunk step of 100
pages took 15.0 s on the multiprocess executor against 11.0 s in-process (each step process filled
the same lazy caches again: GeoNames, the first-name genders, the agency lexicons, tldextract).
So the warm-up runs one small page per first-class language through every stage.
"""
from datetime import datetime, UTC

from transforms.batch import enrich_articles
from transforms.documents import Rejection
from transforms.extract import process_document
from transforms.sources import find_agency_citations, publisher_source
from transforms.syndication import signature

_PAGES = {
    "id": ("https://kabarnusa.co.id/warm", "Presiden Joko Widodo tiba di Surabaya, Jawa Timur, Senin.",
           "“Kami siap membantu warga,” kata Gubernur Khofifah Indar Parawansa, seperti dikutip Antara."),
    "en": ("https://harbourtimes.com.au/warm", "President Joe Biden arrived in Melbourne, Australia, on Monday.",
           "“We are ready to help,” said Mayor Sally Capp, according to Reuters."),
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

warm()
