"""Metadata of a tender for the dashboard's "by buyer" and "by quarter" views.

Three sources, most trusted last: the document's own properties (a .docx's company and
creation date, an .odt's or a PDF's creation date), the OCDS release that names it, and
a CSV the user supplies (`scan --metadata FILE.csv`, columns path,buyer,date,title), which
overrides both.
"""

from __future__ import annotations

import csv
import re
from datetime import date as _date
from pathlib import Path

from ospo_procure.errors import DataError, InputError
from ospo_procure.limits import Limits
from ospo_procure.portfolio.records import Meta

_ISO = re.compile(r"^\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")
_PDF_DATE = re.compile(r"^D:(\d{4})(\d{2})?(\d{2})?")
_DMY = re.compile(r"^\s*(\d{1,2})[/.](\d{1,2})[/.](\d{4})\s*$")  # 31/12/2025, as spreadsheets write it
# python-docx's blank template carries this creation stamp: a document made from it has no real date.
_TEMPLATE_STAMPS = {"2013-12-23T23:15:00Z"}
_NS = {
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dcterms": "http://purl.org/dc/terms/",
    "ep": "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties",
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "meta": "urn:oasis:names:tc:opendocument:xmlns:meta:1.0",
}


def iso_date(value: object) -> str:
    """'YYYY-MM-DD' (or 'YYYY-MM', 'YYYY') from an ISO or PDF date; '' when not a plausible date."""
    if not isinstance(value, str) or not value.strip():
        return ""
    m = _ISO.match(value) or _PDF_DATE.match(value.strip())
    if m:
        year, month, day = m.group(1), m.group(2), m.group(3)
    else:
        dmy = _DMY.match(value)
        if not dmy:
            return ""
        day, month, year = dmy.groups()
    if not 1900 <= int(year) <= 2200:
        return ""
    if month is None:
        return year
    if not 1 <= int(month) <= 12:
        return year
    if day is None:
        return f"{year}-{int(month):02d}"
    try:
        return _date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return f"{year}-{int(month):02d}"


def document_metadata(path: Path, fmt: str, limits: Limits) -> Meta:
    """Buyer and date from the file's own properties; empty when it has none or they cannot be read."""
    try:
        if fmt in ("docx", "odt"):
            return _zip_metadata(path, fmt, limits)
        if fmt == "pdf":
            return _pdf_metadata(path)
    except (InputError, OSError, ValueError):
        pass  # metadata is a nicety: the text was read, so the tender still counts
    return Meta()


def _zip_metadata(path: Path, fmt: str, limits: Limits) -> Meta:
    from ospo_procure.readers.safe_xml import open_zip

    with open_zip(path, limits, fmt) as z:
        if fmt == "docx":
            core = z.parse_optional("docProps/core.xml")
            app = z.parse_optional("docProps/app.xml")
            created = core.findtext("dcterms:created", namespaces=_NS) if core is not None else None
            if created in _TEMPLATE_STAMPS:
                created = None
            title = (
                core.findtext("dc:title", namespaces={"dc": "http://purl.org/dc/elements/1.1/"})
                if core is not None
                else None
            )
            company = app.findtext("ep:Company", namespaces=_NS) if app is not None else None
            return Meta(
                buyer=(company or "").strip(), date=iso_date(created), title=(title or "").strip(), source="document"
            )
        meta = z.parse_optional("meta.xml")
        created = meta.findtext(".//meta:creation-date", namespaces=_NS) if meta is not None else None
        return Meta(date=iso_date(created), source="document")


def _pdf_metadata(path: Path) -> Meta:
    from pypdf import PdfReader

    info = PdfReader(path).metadata
    if not info:
        return Meta()
    raw = info.get("/CreationDate")
    return Meta(date=iso_date(str(raw)) if raw else "", source="document")


def read_metadata_csv(path: Path) -> dict[str, Meta]:
    """Rows of a user's metadata CSV, keyed by resolved path (paths relative to the CSV's folder)."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as fh:
            reader = csv.DictReader(fh)
            fields = {f.strip().lower() for f in reader.fieldnames or []}
            if "path" not in fields:
                raise DataError("metadata CSV needs a 'path' column (and any of buyer, date, title)", path=path)
            out: dict[str, Meta] = {}
            for number, row in enumerate(reader, 2):
                row = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items()}
                if not row.get("path"):
                    continue
                when = iso_date(row.get("date", ""))
                if row.get("date") and not when:
                    raise DataError(f"date {row['date']!r} is not a date (use YYYY-MM-DD)", path=path, line=number)
                meta = Meta(buyer=row.get("buyer", ""), date=when, title=row.get("title", ""), source="csv")
                out[_key(row["path"], path.parent)] = meta
            return out
    except OSError as exc:
        raise DataError(f"cannot read the metadata CSV ({exc.strerror or exc})", path=path) from None
    except (UnicodeDecodeError, csv.Error) as exc:
        raise DataError(f"not a readable UTF-8 CSV ({exc})", path=path) from None


def _key(value: str, base: Path) -> str:
    outer, sep, inner = value.partition("!")  # a zip member: package.zip!member.docx
    p = Path(outer)
    resolved = str((p if p.is_absolute() else base / p).resolve())
    return resolved + sep + inner
