"""Who may talk to the page: the one browser that opened the printed link, on this machine.

A local server is reachable by every web page the operator visits (a cross-site form post) and,
through DNS rebinding, by a site whose name suddenly points at 127.0.0.1. So every request must
carry the session cookie (handed out once, in exchange for the random token of the printed URL),
name an allowed Host, and, when it writes, come from the page's own origin.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any, Awaitable, Callable
from urllib.parse import parse_qs, urlencode

from starlette.datastructures import Headers
from starlette.responses import PlainTextResponse, RedirectResponse

LOCAL_NAMES = ("127.0.0.1", "localhost", "[::1]", "::1")
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def cookie_name(token: str) -> str:
    """Cookies are shared across ports of one host: a name per server keeps two pages apart."""
    return "qunce_" + hashlib.sha256(token.encode()).hexdigest()[:12]


def host_name(host: str) -> str:
    """The name part of a Host header (`[::1]:8000` -> `[::1]`, `a.b:80` -> `a.b`)."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[: host.find("]") + 1] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


class Guard:
    """ASGI middleware: token exchange, cookie check, Host check, same-origin writes."""

    def __init__(self, app: Any, *, token: str, hosts: tuple[str, ...] = LOCAL_NAMES) -> None:
        self.app = app
        self.token = token
        self.cookie = cookie_name(token)
        self.hosts = {h.lower() for h in hosts}

    async def __call__(self, scope: dict, receive: Callable[[], Awaitable[Any]],
                       send: Callable[[Any], Awaitable[None]]) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        refusal, response = self._refusal(scope), None
        if refusal:
            response = PlainTextResponse(refusal, status_code=403)
        else:
            response = self._exchange(scope)
        if response is not None:
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)

    def _refusal(self, scope: dict) -> str:
        headers = Headers(scope=scope)
        host = headers.get("host", "")
        if host_name(host) not in self.hosts:
            return "forbidden: unknown Host"
        origin = headers.get("origin")
        if scope["method"] not in SAFE_METHODS or origin is not None:
            if origin is not None and origin.lower() not in (f"http://{host.lower()}", f"https://{host.lower()}"):
                return "forbidden: cross-site request"
            if scope["method"] not in SAFE_METHODS and headers.get("sec-fetch-site", "same-origin") not in (
                    "same-origin", "none"):
                return "forbidden: cross-site request"
        if self._has_cookie(headers) or self._query_token(scope) is not None:
            return ""
        return "forbidden: open the page through the link qunce serve printed"

    def _has_cookie(self, headers: Headers) -> bool:
        for part in headers.get("cookie", "").split(";"):
            name, _, value = part.strip().partition("=")
            if name == self.cookie and hmac.compare_digest(value.encode(), self.token.encode()):
                return True
        return False

    def _query_token(self, scope: dict) -> dict | None:
        """The query without the token when it carries the right one; None otherwise."""
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        given = query.pop("token", [""])[0]
        if given and hmac.compare_digest(given.encode(), self.token.encode()):
            return query
        return None

    def _exchange(self, scope: dict) -> Any:
        """The token in a URL is traded for the cookie and dropped from the address bar (so it
        does not linger in history or in a screenshot)."""
        rest = self._query_token(scope)
        if rest is None:
            return None
        if scope["method"] not in ("GET", "HEAD"):
            return PlainTextResponse("forbidden: the token opens the page, it does not write", status_code=403)
        query = urlencode({k: v[0] for k, v in rest.items()})
        response = RedirectResponse(scope["path"] + (f"?{query}" if query else ""), status_code=303)
        response.set_cookie(self.cookie, self.token, httponly=True, samesite="strict", path="/")
        return response


__all__ = ["Guard", "cookie_name", "host_name", "LOCAL_NAMES"]
