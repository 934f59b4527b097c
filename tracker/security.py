"""HTTP security headers, no caching of private responses, and safe redirects."""
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
        if must_not_be_stored(response):
            response.headers["Cache-Control"] = "no-store"
        return response


def must_not_be_stored(response) -> bool:
    """Whether the response must not be kept by the browser or any cache in between.

    Every response but the public static files: pages, JSON, exports and error pages show what
    the user may see, and a shared station computer or a proxy must not keep them after sign-out.
    Deciding per response rather than per signed-in user also covers the sign-out and sign-in
    responses themselves. A view that chose private caching (evidence thumbnails: `private,
    max-age`) keeps it; `send_file`'s own `no-cache` or `public` does not count as a choice.
    """
    return request.endpoint != "static" and not response.cache_control.private


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
