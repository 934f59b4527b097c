"""Files built whole (a zip or a laid-out document cannot be streamed as it is read): the formats
of the registry with a `build`. Up to REPORTS_SYNC_MAX_ROWS (measured by the format's `size`) they
are built while the browser waits; above that the page behind the export page's download button
(`reports.chosen`) offers a background job with a progress bar, and a GET of the file's URL leads
there too (a GET must not start work). Either way the file is built in a process of its own
(reports/building.py)."""
from __future__ import annotations

import io
import logging
import secrets

from flask import abort, current_app, jsonify, redirect, render_template, request, send_file, url_for
from flask_babel import get_locale
from flask_login import current_user

from tracker.auth.decorators import recent_login_required
from tracker.forms import ActionForm
from tracker.models import User
from tracker.reports import building, formats, jobs
from tracker.reports.blueprint import bp, may_export
from tracker.reports.formats import Format
from tracker.reports.provenance import record_export

audit_log = logging.getLogger("tracker.audit")


def build_now(fmt: Format, subject, user: User):
    """The file while the browser waits, or the offer of a background build if too large."""
    if fmt.in_background(fmt.report.counts(subject, user), current_app.config["REPORTS_SYNC_MAX_ROWS"]):
        return redirect(url_for("reports.chosen", format=fmt.key, **subject.to_args()))
    path = jobs.folder() / f"{secrets.token_urlsafe(12)}.partial"
    try:
        tally = building.build(fmt, subject.to_args(), user, str(get_locale() or "en"), str(path))
        data = path.read_bytes()  # small by the limit above
    finally:
        path.unlink(missing_ok=True)
    record_export(user, fmt.audit, subject.to_args(), tally, fmt.generalised_for(user))
    return send_file(io.BytesIO(data), mimetype=fmt.mimetype, as_attachment=True,
                     download_name=fmt.filename(subject), max_age=0)


def _built(kind: str | None) -> Format:
    """A format that a background job can build, or 404."""
    fmt = formats.FORMATS.get(kind or "")
    if fmt is None or fmt.build is None:
        abort(404)
    return fmt


def _run_job(path: str, job: jobs.Job, user: User, progress) -> object:
    return building.build(_built(job.kind), job.args, user, job.locale, path, progress)


def _job_done(job: jobs.Job, user: User, tally) -> None:
    fmt = _built(job.kind)
    record_export(user, fmt.audit, job.args, tally, fmt.generalised_for(user))


@bp.route("/jobs", methods=["GET", "POST"])
@may_export
@recent_login_required
def start_job():
    """POST starts a build of `kind` over the query string's subject (filters, and the CITES
    year). A GET arrives only back from a password confirmation: the offer is shown again."""
    args = request.args.to_dict()
    fmt = _built(args.pop("kind", None))
    if request.method == "GET":
        return redirect(url_for("reports.chosen", format=fmt.key, **args))
    if not ActionForm().validate_on_submit():
        abort(400)
    user = current_user._get_current_object()
    subject = fmt.report.parse(request.args)
    job = jobs.start(fmt.key, subject.to_args(), user, str(get_locale() or "en"), fmt.filename(subject),
                     fmt.size(fmt.report.counts(subject, user)), _run_job, _job_done)
    audit_log.info("export-job-started user=%r kind=%s job=%s", user.username, fmt.key, job.id)
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
    """The progress page; a failed job (or one whose worker was killed) offers to start again."""
    return render_template("reports/job.html", job=_own_job(job_id), restart=ActionForm())


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
    response = jobs.send(job, mimetype=_built(job.kind).mimetype)
    audit_log.info("export-job-download user=%r kind=%s job=%s", current_user.username, job.kind, job.id)
    return response
