"""`/admin/import`: upload a file, read its dry run's report, confirm, follow the import.

An upload is kept by its SHA-256 (uploads.py) and checked at once: while the browser waits when
it is small (IMPORT_SYNC_MAX_BYTES), else by a background job with a progress bar (the reports'
job machinery). The confirmation names the SHA-256 of the file that was checked, and the import
reads the kept file only if its bytes still have that hash. Only the manager or administrator who
uploaded a file sees its reports and may confirm it.
"""
from __future__ import annotations

import logging

from flask import abort, current_app, flash, jsonify, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from tracker.auth.decorators import recent_login_required
from tracker.imports import uploads
from tracker.imports.blueprint import bp, may_import
from tracker.imports.forms import ConfirmImportForm, ImportForm
from tracker.imports.importer import import_file
from tracker.imports.report import Summary
from tracker.imports.sources import Unreadable, kind_of
from tracker.models import User
from tracker.reports import jobs
from tracker.reports.blueprint import stamp

audit_log = logging.getLogger("tracker.audit")
CHECK, WRITE = "import-check", "import-write"


@bp.route("", methods=["GET", "POST"])
@may_import
@recent_login_required
def index():
    form = ImportForm()
    if form.validate_on_submit():
        path, sha256, size = uploads.keep(form.file.data.stream)
        try:
            kind_of(path)  # by content, before any job: a photo or a zip is refused here
        except Unreadable as unreadable:
            form.file.errors.append(unreadable.problems[0][2])
        else:
            args = {"sha256": sha256, "name": form.file.data.filename or "upload", "key": form.key.data,
                    "size": size}
            job = _start(CHECK, args)
            audit_log.info("import-check by=%r file=%r sha256=%s key=%r", current_user.username, args["name"],
                           sha256, args["key"])
            return redirect(url_for(".job", job_id=job.id))
    return render_template("imports/index.html", form=form)


def _start(kind: str, args: dict) -> jobs.Job:
    """The dry run or the import of a kept file, now if it is small, else in the background."""
    return jobs.start(kind, args, current_user._get_current_object(), str(get_locale() or "en"),
                      f"import-report-{stamp()}.csv", args["size"], _build, _done, writes=kind == WRITE,
                      wait=args["size"] <= current_app.config["IMPORT_SYNC_MAX_BYTES"])


def _build(path: str, job: jobs.Job, user: User, progress) -> Summary:
    source = uploads.still_the_same(job.args["sha256"])
    if source is None:
        raise FileNotFoundError(f"import file {job.args['sha256']} is gone or changed")
    return import_file(source, job.args["name"], job.args["key"], user, job.kind == WRITE, path,
                       job.args["sha256"], progress)


def _done(job: jobs.Job, user: User, summary: Summary) -> None:
    job.result = summary.as_dict()
    if summary.written:
        audit_log.info("import by=%r file=%r sha256=%s key=%r incidents=%d items=%d skipped=%d", user.username,
                       summary.file, summary.sha256, summary.key, summary.new, summary.new_items, summary.skipped)


def _own_job(job_id: str) -> jobs.Job:
    """Someone else's job, or another kind of job, is as unknown as one that never was."""
    job = jobs.load(job_id)
    if job is None or job.owner_id != current_user.id or job.kind not in (CHECK, WRITE):
        abort(404)
    return job


@bp.route("/<job_id>")
@may_import
def job(job_id: str):
    job = _own_job(job_id)
    summary = job.result if job.state == "done" else None
    confirm = None
    if summary and job.kind == CHECK and not summary["errors"] and summary["new"]:
        confirm = ConfirmImportForm(sha256=job.args["sha256"])
    return render_template("imports/job.html", job=job, summary=summary, confirm=confirm, write=job.kind == WRITE)


@bp.route("/<job_id>/status")
@may_import
def status(job_id: str):
    job = _own_job(job_id)
    state = "failed" if job.interrupted else job.state
    return jsonify(state=state, percent=job.percent, done=job.done, total=job.total)


@bp.route("/<job_id>/report.csv")
@may_import
def report(job_id: str):
    return jobs.send(_own_job(job_id), mimetype="text/csv")


@bp.route("/<job_id>/confirm", methods=["POST"])
@may_import
@recent_login_required
def confirm(job_id: str):
    """Import exactly the file that this dry run checked and found without problems."""
    check = _own_job(job_id)
    form = ConfirmImportForm()
    if not form.validate_on_submit() or form.sha256.data != check.args["sha256"]:
        abort(400)
    if check.kind != CHECK or check.state != "done" or check.result["errors"] or not check.result["new"]:
        flash(_("Only a file whose check found no problem and something new can be imported."), "error")
        return redirect(url_for(".job", job_id=check.id))
    if uploads.still_the_same(check.args["sha256"]) is None:
        flash(_("The file that was checked is no longer on the server (files are kept for %(hours)s hours). "
                "Upload it again.", hours=current_app.config["REPORTS_KEEP_HOURS"]), "error")
        return redirect(url_for(".index"))
    job = _start(WRITE, {**check.args, "check": check.id})
    return redirect(url_for(".job", job_id=job.id))
