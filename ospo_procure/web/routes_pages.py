"""The clause library (read-only), the API documentation page and the login page of `serve --auth`."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from ospo_procure.web import engine, pages
from ospo_procure.web.routes_build import DOCUMENTS
from ospo_procure.web.security import AUTH_COOKIE, CSRF_FIELD, check_token, csrf_ok

router = APIRouter(include_in_schema=False)


@router.get("/clauses")
def clauses(request: Request) -> Response:
    query = request.query_params
    ui_lang, _chosen = pages.negotiate(request)
    lang = query.get("language") or ui_lang
    if lang not in engine.LANGUAGES:
        lang = ui_lang
    q = (query.get("q") or "").strip()
    criterion = query.get("criterion") or ""
    category = query.get("category") or ""
    every = engine.clause_library(lang)
    shown = [
        c
        for c in every
        if (not criterion or (criterion.isdigit() and int(criterion) in c.criteria))
        and (not category or c.category == category)
        and (not q or _matches(q, c))
    ]
    return pages.render(
        request,
        "clauses.html",
        clauses=shown,
        total=len(every),
        q=q,
        criterion=criterion,
        category=category,
        language=lang,
        categories=sorted({c.category for c in every}),
        titles=engine.criteria_titles(ui_lang),
        documents=DOCUMENTS,
    )


def _matches(q: str, c: engine.ClauseView) -> bool:
    hay = " ".join([c.id, c.title, c.text, c.rationale, c.legal_basis, c.category]).casefold()
    return all(word in hay for word in q.casefold().split())


@router.get("/api/docs")
def api_docs(request: Request) -> Response:
    """The framework's OpenAPI page (Swagger UI), with its files served from the package."""
    return pages.render(request, "api_docs.html")


@router.get("/login")
def login_form(request: Request) -> Response:
    return pages.render(request, "login.html", error=None)


@router.post("/login")
async def login(request: Request) -> Response:
    _ = pages.translator(request)
    form = await request.form()
    token = str(form.get("token", ""))
    settings: pages.Settings = request.app.state.settings
    if not csrf_ok(request, form.get(CSRF_FIELD)) or not check_token(settings.token, token):
        return pages.render(request, "login.html", status=403, error=_("That access token is not right."))
    root = request.scope.get("root_path", "")
    response = RedirectResponse(root + "/", status_code=303)
    response.set_cookie(
        AUTH_COOKIE, token.strip(), httponly=True, samesite="strict", secure=request.url.scheme == "https", path="/"
    )
    return response
