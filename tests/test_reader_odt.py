"""The .odt reader, on documents built in the test."""

from __future__ import annotations

import zipfile

import pytest
from builders import make_odt, rewrite_zip

from ospo_procure.errors import InputError, LimitExceeded
from ospo_procure.limits import Limits
from ospo_procure.readers import read_document
from ospo_procure.readers.odt_reader import read


def texts(doc, part=None):
    return [b.text for b in doc.blocks if part is None or b.location.part == part]


def find(doc, text):
    hits = [b for b in doc.blocks if text in b.text]
    assert hits, f"{text!r} not in {texts(doc)}"
    return hits[0]


@pytest.fixture
def rich_odt(tmp_path):
    return make_odt(
        tmp_path,
        [
            "Preamble.",
            ("h", 1, "Scope"),
            ("h", 2, "Licensing"),
            ("note", "Licences per named user.", "Footnote: escrow only.", "footnote"),
            ("note", "Closing remark.", "Endnote text.", "endnote"),
            ("li", "A list item"),
            (
                "table",
                [["Criterion", "Points"], ["Price", ("table", [["inner a", "inner b"]])], ["wide", "(covered)", "x"]],
                {"span": {(2, 0): 2}},
            ),
            ("deleted", "Use ", "Oracle only ", "any database."),
            ("inserted", "Deliver ", "full ", "source code."),
            ("comment", "Must use ", "SQL Server", " 2022.", "Waiver: legacy"),
            (
                "xml",
                '<text:p>a<text:s text:c="3"/>b<text:tab/>c<text:line-break/>d <text:span>span</text:span></text:p>',
            ),
            (
                "xml",
                "<text:p>Host<draw:frame><draw:text-box><text:p>Boxed text</text:p></draw:text-box></draw:frame></text:p>",
            ),
            (
                "xml",
                "<text:table-of-content><text:index-body><text:p>Scope 1</text:p></text:index-body></text:table-of-content>",
            ),
            ("h", 1, "Annex"),
            "Annex text.",
        ],
        header="Header: AESAN",
        footer="Footer: page",
    )


def test_headings_and_paths(rich_odt):
    doc = read(rich_odt, Limits())
    assert doc.format == "odt"
    lic = find(doc, "Licensing")
    assert (lic.kind, lic.level, lic.location.heading) == ("heading", 2, "Scope")
    assert find(doc, "Licences per named user.").location.heading == "Scope > Licensing"
    assert find(doc, "Annex text.").location.heading == "Annex"
    assert find(doc, "A list item").kind == "list_item"
    assert "Scope 1" not in texts(doc)  # table of contents skipped


def test_tables(rich_odt):
    doc = read(rich_odt, Limits())
    c = find(doc, "Criterion").location
    assert (c.part, c.table, c.row, c.cell) == ("table", 1, 1, 1)
    inner = find(doc, "inner b").location
    assert (inner.table, inner.row, inner.cell) == (2, 1, 2)
    x = next(b for b in doc.blocks if b.text == "x").location  # after a 2-column span
    assert (x.row, x.cell) == (3, 3)
    assert texts(doc).count("wide") == 1


def test_notes_after_body(rich_odt):
    doc = read(rich_odt, Limits())
    host = find(doc, "Licences per named user.")
    assert host.text == "Licences per named user."  # citation and body not glued on
    fn = find(doc, "Footnote: escrow only.")
    en = find(doc, "Endnote text.")
    assert (fn.location.part, fn.location.note, fn.kind) == ("footnote", 4, "note")
    assert (en.location.part, en.location.note) == ("endnote", 5)
    assert doc.blocks.index(find(doc, "Footer: page")) < doc.blocks.index(fn) < doc.blocks.index(en)


def test_tracked_changes_and_inline_markup(rich_odt):
    doc = read(rich_odt, Limits())
    assert "Use any database." in texts(doc)
    assert not any("Oracle only" in t for t in texts(doc))
    assert "Deliver full source code." in texts(doc)
    assert "a   b\tc d span" in texts(doc)


def test_text_box_and_header_footer(rich_odt):
    doc = read(rich_odt, Limits())
    assert find(doc, "Host").text == "Host"
    assert find(doc, "Boxed text").location.part == "textbox"
    assert texts(doc, "header") == ["Header: AESAN"]
    assert texts(doc, "footer") == ["Footer: page"]


def test_comments(rich_odt):
    doc = read(rich_odt, Limits())
    assert len(doc.comments) == 1
    c = doc.comments[0]
    assert (c.text, c.author, c.anchored_text) == ("Waiver: legacy", "Reviewer", "SQL Server")
    assert doc.blocks[c.block_index].text == "Must use SQL Server 2022."


def test_dispatch(rich_odt):
    assert read_document(rich_odt).format == "odt"


def test_missing_content_and_bad_xml(tmp_path):
    src = make_odt(tmp_path, ["x"])
    with pytest.raises(InputError, match="missing content.xml"):
        read(rewrite_zip(src, tmp_path / "a.odt", {"content.xml": None}), Limits())
    with pytest.raises(InputError, match="content.xml is not well-formed XML"):
        read(rewrite_zip(src, tmp_path / "b.odt", {"content.xml": b"<office:document-content>"}), Limits())
    dtd = b'<!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>'
    with pytest.raises(InputError, match="DTD"):
        read(rewrite_zip(src, tmp_path / "c.odt", {"content.xml": dtd}), Limits())


def test_encrypted_and_wrong_kind(tmp_path):
    src = make_odt(tmp_path, ["x"])
    with zipfile.ZipFile(src) as z:
        manifest = z.read("META-INF/manifest.xml")
    enc = manifest.replace(b"</manifest:manifest>", b"<manifest:encryption-data/></manifest:manifest>")
    with pytest.raises(InputError, match="password-protected"):
        read(rewrite_zip(src, tmp_path / "e.odt", {"META-INF/manifest.xml": enc}), Limits())
    with pytest.raises(InputError, match="not an OpenDocument text"):
        read(
            rewrite_zip(src, tmp_path / "s.odt", {"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"}),
            Limits(),
        )


def test_nesting_limit(tmp_path):
    inner = "<text:p>deep</text:p>"
    for _ in range(4):
        inner = f"<table:table><table:table-row><table:table-cell>{inner}</table:table-cell></table:table-row></table:table>"
    path = make_odt(tmp_path, [("xml", inner)])
    assert find(read(path, Limits()), "deep").location.table == 4
    with pytest.raises(LimitExceeded, match="max_nesting"):
        read(path, Limits(max_nesting=2))


def test_odfpy_written_document(tmp_path):
    """A file from a second writer (odfpy), not our hand-written XML."""
    from odf.opendocument import OpenDocumentText
    from odf.table import Table, TableCell, TableRow
    from odf.text import H, P, Span

    odt = OpenDocumentText()
    odt.text.addElement(H(outlinelevel=1, text="Requisitos"))
    p = P(text="Licenças por ")
    p.addElement(Span(text="usuário nomeado"))
    odt.text.addElement(p)
    t = Table()
    row = TableRow()
    cell = TableCell()
    cell.addElement(P(text="Oracle Database"))
    row.addElement(cell)
    t.addElement(row)
    odt.text.addElement(t)
    path = tmp_path / "odfpy.odt"
    odt.save(str(path))
    doc = read_document(path)
    assert [(b.kind, b.text) for b in doc.blocks] == [
        ("heading", "Requisitos"),
        ("paragraph", "Licenças por usuário nomeado"),
        ("cell", "Oracle Database"),
    ]
    assert doc.blocks[2].location.heading == "Requisitos"
