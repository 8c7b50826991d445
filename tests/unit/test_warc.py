"""WARC archives: streamed records, skipped records counted, damage contained."""
from __future__ import annotations

import gzip
import random

import pytest
from warcio.recordloader import ArcWarcRecord

from tests.warcs import FETCHED_AT, gzip_members, http_message, raw_record, sample_pages, write_archive
from transforms import warc
from transforms.documents import UNREADABLE, InputDocument, Rejection
from transforms.warc import REFUSAL_CONTENT_TYPE, WARC_DAMAGED, WarcCounts, WarcWriter, read_warc


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
    with (tmp_path / "a.warc.gz").open("wb") as handle, pytest.raises(ValueError, match="control characters"):
        WarcWriter(handle).write_response("https://x.example/a\r\nWARC-Type: response", b"<p>x</p>",
                                          fetched_at=FETCHED_AT)


# Hostile archives, built by hand: every bad record is followed by good ones, which must still be read.

REFUSED_URL = "https://x.example/refused"


def page(number: int) -> bytes:
    return f"<html><body><p>Page {number}</p></body></html>".encode()


def response(number: int, **fields) -> bytes:
    return raw_record(http_message(page(number)), **{"WARC_Target_URI": f"https://x.example/{number}", **fields})


def refusal(body: bytes) -> bytes:
    return raw_record(body, WARC_Type="metadata", WARC_Target_URI=REFUSED_URL, Content_Type=REFUSAL_CONTENT_TYPE)


def read(tmp_path, data: bytes, name: str = "a.warc"):
    """Every item ``read_warc`` yields for an archive of ``data``, as (offset, url, page bytes or reason),
    with the items themselves and the skipped-record counts."""
    path = tmp_path / name
    path.write_bytes(data)
    counts = WarcCounts()
    items = list(read_warc(path, counts))
    assert all(item.origin.startswith(f"{path}#") for item in items)
    summary = [(item.origin.split("#")[1], item.url,
                item.data if isinstance(item.data, bytes) else item.data.reason) for item in items]
    return summary, items, counts.skipped


def pages(*numbers: int, offsets: list[int]) -> list[tuple[str, str, bytes]]:
    return [(str(offset), f"https://x.example/{number}", page(number)) for number, offset in zip(numbers, offsets)]


def starts(*records: bytes) -> list[int]:
    """Where each of ``records`` starts when they are written one after another."""
    return [sum(map(len, records[:index])) for index in range(len(records))]


def test_an_archive_cut_inside_its_first_header_is_damaged(tmp_path):
    plain = response(1) + response(2)
    for name, data, says in (("a.warc", plain[:30], "ends inside a record header"),
                             ("a.warc.gz", gzip_members(response(1))[:30], "ends inside a gzip member")):
        summary, [damage], skipped = read(tmp_path, data, name)
        assert summary == [("0", None, WARC_DAMAGED)] and says in damage.data.detail and not skipped, name


def test_a_whole_record_then_half_a_header_keeps_the_record(tmp_path):
    half = b"WARC/1.0\r\nWARC-Type: resp"
    for name, first, rest in (("a.warc", response(1), half),
                              ("a.warc.gz", gzip_members(response(1)), gzip_members(half))):
        summary, items, _ = read(tmp_path, first + rest, name)
        assert summary == [*pages(1, offsets=[0]), (str(len(first)), None, WARC_DAMAGED)], name
        assert "ends inside a record header" in items[-1].data.detail and "after 1 whole records" in items[-1].data.detail


def test_a_response_without_target_uri_is_a_page_when_it_holds_http_and_counted_when_not(tmp_path):
    bare = b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 5\r\n\r\nhello\r\n\r\n"   # the record of the bug
    url_less = raw_record(http_message(page(1)), WARC_Target_URI=None)
    records = (bare, url_less, response(2))
    summary, _, skipped = read(tmp_path, b"".join(records))
    offsets = starts(*records)
    assert summary == [(str(offsets[1]), None, page(1)), *pages(2, offsets=offsets[2:])]
    assert skipped == {"response": 1}


@pytest.mark.parametrize("body, says", [
    (b'["robots_disallowed"]', "a JSON list, not an object"),
    (b'"robots_disallowed"', "a JSON str, not an object"),
    (b"42", "a JSON int, not an object"),
    (b"", "JSONDecodeError"),
    (b'{"reason": "robots_disallowed", ', "JSONDecodeError"),
    (b'{"reason": "robots_disallowed", "detail": "caf\xe9"}', "UnicodeDecodeError"),
    (b"[" * 70000, "RecursionError"),
    (b'{"reason": 5, "detail": "x"}', "reason 5"),
    (b'{"reason": "Robots Disallowed!", "detail": "x"}', "reason 'Robots Disallowed!'"),
    (b'{"reason": "robots_disallowed", "detail": ["x"]}', "detail ['x']"),
])
def test_an_unreadable_refusal_is_that_records_rejection_and_reading_goes_on(tmp_path, body, says):
    records = (response(1), refusal(body), response(2))
    summary, items, _ = read(tmp_path, b"".join(records))
    offsets = starts(*records)
    assert summary == [*pages(1, offsets=offsets[:1]), (str(offsets[1]), REFUSED_URL, "refused"),
                       *pages(2, offsets=offsets[2:])]
    assert items[1].data.detail.startswith("unreadable refusal record") and says in items[1].data.detail


def test_a_refusals_escaped_lone_surrogate_comes_out_as_storable_text(tmp_path):
    summary, [item], _ = read(tmp_path, refusal(b'{"reason": "private_address", "detail": "10.0.0.5 \\ud800"}'))
    assert item.data == Rejection("private_address", "10.0.0.5 \ufffd")   # U+FFFD, as in page metadata


@pytest.mark.parametrize("odd, page_or_kind", [
    (response(9, WARC_Date="yesterday"), ("https://x.example/9", None)),
    (response(9, WARC_Date="9999-12-31T23:59:59-01:00"), ("https://x.example/9", None)),   # past year 9999 in UTC
    (response(9, WARC_Target_URI="http://[::1"), ("http://[::1", FETCHED_AT)),
    (response(9, WARC_Target_URI=b"https://x.example/caf\xe9"), ("https://x.example/caf\xe9", FETCHED_AT)),
    (response(9, WARC_Target_URI="<https://x.example/9 9>"), ("https://x.example/9%209", FETCHED_AT)),
    (raw_record(http_message(page(9), status=b"OK")), "response OK"),
    (raw_record(http_message(page(9), content_type=b"text/\xff\x00html;;;")), "response 200 text/\xff\x00html"),
    (raw_record(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"), "response"),   # the HTTP head never ends
    (raw_record(http_message(page(9)), WARC_Type=b"resp\xffonse"), "resp\xffonse"),
    (raw_record(http_message(page(9)), WARC_Type=None), "untyped"),
    (raw_record(http_message(page(9)), WARC_Type="x" * 1000), "x" * 60),
])
def test_a_records_odd_headers_affect_only_that_record(tmp_path, odd, page_or_kind):
    records = (response(1), odd, response(2))
    summary, items, skipped = read(tmp_path, b"".join(records))
    offsets = starts(*records)
    if isinstance(page_or_kind, str):
        assert summary == pages(1, 2, offsets=offsets[::2]) and skipped == {page_or_kind: 1}
    else:
        url, fetched_at = page_or_kind
        assert summary == [*pages(1, offsets=offsets[:1]), (str(offsets[1]), url, page(9)),
                           *pages(2, offsets=offsets[2:])]
        assert items[1].fetched_at == fetched_at and not skipped


BAD_LENGTHS = [("-5", "no usable Content-Length"), ("five", "no usable Content-Length"),
               ("", "no usable Content-Length"), (None, "no usable Content-Length"),
               ("9" * 40, "no usable Content-Length"), ("99999999", "shorter than its Content-Length"),
               ("20", "not a record in its gzip member")]


@pytest.mark.parametrize("length, says", BAD_LENGTHS)
def test_in_a_gzip_archive_a_wrong_content_length_is_that_records_rejection(tmp_path, length, says):
    members = [gzip_members(record) for record in (response(1), response(9, Content_Length=length), response(2))]
    summary, items, _ = read(tmp_path, b"".join(members), "a.warc.gz")
    offsets = starts(*members)
    assert summary == [*pages(1, offsets=offsets[:1]), (str(offsets[1]), "https://x.example/9", UNREADABLE),
                       *pages(2, offsets=offsets[2:])]
    assert says in items[1].data.detail


@pytest.mark.parametrize("length, says", [
    ("-5", "no usable Content-Length"), ("five", "no usable Content-Length"), (None, "no usable Content-Length"),
    ("99999999", "ends inside a record, 99999"), ("20", "followed by bytes that are not a record")])
def test_in_an_uncompressed_archive_a_wrong_content_length_is_damage(tmp_path, length, says):
    """Without gzip members the length is the only way to the next record: what follows is lost."""
    records = (response(1), response(9, Content_Length=length), response(2))
    summary, items, _ = read(tmp_path, b"".join(records))
    assert summary[0] == pages(1, offsets=[0])[0] and [row[2] for row in summary[1:]] == [WARC_DAMAGED]
    assert says in items[1].data.detail and "after 1 whole records" in items[1].data.detail


def test_garbage_after_the_last_gzip_member_keeps_every_record(tmp_path):
    archive = gzip_members(response(1), response(2))
    summary, items, _ = read(tmp_path, archive + b"garbage\x00\xff" * 10, "a.warc.gz")
    assert summary == [*pages(1, 2, offsets=[0, len(gzip_members(response(1)))]),
                       (str(len(archive)), None, WARC_DAMAGED)]
    assert "not a WARC record" in items[-1].data.detail and "after 2 whole records" in items[-1].data.detail


@pytest.mark.parametrize("name, data, says", [
    ("empty.warc", b"", "no WARC record found"),
    ("empty.warc.gz", b"", "no WARC record found"),
    ("blank.warc", b"\r\n\r\n", "no WARC record found"),
    ("random.warc", random.Random(7).randbytes(5000), "not a WARC record"),
    ("random.warc.gz", b"\x1f\x8b\x08" + random.Random(7).randbytes(5000), "not a WARC record"),
    ("page.warc", b"<!doctype html>\n<html><body><p>Hello</p></body></html>\n", "not a WARC record; it begins b'<!doctype"),
    ("no-lines.warc", b"WARC/1.0" + b"x" * 600_000, "not a WARC record"),
    ("endless-header.warc", b"WARC/1.0\r\n" + b"X-Pad: y\r\n" * 30_000, "ends inside a record header"),
])
def test_a_file_that_is_not_an_archive_is_one_documented_rejection(tmp_path, name, data, says):
    summary, [only], skipped = read(tmp_path, data, name)
    assert summary == [("0", None, WARC_DAMAGED)] and says in only.data.detail and not skipped


def test_a_corrupt_gzip_member_inside_a_page_is_damage_not_that_pages_rejection(tmp_path):
    """The block is read while the record is interpreted; a failure there is still the archive's."""
    big = raw_record(http_message(random.Random(3).randbytes(200_000).hex().encode()),
                     WARC_Target_URI="https://x.example/big")
    first, broken = gzip_members(response(1)), bytearray(gzip_members(big))
    broken[len(broken) // 2:len(broken) // 2 + 100] = bytes(100)
    summary, items, _ = read(tmp_path, first + bytes(broken) + gzip_members(response(2)), "a.warc.gz")
    assert summary == [*pages(1, offsets=[0]), (str(len(first)), None, WARC_DAMAGED)]
    assert "while decompressing" in items[-1].data.detail


def test_an_archive_gzipped_whole_is_read_with_an_origin_per_record(tmp_path):
    summary, _, _ = read(tmp_path, gzip.compress(response(1) + response(2) + response(3)), "a.warc.gz")
    assert summary == [("0", "https://x.example/1", page(1)), ("0+1", "https://x.example/2", page(2)),
                       ("0+2", "https://x.example/3", page(3))]


def test_any_exception_reading_the_structure_is_damage(tmp_path, monkeypatch):
    def broken(self):
        raise RuntimeError("boom")

    monkeypatch.setattr(warc._StrictReader, "read_next_member", broken)
    summary, items, _ = read(tmp_path, gzip_members(response(1), response(2)), "a.warc.gz")
    assert summary == [*pages(1, offsets=[0]), ("0", None, WARC_DAMAGED)]
    assert "RuntimeError: boom" in items[-1].data.detail


def test_any_exception_interpreting_a_record_is_that_records_rejection(tmp_path, monkeypatch):
    real = ArcWarcRecord.content_stream

    def content_stream(self):
        if self.rec_headers.get_header("WARC-Target-URI").endswith("/9"):
            raise LookupError("unknown encoding: x-odd")
        return real(self)

    monkeypatch.setattr(ArcWarcRecord, "content_stream", content_stream)
    records = (response(1), response(9), response(2))
    summary, items, _ = read(tmp_path, b"".join(records))
    offsets = starts(*records)
    assert summary == [*pages(1, offsets=offsets[:1]), (str(offsets[1]), "https://x.example/9", UNREADABLE),
                       *pages(2, offsets=offsets[2:])]
    assert "LookupError: unknown encoding: x-odd" in items[1].data.detail


def _mutated(rng: random.Random, records: list[bytes], compressed: bool) -> bytes:
    """One hostile variant of a valid archive: a header line duplicated (changed or not), then the
    bytes cut short, flipped, or given junk."""
    records = list(records)
    if rng.random() < 0.3:
        index = rng.randrange(len(records))
        lines = records[index].split(b"\r\n")
        line = rng.randrange(1, lines.index(b""))
        lines.insert(line, lines[line] if rng.random() < 0.5 else lines[line][:-1] + bytes([rng.randrange(256)]))
        records[index] = b"\r\n".join(lines)
    data = bytearray(gzip_members(*records) if compressed else b"".join(records))
    at = rng.randrange(len(data))
    change = rng.choice(("truncate", "flip", "insert"))
    if change == "truncate":
        del data[at:]
    elif change == "flip":
        for spot in rng.sample(range(len(data)), rng.randint(1, 8)):
            data[spot] ^= 1 << rng.randrange(8)
    else:
        data[at:at] = rng.choice((rng.randbytes(rng.randint(1, 64)), b"\r\n", b"WARC/1.0\r\n", b"\x1f\x8b\x08\x00"))
    return bytes(data)


def storable(text: str) -> bool:
    """What polars and DuckDB take: text without lone surrogates."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


@pytest.mark.parametrize("compressed", [False, True])
def test_seeded_mutations_of_a_valid_archive_never_raise(tmp_path, compressed):
    records = [response(1), raw_record(b"GET /1 HTTP/1.1\r\n\r\n", WARC_Type="request"),
               refusal(b'{"reason": "robots_disallowed", "detail": "robots.txt"}'),
               raw_record(http_message(b"", status=b"301 Moved")), response(2)]
    rng = random.Random(20260301)
    for attempt in range(200):
        data = _mutated(rng, records, compressed)
        summary, items, skipped = read(tmp_path, data, "a.warc.gz" if compressed else "a.warc")
        for item in items:
            assert isinstance(item, InputDocument) and isinstance(item.data, bytes | Rejection), attempt
            assert item.fetched_at is None or item.fetched_at.tzinfo is not None, attempt
            texts = [item.origin, item.url or ""]
            if isinstance(item.data, Rejection):
                texts += [item.data.reason, item.data.detail]
            for text in texts + list(skipped):
                assert isinstance(text, str) and storable(text), (attempt, text)
        reasons = [row[2] for row in summary]
        assert WARC_DAMAGED not in reasons[:-1], (attempt, summary)   # damage ends the archive
