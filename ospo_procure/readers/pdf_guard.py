"""Pre-flight scan of a PDF's streams, before pdfium parses it.

pdfium inflates content streams (Flate can expand ~1000:1) and builds page objects
from them with no size cap of its own: a 600 KB file can take it past 1 GB of memory.
This scan finds every stream in the raw bytes, decodes the filters that can expand
(Flate, LZW, RunLength, behind ASCIIHex/ASCII85 if present) with a cap on the output,
and refuses the file when one stream pdfium would parse inflates over the
`max_pdf_stream_bytes` limit (fonts: `max_part_bytes`).

Images and embedded files are skipped: pdfium does not decode them to extract text
(unless a page's /Contents points at one, which is then checked like any content).
Streams of a PDF encrypted with an owner password only (it opens without one) are decrypted
with pypdf and checked the same way.
"""

from __future__ import annotations

import base64
import binascii
import mmap
import re
import zlib
from pathlib import Path
from typing import Any

from ospo_procure.errors import InputError, LimitExceeded
from ospo_procure.i18n import N_
from ospo_procure.limits import Limits
from ospo_procure.message import Message
from ospo_procure.readers.safe_xml import Deadline

_STREAM = re.compile(rb"(?<!end)stream(?:\r\n|\n|\r)")
_OBJ_HEAD = re.compile(rb"(\d{1,10})\s+\d{1,5}\s+obj\s*$")
_FILTER = re.compile(rb"/Filter\s*(\[[^\]]{0,400}\]|/[A-Za-z0-9]+)")
_NAME = re.compile(rb"/([A-Za-z0-9]+)")
_SKIPPED = re.compile(rb"/Subtype\s*/Image\b|/Type\s*/EmbeddedFile\b")
_FONT = re.compile(rb"/Length[123]\b|/Subtype\s*/(?:Type1C|CIDFontType0C|OpenType)\b")
_CONTENTS = re.compile(rb"/Contents\s*(?:(\d{1,10})\s+\d{1,5}\s+R|\[([\d\sR]{0,20000})\])")
_REF = re.compile(rb"(\d{1,10})\s+\d{1,5}\s+R")
_ENCRYPT = re.compile(rb"/Encrypt\s*(?:\d{1,10}\s+\d{1,5}\s+R|<<)")
_DICT_WINDOW = 65536
_OUT_CHUNK = 1 << 20


class _Over(Exception):
    """Decoded output passed the cap."""


def _inflate(data: bytes, cap: int) -> bytes:
    for wbits in (15, -15):  # zlib-wrapped as the spec says; raw deflate as pdfium tolerates
        d = zlib.decompressobj(wbits)
        out: list[bytes] = []
        size = 0
        try:
            buf = data
            while buf and not d.eof:
                piece = d.decompress(buf, _OUT_CHUNK)  # bounded output per call
                size += len(piece)
                if size > cap:
                    raise _Over
                out.append(piece)
                buf = d.unconsumed_tail
        except zlib.error:
            if size == 0 and wbits == 15:
                continue
        return b"".join(out)  # corrupt tail: pdfium keeps what inflated, so do we
    return b""


def _lzw(data: bytes, cap: int, early: int = 1) -> bytes:
    out = bytearray()
    table: list[bytes] = [bytes([i]) for i in range(256)] + [b"", b""]
    bits, acc, nbits = 9, 0, 0
    prev: bytes | None = None
    for byte in data:
        acc = (acc << 8) | byte
        nbits += 8
        while nbits >= bits:
            nbits -= bits
            code = (acc >> nbits) & ((1 << bits) - 1)
            acc &= (1 << nbits) - 1
            if code == 256:
                del table[258:]
                bits, prev = 9, None
                continue
            if code == 257:
                return bytes(out)
            if code < len(table) and code != 256:
                entry = table[code]
                if prev is not None:
                    table.append(prev + entry[:1])
            elif code == len(table) and prev is not None:
                entry = prev + prev[:1]
                table.append(entry)
            else:
                return bytes(out)  # corrupt code: stop like a lenient decoder
            out += entry
            if len(out) > cap:
                raise _Over
            prev = entry
            if len(table) + early >= (1 << bits) and bits < 12:
                bits += 1
    return bytes(out)


def _run_length(data: bytes, cap: int) -> bytes:
    out = bytearray()
    i = 0
    while i < len(data):
        n = data[i]
        if n == 128:
            break
        if n < 128:
            out += data[i + 1 : i + 2 + n]
            i += n + 2
        else:
            out += data[i + 1 : i + 2] * (257 - n)
            i += 2
        if len(out) > cap:
            raise _Over
    return bytes(out)


def _ascii_hex(data: bytes, cap: int) -> bytes:
    digits = re.sub(rb"[^0-9A-Fa-f]", b"", data.split(b">", 1)[0])
    if len(digits) % 2:
        digits += b"0"
    return binascii.unhexlify(digits)


def _ascii85(data: bytes, cap: int) -> bytes:
    body = re.sub(rb"\s", b"", data.split(b"~>", 1)[0])
    if body.startswith(b"<~"):
        body = body[2:]
    try:
        return base64.a85decode(body)
    except ValueError:
        return b""


_DECODERS = {
    b"FlateDecode": _inflate,
    b"Fl": _inflate,
    b"LZWDecode": _lzw,
    b"LZW": _lzw,
    b"RunLengthDecode": _run_length,
    b"RL": _run_length,
    b"ASCIIHexDecode": _ascii_hex,
    b"AHx": _ascii_hex,
    b"ASCII85Decode": _ascii85,
    b"A85": _ascii85,
}


def _decode(raw: bytes, filters: list[bytes], cap: int) -> bytes | None:
    """Apply the filters in order (each output capped); None when the first is not ours
    (DCT, JPX, Crypt...), or the data so far when a later one is not."""
    data = raw
    for name in filters:
        decoder = _DECODERS.get(name)
        if decoder is None:
            return None if data is raw else data
        data = decoder(data, cap)
    return data


def check_pdf_streams(path: Path, limits: Limits) -> None:
    """Raise LimitExceeded when a stream pdfium would parse inflates past the limits."""
    with path.open("rb") as fh:
        try:
            mm = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
        except ValueError:  # empty file: the dispatcher already refused it
            return
    with mm:
        _scan(mm, path, limits)
        encrypted = _ENCRYPT.search(mm) is not None
    if encrypted:
        _scan_encrypted(path, limits)


def _scan_encrypted(path: Path, limits: Limits) -> None:
    """The same check on the decrypted streams of a PDF that opens without a password.

    An owner password only restricts printing or copying: pdfium opens such a file and
    inflates its streams, which the raw scan above saw encrypted (so not as Flate). pypdf
    decrypts each stream with the empty user password (its own decoding is capped), and the
    still-encoded bytes go through the same capped decoders. A file that needs a user
    password is left to pdfium, which refuses it before reading any stream.
    """
    from pypdf import PdfReader
    from pypdf.errors import DependencyError
    from pypdf.generic import IndirectObject, StreamObject

    deadline = Deadline(limits, path)
    try:
        reader = PdfReader(str(path), strict=False)
        if not reader.is_encrypted or not reader.decrypt(""):
            return
        contents = _page_contents(reader)
        for gen, entries in list(reader.xref.items()):
            for n, num in enumerate(list(entries)):
                if n % 500 == 0:
                    deadline.check(N_("checking the encrypted PDF's streams"))
                obj = reader.get_object(IndirectObject(num, gen, reader))
                if not isinstance(obj, StreamObject):
                    continue
                head = f"{obj.get('/Subtype', '')} {obj.get('/Type', '')}"
                if ("/Image" in head or "/EmbeddedFile" in head) and num not in contents:
                    continue
                is_font = any(k in obj for k in ("/Length1", "/Length2", "/Length3")) or "/Type1C" in head
                _check(obj._data, _filter_names(obj.get("/Filter")), path, limits, is_font)
    except (LimitExceeded, InputError):
        raise
    except DependencyError as exc:
        raise InputError(
            Message("encrypted PDF that cannot be decrypted to check it ({reason})", reason=str(exc)), path=path
        ) from None
    except Exception as exc:  # pypdf could not follow the file: pdfium must not be the first to try
        raise InputError(
            Message(
                "encrypted PDF whose streams could not be checked for decompression bombs "
                "({reason}); save an unrestricted copy (print to PDF) to lint it",
                reason=type(exc).__name__,
            ),
            path=path,
        ) from None


_FONT_BOMB = N_(
    "a PDF font stream inflates past the {name} limit of {mb} MB (a decompression bomb?); the file is refused"
)
_STREAM_BOMB = N_(
    "a PDF content stream inflates past the {name} limit of {mb} MB (a decompression bomb?); the file is refused"
)


def _filter_names(value: object) -> list[bytes]:
    items = value if isinstance(value, list) else [value] if value is not None else []
    return [str(v).lstrip("/").encode("latin-1", "replace") for v in items]


def _page_contents(reader: Any) -> set[int]:
    """Object numbers of the pages' content streams (an image in disguise is still checked)."""
    out: set[int] = set()
    for page in reader.pages:
        if "/Contents" not in page:
            continue
        raw = page.raw_get("/Contents")
        if hasattr(raw, "idnum"):
            out.add(raw.idnum)
            raw = raw.get_object()
        if isinstance(raw, list):
            out.update(r.idnum for r in raw if hasattr(r, "idnum"))
    return out


def _scan(data: mmap.mmap, path: Path, limits: Limits) -> None:
    contents: set[int] = set()
    skipped: dict[int, tuple[int, int, list[bytes]]] = {}
    pos = 0
    for m in _STREAM.finditer(data):
        start = m.end()
        if m.start() < pos:
            continue  # inside the previous stream's data
        head = data[max(pos, m.start() - _DICT_WINDOW) : m.start()]
        at = head.rfind(b"obj")
        if at < 0 or not head.rstrip().endswith(b">>"):
            continue
        obj = _OBJ_HEAD.search(head[max(0, at - 40) : at + 3])
        num = int(obj.group(1)) if obj else -1
        dictionary = head[at + 3 :]
        end = data.find(b"endstream", start)
        end = len(data) if end < 0 else end
        pos = end
        fm = _FILTER.search(dictionary)
        filters = _NAME.findall(fm.group(1)) if fm else []
        if _SKIPPED.search(dictionary):
            skipped[num] = (start, end, filters)
            continue
        is_font = bool(_FONT.search(dictionary))
        decoded = _check(data[start:end], filters, path, limits, is_font)
        if decoded is not None and b"/ObjStm" in dictionary:
            _collect_contents(decoded, contents)
    _collect_contents(data, contents)
    for num in contents & set(skipped):  # a page's content stream in disguise
        start, end, filters = skipped[num]
        _check(data[start:end], filters, path, limits, False)


def _check(raw: bytes, filters: list[bytes], path: Path, limits: Limits, is_font: bool) -> bytes | None:
    """The decoded stream (None if its filters are not ours to decode); refuse it over the cap."""
    cap = limits.max_part_bytes if is_font else limits.max_pdf_stream_bytes
    try:
        decoded = _decode(raw, filters, cap)
    except _Over:
        decoded, over = None, True
    else:
        over = decoded is not None and len(decoded) > cap
    if not over:
        return decoded
    name = "max_part_bytes" if is_font else "max_pdf_stream_bytes"
    raise LimitExceeded(
        Message(_FONT_BOMB if is_font else _STREAM_BOMB, name=name, mb=f"{cap / 2**20:.0f}"),
        path=path,
    )


def _collect_contents(data: bytes | mmap.mmap, into: set[int]) -> None:
    for m in _CONTENTS.finditer(data):
        if m.group(1):
            into.add(int(m.group(1)))
        else:
            into.update(int(r) for r in _REF.findall(m.group(2)))
