"""Importing this module registers every reports view on the blueprint."""
from tracker.reports import downloads, views  # noqa: F401
from tracker.reports.blueprint import bp

__all__ = ["bp"]
