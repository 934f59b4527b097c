"""What pages need from the evidence package: template helpers, and the attributes that turn a
plain file input into one that uploads at once (static/js/evidence-upload.js).

The script shows only strings it is given here, already translated, so it speaks the page's
language; `%(name)s`-style placeholders are filled in by the script.
"""
from __future__ import annotations

from flask import Blueprint, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from tracker.evidence.service import may_add_evidence, must_redact
from tracker.evidence.uploads import refusal_message
from tracker.evidence.validation import ACCEPT, limit_in_mb, max_bytes, too_large
from tracker.incidents.visibility import shown
from tracker.models import Evidence


def stage_attributes(pending_list: str = "") -> dict[str, str]:
    """Attributes for the incident form's file input (e.g. `form.files.render_kw`). Files chosen
    in it are staged one by one; `pending_list` is the id of the element that receives a chip
    and a hidden `pending_evidence` input per file (default: the form's `[data-pending-list]`)."""
    attributes = {"data-pending-list": pending_list} if pending_list else {}
    return attributes | {
        "accept": ACCEPT,
        "data-stage-url": url_for("evidence.stage"),
        "data-max-bytes": str(max_bytes()),
        "data-csrf": generate_csrf(),
        "data-msg-too-large": refusal_message("%(name)s", too_large()),
        "data-msg-uploading": _("Uploading…"),
        "data-msg-staged": _("Uploaded; it will be attached when you save."),
        "data-msg-failed": _("The upload failed. Check the connection and choose the file again."),
        "data-msg-remove": _("Remove"),
        "data-msg-wait": _("Please wait until the files have finished uploading."),
        "data-msg-taken-time-place": _("Photo taken %(time)s at %(position)s", time="%(time)s",
                                       position="%(position)s"),
        "data-msg-taken-time": _("Photo taken %(time)s", time="%(time)s"),
        "data-msg-taken-place": _("Photo taken at %(position)s", position="%(position)s"),
        "data-msg-use-time": _("Use this time"),
        "data-msg-use-position": _("Use this position"),
    }


def photo_position(evidence: Evidence) -> str:
    """Where a photo was taken, as this user may see it: sensitive incidents' positions are
    generalised for users without the exact-location right, like the incident's own."""
    if evidence.gps_lat is None or evidence.gps_lon is None:
        return ""
    place = shown(current_user, evidence.incident.sensitive, evidence.gps_lat, evidence.gps_lon)
    if place.generalised:
        return _("about %(position)s (generalised)", position=f"{place.lat:.2f}, {place.lon:.2f}")
    return f"{place.lat:.5f}, {place.lon:.5f}"


def register(bp: Blueprint) -> None:
    helpers = {
        "may_add_evidence": lambda incident: may_add_evidence(current_user, incident),
        "evidence_redacted": lambda evidence: must_redact(current_user, evidence),
        "evidence_photo_position": photo_position,
        "evidence_accept": lambda: ACCEPT,
        "evidence_limit_mb": limit_in_mb,
    }
    for name, helper in helpers.items():
        bp.add_app_template_global(helper, name)

