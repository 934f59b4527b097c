"""Importing this module registers every incident view on the blueprint."""
from tracker.incidents import commands, editing, history, list_views, views  # noqa: F401
from tracker.incidents.blueprint import bp

__all__ = ["bp"]
