"""Pseudonymisation and the leak gate, on small texts whose answer is known (real Finnish pipeline)."""
from __future__ import annotations

import csv
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


# --- language before replacing: misattribution and over-redaction on small texts ----------------------------

def test_a_first_name_with_another_surname_is_someone_else(tiny_project, nlp):
    project = load_project(tiny_project)
    register = load_register(project.register_path, project.groups)
    texts = ["Juho Kallio korjaa koneet, ja Juholle soitin eilen.",      # source A
             "Juholle soitin eilen.",                                    # source B: which Juho?
             "Kaisa Ylläsjärvi asuu Ylläsjärvellä; Ylläsjärven Kaisa on sama ihminen.",
             "Kaisalle soitin."]
    keys = KeyTable()
    found = Pseudonymiser(register, keys, project.keep_terms).pseudonymise([nlp(t) for t in texts],
                                                                           ["A", "B", "C", "D"])
    out = [apply(t, reps) for t, reps in zip(texts, found)]
    # the whole name of a third person is one neutral placeholder, never "P02 Kallio"; the lone Juho after it
    # in the same source is that Juho
    assert out[0] == "[HENKILÖ-1] korjaa koneet, ja [HENKILÖ-1] soitin eilen."
    # elsewhere a lone Juho could be P02 or Juho Kallio: not resolved to a participant
    assert out[1] == "[HENKILÖ] soitin eilen."
    assert out[2] == "P03 asuu Ylläsjärvellä; P03 on sama ihminen."     # the kept village stays
    assert out[3] == "P03 soitin."                                       # a name only P03 has
    assert {r["key"] for r in keys.rows if r["kind"] == "person"} == {"Juho Kallio"}


def test_common_words_and_places_are_not_names(tiny_project, nlp):
    project = load_project(tiny_project)
    keep = project.keep_terms + ["Finnvera", "ELY", "ELY-keskus", "TikTok", "Kurtakko"]
    register = load_register(project.register_path, project.groups)
    texts = ["1 Koulutus pitää saada kuntaan", "Koulutus ja asuminen ovat tärkeitä.",
             "Rahoitusta haettiin Finnveran kautta ja ELYn kanssa, ja mainontaa TikTokissa.",
             "Tornionjokilaakso on yhtä aluetta, Mie tiiän sen. Hää sano samaa.",
             "Kaivutyöt tekee Kurtakon Maansiirto, se on pieni firma.",
             # a section number opens a heading: its first word is no firm (3.1 Ympärivuotinen …)
             "3.1 Ympärivuotinen ja vastuullinen matkailu", "3.4 Luonnonvarat ja monipuolinen elinkeinorakenne"]
    keys = KeyTable()
    found = Pseudonymiser(register, keys, keep).pseudonymise([nlp(t) for t in texts])
    out = [apply(t, reps) for t, reps in zip(texts, found)]
    assert out[:4] == texts[:4], out
    assert out[5:] == texts[5:], out
    # a firm without a company form is replaced whole, not as "Kurtakon [YRITYS-1]"
    assert out[4] == "Kaivutyöt tekee [YRITYS-1], se on pieni firma."
    assert [r["original"] for r in keys.rows] == ["Kurtakon Maansiirto"]


def test_inflected_and_spoken_kept_names_stay(tiny_project, nlp):
    project = load_project(tiny_project)
    register = load_register(project.register_path, project.groups)
    keep = ["Ruotsi", "Lapin ELY-keskus", "ELY-keskus", "ELY", "Visit Finland", "Skatteverket"]
    texts = ["Mie oon käyny Ruottissa ja Ruottiin menee verot, Ruotissa on eri säännöt.",
             "Lapin ELY-keskukselta ja ELYstä ei vastattu, Visit Finlandin kautta tuli agentteja.",
             "Skatteverketiin piti ilmoittaa."]
    found = Pseudonymiser(register, KeyTable(), keep).pseudonymise([nlp(t) for t in texts])
    assert [apply(t, reps) for t, reps in zip(texts, found)] == texts


def test_the_keep_list_wins_over_the_ner_with_a_warning(tiny_project, nlp):
    project = load_project(tiny_project)
    register = load_register(project.register_path, project.groups)
    pseudonymiser = Pseudonymiser(register, KeyTable(), ["Pajala", "Äkäslompolo"])
    text = "Mie ajan joka päivä Pajalasta kotia ja sitte Äkäslompolossa käyn kaupassa."
    (reps,) = pseudonymiser.pseudonymise([nlp(text)])
    assert reps == []
    # whatever the NER says about them, each disagreement is reported (the step adds file and line)
    assert all(w.text in ("Pajalasta", "Äkäslompolossa") and w.label == "PERSON" for w in pseudonymiser.warnings)


# --- a gate that sees what a reader sees ----------------------------------------------------------------------

@pytest.mark.parametrize("variant", [
    "aila keinäseltä kysyttiin", "Keinäsen ryhmä", "facebook.com/aila.keinanen", "seuraa @ailakeinanen",
    "H03_Aila_Keinänen.txt", "AilaKeinänen", "aila-keinanen", "KEINÄNEN sanoi", "juholle soitettiin",
])
def test_the_gate_sees_name_variants(tiny_project, variant):
    ingest(tiny_project)
    leaky = tiny_project / "build" / "notes.md"
    leaky.write_text(f"Muistiinpano: {variant}\n", encoding="utf-8")
    project = load_project(tiny_project)
    register = load_register(project.register_path, project.groups)
    keys = KeyTable.load(tiny_project / "private" / KEYS_FILE)
    findings = check_outputs([leaky], register, keys, project.keep_terms, raise_on_leak=False)
    assert findings and all("line 1" in f.where for f in findings), variant


def test_the_gate_reads_file_names_and_ingest_report_carries_none(tiny_project):
    (tiny_project / "raw/interviews/H01.txt").rename(tiny_project / "raw/interviews/H01_Aila_Keinänen.txt")
    result = ingest(tiny_project)
    assert result.ok
    report = (tiny_project / "build/ingest_report.json").read_text(encoding="utf-8")
    assert "Keinänen" not in report and "Aila" not in report and "H01_P01_P01.txt" not in report
    assert "raw/interviews/H01_P01.txt" in report
    named = tiny_project / "build" / "Aila_Keinänen.csv"
    named.write_text("ok\n", encoding="utf-8")
    with pytest.raises(LeakError, match="file name"):
        check_outputs([tiny_project / "build"], load_register(load_project(tiny_project).register_path,
                                                              load_project(tiny_project).groups),
                      KeyTable.load(tiny_project / "private" / KEYS_FILE), [])


def test_prompts_and_column_values_are_pseudonymised(tiny_project):
    notes = tiny_project / "raw/notes.csv"
    notes.write_text(notes.read_text(encoding="utf-8").replace("2 Visio 2028,Kylät", "Keinäsen ryhmä,Kylät"),
                     encoding="utf-8")
    result = ingest(tiny_project)
    assert result.ok
    segments = pd.read_parquet(tiny_project / "build/segments.parquet")
    prompts = set(segments["prompt"].dropna())
    assert "P01 ryhmä" in prompts and not any("Keinä" in p for p in prompts)
    assert any(r["where"] == "prompt" and r["original"] == "Keinäsen" for r in result.report)


# --- no poisoning: common words never become names; the key table follows the sources ---------------------

def test_a_common_word_after_a_list_number_does_not_poison_later_builds(tiny_project):
    notes = tiny_project / "raw/notes.csv"
    notes.write_text(notes.read_text(encoding="utf-8") + "2 Visio 2028,1 Koulutus pitää saada kuntaan,yellow,"
                     "Pöytä 1,,18.4.2023 13.30\n", encoding="utf-8")
    assert ingest(tiny_project).ok
    keys = KeyTable.load(tiny_project / "private" / KEYS_FILE)
    assert "Koulutus" not in keys.originals()
    text = (tiny_project / "build/sources/W1.txt").read_text(encoding="utf-8")
    assert "1 Koulutus pitää saada kuntaan" in text
    # the word in a codebook label or a survey sector is no leak either
    label = tiny_project / "build" / "codebook_labels.csv"
    label.write_text("code,label\nT9,Koulutus\n", encoding="utf-8")
    assert main(["leak-check", str(tiny_project)]) == 0


def test_stale_and_poisoned_key_rows_are_pruned_with_a_note(tiny_project, capsys):
    assert main(["ingest", str(tiny_project)]) == 0
    keys_file = tiny_project / "private" / KEYS_FILE
    rows = keys_file.read_text(encoding="utf-8")
    assert "Mikko" in rows
    # a row a former build wrote for a word that identifies no one, and the source with Mikko gone
    keys_file.write_text(rows + "[YRITYS-9],organisation,koulutus,Koulutus\n", encoding="utf-8")
    transcript = tiny_project / "raw/interviews/H01.txt"
    transcript.write_text(transcript.read_text(encoding="utf-8").replace("Soitin Mikko Raution kanssa,\nhänen "
                                                                         "numeronsa on 040 123 4567, ja ", ""),
                          encoding="utf-8")
    capsys.readouterr()
    assert main(["ingest", str(tiny_project)]) == 0
    err = capsys.readouterr().err
    assert "note:" in err and "removed from private/pseudonym_keys.csv" in err
    rows = keys_file.read_text(encoding="utf-8")
    assert "Koulutus" not in rows and "Mikko" not in rows


# --- the designer's report and the forced names --------------------------------------------------------------

def test_replacement_report_and_forced_names(tiny_project):
    config = tiny_project / "project.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "  keep: [Ylläs, Äkäslompolo, Ylläsjärvi, Pajala, Kolari]",
        "  keep: [Ylläs, Äkäslompolo, Ylläsjärvi, Pajala, Kolari]\n"
        "  replace: [Kylät, {name: Safarifirma, kind: yritys}]"), encoding="utf-8")
    result = ingest(tiny_project)
    assert result.ok
    with (tiny_project / "private" / "pseudonymisation_report.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    forced = {r["original"]: r for r in rows if r["why"] == "forced"}
    assert set(forced) == {"Kylät", "safarifirma"} and forced["safarifirma"]["placeholder"].startswith("[YRITYS-")
    h01 = [r for r in rows if r["source"] == "raw/interviews/H01.txt" and r["original"] == "040 123 4567"]
    assert h01 and h01[0]["placeholder"] == "[PUHELIN]" and h01[0]["why"] == "pattern"
    assert h01[0]["line"] == "17" and h01[0]["column"] == "20"        # where a designer finds it in the raw file
    assert "Kylät" not in (tiny_project / "build/sources/W1.txt").read_text(encoding="utf-8")


def test_a_bad_forced_name_is_a_clear_error(tiny_project, capsys):
    config = tiny_project / "project.yml"
    config.write_text(config.read_text(encoding="utf-8") + "  replace: [{name: Kelo, kind: paikka}]\n",
                      encoding="utf-8")
    assert main(["ingest", str(tiny_project)]) == 2
    err = capsys.readouterr().err
    assert "project.yml, line" in err and "unknown kind 'paikka'" in err and "person or organisation" in err


def test_the_gate_does_not_read_a_content_that_passed_again_until_it_learns_a_new_name(tiny_project, monkeypatch):
    """A report carried over from the previous build is not read again by the same gate; when the register
    gains a name, the gate forgets what passed, reads the report again and finds the name in it."""
    from codesign.privacy import leakcheck

    project = load_project(tiny_project)
    report = tiny_project / "reports" / "04.html"
    report.parent.mkdir()
    report.write_text("<p>Kalle Rautio kertoi, että tontteja puuttuu.</p>", encoding="utf-8")
    read = []
    scan_file = leakcheck._scan_file
    monkeypatch.setattr(leakcheck, "_scan_file", lambda file, matcher: read.append(file.name) or
                        scan_file(file, matcher))

    assert leakcheck.scan(project, [report.parent]) == [] and read == ["04.html"]
    assert leakcheck.scan(project, [report.parent]) == [] and read == ["04.html"]    # remembered: not read
    (tiny_project / "reports" / "05.html").write_text("<p>Uusi raportti.</p>", encoding="utf-8")
    assert leakcheck.scan(project, [report.parent]) == [] and read == ["04.html", "05.html"]

    with project.register_path.open("a", encoding="utf-8") as register:
        register.write("P04,Kalle Rautio,Kalle,yrittäjä,matkailu,Äkäslompolo,shop\n")
    findings = leakcheck.scan(load_project(tiny_project), [report.parent])
    assert read[2:] == ["04.html", "05.html"]
    assert {f.path.rsplit("/", 1)[-1] for f in findings} == {"04.html"}
    assert {f.value for f in findings} >= {"Kalle Rautio"}


def test_a_name_that_is_also_an_english_word_stops_a_report_only_where_the_material_has_it(tiny_project, tmp_path):
    """A participant called "Make" (a Finnish nickname) once stopped every report: nbconvert's template carried
    "/* Make the output collapser … */" in its style sheet. The reports now carry neither the template's
    comments nor its scripts (which could not run under the reports' policy); the name in the material is
    still found."""
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook, new_output

    from codesign.pipeline.notebooks import to_html
    from codesign.privacy import leakcheck

    with load_project(tiny_project).register_path.open("a", encoding="utf-8") as register:
        register.write("P09,Markku Alatalo,Markku|Make,yrittäjä,rakentaminen,Ylläsjärvi,maanrakentaja\n")
    reports = tmp_path / "reports"
    reports.mkdir()
    for name, text in (("01_clean", "Tontteja puuttuu."), ("02_named", "Make kertoi, että tontteja puuttuu.")):
        cell = new_code_cell("display(...)", outputs=[new_output("display_data", data={"text/markdown": text})])
        nbformat.write(new_notebook(cells=[cell]), reports / f"{name}.ipynb")
        page = to_html(reports / f"{name}.ipynb", name).read_text(encoding="utf-8")
        assert "<script" not in page and "/*" not in page and "jp-Cell" in page      # styled, without comments
    findings = leakcheck.scan(load_project(tiny_project), sorted(reports.glob("*.html")))
    assert {f.path.rsplit("/", 1)[-1] for f in findings} == {"02_named.html"}
    assert {f.value for f in findings} == {"Make"}
