"""Run tags naming what a run processed stay short whatever the number of inputs."""
from __future__ import annotations

from orchestration.run_contents import input_tags, loaded_tags
from pipeline.report import LoadReport


def test_a_few_inputs_are_listed_and_more_are_counted():
    assert input_tags(["a.html", "b.warc.gz"]) == {"kabar/inputs": "a.html, b.warc.gz", "kabar/input_count": "2"}
    many = input_tags([f"in/{n}.html" for n in range(250)])
    assert many == {"kabar/inputs": "in/0.html, in/1.html, in/2.html … and 247 more", "kabar/input_count": "250"}


def test_a_reprocessing_run_says_so():
    assert input_tags([], reprocess=True) == {"kabar/input_count": "0", "kabar/reprocess": "true"}


def test_a_load_is_tagged_with_its_counts():
    report = LoadReport(documents_in=7, articles=3, rejected_documents=1, duplicates=1, already_seen=2)
    assert loaded_tags(report) == {"kabar/documents_in": "7", "kabar/articles": "3", "kabar/rejects": "1",
                                   "kabar/duplicates": "1", "kabar/already_loaded": "2"}
