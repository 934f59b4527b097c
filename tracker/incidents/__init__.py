"""Incident capture: the ranger's form, items, workflow, list and search."""
