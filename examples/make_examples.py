"""Regenerate the bundled example tenders in examples/tenders/ (committed; rerun after edits).

    python examples/make_examples.py

The texts are fictitious and written for ospo-procure: a terms of reference with typical
lock-in (named products, per-user licences, proprietary formats, vendor certification,
escrow) next to some OSS-friendly clauses, in .docx (with a table, header, footer and
a justified-exception comment) and a Spanish Markdown pliego.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.shared import Pt

HERE = Path(__file__).resolve().parent / "tenders"

ENGLISH = [
    ("h1", "Terms of Reference: Case-Management Platform for the Social Benefits Agency"),
    ("h2", "1 Background"),
    (
        "p",
        "The Social Benefits Agency (the Agency) processes about 90,000 benefit applications a year. The current system, built on Lotus Notes, will be decommissioned at the end of the contract.",
    ),
    ("h2", "2 Scope and requirements"),
    (
        "p",
        "The platform shall be implemented on Microsoft Dynamics 365 Customer Service, which the Agency has adopted as its corporate standard.",
    ),
    (
        "p",
        "The database layer must run on Microsoft SQL Server 2022 Enterprise; no other database management system will be accepted.",
    ),
    ("p", "Data exchange with the national registry shall use documented REST APIs described in OpenAPI 3.1 and JSON."),
    ("p", "Monthly statistics shall be delivered as Microsoft Excel 97-2003 (.xls) workbooks."),
    ("p", "Dashboards comparable to Microsoft Power BI or equivalent shall be available to managers."),
    ("h2", "3 Licensing and price"),
    (
        "p",
        "The price offer shall include 450 licences priced per named user per month, and 20 concurrent-user licences for the call centre.",
    ),
    ("h2", "4 Eligibility"),
    (
        "p",
        "The bidder must be a Microsoft Solutions Partner for Business Applications and shall attach the partner certificate.",
    ),
    ("h2", "5 Intellectual property and source code"),
    (
        "p",
        "All intellectual property rights in the configurations and extensions developed under this Contract shall remain with the Contractor, and the Agency is granted a non-exclusive, non-transferable licence to use them.",
    ),
    (
        "p",
        "The source code of custom components shall be deposited in escrow and released only in the event of the Contractor's insolvency.",
    ),
    ("h2", "6 Evaluation"),
    (
        "p",
        "Open-source solutions are admissible and will be evaluated on an equal footing with proprietary alternatives.",
    ),
    ("p", "Offers will be compared on price (40 points) and technical quality (60 points)."),
]

SPANISH_MD = """# Pliego de condiciones técnicas: sistema de gestión documental

## 1. Objeto

La Intendencia contratará la implantación de un sistema de gestión documental para sus 14 oficinas.

## 2. Requisitos técnicos

La solución deberá desarrollarse sobre Microsoft SharePoint Online y utilizar Oracle Database 19c como gestor de base de datos.

Los planos catastrales se entregarán en formato .dwg.

Se admiten soluciones de código abierto, que serán evaluadas en igualdad de condiciones.

## 3. Licenciamiento

El oferente cotizará 300 licencias por usuario nominal con soporte anual.

## 4. Mantenimiento

El mantenimiento de los años siguientes se contratará directamente con el mismo proveedor, sin un nuevo procedimiento competitivo.
"""


def english_docx(path: Path) -> None:
    doc = Document()
    doc.styles["Normal"].font.size = Pt(11)
    section = doc.sections[0]
    section.header.paragraphs[0].text = "Social Benefits Agency - Terms of Reference SBA-2026-07"
    section.footer.paragraphs[0].text = "Annex C, the price schedule, shall be completed in .xls format."
    for kind, text in ENGLISH:
        if kind == "h1":
            doc.add_heading(text, level=1)
        elif kind == "h2":
            doc.add_heading(text, level=2)
        else:
            doc.add_paragraph(text)
    doc.add_heading("Annex A: Technical minimums", level=2)
    table = doc.add_table(rows=3, cols=2)
    table.style = "Table Grid"
    rows = [
        ("Component", "Minimum requirement"),
        ("Operating system", "Client workstations running Windows 11 Enterprise"),
        ("Interoperability", "Open, royalty-free standards such as OpenAPI, ODF and PDF/A"),
    ]
    for r, (a, b) in enumerate(rows):
        table.cell(r, 0).text = a
        table.cell(r, 1).text = b
    # A reviewer's justified exception recorded in the document itself.
    target = next(p for p in doc.paragraphs if "Microsoft SQL Server" in p.text)
    doc.add_comment(
        target.runs,
        text="ospo-procure: allow TECH-PLATFORM because the national tax registry only exposes a SQL Server linked-server interface until 2028 (approved by the legal unit).",
        author="Legal reviewer",
        initials="LR",
    )
    core = doc.core_properties
    core.title = "Terms of Reference SBA-2026-07 (example)"
    core.author = "ospo-procure examples"
    doc.save(path)


def main() -> None:
    HERE.mkdir(parents=True, exist_ok=True)
    english_docx(HERE / "sba_case_management_tor.docx")
    (HERE / "pliego_gestion_documental.md").write_text(SPANISH_MD, encoding="utf-8")
    print(f"wrote examples to {HERE}")


if __name__ == "__main__":
    main()
