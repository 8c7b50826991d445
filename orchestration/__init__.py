"""Dagster orchestration of Kabar: the only package that imports dagster."""
