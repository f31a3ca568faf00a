"""`build_tender`: spec + clause library + templates -> the tender documents, all or nothing."""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
import shutil
import socket
import stat
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ospo_procure.errors import UsageError
from ospo_procure.fsutil import check_not_input, current_umask
from ospo_procure.model import FileResult, Finding
from ospo_procure.paths import data_dir

from . import manifest as mf
from .clauses import Decision, check_selected, load_library, select
from .content import DocContent, assemble, marker_problems, split_paragraphs
from .country import Setup
from .finish import check_rendered, check_template, finish
from .render import TEMPLATE_NAMES, render_docx, template_path
from .selflint import (
    active,
    lint_files,
    scorecard_json,
    summary_lines,
)
from .spec import TenderSpec, load_spec

DOCX_OUTPUTS = {"tor": "terms_of_reference.docx", "contract": "contract_annex.docx", "grid": "evaluation_grid.docx"}
PDF_OUTPUT = "terms_of_reference.pdf"
MANIFEST = "build-manifest.json"
SCORECARD = "scorecard.json"
ALL_OUTPUTS = (*DOCX_OUTPUTS.values(), PDF_OUTPUT, SCORECARD, MANIFEST)
LINTED = ("terms_of_reference.docx", "contract_annex.docx")


@dataclass
class BuildResult:
    out_dir: Path
    outputs: list[Path]
    decisions: list[Decision]
    warnings: list[str] = field(default_factory=list)
    explain: list[str] = field(default_factory=list)
    lint_results: dict[str, FileResult] = field(default_factory=dict)
    lint_ran: bool = False
    manifest: dict[str, Any] = field(default_factory=dict)
    docs: dict[str, DocContent] = field(default_factory=dict, repr=False)

    @property
    def findings(self) -> list[Finding]:
        """Error-level, unwaived self-lint findings over the linted documents."""
        return [f for r in self.lint_results.values() for f in active(r.findings, "error")]

    @property
    def scorecard(self) -> Any:
        """The Terms of Reference scorecard (None when self-lint did not run)."""
        r = self.lint_results.get("terms_of_reference.docx")
        return r.scorecard if r else None

    def summary(self) -> list[str]:
        return summary_lines(self.lint_results) if self.lint_ran else ["self-lint skipped (--no-lint)"]


def _core_properties(spec: TenderSpec, heading: str, locale: str) -> dict[str, Any]:
    """Document metadata fixed by the spec (dated by its `date`), so two builds give the same bytes."""
    day = spec.issue_date()
    when = dt.datetime(day.year, day.month, day.day)
    return {
        "title": spec.data["title"],
        "subject": heading,
        "author": spec.data["agency"],
        "last_modified_by": "ospo-procure",
        "identifier": spec.data["reference"],
        "language": locale,
        "created": when,
        "modified": when,
        "revision": 1,
        "comments": "",
        "keywords": "",
    }


# long: and complex: the build's steps in order (stage, render, self-lint, move into place), each with its cleanup
def build_tender(
    spec_path: str | os.PathLike[str],
    out_dir: str | os.PathLike[str],
    *,
    clause_dir: str | os.PathLike[str] | None = None,
    template_dir: str | os.PathLike[str] | None = None,
    rules_dir: str | os.PathLike[str] | None = None,
    pdf: bool = False,
    strict: bool = False,
    explain: bool = False,
    lint: bool = True,
) -> BuildResult:
    """Build the tender documents of one spec into `out_dir`.

    Everything is generated in a staging folder beside `out_dir` and moved into place only
    when every step (including self-lint) succeeded; on error `out_dir` is left as it was.
    Raises DataError (bad spec, clause or template) or UsageError (bad output path).
    """
    from ospo_procure import __version__

    spec = load_spec(Path(spec_path))
    setup, warnings = spec.setup()
    library = load_library(Path(clause_dir) if clause_dir else data_dir("clause_library"))
    decisions, selection_warnings = select(library, spec, strict=strict)
    warnings += selection_warnings
    check_selected(decisions, spec)
    docs = assemble(spec, decisions, setup)
    for doc in docs.values():
        for section in doc.sections:
            for block in section.clauses:
                warnings += [f"clause {block.id!r} ({spec.language}): {p}" for p in marker_problems(block.paragraphs)]
    if lint:
        check_lintable(spec)
    tdir = Path(template_dir) if template_dir else data_dir("templates")
    templates = {name: template_path(tdir, name) for name in TEMPLATE_NAMES}

    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise UsageError("output path exists and is not a folder", path=out)
    inputs = [spec.path, *templates.values(), *(c.path for c in library.clauses.values())]
    for name in ALL_OUTPUTS:  # check before writing anything: never a half-done commit
        check_not_input(out / name, inputs)

    result = BuildResult(out, [], decisions, warnings, [d.explain() for d in decisions] if explain else [], docs=docs)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = staging_dir(out)
    try:
        written: dict[str, bytes] = {}
        for kind, name in DOCX_OUTPUTS.items():
            content = docs[kind]
            written[name] = render_docx(
                templates[name],
                content.context(),
                core=_core_properties(spec, content.heading, setup.locale),
                finish=functools.partial(_finish, template=templates[name], content=content, setup=setup),
            )
        if pdf:
            from .pdf import render_pdf

            written[PDF_OUTPUT] = render_pdf(docs["tor"], setup)
        for name, data in written.items():
            (staging / name).write_bytes(data)

        lint_info: dict[str, Any] | None = None
        if lint:
            result.lint_results = lint_files(
                {n: staging / n for n in LINTED},
                spec.language,
                spec=spec.path,
                rules_dir=Path(rules_dir) if rules_dir else None,
            )
            result.lint_ran = True
        if result.lint_ran:
            written[SCORECARD] = mf.dumps(scorecard_json(result.lint_results)).encode()
            (staging / SCORECARD).write_bytes(written[SCORECARD])
            sc = result.scorecard
            lint_info = {
                "errors": len(result.findings),
                "warnings": sum(len(active(r.findings, "warning")) for r in result.lint_results.values()),
                "overall": sc.overall if sc is not None else None,
            }
        manifest = mf.make_manifest(
            version=__version__,
            language=spec.language,
            spec_name=spec.path.name,
            spec_sha256=spec.sha256,
            decisions=decisions,
            docs=docs,
            templates={n: p.read_bytes() for n, p in templates.items()},
            outputs=written,
            lint=lint_info,
        )
        (staging / MANIFEST).write_text(mf.dumps(manifest), encoding="utf-8")
        result.manifest = manifest
        produced = [*written, MANIFEST]
        _commit(staging, out, produced)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    result.outputs = [out / n for n in produced]
    return result


def _finish(document: Any, *, template: Path, content: DocContent, setup: Setup) -> None:
    check_template(document, template)
    check_rendered(document, content, template)
    finish(document, setup, content)


def check_lintable(spec: TenderSpec) -> None:
    """Refuse, naming the spec line, officer text that self-lint would refuse (one giant paragraph)."""
    from ospo_procure.limits import Limits

    limit = Limits().max_block_chars
    fields: list[tuple[str, tuple[Any, ...]]] = [
        (p.text, ("background",)) for p in split_paragraphs(spec.data["background"])
    ]
    fields += [(text, ("needs", i)) for i, text in enumerate(spec.data.get("needs") or [])]
    for key in ("functional_requirements", "non_functional_requirements"):
        fields += [(r["text"], (key, i, "text")) for i, r in enumerate(spec.data.get(key) or [])]
    for text, at in fields:
        if len(text) > limit:
            raise spec.error(
                f"{'.'.join(map(str, at))}: a paragraph of {len(text):,} characters is over the self-lint limit of "
                f"{limit:,} (max_block_chars); split it with blank lines, or build with --no-lint",
                *at,
            )


STAGING_PREFIX = ".{name}.build-"


def staging_dir(out: Path) -> Path:
    """A fresh staging folder beside `out`, named after this host and process.

    A build killed outright (SIGKILL, power cut) cannot clean up after itself, so each build
    first removes the staging folders of earlier builds of the same `out` whose process is
    gone: only folders on this host, owned by this user, holding nothing but build outputs.
    """
    prefix = STAGING_PREFIX.format(name=out.name)
    host = re.sub(r"[^A-Za-z0-9]", "", socket.gethostname())[:24] or "host"
    for old in out.parent.glob(prefix + "*"):
        m = re.fullmatch(re.escape(prefix) + r"(?P<host>[A-Za-z0-9]*)-(?P<pid>\d+)-\w+", old.name)
        if m and m["host"] == host and not _alive(int(m["pid"])):
            _remove_stale(old)
    return Path(tempfile.mkdtemp(prefix=f"{prefix}{host}-{os.getpid()}-", dir=out.parent))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's live process
    return True


def _remove_stale(folder: Path) -> None:
    try:
        st = folder.lstat()
        if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.getuid():
            return
        names = {p.name for p in folder.iterdir()}
    except OSError:
        return
    if names <= set(ALL_OUTPUTS):
        shutil.rmtree(folder, ignore_errors=True)


def _commit(staging: Path, out: Path, produced: list[str]) -> None:
    """Move the finished files into `out`; a fresh `out` is a single atomic rename."""
    if not out.exists():
        os.chmod(staging, 0o777 & ~current_umask())  # mkdtemp makes it private; the result is an ordinary folder
        os.replace(staging, out)
        return
    for name in produced:
        os.replace(staging / name, out / name)
    for name in ALL_OUTPUTS:  # an old PDF or scorecard would not match this manifest
        if name not in produced and (out / name).is_file():
            (out / name).unlink()
