"""The two forms of a URL (``transforms.urls``): the fetchable form the crawler requests, and the identity
form article ids are hashed from and the crawler remembers pages by."""
import pytest

from transforms.identity import registered_domain
from transforms.sources import publisher_source
from transforms.urls import canonical_url, fetchable_url, is_fetchable_scheme

BASE = "https://kabarnusa.example/berita/index.html"


# The fetchable form


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
    ("https://kabarnusa.example/a?at_medium=x&mc_x=1&xtor=2&OCID=3&cmpid=4&id=1", "https://kabarnusa.example/a?id=1"),
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
def test_fetchable_url(url, expected):
    assert fetchable_url(url) == expected


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
    assert fetchable_url(url, base=BASE) == expected


def test_fetchable_form_is_stable():
    once = fetchable_url("HTTP://Bücher.Example:80/a/../b/%7e?utm_source=x&id=1#f")
    assert once == "http://xn--bcher-kva.example/b/~?id=1"
    assert fetchable_url(once) == once


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
    assert fetchable_url("http://[oops/x", "https://kabarnusa.example/") is None


@pytest.mark.parametrize("url", [
    "http://[::1", "https://exa mple.com/", "http://host:99999/", "http://[fe80::1%25eth0]/", "http://[v1.fe]/",
    "http://[::1]junk/", "//", "https://", "http://" + "a" * 70 + ".example/", "https://" + "sub." * 70_000 + "example/",
    "http://exa\x00mple.com/", "http://\ud800.example/", "https://example.com/\udfff", "https://example.com/?q=\ud83d",
])
def test_malformed_urls_have_neither_form(url):
    assert fetchable_url(url) is None and canonical_url(url) is None


def test_control_characters_after_the_host_are_escaped_to_fetch_and_spoil_the_identity():
    url = "https://kabarnusa.example/a\x00b?q=\x1b"
    assert fetchable_url(url) == "https://kabarnusa.example/a%00b?q=%1B"
    assert canonical_url(url) is None
    assert canonical_url(fetchable_url(url)) == "https://kabarnusa.example/a%00b?q=%1B"


def test_a_very_long_path_keeps_both_forms():
    path = "/berita/" + "a" * 100_000
    assert fetchable_url("https://kabarnusa.example" + path) == "https://kabarnusa.example" + path
    assert canonical_url("http://kabarnusa.example" + path + "/") == "https://kabarnusa.example" + path


# The identity form: frozen, as article ids are hashes of it (tests/unit/test_identity_and_stats.py has more)


@pytest.mark.parametrize("url, identity", [
    # Trackers only the fetchable form drops: ids made from URLs carrying them keep them.
    ("https://kabarnusa.example/a?msclkid=4&_ga=9&ref_src=10&dclid=3&id=1",
     "https://kabarnusa.example/a?msclkid=4&_ga=9&ref_src=10&dclid=3&id=1"),
    ("https://kabarnusa.example/a?at_medium=x&mc_x=1&xtor=2&id=1", "https://kabarnusa.example/a?id=1"),
    # The path as written: escapes, dot segments and Unicode letters (host included) are left alone.
    ("https://kabarnusa.example/%7euser/./a/../b/", "https://kabarnusa.example/%7euser/./a/../b"),
    ("https://kabarnusa.example/a%2fb%7E/", "https://kabarnusa.example/a%2fb%7E"),
    ("https://kabarnusa.example/berita/café", "https://kabarnusa.example/berita/café"),
    ("https://Bücher.example/a/", "https://bücher.example/a"),
    ("https://xn--bcher-kva.example/a/", "https://xn--bcher-kva.example/a"),
    # The query decoded and re-encoded as a form (an undecodable escape included).
    ("https://kabarnusa.example/a?q=banjir%20jakarta&x=50%&s=a+b&t=%7e",
     "https://kabarnusa.example/a?q=banjir+jakarta&x=50%25&s=a+b&t=~"),
    ("https://kabarnusa.example/a?b&&c=", "https://kabarnusa.example/a?b=&c="),
    ("https://kabarnusa.example/a?q=%ff", "https://kabarnusa.example/a?q=%EF%BF%BD"),
    # Either default port goes with either scheme; a path of slashes only is stripped to nothing.
    ("http://kabarnusa.example:443/a", "https://kabarnusa.example/a"),
    ("https://kabarnusa.example:80/a", "https://kabarnusa.example/a"),
    ("https://kabarnusa.example//", "https://kabarnusa.example"),
    ("HTTP://KabarNusa.Example/Berita/A/?UTM_Source=x&Id=1#top", "https://kabarnusa.example/Berita/A?Id=1"),
])
def test_identity_form_is_what_article_ids_were_made_from(url, identity):
    """What ``normalise_url`` gave before it became ``canonical_url``, where the fetchable form's rules
    differ: merging those into the identity form would change existing article ids."""
    assert canonical_url(url) == identity


@pytest.mark.parametrize("link, fetchable, identity", [
    ("HTTP://KabarNusa.Example:80/Berita/A/?utm_source=rss&id=1#top", "http://kabarnusa.example/Berita/A/?id=1",
     "https://kabarnusa.example/Berita/A?id=1"),
    ("https://kabarnusa.example/a?msclkid=4&id=1", "https://kabarnusa.example/a?id=1",
     "https://kabarnusa.example/a?id=1"),
    ("https://Bücher.example/a/../b", "https://xn--bcher-kva.example/b", "https://xn--bcher-kva.example/b"),
    ("http://kabarnusa.example/berita/café", "http://kabarnusa.example/berita/caf%C3%A9",
     "https://kabarnusa.example/berita/caf%C3%A9"),
])
def test_the_crawler_fetches_one_form_and_knows_the_page_by_its_identity(link, fetchable, identity):
    """The crawler requests and archives the fetchable form, whose identity is what the warehouse hashes
    the archived page's id from."""
    assert fetchable_url(link) == fetchable
    assert canonical_url(fetchable) == identity


def _mutated_urls(seed: int, count: int) -> list[str]:
    """Valid news URLs with random damage: hostile characters inserted, parts cut or repeated, odd ports
    and brackets, very long hosts and paths."""
    import random

    rng = random.Random(seed)
    valid = ["https://www.kompas.com/read/2025/01/14/abc?page=2", "http://Bücher.example:8080/a/b/?utm_source=x&id=1",
             "//cdn.kabarnusa.example/x/", "http://[::1]:80/a", "https://user:pw@news.example.co.uk/a#top"]
    hostile = ["[", "]", "%", "%25", ":", "::", "@", " ", "\x00", "\x1f", "\x7f", "\ud800", "#", "?", "/", "//", "\\", ".",
               "..", "é", "。", ":99999", ":-1", "[::1]", "\t", "\n"]
    urls = []
    for _ in range(count):
        url = rng.choice(valid)
        for _ in range(rng.randint(1, 4)):
            position = rng.randint(0, len(url))
            action = rng.random()
            if action < 0.6:
                url = url[:position] + rng.choice(hostile) + url[position:]
            elif action < 0.8:
                url = url[:position] + url[position + rng.randint(1, 5):]
            else:
                url = url[:position] + url[position:position + 8] * rng.choice([2, 50, 5000]) + url[position + 8:]
        urls.append(url)
    return urls


def test_mutated_urls_never_raise_from_any_url_function():
    """fetchable_url, canonical_url, registered_domain and publisher_source on 2,000 damaged URLs: each
    gives a well-formed value or None, never an exception; every fetchable URL has an identity."""
    for url in _mutated_urls(seed=20250114, count=2000):
        shown = repr(url[:200])
        once = fetchable_url(url)
        assert once is None or (fetchable_url(once) == once and canonical_url(once) is not None), shown
        joined = fetchable_url(url, base=BASE)
        assert joined is None or (joined.startswith(("http://", "https://")) and canonical_url(joined)), shown
        identity = canonical_url(url)
        assert identity is None or (identity.startswith("https://") and canonical_url(identity) is not None), shown
        domain = registered_domain(url)
        publisher = publisher_source(url, None)
        assert (publisher is None) == (domain is None) and (publisher is None or publisher.domain == domain), shown
