"""What keeps the desk safe on a bureau's network.

- :func:`check_bind`: an address other than the loopback is refused without a token.
- :class:`Guard` (ASGI middleware): with a token, every request carries it: the API as
  ``Authorization: Bearer <token>``, the pages as that header or the cookie set by the
  token form (``/login``); every response carries headers that keep the pages to
  themselves (no framing by other sites, no sniffing, no referrer, a Content-Security-
  Policy that allows only the desk's own scripts and styles).
- Cross-site forms: every form carries a token equal to a cookie set with
  ``SameSite=Strict`` (:func:`csrf_token`, :func:`csrf_ok`), and a POST whose ``Origin``
  names another site is refused.
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from starlette.requests import Request

from twinning.errors import UsageError

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

#: The cookie holding the token once given on the token form, and the forms' cookie.
TOKEN_COOKIE = "twinning_token"
CSRF_COOKIE = "twinning_csrf"

#: The pages' Content-Security-Policy: the desk's own scripts and styles, frames of its
#: own (the plan's report), no request to any other place.
PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "frame-src 'self'; frame-ancestors 'self'; form-action 'self'; base-uri 'none'; "
    "object-src 'none'"
)


def is_loopback(host: str) -> bool:
    """Whether ``host`` is this machine only (127.0.0.0/8, ::1, localhost)."""
    if host in ("localhost", "localhost."):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_bind(host: str, token: str | None) -> None:
    """Refuse to serve on an address others can reach without a token."""
    if not is_loopback(host) and not token:
        raise UsageError.of("serve.usage.token_needed", host=host)
    if token is not None and len(token) < 16:
        raise UsageError.of("serve.usage.token_short", least=16)


def same(a: str | None, b: str | None) -> bool:
    """Constant-time comparison of two secrets (False when either is missing)."""
    if not a or not b:
        return False
    return hmac.compare_digest(a.encode("utf-8"), b.encode("utf-8"))


def bearer(headers: Any) -> str | None:
    """The token of an ``Authorization: Bearer`` header."""
    value = headers.get("authorization") or ""
    scheme, _, token = value.partition(" ")
    return token.strip() if scheme.lower() == "bearer" else None


def csrf_token(request: Request) -> tuple[str, bool]:
    """The forms' token for this browser, and whether the cookie is to be set."""
    found = request.cookies.get(CSRF_COOKIE)
    if found and len(found) >= 20:
        return found, False
    return secrets.token_urlsafe(24), True


def csrf_ok(request: Request, given: str | None) -> bool:
    """Whether a form's token matches the browser's cookie and its origin is ours."""
    origin = request.headers.get("origin")
    if origin and origin != "null":
        host = request.headers.get("host", "")
        if origin.split("://", 1)[-1] != host:
            return False
    return same(request.cookies.get(CSRF_COOKIE), given)


def _length(scope: Scope) -> int:
    """The request's Content-Length (0 when it gives none or a bad one)."""
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return 0
    return 0


class Guard:
    """ASGI middleware: the token (when the desk has one) and the safety headers."""

    def __init__(self, app: Any, token: str | None, upload_limit: int | None = None) -> None:
        self.app = app
        self.token = token
        self.upload_limit = upload_limit

    def allowed(self, scope: Scope) -> bool:
        if not self.token:
            return True
        request = Request(scope)
        if same(bearer(request.headers), self.token):
            return True
        path: str = scope.get("path", "")
        if path.startswith("/api/"):
            return False
        return path in ("/login", "/static/desk.css") or same(
            request.cookies.get(TOKEN_COOKIE), self.token
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")

        async def guarded_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {k.lower() for k, _ in headers}
                extra = {
                    b"x-content-type-options": b"nosniff",
                    b"referrer-policy": b"no-referrer",
                    b"x-frame-options": b"SAMEORIGIN",
                    b"cache-control": b"no-store",
                }
                if b"content-security-policy" not in names and not path.endswith(".html"):
                    extra[b"content-security-policy"] = PAGE_CSP.encode()
                headers.extend((k, v) for k, v in extra.items() if k not in names)
                message["headers"] = headers
            await send(message)

        if not self.allowed(scope):
            await self._refuse(scope, receive, guarded_send, path)
            return
        if self.upload_limit is not None and _length(scope) > self.upload_limit:
            # said at once from the request's length; a body sent without one is cut off
            # by the application's own limit (starlette's max_body_size) as it arrives
            from starlette.responses import JSONResponse

            from twinning.messages import say

            mb = self.upload_limit // (1024 * 1024)
            cookie = Request(scope).headers.get("cookie", "")
            asked = "lang=zh" in cookie or not (path.startswith("/api/") or "lang=en" in cookie)
            lang = "zh" if asked else "en"
            response = JSONResponse(
                {
                    "error": say("serve.upload.too_large", lang, mb=mb),
                    "code": "serve.upload.too_large",
                },
                status_code=413,
            )
            await response(scope, receive, guarded_send)
            return
        await self.app(scope, receive, guarded_send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send, path: str) -> None:
        from starlette.responses import JSONResponse, RedirectResponse

        response: Any
        if path.startswith("/api/"):
            from twinning.messages import say

            response = JSONResponse(
                {"error": say("serve.api.unauthorized", "en"), "code": "serve.api.unauthorized"},
                status_code=401,
                headers={"WWW-Authenticate": 'Bearer realm="twinning"'},
            )
        else:
            response = RedirectResponse("/login", status_code=303)
        await response(scope, receive, send)


__all__ = [
    "CSRF_COOKIE",
    "PAGE_CSP",
    "TOKEN_COOKIE",
    "Guard",
    "bearer",
    "check_bind",
    "csrf_ok",
    "csrf_token",
    "is_loopback",
    "same",
]
