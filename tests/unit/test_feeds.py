import gzip
import time
from datetime import UTC, datetime

import pytest

from transforms.feeds import FeedEntry, FeedError, Sitemap, SitemapEntry, parse_feed, parse_sitemap

BASE = "https://kabarnusa.example/feed/"

RSS2 = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">
  <channel>
    <title>Kabar Nusa</title>
    <link>https://kabarnusa.example/</link>
    <atom:link href="https://kabarnusa.example/feed/" rel="self" type="application/rss+xml"/>
    <language>id</language>
    <item>
      <title>Banjir   Jakarta &amp; Bekasi</title>
      <link>https://kabarnusa.example/berita/banjir-jakarta?utm_source=rss</link>
      <pubDate>Tue, 14 Jan 2025 13:45:00 +0700</pubDate>
    </item>
    <item>
      <title><![CDATA[Ekspor nikel <naik>]]></title>
      <link>
        /ekonomi/ekspor-nikel
      </link>
      <pubDate>Tue, 14 Jan 2025 08:00:00 WIB</pubDate>
      <dc:language>en</dc:language>
    </item>
    <item>
      <title>Guid only</title>
      <guid>https://kabarnusa.example/berita/vaksin-dengue</guid>
      <dc:date>2025-01-13T23:10:00Z</dc:date>
    </item>
    <item>
      <title>Not a permalink</title>
      <guid isPermaLink="false">https://kabarnusa.example/?p=99</guid>
    </item>
    <item>
      <title>Junk date</title>
      <link>https://kabarnusa.example/berita/junk</link>
      <pubDate>kemarin sore</pubDate>
    </item>
    <item>
      <title>Local file</title>
      <link>file:///etc/passwd</link>
    </item>
  </channel>
</rss>
"""

RDF = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
         xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://harbourtimes.example/">
    <title>Harbour Times</title>
    <link>https://harbourtimes.example/</link>
    <dc:language>en-AU</dc:language>
  </channel>
  <item rdf:about="https://harbourtimes.example/port-strike">
    <title>Port strike enters second week</title>
    <link>https://harbourtimes.example/port-strike</link>
    <dc:date>2025-02-03T09:30:00+11:00</dc:date>
  </item>
  <item rdf:about="https://harbourtimes.example/ferry-fire">
    <title>Ferry fire</title>
    <link>news/ferry-fire</link>
  </item>
</rdf:RDF>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en" xml:base="https://northgatepost.example/">
  <title>Northgate Post</title>
  <link rel="self" href="https://northgatepost.example/atom.xml"/>
  <updated>2025-03-01T10:00:00Z</updated>
  <entry>
    <title type="html">Council budget &amp;amp; the &lt;em&gt;bridge&lt;/em&gt;</title>
    <link rel="edit" href="https://northgatepost.example/api/1"/>
    <link rel="alternate" type="text/html" href="/council-budget"/>
    <updated>2025-03-01T10:00:00Z</updated>
    <published>2025-02-28T18:00:00-05:00</published>
  </entry>
  <entry xml:lang="fr" xml:base="https://northgatepost.example/fr/">
    <title>Pont fermé</title>
    <link href="fermeture-du-pont"/>
    <updated>2025-03-02T08:00:00+01:00</updated>
  </entry>
  <entry>
    <title>No link at all</title>
    <updated>2025-03-02T08:00:00Z</updated>
  </entry>
</feed>
""".encode()

SITEMAP_INDEX = b"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>https://kabarnusa.example/sitemap-news.xml</loc><lastmod>2025-01-14T14:00:00+07:00</lastmod></sitemap>
  <sitemap><loc> /sitemap-2025-01.xml.gz </loc></sitemap>
  <sitemap><loc></loc></sitemap>
</sitemapindex>
"""

URLSET = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc>https://kabarnusa.example/berita/banjir-jakarta</loc><lastmod>2025-01-14</lastmod></url>
  <url><loc>https://kabarnusa.example/berita/ekspor-nikel</loc></url>
</urlset>
"""

NEWS_SITEMAP = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
  <url>
    <loc>https://kabarnusa.example/berita/banjir-jakarta</loc>
    <lastmod>2025-01-14T15:00:00+07:00</lastmod>
    <news:news>
      <news:publication><news:name>Kabar Nusa</news:name><news:language>id</news:language></news:publication>
      <news:publication_date>2025-01-14T13:45:00+07:00</news:publication_date>
      <news:title>Banjir Jakarta</news:title>
    </news:news>
  </url>
</urlset>
"""


def utc(*parts):
    return datetime(*parts, tzinfo=UTC)


def test_rss2():
    assert parse_feed(RSS2, BASE) == [
        FeedEntry("https://kabarnusa.example/berita/banjir-jakarta?utm_source=rss", "Banjir Jakarta & Bekasi",
                  utc(2025, 1, 14, 6, 45), "id"),
        FeedEntry("https://kabarnusa.example/ekonomi/ekspor-nikel", "Ekspor nikel <naik>", utc(2025, 1, 14, 1, 0), "en"),
        FeedEntry("https://kabarnusa.example/berita/vaksin-dengue", "Guid only", utc(2025, 1, 13, 23, 10), "id"),
        FeedEntry("https://kabarnusa.example/berita/junk", "Junk date", None, "id"),
        FeedEntry("file:///etc/passwd", "Local file", None, "id"),
    ]


def test_rss1_rdf():
    assert parse_feed(RDF, "https://harbourtimes.example/index.rdf") == [
        FeedEntry("https://harbourtimes.example/port-strike", "Port strike enters second week",
                  utc(2025, 2, 2, 22, 30), "en-AU"),
        FeedEntry("https://harbourtimes.example/news/ferry-fire", "Ferry fire", None, "en-AU"),
    ]


def test_atom():
    assert parse_feed(ATOM, "https://northgatepost.example/atom.xml") == [
        FeedEntry("https://northgatepost.example/council-budget", "Council budget & the bridge",
                  utc(2025, 2, 28, 23, 0), "en"),
        FeedEntry("https://northgatepost.example/fr/fermeture-du-pont", "Pont fermé", utc(2025, 3, 2, 7, 0), "fr"),
    ]


@pytest.mark.parametrize("date, expected", [
    ("Tue, 14 Jan 2025 13:45:00 GMT", utc(2025, 1, 14, 13, 45)),
    ("Tue, 14 Jan 2025 13:45:00 WITA", utc(2025, 1, 14, 5, 45)),
    ("Tue, 14 Jan 2025 13:45:00 EST", utc(2025, 1, 14, 18, 45)),
    ("Selasa, 14 Jan 2025 13:45:00 +0700", utc(2025, 1, 14, 6, 45)),
    ("14 Jan 2025 13:45 -0000", utc(2025, 1, 14, 13, 45)),
    ("Tue, 14 Jan 2025 13:45:00", utc(2025, 1, 14)),          # no zone: the date only
    ("Tue, 14 Jan 2025 13:45:00 XYZ", utc(2025, 1, 14)),      # unknown zone: the date only
    ("2025-01-14T13:45:00.250+07:00", utc(2025, 1, 14, 6, 45)),
    ("Thu, 01 Jan 1970 00:00:00 +0000", None),                 # placeholder
    ("Tue, 32 Jan 2025 13:45:00 +0700", None),
    ("", None),
])
def test_rss_dates(date, expected):
    feed = f"<rss><channel><item><link>/a</link><pubDate>{date}</pubDate></item></channel></rss>".encode()
    assert parse_feed(feed, BASE)[0].published_at == expected


def test_sitemap_index():
    assert parse_sitemap(SITEMAP_INDEX, "https://kabarnusa.example/sitemap.xml") == Sitemap("index", [
        SitemapEntry("https://kabarnusa.example/sitemap-news.xml", lastmod=utc(2025, 1, 14, 7, 0)),
        SitemapEntry("https://kabarnusa.example/sitemap-2025-01.xml.gz"),
    ])


def test_urlset():
    assert parse_sitemap(URLSET, "https://kabarnusa.example/sitemap.xml") == Sitemap("urlset", [
        SitemapEntry("https://kabarnusa.example/berita/banjir-jakarta", lastmod=utc(2025, 1, 14)),
        SitemapEntry("https://kabarnusa.example/berita/ekspor-nikel"),
    ])


def test_news_sitemap():
    assert parse_sitemap(NEWS_SITEMAP, "https://kabarnusa.example/sitemap-news.xml") == Sitemap("urlset", [
        SitemapEntry("https://kabarnusa.example/berita/banjir-jakarta", published_at=utc(2025, 1, 14, 6, 45),
                     title="Banjir Jakarta", language="id", lastmod=utc(2025, 1, 14, 8, 0)),
    ])


def test_sitemap_without_namespace():
    data = b"<urlset><url><loc>https://kabarnusa.example/a</loc></url></urlset>"
    assert parse_sitemap(data, BASE).entries == [SitemapEntry("https://kabarnusa.example/a")]


def test_gzip_sitemap():
    assert parse_sitemap(gzip.compress(URLSET), BASE) == parse_sitemap(URLSET, BASE)


def test_gzip_feed():
    assert parse_feed(gzip.compress(RSS2), BASE) == parse_feed(RSS2, BASE)


def test_gzip_over_the_cap_is_refused():
    bomb = gzip.compress(URLSET.replace(b"</urlset>", b" " * 200_000 + b"</urlset>"))
    with pytest.raises(FeedError, match="more than 100000 bytes"):
        parse_sitemap(bomb, BASE, max_decompressed_bytes=100_000)


@pytest.mark.parametrize("data, message", [
    (gzip.compress(URLSET)[:-20], "truncated gzip"),
    (b"\x1f\x8b" + b"\x00" * 30, "corrupt gzip"),
])
def test_broken_gzip(data, message):
    with pytest.raises(FeedError, match=message):
        parse_sitemap(data, BASE)


@pytest.mark.parametrize("data, message", [
    (b"", "empty document"),
    (b"  \n ", "empty document"),
    (b"<rss><channel><item><title>Banjir</title></channel></rss>", "not well-formed XML"),
    (b"\x00\xff garbage", "not well-formed XML"),
    (b"<!DOCTYPE html>\n<html><head><title>Kabar</title></head><body><p>Hi<br></body></html>", "HTML page"),
    (b"<html><body><p>Hi</p></body></html>", "HTML page"),
    (b'<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><body/></html>', "HTML page"),
    (b"<urlset><url><loc>https://kabarnusa.example/a</loc></url></urlset>", "not an RSS or Atom feed: .*<urlset>"),
])
def test_feed_errors(data, message):
    with pytest.raises(FeedError, match=message):
        parse_feed(data, BASE)


def test_feed_given_as_sitemap():
    with pytest.raises(FeedError, match="not a sitemap: .*<rss>"):
        parse_sitemap(RSS2, BASE)


def test_blank_lines_before_the_xml_declaration_are_tolerated():
    assert len(parse_feed(b"\n\n  " + RSS2, BASE)) == 5


def test_external_entity_is_not_resolved():
    data = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<rss><channel><item><title>Leak: &xxe;</title><link>https://kabarnusa.example/a/&xxe;</link></item></channel></rss>"""
    assert parse_feed(data, BASE) == [FeedEntry("https://kabarnusa.example/a/", "Leak:", None, None)]


def test_billion_laughs_is_refused_quickly():
    entities = b'<!ENTITY lol0 "lol">' + b"".join(
        b'<!ENTITY lol%d "%s">' % (level, b"&lol%d;" % (level - 1) * 10) for level in range(1, 10))
    data = b'<?xml version="1.0"?><!DOCTYPE rss [' + entities + b"]><rss><channel><item><title>&lol9;</title>" \
           b"<link>https://kabarnusa.example/a</link></item></channel></rss>"
    started = time.monotonic()
    try:
        entries = parse_feed(data, BASE)
    except FeedError:
        entries = None
    assert time.monotonic() - started < 2
    assert entries is None or all(len(entry.title or "") < 1000 for entry in entries)
