"""Finds text in the templates that a user would read but no translation function wraps.

A template's Jinja tags are masked first (every `{{ … }}`, `{% … %}` and comment becomes a
neutral character, and the text between `{% trans %}` and `{% endtrans %}` is dropped), so what
remains is the literal HTML the template writes itself. That HTML is parsed: its text nodes
(outside `<script>` and `<style>`) and its user-visible attributes must not hold words, except
the few in ALLOWED_WORDS. Build-time tooling, like tracker/i18n_catalogs.py.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from jinja2 import Environment

# Attributes a person reads or hears (screen readers read aria-label and alt; browsers show
# title and placeholder; an <optgroup> shows its label; a submit input shows its value).
VISIBLE_ATTRIBUTES = {"title", "placeholder", "aria-label", "aria-description", "aria-valuetext", "alt", "label"}
BUTTON_INPUTS = {"submit", "button", "reset"}
# The same in every language: international codes and abbreviations that are written in Latin
# letters in Russian, Chinese and Mongolian text alike (file formats, CITES and IUCN, their
# category codes, the UTC time scale). Anything else is a sentence to translate.
ALLOWED_WORDS = {"CITES", "IUCN", "UTC", "CSV", "XLSX", "PDF", "GeoJSON", "JPEG", "PNG", "WebP", "CR", "EN"}
WORD = re.compile(r"[^\W\d_]+")
MASK = "\u2063"  # INVISIBLE SEPARATOR: neither a letter nor markup


@dataclass(frozen=True)
class Finding:
    template: str
    line: int
    text: str

    def __str__(self) -> str:
        return f"{self.template}:{self.line}: {self.text!r}"


def masked(env: Environment, source: str) -> str:
    """The template's own literal text, with every Jinja construct replaced by MASK and the
    content of `{% trans %}` blocks removed; line breaks are kept so line numbers still hold."""
    out: list[str] = []
    in_trans = False
    previous = ""
    for _, token, value in env.lex(source):
        if token == "name" and previous == "block_begin":
            in_trans = value == "trans" or (in_trans and value != "endtrans")
        if token == "data":
            out.append("\n" * value.count("\n") if in_trans else value)
        else:
            out.append(MASK + "\n" * value.count("\n"))
        if token not in ("whitespace",):
            previous = token
    return "".join(out)


def words_needing_translation(text: str) -> list[str]:
    return [word for word in WORD.findall(text) if word not in ALLOWED_WORDS]


class _Scanner(HTMLParser):
    def __init__(self, template: str):
        super().__init__(convert_charrefs=True)
        self.template = template
        self.findings: list[Finding] = []
        self.skipping = 0  # inside <script> or <style>

    def _check(self, text: str) -> None:
        if words_needing_translation(text):
            shown = re.sub(f"{MASK}+", "…", " ".join(text.split()))
            self.findings.append(Finding(self.template, self.getpos()[0], shown))

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skipping += 1
        values = dict(attrs)
        for name, value in attrs:
            visible = name in VISIBLE_ATTRIBUTES or (
                name == "value" and tag == "input" and (values.get("type") or "").lower() in BUTTON_INPUTS)
            if visible and value:
                self._check(value)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag in ("script", "style"):
            self.skipping -= 1

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self.skipping:
            self.skipping -= 1

    def handle_data(self, data):
        if not self.skipping:
            self._check(data)


def untranslated_text(template_dir: Path, env: Environment) -> list[Finding]:
    """Every text node and visible attribute, in every template, that holds words outside the
    translation functions."""
    findings: list[Finding] = []
    for path in sorted(template_dir.rglob("*.html")):
        scanner = _Scanner(str(path.relative_to(template_dir)))
        scanner.feed(masked(env, path.read_text(encoding="utf-8")))
        scanner.close()
        findings += scanner.findings
    return findings
