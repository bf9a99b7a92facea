"""Report labels in Finnish (the default) and English: one dictionary, so notebooks carry no wording."""
from __future__ import annotations

LANGUAGES = ("fi", "en")

#: key → {language: text}. Keys are stable identifiers used by notebooks, plots and the build index.
LABELS: dict[str, dict[str, str]] = {
    # stages and groups (ids as in project.yml / segments.parquet)
    "stage.workshop1": {"fi": "Työpaja 1", "en": "Workshop 1"},
    "stage.survey": {"fi": "Kysely", "en": "Survey"},
    "stage.workshop2": {"fi": "Työpaja 2", "en": "Workshop 2"},
    "stage.interview": {"fi": "Haastattelut", "en": "Interviews"},
    "stage.comment": {"fi": "Luonnoskommentit", "en": "Draft comments"},
    "group.yrittäjä": {"fi": "yrittäjä", "en": "entrepreneur"},
    "group.yrityksen edustaja": {"fi": "yrityksen edustaja", "en": "company representative"},
    "group.viranhaltija": {"fi": "viranhaltija", "en": "official"},
    "group.luottamushenkilö": {"fi": "luottamushenkilö", "en": "elected official"},
    "group.muu": {"fi": "muu", "en": "other"},
    "group.unknown": {"fi": "tuntematon", "en": "unknown"},
    # axes and common words
    "axis.stage": {"fi": "vaihe", "en": "stage"},
    "axis.group": {"fi": "sidosryhmä", "en": "stakeholder group"},
    "axis.theme": {"fi": "teema", "en": "theme"},
    "axis.frame": {"fi": "kehys", "en": "frame"},
    "axis.section": {"fi": "osio", "en": "section"},
    "axis.statement": {"fi": "lausumatyyppi", "en": "statement type"},
    "axis.notes": {"fi": "muistilappuja", "en": "sticky notes"},
    "axis.segments": {"fi": "segmenttejä", "en": "segments"},
    "axis.canvas_theme": {"fi": "työpajan teema", "en": "workshop theme"},
    "axis.coded_theme": {"fi": "koodattu teema", "en": "coded theme"},
    "word.none": {"fi": "ei teemaa", "en": "no theme"},
    "word.quote_by": {"fi": "sanoi", "en": "said"},
    # notebook 00
    "nb00.title": {"fi": "Aineiston selailu", "en": "Exploring the material"},
    "nb00.intro": {"fi": "Selaa pseudonymisoituja segmenttejä teeman, sidosryhmän ja vaiheen mukaan, etsi "
                         "ilmausta koko aineistosta perusmuodoittain ja katso, miksi segmentti sai koodinsa.",
                   "en": "Browse the pseudonymised segments by theme, stakeholder group and stage, find a phrase "
                         "across the corpus by its base forms, and see why a segment got its codes."},
    "nb00.overview": {"fi": "Aineisto vaiheittain ja sidosryhmittäin",
                      "en": "The material by stage and stakeholder group"},
    "nb00.browse": {"fi": "Segmentit valinnan mukaan", "en": "Segments of the selection"},
    "nb00.find": {"fi": "Ilmauksen haku", "en": "Finding a phrase"},
    "nb00.why": {"fi": "Miksi koodi annettiin", "en": "Why a code was given"},
    "nb00.themes_by_stage": {"fi": "Teemojen segmentit vaiheittain", "en": "Theme segments by stage"},
    # notebook 01
    "nb01.title": {"fi": "Työpaja 1: nykytila ja painopistevaihtoehdot",
                   "en": "Workshop 1: current state and candidate focus areas"},
    "nb01.intro": {"fi": "Työpajan 1 muistilaput kehyksittäin ja sidosryhmittäin sekä teemakoodit kehyksittäin.",
                   "en": "The sticky notes of workshop 1 by frame and stakeholder group, and theme codes by frame."},
    "nb01.by_frame": {"fi": "Muistilaput kehyksittäin ja sidosryhmittäin",
                      "en": "Sticky notes by frame and stakeholder group"},
    "nb01.themes_by_frame": {"fi": "Teemakoodit kehyksittäin", "en": "Theme codes by frame"},
    "nb01.statements_by_frame": {"fi": "Vahvuudet, haasteet ja ehdotukset kehyksittäin",
                                 "en": "Strengths, challenges and suggestions by frame"},
    "nb01.focus": {"fi": "Painopistevaihtoehdot eri näkökulmista",
                   "en": "Candidate focus areas from each perspective"},
    "nb01.quotes": {"fi": "Poimintoja teemoittain", "en": "Quotes by theme"},
    # notebook 03
    "nb03.title": {"fi": "Työpaja 2: teemojen tarkennus ja ensimmäiset toimenpiteet",
                   "en": "Workshop 2: themes refined and first actions"},
    "nb03.intro": {"fi": "Työpajan 2 muistilaput teemoittain ja osioittain sekä ehdotetut ensimmäiset "
                         "toimenpiteet.",
                   "en": "The sticky notes of workshop 2 by theme and section, and the first actions proposed."},
    "nb03.by_theme": {"fi": "Muistilaput teemoittain ja osioittain", "en": "Sticky notes by theme and section"},
    "nb03.coded_vs_canvas": {"fi": "Työpajan teema ja koodattu teema",
                             "en": "Workshop theme and coded theme"},
    "nb03.actions": {"fi": "Ensimmäiset toimenpiteet", "en": "First actions"},
    "nb03.refined": {"fi": "Teemojen sisältö osallistujien sanoin", "en": "Theme content in participants' words"},
    # captions
    "caption.counts": {"fi": "Luku on segmenttien määrä.", "en": "Numbers are counts of segments."},
    "caption.quotes": {"fi": "Lainaukset ovat pseudonymisoituja; suluissa segmentin tunniste.",
                       "en": "Quotes are pseudonymised; the segment id is in brackets."},
    "caption.machine": {"fi": "Koodit ovat lopullisia koodeja: ihmisen koodaus, muualla koneen.",
                        "en": "Codes are final codes: the human coding where there is one, the machine's "
                              "elsewhere."},
    "caption.empty": {"fi": "Valinnassa ei ole segmenttejä.", "en": "The selection has no segments."},
    # build index
    "index.title": {"fi": "Raportit", "en": "Reports"},
    "index.notebook": {"fi": "Raportti", "en": "Report"},
    "index.status": {"fi": "Tila", "en": "Status"},
    "index.duration": {"fi": "Kesto", "en": "Duration"},
    "index.files": {"fi": "Tiedostot", "en": "Files"},
    "index.run": {"fi": "Ajon tiedot", "en": "Run metadata"},
    "index.steps": {"fi": "Esivaiheet", "en": "Pipeline steps"},
    "index.parameters": {"fi": "Parametrit", "en": "Parameters"},
    "index.versions": {"fi": "Versiot", "en": "Versions"},
    "index.errors": {"fi": "Virheet", "en": "Errors"},
    "status.ok": {"fi": "ajettu", "en": "ran"},
    "status.unchanged": {"fi": "ennallaan", "en": "unchanged"},
    "status.failed": {"fi": "VIRHE", "en": "FAILED"},
    "status.kept": {"fi": "edellisestä ajosta (--only)", "en": "from the previous build (--only)"},
    "status.missing": {"fi": "ei ajettu", "en": "not run"},
}


def check_language(language: str) -> str:
    if language not in LANGUAGES:
        raise ValueError(f"report language {language!r} is not supported; use one of {', '.join(LANGUAGES)}")
    return language


def t(key: str, language: str = "fi") -> str:
    """The label ``key`` in ``language``; an unknown key is an error (a typo must not reach a report)."""
    return LABELS[key][check_language(language)]


def stage_label(stage: str, language: str = "fi") -> str:
    return LABELS.get(f"stage.{stage}", {}).get(check_language(language), stage)


def group_label(group, language: str = "fi") -> str:
    import pandas as pd

    if group is None or group == "" or group == "unknown" or pd.isna(group):
        return t("group.unknown", language)
    return LABELS.get(f"group.{group}", {}).get(check_language(language), str(group))


def code_label(codebook, code_id: str, language: str = "fi", with_id: bool = True) -> str:
    """A code's label from the codebook in ``language`` (``T1 Matkailu…``); the id itself when unknown."""
    if codebook is None or code_id not in codebook.codes:
        return code_id
    code = codebook[code_id]
    text = code.label_en if check_language(language) == "en" and code.label_en else code.label_fi
    return f"{code_id} {text}" if with_id else text
