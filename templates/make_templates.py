"""Generate the three docxtpl templates of `ospo-procure build` with python-docx.

Run from the checkout: `python templates/make_templates.py` (writes the .docx beside this
script). The output is committed; regenerate it after changing this file. All prose is
supplied by the build (labels per language), so one template serves every language.
Numbers ("3.2") come from the build too, so the PDF and the docx agree.

Template language (docxtpl): `{%p ... %}` paragraphs and `{%tr ... %}` table rows vanish
when rendered; `{{ ... }}` are values, autoescaped by the build.
"""

from __future__ import annotations

import datetime as dt
import io
import sys
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.shared import Pt

HERE = Path(__file__).resolve().parent
FIXED = dt.datetime(2026, 1, 1, 0, 0, 0)


def _p(doc, text: str, style: str | None = None) -> None:
    doc.add_paragraph(text, style=style)


def _header_row(table, labels: list[str]) -> None:
    for cell, label in zip(table.rows[0].cells, labels, strict=False):
        cell.text = ""
        run = cell.paragraphs[0].add_run(label)
        run.bold = True


def _loop_table(doc, headers: list[str], loop: str, cells: list[str], total: list[str] | None = None):
    """A table whose body row repeats once per item: header, {%tr for%}, row, {%tr endfor%}[, total]."""
    rows = 4 + (1 if total else 0)
    table = doc.add_table(rows=rows, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _header_row(table, headers)
    table.rows[1].cells[0].text = "{%tr " + loop + " %}"
    for cell, text in zip(table.rows[2].cells, cells, strict=False):
        cell.text = text
    table.rows[3].cells[0].text = "{%tr endfor %}"
    if total:
        for cell, text in zip(table.rows[4].cells, total, strict=False):
            cell.text = ""
            cell.paragraphs[0].add_run(text).bold = True
    return table


def _paragraph_loop(doc, var: str, items: str) -> None:
    """Paragraphs that may be bullets: the build marks each with `.bullet`."""
    _p(doc, "{%p for " + var + " in " + items + " %}")
    _p(doc, "{%p if " + var + ".bullet %}")
    _p(doc, "{{ " + var + ".text }}", "List Bullet")
    _p(doc, "{%p else %}")
    _p(doc, "{{ " + var + ".text }}")
    _p(doc, "{%p endif %}")
    _p(doc, "{%p endfor %}")


def _title_block(doc) -> None:
    _p(doc, "{{ doc.heading }}", "Title")
    _p(doc, "{{ doc.title }}", "Subtitle")
    _loop_table(doc, ["", ""], "for m in doc.meta", ["{{ m.label }}", "{{ m.value }}"])
    # The header row of the meta table is empty: drop it so the block reads as a list.
    tbl = doc.tables[-1]._tbl
    tbl.remove(tbl.tr_lst[0])


def _sections(doc, *, with_award_table: bool) -> None:
    _p(doc, "{%p for s in doc.sections %}")
    _p(doc, "{{ s.number }}. {{ s.title }}", "Heading 1")
    _paragraph_loop(doc, "p", "s.intro")
    _p(doc, "{%p for g in s.groups %}")
    _p(doc, "{{ g.number }} {{ g.title }}", "Heading 2")
    _p(doc, "{%p for item in g.entries %}")
    _p(doc, "{{ item }}", "List Bullet")
    _p(doc, "{%p endfor %}")
    _p(doc, "{%p endfor %}")
    if with_award_table:
        _p(doc, "{%p if s.table %}")
        _loop_table(
            doc,
            ["{{ L.criterion }}", "{{ L.weight }}", "{{ L.description }}"],
            "for c in s.table",
            ["{{ c.name }}", "{{ c.weight }}", "{{ c.description }}"],
            total=["{{ L.total }}", "{{ doc.total_weight }}", ""],
        )
        _p(doc, "{%p endif %}")
    _p(doc, "{%p for c in s.clauses %}")
    _p(doc, "{{ c.number }} {{ c.title }}", "Heading 2")
    _paragraph_loop(doc, "q", "c.paragraphs")
    _p(doc, "{%p endfor %}")
    _p(doc, "{%p endfor %}")


def _sources_annex(doc) -> None:
    _p(doc, "{{ L.sources }}", "Heading 1")
    _p(doc, "{{ L.sources_intro }}")
    _loop_table(
        doc,
        ["{{ L.section }}", "{{ L.clause }}", "{{ L.clause_id }}", "{{ L.version }}"],
        "for r in doc.sources",
        ["{{ r.number }}", "{{ r.title }}", "{{ r.id }}", "{{ r.version }}"],
    )


def _new_document(title: str):
    doc = Document()
    doc.styles["Normal"].font.name = "Calibri"
    doc.styles["Normal"].font.size = Pt(11)
    props = doc.core_properties
    props.title, props.author, props.last_modified_by = title, "ospo-procure", "ospo-procure"
    props.created = props.modified = FIXED
    props.revision = 1
    footer = doc.sections[0].footer.paragraphs[0]
    footer.text = "{{ doc.title }} · {{ doc.meta[1].value }}"
    return doc


def terms_of_reference():
    doc = _new_document("Terms of reference template")
    _title_block(doc)
    _sections(doc, with_award_table=True)
    _sources_annex(doc)
    return doc


def contract_annex():
    doc = _new_document("Contract annex template")
    _title_block(doc)
    _sections(doc, with_award_table=False)
    _sources_annex(doc)
    return doc


def evaluation_grid():
    doc = _new_document("Evaluation grid template")
    _title_block(doc)
    _p(doc, "{{ L.grid_intro }}")
    _loop_table(
        doc,
        ["{{ L.criterion }}", "{{ L.weight }}", "{{ L.description }}", "{{ L.score }}", "{{ L.weighted }}"],
        "for c in doc.criteria",
        ["{{ c.name }}", "{{ c.weight }}", "{{ c.description }}", "", ""],
        total=["{{ L.total }}", "{{ doc.total_weight }}", "", "", ""],
    )
    _sections(doc, with_award_table=False)
    _sources_annex(doc)
    return doc


def _save(doc, path: Path) -> None:
    sys.path.insert(0, str(HERE.parent))
    from ospo_procure.tender.render import normalise_zip  # fixed zip times: reproducible bytes

    buf = io.BytesIO()
    doc.save(buf)
    path.write_bytes(normalise_zip(buf.getvalue()))


def main(out_dir: Path = HERE) -> None:
    for name, make in (
        ("terms_of_reference.docx", terms_of_reference),
        ("contract_annex.docx", contract_annex),
        ("evaluation_grid.docx", evaluation_grid),
    ):
        _save(make(), out_dir / name)
        print(f"wrote {out_dir / name}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE)
