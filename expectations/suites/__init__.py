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

# split_rejected rejects whole articles: only the articles suite may drop rows.
assert all(
    c.severity != "reject_row" for t, s in SUITES.items() if t != "articles" for c in s.checks
), "reject_row checks belong to the articles suite"
