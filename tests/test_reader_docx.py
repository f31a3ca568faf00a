"""The .docx reader and its safe-zip/XML layer, on documents built in the test."""

from __future__ import annotations

import json
import zipfile

import docx
import pytest
from builders import (
    del_xml,
    ins_xml,
    make_docx,
    move_xml,
    p_xml,
    rewrite_zip,
    run_xml,
    sdt_block_xml,
    sdt_inline_xml,
    textbox_alternate_xml,
    textbox_vml_xml,
)
from shared_corpus import corpus_file

from ospo_procure.errors import InputError, LimitExceeded
from ospo_procure.limits import Limits
from ospo_procure.readers import read_document
from ospo_procure.readers.docx_reader import (
    W,
    extract_blocks,
    paragraph_segments,
    parts_from_python_docx,
    read,
)


def texts(doc, part=None):
    return [b.text for b in doc.blocks if part is None or b.location.part == part]


def find(doc, text):
    hits = [b for b in doc.blocks if text in b.text]
    assert hits, f"{text!r} not in {texts(doc)}"
    return hits[0]


@pytest.fixture
def rich_docx(tmp_path):
    """One document exercising most features (shared by several tests)."""
    return make_docx(
        tmp_path,
        [
            "Preamble text.",
            ("h", 1, "Scope"),
            "Scope text.",
            ("h", 2, "Licensing"),
            ("p", "Licences per named user.", {"footnote": 1}),
            ("li", "First bullet"),
            ("num", "Numbered item"),
            ("table", [["Criterion", "Points"], ["Price", ("table", [["inner a", "inner b"]])]]),
            ("h", 1, "Annex"),
            ("p", "Annex text.", {"endnote": 2}),
            ("comment", "The system must use ", "Oracle Database", " only.", "Waiver: legacy", "Ana"),
            ("xml", p_xml(run_xml("Keep "), ins_xml("inserted "), del_xml("deleted "), run_xml("end."))),
            ("xml", textbox_vml_xml("Host paragraph.", "Boxed text here.")),
        ],
        header="Header: NSBA tender",
        footer=["Footer line one", "Footer line two"],
        footnotes={1: "Footnote about escrow only."},
        endnotes={2: "Endnote text."},
    )


def test_format_headings_and_heading_path(rich_docx):
    doc = read(rich_docx, Limits())
    assert doc.format == "docx"
    scope = find(doc, "Scope")
    assert (scope.kind, scope.level, scope.location.heading) == ("heading", 1, None)
    lic = find(doc, "Licensing")
    assert (lic.kind, lic.level, lic.location.heading) == ("heading", 2, "Scope")
    assert find(doc, "Licences per named user.").location.heading == "Scope > Licensing"
    # A new level-1 heading pops both levels.
    annex_text = find(doc, "Annex text.")
    assert annex_text.location.heading == "Annex"
    assert find(doc, "Preamble").location.heading is None
    # Body numbering counts only non-empty body paragraphs.
    body = [b for b in doc.blocks if b.location.part == "body"]
    assert [b.location.paragraph for b in body] == list(range(1, len(body) + 1))


def test_list_items(rich_docx):
    doc = read(rich_docx, Limits())
    assert find(doc, "First bullet").kind == "list_item"
    assert find(doc, "Numbered item").kind == "list_item"
    assert find(doc, "Scope text.").kind == "paragraph"


def test_direct_numpr_and_outline_level(tmp_path):
    num = '<w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="3"/></w:numPr></w:pPr>'
    outline = '<w:pPr><w:outlineLvl w:val="2"/></w:pPr>'
    path = make_docx(
        tmp_path,
        [
            ("xml", f"<w:p>{num}{run_xml('Direct numbering')}</w:p>"),
            ("xml", f"<w:p>{outline}{run_xml('Outline heading')}</w:p>"),
            "After",
        ],
    )
    doc = read(path, Limits())
    assert find(doc, "Direct numbering").kind == "list_item"
    h = find(doc, "Outline heading")
    assert (h.kind, h.level) == ("heading", 3)
    assert find(doc, "After").location.heading == "Outline heading"


def test_localised_heading_style_names(tmp_path):
    path = make_docx(tmp_path, [("h", 1, "Titre FR"), "after", ("xml", p_xml(run_xml("Titulo ES"), style="Ttulo2"))])
    with zipfile.ZipFile(path) as z:
        styles, body = z.read("word/styles.xml"), z.read("word/document.xml")
    # A French Word: the style id is localised, the style's name stays "heading 1".
    styles = styles.replace(b'w:styleId="Heading1"', b'w:styleId="Titre1"')
    body = body.replace(b'w:val="Heading1"', b'w:val="Titre1"')
    out = rewrite_zip(path, tmp_path / "fr.docx", {"word/styles.xml": styles, "word/document.xml": body})
    doc = read(out, Limits())
    h = find(doc, "Titre FR")
    assert (h.kind, h.level) == ("heading", 1)
    # Unknown style id that still spells a heading (Word strips accents from ids).
    es = find(doc, "Titulo ES")
    assert (es.kind, es.level, es.location.heading) == ("heading", 2, "Titre FR")


def test_tables_rows_cells_and_nesting(rich_docx):
    doc = read(rich_docx, Limits())
    crit = find(doc, "Criterion")
    assert crit.location.to_dict()["part"] == "table"
    assert (crit.location.table, crit.location.row, crit.location.cell, crit.kind) == (1, 1, 1, "cell")
    assert (find(doc, "Points").location.row, find(doc, "Points").location.cell) == (1, 2)
    price = find(doc, "Price").location
    assert (price.table, price.row, price.cell) == (1, 2, 1)
    inner = find(doc, "inner b").location
    assert (inner.part, inner.table, inner.row, inner.cell) == ("table", 2, 1, 2)
    assert crit.location.heading == "Scope > Licensing"
    # Document order: the nested table's cells come where the outer cell is.
    order = texts(doc)
    assert order.index("Price") < order.index("inner a") < order.index("Annex")


def test_merged_cells_do_not_repeat(tmp_path):
    path = make_docx(
        tmp_path,
        [
            (
                "table",
                [["Merged down", "b1"], ["", "b2"], ["wide", ""]],
                {"merge": [((0, 0), (1, 0)), ((2, 0), (2, 1))]},
            ),
        ],
    )
    doc = read(path, Limits())
    assert texts(doc).count("Merged down") == 1
    # python-docx's row.cells would repeat the merged text: we must not.
    assert docx.Document(str(path)).tables[0].rows[1].cells[0].text.startswith("Merged down")
    assert find(doc, "b2").location.cell == 2
    wide = find(doc, "wide").location
    assert (wide.row, wide.cell) == (3, 1)


def test_grid_span_column_numbering(tmp_path):
    tc = lambda text, span=1: (  # noqa: E731
        f'<w:tc><w:tcPr><w:gridSpan w:val="{span}"/></w:tcPr>{p_xml(run_xml(text))}</w:tc>'
    )
    tbl = (
        f"<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/><w:gridCol/></w:tblGrid><w:tr>{tc('ab', 2)}{tc('c')}</w:tr></w:tbl>"
    )
    doc = read(make_docx(tmp_path, [("xml", tbl)]), Limits())
    assert find(doc, "c").location.cell == 3


def test_header_footer_each_once(rich_docx):
    doc = read(rich_docx, Limits())
    head = find(doc, "Header: NSBA tender")
    assert (head.location.part, head.location.paragraph, head.location.heading) == ("header", 1, None)
    assert texts(doc, "footer") == ["Footer line one", "Footer line two"]
    assert find(doc, "Footer line two").location.paragraph == 2
    # After the body.
    assert doc.blocks.index(head) > doc.blocks.index(find(doc, "Annex text."))


def test_two_sections_share_header_part(tmp_path):
    d = docx.Document()
    d.add_paragraph("one")
    d.sections[0].header.paragraphs[0].text = "Shared header"
    d.add_section()
    d.add_paragraph("two")
    path = tmp_path / "s.docx"
    d.save(str(path))
    doc = read(path, Limits())
    assert texts(doc, "header") == ["Shared header"]


def test_footnotes_and_endnotes(rich_docx):
    doc = read(rich_docx, Limits())
    fn = find(doc, "Footnote about escrow only.")
    assert (fn.location.part, fn.location.note, fn.kind) == ("footnote", 1, "note")
    en = find(doc, "Endnote text.")
    assert (en.location.part, en.location.note) == ("endnote", 2)
    # Separator notes (w:type) produce nothing.
    assert all(b.location.note not in (-1, 0) for b in doc.blocks)
    assert doc.blocks.index(fn) < doc.blocks.index(en)


def test_text_boxes(tmp_path, rich_docx):
    doc = read(rich_docx, Limits())
    box = find(doc, "Boxed text here.")
    host = find(doc, "Host paragraph.")
    assert box.location.part == "textbox"
    assert host.text == "Host paragraph."  # box text is not glued onto its host
    assert doc.blocks.index(box) == doc.blocks.index(host) + 1
    # mc:AlternateContent holds the box twice (DrawingML + VML fallback): read once.
    alt = read(make_docx(tmp_path, [("xml", textbox_alternate_xml("Host.", "Only once."))], name="alt.docx"), Limits())
    assert texts(alt, "textbox") == ["Only once."]


def test_tracked_changes_read_as_accepted(rich_docx, tmp_path):
    doc = read(rich_docx, Limits())
    assert "Keep inserted end." in texts(doc)
    assert not any("deleted" in t for t in texts(doc))
    moved = read(
        make_docx(
            tmp_path,
            [("xml", p_xml(move_xml("gone ", False), run_xml("stay "), move_xml("arrived", True)))],
            name="m.docx",
        ),
        Limits(),
    )
    assert texts(moved) == ["stay arrived"]


def test_deleted_table_row_is_dropped(tmp_path):
    row = lambda text, deleted=False: (  # noqa: E731
        "<w:tr>"
        + ('<w:trPr><w:del w:id="5" w:author="T"/></w:trPr>' if deleted else "")
        + f"<w:tc>{p_xml(run_xml(text))}</w:tc></w:tr>"
    )
    tbl = f"<w:tbl>{row('kept 1')}{row('dropped', True)}{row('kept 2')}</w:tbl>"
    doc = read(make_docx(tmp_path, [("xml", tbl)]), Limits())
    assert texts(doc) == ["kept 1", "kept 2"]
    assert find(doc, "kept 2").location.row == 2


def test_special_characters(tmp_path):
    inner = (
        "<w:r><w:t>a</w:t><w:tab/><w:t>b</w:t><w:br/><w:t>c</w:t><w:cr/><w:t>e</w:t>"
        '<w:noBreakHyphen/><w:t>mail</w:t><w:sym w:font="Wingdings" w:char="F0E0"/><w:softHyphen/>'
        "<w:instrText> PAGE </w:instrText></w:r>"
    )
    doc = read(make_docx(tmp_path, [("xml", f"<w:p>{inner}</w:p>")]), Limits())
    assert texts(doc) == ["a\tb c e-mail"]


def test_content_controls(tmp_path):
    doc = read(
        make_docx(
            tmp_path,
            [
                ("xml", sdt_block_xml("Block control text")),
                ("xml", p_xml(run_xml("Vendor: "), sdt_inline_xml("Acme Corp"))),
            ],
        ),
        Limits(),
    )
    assert "Block control text" in texts(doc)
    assert "Vendor: Acme Corp" in texts(doc)


def test_comments_with_anchor(rich_docx):
    doc = read(rich_docx, Limits())
    assert len(doc.comments) == 1
    c = doc.comments[0]
    assert (c.text, c.author, c.anchored_text) == ("Waiver: legacy", "Ana", "Oracle Database")
    assert doc.blocks[c.block_index].text == "The system must use Oracle Database only."


def test_comment_spanning_paragraphs(tmp_path):
    import docx as _docx

    d = _docx.Document()
    p1 = d.add_paragraph("First ")
    r1 = p1.add_run("start")
    d.add_paragraph("")
    p3 = d.add_paragraph()
    r3 = p3.add_run("end")
    p3.add_run(" tail")
    d.add_comment([r1, r3], text="spans", author="X")
    path = tmp_path / "c.docx"
    d.save(str(path))
    doc = read(path, Limits())
    c = doc.comments[0]
    assert c.anchored_text == "start\nend"
    assert c.block_index == 0


def test_paragraph_segments_round_trip(rich_docx):
    doc = read(rich_docx, Limits())
    for block in doc.blocks:
        segs = paragraph_segments(block.anchor)
        assert "".join(block.text[s:e] for s, e, _ in segs) == block.text
        assert segs[0][0] == 0 and segs[-1][1] == len(block.text)
        for (s, e, el), nxt in zip(segs, [*segs[1:], (len(block.text), 0, None)], strict=False):
            assert e == nxt[0]  # contiguous
            if el.tag == W + "t":
                assert block.text[s:e] == el.text
    seg_block = find(doc, "Keep inserted end.")
    assert [el.text for _, _, el in paragraph_segments(seg_block.anchor)] == ["Keep ", "inserted ", "end."]


def test_parts_from_python_docx_matches_read(rich_docx):
    doc = read(rich_docx, Limits())
    pd = docx.Document(str(rich_docx))
    blocks, comments = extract_blocks(parts_from_python_docx(pd))
    assert [(b.text, b.location, b.kind, b.level) for b in blocks] == [
        (b.text, b.location, b.kind, b.level) for b in doc.blocks
    ]
    assert comments == doc.comments


def test_parts_from_python_docx_edits_are_saved(rich_docx, tmp_path):
    pd = docx.Document(str(rich_docx))
    blocks, _ = extract_blocks(parts_from_python_docx(pd))
    target = next(b for b in blocks if b.location.part == "footnote")
    seg = paragraph_segments(target.anchor)[-1]
    seg[2].text = seg[2].text.replace("escrow", "ESCROW")
    out = tmp_path / "edited.docx"
    pd.save(str(out))
    assert "ESCROW" in find(read(out, Limits()), "ESCROW").text


def test_empty_document(tmp_path):
    doc = read(make_docx(tmp_path, []), Limits())
    assert doc.blocks == [] and doc.comments == []


# ---- hostile and corrupt inputs --------------------------------------------------------


def test_zip_bomb_refused(tmp_path):
    src = make_docx(tmp_path, ["x"])
    bomb = tmp_path / "bomb.docx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info, zin.read(info.filename))
        with zout.open("word/media/zeros.bin", "w", force_zip64=True) as fh:
            chunk = b"\0" * (1 << 20)
            for _ in range(300):
                fh.write(chunk)
    with pytest.raises(LimitExceeded, match="max_compression_ratio|max_part_bytes|max_uncompressed_bytes"):
        read(bomb, Limits())


def test_lying_sizes_enforced_while_reading(tmp_path):
    """A member whose real expansion exceeds max_part_bytes is stopped mid-read."""
    data = b"<w:document xmlns:w='%s'><w:body>" % W[1:-1].encode() + b"<w:p/>" * 300_000 + b"</w:body></w:document>"
    src = make_docx(tmp_path, ["x"])
    path = rewrite_zip(src, tmp_path / "big.docx", {"word/document.xml": data})
    with pytest.raises(LimitExceeded, match="max_part_bytes"):
        read(path, Limits(max_part_bytes=1_000_000, max_compression_ratio=10_000))
    # Patch the central directory and local header to declare a tiny size: the chunked
    # read must still stop.
    raw = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as z:
        info = z.getinfo("word/document.xml")
    cd = raw.rfind(b"PK\x01\x02", 0, len(raw))
    while cd != -1:
        name_len = int.from_bytes(raw[cd + 28 : cd + 30], "little")
        if raw[cd + 46 : cd + 46 + name_len] == b"word/document.xml":
            raw[cd + 24 : cd + 28] = (1000).to_bytes(4, "little")
            break
        cd = raw.rfind(b"PK\x01\x02", 0, cd)
    raw[info.header_offset + 22 : info.header_offset + 26] = (1000).to_bytes(4, "little")
    liar = tmp_path / "liar.docx"
    liar.write_bytes(bytes(raw))
    with pytest.raises((LimitExceeded, InputError)) as exc:
        read(liar, Limits(max_part_bytes=1_000_000, max_compression_ratio=10_000))
    assert "max_part_bytes" in str(exc.value) or "corrupt" in str(exc.value)


def test_total_uncompressed_limit(tmp_path):
    src = make_docx(tmp_path, ["x"])
    with pytest.raises(LimitExceeded, match="max_uncompressed_bytes"):
        read(src, Limits(max_uncompressed_bytes=10_000))


def test_dtd_and_entities_refused(tmp_path):
    src = make_docx(tmp_path, ["x"])
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
        b"<w:document xmlns:w='%s'><w:body><w:p><w:r><w:t>&lol2;</w:t></w:r></w:p></w:body></w:document>"
        % W[1:-1].encode()
    )
    path = rewrite_zip(src, tmp_path / "dtd.docx", {"word/document.xml": laughs})
    with pytest.raises(InputError, match="declares a DTD; refused for safety"):
        read(path, Limits())
    xxe = b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><w:hdr xmlns:w="%s"/>' % W[1:-1].encode()
    with zipfile.ZipFile(src) as z:
        header_names = [n for n in z.namelist() if n.startswith("word/header")]
    if header_names:
        path2 = rewrite_zip(src, tmp_path / "xxe.docx", {header_names[0]: xxe})
        with pytest.raises(InputError, match="DTD"):
            read(path2, Limits())


def test_missing_document_part(tmp_path):
    src = make_docx(tmp_path, ["x"])
    path = rewrite_zip(src, tmp_path / "missing.docx", {"word/document.xml": None})
    with pytest.raises(InputError, match="missing word/document.xml"):
        read(path, Limits())


def test_malformed_xml_names_line(tmp_path):
    src = make_docx(tmp_path, ["x"])
    path = rewrite_zip(src, tmp_path / "bad.docx", {"word/document.xml": b"<?xml version='1.0'?>\n<a>\n<b>\n</a>"})
    with pytest.raises(InputError, match=r"corrupt \.docx: word/document.xml is not well-formed XML \(line \d+\)"):
        read(path, Limits())


def test_truncated_zip(tmp_path):
    src = make_docx(tmp_path, ["x"])
    cut = tmp_path / "cut.docx"
    cut.write_bytes(src.read_bytes()[: src.stat().st_size // 2])
    with pytest.raises(InputError, match="corrupt .docx"):
        read_document(cut)


def test_encrypted_package_names(tmp_path):
    path = tmp_path / "enc.docx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("EncryptionInfo", b"x")
        z.writestr("EncryptedPackage", b"y")
    with pytest.raises(InputError, match="password-protected"):
        read(path, Limits())


def test_table_nesting_limit(tmp_path):
    inner = p_xml(run_xml("deep"))
    for _ in range(5):
        inner = f"<w:tbl><w:tr><w:tc>{inner}</w:tc></w:tr></w:tbl><w:p/>"
    path = make_docx(tmp_path, [("xml", inner)])
    assert find(read(path, Limits()), "deep").location.table == 5
    with pytest.raises(LimitExceeded, match="max_nesting"):
        read(path, Limits(max_nesting=3))


def test_dispatch_through_read_document(rich_docx):
    assert read_document(rich_docx).format == "docx"


def test_40k_words_read_whole(tmp_path):
    """A long document is read to the end, every paragraph and heading in order. (How fast:
    benchmarks/bench_lint.py prints the text extraction time of a 40k-word .docx.)"""
    para = "The contractor shall deliver the source code of every module under an open licence. " * 5
    items = []
    for i in range(600):
        items.append(("h", 1, f"Section {i}") if i % 20 == 0 else para)
    doc = read(make_docx(tmp_path, items), Limits())
    assert len(doc.blocks) == 600
    assert [b.text for b in doc.blocks if b.kind == "heading"] == [f"Section {i}" for i in range(0, 600, 20)]
    assert sum(len(b.text.split()) for b in doc.blocks) == 570 * len(para.split()) + 30 * 2
    assert doc.blocks[-1].location.heading == "Section 580"


# ---- corpus (optional) -------------------------------------------------------------------


@pytest.mark.parametrize("name", ["en_lockin_tor", "es_pliego_abierto"])
def test_corpus_labels_found_in_their_part(name):
    path = corpus_file(f"{name}.docx")
    doc = read_document(path)
    expected = json.loads(path.with_suffix(".expected.json").read_text())
    for label in expected["signals"] + expected["positive"]:
        parts = {b.location.part for b in doc.blocks if label["text"] in b.text}
        assert label["where"] in parts, (label, parts)
    # Same blocks through python-docx's trees (the annotator's path).
    blocks, _ = extract_blocks(parts_from_python_docx(docx.Document(str(path))))
    assert [(b.text, b.location) for b in blocks] == [(b.text, b.location) for b in doc.blocks]
