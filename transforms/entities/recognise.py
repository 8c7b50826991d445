"""Entity mentions from a trained NER model where one exists, normalised by the rules.

Per language (``models``): English, French and Indonesian texts run through their spaCy NER in batches
(``nlp.pipe``); every other language uses the rules alone. For a model language the two are
combined per article, in one of two ways (``NerModel.decides``):

- **the model decides** (Indonesian: trained by Kabar on news annotated the way Kabar stores
  entities). Its spans set boundaries and types; a rule mention that matches a span exactly lends
  it the rules' identity (canonical name, country code, acronym and surname links). The rules'
  boundaries stand only where they know better: a paired name "Long Name (ACR)", an organisation
  or place with the person named right after it ("Gubernur DKI Jakarta Rina Kartika"), a legal
  form ("Perum Damri"). A rule mention the model missed stays with evidence of its own: the
  gazetteer (countries, agencies), a legal form, an administrative unit, a camel-case brand, name
  particles, a partial name of a person already kept, or a titled person the article names again;
- **the rules lead** (English, French: general models with other conventions). A rule mention with type
  evidence (gazetteer, organisation or place head, acronym pair, title, speech verb, classifier
  noun, locative word) keeps its boundaries and identity; a rule guess with no evidence stays only
  where a model span covers exactly the same characters, and then takes the model's type; a rule
  mention no span overlaps stays only with evidence (``_rules_suffice``).

Either way, a model span no kept rule mention overlaps becomes a mention of its own, cleaned of a
leading article or title, a trailing possessive, anything beyond a stray bracket or a line break,
never a stop word (calendar, boilerplate, function word), a lower-case phrase or a word the article
also writes in lower case, nor words capitalised only by a headline or a quotation's start; the
gazetteer names it when it spells a known name, a surface the rules named elsewhere takes that
entity, and a person's partial name links to the full name.
Mentions stay sorted, non-overlapping and exact (``text[start:end] == surface``).
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right, insort
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from functools import cache
from typing import NamedTuple

from transforms.entities.context import words
from transforms.entities.finder import EntityMention, nearest_full_name, rule_mentions
from transforms.entities.gazetteer import gazetteer
from transforms.entities.headlines import headline_support, headline_tokens
from transforms.entities.models import NerModel, ner_model
from transforms.entities.roles import facilities_joined, named, without_occupation
from transforms.entities.neighbours import speech_verb_sets
from transforms.entities.tokens import CONJUNCTIONS, CONNECTORS, is_camel_case, tokenise
from transforms.identity import entity_id, entity_key
from transforms.lexicons import is_given_name, primary_language

BATCH_SIZE = 32
# Longest text the model reads in one piece (spaCy's own limit is 1,000,000 characters).
MODEL_PIECE_CHARS = 100_000
# Rule evidence strong enough to keep a mention the model did not find: all but none at all (a
# capitalised word typed by default) and an acronym's capitals alone.
_STRONG_EVIDENCE = frozenset({"gazetteer", "head", "pair", "title", "verb", "noun", "place"})
# Rule evidence too weak to overrule the model's type.
_DEFAULT_TYPED = frozenset({""})
_LEGAL_FORMS = frozenset({"PT", "Perum", "Persero", "CV", "Tbk", "Inc", "Inc.", "Ltd", "Ltd.", "LLC", "PLC", "Corp",
                          "GmbH", "AG", "SA", "NV", "BV", "Bhd"})
_LEADING = frozenset({"the", "a", "an"})
_TRAILING = frozenset({"'s", "’s", "'", "’"})
_WORD = re.compile(r"\w+")
_FULL_NAME_REST = 3   # the most words after a first name that still make one person's name
_TITLE_REACH = 60   # how far before a name its title and office are read ("Direktur Hubungan Kelembagaan Bank …")
# Languages whose news writes a person's full name after a long role the model reads as one organisation
# ("Asisten … Kejaksaan Tinggi Sultra Saiful Bahri Siregar"), later only the first name ("kata Saiful").
_NAMES_AFTER_ROLES = frozenset({"id", "ms"})
# The capitalised words right before a name, which may hold its title ("Direktur Utama PT SMI …").
_CAPITALISED_LEAD = re.compile(r"(?:[A-Z][\w'’-]*[ \t]+)+$")
# Capitalised words right after a title ("… Komisaris Besar Yusri Yunus"), on one line.
_NAME_RUN = re.compile(r"[ \t]+((?:[A-Z][\w'’-]*\.?)(?:[ \t]+[A-Z][\w'’-]*\.?)*)")
_NEXT_WORD = re.compile(r"[ \t]+(\w+)")
# Capitalised words right after a name, on one line ("Wawan| Hendrayana").
_CAPITALISED_AFTER = re.compile(r"((?:[ \t]+[A-Z][\w'’.-]*)+)")
# A speech verb right after a name, a comma allowed between ("Syamsul Bahri, mengatakan").
_VERB_AFTER = re.compile(r",?[ \t]+(\w+)")
_BETWEEN_ORGANISATION_AND_PERSON = re.compile(r"\)?,?[ \t]+")
_WORD_BEFORE = re.compile(r"(\w+)[ \t]+$")
# Lower-case particles inside a personal name ("Ursula von der Leyen", "Anwar bin Ibrahim").
_NAME_PARTICLES = CONNECTORS - CONJUNCTIONS - {"of", "for", "the"}
# Text ending in an opening quote mark: the next word starts a quotation.
_OPENING_BRACKET = re.compile(r"\s*\(")
_QUOTE_OPENINGS = "\"“„«「『"
_STRIP_CHARS = " \t\n\xa0.,;:!?\"'“”‘’«»()[]-–—―"


def find_entities(text: str, language: str | None) -> list[EntityMention]:
    """PERSON, ORG and LOC mentions in ``text``, sorted by offset and non-overlapping
    (``text[start_offset:end_offset] == surface``)."""
    return find_entities_batch([text], [language])[0]


def find_entities_batch(texts: Sequence[str], languages: Sequence[str | None],
                        batch_size: int = BATCH_SIZE) -> list[list[EntityMention]]:
    """``find_entities`` of each text; texts of a language with a model go through ``nlp.pipe`` together."""
    if len(texts) != len(languages):
        raise ValueError("one language per text")
    results: list[list[EntityMention]] = [[] for _ in texts]
    by_language: dict[str | None, list[int]] = {}
    for index, (text, language) in enumerate(zip(texts, languages)):
        if text:
            by_language.setdefault(primary_language(language), []).append(index)
    for language, indices in by_language.items():
        model = ner_model(language)
        if model is None:
            for index in indices:
                tokens = tokenise(texts[index])
                rules = [mention for mention, _ in rule_mentions(texts[index], language, tokens)]
                results[index] = _finished(texts[index], tokens, headline_tokens(texts[index], tokens), language, rules)
            continue
        pieces = [(index, offset, piece) for index in indices for offset, piece in model_pieces(texts[index])]
        docs = model.nlp.pipe((piece for _, _, piece in pieces), batch_size=batch_size)
        spans: dict[int, list[ModelSpan]] = {index: [] for index in indices}
        for (index, offset, piece), doc in zip(pieces, docs):
            spans[index] += [span._replace(start=span.start + offset, end=span.end + offset)
                             for span in _model_spans(piece, doc, model)]
        for index in indices:
            results[index] = combine(texts[index], language, model, spans[index])
    return results


def model_pieces(text: str, limit: int = MODEL_PIECE_CHARS) -> list[tuple[int, str]]:
    """``(offset, piece)`` slices of ``text`` of at most ``limit`` characters, cut after a line
    break where there is one (else after a space, else anywhere): spaCy refuses texts over
    ``nlp.max_length`` and its memory grows with the length, so a huge article goes in parts."""
    pieces, start = [], 0
    while len(text) - start > limit:
        cut = text.rfind("\n", start, start + limit) + 1 or text.rfind(" ", start, start + limit) + 1
        cut = cut if cut > start else start + limit
        pieces.append((start, text[start:cut]))
        start = cut
    pieces.append((start, text[start:]))
    return pieces


class ModelSpan(NamedTuple):
    start: int
    end: int
    type: str
    trimmed: bool  # cut short: stray punctuation (") Sari Dewi") or a line break inside


def _model_spans(text: str, doc, model: NerModel) -> list[ModelSpan]:
    """The model's entities of a kept label as character spans of ``text``, the text ``doc`` was
    made of, cleaned and widened to whole words. Like the entities, the spans are sorted and never
    overlap. ``text`` is handed in, not read as ``doc.text``: spaCy rebuilds that from the tokens on
    every access, 7% of the entity stage's own time on the bench's English pages."""
    cleaned = []
    stop, titles = words().stop, words().titles_and_modifiers
    for ent in doc.ents:
        type_ = model.labels.get(ent.label_)
        if type_ is None:
            continue
        line = _first_line(list(ent))
        tokens, unbalanced = _balanced(line)
        if not tokens:
            continue
        trimmed = (unbalanced or len(line) < len(ent) or not tokens[0].text.strip(_STRIP_CHARS)
                   or not tokens[-1].text.strip(_STRIP_CHARS))   # stray punctuation at either end
        while tokens and (tokens[0].lower_ in _LEADING or (type_ == "PERSON" and tokens[0].text in titles)
                          or not tokens[0].text.strip(_STRIP_CHARS)
                          or (type_ == "PERSON" and len(tokens) > 1 and tokens[0].lower_ in stop)):   # "Wahai Aslam"
            tokens.pop(0)
        while tokens and (tokens[-1].text in _TRAILING or not tokens[-1].text.strip(_STRIP_CHARS)
                          or _lower_case_end(tokens)):
            tokens.pop()
        if not tokens or not any(char.isupper() for token in tokens for char in token.text[:1]):
            continue
        if all(token.text.casefold() in stop or not token.is_alpha for token in tokens):
            continue
        cleaned.append(ModelSpan(tokens[0].idx, tokens[-1].idx + len(tokens[-1].text), type_, trimmed))
    return _widened(text, _joined(text, cleaned))


def _lower_case_end(tokens: list) -> bool:
    """A name ends in a capitalised word or a compass word ("Sulawesi utara"): the model's "Umar
    radiallohu" (a place) is "Umar". 16 of 2,196 idner-news-2k train names end in lower case, 7 of
    them in a compass word."""
    last = tokens[-1].text
    return len(tokens) > 1 and last.isalpha() and last.islower() and last.capitalize() not in words().compass


def _joined(text: str, spans: list[ModelSpan]) -> list[ModelSpan]:
    """Entities the model read in one hyphenated or elided word, as one where the whole words of one
    lie inside those of the other, which gives the type: "Bandara Soekarno" and "Hatta" are the
    airport "Bandara Soekarno-Hatta", "Soekarno" and "Hatta" one "Soekarno-Hatta", "Canada" and "EU"
    one "Canada-EU". Names that each reach beyond the word stay two: the candidate pair "Muhammad
    Markum-Malensius Musui" (read as one, two mentions once stood at one place)."""
    joined: list[ModelSpan] = []
    for span in spans:
        if joined:
            previous = joined[-1]
            previous_start, previous_end = _whole_words(text, previous.start, previous.end)
            start, end = _whole_words(text, span.start, span.end)
            if previous_start <= start and end <= previous_end:
                joined[-1] = previous._replace(end=span.end)
                continue
            if start <= previous_start and previous_end <= end:
                joined[-1] = span._replace(start=previous.start)
                continue
        joined.append(span)
    return joined


def _widened(text: str, spans: list[ModelSpan]) -> list[ModelSpan]:
    """``spans`` (sorted, apart) widened to whole words, each short of its neighbours."""
    widened: list[ModelSpan] = []
    for index, span in enumerate(spans):
        low = widened[-1].end if widened else 0
        high = spans[index + 1].start if index + 1 < len(spans) else len(text)
        start, end = _whole_words(text, span.start, span.end, low, high)
        widened.append(span._replace(start=start, end=end))
    return widened


def _whole_words(text: str, start: int, end: int, low: int = 0, high: int | None = None) -> tuple[int, int]:
    """``[start, end)`` widened to whole words within ``[low, high)``: a name never starts or ends
    inside a hyphenated or elided word ("Al-Hasan Al-Bashri" where the model's tokens began at
    "Hasan") unless another name holds the rest of it (``_joined``); a possessive ending stays
    outside ("Obama's")."""
    high = len(text) if high is None else high
    while (start - 2 >= low and text[start - 1] in "-'’" and text[start - 2].isalnum()) or (
            start - 1 >= low and text[start - 1].isalnum()):
        start -= 1
    while (end + 1 < high and text[end] == "-" and text[end + 1].isalnum()) or (   # not "Obama's"
            end < high and text[end].isalnum()):
        end += 1
    return start, end


def _first_line(tokens: list) -> list:
    """The tokens of an entity up to a line break: a name never runs from a headline into the next
    line ("Badan Keamanan Nasional\\nPresiden Kassym-Jomart Tokayev")."""
    for index, token in enumerate(tokens):
        if "\n" in token.text or "\n" in token.whitespace_:
            return tokens[:index + 1] if token.text.strip() else tokens[:index]
    return tokens


def _balanced(tokens: list) -> tuple[list, bool]:
    """The part of an entity's tokens a stray bracket does not cut through ("LAHS) Rini Susanti" ->
    "Rini Susanti"), and whether anything was cut."""
    opened: list[int] = []
    start = 0
    for index, token in enumerate(tokens):
        if token.text == "(":
            opened.append(index)
        elif token.text == ")":
            if opened:
                opened.pop()
            else:
                start = index + 1
    stop = opened[0] if opened and opened[0] > start else len(tokens)   # a leading "(" is stripped later
    return tokens[start:stop], (start, stop) != (0, len(tokens))


def _overlapping(starts: list[int], ends: list[int], start: int, end: int) -> range:
    """Indices of the sorted, non-overlapping intervals (``starts``/``ends``) that overlap
    ``[start, end)``: two binary searches, so a huge article stays linear-logarithmic."""
    return range(bisect_right(ends, start), bisect_left(starts, end))


def _retyped(mention: EntityMention, type_: str) -> EntityMention:
    key = entity_key(mention.name, mention.country_code, is_country=False)
    return EntityMention(entity_id=entity_id(type_, key), name=mention.name, type=type_,
                         country_code=mention.country_code, start_offset=mention.start_offset,
                         end_offset=mention.end_offset, surface=mention.surface, method=mention.method)


def combine(text: str, language: str | None, model: NerModel,
            spans: list[ModelSpan]) -> list[EntityMention]:
    """Rule mentions and model spans of one text as one list of mentions (module notes)."""
    tokens = tokenise(text)
    rules = rule_mentions(text, language, tokens)
    # Names the rules typed by default (any name, where the model decides) take the model's type
    # when its spans of exactly the name agree.
    by_bounds: dict[tuple[int, int], list[ModelSpan]] = {}
    for span in spans:
        by_bounds.setdefault((span.start, span.end), []).append(span)
    votes: dict[str, Counter] = {}
    for mention, evidence in rules:
        if model.decides or evidence in _DEFAULT_TYPED:
            for span in by_bounds.get((mention.start_offset, mention.end_offset), ()):
                # places do not speak: "Syamsul Bahri, mengatakan" read as LOC is a misreading
                if not span.trimmed and not (span.type == "LOC" and _beside_speech_verb(text, language, mention)):
                    votes.setdefault(mention.name, Counter())[span.type] += 1
    retype = {name: next(iter(counts)) for name, counts in votes.items() if len(counts) == 1}

    kept: list[EntityMention] = []
    kept_names: set[str] = set()   # a partial name the model missed ("Menurut Saputra") follows its full name
    taken: set[int] = set()
    span_starts, span_ends = [span.start for span in spans], [span.end for span in spans]
    consecutive = list(zip(rules, rules[1:]))
    # "Direktur LKH Sari Dewi", "Duta Besar Rusia untuk Indonesia Sergei Volkov": the rules split an
    # organisation or place from the person named right after it, where models run them together.
    person_after = [_person_after(text, first, second) for (first, _), (second, _) in consecutive]
    paired = [_paired(text, first, second) for (first, _), (second, _) in consecutive]
    for index, (mention, evidence) in enumerate(rules):
        overlapping = _overlapping(span_starts, span_ends, mention.start_offset, mention.end_offset)
        beside_person = _with_neighbour(person_after, index)
        if not overlapping:
            if model.decides:
                keep = (evidence == "gazetteer" or beside_person or mention.name in kept_names
                        or _backed_by_article(text, mention, evidence, language))
            else:
                keep = _rules_suffice(text, language, mention, evidence) or beside_person
            if keep:
                kept.append(mention)
                kept_names.add(mention.name)
            continue
        exact = by_bounds.get((mention.start_offset, mention.end_offset), [])
        if model.decides:
            keep = (exact or _with_neighbour(paired, index) or beside_person or _legal_form(mention)
                    or _particle_name(mention)
                    or (evidence in ("title", "verb") and _fuller_name(text, mention, [spans[i] for i in overlapping])))
        else:
            keep = exact or evidence not in _DEFAULT_TYPED
        if not keep:
            continue   # the model's boundaries stand ("Mundurnya Hary Tanoesoedibyo", "PN Jakarta Pusat")
        taken.update(overlapping)
        if mention.method != "gazetteer":
            mention = EntityMention(**{**mention.__dict__, "method": model.method})
            if (model.decides or evidence in _DEFAULT_TYPED) and retype.get(mention.name, mention.type) != mention.type:
                mention = _retyped(mention, retype[mention.name])
        kept.append(mention)
        kept_names.add(mention.name)

    by_surface = {m.surface: m for m in kept}
    token_starts = [token.start for token in tokens]
    headline = headline_tokens(text, tokens)
    unsupported = _positional_only(text, tokens, token_starts, headline)
    people: dict[str, list[int]] = {}   # multi-word person name -> starts of its mentions, sorted
    for m in kept:
        if m.type == "PERSON" and len(m.name.split()) > 1:
            people.setdefault(m.name, []).append(m.start_offset)
    by_name = {m.name: m for m in kept}
    added: list[EntityMention] = []
    kept_starts, kept_ends = [m.start_offset for m in kept], [m.end_offset for m in kept]
    for index, (start, end, type_, _) in enumerate(spans):
        if index in taken or _overlapping(kept_starts, kept_ends, start, end):
            continue
        surface = text[start:end]
        if _written_in_lower_case(text, surface):   # "Sopir" beside "sopir": a common noun
            continue
        if surface not in by_surface and unsupported(start, end):   # "Potensi …", a headline's words
            continue
        mention = _model_mention(text, tokens, token_starts, language, model, start, end, type_, by_surface,
                                 people, by_name)
        if mention is None:
            continue
        added.append(mention)
        by_surface.setdefault(mention.surface, mention)
        by_name.setdefault(mention.name, mention)
        if mention.type == "PERSON" and len(mention.name.split()) > 1:
            insort(people.setdefault(mention.name, []), mention.start_offset)
    mentions = sorted(kept + added, key=lambda m: m.start_offset)
    if language in _NAMES_AFTER_ROLES:
        mentions = [part for mention in mentions for part in _person_ending_organisation(text, language, mention)]
    linked = _one_type_per_name(_short_names_linked(text, mentions, in_full=language in _NAMES_AFTER_ROLES))
    return _finished(text, tokens, headline, language, linked)


def _finished(text: str, tokens: list, headline: set[int], language: str | None,
              mentions: list[EntityMention]) -> list[EntityMention]:
    """``mentions`` with occupations cut off and facilities joined (``roles``), less those only a
    headline's capitals made (``headlines``: ``headline`` holds the tokens of title-case lines); gazetteer
    names stay."""
    supported = headline_support(text, tokens, headline)
    joined = facilities_joined(text, [without_occupation(m) for m in mentions],
                               lambda mention: _beside_speech_verb(text, language, mention))
    return [m for m in joined if m.method == "gazetteer" or supported(m)]


def _paired(text: str, first: EntityMention, second: EntityMention) -> bool:
    """The two sides of a paired name "Long Name (ACR)"."""
    return (_OPENING_BRACKET.fullmatch(text, first.end_offset, second.start_offset) is not None
            and text[second.end_offset:second.end_offset + 1] == ")")


def _with_neighbour(flags: list[bool], index: int) -> bool:
    """Whether rule mention ``index`` is in a relation ``flags`` marks between consecutive mentions
    (``flags[i]``: mentions ``i`` and ``i + 1``)."""
    return (index > 0 and flags[index - 1]) or (index < len(flags) and flags[index])


def _positional_only(text: str, tokens: list, starts: list[int], headline: set[int]) -> Callable[[int, int], bool]:
    """Whether the words in ``[start, end)`` stand where capitals carry no information (a title-case
    headline, the first word of a quotation) and none of them is written capitalised anywhere else
    in the text: no evidence that they form a name ("Ganjil Genap Diperluas", "\"Potensi hujan …").
    A name opening an ordinary sentence keeps the model's reading: it saw the context. ``starts``:
    the tokens' starts; the words written capitalised are gathered only when a span needs them."""

    @cache
    def named() -> frozenset[str]:
        return frozenset(token.text for token in tokens if not token.weak and token.is_capitalised)

    def unsupported(start: int, end: int) -> bool:
        position = bisect_left(starts, start)
        position = position if position < len(tokens) and starts[position] == start else None
        if position is None or not (position in headline or _mark_before(text, start) in _QUOTE_OPENINGS):
            return False
        words = []
        while position < len(tokens) and tokens[position].start < end:
            words.append(tokens[position])
            position += 1
        return all(word.weak and word.text not in named() for word in words)

    return unsupported


def _mark_before(text: str, position: int) -> str:
    """The character before ``position`` past spaces and tabs ("\n" at the start of the text): a
    look back of a few characters, where a regex searched up to ``position`` would scan the text."""
    while position > 0 and text[position - 1] in " \t":
        position -= 1
    return text[position - 1] if position else "\n"


def _rules_suffice(text: str, language: str | None, mention: EntityMention, evidence: str) -> bool:
    """A rule mention the model missed stays only with evidence of its own: strong type evidence, a
    camel-case brand ("WowKeren"), particles only a personal name has ("Ursula von der Leyen") or
    a speech verb beside it, a comma allowed ("jelas BPDN", "Syamsul Bahri, mengatakan")."""
    if evidence in _STRONG_EVIDENCE or is_camel_case(mention.name):
        return True
    if _particle_name(mention):
        return True
    return _beside_speech_verb(text, language, mention)


def _particle_name(mention: EntityMention) -> bool:
    """A person's name with particles inside that only personal names have ("Ursula von der Leyen",
    "Anwar bin Ibrahim"): the rules' whole name beats a model span that starts at the particle."""
    return mention.type == "PERSON" and any(word in _NAME_PARTICLES for word in mention.surface.split()[1:-1])


def _person_after(text: str, previous: EntityMention, mention: EntityMention) -> bool:
    """A person named right after an organisation or place, only spaces, a comma or the pair's
    closing bracket between ("Direktur Lembaga Kajian Hukum (LKH) Sari Dewi", "Gubernur DKI Jakarta
    Rina Kartika", "dari Masyarakat Transportasi Nusantara, Yudi Setiawan"): the rules split the two
    where models run them together, and such an organisation stands even where the model missed it."""
    return (previous.type in ("ORG", "LOC") and mention.type == "PERSON" and len(mention.name.split()) > 1
            and _BETWEEN_ORGANISATION_AND_PERSON.fullmatch(text, previous.end_offset, mention.start_offset) is not None)


def _backed_by_article(text: str, mention: EntityMention, evidence: str, language: str | None) -> bool:
    """A name the rules found and the model missed, kept on evidence of its own: a legal form ("Perum Bulog", "PT Vale Indonesia Tbk"), an administrative unit
    ("Kabupaten Mamasa"), a camel-case brand ("WowKeren"), name particles ("Ursula von der Leyen"),
    or a person found by a title or speech verb with a speech verb beside the name or one of its
    words written again later ("Gubernur DKI Jakarta Rina Kartika …", "kata Kartika")."""
    parts = mention.name.split()
    if is_camel_case(mention.name):
        return True
    if mention.type == "ORG":
        return _legal_form(mention)
    if mention.type == "LOC":
        return len(parts) > 1 and parts[0] in words().administrative
    if mention.type != "PERSON":
        return False
    if _particle_name(mention):
        return True
    if evidence not in ("title", "verb"):
        return False
    if _beside_speech_verb(text, language, mention):
        return True
    return len(parts) > 1 and any(_written_after(text, part, mention.end_offset) for part in parts)


def _written_in_lower_case(text: str, surface: str) -> bool:
    """Whether the article writes ``surface`` as a whole word in lower case: a search per model span
    that asks, where the set of all the article's lower-case words cost 3-6% of the entity stage's own
    time; only the languages whose short names are written in full need that set."""
    word = surface.casefold()
    return word.islower() and _written_after(text, word, 0)


def _written_after(text: str, word: str, position: int) -> bool:
    """Whether ``word`` stands in ``text`` as a whole word (a run of word characters) starting at or
    after ``position``: a search from there, where a map of every word's last start cost the
    Indonesian entity stage 3% of its own time for the few names that ask."""
    if not _WORD.fullmatch(word):
        return False
    found = text.find(word, position)
    while found >= 0:
        if _whole_word_at(text, found, found + len(word)):
            return True
        found = text.find(word, found + 1)
    return False


def _whole_word_at(text: str, start: int, end: int) -> bool:
    """No word character right before ``start`` or at ``end``."""
    return not (start and _WORD.match(text, start - 1)) and not _WORD.match(text, end)


def _fuller_name(text: str, mention: EntityMention, spans: list[ModelSpan]) -> bool:
    """A person's name the model read only part of ("Presiden Kassym-Jomart Tokayev" where it saw
    "Tokayev"): every overlapping span is a person inside the rules' name, and the name does not
    open a sentence, where its first word may be capitalised by position ("Mundurnya Hary T.")."""
    opens_sentence = _mark_before(text, mention.start_offset) in ".!?\n" + _QUOTE_OPENINGS
    return mention.type == "PERSON" and not opens_sentence and all(
        span.type == "PERSON" and mention.start_offset <= span.start and span.end <= mention.end_offset for span in spans)


def _legal_form(mention: EntityMention) -> bool:
    """An organisation named with its legal form ("Perum Damri", "PT Terminal Petikemas Celebes"):
    the form marks where the name starts or ends better than the model does."""
    parts = mention.name.split()
    return mention.type == "ORG" and (parts[0] in _LEGAL_FORMS or parts[-1] in _LEGAL_FORMS)


def _beside_speech_verb(text: str, language: str | None, mention: EntityMention) -> bool:
    verbs_after, verbs_before = speech_verb_sets(language)
    after = _VERB_AFTER.match(text, mention.end_offset)
    if after and after.group(1).casefold() in verbs_after:
        return True
    before = _WORD_BEFORE.search(text, max(0, mention.start_offset - 40), mention.start_offset)
    return before is not None and before.group(1).casefold() in verbs_before


def _model_mention(text: str, tokens: list, token_starts: list[int], language: str | None, model: NerModel,
                   start: int, end: int, type_: str, by_surface: dict[str, EntityMention],
                   people: dict[str, list[int]], by_name: dict[str, EntityMention]) -> EntityMention | None:
    surface = text[start:end]
    known = by_surface.get(surface)
    if known is not None:
        return _at(known, start, end, surface, known.method)
    source, span_tokens, first, stop = text, tokens, *_token_range(token_starts, tokens, start, end)
    if first is None:   # the model's span cuts through a word: read the surface on its own
        source, span_tokens = surface, tokenise(surface)
        first, stop = 0, len(span_tokens)
    if first == stop:
        return None
    match = gazetteer().match(source, span_tokens, first, stop, language)
    if match and match[0] == stop:
        entry = match[1]
        key = entity_key(entry.name, entry.country_code, is_country=entry.is_country)
        return EntityMention(entity_id(entry.type, key), entry.name, entry.type, entry.country_code,
                             start, end, surface, "gazetteer")
    name = " ".join(surface.split())
    if type_ == "PERSON" and (name.casefold() in words().stop or _before_title(text, end)):
        return None
    full = nearest_full_name(name, start, people) if type_ == "PERSON" else None
    if full:
        return _at(by_name[full], start, end, surface, model.method)
    key = entity_key(name, None, is_country=False)
    return EntityMention(entity_id(type_, key), name, type_, None, start, end, surface, model.method)


def _token_range(token_starts: list[int], tokens: list, start: int, end: int) -> tuple[int | None, int]:
    """``(first, stop)`` indices of the article's tokens that exactly cover ``[start, end)``, or
    ``(None, 0)`` when a word boundary does not fall on the span's edges."""
    first = bisect_left(token_starts, start)
    stop = bisect_left(token_starts, end)
    if first < len(tokens) and tokens[first].start == start and first < stop and tokens[stop - 1].end == end:
        return first, stop
    return None, 0


def _before_title(text: str, end: int) -> bool:
    """"state Parks Commissioner Dana White": a name right before a title word names the office
    (the rules dropped it on purpose), not a person."""
    following = _NEXT_WORD.match(text, end)
    return following is not None and following.group(1) in words().titles


def _at(entity: EntityMention, start: int, end: int, surface: str, method: str) -> EntityMention:
    return EntityMention(entity.entity_id, entity.name, entity.type, entity.country_code, start, end, surface, method)


def _short_names_linked(text: str, mentions: list[EntityMention], *, in_full: bool) -> list[EntityMention]:
    """A person named in part ("kata Siti" after "Siti Rahmawati Lubis") is the person named in full:
    the longer person name the part is a run of, mentioned last before it, else first after it; a
    one-word name with no such mention takes the run of capitalised words the article writes after it
    elsewhere ("… Lion Air Group Danang Mandala Prihantoro."; the model had read that run into an
    organisation or not at all). The rules link the names they find themselves (``finder``); this
    links them to the model's too, so one person is one entity and a quote's speaker is stored in
    full (PFSA-ID: the short name at the cue was the commonest wrong speaker)."""
    if in_full:
        mentions = [_without_role_words(text, _name_after_title(text, m, mentions)) for m in mentions]
        mentions = _names_cut_where_the_article_starts_them(text, mentions)
    people: dict[str, list[int]] = {}
    by_name = {}
    for mention in mentions:
        if mention.type == "PERSON" and len(mention.name.split()) > 1:
            people.setdefault(mention.name, []).append(mention.start_offset)
            by_name.setdefault(mention.name, mention)
    linked = []
    for mention in mentions:
        if mention.type != "PERSON":
            linked.append(mention)
            continue
        full = nearest_full_name(mention.name, mention.start_offset, people)
        if full:
            linked.append(_at(by_name[full], mention.start_offset, mention.end_offset, mention.surface, mention.method))
            continue
        written = _written_in_full(text, mention.name, mention.start_offset) if in_full and " " not in mention.name else None
        if written:
            mention = named("PERSON", written, mention.start_offset, mention.end_offset, mention.surface, mention.method)
        linked.append(mention)
    return linked


def _person_ending_organisation(text: str, language: str | None, mention: EntityMention) -> list[EntityMention]:
    """An "organisation" after a title and before a speech verb that ends with the person who holds
    the title ("Ketua Asosiasi UMKM Ikhsan Ingratubun menilai", "Direktur Utama PT SMI Edwin
    Syahruzad menambahkan"): the model ran the two together. The organisation ends with its last
    acronym or a name the gazetteer knows; the capitalised words after it are the person."""
    parts = mention.surface.split()
    if mention.type != "ORG" or len(parts) < 3:
        return [mention]
    after = _VERB_AFTER.match(text, mention.end_offset)
    if not after or after.group(1).casefold() not in speech_verb_sets(language)[0]:
        return [mention]
    # the look back for the title last: a regex search over the 60 characters before every mention
    lead = _CAPITALISED_LEAD.search(text, max(0, mention.start_offset - _TITLE_REACH), mention.start_offset)
    if not lead or not set(lead.group().split()) & words().titles:
        return [mention]
    known = gazetteer()
    cut = max((end for end in range(1, len(parts))
               if (parts[end - 1].isupper() and len(parts[end - 1]) > 1)
               or any(known.lookup(" ".join(parts[begin:end])) for begin in range(end))), default=0)
    person = parts[cut:]
    if not cut or not 1 <= len(person) <= _FULL_NAME_REST + 1 or any(
            word in words().titles or word.casefold() in words().stop or not word[:1].isupper() for word in person):
        return [mention]
    split = text.rindex(person[0], mention.start_offset, mention.end_offset - len(" ".join(person[1:])))
    organisation = " ".join(parts[:cut])
    name = " ".join(person)
    org_end = text.rindex(parts[cut - 1], mention.start_offset, split) + len(parts[cut - 1])
    return [named("ORG", organisation, mention.start_offset, org_end, text[mention.start_offset:org_end], mention.method),
            named("PERSON", name, split, mention.end_offset, text[split:mention.end_offset], mention.method)]


def _name_after_title(text: str, mention: EntityMention, mentions: list[EntityMention]) -> EntityMention:
    """The person named right after a "person" that ends with a title: the model read the role into a
    name and missed the name ("Kepala Polresta Manado Ajun Komisaris Besar Elvianus Laoli" gave
    "Manado Ajun Komisaris Besar", or an organisation: "Bidang Humas Polda Metro Jaya Komisaris Besar").
    The capitalised words after the title, up to the next mention, are the person."""
    parts = mention.name.split()
    if mention.type not in ("PERSON", "ORG") or not parts or parts[-1] not in words().titles_and_modifiers:
        return mention
    following = next((m.start_offset for m in mentions if m.start_offset >= mention.end_offset), len(text))
    run = _NAME_RUN.match(text, mention.end_offset)
    if run is None or run.end() > following:   # the model found (part of) the name itself
        return mention
    name = run.group(1).split()
    cut = next((i for i, word in enumerate(name) if word.casefold() in words().stop or word in words().titles
                or (word.isupper() and len(word) > 2)), len(name))
    if not 1 <= cut <= _FULL_NAME_REST + 1:
        return mention
    name = name[:cut]
    start = mention.end_offset + run.start(1) - run.start()
    end = text.index(name[-1], start) + len(name[-1])
    return named("PERSON", " ".join(name), start, end, text[start:end], mention.method)


def _without_role_words(text: str, mention: EntityMention) -> EntityMention:
    """A person's name without the words of a role the model ran into it ("Inovasi Nasional Bambang":
    "… Badan Riset dan Inovasi Nasional Bambang PS Brodjonegoro"): leading words the article writes in
    lower case elsewhere, titles, words of offices and places ("Kalsel Roy Rizali Anwar"); a "person"
    named after an administrative unit is a place ("Desa Krangkeng")."""
    parts = mention.name.split()
    if mention.type != "PERSON" or len(parts) < 2:
        return mention
    if parts[0] in words().administrative:   # "Desa Krangkeng" is a village, not a person
        return _retyped(mention, "LOC")
    role = words().role_words
    cut = 0
    while cut < len(parts) - 1 and (parts[cut] in role or _written_in_lower_case(text, parts[cut])
                                    or _place_word(parts[cut])):
        cut += 1
    # "Sleman Ajun Komisaris Mega Tetuko": a title inside the name ends the role before it
    cut = max([cut, *(i + 1 for i, part in enumerate(parts[:-1]) if part in words().titles)])
    return _name_from(mention, cut)


def _names_cut_where_the_article_starts_them(text: str, mentions: list[EntityMention]) -> list[EntityMention]:
    """A person's name without the end of an organisation or place the model ran into it ("Kemendagri
    Zudan Arif Fakrulloh", "Pimpinan Pusat Muhammadiyah Haedar Nashir"): the name starts at a word the
    article uses alone for a person ("kata Zudan"), else after a leading word that belongs to the
    article's organisations and places. The article's words are gathered only when a person's name
    has the three words a cut needs (``_name_start``)."""
    if not any(m.type == "PERSON" and len(m.name.split()) >= 3 for m in mentions):
        return mentions
    lower = frozenset(word for word in set(_WORD.findall(text)) if word.islower())
    alone = {m.surface.strip() for m in mentions if m.type == "PERSON" and " " not in m.surface.strip()}
    elsewhere = {word for m in mentions if m.type in ("ORG", "LOC") for word in m.surface.split()}
    role = elsewhere | {word.capitalize() for word in lower}
    return [_name_from(mention, _name_start(mention.name.split(), alone, role)) if mention.type == "PERSON"
            else mention for mention in mentions]


def _name_start(parts: list[str], alone: set[str], role: set[str]) -> int:
    """Where the person's name starts among ``parts`` (see ``_names_cut_where_the_article_starts_them``):
    at a word used alone, or at the given names right before it ("Sri Indah Lestari", called "Indah";
    a word of ``role``, the article's organisations, places and lower-case words, is none: "Desa");
    else after a leading word of ``role``; at least two words stay, the first capitalised."""
    if len(parts) < 3:
        return 0
    start = next((i for i in range(1, len(parts) - 1) if parts[i] in alone), 0)
    while start and is_given_name(parts[start - 1]) and parts[start - 1] not in role:
        start -= 1
    # One leading word only: stripping every leading word of ``role`` measured worse (PFSA-ID speaker
    # 0.892/0.877 -> 0.886/0.875 by half).
    start = 1 if not start and parts[0] in role else start
    # A name never starts at a particle ("Umar bin Al-Khaththab", where the model read "Umar radiallohu"
    # as a place).
    return start if parts[start][:1].isupper() else 0


def _name_from(mention: EntityMention, start: int) -> EntityMention:
    """``mention`` named by its name's words from ``start`` on."""
    if not start:
        return mention
    return named("PERSON", " ".join(mention.name.split()[start:]), mention.start_offset, mention.end_offset,
                  mention.surface, mention.method)


def _place_word(word: str) -> bool:
    """A one-word place the gazetteer knows ("Kalsel" in "Kalsel Roy Rizali Anwar", the end of a role)."""
    entry = gazetteer().lookup(word)
    return entry is not None and entry.type == "LOC"


def _written_in_full(text: str, name: str, start: int) -> str | None:
    """``name`` with the capitalised words the article writes right after it somewhere (the nearest such
    place before ``start``, else the first after): "Wawan" -> "Wawan Hendrayana". Titles, function
    words and acronyms end the run; a run that goes on past three words is no name."""
    stop, titles = words().stop, words().titles
    best: tuple[int, str] | None = None
    for at, rest in _runs_after(text, name):
        if not 1 <= len(rest) <= _FULL_NAME_REST or any(
                word.casefold() in stop or word in titles or (word.isupper() and len(word) > 2) for word in rest):
            continue
        if at < start and (best is None or best[0] < start):
            best = (at, f"{name} {' '.join(rest)}")
        elif best is None:
            best = (at, f"{name} {' '.join(rest)}")
    return best[1].rstrip(".") if best else None


def _runs_after(text: str, name: str) -> Iterator[tuple[int, list[str]]]:
    """Where ``name`` starts a word with capitalised words after it, and those words, in text order
    and apart (as ``re.finditer(r"\bNAME(capitalised words)")`` would find them): ``str.find`` and
    one compiled pattern, where a pattern per name was compiled anew for most names of every article
    (3% of the Indonesian entity stage's own time)."""
    found = text.find(name)
    while found >= 0:
        run = _CAPITALISED_AFTER.match(text, found + len(name)) if _word_boundary(text, found) else None
        if run is None:
            found = text.find(name, found + 1)
            continue
        yield found, run.group(1).split()
        found = text.find(name, run.end())


def _word_boundary(text: str, position: int) -> bool:
    """``\b`` at ``position``: a word character on one side only."""
    return bool(position and _WORD.match(text, position - 1)) != bool(_WORD.match(text, position))


def _one_type_per_name(mentions: list[EntityMention]) -> list[EntityMention]:
    """A name the model typed differently at different mentions takes its first mention's type."""
    first: dict[str, EntityMention] = {}
    settled = []
    for mention in mentions:
        entity = first.setdefault(mention.name, mention)
        if entity.entity_id != mention.entity_id and mention.method.startswith("model:"):
            mention = _at(entity, mention.start_offset, mention.end_offset, mention.surface, mention.method)
        settled.append(mention)
    return settled
