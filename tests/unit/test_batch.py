"""Assembling a run's staged tables from per-document results."""
from datetime import datetime, UTC

import polars as pl

from transforms.batch import (SUPERSEDED, articles_frame, drop_older_than_stored, enrichment_frames, keep_latest_versions,
                              source_frames, with_publisher_ids)
from transforms.extract import ExtractedArticle

NOW = datetime(2025, 2, 1, tzinfo=UTC)


def article(document_id: str, article_id: str = "a1", published_at=None, text="Teks.", url=None, site_name=None):
    return ExtractedArticle(
        article_id=article_id, document_id=document_id, url=url, canonical_url=url, title="T", text=text,
        language="id", published_at=published_at, published_at_precision="minute" if published_at else None,
        published_at_raw=None, authors=[], word_count=1, content_sha256="0" * 64, origin=f"{document_id}.html",
        site_name=site_name, description=None, image_url=None, captions=["Foto: ANTARA/Rina"])


def test_latest_version_of_an_article_wins_and_older_ones_are_superseded():
    frame = articles_frame([
        article("new", published_at=datetime(2025, 1, 2, tzinfo=UTC)),
        article("old", published_at=datetime(2025, 1, 1, tzinfo=UTC)),
        article("other", article_id="a2"),
    ])
    kept, rejects = keep_latest_versions(frame, NOW)
    assert kept["document_id"].to_list() == ["new", "other"]
    assert rejects.select("document_id", "reason").rows() == [("old", SUPERSEDED)]


def test_an_input_older_than_the_stored_version_does_not_replace_it():
    frame = articles_frame([article("d1", published_at=datetime(2025, 1, 1, tzinfo=UTC)),
                            article("d2", article_id="a2", published_at=datetime(2025, 1, 5, tzinfo=UTC))])
    stored = pl.DataFrame({"article_id": ["a1", "a2"],
                           "published_at": [datetime(2025, 1, 3, tzinfo=UTC), datetime(2025, 1, 3, tzinfo=UTC)]})
    kept, older = drop_older_than_stored(frame, stored, NOW)
    assert kept["document_id"].to_list() == ["d2"]
    assert older["document_id"].to_list() == ["d1"] and older["reason"].to_list() == [SUPERSEDED]


def test_publisher_and_photo_credit_become_sources_and_the_article_gets_its_source_id():
    frame = articles_frame([article("d1", url="https://www.kabarnusa.co.id/a", site_name="KabarNusa")])
    sources, links, failures = source_frames(frame)
    assert failures.height == 0
    assert ("KabarNusa", "kabarnusa.co.id", "publisher") in sources.select("name", "domain", "kind").rows()
    assert set(links["role"].to_list()) >= {"publisher", "credit"}
    enriched = with_publisher_ids(frame, links)
    publisher_id = links.filter(pl.col("role") == "publisher")["source_id"].item()
    assert enriched["source_id"].to_list() == [publisher_id]


def test_empty_batch_gives_empty_frames_with_schemas():
    frame = articles_frame([])
    assert frame.height == 0 and "captions" in frame.columns
    assert all(f.height == 0 for f in enrichment_frames(frame))
    assert all(f.height == 0 for f in source_frames(frame))


def test_enrichment_links_a_speaker_to_an_entity_of_the_same_article():
    text = ('Presiden Kazakhstan Kassym-Jomart Tokayev memecat kabinetnya. "Percobaan kudeta telah digagalkan '
            'oleh pasukan kami," kata Tokayev.')
    entities, mentions, quotes, _ = enrichment_frames(articles_frame([article("d1", text=text)]))
    tokayev = entities.filter(pl.col("name") == "Kassym-Jomart Tokayev")
    assert tokayev.height == 1 and tokayev["mention_count"].item() == 2
    assert quotes["speaker_entity_id"].to_list() == tokayev["entity_id"].to_list()
    assert all(text[s:e] == surface for s, e, surface in mentions.select("start_offset", "end_offset", "surface").rows())


def test_an_organisation_speaking_under_its_long_name_links_to_its_acronym_entity():
    text = ('Badan Nasional Penanggulangan Terorisme (BNPT) menyiapkan aturan baru. "Revisi ini tetap menjunjung '
            'tinggi hak asasi manusia," jelas Badan Nasional Penanggulangan Terorisme.')
    entities, _, quotes, _ = enrichment_frames(articles_frame([article("d1", text=text)]))
    assert quotes["speaker_entity_id"].to_list()[0] in entities["entity_id"].to_list()


def test_enrichment_maps_over_chunks_of_articles_and_runs_the_english_model():
    texts = ["President Joe Biden spoke in Canberra. \"We will help,\" Biden said.",
             "Presiden Kazakhstan Kassym-Jomart Tokayev tiba di Almaty.", "Zorblax Quentin left Sydney."]
    frame = articles_frame([article(f"d{i}", article_id=f"a{i}", text=t) for i, t in enumerate(texts)])
    frame = frame.with_columns(pl.Series("language", ["en", "id", "en"]))
    seen = []

    def recording_map(function, chunks):
        chunks = list(chunks)
        seen.extend(chunks)
        return map(function, chunks)

    chunked = enrichment_frames(frame, recording_map, chunk_size=2)
    assert [len(chunk) for chunk in seen] == [2, 1] and all(isinstance(chunk, list) for chunk in seen)
    whole = enrichment_frames(frame, chunk_size=100)
    assert all(a.equals(b) for a, b in zip(chunked, whole))
    entities, _, quotes, _ = chunked
    methods = dict(entities.select("name", "method").rows())
    assert methods["Joe Biden"] == "model:en" and methods["Kazakhstan"] == "gazetteer"
    biden = entities.filter(pl.col("name") == "Joe Biden")["entity_id"].item()
    assert quotes["speaker_entity_id"].to_list() == [biden]


def test_cities_get_coordinates_and_their_country_while_countries_and_people_do_not():
    text = "Presiden Kazakhstan Kassym-Jomart Tokayev tiba di Almaty, lalu terbang ke Moskwa dan Surabaya."
    entities, _, _, _ = enrichment_frames(articles_frame([article("d1", text=text)]))
    places = {name: (code, lat, lon) for name, code, lat, lon in
              entities.select("name", "country_code", "latitude", "longitude").rows()}
    code, lat, lon = places["Almaty"]
    assert code == "KZ" and abs(lat - 43.25) < 0.1 and abs(lon - 76.91) < 0.1
    assert places["Surabaya"][0] == "ID" and places["Surabaya"][1] < 0
    assert places["Kazakhstan"] == ("KZ", None, None)
    assert places["Kassym-Jomart Tokayev"] == (None, None, None)


# --- one article's failure is that article's ---------------------------------------------------

ODD = "Halaman aneh ini membuat tahap berikutnya gagal."
GOOD_TEXTS = ["Presiden Kazakhstan Kassym-Jomart Tokayev tiba di Almaty.", "Gubernur Jawa Timur meresmikan jembatan.",
              ODD, "Wali Kota Surabaya Ahmad Fauzi meninjau banjir."]


def three_good_and_an_odd_one() -> pl.DataFrame:
    return articles_frame([article(f"d{i}", article_id=f"a{i}", text=text) for i, text in enumerate(GOOD_TEXTS)])


def test_a_failing_batch_pass_is_retried_article_by_article(monkeypatch):
    """When nlp.pipe raises on a chunk, each article is tried alone: only the culprit fails."""
    import transforms.batch

    real = transforms.batch.find_entities_batch

    def fragile(texts, languages):
        if ODD in texts:
            raise ValueError("[E088] Text of length 1000001 exceeds maximum")
        return real(texts, languages)

    monkeypatch.setattr(transforms.batch, "find_entities_batch", fragile)
    entities, mentions, quotes, failures = enrichment_frames(three_good_and_an_odd_one(), chunk_size=8)
    assert failures.rows() == [("a2", "entities_error", "ValueError: [E088] Text of length 1000001 exceeds maximum")]
    assert set(entities["article_id"]) == {"a0", "a1", "a3"} and "a2" not in set(mentions["article_id"])


def test_a_quote_stage_error_fails_its_article_alone(monkeypatch):
    import transforms.batch

    real = transforms.batch.find_quotes

    def fragile(text, language, mentions):
        if text == ODD:
            raise RecursionError("maximum recursion depth exceeded")
        return real(text, language, mentions)

    monkeypatch.setattr(transforms.batch, "find_quotes", fragile)
    entities, _, _, failures = enrichment_frames(three_good_and_an_odd_one())
    assert failures.select("article_id", "reason").rows() == [("a2", "quotes_error")]
    assert "a2" not in set(entities["article_id"]) and {"a0", "a3"} <= set(entities["article_id"])


def test_a_sources_error_fails_its_article_alone(monkeypatch):
    import transforms.batch

    real = transforms.batch.find_agency_citations

    def fragile(text, captions):
        if text == ODD:
            raise ValueError("Invalid IPv6 URL")
        return real(text, captions)

    monkeypatch.setattr(transforms.batch, "find_agency_citations", fragile)
    sources, links, failures = source_frames(three_good_and_an_odd_one())
    assert failures.rows() == [("a2", "sources_error", "ValueError: Invalid IPv6 URL")]
    assert "a2" not in set(links["article_id"]) and sources.height > 0


def test_a_speaker_named_by_a_short_name_or_a_title_links_to_the_person_named_in_full():
    text = ("Gubernur Jawa Timur Ratna Dewi Anggraini membuka pameran batik, Rabu.\n\n"
            "”Batik harus menjadi tuan rumah di negeri sendiri,” kata Gubernur.\n\n"
            "”Kami akan menggelar pameran ini setiap tahun,” ujar Ratna.\n\n"
            "”Kita kejar selesai akhir tahun,” kata Presiden.")
    entities, _, quotes, _ = enrichment_frames(articles_frame([article("d1", text=text)]))
    ratna = entities.filter(pl.col("name") == "Ratna Dewi Anggraini")["entity_id"].item()
    assert quotes.select("speaker", "speaker_entity_id").rows() == [
        ("Ratna Dewi Anggraini", ratna), ("Ratna Dewi Anggraini", ratna), ("Presiden", None)]
