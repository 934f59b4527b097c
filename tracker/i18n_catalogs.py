"""Build-time tooling for the message catalogs (not imported by the running app).

    python -m tracker.i18n_catalogs update [FEATURE]  # extract strings into the ru/zh/mn .po files
    python -m tracker.i18n_catalogs compile   # .po -> .mo (make does this)
    python -m tracker.i18n_catalogs missing   # list strings that still lack a translation
    python -m tracker.i18n_catalogs stale     # list catalogs that `update` would change

Besides one catalog per feature (domain `messages`), the app keeps WTForms' built-in messages
("This field is required." …) for each language WTForms ships no catalog for (Mongolian), in
`tracker/translations/<lang>/LC_MESSAGES/wtforms.po`; its source is WTForms' own `wtforms.pot`.
"""
from __future__ import annotations

import io
import sys
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from tracker.i18n import APP_WTFORMS_CATALOGS, TRANSLATED, feature_sources, wtforms_ships

KEYWORDS = {"_": None, "gettext": None, "_l": None, "lazy_gettext": None,
            "ngettext": (1, 2), "lazy_ngettext": (1, 2)}
METHODS = {".py": "python", ".html": "jinja2.ext.babel_extract"}


def extract(files: list[Path]) -> Catalog:
    """The template catalog of every translatable string in `files`."""
    template = Catalog()
    for path in files:
        method = METHODS.get(path.suffix)
        if method is None:
            continue
        options = {"extensions": "jinja2.ext.do"} if path.suffix == ".html" else {}
        for lineno, message, comments, context in extract_from_file(
            method, str(path), keywords=KEYWORDS, options=options
        ):
            template.add(message, locations=[(path.name, lineno)], auto_comments=comments, context=context)
    return template


def po_path(directory: Path, lang: str, domain: str = "messages") -> Path:
    return directory / lang / "LC_MESSAGES" / f"{domain}.po"


def load_po(path: Path, lang: str) -> Catalog:
    if not path.exists():
        return Catalog(locale=lang)
    with path.open("rb") as f:
        return read_po(f, locale=lang)


@dataclass(frozen=True)
class Source:
    """One catalog directory and domain, and how to read its strings from the sources."""
    directory: Path
    domain: str
    languages: tuple[str, ...]
    read_template: object  # () -> Catalog

    @property
    def name(self) -> str:
        feature = "core" if self.directory.parent.name == "tracker" else self.directory.parent.name
        return feature if self.domain == "messages" else f"{feature}/{self.domain}"


def _wtforms_template() -> Catalog:
    from wtforms.i18n import messages_path

    with (Path(messages_path()) / "wtforms.pot").open("rb") as f:
        return read_po(f)


def sources() -> list[Source]:
    """Every catalog the project maintains: one per feature, plus WTForms' messages in the
    languages WTForms does not translate itself."""
    found = [Source(directory, "messages", TRANSLATED, lambda files=files: extract(files))
             for directory, files in feature_sources().items()]
    own_wtforms = tuple(lang for lang in TRANSLATED if not wtforms_ships(lang))
    if own_wtforms:
        found.append(Source(APP_WTFORMS_CATALOGS, "wtforms", own_wtforms, _wtforms_template))
    return found


def _updated(source: Source, template: Catalog, lang: str) -> bytes | None:
    """The catalog's text after merging `template` into it (None: no catalog needed)."""
    path = po_path(source.directory, lang, source.domain)
    if not len(template) and not path.exists():
        return None
    catalog = load_po(path, lang)
    created = catalog.creation_date
    catalog.update(template, no_fuzzy_matching=True)
    catalog.obsolete.clear()
    catalog.creation_date = created  # unchanged catalogs stay byte for byte the same
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100, omit_header=False, sort_output=False, include_lineno=False)
    return buffer.getvalue()


def update(only: str | None = None) -> None:
    """Extract strings into the catalogs (of one feature, e.g. `dashboards`, or `core`)."""
    for source in sources():
        if only and source.name != only:
            continue
        template = source.read_template()
        for lang in source.languages:
            text = _updated(source, template, lang)
            path = po_path(source.directory, lang, source.domain)
            if text is not None and (not path.exists() or path.read_bytes() != text):
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(text)


def stale() -> list[tuple[str, str]]:
    """(catalog, language) of the catalogs that `update` would change: a string added to or
    changed in the sources and not extracted yet, or a msgid the sources no longer have."""
    found = []
    for source in sources():
        template = source.read_template()
        for lang in source.languages:
            path = po_path(source.directory, lang, source.domain)
            text = _updated(source, template, lang)
            if text is not None and (not path.exists() or path.read_bytes() != text):
                found.append((source.name, lang))
    return found


def compile_all() -> None:
    for source in sources():
        for lang in source.languages:
            path = po_path(source.directory, lang, source.domain)
            if not path.exists():
                continue
            catalog = load_po(path, lang)
            with path.with_suffix(".mo").open("wb") as f:
                write_mo(f, catalog, use_fuzzy=False)


def missing() -> list[tuple[str, str, str]]:
    """(catalog, language, msgid) for every extracted string without a finished translation."""
    gaps = []
    for source in sources():
        template = source.read_template()
        for lang in source.languages:
            catalog = load_po(po_path(source.directory, lang, source.domain), lang)
            for message in template:
                if not message.id:
                    continue
                found = catalog.get(message.id, context=message.context)
                strings = found.string if found else None
                done = found is not None and not found.fuzzy and (
                    all(strings) if isinstance(strings, tuple) else bool(strings)
                )
                if not done:
                    key = message.id if isinstance(message.id, str) else message.id[0]
                    gaps.append((source.name, lang, key))
    return gaps


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "compile"
    if command == "update":
        update(sys.argv[2] if len(sys.argv) > 2 else None)
    elif command == "compile":
        compile_all()
    elif command == "missing":
        for row in missing():
            print(" | ".join(row))
    elif command == "stale":
        for row in stale():
            print(" | ".join(row))
    else:
        sys.exit(__doc__)
