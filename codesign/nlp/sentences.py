"""Finnish-aware sentence splitting with character offsets.

The pipeline's parser (which would give spaCy's sentence boundaries) is excluded from the cached docs, and
re-parsing every segment would double the NLP time, so sentences are cut by rule: after ``.``, ``!``, ``?`` or
``…`` (with any closing quote or bracket) followed by white space and a capital letter, a digit or an opening
quote — but not after a Finnish abbreviation (``esim.``, ``mm.``, ``n.``, ``klo`` …) or a single capital initial,
and not inside a date (``14.2.2024``). An ordinal (``15. päivä``) or a hesitation (``jossa on... sanotaan``) is
followed by a small letter, so it does not end a sentence either. Offsets index the text given, so
``text[start:end]`` is the sentence exactly.
"""
from __future__ import annotations

import re

#: Abbreviations that end in a full stop inside a Finnish sentence (compared casefolded, without the stop).
ABBREVIATIONS = frozenset({
    "esim", "mm", "ns", "jne", "yms", "ym", "tms", "jms", "ks", "vrt", "n", "noin", "klo", "kpl", "milj", "mrd",
    "t", "os", "s", "tri", "prof", "ts", "huom", "v", "vs", "ko", "po", "nk", "ml", "em", "ao", "eaa", "jaa",
    "puh", "tjsp", "tmv", "yht", "alk", "ent", "l", "ca", "oy", "ry", "ab", "ry:n", "kk", "vk", "min", "max",
})
_END = re.compile(r"[.!?…]+[\"”’»)\]]*(?=\s)")
_NEXT = re.compile(r"\s+[\"“”'«(\[–—-]?\s*[A-ZÅÄÖ0-9]")
_LAST_WORD = re.compile(r"(\S+?)[.]+[\"”’»)\]]*$")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """The sentences of ``text`` as (start, end) offsets (end exclusive), white space trimmed.

    Examples
    --------
    >>> t = "Se on hyvä. Esim. klo 9 alkaa. Mutta... ei se riitä!"
    >>> [t[a:b] for a, b in sentence_spans(t)]
    ['Se on hyvä.', 'Esim. klo 9 alkaa.', 'Mutta... ei se riitä!']
    """
    spans: list[tuple[int, int]] = []
    start = _skip_space(text, 0)
    for mark in _END.finditer(text):
        end = mark.end()
        following = _NEXT.match(text, end)
        if end <= start or not following:
            continue
        if mark.group().startswith(".") and len(mark.group().rstrip("\"”’»)]")) == 1:
            word = _LAST_WORD.search(text[start:end])
            token = word.group(1).casefold() if word else ""
            if token in ABBREVIATIONS or (len(token) == 1 and token.isalpha()):
                continue      # esim. / a capital initial
            if token.isdigit() and following.group()[-1].isdigit():
                continue      # a numbered list or a date written with spaces (1. 2. 2024)
        spans.append((start, end))
        start = _skip_space(text, end)
    stop = len(text.rstrip())
    if start < stop:
        spans.append((start, stop))
    return spans


def _skip_space(text: str, at: int) -> int:
    while at < len(text) and text[at].isspace():
        at += 1
    return at
