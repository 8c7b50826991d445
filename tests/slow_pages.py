"""Pathological pages that once made the pipeline crawl: a huge text node, tens of thousands of links
in the prose, an element with a hundred thousand attributes, and other shapes that make parsers,
trafilatura or the NER model super-linear. Written by the tests and by ``bench.run`` (the slow folder).

    python -m tests.slow_pages FOLDER     # the five-page slow folder, for timing `kabar run` by hand
"""
from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from tests.pages import english_page, indonesian_page, write_inputs

_PROSE = ("The council met on Tuesday to discuss the budget for the coming year, and members agreed that the "
          "harbour works should go ahead before the winter storms. ")


def page_around(body: str, title: str = "A page") -> str:
    """``body`` inside a plain article page."""
    return (f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{title}</title></head>"
            f"<body><article><h1>{title}</h1>{body}</article></body></html>")


def prose(chars: int) -> str:
    """``chars`` characters of prose in one line (a sentence repeated)."""
    return (_PROSE * (chars // len(_PROSE) + 1))[:chars]


def long_text_page(chars: int = 9_000_000) -> str:
    """One text node of ``chars`` characters of prose (no paragraph breaks) in an ``<article><p>``."""
    return page_around(f"<p>{prose(chars)}</p>", "Long text")


def many_links_page(links: int = 50_000, per_paragraph: int = 50) -> str:
    """``links`` ``<a href>`` links inside the prose paragraphs, ``per_paragraph`` to a paragraph."""
    body = "".join("<p>" + "".join(f"{_PROSE}<a href='/topic/{p}-{i}'>topic {i}</a> " for i in range(per_paragraph))
                   + "</p>" for p in range(links // per_paragraph))
    return page_around(body, "Many links")


def many_attributes_page(attributes: int = 100_000) -> str:
    """One element carrying ``attributes`` attributes, before ordinary prose."""
    element = "<div " + " ".join(f'data-a{i}="{i}"' for i in range(attributes)) + "></div>"
    return page_around(element + f"<p>{_PROSE * 3}</p>", "Many attributes")


def deep_nesting_page(depth: int = 10_000) -> str:
    """Prose inside ``depth`` nested ``<div>``."""
    return page_around("<div>" * depth + f"<p>{_PROSE * 3}</p>" + "</div>" * depth, "Deep nesting")


def many_elements_page(elements: int = 200_000) -> str:
    """``elements`` empty ``<span>`` elements, then prose."""
    return page_around("<span></span>" * elements + f"<p>{_PROSE * 3}</p>", "Many elements")


def long_attribute_page(chars: int = 5_000_000) -> str:
    """One attribute value of ``chars`` characters, then prose."""
    return page_around(f'<div title="{"x" * chars}"></div><p>{_PROSE * 3}</p>', "Long attribute")


SLOW_PAGES: dict[str, Callable[[], str]] = {
    "english__html": english_page,
    "indonesian__html": indonesian_page,
    "long-text__html": long_text_page,
    "many-links__html": many_links_page,
    "many-attributes__html": many_attributes_page,
}
def write_slow_folder(folder: Path) -> Path:
    """The five-page folder a user measured at 30 minutes through `kabar run` (before the bounds)."""
    return write_inputs(folder, **{name: make() for name, make in SLOW_PAGES.items()})


if __name__ == "__main__":
    print(write_slow_folder(Path(sys.argv[1])))
