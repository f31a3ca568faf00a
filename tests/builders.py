"""Builders for real test documents (.docx, .odt, .pdf), written into pytest's tmp_path.

Shared by every test module; no binary fixtures are committed.

make_docx items (body, in order):
    "text" or ("p", text[, {"footnote": id} | {"endnote": id}])
    ("h", level, text)                 heading via the built-in "Heading N" style
    ("li", text) / ("num", text)       "List Bullet" / "List Number" style
    ("table", rows[, {"merge": [((r1, c1), (r2, c2)), ...]}])
        rows: list of rows; a cell is str, or ("table", rows) for a nested table
        (0-based merge coordinates, python-docx `cell.merge`)
    ("comment", before, anchored, after, comment_text[, author])
    ("xml", fragment)                  raw body-level WordprocessingML (see *_xml helpers)
make_odt items: "text", ("p", text), ("h", level, text), ("li", text),
    ("table", rows[, {"span": {(r, c): n}}]), ("note", before, note_text, "footnote"|"endnote"),
    ("deleted", before, deleted, after), ("inserted", before, inserted, after),
    ("comment", before, anchored, after, comment_text), ("xml", fragment)
make_pdf pages: a page is None (no text layer, just a drawn box), a list of exact lines
    ("" = blank line, i.e. a vertical gap), or a str of paragraphs separated by blank lines
    that reportlab wraps to the text width.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_NS_DECL = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:v="urn:schemas-microsoft-com:vml" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
)
FONT_PATH = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


# ---------------------------------------------------------------------------------------
# WordprocessingML fragments (for ("xml", ...) items)
# ---------------------------------------------------------------------------------------


def run_xml(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def ins_xml(text: str, rid: int = 901) -> str:
    return f'<w:ins w:id="{rid}" w:author="T" w:date="2024-01-01T00:00:00Z">{run_xml(text)}</w:ins>'


def del_xml(text: str, rid: int = 902) -> str:
    return (
        f'<w:del w:id="{rid}" w:author="T" w:date="2024-01-01T00:00:00Z">'
        f'<w:r><w:delText xml:space="preserve">{escape(text)}</w:delText></w:r></w:del>'
    )


def move_xml(text: str, to: bool, rid: int = 903) -> str:
    tag = "moveTo" if to else "moveFrom"
    return f'<w:{tag} w:id="{rid}" w:author="T" w:date="2024-01-01T00:00:00Z">{run_xml(text)}</w:{tag}>'


def p_xml(*inner: str, style: str | None = None) -> str:
    ppr = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    return f"<w:p>{ppr}{''.join(inner)}</w:p>"


def sdt_block_xml(text: str) -> str:
    """A block-level content control holding one paragraph."""
    return (
        '<w:sdt><w:sdtPr><w:alias w:val="Field"/><w:tag w:val="f1"/></w:sdtPr>'
        f"<w:sdtContent>{p_xml(run_xml(text))}</w:sdtContent></w:sdt>"
    )


def sdt_inline_xml(text: str) -> str:
    return f'<w:sdt><w:sdtPr><w:alias w:val="Inline"/></w:sdtPr><w:sdtContent>{run_xml(text)}</w:sdtContent></w:sdt>'


def textbox_vml_xml(host: str, boxed: str) -> str:
    """A paragraph with a VML text box."""
    return p_xml(
        run_xml(host),
        '<w:r><w:pict><v:shape style="width:200pt;height:40pt"><v:textbox><w:txbxContent>'
        f"{p_xml(run_xml(boxed))}</w:txbxContent></v:textbox></v:shape></w:pict></w:r>",
    )


def textbox_alternate_xml(host: str, boxed: str) -> str:
    """A paragraph with a DrawingML text box plus its VML fallback (as Word writes it)."""
    content = f"<w:txbxContent>{p_xml(run_xml(boxed))}</w:txbxContent>"
    return p_xml(
        run_xml(host),
        '<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor><a:graphic>'
        '<a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        f"<wps:wsp><wps:txbx>{content}</wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing>"
        f"</mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox>{content}</v:textbox></v:shape></w:pict>"
        "</mc:Fallback></mc:AlternateContent></w:r>",
    )


def _fragment(xml: str) -> Any:
    from docx.oxml.parser import parse_xml

    wrapper = parse_xml(f"<w:wrap {_NS_DECL}>{xml}</w:wrap>")
    return list(wrapper)


def _notes_xml(kind: str, notes: dict[int, str]) -> bytes:
    """footnotes.xml / endnotes.xml with the two separator notes Word always writes."""
    parts = [
        f'<w:{kind} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:{kind}>',
        f'<w:{kind} w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:{kind}>',
    ]
    for nid, text in notes.items():
        paras = "".join(
            f'<w:p><w:r><w:{kind}Ref/></w:r><w:r><w:t xml:space="preserve"> {escape(t)}</w:t></w:r></w:p>'
            for t in text.split("\n")
        )
        parts.append(f'<w:{kind} w:id="{nid}">{paras}</w:{kind}>')
    root = f"{kind}s"
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:{root} {_NS_DECL}>{"".join(parts)}</w:{root}>'.encode()


def _add_notes_part(document: Any, kind: str, notes: dict[int, str]) -> None:
    from docx.opc.constants import CONTENT_TYPE as CT
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    ct = CT.WML_FOOTNOTES if kind == "footnote" else CT.WML_ENDNOTES
    rt = RT.FOOTNOTES if kind == "footnote" else RT.ENDNOTES
    part = Part(PackURI(f"/word/{kind}s.xml"), ct, _notes_xml(kind, notes), document.part.package)
    document.part.relate_to(part, rt)


def _add_table(container: Any, rows: Sequence[Sequence[Any]], opts: dict[str, Any] | None = None) -> None:
    ncols = max(len(r) for r in rows)
    table = container.add_table(rows=len(rows), cols=ncols)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            cell = table.cell(r, c)
            if isinstance(value, tuple) and value[0] == "table":
                cell.paragraphs[0].text = ""
                _add_table(cell, value[1], value[2] if len(value) > 2 else None)
            else:
                cell.paragraphs[0].text = str(value)
    for (r1, c1), (r2, c2) in (opts or {}).get("merge", []):
        table.cell(r1, c1).merge(table.cell(r2, c2))


def make_docx(
    tmp_path: Path,
    items: Iterable[Any] = (),
    *,
    name: str = "test.docx",
    header: str | list[str] | None = None,
    footer: str | list[str] | None = None,
    footnotes: dict[int, str] | None = None,
    endnotes: dict[int, str] | None = None,
) -> Path:
    import docx

    d = docx.Document()
    body = d.element.body
    for item in items:
        if isinstance(item, str):
            d.add_paragraph(item)
            continue
        kind = item[0]
        if kind == "p":
            para = d.add_paragraph(item[1])
            opts = item[2] if len(item) > 2 else {}
            for note_kind in ("footnote", "endnote"):
                if note_kind in opts:
                    ref = _fragment(
                        f'<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
                        f'<w:{note_kind}Reference w:id="{opts[note_kind]}"/></w:r>'
                    )[0]
                    para._p.append(ref)
        elif kind == "h":
            d.add_heading(item[2], level=item[1])
        elif kind == "li":
            d.add_paragraph(item[1], style="List Bullet")
        elif kind == "num":
            d.add_paragraph(item[1], style="List Number")
        elif kind == "table":
            _add_table(d, item[1], item[2] if len(item) > 2 else None)
        elif kind == "comment":
            _, before, anchored, after, text, *rest = item
            para = d.add_paragraph(before)
            run = para.add_run(anchored)
            para.add_run(after)
            d.add_comment(run, text=text, author=rest[0] if rest else "Reviewer", initials="R")
        elif kind == "xml":
            sect = body.find(f"{{{W_NS}}}sectPr")
            for el in _fragment(item[1]):
                if sect is not None:
                    sect.addprevious(el)
                else:
                    body.append(el)
        else:
            raise ValueError(f"unknown docx item {kind!r}")
    section = d.sections[0]
    for value, hf in ((header, section.header), (footer, section.footer)):
        if value is None:
            continue
        lines = [value] if isinstance(value, str) else value
        hf.paragraphs[0].text = lines[0]
        for line in lines[1:]:
            hf.add_paragraph(line)
    if footnotes:
        _add_notes_part(d, "footnote", footnotes)
    if endnotes:
        _add_notes_part(d, "endnote", endnotes)
    out = tmp_path / name
    d.save(str(out))
    return out


# ---------------------------------------------------------------------------------------
# Zip surgery (corrupt / hostile inputs)
# ---------------------------------------------------------------------------------------


def rewrite_zip(
    src: Path, dst: Path, replace: dict[str, bytes | None] | None = None, add: dict[str, bytes] | None = None
) -> Path:
    """Copy a zip, replacing (bytes) or dropping (None) members and adding new ones."""
    replace = replace or {}
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename in replace:
                data = replace[info.filename]
                if data is None:
                    continue
                zout.writestr(info.filename, data)
            else:
                zout.writestr(info, zin.read(info.filename))
        for nm, data in (add or {}).items():
            zout.writestr(nm, data)
    return dst


# ---------------------------------------------------------------------------------------
# ODT
# ---------------------------------------------------------------------------------------

_ODT_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
    'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" office:version="1.3"'
)


def _odt_table(rows: Sequence[Sequence[Any]], opts: dict[str, Any] | None = None) -> str:
    spans: dict[tuple[int, int], int] = (opts or {}).get("span", {})
    out = ["<table:table>"]
    ncols = max(len(r) for r in rows)
    out.append(f'<table:table-column table:number-columns-repeated="{ncols}"/>')
    for r, row in enumerate(rows):
        out.append("<table:table-row>")
        skip = 0
        for c, value in enumerate(row):
            if skip:
                skip -= 1
                out.append("<table:covered-table-cell/>")
                continue
            span = spans.get((r, c), 1)
            attr = f' table:number-columns-spanned="{span}"' if span > 1 else ""
            skip = span - 1
            if isinstance(value, tuple) and value[0] == "table":
                inner = _odt_table(value[1], value[2] if len(value) > 2 else None)
            else:
                inner = f"<text:p>{escape(str(value))}</text:p>"
            out.append(f'<table:table-cell office:value-type="string"{attr}>{inner}</table:table-cell>')
        out.append("</table:table-row>")
    out.append("</table:table>")
    return "".join(out)


def make_odt(
    tmp_path: Path,
    items: Iterable[Any] = (),
    *,
    name: str = "test.odt",
    header: str | None = None,
    footer: str | None = None,
) -> Path:
    body: list[str] = []
    changes: list[str] = []
    for n, item in enumerate(items, start=1):
        if isinstance(item, str):
            item = ("p", item)
        kind = item[0]
        if kind == "p":
            body.append(f"<text:p>{escape(item[1])}</text:p>")
        elif kind == "h":
            body.append(f'<text:h text:outline-level="{item[1]}">{escape(item[2])}</text:h>')
        elif kind == "li":
            body.append(f"<text:list><text:list-item><text:p>{escape(item[1])}</text:p></text:list-item></text:list>")
        elif kind == "table":
            body.append(_odt_table(item[1], item[2] if len(item) > 2 else None))
        elif kind == "note":
            _, before, note_text, cls = item
            body.append(
                f'<text:p>{escape(before)}<text:note text:id="n{n}" text:note-class="{cls}">'
                f"<text:note-citation>{n}</text:note-citation><text:note-body><text:p>{escape(note_text)}</text:p>"
                "</text:note-body></text:note></text:p>"
            )
        elif kind == "deleted":
            _, before, deleted, after = item
            changes.append(
                f'<text:changed-region text:id="ct{n}"><text:deletion><office:change-info>'
                "<dc:creator>T</dc:creator><dc:date>2024-01-01T00:00:00</dc:date></office:change-info>"
                f"<text:p>{escape(deleted)}</text:p></text:deletion></text:changed-region>"
            )
            body.append(f'<text:p>{escape(before)}<text:change text:change-id="ct{n}"/>{escape(after)}</text:p>')
        elif kind == "inserted":
            _, before, inserted, after = item
            changes.append(
                f'<text:changed-region text:id="ct{n}"><text:insertion><office:change-info>'
                "<dc:creator>T</dc:creator><dc:date>2024-01-01T00:00:00</dc:date></office:change-info>"
                "</text:insertion></text:changed-region>"
            )
            body.append(
                f'<text:p>{escape(before)}<text:change-start text:change-id="ct{n}"/>{escape(inserted)}'
                f'<text:change-end text:change-id="ct{n}"/>{escape(after)}</text:p>'
            )
        elif kind == "comment":
            _, before, anchored, after, text = item
            body.append(
                f'<text:p>{escape(before)}<office:annotation office:name="c{n}"><dc:creator>Reviewer</dc:creator>'
                f"<text:p>{escape(text)}</text:p></office:annotation>{escape(anchored)}"
                f'<office:annotation-end office:name="c{n}"/>{escape(after)}</text:p>'
            )
        elif kind == "xml":
            body.append(item[1])
        else:
            raise ValueError(f"unknown odt item {kind!r}")
    tracked = f"<text:tracked-changes>{''.join(changes)}</text:tracked-changes>" if changes else ""
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_ODT_NS}>'
        f"<office:body><office:text>{tracked}{''.join(body)}</office:text></office:body></office:document-content>"
    )
    hf = ""
    if header:
        hf += f"<style:header><text:p>{escape(header)}</text:p></style:header>"
    if footer:
        hf += f"<style:footer><text:p>{escape(footer)}</text:p></style:footer>"
    styles = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-styles {_ODT_NS}>'
        f'<office:master-styles><style:master-page style:name="Standard">{hf}</style:master-page>'
        "</office:master-styles></office:document-styles>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        '<manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    out = tmp_path / name
    with zipfile.ZipFile(out, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")  # stored, first
        z.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        z.writestr("styles.xml", styles, zipfile.ZIP_DEFLATED)
        z.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
    return out


# ---------------------------------------------------------------------------------------
# PDF
# ---------------------------------------------------------------------------------------


def _font() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if "DejaVuSans" not in pdfmetrics.getRegisteredFontNames():
        try:
            pdfmetrics.registerFont(TTFont("DejaVuSans", FONT_PATH))
        except Exception:  # font missing on this machine: fall back to reportlab's Vera
            pdfmetrics.registerFont(TTFont("DejaVuSans", "Vera.ttf"))
    return "DejaVuSans"


def make_pdf(
    tmp_path: Path,
    pages: Sequence[str | Sequence[str] | None],
    *,
    name: str = "test.pdf",
    encrypt: str | None = None,
    font_size: float = 11,
) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import simpleSplit
    from reportlab.pdfgen import canvas

    font = _font()
    out = tmp_path / name
    kwargs: dict[str, Any] = {"pagesize": A4}
    if encrypt is not None:
        kwargs["encrypt"] = encrypt
    c = canvas.Canvas(str(out), **kwargs)
    leading = font_size * 1.3
    width = A4[0] - 144
    for page in pages:
        if page is None:
            c.rect(72, 400, 300, 200, fill=1)  # an "image": no text layer
        else:
            if isinstance(page, str):
                lines: list[str] = []
                for para in page.split("\n\n"):
                    lines.extend(simpleSplit(para.replace("\n", " "), font, font_size, width))
                    lines.append("")
            else:
                lines = list(page)
            y = A4[1] - 72
            c.setFont(font, font_size)
            for line in lines:
                if line:
                    c.drawString(72, y, line)
                y -= leading
        c.showPage()
    c.save()
    return out


def pdf_bytes_corrupt() -> bytes:
    """Something with a PDF header and garbage after it."""
    return b"%PDF-1.7\n" + bytes(range(256)) * 8 + b"\n%%EOF"


__all__ = [
    "del_xml",
    "ins_xml",
    "make_docx",
    "make_odt",
    "make_pdf",
    "move_xml",
    "p_xml",
    "pdf_bytes_corrupt",
    "rewrite_zip",
    "run_xml",
    "sdt_block_xml",
    "sdt_inline_xml",
    "textbox_alternate_xml",
    "textbox_vml_xml",
]
