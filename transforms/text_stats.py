"""Language and length of an article's text."""
from __future__ import annotations

import re

import py3langid

from transforms.languages import language_subtag

# Han ideographs, kana and Thai-family scripts are written without spaces: each character is
# counted as a word, so a Japanese article is not "one word" long.
_UNSPACED_CHAR = r"[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"
_WORD = re.compile(rf"{_UNSPACED_CHAR}|(?:(?!{_UNSPACED_CHAR})\w)+")
_LANGUAGE_SAMPLE_CHARS = 800


def word_count(text: str | None) -> int:
    """Words in ``text``, script-aware."""
    return len(_WORD.findall(text or ""))


def detect_language(text: str | None) -> str | None:
    """The BCP 47 primary subtag of the text's language (py3langid, ``languages``), or None for text
    too short to tell or with no language ("zxx": a page of numbers)."""
    sample = (text or "")[:_LANGUAGE_SAMPLE_CHARS]
    if len(re.findall(r"\w", sample)) < 20:
        return None
    language, _probability = py3langid.classify(sample)
    return language_subtag(language)
