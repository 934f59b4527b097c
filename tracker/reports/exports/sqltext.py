"""The incident CSV's cells as SQL text, for the writers in which the database formats each row
(pgcopy.py: PostgreSQL's COPY; sqlitecsv.py: SQLite's lines).

Formatting a row in Python costs more than either database takes to produce it, so there the
declared columns (columns.py) become SQL expressions of their cells as text: `cells` walks the
declarations once and asks the caller's `as_text(column, value)` how each kind reads. The SQL
twins of the Python rules that both databases share live here: the neutralising of formulas and
the reference names in the interface language.
"""
from __future__ import annotations

from typing import Callable

from sqlalchemy import Select, case, func, literal, select
from sqlalchemy.sql.elements import ColumnElement

from tracker.extensions import db
from tracker.incidents.filters import IncidentFilters
from tracker.models import User
from tracker.reports.columns import FORMULA_TRIGGERS, INCIDENT_COLUMNS, ITEM_COLUMNS, Column
from tracker.reports.rows import export_stmt

COLUMNS = INCIDENT_COLUMNS + ITEM_COLUMNS
TRIGGER_CODES = [ord(c) for c in FORMULA_TRIGGERS]
# The code point of a text's first character (cheaper than a substring on both databases).
FIRST_CODE = {"postgresql": func.ascii, "sqlite": func.unicode}

AsText = Callable[[Column, ColumnElement], ColumnElement]


def neutralised(text: ColumnElement) -> ColumnElement:
    """SQL twin of columns.neutralise (NULL stays NULL, '' stays '')."""
    first_code = FIRST_CODE[db.engine.dialect.name]
    return case((first_code(text).in_(TRIGGER_CODES), literal("'") + text), else_=text)


def localised_name(model, locale: str) -> ColumnElement:
    """SQL twin of LocalizedNameMixin.name."""
    column = getattr(model, f"name_{locale}", None)
    return model.name_en if column is None or locale == "en" else func.coalesce(func.nullif(column, ""), model.name_en)


def _references(locale: str, as_text: AsText) -> dict:
    """Per reference table, a subquery of the cells the columns take from it, already localised
    and turned into text: done once per reference row rather than once per exported row."""
    wanted: dict[type, list[Column]] = {}
    for column in COLUMNS:
        if column.ref:
            wanted.setdefault(column.ref.model, []).append(column)

    def value(column: Column):
        model, attribute = column.ref.model, column.ref.attribute
        raw = localised_name(model, locale) if attribute == "name" else func.coalesce(getattr(model, attribute), "")
        return as_text(column, raw).label(column.name)

    return {model: select(model.id, *(value(c) for c in columns)).subquery()
            for model, columns in wanted.items()}


def cells(user: User, locale: str, as_text: AsText) -> tuple[list[ColumnElement], dict]:
    """The cells of every declared column as `user` may see them, in the declared order, and the
    reference subqueries they read ({model: (subquery, key)}, to outer-join; a reference that
    points nowhere reads as NULL)."""
    references = _references(locale, as_text)
    joins, result = {}, []
    for column in COLUMNS:
        if column.ref:
            subquery = references[column.ref.model]
            joins[column.ref.model] = (subquery, column.ref.key)
            cell = subquery.c[column.name]
        else:
            cell = as_text(column, column.sql(user))
        result.append(cell)
    return result, joins


def with_references(stmt: Select, joins: dict) -> Select:
    for subquery, key in joins.values():
        stmt = stmt.outerjoin(subquery, subquery.c.id == key)
    return stmt


def text_statement(f: IncidentFilters, user: User, columns: list[ColumnElement], joins: dict) -> Select:
    """export_stmt's rows (filters, access, order) with `columns` in place of the typed values."""
    return with_references(export_stmt(f, user, columns), joins)
