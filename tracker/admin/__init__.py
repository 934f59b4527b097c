"""User and reference-data administration (admins only)."""
