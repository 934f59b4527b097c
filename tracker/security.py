"""HTTP security headers and safe redirects."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, request


def register(app: Flask) -> None:
    csp = content_security_policy(app.config.get("MAP_TILE_URL", ""))

    @app.after_request
    def set_security_headers(response):
        response.headers["Content-Security-Policy"] = csp
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Permissions-Policy"] = "camera=(self), geolocation=(self), microphone=()"
        if request.is_secure:
            response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
        return response


def content_security_policy(tile_url: str) -> str:
    """No inline scripts or styles; images may also come from the configured tile server."""
    img_sources = ["'self'", "data:", "blob:"]
    if tile_url:
        parts = urlsplit(tile_url.replace("{s}", "a"))
        img_sources.append(f"{parts.scheme}://{parts.netloc.replace('a.', '*.', 1)}")
    return (
        "default-src 'self'; "
        f"img-src {' '.join(img_sources)}; "
        "frame-ancestors 'none'; object-src 'none'; base-uri 'self'; form-action 'self'"
    )


def safe_next(target: str | None) -> str | None:
    """`target` if it is a path on this site, else None.

    Browsers treat `\\` like `/` and ignore tabs and newlines inside URLs, so `/\\evil` and
    `/\\t/evil` are other sites too; urlsplit raises ValueError on input such as `//[`.
    """
    if not target or any(ch in target for ch in "\\\t\r\n") or any(ord(c) < 32 for c in target):
        return None
    if not target.startswith("/") or target.startswith("//"):
        return None
    try:
        parts = urlsplit(target)
    except ValueError:
        return None
    if parts.scheme or parts.netloc:
        return None
    return target
