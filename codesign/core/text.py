"""Text as people read it: sentences, and excerpts cut at sentence boundaries, never mid-word."""
from __future__ import annotations

import re

#: Abbreviations after which a full stop does not end a sentence (Finnish and a few English ones).
ABBREVIATIONS = frozenset("""esim ns mm yms tms jne ym nk ko v vrt n ca kpl klo ks s tel puh os oy ky ry tmi
                             eli esim ts prof dos tri yo ma ti ke to pe la su e.g i.e etc vs""".split())
_END = re.compile(r"([.!?…]+)[\"”’)\]]*\s+(?=[\"“”(\[]?[A-ZÅÄÖ0-9])")
#: What marks text left out of a quote.
OMISSION = "[…]"


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences of ``text`` in ``text`` itself (surrounding whitespace left out):
    a new sentence starts after ``.``, ``!``, ``?`` or ``…`` followed by a capital letter or a digit — not after
    an abbreviation (``esim.``), an initial (``A.``) or a number ending in a full stop (``3.`` in a list)."""
    text = str(text)
    out, start = [], 0
    for match in _END.finditer(text):
        words_before = text[start:match.start()].split()
        word = words_before[-1].lower().strip("([\"“") if words_before else ""
        if match.group(1) == "." and (word in ABBREVIATIONS or (len(word) == 1 and word.isalpha())
                                       or word.isdigit()):
            continue
        out.append(_strip_span(text, start, match.end()))
        start = match.end()
    if text[start:].strip():
        out.append(_strip_span(text, start, len(text)))
    return out


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def sentences(text: str) -> list[str]:
    """The sentences of ``text``, whitespace normalised (the rules of :func:`sentence_spans`)."""
    text = str(text)
    return [" ".join(text[a:b].split()) for a, b in sentence_spans(text)]


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
