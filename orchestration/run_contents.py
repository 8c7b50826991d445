"""Run tags that say what a run processed, so the Runs page answers "what did this run load?":
its inputs when it is submitted, its counts once it has loaded."""
from __future__ import annotations

from collections.abc import Sequence

from pipeline.report import LoadReport

INPUTS_SHOWN = 3


def input_tags(inputs: Sequence[str], *, reprocess: bool = False) -> dict[str, str]:
    """``kabar/inputs`` (the first few, then how many more) and ``kabar/input_count``; a reprocessing run
    says so, since it reads the stored documents rather than paths."""
    tags = {"kabar/input_count": str(len(inputs))}
    if inputs:
        shown, more = ", ".join(inputs[:INPUTS_SHOWN]), len(inputs) - INPUTS_SHOWN
        tags["kabar/inputs"] = f"{shown} … and {more} more" if more > 0 else shown
    if reprocess:
        tags["kabar/reprocess"] = "true"
    return tags


def loaded_tags(report: LoadReport) -> dict[str, str]:
    """What a load took in and where each document went (the four add up to ``documents_in``)."""
    return {"kabar/documents_in": str(report.documents_in), "kabar/articles": str(report.articles),
            "kabar/rejects": str(report.rejected_documents), "kabar/duplicates": str(report.duplicates),
            "kabar/already_loaded": str(report.already_seen)}
