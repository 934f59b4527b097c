"""The gallery and the add-evidence form, as the incident page includes them."""
import re

import pytest
from flask import render_template_string
from flask_login import login_user

from tests.evidence import files
from tests.support.factories import make_user
from tracker.evidence.service import attach
from tracker.evidence.uploads import accept_file
from tracker.evidence.widgets import stage_attributes
from tracker.extensions import db
from tracker.models import Incident, IncidentStatus, Role, User

GALLERY = '{% include "evidence/_gallery.html" %}'
UPLOAD_FORM = '{% from "evidence/_upload_form.html" import upload_form %}{{ upload_form(incident) }}'


@pytest.fixture
def incident_with_files(app, make_incident):
    """An incident of Unit A with a photo (EXIF time and position) and a PDF; returns its id."""
    with app.app_context():
        ranger_id = make_user(Role.RANGER, display_name="Анна Иванова").id

    def make(status=IncidentStatus.SUBMITTED, sensitive=False, names=("trap.jpg", "act.pdf")):
        incident_id = make_incident(ranger_id, status, sensitive)
        with app.test_request_context():
            ranger = db.session.get(User, ranger_id)
            uploads = [accept_file(files.upload(files.jpeg(), names[0]), ranger),
                       accept_file(files.upload(files.pdf(), names[1]), ranger)]
            attach(db.session.get(Incident, incident_id), uploads, ranger)
            db.session.commit()
        return incident_id

    return make


def render(app, template, incident_id, role=Role.RANGER, **user_fields):
    with app.test_request_context():
        login_user(make_user(role, **user_fields))
        return render_template_string(template, incident=db.session.get(Incident, incident_id))


def test_gallery_shows_thumbnails_documents_and_facts(app, incident_with_files):
    incident_id = incident_with_files()
    html = render(app, GALLERY, incident_id)
    photo_id, pdf_id = re.findall(r'href="/evidence/(\d+)"', html)[::2]
    assert f'<img src="/evidence/{photo_id}/thumbnail"' in html and f"/evidence/{pdf_id}/thumbnail" not in html
    assert 'class="evidence-document"' in html and "trap.jpg" in html and "act.pdf" in html
    assert "Анна Иванова" in html and "Taken 20 Nov 2026, 14:03" in html and "43.10120, 131.45210" in html


def test_sensitive_positions_are_generalised_for_managers(app, incident_with_files):
    incident_id = incident_with_files(sensitive=True)
    assert "43.10120, 131.45210" in render(app, GALLERY, incident_id, Role.COORDINATOR)
    html = render(app, GALLERY, incident_id, Role.MANAGER)
    assert "43.10120" not in html and "about 43.15, 131.45 (generalised)" in html
    granted = render(app, GALLERY, incident_id, Role.MANAGER, exact_location_grant=True)
    assert "43.10120, 131.45210" in granted


def test_file_names_are_shown_as_text(app, incident_with_files):
    incident_id = incident_with_files(names=("<img src=x onerror=alert(1)>.jpg", '"><svg onload=alert(1)>.pdf'))
    html = render(app, GALLERY, incident_id)
    assert "<img src=x" not in html and "<svg" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;.jpg" in html and "&#34;&gt;&lt;svg onload=alert(1)&gt;.pdf" in html


def test_gallery_in_russian(app, incident_with_files):
    html = render(app, GALLERY, incident_with_files(), language="ru")
    assert "Добавлено: Анна Иванова" in html and "Снято" in html


def test_empty_gallery_says_so(app, make_incident):
    with app.app_context():
        ranger_id = make_user(Role.RANGER).id
    incident_id = make_incident(ranger_id)
    assert "No photos or documents yet." in render(app, GALLERY, incident_id)


@pytest.mark.parametrize("role,status,shown", [
    (Role.RANGER, IncidentStatus.SUBMITTED, True), (Role.RANGER, IncidentStatus.CLOSED, False),
    (Role.COORDINATOR, IncidentStatus.CLOSED, True), (Role.MANAGER, IncidentStatus.SUBMITTED, False),
])
def test_upload_form_only_for_those_who_may_add(app, make_incident, role, status, shown):
    with app.app_context():
        ranger_id = make_user(Role.RANGER).id
    incident_id = make_incident(ranger_id, status)
    html = render(app, UPLOAD_FORM, incident_id, role)
    assert (f'action="/incidents/{incident_id}/evidence"' in html) is shown
    if shown:
        assert 'enctype="multipart/form-data"' in html and 'name="csrf_token"' in html
        assert 'name="files" multiple' in html and 'accept="image/jpeg,image/png,image/webp,application/pdf' in html
        assert "up to 20 MB each" in html


def test_stage_attributes_carry_translated_messages(app):
    with app.test_request_context():
        login_user(make_user(Role.RANGER, language="zh"))
        attributes = stage_attributes()
    assert attributes["data-stage-url"] == "/evidence/stage"
    assert attributes["data-max-bytes"] == str(20 * 1024 * 1024) and attributes["data-csrf"]
    assert attributes["data-msg-use-time"] == "使用此时间"
    assert attributes["data-msg-too-large"] == "%(name)s：文件超过 20 MB。"
    assert attributes["data-msg-taken-time-place"] == "照片拍摄于 %(time)s，位置 %(position)s"
