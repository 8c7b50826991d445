"""WARC archives: streamed records, skipped records counted, damage contained."""
from __future__ import annotations

import gzip

from tests.warcs import FETCHED_AT, sample_pages, write_archive
from transforms.documents import Rejection
from transforms.warc import WARC_DAMAGED, WarcCounts, WarcWriter, read_warc


def documents(path, max_bytes=10 * 1024 * 1024):
    counts = WarcCounts()
    return list(read_warc(path, counts, max_bytes)), counts


def test_html_responses_become_documents_with_url_and_fetch_time(tmp_path):
    pages = sample_pages(3)
    found, counts = documents(write_archive(tmp_path / "a.warc.gz", pages))
    assert [(d.url, d.fetched_at, d.data) for d in found] == [(url, FETCHED_AT, body) for url, body in pages]
    assert all(d.origin.startswith(f"{tmp_path / 'a.warc.gz'}#") for d in found)
    assert counts.skipped == {"request": 3, "response 301": 1, "response 200 image/png": 1}


def test_uncompressed_archive_reads_the_same(tmp_path):
    archive = write_archive(tmp_path / "a.warc.gz", sample_pages(2))
    plain = tmp_path / "a.warc"
    plain.write_bytes(gzip.decompress(archive.read_bytes()))
    assert [d.data for d in documents(plain)[0]] == [d.data for d in documents(archive)[0]]


def test_truncated_archive_keeps_every_whole_record_and_rejects_the_rest(tmp_path):
    pages = sample_pages(4)
    data = write_archive(tmp_path / "a.warc.gz", pages, extras=False).read_bytes()
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(data[:int(len(data) * 0.6)])
    found, _ = documents(cut)
    kept = [d for d in found if isinstance(d.data, bytes)]
    assert [d.data for d in kept] == [body for _, body in pages[:len(kept)]] and 1 <= len(kept) < 4
    [damage] = [d for d in found if isinstance(d.data, Rejection)]
    assert damage.data.reason == WARC_DAMAGED and "ends inside a record" in damage.data.detail


def test_corrupt_record_in_the_middle_keeps_the_records_before_it(tmp_path):
    data = bytearray(write_archive(tmp_path / "a.warc.gz", sample_pages(4), extras=False).read_bytes())
    middle = len(data) // 2
    data[middle:middle + 300] = b"\x00" * 300
    corrupt = tmp_path / "corrupt.warc.gz"
    corrupt.write_bytes(bytes(data))
    found, _ = documents(corrupt)
    assert isinstance(found[-1].data, Rejection) and found[-1].data.reason == WARC_DAMAGED
    assert all(isinstance(d.data, bytes) for d in found[:-1]) and len(found) >= 2


def test_a_file_that_is_not_an_archive_is_one_clear_rejection(tmp_path):
    for name, data in (("text.warc", b"hello, this is not an archive\n" * 20), ("empty.warc.gz", b""),
                       ("binary.warc.gz", bytes(range(256)) * 8)):
        (tmp_path / name).write_bytes(data)
        [only], counts = documents(tmp_path / name)
        assert only.data.reason == WARC_DAMAGED and not counts.skipped, name


def test_missing_archive_is_unreadable(tmp_path):
    [only], _ = documents(tmp_path / "gone.warc.gz")
    assert only.data.reason == "unreadable" and "No such file" in only.data.detail


def test_oversize_record_is_rejected_without_reading_it_whole(tmp_path):
    url, body = sample_pages(1)[0]
    [only], _ = documents(write_archive(tmp_path / "a.warc.gz", [(url, body)], extras=False), max_bytes=1000)
    assert only.url == url and only.data.reason == "too_large"


def test_crawl_refusals_come_back_as_rejections(tmp_path):
    archive = tmp_path / "crawl.warc.gz"
    with archive.open("wb") as handle:
        WarcWriter(handle).write_refusal("http://10.0.0.5/x", "private_address", "resolves to 10.0.0.5",
                                         fetched_at=FETCHED_AT)
    [only], _ = documents(archive)
    assert (only.url, only.data) == ("http://10.0.0.5/x", Rejection("private_address", "resolves to 10.0.0.5"))


def test_reading_an_archive_takes_flat_memory(tmp_path):
    """Peak memory of streaming an archive does not grow with its length (untimed; the bench
    measures the whole partition step at 1,000 and 5,000 records)."""
    import tracemalloc

    pages = sample_pages(20)

    def peak(records: int) -> int:
        archive = write_archive(tmp_path / f"{records}.warc.gz", [(f"{url}/{i}", body) for i in range(records // 20)
                                                                 for url, body in pages], extras=False)
        tracemalloc.start()
        count = sum(1 for _ in read_warc(archive))
        _, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert count == records
        return top

    small, large = peak(100), peak(1000)
    assert large < small * 1.5 + 256 * 1024, (small, large)


def test_a_url_cannot_forge_a_warc_header(tmp_path):
    import pytest

    with (tmp_path / "a.warc.gz").open("wb") as handle, pytest.raises(ValueError, match="control characters"):
        WarcWriter(handle).write_response("https://x.example/a\r\nWARC-Type: response", b"<p>x</p>",
                                          fetched_at=FETCHED_AT)
