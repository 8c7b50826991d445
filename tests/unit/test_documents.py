import codecs
import gzip
import os
import random
import signal
from contextlib import contextmanager
from pathlib import Path

import pytest

from transforms.documents import (EMPTY, NOT_HTML, TOO_LARGE, UNREADABLE, InputPathError, decode_html,
                                  discover_inputs, display_path, document_id, find_inputs, read_document_bytes,
                                  sniff)

BODY = "Привет, мир — café"


def page_with(head: str = "", body: str = BODY) -> str:
    return f"<html><head>{head}<title>t</title></head><body><p>{body}</p></body></html>"


PAGE = page_with()


def read(data: bytes) -> str:
    """What extraction gets: the decoded page, after sniffing let it through."""
    rejection = sniff(data)
    assert rejection is None, rejection
    return decode_html(data)


@contextmanager
def fails_if_blocked(seconds: int = 5):
    """Turn a call that would block forever (opening a named pipe) into a failing test."""
    def interrupt(signum, frame):
        raise TimeoutError("blocked")
    previous = signal.signal(signal.SIGALRM, interrupt)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.mark.parametrize("data, reason", [
    (b"", EMPTY),
    (b"  \n\t ", EMPTY),
    (codecs.BOM_UTF16_LE + " \n ".encode("utf-16-le"), EMPTY),
    (b"just a line of plain text, no markup", NOT_HTML),
    (b"<html>" + b"x" * 2000, TOO_LARGE),
])
def test_sniff_rejects_with_reason(data, reason):
    assert sniff(data, max_bytes=1000).reason == reason


@pytest.mark.parametrize("data, detail", [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "PNG image"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "PDF document"),
    (b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(64), "zip archive"),
    (gzip.compress(PAGE.encode()), "gzip-compressed data"),
    (random.Random(0).randbytes(4096), "control bytes in the first 4096 bytes"),
])
def test_binary_files_are_not_html_and_say_why(data, detail):
    rejection = sniff(data)
    assert (rejection.reason, detail in rejection.detail) == (NOT_HTML, True), rejection


def test_sniff_accepts_html():
    assert sniff(PAGE.encode()) is None


@pytest.mark.parametrize("bom, encoding", [
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
    (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
    (b"", "utf-16-le"), (b"", "utf-32-be"),   # no mark: told by where the NULs of the markup are
])
def test_unicode_pages_are_read_by_their_byte_order_mark(bom, encoding):
    text = read(bom + PAGE.encode(encoding))
    assert BODY in text and not text.startswith("\ufeff")


def test_stray_control_bytes_do_not_make_a_page_binary():
    data = bytearray(page_with(f'<meta name="description" content="{"n" * 120}">').encode())
    data[100:101] = b"\x00"
    data[110:112] = b"\x01\x02"
    assert BODY in read(bytes(data))


@pytest.mark.parametrize("declared", ["utf-16", "UTF-16LE", "utf-32", "no-such-charset", "utf-7", "windows-1252",
                                      "shift_jis", "iso-8859-1"])
@pytest.mark.parametrize("body", [BODY, BODY + "!"])   # both lengths: UTF-16 decoding fails only on odd ones
def test_utf8_page_is_read_whatever_it_declares(declared, body):
    assert body in read(page_with(f'<meta charset="{declared}">', body).encode())


@pytest.mark.parametrize("encoding", ["windows-1251", "utf-8"])
def test_declared_legacy_encoding_is_decoded(encoding):
    html = PAGE.replace("<head>", f'<head><meta charset="{encoding}">')
    assert "Привет, мир" in decode_html(html.encode(encoding, errors="ignore"))


def test_latin1_declaration_is_read_as_windows_1252():
    html = '<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1"></head><body>Caf\xe9 \x93quoted\x94</body></html>'
    decoded = decode_html(html.encode("latin-1"))
    assert "Café “quoted”" in decoded


@pytest.mark.parametrize("declared, encoding, body", [
    ("gb2312", "gbk", "镕"),           # in GBK, not in GB2312, yet pages declaring gb2312 hold it
    ("shift_jis", "cp932", "①②"),     # Windows' additions to Shift_JIS
])
def test_legacy_name_is_read_as_the_superset_browsers_use(declared, encoding, body):
    assert body in read(page_with(f'<meta charset="{declared}">', body).encode(encoding))


def test_seven_bit_declared_encoding_is_decoded():
    body = "日本 news " * 60   # ISO-2022-JP: ASCII bytes, an escape byte at every switch (12% of the bytes)
    assert body in read(page_with('<meta charset="iso-2022-jp">', body).encode("iso-2022-jp"))


def test_undeclared_legacy_bytes_are_detected_not_crashed():
    decoded = decode_html("<html><body><p>Über die Straße gehen Größen</p></body></html>".encode("cp1252"))
    assert "Straße" in decoded


@pytest.mark.parametrize("unit", [BODY, "A plain English page — with dashes —"])   # ends in a multi-byte character
def test_utf8_page_with_a_stray_byte_or_a_cut_last_character_stays_utf8(unit):
    data = page_with(body=unit * 10).encode()
    assert unit * 5 in read(data[:150] + b"\x93" + data[150:])
    cut = read(data[:-len("</p></body></html>") - 1])   # the last character's last byte is missing
    assert unit * 9 in cut and "\ufffd" not in cut


def test_gzip_input_is_decompressed_and_capped(tmp_path):
    path = tmp_path / "page.html.gz"
    path.write_bytes(gzip.compress(PAGE.encode()))
    assert read_document_bytes(path) == PAGE.encode()
    bomb = tmp_path / "bomb.html.gz"
    bomb.write_bytes(gzip.compress(b"<p>" + b"a" * 5_000_000))
    assert len(read_document_bytes(bomb, max_bytes=1000)) == 1001
    members = tmp_path / "members.html.gz"
    members.write_bytes(gzip.compress(b"a" * 600) * 3)
    assert len(read_document_bytes(members, max_bytes=1000)) == 1001


def test_gzip_members_are_all_read_and_trailing_garbage_ignored(tmp_path):
    first, second = PAGE.encode()[:40], PAGE.encode()[40:]
    path = tmp_path / "page.html.gz"
    path.write_bytes(gzip.compress(first) + gzip.compress(second) + b"garbage")
    assert read_document_bytes(path) == PAGE.encode()
    path.write_bytes(gzip.compress(PAGE.encode()) + bytes(1024))   # zero padding
    assert read_document_bytes(path) == PAGE.encode()


@pytest.mark.parametrize("data, detail", [
    (b"\x1f\x8b\x08\x00garbage", ""),
    (gzip.compress(PAGE.encode() * 50)[:-100], "cut short"),
    (gzip.compress(b"x") + gzip.compress(PAGE.encode())[:-12], "cut short"),   # the last member's end is missing
    (PAGE.encode(), "not gzip data"),
])
def test_corrupt_or_cut_gzip_is_a_rejection(tmp_path, data, detail):
    path = tmp_path / "broken.html.gz"
    path.write_bytes(data)
    rejection = read_document_bytes(path)
    assert (rejection.reason, detail in rejection.detail) == (UNREADABLE, True), rejection


def test_empty_gzip_file_is_empty(tmp_path):
    path = tmp_path / "empty.html.gz"
    path.write_bytes(b"")
    assert sniff(read_document_bytes(path)).reason == EMPTY


def test_reading_what_is_not_a_regular_file_never_raises_nor_blocks(tmp_path):
    os.mkfifo(tmp_path / "pipe.html")
    (tmp_path / "folder.html").mkdir()
    with fails_if_blocked():
        outcomes = {name: read_document_bytes(tmp_path / name) for name in ("pipe.html", "folder.html", "gone.html")}
    assert {name: (r.reason, r.detail) for name, r in outcomes.items()} == {
        "pipe.html": (UNREADABLE, "not a regular file: named pipe"),
        "folder.html": (UNREADABLE, "not a regular file: folder"),
        "gone.html": (UNREADABLE, "FileNotFoundError: No such file or directory"),
    }
    assert read_document_bytes(Path("/dev/zero")).detail == "not a regular file: character device"


def test_document_id_is_sha256_of_bytes():
    assert document_id(b"abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"


def test_discover_inputs_walks_folders_and_rejects_missing_paths(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "one.html").write_text(PAGE)
    (tmp_path / "a" / "two.htm.gz").write_bytes(gzip.compress(b"x"))
    (tmp_path / "a" / "notes.txt").write_text("x")
    (tmp_path / "a" / "crawl.warc.gz").write_bytes(b"")
    assert [p.name for p in discover_inputs([tmp_path])] == ["crawl.warc.gz", "one.html", "two.htm.gz"]
    with pytest.raises(InputPathError, match="no such file or folder"):
        discover_inputs([tmp_path / "missing"])


def test_find_inputs_notes_what_is_not_a_regular_file_without_opening_it(tmp_path):
    (tmp_path / "page.html").write_text(PAGE)
    os.mkfifo(tmp_path / "pipe.html")
    os.mkfifo(tmp_path / "pipe.txt")                       # not named like an input: not a notice
    (tmp_path / "dangling.html").symlink_to(tmp_path / "nowhere.html")
    (tmp_path / "loop1").symlink_to(tmp_path / "loop2")
    (tmp_path / "loop2").symlink_to(tmp_path / "loop1")
    (tmp_path / "x.html").mkdir()
    (tmp_path / "x.html" / "inner.html").write_text(PAGE)
    (tmp_path / "x.html" / "up").symlink_to(tmp_path)      # a cycle, were links to folders followed
    with fails_if_blocked():
        found = find_inputs([tmp_path])
    assert [p.relative_to(tmp_path).as_posix() for p in found.files] == ["page.html", "x.html/inner.html"]
    assert [(Path(shown).relative_to(tmp_path).as_posix(), reason) for shown, reason in found.skipped] == [
        ("dangling.html", "dangling symbolic link"),
        ("loop1", "symbolic link loop"),
        ("loop2", "symbolic link loop"),
        ("pipe.html", "named pipe"),
        ("x.html", "folder named like a page"),
        ("x.html/up", "symbolic link to a folder, not followed"),
    ]


def test_find_inputs_notes_special_paths_given_directly_and_raises_for_missing_ones(tmp_path):
    os.mkfifo(tmp_path / "pipe.html")
    (tmp_path / "dangling.html").symlink_to(tmp_path / "nowhere.html")
    (tmp_path / "page.htm").write_text(PAGE)
    with fails_if_blocked():
        found = find_inputs([tmp_path / "pipe.html", tmp_path / "dangling.html", tmp_path / "page.htm",
                             Path("/dev/null")])
    assert found.files == [tmp_path / "page.htm"]
    assert found.skipped == [(str(tmp_path / "pipe.html"), "named pipe"),
                             (str(tmp_path / "dangling.html"), "dangling symbolic link"),
                             ("/dev/null", "character device")]
    with pytest.raises(InputPathError, match="no such file or folder"):
        find_inputs([tmp_path / "missing.html"])


def test_file_names_that_are_not_utf8_are_found_read_and_shown_printably(tmp_path):
    raw_name = os.fsencode(tmp_path) + b"/caf\xe9.html"
    with open(raw_name, "wb") as handle:
        handle.write(PAGE.encode())
    [path] = find_inputs([tmp_path]).files
    assert read_document_bytes(path) == PAGE.encode()
    shown = display_path(path)
    assert shown.endswith("/caf\\xe9.html") and shown.encode("utf-8")
    assert display_path(b"a\nb\xff.html") == "a\\x0ab\\xff.html"
    assert display_path("lone \ud800 surrogate").encode("utf-8")


def test_a_file_swapped_for_a_pipe_after_the_check_is_unreadable_not_none(tmp_path, monkeypatch):
    """The path is a regular file when looked at and a pipe (with a writer) when opened."""
    import transforms.documents as documents

    pipe = tmp_path / "swapped.html"
    os.mkfifo(pipe)
    writer = os.open(pipe, os.O_RDWR | os.O_NONBLOCK)   # a writer is there: a read would return None, not block
    real_stat = os.stat
    monkeypatch.setattr(documents.os, "stat", lambda path, *a, **k: real_stat(__file__) if path == pipe
                        else real_stat(path, *a, **k))
    try:
        assert read_document_bytes(pipe) == documents.Rejection(UNREADABLE, "not a regular file: named pipe")
    finally:
        os.close(writer)


def test_a_page_that_grew_since_its_size_was_read_is_read_on_up_to_the_bound(tmp_path, monkeypatch):
    page = tmp_path / "growing.html"
    page.write_bytes(b"<p>" + b"x" * 5000)
    real_fstat = os.fstat
    monkeypatch.setattr(os, "fstat", lambda fd: os.stat_result((*real_fstat(fd)[:6], 100, *real_fstat(fd)[7:])))
    assert read_document_bytes(page, max_bytes=10_000) == page.read_bytes()
    assert len(read_document_bytes(page, max_bytes=1_000)) == 1_001
