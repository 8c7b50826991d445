"""Small news pages written by the tests (the golden sample corpus lives in ``samples/``)."""
from __future__ import annotations

import json
from pathlib import Path

_ID_BODY = [
    "Pemerintah Kota Surabaya memperpanjang status siaga banjir hingga akhir pekan setelah hujan deras "
    "mengguyur kota itu selama tiga hari berturut-turut.",
    '"Kami meminta warga di bantaran sungai tetap waspada dan mengikuti arahan petugas," kata Wali Kota '
    "Surabaya Ahmad Fauzi di Balai Kota, Senin.",
    "Menurut data Badan Penanggulangan Bencana Daerah, lebih dari 1.200 rumah di lima kecamatan terendam "
    "air setinggi setengah meter. Mengutip Antara, sebagian warga telah kembali ke rumah masing-masing.",
    '"Posko pengungsian masih dibuka dan bantuan logistik terus kami salurkan," ujarnya.',
]
_EN_BODY = [
    "Dock workers at the Port of Melbourne walked off the job on Monday, halting container traffic at "
    "Australia's busiest port for the first time in a decade.",
    '"We have been negotiating for eleven months and the company has not moved an inch," said union '
    "organiser Sarah Whitfield outside the terminal gates.",
    "The port operator said in a statement that contingency plans were in place, according to Reuters. "
    "Shipping lines warned that delays could ripple through supply chains before the holiday season.",
    '"Every day of this strike costs exporters millions of dollars," Whitfield said.',
]


def news_page(*, title: str, body: list[str], url: str | None, published: str | None, language: str = "id",
              site: str = "KabarNusa") -> str:
    """A page with JSON-LD metadata (when a URL or date is given) and a little site chrome."""
    meta = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": title,
            "publisher": {"@type": "Organization", "name": site}}
    if published:
        meta["datePublished"] = published
    if url:
        meta["url"] = url
    paragraphs = "".join(f"<p>{p}</p>" for p in body)
    return (f"<!doctype html><html lang='{language}'><head><meta charset='utf-8'><title>{title} | {site}</title>"
            f"<meta property='og:site_name' content='{site}'>"
            f"<script type='application/ld+json'>{json.dumps(meta)}</script></head><body>"
            f"<nav><a href='/'>Beranda</a> <a href='/nasional'>Nasional</a></nav>"
            f"<article><h1>{title}</h1>{paragraphs}<p>Baca Juga: Harga Beras Naik</p></article>"
            f"<footer>Copyright © 2025 {site}</footer></body></html>")


def indonesian_page(url="https://kabarnusa.co.id/surabaya/banjir", published="2025-01-13T10:30:00+07:00") -> str:
    return news_page(title="Surabaya Perpanjang Status Siaga Banjir", body=_ID_BODY, url=url, published=published)


def english_page(url="https://harbourtimes.com.au/port-strike", published="2025-01-13T09:00:00+11:00") -> str:
    return news_page(title="Port strike halts Melbourne container traffic", body=_EN_BODY, url=url,
                     published=published, language="en", site="Harbour Times")


def write_inputs(folder: Path, **pages: str | bytes) -> Path:
    """Write ``name=content`` pairs as files in ``folder``; returns the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in pages.items():
        path = folder / name.replace("__", ".")
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return folder
