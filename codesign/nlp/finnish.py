"""Finnish word analysis for coding: base forms, compound parts and spoken forms.

The spaCy pipeline gives whole-compound lemmas (``matkailuyrittäjä``); Voikko's analysis gives the parts
(``matkailu|yrittäjä``, ``työ|suhde|asunto``), so a code about tourism matches ``matkailuyrittäjille``.
Spoken Finnish (``mä``, ``semmosia``, ``asuntoo``, ``pitäis``) is mapped to written forms before analysis
where Voikko does not know the spoken form.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from codesign.nlp.pipeline import analyses, voikko

CONTENT_POS = {"NOUN", "PROPN", "ADJ", "VERB", "ADV", "NUM", "X"}

#: Frequent spoken forms and their written equivalents (only where Voikko does not know the spoken form).
SPOKEN_WORDS = {
    "mä": "minä", "sä": "sinä", "mää": "minä", "sää": "sinä", "mun": "minun", "sun": "sinun", "mulla": "minulla",
    "sulla": "sinulla", "mulle": "minulle", "sulle": "sinulle", "mua": "minua", "sua": "sinua", "meil": "meillä",
    "teil": "teillä", "niil": "niillä", "oon": "olen", "oot": "olet", "ollaa": "ollaan", "ollu": "ollut",
    "oo": "ole", "ois": "olisi", "olis": "olisi", "et": "että", "ettei": "että ei", "niinku": "niin kuin",
    "tää": "tämä", "toi": "tuo", "noi": "nuo", "nää": "nämä", "tän": "tämän", "ton": "tuon", "ny": "nyt",
    "sit": "sitten", "sitte": "sitten", "mut": "mutta", "ku": "kun", "vaa": "vain", "vaan": "vain",
    "kans": "kanssa", "jotain": "jotakin", "semmonen": "sellainen", "tommonen": "tuollainen",
    "tämmönen": "tällainen", "mikä": "mikä", "duuni": "työ", "duunari": "työntekijä", "kämppä": "asunto",
    "firma": "yritys", "porukka": "joukko", "ite": "itse", "itte": "itse", "tosi": "todella",
    # northern and western pronouns (Peräpohjola, Tornionlaakso): mie oon, met tehhään, meän kylä
    "mie": "minä", "sie": "sinä", "hää": "hän", "met": "me", "tet": "te", "net": "ne", "miun": "minun",
    "siun": "sinun", "hään": "hänen", "meän": "meidän", "teän": "teidän", "heän": "heidän", "myö": "me",
    "hyö": "he", "meijän": "meidän", "teijän": "teidän",
}
# Suffix rewrites tried, in order, for words Voikko does not know (spoken → written endings).
_SPOKEN_SUFFIXES = [
    (re.compile(r"(.*)([aeiouyäö])\2$"), r"\1\2a"),              # asuntoo → asuntoa (partitive)
    (re.compile(r"(.*)ii$"), r"\1ia"),                           # kämppii → kämppiä / hommii → hommia
    (re.compile(r"(.*)is$"), r"\1isi"),                         # pitäis → pitäisi
    (re.compile(r"(.*)mmonen$"), r"\1llainen"),                  # semmonen → sellainen
    (re.compile(r"(.*)mmos(.*)$"), r"\1llais\2"),                # semmosia → sellaisia
    (re.compile(r"(.*)l$"), r"\1llä"),                           # meil → meillä
    (re.compile(r"(.*)ää$"), r"\1ään"),                          # tehää → tehdään (approx: tehään)
    (re.compile(r"(.*[^aeiouyäö])$"), r"\1a"),                   # clipped endings
]


def _front(word: str) -> str:
    """Vowel harmony for rewritten endings: a → ä after front-vowel stems."""
    stem = word[:-1]
    if any(v in stem for v in "äöy") and not any(v in stem for v in "aou"):
        return stem + word[-1].replace("a", "ä").replace("o", "ö").replace("u", "y")
    return word


@lru_cache(maxsize=200_000)
def written_forms(word: str) -> tuple[str, ...]:
    """Written-Finnish candidates for a word Voikko does not know (empty if it knows the word)."""
    lower = word.casefold()
    if analyses(lower) or analyses(word):
        return ()
    if lower in SPOKEN_WORDS:
        return tuple(SPOKEN_WORDS[lower].split())
    out = []
    for pattern, replacement in _SPOKEN_SUFFIXES:
        if pattern.match(lower):
            for candidate in {pattern.sub(replacement, lower), _front(pattern.sub(replacement, lower))}:
                if analyses(candidate):
                    out.append(candidate)
            if out:
                break
    return tuple(out)


@lru_cache(maxsize=200_000)
def base_forms(word: str) -> tuple[str, ...]:
    """Voikko's base forms of a word, through its written form where the word is spoken Finnish."""
    found = [b.casefold() for b, _ in analyses(word)] or [b.casefold() for b, _ in analyses(word.casefold())]
    if not found:
        for written in written_forms(word):
            found += [b.casefold() for b, _ in analyses(written)]
    return tuple(dict.fromkeys(found))


@lru_cache(maxsize=200_000)
def compound_parts(base: str) -> tuple[str, ...]:
    """Parts of a compound base form (``työsuhdeasunto`` → työ, suhde, asunto); empty for simple words.

    Cut where Voikko's STRUCTURE marks a word boundary; the bases Voikko names for the members
    (``kausityöntekijä`` → kausi, työ, tehdä) are added too.
    """
    parts: list[str] = []
    for analysis in voikko().analyze(base):
        structure = analysis.get("STRUCTURE", "")
        if structure.count("=") < 2:
            continue
        pieces, current, i = [], "", 0
        for mark in structure[1:]:
            if mark == "=":
                pieces.append(current)
                current = ""
            elif i < len(base):
                current += base[i]
                i += 1
        pieces.append(current + base[i:])
        parts += [p.casefold().strip("-") for p in pieces if len(p.strip("-")) > 1]
        parts += [m.casefold() for m in re.findall(r"\(([^+)][^)]*)\)", analysis.get("WORDBASES", ""))]
        break
    return tuple(dict.fromkeys(p for p in parts if p != base))


@dataclass(frozen=True)
class Word:
    """One token as coding sees it."""
    text: str
    lemma: str                  # the spaCy pipeline's lemma
    lemmas: frozenset[str]      # spaCy lemma + Voikko base forms (through written forms of spoken words)
    parts: frozenset[str]       # compound parts of those base forms
    pos: str
    start: int                  # character offset in the segment
    morph: str = ""             # the pipeline's morphological features (``Mood=Cnd|Person=1|…``)

    @property
    def is_content(self) -> bool:
        return self.pos in CONTENT_POS


def words(doc) -> list[Word]:
    """Every non-punctuation token of a spaCy doc with its lemmas and compound parts."""
    out = []
    for token in doc:
        if token.is_punct or token.is_space:
            continue
        lemmas = {token.lemma_.casefold(), *base_forms(token.text)}
        lemmas.discard("")
        parts = {p for lemma in lemmas for p in compound_parts(lemma)}
        out.append(Word(token.text, token.lemma_.casefold(), frozenset(lemmas), frozenset(parts), token.pos_,
                        token.idx, str(token.morph)))
    return out


class DocCache:
    """Processed spaCy docs on disk (DocBin), keyed by text hash and pipeline version.

    A re-run does no NLP for text it has seen; a new pipeline version starts a new cache file.
    """

    def __init__(self, nlp, cache_dir: Path | None) -> None:
        self.nlp = nlp
        version = f"{nlp.meta.get('name')}-{nlp.meta.get('version')}-{'_'.join(nlp.pipe_names)}"
        self.path = cache_dir / f"docs-{hashlib.sha1(version.encode()).hexdigest()[:12]}.spacy" if cache_dir else None
        self._docs: dict[str, object] = {}
        self.hits = self.misses = 0
        if self.path is not None and self.path.is_file():
            from spacy.tokens import DocBin

            for doc in DocBin().from_disk(self.path).get_docs(nlp.vocab):
                self._docs[_key(doc.text)] = doc

    def process(self, texts: list[str], batch_size: int = 64, remember: bool = True) -> list:
        """Docs for ``texts``; with ``remember=False`` new texts are processed but not kept or written
        (for text that is not the project's pseudonymised material, such as input to ``classify``)."""
        missing = list(dict.fromkeys(t for t in texts if _key(t) not in self._docs))
        self.misses += len(missing)
        self.hits += len(texts) - len(missing)
        fresh = {_key(t): doc for t, doc in zip(missing, pipe_docs(self.nlp, missing, batch_size))}
        if not remember:
            return [self._docs.get(_key(t)) or fresh[_key(t)] for t in texts]
        self._docs.update(fresh)
        if missing and self.path is not None:
            from spacy.tokens import DocBin

            self.path.parent.mkdir(parents=True, exist_ok=True)
            store = DocBin(store_user_data=False)
            for doc in self._docs.values():
                store.add(doc)
            store.to_disk(self.path)
        return [self._docs[_key(t)] for t in texts]


def _key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


#: Below this many texts a second process costs more (start, model copy) than it saves.
PARALLEL_MIN_TEXTS = 400


def pipe_docs(nlp, texts: list[str], batch_size: int = 64):
    """``nlp.pipe`` over ``texts``, in two processes when there are many texts and two cores (spaCy's
    ``n_process``: the docs are the same, each text is processed on its own)."""
    import os

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    n_process = 2 if cores >= 2 and len(texts) >= PARALLEL_MIN_TEXTS else 1
    return nlp.pipe(texts, batch_size=batch_size, n_process=n_process)


class SourceDocCache:
    """Processed spaCy docs of whole sources on disk (one DocBin per source), keyed by the pipeline and the
    source's texts: an unchanged source is not processed again, a changed one is.

    Unlike :class:`DocCache` it holds nothing in memory between calls (a source's docs are read when asked
    for), so a large project's ingest still holds one chunk's docs at a time. Raw text lives here: the folder
    belongs in the project's ``private/``.
    """

    def __init__(self, nlp, folder: Path) -> None:
        self.nlp = nlp
        self.folder = folder
        self.version = f"{nlp.meta.get('name')}-{nlp.meta.get('version')}-{'_'.join(nlp.pipe_names)}"
        self.used: set[str] = set()
        self.hits = self.misses = 0

    def _path(self, texts: list[str]) -> Path:
        digest = hashlib.sha256(self.version.encode())
        for text in texts:
            digest.update(b"\0" + text.encode("utf-8"))
        return self.folder / f"{digest.hexdigest()[:24]}.spacy"

    def process(self, groups: list[list[str]], batch_size: int = 64) -> list[list]:
        """Docs for each group of texts (one group per source), processing only the groups not cached."""
        import numpy
        from spacy.tokens import DocBin

        out: list[list | None] = []
        missing: list[int] = []
        for k, texts in enumerate(groups):
            path = self._path(texts)
            self.used.add(path.name)
            docs = None
            if path.is_file():
                try:
                    docs = list(DocBin().from_disk(path).get_docs(self.nlp.vocab))
                except Exception:       # noqa: BLE001 - a damaged cache file is processed again
                    docs = None
                if docs is not None and [d.text for d in docs] != texts:
                    docs = None
            if docs is None:
                missing.append(k)
            out.append(docs)
        self.hits += len(groups) - len(missing)
        self.misses += len(missing)
        flat = [t for k in missing for t in groups[k]]
        fresh = iter(pipe_docs(self.nlp, flat, batch_size))
        for k in missing:
            docs = [next(fresh) for _ in groups[k]]
            for doc in docs:
                doc.tensor = numpy.zeros((0,), dtype="float32")   # DocBin does not store it; tokens are read
            out[k] = docs
            self.folder.mkdir(parents=True, exist_ok=True)
            store = DocBin(store_user_data=False, docs=docs)
            path = self._path(groups[k])
            tmp = path.with_suffix(".tmp")
            store.to_disk(tmp)
            tmp.replace(path)
        return out

    def prune(self) -> int:
        """Delete the cache files no call of this run asked for (sources removed or changed); their number."""
        removed = 0
        if self.folder.is_dir():
            for path in self.folder.glob("*.spacy"):
                if path.name not in self.used:
                    path.unlink(missing_ok=True)
                    removed += 1
        return removed
