"""The two Jinja environments the renderers share: HTML (autoescaped) and Markdown.

HTML templates run with ``autoescape=True``. Markdown has no autoescape in Jinja, so its
environment escapes every ``{{ … }}`` output through :func:`md_escape` via Jinja's ``finalize``
hook; only values built by :func:`md_link` (already escaped) pass through unchanged. Both use
``StrictUndefined``: a misspelt field in a template fails the render rather than printing nothing.
Environments are built on first use and cached (no import-time work).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from bidvet.reports.view import safe_url

#: characters with meaning in CommonMark inline text or GFM tables
_MD_SPECIAL = re.compile(r"[\\`*_\[\]<>|&~]")
_MD_WHITESPACE = re.compile(r"\s*[\r\n]+\s*")
_URL_UNSAFE = {" ": "%20", "(": "%28", ")": "%29", "<": "%3C", ">": "%3E", "|": "%7C"}


def md_escape(value: Any) -> str:
    """Escape a value for Markdown: one line, special characters backslash-escaped."""
    if isinstance(value, Markup):
        return str(value)
    if value is None:
        return ""
    text = _MD_WHITESPACE.sub(" ", str(value))
    return _MD_SPECIAL.sub(lambda m: "\\" + m.group(0), text)


def md_link(title: Any, url: Any) -> Markup:
    """A Markdown link when ``url`` is a safe web link, else the escaped title alone."""
    target = safe_url(url)
    label = md_escape(title) or md_escape(url)
    if target is None:
        return Markup(label)
    for char, code in _URL_UNSAFE.items():
        target = target.replace(char, code)
    return Markup(f"[{label}]({target})")


def md_anchor(title: Any, anchor: str) -> Markup:
    """A Markdown link to an anchor inside the same document."""
    return Markup(f"[{md_escape(title)}](#{md_escape(anchor)})")


@lru_cache(maxsize=1)
def html_environment() -> Environment:
    """Jinja environment for ``*.html.j2`` templates (autoescape on)."""
    return Environment(
        loader=PackageLoader("bidvet.reports", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


@lru_cache(maxsize=1)
def markdown_environment() -> Environment:
    """Jinja environment for ``*.md.j2`` templates (every output Markdown-escaped)."""
    env = Environment(
        loader=PackageLoader("bidvet.reports", "templates"),
        autoescape=False,
        finalize=md_escape,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals["link"] = md_link
    env.globals["anchor"] = md_anchor
    return env
