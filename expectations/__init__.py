"""Data-quality gate between the transforms and the warehouse.

``suites/<table>.py`` define each staged table's checks (plain data, importable without Great
Expectations); ``validate.py`` runs them through GX on the frames a run is about to load and
``quarantine.py`` splits rejected articles off. Nothing here imports dagster or duckdb, and GX is only
imported when a validation actually runs.
"""
