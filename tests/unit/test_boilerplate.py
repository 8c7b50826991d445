import pytest

from transforms.boilerplate import remove_boilerplate

BODY = "\n".join(f"Paragraph {i} of the article carries the news of the day in several words." for i in range(8))


@pytest.mark.parametrize("chrome", [
    "Follow Berita WowKeren.com di Google News",
    "You can share this post!",
    "Baca Juga: Banjir Rendam Jakarta Utara",
    "Share this article",
    "We use cookies to improve your experience.",
    "Copyright © 2025 Harbour Times",
    "Lesen Sie auch: Neue Regeln für Mieter",
])
def test_chrome_lines_are_dropped_anywhere(chrome):
    text = remove_boilerplate(f"{BODY}\n{chrome}\n{BODY}")
    assert chrome not in text and text.count("Paragraph 0") == 2


def test_related_block_at_the_end_is_cut():
    text = remove_boilerplate(f"{BODY}\nRekomendasi Artikel\nRibuan Orang Ditahan\nBerita Terkait\nTokayev Pecat Kepala")
    assert text.endswith("several words.") and "Ribuan" not in text


def test_related_heading_early_in_the_text_is_kept():
    text = remove_boilerplate(f"Related stories\n{BODY}")
    assert text.startswith("Related stories")


def test_long_sentences_that_start_like_chrome_are_kept():
    sentence = "Follow the money, investigators said, because every payment left a trail through three banks in two countries."
    assert sentence in remove_boilerplate(f"{BODY}\n{sentence}")


def test_empty_text():
    assert remove_boilerplate("") == ""
