"""The OpenAPI document and its reading page: public, OpenAPI 3.1, every error status an
operation can answer documented (and no catch-all), Swagger UI served from the app's own files
and started without an inline script (the CSP allows none)."""
from __future__ import annotations

import re
from pathlib import Path

STATIC = Path(__file__).resolve().parents[2] / "tracker" / "static"


def test_the_document_is_openapi_3_1_with_token_and_session_security(client):
    spec = client.get("/api/openapi.json").get_json()
    assert spec["openapi"] == "3.1.0"
    assert set(spec["components"]["securitySchemes"]) == {"token", "session"}
    operations = [(path, method, op) for path, item in spec["paths"].items() for method, op in item.items()
                  if method in ("get", "post", "patch")]
    assert len(operations) == 10
    for path, method, operation in operations:
        statuses = set(operation["responses"])
        assert "default" not in statuses and {"401", "429"} <= statuses, (method, path)
        if method in ("post", "patch"):
            assert {"400", "403", "415", "422"} <= statuses, (method, path)
        if "{ref}" in path:
            assert "404" in statuses, (method, path)


def test_the_docs_page_uses_vendored_files_and_no_inline_script(client):
    response = client.get("/api/docs")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "script-src" not in response.headers["Content-Security-Policy"]
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page, re.S)
    assert scripts and all('src="/static/' in attributes and not body.strip() for attributes, body in scripts)
    for url in re.findall(r'(?:src|href)="(/static/[^"]+)"', page):
        assert (STATIC / url.removeprefix("/static/")).is_file(), url
    assert not [url for url in re.findall(r'(?:src|href)="([^"]+)"', page) if url.startswith("//") or "://" in url]
