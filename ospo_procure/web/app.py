"""The web application: `create_app()` assembles routes, middlewares and error pages.

`ospo-procure serve` runs it with uvicorn; tests drive it with the framework's test client.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware

from ospo_procure import __version__
from ospo_procure.web import engine, pages
from ospo_procure.web.jobs import JobManager
from ospo_procure.web.pages import Settings
from ospo_procure.web.security import BodyLimit, BodyTooLarge, SecurityHeaders, TokenAuth

log = logging.getLogger("ospo_procure.web")

API_DESCRIPTION = """Lint tender drafts and build tenders over HTTP.

Errors are JSON objects `{"error": "<one line>"}` with a 4xx status: the same one-line message
the command line prints. With `serve --auth`, send `Authorization: Bearer <token>`."""


def create_app(
    settings: Settings | None = None, *, allowed_hosts: list[str] | None = None, warm: bool = True
) -> FastAPI:
    settings = settings or Settings()
    jobs = JobManager(workers=settings.workers)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if warm:  # start the forkserver (which loads the linter) while the first page is read
            threading.Thread(target=jobs.warm, name="warm-up", daemon=True).start()
        yield

    app = FastAPI(
        title="ospo-procure",
        version=__version__,
        description=API_DESCRIPTION,
        docs_url=None,  # served by routes_pages.api_docs, with the assets bundled in the package
        redoc_url=None,
        openapi_url="/openapi.json",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.jobs = jobs
    app.mount("/static", StaticFiles(directory=pages.HERE / "static"), name="static")

    from ospo_procure.web import routes_api, routes_build, routes_pages, routes_review

    app.include_router(routes_review.router)
    app.include_router(routes_build.router)
    app.include_router(routes_pages.router)
    app.include_router(routes_api.router)
    _error_handlers(app)

    # Outermost first: headers on every response, then host check, auth, body cap.
    app.add_middleware(BodyLimit, limit=settings.upload_limit())
    app.add_middleware(TokenAuth, token=settings.token)
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts or ["*"])
    app.add_middleware(SecurityHeaders)
    return app


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _error_handlers(app: FastAPI) -> None:
    @app.exception_handler(BodyTooLarge)
    async def too_large(request: Request, exc: BodyTooLarge) -> Response:
        message = BodyLimit.message(request.app.state.settings.upload_limit())
        if _is_api(request):
            return JSONResponse({"error": message}, status_code=413, headers={"connection": "close"})
        return pages.render(request, "review_upload.html", status=413, error=message, notice=None)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(x) for x in first.get("loc", ()) if x not in ("body",))
        message = f"{where}: {first.get('msg', 'invalid request')}".strip(": ")
        return JSONResponse({"error": message}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if _is_api(request) or request.url.path == "/openapi.json":
            return JSONResponse({"error": str(exc.detail)}, status_code=exc.status_code)
        _ = pages.translator(request)
        generic = exc.status_code == 404 and exc.detail == "Not Found"
        message = _("This page does not exist.") if generic else str(exc.detail)
        return pages.render(request, "error.html", status=exc.status_code, message=message)

    @app.exception_handler(Exception)
    async def internal(request: Request, exc: Exception) -> Response:
        log.exception("internal error on %s", request.url.path)
        message = f"internal error ({type(exc).__name__}); please report it"
        if _is_api(request):
            return JSONResponse({"error": message}, status_code=500)
        return pages.render(request, "error.html", status=500, message=message)


def engine_ready() -> bool:
    """Used by `serve` to fail early (one line) when the bundled data cannot be loaded."""
    engine.criteria_titles("en")
    return True
