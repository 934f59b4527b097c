"""Bulk import of incidents from the files the export writes (CSV and XLSX): a dry run that checks
every row first, then an all-or-nothing import in batches, `/admin/import` and `flask import`."""
