"""Names on title-case lines: kept only where the article supports them outside such lines.

A headline capitalises every word ("Pemerintah Bidik Pasar Eropa", "Menteri Minta Pengusaha Tahan
Harga"), so there a run of capitals proves nothing and a title word before it ("Menteri") is no
evidence either: both the model and the title rule read such runs as organisations and people. A
mention on a headline stays when the article writes the same surface on an ordinary line; else it
goes when a word of it is common: one the article also writes in lower case ("pemerintah") or a word
of ``common_words.json`` (function words, the common nouns and verbs of headlines). Of the rest, a
person whose first word is a given name stays ("Portam Civitatis by Peter Snijder"), and a name
stays when the article capitalises each of its words again somewhere ("… at Virginia Beach,
Virginia Beach, VA" in a list of dates). Gazetteer names stand on their own evidence.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from functools import lru_cache

from transforms.entities.context import words
from transforms.entities.finder import EntityMention
from transforms.entities.tokens import Token
from transforms.lexicons import is_given_name, load

# A sentence ends in the gap between two words, a dash sets off a dateline, or a quote opens.
_SENTENCE_END = re.compile(r"[.!?:;]|\s[-–—]\s|[\"“„«「『]")
# The end of a line that a list or sentence goes on after.
_CONTINUED = re.compile(r"[^\w\n]*?[;,][^\w\n]*(?:\n|$)")


@lru_cache(maxsize=1)
def _common() -> frozenset[str]:
    """Casefolded words that a headline capitalises but that name nothing on their own."""
    return words().stop | frozenset(load("common_words")["headline_common"])


def headline_tokens(text: str, tokens: Sequence[Token]) -> set[int]:
    """Indices of the tokens on title-case lines: lines where a word inside a sentence is weak."""
    result: set[int] = set()
    line: list[int] = []
    is_headline = False
    for position, token in enumerate(tokens):
        if token.line_start:
            if is_headline:
                result.update(line)
            line, is_headline = [], False
        elif token.weak and not _SENTENCE_END.search(text, tokens[position - 1].end, token.start):
            is_headline = True
        line.append(position)
    if is_headline:
        result.update(line)
    return result


def _continued(text: str, tokens: Sequence[Token], headline: set[int]) -> set[int]:
    """The headline tokens of lines ending in a semicolon or comma: a list or sentence goes on after
    them ("PLTU Paiton di Probolinggo, Jawa Timur;"), so they are no headline."""
    continued: set[int] = set()
    line: list[int] = []
    for index in sorted(headline):
        line.append(index)
        following = tokens[index + 1].start if index + 1 < len(tokens) else len(text)
        gap = text[tokens[index].end:following]
        if "\n" in gap or index + 1 == len(tokens):
            if _CONTINUED.match(gap):
                continued.update(line)
            line = []
    return continued


def headline_support(text: str, tokens: Sequence[Token], headline: set[int]) -> Callable[[EntityMention], bool]:
    """A test of mentions: False only for a mention that lies on a title-case line and that the
    article does not support elsewhere (module notes); ``headline`` is ``headline_tokens(text, tokens)``,
    which the caller has already needed for the model's spans."""
    headline = headline - _continued(text, tokens, headline)
    if not headline:
        return lambda mention: True
    starts = {token.start: index for index, token in enumerate(tokens)}
    lower = {token.fold for token in tokens if token.text.islower()}
    capitalised = Counter(token.text for token in tokens if token.is_capitalised)
    common = _common()

    def elsewhere(surface: str) -> bool:
        """``surface`` as whole words at a token off the title-case lines."""
        position = text.find(surface)
        while position >= 0:
            after = position + len(surface)
            if position in starts and starts[position] not in headline and not text[after:after + 1].isalnum():
                return True
            position = text.find(surface, position + 1)
        return False

    def supported(mention: EntityMention) -> bool:
        first = starts.get(mention.start_offset)
        if first not in headline or elsewhere(mention.surface):
            return True
        index, parts = first, []
        while index < len(tokens) and tokens[index].start < mention.end_offset:
            parts.append(tokens[index])
            index += 1
        if any(part.fold in lower or part.fold in common for part in parts):
            return False
        if mention.type == "PERSON" and is_given_name(parts[0].text):
            return True
        within = Counter(part.text for part in parts)
        return all(capitalised[part.text] > within[part.text] for part in parts)

    return supported
