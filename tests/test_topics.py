"""Emergent topics of sentences (issue 19): the sentence splitter, the sentence-to-source mapping, and a small
project where a concern is a single sentence inside long turns about the themes."""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from codesign.core.text import sentence_spans
from tests.conftest import DEMO

GROUPS = ["yrittäjä", "yrittäjä", "viranhaltija", "luottamushenkilö", "yrittäjä"]
REGISTER = "code,name,aliases,group,sector,village,role\n" + "".join(
    f"P0{k},Henkilö{k} Sukunimi{k},Henkilö{k},{group},matkailu,Äkäslompolo,yrittäjä\n"
    for k, group in enumerate(GROUPS, start=1)) + "I01,Elina Haapakoski,Elina,,palvelumuotoilu,Rovaniemi,interviewer\n"

PROJECT_YML = f"""\
name: aside
language: fi
register: private/participants.csv
codebook: {DEMO / 'codebook.yml'}
programme: {DEMO / 'programme.yml'}
interviewers: [I01]
stages:
  - {{id: interview, label: Haastattelut}}
sources:
  - stage: interview
    format: transcript
    path: raw/interviews/*.txt
"""

#: The concern, one sentence in each interviewee's long answer about tourism — worded differently each time.
ASIDES = [
    "Ja yksi asia vielä: meänkieli ja vanhat perinteet katoavat täältä, eikä kukaan tallenna niitä.",
    "Minua huolettaa, että vanha perinne ja meänkieli häviävät, kun vanhat ihmiset kuolevat pois.",
    "Meidän oma kulttuuri, meänkieli ja vanhat perinteet ovat katoamassa meidän silmiemme edessä.",
    "Meänkielen ja vanhan perinteen tallentaminen on jäänyt kokonaan tekemättä.",
    "Vanhat perinteet ja meänkieli katoavat kokonaan, jos niitä ei opeteta lapsille.",
]
TOURISM = [
    "Matkailu on meille tärkein elinkeino, ja sesonki on jouluna ja hiihtolomilla täynnä.",
    "Matkailijat tulevat Ylläkselle tuntureille ja kansallispuistoon, mutta toukokuussa majoitus on tyhjää.",
    "Ympärivuotinen matkailu vaatisi kesän matkailutuotteita ja parempaa markkinointia ulkomaille.",
    "Lennot Kittilään ja yöjuna tuovat matkailijat, mutta jatkokuljetukset kohteeseen puuttuvat.",
    "Safarit ja ohjelmapalvelut myyvät hyvin talvella, kesällä matkailuyritykset ovat kiinni.",
]
HOUSING = [
    "Asuntoja ei ole, ja vuokra-asunnot ovat täynnä koko talven.",
    "Kausityöntekijät asuvat asuntovaunuissa, koska työsuhdeasuntoja ei löydy.",
    "Kunnan pitäisi kaavoittaa tontteja ja rakentaa vuokra-asuntoja työntekijöille.",
    "Perheet eivät muuta tänne, jos asuntoa ja päivähoitoa ei ole.",
]

#: Talk about the process, no theme's words: sentences that carry no theme but are no shared concern.
PROCESS = [
    "Tästä on puhuttu kokouksissa monta kertaa ilman mitään tuloksia.",
    "Paperit menevät mappiin ja sitten odotetaan seuraavaa suunnitelmaa.",
    "Päätöksiä pitäisi tehdä nopeammin eikä aina lykätä niitä.",
    "Valtuustossa asia käsitellään kyllä, mutta toteutus jää aina puolitiehen.",
    "Rehellisesti sanottuna en jaksa enää istua pitkissä palavereissa.",
]


#: Talk about the programme's goals and contact details: they carry no theme, yet the codebook covers the first
#: (its goal-talk code) and the second is no concern, so neither reaches the sentences an emergent topic is made of.
GOAL_TALK = "Tavoite on hyvä, mutta mittari pitäisi vaihtaa toiseen."
CONTACT = "Jos tulee kysyttävää, minulle saa soittaa numeroon [PUHELIN]."


def _transcript(k: int) -> str:
    tourism = TOURISM[k - 1:] + TOURISM[:k - 1]
    answer = " ".join(tourism[:2] + [ASIDES[k - 1]] + tourism[2:])
    housing = " ".join((HOUSING[k - 1:] + HOUSING[:k - 1]) if k <= len(HOUSING) else HOUSING)
    housing += " " + PROCESS[k - 1] + " " + PROCESS[k % len(PROCESS)]
    if k <= 2:
        housing += " " + GOAL_TALK + " " + CONTACT
    return (f"---\ninterview: H0{k}\nparticipant: P0{k}\ngroup: {GROUPS[k - 1]}\nsector: matkailu\ndate: 2023-06-1{k}\n"
            f"language: fi\n---\n[00:00:05] Haastattelija: Kertoisitko matkailusta?\n\n"
            f"[00:00:20] P0{k}: {answer}\n\n[00:03:00] Haastattelija: Entä asuminen?\n\n[00:03:10] P0{k}: {housing}\n")


@pytest.fixture(scope="module")
def aside_project(tmp_path_factory):
    """Five interviews, each with a long answer on tourism that holds the concern in one sentence and an answer
    on housing; ingested, with a coding that gives each turn its theme (as a careful turn-level coder would)."""
    from codesign.core.project import load_project
    from codesign.sources.ingest import ingest

    root = tmp_path_factory.mktemp("aside")
    (root / "private").mkdir()
    (root / "raw" / "interviews").mkdir(parents=True)
    (root / "project.yml").write_text(PROJECT_YML, encoding="utf-8")
    (root / "private" / "participants.csv").write_text(REGISTER, encoding="utf-8")
    for k in range(1, 6):
        (root / "raw" / "interviews" / f"H0{k}.txt").write_text(_transcript(k), encoding="utf-8")
    result = ingest(root)
    assert not result.failures, result.failures
    project = load_project(root)
    segments = pd.read_parquet(project.build_dir / "segments.parquet")
    answers = segments[segments["speaker_role"] == "participant"]
    rows = [{"segment_id": s, "code": "T1" if t == 2 else "T2", "source": "human", "confidence": 1.0,
             "evidence": json.dumps({"coder": "reference"}), "final": True} for s, t in zip(answers["segment_id"],
                                                                                          answers["turn"])]
    pd.DataFrame(rows).to_parquet(project.build_dir / "codings.parquet", index=False)
    return project


def test_sentences_are_cut_at_finnish_sentence_ends():
    text = ("No. Mie en usko siihen, esim. klo 9 alkaa jo. Kokous oli 14.2.2024 ja 15. päivä oli hyvä! "
            "Jossa on... sanotaan nyt noin kuusikymmentä. Vuonna 2028. Olen varma? [HENKILÖ-3] sanoi sen.")
    spans = sentence_spans(text)
    assert [text[a:b] for a, b in spans] == [
        "No.", "Mie en usko siihen, esim. klo 9 alkaa jo.", "Kokous oli 14.2.2024 ja 15. päivä oli hyvä!",
        "Jossa on... sanotaan nyt noin kuusikymmentä.", "Vuonna 2028.", "Olen varma?", "[HENKILÖ-3] sanoi sen."]
    assert sentence_spans("Muistilappu ilman pistettä") == [(0, 26)]
    assert sentence_spans("  Yksi.  Kaksi.  ") == [(2, 7), (9, 15)]


def test_each_sentence_maps_to_its_segment_and_its_offsets_in_the_source(aside_project):
    from codesign.analysis.inputs import read_inputs
    from codesign.analysis.params import AnalysisParams
    from codesign.analysis.topics import sentence_units

    inputs = read_inputs(aside_project, with_coder=False)
    units = sentence_units(inputs, AnalysisParams()).frame
    segments = inputs.segments.set_index("segment_id")
    sources = {s: (aside_project.build_dir / "sources" / f"{s}.txt").read_text(encoding="utf-8")
               for s in units["source_id"].unique()}
    assert len(units) > 30
    for row in units.itertuples():
        assert sources[row.source_id][row.start:row.end] == row.sentence          # the quote is in the source
        segment = segments.loc[row.segment_id]
        assert segment["start"] <= row.start < row.end <= segment["end"]          # inside its own segment
        assert row.sentence in segment["text"]
    # every aside is a sentence unit of its own, in the tourism turn, and carries no theme (the lexicon alone
    # decides without a trained coder) while the turn is coded T1
    asides = units[units["sentence"].isin(ASIDES)]
    assert len(asides) == len(ASIDES) and (asides["themes"].map(len) == 0).all()
    assert all(segments.loc[s, "codes"] == frozenset({"T1"}) for s in asides["segment_id"])
    tourism = units[units["sentence"].isin(TOURISM)]
    assert (tourism["themes"].map(lambda t: "T1" in t)).all()
    # goal talk (the codebook's TAVOITE lexicon, no coder) and contact details are marked, the asides are not
    goal = units[units["sentence"] == GOAL_TALK]
    assert len(goal) == 2 and goal["goal_talk"].all() and not goal["contact"].any()
    contact = units[units["sentence"] == CONTACT]
    assert len(contact) == 2 and contact["contact"].all()
    assert not asides["goal_talk"].any() and not asides["contact"].any()


def test_novelty_counts_new_words_shared_by_several_voices():
    from codesign.analysis.topics import novelty

    frame = pd.DataFrame({"lemmas": [["meänkieli", "kadota"], ["meänkieli", "perinne", "matkailu"],
                                     ["meänkieli", "perinne"], ["perinne", "sauna"], ["matkailu", "sauna"]]})
    voice = ["P1", "P2", "P2", "P3", "P4"]
    frequency = {"meänkieli": 3, "kadota": 1, "perinne": 4, "matkailu": 2, "sauna": 2}
    score, words = novelty(frame, np.array([0, 1, 2, 3]), voice, frozenset({"matkailu"}), set(), frequency)
    # meänkieli: 2 voices × 3/3 of its sentences; perinne: 2 voices × 3/4 (a fourth sentence is elsewhere);
    # kadota and sauna: one voice only; matkailu: a word of the codebook
    assert words == ["meänkieli", "perinne"] and score == pytest.approx(2 * 1.0 + 2 * 0.75)
    assert novelty(frame, np.array([0, 4]), voice, frozenset({"matkailu"}), set(), frequency) == (0.0, [])


def test_the_emergent_list_is_the_most_novel_candidates_the_rest_stay_ranked():
    from codesign.analysis.params import AnalysisParams
    from codesign.analysis.topics import rank_emergent

    table = pd.DataFrame({"topic_id": [0, 1, 2, 3, 4, 5], "emergent_candidate": [True, True, False, True, True, True],
                          "novelty": [1.0, 3.0, 9.0, 0.0, 2.0, 2.0], "n_voices": [4, 5, 9, 8, 3, 6],
                          "emergent": [True] * 6})
    ranked = rank_emergent(table, AnalysisParams(emergent_max_topics=2))
    assert ranked["emergent_rank"].tolist()[:6] == [4, 1, None, None, 3, 2] or \
        ranked["emergent_rank"].astype("float").fillna(0).tolist() == [4, 1, 0, 0, 3, 2]
    assert ranked["emergent"].tolist() == [False, True, False, False, False, True]


@pytest.mark.filterwarnings("ignore")
def test_the_aside_is_the_first_emergent_topic_of_a_short_list_quoted_where_it_was_said(aside_project):
    """Fast tier: one topic step (two fits) on the five interviews; the concern said in one sentence of each long
    tourism answer heads the emergent list, which stays a handful, and its typical sentence is found in the
    source at its offsets."""
    from codesign.analysis.inputs import read_inputs
    from codesign.analysis.params import AnalysisParams
    from codesign.analysis.topics import topics

    inputs = read_inputs(aside_project, with_coder=False)
    params = AnalysisParams(min_topic_size=3, min_samples=2, umap_neighbors=4, topic_runs=2, emergent_max_topics=2)
    table, _, sentences = topics(inputs, params)
    emergent = table[table["emergent"]].sort_values("emergent_rank")
    assert 1 <= len(emergent) <= 2
    first = emergent.iloc[0]
    held = set(sentences.loc[sentences["topic_id"] == first["topic_id"], "sentence"])
    assert len(held & set(ASIDES)) >= 4 and len(held - set(ASIDES)) <= 1
    assert first["typical_sentence"] in ASIDES and first["n_participants"] >= 4
    assert {"meänkieli", "perinne"} & set(first["new_words"].split(";"))
    source = (aside_project.build_dir / "sources" / f"{first['typical_source_id']}.txt").read_text(encoding="utf-8")
    assert source[int(first["typical_start"]):int(first["typical_end"])] == first["typical_sentence"]
    # goal talk and contact details are covered: in no topic of the no-theme pool, so in no emergent topic
    covered = sentences[sentences["sentence"].isin([GOAL_TALK, CONTACT])]
    assert len(covered) == 4 and not covered["topic_id"].isin(emergent["topic_id"]).any()


@pytest.mark.integration
@pytest.mark.filterwarnings("ignore")
def test_a_concern_said_in_one_sentence_of_long_turns_is_an_emergent_topic(aside_project):
    from codesign.analysis import run_analyses
    from codesign.analysis.inputs import read_inputs
    from codesign.analysis.params import AnalysisParams

    inputs = read_inputs(aside_project, with_coder=False)
    params = AnalysisParams(min_topic_size=3, min_samples=2, umap_neighbors=4)
    first = run_analyses(inputs, params, ["interview"])
    second = run_analyses(inputs, params, ["interview"])
    for name in ("topics", "topic_sentences", "topic_assignments", "evidence_ledger"):
        pd.testing.assert_frame_equal(first[name], second[name])                 # same inputs → same tables
    emergent = first["emergent_topics"]
    sentences = first["topic_sentences"]
    holding = [set(sentences.loc[sentences["topic_id"] == t, "sentence"]) for t in emergent["topic_id"]]
    best = max(range(len(holding)), key=lambda k: len(holding[k] & set(ASIDES)))
    assert len(holding[best] & set(ASIDES)) >= 4 and len(holding[best] - set(ASIDES)) <= 1
    row = emergent.iloc[best]
    assert row["n_participants"] >= 4 and row["persistence"] >= params.emergent_min_persistence
    assert "meänkieli" in row["label"].casefold() or "perinne" in row["label"].casefold()
    assert row["typical_sentence"] in ASIDES
    # segment_ids: the segments with a sentence in the topic — the long tourism turns, not only the asides
    aside_segments = set(sentences.loc[sentences["sentence"].isin(ASIDES), "segment_id"])
    assert aside_segments <= set(row["segment_ids"].split(";")) | (aside_segments - set(
        sentences.loc[sentences["topic_id"] == row["topic_id"], "segment_id"]))
    # the ledger quotes the sentence, with the offsets of that sentence in the source
    ledger = first["evidence_ledger"]
    quoted = ledger[ledger["subject"] == f"topic {row['topic_id']}"]
    assert len(quoted) >= 4 and quoted["quote"].isin(ASIDES).sum() >= 4
    for q in quoted.itertuples():
        source = (aside_project.build_dir / "sources" / f"{q.source_id}.txt").read_text(encoding="utf-8")
        assert source[q.start:q.end] == q.quote
    # the turn-level table still says what each turn is mostly about: the tourism turns are not the concern
    turns = first["topic_assignments"].set_index("segment_id")
    assert all(turns.loc[s, "topic_id"] != row["topic_id"] for s in aside_segments)
    assert np.isfinite(first["topics"]["coherence"]).all()
