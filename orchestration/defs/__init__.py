"""Per-stage Dagster definitions: ingest → extract → enrich → quality → load."""
