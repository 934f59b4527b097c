"""The incident workflow: draft → submitted → verified → under investigation → closed, and
submitted → rejected with a reason. Only these steps are offered, and only these accepted."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import Length, ValidationError

from tracker.audit import chain
from tracker.forms import Form, choices
from tracker.labels import OUTCOME_LABELS
from tracker.models import Incident, IncidentStatus, Outcome, Role, User

S = IncidentStatus


@dataclass(frozen=True)
class Transition:
    source: IncidentStatus
    target: IncidentStatus
    label: object               # the button
    done: object                # the message after it, in plain words ("INC-2026-000390 verified")
    roles: tuple[Role, ...]
    needs_reason: bool = False
    needs_outcome: bool = False
    reporter_may: bool = False  # the ranger who recorded it may take this step


TRANSITIONS = (
    Transition(S.DRAFT, S.SUBMITTED, _l("Submit for review"), _l("%(ref)s submitted for review."),
               (Role.COORDINATOR,), reporter_may=True),
    Transition(S.SUBMITTED, S.VERIFIED, _l("Verify"), _l("%(ref)s verified."), (Role.COORDINATOR,)),
    Transition(S.SUBMITTED, S.REJECTED, _l("Reject"), _l("%(ref)s rejected."), (Role.COORDINATOR,),
               needs_reason=True),
    Transition(S.VERIFIED, S.UNDER_INVESTIGATION, _l("Start investigation"), _l("Investigation of %(ref)s started."),
               (Role.COORDINATOR,)),
    Transition(S.VERIFIED, S.CLOSED, _l("Close"), _l("%(ref)s closed."), (Role.COORDINATOR,), needs_outcome=True),
    Transition(S.UNDER_INVESTIGATION, S.CLOSED, _l("Close"), _l("%(ref)s closed."), (Role.COORDINATOR,),
               needs_outcome=True),
)


def allowed_transitions(user: User, incident: Incident) -> list[Transition]:
    return [t for t in TRANSITIONS if t.source is incident.status and (
        user.role in t.roles or (t.reporter_may and user.role is Role.RANGER and incident.reporter_id == user.id))]


class StatusForm(Form):
    target = HiddenField()
    version = HiddenField()
    reason = TextAreaField(_l("Reason for rejection"), validators=[Length(max=2000)])
    outcome = SelectField(_l("Outcome"), validate_choice=False)  # checked in validate_outcome
    penalty = StringField(_l("Penalty"), validators=[Length(max=500)],
                          description=_l("e.g. fine of 50,000 RUB, 2 years' imprisonment"))

    def __init__(self, *args, transition: Transition | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.transition = transition
        self.outcome.choices = choices([("", "—")] + [(o.value, OUTCOME_LABELS[o]) for o in Outcome])

    def validate_reason(self, field):
        if self.transition and self.transition.needs_reason and not (field.data or "").strip():
            raise ValidationError(_l("Give the reason for rejecting this incident."))

    def validate_outcome(self, field):
        if self.transition and self.transition.needs_outcome and field.data not in {o.value for o in Outcome}:
            raise ValidationError(_l("Choose the outcome of the case."))


def apply_transition(incident: Incident, transition: Transition, form: StatusForm, user: User) -> None:
    """Move the incident and record the step (in the caller's transaction)."""
    details = {"from": incident.status.value, "to": transition.target.value}
    incident.status = transition.target
    if transition.needs_reason:
        incident.rejection_reason = form.reason.data.strip()
        details["reason"] = incident.rejection_reason
    if transition.needs_outcome:
        incident.outcome = Outcome(form.outcome.data)
        incident.penalty = (form.penalty.data or "").strip()
        details.update(outcome=incident.outcome.value, penalty=incident.penalty)
    chain.record("status", user, "incident", incident.id, incident.id, details)
