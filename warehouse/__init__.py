"""The DuckDB warehouse: migrations, SQL files and loading. Usable without Dagster."""
