"""Property-based tests: random bytes and random mutations of valid files fed to the
readers give a Document or a clean InputError, never anything else.

`ReaderCrash` is the reader's last-resort wrapper for an unexpected exception: it keeps
a multi-file lint going in production, but here it counts as a failure (a reader bug).
Reproducible (derandomize) and modest in size, so the suite stays fast on CI.
"""

from __future__ import annotations

import io
import os
import tempfile
import zipfile
from pathlib import Path

import pytest
from builders import make_docx, make_odt, make_pdf
from hostile_files import raw_pdf
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ospo_procure.errors import InputError, ReaderCrash
from ospo_procure.limits import Limits
from ospo_procure.model import Document
from ospo_procure.readers import read_document

# OSPO_FUZZ_EXAMPLES=2000 (and OSPO_FUZZ_RANDOM=1 for fresh inputs) for a longer hunt.
FUZZ = settings(
    max_examples=int(os.environ.get("OSPO_FUZZ_EXAMPLES", "60")),
    derandomize=not os.environ.get("OSPO_FUZZ_RANDOM"),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
# Small limits: a mutation that happens to inflate something is refused fast.
LIMITS = Limits(max_seconds=10, max_pages=50, max_part_bytes=4 << 20, max_uncompressed_bytes=16 << 20)
_WORK = Path(tempfile.mkdtemp(prefix="ospo-fuzz-"))


def _base() -> dict[str, bytes]:
    items = [
        ("h", 1, "Scope"),
        "The supplier shall deliver Microsoft SQL Server.",
        ("table", [["a", "b"], ["c", ("table", [["d"]])]]),
        ("li", "item"),
        ("comment", "before ", "anchored", " after", "ospo-procure: waive T-BRAND because legacy"),
    ]
    docx = make_docx(_WORK, items, name="base.docx", header="Header", footnotes={1: "A note."})
    odt = make_odt(
        _WORK,
        [
            "Para one.",
            ("h", 1, "Title"),
            ("table", [["x", "y"]]),
            ("note", "see", "note body", "footnote"),
            ("comment", "b ", "anch", " a", "c"),
        ],
        name="base.odt",
    )
    pdf = make_pdf(_WORK, ["The supplier shall deliver.\n\nSecond paragraph-\nhyphenated.", None], name="base.pdf")
    content = b"BT /F1 12 Tf 72 720 Td (Open standards shall apply.) Tj T* (lower line) Tj ET"
    raw = raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ]
    )
    return {"docx": docx.read_bytes(), "odt": odt.read_bytes(), "pdf": pdf.read_bytes(), "rawpdf": raw}


BASE = _base()


def _check(data: bytes, suffix: str) -> None:
    path = _WORK / f"case{suffix}"
    path.write_bytes(data)
    try:
        doc = read_document(path, LIMITS)
    except ReaderCrash as exc:  # an InputError, but one the reader did not anticipate
        pytest.fail(f"reader crash: {exc}")
    except InputError as exc:
        assert "\n" not in str(exc) and str(exc).startswith(str(path))
    else:
        assert isinstance(doc, Document)
        assert sum(len(b.text) for b in doc.blocks) <= LIMITS.max_chars


# Mutations: replace bytes, insert chunks, delete ranges, truncate.
_edit = st.one_of(
    st.tuples(st.just("set"), st.floats(0, 1), st.binary(min_size=1, max_size=8)),
    st.tuples(st.just("ins"), st.floats(0, 1), st.binary(min_size=1, max_size=64)),
    st.tuples(st.just("del"), st.floats(0, 1), st.integers(1, 256)),
    st.tuples(st.just("cut"), st.floats(0, 1), st.just(0)),
)


def _mutate(data: bytes, edits: list) -> bytes:  # type: ignore[type-arg]
    buf = bytearray(data)
    for kind, where, arg in edits:
        i = int(where * len(buf)) if buf else 0
        if kind == "set":
            buf[i : i + len(arg)] = arg
        elif kind == "ins":
            buf[i:i] = arg
        elif kind == "del":
            del buf[i : i + arg]
        else:
            del buf[i:]
    return bytes(buf)


@pytest.mark.parametrize("suffix", [".docx", ".odt", ".pdf", ".txt", ".md"])
@FUZZ
@given(data=st.binary(max_size=4096))
def test_random_bytes(suffix: str, data: bytes) -> None:
    _check(data, suffix)


@pytest.mark.parametrize("base,suffix", [("docx", ".docx"), ("odt", ".odt"), ("pdf", ".pdf"), ("rawpdf", ".pdf")])
@FUZZ
@given(edits=st.lists(_edit, min_size=1, max_size=6))
def test_byte_mutations_of_valid_files(base: str, suffix: str, edits: list) -> None:  # type: ignore[type-arg]
    _check(_mutate(BASE[base], edits), suffix)


# XML-level mutations (re-zipped, so they reach the XML parser and the extractor rather
# than stopping at a CRC error): random bytes and structural fragments spliced in.
_XML_BITS = st.sampled_from(
    [
        b"<w:tbl>",
        b"</w:tbl>",
        b"<w:tr>",
        b"<w:tc>",
        b"<w:p>",
        b"</w:p>",
        b"<w:t>",
        b"</w:t>",
        b"&amp;",
        b"&",
        b"<!DOCTYPE x>",
        b'<w:commentRangeStart w:id="1"/>',
        b'<w:commentRangeEnd w:id="1"/>',
        b"<w:ins>",
        b'<w:gridSpan w:val="99999999999999999999"/>',
        b'<w:outlineLvl w:val="-5"/>',
        b'<w:pStyle w:val="Heading1"/>',
        b"<text:p>",
        b"</text:p>",
        b'<text:s text:c="-7"/>',
        b'<table:table-cell table:number-columns-repeated="x">',
        b'<office:annotation office:name="z">',
        b'<office:annotation-end office:name="z"/>',
        b"<text:h>",
        b"\xff\xfe",
        b"\x00",
    ]
)
_xml_edit = st.one_of(
    st.tuples(st.just("ins"), st.floats(0, 1), _XML_BITS),
    st.tuples(st.just("set"), st.floats(0, 1), st.binary(min_size=1, max_size=4)),
    st.tuples(st.just("del"), st.floats(0, 1), st.integers(1, 64)),
)


def _rezip(data: bytes, member: str, edits: list) -> bytes:  # type: ignore[type-arg]
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            body = zin.read(info.filename)
            zout.writestr(info.filename, _mutate(body, edits) if info.filename == member else body)
    return out.getvalue()


@pytest.mark.parametrize(
    "base,member,suffix",
    [
        ("docx", "word/document.xml", ".docx"),
        ("docx", "word/styles.xml", ".docx"),
        ("docx", "word/comments.xml", ".docx"),
        ("docx", "word/_rels/document.xml.rels", ".docx"),
        ("odt", "content.xml", ".odt"),
        ("odt", "styles.xml", ".odt"),
    ],
)
@FUZZ
@given(edits=st.lists(_xml_edit, min_size=1, max_size=8))
def test_xml_mutations_inside_valid_packages(base: str, member: str, suffix: str, edits: list) -> None:  # type: ignore[type-arg]
    with zipfile.ZipFile(io.BytesIO(BASE[base])) as z:
        if member not in z.namelist():
            pytest.skip(f"{member} not in the base file")
    _check(_rezip(BASE[base], member, edits), suffix)


@FUZZ
@given(text=st.text(max_size=2000))
def test_random_markdown_text(text: str) -> None:
    _check(text.encode("utf-8", "surrogatepass"), ".md")
