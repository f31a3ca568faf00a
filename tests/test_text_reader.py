"""The .txt/.md reader: paragraphs, headings, pages, line/column locations."""

from ospo_procure.readers import read_document
from ospo_procure.readers.text_reader import parse_text


def test_paragraphs_split_on_blank_lines_and_join_lines():
    doc = parse_text("First line\ncontinues here.\n\n  Second paragraph.\n")
    assert [b.text for b in doc.blocks] == ["First line continues here.", "Second paragraph."]
    assert [(b.location.line, b.location.column) for b in doc.blocks] == [(1, 1), (4, 3)]
    assert [b.location.paragraph for b in doc.blocks] == [1, 2]


def test_markdown_headings_give_heading_paths_and_list_items():
    doc = parse_text("# Terms\n\n## Scope\n\nText one.\n\n- item a\n- item b\n\n# Annex\n\nText two.\n", markdown=True)
    kinds = [(b.kind, b.text) for b in doc.blocks]
    assert kinds[:3] == [("heading", "Terms"), ("heading", "Scope"), ("paragraph", "Text one.")]
    assert ("list_item", "- item a") in kinds and ("list_item", "- item b") in kinds
    text_one = next(b for b in doc.blocks if b.text == "Text one.")
    assert text_one.location.heading == "Terms > Scope"
    text_two = next(b for b in doc.blocks if b.text == "Text two.")
    assert text_two.location.heading == "Annex"


def test_form_feeds_are_pages():
    doc = parse_text("Page one text.\n\fPage two text.\n\nMore on two.\n")
    assert [(b.location.part, b.location.page, b.location.paragraph) for b in doc.blocks] == [
        ("page", 1, 1),
        ("page", 2, 1),
        ("page", 2, 2),
    ]
    assert doc.pages == 2


def test_read_document_utf8_bom_and_md(tmp_path):
    p = tmp_path / "pliego.md"
    p.write_bytes("\ufeff# Título\n\nLicitación pública.\n".encode("utf-8"))
    doc = read_document(p)
    assert doc.format == "md" and [b.text for b in doc.blocks] == ["Título", "Licitación pública."]
