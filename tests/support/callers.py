"""Callers of the API: a user's token, sent as a program would send it (fixture `caller`)."""
from __future__ import annotations

from datetime import timedelta

from tracker.auth import tokens
from tracker.extensions import db
from tracker.models import User


def issue_token(app, user_id: int, valid_for: timedelta = timedelta(days=30), name: str = "sync") -> str:
    with app.app_context():
        secret = tokens.issue(db.session.get(User, user_id), name, valid_for).secret
        db.session.commit()
    return secret


class Caller:
    """The test client with a bearer token on every request."""

    def __init__(self, client, token: str, user_id: int):
        self.client, self.token, self.user_id = client, token, user_id

    def open(self, path, method="GET", headers=None, **kwargs):
        headers = {"Authorization": f"Bearer {self.token}", **(headers or {})}
        return self.client.open(path, method=method, headers=headers, **kwargs)

    def get(self, path, **kwargs):
        return self.open(path, "GET", **kwargs)

    def post(self, path, **kwargs):
        return self.open(path, "POST", **kwargs)

    def patch(self, path, **kwargs):
        return self.open(path, "PATCH", **kwargs)
