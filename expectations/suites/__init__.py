"""One module per staged table, each with a ``SUITE`` (see ``expectations.checks.Suite``)."""
from __future__ import annotations

from expectations.checks import Suite
from expectations.suites import (
    article_sources, articles, entities, entity_mentions, quotes, sources,
)

# Validation order: parents first (it is also the order of the reports).
SUITES: dict[str, Suite] = {
    s.table: s
    for s in (articles.SUITE, sources.SUITE, entities.SUITE, entity_mentions.SUITE,
              quotes.SUITE, article_sources.SUITE)
}

# Rows of shared tables are mended, never quarantined (one outlet's row belongs to many articles);
# every other table's rows belong to one article, which a failing row holds back.
SHARED_TABLES = ("sources",)


def _severities_fit_tables() -> None:
    for table, suite in SUITES.items():
        allowed = {"repair", "warn"} if table in SHARED_TABLES else {"quarantine", "warn"}
        wrong = [c.name for c in suite.checks if c.severity not in allowed]
        if wrong:
            raise ValueError(f"{table}: checks {wrong} must be one of {sorted(allowed)}")


_severities_fit_tables()
