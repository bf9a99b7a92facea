"""Text from the material, safe in the HTML reports.

Sticky notes, survey answers and comments are written by anyone; a report shows them as text, never as
markup. The notebooks put material into Markdown through :func:`md` and into tables through
:func:`styled`; the HTML export adds :data:`CONTENT_SECURITY_POLICY`, so that even a mistake in a future
notebook cannot run a script in a shared report (docs/security.md).
"""
from __future__ import annotations

import re
from typing import Any

#: The reports need no script and fetch nothing: images are embedded, styles inline. ``script-src 'none'``
#: also blocks ``javascript:`` links and inline event handlers (``onerror=…``).
CONTENT_SECURITY_POLICY = ("default-src 'none'; script-src 'none'; object-src 'none'; base-uri 'none'; "
                           "form-action 'none'; img-src data:; style-src 'unsafe-inline'; font-src data:")
CSP_META = f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">'

# Markdown punctuation that starts markup anywhere on a line: emphasis, code, links and images, math,
# tables, strikethrough, escapes. ``<``, ``>`` and ``&`` become entities (no HTML, no entity tricks).
_INLINE = re.compile(r"([\\`*_\[\]$|~])")
# … bare addresses (``https://…`` becomes a link), and markers that count only at the start of a line:
# headings, bullets, numbered lists.
_SCHEME = re.compile(r"(?<=\w):(?=//)")
_BULLET = re.compile(r"^(\s*)([#+-])")
_NUMBERED = re.compile(r"^(\s*\d+)([.)])")


def md(value: Any) -> str:
    """``value`` as Markdown that renders as exactly its text (white space collapsed to single spaces).

    None and NaN give "". Use it for everything in a Markdown output that did not come from codesign's own
    wording: quotes, participant codes and groups, prompts, topic labels and terms, file names.
    """
    if value is None or (isinstance(value, float) and value != value):
        return ""
    text = " ".join(str(value).split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _SCHEME.sub(r"\\:", _INLINE.sub(r"\\\1", text))
    return _NUMBERED.sub(r"\1\\\2", _BULLET.sub(r"\1\\\2", text))


def styled(frame, hide_index: bool = True, **format_options):
    """A pandas Styler of ``frame`` whose cells and headers are HTML-escaped (a Styler writes text as raw HTML
    unless told otherwise); ``format_options`` go to ``Styler.format`` (``na_rep``, ``precision`` …)."""
    style = frame.style.format(escape="html", **format_options)
    style = style.format_index(escape="html", axis=0).format_index(escape="html", axis=1)
    return style.hide(axis="index") if hide_index else style


def with_csp(html: str) -> str:
    """An HTML document with :data:`CSP_META` as the first element of its head."""
    match = re.search(r"<head[^>]*>", html, re.I)
    if match is None:
        raise ValueError("the HTML document has no <head>")
    return html[:match.end()] + "\n" + CSP_META + html[match.end():]
