"""Portfolio scans: the store, the incremental cache, zip packages, OCDS releases,
unreadable files, a kill -9 in the middle of a scan, and the Dask engine."""

from __future__ import annotations

import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from ospo_procure.cli import main
from ospo_procure.portfolio.scan import ScanOptions, scan
from ospo_procure.portfolio.store import Store

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "tenders"
sys.path.insert(0, str(ROOT / "benchmarks"))

from make_portfolio import make_portfolio  # noqa: E402

LOCKIN = (
    "The database layer must run on Microsoft SQL Server 2019 Enterprise; no other product will be accepted.\n\n"
    "Licences shall be priced per named user.\n\nMonthly statistics shall be delivered as .xls workbooks.\n"
)
CLEAN = "Open-source solutions are admissible.\n\nThe contractor shall deliver documentation and training.\n"


def rows(store: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(store) as db:
        return db.execute(sql).fetchall()


def test_scan_bundled_examples_fills_the_three_tables(tmp_path):
    store = tmp_path / "s.sqlite"
    summary = scan([EXAMPLES], ScanOptions(store=store))
    assert (summary.found, summary.linted, summary.errors) == (2, 2, [])
    files = rows(store, "SELECT name, status, language, errors, overall FROM files ORDER BY name")
    assert [(f[0], f[1], f[2]) for f in files] == [
        ("pliego_gestion_documental.md", "ok", "es"),
        ("sba_case_management_tor.docx", "ok", "en"),
    ]
    assert all(f[3] > 0 and 0 <= f[4] < 3 for f in files)  # both examples are full of lock-in
    # Findings keep what a reader needs: rule, role columns, exact match, location, named product.
    found = rows(store, "SELECT rule, category, severity, match, location, product, vendor, role FROM findings")
    assert ("BRAND-PRODUCT", "brand", "error") in {f[:3] for f in found}
    sql = [f for f in found if f[0] == "BRAND-PRODUCT" and "SQL Server" in f[3]]
    assert sql and sql[0][5] == "Microsoft SQL Server" and sql[0][6] == "Microsoft" and sql[0][4]
    assert rows(store, "SELECT COUNT(*) FROM scores")[0][0] == 18
    with Store(store) as s:
        assert s.integrity() == []
    # The store's counts agree with the linter run directly.
    from ospo_procure.lint import lint_paths

    direct = {Path(r.path).name: r for r in lint_paths([EXAMPLES])}
    for name, _status, _lang, errors, overall in files:
        r = direct[name]
        assert overall == r.scorecard.overall
        assert errors == sum(1 for f in r.findings if f.severity == "error" and not f.waived)


def test_rescan_reads_nothing_unchanged_and_only_what_changed(tmp_path, monkeypatch):
    folder = tmp_path / "t"
    folder.mkdir()
    for i in range(3):
        (folder / f"t{i}.txt").write_text(LOCKIN if i else CLEAN)
    store = tmp_path / "s.sqlite"
    assert scan([folder], ScanOptions(store=store)).linted == 3

    import ospo_procure.readers as readers

    reads: list[str] = []
    real = readers.read_document
    monkeypatch.setattr(readers, "read_document", lambda p, *a, **k: reads.append(str(p)) or real(p, *a, **k))

    again = scan([folder], ScanOptions(store=store))
    assert (again.linted, again.unchanged, reads) == (0, 3, [])

    # Same bytes, new modification time: hashed, found identical, not parsed.
    os.utime(folder / "t1.txt", ns=(1, 1))
    touched = scan([folder], ScanOptions(store=store))
    assert (touched.linted, touched.unchanged, reads) == (0, 3, [])

    (folder / "t2.txt").write_text(CLEAN)
    changed = scan([folder], ScanOptions(store=store))
    assert (changed.linted, changed.unchanged) == (1, 2)
    assert [Path(p).name for p in reads] == ["t2.txt"]
    assert rows(store, "SELECT errors FROM files WHERE name='t2.txt'") == [(0,)]
    assert rows(store, "SELECT COUNT(*) FROM files") == [(3,)]


def test_changed_rules_mean_relint(tmp_path, mini_rules):
    folder = tmp_path / "t"
    folder.mkdir()
    (folder / "a.txt").write_text(LOCKIN)
    store = tmp_path / "s.sqlite"
    scan([folder], ScanOptions(store=store))
    other = scan([folder], ScanOptions(store=store, rules_dir=mini_rules.directory))
    assert other.linted == 1
    assert scan([folder], ScanOptions(store=store, language="en")).linted == 1  # an option that changes results


def test_unreadable_files_are_reported_stored_and_skipped(tmp_path):
    folder = tmp_path / "t"
    folder.mkdir()
    (folder / "good.txt").write_text(LOCKIN)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "legacy.docx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    (folder / "broken.pdf").write_bytes(b"%PDF-1.7\n garbage")
    store = tmp_path / "s.sqlite"
    result = CliRunner().invoke(
        main, ["scan", str(folder), str(tmp_path / "missing.docx"), "--store", str(store), "-j", "1"]
    )
    assert result.exit_code == 2
    out = result.output
    for name in ("empty.txt", "legacy.docx", "broken.pdf", "missing.docx"):
        assert name in out
    assert "no such file" in out and "empty" in out
    assert "5 tenders: 1 linted" in out and "4 could not be read" in out
    assert "files/s" not in out  # no progress bar when not on a terminal
    status = dict(rows(store, "SELECT name, status FROM files"))
    assert status == {
        "good.txt": "ok",
        "empty.txt": "error",
        "legacy.docx": "error",
        "broken.pdf": "error",
        "missing.docx": "error",
    }
    # An unreadable file is remembered with its stat: not retried until it changes.
    again = scan([folder], ScanOptions(store=store))
    assert (again.linted, again.errors) == (0, [])


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return path


def test_zip_packages_members_nested_and_bombs(tmp_path):
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("annex/technical.md", LOCKIN)
    docx = (EXAMPLES / "sba_case_management_tor.docx").read_bytes()
    pkg = _zip(
        tmp_path / "package.zip",
        {
            "01 terms of reference.docx": docx,
            "02 conditions.txt": CLEAN.encode(),
            "annexes.zip": inner.getvalue(),
            "price schedule.xlsx": b"PK not a tender",  # not tender text: skipped silently
            "bomb.txt": b"a" * (3 << 20),  # 3 MB of one letter: over the 200:1 ratio
            "../escape.txt": LOCKIN.encode(),  # a hostile name: read, but never written by its name
        },
    )
    bad = tmp_path / "broken.zip"
    bad.write_bytes(b"PK\x03\x04 truncated")
    store = tmp_path / "s.sqlite"
    summary = scan([pkg, bad], ScanOptions(store=store))
    by_member = {r[0]: r[1:] for r in rows(store, "SELECT member, status, error, language FROM files")}
    assert by_member["01 terms of reference.docx"][0] == "ok"
    assert by_member["02 conditions.txt"][0] == "ok"
    assert by_member["annexes.zip!annex/technical.md"][0] == "ok"
    assert by_member["../escape.txt"][0] == "ok"
    assert by_member["bomb.txt"][0] == "error" and "zip bomb" in by_member["bomb.txt"][1]
    assert "price schedule.xlsx" not in by_member
    assert by_member[""][0] == "error" and "corrupt zip" in by_member[""][1]  # the broken package itself
    assert not (tmp_path / "escape.txt").exists() and not (tmp_path.parent / "escape.txt").exists()
    assert summary.linted == 4 and len(summary.errors) == 2
    # An unchanged package is not opened again.
    again = scan([pkg, bad], ScanOptions(store=store))
    assert (again.linted, again.unchanged) == (0, 6)
    # A package whose one member changed: only that member is linted again.
    _zip(pkg, {"01 terms of reference.docx": docx, "02 conditions.txt": LOCKIN.encode()})
    changed = scan([pkg], ScanOptions(store=store))
    assert (changed.linted, changed.unchanged) == (1, 1)
    assert {r[0] for r in rows(store, f"SELECT member FROM files WHERE container='{pkg}'")} == {
        "01 terms of reference.docx",
        "02 conditions.txt",
    }


def _release(ocid: str, date: str, description: str, **tender) -> dict:
    return {
        "ocid": ocid,
        "id": f"{ocid}-{date}",
        "date": date,
        "language": "en",
        "buyer": {"name": "Harbour City Council"},
        "tender": {"title": f"Tender {ocid}", "description": description, **tender},
    }


def test_ocds_releases_texts_documents_and_metadata(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "tor.txt").write_text(LOCKIN)
    package = {
        "releases": [
            _release("ocds-1", "2024-02-01T00:00:00Z", "Old text."),
            _release(
                "ocds-1",
                "2024-05-10T00:00:00Z",
                "The contractor shall supply 300 licences priced per named user.",
                items=[{"description": "Workstations preloaded with Microsoft Windows 11 Pro only."}],
                documents=[{"url": "docs/tor.txt"}, {"url": "https://example.org/remote.pdf"}],
            ),
            _release("ocds-2", "2025-11-03T00:00:00Z", CLEAN.replace("\n", " ")),
        ]
    }
    (tmp_path / "releases.json").write_text(json.dumps(package))
    lines = [
        json.dumps({"records": [{"compiledRelease": _release("ocds-3", "2023-07-07", "Open formats (ODF) only.")}]})
    ]
    (tmp_path / "more.jsonl").write_text("\n".join(lines) + "\n")
    (tmp_path / "config.json").write_text('{"theme": "dark"}')  # other JSON in the folder: not a tender
    store = tmp_path / "s.sqlite"
    summary = scan([tmp_path], ScanOptions(store=store))
    got = {r[0]: r[1:] for r in rows(store, "SELECT source, kind, buyer, date, title, status FROM files")}
    text1 = got[f"{tmp_path / 'releases.json'}#ocds-1"]
    assert text1 == ("ocds_text", "Harbour City Council", "2024-05-10", "Tender ocds-1", "ok")
    assert got[str(docs / "tor.txt")][:3] == ("ocds_document", "Harbour City Council", "2024-05-10")
    assert got[f"{tmp_path / 'more.jsonl'}#ocds-3"][2] == "2023-07-07"
    assert len(got) == 4 and summary.errors == []
    cats = {
        r[0]
        for r in rows(
            store,
            f"SELECT category FROM findings f JOIN files x ON x.id=f.file_id WHERE x.source='{tmp_path / 'releases.json'}#ocds-1'",
        )
    }
    assert {"per_user_licensing", "brand"} <= cats  # the description and the item description were linted
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"ocid": "x", "tender": {"description": "a"}}\n{broken\n')
    result = scan([bad], ScanOptions(store=store))
    assert result.errors and "line 2 is not valid JSON" in result.errors[0][1]


def test_metadata_csv_and_prune(tmp_path):
    folder = tmp_path / "t"
    folder.mkdir()
    (folder / "a.txt").write_text(LOCKIN)
    (folder / "b.txt").write_text(CLEAN)
    csv = tmp_path / "meta.csv"
    csv.write_text(
        "path,buyer,date,title\nt/a.txt,Ministry of Health,31/12/2025,Hospital ERP\nb.txt,City of Y,2024-03,\n"
    )
    store = tmp_path / "s.sqlite"
    s = scan([folder], ScanOptions(store=store, metadata_csv=csv))
    assert s.metadata_rows == 2
    assert set(rows(store, "SELECT name, buyer, date, title, meta_source FROM files")) == {
        ("a.txt", "Ministry of Health", "2025-12-31", "Hospital ERP", "csv"),
        ("b.txt", "City of Y", "2024-03", "", "csv"),
    }
    (folder / "b.txt").unlink()
    assert scan([folder], ScanOptions(store=store, prune=True)).pruned == 1
    assert rows(store, "SELECT name FROM files") == [("a.txt",)]


def test_kill_9_mid_scan_leaves_a_consistent_resumable_store(tmp_path):
    folder = tmp_path / "portfolio"
    make_portfolio(folder, tenders=150, words=300, formats=("txt", "md"))
    store = tmp_path / "s.sqlite"
    proc = subprocess.Popen(
        [sys.executable, "-m", "ospo_procure", "scan", str(folder), "--store", str(store), "--jobs", "2"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 120
        stored = 0
        while time.monotonic() < deadline and proc.poll() is None:
            if store.exists():
                try:
                    stored = rows(store, "SELECT COUNT(*) FROM files")[0][0]
                except sqlite3.OperationalError:
                    stored = 0  # schema not created yet
            if stored >= 5:
                break
            time.sleep(0.02)
        assert proc.poll() is None, "the scan ended before it could be killed; make the portfolio bigger"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        # The worker processes notice their parent is gone and exit.
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                os.killpg(proc.pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.1)
        else:
            pytest.fail("worker processes outlived the killed scan")
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    with Store(store) as s:
        assert s.integrity() == []
        done = rows(store, "SELECT COUNT(*) FROM files")[0][0]
    assert 5 <= done < 150
    resumed = scan([folder], ScanOptions(store=store))
    assert resumed.unchanged == done and resumed.linted == 150 - done
    with Store(store) as s:
        assert s.integrity() == []
    assert rows(store, "SELECT COUNT(*) FROM files") == [(150,)]


def test_dask_engine_on_a_local_cluster_writes_the_same_store(tmp_path):
    distributed = pytest.importorskip("dask.distributed")
    folder = tmp_path / "t"
    folder.mkdir()
    for i, text in enumerate((LOCKIN, CLEAN, LOCKIN + CLEAN)):
        (folder / f"t{i}.txt").write_text(text)
    local = tmp_path / "local.sqlite"
    scan([folder], ScanOptions(store=local))
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        dask_store = tmp_path / "dask.sqlite"
        summary = scan([folder], ScanOptions(store=dask_store, engine="dask", scheduler=cluster.scheduler_address))
    assert summary.linted == 3 and summary.errors == []
    query = (
        "SELECT x.name, f.rule, f.severity, f.match, f.location FROM findings f JOIN files x ON x.id=f.file_id "
        "ORDER BY 1, 2, 4"
    )
    assert rows(dask_store, query) == rows(local, query) != []
    scores = "SELECT x.name, s.criterion, s.score FROM scores s JOIN files x ON x.id=s.file_id ORDER BY 1, 2"
    assert rows(dask_store, scores) == rows(local, scores)
    staging = dask_store.with_name(dask_store.name + ".parts")
    assert not list(staging.rglob("*.parquet"))  # every partition was merged, then removed


def test_ctrl_c_stops_cleanly_and_the_same_command_resumes(tmp_path):
    folder = tmp_path / "portfolio"
    # Files long enough that a loaded machine cannot finish all ten batches between two polls.
    make_portfolio(folder, tenders=150, words=1200, formats=("txt",))
    store = tmp_path / "s.sqlite"
    proc = subprocess.Popen(
        [sys.executable, "-m", "ospo_procure", "scan", str(folder), "--store", str(store), "--jobs", "1"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                if store.exists() and rows(store, "SELECT COUNT(*) FROM files")[0][0] >= 3:
                    break
            except sqlite3.OperationalError:
                pass
            time.sleep(0.02)
        assert proc.poll() is None, "the scan ended before it could be interrupted"
        os.killpg(proc.pid, signal.SIGINT)  # what a terminal sends on Ctrl-C
        _, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == 130
    assert "interrupted" in err and "run the same command again to resume" in err and "Traceback" not in err
    with Store(store) as s:
        assert s.integrity() == []
    done = rows(store, "SELECT COUNT(*) FROM files")[0][0]
    resumed = scan([folder], ScanOptions(store=store))
    assert (resumed.unchanged, resumed.linted) == (done, 150 - done)


def test_globs_and_hidden_folders(tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / ".git").mkdir()
    (tmp_path / "a" / "one.txt").write_text(LOCKIN)
    (tmp_path / "a" / "b" / "two.md").write_text(CLEAN)
    (tmp_path / "a" / "b" / "notes.csv").write_text("x,y\n")
    (tmp_path / ".git" / "hidden.txt").write_text(LOCKIN)
    store = tmp_path / "out" / "s.sqlite"  # its folder is created
    summary = scan([str(tmp_path / "a" / "**" / "*.md"), str(tmp_path / "nothing-*.docx")], ScanOptions(store=store))
    assert summary.linted == 1 and [reason for _, reason in summary.errors] == ["no file matches this pattern"]
    whole = scan([tmp_path], ScanOptions(store=tmp_path / "all.sqlite"))
    assert sorted(r[0] for r in rows(tmp_path / "all.sqlite", "SELECT name FROM files")) == ["one.txt", "two.md"]
    assert whole.linted == 2
