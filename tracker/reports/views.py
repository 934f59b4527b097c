"""The export page, and one download view serving every format of the registry (formats.py) at
its own path. Streamed formats start at once and keep memory flat at any size; built ones are
made now or offered as a background job (downloads.py). Every download asks for the password
again after FRESH_LOGIN_MINUTES and leaves an audit event (provenance.py)."""
from __future__ import annotations

from flask import Response, abort, current_app, redirect, render_template, request, stream_with_context, url_for
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


def _in_background(report: formats.Report, counts: Counts) -> set[str]:
    """The report's formats too large to build while the browser waits, for these counts."""
    limit = current_app.config["REPORTS_SYNC_MAX_ROWS"]
    return {fmt.key for fmt in formats.of(report) if fmt.in_background(counts, limit)}


@bp.route("")
@may_export
@recent_login_required
def index():
    """Filters, one choice of format and one download button; the counts of what the file will
    hold before anything downloads."""
    form, cites = ReportForm(request.args, formats.FORMATS), CitesForm(request.args)
    f, user = form.filters(), current_user._get_current_object()
    selection = CitesSelection(cites.chosen_year, f)
    counts, cites_counts = formats.INCIDENTS.counts(f, user), formats.CITES.counts(selection, user)
    return render_template(
        "reports/index.html", form=form, f=f, args=f.to_args(), counts=counts, cites=cites,
        cites_counts=cites_counts, groups={"incidents": [fmt.key for fmt in formats.of(formats.INCIDENTS)],
                                           "cites": [fmt.key for fmt in formats.of(formats.CITES)]},
        background=_in_background(formats.INCIDENTS, counts) | _in_background(formats.CITES, cites_counts),
        cites_rule=(cites_rows_rule(), seizure_rule()), policy=coordinate_policy(sees_exact_positions(user)),
        described=describe_filters(f))


@bp.route("/download")
@may_export
@recent_login_required
def chosen():
    """The page's download button: the chosen format's file over the form's filters (and the
    CITES year). A file too large to build while the browser waits is offered as a background
    build instead (a GET starts no work)."""
    fmt = formats.FORMATS.get(request.args.get("format", ""))
    if fmt is None:
        abort(404)
    subject, user = fmt.report.parse(request.args), current_user._get_current_object()
    if fmt.build is not None and fmt.in_background(fmt.report.counts(subject, user),
                                                    current_app.config["REPORTS_SYNC_MAX_ROWS"]):
        return render_template("reports/background.html", fmt=fmt, args=subject.to_args(),
                               described=describe_filters(getattr(subject, "filters", subject)),
                               action_form=ActionForm())
    return redirect(url_for(f".{fmt.endpoint}", **fmt.query, **subject.to_args()))


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
