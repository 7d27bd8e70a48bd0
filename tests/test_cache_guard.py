"""The execution cache is dropped when data/ or helpers/ change, and kept otherwise."""
import importlib.util

from tests.conftest import ROOT

spec = importlib.util.spec_from_file_location("cache_guard", ROOT / "tools" / "cache_guard.py")
cache_guard = importlib.util.module_from_spec(spec)
spec.loader.exec_module(cache_guard)


def make_project(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "helpers").mkdir()
    (tmp_path / "data" / "a.csv").write_text("year,value\n2020,1\n")
    (tmp_path / "helpers" / "m.py").write_text("X = 1\n")
    return [tmp_path / "data", tmp_path / "helpers"]


def test_fingerprint_is_stable_when_nothing_changes(tmp_path):
    watched = make_project(tmp_path)
    assert cache_guard.fingerprint(watched, tmp_path) == cache_guard.fingerprint(watched, tmp_path)


def test_fingerprint_moves_when_a_data_value_changes(tmp_path):
    watched = make_project(tmp_path)
    before = cache_guard.fingerprint(watched, tmp_path)
    (tmp_path / "data" / "a.csv").write_text("year,value\n2020,2\n")
    assert cache_guard.fingerprint(watched, tmp_path) != before


def test_fingerprint_moves_when_a_helper_changes_and_ignores_bytecode(tmp_path):
    watched = make_project(tmp_path)
    before = cache_guard.fingerprint(watched, tmp_path)
    (tmp_path / "helpers" / "__pycache__").mkdir()
    (tmp_path / "helpers" / "__pycache__" / "m.pyc").write_bytes(b"\0")
    assert cache_guard.fingerprint(watched, tmp_path) == before
    (tmp_path / "helpers" / "m.py").write_text("X = 2\n")
    assert cache_guard.fingerprint(watched, tmp_path) != before


def test_main_clears_the_cache_only_when_inputs_changed(tmp_path, monkeypatch):
    watched = make_project(tmp_path)
    cache = tmp_path / "_build" / ".jupyter_cache"
    monkeypatch.setattr(cache_guard, "WATCHED", watched)
    monkeypatch.setattr(cache_guard, "ROOT", tmp_path)
    monkeypatch.setattr(cache_guard, "CACHE_DIR", cache)
    monkeypatch.setattr(cache_guard, "FINGERPRINT_FILE", tmp_path / "_build" / "fp")
    cache.mkdir(parents=True)
    cache_guard.main()  # first run: no fingerprint yet, so the cache cannot be trusted
    assert not cache.exists()
    cache.mkdir()
    cache_guard.main()
    assert cache.exists(), "cache dropped although nothing changed"
    (tmp_path / "data" / "a.csv").write_text("year,value\n2020,3\n")
    doctrees = tmp_path / "_build" / ".doctrees"
    doctrees.mkdir()
    cache_guard.main()
    assert not cache.exists(), "cache kept although a data file changed"
    assert not doctrees.exists(), "doctrees kept: Sphinx would not re-read the pages, so they would stay stale"


def test_the_real_project_watches_data_and_helpers():
    assert ROOT / "data" in cache_guard.WATCHED and ROOT / "helpers" in cache_guard.WATCHED
