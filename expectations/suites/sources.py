"""Checks on staged ``sources`` rows (organisations: publishers and agencies)."""
from __future__ import annotations

from expectations.checks import Check, Suite, in_set, not_null, unique_key
from transforms.schemas import SOURCE_KINDS

CHECKS: tuple[Check, ...] = (
    not_null("source_id"),
    unique_key("source_id"),
    not_null("kind"),
    in_set("kind", SOURCE_KINDS, name="kind_known"),
)

SUITE = Suite("sources", CHECKS)
