"""Splitting a run of capitalised tokens into entity candidates.

"Presiden Kazakhstan Kassym-Jomart Tokayev" holds a title (dropped, but it makes what follows a
PERSON), a country (gazetteer) and a name. The rules, in order: drop function words a sentence
starts with ("Namun", "Mengutip"); drop office words before a title ("Federal Industrial
Relations | Minister Priya Raman"); strip a title prefix; drop the title of a report or law
("Digital News Report"); an organisation head word makes the rest one ORG ("Kementerian Luar
Negeri Kazakhstan"), a place head word one LOC ("Jalan Sudirman"); otherwise split at gazetteer
names, acronyms, titles and stop words and keep the name pieces between. An institution after a
title ends where the person's name starts ("Kepala Stasiun Geofisika BMKG | Makassar | Irwan Lamba").
Each candidate records the evidence for its type so the finder can settle one type per name.
"""
from __future__ import annotations


from transforms.entities.context import Candidate, Context
from transforms.entities.gazetteer import Entry
from transforms.entities.neighbours import before_classifier, with_neighbour_evidence
from transforms.entities.tokens import CONJUNCTIONS, CONNECTORS

# Evidence that types a candidate on its own, without a default: what survives where office words
# or a work's title are dropped around it.
_OWN_EVIDENCE = ("gazetteer", "head", "pair", "acronym")
# Words a person's name has at most after an institution with no known name ending it.
_NAME_WORDS = 2


def split_run(ctx: Context, run: range) -> list[Candidate]:
    """Candidates in the run of token indices ``run``, in text order. A conjunction joins two names
    ("Harvard University and the Reuters Institute", "Kementerian Keuangan dan Bank Indonesia")
    except inside a known name ("Bosnia and Herzegovina") and inside an organisation that opens
    with its head word, when no new head, title or known name follows ("Badan Riset dan Inovasi
    Nasional", "Center for Strategic and International Studies"). "of" separates a name from the
    organisation it belongs to ("Mark Eastwood | of Wolverbridge University")."""
    whole = ctx.match(run.start, run.stop)
    if whole and whole[0] == run.stop:
        return _split_part(ctx, run.start, run.stop)
    bounds = [run.start]
    for k in run:
        if ctx.tokens[k].text in CONJUNCTIONS and not (
                _opens_with_head(ctx, bounds[-1], k, run.stop) and not _opens_a_name(ctx, k + 1, run.stop)):
            bounds.append(k)
        elif ctx.tokens[k].text == "of" and _names_before_organisation(ctx, bounds[-1], k, run.stop):
            bounds.append(k)
    bounds.append(run.stop)
    return [c for start, stop in zip(bounds, bounds[1:]) for c in _split_part(ctx, start, stop)]


def _names_before_organisation(ctx: Context, start: int, of: int, stop: int) -> bool:
    """A name that is no organisation (a word neither head nor title) before "of", an organisation after."""
    def has_head(first: int, end: int) -> bool:
        return any(ctx.is_org_head(k, first, end) for k in range(first, end))
    named = any(not ctx.is_title(ctx.tokens[k]) and ctx.tokens[k].is_capitalised for k in range(start, of))
    return named and not has_head(start, of) and has_head(of + 1, stop)


def _opens_with_head(ctx: Context, start: int, stop: int, run_stop: int) -> bool:
    first = _first_capitalised(ctx, start, stop)
    return first < stop and ctx.is_org_head(first, first, run_stop)


def _opens_a_name(ctx: Context, start: int, stop: int) -> bool:
    first = _first_capitalised(ctx, start, stop)
    return first < stop and (ctx.is_org_head(first, first, stop) or ctx.is_title(ctx.tokens[first])
                             or ctx.match(first, stop) is not None)


def _first_capitalised(ctx: Context, start: int, stop: int) -> int:
    return next((k for k in range(start, stop) if ctx.tokens[k].is_capitalised), stop)


def _split_part(ctx: Context, start: int, stop: int, titled: bool = False) -> list[Candidate]:
    """Candidates of one name-like part of a run (see the module notes for the order of the rules);
    ``titled``: a title earlier in the run makes the person's name the part's last name piece."""
    start = _skip_leading(ctx, start, stop)
    if start >= stop:
        return []
    office = _office_end(ctx, start, stop)
    if office is not None:
        return _own_evidence(_split_part(ctx, start, office)) + _split_part(ctx, office, stop)
    titled_end, found = _title_prefix(ctx, start, stop)
    person = titled or titled_end is not None or _after_lower_case_title(ctx, start)
    if titled_end is not None:
        start = _skip_leading(ctx, titled_end, stop)
    if start >= stop:
        return found
    work = _work_start(ctx, start, stop)
    if work is not None:
        return found + _own_evidence(_split_part(ctx, start, work))
    whole = ctx.match(start, stop)
    heads = [k for k in range(start, stop) if ctx.is_org_head(k, start, stop)]
    places = [k for k in range(start, stop) if ctx.tokens[k].text in ctx.words.loc_heads]
    if whole and whole[0] == stop:
        found.append(ctx.candidate(start, stop, whole[1].type, "gazetteer", whole[1]))
    elif not person and before_classifier(ctx, stop, ctx.words.org_after):
        found.append(ctx.candidate(start, stop, "ORG", "noun"))
    elif heads:
        found += _institution(ctx, start, stop, heads[0], "ORG", person)
    elif places:   # a place head alone ("Jalan") names nothing
        found += _institution(ctx, start, stop, places[0], "LOC", person) if len(places) < stop - start else []
    else:
        found += _pieces(ctx, start, stop, person)
    return [with_neighbour_evidence(ctx, c) if not c.evidence else c for c in found]


def _own_evidence(candidates: list[Candidate]) -> list[Candidate]:
    return [c for c in candidates if c.evidence in _OWN_EVIDENCE]


def _skip_leading(ctx: Context, index: int, stop: int) -> int:
    """Past function words, calendar words and sentence-initial common nouns ("Demonstrasi" when the
    article also writes "demonstrasi"); a known name survives unless it is itself a function word
    at a sentence start ("Antara lain" is "among others", not the agency). A head word with more name
    after it always opens the name ("Kementerian Perhubungan" though the article writes "kementerian"),
    as does an article capitalised inside a sentence ("à La Clusaz")."""
    while index < stop:
        token = ctx.tokens[index]
        if ctx.is_title(token) or _opens_with_article(ctx, index, stop) or (
                index + 1 < stop and (token.text in ctx.words.org_heads or token.text in ctx.words.loc_heads)):
            break
        known = ctx.match(index, stop)
        single_known = known is not None and known[0] == index + 1
        if not token.is_capitalised or (ctx.is_stop(token) and (not known or (token.weak and single_known))) \
                or (token.weak and not known and (token.fold in ctx.lower_words or _before_particle(ctx, index, stop))):
            index += 1
            continue
        break
    return index


def _opens_with_article(ctx: Context, index: int, stop: int) -> bool:
    token = ctx.tokens[index]
    return not token.weak and index + 1 < stop and token.fold in ctx.words.articles and not token.text.islower()


def _before_particle(ctx: Context, index: int, stop: int) -> bool:
    """"Shares of Bank of America": a sentence-initial word before "of" is rarely a name's start,
    unless it is the organisation's head word ("Bank of America", "University of Indonesia")."""
    return index + 1 < stop and ctx.tokens[index + 1].text in ("of", "for") \
        and ctx.tokens[index].text not in ctx.words.org_heads


def _office_end(ctx: Context, start: int, stop: int) -> int | None:
    """Where a title starts after capitalised words naming the office, in languages that write
    titles that way ("Federal Industrial Relations | Minister Priya Raman"): a title word later in
    the part with a name after it, in a part that does not open with an organisation head."""
    if ctx.language not in ctx.words.office_before_title or ctx.is_org_head(start, start, stop) \
            or ctx.is_title(ctx.tokens[start]):
        return None
    for index in range(start + 1, stop):
        if ctx.is_title(ctx.tokens[index]):
            titled_end, _ = _title_prefix(ctx, index, stop)
            return index if titled_end is not None and titled_end < stop else None
    return None


def _title_prefix(ctx: Context, index: int, stop: int) -> tuple[int | None, list[Candidate]]:
    """Where the name after a title prefix starts ("Presiden Kazakhstan | Kassym-Jomart Tokayev",
    "Russian Foreign Minister | Sergei Lavrov", "Bupati Mamuju | Muhammad Yasin" when the article
    names Mamuju as a place), with the places and organisations inside the prefix; ``(None, [])``
    when the run starts with no title."""
    found, titled = [], False
    while index < stop:
        token = ctx.tokens[index]
        known = ctx.match(index, stop)
        if known and (known[0] > index + 1 or not ctx.is_title(token)):
            found.append(ctx.candidate(index, known[0], known[1].type, "gazetteer", known[1]))
            index = known[0]
            continue
        if ctx.is_title(token):
            titled = True
        elif titled and token.text in ctx.article.places and index + 1 < stop:
            found.append(ctx.candidate(index, index + 1, "LOC", "place"))
        elif token.is_acronym and titled and not ctx.is_stop(token) and not ctx.is_org_head(index, index, stop):
            found.append(ctx.candidate(index, index + 1, "ORG", "acronym"))
        elif not (token.text in ctx.words.title_modifiers or token.fold in ctx.words.not_entities
                  or token.text in CONNECTORS):
            break
        index += 1
    return (index, found) if titled else (None, [])


def _work_start(ctx: Context, start: int, stop: int) -> int | None:
    """Where the words an organisation keeps end in the title of a report, law or prize ("Reuters
    Institute | Digital News Report", "Global Media Institute | Annual Trust Report"): after its
    first head word that no other head follows, else at the work word (known names before it stay)."""
    if stop - start < 2 or ctx.tokens[stop - 1].text not in ctx.words.works:
        return None
    head = next((k for k in range(start, stop - 1)
                 if ctx.is_org_head(k, start, k + 1) and not ctx.is_org_head(k + 1, start, k + 2)), None)
    return head + 1 if head is not None else stop - 1


def _institution(ctx: Context, start: int, stop: int, head: int, type_: str, person: bool) -> list[Candidate]:
    """One ORG (or LOC) from the start through the head word, ended early by ``_institution_end``;
    a second head word with words after it starts a unit of its own ("Perum Bulog | Kantor Wilayah
    Jawa Timur"). A LOC's name and country come from a known place inside ("Kota Almaty")."""
    end = _institution_end(ctx, start, stop, head, person)
    if type_ == "ORG":
        unit = next((k for k in range(head + 1, end - 1) if k - start >= 2 and ctx.is_org_head(k, k, end)), None)
        if unit is not None:
            return [ctx.candidate(start, unit, "ORG", "head")] + _split_part(ctx, unit, stop, person)
    whole = ctx.match(start, end)
    if whole and whole[0] == end:
        institution = ctx.candidate(start, end, whole[1].type, "gazetteer", whole[1])
    elif type_ == "LOC":
        institution = ctx.candidate(start, end, "LOC", "head", _place_entry(ctx, start, end))
    else:
        institution = _with_abbreviation_stop(ctx, ctx.candidate(start, end, "ORG", "head"))
    return [institution] + _split_part(ctx, end, stop, person)


def _institution_end(ctx: Context, start: int, stop: int, head: int, person: bool) -> int:
    """An institution ends after a known name that has more words after it ("Kementerian Luar
    Negeri Rusia | Maria Zakharova", "Bank Dunia | David Malpass"); after a title, before a name
    whose last word the article uses alone for a person ("PT Terminal Petikemas Celebes | Arman
    Tahir", with "kata Tahir" elsewhere)."""
    for index in range(start, stop):
        known = ctx.match(index, stop)
        if known and head < known[0] < stop:
            return _with_compass_words(ctx, known[0], stop)
    if person and stop - head > 1 and ctx.tokens[stop - 1].text in ctx.article.surnames:
        return max(head + 1, stop - _NAME_WORDS)
    return stop


def _with_abbreviation_stop(ctx: Context, candidate: Candidate) -> Candidate:
    """"Mindanao Seaways Corp.": the full stop of an abbreviated head belongs to the name."""
    abbreviated = ctx.tokens[candidate.stop - 1].text in ctx.words.abbreviated
    if abbreviated and ctx.text[candidate.end:candidate.end + 1] == ".":
        return candidate._replace(end=candidate.end + 1)
    return candidate


def _place_entry(ctx: Context, start: int, stop: int) -> Entry:
    """A place named by a head word ("Jalan Sudirman", "Kota Almaty"), in the country of a known place inside."""
    inner = (ctx.match(k, stop) for k in range(start, stop))
    country = next((known[1].country_code for known in inner if known), None)
    surface = " ".join(ctx.text[ctx.tokens[start].start:ctx.tokens[stop - 1].end].split())
    return Entry(surface, "LOC", country, False)


def _pieces(ctx: Context, start: int, stop: int, person: bool) -> list[Candidate]:
    """Known names, acronyms and the name pieces between them, split at stop words and titles. A
    title makes the next piece a person; ``person`` (the part follows a title) makes its last piece
    the person, and the pieces before it name the office ("Kepala | Pusat Meteorologi Publik | BMKG |
    Hendra Wijayanto"): they are dropped."""
    found: list[Candidate] = []
    plain: list[Candidate] = []
    name_start: int | None = None

    def flush(end: int) -> None:
        nonlocal name_start
        if name_start is not None:
            while end > name_start and not ctx.tokens[end - 1].is_capitalised:
                end -= 1
            if any(len(t.text) > 1 for t in ctx.tokens[name_start:end]):
                plain.append(ctx.candidate(name_start, end, None, ""))
                found.append(plain[-1])
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
        elif ctx.is_title(token) and index + 1 < stop:
            flush(index)
            found = [c for c in found if c not in plain] if person else found
            plain, person = [], True
            index += 1
        elif index == start and _opens_with_article(ctx, index, stop):
            name_start = index
            index += 1
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
    if not person or not plain:
        return found
    office, name = plain[:-1], plain[-1]
    return [c._replace(type="PERSON", evidence="title") if c == name else c for c in found if c not in office]


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
