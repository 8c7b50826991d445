"""Article ids of the bundled sample pages, pinned: an id is the hash of the page's URL in its identity
form (``transforms.urls.canonical_url``), so a change to that form would change them.

``tests/golden/sample_article_ids.json`` was computed before the crawler's and the warehouse's URL
rules became one (commit 0873db1), as ``kabar run samples/`` extracts a page (no URL), and as if each
page had been fetched from a URL with a tracking parameter, a fragment, a default port and a trailing
slash (``fetched_from``), which pins the URL-derived id of pages that name no URL of their own. A
rejected page is ``null``.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from transforms.documents import Rejection, document_id, read_document_bytes
from transforms.extract import process_document

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
PINNED = json.loads((Path(__file__).resolve().parents[1] / "golden" / "sample_article_ids.json").read_text("utf-8"))


def test_every_sample_page_is_pinned():
    assert sorted(PINNED) == sorted(path.name for path in SAMPLES.glob("*.html"))
    assert sum(entry is not None for entry in PINNED.values()) >= 24


@pytest.mark.parametrize("name", sorted(PINNED))
def test_sample_article_ids_stay_the_same(name):
    data = read_document_bytes(SAMPLES / name)
    assert not isinstance(data, Rejection)
    pinned = PINNED[name]
    found = process_document(data, document_id=document_id(data), origin=str(SAMPLES / name))
    if pinned is None:
        assert isinstance(found, Rejection)
        return
    assert (found.article_id, found.canonical_url) == (pinned["article_id"], pinned["canonical_url"])
    fetched = process_document(data, document_id=document_id(data), origin=str(SAMPLES / name),
                               url=pinned["fetched_from"])
    assert (fetched.article_id, fetched.canonical_url) == (pinned["fetched_article_id"],
                                                           pinned["fetched_canonical_url"])
