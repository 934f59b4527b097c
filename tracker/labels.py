"""Translated labels for stored codes, in one place for forms, pages and exports."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from tracker.models import Role

ROLE_LABELS = {Role.RANGER: _l("Ranger"), Role.COORDINATOR: _l("Coordinator"),
               Role.MANAGER: _l("Manager"), Role.ADMIN: _l("Administrator")}

COUNTRY_LABELS = {"RU": _l("Russia"), "CN": _l("China"), "MN": _l("Mongolia")}

# Time zones of the Amur-Heilong region, for the user's preference.
TIMEZONES = {
    "Asia/Vladivostok": _l("Vladivostok, Khabarovsk (UTC+10)"),
    "Asia/Yakutsk": _l("Blagoveshchensk, Chita (UTC+9)"),
    "Asia/Shanghai": _l("China (UTC+8)"),
    "Asia/Ulaanbaatar": _l("Mongolia (UTC+8)"),
    "UTC": _l("UTC"),
}


def label(mapping: dict, code) -> str:
    """The translated label of `code`, or the code itself for values added since."""
    return str(mapping.get(code, getattr(code, "value", code) or ""))
