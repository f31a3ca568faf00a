"""Build a tender: a form generated from the spec schema, the CLI's checks beside the fields,
a preview of the clause selection (`build --explain`), the package (.zip) and the spec (YAML)."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Mapping
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from ospo_procure.errors import OspoError
from ospo_procure.i18n import N_
from ospo_procure.web import engine, forms, pages
from ospo_procure.web.jobs import DONE, JobManager
from ospo_procure.web.routes_review import _attachment
from ospo_procure.web.security import CSRF_FIELD, csrf_ok

router = APIRouter(include_in_schema=False)
PROCUREMENT_TYPES = {
    "custom_development": N_("Custom development"),
    "oss_implementation": N_("Implementation of an open-source solution"),
    "support_maintenance": N_("Support and maintenance"),
    "software_subscription": N_("Software subscription"),
}
HOSTING = {
    "agency": N_("The agency, on its own infrastructure"),
    "contractor": N_("The contractor"),
    "cloud": N_("A cloud provider"),
}
DOCUMENTS = {"tor": N_("Terms of reference"), "contract": N_("Contract annex"), "grid": N_("Evaluation grid")}


def _options(_: Callable[[str], str]) -> dict[str, list[tuple[str, str]]]:
    return {
        "language": list(pages.LANGUAGE_NAMES.items()),
        "procurement_type": [(k, _(v)) for k, v in PROCUREMENT_TYPES.items()],
        "hosting": [(k, _(v)) for k, v in HOSTING.items()],
        "licence": [(k, f"{k} — {v}") for k, v in engine.licence_names().items()],
    }


def _parse_mapping(text: str) -> Any:
    try:
        value = engine.parse_yaml(text, name="variables")
    except OspoError:
        return text  # the schema check then names the field
    return value if isinstance(value, dict) else text


def _defaults(lang: str) -> dict[str, Any]:
    return {"language": lang, "procurement_type": "custom_development", "licence": "EUPL-1.2", "hosting": "agency"}


def _page(
    request: Request,
    values: Mapping[str, Any],
    *,
    problems: list[engine.SpecProblem] | None = None,
    preview: tuple[list[engine.ClauseDecision], list[str]] | None = None,
    error: str | None = None,
    status: int = 200,
    extra_rows: Mapping[str, int] | None = None,
) -> Response:
    _ = pages.translator(request)
    groups = forms.build_form(engine.spec_schema(), values, _options(_), extra_rows)
    loose = forms.attach_errors(groups, [(p.at, p.message) for p in problems or []])
    fields_with_errors = [f for f in forms.all_fields(groups) if f.error]
    return pages.render(
        request,
        "build.html",
        status=status,
        groups=groups,
        display=forms.display,
        problems=problems or [],
        loose=loose,
        error_fields=fields_with_errors,
        preview=preview,
        error=error,
        examples=list(engine.example_specs()),
        documents=DOCUMENTS,
    )


@router.get("/build")
def build_form(request: Request) -> Response:
    lang, _chosen = pages.negotiate(request)
    example = request.query_params.get("example", "")
    specs = engine.example_specs()
    if example in specs:
        try:
            values = engine.parse_yaml(specs[example].read_text(encoding="utf-8"), name=specs[example].name)
        except OspoError as err:
            return _page(request, _defaults(lang), error=str(err), status=422)
        return _page(request, values)
    return _page(request, _defaults(lang))


@router.post("/build/load")
async def load_spec(request: Request) -> Response:
    """Fill the form from a saved spec (YAML or JSON)."""
    _ = pages.translator(request)
    lang, _chosen = pages.negotiate(request)
    form = await request.form()
    try:
        if not csrf_ok(request, form.get(CSRF_FIELD)):
            return _page(request, _defaults(lang), error=_("The form had expired. Try again."), status=403)
        upload = form.get("spec")
        if not isinstance(upload, UploadFile) or not upload.filename:
            return _page(request, _defaults(lang), error=_("Choose a spec file first."), status=422)
        raw = await upload.read()
        name = re.sub(r"[^\w.-]", "_", upload.filename.rsplit("/", 1)[-1])[:80] or "spec.yaml"
    finally:
        await form.close()
    try:
        values = engine.parse_yaml(raw.decode("utf-8-sig"), name=name)
    except UnicodeDecodeError:
        return _page(request, _defaults(lang), error=f"{name}: not UTF-8 text", status=422)
    except OspoError as err:
        return _page(request, _defaults(lang), error=str(err), status=422)
    if not isinstance(values, dict):
        return _page(
            request, _defaults(lang), error=f"{name}:1: a tender spec is a YAML mapping (key: value lines)", status=422
        )
    return _page(request, values)


@router.post("/build")
async def build_action(request: Request) -> Response:
    _ = pages.translator(request)
    raw_form = await request.form()
    form = {k: v for k, v in raw_form.items() if isinstance(v, str)}
    schema = engine.spec_schema()
    values = forms.spec_from_form(schema, form, _parse_mapping)
    if not csrf_ok(request, form.get(CSRF_FIELD)):
        return _page(request, values, error=_("The form had expired. Check the fields and try again."), status=403)
    action = form.get("action", "check")
    if form.get("add_row"):
        return _page(request, values, extra_rows=forms.rows_requested(form))
    if action == "spec":
        text = engine.dump_yaml(values)
        return Response(
            _spec_header(_) + text,
            media_type="application/yaml",
            headers={"Content-Disposition": _attachment(f"{_slug(values)}.yaml")},
        )
    jobs: JobManager = request.app.state.jobs
    problems, preview = await run_in_threadpool(_check, jobs, values)
    if problems or preview is None:
        return _page(request, values, problems=problems, status=422)
    if action != "package":
        return _page(request, values, preview=preview)
    job = await run_in_threadpool(
        jobs.run, "build", jobs.new_folder(), engine.build_package, engine.dump_yaml(values), label=_slug(values)
    )
    if job.state != DONE:
        return _page(request, values, preview=preview, error=job.error or _("The build was stopped."), status=422)
    package: engine.Package = job.result
    return Response(
        package.zip_bytes,
        media_type="application/zip",
        headers={"Content-Disposition": _attachment(f"{_slug(values)}.zip")},
    )


def _check(
    jobs: JobManager, values: dict[str, Any]
) -> tuple[list[engine.SpecProblem], tuple[list[engine.ClauseDecision], list[str]] | None]:
    """The CLI's checks of the spec, then (when it passes) the clause selection."""
    folder = jobs.new_folder()
    try:
        problems = engine.check_spec(values, folder)
        return problems, None if problems else engine.preview(values, folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _slug(values: Mapping[str, Any]) -> str:
    ref = str(values.get("reference") or values.get("title") or "tender")
    return "tender-" + (re.sub(r"[^A-Za-z0-9]+", "-", ref).strip("-")[:60] or "spec")


def _spec_header(_: Callable[[str], str]) -> str:
    return (
        "# "
        + _("Tender spec written by the ospo-procure web page. Rebuild it with:")
        + "\n#   ospo-procure build spec.yaml -o out/ --pdf --explain\n"
    )
