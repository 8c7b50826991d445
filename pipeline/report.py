"""What a load did, as one typed record: the run summary, the Dagster metadata and tests read it."""
from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field

import polars as pl

from pipeline.ingest import DUPLICATE, SEEN, Notices
from transforms.schemas import SUMMARY_TABLES


@dataclass
class LoadReport:
    """Where every document of a load went (articles + rejected documents + duplicates + already
    seen = documents in), what the checks held back, and what was written."""

    units: list[str] = field(default_factory=list)
    documents_in: int = 0
    distinct_documents: int = 0
    duplicates: int = 0
    already_seen: int = 0
    articles: int = 0
    rejects: dict[str, int] = field(default_factory=dict)   # reject rows by reason
    rejected_documents: int = 0   # documents with a reject: one held back by two checks has two rows
    staged: dict[str, int] = field(default_factory=dict)   # rows of the counted tables about to load
    not_read: list[tuple[str, str]] = field(default_factory=list)   # (path, why): inputs that are not files
    records_skipped: dict[str, int] = field(default_factory=dict)   # WARC records that are not pages, by kind
    written: dict[str, int] = field(default_factory=dict)
    totals: dict[str, int] = field(default_factory=dict)
    blocked: str | None = None
    set_aside: str | None = None   # where a blocked load's staged units went
    quality_page: str | None = None   # this load's quality page (``pipeline.quality_pages``); None for an empty batch

    @property
    def accounted(self) -> bool:
        return self.articles + self.rejected_documents + self.duplicates + self.already_seen == self.documents_in

    @classmethod
    def of(cls, units: list[str], manifest: pl.DataFrame, tables: dict[str, pl.DataFrame], notices: Notices) -> LoadReport:
        statuses = Counter(manifest["status"].to_list())
        rejects = tables["rejects"]
        return cls(units=units, documents_in=manifest.height, distinct_documents=manifest["document_id"].n_unique(),
                   duplicates=statuses[DUPLICATE], already_seen=statuses[SEEN], articles=tables["articles"].height,
                   rejects=dict(Counter(rejects["reason"].to_list())), rejected_documents=rejects["document_id"].n_unique(),
                   staged={table: tables[table].height for table in SUMMARY_TABLES},
                   not_read=list(notices.not_read), records_skipped=dict(notices.records_skipped))

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, value: dict) -> LoadReport:
        return cls(**{**value, "not_read": [tuple(item) for item in value.get("not_read", [])]})
