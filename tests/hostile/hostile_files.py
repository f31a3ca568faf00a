"""Builders for hostile and broken inputs, made in the test itself (no binaries committed).

Everything here is small on disk even when it claims or inflates to gigabytes: zip
bombs are built from a compressed stream of zeros, PDF bombs from a Flate stream, and
"200 MB" files are sparse (`truncate`), so the suite stays fast.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from pathlib import Path

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


# ---------------------------------------------------------------------------------------
# Raw PDF
# ---------------------------------------------------------------------------------------


def raw_pdf(objects: list[bytes]) -> bytes:
    """A PDF from object bodies (object 1 must be the catalog), with a correct xref."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets: list[int] = []
    for num, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % num + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def pdf_many_pages(n: int) -> bytes:
    """n pages sharing one tiny text content stream (a few hundred KB for thousands of pages)."""
    kids = b" ".join(b"%d 0 R" % (5 + i) for i in range(n))
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, n),
        _stream(b"BT /F1 12 Tf 72 720 Td (The supplier shall deliver open standards.) Tj ET"),
        _FONT,
    ]
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 3 0 R /Resources << /Font << /F1 4 0 R >> >> >>"
    objs.extend(page for _ in range(n))
    return raw_pdf(objs)


def deflate_repeated(chunk: bytes, times: int, *, zlib_header: bool = False) -> bytes:
    """Deflate data for `chunk` * `times`, built in milliseconds whatever the total size.

    A block ended by Z_FULL_FLUSH does not refer to earlier data, so its bytes can simply
    be repeated; a final empty block closes the stream. The checksum of a zlib stream is
    left zero: every guard stops long before the end, where it would be checked.
    """
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = c.compress(chunk) + c.flush(zlib.Z_FULL_FLUSH)
    body = block * times + zlib.compressobj(9, zlib.DEFLATED, -15).flush()
    return (b"\x78\xda" + body + b"\0\0\0\0") if zlib_header else body


def pdf_with_content(
    content: bytes, filters: bytes = b"/Filter /FlateDecode", extra: bytes = b"", page_extra: bytes = b""
) -> bytes:
    """One page whose content stream is `content` (already encoded for `filters`)."""
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> %s >>" % page_extra,
        _stream(content, filters + b" " + extra),
        _FONT,
    ]
    return raw_pdf(objs)


def pdf_stream_bomb(inflated_mb: int) -> bytes:
    """One page whose content stream is a few KB of Flate inflating to `inflated_mb` MB of spaces."""
    return pdf_with_content(deflate_repeated(b" " * (1 << 20), inflated_mb, zlib_header=True))


def pdf_text_lines(n: int) -> bytes:
    """One page with `n` short lowercase lines: pdf_reader joins them into one paragraph."""
    ops = [b"BT /F1 10 Tf 12 TL 72 780 Td"]
    ops += [b"(lorem ipsum) Tj T*" for _ in range(n)]
    ops.append(b"ET")
    return pdf_with_content(zlib.compress(b"\n".join(ops)))


def lzw_run_bomb(cycles: int) -> bytes:
    """PDF LZW data for cycles x ~7.4 MB of "A": each code is one byte longer than the last."""
    out = bytearray()
    acc = nbits = 0

    def put(code: int, bits: int) -> None:
        nonlocal acc, nbits
        acc = (acc << bits) | code
        nbits += bits
        while nbits >= 8:
            nbits -= 8
            out.append((acc >> nbits) & 0xFF)
        acc &= (1 << nbits) - 1

    for _ in range(cycles):
        bits, size = 9, 258
        put(256, bits)  # clear
        put(65, bits)
        for code in range(258, 4094):
            size += 1  # the decoder adds one entry per code after the first
            put(code, bits)
            if size + 1 >= (1 << bits) and bits < 12:  # EarlyChange 1, as the decoder
                bits += 1
    put(257, 12 if cycles else 9)
    if nbits:
        out.append((acc << (8 - nbits)) & 0xFF)
    return bytes(out)


def run_length_bomb(inflated_mb: int) -> bytes:
    """RunLength data: (129, b" ") is 128 spaces, so 2 bytes per 128."""
    return b"\x81 " * (inflated_mb * (1 << 20) // 128) + b"\x80"


# ---------------------------------------------------------------------------------------
# Zip bombs and XML bombs
# ---------------------------------------------------------------------------------------


def zip_bomb_docx(src: Path, dst: Path, inflated_mb: int, *, lie_about_size: bool = False) -> Path:
    """Copy a valid .docx, replacing word/document.xml by a part that inflates to `inflated_mb` MB.

    The XML is a valid document padded with spaces, so only a size guard can stop it.
    With `lie_about_size` the central directory claims 100 bytes, so only the guard
    applied while decompressing can catch it. The CRC is left zero (checked only at EOF).
    """
    head = f'<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>x</w:t></w:r></w:p>'.encode()
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    start = c.compress(head) + c.flush(zlib.Z_FULL_FLUSH)
    raw = start + deflate_repeated(b" " * (1 << 20), inflated_mb)  # tail never reached
    size = len(head) + inflated_mb * (1 << 20)
    with zipfile.ZipFile(src) as zin:
        members = [(i.filename, zin.read(i.filename)) for i in zin.infolist() if i.filename != "word/document.xml"]
    return _write_zip_with_raw(dst, members, "word/document.xml", raw, 0, 100 if lie_about_size else size)


def _write_zip_with_raw(
    dst: Path, members: list[tuple[str, bytes]], name: str, raw: bytes, crc: int, size: int
) -> Path:
    """Write a zip by hand so one member can carry pre-compressed data and any declared size."""
    out = bytearray()
    central = bytearray()
    entries: list[tuple[str, bytes, int, int, int]] = []
    for nm, data in members:
        c = zlib.compressobj(6, zlib.DEFLATED, -15)
        entries.append((nm, c.compress(data) + c.flush(), zlib.crc32(data), len(data), 8))
    entries.append((name, raw, crc, size, 8))
    for nm, comp, crc_, usize, method in entries:
        fn = nm.encode()
        off = len(out)
        out += (
            struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, method, 0, 0x21, crc_, len(comp), usize, len(fn), 0)
            + fn
            + comp
        )
        central += (
            struct.pack(
                "<IHHHHHHIIIHHHHHII",
                0x02014B50,
                20,
                20,
                0,
                method,
                0,
                0x21,
                crc_,
                len(comp),
                usize,
                len(fn),
                0,
                0,
                0,
                0,
                0,
                off,
            )
            + fn
        )
    cd_off = len(out)
    out += central
    out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(central), cd_off, 0)
    dst.write_bytes(bytes(out))
    return dst


def document_xml(body: str, *, prolog: str = "") -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<w:document xmlns:w="{W_NS}"><w:body>{body}</w:body></w:document>'
    ).encode()


BILLION_LAUGHS = (
    '<!DOCTYPE w:document [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
    + "]>"
)


def xxe_prolog(target: str) -> str:
    return f'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "{target}">]>'


def nested_tables_xml(depth: int) -> str:
    inner = "<w:p><w:r><w:t>innermost cell</w:t></w:r></w:p>"
    for _ in range(depth):
        inner = f"<w:tbl><w:tr><w:tc>{inner}</w:tc></w:tr></w:tbl><w:p/>"
    return inner


# ---------------------------------------------------------------------------------------
# OLE compound files (legacy .doc / .xls, and encrypted OOXML)
# ---------------------------------------------------------------------------------------


def ole_file(stream_names: list[str]) -> bytes:
    """A minimal but structurally valid CFB (v3, 512-byte sectors) with empty streams.

    Enough for format sniffing: header, one FAT sector and one directory sector holding
    the root entry and the named streams (all size 0, so no data sectors are needed).
    """
    assert len(stream_names) <= 3
    header = bytearray(512)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<I", header, 44, 1)  # number of FAT sectors
    struct.pack_into("<I", header, 48, 1)  # first directory sector
    struct.pack_into("<I", header, 56, 4096)  # mini stream cutoff
    struct.pack_into("<IIII", header, 60, 0xFFFFFFFE, 0, 0xFFFFFFFE, 0)  # no mini FAT / DIFAT
    struct.pack_into("<I", header, 76, 0)  # DIFAT[0]: FAT lives in sector 0
    for i in range(1, 109):
        struct.pack_into("<I", header, 76 + 4 * i, 0xFFFFFFFF)
    fat = bytearray(b"\xff" * 512)
    struct.pack_into("<II", fat, 0, 0xFFFFFFFD, 0xFFFFFFFE)  # sector 0 = FAT, sector 1 = directory end
    directory = bytearray()
    names = ["Root Entry", *stream_names]
    for idx, nm in enumerate(names):
        e = bytearray(128)
        enc = nm.encode("utf-16-le")
        e[0 : len(enc)] = enc
        struct.pack_into("<H", e, 64, len(enc) + 2)
        e[66] = 5 if idx == 0 else 2  # root storage / stream
        e[67] = 1  # black
        left = right = child = 0xFFFFFFFF
        if idx == 0 and len(names) > 1:
            child = 1
        elif idx > 0 and idx + 1 < len(names):
            right = idx + 1
        struct.pack_into("<III", e, 68, left, right, child)
        struct.pack_into("<I", e, 116, 0xFFFFFFFE)
        directory += e
    directory += b"\x00" * (512 - len(directory))
    return bytes(header + fat + directory)


# ---------------------------------------------------------------------------------------
# Trust boundaries (issue 14)
# ---------------------------------------------------------------------------------------


def docx_parts(src: Path) -> dict[str, str]:
    """The XML members of a .docx a hostile variant is usually made from."""
    with zipfile.ZipFile(src) as z:
        return {n: z.read(n).decode("utf-8") for n in z.namelist() if n.endswith((".xml", ".rels"))}


_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"


def _add_rel(rels: str, rid: str, rtype: str, target: str) -> str:
    return rels.replace(
        "</Relationships>", f'<Relationship Id="{rid}" Type="{_RT}{rtype}" Target="{target}"/></Relationships>'
    )


def docx_annotate_cases(base: Path, out: Path) -> dict[str, Path]:
    """The four kinds of .docx the linter reads fine and the annotator used to fail on.

    dot-dot: a member named "../evil.png" and a relationship to "../../evil.png";
    dtd-settings: word/settings.xml declares a DTD (a part the reader never parses);
    ole-object: a relationship to an embedded OLE object missing from the package;
    renamed-docm: a macro-enabled document's content type in a file named .docx.
    """
    from builders import rewrite_zip

    parts = docx_parts(base)
    rels, ct, settings = parts["word/_rels/document.xml.rels"], parts["[Content_Types].xml"], parts["word/settings.xml"]
    cases = {
        "dot-dot": rewrite_zip(
            base,
            out / "dotdot.docx",
            {"word/_rels/document.xml.rels": _add_rel(rels, "rIdX", "image", "../../evil.png").encode()},
            {"../evil.png": b"\x89PNG\r\n"},
        ),
        "dtd-settings": rewrite_zip(
            base,
            out / "dtd.docx",
            {"word/settings.xml": settings.replace("?>", '?><!DOCTYPE w:settings [<!ENTITY x "y">]>', 1).encode()},
        ),
        "ole-object": rewrite_zip(
            base,
            out / "ole.docx",
            {"word/_rels/document.xml.rels": _add_rel(rels, "rIdO", "oleObject", "embeddings/oleObject1.bin").encode()},
        ),
        "renamed-docm": rewrite_zip(
            base,
            out / "macro.docx",
            {
                "[Content_Types].xml": ct.replace(
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
                    "application/vnd.ms-word.document.macroEnabled.main+xml",
                ).encode()
            },
            {"word/vbaProject.bin": ole_file(["VBA"])},
        ),
    }
    return cases


def docx_with_comment_xml(base: Path, dst: Path, comment_text: str, author: str = "Vendor") -> Path:
    """`base` with one comment (raw text, any length) anchored on its first paragraph."""
    from xml.sax.saxutils import escape

    from builders import rewrite_zip

    parts = docx_parts(base)
    doc = parts["word/document.xml"].replace("<w:p>", '<w:p><w:commentRangeStart w:id="7"/>', 1)
    doc = doc.replace("</w:p>", '<w:commentRangeEnd w:id="7"/></w:p>', 1)
    comments = (
        f'<?xml version="1.0" encoding="UTF-8"?><w:comments xmlns:w="{W_NS}">'
        f'<w:comment w:id="7" w:author="{escape(author)}"><w:p><w:r><w:t xml:space="preserve">'
        f"{escape(comment_text)}</w:t></w:r></w:p></w:comment></w:comments>"
    )
    rels = _add_rel(parts["word/_rels/document.xml.rels"], "rIdC", "comments", "comments.xml")
    ct = parts["[Content_Types].xml"].replace(
        "</Types>",
        '<Override PartName="/word/comments.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"/></Types>',
    )
    return rewrite_zip(
        base,
        dst,
        {
            "word/document.xml": doc.encode(),
            "word/_rels/document.xml.rels": rels.encode(),
            "[Content_Types].xml": ct.encode(),
        },
        {"word/comments.xml": comments.encode()},
    )


def docx_with_alt_chunks(base: Path, dst: Path, chunks: dict[str, bytes]) -> Path:
    """`base` with one w:altChunk per (part name under word/, bytes), in order, at the end of the body."""
    from builders import rewrite_zip

    parts = docx_parts(base)
    rels = parts["word/_rels/document.xml.rels"]
    refs = ""
    for n, name in enumerate(chunks, start=1):
        rels = _add_rel(rels, f"rAlt{n}", "aFChunk", name)
        refs += f'<w:altChunk r:id="rAlt{n}"/>'
    doc = parts["word/document.xml"].replace("<w:sectPr", refs + "<w:sectPr", 1)
    return rewrite_zip(
        base,
        dst,
        {"word/document.xml": doc.encode(), "word/_rels/document.xml.rels": rels.encode()},
        {f"word/{name}": data for name, data in chunks.items()},
    )


def zip_with_duplicate(src: Path, dst: Path, name: str, data: bytes, *, as_name: str | None = None) -> Path:
    """A copy of `src` with a second member called `as_name` (default: `name`) holding `data`."""
    import warnings

    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info, zin.read(info.filename))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # zipfile warns about the duplicate name: that is the point
            zout.writestr(as_name or name, data)
    return dst


def pdf_owner_password(
    dst: Path, *, bomb_mb: int = 0, text_pdf: Path | None = None, algorithm: str = "RC4-128"
) -> Path:
    """A PDF that opens without a password but is encrypted with an owner password.

    With `bomb_mb`, its one page's content stream is a Flate bomb inflating to that many MB;
    with `text_pdf`, it is that PDF's pages, encrypted.
    """
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import EncodedStreamObject, NameObject

    writer = PdfWriter()
    if text_pdf is not None:
        for page in PdfReader(str(text_pdf)).pages:
            writer.add_page(page)
    else:
        page = writer.add_blank_page(612, 792)
        stream = EncodedStreamObject()
        stream._data = deflate_repeated(b" " * (1 << 20), bomb_mb, zlib_header=True)
        stream[NameObject("/Filter")] = NameObject("/FlateDecode")
        page[NameObject("/Contents")] = writer._add_object(stream)
    writer.encrypt(user_password="", owner_password="owner-only", algorithm=algorithm)
    with dst.open("wb") as fh:
        writer.write(fh)
    return dst
