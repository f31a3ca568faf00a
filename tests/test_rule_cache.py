"""The on-disk cache of compiled rule sets (rules/cache.py): used when it matches, rebuilt when
anything it depends on changes, never read half-written, rebuilt with a warning when damaged,
and safe with several processes writing it at once."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rulefolder import MINI_RULES, write_rule_folder

from ospo_procure.errors import DataError
from ospo_procure.lint import lint_text
from ospo_procure.rules import cache, load_ruleset, loader

TEXT = "The system must run on Microsoft SQL Server. Licences are priced per named user. Direct award applies."


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("OSPO_PROCURE_CACHE", str(folder))
    loader._load_cached.cache_clear()
    yield folder / "ospo-procure"
    loader._load_cached.cache_clear()


def _fresh_load(folder: Path):
    loader._load_cached.cache_clear()
    return load_ruleset(folder)


def _findings(ruleset) -> list[tuple[str, str, str]]:
    result = lint_text(TEXT, language="en", ruleset=ruleset, score=False)
    return [(f.rule, f.match, f.message) for f in result.findings]


def _entries(cache_dir: Path, kind: str) -> list[Path]:
    return sorted(cache_dir.glob(f"{kind}-*.pickle"))


def test_a_cached_rule_set_is_loaded_without_rebuilding(tmp_path, cache_dir, monkeypatch):
    folder = write_rule_folder(tmp_path / "r")
    built = _findings(_fresh_load(folder))
    assert built and len(_entries(cache_dir, "ruleset")) == 1 and len(_entries(cache_dir, "lang-en")) == 1

    def no_build(*args, **kwargs):
        raise AssertionError("rebuilt although the cache matches")

    monkeypatch.setattr(loader, "_build", no_build)
    monkeypatch.setattr("ospo_procure.nlp.build_language_tables", no_build)
    assert _findings(_fresh_load(folder)) == built


def test_an_edit_to_any_rule_file_makes_a_new_entry(tmp_path, cache_dir):
    folder = write_rule_folder(tmp_path / "r")
    assert ("T-BRAND", "Microsoft SQL Server", "Product Microsoft SQL Server required") in _findings(
        _fresh_load(folder)
    )
    rules = folder / "rules" / "test.yaml"
    rules.write_text(MINI_RULES.replace('"Product {match} required"', '"Named product {match}"'), encoding="utf-8")
    assert ("T-BRAND", "Microsoft SQL Server", "Named product Microsoft SQL Server") in _findings(_fresh_load(folder))
    assert len(_entries(cache_dir, "ruleset")) == 2
    # A file the loader does not read today counts too, as any rule data a future loader reads.
    (folder / "lexicons" / "notes.md").write_text("why SQL Server is listed", encoding="utf-8")
    _fresh_load(folder)
    assert len(_entries(cache_dir, "ruleset")) == 3
    # An edit is validated in full again: a bad regex is reported with its file and line.
    rules.write_text(MINI_RULES.replace("'\\bdirect award\\b'", "'\\bdirect (award'"), encoding="utf-8")
    with pytest.raises(DataError, match=r"test\.yaml:\d+: .*bad regular expression"):
        _fresh_load(folder)


def test_another_tool_or_library_version_makes_a_new_entry(tmp_path, cache_dir, monkeypatch):
    folder = write_rule_folder(tmp_path / "r")
    _fresh_load(folder)
    monkeypatch.setattr(cache, "environment_digest", lambda: "another spaCy, regex or ospo-procure")
    calls = []
    real_build = loader._build
    monkeypatch.setattr(loader, "_build", lambda *a: calls.append(a) or real_build(*a))
    _fresh_load(folder)
    assert len(calls) == 1 and len(_entries(cache_dir, "ruleset")) == 2


def test_the_key_names_the_installed_library_versions():
    import regex
    import spacy.about
    import yaml

    digest = cache.environment_digest()
    assert cache._version("regex") == regex.__version__
    assert cache._version("spacy") == spacy.about.__version__
    assert cache._version("yaml") == yaml.__version__
    assert cache.environment_digest() == digest  # computed once


def _damage(path: Path, how: str) -> None:
    data = path.read_bytes()
    if how == "truncated":
        path.write_bytes(data[: len(data) // 2])
    elif how == "flipped byte":
        i = len(data) - 100
        path.write_bytes(data[:i] + bytes([data[i] ^ 0xFF]) + data[i + 1 :])
    elif how == "empty":
        path.write_bytes(b"")
    elif how == "garbage":
        path.write_bytes(os.urandom(4096))
    elif how == "another key":
        head, _, rest = data[len(cache.FORMAT) :].partition(b"\n")
        path.write_bytes(cache.FORMAT + b"0" * len(head) + b"\n" + rest)
    elif how == "unloadable payload":  # checksum right, content not a loadable pickle
        head = data[len(cache.FORMAT) :].partition(b"\n")[0]
        payload = b"\x80\x05cno_such_module\nNoSuchClass\n."
        import hashlib

        path.write_bytes(cache.FORMAT + head + b"\n" + hashlib.sha256(payload).digest() + payload)


@pytest.mark.parametrize("how", ["truncated", "flipped byte", "empty", "garbage", "another key", "unloadable payload"])
def test_a_damaged_entry_is_rebuilt_with_a_warning(tmp_path, cache_dir, caplog, how):
    folder = write_rule_folder(tmp_path / "r")
    expected = _findings(_fresh_load(folder))
    for kind in ("ruleset", "lang-en"):
        (entry,) = _entries(cache_dir, kind)
        _damage(entry, how)
        with caplog.at_level(logging.WARNING, logger="ospo_procure.cache"):
            assert _findings(_fresh_load(folder)) == expected
        assert any("unreadable" in r.getMessage() and entry.name in r.getMessage() for r in caplog.records)
        caplog.clear()
        with caplog.at_level(logging.WARNING, logger="ospo_procure.cache"):
            _fresh_load(folder).tables("en")  # rewritten whole: no warning the next time
        assert not caplog.records


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_an_entry_others_can_write_is_never_loaded(tmp_path, cache_dir, caplog, monkeypatch):
    folder = write_rule_folder(tmp_path / "r")
    _fresh_load(folder)
    (entry,) = _entries(cache_dir, "ruleset")
    entry.chmod(0o666)
    calls = []
    real_build = loader._build
    monkeypatch.setattr(loader, "_build", lambda *a: calls.append(a) or real_build(*a))
    with caplog.at_level(logging.WARNING, logger="ospo_procure.cache"):
        assert _findings(_fresh_load(folder))
    assert calls and any("writable by others" in r.getMessage() for r in caplog.records)
    assert entry.stat().st_mode & 0o077 == 0  # replaced by the user's own entry


def test_a_failed_write_leaves_no_entry_and_no_temporary_file(tmp_path, cache_dir, monkeypatch):
    def crash(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(cache.os, "replace", crash)
    folder = write_rule_folder(tmp_path / "r")
    assert _findings(_fresh_load(folder))  # linting works without a cache
    assert not _entries(cache_dir, "ruleset") and not list(cache_dir.glob(".*.tmp"))


def test_temporary_files_of_killed_writers_are_cleaned_up(tmp_path, cache_dir):
    cache_dir.mkdir(parents=True)
    old = cache_dir / ".ruleset-0123.abc.tmp"
    fresh = cache_dir / ".ruleset-4567.def.tmp"  # a writer still at work
    for tmp in (old, fresh):
        tmp.write_bytes(b"half an entry")
    long_ago = time.time() - cache.STALE_TMP_SECONDS - 60
    os.utime(old, (long_ago, long_ago))
    _fresh_load(write_rule_folder(tmp_path / "r"))
    assert not old.exists() and fresh.exists()


def test_an_unwritable_cache_folder_only_costs_time(tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would go")
    monkeypatch.setenv("OSPO_PROCURE_CACHE", str(blocker))
    folder = write_rule_folder(tmp_path / "r")
    try:
        assert _findings(_fresh_load(folder))
    finally:
        loader._load_cached.cache_clear()


def test_old_entries_are_pruned(tmp_path, cache_dir, monkeypatch):
    monkeypatch.setattr(cache, "KEEP_PER_KIND", 2)
    folder = write_rule_folder(tmp_path / "r")
    for i in range(4):
        (folder / "lexicons" / "notes.md").write_text(f"version {i}", encoding="utf-8")
        _fresh_load(folder)
        time.sleep(0.02)  # distinct modification times
    assert len(_entries(cache_dir, "ruleset")) == 2


_WORKER = """
import sys
from ospo_procure.lint import lint_text
from ospo_procure.rules import load_ruleset
result = lint_text(sys.argv[2], language="en", ruleset=load_ruleset(sys.argv[1]), score=False)
print(sorted((f.rule, f.start, f.end, f.message) for f in result.findings))
"""


def test_concurrent_writers_leave_whole_entries(tmp_path, cache_dir):
    """Processes that all find the cache empty build and write the same entries at once:
    each gets a correct rule set, and what stays on disk is whole and used afterwards."""
    folder = write_rule_folder(tmp_path / "r")
    env = {**os.environ, "OSPO_PROCURE_CACHE": str(cache_dir.parent)}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _WORKER, str(folder), TEXT],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    outputs = [p.communicate(timeout=300) for p in procs]
    assert all(p.returncode == 0 for p in procs), [err for _, err in outputs]
    assert len({out for out, _ in outputs}) == 1 and "T-BRAND" in outputs[0][0]
    assert all("unreadable" not in err for _, err in outputs)
    assert len(_entries(cache_dir, "ruleset")) == 1 and len(_entries(cache_dir, "lang-en")) == 1
    assert not list(cache_dir.glob(".*.tmp"))
    after = subprocess.run(
        [sys.executable, "-c", _WORKER, str(folder), TEXT], env=env, capture_output=True, text=True, check=True
    )
    assert after.stdout == outputs[0][0] and not after.stderr
