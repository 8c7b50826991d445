"""Splitting a run of capitalised tokens into entity candidates.

"Presiden Kazakhstan Kassym-Jomart Tokayev" holds a title (dropped, but it makes what follows a
PERSON), a country (gazetteer) and a name. The rules, in order: drop function words a sentence
starts with ("Namun", "Mengutip"); strip a title prefix; an organisation head word makes the rest
one ORG ("Kementerian Luar Negeri Kazakhstan"), a place head word one LOC ("Jalan Sudirman");
otherwise split at gazetteer names, acronyms and stop words and keep the name pieces between.
Each candidate records the evidence for its type so the finder can settle one type per name.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache

from transforms.entities.gazetteer import Entry, Gazetteer, gazetteer
from transforms.entities.tokens import CONJUNCTIONS, CONNECTORS, Token
from transforms.lexicons import calendar_words, load, speech_verbs

# Why a candidate has its type, strongest first; "" = no evidence (the finder applies defaults).
EVIDENCE_ORDER = ("gazetteer", "head", "pair", "title", "verb", "acronym", "place", "")


@dataclass(frozen=True, slots=True)
class Candidate:
    first: int            # token indices [first, stop)
    stop: int
    start: int            # character offsets
    end: int
    type: str | None
    evidence: str
    entry: Entry | None   # canonical name and country when known
    weak: bool            # every token capitalised only by position: needs support elsewhere


@dataclass(frozen=True)
class Words:
    """The word lists of ``lexicons/`` the rules consult, as sets."""
    titles: frozenset[str]
    title_modifiers: frozenset[str]
    org_heads: frozenset[str]
    loc_heads: frozenset[str]
    compass: frozenset[str]
    locative: frozenset[str]
    stop: frozenset[str]
    not_entities: frozenset[str]
    stop_acronyms: frozenset[str]


@lru_cache(maxsize=1)
def words() -> Words:
    titles, heads, common = load("person_titles"), load("organisation_heads"), load("common_words")
    return Words(
        titles=frozenset(titles["heads"]), title_modifiers=frozenset(titles["modifiers"]),
        org_heads=frozenset(heads["org"]), loc_heads=frozenset(heads["loc"]), compass=frozenset(heads["compass"]),
        locative=frozenset(heads["locative"]),
        stop=frozenset(common["function"]) | frozenset(common["boilerplate"]) | frozenset(common["not_entities"])
        | calendar_words(),
        not_entities=frozenset(common["not_entities"]), stop_acronyms=frozenset(common["acronyms"]))


@dataclass(frozen=True)
class Context:
    """One article's text and tokens, and what the rules look up."""
    text: str
    tokens: list[Token]
    language: str | None
    lower_words: frozenset[str]   # words the article also writes in lower case: common nouns
    words: Words
    gazetteer: Gazetteer

    @classmethod
    def of(cls, text: str, tokens: list[Token], language: str | None) -> Context:
        lower = frozenset(t.text for t in tokens if t.text.islower())
        return cls(text, tokens, language, lower, words(), gazetteer())

    def match(self, start: int, stop: int) -> tuple[int, Entry] | None:
        return self.gazetteer.match(self.text, self.tokens, start, stop, self.language)

    def is_stop(self, token: Token) -> bool:
        """A capitalised word that names nothing: function, calendar and boilerplate words,
        non-organisation acronyms ("WIB", "UU") and amounts ("Rp3")."""
        if token.is_acronym:
            return token.text in self.words.stop_acronyms
        return token.fold in self.words.stop or any(char.isdigit() for char in token.text)

    def candidate(self, first: int, stop: int, type_: str | None, evidence: str,
                  entry: Entry | None = None) -> Candidate:
        tokens = self.tokens[first:stop]
        return Candidate(first, stop, tokens[0].start, tokens[-1].end, type_, evidence, entry,
                         all(t.weak for t in tokens))


def split_run(ctx: Context, run: range) -> list[Candidate]:
    """Candidates in the run of token indices ``run``, in text order. A conjunction joins two names
    ("Harvard University and the Reuters Institute", "Kementerian Keuangan dan Bank Indonesia")
    except inside a known name ("Bosnia and Herzegovina") and inside an organisation that opens
    with its head word, when no new head, title or known name follows ("Badan Riset dan Inovasi
    Nasional", "Center for Strategic and International Studies")."""
    whole = ctx.match(run.start, run.stop)
    if whole and whole[0] == run.stop:
        return _split_part(ctx, run.start, run.stop)
    bounds = [run.start]
    for k in run:
        if ctx.tokens[k].text in CONJUNCTIONS and not (
                _opens_with_head(ctx, bounds[-1], k) and not _opens_a_name(ctx, k + 1, run.stop)):
            bounds.append(k)
    bounds.append(run.stop)
    return [c for start, stop in zip(bounds, bounds[1:]) for c in _split_part(ctx, start, stop)]


def _opens_with_head(ctx: Context, start: int, stop: int) -> bool:
    first = _first_capitalised(ctx, start, stop)
    return first < stop and ctx.tokens[first].text in ctx.words.org_heads


def _opens_a_name(ctx: Context, start: int, stop: int) -> bool:
    first = _first_capitalised(ctx, start, stop)
    return first < stop and (ctx.tokens[first].text in ctx.words.org_heads or ctx.tokens[first].text in ctx.words.titles
                             or ctx.match(first, stop) is not None)


def _first_capitalised(ctx: Context, start: int, stop: int) -> int:
    return next((k for k in range(start, stop) if ctx.tokens[k].is_capitalised), stop)


def _split_part(ctx: Context, start: int, stop: int) -> list[Candidate]:
    """Candidates of one name-like part of a run (see the module notes for the order of the rules)."""
    start = _skip_leading(ctx, start, stop)
    if start >= stop:
        return []
    titled_end, found = _title_prefix(ctx, start, stop)
    person = titled_end is not None or _after_lower_case_title(ctx, start)
    if titled_end is not None:
        start = _skip_leading(ctx, titled_end, stop)
    if start >= stop:
        return found
    whole = ctx.match(start, stop)
    heads = [k for k in range(start, stop) if ctx.tokens[k].text in ctx.words.org_heads]
    if whole and whole[0] == stop:
        found.append(ctx.candidate(start, stop, whole[1].type, "gazetteer", whole[1]))
    elif heads:
        found += _organisation(ctx, start, stop, heads[0])
    elif any(ctx.tokens[k].text in ctx.words.loc_heads for k in range(start, stop)):
        found.append(_place(ctx, start, stop))
    else:
        found += _pieces(ctx, start, stop, person)
    return [_with_neighbour_evidence(ctx, c) if not c.evidence else c for c in found]


def _skip_leading(ctx: Context, index: int, stop: int) -> int:
    """Past function words, calendar words and sentence-initial common nouns ("Demonstrasi" when the
    article also writes "demonstrasi"); a known name survives unless it is itself a function word
    at a sentence start ("Antara lain" is "among others", not the agency)."""
    while index < stop:
        token = ctx.tokens[index]
        if token.text in ctx.words.titles:
            break
        known = ctx.match(index, stop)
        single_known = known is not None and known[0] == index + 1
        if not token.is_capitalised or (ctx.is_stop(token) and (not known or (token.weak and single_known))) \
                or (token.weak and not known and (token.fold in ctx.lower_words or _before_particle(ctx, index, stop))):
            index += 1
            continue
        break
    return index


def _before_particle(ctx: Context, index: int, stop: int) -> bool:
    """"Shares of Bank of America": a sentence-initial word before "of" is rarely a name's start,
    unless it is the organisation's head word ("Bank of America", "University of Indonesia")."""
    return index + 1 < stop and ctx.tokens[index + 1].text in ("of", "for") \
        and ctx.tokens[index].text not in ctx.words.org_heads


def _title_prefix(ctx: Context, index: int, stop: int) -> tuple[int | None, list[Candidate]]:
    """Where the name after a title prefix starts ("Presiden Kazakhstan | Kassym-Jomart Tokayev",
    "Russian Foreign Minister | Sergei Lavrov"), with the places and organisations inside the
    prefix; ``(None, [])`` when the run starts with no title."""
    found, titled = [], False
    while index < stop:
        token = ctx.tokens[index]
        known = ctx.match(index, stop)
        if known and (known[0] > index + 1 or token.text not in ctx.words.titles):
            found.append(ctx.candidate(index, known[0], known[1].type, "gazetteer", known[1]))
            index = known[0]
            continue
        if token.text in ctx.words.titles:
            titled = True
        elif token.is_acronym and titled and not ctx.is_stop(token):
            found.append(ctx.candidate(index, index + 1, "ORG", "acronym"))
        elif not (token.text in ctx.words.title_modifiers or token.fold in ctx.words.not_entities
                  or token.text in CONNECTORS):
            break
        index += 1
    return (index, found) if titled else (None, [])


def _organisation(ctx: Context, start: int, stop: int, head: int) -> list[Candidate]:
    """One ORG from the start through the head word; it ends early after a known name that has more
    words after it ("Kementerian Luar Negeri Rusia | Maria Zakharova", "Bank Dunia | David Malpass")."""
    end = stop
    for index in range(start, stop):
        known = ctx.match(index, stop)
        if known and head < known[0]:
            end = _with_compass_words(ctx, known[0], stop)
            break
    whole = ctx.match(start, end)
    organisation = (ctx.candidate(start, end, whole[1].type, "gazetteer", whole[1]) if whole and whole[0] == end
                    else ctx.candidate(start, end, "ORG", "head"))
    return [organisation] + _split_part(ctx, end, stop)


def _place(ctx: Context, start: int, stop: int) -> Candidate:
    """A LOC named by a place head word ("Jalan Sudirman", "Kota Almaty"), in the country of a known place inside."""
    inner = (ctx.match(k, stop) for k in range(start, stop))
    country = next((known[1].country_code for known in inner if known), None)
    surface = " ".join(ctx.text[ctx.tokens[start].start:ctx.tokens[stop - 1].end].split())
    return ctx.candidate(start, stop, "LOC", "head", Entry(surface, "LOC", country, False))


def _pieces(ctx: Context, start: int, stop: int, person: bool) -> list[Candidate]:
    """Known names, acronyms and the name pieces between them; ``person``: the first piece follows a title."""
    found: list[Candidate] = []
    name_start: int | None = None

    def flush(end: int) -> None:
        nonlocal name_start, person
        if name_start is not None:
            while end > name_start and not ctx.tokens[end - 1].is_capitalised:
                end -= 1
            if any(len(t.text) > 1 for t in ctx.tokens[name_start:end]):
                found.append(ctx.candidate(name_start, end, "PERSON" if person else None, "title" if person else ""))
                person = False
        name_start = None

    index = start
    while index < stop:
        token = ctx.tokens[index]
        known = ctx.match(index, stop)
        if known and name_start is not None and known[0] == index + 1 == stop and known[1].type == "LOC" \
                and not token.is_acronym and not ctx.tokens[name_start].weak:
            index += 1   # a surname that is also a place ends the name: "Michael Jordan"
            continue
        if known:
            flush(index)
            found.append(_known_place_or_name(ctx, index, known))
            index = found[-1].stop
        elif not token.is_capitalised:
            index += 1   # a particle inside a name ("Ursula von der Leyen"); flush drops trailing ones
        elif ctx.is_stop(token):
            flush(index)
            index += 1
        elif token.is_acronym:
            flush(index)
            found.append(ctx.candidate(index, index + 1, "ORG", "acronym"))
            index += 1
        else:
            name_start = index if name_start is None else name_start
            index += 1
    flush(stop)
    return found


def _known_place_or_name(ctx: Context, index: int, known: tuple[int, Entry]) -> Candidate:
    """A gazetteer name; a known place takes following compass words along ("Jakarta Selatan")."""
    end, entry = known
    if entry.type == "LOC":
        end = _with_compass_words(ctx, end, len(ctx.tokens))
    if end > known[0]:
        surface = " ".join(ctx.text[ctx.tokens[index].start:ctx.tokens[end - 1].end].split())
        entry = Entry(surface, "LOC", entry.country_code, False)
    return ctx.candidate(index, end, entry.type, "gazetteer", entry)


def _with_compass_words(ctx: Context, end: int, stop: int) -> int:
    while end < stop and ctx.tokens[end].joined and ctx.tokens[end].text in ctx.words.compass:
        end += 1
    return end


def _after_lower_case_title(ctx: Context, index: int) -> bool:
    """"kata presiden Tokayev": a title in lower case right before the run."""
    return index > 0 and ctx.tokens[index].joined and ctx.tokens[index - 1].text.capitalize() in ctx.words.titles


def _with_neighbour_evidence(ctx: Context, candidate: Candidate) -> Candidate:
    """Type evidence from the words around a name: a speech verb makes a PERSON ("kata Tokayev",
    "Tokayev menegaskan", "Biden said"), a locative preposition a place ("di Bekasi")."""
    verbs_after_name, verbs_before_name = _speech_verb_sets(ctx.language)
    tokens = ctx.tokens
    before = tokens[candidate.first - 1] if candidate.first > 0 and tokens[candidate.first].joined else None
    after = tokens[candidate.stop] if candidate.stop < len(tokens) and tokens[candidate.stop].joined else None
    if (after and after.fold in verbs_after_name) or (before and before.fold in verbs_before_name):
        return replace(candidate, type="PERSON", evidence="verb")
    if before and before.fold in ctx.words.locative and candidate.stop - candidate.first == 1:
        return replace(candidate, type="LOC", evidence="place")
    return candidate


@lru_cache(maxsize=64)
def _speech_verb_sets(language: str | None) -> tuple[frozenset[str], frozenset[str]]:
    """Reporting verbs that follow a speaker ("Biden said") and those that may precede one ("kata Tokayev")."""
    cues = speech_verbs(language)
    return frozenset(cues["verbs"]), frozenset(cues["verbs"] + cues["inverted"])
