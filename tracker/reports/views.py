"""The export page and the streamed downloads (CSV, GeoJSON, CITES CSV): they start at once and
keep memory flat at any size. Every download asks for the password again after
FRESH_LOGIN_MINUTES and leaves an audit event when its stream ends (provenance.py)."""
from __future__ import annotations

from flask import Response, current_app, render_template, request, stream_with_context, url_for
from flask_babel import force_locale, get_locale
from flask_login import current_user

from tracker.auth.decorators import recent_login_required
from tracker.extensions import db
from tracker.forms import ActionForm
from tracker.incidents.visibility import sees_exact_positions
from tracker.reports.blueprint import bp, may_export, requested_filters, requested_year, stamp
from tracker.reports.cites import CITES_COLUMNS, CITES_HEADER, cites_count, cites_rows
from tracker.reports.columns import formatted, formatters
from tracker.reports.describe import coordinate_policy, describe_filters
from tracker.reports.exports import Tally
from tracker.reports.exports.csvfile import csv_chunks, csv_header, incidents_csv
from tracker.reports.exports.geojson import geojson_chunks
from tracker.reports.exports.pgcopy import postgres_csv
from tracker.reports.forms import FORMAT_NAMES, FORMATS, CitesForm, ReportForm
from tracker.reports.provenance import recorded
from tracker.reports.rows import RecordBuilder, export_counts, records

CITES_TEXT = formatters(CITES_COLUMNS)


def _streamed(body, mimetype: str, filename: str) -> Response:
    headers = {"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store",
               "X-Accel-Buffering": "no"}  # a proxy must pass the stream on, not collect it
    return Response(stream_with_context(body), mimetype=mimetype, headers=headers)


@bp.route("")
@may_export
@recent_login_required
def index():
    """Filters and a format; the counts of what the export will hold before anything downloads."""
    form, cites = ReportForm(request.args), CitesForm(request.args)
    f = form.filters()
    args, counts = f.to_args(), export_counts(f, current_user)
    limit = current_app.config["REPORTS_SYNC_MAX_ROWS"]
    downloads = [
        ("csv", url_for(".incidents_csv_download", **args), False),
        ("csv-excel", url_for(".incidents_csv_download", bom=1, **args), False),
        ("xlsx", url_for(".incidents_xlsx", **args), counts.rows > limit),
        ("geojson", url_for(".incidents_geojson", **args), False),
        ("pdf", url_for(".summary_pdf", **args), counts.incidents > limit),
    ]
    downloads.sort(key=lambda d: d[0] != form.chosen_format)
    cites_rows_count = cites_count(cites.chosen_year, current_user)
    return render_template("reports/index.html", form=form, f=f, args=args, counts=counts, downloads=downloads,
                           cites=cites, cites_rows=cites_rows_count, cites_background=cites_rows_count > limit,
                           policy=coordinate_policy(sees_exact_positions(current_user)), action_form=ActionForm(),
                           formats=FORMATS, format_names=FORMAT_NAMES, described=describe_filters(f))


@bp.route("/incidents.csv")
@may_export
@recent_login_required
def incidents_csv_download():
    f, user = requested_filters(), current_user._get_current_object()
    exact, tally, bom = sees_exact_positions(user), Tally(), request.args.get("bom") == "1"
    if db.engine.dialect.name == "postgresql":
        chunks = postgres_csv(f, user, str(get_locale() or "en")[:2], tally, csv_header(bom))
    else:
        chunks = incidents_csv(records(f, user, RecordBuilder(spreadsheet=True)), tally, bom)
    return _streamed(recorded(chunks, tally, user, "csv", f.to_args(), not exact), "text/csv",
                     f"incidents-{stamp()}.csv")


@bp.route("/incidents.geojson")
@may_export
@recent_login_required
def incidents_geojson():
    f, user = requested_filters(), current_user._get_current_object()
    exact, tally = sees_exact_positions(user), Tally()
    chunks = geojson_chunks(records(f, user, RecordBuilder(spreadsheet=False)), tally,
                            coordinate_policy(exact))
    return _streamed(recorded(chunks, tally, user, "geojson", f.to_args(), not exact), "application/geo+json",
                     f"incidents-{stamp()}.geojson")


@bp.route("/cites-aitr.csv")
@may_export
@recent_login_required
def cites_csv():
    year, user = requested_year(), current_user._get_current_object()
    tally = Tally()

    def rows():
        with force_locale("en"):  # the Secretariat's language, whatever the interface's
            for row in cites_rows(year, user):
                tally.rows += 1
                yield formatted(row, CITES_TEXT)

    chunks = csv_chunks(CITES_HEADER, rows())
    return _streamed(recorded(chunks, tally, user, "cites-aitr-csv", {"year": str(year)}, False), "text/csv",
                     f"cites-aitr-{year}.csv")



