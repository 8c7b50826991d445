import pytest

from transforms.identity import entity_id, entity_key, normalise_url, registered_domain, sha256_hex, source_id
from transforms.text_stats import detect_language, word_count


@pytest.mark.parametrize("url, expected", [
    ("HTTP://WWW.Example.com:80/a/b/?utm_source=x&id=3#frag", "https://www.example.com/a/b?id=3"),
    ("https://example.com", "https://example.com/"),
    ("//cdn.example.com/x", "https://cdn.example.com/x"),
    ("ftp://example.com/x", None),
    ("javascript:void(0)", None),
    ("", None),
    (None, None),
])
def test_normalise_url(url, expected):
    assert normalise_url(url) == expected


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
