"""Clause text rendering in a Jinja sandbox, and docx template rendering with docxtpl.

Clause text is data written by the OSPO, so it gets the least power that does the job:
an immutable sandbox, no loader (no include/import/extends, so no file access at all),
StrictUndefined (a missing variable is an error, not an empty gap in a contract), and an
allow-list of template constructs (output, if, filters, comparisons) so no loop or string
multiplication can blow up memory or time.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
from jinja2 import meta, nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment, SandboxedEnvironment

from ospo_procure.errors import DataError

if TYPE_CHECKING:
    from .clauses import Clause

_ENV = ImmutableSandboxedEnvironment(undefined=jinja2.StrictUndefined, autoescape=False, loader=None)
_ALLOWED_NODES = (
    nodes.Template,
    nodes.Output,
    nodes.TemplateData,
    nodes.Name,
    nodes.Const,
    nodes.If,
    nodes.Filter,
    nodes.Test,
    nodes.Compare,
    nodes.Operand,
    nodes.And,
    nodes.Or,
    nodes.Not,
    nodes.CondExpr,
    nodes.Concat,
    nodes.List,
    nodes.Tuple,
    nodes.Getattr,
    nodes.Getitem,
    nodes.Add,
    nodes.Sub,
    nodes.Div,
    nodes.FloorDiv,
    nodes.Mod,
    nodes.Neg,
    nodes.Pos,
)
MAX_CLAUSE_CHARS = 50_000


def _fail(clause: Clause | None, at: tuple[str, str], message: str) -> DataError:
    where = ".".join(at)
    if clause is None:
        return DataError(f"{where}: {message}")
    return clause.error(f"{where}: {message}", *at)


@lru_cache(maxsize=4096)
def _parse(source: str) -> nodes.Template:
    return _ENV.parse(source)


def _checked_ast(source: str, clause: Clause | None, at: tuple[str, str]) -> nodes.Template:
    if len(source) > MAX_CLAUSE_CHARS:
        raise _fail(clause, at, f"text longer than {MAX_CLAUSE_CHARS} characters")
    try:
        ast = _parse(source)
    except jinja2.TemplateSyntaxError as exc:
        raise _fail(clause, at, f"template syntax error on line {exc.lineno} of the text: {exc.message}") from None
    for node in ast.find_all(nodes.Node):
        if not isinstance(node, _ALLOWED_NODES):
            raise _fail(
                clause,
                at,
                f"{type(node).__name__} is not allowed in clause text "
                "(use {{ variable }}, {% if %} and filters only)",
            )
    return ast


def variables_used(source: str, clause: Clause | None = None, at: tuple[str, str] = ("text", "?")) -> set[str]:
    """Names a clause text refers to (validated against the allow-list first)."""
    return set(meta.find_undeclared_variables(_checked_ast(source, clause, at)))


@lru_cache(maxsize=4096)
def _compile(source: str) -> jinja2.Template:
    return _ENV.from_string(source)


def render_text(
    source: str, variables: dict[str, Any], clause: Clause | None = None, at: tuple[str, str] = ("text", "?")
) -> str:
    _checked_ast(source, clause, at)
    try:
        return _compile(source).render(variables).strip()
    except jinja2.UndefinedError as exc:
        raise _fail(clause, at, f"undefined variable: {exc.message}") from None
    except jinja2.TemplateError as exc:
        raise _fail(clause, at, f"cannot render: {exc}") from None
    except (TypeError, ValueError, ZeroDivisionError) as exc:
        raise _fail(clause, at, f"cannot render: {exc}") from None


def render_clause(clause: Clause, language: str, variables: dict[str, Any]) -> tuple[str, str]:
    """(title, text) of a clause in one language, variables filled in."""
    title = render_text(clause.title[language], variables, clause, ("title", language))
    text = render_text(clause.text[language], variables, clause, ("text", language))
    return title, text


# ---------------------------------------------------------------- docx templates

TEMPLATE_NAMES = ("terms_of_reference.docx", "contract_annex.docx", "evaluation_grid.docx")
FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def template_path(folder: Path, name: str) -> Path:
    """Only the folder can change: the name must be one of the fixed template names."""
    if name not in TEMPLATE_NAMES:
        raise DataError(f"unknown template {name!r}")
    path = folder / name
    if not path.is_file():
        raise DataError(f"template {name} not found in {folder}", path=path)
    return path


def render_docx(
    template: Path,
    context: dict[str, Any],
    *,
    core: dict[str, Any],
    finish: Callable[[Any], None] | None = None,
) -> bytes:
    """Render a docxtpl template; return normalised bytes (fixed metadata and zip times).

    `finish` receives the rendered python-docx Document before it is saved (the build checks
    the template and sets language, paper and table of contents there).
    """
    from docxtpl import DocxTemplate

    try:
        tpl = DocxTemplate(str(template))
        # A template from a folder the user names is data too: docxtpl's default Jinja
        # environment is not sandboxed ("{{ ''.__class__.__mro__ }}" reaches any Python
        # class), so render in a sandbox. autoescape=True: agency names like "AT&T <ICT>"
        # must not corrupt the XML.
        tpl.render(context, jinja_env=SandboxedEnvironment(autoescape=True))
    except DataError:
        raise
    except jinja2.TemplateError as exc:
        raise DataError(
            f"template error: {getattr(exc, 'message', None) or exc}", path=template, line=getattr(exc, "lineno", None)
        ) from None
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise DataError(f"not a usable .docx template ({exc})", path=template) from None
    if finish is not None:
        finish(tpl.docx)
    props = tpl.docx.core_properties
    for key, value in core.items():
        setattr(props, key, value)
    buf = io.BytesIO()
    tpl.save(buf)
    return normalise_zip(buf.getvalue())


def normalise_zip(data: bytes) -> bytes:
    """Rewrite a zip with fixed member times so equal content gives equal bytes."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o644 << 16
            dst.writestr(member, src.read(info.filename))
    return out.getvalue()
