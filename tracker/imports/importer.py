"""Checking and importing a file in one pass, batch by batch.

A dry run (`write=False`) reads and checks every incident and writes nothing. An import checks
the same way and inserts each batch as it goes, all in ONE transaction, committed only if no
incident had a problem (otherwise everything is rolled back): all or nothing. Batches of BATCH
incidents keep memory flat; they are Core multi-row inserts, as the demo generator writes, not an
ORM object per row.

- **Key.** Each incident carries `<key column>:<value>` (Incident.import_key, unique): one
  imported before is skipped, so importing the same file again creates nothing new.
- **References** (tracker/incidents/references.py). An `INC-<year>-<number>` reference from the
  file is kept when no incident here has it, and the year's counter is first moved past it, so
  the tracker never gives it later. Any other incident (a reference of another form, or one taken
  here) gets this tracker's next reference of the year it was reported in, once every kept
  number is known: until then it carries a temporary one.
- **Derived facts** are set by their rules when the rows are made (records.py). The dashboard
  rollups are brought up to date at the end: recounted when the import adds more than a tenth
  of all incidents (as derived.py decides), else increased by the new incidents' contributions.
- **Audit**: one event for the whole import (the file's SHA-256 and name, the key, the counts).
  Then `ANALYZE`, as after `flask demo`: SQLite's planner needs fresh statistics.
"""
from __future__ import annotations

import secrets
import uuid
from array import array
from collections import defaultdict
from pathlib import Path
from typing import Callable

from flask_babel import gettext as _
from sqlalchemy import bindparam, func, select, text, update
from sqlalchemy.exc import IntegrityError

from tracker.audit import chain
from tracker.dashboards.rollups import CHUNK, apply_changes, read_contributions, rebuild
from tracker.extensions import db
from tracker.imports.bulk import insert_rows, take_ids
from tracker.imports.matching import References
from tracker.imports.records import Converter, Imported
from tracker.imports.report import NOTE, ProblemLog, Summary
from tracker.imports.sources import SourceIncident, Unreadable, open_source
from tracker.incidents.derived import REBUILD_SHARE
from tracker.incidents.references import parse_reference, raise_counter, reserve
from tracker.models import Incident, IncidentItem, User, utcnow

BATCH = 2000
TEMPORARY = "~"  # a reference no incident keeps: the tracker's start with INC-
incidents, items = Incident.__table__, IncidentItem.__table__
Progress = Callable[[int, int], None]


class Importer:
    def __init__(self, path: Path, summary: Summary, user: User, log: ProblemLog, write: bool,
                 progress: Progress | None = None):
        self.path, self.summary, self.user, self.log, self.write = path, summary, user, log, write
        self.progress = progress or (lambda done, total: None)
        self.first_rows: dict[str, str] = {}   # incident_ref -> where it is first listed
        self.keys: dict[str, str] = {}         # import key -> where (when the key is another column)
        self.new_ids = array("q")
        self.waiting: list[tuple[int, int]] = []  # (incident id, year) of incidents needing a reference
        self.token, self.temporary = secrets.token_hex(4), 0

    @property
    def writing(self) -> bool:
        """Inserts stop at the first problem: the transaction will be rolled back anyway."""
        return self.write and not self.summary.errors

    def run(self) -> Summary:
        try:
            if self.write and db.engine.dialect.name == "postgresql":
                # One import at a time: a second one then sees the first's keys and skips them.
                db.session.execute(select(func.pg_advisory_xact_lock(func.hashtext("tracker-import"))))
            self._read()
            if self.writing and self.summary.new:
                self._finish()
                return self.summary
        except IntegrityError:
            self.log.add("", "", _("Another import, or a new incident, took one of these keys or references "
                                   "meanwhile. Nothing was imported: check the file again."))
        db.session.rollback()
        return self.summary

    # --- reading and checking ----------------------------------------------------------------

    def _read(self) -> None:
        try:
            source = open_source(self.path, self.summary.key)
            self.summary.format = source.kind
            for name in source.ignored:
                self.log.add("1", name, _("Not read by the import."), NOTE)
            for problem in source.missing:
                self.log.add(*problem)
            converter = Converter(References.load(), self.summary.key)
            batch: list[Imported] = []
            for incident in source.incidents:
                imported = self._check(incident, converter)
                if imported is not None:
                    batch.append(imported)
                if len(batch) >= BATCH:
                    self._batch(batch)
                    batch = []
                    self.progress(*source.progress())
            self._batch(batch)
            self.progress(*source.progress())
        except Unreadable as unreadable:  # nothing after this point can be trusted
            for problem in unreadable.problems:
                self.log.add(*problem)
        if not self.summary.incidents and not self.summary.errors:
            self.log.add("2", "", _("The file holds no incidents."))

    def _check(self, incident: SourceIncident, converter: Converter) -> Imported | None:
        self.summary.incidents += 1
        self.summary.items += len(incident.items)
        where = incident.row.where
        ref = incident.row.cells.get("incident_ref", "").strip()
        if ref in self.first_rows:
            incident.problems.append((where, "incident_ref", _(
                "This incident is listed again (first at %(first)s): each incident once, its rows together.",
                first=self.first_rows[ref])))
        elif ref:
            self.first_rows[ref] = where
        imported = converter.convert(incident)
        if imported is not None and self.summary.key != "incident_ref":
            first = self.keys.setdefault(imported.key, where)
            if first != where:
                incident.problems.append((where, self.summary.key, _(
                    "The same key as the incident at %(first)s: the key column must tell incidents apart.",
                    first=first)))
                imported = None
        for problem in incident.problems:
            self.log.add(*problem)
        return None if incident.problems else imported

    # --- writing -----------------------------------------------------------------------------

    def _batch(self, batch: list[Imported]) -> None:
        """Skip what was imported before, decide the references, insert (when writing)."""
        if not batch:
            return
        existing = set(db.session.scalars(select(incidents.c.import_key)
                                          .where(incidents.c.import_key.in_([b.key for b in batch]))))
        fresh = [b for b in batch if b.key not in existing]
        self.summary.skipped += len(batch) - len(fresh)
        kept = {b.ref: parsed for b in fresh if (parsed := parse_reference(b.ref))}
        if self.writing:
            highest: dict[int, int] = {}
            for year, number in kept.values():
                highest[year] = max(number, highest.get(year, 0))
            for year in sorted(highest):  # first, so that no one else can take them meanwhile
                raise_counter(year, highest[year])
        taken = set(db.session.scalars(select(incidents.c.ref).where(incidents.c.ref.in_(list(kept)))))
        refs = []
        for b in fresh:
            if b.ref in kept and b.ref not in taken:
                refs.append(b.ref)
            else:
                refs.append(None)
                if b.ref in taken:
                    self.log.add(b.where, "incident_ref", _(
                        "Another incident in this tracker has this reference: this one gets a new reference. If the "
                        "file is an export of this tracker, its incidents are probably here already."), NOTE)
        self.summary.kept_references += sum(ref is not None for ref in refs)
        self.summary.new_references += sum(ref is None for ref in refs)
        self.summary.new += len(fresh)
        self.summary.new_items += sum(len(b.items) for b in fresh)
        if self.writing and fresh:
            self._insert(fresh, refs)

    def _insert(self, fresh: list[Imported], refs: list[str | None]) -> None:
        now = utcnow()
        ids = take_ids(incidents, len(fresh))
        rows, item_rows = [], []
        for incident_id, b, ref in zip(ids, fresh, refs, strict=True):
            if ref is None:
                self.temporary += 1
                ref = f"{TEMPORARY}{self.token}{self.temporary:x}"
                self.waiting.append((incident_id, b.year))
            rows.append({**b.values, "id": incident_id, "ref": ref, "client_uuid": uuid.uuid4(),
                         "reporter_id": self.user.id, "import_key": b.key, "rejection_reason": "",
                         "created_at": now, "updated_at": now, "version": 1})
            item_rows += [{**item, "incident_id": incident_id} for item in b.items]
        insert_rows(incidents, rows)
        insert_rows(items, item_rows)
        self.new_ids.extend(ids)

    def _finish(self) -> None:
        self._give_references()
        self._update_rollups()
        chain.record("import", self.user, "import", changes=self.summary.audited())
        db.session.commit()
        self.summary.written = True
        db.session.execute(text("ANALYZE"))
        db.session.commit()

    def _give_references(self) -> None:
        """Numbers for the incidents that could not keep theirs, now that every kept one is known."""
        by_year: dict[int, list[int]] = defaultdict(list)
        for incident_id, year in self.waiting:
            by_year[year].append(incident_id)
        stmt = update(incidents).where(incidents.c.id == bindparam("b_id")).values(ref=bindparam("b_ref"))
        for year in sorted(by_year):
            ids = by_year[year]
            db.session.execute(stmt, [{"b_id": i, "b_ref": ref} for i, ref in zip(ids, reserve(year, len(ids)),
                                                                                   strict=True)])

    def _update_rollups(self) -> None:
        connection = db.session.connection()
        total = connection.scalar(select(func.count()).select_from(incidents))
        if len(self.new_ids) > REBUILD_SHARE * total:
            rebuild(db.session)
            return
        for start in range(0, len(self.new_ids), CHUNK):  # new incidents: nothing to take away
            apply_changes(connection, {}, read_contributions(connection, self.new_ids[start:start + CHUNK]))


def import_file(path: Path, name: str, key: str, user: User, write: bool, report: Path | str,
                sha256: str, progress: Progress | None = None) -> Summary:
    """Check (and with `write`, import) the file at `path`, its problems written to `report`."""
    summary = Summary(sha256=sha256, file=name, format="", key=key)
    with ProblemLog(report, summary) as log:
        return Importer(path, summary, user, log, write, progress).run()
