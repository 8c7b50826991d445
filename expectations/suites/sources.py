"""Checks on staged ``sources`` rows (organisations: publishers and agencies)."""
from __future__ import annotations

from expectations.checks import Check, Suite, in_set, matches, not_null, unique_key
from transforms.schemas import SOURCE_KINDS

CHECKS: tuple[Check, ...] = (
    not_null("source_id"),
    unique_key("source_id"),
    not_null("kind"),
    in_set("kind", SOURCE_KINDS, name="kind_known"),
    matches("country_code", r"^[A-Z]{2}$", name="country_code_alpha_2",
            description="country_code is null or two upper-case letters"),
    matches("language", r"^[a-z]{2,3}$", name="language_code",
            description="language is null or an ISO 639 code in lower case"),
)

SUITE = Suite("sources", CHECKS)
