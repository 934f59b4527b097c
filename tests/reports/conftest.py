"""A small known dataset for the export tests: every case an export must get right (Russian and
Chinese text, formula-like text, a sensitive species, an incident without items or without
coordinates, a different category) in a handful of incidents."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from decimal import Decimal

import pytest
from sqlalchemy import select

from tests.support.factories import make_user
from tracker.extensions import db
from tracker.incidents.services import ItemData, create_incident
from tracker.models import Category, DetectionMethod, IncidentStatus, Outcome, Place, Product, Species, User
from tracker.reference.seed import seed_reference

UTC = timezone.utc


@pytest.fixture(autouse=True)
def reports_dir(app_config, tmp_path):
    """Export files of these tests go to a temporary folder, not instance/exports."""
    app_config.REPORTS_DIR = str(tmp_path / "exports")
    return tmp_path / "exports"


@dataclass
class Dataset:
    refs: dict[str, str]       # name in this fixture -> incident reference
    reporter_id: int


def _id(model, **where) -> int:
    return db.session.scalar(select(model.id).filter_by(**where))


def _item(product: str, species: str | None, quantity: str, unit: str, notes: str = "") -> ItemData:
    return ItemData(_id(Product, slug=product), _id(Species, scientific_name=species) if species else None,
                    Decimal(quantity), unit, notes)


def build_dataset() -> Dataset:
    """Needs an app context. Five incidents in 2025 (reporting zone Asia/Vladivostok, UTC+10)."""
    seed_reference(db.session)
    db.session.commit()
    reporter = make_user("ranger", username="reporter", display_name="Инспектор Ли 李", unit="Leopard team")
    leopard_park = _id(Place, name_en="Land of the Leopard National Park")
    poaching, trafficking = _id(Category, slug="poaching"), _id(Category, slug="trafficking")
    logging_ = _id(Category, slug="illegal-logging")
    specs = {
        # A tiger skin and bones seized at a checkpoint: sensitive (CITES I), CITES trade fields filled.
        "tiger": ({"category_id": trafficking, "occurred_at": datetime(2025, 3, 14, 23, 30, tzinfo=UTC),
                   "place_id": leopard_park, "lat": 43.1234, "lon": 131.5678,
                   "description": "Шкура тигра в багажнике; 虎皮在后备箱",
                   "detection_method": DetectionMethod.CHECKPOINT,
                   "suspects": 2, "arrests": 1, "estimated_value": Decimal("150000.00"), "currency": "RUB",
                   "outcome": Outcome.CRIMINAL_CASE, "penalty": "2 years", "seizure_reason": "No CITES permit",
                   "transport_mode": "Car", "concealment": "Spare-wheel well", "origin_country": "RU",
                   "transit_countries": "", "destination_country": "CN", "offender_nationalities": "RU, CN",
                   "disposal": "Held as evidence"},
                  [_item("skin", "Panthera tigris altaica", "1", "pcs", "=HYPERLINK(\"http://evil\")"),
                   _item("bone", "Panthera tigris altaica", "3.5", "kg")]),
        # A snare line with formula-like text everywhere a user can type.
        "snares": ({"category_id": poaching, "occurred_at": datetime(2025, 6, 1, 2, 0, tzinfo=UTC),
                    "place_id": leopard_park, "lat": 43.2, "lon": 131.3, "location_text": "+7 km north",
                    "description": "@SUM(1,2)", "detection_method": DetectionMethod.PATROL, "penalty": "-5",
                    "patrol_ref": "\tP-1"},
                   [_item("snare", None, "12", "pcs", "\rcarriage")]),
        # Reported without any item and without coordinates.
        "empty": ({"category_id": poaching, "occurred_at": datetime(2025, 8, 9, 10, 0, tzinfo=UTC),
                   "description": "Следы на снегу", "detection_method": DetectionMethod.INFORMANT}, []),
        # Logging with a non-sensitive species.
        "logs": ({"category_id": logging_, "occurred_at": datetime(2025, 9, 30, 20, 0, tzinfo=UTC),
                  "place_id": leopard_park, "lat": 43.05, "lon": 131.95, "description": "红松原木",
                  "detection_method": DetectionMethod.PATROL},
                 [_item("log", "Pinus koraiensis", "7.25", "m3")]),
        # Musk pods (CITES II) sold online, still a draft: not in the CITES report.
        "musk-draft": ({"category_id": trafficking, "occurred_at": datetime(2025, 11, 2, 1, 0, tzinfo=UTC),
                        "description": "Draft", "detection_method": DetectionMethod.ONLINE_MONITORING,
                        "seizure_reason": "Online sale"},
                       [_item("musk-pod", "Moschus moschiferus", "4", "pcs")]),
    }
    refs = {}
    for name, (facts, items) in specs.items():
        status = IncidentStatus.DRAFT if name == "musk-draft" else IncidentStatus.VERIFIED
        refs[name] = create_incident(facts, items, db.session.get(User, reporter.id), status).ref
    db.session.commit()
    return Dataset(refs, reporter.id)


@pytest.fixture
def dataset(app) -> Dataset:
    with app.app_context():
        return build_dataset()
