"""Evidence files: photos and documents attached to incidents.

Files are checked by their content, stored once per SHA-256 outside `static/`, and only ever
served after the same access check as their incident. A ranger's files are accepted (and kept,
as signed tokens) before the incident form around them is valid, so a refused form never makes
anyone upload again.
"""
