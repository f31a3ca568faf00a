"""Open Contracting (OCDS) release data as tenders to lint.

A release package (`{"releases": [...]}`), a record package (`{"records": [{"compiledRelease":
...}]}`), a single release, or JSON lines of any of these. For each contracting process
(ocid) the latest release that describes a tender is kept. Its tender title, description
and item descriptions become one text to lint, and its tender documents that are local
files (a `file:` URI or a path relative to the JSON file) are linted as files. Remote
documents are not fetched: a scan never goes on the network.

Metadata comes with each release: the buyer's name, the tender's date and title.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from ospo_procure.errors import InputError, LimitExceeded
from ospo_procure.limits import Limits
from ospo_procure.portfolio.metadata import iso_date
from ospo_procure.portfolio.records import Meta

OCDS_SUFFIXES = (".json", ".jsonl", ".ndjson")
_SNIFF = (b'"ocid"', b'"releases"', b'"records"')


@dataclass(frozen=True)
class Tender:
    ocid: str
    text: str  # title, description and item descriptions as paragraphs ("" when none)
    documents: tuple[Path, ...]  # local tender documents that exist
    language: str
    meta: Meta
    date: str  # the release date, to keep the latest release per ocid


def looks_like_ocds(path: Path) -> bool:
    """A cheap look at the first bytes: folders hold other JSON too (configs, exports)."""
    try:
        with path.open("rb") as fh:
            head = fh.read(8192)
    except OSError:
        return False
    return any(s in head for s in _SNIFF)


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _buyer(release: dict[str, Any]) -> str:
    buyer = release.get("buyer")
    if isinstance(buyer, dict) and _text(buyer.get("name")):
        return _text(buyer.get("name"))
    for party in release.get("parties") or []:
        if isinstance(party, dict) and "buyer" in (party.get("roles") or []) and _text(party.get("name")):
            return _text(party.get("name"))
    tender = release.get("tender") or {}
    entity = tender.get("procuringEntity") if isinstance(tender, dict) else None
    return _text(entity.get("name")) if isinstance(entity, dict) else ""


def _local_document(url: str, base: Path) -> Path | None:
    parsed = urlparse(url)
    if parsed.scheme == "file":
        candidate = Path(unquote(parsed.path))
    elif parsed.scheme or url.startswith("//"):
        return None  # http(s) and the like: never fetched
    else:
        candidate = Path(url) if Path(url).is_absolute() else base / url
    try:
        return candidate.resolve() if candidate.is_file() else None
    except OSError:
        return None


def tender_of(release: dict[str, Any], base: Path) -> Tender | None:
    """The lintable parts of one release, or None when it says nothing about a tender."""
    tender = release.get("tender")
    if not isinstance(tender, dict):
        return None
    ocid = _text(release.get("ocid")) or _text(tender.get("id"))
    paragraphs = [_text(tender.get("title")), _text(tender.get("description"))]
    for item in tender.get("items") or []:
        if isinstance(item, dict):
            paragraphs.append(_text(item.get("description")))
    docs: list[Path] = []
    for d in tender.get("documents") or []:
        if isinstance(d, dict) and _text(d.get("url")):
            local = _local_document(_text(d.get("url")), base)
            if local is not None and local not in docs:
                docs.append(local)
    period = tender.get("tenderPeriod")
    period = period if isinstance(period, dict) else {}
    date = iso_date(tender.get("datePublished")) or iso_date(period.get("startDate")) or iso_date(release.get("date"))
    meta = Meta(buyer=_buyer(release), date=date, title=_text(tender.get("title")), ocid=ocid, source="ocds")
    text = "\n\n".join(dict.fromkeys(p for p in paragraphs if p))  # a title repeated as description counts once
    if not text and not docs:
        return None
    lang = _text(release.get("language")).lower()[:2]
    return Tender(ocid, text, tuple(docs), lang, meta, iso_date(release.get("date")) or date)


def _releases(obj: Any) -> Iterator[dict[str, Any]]:
    if isinstance(obj, list):
        for x in obj:
            yield from _releases(x)
    elif isinstance(obj, dict):
        if isinstance(obj.get("releases"), list):
            yield from (r for r in obj["releases"] if isinstance(r, dict))
        elif isinstance(obj.get("records"), list):
            for rec in obj["records"]:
                if isinstance(rec, dict) and isinstance(rec.get("compiledRelease"), dict):
                    yield rec["compiledRelease"]
                elif isinstance(rec, dict) and isinstance(rec.get("releases"), list):
                    yield from (r for r in rec["releases"] if isinstance(r, dict) and "tender" in r)
        elif "ocid" in obj or "tender" in obj:
            yield obj


def _documents(path: Path, limits: Limits) -> Iterator[Any]:
    """Parsed JSON values: the whole file, or one per line for JSON lines."""
    lines = path.suffix.lower() in (".jsonl", ".ndjson")
    try:
        if not lines:
            if path.stat().st_size > limits.max_file_bytes:
                raise LimitExceeded(
                    f"OCDS file over the max_file_bytes limit of {limits.max_file_bytes / 2**20:.0f} MB; "
                    "split it or convert it to JSON lines (one release per line)",
                    path=path,
                )
            yield json.loads(path.read_bytes())
            return
        with path.open("rb") as fh:
            for number, line in enumerate(fh, 1):
                if len(line) > limits.max_file_bytes:
                    raise LimitExceeded(f"line {number} is over the max_file_bytes limit", path=path)
                if line.strip():
                    try:
                        yield json.loads(line)
                    except ValueError as exc:
                        raise InputError(f"line {number} is not valid JSON ({exc})", path=path) from None
    except ValueError as exc:  # whole-file JSON (UnicodeDecodeError is a ValueError too)
        raise InputError(f"not valid JSON ({exc})", path=path) from None
    except OSError as exc:
        raise InputError(f"cannot read the file ({exc.strerror or exc})", path=path) from None


def read_tenders(path: Path, limits: Limits) -> list[Tender]:
    """The latest tender description of each contracting process in an OCDS file."""
    latest: dict[str, Tender] = {}
    anonymous: list[Tender] = []
    seen_release = False
    for obj in _documents(path, limits):
        for release in _releases(obj):
            seen_release = True
            t = tender_of(release, path.parent)
            if t is None:
                continue
            if not t.ocid:
                anonymous.append(t)
            elif t.ocid not in latest or t.date >= latest[t.ocid].date:
                latest[t.ocid] = t
    if not seen_release:
        raise InputError("no OCDS releases or records found (expected a release or record package)", path=path)
    return [*latest.values(), *anonymous]
