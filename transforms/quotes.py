"""Direct quotes and who said them, by quote marks and speech cues; no model.

On PolNeAR dev (``kabar eval quotes``): 97.8 % of direct quotes found, 93.8 % attributed, 93.1 % right
speaker among those attributed (86.0 % on the rest of PolNeAR train, 85.8 % on its held-out quarter;
PFSA-ID's Kompas news 88.4 %). The steps:

1. Pair quote marks within a paragraph: straight ``"`` at word boundaries, “ ”, „ “, « », » «,
   「」, 『』. Single marks (‘ ’) only ever nest inside a quote. A quote whose paragraph ends
   unclosed continues when the next paragraph opens with the same mark (the convention for long
   quotes); otherwise only that unbalanced span is dropped.
2. A speech cue after the quote (``"…," kata Tokayev``, ``"…," X said``, ``"…" — X``) or before it
   (``X mengatakan, "…"``, ``Menurut X, "…"``, ``X told reporters that "…"``, or a paragraph
   ending in a colon); verb lists per language in ``lexicons/speech_verbs.json``.
   The speaker before an inverted cue may carry titles, initials, a parenthesis or an apposition
   (``"…," Sen. Claire McCaskill (D-Mo.) said``, ``"…," Flynn, a top Trump surrogate, said``); a cue
   before a speaker may be followed by a description, opened by an article, and then the
   speaker's name (``"…", a déclaré le directeur de l'office, Marc Pellissier``); an "according to" cue that opens
   the sentence leading into the quote counts however long the speaker's description is, when a
   comma or colon ends it right before the quote. A participle cue (``…, saying, "…"``) takes the
   sentence's subject.
3. The speaker is the entity mention at the cue, by its canonical name ("Tokayev" ->
   "Kassym-Jomart Tokayev"); an organisation spelled out before its short name is named as spelled
   out ("Badan Nasional Penanggulangan Terorisme (BNPT)"); a description ("the ministry", "the
   president") names the nearest earlier mention written with that word, else stands as written
   ("the union wrote"), and so does a description a name only modifies ("one Trump campaign source
   said"); an owner or a parenthesis at the cue is not the speaker ("Clinton's aide Jake Sullivan",
   "(R-OH)"). In Indonesian and Malay the name ends the role run after an inverted cue ("kata Kepala
   Bagian Hukum dan Humas, RSUD X, Banu Hermawan, saat dihubungi"). "-nya" cues (imbuhnya) and
   pronoun subjects take the first person named in the quote's paragraph after the previous quote's
   sentence ("Colin Baxter, 71, said … "…," he said"; not an owner: "Carson's"), else, after a
   paragraph quoting no one, the subject of the nearest such paragraph since the previous quote (the
   name before its reporting verb, never one after a preposition: "on Midway"), else the last
   speaker, passing over people whose honorific ("Mr."), first name ("Hillary", read after any place
   or title written into the name) or earlier pronoun says they are of the other gender; a plural
   pronoun ("they wrote") credits no one; a quote with no cue right after an
   attributed one (same or next paragraph) continues it, unless a person opens a clause of the
   sentence leading into it ("In an August speech, Trump attacked "…"").
4. One or two words in marks with no cue right beside them are scare quotes or titles ("teroris").
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple
from collections.abc import Sequence

from transforms.entities import EntityMention, find_entities
from transforms.entities.tokens import ABBREVIATIONS
from transforms.lexicons import (calendar_words, first_name_gender, load, person_title_words, primary_language,
                                speech_verb_languages, speech_verbs)

_CLOSERS = {'"': '"', "“": "”", "„": "“”", "«": "»", "»": "«", "「": "」", "『": "』", "”": "”"}
_MARK = re.compile('["“”„«»「」『』]')
# Marks that can also close open only at a word start (' "Yes' opens); the straight mark closes
# only at a word end ('yes" ' closes).
_OPENS_AT_WORD_START = '"”»'
_CLOSES_AT_WORD_END = '"'
# Opening marks also typed as the closing one ("“Kami siap,“ kata X"): a second one that ends a word closes.
_TURNED_CLOSERS = "“„"
_DASHES = "—–―"
_OPEN_AFTER = "([{/:-" + _DASHES
_CLOSE_BEFORE = ".,;:!?)]}'’…-" + _DASHES
_SCARE_QUOTE_WORDS = 2
_MODIFIED_DESCRIPTION_WORDS = 5   # "the senior Cruz campaign adviser"
_DESCRIPTION_WORDS = 3     # "the union", "the trade union": kept as the speaker when no mention names them
_TITLE_REACH = 40   # how far before a name its title is read ("Trump campaign spokesman Jason Miller")
_CUE_WINDOW = 120          # characters after a quote searched for its cue
# Languages whose long role descriptions the entity model cuts into "people" ("Bidang Humas Polda Metro Jaya
# Komisaris Besar"): such pieces are never speakers (PFSA-ID; on PolNeAR the filter only lost attributions).
_ROLE_DESCRIPTIONS = frozenset({"id", "ms"})
_CUE_GAP = 40              # at most this much between a cue before a quote and its opening mark
# Capitalised words, with "dan"/"&" and commas between them, from the start of a cue's clause.
_ROLE_RUN = re.compile(r"\s*((?:[A-Z][\w.'’&/-]*|dan|&)(?:(?:,?\s+)(?:[A-Z][\w.'’&/-]*|dan|&|\([A-Z][\w-]*\)))*)")
_SENTENCE_END = re.compile(r"[.!?][\"'”’»]?\s+")
# Where the words after an inverted cue stop: the end of the clause (a full stop after an
# abbreviation such as "Dr." does not count).
_CLAUSE_END = re.compile(r"[.;:!?]")
_POSSESSIVE_AFTER = re.compile(r"['’]s?\b")
_WORD_BEFORE = re.compile(r"(\w+)$")
_NAME_WORD = re.compile(r"\w+")
_WORD_BEFORE_NAME = re.compile(r"(\w+)\.?\s+$")
_LOWER_WORD = re.compile(r"(?<![\w'’])[a-z]")
# A word of the speaker's name or description before an inverted cue: a plain word, a title
# abbreviation or initial ("Mr.", "H."), or a parenthesis ("(D-Mo.)"); then an apposition may
# follow the name ("Mitch McConnell, R-Ky., said", "Flynn, a top Trump surrogate, said").
_LEAD_WORD = (r"(?:(?:" + "|".join(sorted(ABBREVIATIONS)) + r"|[A-Z])\.|\([^()\n\"“”]{1,30}\)|[^\s.!?,;:()\"“”„«»]+)")
_APPOSITION = r"(?:,(?:[^\n\"“”„«»!?;:.]|\.(?!\s)){1,100}?)+,[ \t]+"
# "(BNPT)" after an organisation spelled out.
# Words for the scare-quote test: kana and CJK ideographs count one each, as those scripts have no spaces.
_WORD = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]|[^\s\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]+")


@dataclass(frozen=True)
class Quote:
    text: str
    start_offset: int
    end_offset: int
    speaker: str | None
    cue: str | None


@dataclass(frozen=True)
class _Span:
    """A paired quote: positions of its outer marks and the paragraphs it starts and ends in."""
    open: int
    close: int
    first_paragraph: int
    last_paragraph: int


@dataclass(frozen=True)
class _Attribution:
    cue: str
    speaker: str | None
    back_reference: bool     # "imbuhnya", "he said": the speaker is the previous one
    adjacent: bool           # nothing but punctuation between the cue and the quote
    clause_start: int | None = None   # where a cue before the quote begins its clause ("She adds, …")
    pronoun: str | None = None        # the back-reference's subject pronoun ("she")


def find_quotes(text: str, language: str | None, mentions: Sequence[EntityMention] = ()) -> list[Quote]:
    """Direct quotes in ``text`` with speaker and cue; ``mentions`` (from ``find_entities``) name
    the speakers, and are found here when not given."""
    if not text:
        return []
    language = primary_language(language)
    # A capitalised pronoun the entity stage took for a name ("Beliau menegaskan") names no one, nor
    # does a piece of a role description it took for a person.
    mentions = mentions or find_entities(text, language)
    if language in _ROLE_DESCRIPTIONS:
        common = _common_words_as_names(text, mentions)
        mentions = [m for m in mentions if m.type != "PERSON" or not (
            _role_description(m) or _first_word(m) in common or _capitalised_by_position(text, m, language))]
    mentions = sorted((m for m in mentions if m.surface.casefold() not in _pronouns(language)),
                      key=lambda m: m.start_offset)
    quotes: list[Quote] = []
    previous: tuple[_Span, Quote] | None = None
    speakers: list[str] = []
    genders = _known_genders(text, mentions, language)
    for span in _pair_marks(text):
        start, end = _content(text, span)
        if start >= end:
            continue
        after_previous = previous[0].close + 1 if previous else 0
        attribution = _cue_after(text, span, language, mentions) or _cue_before(
            text, span, after_previous, language, mentions)
        if len(_WORD.findall(text, start, end)) <= _SCARE_QUOTE_WORDS and not (attribution and attribution.adjacent):
            continue
        if attribution is None:
            continues = previous is not None and span.first_paragraph - previous[0].last_paragraph <= 1
            speaker = _person_opening_sentence(text, mentions, span.open)
            speaker, cue = speaker or (previous[1].speaker if continues else None), None
        else:
            speaker, cue = attribution.speaker, attribution.cue
            if attribution.pronoun in speech_verbs(language)["plurals"]:
                speaker = None   # "they wrote": a group named earlier, if at all, not the last speaker
            elif attribution.back_reference:
                gender = _genders(language).get(attribution.pronoun or "")
                speaker = _referred_speaker(text, mentions, language, span, previous, attribution, speakers, genders, gender)
                if speaker and gender:
                    genders.setdefault(speaker, gender)
        quote = Quote(text[start:end], start, end, speaker, cue)
        quotes.append(quote)
        previous = (span, quote)
        speakers += [speaker] if speaker else []
    return quotes


class _Opening(NamedTuple):
    mark: str
    position: int
    first_paragraph: int
    paragraph: int          # the paragraph the quote has reached


def _pair_marks(text: str) -> list[_Span]:
    """Outer quote spans in text order (see the module notes for the pairing rules)."""
    paragraph_starts = [m.start() for m in re.finditer(r"[^\n]*\S[^\n]*", text)]
    spans: list[_Span] = []
    opened: _Opening | None = None
    for match in _MARK.finditer(text):
        mark, position = match.group(), match.start()
        paragraph = bisect.bisect_right(paragraph_starts, position) - 1
        if opened and paragraph != opened.paragraph:
            runs_on = paragraph == opened.paragraph + 1 and mark == opened.mark \
                and not text[paragraph_starts[paragraph]:position].strip()
            if runs_on:
                opened = opened._replace(paragraph=paragraph)
                continue
            if _closes_a_broken_line(text, opened, paragraph, paragraph_starts, position, mark):
                spans.append(_Span(opened.position, position, opened.first_paragraph, paragraph))
                opened = None
                continue
            opened = None
        if opened and (mark in _CLOSERS[opened.mark] and _can_close(text, position, mark)
                       or mark == opened.mark in _TURNED_CLOSERS and _ends_a_word(text, position)):
            spans.append(_Span(opened.position, position, opened.first_paragraph, paragraph))
            opened = None
        elif mark in _CLOSERS and (opened is None or mark == opened.mark) and _can_open(text, position, mark):
            opened = _Opening(mark, position, paragraph, paragraph)   # a repeated opener: the earlier one never closed
    return spans


def _closes_a_broken_line(text: str, opened: _Opening, paragraph: int, paragraph_starts: list[int],
                          position: int, mark: str) -> bool:
    """The quote's closing mark on the next line, the first mark there, when the line before breaks
    off mid-sentence (a ``<br>`` inside a quotation: "… orang yang kamu¶benci celaka.”")."""
    if paragraph != opened.paragraph + 1 or mark not in _CLOSERS[opened.mark] or not _can_close(text, position, mark):
        return False
    broken = text[:paragraph_starts[paragraph]].rstrip()
    return bool(broken) and (broken[-1].isalnum() or broken[-1] == ",")


def _can_open(text: str, position: int, mark: str) -> bool:
    following = text[position + 1:position + 2]
    if mark not in _OPENS_AT_WORD_START:
        return bool(following)
    preceding = text[position - 1:position] if position else " "
    return bool(following) and not following.isspace() and (
        preceding.isspace() or preceding in _OPEN_AFTER or preceding in _CLOSERS)


def _can_close(text: str, position: int, mark: str) -> bool:
    if mark not in _CLOSES_AT_WORD_END:
        return True
    preceding, following = text[position - 1:position], text[position + 1:position + 2]
    return bool(preceding) and not preceding.isspace() and (
        not following or following.isspace() or following in _CLOSE_BEFORE or following in _CLOSERS)


def _ends_a_word(text: str, position: int) -> bool:
    """A mark right after a word or punctuation and before a space, punctuation or the end."""
    preceding, following = text[position - 1:position], text[position + 1:position + 2]
    return bool(preceding) and not preceding.isspace() and (
        not following or following.isspace() or following in _CLOSE_BEFORE)


def _content(text: str, span: _Span) -> tuple[int, int]:
    """The characters between the outer marks, without surrounding spaces (« Bonjour »)."""
    start, end = span.open + 1, span.close
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _cue_after(text: str, span: _Span, language: str | None,
               mentions: Sequence[EntityMention]) -> _Attribution | None:
    """``"…," kata X``, ``"…," X said``, ``"…," imbuhnya``, ``"…" — X``. After a quote ending in a
    full stop, only a cue right after it counts: a speaker-first clause there starts a new sentence."""
    base = span.close + 1
    window = re.split(r"[\n\"“”„«»「」『』]", text[base:base + _CUE_WINDOW], maxsplit=1)[0]
    dash = re.match(r"[^\S\n]*[" + _DASHES + r"][^\S\n]*", window)
    if dash:
        speaker = _speaker_in(text, mentions, base + dash.end(), base + len(window), base + dash.end(), last=False)
        return _Attribution("—", speaker, False, True) if speaker else None
    found = _cue_patterns(language)["after"].match(window)
    if not found:
        return None
    cue = _normalised(found.group("cue"))
    lead = found.group("lead").split()
    if lead and _leads_into_next_quote(text, span, base + len(window)):
        return None
    if cue in _cue_patterns(language)["backref"] or (lead and lead[-1].casefold() in _pronouns(language)):
        return _Attribution(cue, None, True, not lead, pronoun=lead[-1].casefold() if lead else None)
    if lead:
        cue_start = base + found.start("cue")
        name_end = base + found.start("lead") + found.group("lead").find(",") if "," in found.group("lead") \
            else cue_start
        # "…," Blige sings to Clinton before asking her: a participle's speaker is the clause's subject
        participle = cue in _cue_patterns(language)["participles"]
        speaker = _modified_description(text, mentions, found.group("lead"), language, span.open) \
            or _speaker_in(text, mentions, base + found.start("lead"), name_end, cue_start, last=not participle) \
            or _described_speaker(text, mentions, found.group("lead"), language, span.open) \
            or _titled_speaker(text, mentions, found.group("lead"), span.open)
    else:
        rest = _clause(window[found.end():])
        first = rest.split(",", 1)[0]
        if first.split() and first.split()[0].casefold() in _pronouns(language):
            return _Attribution(cue, None, True, True, pronoun=first.split()[0].casefold())
        cue_end = base + found.end()
        named = (_name_ending_role(text, mentions, cue_end, cue_end + len(rest)) if language in _ROLE_DESCRIPTIONS
                 else None) or _speaker_in(text, mentions, cue_end, cue_end + len(first), cue_end, last=False)
        appositive = _appositive_person(text, mentions, cue_end + len(first), cue_end + len(rest))
        speaker = (appositive or _modified_description(text, mentions, first, language, span.open) or named) \
            if _opens_description(first, language) else (named or appositive)
        speaker = speaker or _described_speaker(text, mentions, first, language, span.open) \
            or _titled_speaker(text, mentions, first, span.open)
    return _Attribution(cue, speaker, False, not lead)


def _name_ending_role(text: str, mentions: Sequence[EntityMention], start: int, end: int) -> str | None:
    """"kata Kepala Bidang Humas Polda Metro Jaya Komisaris Besar Yusri Yunus, Selasa", "kata Kepala Bagian
    Hukum dan Humas, RSUP Dr Sardjito, Banu Hermawan, saat dihubungi": a role written before the name
    is a run of capitalised words (commas and "dan" inside it), and the name ends it; its last person
    is the speaker, not the organisations and offices the model read as people on the way. A run that
    opens with a lower-case description ("anggota Tim Peneliti GeNose dari UGM, Dian …") starts after
    its comma."""
    run = _ROLE_RUN.match(text, start, end)
    if run is None or not run.group(1):
        comma = text.find(",", start, end)
        run = _ROLE_RUN.match(text, comma + 1, end) if comma > 0 and text[start:end].lstrip()[:1].islower() else None
    if run is None or not run.group(1):
        return None
    stop = run.start(1) + len(_before_calendar_word(run.group(1)))
    people = [m for m in mentions if m.type == "PERSON" and run.start(1) <= m.start_offset and m.end_offset <= stop]
    return people[-1].name if people else None


def _before_calendar_word(run: str) -> str:
    """``run`` up to a day or month name ("Yusri Yunus, Selasa"): the date that follows the name."""
    calendar = calendar_words()
    for word in _NAME_WORD.finditer(run):
        if word.group().casefold() in calendar:
            return run[:word.start()]
    return run


def _leads_into_next_quote(text: str, span: _Span, window_end: int) -> bool:
    """A speaker-first clause after a quote that ends a sentence belongs to what follows: after a
    full stop it starts a new sentence; after "?" or "!" when it leads into the next quote ("“Bagaimana
    itu?” Umar berkata, “Jika …”"), whereas "“Where?” John asked." stays John's."""
    ending = text[span.close - 1:span.close]
    if ending == ".":
        return True
    return ending in "?!" and text[span.close + 1:window_end].rstrip().endswith((",", ":")) \
        and text[window_end:window_end + 1] in _CLOSERS


def _clause(words: str) -> str:
    """``words`` up to the end of their clause; a full stop after an abbreviation ("Dr.") goes on."""
    for end in _CLAUSE_END.finditer(words):
        if not _after_abbreviation(words, end.start()):
            return words[:end.start()]
    return words


def _opens_description(words: str, language: str | None) -> bool:
    """"le directeur de l'office", "l'assessore ai Trasporti": an article opens a description of the
    speaker, not a name (capitalised words in it are a portfolio or a place)."""
    first = words.split()[0].casefold() if words.split() else ""
    return any(first == article or (article[-1] in "'’" and first.startswith(article))
               for article in speech_verbs(language)["articles"])


def _described_speaker(text: str, mentions: Sequence[EntityMention], description: str, language: str | None,
                       before: int, longest: int = _DESCRIPTION_WORDS) -> str | None:
    """"the president said", "the ministry said": the nearest earlier person titled with the
    description's last word right before the name ("President Barack Obama") or organisation with
    it in its name ("the Ministry of Defence"); else a short description stands for the speaker as
    written ("the union wrote": the article names no one), rather than someone else's name."""
    words = description.split()
    if len(words) < 2 or not _opens_description(description, language):
        return None
    noun = words[-1].casefold()
    for mention in reversed(mentions):
        if mention.end_offset <= before and mention.type in ("PERSON", "ORG"):
            title = _WORD_BEFORE.search(text[max(0, mention.start_offset - _TITLE_REACH):mention.start_offset].rstrip(" ,"))
            named = [word.casefold() for word in _NAME_WORD.findall(mention.surface)]
            if noun in named or (mention.type == "PERSON" and title and title.group(1).casefold() == noun):
                return _name_of(mention)
    return description.strip() if len(words) <= longest and words[-1].islower() else None


def _modified_description(text: str, mentions: Sequence[EntityMention], phrase: str, language: str | None,
                          before: int) -> str | None:
    """"one Trump campaign source said", "said the senior Cruz adviser": a description whose head is a
    common noun is the speaker, not the names that modify it (the earlier person it titles, else as
    written; PolNeAR rest of train 0.835/0.856 -> 0.844/0.864 by half, with "one" and "another" as articles)."""
    words = phrase.split(",", 1)[0].split()
    if not 2 < len(words) <= _MODIFIED_DESCRIPTION_WORDS or not words[-1].islower() \
            or not any(word[:1].isupper() for word in words[1:-1]) or not _opens_description(phrase, language) \
            or set(words) & set(speech_verbs(language)["prepositions"]):
        return None
    return _described_speaker(text, mentions, " ".join(words), language, before, longest=len(words))


def _role_description(mention: EntityMention) -> bool:
    """A "person" that is part of a role description: its name ends with a title ("Bidang Humas Polda
    Metro Jaya Komisaris Besar", the name comes after it) or opens with the word of an office or an
    organisation ("Bagian Hukum dan Humas", "Satuan Lalu Lintas")."""
    words = mention.name.split()
    return mention.type == "PERSON" and len(words) > 1 and (
        words[-1] in person_title_words() or words[0] in _office_words())


def _common_words_as_names(text: str, mentions: Sequence[EntityMention]) -> set[str]:
    """First words of "people" that the article also writes in lower case: common words capitalised at
    the start of a sentence ("Fenomena La Nina", "Melalui teh Nusantara"), not names."""
    firsts = {_first_word(m) for m in mentions if m.type == "PERSON"}
    return {first for first in firsts if first[:1].isupper() and _written(text, first.casefold())}


def _first_word(mention: EntityMention) -> str:
    words = mention.surface.split()
    return words[0] if words else ""


def _written(text: str, word: str) -> bool:
    """Whether ``text`` has ``word`` as a whole word, exactly as given (one search, no word list)."""
    return _occurrences(text, word, stop=1) == 1


def _occurrences(text: str, word: str, stop: int) -> int:
    """How many times ``word`` stands as a whole word in ``text``, counting up to ``stop``; by
    substring search, which costs far less than a regular expression per mention."""
    found, position = 0, text.find(word)
    while position >= 0 and found < stop:
        end = position + len(word)
        if not (position and text[position - 1].isalnum()) and not (end < len(text) and text[end].isalnum()):
            found += 1
        position = text.find(word, position + 1)
    return found


def _capitalised_by_position(text: str, mention: EntityMention, language: str | None) -> bool:
    """A one-word "person" that opens a sentence, appears nowhere else and says nothing there ("Fakta
    itu sangat ironis"): a word capitalised by its place; an article introduces a person it quotes by a
    fuller name (PFSA-ID `-nya` 0.724 -> 0.742 on the odd half, the even half unchanged)."""
    if " " in mention.surface.strip():
        return False
    before = text[max(0, mention.start_offset - 3):mention.start_offset]
    if before.strip() and before.rstrip()[-1:] not in ".!?\n\"”“":
        return False
    following = _NAME_WORD.search(text, mention.end_offset, mention.end_offset + 30)
    if following is not None and following.group().casefold() in speech_verbs(language)["verbs"]:
        return False
    return _occurrences(text, mention.surface.strip(), stop=2) == 1


@lru_cache(maxsize=1)
def _folded_title_words() -> frozenset[str]:
    return frozenset(word.casefold() for word in person_title_words())


@lru_cache(maxsize=1)
def _title_heads() -> frozenset[str]:
    return frozenset(load("person_titles")["heads"])


@lru_cache(maxsize=1)
def _office_words() -> frozenset[str]:
    """Words that open the name of an office or organisation, never a person's ("Bidang", "Dinas")."""
    heads = load("organisation_heads")
    return frozenset(heads["org"]) | frozenset(load("person_titles")["modifiers"])


def _titled_speaker(text: str, mentions: Sequence[EntityMention], words: str, before: int) -> str | None:
    """"kata Presiden", "ujar Menteri Keuangan": a title with no name is the person the article named
    with that title before (the nearest earlier person whose name follows the title's first word with
    only capitalised words between, no other title: "Gubernur Jawa Timur Ratna Dewi", not "Presiden
    dan Menteri Perdagangan Arif"); else the title as written, a speaker with no entity."""
    title = _NAME_WORD.findall(words)
    known = person_title_words()
    if not title or not all(word in known for word in title) or not title[0][0].isupper():
        return None
    for mention in reversed(mentions):
        if mention.type == "PERSON" and mention.end_offset <= before:
            lead_in = text[max(0, mention.start_offset - _TITLE_REACH):mention.start_offset]
            written = re.search(rf"\b{re.escape(title[0])}((?:\s+[A-Z]\w*)*)\s+$", lead_in)
            if written and not set(written.group(1).split()) & _title_heads():   # "Gubernur Jawa Timur X"
                return mention.name
    return " ".join(title)


def _appositive_person(text: str, mentions: Sequence[EntityMention], comma: int, end: int) -> str | None:
    """"a déclaré le directeur de l'office, Marc Pellissier": after a description the cue's clause
    names the speaker right after the next comma."""
    segment = text[comma:end]
    if not segment.startswith(","):
        return None
    start = comma + 1 + len(segment[1:]) - len(segment[1:].lstrip())
    return next((m.name for m in mentions if m.start_offset == start and m.type == "PERSON"), None)


def _cue_before(text: str, span: _Span, after_previous: int, language: str | None,
                mentions: Sequence[EntityMention]) -> _Attribution | None:
    """``X mengatakan, "…"``, ``Menurut X, "…"``, ``According to X, "…"``, ``X said: "…"``, within
    the sentence that leads into the quote, which may end the previous paragraph with a colon
    ("Caddell continued: ¶ "…")."""
    head_start = max(_lead_in_start(text, span.open), after_previous)
    head = text[head_start:span.open]
    sentence_ends = [end for end in _SENTENCE_END.finditer(head) if not _after_abbreviation(head, end.start())]
    if sentence_ends:
        head_start, head = head_start + sentence_ends[-1].end(), head[sentence_ends[-1].end():]
    patterns = _cue_patterns(language)
    found = [m for m in patterns["before"].finditer(head) if len(head) - m.end() <= _CUE_GAP or (
        not head[:m.start()].strip() and _normalised(m.group("cue")) in patterns["according"]
        and head.rstrip().endswith((",", ":")))]
    if not found:
        return None
    cue_match = found[-1]
    cue = _normalised(cue_match.group("cue"))
    gap_start, anchor = head_start + cue_match.end(), head_start + cue_match.start()
    adjacent = not head[cue_match.end():].strip(" \t\n,:")
    if cue in patterns["backref"]:
        return _Attribution(cue, None, True, adjacent, anchor)
    if cue in patterns["according"]:
        return _Attribution(cue, _speaker_in(text, mentions, gap_start, span.open, gap_start, last=False), False, adjacent)
    before_cue = head[:cue_match.start()].split()
    participle = cue in patterns["participles"]
    subject = before_cue[-1 if not participle else 0].casefold() if before_cue else ""
    if subject in _pronouns(language):
        return _Attribution(cue, None, True, adjacent, anchor, subject)
    subject_end = head_start + _apposition_start(head, cue_match.start())
    named_after = head[cue_match.end():].lstrip(" \t,:")[:1].isupper()
    subject_phrase = text[head_start:subject_end].rsplit(",", 1)[-1]
    speaker = (None if participle else _modified_description(text, mentions, subject_phrase, language, anchor)) \
        or _speaker_in(text, mentions, head_start, subject_end, anchor, last=not participle) \
        or _speaker_in(text, mentions, subject_end, anchor, anchor, last=not participle) \
        or (_speaker_in(text, mentions, gap_start, span.open, gap_start, last=False) if named_after else None) \
        or _described_speaker(text, mentions, " ".join(before_cue), language, anchor)
    return _Attribution(cue, speaker, False, adjacent)


def _after_abbreviation(text: str, position: int) -> bool:
    """Whether the full stop at ``position`` ends an abbreviation or an initial ("Gov. John Kasich",
    "George W. Bush"), not a sentence."""
    before = _WORD_BEFORE.search(text, max(0, position - 12), position)
    return text[position:position + 1] == "." and before is not None and (
        before.group(1) in ABBREVIATIONS or (len(before.group(1)) == 1 and before.group(1).isupper()))


def _lead_in_start(text: str, position: int) -> int:
    """The start of ``position``'s paragraph, or of the previous one when that ends with a colon
    and the quote opens its own."""
    line_start = text.rfind("\n", 0, position) + 1
    if text[line_start:position].strip():
        return line_start
    previous_end = len(text[:line_start].rstrip())
    return text.rfind("\n", 0, previous_end) + 1 if text[previous_end - 1:previous_end] == ":" else line_start


def _apposition_start(head: str, end: int) -> int:
    """Where an apposition or relative clause that closes with a comma right before ``end`` opens
    ("Rucker Culpepper, who runs Clinton's effort, said"): the speaker is named before it, or
    in it when the words before describe them ("Pedagang beras, Sulastri, mengatakan")."""
    lead = head[:end].rstrip()
    opening = lead.rfind(",", 0, len(lead) - 1) if lead.endswith(",") else -1
    return opening if opening > 0 else end


def _speaker_in(text: str, mentions: Sequence[EntityMention], start: int, end: int, anchor: int, *, last: bool) -> str | None:
    """The name of the person (else organisation) mentioned in ``[start, end)``, the last or first
    one; a place counts only right at the cue (``anchor``): "Kazakhstan said"."""
    inside = [m for m in mentions if start <= m.start_offset and m.end_offset <= end]
    # "Clinton's top aide Jake Sullivan", "Gov. John Kasich (R-OH)": an owner or a parenthesis is not the speaker
    named = [m for m in inside if not _POSSESSIVE_AFTER.match(text, m.end_offset) and not _in_parenthesis(text, m, start)]
    inside = named or inside
    places = [m for m in inside
              if m.type == "LOC" and min(abs(m.start_offset - anchor), abs(m.end_offset - anchor)) <= 2]
    for pool in ([m for m in inside if m.type == "PERSON"], [m for m in inside if m.type == "ORG"], places):
        if pool:
            return _name_of(pool[-1] if last else pool[0])
    return None


def _in_parenthesis(text: str, mention: EntityMention, floor: int) -> bool:
    return text.rfind("(", floor, mention.start_offset) > text.rfind(")", floor, mention.start_offset)


def _name_of(mention: EntityMention) -> str:
    """The canonical name, except for an organisation spelled out where its short name is the
    canonical one, named as spelled out ("Badan Nasional Penanggulangan Terorisme (BNPT)" speaks as
    the Badan, not "BNPT")."""
    if mention.type == "ORG" and " " not in mention.name and " " in mention.surface.strip():
        return " ".join(mention.surface.split())
    return mention.name


def _referred_speaker(text: str, mentions: Sequence[EntityMention], language: str | None, span: _Span,
                      previous: tuple[_Span, Quote] | None,
                      attribution: _Attribution, speakers: Sequence[str], genders: dict[str, str],
                      gender: str | None) -> str | None:
    """Who "he said" / "imbuhnya" refers to: the person the quote's paragraph introduces before
    the cue; else, after a paragraph with no quote, the subject of that paragraph ("Ham made it
    clear … ¶ "…," he said"); else the last speaker, else the last person named. A candidate whose
    known gender (``genders``) differs from the pronoun's ``gender`` is passed over ("she said" after
    "Mr. Trump" or after a "he said" resolved to him)."""
    clause_start = span.open if attribution.clause_start is None else attribution.clause_start
    quoted_just_before = previous is not None and span.first_paragraph - previous[0].last_paragraph <= 1
    in_paragraph = _people_in_paragraph(text, mentions, clause_start, previous)
    fitting = [name for name in in_paragraph if genders.get(name, gender) == gender]
    if fitting or in_paragraph and not gender:
        return (fitting or in_paragraph)[0]
    candidates = [None if quoted_just_before else _subject_since(text, mentions, span.open, previous, language),
                  *reversed(speakers), _last_person_before(mentions, span.open)]
    named = [name for name in candidates if name]
    return next((name for name in named if genders.get(name, gender) == gender), named[0] if named else None)


def _people_in_paragraph(text: str, mentions: Sequence[EntityMention], end: int,
                         previous: tuple[_Span, Quote] | None) -> list[str]:
    """The first person named before ``end`` in its paragraph (mostly the paragraph's subject:
    "Buckley, who … a song like "Glasgow" … "…," she said"), after the previous quote's sentence
    ("…," kata A kepada B. "…," tambahnya: A, not B)."""
    floor = text.rfind("\n", 0, end) + 1
    if previous and previous[0].close >= floor:
        sentence_end = _SENTENCE_END.search(text, previous[0].close + 1, end)
        floor = sentence_end.end() if sentence_end else end
    return [m.name for m in mentions if m.type == "PERSON" and floor <= m.start_offset and m.end_offset <= end
            and not _POSSESSIVE_AFTER.match(text, m.end_offset)]


def _subject_since(text: str, mentions: Sequence[EntityMention], position: int,
                   previous: tuple[_Span, Quote] | None, language: str | None) -> str | None:
    """The subject of the nearest paragraph before ``position``'s that has one, back to the previous
    quote's: a person introduced since that quote ("…," kata A. ¶ Sementara itu, B menilai … ¶ Hal itu
    … "…," ujarnya: B; on PFSA-ID `-nya` 0.61 -> 0.72 on the half it was not developed on)."""
    floor = previous[0].close if previous else 0
    paragraph = _previous_paragraph(text, position)
    while paragraph and paragraph[1] > floor:
        subject = _subject_of(text, mentions, *paragraph, language)
        if subject:
            return subject
        paragraph = _previous_paragraph(text, paragraph[0])
    return None


def _previous_paragraph(text: str, position: int) -> tuple[int, int] | None:
    """Start and end of the last paragraph with text before ``position``'s, if any."""
    end = text.rfind("\n", 0, position)
    while end > 0 and not text[text.rfind("\n", 0, end) + 1:end].strip():
        end = text.rfind("\n", 0, end)
    return (text.rfind("\n", 0, end) + 1, end) if end > 0 else None


def _subject_of(text: str, mentions: Sequence[EntityMention], start: int, end: int,
                language: str | None) -> str | None:
    """The first person named, not after a preposition, in the last sentence of ``[start, end)`` that
    names one so; none when a pronoun or possessive opens that sentence ("He added that Clinton …",
    "His audio was quieter than Clinton's": its subject is someone earlier)."""
    sentence_starts = [start] + [m.end() for m in _SENTENCE_END.finditer(text, start, end)]
    words = speech_verbs(language)
    people = [m for m in mentions if m.type == "PERSON" and start <= m.start_offset and m.end_offset <= end
              and not _after_preposition(text, m.start_offset, language)]
    for sentence_start in reversed(sentence_starts):
        in_sentence = [m for m in people if m.start_offset >= sentence_start]
        if in_sentence:
            opening = _NAME_WORD.search(text, sentence_start, end)
            opener = opening.group().casefold() if opening else ""
            if opener in words["pronouns"] or opener in words["possessives"]:
                return None
            cue = _cue_patterns(language)["before"].search(text, sentence_start, end)
            reporting = [m for m in in_sentence if cue and m.end_offset <= cue.start()]
            return (reporting[-1] if reporting else in_sentence[0]).name
    return None


def _after_preposition(text: str, position: int, language: str | None) -> bool:
    """Whether the name at ``position`` follows a preposition, maybe with an article between ("on
    Midway", "at the National Review"): it is not the subject of its sentence."""
    words = speech_verbs(language)
    before = _word_before(text, position)
    if before in words["articles"]:
        before = _word_before(text, position - len(before) - 1)
    return before in words["prepositions"]


def _word_before(text: str, position: int) -> str:
    """The casefolded word right before ``position`` and a space ("on" in "on Midway")."""
    found = _WORD_BEFORE_NAME.search(text, max(0, position - 20), position)
    return found.group(1).casefold() if found and not text[found.end(1)] == "." else ""


def _known_genders(text: str, mentions: Sequence[EntityMention], language: str | None) -> dict[str, str]:
    """Genders of people written with a gendered honorific somewhere in the text ("Mr. Clarke"),
    else told by their first name ("Hillary Clinton"), in languages whose pronouns have a gender."""
    honorifics = _genders(language)
    genders: dict[str, str] = {}
    if not honorifics:
        return genders
    people = [m for m in mentions if m.type == "PERSON"]
    for mention in people:
        before = _WORD_BEFORE_NAME.search(text, max(0, mention.start_offset - _TITLE_REACH), mention.start_offset)
        first = _NAME_WORD.match(mention.surface)
        for word in (first.group() if first else "", before.group(1) if before else ""):
            if word.casefold() in honorifics:
                genders.setdefault(mention.name, honorifics[word.casefold()])
    for name in {m.name for m in people} - genders.keys():
        words = _given_and_family_names(name)
        gender = first_name_gender(words[0]) if len(words) > 1 else None
        if gender:
            genders[name] = gender
    return genders


def _given_and_family_names(name: str) -> list[str]:
    """The words of a name after any place or title written into it ("Virginia Gov. Terry McAuliffe"
    -> Terry McAuliffe; "Gubernur Ratna Dewi" -> Ratna Dewi): the first is the given name."""
    words = name.split()
    after = max((i + 1 for i, word in enumerate(words[:-1]) if word.endswith(".") and len(word) > 2
                 or word.casefold() in _folded_title_words()), default=0)
    return words[after:]


def _person_opening_sentence(text: str, mentions: Sequence[EntityMention], position: int) -> str | None:
    """The first person who opens a clause of the sentence leading into a quote with no cue, only
    capitalised words (titles) before them ("In an August speech, Trump attacked "…"", not "a lack of
    passion for Clinton among …"): the quote is theirs rather than the previous speaker's."""
    floor = text.rfind("\n", 0, position) + 1
    ends = list(_SENTENCE_END.finditer(text, floor, position))
    floor = ends[-1].end() if ends else floor
    people = [m for m in mentions if m.type == "PERSON" and floor <= m.start_offset and m.end_offset <= position]
    return next((m.name for m in people if not _LOWER_WORD.search(text[floor:m.start_offset].rsplit(",", 1)[-1])), None)


def _last_person_before(mentions: Sequence[EntityMention], position: int) -> str | None:
    people = [m for m in mentions if m.type == "PERSON" and m.end_offset <= position]
    return people[-1].name if people else None


def _normalised(cue: str) -> str:
    return " ".join(cue.split()).casefold()


@lru_cache(maxsize=64)
def _pronouns(language: str | None) -> frozenset[str]:
    return frozenset(speech_verbs(language)["pronouns"])


@lru_cache(maxsize=64)
def _genders(language: str | None) -> dict[str, str]:
    """Gendered pronouns and honorifics of ``language`` ("she" -> "f", "mr" -> "m")."""
    return load("speech_verbs")["genders"].get(language, {})


def _cue_patterns(language: str | None) -> dict:
    """Compiled cue patterns for a language: ``after`` matches from a closing mark (up to five
    words of speaker before the verb), ``before`` finds cues in the lead-in to a quote."""
    return cue_patterns(language if language in speech_verb_languages() else None)


@lru_cache(maxsize=16)
def cue_patterns(language: str | None) -> dict:
    """``_cue_patterns`` of a language with speech verbs of its own, or (None) of every other: they all
    read every language's cues, compiled once (~0.1 s each) instead of once per language met."""
    cues = speech_verbs(language)

    def alternation(phrases) -> str:
        ordered = sorted(set(phrases), key=len, reverse=True)
        return "|".join(r"\s+".join(map(re.escape, phrase.split())) for phrase in ordered)

    after = alternation(cues["backref"] + cues["inverted"] + cues["verbs"] + cues["participles"])
    before = alternation(cues["backref"] + cues["according"] + cues["verbs"] + cues["participles"])
    return {
        "after": re.compile(r"[^\S\n]*[,.!?;:]?[^\S\n]*(?P<lead>(?:" + _LEAD_WORD + r"[^\S\n]+){0,6}?(?:" + _LEAD_WORD
                            + _APPOSITION + r")?)(?P<cue>" + after + r")(?!\w)", re.IGNORECASE),
        "before": re.compile(r"(?<!\w)(?P<cue>" + before + r")(?!\w)", re.IGNORECASE),
        "backref": frozenset(_normalised(c) for c in cues["backref"]),
        "according": frozenset(_normalised(c) for c in cues["according"]),
        "participles": frozenset(_normalised(c) for c in cues["participles"]),
    }
