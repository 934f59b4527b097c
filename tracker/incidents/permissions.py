"""Who may do what to an incident, in one place for views and templates."""
from __future__ import annotations

from tracker.models import Incident, IncidentStatus, Role, User

RANGER_EDITABLE = (IncidentStatus.DRAFT, IncidentStatus.SUBMITTED)


def can_record(user: User) -> bool:
    return user.role in (Role.RANGER, Role.COORDINATOR)


def can_edit(user: User, incident: Incident) -> bool:
    """Rangers edit their own incidents until a coordinator verifies them; coordinators any."""
    if user.role is Role.COORDINATOR:
        return True
    return user.role is Role.RANGER and incident.reporter_id == user.id and incident.status in RANGER_EDITABLE


def can_delete(user: User, incident: Incident) -> bool:
    """Only drafts disappear; anything submitted is part of the record."""
    return incident.status is IncidentStatus.DRAFT and (
        user.role is Role.COORDINATOR or incident.reporter_id == user.id)


def can_mark_duplicates(user: User) -> bool:
    return user.role is Role.COORDINATOR

