import gzip

import pytest

from transforms.documents import (EMPTY, NOT_HTML, TOO_LARGE, UNREADABLE, InputPathError, decode_html,
                                  discover_inputs, document_id, read_document_bytes, sniff)

PAGE = "<html><head><title>t</title></head><body><p>Привет, мир — café</p></body></html>"


@pytest.mark.parametrize("data, reason", [
    (b"", EMPTY),
    (b"  \n\t ", EMPTY),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), NOT_HTML),
    (b"just a line of plain text, no markup", NOT_HTML),
    (b"<html>" + b"x" * 2000, TOO_LARGE),
])
def test_sniff_rejects_with_reason(data, reason):
    assert sniff(data, max_bytes=1000).reason == reason


def test_sniff_accepts_html():
    assert sniff(PAGE.encode()) is None


@pytest.mark.parametrize("encoding", ["windows-1251", "utf-8"])
def test_declared_legacy_encoding_is_decoded(encoding):
    html = PAGE.replace("<head>", f'<head><meta charset="{encoding}">')
    assert "Привет, мир" in decode_html(html.encode(encoding, errors="ignore"))


def test_latin1_declaration_is_read_as_windows_1252():
    html = '<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1"></head><body>Caf\xe9 \x93quoted\x94</body></html>'
    decoded = decode_html(html.encode("latin-1"))
    assert "Café “quoted”" in decoded


def test_undeclared_legacy_bytes_are_detected_not_crashed():
    decoded = decode_html("<html><body><p>Über die Straße gehen Größen</p></body></html>".encode("cp1252"))
    assert "Straße" in decoded


def test_gzip_input_is_decompressed_and_capped(tmp_path):
    path = tmp_path / "page.html.gz"
    path.write_bytes(gzip.compress(PAGE.encode()))
    assert read_document_bytes(path) == PAGE.encode()
    bomb = tmp_path / "bomb.html.gz"
    bomb.write_bytes(gzip.compress(b"<p>" + b"a" * 5_000_000))
    assert len(read_document_bytes(bomb, max_bytes=1000)) == 1001


def test_corrupt_gzip_is_a_rejection(tmp_path):
    path = tmp_path / "broken.html.gz"
    path.write_bytes(b"\x1f\x8b\x08\x00garbage")
    assert read_document_bytes(path).reason == UNREADABLE


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
