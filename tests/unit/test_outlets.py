import ipaddress
import re
from pathlib import Path

import pytest

from crawl.outlets import (DEFAULT_SCHEDULE, CrawlerSettings, Outlet, SourcesFileError, load_outlets,
                           outlet_key)

EXAMPLE = Path(__file__).resolve().parents[2] / "sources.example.toml"

OUTLET = """
[[outlets]]
name = "Kabar Nusa"
homepage = "https://kabarnusa.example/"
feeds = ["https://kabarnusa.example/rss"]
language = "id"
country = "ID"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sources.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_example_file_loads():
    sources = load_outlets(EXAMPLE)
    assert [outlet.key for outlet in sources.outlets] == ["kabar_nusa", "harbour_times", "suara_pelita"]
    assert sources.crawler == CrawlerSettings(user_agent="KabarBot/0.5 (+mailto:newsdesk@kabarnusa.example)")
    first, second, third = sources.outlets
    assert first.feeds == ("https://kabarnusa.example/rss/terbaru.xml", "https://kabarnusa.example/rss/ekonomi.xml")
    assert first.max_articles == 200 and first.delay_seconds is None
    assert first.urls == ("https://kabarnusa.example/nasional/2025/01/banjir-surabaya",)
    assert (second.language, second.country, second.schedule, second.delay_seconds) == ("en-AU", "AU",
                                                                                          "5 */3 * * mon-fri", 5.0)
    assert third.feeds == () and third.schedule == DEFAULT_SCHEDULE


def test_the_example_file_uses_no_real_domain():
    hosts = set(re.findall(r"https?://([^/\"\s)]+)", EXAMPLE.read_text(encoding="utf-8")))
    assert hosts and all(host.endswith((".example", ".example.org")) or host == "toml.io" for host in hosts)


def test_minimal_outlet_gets_defaults_and_canonical_urls(tmp_path):
    path = write(tmp_path, OUTLET.replace('"https://kabarnusa.example/rss"',
                                          '"HTTPS://KabarNusa.example:443/rss?utm_source=x#top"'))
    assert load_outlets(path).outlets == (Outlet("Kabar Nusa", "https://kabarnusa.example/",
                                                 ("https://kabarnusa.example/rss",), (), "id", "ID"),)


def test_crawler_table(tmp_path):
    path = write(tmp_path, """
[crawler]
user_agent = "KabarTest/1.0 (+mailto:ops@kabar.example)"
delay_seconds = 0
timeout_seconds = 5
max_body_bytes = 1000
allowed_networks = ["127.0.0.0/8", "::1/128"]
""" + OUTLET)
    assert load_outlets(path).crawler == CrawlerSettings(
        "KabarTest/1.0 (+mailto:ops@kabar.example)", 0.0, 5.0, 1000,
        (ipaddress.ip_network("127.0.0.0/8"), ipaddress.ip_network("::1/128")))


@pytest.mark.parametrize("name, key", [
    ("Kabar Nusa", "kabar_nusa"),
    ("  Warta--Timur (Makassar) ", "warta_timur_makassar"),
    ("Courrier du Lac", "courrier_du_lac"),
    ("Le Télégramme d'Été", "le_telegramme_d_ete"),
    ("100% Berita", "100_berita"),
])
def test_outlet_key(name, key):
    assert outlet_key(name) == key
    assert re.fullmatch(r"[a-z0-9_]+", key)


@pytest.mark.parametrize("schedule", ["0 * * * *", "*/15 6-22 * * *", "0 0 1,15 * *", "30 7 * jan-mar mon-fri",
                                      "0 12 * * 0,7", "  5   */3 * *   SUN "])
def test_valid_schedules(tmp_path, schedule):
    path = write(tmp_path, OUTLET + f'schedule = "{schedule}"\n')
    assert load_outlets(path).outlets[0].schedule == " ".join(schedule.split())


@pytest.mark.parametrize("text, message", [
    # invalid TOML: the line is named
    ('[[outlets]]\nname = "Kabar Nusa\n', r"invalid TOML: .*line 2"),
    # structure
    ('[crawler]\ndelay_seconds = 1\n', r"top level: outlets: needs at least one \[\[outlets\]\] table"),
    ('title = "x"\n' + OUTLET, r"top level: title: unknown field"),
    ('crawler = 3\n' + OUTLET, r"top level: crawler: must be a table"),
    ('outlets = ["Kabar Nusa"]\n', r"top level: outlets: must be tables"),
    ('[crawler]\nuser_agnet = "x"\n' + OUTLET, r"\[crawler\]: user_agnet: unknown field"),
    ('[crawler]\ndelay_seconds = -1\n' + OUTLET, r"\[crawler\]: delay_seconds: must be a number of at least 0"),
    ('[crawler]\ntimeout_seconds = "30"\n' + OUTLET, r"\[crawler\]: timeout_seconds: must be a number"),
    ('[crawler]\nmax_body_bytes = 1.5\n' + OUTLET, r"\[crawler\]: max_body_bytes: must be an integer"),
    ('[crawler]\nallowed_networks = ["10.0.0.0/33"]\n' + OUTLET, r"\[crawler\]: allowed_networks: '10.0.0.0/33'"),
    ('[crawler]\nallowed_networks = "10.0.0.0/8"\n' + OUTLET, r"\[crawler\]: allowed_networks: must be a list"),
    # an outlet's fields
    (OUTLET.replace('name = "Kabar Nusa"\n', ""), r"outlets #1: name: missing"),
    (OUTLET + OUTLET.replace('name = "Kabar Nusa"', 'name = "  "'), r"outlets #2: name: must be a non-empty string"),
    (OUTLET.replace('name = "Kabar Nusa"', 'name = "!!!"'), r"outlet '!!!': name: needs at least one letter"),
    (OUTLET + "feed = []\n", r"outlet 'Kabar Nusa': feed: unknown field"),
    (OUTLET.replace('homepage = "https://kabarnusa.example/"\n', ""), r"outlet 'Kabar Nusa': homepage: missing"),
    (OUTLET.replace("https://kabarnusa.example/rss", "ftp://kabarnusa.example/rss"),
     r"outlet 'Kabar Nusa': feeds: must be an absolute http\(s\) URL, got 'ftp://kabarnusa.example/rss'"),
    (OUTLET.replace("https://kabarnusa.example/rss", "/rss"), r"outlet 'Kabar Nusa': feeds: must be an absolute"),
    (OUTLET.replace('"https://kabarnusa.example/"', '"file:///srv/kabar"'), r"outlet 'Kabar Nusa': homepage: must be"),
    (OUTLET + 'sitemaps = ["https://kabar nusa.example/sitemap.xml"]\n', r"outlet 'Kabar Nusa': sitemaps: not a valid"),
    (OUTLET + "sitemaps = \"https://kabarnusa.example/sitemap.xml\"\n", r"outlet 'Kabar Nusa': sitemaps: must be a list"),
    (OUTLET + "sitemaps = [42]\n", r"outlet 'Kabar Nusa': sitemaps: must be a URL string"),
    (OUTLET.replace('feeds = ["https://kabarnusa.example/rss"]',
                    'feeds = ["https://kabarnusa.example/rss", "https://KABARNUSA.example/rss#x"]'),
     r"outlet 'Kabar Nusa': feeds: lists 'https://kabarnusa.example/rss' twice"),
    (OUTLET.replace('feeds = ["https://kabarnusa.example/rss"]',
                    'feeds = ["http://kabarnusa.example/rss", "https://kabarnusa.example/rss/?utm_source=x"]'),
     r"outlet 'Kabar Nusa': feeds: lists 'http://kabarnusa.example/rss' and 'https://kabarnusa.example/rss/', one page"),
    (OUTLET.replace('feeds = ["https://kabarnusa.example/rss"]', "feeds = []"),
     r"outlet 'Kabar Nusa': feeds: no feeds, sitemaps or urls"),
    (OUTLET.replace('language = "id"', 'language = "indonesian"'), r"outlet 'Kabar Nusa': language: 'indonesian'"),
    (OUTLET.replace('language = "id"', 'language = "qq"'), r"outlet 'Kabar Nusa': language: 'qq' is not"),
    (OUTLET.replace('language = "id"\n', ""), r"outlet 'Kabar Nusa': language: missing"),
    (OUTLET.replace('country = "ID"', 'country = "IDN"'), r"outlet 'Kabar Nusa': country: 'IDN' is not"),
    (OUTLET.replace('country = "ID"', 'country = "XX"'), r"outlet 'Kabar Nusa': country: 'XX' is not"),
    (OUTLET + 'schedule = "hourly"\n', r"outlet 'Kabar Nusa': schedule: 'hourly': needs 5 fields"),
    (OUTLET + 'schedule = "0 * * * * *"\n', r"schedule: '0 \* \* \* \* \*': needs 5 fields .*got 6"),
    (OUTLET + 'schedule = "60 * * * *"\n', r"schedule: '60 \* \* \* \*': minute '60' is outside 0-59"),
    (OUTLET + 'schedule = "0 24 * * *"\n', r"schedule: .*hour '24' is outside 0-23"),
    (OUTLET + 'schedule = "0 0 0 * *"\n', r"schedule: .*day of month '0' is outside 1-31"),
    (OUTLET + 'schedule = "0 0 * foo *"\n', r"schedule: .*month 'foo' is outside 1-12"),
    (OUTLET + 'schedule = "0 0 * * 8"\n', r"schedule: .*day of week '8' is outside 0-7"),
    (OUTLET + 'schedule = "*/0 * * * *"\n', r"schedule: .*minute '\*/0' is not valid"),
    (OUTLET + 'schedule = "0 * * * ?"\n', r"schedule: .*day of week '\?' is not valid"),
    (OUTLET + "delay_seconds = -2\n", r"outlet 'Kabar Nusa': delay_seconds: must be a number of at least 0"),
    (OUTLET + "max_articles = 0\n", r"outlet 'Kabar Nusa': max_articles: must be an integer of at least 1"),
    (OUTLET + "max_articles = true\n", r"outlet 'Kabar Nusa': max_articles: must be an integer"),
    # outlets together
    (OUTLET + OUTLET, r"outlet 'Kabar Nusa': name: same key 'kabar_nusa' as outlet 'Kabar Nusa'"),
    (OUTLET + OUTLET.replace('"Kabar Nusa"', '"kabar-nusa"'), r"outlet 'kabar-nusa': name: same key 'kabar_nusa'"),
])
def test_errors_name_file_outlet_and_field(tmp_path, text, message):
    path = write(tmp_path, text)
    with pytest.raises(SourcesFileError) as caught:
        load_outlets(path)
    assert str(caught.value).startswith(f"{path}: ")
    assert "\n" not in str(caught.value)
    assert re.search(message, str(caught.value)), str(caught.value)


def test_missing_file(tmp_path):
    with pytest.raises(SourcesFileError, match=r"sources\.toml: no such sources file"):
        load_outlets(tmp_path / "sources.toml")


def test_a_folder_is_not_a_sources_file(tmp_path):
    with pytest.raises(SourcesFileError, match="cannot read the sources file"):
        load_outlets(tmp_path)


def test_not_utf8(tmp_path):
    path = tmp_path / "sources.toml"
    path.write_bytes(OUTLET.replace("Kabar Nusa", "Kabar Nüsa").encode("latin-1"))
    with pytest.raises(SourcesFileError, match="not UTF-8 text"):
        load_outlets(path)
