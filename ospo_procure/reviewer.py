"""The project's own configuration: its data folders, where waivers come from, and whose
in-document waivers count. One discovery serves every command (lint, rules, clauses, build, scan).

A tender is written by someone else (the party whose lock-in is being reviewed); the tool is
run by the reviewer. Anything that can silence a finding must therefore come from the
reviewer, never from the reviewed files: waiver files are found from the reviewer's project
(upward from the current folder, like git and ruff find theirs) or named with `--waivers`,
never picked up beside an input.

The project root is the first folder, from the current one upward, that holds one of
  * `.ospo-procure.toml` (keys at top level),
  * `pyproject.toml` with a `[tool.ospo-procure]` table,
  * `ospo-waivers.yaml` (a waiver file alone; no other settings),
  * a `lint_rules/` or `clause_library/` folder (an OSPO's checkout of its data).
Keys:
  waivers = "ospo-waivers.yaml"        # or a list; relative to the configuration file
  trust-document-waivers = false       # honour "ospo-procure: allow ..." comments and markers
  waiver-authors = ["Legal unit"]      # honour Word/ODF comment waivers by these authors only
  lint-rules = "lint_rules"            # the rule folder (default: lint_rules/ beside the file, if any)
  clause-library = "clause_library"    # the clause library (default: clause_library/ beside it, if any)
Data folders that the project does not have come from the installed package (paths.py).

A project root that directly holds one of the files being linted is a folder of received
documents, not a reviewer's project (a tender shipped with its own `ospo-waivers.yaml` or
`.ospo-procure.toml`): its configuration is not used, and the run says so.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ospo_procure.errors import DataError
from ospo_procure.termsafe import display_path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

CONFIG_NAME = ".ospo-procure.toml"
PYPROJECT = "pyproject.toml"
WAIVER_FILE_NAME = "ospo-waivers.yaml"
_MAX_CONFIG_BYTES = 1024 * 1024
_KEYS = ("waivers", "trust-document-waivers", "waiver-authors", "lint-rules", "clause-library")
# Data folders a project may hold, by the name paths.data_dir knows them, with their config key.
DATA_FOLDERS = {"lint_rules": "lint-rules", "clause_library": "clause-library"}


@dataclass(frozen=True)
class ReviewerConfig:
    """Settings that decide which waivers are honoured. The default trusts nothing."""

    root: Path | None = None  # the project root (None: none found, or not used)
    source: Path | None = None  # the file the settings came from
    waiver_files: tuple[Path, ...] = ()
    trust_document_waivers: bool = False
    waiver_authors: frozenset[str] = frozenset()  # normalised with `author_key`
    notes: tuple[str, ...] = field(default=(), compare=False)  # what the run should tell the user
    data: tuple[tuple[str, Path], ...] = ()  # the project's data folders: ("lint_rules", path)...

    def data_folder(self, name: str) -> Path | None:
        """The project's folder for `name` ("lint_rules", "clause_library"), or None."""
        return dict(self.data).get(name)

    @property
    def files_read(self) -> tuple[Path, ...]:
        """Every configuration and waiver file in use (never to be overwritten by an output)."""
        return tuple(p for p in (self.source, *self.waiver_files) if p is not None)


def author_key(name: str | None) -> str:
    """Comment authors compare without case and extra spaces."""
    return " ".join((name or "").split()).casefold()


def find_project_root(start: Path | None = None) -> tuple[Path, Path] | None:
    """(root folder, the file that marks it), searching from `start` (default: cwd) upward."""
    try:
        here = (start or Path.cwd()).absolute()
    except OSError:  # the current folder was deleted: there is no project to find
        return None
    for folder in (here, *here.parents):
        for name in (CONFIG_NAME, PYPROJECT, WAIVER_FILE_NAME, *DATA_FOLDERS):
            marker = folder / name
            try:
                if not (marker.is_dir() if name in DATA_FOLDERS else marker.is_file()):
                    continue
            except OSError:
                continue
            if name == PYPROJECT and not _has_tool_table(marker):
                continue
            return folder, marker
    return None


def _default_data(root: Path) -> tuple[tuple[str, Path], ...]:
    """The data folders a project root holds under their usual names."""
    out = []
    for name in DATA_FOLDERS:
        with contextlib.suppress(OSError):
            if (root / name).is_dir():
                out.append((name, root / name))
    return tuple(out)


def _read(path: Path) -> bytes:
    from ospo_procure.fsutil import NotRegularFile, TooLarge, read_regular

    try:
        return read_regular(path, _MAX_CONFIG_BYTES)
    except NotRegularFile as exc:
        raise DataError(f"is {exc.kind}, not a regular file", path=path) from None
    except TooLarge:
        raise DataError("configuration file larger than 1 MB", path=path) from None
    except OSError as exc:
        raise DataError(f"cannot read ({exc.strerror or exc})", path=path) from None


def _has_tool_table(pyproject: Path) -> bool:
    # Cheap test first: an unrelated project's pyproject.toml is never parsed (nor blamed).
    try:
        return b"tool.ospo-procure" in _read(pyproject)
    except DataError:
        return False


def _parse(path: Path) -> dict[str, Any]:
    raw = _read(path)
    try:
        data = tomllib.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise DataError("not UTF-8 text", path=path) from None
    except tomllib.TOMLDecodeError as exc:
        raise DataError(f"invalid TOML: {exc}", path=path) from None
    if path.name == PYPROJECT:
        table = data.get("tool", {}).get("ospo-procure", {})
        if not isinstance(table, dict):
            raise DataError("[tool.ospo-procure] must be a table", path=path)
        return table
    return data


def _line_of(path: Path, key: str) -> int | None:
    try:
        for number, line in enumerate(_read(path).decode("utf-8-sig", "replace").splitlines(), start=1):
            if line.strip().startswith(key):
                return number
    except DataError:
        return None
    return None


def load_config(path: Path) -> ReviewerConfig:
    """Settings from a `.ospo-procure.toml` or a `pyproject.toml`; DataError naming the file and key."""
    table = _parse(path)
    for key in table:
        if key not in _KEYS:
            raise DataError(f"unknown key {key!r} (allowed: {', '.join(_KEYS)})", path=path, line=_line_of(path, key))
    waivers = table.get("waivers", [])
    if isinstance(waivers, str):
        waivers = [waivers]
    if not isinstance(waivers, list) or not all(isinstance(w, str) and w for w in waivers):
        raise DataError("waivers must be a file name or a list of them", path=path, line=_line_of(path, "waivers"))
    trust = table.get("trust-document-waivers", False)
    if not isinstance(trust, bool):
        raise DataError(
            "trust-document-waivers must be true or false", path=path, line=_line_of(path, "trust-document-waivers")
        )
    authors = table.get("waiver-authors", [])
    if not isinstance(authors, list) or not all(isinstance(a, str) and a.strip() for a in authors):
        raise DataError("waiver-authors must be a list of names", path=path, line=_line_of(path, "waiver-authors"))
    base = path.parent
    files = [base / w for w in waivers]
    if not waivers and (base / WAIVER_FILE_NAME).is_file():
        files = [base / WAIVER_FILE_NAME]
    return ReviewerConfig(
        root=base,
        source=path,
        waiver_files=tuple(files),
        trust_document_waivers=trust,
        waiver_authors=frozenset(author_key(a) for a in authors),
        data=_configured_data(path, table),
    )


def _configured_data(path: Path, table: dict[str, Any]) -> tuple[tuple[str, Path], ...]:
    """The data folders a configuration names (which must exist), else the usual ones beside it."""
    data = dict(_default_data(path.parent))
    for name, key in DATA_FOLDERS.items():
        value = table.get(key)
        if value is None:
            continue
        if not isinstance(value, str) or not value:
            raise DataError(f"{key} must be a folder name", path=path, line=_line_of(path, key))
        folder = path.parent / value
        if not folder.is_dir():
            raise DataError(f"{key}: folder {value!r} not found", path=path, line=_line_of(path, key))
        data[name] = folder
    return tuple(data.items())


def discover(start: Path | None = None) -> ReviewerConfig:
    """The configuration of the project the reviewer is working in (cwd upward), or the default."""
    found = find_project_root(start)
    if found is None:
        return ReviewerConfig()
    root, marker = found
    if marker.name == WAIVER_FILE_NAME:
        return ReviewerConfig(root=root, waiver_files=(marker,), data=_default_data(root))
    if marker.name in DATA_FOLDERS:
        return ReviewerConfig(root=root, data=_default_data(root))
    return load_config(marker)


def _holds(folder: Path, path: Path) -> bool:
    try:
        return path.absolute().parent.resolve() == folder.resolve()
    except (OSError, RuntimeError):
        return False


def for_inputs(config: ReviewerConfig, inputs: Iterable[Path]) -> ReviewerConfig:
    """`config`, unless its project root directly holds one of the inputs (then a note, and nothing)."""
    if config.root is None:
        return config
    beside = next((p for p in inputs if _holds(config.root, p)), None)
    if beside is None:
        return config
    if config.source is not None:
        what = config.source.name
    elif config.waiver_files:
        what = WAIVER_FILE_NAME
    else:
        what = config.data[0][0] + "/"
    note = (
        f"{display_path(config.root / what)} sits beside the linted file {display_path(beside)}: "
        "settings, rules and waivers shipped with a received document could silence its findings, so they "
        "are not used; keep received files in their own folder, or pass --waivers FILE / --rules DIR"
    )
    return ReviewerConfig(notes=(note,))


def reviewer_config(
    inputs: Iterable[Path],
    *,
    waiver_file: Path | None = None,
    trust_document_waivers: bool = False,
    start: Path | None = None,
    discover_project: bool = True,
) -> ReviewerConfig:
    """The configuration for one run: discovered from `start` (cwd), then the command-line options.

    `--waivers FILE` replaces the project's waiver files (the reviewer named it), and
    `--trust-document-waivers` adds to the project's trust.
    """
    config = for_inputs(discover(start), list(inputs)) if discover_project else ReviewerConfig()
    files = (waiver_file,) if waiver_file is not None else config.waiver_files
    notes = config.notes
    if files:
        notes = (*notes, "waivers from " + ", ".join(display_path(f) for f in files))
    return ReviewerConfig(
        root=config.root,
        source=config.source,
        waiver_files=files,
        trust_document_waivers=config.trust_document_waivers or trust_document_waivers,
        waiver_authors=config.waiver_authors,
        notes=notes,
        data=config.data,
    )


def files_in_use(config: ReviewerConfig, rules_dir: Path | None = None) -> list[tuple[Path, str]]:
    """The data files a lint run reads, each with what it is, so no output may replace them."""
    out: list[tuple[Path, str]] = []
    if config.source is not None:
        out.append((config.source, "the configuration file in use"))
    out.extend((w, "a waiver file in use") for w in config.waiver_files)
    if rules_dir is not None:
        with contextlib.suppress(OSError):
            out.extend((f, "a rule file in use") for f in sorted(Path(rules_dir).rglob("*.y*ml")))
    return out
