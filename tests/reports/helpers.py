"""Reading back what the exports wrote, the way a user's tools would."""
from __future__ import annotations

import csv
import io
import re
import subprocess
from pathlib import Path

from sqlalchemy import select

from tracker.extensions import db
from tracker.models import AuditEvent

README = Path(__file__).resolve().parents[2] / "README.md"


def read_csv(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def csv_header(data: bytes) -> list[str]:
    return next(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def documented_columns(table_title: str) -> list[str]:
    """Column names listed (as `code`) in the README table that follows `table_title`."""
    text = README.read_text(encoding="utf-8")
    section = text.split("## Reports and exports", 1)[1].split("\n## ", 1)[0]
    table = section.split(table_title, 1)[1].split("\n\n", 2)[1]
    return [m.group(1) for m in re.finditer(r"^\| `([a-z_]+)` \|", table, re.MULTILINE)]


def export_events() -> list[AuditEvent]:
    return db.session.scalars(select(AuditEvent).where(AuditEvent.action == "export").order_by(AuditEvent.id)).all()


def pdf_text(data: bytes, tmp_path) -> str:
    """The PDF's text as pdftotext extracts it, whitespace (line breaks, layout) squeezed."""
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    text = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout
    return " ".join(text.split())


def pdf_fonts(data: bytes, tmp_path) -> set[str]:
    """The names of the fonts embedded in the PDF (pdffonts, without the subset prefix)."""
    path = tmp_path / "fonts.pdf"
    path.write_bytes(data)
    lines = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True).stdout.splitlines()
    return {line.split()[0].split("+", 1)[-1] for line in lines[2:] if line.strip()}
