"""The asset graph through ``dagster.materialize()`` into a temporary warehouse."""
from __future__ import annotations

import json
import os
from pathlib import Path

import dagster as dg

from orchestration.definitions import RUN_ASSETS, build_definitions
from orchestration.defs.ingest import inbox_sensor
from orchestration.resources import KabarResource
from pipeline.config import Config, load_config
from tests.faults import shift_entity_offsets
from tests.holders import hold_writer_lock
from tests.pages import english_page, indonesian_page, write_inputs
from warehouse.io import open_warehouse, table_counts

GOLDEN_GRAPH = Path(__file__).parent.parent / "golden" / "asset_graph.json"


def kabar_for(home: Path, **limits) -> KabarResource:
    return KabarResource(home=str(home), warehouse_path=str(home / "warehouse.duckdb"), **limits)


def definitions(home: Path = Path("/nonexistent/kabar")) -> dg.Definitions:
    return build_definitions(Config(home=home, warehouse=home / "warehouse.duckdb"))


def run(home: Path, paths: list[Path], limits: dict | None = None, **config) -> dg.ExecuteInProcessResult:
    return dg.materialize(
        RUN_ASSETS,
        resources={"kabar": kabar_for(home, **(limits or {})), "io_manager": dg.FilesystemIOManager(base_dir=str(home / "storage"))},
        run_config={"ops": {"raw_documents": {"config": {"paths": [str(p) for p in paths], **config}}}},
        instance=dg.DagsterInstance.ephemeral(),
        raise_on_error=False,
    )


def checks(result) -> dict[str, tuple[bool, str]]:
    return {e.check_name: (e.passed, e.severity.value) for e in result.get_asset_check_evaluations()}


def warehouse_rows(home: Path, query: str) -> list[tuple]:
    with open_warehouse(home / "warehouse.duckdb") as con:
        return con.execute(query).fetchall()


def test_every_asset_has_a_group_and_a_description():
    graph = definitions().resolve_asset_graph()
    for key in graph.get_all_asset_keys():
        node = graph.get(key)
        assert node.group_name and node.group_name != "default", key
        assert node.description, key


def graph_snapshot() -> dict:
    graph = definitions().resolve_asset_graph()
    return {
        "assets": {key.to_user_string(): sorted(dep.to_user_string() for dep in graph.get(key).parent_keys)
                   for key in sorted(graph.get_all_asset_keys())},
        "checks": sorted(check.to_user_string() for check in graph.asset_check_keys),
    }


def test_asset_graph_matches_its_snapshot():
    """Graph changes show in review: regenerate with UPDATE_GOLDEN=1 and commit the diff."""
    snapshot = graph_snapshot()
    if os.environ.get("UPDATE_GOLDEN") == "1":
        GOLDEN_GRAPH.write_text(json.dumps(snapshot, indent=2) + "\n")
    assert snapshot == json.loads(GOLDEN_GRAPH.read_text())


def test_materialize_loads_articles_rejects_and_reports_checks(tmp_path):
    inputs = write_inputs(tmp_path / "in", id__html=indonesian_page(), en__html=english_page(),
                          empty__html=b"", binary__html=bytes(range(256)) * 8)
    result = run(tmp_path / "home", [inputs])
    assert result.success
    assert checks(result) and all(passed for passed, _ in checks(result).values())
    assert warehouse_rows(tmp_path / "home", "select count(*) from articles") == [(2,)]
    assert sorted(warehouse_rows(tmp_path / "home", "select reason from rejects")) == [("empty",), ("not_html",)]
    counts = table_counts_at(tmp_path / "home")
    assert counts["entities"] > 0 and counts["quotes"] >= 3 and counts["documents"] == 4
    materializations = result.get_asset_materialization_events()
    for event in materializations:
        metadata = event.materialization.metadata
        assert "dagster/row_count" in metadata and "preview" in metadata, event.asset_key
    assert {event.asset_key.to_user_string() for event in materializations} == {
        key for key in graph_snapshot()["assets"] if not key.startswith(("warc_", "staged_archives"))}


def table_counts_at(home: Path) -> dict[str, int]:
    with open_warehouse(home / "warehouse.duckdb") as con:
        return table_counts(con)


def test_row_level_failure_moves_the_article_to_rejects_and_the_run_goes_on(tmp_path):
    inputs = write_inputs(tmp_path / "in", future__html=indonesian_page(published="2099-01-01T10:00:00+07:00"),
                          en__html=english_page())
    result = run(tmp_path / "home", [inputs])
    assert result.success
    assert warehouse_rows(tmp_path / "home", "select reason from rejects") == [("articles.published_at_in_range",)]
    assert warehouse_rows(tmp_path / "home", "select count(*) from articles") == [(1,)]
    assert warehouse_rows(tmp_path / "home", "select count(*) from entities e join articles a using (article_id)")[0][0] > 0


def test_a_failing_child_row_holds_back_its_article_and_the_rest_loads(tmp_path, monkeypatch):
    shift_entity_offsets(monkeypatch, "start_offset", only_in="Surabaya")   # the Indonesian page's mentions
    inputs = write_inputs(tmp_path / "in", id__html=indonesian_page(), en__html=english_page())
    result = run(tmp_path / "home", [inputs])
    assert result.success and checks(result)["entity_mentions_suite"] == (True, "WARN")
    home = tmp_path / "home"
    assert warehouse_rows(home, "select reason from rejects") == [("entity_mentions.offsets_slice_surface",)]
    assert warehouse_rows(home, "select url from articles") == [("https://harbourtimes.com.au/port-strike",)]
    assert warehouse_rows(home, "select count(distinct article_id) from entity_mentions") == [(1,)]


def test_too_many_articles_held_back_block_the_load(tmp_path, monkeypatch):
    """A fault that breaks every article is a bug, not ten odd pages: nothing is loaded (or marked seen)."""
    shift_entity_offsets(monkeypatch, "start_offset")
    pages = {f"p{i}__html": indonesian_page(url=f"https://kabarnusa.co.id/surabaya/banjir-{i}") for i in range(10)}
    result = run(tmp_path / "home", [write_inputs(tmp_path / "in", **pages)])
    assert not result.success
    assert checks(result)["articles_suite"] == (False, "ERROR")
    assert not (tmp_path / "home" / "warehouse.duckdb").exists() or table_counts_at(tmp_path / "home")["documents"] == 0


def test_pages_over_the_size_cap_are_rejected_without_being_stored(tmp_path):
    big = indonesian_page().replace("</article>", "<p>" + "kata " * 3000 + "</p></article>")
    inputs = write_inputs(tmp_path / "in", big__html=big, small__html=english_page())
    result = run(tmp_path / "home", [inputs], limits={"max_document_bytes": 10_000})
    assert result.success
    assert warehouse_rows(tmp_path / "home", "select reason from rejects") == [("too_large",)]
    assert warehouse_rows(tmp_path / "home", "select count(*) from articles") == [(1,)]
    stored = list((tmp_path / "home" / "raw").rglob("*.html.gz"))
    assert len(stored) == 1


def test_second_run_on_the_same_input_adds_nothing(tmp_path):
    inputs = write_inputs(tmp_path / "in", id__html=indonesian_page(), copy__html=indonesian_page())
    first = run(tmp_path / "home", [inputs])
    manifest = first.output_for_node("raw_documents").manifest
    assert sorted(manifest["status"].to_list()) == ["duplicate", "new"]
    before = table_counts_at(tmp_path / "home")
    second = run(tmp_path / "home", [inputs])
    assert set(second.output_for_node("raw_documents").manifest["status"].to_list()) <= {"seen", "duplicate"}
    assert table_counts_at(tmp_path / "home") == before


def test_reprocess_replaces_rows_idempotently(tmp_path):
    inputs = write_inputs(tmp_path / "in", id__html=indonesian_page(), en__html=english_page())
    run(tmp_path / "home", [inputs])
    before = table_counts_at(tmp_path / "home")
    result = run(tmp_path / "home", [], reprocess=True)
    assert result.success
    assert result.output_for_node("raw_documents").manifest.height == 2
    assert table_counts_at(tmp_path / "home") == before


def test_later_version_of_a_url_replaces_the_earlier_one(tmp_path):
    home = tmp_path / "home"
    newer = indonesian_page(published="2025-01-14T08:00:00+07:00").replace("1.200 rumah", "1.500 rumah")
    run(home, [write_inputs(tmp_path / "v1", page__html=indonesian_page())])
    run(home, [write_inputs(tmp_path / "v2", page__html=newer)])
    run(home, [write_inputs(tmp_path / "v0", page__html=indonesian_page().replace("Senin", "Selasa"))])
    texts = warehouse_rows(home, "select text from articles")
    assert len(texts) == 1 and "1.500 rumah" in texts[0][0]
    # every document is accounted for: the first version, replaced in a later run, keeps a reject too
    assert warehouse_rows(home, "select d.origin, coalesce(a.article_id is not null, false), r.reason from documents d "
                                "left join articles a using (document_id) left join rejects r using (document_id) "
                                "order by d.origin") == [
        (str(tmp_path / "v0" / "page.html"), False, "superseded"),
        (str(tmp_path / "v1" / "page.html"), False, "superseded"),
        (str(tmp_path / "v2" / "page.html"), True, None)]


def test_inbox_sensor_requests_one_run_per_new_file_set(tmp_path):
    inbox = write_inputs(tmp_path / "inbox", a__html=indonesian_page())
    sensor = inbox_sensor(inbox)
    with dg.instance_for_test() as instance:
        first = sensor(dg.build_sensor_context(instance=instance))
        assert isinstance(first, dg.RunRequest)
        assert first.run_config["ops"]["raw_documents"]["config"]["paths"] == [str(inbox / "a.html")]
        assert first.tags == {"kabar/inputs": str(inbox / "a.html"), "kabar/input_count": "1"}
        cursor = json.dumps({str(inbox / "a.html"): _fingerprint(inbox / "a.html")})
        again = sensor(dg.build_sensor_context(instance=instance, cursor=cursor))
        assert isinstance(again, dg.SkipReason)
        (inbox / "b.html").write_text(english_page())
        third = sensor(dg.build_sensor_context(instance=instance, cursor=cursor))
        assert isinstance(third, dg.RunRequest)
        assert third.run_config["ops"]["raw_documents"]["config"]["paths"] == [str(inbox / "b.html")]


def _fingerprint(path: Path) -> str:
    stat = path.stat()
    return f"{stat.st_size}:{stat.st_mtime_ns}"


def clusters(home: Path) -> dict[str, str]:
    """``url -> cluster url``: each article's cluster named by the URL of the article it points at."""
    return dict(warehouse_rows(home, "select a.url, c.url from articles a join articles c on c.article_id = a.cluster_id"))


ORIGINAL, COPY, LATE_COPY = ("https://harbourtimes.com.au/port-strike", "https://pacificwiredaily.com/port-strike",
                             "https://northgatepost.com/port-strike")


def wire_copy(url: str, published: str) -> str:
    return english_page(url=url, published=published).replace("on Monday", "on Monday morning")


def test_a_copy_loaded_in_a_later_run_joins_the_stored_story_and_reruns_change_nothing(tmp_path):
    home = tmp_path / "home"
    run(home, [write_inputs(tmp_path / "v1", original__html=english_page(url=ORIGINAL),
                            other__html=indonesian_page())])
    later = write_inputs(tmp_path / "v2", copy__html=wire_copy(COPY, "2025-01-13T10:00:00+11:00"))
    assert run(home, [later]).success
    expected = {ORIGINAL: ORIGINAL, COPY: ORIGINAL, "https://kabarnusa.co.id/surabaya/banjir": "https://kabarnusa.co.id/surabaya/banjir"}
    assert clusters(home) == expected
    before = table_counts_at(home)
    assert before["article_signatures"] == 3
    assert run(home, [later]).success and run(home, [], reprocess=True).success
    assert clusters(home) == expected and table_counts_at(home) == before
    per_day = "select published_date::varchar, article_count, story_count from stories_per_day order by 1"
    assert warehouse_rows(home, per_day) == [("2025-01-12", 2, 1), ("2025-01-13", 1, 1)]  # UTC days


def test_a_rejected_first_member_hands_its_cluster_to_the_next(tmp_path):
    """The earliest copy founds the cluster, validation rejects it (published before 1990): the next copy
    takes over, so the load still references only loaded articles."""
    inputs = write_inputs(tmp_path / "in", original__html=english_page(url=ORIGINAL, published="1985-01-13T09:00:00+11:00"),
                          copy__html=wire_copy(COPY, "2025-01-13T10:00:00+11:00"),
                          late__html=wire_copy(LATE_COPY, "2025-01-13T11:00:00+11:00"))
    result = run(tmp_path / "home", [inputs])
    assert result.success
    assert warehouse_rows(tmp_path / "home", "select count(distinct cluster_id) from articles") == [(1,)]
    assert clusters(tmp_path / "home") == {COPY: COPY, LATE_COPY: COPY}
    assert table_counts_at(tmp_path / "home")["article_signatures"] == 2


def test_a_run_dagster_launches_takes_turns_with_other_writers(tmp_path):
    """Runs started by the UI, a sensor or a schedule load under the home's writer lock too: one whose
    load cannot get it in time fails and keeps its staged work; one that can, waits and loads it all."""
    home = tmp_path / "home"
    inputs = write_inputs(tmp_path / "in", id__html=indonesian_page())
    run_config = {"ops": {"raw_documents": {"config": {"paths": [str(inputs)]}}}}

    def launch(wait: float):
        config = Config(home=home, warehouse=home / "warehouse.duckdb", busy_timeout_seconds=wait)
        job = build_definitions(config).resolve_job_def("kabar_run_job")
        return job.execute_in_process(run_config=run_config, instance=dg.DagsterInstance.ephemeral(),
                                      raise_on_error=False)

    holder = hold_writer_lock(home, 6)
    refused = launch(0.2)
    assert not refused.success and len(list((home / "staging").iterdir())) == 1
    assert f"KABAR_HOME {home} is busy: held by PID {holder.pid}" in str(refused.all_events)
    waited = launch(60)
    assert waited.success and holder.wait() == 0
    assert list((home / "staging").iterdir()) == []
    assert warehouse_rows(home, "select count(*) from articles") == [(1,)]
    assert warehouse_rows(home, "select count(*) from documents") == [(1,)]


def test_a_file_gone_before_the_run_reads_it_is_a_notice_and_the_rest_loads(tmp_path):
    """A sensor names the files it saw; one deleted before the run starts must not fail the others."""
    inputs = write_inputs(tmp_path / "in", id__html=indonesian_page(), gone__html=english_page())
    (inputs / "gone.html").unlink()
    result = run(tmp_path / "home", [inputs / "id.html", inputs / "gone.html"])
    assert result.success
    [event] = [e for e in result.get_asset_materialization_events() if e.asset_key.path == ["raw_documents"]]
    assert event.materialization.metadata["notices"].value["not_read"] == [
        [str(inputs / "gone.html"), "no such file or folder (gone before the run read it)"]]
    assert warehouse_rows(tmp_path / "home", "select count(*) from articles") == [(1,)]


def test_every_setting_reaches_the_steps_through_the_resource(tmp_path):
    """The resource carries each field of ``Config``: a step sees the configuration the CLI resolved."""
    env = {"KABAR_HOME": str(tmp_path), "KABAR_WAREHOUSE": str(tmp_path / "w.duckdb"), "KABAR_INBOX": "in",
           "KABAR_SOURCES": "sources.toml", "KABAR_MAX_QUARANTINED_SHARE": "0.5", "KABAR_BUSY_TIMEOUT": "7",
           "KABAR_ID_NER_MODEL": "model", "KABAR_RAW_STORE": "s3://b/raw", "KABAR_STAGING": "s3://b/staging",
           "KABAR_DAGSTER_IO": "s3://b/io",
           "KABAR_S3_ENDPOINT": "http://127.0.0.1:9", "KABAR_DAGSTER_YAML": "deploy/dagster.yaml",
           "KABAR_CELERY_BROKER": "redis://127.0.0.1:9/0"}
    config = load_config(env)
    assert all(value not in (None, "") for value in vars(config).values())
    assert KabarResource.from_config(config).config == config
