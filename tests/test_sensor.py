"""new_report_sensor requests one refresh per batch of added, changed or removed report packages, and only then."""

import json
import shutil

import dagster as dg
import pytest

from pipelines.defs.definitions import build_definitions
from pipelines.defs.sensors import SENSOR_NAME, decode_cursor, encode_cursor
from pipelines.intake.fingerprint import scan, tree_hash
from pipelines.warehouse.paths import DEFAULT_RAW_DIR, RAW_DIR_ENV, WAREHOUSE_ENV, Paths
from pipelines.warehouse.published import state_path

REPORTS = sorted(p.name for p in DEFAULT_RAW_DIR.iterdir() if p.is_dir())


def current_defs() -> dg.Definitions:
    """The definitions a code location loads from the environment the test set."""
    return build_definitions(Paths.resolve())


def evaluate(cursor=None):
    defs = current_defs()
    sensor = defs.resolve_sensor_def(SENSOR_NAME)
    return sensor.evaluate_tick(
        dg.build_sensor_context(cursor=cursor, instance=dg.DagsterInstance.ephemeral(), definitions=defs)
    )


def only_request(result):
    assert len(result.run_requests) == 1, result.run_requests
    return result.run_requests[0]


def counts(request):
    return {kind: int(request.tags[f"cloudfacts/{kind}"]) for kind in ("added", "changed", "removed")}


@pytest.fixture
def raw(tmp_path, monkeypatch):
    raw = tmp_path / "raw"
    shutil.copytree(DEFAULT_RAW_DIR, raw)
    monkeypatch.setenv(RAW_DIR_ENV, str(raw))
    # Nothing published yet: the first evaluation compares with the published state.
    monkeypatch.setenv(WAREHOUSE_ENV, str(tmp_path / "unpublished" / "cf.duckdb"))
    return raw


@pytest.fixture
def published_raw(built, tmp_path, monkeypatch):
    """A copy of a warehouse published by the real job and of the raw/ it was built from."""
    raw, warehouse = tmp_path / "raw", tmp_path / "wh" / built["warehouse"].name
    shutil.copytree(built["raw"], raw)
    warehouse.parent.mkdir()
    shutil.copyfile(built["warehouse"], warehouse)
    shutil.copyfile(state_path(built["warehouse"]), state_path(warehouse))
    monkeypatch.setenv(RAW_DIR_ENV, str(raw))
    monkeypatch.setenv(WAREHOUSE_ENV, str(warehouse))
    return raw


@pytest.fixture
def cursor(raw):
    """The cursor after the first evaluation of the copied raw/."""
    first = evaluate()
    request = only_request(first)
    assert counts(request) == {"added": len(REPORTS), "changed": 0, "removed": 0}
    assert request.tags["cloudfacts/first_evaluation"] == "true"
    return first.cursor


def append_line(path):
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")


def test_new_package_requests_one_run(raw, cursor):
    shutil.copytree(raw / REPORTS[0], raw / "2099-01-new-report")
    request = only_request(result := evaluate(cursor))
    assert counts(request) == {"added": 1, "changed": 0, "removed": 0}
    assert request.tags["cloudfacts/reports"] == "added: 2099-01-new-report"
    assert request.tags["cloudfacts/first_evaluation"] == "false"
    assert set(decode_cursor(result.cursor)) == {*REPORTS, "2099-01-new-report"}


def test_changed_package_requests_one_run(raw, cursor):
    append_line(next((raw / REPORTS[1]).glob("*.csv")))
    request = only_request(evaluate(cursor))
    assert counts(request) == {"added": 0, "changed": 1, "removed": 0}
    assert request.tags["cloudfacts/reports"] == f"changed: {REPORTS[1]}"


def test_removed_package_requests_one_run(raw, cursor):
    shutil.rmtree(raw / REPORTS[0])
    request = only_request(result := evaluate(cursor))
    assert counts(request) == {"added": 0, "changed": 0, "removed": 1}
    assert request.tags["cloudfacts/reports"] == f"removed: {REPORTS[0]}"
    assert set(decode_cursor(result.cursor)) == set(REPORTS[1:])


def test_unchanged_tree_requests_nothing(raw, cursor):
    (raw / REPORTS[0] / "report.yaml").touch()  # a new mtime, the same bytes
    again = evaluate(cursor)
    assert again.run_requests == []
    assert again.skip_message == "report packages unchanged"


def test_batch_of_changes_is_one_run(raw, cursor):
    shutil.copytree(raw / REPORTS[0], raw / "2099-01-new-report")
    append_line(raw / REPORTS[1] / "report.yaml")
    request = only_request(evaluate(cursor))
    assert counts(request) == {"added": 1, "changed": 1, "removed": 0}
    assert request.tags["cloudfacts/reports"] == f"added: 2099-01-new-report; changed: {REPORTS[1]}"
    assert request.run_key == f"{tree_hash(decode_cursor(cursor))}-{tree_hash(scan(raw))}"


def test_cursor_round_trip(raw, cursor):
    assert decode_cursor(cursor) == scan(raw)
    assert json.loads(cursor)["v"] == 1
    assert evaluate().run_requests[0].run_key == evaluate().run_requests[0].run_key == tree_hash(scan(raw))
    append_line(raw / REPORTS[0] / "report.yaml")
    once, twice = evaluate(cursor), evaluate(cursor)
    assert only_request(once).run_key == only_request(twice).run_key
    assert once.cursor == twice.cursor


def test_run_key_differs_for_different_trees(raw, cursor):
    before = tree_hash(decode_cursor(cursor))
    append_line(raw / REPORTS[0] / "report.yaml")
    after = only_request(evaluate(cursor)).run_key
    assert after == f"{before}-{tree_hash(scan(raw))}" and after != evaluate().run_requests[0].run_key


def test_a_revert_runs_again(raw, cursor):
    """A -> B -> A: the return to A is a new change, so its run key is new."""
    first_key = evaluate().run_requests[0].run_key
    path = raw / REPORTS[0] / "report.yaml"
    original = path.read_bytes()
    append_line(path)
    changed = evaluate(cursor)
    path.write_bytes(original)
    reverted = only_request(evaluate(changed.cursor))
    assert reverted.run_key not in {first_key, only_request(changed).run_key}


def test_unreadable_cursor_counts_as_first_evaluation(raw):
    request = only_request(evaluate("not json"))
    assert counts(request)["added"] == len(REPORTS)


def test_first_tick_on_an_up_to_date_warehouse_requests_nothing(published_raw):
    first = evaluate()
    assert first.run_requests == []
    assert first.skip_message.startswith("first evaluation, but the published warehouse")
    assert decode_cursor(first.cursor) == scan(published_raw)
    assert evaluate(first.cursor).skip_message == "report packages unchanged"


def test_first_tick_names_the_changes_since_the_published_build(published_raw):
    append_line(next((published_raw / REPORTS[1]).glob("*.csv")))
    shutil.copytree(published_raw / REPORTS[0], published_raw / "2099-01-new-report")
    request = only_request(result := evaluate())
    assert counts(request) == {"added": 1, "changed": 1, "removed": 0}
    assert request.tags["cloudfacts/reports"] == f"added: 2099-01-new-report; changed: {REPORTS[1]}"
    assert request.tags["cloudfacts/first_evaluation"] == "true"
    assert decode_cursor(result.cursor) == scan(published_raw)


def test_a_change_the_cli_already_published_is_not_rebuilt(published_raw):
    """The sensor last saw raw/ without REPORTS[0]; it was added and a CLI refresh published it before this tick."""
    current = scan(published_raw)
    seen_before = encode_cursor({r: h for r, h in current.items() if r != REPORTS[0]})
    result = evaluate(seen_before)
    assert result.run_requests == []
    assert result.skip_message.startswith("report packages changed since the last tick, but the published warehouse")
    assert decode_cursor(result.cursor) == current


def test_missing_raw_dir_is_a_skip_naming_the_path(tmp_path, monkeypatch):
    missing = tmp_path / "nowhere"
    monkeypatch.setenv(RAW_DIR_ENV, str(missing))
    result = evaluate()
    assert result.run_requests == [] and str(missing) in result.skip_message


def test_sensor_runs_by_default():
    sensor = current_defs().resolve_sensor_def(SENSOR_NAME)
    assert sensor.default_status == dg.DefaultSensorStatus.RUNNING
    assert sensor.job_name == "refresh"
    assert sensor.minimum_interval_seconds == 30


def test_daily_schedule_targets_refresh():
    schedule = current_defs().resolve_schedule_def("daily_refresh")
    assert schedule.job_name == "refresh"
