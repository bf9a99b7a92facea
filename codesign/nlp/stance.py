"""Finnish stance cues: endorsement, doubt, hedging, negation with its scope, proposals of another target or
measure, and numerals written as words (also spoken: *kakskytkaheksan*, *viistoista*).

The cues are counted on the words of :func:`codesign.nlp.finnish.words` (lemmas and Voikko base forms, spoken
forms through their written ones), so *en mie usko*, *emmä usko* and *ei uskota* are all a negated *uskoa*.
A negation (the negative verb *ei* in any person, and the spoken *emmä*, *enkä*, *ettei* …) covers the words
after it up to ``NEGATION_SCOPE`` words, within its clause (a comma, a full stop or a conjunction such as
*mutta*, *koska*, *jos* ends it). A cue word in the scope of a negation counts as its opposite: *ei
realistinen* and *en usko* are doubt, *ei mahdoton* and *ei haittaa* a grudging acceptance. Which cue makes
which stance, and how much, is learned from a coding (``codesign.analysis.goals``); this module only finds
them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

#: Words after a negation it covers (at most; its clause may end sooner).
NEGATION_SCOPE = 4

#: Endorsement: the goal is good, right, needed, realistic (lemmas).
SUPPORT = frozenset("""
hyvä kannattaa kannatettava kannatus tärkeä oikea järkevä tarpeellinen tarpeen realistinen saavutettava
mahdollinen tukea allekirjoittaa hieno erinomainen loistava tervetullut ehdottomasti positiivinen uskoa
kelvata sopia fiksu järkeenkäypä kannatan puolesta ok okei selvä hyödyllinen arvokas kunnianarvoisa
""".split())
#: Doubt: the goal is unrealistic, too much, wrong, unlikely (lemmas).
DOUBT = frozenset("""
epärealistinen mahdoton epäillä epäily epäilys tuskin utopia satu haave toiveajattelu ylioptimistinen
optimistinen kova liian liika liikaa vaikea huono turha väärä epätodennäköinen ylimitoitettu haihattelu
kyseenalainen pessimistinen huolestuttaa pelätä hurja kunnianhimoinen yliampuva mahdottomuus harhaanjohtava
haitata
""".split())
#: Realisation verbs: negated they doubt the goal (*ei toteudu*, *ei riitä*, *ei se määrä ratkaise*).
REALISATION = frozenset("""
toteutua onnistua riittää ratkaista liikkua muuttua tapahtua kasvaa nousta täyttyä toimia tulla päättää
""".split())
#: Hedging: the speaker does not commit (lemmas); phrases in ``HEDGE_PHRASES``.
HEDGE = frozenset("""
ehkä varmaan kai kenties mahdollisesti luultavasti todennäköisesti riippua epävarma epäselvä vaikeasti
""".split())
#: Another target, level, measure, scope or wording is proposed (lemmas).
REFINE = frozenset("""
ennemmin mieluummin sijaan sijasta rinnalle rinnalla rinnakkainen lisäksi mittari mitata muotoilla
kirjoittaa määritellä täsmentää tarkentaa porrastaa välitavoite erottaa eritellä laskea huomioida vaihtaa
korvata tilalle
""".split())
#: Verbs of belief: negated, they negate the clause they introduce (*en usko, että se on realistinen*).
BELIEF = frozenset("uskoa luulla usko".split())
#: Contrast (*kyllä mutta*) and condition (*jos*, *kunhan*).
CONTRAST = frozenset("mutta mut kuitenkin silti toisaalta tosin".split())
CONDITION = frozenset("jos mikäli kunhan edellyttää edellytys".split())
#: The negative verb's spoken forms Voikko does not read as *ei* (``et`` is left out: spoken, it is *että*).
NEGATION_FORMS = frozenset("""
en ei emme ette eivät emmä emmää emmie enkä eikä emmekä ettekä eivätkä ettei jottei muttei mutten enpä eipä
eihän enhän eivät eivätkä eiks eikös
""".split()) - {"eiks", "eikös"}
#: Words that end a negation's clause.
CLAUSE_WORDS = frozenset("mutta mut vaan koska kun jos että ja sekä eli tai vai kuin".split())
_CLAUSE_END = re.compile(r"[,.;:!?–—()\"]")


@dataclass
class Cues:
    """The stance cues found in a text: counts by kind, and the words that made them (its evidence)."""
    counts: dict[str, float] = field(default_factory=dict)
    words: list[str] = field(default_factory=list)

    def add(self, kind: str, words: str, weight: float = 1.0) -> None:
        self.counts[kind] = self.counts.get(kind, 0.0) + weight
        self.words.append(words)

    def __getitem__(self, kind: str) -> float:
        return self.counts.get(kind, 0.0)


#: The kinds of cue :func:`cues` counts, in a fixed order (a model's feature names).
CUE_KINDS = ("support", "negated_support", "doubt", "negated_doubt", "negated_realisation", "realisation",
             "negation", "hedge", "dont_know", "refine", "conditional_first_person", "conditional", "contrast",
             "yes_but", "condition", "question_mark", "starts_no", "starts_yes", "necessive", "imperative",
             "past", "finite_verb", "first_person", "negated_measure")
#: Necessity and proposal: *pitää*, *täytyy*, *tarvitaan*, *kannattaisi*.
NECESSIVE = frozenset("pitää täytyy tarvita tarve välttämätön kannattaa saada tulla".split())
#: Words about a measure: negated (*ei kerro koko totuutta*, *ei oo mittaria*) they doubt the indicator.
MEASURE = frozenset("mittari mitata kertoa näkyä laskea tilasto luku lukumäärä määrä".split())


def is_negation(word, after=None) -> bool:
    """The negative verb (*en, et, ei …*, spoken *emmä, ettei …*), not the interrogative *eikö*. ``after``: the
    words that follow; *ette* is the northern spoken *että* unless a connegative verb follows it."""
    text = word.text.casefold()
    if text.startswith("eikö") or text in ("eiks", "eikös", "et"):
        return False
    if text == "ette" and not any("Connegative=Yes" in w.morph for w in (after or [])[:3]):
        return False
    return text in NEGATION_FORMS or ("ei" in word.lemmas and word.pos in ("AUX", "VERB", "ADV", "X", ""))


def negated(text: str, ws: list) -> list[bool]:
    """For each word of ``ws`` (words of ``text``, in order): is it in the scope of a negation?"""
    out = [False] * len(ws)
    for i, w in enumerate(ws):
        if not is_negation(w, ws[i + 1:]):
            continue
        belief = False
        for j in range(i + 1, min(len(ws), i + 1 + NEGATION_SCOPE)):
            between = text[ws[j - 1].start + len(ws[j - 1].text): ws[j].start]
            if _CLAUSE_END.search(between) or ws[j].text.casefold() in CLAUSE_WORDS:
                break
            out[j] = True
            belief = belief or bool(ws[j].lemmas & BELIEF)
        if belief:
            # "en usko, että se on realistinen": the negated belief covers the clause it introduces
            j = i + 1
            while j < len(ws) and not re.search(r"[.!?;]", text[ws[j - 1].start + len(ws[j - 1].text): ws[j].start]):
                out[j] = True
                j += 1
    return out


def cues(text: str, ws: list) -> Cues:
    """The stance cues of a text (``ws``: its words from :func:`codesign.nlp.finnish.words`)."""
    found = Cues()
    neg = negated(text, ws)
    lower = [w.text.casefold() for w in ws]
    last_negation = -1
    for i, w in enumerate(ws):
        lemmas = w.lemmas | {lower[i]}
        if is_negation(w, ws[i + 1:]):
            last_negation = i
            scope = [ws[j] for j in range(i + 1, min(len(ws), i + 1 + NEGATION_SCOPE)) if neg[j]]
            if not any(x.lemmas & (SUPPORT | DOUBT | REALISATION) for x in scope):
                if any(x.lemmas & {"tietää", "tiiä", "tiijä", "osata", "sanoa"} for x in scope[:2]):
                    found.add("dont_know", " ".join([w.text] + [x.text for x in scope[:2]]))
                else:
                    found.add("negation", w.text)
            continue
        # the evidence of a negated cue is the negation and what follows it up to the cue ("en mie usko")
        pair = " ".join(x.text for x in ws[last_negation:i + 1]) if neg[i] and last_negation >= 0 else w.text
        if lemmas & SUPPORT:
            found.add("negated_support" if neg[i] else "support", pair if neg[i] else w.text)
        elif lemmas & DOUBT and not (i + 1 < len(ws) and "vaikea" in lemmas
                                     and ws[i + 1].lemmas & {"sanoa", "arvioida", "tietää"}):
            found.add("negated_doubt" if neg[i] else "doubt", pair if neg[i] else w.text)
        elif lemmas & REALISATION:
            if neg[i]:
                found.add("negated_realisation", pair)
            elif "Mood=Cnd" not in w.morph:
                found.add("realisation", w.text, 0.5)
        if lemmas & HEDGE:
            found.add("hedge", w.text)
        if "vaikea" in lemmas and i + 1 < len(ws) and ws[i + 1].lemmas & {"sanoa", "arvioida", "uskoa", "tietää"}:
            found.add("hedge", f"{w.text} {ws[i + 1].text}")
        if lemmas & REFINE or lower[i].startswith(("tavoitteeks", "tavotteeks", "mittariks")):
            found.add("refine", w.text)
        if "Mood=Cnd" in w.morph:
            if "Person=1" in w.morph:
                found.add("conditional_first_person", w.text)
            else:
                found.add("conditional", w.text, 0.5)
        if lemmas & CONTRAST:
            found.add("contrast", w.text)
            if any(x.lemmas & ({"kyllä", "joo", "hyvä", "sinänsä", "periaate"} | SUPPORT) for x in ws[max(0, i - 6):i]):
                found.add("yes_but", f"… {w.text}")
        if lemmas & CONDITION:
            found.add("condition", w.text)
        if lemmas & NECESSIVE and w.pos in ("VERB", "AUX") and lower[i] not in ("pitäis", "pitäisi"):
            found.add("necessive", w.text)
        elif lower[i] in ("pitäis", "pitäisi", "täytyis", "täytyisi", "tarttis", "tarvis"):
            found.add("necessive", w.text)
        if "Mood=Imp" in w.morph:
            found.add("imperative", w.text)
        if "Tense=Past" in w.morph or "Tense=Past" in w.morph:
            found.add("past", w.text, 0.5)
        if "VerbForm=Fin" in w.morph and w.pos in ("VERB", "AUX"):
            found.add("finite_verb", w.text, 0.25)
            if "Person=1" in w.morph:
                found.add("first_person", w.text, 0.5)
        if neg[i] and lemmas & MEASURE:
            found.add("negated_measure", w.text)
    if "?" in text:
        found.add("question_mark", "?", float(text.count("?")))
    if ws:
        first = lower[0]
        if first in ("no", "niin", "mutta") and len(ws) > 1:
            first = lower[1] if not is_negation(ws[1]) else "ei"
        if first in NEGATION_FORMS - {"ette"} or first == "ei" or is_negation(ws[0], ws[1:]):
            found.add("starts_no", ws[0].text)
        elif first in ("kyllä", "joo", "juu", "on", "hyvä", "totta", "ehdottomasti", "kannatan", "tottakai"):
            found.add("starts_yes", ws[0].text)
    return found


# --- numerals ---------------------------------------------------------------------------------------------

_UNITS = {"yksi": 1, "yks": 1, "kaksi": 2, "kaks": 2, "kolme": 3, "kol": 3, "neljä": 4, "nel": 4, "viisi": 5,
          "viis": 5, "kuusi": 6, "kuus": 6, "seitsemän": 7, "seittemän": 7, "seitsämän": 7, "seiska": 7,
          "kahdeksan": 8, "kaheksan": 8, "kasi": 8, "yhdeksän": 9, "yheksän": 9, "ysi": 9, "kymmenen": 10,
          "kymppi": 10}
_MORPHEMES = sorted([(m, ("unit", v)) for m, v in _UNITS.items()]
                    + [("kymmentä", ("tens", 10)), ("kymppiä", ("tens", 10)), ("kyt", ("tens", 10)),
                       ("toista", ("teen", 10)), ("tois", ("teen", 10)), ("sataa", ("hundreds", 100)),
                       ("sata", ("sata", 100)), ("tuhatta", ("thousands", 1000)), ("tuhat", ("tuhat", 1000))],
                    key=lambda m: -len(m[0]))


def numeral_value(word: str) -> int | None:
    """The value of a Finnish numeral written as one word — a base form (*sataviisikymmentä*) or spoken
    (*kakskytkaheksan*, *viistoista*) — or None."""
    s, total, group, last = word.casefold(), 0, 0, 0
    if not s or len(s) > 60:
        return None
    while s:
        for morpheme, (kind, value) in _MORPHEMES:
            if s.startswith(morpheme):
                break
        else:
            return None
        s = s[len(morpheme):]
        if kind == "unit":
            group, last = group + value, value
        elif kind == "teen":
            group, last = group + 10, 0
        elif kind == "tens":
            group, last = group - last + last * 10, 0
        elif kind == "hundreds":
            group, last = group - last + last * 100, 0
        elif kind == "sata":
            group, last = group + 100, 0
        elif kind == "thousands":
            total, group, last = total + max(group, 1) * 1000, 0, 0
        else:
            total, last = total + 1000, 0
    value = total + group
    return value or None


def numbers(ws) -> list[int]:
    """The numbers a text says: digits (*3 880*, *35 %:iin*, *250:een*) and numerals written as words."""
    out: list[int] = []
    previous_digits = None
    for w in ws:
        text = w.text.replace("\u00a0", "")
        digits = re.match(r"^(\d+)(?:[.,]\d+)?", text)
        if digits:
            value = int(digits.group(1))
            # "3 880" is two tokens: a 1–3 digit group followed by exactly three digits
            if previous_digits is not None and len(digits.group(1)) == 3 and text.isdigit():
                out[-1] = previous_digits * 1000 + value
                previous_digits = None
                continue
            out.append(value)
            previous_digits = value if len(digits.group(1)) <= 3 and text.isdigit() else None
            continue
        previous_digits = None
        if w.pos in ("PUNCT", "SPACE"):
            continue
        for form in sorted({text.casefold(), *w.lemmas}, key=len):
            value = numeral_value(form)
            if value is not None:
                out.append(value)
                break
    return out
