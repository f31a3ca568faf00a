"""Locate the data folders: the bundled ones (lint_rules/, clause_library/, templates/,
examples/), and, for the data an OSPO edits, the project's own copy (`data_source`).

In a checkout (and an editable install) the bundled folders sit beside the package; in a
wheel they are installed inside it as ``ospo_procure/data/<name>`` (see pyproject's
force-include).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

_PACKAGE = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    for candidate in (_PACKAGE / "data" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"bundled data folder {name!r} not found (broken installation?)")


def cache_dir() -> Path:
    """Where derived data is cached (lemma tables, validated rule folders); safe to delete."""
    base = os.environ.get("OSPO_PROCURE_CACHE") or os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "ospo-procure"


# -- which data a command uses: the user's option, the project's folder, or the bundled copy


@dataclass(frozen=True)
class DataSource:
    """The data folder a command uses and why: named with an option, found in the project
    (reviewer.py's discovery: `./lint_rules`, `./clause_library` or a configured path, from
    the current folder upward), or the copy installed with the package."""

    name: str  # "lint_rules" | "clause_library"
    path: Path
    origin: Literal["option", "project", "bundled"]

    @property
    def shown(self) -> str:
        """The folder as a report's metadata names it: 'lint_rules/', or 'bundled'."""
        from ospo_procure.termsafe import display_path

        return "bundled" if self.origin == "bundled" else display_path(_relative(self.path)).rstrip("/") + "/"

    def describe(self) -> str:
        """One line for stderr: 'lint rules: lint_rules/ (this project's)'."""
        from ospo_procure import __version__

        what = _WHAT[self.name]
        if self.origin == "bundled":
            return f"{what}: bundled with ospo-procure {__version__} (no {self.name}/ from the current folder upward)"
        why = f"given with {_OPTION[self.name]}" if self.origin == "option" else "this project's"
        return f"{what}: {self.shown} ({why})"


_WHAT = {"lint_rules": "lint rules", "clause_library": "clause library"}
_OPTION = {"lint_rules": "--rules", "clause_library": "--clauses"}


def _relative(path: Path) -> Path:
    """Relative to the current folder when inside it, else as it is (reports do the same)."""
    from ospo_procure.report.paths import report_path

    return Path(report_path(str(path)))


def data_source(name: str, explicit: str | os.PathLike[str] | None = None, project: Any = None) -> DataSource:
    """The folder for `name`: `explicit` (an option), else the project's (a `ReviewerConfig`, or
    discovered from the current folder when None), else the bundled one."""
    if explicit is not None:
        return DataSource(name, Path(explicit), "option")
    if project is None:
        from ospo_procure.reviewer import discover

        project = discover()
    found = project.data_folder(name)
    if found is not None:
        return DataSource(name, Path(found), "project")
    return DataSource(name, data_dir(name), "bundled")
