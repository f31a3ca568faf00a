"""Review a draft: upload, progress (with cancel), findings on the text, scorecard, downloads, waivers."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import unicodedata
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException

from ospo_procure.errors import OspoError
from ospo_procure.i18n import N_
from ospo_procure.web import engine, pages, views
from ospo_procure.web.jobs import CANCELLED, DONE, FAILED, RUNNING, Job, JobManager
from ospo_procure.web.security import CSRF_FIELD, csrf_ok

router = APIRouter(include_in_schema=False)
STAGES = [
    ("queued", N_("Waiting for a free worker")),
    ("reading", N_("Reading the document and looking for lock-in")),
    ("reports", N_("Preparing the PDF report and SARIF")),
    ("annotating", N_("Writing the annotated Word copy")),
]
CATEGORY_NAMES = {
    "brand": N_("Brand names"),
    "per_user_licensing": N_("Per-user licensing"),
    "proprietary_format": N_("Proprietary formats"),
    "proprietary_technology": N_("Proprietary technology"),
    "vendor_certification": N_("Vendor certification"),
    "sole_source": N_("Sole sourcing"),
    "ip_retained_by_vendor": N_("Vendor keeps the IP"),
    "no_source_code": N_("No source code"),
}
DOWNLOADS = {
    # kind: (media type, file name suffix)
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".reviewed.docx"),
    "pdf": ("application/pdf", ".review.pdf"),
    "sarif": ("application/sarif+json", ".sarif"),
    "json": ("application/json", ".review.json"),
}


def safe_name(filename: str) -> str:
    """A file name safe to create in the job folder that still reads like the original."""
    name = unicodedata.normalize("NFC", filename.replace("\\", "/").rsplit("/", 1)[-1])
    name = re.sub(r"[^\w .,()+-]", "_", name).strip(" .")
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = name, ""
    stem = stem[:80] or "document"
    return f"{stem}.{suffix[:10].lower()}" if suffix else stem


def _jobs(request: Request) -> JobManager:
    jobs: JobManager = request.app.state.jobs
    return jobs


def _job(request: Request, job_id: str) -> Job:
    job = _jobs(request).get(job_id)
    if job is None or job.kind != "lint":
        _ = pages.translator(request)
        raise HTTPException(
            404,
            _("This review is no longer available: results are kept in memory for 30 minutes. Upload the file again."),
        )
    return job


def _url(request: Request, path: str) -> str:
    return request.scope.get("root_path", "") + path


def _upload_page(
    request: Request, *, error: str | None = None, notice: str | None = None, status: int = 200
) -> Response:
    return pages.render(request, "review_upload.html", status=status, error=error, notice=notice)


@router.get("/")
def home(request: Request) -> Response:
    return _upload_page(request)


@router.post("/review")
async def submit(request: Request) -> Response:
    _ = pages.translator(request)
    form = await request.form()
    if not csrf_ok(request, form.get(CSRF_FIELD)):
        return _upload_page(request, error=_("The form had expired. Choose the file again."), status=403)
    upload = form.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        return _upload_page(request, error=_("Choose a file to review first."), status=422)
    jobs = _jobs(request)
    folder = jobs.new_folder()
    try:
        name = safe_name(upload.filename)
        await run_in_threadpool(_save, upload, folder / name)
        waiver = form.get("waivers")
        waiver_name = None
        if isinstance(waiver, UploadFile) and waiver.filename:
            waiver_name = "ospo-waivers.yaml"
            await run_in_threadpool(_save, waiver, folder / waiver_name)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    finally:
        await form.close()
    job = jobs.submit("lint", folder, engine.lint_file, name, waiver_name, label=name)
    return RedirectResponse(_url(request, f"/review/{job.id}"), status_code=303)


def _save(upload: UploadFile, path: Path) -> None:
    with path.open("wb") as fh:
        shutil.copyfileobj(upload.file, fh)


def _progress_context(request: Request, job: Job) -> dict[str, Any]:
    import time

    current = job.stage or ("reading" if job.state == RUNNING else "queued")
    names = [s for s, _ in STAGES]
    at = names.index(current) if current in names else 0
    steps = [
        {"label": label, "state": "done" if i < at else ("current" if i == at else "todo")}
        for i, (_, label) in enumerate(STAGES)
        if not (_ == "annotating" and not job.label.lower().endswith(".docx"))
    ]
    return {"job": job, "steps": steps, "elapsed": int(time.monotonic() - job.started)}


@router.get("/review/{job_id}")
def review(request: Request, job_id: str) -> Response:
    job = _job(request, job_id)
    _ = pages.translator(request)
    if job.state == CANCELLED:
        return _upload_page(request, notice=_("The review was cancelled."))
    if job.state == FAILED:
        return _upload_page(request, error=job.error, status=422)
    if job.state != DONE:
        return pages.render(request, "review_progress.html", **_progress_context(request, job))
    result: engine.Review = job.result
    if result.error:
        return _upload_page(request, error=result.error, status=422)
    return _result_page(request, job)


def _result_page(
    request: Request, job: Job, *, status: int = 200, waive_error: tuple[str, str] | None = None, waive_form: Any = None
) -> Response:
    _ = pages.translator(request)
    result: engine.Review = job.result
    filters = views.Filters.from_query(request.query_params, request.query_params.getlist)
    page = views.review_page(result, filters)
    lang, _chosen = pages.negotiate(request)
    titles = engine.criteria_titles(lang)
    return pages.render(
        request,
        "review_result.html",
        status=status,
        job=job,
        review=result,
        page=page,
        filters=filters,
        chart=views.chart(page.criteria, titles),
        titles=titles,
        downloads=[k for k in DOWNLOADS if k in result.outputs],
        waiver_yaml=engine.waiver_file(job.waivers) if job.waivers else "",
        today=dt.date.today().isoformat(),
        vocab=engine.vocabulary(),
        location_label=engine.location_label,
        category_names={k: _(v) for k, v in CATEGORY_NAMES.items()},
        waive_error=waive_error,
        waive_form=waive_form or {},
        drafted=request.query_params.get("drafted", ""),
    )


@router.get("/review/{job_id}/status")
def status(request: Request, job_id: str) -> Response:
    """The progress fragment that htmx polls; when the job is over, send the browser to its page."""
    job = _job(request, job_id)
    if job.done_event.is_set():
        return Response(status_code=204, headers={"HX-Redirect": _url(request, f"/review/{job.id}")})
    return pages.render(request, "_progress.html", **_progress_context(request, job))


@router.post("/review/{job_id}/cancel")
async def cancel(request: Request, job_id: str) -> Response:
    job = _job(request, job_id)
    form = await request.form()
    if not csrf_ok(request, form.get(CSRF_FIELD)):
        raise HTTPException(403, "the form had expired; reload the page")
    _jobs(request).cancel(job.id)
    await run_in_threadpool(job.done_event.wait, 10)
    return RedirectResponse(_url(request, f"/review/{job.id}"), status_code=303)


@router.get("/review/{job_id}/download/{kind}")
def download(request: Request, job_id: str, kind: str) -> Response:
    job = _job(request, job_id)
    result: engine.Review | None = job.result if job.state == DONE else None
    if result is None or kind not in DOWNLOADS or kind not in result.outputs:
        raise HTTPException(404, "no such download")
    media, suffix = DOWNLOADS[kind]
    name = Path(result.filename).stem + suffix
    return Response(result.outputs[kind], media_type=media, headers={"Content-Disposition": _attachment(name)})


def _attachment(name: str) -> str:
    from urllib.parse import quote

    ascii_name = name.encode("ascii", "replace").decode().replace("?", "_").replace('"', "_")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"


@router.post("/review/{job_id}/waive")
async def waive(request: Request, job_id: str) -> Response:
    """Draft the waiver-file entry for one finding (it is saved by downloading the waiver file)."""
    job = _job(request, job_id)
    form = await request.form()
    if not csrf_ok(request, form.get(CSRF_FIELD)) or job.state != DONE:
        raise HTTPException(403, "the form had expired; reload the page")
    result: engine.Review = job.result
    number = str(form.get("finding", ""))
    findings = result.file["findings"]
    if not number.isdigit() or not 1 <= int(number) <= len(findings):
        raise HTTPException(404, "no such finding")
    finding = findings[int(number) - 1]
    folder = _jobs(request).new_folder()
    try:
        entry = engine.waiver_entry(
            rule=finding["rule"],
            match=finding["match"],
            files=Path(result.filename).name,
            justification=str(form.get("justification", "")),
            approved_by=str(form.get("approved_by", "")),
            approved_on=str(form.get("approved_on", "")),
            folder=folder,
        )
    except OspoError as err:
        return _result_page(request, job, status=422, waive_error=(number, err.message), waive_form=form)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    job.waivers.append(entry)
    return RedirectResponse(_url(request, f"/review/{job.id}?drafted={number}#waivers"), status_code=303)


@router.get("/review/{job_id}/waivers.yaml")
def waiver_download(request: Request, job_id: str) -> Response:
    job = _job(request, job_id)
    if not job.waivers:
        raise HTTPException(404, "no waiver drafted in this review yet")
    return Response(
        engine.waiver_file(job.waivers),
        media_type="application/yaml",
        headers={"Content-Disposition": _attachment("ospo-waivers.yaml")},
    )
