"""Page rendering: the interface language, the Jinja templates and the cookies a page sets.

The interface follows `?lang=` (remembered in a cookie), then the cookie, then the browser's
Accept-Language, then English. Strings are marked with `_()` in Python and `{% trans %}` or
`_()` in templates and translated from the project's gettext catalogue (ospo_procure/i18n.py).
There is one Jinja environment per language, so concurrent requests in different languages
never share a translation.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from starlette.requests import Request
from starlette.responses import HTMLResponse

from ospo_procure import __version__
from ospo_procure.web import engine
from ospo_procure.web.security import CSRF_COOKIE, csrf_token

HERE = Path(__file__).resolve().parent
LANG_COOKIE = "ospo_lang"
LANGUAGE_NAMES = {"en": "English", "es": "Español", "pt": "Português", "fr": "Français"}


@dataclass
class Settings:
    token: str | None = None  # serve --auth: the shared access token
    max_upload_bytes: int = 0  # 0 = the CLI's max_file_bytes
    workers: int = 2

    def upload_limit(self) -> int:
        return self.max_upload_bytes or engine.max_upload_bytes()


def negotiate(request: Request) -> tuple[str, bool]:
    """The interface language, and whether it was just chosen (then remember it)."""
    asked = request.query_params.get("lang", "")
    if asked in LANGUAGE_NAMES:
        return asked, True
    cookie = request.cookies.get(LANG_COOKIE, "")
    if cookie in LANGUAGE_NAMES:
        return cookie, False
    return accept_language(request.headers.get("accept-language", "")), False


def accept_language(header: str) -> str:
    """The supported language the browser prefers most (`fr-CA,fr;q=0.9,en;q=0.8` -> fr)."""
    best, best_q = "en", -1.0
    for position, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        primary = tag.strip().lower().split("-")[0]
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        q -= position * 1e-6  # earlier wins among equals
        if primary in LANGUAGE_NAMES and q > best_q and q > 0:
            best, best_q = primary, q
    return best


@lru_cache(maxsize=len(LANGUAGE_NAMES))
def environment(lang: str) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_translations(engine.gettext_for(lang), newstyle=True)  # type: ignore[attr-defined]
    return env


def translator(request: Request) -> Callable[[str], str]:
    lang, _ = negotiate(request)
    return engine.gettext_for(lang).gettext


def static_version() -> str:
    return __version__


def render(
    request: Request, template: str, status: int = 200, headers: dict[str, str] | None = None, **ctx: Any
) -> HTMLResponse:
    """Render a page in the request's language, with its CSRF token and the common context."""
    lang, chosen = negotiate(request)
    token, new_token = csrf_token(request)
    settings: Settings = request.app.state.settings
    ctx.update(
        lang=lang,
        languages=LANGUAGE_NAMES,
        csrf=token,
        path=request.url.path,
        root=request.scope.get("root_path", ""),
        auth=settings.token is not None,
        version=__version__,
        max_mb=settings.upload_limit() // 2**20,
    )
    html = environment(lang).get_template(template).render(ctx)
    response = HTMLResponse(html, status_code=status, headers=headers)
    secure = request.url.scheme == "https"
    if new_token:
        response.set_cookie(CSRF_COOKIE, token, httponly=True, samesite="strict", secure=secure, path="/")
    if chosen:
        response.set_cookie(LANG_COOKIE, lang, max_age=365 * 86400, samesite="lax", secure=secure, path="/")
    return response
