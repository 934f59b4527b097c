"""Files built whole: the incidents XLSX, the PDF summary and the CITES XLSX (a zip or a laid-out
document cannot be streamed as it is read). Up to REPORTS_SYNC_MAX_ROWS rows they are built while
the browser waits; above that the export page offers a background job with a progress bar, and
a GET of the file's URL leads back there (a GET must not start work)."""
from __future__ import annotations

import io
import logging
import secrets
from dataclasses import dataclass
from typing import Callable

from flask import abort, current_app, flash, jsonify, redirect, render_template, request, send_file, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from tracker.auth.decorators import recent_login_required
from tracker.forms import ActionForm
from tracker.incidents.filters import FilterForm
from tracker.incidents.visibility import sees_exact_positions
from tracker.models import User
from tracker.reports import builders, jobs
from tracker.reports.blueprint import bp, may_export, requested_filters, requested_year, stamp
from tracker.reports.cites import cites_count
from tracker.reports.provenance import record_export
from tracker.reports.rows import export_counts

audit_log = logging.getLogger("tracker.audit")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Built:
    fmt: str                                   # as named in the audit event
    build: Callable                            # (path, subject, user, progress) -> Tally
    mimetype: str
    filename: Callable[[object], str]
    parse: Callable[[MultiDict], object]       # query arguments -> the builder's subject
    size: Callable[[object, User], int]        # rows that decide between now and a background job
    has_coordinates: bool


KINDS = {
    "xlsx": Built("xlsx", builders.incidents_xlsx, XLSX, lambda f: f"incidents-{stamp()}.xlsx",
                  lambda args: FilterForm(args).filters(), lambda f, user: export_counts(f, user).rows, True),
    "pdf": Built("pdf", builders.summary_pdf, "application/pdf", lambda f: f"summary-{stamp()}.pdf",
                 lambda args: FilterForm(args).filters(), lambda f, user: export_counts(f, user).incidents, False),
    "cites-xlsx": Built("cites-aitr-xlsx", builders.cites_xlsx, XLSX, lambda year: f"cites-aitr-{year}.xlsx",
                        lambda args: int(args["year"]), cites_count, False),
}


def _audit_args(subject) -> dict:
    return {"year": str(subject)} if isinstance(subject, int) else subject.to_args()


def _generalised(spec: Built, user: User) -> bool:
    return spec.has_coordinates and not sees_exact_positions(user)


def _build_now(kind: str, subject):
    spec, user = KINDS[kind], current_user._get_current_object()
    if spec.size(subject, user) > current_app.config["REPORTS_SYNC_MAX_ROWS"]:
        flash(_("This file is too large to build while you wait. Build it in the background below."), "info")
        return redirect(url_for("reports.index", format=kind, **_audit_args(subject)))
    path = jobs.folder() / f"{secrets.token_urlsafe(12)}.partial"
    try:
        tally = spec.build(str(path), subject, user)
        data = path.read_bytes()  # small by the limit above
    finally:
        path.unlink(missing_ok=True)
    record_export(user, spec.fmt, _audit_args(subject), tally, _generalised(spec, user))
    return send_file(io.BytesIO(data), mimetype=spec.mimetype, as_attachment=True,
                     download_name=spec.filename(subject), max_age=0)


@bp.route("/incidents.xlsx")
@may_export
@recent_login_required
def incidents_xlsx():
    return _build_now("xlsx", requested_filters())


@bp.route("/summary.pdf")
@may_export
@recent_login_required
def summary_pdf():
    return _build_now("pdf", requested_filters())


@bp.route("/cites-aitr.xlsx")
@may_export
@recent_login_required
def cites_xlsx():
    return _build_now("cites-xlsx", requested_year())


def _run_job(path: str, job: jobs.Job, user: User, progress) -> object:
    spec = KINDS[job.kind]
    return spec.build(path, spec.parse(MultiDict(job.args)), user, progress)


def _job_done(job: jobs.Job, user: User, tally) -> None:
    spec = KINDS[job.kind]
    record_export(user, spec.fmt, job.args, tally, _generalised(spec, user))


@bp.route("/jobs", methods=["GET", "POST"])
@may_export
@recent_login_required
def start_job():
    """POST starts a build of `kind` over the query string's filters (or year). A GET arrives
    only back from a password confirmation: the export page shows the button again."""
    args = request.args.to_dict()
    kind = args.pop("kind", None)
    if kind not in KINDS:
        abort(404)
    if request.method == "GET":
        return redirect(url_for("reports.index", format=kind, **args))
    if not ActionForm().validate_on_submit():
        abort(400)
    spec, user = KINDS[kind], current_user._get_current_object()
    subject = requested_year() if kind == "cites-xlsx" else requested_filters()
    job = jobs.start(kind, _audit_args(subject), user, str(get_locale() or "en"), spec.filename(subject),
                     spec.size(subject, user), _run_job, _job_done)
    audit_log.info("export-job-started user=%r kind=%s job=%s", user.username, kind, job.id)
    return redirect(url_for("reports.job", job_id=job.id))


def _own_job(job_id: str) -> jobs.Job:
    """Someone else's job is as unknown as a job that never was (404, nothing confirmed)."""
    job = jobs.load(job_id)
    if job is None or job.owner_id != current_user.id:
        abort(404)
    return job


@bp.route("/jobs/<job_id>")
@may_export
def job(job_id: str):
    return render_template("reports/job.html", job=_own_job(job_id))


@bp.route("/jobs/<job_id>/status")
@may_export
def job_status(job_id: str):
    job = _own_job(job_id)
    state = "failed" if job.interrupted else job.state
    return jsonify(state=state, percent=job.percent, done=job.done, total=job.total,
                   download=url_for("reports.job_file", job_id=job.id) if state == "done" else None)


@bp.route("/jobs/<job_id>/file")
@may_export
@recent_login_required
def job_file(job_id: str):
    job = _own_job(job_id)
    path = jobs.file_path(job)
    if job.state != "done" or not path.exists():
        abort(404)
    audit_log.info("export-job-download user=%r kind=%s job=%s", current_user.username, job.kind, job.id)
    return send_file(path, mimetype=KINDS[job.kind].mimetype, as_attachment=True, download_name=job.filename,
                     max_age=0)
