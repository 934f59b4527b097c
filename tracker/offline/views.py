"""The offline app's URLs: `/manifest.webmanifest` and `/sw.js` at the site root (a worker
controls only the pages under its own path, so it must be served from `/`), `/offline/state`
(what the worker keeps for the signed-in user, and a fresh CSRF token for the outbox) and
`/offline/outbox` (the queue on this phone, drawn by offline.js from IndexedDB).

The manifest and the worker are public: they hold no data, and the browser fetches them without
asking (the manifest without cookies). Everything a user may see comes from `/offline/state`,
which needs a session and answers JSON 401 without one, never a redirect the worker would cache.
"""
from __future__ import annotations

import json
from pathlib import Path

from flask import Blueprint, Response, current_app, jsonify, render_template, request, url_for
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from tracker.auth.decorators import login_required_any_role
from tracker.extensions import db
from tracker.incidents.filters import IncidentFilters
from tracker.incidents.permissions import can_record
from tracker.incidents.queries import incidents_stmt
from tracker.offline import client, version

bp = Blueprint("offline", __name__)
bp.add_app_template_global(client.config, "offline_config")
WORKER_SOURCE = Path(__file__).resolve().parent.parent / "static" / "js" / "sw.js"
RECENT_INCIDENTS = 10
REFERENCE_TABLES = ("categories", "species", "products", "places")
# What the cached pages load: kept by the worker, so the form, the lists and the map open offline.
STATIC_FILES = (
    "vendor/pico/pico.conditional.min.css", "css/app.css", "css/incidents.css", "css/evidence.css",
    "vendor/leaflet/leaflet.css", "vendor/leaflet/leaflet.js", "vendor/leaflet/images/marker-icon.png",
    "vendor/leaflet/images/marker-icon-2x.png", "vendor/leaflet/images/marker-shadow.png",
    "vendor/outline/region-countries.geojson", "js/app.js", "js/offline.js", "js/maps.js",
    "js/incident-form.js", "js/evidence-upload.js", "img/favicon.svg", "img/icons/icon-192.png",
)


@bp.route("/manifest.webmanifest")
def manifest():
    """The web app manifest in the language asked for (`?lang=`, as base.html links it), else
    the visitor's: the browser fetches it without the session cookie."""
    lang = request.args.get("lang", "")
    lang = lang if lang in current_app.config["LANGUAGES"] else str(get_locale() or "en")[:2]
    with force_locale(lang):
        body = {
            "name": _("Wildlife Crime Tracker"),
            "short_name": _("Wildlife Crime"),
            "description": _("Record wildlife crime incidents, also with no signal."),
            "lang": lang,
            "start_url": url_for("incidents.create"),
            "scope": "/",
            "display": "standalone",
            "background_color": "#ffffff",
            "theme_color": "#1f5f3f",
            "icons": [
                {"src": url_for("static", filename="img/icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
                {"src": url_for("static", filename="img/icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
                {"src": url_for("static", filename="img/icons/maskable-512.png"), "sizes": "512x512",
                 "type": "image/png", "purpose": "maskable"},
                {"src": url_for("static", filename="img/favicon.svg"), "sizes": "any", "type": "image/svg+xml"},
            ],
        }
    return Response(json.dumps(body, ensure_ascii=False), mimetype="application/manifest+json")


@bp.route("/sw.js")
def service_worker():
    """The worker's script with this deployment's version and URLs written in: a new deployment
    changes the script, so browsers install the new worker, which drops the old caches."""
    config = {"version": version.current(), "state": url_for("offline.state"), "outbox": url_for("offline.outbox"),
              "create": url_for("incidents.create"),
              "static": [url_for("static", filename=name) for name in STATIC_FILES]}
    source = WORKER_SOURCE.read_text(encoding="utf-8").replace('"__CONFIG__"', json.dumps(config))
    response = Response(source, mimetype="text/javascript")
    response.headers["Service-Worker-Allowed"] = "/"
    return response


@bp.route("/offline/state")
def state():
    """Who is signed in, a fresh CSRF token for the outbox's API calls, and the URLs the worker
    keeps for this user. JSON 401 without a session: the outbox then asks to sign in again."""
    if not current_user.is_authenticated:
        return jsonify(status=401, code="unauthenticated", message=_("Sign in again to send.")), 401
    pages = [url_for("main.index"), url_for("offline.outbox"), url_for("incidents.index")]
    data = []
    if can_record(current_user):
        pages.append(url_for("incidents.create"))
        recent = incidents_stmt(IncidentFilters(reporter=current_user.id), current_user).limit(RECENT_INCIDENTS)
        pages += [url_for("incidents.detail", incident_id=incident.id) for incident in db.session.scalars(recent)]
        data = [url_for(f"api.{table}") for table in REFERENCE_TABLES]
    return jsonify(user=current_user.id, csrf_token=generate_csrf(), version=version.current(),
                   recorder=can_record(current_user), pages=pages, data=data,
                   static=[url_for("static", filename=name) for name in STATIC_FILES])


@bp.route("/offline/outbox")
@login_required_any_role
def outbox():
    return render_template("offline/outbox.html")
