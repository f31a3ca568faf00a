"""From the PATHS a user gives to the things a scan lints.

`find_inputs` walks folders and globs cheaply (names and suffixes only) and sorts what it
finds into tender files, zip packages and OCDS files; `zip_items` and `ocds_items` open a
package or an OCDS file into items. The scan opens a container only when it changed since
the last scan, so an unchanged package costs one stat.
"""

from __future__ import annotations

import glob
from dataclasses import dataclass, field
from pathlib import Path

from ospo_procure.errors import InputError
from ospo_procure.limits import Limits
from ospo_procure.portfolio import archive, ocds
from ospo_procure.portfolio.records import CONTAINER, FILE, OCDS_DOCUMENT, OCDS_TEXT, ZIP_MEMBER, Item, Meta
from ospo_procure.readers import SUPPORTED

_GLOB_CHARS = set("*?[")


@dataclass
class Inputs:
    files: list[Path] = field(default_factory=list)
    archives: list[Path] = field(default_factory=list)
    ocds: list[Path] = field(default_factory=list)
    problems: list[Item] = field(default_factory=list)  # paths that match nothing / cannot be walked


def _classify(p: Path, out: Inputs, *, explicit: bool) -> None:
    suffix = p.suffix.lower()
    if archive.is_archive(p):
        out.archives.append(p)
    elif suffix in ocds.OCDS_SUFFIXES:
        # Named on the command line it must be OCDS (the scan says so if not); found in a
        # folder, other JSON (configs, exports) is not a tender.
        if explicit or ocds.looks_like_ocds(p):
            out.ocds.append(p)
    elif explicit or suffix in SUPPORTED:
        out.files.append(p)  # an unsupported file named explicitly gets the reader's clear refusal


def _walk(folder: Path, out: Inputs) -> None:
    try:
        entries = sorted(folder.rglob("*"))
    except OSError as exc:
        out.problems.append(_problem(folder, f"cannot list the folder ({exc.strerror or exc})"))
        return
    for f in entries:
        if any(part.startswith(".") for part in f.relative_to(folder).parts):
            continue  # .git, .venv, editor files
        if f.is_file():
            _classify(f, out, explicit=False)


def _problem(path: Path | str, message: str) -> Item:
    source = str(Path(path).absolute())
    return Item(source=source, kind=CONTAINER, path=source, error=message)


def find_inputs(paths: list[str | Path]) -> Inputs:
    """Folders, files and globs (quoted, so the shell leaves them to us: 'tenders/**/*.pdf')."""
    out = Inputs()
    for raw in map(str, paths):
        p = Path(raw)
        if p.is_dir():
            _walk(p, out)
        elif p.exists():
            _classify(p, out, explicit=True)
        elif _GLOB_CHARS & set(raw):
            matches = sorted(glob.glob(raw, recursive=True))
            if not matches:
                out.problems.append(_problem(raw, "no file matches this pattern"))
            for m in map(Path, matches):
                if m.is_dir():
                    _walk(m, out)
                elif m.is_file():
                    _classify(m, out, explicit=False)
        else:
            out.problems.append(_problem(raw, "no such file or folder; check the path"))
    for name in ("files", "archives", "ocds"):  # one entry per real file, however it was named
        found: list[Path] = getattr(out, name)
        setattr(out, name, list(dict.fromkeys(f.resolve() for f in found)))
    return out


def file_item(path: Path, meta: Meta | None = None, kind: str = FILE) -> Item:
    return Item(source=str(path), kind=kind, path=str(path), meta=meta or Meta())


def zip_items(path: Path, limits: Limits) -> list[Item]:
    """One item per lintable member; members that cannot be read carry their reason."""
    items: list[Item] = []
    try:
        for chain, problem in archive.list_members(path, limits):
            source = archive.member_source(str(path), chain)
            items.append(
                Item(
                    source=source,
                    kind=ZIP_MEMBER,
                    path=str(path),
                    member=chain,
                    container=str(path),
                    error=problem or "",
                )
            )
    except InputError as exc:
        return [Item(source=str(path), kind=CONTAINER, path=str(path), container=str(path), error=exc.message)]
    return items


def ocds_items(path: Path, limits: Limits) -> list[Item]:
    """A text item per contracting process with tender text, and a file item per local document."""
    try:
        tenders = ocds.read_tenders(path, limits)
    except InputError as exc:
        return [Item(source=str(path), kind=CONTAINER, path=str(path), container=str(path), error=exc.message)]
    items: list[Item] = []
    for n, t in enumerate(tenders, 1):
        if t.text:
            source = f"{path}#{t.ocid or f'release-{n}'}"
            items.append(
                Item(
                    source=source,
                    kind=OCDS_TEXT,
                    path=str(path),
                    container=str(path),
                    text=t.text,
                    language=t.language,
                    meta=t.meta,
                )
            )
        for doc in t.documents:
            items.append(
                Item(
                    source=str(doc),
                    kind=OCDS_DOCUMENT,
                    path=str(doc),
                    container=str(path),
                    language=t.language,
                    meta=t.meta,
                )
            )
    return items
