"""The status page's protections: its response headers, the CSRF token of its forms, the visitor's address and the
minimum time of every POST answer (docs/status-page.md says why each is as it is).

CSRF: a double-submit token bound to a cookie. The first GET sets ``p2c_status`` (a random nonce; HttpOnly,
SameSite=Strict, Path=/status, Secure over HTTPS); each form carries ``HMAC-SHA256(server secret, nonce)`` in a hidden
field. A POST is taken only when the cookie is there and the field matches it: another site can make a browser send
the cookie (SameSite already stops that in current browsers) but cannot read it, and cannot compute the token without
the server's secret, which every worker shares through the database (server.citizen_status.server_secret).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

from fastapi import Request, Response

CSRF_COOKIE = "p2c_status"
CSRF_FIELD = "csrf"
_NONCE = re.compile(r"^[0-9a-f]{32}$")
_PURPOSE = b"p2c status page form v1:"

CONTENT_SECURITY_POLICY = ("default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
                           "frame-ancestors 'none'; base-uri 'none'")
# Sent with every answer of the page, its style sheet included.
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",  # frame-ancestors for browsers that predate it
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
}
# Every HTML page: the form may hold a tracking number from the link, the others a report's status.
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


def cookie_nonce(request: Request) -> str | None:
    """The nonce of the visitor's CSRF cookie, or None when there is none (or it is not one of ours)."""
    value = request.cookies.get(CSRF_COOKIE, "")
    return value if _NONCE.match(value) else None


def new_nonce() -> str:
    return secrets.token_hex(16)


def form_token(secret: bytes, nonce: str) -> str:
    """The hidden field's value for the cookie's ``nonce``."""
    return hmac.new(secret, _PURPOSE + nonce.encode("ascii"), hashlib.sha256).hexdigest()


def token_matches(secret: bytes, nonce: str | None, sent: str) -> bool:
    if nonce is None or not sent:
        return False
    return hmac.compare_digest(form_token(secret, nonce), sent)


def set_cookie(response: Response, request: Request, nonce: str) -> None:
    """The CSRF cookie: a session cookie (gone when the browser closes), never readable by a script."""
    response.set_cookie(CSRF_COOKIE, nonce, path="/status", httponly=True, samesite="strict",
                        secure=request.url.scheme == "https")


def client_address(request: Request) -> str:
    """The visitor's address: the socket's peer as uvicorn gives it. uvicorn puts X-Forwarded-For's address there
    only for a connection from a proxy named by ``p2c-server serve --trusted-proxy`` (server/cli.py); from anyone else
    the header is ignored, so a visitor cannot pick the address their wrong codes are counted against."""
    return request.client.host if request.client is not None else "unknown"
