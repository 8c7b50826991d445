import pytest

from transforms.identity import entity_id, entity_key, registered_domain, sha256_hex, source_id
from transforms.text_stats import detect_language, word_count
from transforms.urls import canonical_url


@pytest.mark.parametrize("url, expected", [
    ("HTTP://WWW.Example.com:80/a/b/?utm_source=x&id=3#frag", "https://www.example.com/a/b?id=3"),
    ("https://example.com", "https://example.com/"),
    ("//cdn.example.com/x", "https://cdn.example.com/x"),
    ("ftp://example.com/x", None),
    ("javascript:void(0)", None),
    ("", None),
    (None, None),
])
def test_canonical_url(url, expected):
    assert canonical_url(url) == expected


@pytest.mark.parametrize("value, expected", [
    ("https://www.bbc.co.uk/news", "bbc.co.uk"),
    ("https://m.wowkeren.com/x", "wowkeren.com"),
    ("amp.kabarnusa.co.id", "kabarnusa.co.id"),
    (None, None),
])
def test_registered_domain_works_offline(value, expected):
    assert registered_domain(value) == expected


def test_ids_are_sha256_of_documented_recipes():
    assert entity_id("LOC", entity_key("Rusia", "RU", is_country=True)) == sha256_hex("LOC|country:RU")
    assert entity_id("person", entity_key("Kassym-Jomart  Tokayev")) == sha256_hex("PERSON|kassym-jomart tokayev")
    assert source_id("Reuters.com") == sha256_hex("SOURCE|reuters.com")


@pytest.mark.parametrize("text, count", [
    ("", 0), (None, 0), ("Hello, world!", 2), ("東京は晴れ", 5), ("Seoul 서울 날씨", 3), ("kata-kata itu", 3),
])
def test_word_count_is_script_aware(text, count):
    assert word_count(text) == count


@pytest.mark.parametrize("text, language", [
    ("Pemerintah Kazakhstan mengklaim bahwa kerusuhan yang terjadi di negaranya adalah tindakan terorisme.", "id"),
    ("The government said on Monday that the unrest was an attempted coup by armed groups.", "en"),
    ("Die Regierung erklärte am Montag, die Unruhen seien ein Putschversuch bewaffneter Gruppen gewesen.", "de"),
])
def test_language_detection(text, language):
    assert detect_language(text) == language


def test_too_little_text_has_no_language():
    assert detect_language("OK") is None


MALFORMED_URLS = [
    "http://[::1", "https://exa mple.com/", "http://host:99999/", "http://host:port/", "http://[fe80::1%25eth0]/",
    "http://[v1.fe]/", "http://[::1]junk/", "//", "https://", "http://:80/", "https://kabar..example/",
    "http://" + "a" * 70 + ".example/", "https://" + "sub." * 70_000 + "example/", "http://exa\x00mple.com/",
    "http://example.com\x7f/", "http://\ud800.example/", "https://example.com/\udfff",
]


@pytest.mark.parametrize("url", MALFORMED_URLS)
def test_a_malformed_url_has_no_identity_and_no_domain(url):
    assert canonical_url(url) is None
    assert registered_domain(url) is None


@pytest.mark.parametrize("url", ["https://example.com/a\x00b", "https://example.com/a?q=\x1b"])
def test_a_control_character_after_the_host_spoils_the_identity_not_the_domain(url):
    assert canonical_url(url) is None
    assert registered_domain(url) == "example.com"


@pytest.mark.parametrize("url, identity, domain", [
    ("https://www.wowkeren.com/berita/tampil/00389517.html", "https://www.wowkeren.com/berita/tampil/00389517.html",
     "wowkeren.com"),
    ("HTTP://WWW.Kompas.com:443/read/2025/01/14/abc/?utm_medium=x&page=2#komentar",
     "https://www.kompas.com/read/2025/01/14/abc?page=2", "kompas.com"),
    ("https://Bücher.example/Buku/?utm_source=x&id=1", "https://bücher.example/Buku?id=1", "bücher.example"),
    ("http://news.example.co.uk:8080/a/b/?q=banjir+jakarta&fbclid=1", "https://news.example.co.uk:8080/a/b?q=banjir+jakarta",
     "example.co.uk"),
    ("https://example.com/?a=1&a=2&b=", "https://example.com/?a=1&a=2&b=", "example.com"),
    ("https://kabarnusa.example./a%20b/", "https://kabarnusa.example/a%20b", "kabarnusa.example."),
    ("https://user:pw@kabarnusa.example/a", "https://kabarnusa.example/a", "kabarnusa.example"),
    ("http://[::1]:8080/a/", "https://[::1]:8080/a", "::1"),   # an IPv6 host keeps its brackets
])
def test_valid_urls_keep_their_identity(url, identity, domain):
    """Article ids are hashes of these forms: data made before must keep its ids."""
    assert (canonical_url(url), registered_domain(url)) == (identity, domain)


def test_a_site_name_that_is_no_host_is_still_its_own_domain():
    assert registered_domain("kabarharian") == "kabarharian"
    assert registered_domain("berita|satu") == "berita|satu"
    assert registered_domain("[kabar") is None and registered_domain("\ud800kabar") is None
