"""Readers: one module per format, each exposing ``read(path, limits) -> Document``.

`read_document` checks the path, sniffs the real format from the first bytes (a legacy
.doc renamed to .docx must get a clear answer, not a zip error) and dispatches.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from ospo_procure.constants import DOCUMENT_FORMATS, SUFFIX_LIST
from ospo_procure.errors import InputError, LimitExceeded, ReaderCrash
from ospo_procure.fsutil import NotRegularFile, read_head
from ospo_procure.i18n import N_
from ospo_procure.limits import Limits
from ospo_procure.message import Message
from ospo_procure.model import Document
from ospo_procure.termsafe import display_path

# Reader module per suffix (readers/<name>_reader.py); the suffixes are constants.DOCUMENT_FORMATS.
SUPPORTED = {s: ("text" if fmt in ("txt", "md") else fmt) for s, fmt in DOCUMENT_FORMATS.items()}

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .doc/.xls, and encrypted OOXML
_ADVICE = {
    ".doc": N_("legacy Word .doc is not supported; open it in Word or LibreOffice and save as .docx or .odt"),
    ".xls": N_("spreadsheets are not supported; export the tender text as .docx, .odt or .pdf"),
    ".xlsx": N_("spreadsheets are not supported; export the tender text as .docx, .odt or .pdf"),
    ".rtf": N_("RTF is not supported; open it in Word or LibreOffice and save as .docx or .odt"),
    ".ppt": N_("presentations are not supported; export the tender text as .docx or .pdf"),
    ".pptx": N_("presentations are not supported; export the tender text as .docx or .pdf"),
}
_IMAGE_EXT = {".png", ".jpg", ".jpeg", ".tif", ".tiff", ".gif", ".bmp", ".webp"}
# Stream names in an OLE compound file's directory (UTF-16LE), most specific first.
_OLE_KINDS = (
    ("EncryptedPackage", "encrypted"),
    ("EncryptionInfo", "encrypted"),
    ("WordDocument", "doc"),
    ("Workbook", "xls"),
    ("PowerPoint Document", "ppt"),
)
_OLE_ADVICE = {
    "encrypted": N_(
        "password-protected (encrypted) Word file; remove the password "
        "(File > Info > Protect Document) and save it again as .docx"
    ),
    "doc": N_(
        "a legacy Word .doc file with a .docx/.odt name; open it in Word or LibreOffice and save as .docx or .odt"
    ),
    "xls": N_("an Excel spreadsheet (.xls), not a text document; export the tender text as .docx, .odt or .pdf"),
    "ppt": N_("a PowerPoint presentation (.ppt), not a text document; export it as .pdf"),
}
_OLE_SCAN_BYTES = 16 * 1024 * 1024  # directory sectors of a real file sit well within this
# What to do about a damaged file, in the terms of its own format.
_RESAVE = {
    ".docx": N_("; open it in Word or LibreOffice and save it again, or ask the sender for a new copy"),
    ".odt": N_("; open it in LibreOffice and save it again, or ask the sender for a new copy"),
    ".pdf": N_("; export or download the PDF again, or ask the sender for a new copy"),
}
_RESAVE_TEXT = N_("; save the file again as UTF-8 text, or ask the sender for a new copy")
_NOTHING_TO_CHECK = {
    "docx": N_(
        "the document has no text to check (it is empty, or holds only images or drawings); nothing was checked"
    ),
    "odt": N_("the document has no text to check (it is empty, or holds only images or drawings); nothing was checked"),
    "pdf": N_("the PDF has no text to check; nothing was checked"),
    "txt": N_("the file holds no text, only blank space; nothing was checked"),
    "md": N_("the file holds no text, only blank space; nothing was checked"),
}
_MAX_HIDDEN_WARNINGS = 20


def sniff(head: bytes, *, strict: bool = False) -> str | None:
    """Name the real format from magic bytes, or None for plain text / unknown.

    PDF readers accept a header anywhere in the first KB; `strict` (for files named as text)
    wants it at the start: a Markdown file that mentions "%PDF-1.7" is still Markdown.
    """
    if head.startswith(_OLE_MAGIC):
        return "ole"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return "zip"
    if head.lstrip()[:5] == b"%PDF-" or (not strict and head[:1024].find(b"%PDF-") != -1):
        return "pdf"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    for magic in (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"II*\x00", b"MM\x00*"):
        if head.startswith(magic):
            return "image"
    return None


def ole_kind(path: Path) -> str | None:
    """What an OLE compound file holds ("encrypted", "doc", "xls", "ppt"), from its stream names.

    A byte search for the UTF-16LE directory names is enough to word the message, and
    needs no CFB parser that a hostile file could lead astray.
    """
    wanted = [(name.encode("utf-16-le"), kind) for name, kind in _OLE_KINDS]
    found: set[str] = set()
    overlap = max(len(w) for w, _ in wanted)
    tail = b""
    with path.open("rb") as fh:
        read = 0
        while read < _OLE_SCAN_BYTES:
            chunk = fh.read(1 << 20)
            if not chunk:
                break
            read += len(chunk)
            window = tail + chunk
            found.update(kind for w, kind in wanted if w in window)
            tail = window[-overlap:]
    for _, kind in _OLE_KINDS:
        if kind in found:
            return kind
    return None


def read_document(path: str | Path, limits: Limits | None = None) -> Document:
    """Read any supported tender file; raise InputError with a one-line reason otherwise.

    Never raises anything else for a bad file: a reader bug becomes `ReaderCrash` (an
    InputError), so one odd file cannot abort a multi-file lint.
    """
    limits = limits or Limits()
    p = Path(path)
    try:
        doc = _read(p, limits)
    except InputError as exc:
        if exc.message.startswith("corrupt") and "save" not in exc.message and "again" not in exc.message:
            advice = _RESAVE.get(p.suffix.lower(), _RESAVE_TEXT)  # what to do, for this format
            raise type(exc)(
                Message("{problem}{advice}", problem=exc.message, advice=Message(advice)), path=exc.path or p
            ) from None
        if exc.path is None:
            raise type(exc)(exc.message, path=p) from None
        raise
    except RecursionError:
        raise LimitExceeded(Message("structure nested too deeply to read safely"), path=p) from None
    except MemoryError:
        raise LimitExceeded(Message("ran out of memory reading the file; lower the --max-* limits"), path=p) from None
    except Exception as exc:  # last resort: a reader bug must not abort a multi-file run
        raise ReaderCrash(
            Message(
                "could not be read (reader failure {kind}: {detail}); please report it",
                kind=type(exc).__name__,
                detail=str(exc)[:200],
            ),
            path=p,
        ) from exc
    _check_text_limits(doc, limits, p)
    doc.path = display_path(p)
    _report_hidden(doc)
    if not any(b.text.strip() for b in doc.blocks):
        doc.unreadable = True  # the same "nothing checked" status as an image-only PDF
        message = Message(_NOTHING_TO_CHECK.get(doc.format, _NOTHING_TO_CHECK["txt"]))
        if not any(message in w or "no page has a text layer" in w for w in doc.warnings):
            doc.warnings.append(message)
    return doc


def _check_text_limits(doc: Document, limits: Limits, p: Path) -> None:
    """Every part goes through the same limits: body, headers, notes (all blocks) and comments."""
    texts = [(N_("a paragraph"), len(b.text)) for b in doc.blocks]
    texts += [(N_("a comment"), len(c.text)) for c in doc.comments]
    texts += [(N_("the text a comment is anchored on"), len(c.anchored_text)) for c in doc.comments]
    what, longest = max(texts, key=lambda t: t[1], default=("a paragraph", 0))
    if longest > limits.max_block_chars:
        raise LimitExceeded(
            Message(
                "{what} of {n} characters is over the max_block_chars limit of {limit}; "
                "split it or check that the file really is a tender",
                what=Message(what),
                n=f"{longest:,}",
                limit=f"{limits.max_block_chars:,}",
            ),
            path=p,
        )
    total = sum(len(b.text) for b in doc.blocks) + sum(len(c.text) for c in doc.comments)
    if total > limits.max_chars:
        raise LimitExceeded(
            Message(
                "document text (comments included) is {n} characters, over the {limit} limit",
                n=f"{total:,}",
                limit=f"{limits.max_chars:,}",
            ),
            path=p,
        )


def _report_hidden(doc: Document) -> None:
    """A warning per block holding hidden text: a tender that hides a requirement is a signal."""
    hidden = [b for b in doc.blocks if b.hidden]
    for b in hidden[:_MAX_HIDDEN_WARNINGS]:
        text = " ".join(" ".join(b.text[s:e] for s, e in b.hidden).split())
        shown = text if len(text) <= 80 else text[:77] + "..."
        doc.warnings.append(
            Message(
                "hidden text (formatted not to be displayed or printed) in {where}: '{text}'; "
                "it is linted like the visible text",
                where=b.location,
                text=shown,
            )
        )
    if len(hidden) > _MAX_HIDDEN_WARNINGS:
        doc.warnings.append(Message("more paragraphs with hidden text: {n}", n=len(hidden) - _MAX_HIDDEN_WARNINGS))


# long: and complex: one flat list of refusals, in the order a user meets them (hence noqa C901)
def _read(p: Path, limits: Limits) -> Document:  # noqa: C901
    try:
        exists = p.exists()
    except OSError as exc:  # e.g. a name too long for the filesystem
        raise InputError(
            Message("cannot access the path ({reason})", reason=exc.strerror or str(exc)), path=p
        ) from None
    if not exists:
        raise InputError(Message("no such file; check the path"), path=p)
    if p.is_dir():
        raise InputError(Message("is a directory (pass its files, or the folder to `lint`)"), path=p)
    if not p.is_file():
        raise InputError(Message("not a regular file (a pipe, device or socket); pass a saved document"), path=p)
    try:
        size = p.stat().st_size
        head = read_head(p, 2048)
    except NotRegularFile:  # swapped for a FIFO or device since the check above
        raise InputError(
            Message("not a regular file (a pipe, device or socket); pass a saved document"), path=p
        ) from None
    except PermissionError:
        raise InputError(Message("permission denied: the file cannot be read"), path=p) from None
    except OSError as exc:
        raise InputError(Message("cannot read the file ({reason})", reason=exc.strerror or str(exc)), path=p) from None
    if size == 0:
        raise InputError(Message("the file is empty (0 bytes); export or download the tender again"), path=p)
    if size > limits.max_file_bytes:
        raise LimitExceeded(
            Message(
                "file is {size} MB, over the max_file_bytes limit of {limit} MB "
                "(raise it with --max-file-mb if the file is genuine)",
                size=f"{size / 2**20:.1f}",
                limit=f"{limits.max_file_bytes / 2**20:.1f}",
            ),
            path=p,
        )
    ext = p.suffix.lower()
    kind = sniff(head, strict=SUPPORTED.get(ext) == "text")
    if ext in _ADVICE:
        raise InputError(Message(_ADVICE[ext]), path=p)
    if ext in _IMAGE_EXT or kind == "image":
        raise InputError(Message("an image has no text layer; run OCR and save the result as .pdf or .docx"), path=p)
    if kind == "rtf":
        raise InputError(
            Message("this is an RTF file; open it in Word or LibreOffice and save as .docx or .odt"), path=p
        )
    if ext in (".docx", ".odt"):
        if kind == "ole":
            try:
                what = ole_kind(p)
            except OSError:
                what = None
            fallback = N_(
                "not a .docx/.odt zip but an OLE file (a legacy .doc/.xls renamed, or a password-protected "
                "file); save it again as .docx without a password"
            )
            raise InputError(Message(_OLE_ADVICE.get(what or "", fallback)), path=p)
        if kind != "zip":
            raise InputError(
                Message(
                    "not a valid {ext} file (no zip signature): it is corrupt, truncated or another format{advice}",
                    ext=ext,
                    advice=Message(_RESAVE[ext]),
                ),
                path=p,
            )
    if ext == ".pdf" and kind != "pdf":
        raise InputError(
            Message("not a valid PDF (no %PDF header): it is corrupt or another format; export the PDF again"), path=p
        )
    if ext not in SUPPORTED:
        raise InputError(
            Message(
                "unsupported file type {ext}; supported: {supported}",
                ext=ext or Message("(no extension)"),
                supported=SUFFIX_LIST,
            ),
            path=p,
        )
    if SUPPORTED[ext] == "text" and (kind in ("zip", "ole") or (kind == "pdf" and _pdf_body(head))):
        raise InputError(
            Message("this {ext} file holds binary data ({kind}); check its extension", ext=ext, kind=kind), path=p
        )
    module = importlib.import_module(f"ospo_procure.readers.{SUPPORTED[ext]}_reader")
    doc: Document = module.read(p, limits)
    if not isinstance(doc, Document):  # defensive: readers are plug-ins by name
        raise ReaderCrash(Message("the {ext} reader returned no document; please report it", ext=ext), path=p)
    return doc


def _pdf_body(head: bytes) -> bool:
    """A text file that starts with "%PDF-" is a PDF only if PDF syntax or binary bytes follow."""
    return b" obj" in head or _binary(head)


def _binary(head: bytes) -> bool:
    """True when the first bytes cannot be text: a NUL, or bytes that are not UTF-8."""
    if b"\x00" in head:
        return True
    import codecs

    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return True
    return False
