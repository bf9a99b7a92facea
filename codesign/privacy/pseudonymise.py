"""Pseudonymisation: participants' names become their codes; other people, firms and identifiers
become stable placeholders. The key table lives only in the project's ``private/`` folder.

Detection combines the register (names and aliases, matched on Voikko base forms so that inflected
``Keinäsen`` is found), the Finnish NER (persons and organisations) and patterns (e-mail, phone numbers,
Finnish personal identity codes, company names ending in a company form). Place names stay: they carry
meaning (Ylläs, Äkäslompolo, Pajala).
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from codesign.core.register import Register
from codesign.nlp.pipeline import analyses

KINDS = {"person": "HENKILÖ", "organisation": "YRITYS", "phone": "PUHELIN", "email": "SÄHKÖPOSTI",
         "hetu": "HETU"}
NUMBERED_KINDS = ("person", "organisation")

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.U)
# Finnish phone numbers: +358 40 1234567, 040 123 4567, 040-1234567, 016-561 234, (016) 561 234
PHONE = re.compile(r"(?<![\w+])(?:\+358[\s-]?\(?0?\)?\d{1,3}|\(?0\d{1,3}\)?)"
                   r"[\s-]?\d{2,4}(?:[\s-]?\d{2,4}){1,2}(?![\w])")
HETU = re.compile(r"\b(\d{6})([-+A-FU-Y])(\d{3})([0-9A-Y])\b")
_HETU_CHECK = "0123456789ABCDEFHJKLMNPRSTUVWXY"
COMPANY_FORMS = ("Oy", "Oyj", "Ky", "Ab", "AB", "Tmi", "Ay", "ry", "Ltd", "GmbH", "AS", "Inc")
COMPANY = re.compile(r"\b((?:[A-ZÅÄÖ][\w&'-]*\s+){1,3})(?:Oyj|Oy|Ky|Ab|AB|Tmi|Ay|ry|Ltd|GmbH|AS|Inc)(?::\w+)?\b")
# Names of businesses by their kind: "Hotelli Lumiaapa", "Teurajärven Kuituosuuskunta"
BUSINESS = re.compile(r"\b(?:(?:Hotelli|Hotel|Ravintola|Kahvila|Majatalo|Lomakylä|Kauppa|Safarit?)\s+[A-ZÅÄÖ][\w-]*"
                      r"|(?:[A-ZÅÄÖ][\w-]*\s+)?[A-ZÅÄÖ][\w-]*(?:osuuskunta|osuuskunnan|osuuskunnalle|osuuskunnassa))\b")
_NOT_SENTENCE_START = re.compile(r"[\w,][ \t]+$")
PLACE_CLASSES = {"paikannimi"}
NAME_CLASSES = {"etunimi", "sukunimi", "nimi"}


def valid_hetu(text: str) -> bool:
    match = HETU.fullmatch(text)
    if not match:
        return False
    return _HETU_CHECK[int(match[1] + match[3]) % 31] == match[4]


@dataclass(frozen=True)
class Replacement:
    start: int
    end: int
    kind: str          # participant | person | organisation | phone | email | hetu
    original: str
    placeholder: str


class KeyTable:
    """Stable placeholders: the same person or firm gets the same number in every run.

    Stored as CSV (placeholder, kind, key, original) in the project's private folder.
    """

    COLUMNS = ("placeholder", "kind", "key", "original")

    def __init__(self, rows: list[dict] | None = None) -> None:
        self.rows: list[dict] = []
        self._by_key: dict[tuple[str, str], str] = {}
        self._originals: set[tuple[str, str]] = set()
        self._count = {k: 0 for k in KINDS}
        for row in rows or []:
            self._remember(row)

    def _remember(self, row: dict) -> None:
        self.__dict__.pop("_redact_re", None)      # redact() recompiles with the new name
        self.rows.append(row)
        self._by_key.setdefault((row["kind"], row["key"]), row["placeholder"])
        self._originals.add((row["kind"], row["original"]))
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
        if (kind, original) not in self._originals or (kind, key) not in self._by_key:
            self._remember({"placeholder": existing, "kind": kind, "key": key, "original": original})
        return existing

    def originals(self) -> list[str]:
        return sorted({r["original"] for r in self.rows})

    def redact(self, text: str) -> str:
        """Replace every person or firm name this table already knows with its placeholder.

        For text that does not go through the pseudonymiser (programme.yml in the deliverables): a firm the
        corpus pseudonymises must not reappear by name beside the quotes.
        """
        if not hasattr(self, "_redact_re"):
            names = {r["original"]: r["placeholder"] for r in self.rows
                     if r["kind"] in ("person", "organisation") and len(r["original"]) > 2}
            self._redact_map = names
            self._redact_re = re.compile(
                r"(?<!\w)(?:" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)) + r")(?!\w)"
            ) if names else None
        if self._redact_re is None or not text:
            return text
        return self._redact_re.sub(lambda m: self._redact_map[m.group()], text)

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


@dataclass(frozen=True)
class Candidate:
    """A span that may be personal data, before overlaps are resolved and placeholders given."""
    start: int
    end: int
    kind: str
    key: str


class Pseudonymiser:
    """Finds personal data in spaCy docs and replaces it.

    ``keep`` lists names that are not personal data (places, public bodies) and must stay. Call
    :meth:`pseudonymise` with all docs of a project: persons the NER finds in one place are then also
    replaced where the NER missed them (``learned`` names).
    """

    def __init__(self, register: Register, keys: KeyTable, keep: list[str] | None = None) -> None:
        self.register = register
        self.keys = keys
        self.keep = {k.casefold() for k in (keep or [])}
        self.keep_words = {w.casefold() for k in (keep or []) for w in k.split()}
        self.name_parts = register.name_parts()
        # stems before case endings, computed once: these are checked for every capitalised token
        self._name_stems = [(stem, name, code) for name, code in self.name_parts.items() for stem in _stems(name)]
        self._keep_stems = [stem for kept in self.keep_words if len(kept) > 3
                            for stem in _stems(kept) | _place_stems(kept)]

    def pseudonymise(self, docs: list) -> list[list[Replacement]]:
        """Replacements for each doc (offsets relative to ``doc.text``), non-overlapping, in order."""
        first = [_resolve_overlaps(self.find(doc)) for doc in docs]
        learned = {part: c.key for cands in first for c in cands if c.kind == "person"
                   for part in c.key.split() if part.casefold() not in self.keep_words}
        # firstname.lastname@… names a person whose name may appear elsewhere unrecognised
        for doc, cands in zip(docs, first):
            for c in cands:
                local = doc.text[c.start:c.end].split("@")[0].split(".")
                if c.kind == "email" and len(local) == 2 and all(p.isalpha() and len(p) > 2 for p in local):
                    parts = [p.capitalize() for p in local]
                    if not any(p.casefold() in self.keep_words or p in self.name_parts for p in parts):
                        key = " ".join(sorted(parts))
                        learned.update({p: learned.get(p, key) for p in parts})
        # what was replaced once is replaced everywhere, exactly as the leak check looks for it
        surfaces = {doc.text[c.start:c.end]: c for doc, cands in zip(docs, first) for c in cands
                    if c.kind in ("person", "organisation")}
        surface_re = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(t) for t in sorted(surfaces, key=len, reverse=True))
                                + r")(?!\w)") if surfaces else None
        out = []
        for doc, cands in zip(docs, first):
            extra = [Candidate(t.idx, t.idx + len(t.text), "person", learned[self._base(t.text, t.lemma_)])
                     for t in doc if t.text[:1].isupper() and self._base(t.text, t.lemma_) in learned]
            if surface_re is not None:
                extra += [Candidate(m.start(), m.end(), surfaces[m.group()].kind, surfaces[m.group()].key)
                          for m in surface_re.finditer(doc.text)]
            chosen = _resolve_overlaps(cands + extra)
            out.append([Replacement(c.start, c.end, c.kind, doc.text[c.start:c.end],
                                    self.keys.placeholder(c.kind, c.key, doc.text[c.start:c.end]))
                        for c in chosen])
        return out

    # -- detection ---------------------------------------------------------------------------------
    def find(self, doc) -> list[Candidate]:
        """Every candidate span of personal data in one doc, overlapping ones included."""
        text = doc.text
        found: list[Candidate] = []
        for match in EMAIL.finditer(text):
            found.append(Candidate(match.start(), match.end(), "email", match.group().casefold()))
        for match in HETU.finditer(text):
            if valid_hetu(match.group()):
                found.append(Candidate(match.start(), match.end(), "hetu", match.group()))
        for match in PHONE.finditer(text):
            digits = re.sub(r"\D", "", match.group())
            if 7 <= len(digits) <= 13 and not _looks_like_year_or_money(text, match):
                found.append(Candidate(match.start(), match.end(), "phone", digits))
        found += self._register_names(doc)
        for match in COMPANY.finditer(text):
            name = match.group(1).split()
            if all(w.casefold() in self.keep_words for w in name):
                continue
            found.append(Candidate(match.start(), match.end(), "organisation", self._org_key(name)))
        for match in BUSINESS.finditer(text):
            words = match.group().split()
            if not all(w.casefold() in self.keep_words for w in words):
                found.append(Candidate(match.start(), match.end(), "organisation", self._org_key(words)))
        found += self._unknown_proper_names(doc)
        for ent in doc.ents:
            if ent.label_ == "PERSON":
                tokens = [t for t in ent if t.text[:1].isupper()]
                if not tokens or ent.text.casefold() in self.keep or self._all_places(tokens) \
                        or not self._may_be_name(tokens):
                    continue
                key = " ".join(sorted(self._base(t.text, t.lemma_) for t in tokens))
                found.append(Candidate(tokens[0].idx, tokens[-1].idx + len(tokens[-1].text), "person", key))
            elif ent.label_ == "ORG" and any(t.text.split(":")[0] in COMPANY_FORMS for t in ent):
                words = [t.text for t in ent if t.text.split(":")[0] not in COMPANY_FORMS]
                if all(w.casefold() in self.keep_words for w in words):
                    continue
                found.append(Candidate(ent.start_char, ent.end_char, "organisation",
                                       self._org_key([t.text for t in ent])))
        return found

    def _unknown_proper_names(self, doc) -> list[Candidate]:
        """Capitalised words inside a sentence that are no known place or name: business and brand names.

        Finnish capitalises only proper nouns mid-sentence, so ``Tunturikelkasta`` or ``Northern Trails
        Travel`` there is a name. Runs of such words become one organisation placeholder.
        """
        out: list[Candidate] = []
        run: list = []

        def close():
            if run:
                key = self._org_key([t.text for t in run])
                out.append(Candidate(run[0].idx, run[-1].idx + len(run[-1].text), "organisation", key))
                run.clear()

        for token in doc:
            word = token.text
            candidate = (word[:1].isupper() and not word.isupper() and len(word) > 2 and word.isalpha()
                         and token.pos_ in ("PROPN", "NOUN", "X")
                         and _NOT_SENTENCE_START.search(doc.text[max(0, token.idx - 3):token.idx] or "")
                         and not self._is_known_word(word) and not self._is_kept(token)
                         and self._name_code(token)[0] is None)
            if candidate:
                run.append(token)
            else:
                close()
        close()
        return out

    @staticmethod
    def _is_known_word(word: str) -> bool:
        """Voikko knows the word as a place (which stays), a name (found elsewhere) or a non-noun."""
        return any(cls != "nimisana" for _, cls in analyses(word))

    def _is_kept(self, token) -> bool:
        """The token is a kept name, inflected or not (``Teurajärvellä`` for Teurajärvi)."""
        word = token.text
        if word.casefold() in self.keep_words or token.lemma_.casefold() in self.keep_words:
            return True
        lower = word.casefold()
        return any(_inflected(lower, stem) for stem in self._keep_stems)

    def _register_names(self, doc) -> list[Candidate]:
        hits: list[tuple[int, int, str, bool]] = []   # (start, end, code, is_kept_place_name)
        for token in doc:
            if not token.text[:1].isupper():
                continue
            code, place = self._name_code(token)
            if code:
                hits.append((token.idx, token.idx + len(token.text), code, place))
        out: list[Candidate] = []
        i = 0
        while i < len(hits):
            j = i
            while j + 1 < len(hits) and hits[j + 1][2] == hits[i][2] and \
                    doc.text[hits[j][1]:hits[j + 1][0]].strip() == "":
                j += 1
            span = hits[i:j + 1]
            # a surname that is also a kept place name (Ylläsjärvi…) counts only next to the first name
            if len(span) > 1 or not span[0][3]:
                out.append(Candidate(span[0][0], span[-1][1], "participant", span[0][2]))
            i = j + 1
        return out

    def _name_code(self, token) -> tuple[str | None, bool]:
        forms = {token.text, token.lemma_} | {base for base, _ in analyses(token.text)}
        for form in forms:
            code = self.name_parts.get(form)
            if code:
                # only an explicitly kept name (project.yml) is a place here; the leak check agrees
                return code, form.casefold() in self.keep_words
        # names Voikko does not know (Kaaretkosken): a register name's stem plus a case ending
        for stem, name, code in self._name_stems:
            if _inflected(token.text, stem):
                return code, name.casefold() in self.keep_words
        return None, False

    def _all_places(self, tokens) -> bool:
        for t in tokens:
            readings = analyses(t.text)
            is_place = t.text.casefold() in self.keep_words or t.lemma_.casefold() in self.keep_words or \
                (readings and all(cls in PLACE_CLASSES for _, cls in readings))
            if not is_place:
                return False
        return True

    @staticmethod
    def _may_be_name(tokens) -> bool:
        """False when Voikko knows every word and none as a name (``Puolisolle``, ``Poromiesten``)."""
        for t in tokens:
            readings = analyses(t.text)
            if not readings or any(cls in NAME_CLASSES for _, cls in readings):
                return True
        return False

    def _org_key(self, words: list[str]) -> str:
        return " ".join(self._base(w) for w in words if w.split(":")[0] not in COMPANY_FORMS).casefold()

    @staticmethod
    def _base(word: str, lemma: str | None = None) -> str:
        for base, cls in analyses(word):
            if cls in NAME_CLASSES:
                return base
        return lemma or word


_CASE_ENDING = re.compile(r":?(?:n|a|ä|ta|tä|ssa|ssä|sta|stä|hen|h[aeiouyäö]n|lla|llä|lta|ltä|lle|na|nä|ksi|"
                          r"kin|kaan|kään|lle[kn]?|nsa|nsä|ni|si|lta|sen|sta|ssa|lla|aan|ään)?(?:kin|ki|han|hän)?")


def _place_stems(name: str) -> set[str]:
    """Stems of place names before case endings: Teurajärvi → Teurajärve-, Haaparanta → Haaparanna-."""
    stems = set()
    if name.endswith("järvi"):
        stems.add(name[:-1] + "e")
    if name.endswith("nta"):
        stems.add(name[:-2] + "na")
    if name.endswith("s"):
        stems.add(name + "e")
        stems.add(name + "i")
    return stems


def _stems(name: str) -> set[str]:
    """Stems a Finnish name takes before case endings: Keinänen → Keinäse-, Kaaretkoski → Kaaretkoske-."""
    stems = {name}
    if name.endswith("nen"):
        stems.add(name[:-3] + "se")
        stems.add(name[:-3] + "s")
    elif name.endswith("i"):
        stems.add(name[:-1] + "e")
    return stems


def _inflected(word: str, stem: str) -> bool:
    """``word`` is ``stem`` plus a case ending (or nothing)."""
    return word.startswith(stem) and _CASE_ENDING.fullmatch(word[len(stem):]) is not None


def _looks_like_year_or_money(text: str, match: re.Match) -> bool:
    after = text[match.end():match.end() + 3].strip().lower()
    return after[:1] in ("€", "e") or after.startswith("eur") or after.startswith("%")


_PRIORITY = {"email": 0, "hetu": 1, "phone": 2, "participant": 3, "organisation": 4, "person": 5}


def _resolve_overlaps(found: list[Candidate]) -> list[Candidate]:
    """Keep the strongest of overlapping candidates (patterns before names before NER)."""
    chosen: list[Candidate] = []
    for rep in sorted(found, key=lambda r: (_PRIORITY[r.kind], r.start, -(r.end - r.start))):
        if all(rep.end <= c.start or rep.start >= c.end for c in chosen):
            chosen.append(rep)
    return sorted(chosen, key=lambda r: r.start)


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
