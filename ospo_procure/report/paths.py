"""The file paths a report carries: relative to the current folder unless asked otherwise.

A report is attached to a procurement file, committed next to the tenders, or uploaded to a
code-scanning service: the reviewer's home folder has no business in it, and a relative
path is what a repository's tooling can map back to its files. `with_report_paths` rewrites
every path a report shows (each file's, and each waiver file's) once, before any reporter
runs, so all formats agree; `--absolute-paths` asks for absolute ones instead.
"""

from __future__ import annotations

import dataclasses
import os

from ospo_procure.model import FileResult, Finding, LintRun, Waiver
from ospo_procure.scoring_model import Scorecard


def report_path(path: str, *, absolute: bool = False, base: str | None = None) -> str:
    """`path` relative to `base` (default: the current folder) when it lies inside it, else as
    given (a '../../x' says less than the path the user typed); absolute when asked."""
    try:
        base = base or os.getcwd()
    except OSError:  # the current folder was deleted: keep the path as given
        return path
    full = os.path.normpath(os.path.join(base, path))
    if absolute:
        return full
    try:
        relative = os.path.relpath(full, base)
    except ValueError:  # another drive (Windows): no relative path exists
        return path
    return relative if is_inside(relative) else path


def with_report_paths(run: LintRun, *, absolute: bool = False) -> LintRun:
    """The run with every path it shows made relative to the current folder (or absolute)."""
    try:
        base = os.getcwd()
    except OSError:
        return run

    def fix(path: str) -> str:
        return report_path(path, absolute=absolute, base=base)

    def fix_waiver(w: Waiver) -> Waiver:
        src = w.source
        if src is None or src.path is None:
            return w
        return dataclasses.replace(w, source=dataclasses.replace(src, path=fix(src.path)))

    def fix_file(fr: FileResult) -> FileResult:
        changed = {id(f): f.evolve(waiver=fix_waiver(f.waiver)) for f in fr.findings if f.waiver is not None}
        if not changed:
            return dataclasses.replace(fr, path=fix(fr.path), unused_waivers=[fix_waiver(w) for w in fr.unused_waivers])
        return dataclasses.replace(
            fr,
            path=fix(fr.path),
            findings=[changed.get(id(f), f) for f in fr.findings],
            scorecard=_with_findings(fr.scorecard, changed),
            unused_waivers=[fix_waiver(w) for w in fr.unused_waivers],
        )

    return LintRun([fix_file(fr) for fr in run.files], [fix_waiver(w) for w in run.unused_waivers])


def _with_findings(card: Scorecard | None, changed: dict[int, Finding]) -> Scorecard | None:
    """The scorecard pointing at the changed findings (reports link its items to the findings)."""
    if card is None:
        return None
    criteria = {
        n: dataclasses.replace(c, findings=tuple(changed.get(id(f), f) for f in c.findings))
        for n, c in card.criteria.items()
    }
    return dataclasses.replace(card, criteria=criteria)


def is_inside(path: str) -> bool:
    """A relative path that stays inside the current folder (no leading '..')."""
    return not os.path.isabs(path) and not os.path.normpath(path).startswith(os.pardir)
