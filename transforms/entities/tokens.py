"""Word tokens with the two facts the capitalisation rules need.

``weak``: the token is capitalised by position (start of a sentence, line, quote or headline), so
its capital proves nothing. ``joined``: only spaces separate it from the previous token, so both
can belong to one name; a name never spans punctuation or a line break.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

# Initialisms ("U.S.") first, then words with inner hyphens/apostrophes ("Kassym-Jomart", "d’Ivoire").
_TOKEN = re.compile(r"(?:[^\W\d_]\.){2,}|\w+(?:[-'’]\w+)*")
# French and Italian elided articles are not part of a name: "l'Ukraine" -> "Ukraine"; nor is an
# elided "de" ("près d'Annecy"), except after a capitalised word ("Côte d'Ivoire", "Banca d'Italia").
_ELISION = re.compile(r"(?:[lL]|[qQ]u|[dD]ell|[aA]ll|[nN]ell|[sS]ull|[jJ]usqu|[lL]orsqu|[pP]uisqu)['’](?=[^\W\d_])")
_ELIDED_DE = re.compile(r"[dD]['’](?=[^\W\d_])")
# "Singapore-based", "Jakarta-born": these endings make an adjective of the name before them; they are
# cut off and are no part of the name that follows. Other lower-case endings stay ("Kim Jong-un").
_DERIVED_ENDING = re.compile(r"-(?:based|born|bred|led|owned|backed|made|listed|run|registered|headquartered|"
                             r"funded|linked|affiliated|controlled|focused|centric|style|like|era|area)$")
# "d’Ivoire", "al-Assad": a lower-case particle glued to a capitalised name.
_PARTICLE = re.compile(r"[a-z]{1,3}['’-](?=\w)")
# A sentence or line ends in the gap, a dash sets off a dateline ("WowKeren - …"), or a quote opens.
_SENTENCE_GAP = re.compile(r"[.!?\n]|\s[-–—]\s|[\"“„«「『]$")
# Abbreviations whose period does not end a sentence ("Dr. Smith", "Jl. Sudirman").
ABBREVIATIONS = frozenset({"Dr", "Mr", "Mrs", "Ms", "Prof", "St", "Jr", "Sr", "Gen", "Sen", "Rep", "Gov", "Lt", "Col",
                           "Capt", "Sgt", "Jl", "Hj", "Ir", "Drs", "Mme", "Rev", "Sra", "No", "Vol"})
_HEADLINE_MIN_WORDS = 4
_HEADLINE_CAPITALISED_SHARE = 0.8
# Lower-case words allowed inside a name; conjunctions among them are split off again unless the
# name is an organisation ("Center for Strategic and International Studies") or a known place.
CONNECTORS = frozenset({"of", "for", "and", "the", "de", "del", "della", "da", "do", "dos", "das", "du", "des", "van",
                        "von", "der", "den", "bin", "binti", "la", "le", "el", "y", "e", "et", "und", "dan"})
CONJUNCTIONS = frozenset({"and", "dan", "und", "et", "y", "e", "en"})


class Token(NamedTuple):
    """A tuple, not a frozen dataclass, and capitalisation decided once: building the tokens of an
    article was a fifth of the entity stage's own time on the bench's English pages (a frozen
    dataclass sets each field through ``object.__setattr__``), and the rules ask every token whether
    it is capitalised, many of them several times."""
    start: int
    end: int
    text: str
    weak: bool
    joined: bool
    is_capitalised: bool   # "Jakarta", and "d’Ivoire", "al-Assad" (a particle before the capital)
    line_start: bool       # a line break before it, or the text's first token

    @property
    def fold(self) -> str:
        return self.text.casefold()

    @property
    def is_acronym(self) -> bool:
        """All capitals, two letters or more: "CSTO", "U.S.", "G20"."""
        return len(self.text) >= 2 and self.text.isupper()


def _capitalised(word: str) -> bool:
    if word[0].isupper():
        return True
    if "-" not in word and "'" not in word and "’" not in word:   # no particle: most words
        return False
    particle = _PARTICLE.match(word)
    return particle is not None and word[particle.end()].isupper()


def tokenise(text: str) -> list[Token]:
    """Tokens of ``text`` in order, with possessive ``'s`` cut off ("Tokayev's" -> "Tokayev")."""
    tokens: list[Token] = []
    for match in _TOKEN.finditer(text):
        start, end, word = match.start(), match.end(), match.group()
        previous = tokens[-1] if tokens else None
        if "'" in word or "’" in word:   # most words have no apostrophe: skip the elision rules
            elided = _ELISION.match(word)
            if not elided:
                elided_de = _ELIDED_DE.match(word)
                elided = elided_de if elided_de and not _after_name(text, previous, start) else None
            if elided:
                start, word = start + elided.end(), word[elided.end():]
            if len(word) > 2 and word[-2] in "'’" and word[-1] == "s":
                end, word = end - 2, word[:-2]
        derived = _DERIVED_ENDING.search(word) if "-" in word and word[0].isupper() else None
        if derived:
            end, word = end - len(derived.group()), word[:derived.start()]
        gap = text[previous.end:start] if previous else "\n"
        if gap == " ":   # by far the most common gap: joined, and no sentence boundary
            tokens.append(Token(start, end, word, False, True, _capitalised(word), False))
            continue
        after_abbreviation = previous is not None and gap.startswith(".") and gap[1:].strip(" \t") == "" and (
            previous.text in ABBREVIATIONS or (len(previous.text) == 1 and previous.text.isupper()))
        joined = after_abbreviation or (gap != "" and gap.strip(" \t\u00a0") == "")
        weak = not after_abbreviation and bool(_SENTENCE_GAP.search(gap)) and not is_camel_case(word)
        tokens.append(Token(start, end, word, weak, joined, _capitalised(word), "\n" in gap))
    return _mark_headlines(text, tokens)


def _after_name(text: str, previous: Token | None, start: int) -> bool:
    """A capitalised word only spaces before ``start``: an elided "d'" there joins a name."""
    return previous is not None and previous.is_capitalised and text[previous.end:start].strip(" \t") == ""


def is_camel_case(word: str) -> bool:
    """"WowKeren", "YouTube": a capital right after a small letter shows a name (mostly a brand)
    wherever the word stands; "Kassym-Jomart" is not camel case."""
    return any(a.islower() and b.isupper() for a, b in zip(word, word[1:]))


def _mark_headlines(text: str, tokens: list[Token]) -> list[Token]:
    """Every token of a title-case line ("Kazakhstan Klaim Kerusuhan Akibat …", no final full stop)
    is weak."""
    result = list(tokens)
    for first, last in _lines(tokens):
        end = tokens[last - 1].end
        line_end = text[end:_line_end(text, end)].strip().rstrip("\"'”’»")
        if line_end[-1:] in (".", "!", "?") or not tokens[first].is_capitalised:
            continue   # tested before the words are gathered: most lines are sentences
        words = [t for t in tokens[first:last] if t.text[0].isalpha() and len(t.text) > 3]
        if len(words) < _HEADLINE_MIN_WORDS:
            continue
        if sum(t.is_capitalised for t in words) >= _HEADLINE_CAPITALISED_SHARE * len(words):
            result[first:last] = [t._replace(weak=True) for t in tokens[first:last]]
    return result


def _line_end(text: str, position: int) -> int:
    """Where the line holding ``position`` ends: a search, where slicing off the rest of the text
    made marking the headlines quadratic in the number of lines."""
    end = text.find("\n", position)
    return len(text) if end < 0 else end


def _lines(tokens: list[Token]) -> Iterator[tuple[int, int]]:
    """Token index ranges ``[first, last)`` of each line."""
    starts = [index for index, token in enumerate(tokens) if token.line_start and index]
    yield from zip([0, *starts], [*starts, len(tokens)]) if tokens else ()


def runs(tokens: list[Token]) -> Iterator[range]:
    """Index ranges of candidate names: joined capitalised tokens, with lower-case particles inside
    ("Bank of America", "Ursula von der Leyen") but never at either end."""
    index = 0
    while index < len(tokens):
        if not tokens[index].is_capitalised:
            index += 1
            continue
        end = run_end(tokens, index)
        yield range(index, end)
        index = end


def run_end(tokens: list[Token], index: int) -> int:
    """Where the run that starts at the capitalised token ``index`` ends."""
    end = last_capital = index + 1
    while end < len(tokens) and tokens[end].joined and (tokens[end].is_capitalised or tokens[end].text in CONNECTORS):
        end += 1
        if tokens[end - 1].is_capitalised:
            last_capital = end
    return last_capital
