import pytest

from transforms.urls import canonical_url, is_fetchable_scheme

BASE = "https://kabarnusa.example/berita/index.html"


@pytest.mark.parametrize("url, expected", [
    # scheme and host: lower case, IDNA, no trailing dot, no user info
    ("HTTPS://KabarNusa.Example/Berita/A", "https://kabarnusa.example/Berita/A"),
    ("https://Bücher.example/buku", "https://xn--bcher-kva.example/buku"),
    ("https://xn--bcher-kva.example/buku", "https://xn--bcher-kva.example/buku"),
    ("https://kabarnusa.example./a", "https://kabarnusa.example/a"),
    ("https://reader:secret@kabarnusa.example/a", "https://kabarnusa.example/a"),
    # ports: default ones go, others stay
    ("http://kabarnusa.example:80/a", "http://kabarnusa.example/a"),
    ("https://kabarnusa.example:443/a", "https://kabarnusa.example/a"),
    ("http://kabarnusa.example:443/a", "http://kabarnusa.example:443/a"),
    ("https://kabarnusa.example:8443/a", "https://kabarnusa.example:8443/a"),
    ("http://[::1]:80/a", "http://[::1]/a"),
    # fragment and empty path
    ("https://kabarnusa.example/a#komentar", "https://kabarnusa.example/a"),
    ("https://kabarnusa.example", "https://kabarnusa.example/"),
    ("https://kabarnusa.example?", "https://kabarnusa.example/"),
    ("https://kabarnusa.example/a?#top", "https://kabarnusa.example/a"),
    # tracking parameters go, in any case; the others keep their order
    ("https://kabarnusa.example/a?utm_source=rss&id=123&UTM_Medium=feed&p=45",
     "https://kabarnusa.example/a?id=123&p=45"),
    ("https://kabarnusa.example/a?Utm_Campaign=x&fbclid=1&GCLID=2&dclid=3&msclkid=4&mc_cid=5&mc_eid=6&igshid=7"
     "&yclid=8&_ga=9&ref_src=10", "https://kabarnusa.example/a"),
    ("https://kabarnusa.example/a?z=1&a=2&m=3", "https://kabarnusa.example/a?z=1&a=2&m=3"),
    ("https://kabarnusa.example/a?page=2&&utm_term=", "https://kabarnusa.example/a?page=2"),
    ("https://kabarnusa.example/?source=home&ref=nav&uid=7", "https://kabarnusa.example/?source=home&ref=nav&uid=7"),
    # percent-encoding and dot segments
    ("https://kabarnusa.example/%7euser/%2f%e2%82%ac", "https://kabarnusa.example/~user/%2F%E2%82%AC"),
    ("https://kabarnusa.example/berita/café", "https://kabarnusa.example/berita/caf%C3%A9"),
    ("https://kabarnusa.example/a?q=banjir jakarta&x=50%", "https://kabarnusa.example/a?q=banjir%20jakarta&x=50%25"),
    ("https://kabarnusa.example/a/./b/../c", "https://kabarnusa.example/a/c"),
    ("https://kabarnusa.example/a/b/..", "https://kabarnusa.example/a/"),
    ("https://kabarnusa.example/../../a", "https://kabarnusa.example/a"),
    ("https://kabarnusa.example/a//b/", "https://kabarnusa.example/a//b/"),
    # whitespace around the URL
    ("  \n\thttps://kabarnusa.example/a \n", "https://kabarnusa.example/a"),
    # not fetchable or not a URL
    ("javascript:alert(1)", None),
    ("file:///etc/passwd", None),
    ("ftp://files.example/a.txt", None),
    ("data:text/html,<b>hi</b>", None),
    ("mailto:redaksi@kabarnusa.example", None),
    ("/berita/a", None),
    ("", None),
    ("https://", None),
    ("https://kabar..example/", None),
    ("https://kabar nusa.example/", None),
    ("https://kabarnusa.example:99999/", None),
    ("https://kabarnusa.example:port/", None),
    ("http://[::1/", None),
])
def test_canonical_url(url, expected):
    assert canonical_url(url) == expected


@pytest.mark.parametrize("url, expected", [
    ("ekonomi/nikel.html?id=9", "https://kabarnusa.example/berita/ekonomi/nikel.html?id=9"),
    ("../foto/1", "https://kabarnusa.example/foto/1"),
    ("/tag/banjir#atas", "https://kabarnusa.example/tag/banjir"),
    ("//cdn.kabarnusa.example/a", "https://cdn.kabarnusa.example/a"),
    ("?p=45", "https://kabarnusa.example/berita/index.html?p=45"),
    ("  https://other.example/x  ", "https://other.example/x"),
    ("javascript:void(0)", None),
])
def test_relative_urls_resolve_against_the_base(url, expected):
    assert canonical_url(url, base=BASE) == expected


def test_canonical_form_is_stable():
    once = canonical_url("HTTP://Bücher.Example:80/a/../b/%7e?utm_source=x&id=1#f")
    assert once == "http://xn--bcher-kva.example/b/~?id=1"
    assert canonical_url(once) == once


@pytest.mark.parametrize("url, expected", [
    ("https://kabarnusa.example/", True),
    (" HTTP://kabarnusa.example/", True),
    ("ftp://files.example/", False),
    ("file:///etc/passwd", False),
    ("data:,x", False),
    ("javascript:alert(1)", False),
    ("/relative", False),
])
def test_is_fetchable_scheme(url, expected):
    assert is_fetchable_scheme(url) is expected


def test_a_malformed_link_against_a_base_is_none_not_an_error():
    assert canonical_url("http://[oops/x", "https://kabarnusa.example/") is None
