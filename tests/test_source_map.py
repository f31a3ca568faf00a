"""Blocks carry a map back to the file, filled by the readers: every character of a text
file's block goes back to its line and column; every .docx/.odt block to its zip part and
the XPath of its paragraph element; every PDF block to its page. Findings carry the span."""

from __future__ import annotations

import zipfile
from pathlib import Path

from builders import (
    ins_xml,
    make_docx,
    make_odt,
    make_pdf,
    p_xml,
    run_xml,
    sdt_block_xml,
    textbox_alternate_xml,
    textbox_vml_xml,
)
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from ospo_procure.lint import lint_document
from ospo_procure.model import SourceMap
from ospo_procure.readers import read_document
from ospo_procure.readers.docx_reader import paragraph_text
from ospo_procure.readers.text_reader import parse_text


def resolve(path: Path, part: str, xpath: str) -> list[etree._Element]:
    with zipfile.ZipFile(path) as z:
        root = etree.fromstring(z.read(part))
    # The XPath uses the document's own prefixes, declared on the root or further down.
    namespaces = {k: v for el in root.iter(etree.Element) for k, v in el.nsmap.items() if k}
    return root.xpath(xpath, namespaces=namespaces)


def test_docx_blocks_point_at_their_paragraph_element(tmp_path: Path) -> None:
    path = make_docx(
        tmp_path,
        [
            "Preamble text.",
            ("h", 1, "Scope"),
            ("p", "Licences per named user.", {"footnote": 1}),
            ("table", [["Criterion", "Points"], ["Price", ("table", [["inner a", "inner b"]])]]),
            ("xml", sdt_block_xml("Inside a content control.")),
            ("xml", p_xml(run_xml("Keep "), ins_xml("inserted "), run_xml("end."))),
            ("xml", textbox_vml_xml("Host paragraph.", "Boxed in VML.")),
            ("xml", textbox_alternate_xml("Second host.", "Boxed in DrawingML.")),
            ("p", "Annex text.", {"endnote": 2}),
        ],
        header="Header: NSBA tender",
        footer=["Footer line one", "Footer line two"],
        footnotes={1: "Footnote about escrow only."},
        endnotes={2: "Endnote text."},
    )
    doc = read_document(path)
    parts = {b.location.part for b in doc.blocks}
    assert {"body", "table", "header", "footer", "footnote", "endnote", "textbox"} <= parts
    for b in doc.blocks:
        assert b.source.part and b.source.xpath, b
        [el] = resolve(path, b.source.part, b.source.xpath)
        assert etree.QName(el).localname == "p"
        assert paragraph_text(el) == b.text, (b.source, b.text)
    assert {b.source.part for b in doc.blocks if b.location.part == "header"} == {"word/header1.xml"}
    inner = next(b for b in doc.blocks if b.text == "inner b")
    assert inner.source.xpath.count("w:tbl[") == 2


def test_odt_blocks_point_at_their_paragraph_element(tmp_path: Path) -> None:
    path = make_odt(
        tmp_path,
        [
            "Preamble.",
            ("h", 1, "Scope"),
            ("note", "Licences per named user.", "Footnote: escrow only.", "footnote"),
            ("li", "A list item"),
            ("table", [["Criterion", "Points"], ["Price", ("table", [["inner a", "inner b"]])]]),
            (
                "xml",
                "<text:p>Host<draw:frame><draw:text-box><text:p>Boxed text</text:p></draw:text-box></draw:frame></text:p>",
            ),
            "Annex text.",
        ],
        header="Header: AESAN",
        footer="Footer: page",
    )
    doc = read_document(path)
    assert {"body", "table", "header", "footer", "footnote", "textbox"} <= {b.location.part for b in doc.blocks}
    for b in doc.blocks:
        [el] = resolve(path, b.source.part, b.source.xpath)
        assert etree.QName(el).localname in ("p", "h")
        assert b.text in " ".join("".join(el.itertext()).split()), (b.source, b.text)
    assert {b.source.part for b in doc.blocks if b.location.part in ("header", "footer")} == {"styles.xml"}


def test_pdf_blocks_know_their_page(tmp_path: Path) -> None:
    doc = read_document(make_pdf(tmp_path, [["First page text."], ["Second page, first.", "", "Second, again."]]))
    assert [b.source.page for b in doc.blocks] == [b.location.page for b in doc.blocks] == [1, 2, 2]


# Lines of words, indents, tabs, blank lines and form feeds; Markdown headings and list items.
_WORD = st.text(alphabet="abcñé#-*1.", min_size=1, max_size=6)
_LINE = st.lists(_WORD, min_size=0, max_size=5).map(" ".join)
_INDENT = st.sampled_from(["", " ", "  ", "\t", " \t "])
_TAIL = st.sampled_from(["", " ", "\f", " \fpage two "])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(_INDENT, _LINE, _TAIL), min_size=1, max_size=12), st.booleans())
def test_every_character_of_a_text_block_maps_to_its_place_in_the_file(lines, markdown) -> None:
    text = "\n".join(indent + line + tail for indent, line, tail in lines)
    source_lines = text.split("\n")
    doc = parse_text(text, "t.md" if markdown else "t.txt", markdown=markdown)
    for b in doc.blocks:
        assert b.source.lines and (b.location.line, b.location.column) == b.source.point(0)
        joins = {off - 1 for off, _, _ in b.source.lines[1:]}  # the spaces standing for line breaks
        for offset, ch in enumerate(b.text):
            if offset in joins:
                continue
            line, column = b.source.point(offset)
            assert source_lines[line - 1][column - 1] == ch, (b.text, offset)


def test_span_end_column_is_just_after_the_match() -> None:
    doc = parse_text("Intro line\n   ends with Oracle\n   Database here.\n")
    [b] = doc.blocks
    start = b.text.index("Oracle")
    span = b.source.span(start, start + len("Oracle Database"))
    assert (span.start_line, span.start_column, span.end_line, span.end_column) == (2, 14, 3, 12)
    assert SourceMap().span(0, 3).start_line is None


def test_findings_carry_their_source_span(tmp_path: Path, mini_rules) -> None:
    tender = tmp_path / "t.txt"
    tender.write_text("Intro.\n\n  The database layer must run on\n  Microsoft SQL Server 2019.\n", encoding="utf-8")
    result = lint_document(read_document(tender), language="en", ruleset=mini_rules)
    brand = next(f for f in result.findings if f.rule == "T-BRAND")
    lines = tender.read_text(encoding="utf-8").split("\n")
    assert brand.source is not None and brand.source.start_line == brand.source.end_line == 4
    assert lines[3][brand.source.start_column - 1 : brand.source.end_column - 1] == brand.match
    # The result keeps the blocks (text and source maps), not the reader's XML handles.
    assert result.blocks and all(b.anchor is None for b in result.blocks)
    assert not hasattr(result, "document")
