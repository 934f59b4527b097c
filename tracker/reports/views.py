"""The export page, and one download view serving every format of the registry (formats.py) at
its own path. Streamed formats start at once and keep memory flat at any size; built ones are
made now or offered as a background job (downloads.py). Every download asks for the password
again after FRESH_LOGIN_MINUTES and leaves an audit event (provenance.py)."""
from __future__ import annotations

from dataclasses import dataclass

from flask import Response, current_app, render_template, request, stream_with_context, url_for
from flask_login import current_user

from tracker.auth.decorators import recent_login_required
from tracker.forms import ActionForm
from tracker.incidents.seizures import seizure_rule
from tracker.incidents.visibility import sees_exact_positions
from tracker.models import User
from tracker.reports import formats
from tracker.reports.blueprint import bp, may_export
from tracker.reports.cites import CitesSelection, cites_rows_rule
from tracker.reports.describe import coordinate_policy, describe_filters
from tracker.reports.downloads import build_now
from tracker.reports.exports import Tally
from tracker.reports.formats import Format
from tracker.reports.forms import CitesForm, ReportForm
from tracker.reports.provenance import recorded
from tracker.reports.rows import Counts


@dataclass(frozen=True)
class Offer:
    """A format's button on the page: a download link, or a background build too large for now."""
    format: Format
    url: str
    job_url: str
    background: bool


def _offers(report: formats.Report, subject, counts: Counts, chosen: str) -> list[Offer]:
    limit, args = current_app.config["REPORTS_SYNC_MAX_ROWS"], subject.to_args()
    offers = [Offer(fmt, url_for(f".{fmt.endpoint}", **fmt.query, **args),
                    url_for(".start_job", kind=fmt.key, **args), fmt.in_background(counts, limit))
              for fmt in formats.of(report)]
    return sorted(offers, key=lambda offer: offer.format.key != chosen)


@bp.route("")
@may_export
@recent_login_required
def index():
    """Filters and a format; the counts of what each export will hold before anything downloads."""
    form, cites = ReportForm(request.args, formats.FORMATS), CitesForm(request.args)
    f, user = form.filters(), current_user._get_current_object()
    selection = CitesSelection(cites.chosen_year, f)
    counts, cites_counts = formats.INCIDENTS.counts(f, user), formats.CITES.counts(selection, user)
    return render_template(
        "reports/index.html", form=form, f=f, args=f.to_args(), counts=counts, cites=cites,
        cites_counts=cites_counts, offers=_offers(formats.INCIDENTS, f, counts, form.chosen_format),
        cites_offers=_offers(formats.CITES, selection, cites_counts, form.chosen_format),
        cites_rule=(cites_rows_rule(), seizure_rule()), policy=coordinate_policy(sees_exact_positions(user)),
        action_form=ActionForm(), described=describe_filters(f))


@may_export
@recent_login_required
def download():
    """Whichever format the route and its fixed arguments name, over the query string's subject."""
    fmt = formats.requested(request.endpoint.rpartition(".")[2], request.args)
    subject, user = fmt.report.parse(request.args), current_user._get_current_object()
    if fmt.streams:
        return _streamed(fmt, subject, user)
    return build_now(fmt, subject, user)


for endpoint, path in formats.routes().items():
    bp.add_url_rule(path, endpoint, download)


def _streamed(fmt: Format, subject, user: User) -> Response:
    tally = Tally()
    body = recorded(fmt.stream(subject, user, tally), tally, user, fmt.audit, subject.to_args(),
                    fmt.generalised_for(user))
    headers = {"Content-Disposition": f'attachment; filename="{fmt.filename(subject)}"', "Cache-Control": "no-store",
               "X-Accel-Buffering": "no"}  # a proxy must pass the stream on, not collect it
    return Response(stream_with_context(body), mimetype=fmt.mimetype, headers=headers)
