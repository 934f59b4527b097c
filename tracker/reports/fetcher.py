"""What WeasyPrint may fetch while it lays out a PDF: the app's static files, nothing else.

WeasyPrint fetches whatever a document links to (stylesheets, images, attachments), and a
`file://` or intranet URL in a PDF is a way to leak files. `StaticFilesOnly` resolves nothing
but files inside the app's static folder, under a base URL that cannot be reached (`.invalid`
is reserved), and refuses every other URL without opening it. (Imported only when a PDF is
made: WeasyPrint adds about 26 MB to a process.)
"""
from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcher, URLFetcherResponse

from tracker.reports.pdf import BASE_URL, STATIC_PREFIX

HOST = urlsplit(BASE_URL).netloc


class BlockedURL(ValueError):
    """A URL outside the app's static files; WeasyPrint logs it and renders without it."""


class StaticFilesOnly(URLFetcher):
    def __init__(self, static_folder: str):
        super().__init__()
        self.root = Path(static_folder).resolve()

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        parts = urlsplit(url)
        if (parts.scheme, parts.netloc) != ("https", HOST) or not parts.path.startswith(STATIC_PREFIX):
            raise BlockedURL(f"not one of the app's static files: {url!r}")
        path = (self.root / unquote(parts.path[len(STATIC_PREFIX):])).resolve()
        if not path.is_relative_to(self.root) or not path.is_file():
            raise BlockedURL(f"no such static file: {url!r}")
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime})
