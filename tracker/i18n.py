"""Languages: locale selection, and the message catalogs kept one per feature package.

Each feature owns `tracker/<feature>/translations/` (the shared layout and core strings live in
`tracker/translations/`), so features can be translated independently; Flask-Babel merges the
catalogs. `python -m tracker.i18n_catalogs update` extracts new strings into every catalog, and
`python -m tracker.i18n_catalogs compile` builds the .mo files that `make` builds too.

Which language a page is in, first match wins:
1. the language chosen with the footer switcher in this browser session (also before signing
   in: it carries into the session that signing in starts);
2. the account's preference, saved explicitly on /account;
3. the browser's Accept-Language;
4. English.
"""
from __future__ import annotations

from pathlib import Path

from babel import support
from flask import Flask, current_app, g, has_request_context, request, session
from flask_babel import get_locale
from flask_login import current_user
from wtforms.i18n import messages_path

from tracker.localtime import zone_name_of

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent
LANGUAGE_NAMES = {"en": "English", "ru": "Русский", "zh": "中文", "mn": "Монгол"}
TRANSLATED = ("ru", "zh", "mn")
SESSION_KEY = "lang"  # this session's choice from the footer switcher
# WTForms' built-in messages in the languages WTForms ships no catalog for (domain "wtforms").
APP_WTFORMS_CATALOGS = PACKAGE_DIR / "translations"


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
    """For the API, the Accept-Language a program sends (the token's user may prefer another
    language for the pages); for pages, this session's choice, else the account's preference, else
    Accept-Language (see above)."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if request.path.startswith("/api/") and request.accept_languages.best_match(languages):
        return request.accept_languages.best_match(languages)
    if session.get(SESSION_KEY) in languages:
        return session[SESSION_KEY]
    if current_user and current_user.is_authenticated and current_user.language in languages:
        return current_user.language
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


def wtforms_ships(lang: str) -> bool:
    """Whether WTForms translates its own messages ("This field is required.") into `lang`."""
    return (Path(messages_path()) / lang / "LC_MESSAGES" / "wtforms.mo").exists()


class FormTranslations:
    """WTForms' messages in the page's language: the app's catalog where it keeps one (languages
    WTForms lacks, e.g. Mongolian), falling back to WTForms' own (ru, zh); loaded once a request.
    Every form gets it through tracker.forms.Form."""

    @staticmethod
    def _catalog():
        if not has_request_context():
            return None
        if "wtforms_translations" not in g:
            locales = [get_locale()]
            own = support.Translations.load(str(APP_WTFORMS_CATALOGS), locales, domain="wtforms")
            own.add_fallback(support.Translations.load(messages_path(), locales, domain="wtforms"))
            g.wtforms_translations = own
        return g.wtforms_translations

    def gettext(self, string: str) -> str:
        catalog = self._catalog()
        return string if catalog is None else catalog.ugettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        catalog = self._catalog()
        if catalog is None:
            return singular if n == 1 else plural
        return catalog.ungettext(singular, plural, n)


form_translations = FormTranslations()


def select_timezone() -> str | None:
    if has_request_context() and current_user and current_user.is_authenticated:
        return zone_name_of(current_user)
    return None  # Flask-Babel falls back to BABEL_DEFAULT_TIMEZONE


def register(app: Flask) -> None:
    @app.context_processor
    def language_context():
        return {"language_names": LANGUAGE_NAMES, "current_language": str(get_locale() or "en")[:2]}
