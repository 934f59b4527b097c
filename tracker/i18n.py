"""Languages: locale selection, and the message catalogs kept one per feature package.

Each feature owns `tracker/<feature>/translations/` (the shared layout and core strings live in
`tracker/translations/`), so features can be translated independently; Flask-Babel merges the
catalogs. `flask --app wsgi i18n update` extracts new strings into every catalog, and
`flask --app wsgi i18n compile` builds the .mo files that `make` builds too.
"""
from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app, has_request_context, request, session
from flask_login import current_user

from tracker.localtime import zone_name_of

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent
LANGUAGE_NAMES = {"en": "English", "ru": "Русский", "zh": "中文"}
TRANSLATED = ("ru", "zh")


def feature_sources() -> dict[Path, list[Path]]:
    """Catalog directory -> the source files whose strings it holds."""
    features = [p.parent for p in PACKAGE_DIR.glob("*/__init__.py") if p.parent.name != "translations"]
    owned: set[Path] = set()
    catalogs: dict[Path, list[Path]] = {}
    for feature in sorted(features):
        files = sorted(feature.rglob("*.py")) + sorted((PROJECT_DIR / "templates" / feature.name).rglob("*.html"))
        catalogs[feature / "translations"] = files
        owned.update(files)
    core = [p for p in sorted(PACKAGE_DIR.glob("*.py"))] + [
        p for p in sorted((PROJECT_DIR / "templates").rglob("*.html")) if p not in owned
    ]
    catalogs[PACKAGE_DIR / "translations"] = core
    return catalogs


def translation_directories() -> str:
    return ";".join(str(d) for d in feature_sources())


def select_locale() -> str | None:
    """The user's saved preference, else this browser session's choice, else Accept-Language.
    A program calling the API says which language it wants in Accept-Language, and that comes
    first there (the token's user may prefer another language for the pages)."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if request.path.startswith("/api/") and request.accept_languages.best_match(languages):
        return request.accept_languages.best_match(languages)
    if current_user and current_user.is_authenticated and current_user.language in languages:
        return current_user.language
    if session.get("lang") in languages:
        return session["lang"]
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str | None:
    if has_request_context() and current_user and current_user.is_authenticated:
        return zone_name_of(current_user)
    return None  # Flask-Babel falls back to BABEL_DEFAULT_TIMEZONE


def register(app: Flask) -> None:
    from flask_babel import get_locale

    @app.context_processor
    def language_context():
        return {"language_names": LANGUAGE_NAMES, "current_language": str(get_locale() or "en")[:2]}
