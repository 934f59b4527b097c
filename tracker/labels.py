"""Translated labels for stored codes, in one place for forms, pages and exports."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from tracker.models import DetectionMethod, IncidentStatus, Outcome, Role

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

STATUS_LABELS = {
    IncidentStatus.DRAFT: _l("Draft"),
    IncidentStatus.SUBMITTED: _l("Submitted"),
    IncidentStatus.VERIFIED: _l("Verified"),
    IncidentStatus.UNDER_INVESTIGATION: _l("Under investigation"),
    IncidentStatus.CLOSED: _l("Closed"),
    IncidentStatus.REJECTED: _l("Rejected"),
}

DETECTION_LABELS = {
    DetectionMethod.PATROL: _l("Patrol"),
    DetectionMethod.CAMERA_TRAP: _l("Camera trap"),
    DetectionMethod.INFORMANT: _l("Informant"),
    DetectionMethod.CHECKPOINT: _l("Checkpoint"),
    DetectionMethod.MARKET_INSPECTION: _l("Market inspection"),
    DetectionMethod.ONLINE_MONITORING: _l("Online monitoring"),
    DetectionMethod.OTHER: _l("Other"),
}

OUTCOME_LABELS = {
    Outcome.NO_SUSPECT: _l("No suspect identified"),
    Outcome.ADMINISTRATIVE_FINE: _l("Administrative fine"),
    Outcome.CRIMINAL_CASE: _l("Criminal case opened"),
    Outcome.CONVICTION: _l("Conviction"),
    Outcome.ACQUITTAL: _l("Acquittal"),
}

UNIT_LABELS = {"pcs": _l("pcs"), "kg": _l("kg"), "g": _l("g"), "m3": _l("m³"), "l": _l("l")}
