"""The package-hash cache sees every edit, is trusted only for settled files, and is written only by writers."""

import json
import shutil
import time

import pytest

from pipelines.intake import fingerprint
from pipelines.warehouse.paths import DEFAULT_RAW_DIR, Paths
from tests.helpers import SWSC, edit_keeping_size_and_mtime, files_under, read_only

HOUR_NS = 3600 * 10**9
REVENUE = "operator_cloud_revenue.csv"


@pytest.fixture
def raw(tmp_path, monkeypatch):
    """One package, a warehouse folder of its own, and an empty in-process cache."""
    monkeypatch.setattr(fingerprint, "_CACHE", {})
    monkeypatch.setattr(fingerprint, "_CACHE_STATE", {"misses": 0})
    shutil.copytree(DEFAULT_RAW_DIR / SWSC, tmp_path / "raw" / SWSC)
    return tmp_path / "raw"


def build_dir(raw):
    return Paths(raw.parent / "wh" / "cf.duckdb", raw).build_dir


def scan(raw, **options):
    return fingerprint.scan(raw, cache_dir=build_dir(raw), **options)


def cache_file(raw):
    return build_dir(raw) / fingerprint.CACHE_NAME


def bytes_hash(package) -> str:
    return fingerprint._digest(fingerprint._files(str(package)))


def test_edit_keeping_size_and_mtime_changes_the_hash(raw, monkeypatch):
    monkeypatch.setattr(fingerprint, "RACY_NS", 0, raising=False)  # trust every stat key at once
    before = scan(raw)[SWSC]
    assert str(raw / SWSC) in fingerprint._CACHE  # the next scan answers from the cache
    time.sleep(0.05)  # let the file system's coarse clock tick, as it does between any two edits by hand
    edit_keeping_size_and_mtime(raw / SWSC / REVENUE, "china_mobile,2022H1,234,", "china_mobile,2022H1,235,")
    after = scan(raw)[SWSC]
    assert after != before and after == bytes_hash(raw / SWSC)


def test_recently_changed_files_are_rehashed_not_cached(raw, monkeypatch):
    monkeypatch.setattr(fingerprint, "RACY_NS", HOUR_NS, raising=False)  # every file counts as just changed
    first = scan(raw, save=True)[SWSC]
    misses = fingerprint._CACHE_STATE["misses"]
    assert scan(raw)[SWSC] == first == bytes_hash(raw / SWSC)
    assert fingerprint._CACHE_STATE["misses"] == misses + 1 and str(raw / SWSC) not in fingerprint._CACHE
    assert str(raw / SWSC) not in json.loads(cache_file(raw).read_text())


def test_rehash_ignores_a_stale_cache(raw, monkeypatch):
    """What `refresh --force` does: hash from the bytes even when the stat key matches."""
    monkeypatch.setattr(fingerprint, "RACY_NS", 0, raising=False)
    scan(raw)
    signature, _ = fingerprint._CACHE[str(raw / SWSC)]
    fingerprint._CACHE[str(raw / SWSC)] = (signature, "stale")
    assert scan(raw)[SWSC] == "stale"  # the premise: the cache is trusted
    assert scan(raw, rehash=True)[SWSC] == bytes_hash(raw / SWSC)
    assert scan(raw)[SWSC] == bytes_hash(raw / SWSC)


def test_only_writers_save_the_cache_and_a_read_only_folder_is_skipped(raw, monkeypatch):
    monkeypatch.setattr(fingerprint, "RACY_NS", 0, raising=False)
    scan(raw)
    assert not cache_file(raw).parent.exists()  # readers (check, status, sensor) write nothing
    scan(raw, save=True)
    assert list(json.loads(cache_file(raw).read_text())) == [str(raw / SWSC)]
    fingerprint._CACHE.clear()
    before = files_under(cache_file(raw).parent)
    with read_only(cache_file(raw).parent):
        assert scan(raw, save=True)[SWSC] == bytes_hash(raw / SWSC)
    assert files_under(cache_file(raw).parent) == before
