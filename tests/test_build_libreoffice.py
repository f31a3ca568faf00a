"""The built tenders as LibreOffice lays them out: a second, independent reader of our .docx.

One headless conversion of the four examples' terms of reference (plus a Letter-size
variant) to PDF, then checks on what a reader of that PDF sees: paper size, the title page,
"page X of Y" footers in the document's language, the list numbering (2.2.1, (a)) that
LibreOffice computes from our numbering definitions, the table of contents, the language
tag, and the clause-sources annex cross-referring to the live numbering.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest

from ospo_procure.paths import data_dir
from ospo_procure.tender import build_tender

EXAMPLES = data_dir("examples") / "specs"
FOOTER = {"en": "Page {} of {}", "es": "Página {} de {}", "pt": "Página {} de {}", "fr": "Page {} sur {}"}
TAMPERED = "9.9"  # a stale cached value LibreOffice must recompute


def _norm(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("soffice (LibreOffice) not on PATH: install libreoffice-writer-nogui to run this check")
    from pypdf import PdfReader

    tmp = tmp_path_factory.mktemp("lo")
    specs = sorted(EXAMPLES.glob("*.yaml"))
    mexico = tmp / "es-mx.yaml"
    mexico.write_text(
        (EXAMPLES / "es-gestion-documental.yaml")
        .read_text(encoding="utf-8")
        .replace("country: Uruguay", "country: México"),
        encoding="utf-8",
    )
    docs: dict[str, dict[str, Any]] = {}
    for spec in [*specs, mexico]:
        result = build_tender(spec, tmp / spec.stem, lint=False)
        docx = tmp / "in" / f"{spec.stem}.docx"
        docx.parent.mkdir(exist_ok=True)
        shutil.copy(tmp / spec.stem / "terms_of_reference.docx", docx)
        docs[spec.stem] = {"result": result, "docx": docx}
    _tamper_first_cross_reference(docs["es-gestion-documental"]["docx"])
    outdir = tmp / "pdf"
    proc = subprocess.run(
        [
            soffice,
            "--headless",
            "--norestore",
            f"-env:UserInstallation={(tmp / 'lo-profile').as_uri()}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
            *(str(d["docx"]) for d in docs.values()),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "HOME": str(tmp)},
    )
    for name, d in docs.items():
        pdf = outdir / f"{name}.pdf"
        assert pdf.is_file(), proc.stderr + proc.stdout
        reader = PdfReader(str(pdf))
        d["reader"] = reader
        d["pages"] = [p.extract_text() for p in reader.pages]
    return docs


def _tamper_first_cross_reference(docx: Path) -> None:
    """Replace the cached number of the annex's first REF field by a wrong one."""
    with zipfile.ZipFile(docx) as zf:
        items = {i.filename: zf.read(i.filename) for i in zf.infolist()}
    xml = items["word/document.xml"].decode()
    at = xml.index("REF _RefClause0001")
    start = xml.index("<w:t", xml.index('w:fldCharType="separate"', at))
    start = xml.index(">", start) + 1
    end = xml.index("</w:t>", start)
    items["word/document.xml"] = (xml[:start] + TAMPERED + xml[end:]).encode()
    with zipfile.ZipFile(docx, "w", zipfile.ZIP_DEFLATED) as zf:
        for n, data in items.items():
            zf.writestr(n, data)


@pytest.mark.parametrize(
    ("name", "size"),
    [
        ("en-grants-platform", (595, 842)),
        ("es-gestion-documental", (595, 842)),
        ("fr-abonnement-visio", (595, 842)),
        ("pt-sustentacao-protocolo", (595, 842)),
        ("es-mx", (612, 792)),
    ],
)
def test_paper_language_and_page_x_of_y(converted: dict, name: str, size: tuple[int, int]) -> None:
    d = converted[name]
    reader, pages, result = d["reader"], d["pages"], d["result"]
    assert {(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in reader.pages} == {size}
    assert reader.trailer["/Root"]["/Lang"] == result.docs["tor"].locale
    lang = result.docs["tor"].language
    total = len(pages)
    assert total >= 8
    assert FOOTER[lang].format(1, total) not in _norm(pages[0])  # the title page has no footer
    for n in (2, total):
        assert FOOTER[lang].format(n, total) in _norm(pages[n - 1]), (name, n)
    first = _norm(pages[0])
    tor = result.docs["tor"]
    for value in (tor.agency.upper(), tor.heading, tor.reference, tor.date, tor.version):
        assert value in first, value


@pytest.mark.parametrize(
    "name", ["en-grants-platform", "es-gestion-documental", "fr-abonnement-visio", "pt-sustentacao-protocolo"]
)
def test_libreoffice_numbers_clauses_and_sub_clauses_as_we_do(converted: dict, name: str) -> None:
    d = converted[name]
    text = _norm(" ".join(d["pages"]))
    tor = d["result"].docs["tor"]
    checked = 0
    for section in tor.sections:
        assert re.search(rf"(^|\s){section.number}\. {re.escape(_norm(section.title))}", text), section.title
        for clause in section.clauses:
            assert _norm(f"{clause.number} {clause.title}") in text, clause.title
            for p in clause.paragraphs:
                if p.number:
                    start = " ".join(p.text.split()[:3])
                    assert f"{p.number} {start}" in text, (clause.id, p.number, start)
                    checked += 1
    assert checked > 50


def test_table_of_contents_is_populated(converted: dict) -> None:
    d = converted["pt-sustentacao-protocolo"]
    toc_page = _norm(d["pages"][1])
    tor = d["result"].docs["tor"]
    assert toc_page.startswith(tor.labels["contents"]) or tor.labels["contents"] in toc_page[:200]
    _level, number, title = tor.headings()[1]
    assert _norm(f"{number} {title}") in toc_page


def test_the_sources_annex_follows_the_live_numbering(converted: dict) -> None:
    """LibreOffice recomputes the annex's REF fields from the clause headings' numbering."""
    d = converted["es-gestion-documental"]
    tor = d["result"].docs["tor"]
    first = tor.sources[0]
    annex = _norm(d["pages"][-1] if tor.labels["sources"] in d["pages"][-1] else " ".join(d["pages"][-3:]))
    assert _norm(f"{first['number']} {first['title']}") in annex
    assert _norm(f"{TAMPERED} {first['title']}") not in annex
