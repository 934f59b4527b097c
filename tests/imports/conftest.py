"""Files to import and the way an administrator imports them: upload (the dry run), read the
report, confirm."""
from __future__ import annotations

import html
import io
import re
import time
from dataclasses import dataclass

import pytest
from werkzeug.datastructures import FileStorage
from werkzeug.test import stream_encode_multipart

from tracker.models import Role


@pytest.fixture(autouse=True)
def reports_dir(app_config, tmp_path):
    """Kept uploads, job statuses and reports of these tests go to a temporary folder."""
    app_config.REPORTS_DIR = str(tmp_path / "jobs")
    return tmp_path / "jobs"


@dataclass
class Checked:
    """What the dry-run page of an upload shows."""
    url: str
    page: str

    def count(self, name: str) -> int:
        return int(re.search(rf'data-{name}="(\d+)"', self.page).group(1))

    @property
    def problems(self) -> list[tuple[str, str, str]]:
        table = self.page.split('id="import-problems"', 1)[1].split("</table>", 1)[0] if "import-problems" in \
            self.page else ""
        cell = r"<td[^>]*>(.*?)</td>"
        rows = re.findall(rf"<tr class=\"import-(\w+)\">{cell}{cell}{cell}</tr>", table, re.S)
        return [(html.unescape(where), html.unescape(column), html.unescape(reason).replace("\u00a0", " "))
                for _severity, where, column, reason in rows]


def wait_for(client, url: str, timeout: float = 60) -> str:
    """The page of a job once it has finished (background jobs are polled)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = client.get(url + "/status").get_json()
        if status["state"] in ("done", "failed"):
            return client.get(url).get_data(as_text=True)
        time.sleep(0.05)
    raise AssertionError("the import job did not finish")


def multipart(fields: dict) -> dict:
    """A multipart body made in memory: the test client's own spills files over 500 KB into a
    temporary file that it never closes (a ResourceWarning, an error in this suite)."""
    stream, length, boundary = stream_encode_multipart(fields, use_tempfile=False)
    return {"data": stream.getvalue(), "content_type": f"multipart/form-data; boundary={boundary}"}


def upload(client, data: bytes, name: str = "incidents.csv", key: str = "incident_ref") -> Checked:
    response = client.post("/admin/import", **multipart({"file": FileStorage(io.BytesIO(data), name), "key": key}))
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    url = response.headers["Location"]
    return Checked(url, wait_for(client, url))


def confirm(client, checked: Checked) -> Checked:
    sha256 = re.search(r'name="sha256" type="hidden" value="([0-9a-f]{64})"', checked.page).group(1)
    response = client.post(checked.url + "/confirm", data={"sha256": sha256})
    assert response.status_code == 302, response.status_code
    url = response.headers["Location"]
    return Checked(url, wait_for(client, url))


def import_file(client, data: bytes, name: str = "incidents.csv", key: str = "incident_ref") -> Checked:
    """Upload, check that the dry run found nothing wrong, confirm."""
    checked = upload(client, data, name, key)
    assert checked.count("errors") == 0, checked.problems
    return confirm(client, checked)


@pytest.fixture
def admin(login_as):
    return login_as(Role.ADMIN, username="importer")
