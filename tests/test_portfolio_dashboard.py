"""The OSPO dashboard (HTML and PDF) and the store's export, on a scanned portfolio."""

from __future__ import annotations

import re
import sqlite3
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from ospo_procure.cli import main
from ospo_procure.errors import UsageError
from ospo_procure.portfolio.dashboard import render_dashboard
from ospo_procure.portfolio.kpis import compute
from ospo_procure.portfolio.scan import ScanOptions, scan
from ospo_procure.portfolio.store import Store

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from make_portfolio import make_portfolio  # noqa: E402


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    """The bundled examples and a small generated portfolio with buyers and dates."""
    tmp = tmp_path_factory.mktemp("portfolio")
    meta = make_portfolio(tmp / "gen", tenders=24, words=500, formats=("txt", "md", "docx"))
    path = tmp / "scan.sqlite"
    summary = scan([ROOT / "examples" / "tenders", tmp / "gen"], ScanOptions(store=path, metadata_csv=meta))
    assert summary.linted == 26 and not summary.errors
    return path


def test_kpis_agree_with_the_store(store):
    with Store(store) as s:
        k = compute(s)
    db = sqlite3.connect(store)
    assert k.tenders == 26
    brand = db.execute(
        "SELECT COUNT(DISTINCT file_id) FROM findings WHERE category='brand' AND severity IN ('error','warning') AND waived=0"
    ).fetchone()[0]
    assert k.shares["brand"].count == brand > 0
    assert [c.number for c in k.criteria] == list(range(1, 10))
    assert all(sum(c.counts) == 26 for c in k.criteria)
    assert {g.label for g in k.buyers} <= {r[0] for r in db.execute("SELECT DISTINCT buyer FROM files")}
    assert sum(g.tenders for g in k.periods) + k.undated == 26 and k.undated == 2  # the examples have no date
    worst = db.execute("SELECT MIN(overall) FROM files").fetchone()[0]
    assert k.worst[0].overall == worst and len(k.worst) == 10
    assert all(f["severity"] in ("error", "warning") for r in k.worst for f in r.findings)


def test_html_dashboard_is_self_contained_and_linked(store, tmp_path):
    out = render_dashboard(store, tmp_path / "d.html")
    page = out.read_text(encoding="utf-8")
    assert "<script" not in page.lower()
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)  # nothing loaded from a network
    assert "Content-Security-Policy" in page
    assert page.count("<svg") >= 7  # signals, products, vendors, formats, criteria, overall, time, buyers
    with Store(store) as s:
        k = compute(s)
    assert f"{k.shares['brand'].ratio * 100:.0f}%" in page
    for ident in re.findall(r"href='#(t\d+)'", page):  # each worst tender links to its report
        assert f"id='{ident}'" in page
    assert len(re.findall(r"href='#t\d+'", page)) == 10
    assert k.buyers[0].label in page


def test_pdf_dashboard_embeds_fonts_and_links_reports(store, tmp_path):
    from pypdf import PdfReader

    out = render_dashboard(store, tmp_path / "d.pdf")
    reader = PdfReader(out)
    text = "".join(p.extract_text() for p in reader.pages)
    assert "vendor lock-in indicators" in text and "Lowest-scoring tenders" in text
    fonts = set()
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            fonts.add(font["/BaseFont"])
            assert "/FontDescriptor" in font or "/DescendantFonts" in font, font["/BaseFont"]  # embedded TrueType
    assert fonts and not any("Helvetica" in f for f in fonts)
    links = [
        a.get_object()
        for page in reader.pages
        for a in (page.get("/Annots") or [])
        if a.get_object().get("/Subtype") == "/Link"
    ]
    assert len(links) >= 10  # the lowest-scoring tenders, linked to their reports inside the PDF


def test_dashboard_of_an_empty_store_and_bad_output(tmp_path):
    empty = tmp_path / "empty.sqlite"
    Store(empty).close()
    page = render_dashboard(empty, tmp_path / "e.html").read_text(encoding="utf-8")
    assert "holds no readable tender" in page
    with pytest.raises(UsageError, match=r"\.html or \.pdf"):
        render_dashboard(empty, tmp_path / "e.png")
    result = CliRunner().invoke(main, ["dashboard", str(tmp_path / "none.sqlite"), "-o", str(tmp_path / "x.html")])
    assert result.exit_code == 2 and "no such result store" in result.output


def test_export_csv_and_parquet(store, tmp_path):
    import pyarrow.parquet as pq

    result = CliRunner().invoke(main, ["export", str(store), "-o", str(tmp_path / "csv")])
    assert result.exit_code == 0, result.output
    db = sqlite3.connect(store)
    for table in ("files", "findings", "scores"):
        lines = (tmp_path / "csv" / f"{table}.csv").read_text(encoding="utf-8-sig").splitlines()
        count = db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
        assert len(lines) >= count + 1  # header + rows (a finding's text may hold newlines)
    header = (tmp_path / "csv" / "findings.csv").read_text(encoding="utf-8-sig").splitlines()[0].split(",")
    for column in ("rule", "category", "severity", "role", "role_reason", "match", "location", "vendor"):
        assert column in header
    result = CliRunner().invoke(main, ["export", str(store), "-o", str(tmp_path / "pq"), "--format", "parquet"])
    assert result.exit_code == 0, result.output
    files = pq.read_table(tmp_path / "pq" / "files.parquet")
    assert files.num_rows == 26 and "buyer" in files.column_names and "language" in files.column_names
    findings = pq.read_table(tmp_path / "pq" / "findings.parquet").to_pylist()
    assert len(findings) == db.execute("SELECT COUNT(*) FROM findings").fetchone()[0]
    assert {f["severity"] for f in findings} <= {"error", "warning", "info"}
