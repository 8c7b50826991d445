"""Author names as the page writes them, without the byline's furniture.

Bylines and author meta tags carry more than names: widget labels ("See full bio", "Username"),
reading times ("Lesedauer 3 Min."), placeholders ("No Author", "admin"), a month from the date beside
the name ("GILLIAN MOHNEY March"), a role after the name ("AP Sports Writer"), a dateline place
("Associated Press in Valencia", "WASHINGTON —"), navigation ("Home › News"), and the publisher
itself ("heise online", "STERN.de": 10 of the 20 Fundus authors sharing no word with the gold were
the outlet). Names keep the case the page gives them: title-casing breaks "ASCII", "McDonald" and
"van der Berg". Staff and agency bylines ("HNN Staff", "Associated Press") stay: the Fundus gold keeps
them as authors ("Guardian staff reporter", "Reuters", "Anadolu Ajansı").
"""
from __future__ import annotations

import re
from collections.abc import Iterable

from transforms.dates import MONTHS

_JUNK_PHRASES = re.compile(
    r"\b(?:see|view|read|show|more|full|all)\s+(?:full\s+|more\s+|the\s+)?(?:bio|biography|profile|articles?|posts?|stories)\b"
    r"|\b(?:user\s?name|log\s?in|sign\s?in|sign\s?up|subscribe|newsletter|comments?|commented)\b"
    r"|^(?:follow|folgen|suivre|seguir|segui|volgen|ikuti|share|teilen|partager|compartir|bagikan)\b"
    r"|\b(?:lesedauer|lesezeit|leestijd|reading\s+time|min(?:ute)?s?\s+read|temps\s+de\s+lecture|tiempo\s+de\s+lectura"
    r"|tempo\s+de\s+leitura|tempo\s+di\s+lettura|waktu\s+baca|czas\s+czytania|время\s+чтения|okuma\s+süresi)\b"
    r"|^(?:no|unknown|anonymous|without)\s+author$|^(?:admin|administrator|webmaster|author|autor|auteur|editor|"
    r"redaktion|user|guest|n/?a|none|null|undefined|unknown|anonymous|anonym)$"
    r"|[»›]|\s>\s|\bskip\s+to\b|^(?:home|menu|main\s+menu|navigation|startseite|beranda|accueil|inicio|главная)$",
    re.I)
# A dateline written where the byline ends: "WASHINGTON —", "JAKARTA (Reuters) -".
_DATELINE_ALONE = re.compile(r"^[A-ZÀ-Þ][A-ZÀ-Þ .'’-]*(?:\s*\([A-Za-z]+\))?\s*[—–-]+$")
_WEB_ADDRESS = re.compile(r"https?://\S+|\(?\bwww\.\S+|\b\S+\.(?:com|net|org|de|co\.uk|co\.id|lt|fr|es|it|ru|info)\b\)?", re.I)
_ROLE_AFTER_NAME = re.compile(r"\b(?:writer|editor(?:-at-large)?|correspondent|columnist|contributor|producer)$", re.I)
_DATELINE = re.compile(r"\s+in\s+[A-ZÀ-Þ][\w-]+(?:\s+[A-ZÀ-Þ][\w-]+)?$")
_CREDIT_WORD = re.compile(r"^(?:analysis|text|texto|текст|words|reporting|story|quelle|source|fuente|fonte|sumber)"
                          r"\s*:?\s+(?:by\s+)?", re.I)
_PUBLISHED_WORD = re.compile(r"\s+(?:published|updated|posted)$", re.I)


def clean_authors(names: list[str], site_names: Iterable[str] = ()) -> list[str]:
    """The names that are people or bylined organisations other than the page's own outlet, in order."""
    outlets = {name_key(site) for site in site_names if site}
    kept = [name for name in (_clean(name) for name in names) if name]
    # The outlet beside a person is an extra; as the only credit it is the credit (the Fundus gold keeps
    # "ORF.at", "Salzburger Nachrichten"). A role ("AP Sports Writer") follows the name it describes.
    people = [name for name in kept if name_key(name) not in outlets and not _ROLE_AFTER_NAME.search(name)]
    return people or kept


def _clean(name: str) -> str | None:
    """``name`` without web addresses, credit words, a trailing month or dateline; None when junk."""
    if _DATELINE_ALONE.match(name.strip()):
        return None
    name = _WEB_ADDRESS.sub(" ", name)
    name = _CREDIT_WORD.sub("", " ".join(name.split()))
    name = _PUBLISHED_WORD.sub("", _DATELINE.sub("", name))
    name = _without_trailing_month(name.split()).strip(" ,;:-–—|")
    if not name or _JUNK_PHRASES.search(name) or not any(ch.isalpha() for ch in name):
        return None
    return name


def _without_trailing_month(words: list[str]) -> str:
    """The words without a month from the date written beside the name: the only word ("Dec"), an
    abbreviation ("Sept."), or a word in another case than an ALL-CAPS name ("GILLIAN MOHNEY March").
    "Theresa May" keeps her name."""
    while words and words[-1].lower().rstrip(".,") in MONTHS:
        last, rest = words[-1], words[:-1]
        if rest and not last.endswith(".") and not (all(w.isupper() for w in rest) and not last.isupper()):
            break
        words = rest
    return " ".join(words)


def name_key(text: str) -> str:
    """Casefolded letters and digits only: "STERN.de" and "stern de" compare equal."""
    return re.sub(r"\W+", "", _WEB_ADDRESS.sub(" ", text).casefold()) or re.sub(r"\W+", "", text.casefold())
