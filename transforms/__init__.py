"""Pure transformations: bytes and strings in, records and polars frames out.

Nothing here imports dagster, duckdb or touches the network, so every function is testable
with a string or a tiny frame.
"""
