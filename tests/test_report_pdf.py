from __future__ import annotations

import datetime as dt
import io
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from pypdf.generic import DictionaryObject
from report_fixtures import build_results, run_of

from ospo_procure.model import LintRun
from ospo_procure.report import ReportOptions
from ospo_procure.report import pdf as pdf_report
from ospo_procure.report._fonts import register_fonts

DATE = dt.date(2026, 3, 14)
ACCENTS = "á é í ó ú ñ ç ã õ"


@pytest.fixture()
def results(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> LintRun:
    monkeypatch.chdir(tmp_path)
    rs = build_results(tmp_path)
    # A finding whose context carries every accent the reviewers' languages need.
    rs.files[0].findings[2] = replace(rs.files[0].findings[2], message=f"Marca exigida ({ACCENTS}).")
    return rs


def fonts_of(resources: Any, seen: set[int] | None = None) -> list[DictionaryObject]:
    """Every font dictionary reachable from a resources dict (form XObjects included)."""
    seen = seen if seen is not None else set()
    out: list[DictionaryObject] = []
    if resources is None:
        return out
    resources = resources.get_object()
    for font in (resources.get("/Font") or {}).values():
        font = font.get_object()
        if id(font) not in seen:
            seen.add(id(font))
            out.append(font)
    for xobj in (resources.get("/XObject") or {}).values():
        xobj = xobj.get_object()
        if xobj.get("/Subtype") == "/Form":
            out += fonts_of(xobj.get("/Resources"), seen)
    return out


def assert_all_fonts_embedded(data: bytes) -> set[str]:
    reader = PdfReader(io.BytesIO(data))
    names: set[str] = set()
    for page in reader.pages:
        fonts = fonts_of(page.get("/Resources"))
        assert fonts, "page without fonts"
        for font in fonts:
            names.add(str(font["/BaseFont"]))
            target = font["/DescendantFonts"][0].get_object() if font["/Subtype"] == "/Type0" else font
            descriptor = target.get("/FontDescriptor")
            assert descriptor is not None, f"{font['/BaseFont']} has no descriptor (standard-14 font?)"
            assert "/FontFile2" in descriptor.get_object(), f"{font['/BaseFont']} is not an embedded TrueType"
    assert not any("Helvetica" in n or "Times" in n or "Courier" in n for n in names)
    return names


def render(results: LintRun, **kw) -> bytes:
    kw.setdefault("lang", "en")  # the assertions read English words (other languages: test_report_language.py)
    return pdf_report.render(results, ReportOptions(report_date=DATE, **kw))


def text_of(data: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)


def test_fonts_embedded_and_text_extracts(results: LintRun) -> None:
    data = render(results, tool_version="0.1.0")
    assert data.startswith(b"%PDF-")
    names = assert_all_fonts_embedded(data)
    assert any("DejaVu" in n or "Vera" in n for n in names)
    text = text_of(data)
    for ch in ACCENTS.split():
        assert ch in text, ch
    assert "ñandú" in text or "Migración" in text
    assert "Overall score: 2.3/5" in text
    assert "2026-03-14" in text
    assert "tenders/pliego técnico.txt" in text
    assert "Termo de Referência" in text and "Certificação Oracle" in text


def test_sections_chart_findings_waivers_and_errors(results: LintRun) -> None:
    text = text_of(render(results))
    assert text.count("OSS-friendly tender scorecard") == 3  # one section per file
    assert "1. Functional, vendor-neutral description" in text  # chart label / criteria
    assert "Findings (4 open, 1 waived)" in text
    assert "WAIVED" in text and "SAP es el sistema del que se migra" in text
    assert "This file could not be read" in text and "not a valid PDF" in text
    assert "Ley 9/2017" in text and "or equivalent" in text
    assert "<script>alert(1)</script>" in text  # escaped for Paragraph markup, shown as text
    assert '& "quotes"' in text
    assert "header ¶1" in text and "table 1 r2c3" in text
    assert "Unused waivers" in text and "es-sole-source (a marker line in body ¶5)" in text
    assert "Waiver files: unused waivers" in text and "es-brand (waivers.yaml:9): obsoleto desde" in text
    assert "required (“suministrará”)" in text


def test_reproducible_with_report_date(results: LintRun) -> None:
    a = render(results)
    b = render(results)
    assert a == b


def test_bundled_vera_fallback(results: LintRun, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf_report, "register_fonts", lambda: register_fonts(bundled_only=True))
    data = render(results)
    names = assert_all_fonts_embedded(data)
    assert all("Vera" in n for n in names)
    text = text_of(data)
    for ch in ACCENTS.split():
        assert ch in text


def test_without_scorecard_and_empty_input(results: LintRun) -> None:
    fr = replace(results.files[1], scorecard=None)
    text = text_of(render(run_of(fr)))
    assert "No scorecard was computed" in text
    empty = render(LintRun())
    assert_all_fonts_embedded(empty)
    assert "No files were checked" in text_of(empty)
