"""Importing this module registers the import views and command on the blueprint."""
from tracker.imports import commands, views  # noqa: F401
from tracker.imports.blueprint import bp

__all__ = ["bp"]
