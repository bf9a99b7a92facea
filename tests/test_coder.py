"""The coder: Finnish matching, the codebook, REFI-QDA codebooks, the command-line contract."""
from __future__ import annotations

import io
import json
import sys

import numpy as np
import pandas as pd
import pytest
from conftest import DEMO, SHARED

from codesign.cli import main
from codesign.coding.codebook import from_qdc, load_codebook, to_qdc
from codesign.coding.model import LexiconMatcher, Unit, label_matrix
from codesign.core.errors import InputError
from codesign.nlp.finnish import base_forms, words
from codesign.nlp.pipeline import load_pipeline

XSD = SHARED / "refi-qda" / "Codebook.xsd"

CODEBOOK = """\
codebook: {name: pieni, language: fi}
codes:
  - id: T1
    kind: theme
    label_fi: Matkailu
    colour: "#1f77b4"
    definition: Matkailu elinkeinona.
    lexicon: {lemmas: [matkailija, turisti], compound_parts: [matkailu, safari], phrases: ["julkinen hankinta"]}
  - id: T2
    kind: theme
    label_fi: Asuminen
    colour: "#ff7f0e"
    definition: Asuminen ja työvoima.
    lexicon: {lemmas: [asunto], compound_parts: [asunto, kämppä]}
  - id: T2.1
    kind: subcode
    parent: T2
    label_fi: Vuokra-asuminen
    definition: Vuokra-asunnot.
  - id: HAASTE
    kind: statement
    label_fi: Haaste
    definition: Ongelma tai este.
"""


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline(("parser", "ner"))


def _unit(nlp, text):
    return Unit("x", text, words(nlp(text)), [], None)


def _codebook(tmp_path, text=CODEBOOK):
    path = tmp_path / "codebook.yml"
    path.write_text(text, encoding="utf-8")
    return load_codebook(path)


def test_compound_parts_match_inflected_compounds(tmp_path, nlp):
    matcher = LexiconMatcher(_codebook(tmp_path), ["T1", "T2"])
    hits = matcher.matches(_unit(nlp, "Matkailuyrittäjille ei löydy työsuhdeasuntoja eikä vuokrakämppiä.").words)
    assert hits[0] == ["Matkailuyrittäjille"]                      # matkailu|yrittäjä
    assert hits[1] == ["työsuhdeasuntoja", "vuokrakämppiä"]        # työ|suhde|asunto, vuokra|kämppä
    surface = "matkailu" in "Matkailuyrittäjille".casefold() and "asunto" not in "työsuhdeasuntoja"
    assert not surface                                            # a plain substring search would miss asunto


def test_phrases_match_lemma_sequences(tmp_path, nlp):
    matcher = LexiconMatcher(_codebook(tmp_path), ["T1"])
    assert matcher.matches(_unit(nlp, "Julkisissa hankinnoissa paikalliset jäävät ulos.").words)[0] == [
        "Julkisissa hankinnoissa"]
    assert matcher.matches(_unit(nlp, "Hankinnat ovat julkisia.").words)[0] == []      # order matters


def test_spoken_finnish_forms_reach_their_base_forms(tmp_path, nlp):
    assert base_forms("asuntoo") == ("asunto",)
    assert base_forms("kämppii") == ("kämppä",)
    assert base_forms("pitäis") == ("pitää",)
    assert "sellainen" in base_forms("semmosia")
    matcher = LexiconMatcher(_codebook(tmp_path), ["T2"])
    assert matcher.matches(_unit(nlp, "No ku ei oo asuntoo eikä kämppii mistään.").words)[0] == ["asuntoo", "kämppii"]


@pytest.mark.parametrize("change, message, line", [
    (("parent: T2", "parent: T9"), "unknown parent 'T9'", 17),
    (("id: T2.1", "id: T1"), "duplicate code id 'T1'", 15),
    (('colour: "#ff7f0e"', 'colour: "oranssi"'), "bad colour 'oranssi'", 12),
    (("definition: Ongelma tai este.", "definition: ''"), "empty definition", 23),
    (("kind: statement", "kind: teema"), "unknown kind 'teema'", 21),
    # one lemma written without brackets was read as a set of letters; a misspelt key silently emptied the lexicon
    (("lexicon: {lemmas: [asunto]", "lexicon: {lemmas: asunto"),
     "codes, entry 2 (T2), lexicon, lemmas: 'asunto' is not a list", 14),
    (("    definition: Vuokra-asunnot.", "    definition: Vuokra-asunnot.\n    lexcon: {lemmas: [vuokra]}"),
     "unknown key 'lexcon' in codes, entry 3 (T2.1)", 20),
    (("  - id: HAASTE", "  - HAASTE\n  - id: HAASTE2"), "codes, entry 4: 'HAASTE' is not a mapping", 20),
])
def test_codebook_validation_errors_name_the_line(tmp_path, change, message, line):
    with pytest.raises(InputError) as err:
        _codebook(tmp_path, CODEBOOK.replace(*change))
    assert message in str(err.value) and err.value.line == line and "codebook.yml" in str(err.value)


def test_demo_codebook_loads():
    codebook = load_codebook(DEMO / "codebook.yml")
    assert codebook.themes == ["T1", "T2", "T3", "T4", "T5"]
    assert codebook.statements == ["VAHVUUS", "HAASTE", "EHDOTUS", "TAVOITE"]
    assert all(3 <= len(codebook.children(t)) <= 8 for t in codebook.themes)


def test_qdc_export_validates_and_round_trips(tmp_path):
    if not XSD.is_file():
        pytest.skip(f"REFI-QDA schema not found at {XSD} (it is in ../shared beside the checkout in CI)")
    from lxml import etree

    codebook = load_codebook(DEMO / "codebook.yml")
    xml = to_qdc(codebook)
    schema = etree.XMLSchema(etree.parse(str(XSD)))
    assert schema.validate(etree.fromstring(xml)), schema.error_log
    path = tmp_path / "kolari.qdc"
    path.write_bytes(xml)
    back = from_qdc(path)
    assert list(back.codes) == list(codebook.codes)
    for code in codebook:
        other = back[code.id]
        assert (other.parent, other.kind, other.colour, other.label_fi, other.definition) == (
            code.parent, code.kind, code.colour, code.label_fi, code.definition)


def test_qdc_import_of_a_foreign_codebook(tmp_path):
    path = tmp_path / "nvivo.qdc"
    path.write_text("""<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="NVivo">
  <Codes>
    <Code guid="11111111-1111-1111-1111-111111111111" name="Asuminen" isCodable="true">
      <Code guid="22222222-2222-2222-2222-222222222222" name="Vuokra-asunnot" isCodable="true"/>
    </Code>
  </Codes>
</CodeBook>""", encoding="utf-8")
    codebook = from_qdc(path)
    assert [(c.id, c.parent, c.kind) for c in codebook] == [
        ("Asuminen", None, "theme"), ("Vuokra_asunnot", "Asuminen", "subcode")]
    path.write_text("<CodeBook><Codes>", encoding="utf-8")
    with pytest.raises(InputError, match="not well-formed XML"):
        from_qdc(path)


def test_label_matrix():
    coding = pd.DataFrame({"segment_id": ["a", "b"], "codes": ["T1;HAASTE", ""]})
    assert label_matrix(coding, ["a", "b", "c"], ["T1", "T2", "HAASTE"]).tolist() == [[1, 0, 1], [0, 0, 0], [0, 0, 0]]


def test_context_is_the_interviewers_question_even_when_only_participant_turns_are_coded():
    from codesign.coding.model import context_texts

    segments = pd.DataFrame({
        "segment_id": ["H1-1", "H1-2", "H1-3", "W-1"], "source_id": ["H1", "H1", "H1", "W"], "turn": [1, 2, 3, 1],
        "speaker_role": ["interviewer", "participant", "participant", "participant"],
        "prompt": [None, None, None, "Vahvuudet"], "text": ["Miten asuminen?", "Huono.", "Ja kallis.", "Luonto"]})
    # a participant's second turn in a row still answers the last question (one rule with the analytics:
    # codesign.sources.segments.interviewer_questions)
    assert context_texts(segments).tolist() == ["", "Miten asuminen?", "Miten asuminen?", "Vahvuudet"]
    # the coder sees participant turns only: the question must come from the whole table (a past bug)
    assert context_texts(segments[segments["speaker_role"] == "participant"]).tolist() == ["", "", "Vahvuudet"]


CODEBOOK_RULES = CODEBOOK.replace("""    definition: Matkailu elinkeinona.
""", """    definition: Matkailu elinkeinona.
    include: [Matkailijat ja yöpymiset.]
    exclude: [Matkailualan työntekijöiden asunnot → T2.1., Pelkkä kiitos ilman sisältöä.]
    examples: [Turisteja tulee talvella paljon.]
""")


def test_codebook_texts_are_labelled_examples(tmp_path):
    from codesign.coding.model import codebook_examples

    codebook = _codebook(tmp_path, CODEBOOK_RULES)
    texts, labels = codebook_examples(codebook, ["T1", "T2", "HAASTE"])
    rows = dict(zip(texts, labels.tolist()))
    assert rows["Turisteja tulee talvella paljon."] == [1, 0, -1]          # an example of T1; says nothing of HAASTE
    assert rows["Matkailijat ja yöpymiset."] == [1, 0, -1]
    assert rows["Matkailualan työntekijöiden asunnot"] == [0, 1, -1]       # excluded from T1, pointed to T2 (T2.1)
    assert rows["Pelkkä kiitos ilman sisältöä."] == [0, 0, -1]
    assert rows["Vuokra-asunnot."] == [0, 1, -1]                           # a subcode's definition is its theme's
    assert rows["Ongelma tai este."] == [-1, -1, 1]


def test_rule_labels_and_label_matrix_with_uncoded_segments():
    from codesign.coding.model import UNLABELLED, rule_labels

    text = np.array([[2, 0], [1, 0], [0, 0]])
    context = np.array([[0, 0], [0, 1], [0, 0]])
    assert rule_labels(text, context).tolist() == [[1, 0], [UNLABELLED, 1], [0, 0]]
    coding = pd.DataFrame({"segment_id": ["a", "b"], "codes": ["T1;T1.2", ""]})
    assert label_matrix(coding, ["a", "b", "c"], ["T1", "T2"], missing=UNLABELLED).tolist() == [
        [1, 0], [0, 0], [UNLABELLED, UNLABELLED]]


TEXTS = {
    "T1": ["Turisteja tulee talvella paljon ja matkailijat yöpyvät mökeissä.", "Matkailuyrittäjät myyvät safareita.",
           "Safarit ja matkailu ovat kylän elinkeino.", "Turistit tulevat lentäen ja matkailu kasvaa.",
           "Matkailijoita on enemmän kuin ennen.", "Safariyritys palkkaa oppaita talveksi matkailijoille."],
    "T2": ["Asuntoja ei ole vuokralla ollenkaan.", "Vuokra-asunnot ovat kalliita ja asunto puuttuu.",
           "Työntekijät eivät löydä asuntoa kylästä.", "Kunnan pitäisi rakentaa asuntoja.",
           "Asuminen on vaikeaa, kun asunnot loppuivat.", "Vuokrakämppiä ei löydy mistään."],
}


def _units_and_labels(nlp, codes):
    units, y, groups = [], [], []
    for k, code in enumerate(("T1", "T2")):
        for i, text in enumerate(TEXTS[code]):
            units.append(Unit(f"{code}-{i}", text, words(nlp(text)), [], nlp(text).vector))
            y.append([int(c == code) if c in ("T1", "T2") else 0 for c in codes])
            groups.append(i % 3)
    return units, np.array(y), np.array(groups)


def test_theme_coder_is_a_scikit_learn_estimator(tmp_path, nlp):
    from sklearn.base import clone
    from sklearn.model_selection import GridSearchCV, GroupKFold, cross_val_score

    from codesign.coding.model import UNLABELLED, FinnishFeaturizer, ThemeCoder, codebook_signals
    from codesign.nlp.finnish import DocCache

    codes = ["T1", "T2"]
    signals = codebook_signals(_codebook(tmp_path, CODEBOOK_RULES), codes, DocCache(nlp, None))
    assert ThemeCoder().get_params()["signals"] is None                     # nothing happens in __init__
    coder = ThemeCoder(signals, C=2.0)
    copy = clone(coder)
    assert copy.get_params()["C"] == 2.0 and not hasattr(copy, "models_")
    units, y, groups = _units_and_labels(nlp, codes)
    # from the codebook alone (no human code): the lexicon's clear cases and the codebook's texts
    alone = clone(coder).fit(units, np.full(y.shape, UNLABELLED))
    assert alone.n_human_ == 0 and (alone.predict(units) == y).mean() >= 0.9
    fitted = clone(coder).fit(units, y)
    assert {"models_", "featurizer_", "lexicon_", "thresholds_"} <= set(vars(fitted))
    assert fitted.predict_proba(units).shape == (len(units), 2)
    scores = cross_val_score(ThemeCoder(signals), units, y, groups=groups, cv=GroupKFold(3))
    assert scores.shape == (3,) and np.isfinite(scores).all() and scores.mean() > 0.5
    search = GridSearchCV(ThemeCoder(signals), {"C": [0.5, 2.0]}, cv=GroupKFold(3)).fit(units, y, groups=groups)
    assert search.best_params_["C"] in (0.5, 2.0)
    features = FinnishFeaturizer(min_df=1).fit_transform(units)
    assert features.shape[0] == len(units) and features.shape[1] > 300       # terms beside the 300-d vector


# --- the command-line contract, on the demo project (built once per session) ------------------------

@pytest.fixture(scope="module")
def coded_demo(built_demo):
    return built_demo.root, pd.read_parquet(built_demo.build_dir / "codings.parquet")


def test_code_project_human_codes_win(coded_demo):
    from codesign.core.project import load_project

    root, codings = coded_demo
    assert list(codings.columns) == ["segment_id", "code", "source", "confidence", "evidence", "final"]
    reference = pd.read_csv(load_project(root).reference_coding_path, dtype=str, keep_default_na=False)
    final = codings[codings["final"]]
    human_ids = set(reference["segment_id"])
    # wherever a person coded, the final themes and statement types are exactly theirs, and every code they gave
    # is final (subcodes included; the machine adds subcodes only where the person gave none)
    on_human = final[final["segment_id"].isin(human_ids)]
    assert set(on_human.loc[on_human["code"].str.fullmatch(r"T\d|[A-Z]+"), "source"]) <= {"human"}
    expected = {(r.segment_id, c) for r in reference.itertuples() for c in r.codes.split(";") if c}
    human_rows = on_human[on_human["source"] == "human"]
    assert set(zip(human_rows["segment_id"], human_rows["code"])) == expected
    assert set(final.loc[~final["segment_id"].isin(human_ids), "source"]) <= {"machine"}
    machine = codings[codings["source"] == "machine"]
    crossed = machine[machine["segment_id"].isin(human_ids) & machine["code"].isin(["T1", "T2", "T3", "T4", "T5"])]
    assert len(crossed) and (~crossed["final"]).all()            # cross-fitted opinions never decide
    evidence = json.loads(crossed.iloc[0]["evidence"])
    assert {"score", "threshold", "matched", "nearest"} <= set(evidence)
    assert (root / "build" / "codings.parquet").is_file()
    subcodes = codings[codings["code"].str.contains(r"\.")]
    assert len(subcodes) and subcodes["final"].all()


def test_classify_contract(coded_demo, capsys, tmp_path, monkeypatch):
    root, _ = coded_demo
    data = tmp_path / "in.tsv"
    data.write_text("id\ttext\nA\tMatkailuyrittäjille ei löydy työsuhdeasuntoja eikä vuokrakämppiä.\n"
                    "B\tPorotalous ja kaivos tarvitsevat samoja maita.\nC\tKiitos, ei muuta.\n", encoding="utf-8")
    assert main(["classify", str(data), "--project", str(root)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split("\t")[0] for line in lines] == ["A", "B", "C"]
    codes = {line.split("\t")[0]: line.split("\t")[1] for line in lines}
    assert "T2" in codes["A"].split(",") and "T4" in codes["B"].split(",")
    assert all(c in {"T1", "T2", "T3", "T4", "T5"} for v in codes.values() for c in v.split(",") if c)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO("x\tKylien tiet ovat huonossa kunnossa.\n".encode())))
    assert main(["classify", "--project", str(root)]) == 0
    assert capsys.readouterr().out.startswith("x\t")
    from spacy.tokens import DocBin

    vocab = load_pipeline(("parser", "ner")).vocab
    cached = [d.text for p in (root / ".cache" / "nlp").glob("*.spacy") for d in DocBin().from_disk(p).get_docs(vocab)]
    assert len(cached) > 800                                     # the project's segments are cached …
    assert not any(t.startswith("Porotalous ja kaivos") for t in cached)   # … classified input is not


def test_classify_rejects_malformed_lines(tmp_path, capsys):
    data = tmp_path / "bad.tsv"
    data.write_text("id\ttext\n1\tHyvä\n2 ilman sarkainta\n", encoding="utf-8")
    assert main(["classify", str(data), "--project", str(DEMO)]) == 2
    assert "bad.tsv, line 3: expected `id<TAB>text`" in capsys.readouterr().err
    data.write_text("1\tHyvä\n1\tToinen\n", encoding="utf-8")
    assert main(["classify", str(data)]) == 2
    assert "line 2: id '1' repeats line 1" in capsys.readouterr().err


def test_agreement_command(capsys):
    assert main(["agreement", str(DEMO / "evaluation_coding.csv"), str(DEMO / "second_coding.csv"),
                 "--codes", "T1,T2,T3,T4,T5"]) == 0
    out = capsys.readouterr().out
    shared = len(pd.read_csv(DEMO / "second_coding.csv"))     # the second coding is a sample of the full coding
    assert f"on {shared} shared segments" in out and "kappa" in out


def test_evaluation_lexicon_beats_surface_keywords(coded_demo):
    from codesign.coding.evaluate import leave_one_interview_out

    root, _ = coded_demo
    themes = ["T1", "T2", "T3", "T4", "T5"]
    result = leave_one_interview_out(root, methods=("lexicon", "baseline_surface"), codes=themes)
    table = result.table
    assert result.folds >= 10 and result.units > 250
    assert sorted(table["code"].unique()) == themes                      # the cheaper themes-only run
    held_out = result.predictions["lexicon"]
    assert len(held_out) == result.units and held_out["segment_id"].str.startswith("H").all()
    themes = table[table["code"].isin(["T1", "T2", "T3", "T4", "T5"])].pivot(index="code", columns="method",
                                                                             values="f1")
    assert (themes["lexicon"] > themes["baseline_surface"]).sum() >= 4


def test_ranking_ceiling_is_the_best_kappa_over_all_cut_offs():
    import pandas as pd

    from codesign.coding.evaluate import ranking_ceiling

    truth = pd.DataFrame({"T1": [1, 1, 0, 0], "T2": [1, 0, 0, 0]})
    scores = pd.DataFrame({"T1": [0.9, 0.4, 0.6, 0.1], "T2": [0.8, 0.3, 0.2, 0.1]})
    decisions = pd.DataFrame({"T1": [1, 1, 1, 1], "T2": [1, 1, 0, 0]})
    table = ranking_ceiling(truth, scores, decisions)
    # T1: one of four positive-negative pairs is misordered; the cuts 0.9 and 0.4 both give kappa 0.5
    assert table.loc["T1", "auc"] == pytest.approx(0.75) and table.loc["T1", "best_cut_kappa"] == pytest.approx(0.5)
    assert table.loc["T1", "kappa"] == pytest.approx(0.0)        # everything coded: no agreement beyond chance
    # T2: the ranking separates perfectly, so some cut-off reaches kappa 1 although the decisions did not
    assert table.loc["T2", "best_cut_kappa"] == pytest.approx(1.0) and table.loc["T2", "kappa"] < 1


# --- the hybrid's lexicon pruning ---------------------------------------------------------------------

def test_lexicon_pruning_drops_entries_that_rarely_carry_their_code(tmp_path, nlp):
    texts = ["Turisti tuli.", "Turisti lähti.", "Turisti söi.", "Safari oli hieno.", "Safari oli kallis.",
             "Safari oli pitkä.", "Matkailija tuli kerran."]
    y = np.array([[0, 0], [0, 0], [1, 0], [1, 0], [1, 0], [0, 0], [0, 0]])
    units = [_unit(nlp, t) for t in texts]
    lexicon = LexiconMatcher(_codebook(tmp_path), ["T1", "T2"]).prune(units, y, min_precision=0.5)
    kept = lexicon.lexicons[0]
    assert "turisti" not in kept.lemmas          # 3 hits, 1 coded: precision 0.33
    assert "safari" in kept.compound_parts       # 3 hits, 2 coded
    assert "matkailija" in kept.lemmas           # 1 hit: too few to judge, kept
    assert lexicon.counts([units[0]])[0, 0] == 0 and lexicon.counts([units[3]])[0, 0] == 1



# --- samples, disagreements, the model cache ---------------------------------------------------------------

def _segments_for_sampling():
    rows = [{"segment_id": f"H{i}-{t:03d}", "source_id": f"H{i}", "stage": "interview"} for i in range(1, 6)
            for t in range(2, 12, 2)]
    rows += [{"segment_id": f"W1-{n:03d}", "source_id": "W1", "stage": "workshop1"} for n in range(1, 41)]
    rows += [{"segment_id": f"C-{n:03d}", "source_id": "C", "stage": "comment"} for n in range(1, 21)]
    return pd.DataFrame(rows)


def test_sample_coding_is_whole_interviews_and_a_share_of_each_other_source():
    from codesign.coding.sample import sample_coding

    segments = _segments_for_sampling()
    coding = pd.DataFrame({"segment_id": segments["segment_id"], "codes": "T1"})
    sample = sample_coding(coding, segments, interviews=2, share=0.15, seed=3)
    chosen = segments[segments["segment_id"].isin(sample["segment_id"])]
    interviews = chosen[chosen["stage"] == "interview"]
    assert interviews["source_id"].nunique() == 2 and len(interviews) == 10          # whole interviews
    assert (chosen["source_id"] == "W1").sum() == 6 and (chosen["source_id"] == "C").sum() == 3
    assert sample.equals(sample_coding(coding, segments, interviews=2, share=0.15, seed=3))   # reproducible
    assert not sample.equals(sample_coding(coding, segments, interviews=2, share=0.15, seed=4))
    with pytest.raises(ValueError):
        sample_coding(coding, segments, share=1.5)


def test_disagreements_list_the_codes_in_dispute(tmp_path, capsys):
    from codesign.coding.agreement import disagreements

    first = pd.DataFrame({"segment_id": ["a", "b", "c"], "codes": ["T1;HAASTE", "T2", ""]})
    second = pd.DataFrame({"segment_id": ["a", "b", "d"], "codes": ["T1", "T2;T3", "T1"]})
    table = disagreements(first, second, ["T1", "T2", "T3", "HAASTE"], {"a": "Teksti A"})
    assert table[["segment_id", "code", "first", "second"]].values.tolist() == [
        ["a", "HAASTE", True, False], ["b", "T3", False, True]]
    assert table.loc[0, "text"] == "Teksti A" and table.loc[1, "second_codes"] == "T2;T3"
    a, b, out = tmp_path / "a.csv", tmp_path / "b.csv", tmp_path / "erot.csv"
    first.to_csv(a, index=False)
    second.to_csv(b, index=False)
    assert main(["agreement", str(a), str(b), "--codes", "T1,T2,T3,HAASTE", "--disagreements", str(out),
                 "--project", str(DEMO)]) == 0
    assert "2 disagreements on 2 segments" in capsys.readouterr().out
    assert pd.read_csv(out)["code"].tolist() == ["HAASTE", "T3"]
    assert main(["agreement", str(a), str(b), "--disagreements"]) == 0               # printed
    assert "HAASTE" in capsys.readouterr().out.split("disagreements")[-1]
    assert main(["agreement", str(a), str(b), "--disagreements", str(tmp_path / "x.txt")]) == 2


def test_cached_model_key_follows_the_coders_source(tmp_path, monkeypatch):
    from codesign.coding import step
    from codesign.core.project import load_project

    project = load_project(DEMO)
    key = step.model_key(project)
    assert key == step.model_key(project)
    monkeypatch.setattr(step, "coder_source_digest", lambda: "a changed coder")
    assert step.model_key(project) != key


def test_evaluation_coding_must_not_be_the_reference_coding(tiny_project):
    from codesign.core.project import load_project

    config = tiny_project / "project.yml"
    config.write_text(config.read_text(encoding="utf-8") + "reference_coding: koodaus.csv\n"
                      "evaluation_coding: koodaus.csv\n", encoding="utf-8")
    with pytest.raises(InputError, match="same file") as err:
        load_project(tiny_project)
    assert err.value.line is not None
