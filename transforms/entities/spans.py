"""Runs of capitalised tokens, continued where an organisation's name goes on past them.

``tokens.runs`` stops at punctuation and lower-case words; four kinds of organisation name go on:
- a list of portfolios after a head word: "Ministerio de Agricultura, Pesca y Alimentación",
  "Badan Meteorologi, Klimatologi, dan Geofisika" (single words, the last after a conjunction);
- a possessive before a head word: "St Columba's Hospital" (unless the owner is a known name:
  "Russia's Army" is Russia's);
- lower-case adjectives after a head word, in languages that put them there, when a connector and
  a name follow: "Provincia autonoma di Trento", "Ministère de l'Intérieur";
- an abbreviated head after a comma: "Ziff Davis, Inc.".
"""
from __future__ import annotations

import re

from transforms.entities.context import Context
from transforms.entities.tokens import CONJUNCTIONS, CONNECTORS, run_end, runs

_LIST_GAP = re.compile(r"[ \t]*,[ \t]*")
_LAST_ITEM_GAP = re.compile(r"[ \t]*,?[ \t]+")
_POSSESSIVE_GAP = re.compile(r"['’]s?[ \t]+")
_ELIDED_ARTICLE = re.compile(r"[ \t]+[lL]['’]")
_ADJECTIVES_AFTER_HEAD = 2
# Italian "di" joins a name here only: in Indonesian it is "in" ("Jokowi di Istana Bogor").
_BRIDGE_CONNECTORS = CONNECTORS | {"di", "dei", "degli", "delle", "dello"}


def name_runs(ctx: Context) -> list[range]:
    """Index ranges of candidate names in text order (see the module notes)."""
    found: list[range] = []
    for run in runs(ctx.tokens):
        if found and run.start < found[-1].stop:
            continue   # already taken into the previous, continued run
        end = _continued(ctx, run)
        while end != run.stop:
            run = range(run.start, end)
            end = _continued(ctx, run)
        found.append(run)
    return found


def _continued(ctx: Context, run: range) -> int:
    """Where the run ends once continued by one of the module's rules (its own end if none)."""
    return (_enumeration_end(ctx, run) or _possessive_end(ctx, run) or _adjectives_end(ctx, run)
            or _abbreviated_head_end(ctx, run) or run.stop)


def _opens_with_head(ctx: Context, run: range) -> bool:
    return ctx.tokens[run.start].text in ctx.words.org_heads


def _gap(ctx: Context, index: int) -> str:
    return ctx.text[ctx.tokens[index - 1].end:ctx.tokens[index].start]


def _single_word(ctx: Context, index: int) -> bool:
    """A capitalised word standing alone (no capitalised word joined after it), no title or known name."""
    tokens = ctx.tokens
    if index >= len(tokens) or not tokens[index].is_capitalised or tokens[index].weak or ctx.is_title(tokens[index]):
        return False
    alone = index + 1 == len(tokens) or not (tokens[index + 1].joined and tokens[index + 1].is_capitalised)
    return alone and ctx.match(index, index + 1) is None


def _enumeration_end(ctx: Context, run: range) -> int | None:
    """"Ministerio de Agricultura, Pesca y Alimentación": single words after commas, then a
    conjunction and one last word, after a run that opens with a head word."""
    if not _opens_with_head(ctx, run):
        return None
    index = run.stop
    while index < len(ctx.tokens) and _LIST_GAP.fullmatch(_gap(ctx, index)) and _single_word(ctx, index):
        index += 1
    if index == run.stop or index + 1 >= len(ctx.tokens):
        return None
    conjunction = ctx.tokens[index]
    if conjunction.text in CONJUNCTIONS and _LAST_ITEM_GAP.fullmatch(_gap(ctx, index)) \
            and ctx.tokens[index + 1].joined and _single_word(ctx, index + 1):
        return index + 2
    return None


def _possessive_end(ctx: Context, run: range) -> int | None:
    """"St Columba's Hospital": an unknown owner, a possessive and a head word."""
    index = run.stop
    if index >= len(ctx.tokens) or not _POSSESSIVE_GAP.fullmatch(_gap(ctx, index)) \
            or ctx.tokens[index].text not in ctx.words.org_heads:
        return None
    known = ctx.match(run.start, run.stop)
    return None if known and known[0] == run.stop else run_end(ctx.tokens, index)


def _abbreviated_head_end(ctx: Context, run: range) -> int | None:
    """"Ziff Davis, Inc.": a comma and an abbreviated head word that ends the name."""
    index = run.stop
    if index >= len(ctx.tokens) or ctx.tokens[index].text not in ctx.words.abbreviated \
            or not _LIST_GAP.fullmatch(_gap(ctx, index)) or run_end(ctx.tokens, index) != index + 1:
        return None
    return index + 1


def _adjectives_end(ctx: Context, run: range) -> int | None:
    """"Provincia autonoma di Trento": up to two lower-case adjectives after the head word, a
    connector and a name, in languages that put adjectives after nouns."""
    if ctx.language not in ctx.words.adjectives_after_head or ctx.tokens[run.stop - 1].text not in ctx.words.org_heads:
        return None
    index = run.stop
    while index < len(ctx.tokens) and index - run.stop < _ADJECTIVES_AFTER_HEAD and ctx.tokens[index].joined \
            and ctx.tokens[index].text.islower() and ctx.tokens[index].text not in _BRIDGE_CONNECTORS \
            and not ctx.is_stop(ctx.tokens[index]):
        index += 1
    if index + 1 >= len(ctx.tokens) or ctx.tokens[index].text not in _BRIDGE_CONNECTORS or not ctx.tokens[index].joined:
        return None
    name = ctx.tokens[index + 1]
    if not name.is_capitalised or not (name.joined or _ELIDED_ARTICLE.fullmatch(_gap(ctx, index + 1))):
        return None
    return run_end(ctx.tokens, index + 1)
