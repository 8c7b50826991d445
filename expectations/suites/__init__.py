"""One module per staged table, each with a ``SUITE`` (see ``expectations.checks.Suite``)."""
from __future__ import annotations

from expectations.checks import Suite
from expectations.suites import (
    article_sources, articles, entities, entity_mentions, quotes, sources,
)
from transforms.schemas import ARTICLE_CHILDREN, VALIDATED_TABLES

# Validation order: parents first (it is also the order of the reports).
SUITES: dict[str, Suite] = {
    s.table: s
    for s in (articles.SUITE, sources.SUITE, entities.SUITE, entity_mentions.SUITE,
              quotes.SUITE, article_sources.SUITE)
}

# Rows of shared tables are mended, never quarantined (one outlet's row belongs to many articles);
# every other table's rows belong to one article, which a failing row holds back.
SHARED_TABLES = tuple(table for table in VALIDATED_TABLES if table not in ("articles", *ARTICLE_CHILDREN))


def _suites_fit_tables() -> None:
    """Every validated table of the registry has a suite, and only those; each check's severity fits its table."""
    if set(SUITES) != set(VALIDATED_TABLES):
        raise ValueError(f"suites {sorted(SUITES)} do not match the registry's validated tables {sorted(VALIDATED_TABLES)}")
    for table, suite in SUITES.items():
        allowed = {"repair", "warn"} if table in SHARED_TABLES else {"quarantine", "warn"}
        wrong = [c.name for c in suite.checks if c.severity not in allowed]
        if wrong:
            raise ValueError(f"{table}: checks {wrong} must be one of {sorted(allowed)}")


_suites_fit_tables()
