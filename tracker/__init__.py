"""Application factory: pure wiring, no I/O beyond reading configuration."""
from __future__ import annotations

import logging
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from tracker import api, errors, filestore, i18n, input_rules, navigation, ops, security, sessions, templating
from tracker.database import engine_options, install_sqlite_pragmas
from tracker.extensions import babel, csrf, db, limiter, login_manager, migrate
from tracker.ops import outage, requestlog

PROJECT_DIR = Path(__file__).resolve().parent.parent


def create_app(config=None) -> Flask:
    """Build the app from a config object (default: the one TRACKER_ENV names)."""
    if config is None:
        from config import config_from_env

        config = config_from_env()
    app = Flask(
        __name__,
        instance_path=str(PROJECT_DIR / "instance"),
        template_folder=str(PROJECT_DIR / "templates"),
    )
    app.config.from_object(config)
    app.session_interface = sessions.ForegroundSessionInterface()
    app.jinja_env.add_extension("jinja2.ext.do")
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", i18n.translation_directories())
    configure_logging(app)
    ops.register(app)
    if app.config["TRUSTED_PROXIES"]:
        n = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)

    register_extensions(app)
    register_blueprints(app)
    errors.register(app)
    filestore.register(app)
    security.register(app)
    input_rules.register(app)
    i18n.register(app)
    navigation.register(app)
    templating.register(app)
    from tracker import cli

    cli.register(app)
    return app


def register_extensions(app: Flask) -> None:
    from tracker import models  # noqa: F401  (tables must be known before migrate binds)

    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(app.config)
    db.init_app(app)
    outage.register_session_end(app)
    with app.app_context():
        install_sqlite_pragmas(db.engine, app.config["SQLITE_BUSY_TIMEOUT_MS"])
    migrate.init_app(app, db, directory=str(PROJECT_DIR / "migrations"), render_as_batch=True)
    login_manager.init_app(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale, timezone_selector=i18n.select_timezone)
    limiter.init_app(app)


def register_blueprints(app: Flask) -> None:
    from tracker.admin.views import bp as admin_bp
    from tracker.auth.views import bp as auth_bp
    from tracker.dashboards.views import bp as dashboards_bp
    from tracker.evidence.views import bp as evidence_bp
    from tracker.imports.routes import bp as imports_bp
    from tracker.incidents.routes import bp as incidents_bp
    from tracker.main.views import bp as main_bp
    from tracker.offline.views import bp as offline_bp
    from tracker.reports.routes import bp as reports_bp

    for bp in (main_bp, auth_bp, admin_bp, imports_bp, incidents_bp, evidence_bp, reports_bp, dashboards_bp,
               offline_bp):
        app.register_blueprint(bp)
    api.register(app)


def configure_logging(app: Flask) -> None:
    """The app's loggers (and Flask-Limiter's, whose warning says the rate-limit store is down)
    write to stderr, each line with the request's id and user (tracker/ops/requestlog.py)."""
    level = app.config["LOG_LEVEL"].upper()
    app.logger.setLevel(level)
    logging.getLogger("tracker.audit").setLevel(level)
    for name in ("tracker", "flask-limiter"):
        logger = logging.getLogger(name)
        if not any(isinstance(h, logging.StreamHandler) for h in logger.handlers):
            logger.addHandler(requestlog.handler())
