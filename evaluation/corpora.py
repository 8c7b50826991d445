"""The gold corpora in ``../shared`` (or ``$KABAR_SHARED``), read in place, never copied."""
from __future__ import annotations

import gzip
import json
import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class GoldPage:
    corpus: str
    page_id: str
    path: Path
    url: str | None
    body: str
    title: str | None = None
    authors: tuple[str, ...] = ()
    published: str | None = None
    language: str | None = None
    publisher: str | None = None

    def read_bytes(self) -> bytes:
        with gzip.open(self.path, "rb") as handle:
            return handle.read()


def shared_dir() -> Path:
    """``$KABAR_SHARED`` or ``../shared`` beside the repository."""
    return Path(os.environ.get("KABAR_SHARED") or REPO_ROOT.parent / "shared")


def aeb_pages(root: Path | None = None) -> list[GoldPage]:
    """The scrapinghub article-extraction-benchmark pages with their gold body."""
    base = (root or shared_dir()) / "corpus" / "aeb"
    gold = json.loads((base / "ground-truth.json").read_text(encoding="utf-8"))
    return [GoldPage("aeb", page_id, base / "html" / f"{page_id}.html.gz", item.get("url"), item.get("articleBody") or "")
            for page_id, item in sorted(gold.items()) if (base / "html" / f"{page_id}.html.gz").exists()]


def fundus_pages(root: Path | None = None) -> list[GoldPage]:
    """The Fundus test pages with gold body, title, authors, date and language."""
    base = (root or shared_dir()) / "corpus" / "fundus"
    pages = []
    for line in (base / "ground-truth.jsonl").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        item = json.loads(line)
        authors = item.get("authors") or []
        if isinstance(authors, str):
            authors = _parse_author_list(authors)
        pages.append(GoldPage("fundus", item["id"], base / item["file"], item.get("url"), item.get("articleBody") or "",
                              item.get("title"), tuple(authors), item.get("publishing_date"), item.get("lang_detected"),
                              item.get("publisher")))
    return pages


def _parse_author_list(text: str) -> list[str]:
    try:
        value = json.loads(text.replace("'", '"'))
        return [str(v) for v in value] if isinstance(value, list) else [str(value)]
    except ValueError:
        return [part.strip(" []'\"") for part in text.split(",") if part.strip(" []'\"")]
