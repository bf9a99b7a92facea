"""Names as the privacy code sees them, shared by the pseudonymiser and the leak gate.

What a word is (Voikko's readings, also through spoken and dialect forms: ``Ruottiin`` is *Ruotsi*, ``Mie`` a
pronoun), the stems a name takes before its case endings (``Keinäse-``, ``Lanto-``, ``TikTokki-``), the keep
list (inflection-aware: ``ELY`` keeps ``ELYn`` and ``ELY-keskukselta``), and :class:`NameMatcher`, the one
matcher of forbidden names: case-insensitive, inflected, with ``_ . -`` and camel case as word boundaries,
inside web addresses and handles. The pseudonymiser's last pass and the leak gate use the same matcher, so
the gate never blocks on a word the pseudonymiser rightly left alone.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from codesign.nlp.finnish import SPOKEN_WORDS, written_forms
from codesign.nlp.pipeline import voikko

FIRST, SURNAME, PLACE, PROPER = "etunimi", "sukunimi", "paikannimi", "nimi"
NAME_CLASSES = frozenset({FIRST, SURNAME})
_CONTENT_CLASSES = frozenset({"nimisana", "laatusana", "nimisana_laatusana", "lyhenne"})
PROPER_CLASSES = frozenset({FIRST, SURNAME, PLACE, PROPER})
COMPANY_FORMS = ("Oyj", "Oy", "Ky", "Ab", "AB", "Tmi", "Ay", "ry", "Osk", "osk", "Ltd", "GmbH", "AS", "ASA",
                 "Inc", "Ltd", "LLC", "KB", "HB")
_VOWELS = "aeiouyäöå"

#: Personal and demonstrative pronouns, written and spoken (also northern dialect): never a person's name.
PRONOUNS = frozenset({
    "minä", "sinä", "hän", "me", "te", "he", "se", "ne", "tämä", "tuo", "nämä", "nuo",
    "mie", "sie", "hää", "met", "tet", "net", "myö", "työ", "hyö", "mä", "sä", "mää", "sää", "meä",
    "minun", "sinun", "hänen", "meidän", "teidän", "heidän", "sen", "niiden", "miun", "siun", "hään", "meän",
    "teän", "heän", "mun", "sun", "meijän", "teijän", "niitten", "sitä", "niitä", "sille", "niille", "siitä",
})
#: Second-person pronouns: a first name right after one is the person spoken to (``sie Laura``).
SECOND_PERSON = frozenset({"sinä", "sie", "sä", "sää", "te", "tet", "työ"})
#: Possessive pronouns before a first name mark kin or a close person (``meän Mervi``, ``meidän Santeri``).
POSSESSIVES = frozenset({"meän", "meidän", "meijän", "mun", "minun", "miun", "teän", "teidän", "teijän", "sun",
                         "sinun", "siun"})

#: A word as the privacy code reads it: letters with inner hyphens or apostrophes, and a ``:n`` ending.
WORD = re.compile(r"(?<!\d)[^\W\d_]+(?:['’-][^\W\d_]+)*(?::[^\W\d_]+)?(?!\d)")   # not the letters of 1a, H03

# Case endings, possessive suffixes and clitics after a name's stem (``Jounille``, ``Ruottiin``, ``ELYyn``,
# ``Airbnb:hen``, ``Pajalastaki``). Loose on purpose: what is matched always begins with a whole name's stem.
ENDING = re.compile(
    r":?(?:n|t|a|ä|ta|tä|na|nä|ssa|ssä|sta|stä|lla|llä|lta|ltä|lle|ksi|tta|ttä|ne|[aeiouyäö]n|h[aeiouyäö]n|"
    r"seen|siin|ihin|issa|issä|ista|istä|illa|illä|ilta|iltä|ille|ina|inä|iksi|ien|jen|ja|jä|ia|iä|it|ine)?"
    r"(?:ni|si|nsa|nsä|mme|nne|an|en|än)?(?:kin|ki|kaan|kään|han|hän|pa|pä|ko|kö)?")
_ENDING_PATTERN = ENDING.pattern


@dataclass(frozen=True)
class Reading:
    base: str
    cls: str
    case: str
    number: str = ""
    head: str = ""          # a compound's last part (``metsäaitta`` → aitta), empty for a simple word


@lru_cache(maxsize=200_000)
def readings(word: str) -> tuple[Reading, ...]:
    """Voikko's readings of ``word`` (base form, word class, case, number, compound head); empty when it does
    not know the word."""
    out = []
    for a in voikko().analyze(word):
        parts = re.findall(r"\(([^)]*)\)", a.get("WORDBASES", ""))
        compound = a.get("STRUCTURE", "").count("=") >= 2
        out.append(Reading(a.get("BASEFORM", ""), a.get("CLASS", ""), a.get("SIJAMUOTO", ""), a.get("NUMBER", ""),
                           parts[-1].casefold() if compound and parts else ""))
    return tuple(out)


#: The last parts of Finnish place names (joki, järvi, vaara, pudas …): a capitalised compound that ends in
#: one is a place (Saarenpudas, Haaparanta, Tornionjokilaakso); one that ends in anything else is more likely
#: a trade name (Tunturikelkka, Metsäaitta).
TOPOGRAPHIC = frozenset("""
joki järvi lampi lampare lompolo suvanto pudas koski salmi lahti niemi saari luoto ranta vaara vuori tunturi kumpu
mäki harju kangas kallio kivi aapa jänkä suo neva räme vuoma maa laakso notko kuru oja puro kylä perä pää kenttä
niitty pelto metsä salo selkä rova lehto korpi kero latva suu haara varsi puoli seutu lahdenpohja nokka nenä
vesi virta väylä silta tie katu tori puisto kortteli kaupunki kunta pitäjä seutukunta kalotti alue rinne
suomi lappi ruotsi norja venäjä pohjola
""".split())
#: The last parts of the names of public institutions (Tilastokeskus, Maanmittauslaitos, Ruokavirasto …):
#: not personal data, they stay.
INSTITUTIONAL = frozenset("""
keskus virasto laitos ministeriö hallinto hallitus valtuusto lautakunta toimisto opisto yliopisto korkeakoulu
koulu lukio sairaala kirjasto museo liitto yhdistys seura säätiö rahasto neuvosto kamari kirkko seurakunta
poliisi puolustusvoimat rajavartiosto kela tulli
""".split())
#: Swedish and Norwegian public bodies by their last element (Skatteverket, Länsstyrelsen,
#: Arbetsförmedlingen, Försäkringskassan, Arbeidstilsynet): a word no dictionary knows that ends in one
#: (with a Finnish case ending or not) stays.
NORDIC_INSTITUTIONAL = ("verket", "styrelsen", "förmedlingen", "kassan", "myndigheten", "kommun", "kommune",
                        "regionen", "inspektionen", "nämnden", "rådet", "tilsynet", "direktoratet", "etaten",
                        "fylke", "fylkeskommune", "landsting", "universitet", "sjukhuset", "polisen")
#: Swedish and Norwegian place-name elements (Norrbotten, Kiruna is known): a word no dictionary knows
#: that ends in one is a place.
NORDIC_TOPOGRAPHIC = ("botten", "berg", "dalen", "dal", "vik", "fors", "holm", "ström", "sjö", "älv", "näs",
                      "fjord", "elv", "vatn", "vann", "ås", "strand", "hamn", "havn", "land")


def foreign_institution_or_place(word: str) -> bool:
    """A word no dictionary knows that names a Nordic public body or a place by its last element, with or
    without a Finnish case ending (``Skatteverketiin``, ``Försäkringskassanille``, ``Norrbottenia``)."""
    lower = word.split(":")[0].casefold()
    for element in NORDIC_INSTITUTIONAL + NORDIC_TOPOGRAPHIC:
        at = lower.rfind(element)
        if at > 1 and (at + len(element) == len(lower)
                       or re.fullmatch(r"i?" + _ENDING_PATTERN, lower[at + len(element):])):
            return True
    return False


def local_case(word: str) -> bool:
    """An unknown word in an inner local case (-ssa, -sta, an illative -Vn, -hVn): a place, never a person
    (``Lompolossa``, ``Hetthaan``)."""
    return bool(re.search(r"(?:ssa|ssä|sta|stä|([aeiouyäö])\1n|h[aeiouyäö]{1,2}n)(?:kin|ki|han|hän)?$",
                          word.casefold()))


def topographic_unknown(word: str) -> bool:
    """An unknown word whose stem ends in a Finnish place-name element (``Lompolosta``: lompolo)."""
    lower = word.split(":")[0].casefold()
    for element in TOPOGRAPHIC:
        if len(element) < 4:
            continue
        for stem in stems(element):
            at = lower.rfind(stem)
            if at >= 0 and ENDING.fullmatch(lower[at + len(stem):]):
                return True
    return False


@lru_cache(maxsize=100_000)
def dialect_readings(word: str) -> tuple[Reading, ...]:
    """Readings of a word Voikko does not know, through northern and western speech: ``ts`` is spoken ``tt``
    and weakens to ``t`` (``Ruotti``, ``Ruottiin``, ``Ruotissa`` are *Ruotsi*; ``mettässä`` is *metsässä*)."""
    if readings(word):
        return ()
    found: list[Reading] = []
    for i in range(1, len(word)):
        if word[i] != "t":
            continue
        if word[i - 1] == "t":
            candidate = word[:i - 1] + "ts" + word[i + 1:]
        elif word[i - 1] in _VOWELS and (i + 1 == len(word) or word[i + 1] in _VOWELS):
            candidate = word[:i] + "ts" + word[i + 1:]
        else:
            continue
        found += readings(candidate)
    if not found:
        # a consonant spoken short or long (tuola = tuolla, mukkaan = mukaan): common words only
        for i in range(1, len(word) - 1):
            if word[i] in _VOWELS or not word[i].isalpha():
                continue
            if word[i] == word[i + 1]:
                candidate = word[:i] + word[i + 1:]
            elif word[i - 1] in _VOWELS and word[i + 1] in _VOWELS:
                candidate = word[:i] + word[i] + word[i:]
            else:
                continue
            found += [r for r in readings(candidate) if r.cls not in PROPER_CLASSES]
    return tuple(dict.fromkeys(found))


@dataclass(frozen=True)
class WordInfo:
    """What a word is, as far as the privacy code needs to know."""
    first: frozenset[str]       # base forms as a first name (Voikko's ``etunimi``), singular readings only
    first_cases: frozenset[str] # the cases of those readings (nimento, omanto, ulkoolento …)
    head: str                   # the last part of a compound common word (``metsäaitta`` → aitta)
    surname: frozenset[str]     # base forms as a surname (``sukunimi``)
    place: frozenset[str]       # base forms as a place name (``paikannimi``)
    proper: frozenset[str]      # other proper names Voikko knows (``nimi``: Volvo, Alko)
    common: bool                # read as a common word (noun, verb, pronoun …), also through a spoken form
    compound: bool              # the common reading is a compound (``Ojanperä``, ``Keskitalo``)
    genitive: bool              # a reading in the genitive (``Lampelan``), or an unknown word ending in -n
    known: bool                 # Voikko or the spoken-form mapping knows the word
    pronoun: bool
    spoken_common: bool         # read only as a name, but a spoken common word (mukkaan = mukaan, kotosin)
    spoken_diphthong: bool      # … by a dropped diphthong i or a consonant spoken short (Kotosin, Talvela =
                                # talvella), not by a long one spoken short (Sanna is no "sana")
    function_word: bool         # a reading as a verb, adverb, pronoun, conjunction … (Toivon = I hope)
    bases: frozenset[str]       # every base form, casefolded

    @property
    def is_name(self) -> bool:
        return bool(self.first or self.surname)


@lru_cache(maxsize=200_000)
def word_info(word: str) -> WordInfo:
    """What ``word`` is: Voikko's readings, through dialect forms and codesign's spoken-form mapping."""
    head = word.split(":")[0]
    rs = readings(head) or dialect_readings(head)
    lower = head.casefold()
    # a first name in the plural (Marjat, Monissa) is the common word
    first = {r.base for r in rs if r.cls == FIRST and r.number != "plural"}
    first_cases = frozenset(r.case for r in rs if r.cls == FIRST and r.number != "plural")
    compound_head = ""
    if not rs and "-" in head:
        parts = head.split("-")
        if all(any(r.cls == FIRST for r in readings(p)) for p in parts if p):
            first.add(head)     # double first names Voikko does not list (``Ville-Petteri``)
        else:
            last = [r for r in readings(parts[-1]) if r.cls not in PROPER_CLASSES] if parts[-1] else []
            if last:            # Eures-palvelun, WhatsApp-ryhmä: a compound of a common noun
                rs = tuple(Reading(head, r.cls, r.case, r.number, r.base.casefold()) for r in last)
                compound_head = last[0].base.casefold()
    common_readings = [r for r in rs if r.cls not in PROPER_CLASSES]
    compound_head = compound_head or next((r.head for r in common_readings if r.head), "")
    spoken = lower in SPOKEN_WORDS
    pronoun = lower in PRONOUNS or any(r.cls == "asemosana" for r in rs) or \
        (spoken and SPOKEN_WORDS[lower] in PRONOUNS)
    if not rs and not spoken and head[:1].islower():
        spoken = bool(written_forms(head))     # suffix rewrites only for lower-case words (asuntoo, pitäis)
    compound = bool(compound_head)
    return WordInfo(
        first=frozenset(first), first_cases=first_cases, head=compound_head,
        surname=frozenset(r.base for r in rs if r.cls == SURNAME),
        place=frozenset(r.base for r in rs if r.cls == PLACE), proper=frozenset(r.base for r in rs if r.cls == PROPER),
        common=bool(common_readings) or spoken or pronoun, compound=compound,
        genitive=any(r.case == "omanto" for r in rs) or (not rs and lower.endswith("n") and ":" not in word),
        known=bool(rs) or spoken, pronoun=pronoun,
        spoken_common=bool(rs) and not common_readings and _spoken_common(lower),
        spoken_diphthong=bool(rs) and not common_readings and _spoken_common(lower, shortened=False),
        function_word=any(r.cls not in _CONTENT_CLASSES for r in common_readings) or pronoun,
        bases=frozenset(r.base.casefold() for r in rs) | ({lower} if not rs else set()),
    )


@lru_cache(maxsize=50_000)
def _spoken_common(word: str, shortened: bool = True) -> bool:
    """A word Voikko reads only as a name that is a common word spoken: a consonant spoken short (northern
    ``talvela`` for *talvella*) or, with ``shortened``, long (``mukkaan``), an ``i`` dropped from a diphthong
    (``hiljasta``, ``kotosin``, ``pohjoseen``)."""
    variants = set()
    for i in range(1, len(word) - 1):
        if word[i] in _VOWELS:
            if word[i] in "aoueäö" and word[i + 1] not in _VOWELS:
                variants.add(word[:i + 1] + "i" + word[i + 1:])
        elif word[i] == word[i + 1]:
            if shortened:
                variants.add(word[:i] + word[i + 1:])
        elif word[i - 1] in _VOWELS and word[i + 1] in _VOWELS and word[i] in "lmnrstkp":
            variants.add(word[:i] + word[i] + word[i:])
    return any(r.cls not in PROPER_CLASSES for v in variants for r in readings(v))


# --- stems ----------------------------------------------------------------------------------------------

#: Words ending in -i that take an e-stem (järvi → järven): the last parts of places and surnames.
_E_STEM_WORDS = ("järvi", "koski", "lahti", "niemi", "mäki", "saari", "kivi", "joki", "vuori", "lampi", "sarvi",
                 "hirvi", "lehti", "tuli", "lumi", "suvi", "veri", "meri", "pilvi", "kaski", "salmi", "ruohi",
                 "harvi", "ovi", "sääski", "väli", "suoni", "kuusi", "tammi", "pieli", "niini", "kieli")

_WEAK_GRADE = (("kk", "k"), ("pp", "p"), ("tt", "t"), ("nk", "ng"), ("mp", "mm"), ("lt", "ll"), ("rt", "rr"),
               ("nt", "nn"), ("ht", "hd"))


@lru_cache(maxsize=50_000)
def stems(base: str) -> frozenset[str]:
    """Stems a Finnish name takes before its case endings.

    ``Keinänen`` → Keinäse-, Keinäs-; ``Venejärvi`` → Venejärve-; ``Lantto`` → Lanto- (consonant gradation);
    ``Haaparanta`` → Haaparanna-; ``Ylläs`` → Ylläkse-; loanwords ending in a consonant take -i-
    (``Finland`` → Finlandi-, ``TikTok`` → TikTokki-).
    """
    out = {base}
    if base.endswith("nen"):
        out |= {base[:-3] + "se", base[:-3] + "s"}
    last = base[-1:].casefold()
    if last == "i" and base.casefold().endswith(_E_STEM_WORDS):
        out.add(base[:-1] + "e")        # old e-stems only: Venejärvi → Venejärven, not Ari → "are"
    if last == "s" and base[-2:-1].casefold() in _VOWELS:
        out |= {base[:-1] + "kse", base + "e"}
    elif last and last.isalpha() and last not in _VOWELS and not base.endswith("nen"):
        out |= {base + "i", base + base[-1] + "i"}
    if last in _VOWELS:
        for strong, weak in _WEAK_GRADE:
            if base[:-1].casefold().endswith(strong):
                cut = len(base) - 1 - len(strong)
                out.add(base[:cut] + weak + base[-1])
                if last == "i":
                    out.add(base[:cut] + weak + "e")
                break
    return frozenset(s for s in out if len(s) >= 2)


def inflects(word: str, base: str) -> bool:
    """``word`` is an inflected form of the name ``base`` (or the base itself), by Voikko or by its stems."""
    lower, target = word.casefold(), base.casefold()
    info = word_info(word)
    if lower == target or target in info.bases:
        return True
    if info.known:
        return False        # Voikko knows the word, as something else (Päivitän is no form of Päivi)
    return any(lower.startswith(s.casefold()) and ENDING.fullmatch(lower[len(s):]) for s in stems(base))


def fold(text: str) -> str:
    """Lower case without diacritics (``Kääriäinen`` → ``kaariainen``), as names are typed in addresses."""
    return "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c))


# --- tokens ---------------------------------------------------------------------------------------------

_SENTENCE_END = set('.!?:;…"”»«()–—•*[]\n')


@dataclass
class Token:
    """A word of a text with its offsets and what it is."""
    index: int
    start: int
    end: int
    text: str
    sentence_start: bool
    info: WordInfo = field(repr=False)

    @property
    def capitalised(self) -> bool:
        return self.text[:1].isupper()

    @property
    def all_caps(self) -> bool:
        """An abbreviation, inflected or not (``ELY``, ``ELYn``, ``VR:n``): never a person's name."""
        letters = [c for c in self.text.split(":")[0] if c.isalpha()]
        return len(letters) > 1 and letters[0].isupper() and letters[1].isupper()


def tokens(text: str) -> list[Token]:
    """The words of ``text`` in order; a word is sentence-initial after ``. ! ? :``, a line break, an opening
    quote or bracket, or a list number there (``1 Koulutus …``)."""
    out: list[Token] = []
    last_end = 0
    for match in WORD.finditer(text):
        gap = text[last_end:match.start()] if out else " " + text[:match.start()]
        out.append(Token(len(out), match.start(), match.end(), match.group(), _opens_sentence(gap, not out),
                         word_info(match.group())))
        last_end = match.end()
    return out


_LIST_NUMBER = re.compile(r"(?:^|\s)\(?[A-Z]?\d{1,3}(?:\.\d{1,3})*[a-z]?[.)]?\s*$")    # 1, 2., 1a, (3), T4, 3.1


def _opens_sentence(gap: str, first: bool) -> bool:
    if "\n" in gap:
        return True
    stripped = gap.strip()
    if not stripped:
        return first
    if stripped[-1] in _SENTENCE_END:
        return True
    number = _LIST_NUMBER.search(gap)
    if number:      # a list number: "1 Koulutus pitää saada kuntaan", "… tärkeintä: 2. Asunnot"
        rest = gap[:number.start()].strip()
        return first if not rest else rest[-1] in _SENTENCE_END
    return False


# --- the keep list --------------------------------------------------------------------------------------

class KeepList:
    """Names that are not personal data (places, public bodies, brands), matched as a reader sees them:
    inflected (``Pajalassa``, ``Visit Finlandin``), spoken (``Ruottiin`` for *Ruotsi*), as the first part of
    a hyphenated compound (``ELY-keskukselta``, ``EU-maista``) and with a case ending on an abbreviation
    (``ELYn``, ``VR:n``)."""

    def __init__(self, terms: list[str] | None = None) -> None:
        self.terms = [t.strip() for t in (terms or []) if t and t.strip()]
        self.phrases = [tuple(t.split()) for t in self.terms if len(t.split()) > 1]
        # a firm or association is also named without its company form (Kolarin Yrittäjät for … ry), and a
        # programme by its first words (Sustainable Travel -juttu for Sustainable Travel Finland)
        self.phrases += [p[:k] for p in list(self.phrases) for k in range(2, len(p))]
        self.words: set[str] = set()
        for term in self.terms:
            words = term.split()
            if len(words) == 1:
                self.words.add(term.casefold())
        self._by_first: dict[str, list[tuple[str, ...]]] = {}
        for phrase in dict.fromkeys(self.phrases):
            self._by_first.setdefault(phrase[0].casefold(), []).append(phrase)
        self._stems: dict[str, str] = {}
        for word in self.words:
            for variant in {word, word.replace("ts", "tt"), word.replace("ts", "t")}:
                for stem in stems(variant):
                    self._stems.setdefault(stem.casefold(), word)
        self._cache: dict[str, bool] = {}

    def __bool__(self) -> bool:
        return bool(self.terms)

    def word_kept(self, word: str) -> bool:
        """The word alone is a kept name, inflected or not."""
        if word not in self._cache:
            self._cache[word] = self._word_kept(word)
        return self._cache[word]

    def _word_kept(self, word: str) -> bool:
        lower = word.casefold()
        head = lower.split(":")[0]
        if lower in self.words or head in self.words or word_info(word).bases & self.words:
            return True
        if "-" in head and (head.split("-")[0] in self.words or self.word_kept(head.rsplit("-", 1)[0])):
            return True     # ELY-keskukselta, EU-maista, Facebook-ryhmässä
        for i in range(len(head), 1, -1):
            if head[:i] in self._stems and ENDING.fullmatch(lower[i:]):
                return True
        return False

    def phrase_spans(self, toks: list[Token], text: str) -> list[tuple[int, int]]:
        """Token index ranges ``[i, j)`` of kept multi-word names (``Lapin ELY-keskuksen``)."""
        spans = []
        for i, first in enumerate(toks):
            for phrase in self._by_first.get(first.text.casefold(), ()):
                n = len(phrase)
                window = toks[i:i + n]
                if len(window) < n:
                    continue
                if any(text[a.end:b.start].strip() for a, b in zip(window, window[1:])):
                    continue
                last = window[-1].text
                if all(t.text.casefold() == w.casefold() for t, w in zip(window[:-1], phrase[:-1])) and \
                        (last.casefold() == phrase[-1].casefold() or inflects(last, phrase[-1])
                         or word_info(last).bases & word_info(phrase[-1]).bases):
                    spans.append((i, i + n))
        return spans


# --- the matcher of forbidden names ---------------------------------------------------------------------

#: How a forbidden single word is matched. ``free``: in any case (a name that is no common word); ``proper``:
#: capitalised (a compound that is also a common word, ``Ojanperä``); ``inside``: capitalised and not at the
#: start of a sentence (a frequent common word, ``Karhu``, ``Kallio``); ``phrase``: only as part of a full
#: name (a kept place, ``Venejärvi``).
MODES = ("free", "proper", "inside", "phrase")


@dataclass
class Term:
    words: tuple[str, ...]      # base forms; two or more for a full name or a firm
    placeholder: str            # what replaces it
    what: str                   # why it is forbidden (for findings)
    mode: str = "free"


def word_mode(word: str, keep: KeepList) -> str:
    """How a single forbidden name is matched (see ``MODES``)."""
    if keep.word_kept(word):
        return "phrase"
    info = word_info(word)
    if not info.common:
        return "free"
    return "proper" if info.compound else "inside"


_SEP = r"(?:[\s_.\-]+|(?<=[a-zåäö])(?=[A-ZÅÄÖ]))"
# a firm's company form after its name goes with it ("Tornion Malmi Oy:n" is one name)
_FORM = r"(?:[ \t]+(?:" + "|".join(COMPANY_FORMS) + r")(?::[^\W\d_]+)?(?![^\W_]))?"
_START = r"(?:(?<![^\W_])|(?<=[a-zåäö])(?=[A-ZÅÄÖ]))"
_END = r"(?:(?![^\W_])|(?=[A-ZÅÄÖ]))"
_ADDRESS = re.compile(r"(?:https?://|www\.)\S+|\b[\w-]+(?:\.[\w-]+)*\.(?:com|fi|se|no|net|org|eu|io|me)/\S*"
                      r"|(?<![\w@.])@[\w.]{3,}")


def _pieces(found: str) -> list[str]:
    """The words of a matched name, without a company form after it."""
    pieces = [p for p in re.split(r"[\s_.\-]+|(?<=[a-zåäö])(?=[A-ZÅÄÖ])", found) if p]
    while len(pieces) > 1 and pieces[-1].split(":")[0] in COMPANY_FORMS:
        pieces.pop()
    return pieces


def _is_form(word: str, name: str) -> bool:
    """``word`` is ``name`` inflected, also typed without diacritics (``keinasen`` for Keinänen)."""
    if inflects(word, name):
        return True
    plain = fold(name)
    return plain != name.casefold() and fold(word) == word.casefold() and inflects(fold(word), plain)


def _alternatives(stem_list: list[str], case_free: bool) -> str:
    parts = sorted(set(stem_list), key=len, reverse=True)
    body = "|".join(re.escape(p) for p in parts)
    return f"(?i:(?:{body})(?:{_ENDING_PATTERN}))" if case_free else f"(?:{body})(?:{_ENDING_PATTERN})"


def _capitalised(stem: str) -> str:
    return stem[:1].upper() + stem[1:]


@lru_cache(maxsize=8)
def _compile_names(pattern: str) -> re.Pattern:
    """A matcher's one large pattern, compiled once per process: every output of a build passes the gate, and
    compiling the names of a register takes about half a second (``re``'s own cache is soon full)."""
    return re.compile(pattern)


class NameMatcher:
    """Finds forbidden names in any text: the leak gate's eyes, and the pseudonymiser's last pass."""

    def __init__(self, terms: list[Term], keep: KeepList | None = None, strict: bool = False) -> None:
        """``strict``: names only as written in running text, capitalised, with ordinary word boundaries: for
        markup, scripts and data a reader does not see as text (``aria`` in HTML is no form of *Ari*)."""
        self.terms = terms
        self.strict = strict
        self.keep = keep if keep is not None else KeepList()
        self._single: dict[str, list[Term]] = {}
        self._phrase: dict[tuple[str, str], list[Term]] = {}
        free, proper, inside, phrases_free, phrases_proper = [], [], [], [], []
        self._address_parts: dict[str, Term] = {}
        for term in terms:
            if len(term.words) == 1:
                word = term.words[0]
                for stem in stems(word) | {fold(s) for s in stems(word)}:
                    self._single.setdefault(stem.casefold(), []).append(term)
                    if term.mode == "free":
                        free.append(stem)
                    elif term.mode == "proper":
                        proper.append(_capitalised(stem))
                    elif term.mode == "inside":
                        inside.append(_capitalised(stem))
                if term.mode == "free" and len(fold(word)) >= 5:
                    self._address_parts[fold(word)] = term
            else:
                first, last = term.words[0], term.words[-1]
                if strict:
                    a, b = (_alternatives([_capitalised(x) for x in stems(w)], False) for w in (first, last))
                    middle = "".join(rf"\s+{_alternatives([_capitalised(x) for x in stems(w)], False)}"
                                     for w in term.words[1:-1])
                    phrases_proper.append(rf"{a}{middle}\s+{b}")
                else:
                    a = _alternatives(list(stems(first) | {fold(s) for s in stems(first)}), True)
                    b = _alternatives(list(stems(last) | {fold(s) for s in stems(last)}), True)
                    middle = "".join(rf"{_SEP}{_alternatives(list(stems(w)), True)}" for w in term.words[1:-1])
                    (phrases_free if len(term.words) == 2 else phrases_proper).append(f"{a}{middle}{_SEP}{b}")
                for s1 in stems(first) | {fold(s) for s in stems(first)}:
                    for s2 in stems(last) | {fold(s) for s in stems(last)}:
                        self._phrase.setdefault((s1.casefold(), s2.casefold()), []).append(term)
                if all(word_mode(w, KeepList()) == "free" for w in term.words):
                    self._address_parts[fold("".join(term.words))] = term
                    self._address_parts[fold("".join(reversed(term.words)))] = term
        patterns = []
        start, end = (r"(?<![^\W_])", r"(?![^\W_])") if strict else (_START, _END)
        if strict:
            proper += [_capitalised(stem) for stem in free]
            free, self._address_parts = [], {}
        if phrases_free or phrases_proper:
            patterns.append(f"{start}(?:{'|'.join(phrases_proper + phrases_free)}){_FORM}{end}")
        if free:
            patterns.append(f"{start}{_alternatives(free, True)}{_FORM}{end}")
        if proper:
            patterns.append(f"{start}{_alternatives(proper, False)}{_FORM}{end}")
        if inside:
            patterns.append(rf"(?<=[\w,;] ){_alternatives(inside, False)}{_FORM}{end}")
        self._regex = _compile_names("|".join(f"(?:{p})" for p in patterns)) if patterns else None

    def __bool__(self) -> bool:
        return bool(self.terms)

    def find(self, text: str) -> list[tuple[int, int, Term | None]]:
        """Every forbidden name in ``text``: (start, end, term); addresses and handles that contain a name
        are returned whole."""
        out: list[tuple[int, int, Term | None]] = []
        if not text:
            return out
        for match in _ADDRESS.finditer(text):
            letters = re.sub(r"[^a-z]", "", fold(match.group()))
            for part, term in self._address_parts.items():
                if part in letters:
                    out.append((match.start(), match.end(), term))
                    break
        if self._regex is not None:
            kept: list[tuple[int, int]] | None = None
            for match in self._regex.finditer(text):
                if any(s <= match.start() < e for s, e, _ in out):
                    continue
                terms = self.terms_of(match.group(), text[:match.start()])
                if not terms:
                    continue
                if kept is None and self.keep.phrases:      # a kept multi-word name is no leak
                    toks = tokens(text)
                    kept = [(toks[i].start, toks[j - 1].end) for i, j in self.keep.phrase_spans(toks, text)]
                if kept and any(s <= match.start() and match.end() <= e for s, e in kept):
                    continue
                out.append((match.start(), match.end(), terms[0]))
        return sorted(out, key=lambda f: f[0])

    def term_of(self, found: str) -> Term | None:
        """The term a matched text belongs to (the first of several that share a stem)."""
        terms = self.terms_of(found, "")
        return terms[0] if terms else None

    def terms_of(self, found: str, before: str = "") -> list[Term]:
        """The terms a matched text really is a form of. A stem and an ending can spell a common word
        (``jonkun`` after a name ``Jonku``, ``päiviä`` after ``Päivi``): a word Voikko reads as a common word is
        no name when it is in lower case or opens a sentence, and a word Voikko knows counts only by its base."""
        pieces = _pieces(found)
        if len(pieces) >= 2:
            phrases = [t for s1 in self._prefixes(pieces[0]) for s2 in self._prefixes(pieces[-1])
                       for t in self._phrase.get((s1, s2), [])]
            phrases = [t for t in phrases if _is_form(pieces[0], t.words[0]) and _is_form(pieces[-1], t.words[-1])]
            if phrases:
                return phrases
        word = found if len(pieces) < 2 else pieces[0]
        info = word_info(word)
        if info.common and not info.is_name and (word[:1].islower() or _opens_sentence(" " + before[-3:], not before)):
            return []
        if word[:1].islower() and info.common:
            return []
        return [t for stem in self._prefixes(word) for t in self._single.get(stem, []) if _is_form(word, t.words[0])]

    @staticmethod
    def _prefixes(word: str) -> list[str]:
        lower = word.casefold()
        return [lower[:i] for i in range(len(lower), 1, -1) if ENDING.fullmatch(lower[i:])]

    def placeholders(self, found: str) -> set[str]:
        """Every placeholder a matched text could stand for (several when people share a name)."""
        pieces = _pieces(found)
        out: set[str] = set()
        if len(pieces) >= 2:
            for s1 in self._prefixes(pieces[0]):
                for s2 in self._prefixes(pieces[-1]):
                    out |= {t.placeholder for t in self._phrase.get((s1, s2), [])}
            if out:
                return out
        for stem in self._prefixes(found):
            out |= {t.placeholder for t in self._single.get(stem, [])}
        return out

    def redact(self, text: str, unresolved: str = "[HENKILÖ]") -> str:
        """``text`` with every forbidden name replaced by its placeholder (``unresolved`` where several
        people share the name)."""
        found = self.find(text)
        if not found:
            return text
        parts, last = [], 0
        for start, end, _term in found:
            if start < last:
                continue
            options = self.placeholders(text[start:end])
            parts += [text[last:start], options.pop() if len(options) == 1 else unresolved]
            last = end
        parts.append(text[last:])
        return "".join(parts)
