"""The coder: Finnish matching, the codebook, REFI-QDA codebooks, the command-line contract."""
from __future__ import annotations

import io
import json
import sys

import numpy as np
import pandas as pd
import pytest
from conftest import DEMO, SHARED
from scipy import sparse

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
    # codesign.ingest.segments.interviewer_questions)
    assert context_texts(segments).tolist() == ["", "Miten asuminen?", "Miten asuminen?", "Vahvuudet"]
    # the coder sees participant turns only: the question must come from the whole table (a past bug)
    assert context_texts(segments[segments["speaker_role"] == "participant"]).tolist() == ["", "", "Vahvuudet"]


def test_supervised_regularisation_is_chosen_on_training_folds_only():
    from codesign.coding.model import SupervisedModel

    rng = np.random.default_rng(1)
    target = rng.integers(0, 2, 300)
    noise = rng.normal(0, 3, 300)
    # the signal is x1 - x2; only a weakly regularised model learns the negative weight of x2
    X = np.column_stack([2 * target - 1 + noise, noise])
    model = SupervisedModel(["A"], C=(1e-4, 10.0))
    C, oof = model._choose_C(sparse.csr_matrix(X), target)
    assert C == 10.0
    assert oof.shape == (300,) and np.corrcoef(oof, target)[0, 1] > 0.5
    assert SupervisedModel(["A"], C=0.5)._choose_C(sparse.csr_matrix(X), target)[0] == 0.5   # one candidate


# --- the command-line contract, on the demo project (built once per session) ------------------------

@pytest.fixture(scope="module")
def coded_demo(built_demo):
    return built_demo.root, pd.read_parquet(built_demo.build_dir / "codings.parquet")


def test_code_project_human_codes_win(coded_demo):
    root, codings = coded_demo
    assert list(codings.columns) == ["segment_id", "code", "source", "confidence", "evidence", "final"]
    reference = pd.read_csv(root / "reference_coding.csv", dtype=str, keep_default_na=False)
    coded = set(reference["segment_id"])
    final = codings[codings["final"] & codings["segment_id"].isin(coded)]
    themes_and_types = final[final["code"].str.fullmatch(r"T\d|[A-Z]+")]
    assert set(themes_and_types["source"]) == {"human"}             # human codes win where a segment has them
    expected = {(r.segment_id, c) for r in reference.itertuples() for c in r.codes.split(";") if c}
    human = final[final["source"] == "human"]
    assert set(zip(human["segment_id"], human["code"])) == expected  # … subcodes of the reference included
    machine = codings[codings["source"] == "machine"]
    assert (~machine[machine["code"].isin(["T1", "T2", "T3", "T4", "T5"])]["final"]).all()
    evidence = json.loads(machine.iloc[0]["evidence"])
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
    assert main(["agreement", str(DEMO / "reference_coding.csv"), str(DEMO / "reference_coding_second.csv"),
                 "--codes", "T1,T2,T3,T4,T5"]) == 0
    out = capsys.readouterr().out
    shared = len(pd.read_csv(DEMO / "reference_coding_second.csv"))     # the second coding is a sample of the first
    assert f"on {shared} shared segments" in out and "kappa" in out


def test_evaluation_lexicon_beats_surface_keywords(coded_demo):
    from codesign.coding.evaluate import leave_one_interview_out

    root, _ = coded_demo
    themes = ["T1", "T2", "T3", "T4", "T5"]
    table = leave_one_interview_out(root, methods=("lexicon", "baseline_surface"), codes=themes)
    assert table.attrs["folds"] == 14 and table.attrs["units"] > 250
    assert sorted(table["code"].unique()) == themes                      # the cheaper themes-only run
    held_out = table.attrs["predictions"]["lexicon"]
    assert len(held_out) == table.attrs["units"] and held_out["segment_id"].str.startswith("H").all()
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

