"""Throttling of failed sign-ins that does not lock out a whole ranger station.

A station's rangers share one NAT address, so a limit per address alone lets one ranger's
typos, or one attacker, block everyone there. Failures are counted twice instead:

- per account and address (`LOGIN_ACCOUNT_RATE_LIMIT`, tight): someone guessing one account;
- per address (`LOGIN_ADDRESS_RATE_LIMIT`, generous): one address trying many accounts (a
  password spray), which the tight limit cannot see.

Guessing one account from many addresses is what the account lockout (`LOCKOUT_THRESHOLD`)
is for. Only a password that was checked and refused counts: a successful sign-in, an
incomplete form and a request the limiter itself refused (429) do not, so retrying while
throttled does not use up the station's allowance.
"""
from __future__ import annotations

import hashlib

from flask import current_app, g, request
from flask_limiter.util import get_remote_address

from tracker.extensions import limiter


def count_failure() -> None:
    """Called by the sign-in view when it refused a password."""
    g.sign_in_failed = True


def _failed(response) -> bool:
    return g.get("sign_in_failed", False)


def account_at_address() -> str:
    """The typed username with the client's address, whether or not the account exists (the
    limit must not tell them apart). The name is case-folded and hashed: a fixed-size key, and
    no usernames in the limiter's storage."""
    username = (request.form.get("username") or "").strip().casefold()
    return f"{hashlib.sha256(username.encode()).hexdigest()[:32]}@{get_remote_address()}"


def throttle_failed_sign_ins(view):
    """Both limits on the sign-in view's POST, read from the configuration at request time."""
    per_account = limiter.limit(lambda: current_app.config["LOGIN_ACCOUNT_RATE_LIMIT"], key_func=account_at_address,
                                methods=["POST"], deduct_when=_failed)
    per_address = limiter.limit(lambda: current_app.config["LOGIN_ADDRESS_RATE_LIMIT"], key_func=get_remote_address,
                                methods=["POST"], deduct_when=_failed)
    return per_address(per_account(view))
