"""Pseudonymisation and the leak gate, on small texts whose answer is known (real Finnish pipeline)."""
from __future__ import annotations

import hashlib
import json

import pandas as pd
import pytest

from codesign.cli import main
from codesign.core.errors import LeakError, SetupError
from codesign.core.project import load_project
from codesign.core.register import load_register
from codesign.nlp.pipeline import explain_load_error, load_pipeline
from codesign.privacy.leakcheck import KEYS_FILE, check_outputs
from codesign.privacy.pseudonymise import KeyTable, Pseudonymiser, apply, valid_hetu
from codesign.sources.ingest import ingest


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline(("parser",))


def _pseudonymise(tiny_project, nlp, texts):
    project = load_project(tiny_project)
    register = load_register(project.register_path, project.groups)
    keys = KeyTable()
    found = Pseudonymiser(register, keys, project.keep_terms).pseudonymise([nlp(t) for t in texts])
    return [apply(t, reps) for t, reps in zip(texts, found)], keys


def test_register_names_inflected_and_aliases_become_codes(tiny_project, nlp):
    out, _ = _pseudonymise(tiny_project, nlp, [
        "Puhuin Aila Keinäsen kanssa, ja Juholle soitin eilen.",
        "Kaisa Ylläsjärvi asuu Ylläsjärvellä, ja Ylläsjärvi on kaunis kylä.",
    ])
    assert out[0] == "Puhuin P01 kanssa, ja P02 soitin eilen."
    assert out[1].startswith("P03 asuu") and "Ylläsjärvi on kaunis kylä" in out[1]   # the village stays


def test_third_parties_identifiers_and_places(tiny_project, nlp):
    out, keys = _pseudonymise(tiny_project, nlp, [
        "Soita Mikko Rautiolle numeroon 040 123 4567 tai mikko.rautio@kelohovi.fi.",
        "Ylläksen Kelohovi Oy rakentaa Äkäslompoloon. Raution Mikko tietää lisää.",
        "Hänen henkilötunnuksensa on 131052-308T, puhelin +358 40 765 4321.",
    ])
    assert "[SÄHKÖPOSTI]" in out[0] and "[PUHELIN]" in out[0] and "Mikko" not in out[0]
    assert "Kelohovi" not in out[1] and "[YRITYS-1]" in out[1] and "Äkäslompoloon" in out[1]
    assert "Raution" not in out[1]
    assert "[HETU]" in out[2] and "308T" not in out[2] and "[PUHELIN]" in out[2]
    persons = {r["placeholder"] for r in keys.rows if r["kind"] == "person"}
    assert persons == {"[HENKILÖ-1]"}          # the same person in two word orders and cases: one code


def test_hetu_check_character():
    assert valid_hetu("131052-308T")
    assert not valid_hetu("131052-308A")


def test_missing_voikko_messages_say_what_to_install():
    missing_lib = explain_load_error(OSError("libvoikko.so.1: cannot open shared object file"))
    assert isinstance(missing_lib, SetupError) and "apt-get install -y libvoikko1 voikko-fi" in str(missing_lib)
    voikko_exc = type("VoikkoException", (Exception,), {})
    missing_dict = explain_load_error(voikko_exc("Initialization of Voikko failed: No valid dictionaries were found"))
    assert isinstance(missing_dict, SetupError) and "voikko-fi" in str(missing_dict)
    assert explain_load_error(ValueError("something else")) is None


def _digest(root):
    return {p.relative_to(root): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted((root / "raw").rglob("*")) if p.is_file()}


def test_ingest_writes_pseudonymised_tidy_table_and_leaves_raw_untouched(tiny_project):
    before = _digest(tiny_project)
    result = ingest(tiny_project)
    assert result.ok and _digest(tiny_project) == before
    build = tiny_project / "build"
    segments = pd.read_parquet(build / "segments.parquet")
    assert segments["segment_id"].is_unique
    assert set(segments["stage"]) == {"workshop1", "interview", "survey", "comment"}
    for source_id, rows in segments.groupby("source_id"):
        text = (build / "sources" / f"{source_id}.txt").read_text(encoding="utf-8")
        for row in rows.itertuples():
            assert text[row.start:row.end] == row.text
    everything = "".join(p.read_text(encoding="utf-8") for p in (build / "sources").glob("*.txt"))
    for secret in ("Mikko", "Raution", "040 123 4567", "Juholta", "Aila", "Petri Alatalo"):
        assert secret not in everything
    assert (tiny_project / "private" / KEYS_FILE).is_file()
    assert not any("pseudonym_keys" in p.name for p in build.rglob("*"))
    likert = pd.read_parquet(build / "survey_likert.parquet")
    assert set(likert["answer"]) == {"value", "dont_know", "missing"}


def test_placeholders_are_stable_across_runs(tiny_project):
    ingest(tiny_project)
    first = (tiny_project / "build/sources/H01.txt").read_text(encoding="utf-8")
    ingest(tiny_project)
    assert (tiny_project / "build/sources/H01.txt").read_text(encoding="utf-8") == first


def test_leak_check_catches_a_planted_leak(tiny_project):
    ingest(tiny_project)
    project = load_project(tiny_project)
    register = load_register(project.register_path, project.groups)
    keys = KeyTable.load(tiny_project / "private" / KEYS_FILE)
    assert check_outputs([tiny_project / "build"], register, keys, project.keep_terms) == []
    report = tiny_project / "build" / "report.html"
    report.write_text("<p>Haastateltava Keinänen sanoi</p>\n<p>soita 040 123 4567</p>", encoding="utf-8")
    with pytest.raises(LeakError) as err:
        check_outputs([tiny_project / "build"], register, keys, project.keep_terms)
    text = str(err.value)
    assert "report.html (line 1)" in text and "Keinänen" in text and "phone number" in text
    # the same through the command line: non-zero exit
    assert main(["leak-check", str(tiny_project)]) == 3


def test_cli_reports_a_broken_source_and_exits_non_zero(tiny_project, capsys):
    (tiny_project / "raw/interviews/H09.txt").write_text("---\ninterview: H09\nparticipant: P02\n---\nJuho: moi\n",
                                                         encoding="utf-8")
    assert main(["ingest", str(tiny_project)]) == 1
    err = capsys.readouterr().err
    assert "H09.txt, line 5: unknown speaker label 'Juho'" in err
    report = json.loads((tiny_project / "build/ingest_report.json").read_text(encoding="utf-8"))
    assert [f["path"] for f in report["failures"]] == ["raw/interviews/H09.txt"]
    assert {s["source_id"] for s in report["sources"]} == {"W1", "H01", "S", "C"}


def test_cli_config_error_is_a_message_not_a_traceback(tmp_path, capsys):
    assert main(["ingest", str(tmp_path)]) == 2
    assert "project.yml not found" in capsys.readouterr().err
