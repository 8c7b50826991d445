"""WARC archives read from an open stream (a download, an object's body) and filtered by host."""
from __future__ import annotations

import io

import pytest

from tests.warcs import raw_record, sample_pages, write_archive
from transforms.warc import OUTSIDE_HOSTS, ArchiveUnavailable, WarcCounts, read_warc, read_warc_stream


class Trickle(io.RawIOBase):
    """An archive's bytes a few at a time with ``tell`` and no ``seek``, as a network stream gives them;
    ``fail_after`` bytes in, it fails as a refused or broken download does."""

    def __init__(self, data: bytes, fail_after: int | None = None):
        self.data, self.position, self.fail_after = data, 0, fail_after

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self.fail_after is not None and self.position >= self.fail_after:
            raise ArchiveUnavailable("cannot read http://archive.example/a.warc.gz: the connection broke")
        size = min(len(buffer), 1000, len(self.data) - self.position)
        buffer[:size] = self.data[self.position:self.position + size]
        self.position += size
        return size

    def tell(self) -> int:
        return self.position


def test_a_stream_reads_like_the_file(tmp_path):
    archive = write_archive(tmp_path / "a.warc.gz", sample_pages(3))
    file_counts, stream_counts = WarcCounts(), WarcCounts()
    from_file = list(read_warc(archive, file_counts))
    from_stream = list(read_warc_stream(Trickle(archive.read_bytes()), "http://archive.example/a.warc.gz", stream_counts))
    assert [(d.url, d.data, d.origin.split("#")[1]) for d in from_stream] == [
        (d.url, d.data, d.origin.split("#")[1]) for d in from_file]
    assert all(d.origin.startswith("http://archive.example/a.warc.gz#") for d in from_stream)
    assert stream_counts.skipped == file_counts.skipped


def test_a_failing_stream_is_raised_not_taken_for_damage(tmp_path):
    data = write_archive(tmp_path / "a.warc.gz", sample_pages(4)).read_bytes()
    records = read_warc_stream(Trickle(data, fail_after=len(data) // 2), "http://archive.example/a.warc.gz")
    with pytest.raises(ArchiveUnavailable, match="the connection broke"):
        list(records)


def test_the_host_filter_skips_other_hosts_before_reading_them(tmp_path):
    pages = [("https://news.example/a", b"<html>a</html>"), ("https://www.news.example/b", b"<html>b</html>"),
             ("https://othernews.example/c", b"<html>c</html>"), ("https://example.org/d", b"<html>d</html>")]
    archive = write_archive(tmp_path / "a.warc.gz", pages)
    counts = WarcCounts()
    kept = list(read_warc(archive, counts, hosts=("news.example",)))
    assert [d.url for d in kept] == ["https://news.example/a", "https://www.news.example/b"]
    # the other hosts' responses and requests, and the extras (crawl.example)
    assert counts.skipped == {OUTSIDE_HOSTS: 6, "request": 2}


def test_the_host_filter_passes_over_records_without_a_target_uri(tmp_path):
    archive = tmp_path / "a.warc"
    archive.write_bytes(raw_record(b"x", WARC_Target_URI=None, WARC_Type="warcinfo")
                        + raw_record(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html>k</html>",
                                     WARC_Target_URI="https://news.example/k"))
    counts = WarcCounts()
    assert [d.url for d in read_warc(archive, counts, hosts=("news.example",))] == ["https://news.example/k"]
    assert counts.skipped == {OUTSIDE_HOSTS: 1}
