"""Sources: the seed article's publisher, citation and photo credit; citation and credit cues in
several languages; names inside other names; the curated table; robustness on any input."""
from __future__ import annotations

import pytest

from transforms.identity import registered_domain, source_id
from transforms.schemas import SOURCE_KINDS, SOURCE_ROLES
from transforms.sources import AGENCIES, SourceRef, country_of_domain, find_agency_citations, publisher_source

SEED_URL = "https://www.wowkeren.com/berita/tampil/00389517.html"


@pytest.fixture(scope="module")
def seed_body(shared) -> str:
    text = (shared / "seed" / "kazakhstan-wowkeren.txt").read_text(encoding="utf-8")
    return text[:text.index("(wk/elva)")]


def roles(text: str, captions: tuple[str, ...] = ()) -> list[tuple[str, str, str]]:
    return [(ref.name, ref.role, ref.evidence) for ref in find_agency_citations(text, captions)]


def test_seed_article_sources(seed_body):
    refs = find_agency_citations(seed_body, ["AFP"])
    assert [(r.name, r.domain, r.kind, r.role) for r in refs] == [
        ("Reuters", "reuters.com", "agency", "cited"), ("AFP", "afp.com", "agency", "credit")]
    assert "Mengutip Reuters" in refs[0].evidence
    assert refs[0].source_id == source_id("reuters.com")
    assert not any(r.name == "AFP" for r in find_agency_citations(seed_body)), "AFP is credited by the caption only"


def test_seed_publisher():
    publisher = publisher_source(SEED_URL, "WowKeren")
    assert (publisher.name, publisher.domain, publisher.kind, publisher.role) == (
        "WowKeren", "wowkeren.com", "publisher", "publisher")
    assert publisher.source_id == source_id("wowkeren.com") and publisher.evidence == SEED_URL


@pytest.mark.parametrize("text, expected", [
    ("Mengutip Reuters, polisi menahan 8.000 orang.", ("Reuters", "cited", "Mengutip Reuters")),
    ("Seperti dilansir dari CNN, pasukan tiba.", ("CNN", "cited", "dilansir dari CNN")),
    ("Hal itu dilansir Al Jazeera pada Senin.", ("Al Jazeera", "cited", "dilansir Al Jazeera")),
    ("seperti dilaporkan Xinhua, gempa terjadi", ("Xinhua", "cited", "seperti dilaporkan Xinhua")),
    ("Berita ini dikutip dari Antara, Selasa.", ("Antara", "cited", "dikutip dari Antara")),
    ("menurut laporan Bloomberg, harga naik", ("Bloomberg", "cited", "menurut laporan Bloomberg")),
    ("dilansir kantor berita Yonhap, Seoul", ("Yonhap", "cited", "dilansir kantor berita Yonhap")),
    ("according to the Associated Press, officials said", ("AP", "cited", "according to the Associated Press")),
    ("an official told Reuters on Monday", ("Reuters", "cited", "told Reuters")),
    ("the minister told AP that", ("AP", "cited", "told AP")),
    ("as TASS reported earlier", ("TASS", "cited", "TASS reported")),
    ("wie die Nachrichtenagentur dpa berichtete", ("dpa", "cited", "dpa berichtete")),
    ("Das meldete laut dpa die Polizei", ("dpa", "cited", "laut dpa")),
    ("a indiqué le ministre, selon l'AFP.", ("AFP", "cited", "selon l'AFP")),
    ("según EFE, el gobierno", ("EFE", "cited", "según EFE")),
    ("segundo a Reuters, o governo", ("Reuters", "cited", "segundo a Reuters")),
    ("volgens ANP is dat zo", ("ANP", "cited", "volgens ANP")),
    ("JAKARTA (Reuters) - Harga minyak naik.", ("Reuters", "credit", "(Reuters) -")),
    ("ALMATY, Kazakhstan (AP) — Troops arrived.", ("AP", "credit", "(AP) —")),
    ("Berlin (dpa) - Die Regierung plant", ("dpa", "credit", "(dpa) -")),
    ("Foto: AFP", ("AFP", "credit", "Foto: AFP")),
    ("Photo: Reuters", ("Reuters", "credit", "Photo: Reuters")),
    ("REUTERS/Evgenia Novozhenina", ("Reuters", "credit", "REUTERS/Evgenia Novozhenina")),
])
def test_citation_and_credit_cues(text, expected):
    assert roles(text)[0] == expected


@pytest.mark.parametrize("text", [
    "the Reuters Institute published a report",
    "kantornya di Jalan AFP nomor 5",
    "AP Moller-Maersk said profits rose",
    "Antara lain ada tiga hal penting.",
    "Reuters, AFP and AP are agencies.",
    "He reads Bloomberg every day.",
    "", "   ", "東京で共同通信が報じた", "Агентство сообщило", "x" * 3000,
])
def test_names_without_a_cue_or_inside_other_names_are_not_citations(text):
    assert find_agency_citations(text) == []


def test_a_longer_outlet_name_wins():
    [ref] = find_agency_citations("seperti dilansir dari CNN Indonesia, Senin (10/1).")
    assert (ref.name, ref.domain, ref.kind) == ("CNN Indonesia", "cnnindonesia.com", "publisher")


def test_one_ref_per_source_and_role_with_the_first_evidence():
    text = "Mengutip Reuters, polisi bergerak. Dilansir Reuters, warga mengungsi. JAKARTA (Reuters) - lagi."
    assert roles(text) == [("Reuters", "cited", "Mengutip Reuters"), ("Reuters", "credit", "(Reuters) -")]


@pytest.mark.parametrize("captions, expected", [
    (("AFP",), [("AFP", "credit", "AFP")]),
    (("Demonstran di Almaty. (Foto: AFP/Alexander Bogdanov)",), [("AFP", "credit", "AFP/Alexander Bogdanov")]),
    (("ANTARA FOTO/Hafidz Mubarak A",), [("Antara", "credit", "ANTARA FOTO/Hafidz Mubarak A")]),
    (("Protesters gather. REUTERS/Pavel Mikheyev", "AFP via Getty Images"),
     [("Reuters", "credit", "REUTERS/Pavel Mikheyev"), ("AFP", "credit", "AFP via Getty Images")]),
    (("", "no agency here"), []),
])
def test_captions_credit_agencies(captions, expected):
    assert roles("", captions) == expected


@pytest.mark.parametrize("url, site_name, expected", [
    (SEED_URL, "WowKeren", ("WowKeren", "wowkeren.com", "publisher")),
    ("https://www.reuters.com/world/asia/x", "Reuters", ("Reuters", "reuters.com", "agency")),
    ("https://www.bbc.com/indonesia/dunia-123", None, ("BBC", "bbc.co.uk", "publisher")),
    ("https://m.detik.com/news/berita/d-1", "detikNews", ("Detik", "detik.com", "publisher")),
    ("https://news.example.co.uk/a", None, ("example.co.uk", "example.co.uk", "publisher")),
    (None, "Reuters", ("Reuters", "reuters.com", "agency")),
    (None, "Kabar Harian", ("Kabar Harian", "kabarharian", "publisher")),
])
def test_publisher_source(url, site_name, expected):
    ref = publisher_source(url, site_name)
    assert (ref.name, ref.domain, ref.kind, ref.role) == (*expected, "publisher")
    assert ref.source_id == source_id(ref.domain) and ref.evidence == (url or site_name)


@pytest.mark.parametrize("url, site_name", [(None, None), ("", ""), (None, "")])
def test_no_publisher_without_url_or_site_name(url, site_name):
    assert publisher_source(url, site_name) is None


@pytest.mark.parametrize("url", ["http://[::1", "https://exa mple.com/", "http://host:99999/", "http://[fe80::1%25eth0]/",
                                 "//", "https://", "http://" + "a" * 70 + ".example/", "http://exa\x00mple.com/",
                                 "http://\ud800.example/"])
def test_a_malformed_url_gives_way_to_the_site_name(url):
    ref = publisher_source(url, "Kabar Harian")
    assert (ref.name, ref.domain, ref.evidence) == ("Kabar Harian", "kabarharian", "Kabar Harian")
    assert publisher_source(url, "Reuters").domain == "reuters.com"
    assert publisher_source(url, None) is None


@pytest.mark.parametrize("site_name", ["[Kabar", "\ud800", "www."])
def test_a_site_name_that_names_no_domain_gives_no_publisher(site_name):
    assert publisher_source(None, site_name) is None


def test_curated_table():
    assert len(AGENCIES) >= 40
    names = {agency.name for agency in AGENCIES}
    assert {"Reuters", "AFP", "AP", "Antara", "Bloomberg", "Xinhua", "TASS", "RIA Novosti", "dpa", "EFE", "ANSA",
            "Kyodo", "Yonhap", "BBC", "CNN", "Al Jazeera", "Bernama", "PTI"} <= names
    domains = [domain for agency in AGENCIES for domain in agency.domains]
    assert len(domains) == len(set(domains)), "a domain belongs to one source"
    aliases = [alias for agency in AGENCIES for alias in agency.aliases]
    assert len(aliases) == len(set(aliases)), "an alias names one source"
    for agency in AGENCIES:
        assert agency.kind in SOURCE_KINDS and agency.ambiguous <= set(agency.aliases)
        assert all(registered_domain(domain) == domain for domain in agency.domains), agency.name
        assert len(agency.country_code) == 2 and agency.country_code.isupper(), agency.name
        assert 2 <= len(agency.language) <= 3 and agency.language.islower(), agency.name


@pytest.mark.parametrize("url, site_name, language, expected", [
    ("https://www.kabarnusa.co.id/berita/1", "KabarNusa", "id", ("ID", "id")),        # ccTLD + page language
    ("https://amp.harbourtimes.com.au/a", None, "en-AU", ("AU", "en")),
    ("https://www.bbc.co.uk/news/1", None, "en", ("GB", "en")),                       # curated: the table's values
    ("https://www.reuters.com/world/x", None, "id", ("GB", "en")),
    ("https://www.tempo.co/politik/1", None, None, ("ID", "id")),
    ("https://news.example.com/a", None, "pt-BR", (None, "pt")),                      # generic TLD: no country
    ("https://startup.io/a", None, None, (None, None)),                               # a ccTLD sold as a brand
])
def test_publisher_country_and_language(url, site_name, language, expected):
    ref = publisher_source(url, site_name, language)
    assert (ref.country_code, ref.language) == expected


@pytest.mark.parametrize("domain, country", [
    ("kompas.co.id", "ID"), ("bbc.co.uk", "GB"), ("spiegel.de", "DE"), ("example.com", None), ("tempo.co", None),
    ("example.xn--p1ai", None), (None, None), ("localhost", None)])
def test_country_of_domain(domain, country):
    assert country_of_domain(domain) == country


def test_refs_are_well_formed():
    refs = find_agency_citations("Mengutip Reuters, JAKARTA (AFP) - Foto: ANTARA", ["Xinhua/Li Ming"])
    assert refs and all(isinstance(r, SourceRef) and r.role in SOURCE_ROLES and r.kind in SOURCE_KINDS for r in refs)
