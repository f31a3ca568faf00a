"""Readers: one module per format, each exposing ``read(path, limits) -> Document``.

`read_document` checks the path, sniffs the real format from the first bytes (a legacy
.doc renamed to .docx must get a clear answer, not a zip error) and dispatches.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from ospo_procure.errors import InputError, LimitExceeded
from ospo_procure.limits import Limits
from ospo_procure.model import Document

SUPPORTED = {".docx": "docx", ".pdf": "pdf", ".odt": "odt", ".txt": "text", ".md": "text", ".markdown": "text"}

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .doc/.xls, and encrypted OOXML
_ADVICE = {
    ".doc": "legacy Word .doc is not supported; open it in Word or LibreOffice and save as .docx or .odt",
    ".xls": "spreadsheets are not supported; export the tender text as .docx, .odt or .pdf",
    ".xlsx": "spreadsheets are not supported; export the tender text as .docx, .odt or .pdf",
    ".rtf": "RTF is not supported; open it in Word or LibreOffice and save as .docx or .odt",
    ".ppt": "presentations are not supported; export the tender text as .docx or .pdf",
    ".pptx": "presentations are not supported; export the tender text as .docx or .pdf",
}
_IMAGE_EXT = {".png", ".jpg", ".jpeg", ".tif", ".tiff", ".gif", ".bmp", ".webp"}


def sniff(head: bytes) -> str | None:
    """Name the real format from magic bytes, or None for plain text / unknown."""
    if head.startswith(_OLE_MAGIC):
        return "ole"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return "zip"
    if head.lstrip()[:5] == b"%PDF-" or head[:1024].find(b"%PDF-") != -1:
        return "pdf"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    for magic in (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"II*\x00", b"MM\x00*"):
        if head.startswith(magic):
            return "image"
    return None


def read_document(path: str | Path, limits: Limits | None = None) -> Document:
    """Read any supported tender file; raise InputError with a one-line reason otherwise."""
    limits = limits or Limits()
    p = Path(path)
    if not p.exists():
        raise InputError("no such file", path=p)
    if p.is_dir():
        raise InputError("is a directory (pass its files, or the folder to `lint`)", path=p)
    if not p.is_file():
        raise InputError("not a regular file", path=p)
    try:
        size = p.stat().st_size
        with p.open("rb") as fh:
            head = fh.read(2048)
    except PermissionError:
        raise InputError("permission denied: the file cannot be read", path=p) from None
    except OSError as exc:
        raise InputError(f"cannot read the file ({exc.strerror or exc})", path=p) from None
    if size == 0:
        raise InputError("the file is empty", path=p)
    if size > limits.max_file_bytes:
        raise LimitExceeded(
            f"file is {size / 1e6:.0f} MB, over the {limits.max_file_bytes / 1e6:.0f} MB limit "
            "(raise it with --max-file-mb)",
            path=p,
        )
    ext = p.suffix.lower()
    kind = sniff(head)
    if ext in _ADVICE:
        raise InputError(_ADVICE[ext], path=p)
    if ext in _IMAGE_EXT or kind == "image":
        raise InputError("an image has no text layer; run OCR and save the result as .pdf or .docx", path=p)
    if kind == "rtf":
        raise InputError("this is an RTF file; open it in Word or LibreOffice and save as .docx or .odt", path=p)
    if ext in (".docx", ".odt"):
        if kind == "ole":
            raise InputError(
                "not a .docx/.odt zip: either a legacy .doc renamed or a password-protected file; "
                "remove the password or save it as .docx without encryption",
                path=p,
            )
        if kind != "zip":
            raise InputError(f"not a valid {ext} file (no zip signature); it may be corrupt or truncated", path=p)
    if ext == ".pdf" and kind != "pdf":
        raise InputError("not a valid PDF (no %PDF header); it may be corrupt", path=p)
    if ext not in SUPPORTED:
        raise InputError(
            f"unsupported file type {ext or '(no extension)'}; supported: .docx .pdf .odt .txt .md",
            path=p,
        )
    if SUPPORTED[ext] == "text" and kind in ("zip", "pdf", "ole"):
        raise InputError(f"this {ext} file holds binary data ({kind}); check its extension", path=p)
    module = importlib.import_module(f"ospo_procure.readers.{SUPPORTED[ext]}_reader")
    doc: Document = module.read(p, limits)
    total = sum(len(b.text) for b in doc.blocks)
    if total > limits.max_chars:
        raise LimitExceeded(
            f"document text is {total:,} characters, over the {limits.max_chars:,} limit", path=p
        )
    return doc
