"""The session cookie, written only by answers to what the user did.

Flask sends the signed session cookie with every answer (`SESSION_REFRESH_EACH_REQUEST`, which
keeps the 12-hour idle timeout sliding). The offline app's service worker fetches a dozen pages
and every static file in the background to keep them for use without signal, and the browser
re-reads `/sw.js` on its own; an answer to one of those that was asked before the user switched
the language (or signed in again) and arrives after it would put the old session back in the
browser. So static files, the worker's script and the manifest never set the cookie, and neither
do requests that say they run in the background (the `X-Background-Refresh` header of the
worker's refresh and of the outbox's sends): they only read the session.
"""
from __future__ import annotations

from flask import Flask, request
from flask.sessions import SecureCookieSessionInterface

BACKGROUND_HEADER = "X-Background-Refresh"
SESSIONLESS_ENDPOINTS = frozenset({"static", "offline.service_worker", "offline.manifest"})


def leaves_session_alone() -> bool:
    """Whether this request's answer must not write (refresh or delete) the session cookie."""
    return request.endpoint in SESSIONLESS_ENDPOINTS or bool(request.headers.get(BACKGROUND_HEADER))


class ForegroundSessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, left untouched by background and static requests."""

    def save_session(self, app: Flask, session, response) -> None:
        if leaves_session_alone():
            return
        super().save_session(app, session, response)
