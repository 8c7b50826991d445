"""What the splitting rules consult and produce: the word lists of ``lexicons/``, one article's
tokens, and the candidates with the evidence for their type.

The lists are plain sets; the few questions that need more than set membership live here as methods
so every rule asks them the same way: is this word a title (German and Dutch compound titles
included), an organisation head (by position and hyphen part), a locative word in this language.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from transforms.entities.gazetteer import Entry, Gazetteer, gazetteer
from transforms.entities.tokens import Token
from transforms.lexicons import calendar_words, load

# Why a candidate has its type, strongest first; "" = no evidence (the finder applies defaults).
# "noun": a lower-case classifier beside the name ("Jolo island", "distributor Listrik Nusantara").
EVIDENCE_ORDER = ("gazetteer", "head", "pair", "title", "verb", "noun", "acronym", "place", "")
# A compound title is a word at least this much longer than its title ending ("Fraktionschef"), so a
# surname that merely is the ending ("Meister") stays a name.
_COMPOUND_MIN_PREFIX = 3


class Candidate(NamedTuple):
    """A tuple, not a frozen dataclass: the rules build and copy many per article, and a frozen
    dataclass sets each field through ``object.__setattr__`` (``dataclasses.replace`` also reads its
    fields anew on every copy)."""
    first: int            # token indices [first, stop)
    stop: int
    start: int            # character offsets
    end: int
    type: str | None
    evidence: str
    entry: Entry | None   # canonical name and country when known
    weak: bool            # every token capitalised only by position: needs support elsewhere
    # A paired name ("Long Name (ACRONYM)"): character spans of its two names, each stored as a mention.
    parts: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class Words:
    """The word lists of ``lexicons/`` the rules consult, as sets."""
    titles: frozenset[str]
    title_modifiers: frozenset[str]
    # Unions the rules ask about per mention, built once (a union per mention was 4% of the
    # Indonesian entity stage's own time).
    titles_and_modifiers: frozenset[str]
    role_words: frozenset[str]   # titles, their modifiers and organisation heads: the words of a role
    title_suffixes: dict[str, tuple[str, ...]]
    head_last_languages: frozenset[str]
    office_before_title: frozenset[str]
    org_heads: frozenset[str]
    org_last: frozenset[str]
    org_suffixes: dict[str, tuple[str, ...]]
    abbreviated: frozenset[str]
    adjectives_after_head: frozenset[str]
    loc_heads: frozenset[str]
    administrative: frozenset[str]
    works: frozenset[str]
    compass: frozenset[str]
    compass_prefixes: frozenset[str]
    locative: dict[str, frozenset[str]]
    articles: frozenset[str]
    loc_after: frozenset[str]
    org_after: frozenset[str]
    org_before: frozenset[str]
    stop: frozenset[str]
    not_entities: frozenset[str]
    stop_acronyms: frozenset[str]


@lru_cache(maxsize=1)
def words() -> Words:
    titles, heads, common = load("person_titles"), load("organisation_heads"), load("common_words")
    locative = {language: frozenset(listed) for language, listed in heads["locative"].items()}
    nouns = heads["classifier_nouns"]
    titles_and_modifiers = frozenset(titles["heads"]) | frozenset(titles["modifiers"])
    return Words(
        titles=frozenset(titles["heads"]), title_modifiers=frozenset(titles["modifiers"]),
        titles_and_modifiers=titles_and_modifiers, role_words=titles_and_modifiers | frozenset(heads["org"]),
        title_suffixes={language: tuple(endings) for language, endings in titles["compound_suffixes"].items()},
        head_last_languages=frozenset(titles["compound_suffixes"]),
        office_before_title=frozenset(titles["office_before_title"]),
        org_heads=frozenset(heads["org"]), org_last=frozenset(heads["org_last"]),
        org_suffixes={language: tuple(endings) for language, endings in heads["org_compound_suffixes"].items()},
        abbreviated=frozenset(heads["abbreviated"]), adjectives_after_head=frozenset(heads["adjectives_after_head"]),
        loc_heads=frozenset(heads["loc"]),
        administrative=frozenset(heads["administrative"]), works=frozenset(heads["works"]),
        compass=frozenset(heads["compass"]), compass_prefixes=frozenset(heads["compass_prefixes"]), locative=locative,
        articles=frozenset(heads["articles"]), loc_after=frozenset(nouns["loc_after"]),
        org_after=frozenset(nouns["org_after"]), org_before=frozenset(nouns["org_before"]),
        stop=frozenset(common["function"]) | frozenset(common["boilerplate"]) | frozenset(common["not_entities"])
        | calendar_words(),
        not_entities=frozenset(common["not_entities"]), stop_acronyms=frozenset(common["acronyms"]))


@dataclass(frozen=True)
class ArticleNames:
    """What the whole article shows about single words: ``places`` are named after a locative
    word or inside an administrative name ("di Mamuju", "Kabupaten Mamuju"); ``surnames`` name a
    person on their own ("kata Tahir")."""
    places: frozenset[str] = frozenset()
    surnames: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Context:
    """One article's text and tokens, and what the rules look up."""
    text: str
    tokens: list[Token]
    language: str | None
    lower_words: frozenset[str]   # words the article also writes in lower case: common nouns
    words: Words
    gazetteer: Gazetteer
    article: ArticleNames = field(default_factory=ArticleNames)
    # Gazetteer answers per (start, stop): the splitting rules ask the same question many times.
    matches: dict[tuple[int, int], tuple[int, Entry] | None] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def of(cls, text: str, tokens: list[Token], language: str | None) -> Context:
        lower = frozenset(t.text for t in tokens if t.text.islower())
        return cls(text, tokens, language, lower, words(), gazetteer())

    def match(self, start: int, stop: int) -> tuple[int, Entry] | None:
        key = (start, stop)
        if key not in self.matches:
            self.matches[key] = self.gazetteer.match(self.text, self.tokens, start, stop, self.language)
        return self.matches[key]

    def is_stop(self, token: Token) -> bool:
        """A capitalised word that names nothing: function, calendar and boilerplate words,
        non-organisation acronyms ("WIB", "UU") and amounts ("Rp3")."""
        if token.is_acronym:
            return token.text in self.words.stop_acronyms
        return token.fold in self.words.stop or any(char.isdigit() for char in token.text)

    def is_title(self, token: Token) -> bool:
        """A title word, or in German and Dutch a compound ending in one ("Gesundheitsdezernentin")."""
        if token.text in self.words.titles:
            return True
        endings = self.words.title_suffixes.get(self.language or "", ())
        if not endings:   # no compound titles in the language: most articles
            return False
        return token.text[:1].isupper() and any(
            len(token.text) >= len(ending) + _COMPOUND_MIN_PREFIX and token.fold.endswith(ending) for ending in endings)

    def is_org_head(self, index: int, start: int, stop: int) -> bool:
        """Whether token ``index`` makes the name ``tokens[start:stop]`` an organisation: a head word
        anywhere or as part of a hyphenated word ("Météo-France"), a last-word-only head after other
        words ("Coastline Logistics"), or a compound ending in Dutch ("Fietsersbond")."""
        text = self.tokens[index].text
        if text in self.words.org_heads or ("-" in text and self._hyphen_head(text)):
            return True
        if text in self.words.org_last:
            return index == stop - 1 and index > start
        endings = self.words.org_suffixes.get(self.language or "", ())
        if not endings or stop - start != 1:
            return False
        fold = self.tokens[index].fold
        return any(
            len(fold) >= len(ending) + _COMPOUND_MIN_PREFIX and fold.endswith(ending) for ending in endings)

    def _hyphen_head(self, text: str) -> bool:
        """A head word as the first or last part of a hyphenated word ("Météo-France",
        "Konrad-Adenauer-Stiftung"); only the last in languages whose compounds end in their head
        ("Post-Vac-Syndrom" is a syndrome)."""
        parts = text.split("-")
        ends = parts[-1:] if self.language in self.words.head_last_languages else (parts[0], parts[-1])
        return any(part in self.words.org_heads for part in ends)

    @property
    def locatives(self) -> frozenset[str]:
        """Prepositions after which an unknown name is a place, in the article's language (the
        list for any other language when it is unknown or has no list of its own)."""
        return self.words.locative.get(self.language or "*", self.words.locative["*"])

    def candidate(self, first: int, stop: int, type_: str | None, evidence: str,
                  entry: Entry | None = None) -> Candidate:
        tokens = self.tokens[first:stop]
        return Candidate(first, stop, tokens[0].start, tokens[-1].end, type_, evidence, entry,
                         all(t.weak for t in tokens))
