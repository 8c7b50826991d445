"""Kabar's batch core without Dagster: ingest, process chunks, settle, validate, load.

Each step is a plain function over a ``Config``, paths and frames that returns a typed result, so the
same pipeline runs from Python (``pipeline.run.run_batch``), from tests, and behind Dagster's thin
assets in ``orchestration.defs`` (which only decide where each step runs).
"""
