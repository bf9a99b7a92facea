"""Text as people read it: sentences (with their offsets), and excerpts cut at sentence boundaries, never
mid-word.

Sentences are cut by rule (the pipeline's parser is not run, and re-parsing would double the NLP time): after
``.``, ``!``, ``?`` or ``…`` (with any closing quote or bracket) followed by white space and a capital letter, a
digit or an opening quote — but not after an abbreviation (``esim.``, ``mm.``, ``klo`` …) or a single capital
initial, and not inside a date or a numbered list (``14. 2. 2024``). An ordinal (``15. päivä``) or a hesitation
(``jossa on... sanotaan``) is followed by a small letter, so it does not end a sentence either.
"""
from __future__ import annotations

import re

#: Abbreviations after which a full stop does not end a sentence (Finnish and a few English ones; compared
#: casefolded, without the stop).
ABBREVIATIONS = frozenset("""esim ns mm yms tms jne ym nk ko v vrt n ca kpl klo ks s tel puh os oy ky ry tmi
                             eli ts prof dos tri yo ma ti ke to pe la su e.g i.e etc vs noin milj mrd t huom
                             po ml em ao eaa jaa tjsp tmv yht alk ent l ab ry:n kk vk min max jms""".split())
_END = re.compile(r"[.!?…]+[\"”’»)\]]*(?=\s)")
_NEXT = re.compile(r"\s+[\"“”'«(\[–—-]?\s*[A-ZÅÄÖ0-9]")
_LAST_WORD = re.compile(r"(\S+?)[.]+[\"”’»)\]]*$")
#: What marks text left out of a quote.
OMISSION = "[…]"


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """The sentences of ``text`` as (start, end) offsets (end exclusive), white space trimmed, so
    ``text[start:end]`` is the sentence exactly.

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
            token = word.group(1).casefold().lstrip("([\"“") if word else ""
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


def sentences(text: str) -> list[str]:
    """The sentences of ``text`` with white space normalised (:func:`sentence_spans`)."""
    text = " ".join(str(text).split())
    return [text[a:b] for a, b in sentence_spans(text)]


def excerpt(text: str, limit: int = 300) -> str:
    """``text`` as a quote of at most about ``limit`` characters: whole sentences from the start, and
    ``[…]`` where the rest is left out; a first sentence longer than the limit is cut at a word boundary.
    Never cuts a word in two (a cut name could look like another person's name)."""
    text = " ".join(str(text).split())
    if len(text) <= limit:
        return text
    room = limit - len(OMISSION) - 1
    kept = ""
    for sentence in sentences(text):
        if len(kept) + len(sentence) + 1 > room:
            break
        kept = f"{kept} {sentence}".strip()
    if not kept:
        kept = text[:room].rsplit(" ", 1)[0].rstrip(",;:–-")
    return f"{kept} {OMISSION}"


def quote_sentences(text: str, keep, limit: int = 300) -> str:
    """A quote of the sentences of ``text`` numbered in ``keep`` (0-based, as :func:`sentences` counts them),
    in their order, with ``[…]`` wherever sentences are left out: before, between and after. If they are longer
    than about ``limit`` characters, the first kept sentences that fit are shown (at least the first, cut
    between words by :func:`excerpt` when it alone is too long)."""
    parts = sentences(text)
    chosen = sorted({i for i in keep if 0 <= i < len(parts)})
    if not chosen:
        return excerpt(text, limit)
    pieces, previous, length = [], -1, 0
    for i in chosen:
        sentence = parts[i]
        if pieces and length + len(sentence) + len(OMISSION) + 2 > limit:
            previous = -2           # something kept was dropped: the quote ends with an omission
            break
        if i != previous + 1:
            pieces.append(OMISSION)
        if not pieces or pieces == [OMISSION]:
            sentence = excerpt(sentence, limit - 2 * len(OMISSION) - 2) if len(sentence) > limit else sentence
        pieces.append(sentence)
        length += len(sentence) + 1
        previous = i
    if previous != len(parts) - 1:
        pieces.append(OMISSION)
    quote = " ".join(pieces)
    return quote.replace(f"{OMISSION} {OMISSION}", OMISSION)
