"""The forkserver's warm-up leaves every lazy cache a chunk step reads filled, so step processes forked
from it load nothing again (issue 18: a step that met one French page loaded the French model itself,
3.1 s of CPU per step)."""
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

PROBE = """
import pipeline.warm
from dateparser.languages.dictionary import Dictionary
from transforms.entities.models import _loaded
from transforms.entities.places import city_index
from transforms.lexicons import _first_names, speech_verb_languages
from transforms.quotes import cue_patterns
assert {language for language, model in _loaded.items() if model is not None} >= {"en", "id", "fr"}, _loaded
assert cue_patterns.cache_info().currsize == len(speech_verb_languages()) + 1, cue_patterns.cache_info()
assert _first_names.cache_info().currsize == 1 and city_index.cache_info().currsize == 1
# dateparser's split patterns of every locale (205), which htmldate's search compiles on first use
assert sum(len(patterns) for patterns in Dictionary._split_regex_cache.values()) > 100
print("warm")
"""


def test_the_warm_up_fills_the_models_and_caches_of_every_stage():
    done = subprocess.run([sys.executable, "-c", PROBE], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "warm"
