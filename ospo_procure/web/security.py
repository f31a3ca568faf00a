"""Security layers of the web application, as small ASGI middlewares and helpers.

- strict Content-Security-Policy (scripts and styles only from our own files, nothing inline)
  and the usual hardening headers on every response;
- request bodies capped at the CLI's input-size limit while they stream in, before any parsing;
- an optional shared token (`serve --auth`): a cookie set by the login page, or
  `Authorization: Bearer <token>` for the API;
- CSRF protection of forms: a random token in a SameSite=Strict cookie that every form repeats
  in a hidden field (double submit), compared in constant time.
"""

from __future__ import annotations

import hmac
import json
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from starlette.requests import Request

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

CSP = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
    ]
)
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), interest-cohort=()"),
]
CSRF_COOKIE = "ospo_csrf"
CSRF_FIELD = "csrf_token"
AUTH_COOKIE = "ospo_token"
# Multipart framing and the small form fields around the file.
BODY_OVERHEAD = 64 * 1024


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [h for h in message.get("headers", []) if h[0].lower() not in {k for k, _ in HEADERS}]
                path = scope.get("path", "")
                extra = [] if path.startswith("/static/") else [(b"cache-control", b"no-store")]
                message["headers"] = headers + HEADERS + extra
            await send(message)

        await self.app(scope, receive, send_with_headers)


async def _json_response(send: Send, status: int, payload: dict[str, Any], headers: list[tuple[bytes, bytes]]) -> None:
    body = json.dumps(payload).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()), *headers],
        }
    )
    await send({"type": "http.response.body", "body": body})


class BodyTooLarge(Exception):
    """Raised from `receive` when a request body passes the limit; the app turns it into a 413."""


class BodyLimit:
    """Cap request bodies at `limit` bytes: from Content-Length at once, else while they stream."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit + BODY_OVERHEAD

    @staticmethod
    def message(limit: int) -> str:
        return f"upload is over the max_file_bytes limit of {limit / 2**20:.1f} MB"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope.get("headers", [])).get(b"content-length", b"")
        exceeded = length.isdigit() and int(length) > self.limit
        seen = 0

        async def counted() -> Message:
            nonlocal seen, exceeded
            if exceeded:
                raise BodyTooLarge
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    exceeded = True
                    raise BodyTooLarge
            return message

        replaced = False

        async def guarded_send(message: Message) -> None:
            # A framework that parses the body itself (FastAPI's File parameters) turns any
            # parsing failure into a 400; say what really happened.
            nonlocal replaced
            if message["type"] == "http.response.start" and exceeded and message["status"] != 413:
                replaced = True
                await _json_response(send, 413, {"error": self.message(self.limit - BODY_OVERHEAD)}, [])
                return
            if not replaced:
                await send(message)

        await self.app(scope, counted, guarded_send)


class TokenAuth:
    """With a token configured, only requests that present it reach the application."""

    OPEN_PATHS = ("/login", "/static/")

    def __init__(self, app: ASGIApp, token: str | None) -> None:
        self.app, self.token = app, token

    def _authorised(self, scope: Scope) -> bool:
        assert self.token is not None
        headers = dict(scope.get("headers", []))
        auth = headers.get(b"authorization", b"").decode("latin-1")
        if auth.startswith("Bearer ") and hmac.compare_digest(auth[7:].strip().encode(), self.token.encode()):
            return True
        request = Request(scope)
        cookie = request.cookies.get(AUTH_COOKIE, "")
        return hmac.compare_digest(cookie.encode(), self.token.encode())

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.token is None:
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        if path.startswith(self.OPEN_PATHS) or self._authorised(scope):
            await self.app(scope, receive, send)
            return
        if path.startswith("/api/") or path == "/openapi.json":
            await _json_response(
                send, 401, {"error": "this server needs its access token (Authorization: Bearer …)"}, []
            )
            return
        root = scope.get("root_path", "")
        await send({"type": "http.response.start", "status": 303, "headers": [(b"location", f"{root}/login".encode())]})
        await send({"type": "http.response.body", "body": b""})


def check_token(token: str | None, given: str) -> bool:
    return token is not None and hmac.compare_digest(given.strip().encode(), token.encode())


def csrf_token(request: Request) -> tuple[str, bool]:
    """The request's CSRF token, and whether it is new (then the response must set the cookie)."""
    existing = request.cookies.get(CSRF_COOKIE, "")
    if len(existing) >= 32:
        return existing, False
    return secrets.token_urlsafe(32), True


def csrf_ok(request: Request, submitted: Any) -> bool:
    cookie = request.cookies.get(CSRF_COOKIE, "")
    return bool(cookie) and isinstance(submitted, str) and hmac.compare_digest(cookie.encode(), submitted.encode())
