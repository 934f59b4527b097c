"""Build-time tooling for the message catalogs (not imported by the running app).

    python -m tracker.i18n_catalogs update [FEATURE]  # extract strings into ru/zh .po files
    python -m tracker.i18n_catalogs compile   # .po -> .mo (make does this)
    python -m tracker.i18n_catalogs missing   # list strings that still lack a translation
"""
from __future__ import annotations

import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from tracker.i18n import TRANSLATED, feature_sources

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


def po_path(directory: Path, lang: str) -> Path:
    return directory / lang / "LC_MESSAGES" / "messages.po"


def load_po(path: Path, lang: str) -> Catalog:
    if not path.exists():
        return Catalog(locale=lang)
    with path.open("rb") as f:
        return read_po(f, locale=lang)


def update(only: str | None = None) -> None:
    """Extract strings into the catalogs (of one feature, e.g. `dashboards`, or `core`)."""
    for directory, files in feature_sources().items():
        feature = "core" if directory.parent.name == "tracker" else directory.parent.name
        if only and feature != only:
            continue
        template = extract(files)
        for lang in TRANSLATED:
            path = po_path(directory, lang)
            if not len(template) and not path.exists():
                continue
            catalog = load_po(path, lang)
            created = catalog.creation_date
            catalog.update(template, no_fuzzy_matching=True)
            catalog.obsolete.clear()
            catalog.creation_date = created  # unchanged catalogs stay byte for byte the same
            buffer = io.BytesIO()
            write_po(buffer, catalog, width=100, omit_header=False, sort_output=False, include_lineno=False)
            if not path.exists() or path.read_bytes() != buffer.getvalue():
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(buffer.getvalue())


def compile_all() -> None:
    for directory in feature_sources():
        for lang in TRANSLATED:
            path = po_path(directory, lang)
            if not path.exists():
                continue
            catalog = load_po(path, lang)
            with path.with_suffix(".mo").open("wb") as f:
                write_mo(f, catalog, use_fuzzy=False)


def missing() -> list[tuple[str, str, str]]:
    """(catalog, language, msgid) for every extracted string without a finished translation."""
    gaps = []
    for directory, files in feature_sources().items():
        template = extract(files)
        for lang in TRANSLATED:
            catalog = load_po(po_path(directory, lang), lang)
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
                    gaps.append((str(directory.relative_to(directory.parents[1])), lang, key))
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
    else:
        sys.exit(__doc__)
