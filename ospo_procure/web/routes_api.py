"""The API for integrations: lint a file, build a tender. Documented on /api/docs (OpenAPI)."""

from __future__ import annotations

import shutil
from typing import Annotated, Any

from fastapi import APIRouter, File, Request, UploadFile
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from ospo_procure.errors import OspoError
from ospo_procure.web import engine
from ospo_procure.web.jobs import DONE, JobManager
from ospo_procure.web.routes_review import _attachment, safe_name

router = APIRouter(prefix="/api", tags=["api"])


class ApiError(BaseModel):
    """Every error: the one-line message the command line prints."""

    error: str


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ApiError, "description": "The server runs with --auth and no valid token was sent."},
    413: {"model": ApiError, "description": "The upload is over the size limit (the CLI's max_file_bytes)."},
    422: {"model": ApiError, "description": "The file or spec could not be used; `error` says why, in one line."},
}


@router.post(
    "/lint",
    summary="Lint one tender document",
    response_description="The report, exactly as `ospo-procure lint --format json` prints it (docs/json-format.md).",
    responses={200: {"content": {"application/json": {}}}, **ERRORS},
)
def lint(
    request: Request, file: Annotated[UploadFile, File(description="A .docx, .pdf, .odt, .txt or .md file.")]
) -> Response:
    """Lint the uploaded file for vendor lock-in and score it on the nine checklist criteria.

    A file that cannot be read (corrupt, encrypted, over a limit, unsupported type) gives 422 with
    the same one-line message the command line prints."""
    jobs: JobManager = request.app.state.jobs
    folder = jobs.new_folder()
    try:
        name = safe_name(file.filename or "document")
        with (folder / name).open("wb") as fh:
            shutil.copyfileobj(file.file, fh)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    job = jobs.run("api-lint", folder, engine.lint_file, name, None, label=name)
    if job.state != DONE:
        return _error(422, job.error or "the lint was stopped")
    review: engine.Review = job.result
    if review.error:
        return _error(422, review.error)
    return Response(review.outputs["json"], media_type="application/json")


@router.post(
    "/build",
    summary="Build a tender package from a spec",
    response_description="A zip of the tender documents (.docx and .pdf), scorecard.json, build-manifest.json and the spec.",
    responses={200: {"content": {"application/zip": {}}}, **ERRORS},
    openapi_extra={
        "requestBody": {
            "required": True,
            "description": "A tender spec (docs/tender-spec.md), as YAML or JSON.",
            "content": {
                "application/yaml": {"schema": {"type": "string"}},
                "application/json": {"schema": {"type": "object"}},
            },
        }
    },
)
async def build(request: Request) -> Response:
    """Assemble the terms of reference, contract annex and evaluation grid of a spec.

    A spec error gives 422 with the command line's message, which names the line:
    `spec.yaml:41: award_criteria: weights sum to 90, they must sum to 100`."""
    body = await request.body()
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError:
        return _error(422, "spec.yaml: not UTF-8 text")
    try:
        data = engine.parse_yaml(text)
    except OspoError as err:
        return _error(422, str(err))
    if not isinstance(data, dict):
        return _error(422, "spec.yaml:1: a tender spec is a YAML mapping (key: value lines)")
    jobs: JobManager = request.app.state.jobs
    # Build from the text as sent, so line numbers in errors match the caller's file.
    spec_text = text if not text.lstrip().startswith("{") else engine.dump_yaml(data)
    job = await run_in_threadpool(
        jobs.run, "api-build", jobs.new_folder(), engine.build_package, spec_text, label="spec.yaml"
    )
    if job.state != DONE:
        return _error(422, job.error or "the build was stopped")
    package: engine.Package = job.result
    return Response(
        package.zip_bytes, media_type="application/zip", headers={"Content-Disposition": _attachment("tender.zip")}
    )
