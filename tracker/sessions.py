"""The session cookie, written only by requests the user made.

Flask sends the signed session cookie with every answer (`SESSION_REFRESH_EACH_REQUEST`, which
keeps the 12-hour idle timeout sliding). The offline app's service worker fetches a dozen pages
in the background to keep them for use without signal; an answer to one of them that was asked
before the user switched the language (or signed in again) and arrives after it would put the
old session back in the browser. Background requests say so with the `X-Background-Refresh`
header, and their answers never set the cookie: they only read the session.
"""
from __future__ import annotations

from flask import Flask, request
from flask.sessions import SecureCookieSessionInterface

BACKGROUND_HEADER = "X-Background-Refresh"


class ForegroundSessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, left untouched by background refreshes."""

    def save_session(self, app: Flask, session, response) -> None:
        if request.headers.get(BACKGROUND_HEADER):
            return  # neither refresh nor delete: the foreground owns the cookie
        super().save_session(app, session, response)
