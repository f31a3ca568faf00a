"""Safe zip and XML helpers shared by the .docx and .odt readers.

A tender arrives from outside, so a .docx/.odt is hostile until proven otherwise:
- zip bombs: declared sizes are checked from the central directory, and then enforced
  again while decompressing (declared sizes can lie), per member and in total;
- XML bombs / XXE: the lxml parser never resolves entities, loads DTDs or touches the
  network, and any part that declares a DOCTYPE is refused outright (no OOXML or ODF
  part legitimately has one).
Every failure is an `InputError`/`LimitExceeded` with a one-line message.
"""

from __future__ import annotations

import re
import time
import zipfile
import zlib
from pathlib import Path
from typing import IO, Any

from lxml import etree

from ospo_procure.errors import InputError, LimitExceeded
from ospo_procure.i18n import N_
from ospo_procure.limits import Limits
from ospo_procure.message import Message

_CHUNK = 1 << 16
# Ratio checks on tiny members would flag legitimately repetitive XML (e.g. 2 KB of
# empty table cells); a bomb only matters once it is big.
_RATIO_MIN_BYTES = 1 << 20
_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)


def make_parser() -> etree.XMLParser:
    """A fresh hardened parser (lxml parsers are not thread-safe, so never share one)."""
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        dtd_validation=False,
        remove_comments=True,
        remove_pis=True,
    )


def parse_xml(data: bytes, name: str, fmt: str, path: str | Path | None = None) -> etree._Element:
    """Parse one XML part, refusing DTDs; `fmt` ("docx", "odt") only shapes the message."""
    # Cheap pre-check on the raw bytes; the docinfo check below also catches UTF-16 parts.
    if _DOCTYPE.search(data, 0, 4096) or b"<!ENTITY" in data[:65536]:
        raise InputError(
            Message("corrupt .{fmt}: {name}: XML part declares a DTD; refused for safety", fmt=fmt, name=name),
            path=path,
        )
    try:
        root = etree.fromstring(data, make_parser())
    except etree.XMLSyntaxError as exc:
        line = Message(" (line {n})", n=exc.lineno) if getattr(exc, "lineno", None) else ""
        msg = str(getattr(exc, "msg", "") or exc)
        # libxml2's own safety limits (huge_tree=False): depth 256, 10 MB per text node,
        # comment or attribute. 114 is XML_ERR_RESOURCE_LIMIT.
        if getattr(exc, "code", None) == 114 or any(
            s in msg for s in ("XML_PARSE_HUGE", "Excessive depth", "too big", "too long")
        ):
            raise LimitExceeded(
                Message(
                    "{name} is nested too deeply or holds a text, comment or attribute too large to read "
                    "safely (XML parser limits: depth 256, 10 MB){line}; the file is refused",
                    name=name,
                    line=line,
                ),
                path=path,
            ) from None
        raise InputError(
            Message("corrupt .{fmt}: {name} is not well-formed XML{line}", fmt=fmt, name=name, line=line), path=path
        ) from None
    except ValueError as exc:  # e.g. encoding declaration problems
        raise InputError(
            Message("corrupt .{fmt}: {name} cannot be parsed as XML ({reason})", fmt=fmt, name=name, reason=str(exc)),
            path=path,
        ) from None
    docinfo: Any = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise InputError(
            Message("corrupt .{fmt}: {name}: XML part declares a DTD; refused for safety", fmt=fmt, name=name),
            path=path,
        )
    return root


# The refusal of a document with too many paragraphs, said the same way by every reader.
MAX_BLOCKS = N_("over {n} paragraphs (max_blocks limit)")


class Deadline:
    """Loose wall-clock guard for `limits.max_seconds`, checked between parts/pages."""

    def __init__(self, limits: Limits, path: str | Path | None = None):
        self.limits = limits
        self.path = path
        self.start = time.monotonic()

    def check(self, what: str = N_("reading")) -> None:
        """`what` was being done; a `Message` (or a marked msgid) so the error follows the report language."""
        elapsed = time.monotonic() - self.start
        if elapsed > self.limits.max_seconds:
            raise LimitExceeded(
                Message(
                    "{what} took over {seconds} s (max_seconds limit; raise it with --max-seconds)",
                    what=what if isinstance(what, Message) else Message(what),
                    seconds=f"{self.limits.max_seconds:g}",
                ),
                path=self.path,
            )


class SafeZip:
    """A read-only zip archive whose members are decompressed under `Limits`."""

    def __init__(self, path: Path | IO[bytes], limits: Limits, fmt: str):
        # An in-memory archive (a .docx imported into a .docx) has no path of its own: the
        # reader adds the outer file's to the message.
        self.path = path if isinstance(path, Path) else None
        self.limits = limits
        self.fmt = fmt
        self._read_total = 0
        self._elements = 0
        try:
            self._zf = zipfile.ZipFile(path)
        except zipfile.BadZipFile as exc:
            raise InputError(
                Message(
                    "corrupt .{fmt}: not a valid zip archive ({reason}), probably truncated or damaged",
                    fmt=fmt,
                    reason=str(exc),
                ),
                path=self.path,
            ) from None
        except (OSError, ValueError) as exc:
            raise InputError(
                Message("corrupt .{fmt}: cannot open the zip archive ({reason})", fmt=fmt, reason=str(exc)),
                path=self.path,
            ) from None
        infos = self._zf.infolist()
        self._infos = {i.filename: i for i in infos}
        self._refuse_duplicates([i.filename for i in infos])
        names = set(self._infos)
        if names & {"EncryptedPackage", "EncryptionInfo"}:
            self.close()
            raise InputError(
                Message("password-protected .{fmt}; remove the password (save without encryption) to lint it", fmt=fmt),
                path=self.path,
            )
        self._check_directory()

    def _refuse_duplicates(self, names: list[str]) -> None:
        """Two members with one name (part names ignore case in OPC and ODF) mean two versions
        of a part, and readers disagree on which one counts: the file is refused as corrupt."""
        seen: set[str] = set()
        for name in names:
            key = name.casefold()
            if key in seen:
                self.close()
                raise InputError(
                    Message(
                        "corrupt .{fmt}: the zip archive holds two members named {name} "
                        "(which one is the document is ambiguous)",
                        fmt=self.fmt,
                        name=name,
                    ),
                    path=self.path,
                )
            seen.add(key)

    # -- declared sizes (central directory) ---------------------------------------------
    def _check_directory(self) -> None:
        lim = self.limits
        total = 0
        for info in self._infos.values():
            if info.flag_bits & 0x1:
                raise InputError(
                    Message(
                        "password-protected .{fmt}: zip member {name} is encrypted", fmt=self.fmt, name=info.filename
                    ),
                    path=self.path,
                )
            total += info.file_size
            if info.file_size >= _RATIO_MIN_BYTES and info.file_size > lim.max_compression_ratio * max(
                info.compress_size, 1
            ):
                raise LimitExceeded(
                    Message(
                        "zip member {name} expands {ratio}:1, over the max_compression_ratio limit of {limit}:1 "
                        "(zip bomb?)",
                        name=info.filename,
                        ratio=info.file_size // max(info.compress_size, 1),
                        limit=lim.max_compression_ratio,
                    ),
                    path=self.path,
                )
        if total > lim.max_uncompressed_bytes:
            raise LimitExceeded(
                Message(
                    "zip archive declares {n} uncompressed bytes, over the max_uncompressed_bytes limit of {limit}",
                    n=f"{total:,}",
                    limit=f"{lim.max_uncompressed_bytes:,}",
                ),
                path=self.path,
            )

    # -- members ---------------------------------------------------------------------------
    def names(self) -> list[str]:
        return list(self._infos)

    def has(self, name: str) -> bool:
        return name in self._infos

    def read(self, name: str) -> bytes:
        """Decompress one member in chunks, enforcing the limits on the bytes actually produced."""
        info = self._infos.get(name)
        if info is None:
            raise InputError(Message("corrupt .{fmt}: missing {name}", fmt=self.fmt, name=name), path=self.path)
        lim = self.limits
        if info.file_size > lim.max_part_bytes:  # only parts we read: big media is fine
            raise LimitExceeded(
                Message(
                    "zip member {name} declares {n} bytes, over the max_part_bytes limit of {limit}",
                    name=name,
                    n=f"{info.file_size:,}",
                    limit=f"{lim.max_part_bytes:,}",
                ),
                path=self.path,
            )
        ratio_cap = max(lim.max_compression_ratio * max(info.compress_size, 1), _RATIO_MIN_BYTES)
        chunks: list[bytes] = []
        size = 0
        try:
            with self._zf.open(info) as fh:
                while True:
                    chunk = fh.read(_CHUNK)
                    if not chunk:
                        break
                    size += len(chunk)
                    self._check_growth(name, size, ratio_cap)
                    chunks.append(chunk)
        # NotImplementedError: an unsupported compression method
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as exc:
            raise InputError(
                Message(
                    "corrupt .{fmt}: cannot decompress {name} ({reason})", fmt=self.fmt, name=name, reason=str(exc)
                ),
                path=self.path,
            ) from None
        except OSError as exc:
            raise InputError(
                Message("corrupt .{fmt}: cannot read {name} ({reason})", fmt=self.fmt, name=name, reason=str(exc)),
                path=self.path,
            ) from None
        self._read_total += size
        return b"".join(chunks)

    def _check_growth(self, name: str, size: int, ratio_cap: int) -> None:
        """The limits on the bytes a member has produced so far (not on what it declares)."""
        lim = self.limits
        if size > lim.max_part_bytes:
            message = Message(
                "zip member {name} expands past the max_part_bytes limit of {limit} bytes",
                name=name,
                limit=f"{lim.max_part_bytes:,}",
            )
        elif size > ratio_cap:
            message = Message(
                "zip member {name} expands over the max_compression_ratio limit of {limit}:1 (zip bomb?)",
                name=name,
                limit=lim.max_compression_ratio,
            )
        elif self._read_total + size > lim.max_uncompressed_bytes:
            message = Message(
                "zip archive expands past the max_uncompressed_bytes limit of {limit} bytes",
                limit=f"{lim.max_uncompressed_bytes:,}",
            )
        else:
            return
        raise LimitExceeded(message, path=self.path)

    def parse(self, name: str) -> etree._Element:
        """Read and parse a required XML member (InputError if it is missing)."""
        data = self.read(name)
        # Every element starts with "<", so this C-speed count bounds the tree lxml would build.
        self._elements += data.count(b"<")
        if self._elements > self.limits.max_xml_elements:
            raise LimitExceeded(
                Message(
                    "{name}: over {limit} XML elements (max_xml_elements limit); "
                    "the document is too large or built to exhaust memory",
                    name=name,
                    limit=f"{self.limits.max_xml_elements:,}",
                ),
                path=self.path,
            )
        return parse_xml(data, name, self.fmt, self.path)

    def parse_optional(self, name: str) -> etree._Element | None:
        return self.parse(name) if name in self._infos else None

    def close(self) -> None:
        self._zf.close()

    def __enter__(self) -> SafeZip:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_zip(path: Path, limits: Limits, fmt: str) -> SafeZip:
    return SafeZip(path, limits, fmt)
