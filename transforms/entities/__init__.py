"""People, organisations and places in article text, with character offsets.

Rule- and lexicon-based, with no model to download: capitalised runs of tokens (``tokens``,
continued where an organisation's name goes on: ``spans``) are split by title, organisation-head
and gazetteer rules (``segment``, ``gazetteer``), typed by the words around them (``neighbours``),
looked at again with what the whole article says (``article``), then settled per article: acronym
pairs, surname links and one type per name (``finder``). The word lists and the candidates live in
``context``. On the Indonesian idner-news-2k dev set, sentence by sentence, this scores typed F1
0.63 (P 0.55, R 0.75); NOTES.md measured 0.81 for a spaCy model trained on that corpus: the price
of shipping no trained weights.
"""
from transforms.entities.finder import EntityMention, find_entities

__all__ = ["EntityMention", "find_entities"]
