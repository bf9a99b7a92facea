"""Pseudonymisation: participants' names become their codes; other people, firms and identifiers become
stable placeholders. The key table lives only in the project's ``private/`` folder.

What is replaced, and why (each replacement carries its reason to ``private/pseudonymisation_report.csv``):

- ``pattern``: e-mail addresses, phone numbers, Finnish personal identity codes, web addresses and handles,
  firm names with a company form (``Lampelan Kaivuu Ky``, ``Lantto Bygg AB:lle``) or made of a name in the
  genitive and a capitalised noun (``Vaattojärven Sora``, ``Kallion Konepajalle``).
- ``register``: a participant's name or alias *as a whole*: the full name in either order and any case
  (``Raution Jounille``), an alias (``Karhu`` inside a sentence), a lone first name or surname when it can
  only mean that participant.
- ``lexicon``: names Voikko knows as first names or surnames, and surname-first names (``Lampelan Mervi``).
  A first name with a surname that is not the same participant's is someone else: the whole name gets a
  neutral placeholder (``Juho Kallio`` is ``[HENKILÖ-n]``, never ``P02 Kallio``).
- ``context``: a lone first name or surname resolved by the full name it last stood in within the same
  source (``Jouni`` after ``Kallion Jouni``), by the person spoken to (``sie Laura``: the interviewer), or
  left unresolved as ``[HENKILÖ]`` when several people share it.
- ``NER``: a word no dictionary knows, capitalised inside a sentence, that the Finnish NER calls a person or
  an organisation (``Tereza``).
- ``forced``: the project's ``pseudonymisation.replace`` list.
- ``gate``: the last pass, with the leak gate's own matcher (lower-case and inflected variants): what the
  gate would flag is replaced, so a build never fails on the pseudonymiser's own inconsistency.

What stays: the keep list (inflected, spoken, as the first part of a compound; it wins over the NER, and
each disagreement is a warning), places, common words and pronouns, written or spoken (``Mie``, ``Karhu``
the animal at the start of a sentence, ``Koulutus`` after a list number).
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

from codesign.core.register import Register
from codesign.nlp.finnish import written_forms
from codesign.privacy.names import (
    COMPANY_FORMS,
    INSTITUTIONAL,
    POSSESSIVES,
    PROPER_CLASSES,
    SECOND_PERSON,
    TOPOGRAPHIC,
    KeepList,
    NameMatcher,
    Term,
    Token,
    fold,
    foreign_institution_or_place,
    inflects,
    local_case,
    readings,
    stems,
    tokens,
    topographic_unknown,
    word_info,
    word_mode,
)

KINDS = {"person": "HENKILÖ", "organisation": "YRITYS", "phone": "PUHELIN", "email": "SÄHKÖPOSTI",
         "hetu": "HETU", "url": "VERKKO-OSOITE", "handle": "KÄYTTÄJÄTUNNUS"}
NUMBERED_KINDS = ("person", "organisation")
#: A person's name several people share, with nothing in the text to tell which one is meant.
UNRESOLVED = "[HENKILÖ]"
#: The reasons a replacement can have (``why`` in the report).
REASONS = ("pattern", "register", "lexicon", "context", "NER", "forced", "gate")

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.U)
# Finnish phone numbers: +358 40 1234567, 040 123 4567, 040-1234567, 016-561 234, (016) 561 234
PHONE = re.compile(r"(?<![\w+])(?:\+358[\s-]?\(?0?\)?\d{1,3}|\(?0\d{1,3}\)?)"
                   r"[\s-]?\d{2,4}(?:[\s-]?\d{2,4}){1,2}(?![\w])")
HETU = re.compile(r"\b(\d{6})([-+A-FU-Y])(\d{3})([0-9A-Y])\b")
_HETU_CHECK = "0123456789ABCDEFHJKLMNPRSTUVWXY"
URL = re.compile(r"(?:https?://|www\.)[^\s<>\"')\]]+|(?<![@\w.])(?:[\w-]+\.)+(?:com|fi|se|no|net|org|eu|io|me)"
                 r"/[^\s<>\"')\]]*[\w/]")
# an address read out in a recording: "anders piste kuoksu at pajala piste se"
SPOKEN_EMAIL = re.compile(r"(?<![\w@])[^\W\d_][\w-]*(?:\s+(?:piste|viiva)\s+[\w-]+)*\s+(?:at|ät|miukumauku)\s+"
                          r"[\w-]+(?:\s+(?:piste|viiva)\s+[\w-]+)+", re.I)
HANDLE = re.compile(r"(?<![\w@.])@[A-Za-z0-9_][A-Za-z0-9_.]*[A-Za-z0-9_]")
# Names of businesses by their kind: "Hotelli Lumiaapa", "Teurajärven Kuituosuuskunta"
BUSINESS = re.compile(r"\b(?:(?:Hotelli|Hotel|Ravintola|Kahvila|Majatalo|Lomakylä|Kauppa|Safarit?)\s+[A-ZÅÄÖ][\w-]*"
                      r"|(?:[A-ZÅÄÖ][\w-]*\s+)?[A-ZÅÄÖ][\w-]*(?:osuuskunta|osuuskunnan|osuuskunnalle|osuuskunnassa))\b")
# NER labels that say "a place, a nationality, a time": an unknown word so labelled stays
_NOT_AN_IDENTIFIER = {"GPE", "LOC", "FAC", "NORP", "LANGUAGE", "DATE", "TIME", "EVENT", "CARDINAL", "ORDINAL",
                      "QUANTITY", "MONEY", "PERCENT", "LAW"}
_SOCIAL = ("facebook.", "instagram.", "tiktok.", "linkedin.", "twitter.", "x.com", "youtube.")


def valid_hetu(text: str) -> bool:
    match = HETU.fullmatch(text)
    if not match:
        return False
    return _HETU_CHECK[int(match[1] + match[3]) % 31] == match[4]


@dataclass(frozen=True)
class Replacement:
    start: int
    end: int
    kind: str          # participant | person | organisation | phone | email | hetu | url | handle
    original: str
    placeholder: str
    why: str = ""      # one of REASONS
    detail: str = ""   # for the designer: which rule, which name it was resolved by


class KeyTable:
    """Stable placeholders: the same person or firm gets the same number in every run.

    Stored as CSV (placeholder, kind, key, original) in the project's private folder. Each run records
    which rows it used; :meth:`prune` then drops rows of names no current source contains.
    """

    COLUMNS = ("placeholder", "kind", "key", "original")

    def __init__(self, rows: list[dict] | None = None) -> None:
        self.rows: list[dict] = []
        self._by_key: dict[tuple[str, str], str] = {}
        self._originals: set[tuple[str, str, str]] = set()
        self._count = {k: 0 for k in KINDS}
        self._used: set[tuple[str, str, str]] = set()
        for row in rows or []:
            if row.get("kind") in KINDS:
                self._remember(row)

    def _remember(self, row: dict) -> None:
        self.__dict__.pop("_matcher", None)
        self.rows.append({c: row.get(c, "") for c in self.COLUMNS})
        self._by_key.setdefault((row["kind"], row["key"]), row["placeholder"])
        self._originals.add((row["kind"], row["key"], row["original"]))
        match = re.search(r"-(\d+)\]$", row["placeholder"])
        if match:
            self._count[row["kind"]] = max(self._count[row["kind"]], int(match[1]))

    def placeholder(self, kind: str, key: str, original: str) -> str:
        if kind == "participant":
            return key
        existing = self._by_key.get((kind, key))
        if existing is None:
            if kind in NUMBERED_KINDS:
                self._count[kind] += 1
                existing = f"[{KINDS[kind]}-{self._count[kind]}]"
            else:
                existing = f"[{KINDS[kind]}]"
        if (kind, key, original) not in self._originals:
            self._remember({"placeholder": existing, "kind": kind, "key": key, "original": original})
        self._used.add((kind, key, original))
        return existing

    def prune(self) -> list[dict]:
        """Drop the rows this run did not use (names of sources that are gone); returns the dropped rows."""
        kept = [r for r in self.rows if (r["kind"], r["key"], r["original"]) in self._used]
        dropped = [r for r in self.rows if (r["kind"], r["key"], r["original"]) not in self._used]
        if dropped:
            self.__dict__.pop("_matcher", None)
            self.rows = kept
            self._originals = {(r["kind"], r["key"], r["original"]) for r in kept}
            self._by_key = {}
            for r in kept:
                self._by_key.setdefault((r["kind"], r["key"]), r["placeholder"])
        return dropped

    def originals(self) -> list[str]:
        return sorted({r["original"] for r in self.rows})

    def redact(self, text: str) -> str:
        """Replace every person or firm name this table knows (inflected, in any case) with its placeholder.

        For text that does not go through the pseudonymiser (programme.yml in the deliverables): a firm the
        corpus pseudonymises must not reappear by name beside the quotes. ``leakcheck.redactor`` also covers
        the register.
        """
        if "_matcher" not in self.__dict__:
            self._matcher = NameMatcher(key_terms(self, KeepList()))
        return self._matcher.redact(text) if text else text

    @classmethod
    def load(cls, path: Path) -> "KeyTable":
        if not path.is_file():
            return cls()
        with path.open(encoding="utf-8", newline="") as handle:
            return cls(list(csv.DictReader(handle)))

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=self.COLUMNS)
            writer.writeheader()
            writer.writerows(self.rows)


# --- the forbidden names (the gate's terms) ----------------------------------------------------------------

def name_words(name: str) -> list[str]:
    """The name words of a register name or alias: no parenthesised note, no initials (``Mervi K.``)."""
    plain = re.sub(r"\([^)]*\)", " ", name)
    return [w for w in re.findall(r"[^\W\d_]+(?:-[^\W\d_]+)*", plain) if len(w) > 1 and w[:1].isupper()]


def key_terms(keys: KeyTable, keep: KeepList) -> list[Term]:
    """Terms for the names the key table holds: a person's name words, a firm's name as a phrase."""
    terms: list[Term] = []
    for row in keys.rows:
        words = row["key"].split()
        if row["kind"] == "person" and words:
            what = f"replaced person {row['placeholder']}"
            if len(words) > 1:
                terms += [Term(tuple(words), row["placeholder"], what, "phrase"),
                          Term(tuple(reversed(words)), row["placeholder"], what, "phrase")]
            terms += [Term((w,), row["placeholder"], what, word_mode(w, keep)) for w in words if len(w) > 2]
        elif row["kind"] == "organisation" and words:
            what = f"replaced firm {row['placeholder']}"
            if len(words) > 1:
                terms.append(Term(tuple(words), row["placeholder"], what, "phrase"))
            # the firm's own word alone (Metsäaitta of Teurajärven Metsäaitta Oy, Sora inside a sentence)
            if len(words[-1]) > 2:
                word = words[-1][:1].upper() + words[-1][1:]
                terms.append(Term((word,), row["placeholder"], what, word_mode(word, keep)))
    return terms


def forbidden_terms(register: Register, keys: KeyTable, keep: list[str] | KeepList) -> list[Term]:
    """What the leak gate looks for: every register name (full names in both orders, every name word) and
    every name the key table holds. A name word several people share stands for ``[HENKILÖ]``; a word that
    is also a common word counts only capitalised (inside a sentence, if it is a frequent word), a kept
    place only inside a full name."""
    keep = keep if isinstance(keep, KeepList) else KeepList(keep)
    terms: list[Term] = []
    owners: dict[str, set[str]] = {}
    for p in register:
        for name in p.names:
            words = name_words(name)
            if len(words) > 1:
                what = f"register name of {p.code}"
                terms += [Term(tuple(words), p.code, what, "phrase"),
                          Term(tuple(reversed(words)), p.code, what, "phrase")]
            for word in words:
                owners.setdefault(word, set()).add(p.code)
    for term in key_terms(keys, keep):
        if len(term.words) > 1:
            terms.append(term)
        elif term.what.startswith("replaced person"):
            owners.setdefault(term.words[0], set()).add(term.placeholder)
        else:
            terms.append(term)
    for word, who in owners.items():
        if len(word) < 3:
            continue
        placeholder = next(iter(who)) if len(who) == 1 else UNRESOLVED
        codes = sorted(w for w in who if not w.startswith("["))
        what = f"register name part of {', '.join(codes)}" if codes else f"replaced person {placeholder}"
        terms.append(Term((word,), placeholder, what, word_mode(word, keep)))
    return terms


# --- detection -------------------------------------------------------------------------------------------

@dataclass
class Mention:
    """A span that is personal data, before overlaps are resolved and placeholders given."""
    doc: int
    start: int
    end: int
    kind: str
    key: str
    why: str
    detail: str = ""
    priority: int = 5
    words: tuple[str, ...] = ()     # a name's words as written (resolved later)
    single: bool = False            # a lone name word, resolved by context
    tok: int = -1                   # index of the (first) token
    weak: bool = False              # a name only if the full name stands beside it (``Karhulle eli Kari …``)


@dataclass
class KeepWarning:
    """The NER took a kept term for a person or a firm; the keep list won."""
    doc: int
    start: int
    end: int
    text: str
    label: str


@dataclass
class _Doc:
    index: int
    group: str
    text: str
    toks: list[Token]
    hard: set[int]              # tokens inside a kept multi-word name
    soft: set[int]              # tokens that are a kept word by themselves
    ents: list[tuple[int, int, str]]
    mentions: list[Mention] = field(default_factory=list)


class _Parts:
    """Name words → who they belong to, found by base form or by stem and case ending."""

    def __init__(self) -> None:
        self._stems: dict[str, set[tuple[str, str]]] = {}

    def add(self, word: str, identity: str) -> None:
        for stem in stems(word):
            self._stems.setdefault(stem.casefold(), set()).add((word, identity))

    def lookup(self, text: str) -> set[tuple[str, str]]:
        """(name word, identity) pairs ``text`` is an inflected form of."""
        lower = text.split(":")[0].casefold()
        found: set[tuple[str, str]] = set()
        for base in word_info(text).bases:
            found |= self._stems.get(base, set())
        for i in range(len(lower), 1, -1):
            hits = self._stems.get(lower[:i])
            if hits and inflects(text, next(iter(hits))[0]):
                found |= hits
        return found


class Pseudonymiser:
    """Finds personal data in spaCy docs and replaces it.

    ``keep`` lists names that are not personal data (places, public bodies) and must stay; ``force`` names
    to replace whatever the rules say (``(name, kind)`` pairs or names); ``interviewers`` are register codes
    (a first name spoken to, ``sie Laura``, is the interviewer's). Call :meth:`pseudonymise` with all docs of
    a project, and ``groups`` naming each doc's source: a name found whole in one place is recognised alone
    elsewhere, and a lone first name is resolved within its source.
    """

    def __init__(self, register: Register, keys: KeyTable, keep: list[str] | None = None,
                 force: list | None = None, interviewers: list[str] | tuple[str, ...] = ()) -> None:
        self.register = register
        self.keys = keys
        self.keep = KeepList(keep)
        self.force = [(f, "") if isinstance(f, str) else (str(f[0]), str(f[1] or "")) for f in (force or [])]
        self.interviewers = set(interviewers)
        self.warnings: list[KeepWarning] = []
        self.participant_parts = {p.code: {w for n in p.names for w in name_words(n)} for p in register}
        self._register = _Parts()
        for code, words in self.participant_parts.items():
            for word in words:
                self._register.add(word, code)

    # -- the whole corpus -----------------------------------------------------------------------------------
    def pseudonymise(self, docs: list, groups: list[str] | None = None) -> list[list[Replacement]]:
        """Replacements for each doc (offsets relative to ``doc.text``), non-overlapping, in order."""
        groups = list(groups) if groups is not None else ["" for _ in docs]
        self.warnings = []
        state = [self._prepare(i, doc, group) for i, (doc, group) in enumerate(zip(docs, groups))]
        for d in state:
            d.mentions = self._find(d)
        people, learned_orgs = self._learn(state)
        for d in state:
            d.mentions += self._recognise(d, people, learned_orgs)
        self._resolve(state, people)
        out = []
        for d in state:
            chosen = _choose(d.mentions)
            reps = [Replacement(m.start, m.end, m.kind, d.text[m.start:m.end], self._placeholder(m, d.text),
                                m.why, m.detail) for m in chosen]
            out.append(reps)
        self._matcher = None
        matcher = self.matcher()
        for d, reps in zip(state, out):
            reps += self._last_pass(d, reps, matcher)
            reps.sort(key=lambda r: r.start)
            self._warn(d, reps)
        return out

    def matcher(self) -> NameMatcher:
        """The leak gate's matcher for this register, key table and keep list (made once per run)."""
        if getattr(self, "_matcher", None) is None:
            self._matcher = NameMatcher(forbidden_terms(self.register, self.keys, self.keep), self.keep)
        return self._matcher

    def _prepare(self, index: int, doc, group: str) -> _Doc:
        text = doc.text
        toks = tokens(text)
        hard = {k for i, j in self.keep.phrase_spans(toks, text) for k in range(i, j)}
        soft = {t.index for t in toks if self.keep.word_kept(t.text)}
        ents = [(e.start_char, e.end_char, e.label_) for e in getattr(doc, "ents", ())]
        return _Doc(index, group, text, toks, hard, soft, ents)

    # -- pass 1: each doc on its own -------------------------------------------------------------------------
    def _find(self, d: _Doc) -> list[Mention]:
        return self._patterns(d) + self._forced(d) + self._firms(d) + self._names(d) + self._unknown(d) + \
            self._trade_names(d)

    def _patterns(self, d: _Doc) -> list[Mention]:
        text, out = d.text, []
        for m in EMAIL.finditer(text):
            out.append(Mention(d.index, m.start(), m.end(), "email", m.group().casefold(), "pattern", "e-mail", 0))
        for m in SPOKEN_EMAIL.finditer(text):
            out.append(Mention(d.index, m.start(), m.end(), "email", m.group().casefold(), "pattern",
                               "e-mail address spoken out", 0))
        for m in URL.finditer(text):
            value = m.group()
            if "/" in value.split("//", 1)[-1] or any(s in value.casefold() for s in _SOCIAL):
                out.append(Mention(d.index, m.start(), m.end(), "url", value.casefold(), "pattern",
                                   "web address with a path", 0))
        for m in HANDLE.finditer(text):
            out.append(Mention(d.index, m.start(), m.end(), "handle", m.group().casefold(), "pattern",
                               "handle", 0))
        for m in HETU.finditer(text):
            if valid_hetu(m.group()):
                out.append(Mention(d.index, m.start(), m.end(), "hetu", m.group(), "pattern", "identity code", 0))
        for m in PHONE.finditer(text):
            digits = re.sub(r"\D", "", m.group())
            if 7 <= len(digits) <= 13 and not _looks_like_year_or_money(text, m):
                out.append(Mention(d.index, m.start(), m.end(), "phone", digits, "pattern", "phone number", 0))
        return out

    def _forced(self, d: _Doc) -> list[Mention]:
        out = []
        for name, kind in self.force:
            words = name.split()
            n = len(words)
            for i in range(len(d.toks) - n + 1):
                window = d.toks[i:i + n]
                if any(d.text[a.end:b.start].strip() for a, b in zip(window, window[1:])):
                    continue
                if all(inflects(t.text, w) for t, w in zip(window, words)):
                    guess = kind or ("person" if all(word_info(w).is_name for w in words) else "organisation")
                    key = _person_key(words) if guess == "person" else _org_key(words)
                    out.append(Mention(d.index, window[0].start, window[-1].end, guess, key, "forced",
                                       "pseudonymisation.replace", 1))
        return out

    def _firms(self, d: _Doc) -> list[Mention]:
        toks, text, out = d.toks, d.text, []
        for t in toks:
            if t.text.split(":")[0] not in COMPANY_FORMS or t.index == 0:
                continue
            words: list[Token] = []
            j = t.index - 1
            while j >= 0 and len(words) < 5 and text[toks[j].end:toks[j + 1].start].strip() in ("", "&") \
                    and (toks[j].capitalised or toks[j].all_caps
                         or (toks[j].text == "ja" and j > 0 and toks[j - 1].capitalised and words)):
                words.insert(0, toks[j])     # Tornionlaakson Liha ja Kala Oy
                j -= 1
            while words and _leading_filler(words[0]):
                words.pop(0)
            if not words or t.index in d.hard or all(w.index in d.soft or w.index in d.hard for w in words):
                continue        # a kept firm (Kolarin Kehitys Oy)
            out.append(Mention(d.index, words[0].start, t.end, "organisation", _org_key([w.text for w in words]),
                               "pattern", f"company form {t.text.split(':')[0]}", 2, tok=words[0].index))
        for m in BUSINESS.finditer(text):
            inside = [t for t in toks if m.start() <= t.start < m.end()]
            if inside and not all(t.index in d.soft or t.index in d.hard for t in inside):
                out.append(Mention(d.index, m.start(), m.end(), "organisation", _org_key(m.group().split()),
                                   "pattern", "business name", 2, tok=inside[0].index))
        # a name in the genitive and a capitalised noun: a trade name (Vaattojärven Sora, Kallion Konepajalle)
        for a, b in zip(toks, toks[1:]):
            if text[a.end:b.start] != " " or b.sentence_start or a.index in d.hard or b.index in d.hard:
                continue
            if not (a.capitalised and not a.all_caps and a.info.genitive and not a.info.pronoun):
                continue
            known_a = a.info.known or a.index in d.soft
            if not (b.capitalised and not b.all_caps and (b.info.common or (known_a and not b.info.known))
                    and not b.info.pronoun and not b.info.first and b.index not in d.soft and not b.info.place):
                continue        # Vaattojärven Sora, Ylläsjärven Kaivuu
            if a.info.first and not (a.info.surname or a.info.place or a.index in d.soft):
                continue
            if a.sentence_start and a.info.common and not (a.info.surname or a.info.place or a.index in d.soft):
                continue        # a heading in title case (Kylien Elinvoima), not a name
            out.append(Mention(d.index, a.start, b.end, "organisation", _org_key([a.text, b.text]), "pattern",
                               "a name in the genitive and a capitalised noun", 4, tok=a.index))
        return out

    def _names(self, d: _Doc) -> list[Mention]:
        """Full names (first + surname, surname-first) and lone name words, as Voikko and the register know
        them."""
        toks, out = d.toks, []
        used: set[int] = set()
        for i, t in enumerate(toks):
            if i in used or i in d.hard:
                continue
            chunk = self._full_name(d, i)
            if chunk:
                first, last = toks[chunk[0]], toks[chunk[-1]]
                words = tuple(toks[k].text for k in chunk)
                out.append(Mention(d.index, first.start, last.end, "person", "", "lexicon", "full name", 3,
                                   words=words, tok=first.index))
                used.update(chunk)
        for i, t in enumerate(toks):
            if i in used or i in d.hard:
                continue
            if self._lone_name(d, t):
                out.append(Mention(d.index, t.start, t.end, "person", "", "lexicon", "name", 5, words=(t.text,),
                                   single=True, tok=i))
            elif t.capitalised and t.sentence_start and t.info.common and self._register.lookup(t.text) \
                    and not t.info.pronoun and not t.all_caps:
                # an alias that is a common word, first in its sentence (Karhu): the animal, unless the
                # participant's full name stands beside it ("Karhulle eli Kari Lampelalle")
                out.append(Mention(d.index, t.start, t.end, "person", "", "register", "alias", 5,
                                   words=(t.text,), single=True, tok=i, weak=True))
        return out

    def _full_name(self, d: _Doc, i: int) -> list[int]:
        toks, text = d.toks, d.text

        def adjacent(a: Token, b: Token) -> bool:
            return text[a.end:b.start] == " "

        t = toks[i]
        nxt = toks[i + 1] if i + 1 < len(toks) and adjacent(t, toks[i + 1]) else None
        if nxt is None or nxt.index in d.hard:
            return []
        lower_pair = t.text[:1].islower() and nxt.text[:1].islower()
        # surname-first: Lampelan Mervi, Venejärven Esko, hannulan vepe (a word no dictionary knows after a
        # known surname; two unknown words are more likely a foreign firm: Northern Trails)
        if self._genitive_surname(d, t) and self._first_name(d, nxt, after=t) and \
                (nxt.info.first or self._register.lookup(nxt.text) or t.info.surname):
            return [i, i + 1]
        # first name + surname (+ a second first name: Anna Maria Virtanen)
        if self._first_name(d, t) and not t.info.pronoun:
            chunk = [i]
            cur = nxt
            while cur is not None and len(chunk) < 3:
                if self._surname_after(d, cur, lower_pair):
                    chunk.append(cur.index)
                    if not self._first_name(d, cur):
                        break
                    k = cur.index + 1
                    cur = toks[k] if k < len(toks) and adjacent(cur, toks[k]) and k not in d.hard else None
                else:
                    break
            return chunk if len(chunk) > 1 else []
        return []

    def _first_name(self, d: _Doc, t: Token, after: Token | None = None) -> bool:
        if t.capitalised and t.info.first and not t.sentence_start and not t.all_caps:
            return True             # Kivelän Jonne: a capitalised first name inside a sentence
        if t.info.pronoun or t.all_caps or (t.index in d.soft and not t.info.first) or _spoken(t):
            return False
        if t.capitalised:
            return bool(t.info.first) or any(_is_first(w) for w, _ in self._register.lookup(t.text)) or \
                (after is not None and not t.info.known and not t.sentence_start)
        # lower case: after a lower-case surname in the genitive (hannulan vepe), or a first name only
        return (bool(t.info.first) and not t.info.common) or \
            (after is not None and after.text[:1].islower() and not t.info.known)

    def _genitive_surname(self, d: _Doc, t: Token) -> bool:
        if not t.info.genitive or t.info.pronoun or t.all_caps or t.index in d.hard:
            return False
        if t.info.bases & (RELATIONS | TIMES) or t.info.function_word:
            return False            # "Naapurin Ulla-Maija", "Kerran Joonaksen …": not a surname
        if t.capitalised:
            return not (t.info.first and not t.info.surname and not t.info.common)
        return bool(t.info.surname) and not t.info.common     # hannulan

    def _surname_after(self, d: _Doc, t: Token, lower_pair: bool) -> bool:
        if t.info.pronoun or t.all_caps or t.sentence_start:
            return False
        if not t.capitalised:
            return lower_pair and (not t.info.known or (bool(t.info.surname) and not t.info.common))
        if t.index in d.soft:
            # Esko Venejärvi, Kaisa Ylläsjärvi; not "Kaisa Ylläsjärvellä", "Lauralle ELYyn"
            return t.text.casefold() in t.info.bases if t.info.known else t.text.casefold() in self.keep.words
        if t.info.place and not t.info.surname:
            # a surname that is also a place: the name in the nominative or genitive (Pirkko Niskalan kanssa)
            return bool({r.case for r in readings(t.text) if r.cls == "paikannimi"} & {"nimento", "omanto"})
        return True

    def _lone_name(self, d: _Doc, t: Token) -> bool:
        """A single capitalised word that is a name by itself."""
        if not t.capitalised or t.all_caps or t.info.pronoun or t.index in d.soft or _spoken(t):
            return False
        if self._register_word(t):
            return True
        if t.sentence_start and t.info.function_word:
            return False            # "Toivon, että …": a verb, not Toivo
        if t.info.first:
            # first in a sentence, a first name that is also a common word is the common word in an
            # adverbial case (Illalla, Varmaan), the name in the nominative or genitive (Kirsi hoitaa)
            return not (t.sentence_start and t.info.common and "nimento" not in t.info.first_cases)
        if t.info.surname:
            return not t.info.common or (not t.sentence_start and not t.info.place)
        return False

    def _register_word(self, t: Token) -> bool:
        """``t`` is a register name word in a position where it can be one (a common word only inside a
        sentence; a compound common word anywhere capitalised)."""
        if not self._register.lookup(t.text):
            return False
        if not t.info.common:
            return True
        return t.info.compound or not t.sentence_start

    def _unknown(self, d: _Doc) -> list[Mention]:
        """Capitalised words no dictionary knows, inside a sentence (brands, foreign names, firms): the NER
        says whether they are a person, an organisation, or a place that stays."""
        toks, text, out, run = d.toks, d.text, [], []

        def close():
            if run:
                start, end = run[0].start, run[-1].end
                label = _label(d.ents, start, end)
                if label in ("ORG", "PRODUCT", "WORK_OF_ART", "PERSON"):
                    start, end = self._entity_extent(d, start, end)     # Kengis Naturresor, Pirjitta Kero
                if label not in _NOT_AN_IDENTIFIER:
                    kind = "person" if label == "PERSON" else "organisation"
                    words = tuple(t.text for t in toks if start <= t.start < end)
                    out.append(Mention(d.index, start, end, kind, "" if kind == "person" else _org_key(list(words)),
                                       "NER", f"unknown word, NER {label or 'none'}", 5, words=words,
                                       single=kind == "person" and len(words) == 1, tok=run[0].index))
                run.clear()

        for t in toks:
            unknown = (t.capitalised and not t.all_caps and not t.info.known and len(t.text) > 2
                       and t.index not in d.soft and t.index not in d.hard and not t.info.first
                       and _word_like(t.text) and not _spoken_unknown(t.text)
                       and not local_case(t.text) and not topographic_unknown(t.text)
                       and not foreign_institution_or_place(t.text)
                       and (not t.sentence_start or _label(d.ents, t.start, t.end) == "PERSON"))
            if unknown and run and text[run[-1].end:t.start] != " ":
                close()
            if unknown:
                run.append(t)
            else:
                close()
        close()
        return out

    def _entity_extent(self, d: _Doc, start: int, end: int) -> tuple[int, int]:
        """A firm's span grown to the NER entity's capitalised words around it (``Kengis Naturresor``)."""
        for s, e, label in d.ents:
            if s < end and start < e:
                inside = [t for t in d.toks if s <= t.start < e and t.capitalised and t.index not in d.hard
                          and not t.info.pronoun and not (t.sentence_start and t.info.common)]
                before = [t for t in inside if t.end <= start]
                after = [t for t in inside if t.start >= end]
                while before and d.text[before[-1].end:start].strip() == "":
                    start = before.pop().start
                while after and d.text[end:after[0].start].strip() == "":
                    end = after.pop(0).end
        return start, end

    def _trade_names(self, d: _Doc) -> list[Mention]:
        """A capitalised compound noun inside a sentence is a name; one whose last part is no place-name
        element (joki, vaara, pudas …) is a trade name: Tunturikelkka, Metsäaitta, Revontulikelo."""
        out = []
        for t in d.toks:
            if (t.capitalised and not t.all_caps and not t.sentence_start and t.info.compound and t.info.head
                    and not t.info.is_name and not t.info.place and t.info.head not in TOPOGRAPHIC
                    and t.info.head not in INSTITUTIONAL
                    and "-" not in t.text and t.index not in d.soft and t.index not in d.hard):
                out.append(Mention(d.index, t.start, t.end, "organisation", _org_key([t.text]), "lexicon",
                                   f"capitalised compound noun inside a sentence (…{t.info.head})", 5,
                                   tok=t.index))
        return out

    # -- pass 2: what the corpus taught --------------------------------------------------------------------
    def _learn(self, state: list[_Doc]):
        """Who the full names are (participants or third persons), and the names learned from them."""
        people = _Parts()
        for code, words in self.participant_parts.items():
            for word in words:
                people.add(word, code)
        surfaces = {w for d in state for m in d.mentions if m.kind == "person" for w in m.words}
        self._canon = {w: _canonical(w, surfaces) for w in surfaces}
        self._third_sources: dict[str, set[str]] = {}
        self._full_surfaces: dict[str, set[str]] = {}      # words as written in full names, per source
        for d in state:
            for m in d.mentions:
                if m.kind == "person" and len(m.words) > 1:
                    self._full_surfaces.setdefault(d.group, set()).update(w.casefold() for w in m.words)
                    code = self._participant_of(m.words)
                    if code:
                        m.kind, m.key, m.why, m.detail = "participant", code, "register", f"full name of {code}"
                    else:
                        m.key = _person_key([self._base(w, role) for w, role in zip(m.words, _roles(m.words))])
                        self._third_sources.setdefault(m.key, set()).add(d.group)
                        for w in m.key.split():
                            people.add(w, m.key)
                elif m.kind == "email":
                    self._email_person(d, m, people)
        orgs = {m.key: m for d in state for m in d.mentions if m.kind == "organisation" and m.key}
        self._org_first, self._org_own = _Parts(), _Parts()
        for key in orgs:
            words = key.split()
            self._org_first.add(words[0], key)
            if len(words) > 1 and not self.keep.word_kept(words[-1]):
                self._org_own.add(words[-1], key)
        # a firm named by its distinctive word alone (Metsäaitassa for Teurajärven Metsäaitta Oy) is that firm
        longer: dict[str, set[str]] = {}
        for key in orgs:
            words = key.split()
            if len(words) > 1:
                longer.setdefault(words[-1], set()).add(key)
        for d in state:
            for m in d.mentions:
                if m.kind == "organisation" and " " not in m.key and len(longer.get(m.key, ())) == 1:
                    m.key = next(iter(longer[m.key]))
                    m.detail += "; the firm named in full elsewhere"
        return people, orgs

    def _email_person(self, d: _Doc, m: Mention, people: _Parts) -> None:
        """firstname.lastname@… names a person whose name may appear elsewhere unrecognised."""
        local = d.text[m.start:m.end].split("@")[0].split(".")
        if len(local) != 2 or not all(re.fullmatch(r"[^\W\d_]+(?:-[^\W\d_]+)*", p) and len(p) > 2 for p in local):
            return
        parts = ["-".join(s.capitalize() for s in p.split("-")) for p in local]
        if any(self.keep.word_kept(p) or word_info(p).common and not word_info(p).is_name for p in parts):
            return
        folded = {fold(w) for ws in self.participant_parts.values() for w in ws}
        if all(fold(p) in folded for p in parts):
            return
        key = _person_key(parts)
        self._third_sources.setdefault(key, set()).add(d.group)
        for p in parts:
            people.add(p, key)

    def _participant_of(self, words: tuple[str, ...]) -> str | None:
        """The participant whose name this whole name is (every word theirs, two different words), else None."""
        owners = [{identity for _, identity in self._register.lookup(w)} for w in words]
        common = set.intersection(*owners) if owners else set()
        if len(common) != 1:
            return None
        code = next(iter(common))
        matched = [{n for n, c in self._register.lookup(w) if c == code} for w in words]
        if len(set().union(*matched)) < min(2, len(words)):
            return None
        return code

    def _recognise(self, d: _Doc, people: _Parts, orgs: dict[str, Mention]) -> list[Mention]:
        """Lone words of names learned elsewhere (``Kurkelan`` after ``Hanna-Leena Kurkela``; ``annikin``
        after ``annikki hosio``), and learned firm names, whole or by their own word (``Metsäaitassa``)."""
        marked = bytearray(len(d.text) + 1)
        for m in d.mentions:
            if m.kind != "person" or not m.single:
                marked[m.start:m.end] = b"\x01" * (m.end - m.start)
        covered = {t.index for t in d.toks if marked[t.start]} | {m.tok for m in d.mentions if m.single}
        out = []
        for t in d.toks:
            if t.index in covered or t.index in d.hard or t.index in d.soft or t.all_caps or _spoken(t):
                continue
            hits = people.lookup(t.text)
            if not hits:
                continue
            # a word that is also a common word or a pronoun, first in a sentence, is the name only as written
            # in a full name of this source ("Jonne ehkä" after "Kivelän Jonne")
            as_written = t.capitalised and t.text.casefold() in self._full_surfaces.get(d.group, set())
            if t.info.pronoun and not as_written:
                continue
            if t.capitalised:
                if t.info.common and not t.info.compound and t.sentence_start and not as_written:
                    continue
            elif t.info.common or t.info.place:
                continue
            out.append(Mention(d.index, t.start, t.end, "person", "", "context", "name learned from a full name",
                               5, words=(t.text,), single=True, tok=t.index))
        taken = set(covered)
        for t in d.toks:
            if t.index in taken or t.index in d.hard:
                continue
            found = self._learned_firm(d, t)
            if found:
                key, n, detail = found
                out.append(Mention(d.index, t.start, d.toks[t.index + n - 1].end, "organisation", key, "context",
                                   detail, 5, tok=t.index))
                taken.update(range(t.index, t.index + n))
        return out

    def _learned_firm(self, d: _Doc, t: Token) -> tuple[str, int, str] | None:
        """A firm found elsewhere, named here whole or by its own word alone (as the gate reads it)."""
        for _, key in sorted(self._org_first.lookup(t.text)):
            words = key.split()
            window = d.toks[t.index:t.index + len(words)]
            if len(window) < len(words) or any(w.index in d.hard for w in window) or \
                    any(d.text[a.end:b.start] != " " for a, b in zip(window, window[1:])):
                continue
            if len(words) == 1 and (not t.capitalised or (t.info.common and t.sentence_start)):
                continue
            if all(w in x.info.bases or inflects(x.text, w) for x, w in zip(window[1:], words[1:])):
                return key, len(words), "firm name found elsewhere"
        for word, key in sorted(self._org_own.lookup(t.text)):
            mode = word_mode(word[:1].upper() + word[1:], self.keep)
            if mode == "free" and not t.capitalised and t.info.common:
                continue
            if mode in ("proper", "inside") and not t.capitalised:
                continue
            if mode == "inside" and t.sentence_start:
                continue
            if t.sentence_start and t.info.common and any(r.number == "plural" for r in readings(t.text)):
                continue        # "Tilausajoja …": the common word; a firm is named in the singular
            return key, 1, "the firm's own word, the firm named in full elsewhere"
        return None

    # -- pass 3: lone names resolved by context -------------------------------------------------------------
    def _resolve(self, state: list[_Doc], people: _Parts) -> None:
        by_group: dict[str, list[_Doc]] = {}
        for d in state:
            by_group.setdefault(d.group, []).append(d)
        for docs in by_group.values():
            anchors: list[tuple[int, int, str, str]] = []      # (doc, start, identity, name word)
            for d in docs:
                for m in d.mentions:
                    if m.kind == "participant" and len(m.words) > 1:
                        names = {n for w in m.words for n, c in self._register.lookup(w) if c == m.key}
                        anchors += [(d.index, m.start, m.key, n) for n in names]
                    elif m.kind == "person" and len(m.words) > 1 and m.key:
                        anchors += [(d.index, m.start, m.key, n) for n in m.key.split()]
                    elif m.kind == "organisation" and m.why == "pattern":
                        for t in d.toks:
                            if m.start <= t.start < m.end and t.info.surname:
                                anchors.append((d.index, m.start, "O:" + m.key, next(iter(t.info.surname))))
            for d in docs:
                for m in sorted((m for m in d.mentions if m.single), key=lambda m: m.start):
                    self._resolve_one(d, m, people, anchors)

    def _resolve_one(self, d: _Doc, m: Mention, people: _Parts, anchors) -> None:
        word = m.words[0]
        hits = people.lookup(word)
        bases = {n for n, _ in hits}
        identities = {i for _, i in hits}
        if m.weak:
            sentence_end = re.search(r"[.!?]", d.text[m.end:])
            limit = m.end + sentence_end.start() if sentence_end else len(d.text)
            beside = [a for a in anchors if a[0] == d.index and m.end <= a[1] < limit and a[2] in identities
                      and a[2] in self.register]
            if beside:
                return self._assign(m, beside[0][2], "register", f"alias of {beside[0][2]}, beside the full name")
            m.kind = "drop"
            return None
        previous = d.toks[m.tok - 1].text.casefold() if m.tok > 0 else ""
        if previous in SECOND_PERSON:
            spoken_to = {i for i in identities if i in self.interviewers}
            if len(spoken_to) == 1:
                return self._assign(m, spoken_to.pop(), "context", f"the person spoken to ({previous} {word})")
        kin = previous in POSSESSIVES
        participants = {i for i in identities if i in self.register}
        if kin:
            participants = set()

        def matches(anchor_word: str) -> bool:
            return anchor_word.casefold() in {b.casefold() for b in bases} or inflects(word, anchor_word)

        before = [a for a in anchors if (a[0], a[1]) < (d.index, m.start) and matches(a[3])
                  and (not kin or a[2] not in self.register)]
        if before:
            identity = before[-1][2]
            return self._assign(m, identity, "context", "the full name it last stood in, in this source")
        sentence_end = re.search(r"[.!?]", d.text[m.end:])
        limit = m.end + sentence_end.start() if sentence_end else len(d.text)
        after = [a for a in anchors if a[0] == d.index and m.end <= a[1] < limit and matches(a[3])
                 and (not kin or a[2] not in self.register)]
        if after:
            return self._assign(m, after[0][2], "context", "the full name beside it")
        same = {i for i in identities if i not in self.register and not i.startswith("O:")
                and d.group in self._third_sources.get(i, set())}
        elsewhere = {i for i in identities if i not in self.register and not i.startswith("O:")} - same
        if len(participants) + len(same) == 1 and not (participants and elsewhere):
            identity = (participants | same).pop()
            why = "register" if identity in self.register else "context"
            return self._assign(m, identity, why, "the only person of this name" if why == "context" else
                                f"name of {identity}")
        if not participants and not same and not (kin and any(i in self.register for i in identities)):
            base = self._base(word, "first" if word_info(word).first else "surname")
            key = _person_key([base])
            self._third_sources.setdefault(key, set()).add(d.group)
            people.add(base, key)
            return self._assign(m, key, m.why, m.detail or "a name")
        who = sorted(participants | same | elsewhere)
        return self._assign(m, None, "context", f"several people share the name ({len(who)}): not resolved")

    def _assign(self, m: Mention, identity: str | None, why: str, detail: str) -> None:
        m.single = False
        m.why, m.detail = why, detail
        if identity is None:
            m.kind, m.key = "person", ""
        elif identity in self.register:
            m.kind, m.key = "participant", identity
        elif identity.startswith("O:"):
            m.kind, m.key = "organisation", identity[2:]
        else:
            m.kind, m.key = "person", identity

    # -- placeholders, the last pass, warnings ---------------------------------------------------------------
    def _placeholder(self, m: Mention, text: str) -> str:
        if m.kind == "person" and not m.key:
            return UNRESOLVED
        return self.keys.placeholder(m.kind, m.key, text[m.start:m.end])

    def _last_pass(self, d: _Doc, reps: list[Replacement], matcher: NameMatcher) -> list[Replacement]:
        """What the leak gate would still flag in this doc, replaced with the gate's own placeholder."""
        out = []
        masked = list(d.text)
        for r in reps:      # what is replaced already reads as a word that is no name ("0000")
            masked[r.start:r.end] = "0" * (r.end - r.start)
        for start, end, term in matcher.find("".join(masked)):
            if any(r.start < end and start < r.end for r in reps + out):
                continue
            if any(d.toks[k].start < end and start < d.toks[k].end for k in d.hard):
                continue
            options = matcher.placeholders(d.text[start:end]) or ({term.placeholder} if term else set())
            placeholder = options.pop() if len(options) == 1 else UNRESOLVED
            kind = "participant" if placeholder in self.register else \
                ("organisation" if placeholder.startswith("[YRITYS") else "person")
            out.append(Replacement(start, end, kind, d.text[start:end], placeholder, "gate",
                                   term.what if term else "leak gate"))
        return out

    def _warn(self, d: _Doc, reps: list[Replacement]) -> None:
        for start, end, label in d.ents:
            if label != "PERSON":       # public bodies are organisations: the NER is right, and they stay
                continue
            inside = [t for t in d.toks if start <= t.start < end]
            if not inside or not all(t.index in d.hard or t.index in d.soft for t in inside):
                continue
            if any(r.start < end and start < r.end for r in reps):
                continue
            self.warnings.append(KeepWarning(d.index, start, end, d.text[start:end], label))

    # -- words to keys -------------------------------------------------------------------------------------
    def _base(self, word: str, role: str) -> str:
        info = word_info(word)
        for names in ((info.first, info.surname) if role == "first" else (info.surname, info.first)):
            if names:
                return sorted(names)[0]
        registered = sorted(n for n, _ in self._register.lookup(word))
        if registered:
            return registered[0]
        if info.place:
            return sorted(info.place)[0]
        if info.common and word[:1].isupper():
            base = sorted(info.bases)[0]
            return base[:1].upper() + base[1:]
        canon = getattr(self, "_canon", {}).get(word, word)
        return canon[:1].upper() + canon[1:]


# --- helpers -----------------------------------------------------------------------------------------------

#: Nouns of time: their genitive starts a sentence ("Kerran …", "Vuoden …"), it is no surname.
TIMES = frozenset("""
kerta aika hetki vuosi kuukausi viikko päivä ilta aamu yö kesä talvi kevät syksy tunti minuutti vuorokausi
""".split())

#: Nouns of kinship and acquaintance: in the genitive before a first name they are not a surname
#: ("Naapurin Ulla-Maija", "Serkun Jouni").
RELATIONS = frozenset("""
naapuri veli sisko sisar isä äiti mummo mummu pappa vaari ukki isoisä isoäiti täti setä eno serkku vaimo mies
aviomies puoliso poika tytär tyttö lapsi kaveri ystävä tuttu työkaveri kollega pomo esimies opettaja emäntä
isäntä anoppi appi miniä vävy lanko käly kummi kummitäti naapurintyttö naapurinpoika
""".split())


def _word_like(word: str) -> bool:
    """Not an interjection or a noise (Hmm, Mmm, Öö): a vowel and three different letters."""
    letters = word.casefold()
    return any(c in "aeiouyäöå" for c in letters) and len(set(letters)) >= 3


def _spoken_unknown(word: str) -> bool:
    """An unknown word that is a spoken common word (Jonku for jonkun: a final -n dropped)."""
    lower = word.casefold()
    return bool(written_forms(lower)) or any(r.cls not in PROPER_CLASSES for r in readings(lower + "n"))


def _spoken(t: Token) -> bool:
    """A word read only as a name that is a spoken common word where it stands (lower case, or first in a
    sentence): ``Mukkaan``, ``hiljasta``."""
    if not t.capitalised:
        return t.info.spoken_common
    return t.sentence_start and t.info.spoken_diphthong     # not "Sanna" (sana): names have long consonants


def _is_first(word: str) -> bool:
    return bool(word_info(word).first) or not word_info(word).known


def _roles(words: tuple[str, ...]) -> list[str]:
    """first/surname for each word of a full name: surname-first when the first word is a genitive and the
    second a first name (Lampelan Mervi), else first names then the surname."""
    if len(words) == 2 and word_info(words[0]).genitive and (word_info(words[1]).first or
                                                             not word_info(words[1]).known) \
            and not (word_info(words[0]).first and not word_info(words[0]).genitive):
        if not word_info(words[0]).first or word_info(words[0]).surname:
            return ["surname", "first"]
    return ["first"] * (len(words) - 1) + ["surname"]


def _canonical(word: str, surfaces: set[str]) -> str:
    """The shortest other surface of the corpus that ``word`` is an inflected form of (``Lanton`` →
    ``Lantto``), for names no dictionary knows."""
    if word_info(word).known:
        return word
    options = [s for s in surfaces if s != word and len(s) <= len(word) and inflects(word, s)]
    return min(options, key=len) if options else word


def _person_key(words) -> str:
    return " ".join(sorted(w for w in words if w))


def _org_key(words: list[str]) -> str:
    out = []
    for w in words:
        head = w.split(":")[0]
        if head in COMPANY_FORMS:
            continue
        info = word_info(head)
        names = sorted(info.surname or info.first or info.place)
        out.append((names[0] if names else sorted(info.bases)[0] if info.bases else head).casefold())
    return " ".join(out)


def _leading_filler(t: Token) -> bool:
    """A sentence's first word before a firm name that is not part of it (``Esimerkiksi Kallion Konepaja Oy``)."""
    if t.info.pronoun:
        return True
    if not t.sentence_start or not t.info.common or t.info.is_name:
        return False
    return not any(r.cls == "nimisana" and r.case == "nimento" for r in readings(t.text))


def _label(ents: list[tuple[int, int, str]], start: int, end: int) -> str:
    for s, e, label in ents:
        if s < end and start < e:
            return label
    return ""


_PRIORITY_KIND = {"email": 0, "url": 0, "handle": 0, "hetu": 1, "phone": 2, "participant": 3, "organisation": 4,
                  "person": 5}


def _choose(found: list[Mention]) -> list[Mention]:
    """The strongest of overlapping mentions (patterns, forced names, firms, full names, lone words)."""
    chosen: list[Mention] = []
    found = [m for m in found if m.kind != "drop"]
    for m in sorted(found, key=lambda m: (m.priority, _PRIORITY_KIND.get(m.kind, 9), m.start, -(m.end - m.start))):
        if all(m.end <= c.start or m.start >= c.end for c in chosen):
            chosen.append(m)
    return sorted(chosen, key=lambda m: m.start)


def _looks_like_year_or_money(text: str, match: re.Match) -> bool:
    after = text[match.end():match.end() + 3].strip().lower()
    return after[:1] in ("€", "e") or after.startswith("eur") or after.startswith("%")


def apply(text: str, replacements: list[Replacement]) -> str:
    """``text`` with every replacement made (replacements sorted and non-overlapping)."""
    parts, last = [], 0
    for rep in replacements:
        parts.append(text[last:rep.start])
        parts.append(rep.placeholder)
        last = rep.end
    parts.append(text[last:])
    return "".join(parts)


def shift(position: int, replacements: list[Replacement]) -> int:
    """Where ``position`` of the original text lands in the replaced text."""
    delta = 0
    for rep in replacements:
        if rep.end <= position:
            delta += len(rep.placeholder) - (rep.end - rep.start)
        else:
            break
    return position + delta
