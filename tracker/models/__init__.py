"""Every table of the tracker, one module per feature. Models hold schema and small invariants;
queries live in each feature's queries.py, and cross-model side effects in services."""
from tracker.models.accounts import Role, User, new_session_token
from tracker.models.audit import GENESIS_HASH, AuditEvent, AuditHead
from tracker.models.base import LocalizedNameMixin, aware, str_enum, utcnow
from tracker.models.evidence import Evidence
from tracker.models.incidents import (
                                      CURRENCIES,
                                      OPEN_STATUSES,
                                      VERIFIED_STATUSES,
                                      DetectionMethod,
                                      DuplicateLink,
                                      Incident,
                                      IncidentItem,
                                      IncidentStatus,
                                      Outcome,
                                      ReferenceCounter,
)
from tracker.models.reference import (
                                      CITES_APPENDICES,
                                      COUNTRIES,
                                      IUCN_CATEGORIES,
                                      SENSITIVE_IUCN,
                                      UNITS,
                                      Category,
                                      Place,
                                      PlaceKind,
                                      Product,
                                      ProductScope,
                                      Species,
                                      SpeciesGroup,
)
from tracker.models.rollups import ALL_COUNTRIES, ALL_PLACES, ALL_STATUSES, NO_PLACE, IncidentRollup
from tracker.models.tokens import ApiToken

__all__ = [
    "Role", "User", "new_session_token", "GENESIS_HASH", "AuditEvent", "AuditHead", "LocalizedNameMixin", "aware",
    "str_enum", "utcnow", "Evidence", "CURRENCIES", "OPEN_STATUSES", "VERIFIED_STATUSES", "DetectionMethod",
    "DuplicateLink", "Incident", "IncidentItem", "IncidentStatus", "Outcome", "ReferenceCounter",
    "CITES_APPENDICES", "COUNTRIES", "IUCN_CATEGORIES", "SENSITIVE_IUCN", "UNITS", "Category", "Place", "PlaceKind",
    "Product", "ProductScope", "Species", "SpeciesGroup",
    "ALL_COUNTRIES", "ALL_PLACES", "ALL_STATUSES", "NO_PLACE", "IncidentRollup", "ApiToken",
]
