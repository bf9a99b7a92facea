"""Text as people read it: sentences, and excerpts cut at sentence boundaries, never mid-word."""
from __future__ import annotations

import re

#: Abbreviations after which a full stop does not end a sentence (Finnish and a few English ones).
ABBREVIATIONS = frozenset("""esim ns mm yms tms jne ym nk ko v vrt n ca kpl klo ks s tel puh os oy ky ry tmi
                             eli esim ts prof dos tri yo ma ti ke to pe la su e.g i.e etc vs""".split())
_END = re.compile(r"([.!?…]+)[\"”’)\]]*\s+(?=[\"“”(\[]?[A-ZÅÄÖ0-9])")
#: What marks text left out of a quote.
OMISSION = "[…]"


def sentences(text: str) -> list[str]:
    """The sentences of ``text`` (whitespace normalised): a new one starts after ``.``, ``!``, ``?`` or ``…``
    followed by a capital letter or a digit — not after an abbreviation (``esim.``), an initial (``A.``) or a
    number ending in a full stop (``3.`` in a list)."""
    text = " ".join(str(text).split())
    out, start = [], 0
    for match in _END.finditer(text):
        before = text[start:match.start()].rsplit(" ", 1)[-1]
        word = before.lower().strip("([\"“")
        if match.group(1) == "." and (word in ABBREVIATIONS or (len(word) == 1 and word.isalpha())
                                       or word.isdigit()):
            continue
        out.append(text[start:match.end()].strip())
        start = match.end()
    if text[start:].strip():
        out.append(text[start:].strip())
    return out


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
