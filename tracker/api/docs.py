"""The OpenAPI document (`/api/openapi.json`) and its reading page (`/api/docs`, Swagger UI
vendored under static/vendor/swagger-ui, started by static/js/api-docs.js: no CDN, no inline
script). Both are public: they describe the API and hold no data; every operation needs a token
or a session."""
from __future__ import annotations

from flask import Blueprint, current_app, render_template

bp = Blueprint("api_docs", __name__, url_prefix="/api")


@bp.route("/openapi.json")
def openapi_json():
    return current_app.extensions["tracker.api"].spec.to_dict()


@bp.route("/docs")
def docs():
    return render_template("api/docs.html")
