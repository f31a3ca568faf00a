"""The PDF reader, on PDFs built with reportlab in the test."""

from __future__ import annotations

import json

import pytest
from builders import make_pdf, pdf_bytes_corrupt
from shared_corpus import corpus_file

from ospo_procure.errors import InputError, LimitExceeded
from ospo_procure.limits import Limits
from ospo_procure.readers import read_document
from ospo_procure.readers.pdf_reader import PdfLine, paragraphs_from_lines, read


def texts(doc, page=None):
    return [b.text for b in doc.blocks if page is None or b.location.page == page]


def test_pages_and_locations(tmp_path):
    path = make_pdf(tmp_path, [["First page text."], ["Second page, first.", "", "Second page, second."]])
    doc = read(path, Limits())
    assert (doc.format, doc.pages, doc.unreadable) == ("pdf", 2, False)
    locs = [(b.location.part, b.location.page, b.location.paragraph) for b in doc.blocks]
    assert locs == [("page", 1, 1), ("page", 2, 1), ("page", 2, 2)]
    assert texts(doc, 2) == ["Second page, first.", "Second page, second."]


def test_paragraph_join_and_breaks(tmp_path):
    page = [
        "This paragraph wraps across several lines of text and",
        "keeps going on the next line without any punctuation at",
        "all until it finally ends here.",
        "A new sentence on a new line after a full stop starts a block.",
        "",
        "after a vertical gap even a lowercase start is new",
        "Short heading",
        "Body text under the short heading line, which is long enough",
        "• a bullet item",
        "2. a numbered item",
    ]
    doc = read(make_pdf(tmp_path, [page]), Limits())
    assert texts(doc) == [
        "This paragraph wraps across several lines of text and keeps going on the next line "
        "without any punctuation at all until it finally ends here.",
        "A new sentence on a new line after a full stop starts a block.",
        "after a vertical gap even a lowercase start is new",
        "Short heading",
        "Body text under the short heading line, which is long enough",
        "• a bullet item",
        "2. a numbered item",
    ]


def test_hyphenation(tmp_path):
    page = [
        "As licen-",
        "ças serão cotadas por usuário e enviadas por e-",
        "mail com preço per-",
        "user e também lock-",
        "in conforme o Anti-",
        "Corruption Act, sem ambigui-",
        "dade alguma.",
    ]
    doc = read(make_pdf(tmp_path, [page]), Limits())
    assert texts(doc) == [
        "As licenças serão cotadas por usuário e enviadas por e-mail com preço per-user e também "
        "lock-in conforme o Anti-Corruption Act, sem ambiguidade alguma."
    ]


def test_rejoin_without_geometry():
    lines = [PdfLine(t) for t in ["Requisitos do sis-", "tema de gestão", "", "Outro parágrafo."]]
    assert paragraphs_from_lines(lines) == ["Requisitos do sistema de gestão", "Outro parágrafo."]


def test_accented_text_round_trips(tmp_path):
    doc = read(make_pdf(tmp_path, ["Licitação pública: añadir código-fonte, ç ã õ é í ó ú ñ."]), Limits())
    assert texts(doc) == ["Licitação pública: añadir código-fonte, ç ã õ é í ó ú ñ."]


def test_page_without_text_layer_warns(tmp_path):
    doc = read(make_pdf(tmp_path, [["Text here."], None]), Limits())
    assert doc.warnings == ["page 2 has no text layer (scanned image?): run OCR to lint it"]
    assert not doc.unreadable


def test_fully_scanned_pdf_is_unreadable_not_an_error(tmp_path):
    doc = read_document(make_pdf(tmp_path, [None, None]))
    assert doc.unreadable and doc.blocks == []
    assert any("no page has a text layer" in w for w in doc.warnings)


def test_encrypted_pdf(tmp_path):
    path = make_pdf(tmp_path, [["Secret."]], encrypt="s3cret")
    with pytest.raises(InputError, match="password-protected PDF; remove the password to lint it"):
        read_document(path)


def test_corrupt_pdf(tmp_path):
    path = tmp_path / "bad.pdf"
    path.write_bytes(pdf_bytes_corrupt())
    with pytest.raises(InputError, match="corrupt PDF"):
        read_document(path)
    good = make_pdf(tmp_path, [["Some text."]])
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(good.read_bytes()[:400])
    try:
        doc = read_document(cut)  # pdfium may recover a truncated file...
    except InputError as exc:  # ...or refuse it; both are clean outcomes
        assert "corrupt PDF" in str(exc)
    else:
        assert doc.format == "pdf"


def test_max_pages(tmp_path):
    path = make_pdf(tmp_path, [["p1"], ["p2"], ["p3"]])
    with pytest.raises(
        LimitExceeded, match=r"PDF has 3 pages, over the max_pages limit of 2 \(raise it with --max-pages\)"
    ):
        read(path, Limits(max_pages=2))


def test_max_seconds(tmp_path):
    path = make_pdf(tmp_path, [["p1"], ["p2"]])
    with pytest.raises(LimitExceeded, match="max_seconds"):
        read(path, Limits(max_seconds=-1))


def test_corpus_pdf_labels_on_their_pages():
    path = corpus_file("pt_termo_referencia.pdf")
    doc = read_document(path)
    expected = json.loads(path.with_suffix(".expected.json").read_text())
    for label in expected["signals"] + expected["positive"]:
        page = int(label["where"].split()[1])
        assert any(label["text"] in t for t in texts(doc, page)), label


def test_running_header_and_footer_are_linted_once(tmp_path):
    """A header repeated on every page is one block (part "header"), not one per page."""
    from builders import make_pdf

    from ospo_procure.readers import read_document

    bodies = [
        "The scope covers the case register.",
        "Deliverables are listed in Annex B.",
        "Training is part of the contract.",
        "Offers are due on 1 March.",
    ]
    filler = [
        "The Contractor shall report progress every month to the steering committee,",
        "including risks, issues and the status of each work package.",
    ] * 3
    # header and footer set apart by wide gaps from a body of ordinary line spacing
    pages = [
        [
            "Ministry of Works - Terms of Reference built on Microsoft Dynamics 365",
            "",
            "",
            body,
            *filler,
            "",
            "",
            f"Page {n} of 4",
        ]
        for n, body in enumerate(bodies, start=1)
    ]
    doc = read_document(make_pdf(tmp_path, pages))
    headers = [b for b in doc.blocks if "Dynamics 365" in b.text]
    assert len(headers) == 1 and headers[0].location.part == "header" and headers[0].location.page == 1
    footers = [b for b in doc.blocks if b.text.startswith("Page ")]
    assert len(footers) == 1 and footers[0].location.part == "footer"
    assert [b.text for b in doc.blocks if b.location.part == "page" and b.text in bodies] == bodies
    assert any("running header repeated on 4 pages" in w for w in doc.warnings)


def test_two_page_pdf_keeps_everything(tmp_path):
    from builders import make_pdf

    from ospo_procure.readers import read_document

    doc = read_document(make_pdf(tmp_path, ["Same header line.\n\nOne.", "Same header line.\n\nTwo."]))
    assert [b.location.page for b in doc.blocks if "Same header" in b.text] == [1, 2]
    assert not any("running" in w for w in doc.warnings)
