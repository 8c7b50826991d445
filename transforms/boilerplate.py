"""Site chrome that survives extraction: share prompts, "follow us" lines, related-article lists.

Outlets put these inside the article container, so trafilatura keeps them. Two rules, both
conservative because a wrongly dropped sentence costs more than a kept share button:
a short line matching a chrome phrase is dropped wherever it stands; a related-articles heading in
the last part of the text ends the article there.
"""
from __future__ import annotations

import re

_MAX_CHROME_WORDS = 14

_CHROME_LINE = re.compile(
    r"^\W*(?:"
    r"(?:follow|ikuti)\b.{0,60}\b(?:google news|twitter|instagram|facebook|whatsapp|telegram|channel|kanal)\b.*"
    r"|(?:follow|ikuti) (?:us|kami)\b.*"
    r"|support (?:local |independent |our )?journalism\b.*|subscribe (?:now|today)\b.*"
    r"|(?:editor|penyunting|redaktur|pewarta)\s*:.*"
    r"|(?:you can |please )?share (?:this|the) (?:post|article|story)"
    r"|bagikan(?: artikel| berita)?(?: ini)?\s*:?"
    r"|baca juga\s*:?.*|lihat juga\s*:?.*|simak juga\s*:?.*|baca selengkapnya.*"
    r"|(?:read|see) (?:also|more)\s*:.*|related\s*:.*"
    r"|advertisement|iklan|scroll to continue.*|scroll untuk melanjutkan.*|sponsored"
    r"|(?:sign up|subscribe) (?:for|to) (?:our|the) newsletter.*|berlangganan newsletter.*"
    r"|we use cookies.*|this (?:site|website) uses cookies.*|kami menggunakan cookie.*"
    r"|copyright\s*(?:©|\(c\)|\d{4}).*|©.*|hak cipta.*"
    r"|download (?:the )?app.*|unduh aplikasi.*"
    r"|(?:teilen|partager|compartir|compartilhar)(?: (?:sie|ce|este|esta))?(?: artikel| article| artículo| artigo)?\s*:?"
    r"|(?:lesen sie auch|auch interessant|mehr zum thema|à lire aussi|lire aussi|lea también|te puede interesar"
    r"|leia também|veja também|lees ook|leggi anche)\s*:.*"
    r")\W*$",
    re.IGNORECASE,
)

_END_OF_ARTICLE = re.compile(
    r"^\W*(?:rekomendasi artikel|berita terkait|artikel terkait|berita lainnya|terpopuler|berita populer"
    r"|related (?:articles|stories|news|coverage|posts)|more (?:stories|from|news)\b.*|most (?:read|popular)"
    r"|you (?:may|might) also like|recommended(?: for you)?|verwandte artikel|mehr zum thema"
    r"|articles? (?:similaires|liés)|noticias relacionadas|notícias relacionadas|leia mais)\W*$",
    re.IGNORECASE,
)

_TAIL_SHARE = 0.6  # an end-of-article heading must sit in the last 40 % of the lines


def remove_boilerplate(text: str) -> str:
    """The text without chrome lines, cut at a trailing related-articles block."""
    lines = text.split("\n")
    kept: list[str] = []
    for index, line in enumerate(lines):
        if _is_short(line) and _END_OF_ARTICLE.match(line) and index >= len(lines) * _TAIL_SHARE:
            break
        if _is_short(line) and _CHROME_LINE.match(line):
            continue
        kept.append(line)
    return "\n".join(kept).strip()


def _is_short(line: str) -> bool:
    return len(line.split()) <= _MAX_CHROME_WORDS
