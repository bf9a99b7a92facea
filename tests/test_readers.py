"""Each reader on good and bad files: structure, offsets, and the errors a user sees."""
from __future__ import annotations

import pytest

from codesign.core.errors import InputError
from codesign.core.project import load_project
from codesign.core.register import load_register
from codesign.sources.ingest import read_sources
from codesign.sources.readers import ReadContext
from codesign.sources.readers.survey import read_survey
from codesign.sources.readers.table import read_rows
from codesign.sources.readers.transcript import read_transcript


def _ctx(root):
    project = load_project(root)
    return project, ReadContext(project, load_register(project.register_path, project.groups))


def _spec(project, source_id_or_stage):
    return next(s for s in project.sources if source_id_or_stage in (s.id, s.stage))


def _read_transcript(root, name, text_or_bytes):
    project, ctx = _ctx(root)
    path = root / "raw" / "interviews" / name
    if isinstance(text_or_bytes, bytes):
        path.write_bytes(text_or_bytes)
    else:
        path.write_text(text_or_bytes, encoding="utf-8")
    return read_transcript(_spec(project, "interview"), path, ctx)[0]


# --- transcripts -----------------------------------------------------------------------------------

def test_canonical_transcript_turns_roles_and_offsets(tiny_project):
    project, ctx = _ctx(tiny_project)
    doc = read_transcript(_spec(project, "interview"), tiny_project / "raw/interviews/H01.txt", ctx)[0]
    assert doc.source_id == "H01"
    assert [s.speaker_role for s in doc.segments] == ["interviewer", "participant", "interviewer", "participant"]
    assert [s.segment_id for s in doc.segments] == ["H01-001", "H01-002", "H01-003", "H01-004"]
    second = doc.segments[1]
    assert second.text == "No meillä on safarifirma Äkäslompolossa.\nTalvella töissä on kymmenen ihmistä."
    assert (second.participant, second.group, second.sector) == ("P01", "yrittäjä", "matkailu")
    assert second.timestamp == "00:01:10" and second.date == "2023-06-19"
    assert doc.segments[0].participant is None and doc.segments[0].group is None
    for s in doc.segments:
        assert doc.text[s.start:s.end] == s.text


def test_offsets_count_code_points_not_bytes(tiny_project):
    doc = _read_transcript(tiny_project, "H02.txt", "---\ninterview: H02\nparticipant: P02\n---\n"
                           "Haastattelija: Äää – 🙂 ööö?\n\nP02: A\u0308iti sanoi: ’näin’.\n")
    for s in doc.segments:
        assert doc.text[s.start:s.end] == s.text
    assert doc.segments[1].text == "Äiti sanoi: ’näin’."      # NFC-normalised


@pytest.mark.parametrize("text, message, line", [
    ("Haastattelija: Hei\n", "missing front matter", 1),
    ("---\ninterview: H02\nparticipant: P02\n---\nHaastattelija: Hei\n\nMatti: Moi\n",
     "unknown speaker label 'Matti'", 7),
    ("---\ninterview: H02\nparticipant: P02\n---\nHaastattelija: Hei\n\nPelkkää tekstiä ilman nimeä\n",
     "must start with `Label:`", 7),
    ("---\ninterview: H02\nparticipant: P99\n---\nP99: Hei\n", "not in the register", 1),
    ("---\ninterview: H02\nparticipant: P02\ngroup: viranhaltija\n---\nP02: Hei\n", "disagrees with the register", 1),
    ("---\ninterview: H02\nparticipant: P02\n", "not closed", 1),
    ("---\ninterview: H02\nparticipant: P02\nmood: happy\n---\nP02: Hei\n", "unknown front-matter key", 1),
])
def test_transcript_errors_name_file_line_and_fix(tiny_project, text, message, line):
    with pytest.raises(InputError) as err:
        _read_transcript(tiny_project, "H02.txt", text)
    assert message in str(err.value)
    assert err.value.line == line
    assert "H02.txt" in str(err.value) and "how to fix" in str(err.value)


def test_empty_and_wrongly_encoded_transcripts(tiny_project):
    with pytest.raises(InputError, match="empty"):
        _read_transcript(tiny_project, "H02.txt", "")
    # Word's "save as text" writes Windows-1252: read like the tables (issue 17); a byte that is neither
    # UTF-8 nor Windows-1252 (0x81) is still a clear error with its line
    latin = "---\ninterview: H02\nparticipant: P02\n---\nP02: Hyvää päivää\n".encode("cp1252")
    assert _read_transcript(tiny_project, "H02.txt", latin).segments[0].text == "Hyvää päivää"
    with pytest.raises(InputError) as err:
        _read_transcript(tiny_project, "H02.txt", latin.replace(b"\xe4", b"\x81", 1))
    assert err.value.line == 5 and "utf-8" in str(err.value).lower()


def test_docx_transcript(tiny_project):
    import docx

    document = docx.Document()
    for line in ["---", "interview: H03", "participant: P03", "---"]:
        document.add_paragraph(line)
    para = document.add_paragraph()
    para.add_run("Haastattelija:").bold = True
    para.add_run(" Miten hotellissa menee?")
    document.add_paragraph("")
    document.add_paragraph("P03: Työntekijöitä on vaikea saada, kun kämppiä ei ole.")
    path = tiny_project / "raw" / "interviews" / "H03.docx"
    document.save(path)
    project, ctx = _ctx(tiny_project)
    doc = read_transcript(_spec(project, "interview"), path, ctx)[0]
    assert [s.text for s in doc.segments] == ["Miten hotellissa menee?",
                                              "Työntekijöitä on vaikea saada, kun kämppiä ei ole."]
    assert doc.segments[1].group == "yrityksen edustaja"
    path.write_bytes(b"not a zip at all")
    with pytest.raises(InputError, match="not a readable Word document"):
        read_transcript(_spec(project, "interview"), path, ctx)


VTT = """WEBVTT

a1b2/1-0
00:00:01.000 --> 00:00:04.000
<v Elina Haapakoski>Hei, kuuluuko?</v>

a1b2/2-0
00:00:04.500 --> 00:00:08.000
<v Kaisa Ylläsjärvi>Kuuluu hyvin.</v>

a1b2/3-0
00:00:08.200 --> 00:00:12.000
<v Kaisa Ylläsjärvi>Meillä on hotellissa sata työntekijää.</v>

a1b2/4-0
00:01:02.000 --> 00:01:05.000
<v Elina Haapakoski>Kiitos.</v>
"""


def test_webvtt_merges_consecutive_cues_of_one_speaker(tiny_project):
    project, ctx = _ctx(tiny_project)
    path = tiny_project / "raw" / "interviews" / "H03.vtt"
    path.write_text(VTT, encoding="utf-8")
    spec = type(_spec(project, "interview"))("interview", "transcript", "raw/interviews/H03.vtt", 1, "H03",
                                               {"participant": "P03"})
    doc = read_transcript(spec, path, ctx)[0]
    assert [(s.speaker_role, s.text) for s in doc.segments] == [
        ("interviewer", "Hei, kuuluuko?"),
        ("participant", "Kuuluu hyvin. Meillä on hotellissa sata työntekijää."),
        ("interviewer", "Kiitos."),
    ]
    assert doc.segments[1].timestamp == "00:00:04"
    assert "Kaisa" not in doc.text and "Elina" not in doc.text   # labels are codes, never display names
    path.write_text(VTT.replace("Elina Haapakoski", "Tuntematon Henkilö"), encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_transcript(spec, path, ctx)
    assert "unknown speaker 'Tuntematon Henkilö'" in str(err.value) and err.value.line == 4


# --- tables (notes, comments) ----------------------------------------------------------------------

def test_sticky_notes_csv(tiny_project):
    project, ctx = _ctx(tiny_project)
    doc = read_rows(_spec(project, "W1"), tiny_project / "raw/notes.csv", ctx)[0]
    assert [s.segment_id for s in doc.segments] == ["W1-001", "W1-002", "W1-004"]  # empty note 3 skipped
    assert doc.segments[1].text == "Ei vuokra-asuntoja\nollenkaan"
    assert doc.segments[1].participant == "P01" and doc.segments[1].group == "yrittäjä"
    assert doc.segments[2].participant is None          # an author not in the register stays unknown
    assert doc.segments[0].prompt == "1a Nykytila: vahvuudet"
    for s in doc.segments:
        assert doc.text[s.start:s.end] == s.text


def test_comments_with_bom_semicolons_and_aliases(tiny_project):
    project, ctx = _ctx(tiny_project)
    doc = read_rows(_spec(project, "C"), tiny_project / "raw/comments.csv", ctx)[0]
    assert [s.segment_id for s in doc.segments] == ["C-001", "C-002"]
    assert doc.segments[0].text == "Tontteja pitää kaavoittaa; nopeasti."
    assert doc.segments[0].participant == "P02"          # "Jussi" is an alias of P02
    assert doc.segments[1].group == "luottamushenkilö" and doc.segments[0].date == "2023-09-11"


def test_table_errors(tiny_project):
    project, ctx = _ctx(tiny_project)
    path = tiny_project / "raw/comments.csv"
    path.write_text("Nro;Päivämäärä;Kommentoija;Taustaryhmä;Kohta;Kommentti\n1;1.1.2023;;pomo;T1;Hyvä\n",
                    encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_rows(_spec(project, "C"), path, ctx)
    assert err.value.row == 2 and err.value.column == "Taustaryhmä" and "unknown group 'pomo'" in str(err.value)
    path.write_text("Nro;Kommentti\n1;Hyvä\n", encoding="utf-8")
    with pytest.raises(InputError, match="no column 'Kohta'"):
        read_rows(_spec(project, "C"), path, ctx)
    path.write_text("Nro;Päivämäärä;Kommentoija;Taustaryhmä;Kohta;Kommentti\n1;1.1.2023;;;T1;\"auki\n",
                    encoding="utf-8")
    with pytest.raises(InputError, match="malformed CSV|expected 6 fields"):
        read_rows(_spec(project, "C"), path, ctx)


# --- survey ----------------------------------------------------------------------------------------

def test_survey_csv_finnish_excel(tiny_project):
    project, ctx = _ctx(tiny_project)
    doc = read_survey(_spec(project, "S"), tiny_project / "raw/survey.csv", ctx)[0]
    respondents = doc.tables["respondents"]
    assert list(respondents["group"]) == ["yrittäjä", "luottamushenkilö", "muu"]
    assert list(respondents["duration_min"]) == [7.5, 3.25, 12.0]          # decimal comma
    rankings = doc.tables["rankings"]
    assert len(rankings) == 7                                             # R003 ranked only its top 1
    likert = doc.tables["likert"].set_index(["respondent_id", "alternative"])
    assert likert.loc[("R001", "A3"), "answer"] == "dont_know" and likert.loc[("R002", "A2"), "answer"] == "missing"
    assert likert.loc[("R001", "A1"), "value"] == 5
    assert [s.segment_id for s in doc.segments] == ["S-R001-q1", "S-R003-q1"]
    assert doc.segments[0].text == "Asuntoja lisää, äkkiä!" and doc.segments[0].group == "yrittäjä"


@pytest.mark.parametrize("row, message, column", [
    (["R004", "Yrittäjä", "1", "9", "2", "3", "", "", "", ""], "ranking '9' out of range", "Järjestys: Matkailu"),
    (["R004", "Yrittäjä", "1", "1", "1", "2", "", "", "", ""], "tie or a gap", None),
    (["R001", "Yrittäjä", "1", "1", "2", "3", "", "", "", ""], "duplicate respondent id", "Vastaajan ID"),
    (["R004", "Johtaja", "1", "1", "2", "3", "", "", "", ""], "unknown group 'Johtaja'", "Taustaryhmä"),
    (["R004", "Yrittäjä", "1", "1", "2", "3", "7", "", "", ""], "Likert answer '7'", "Tärkeys: Matkailu"),
])
def test_survey_errors_name_row_and_column(tiny_project, row, message, column):
    from conftest import SURVEY_ROWS

    path = tiny_project / "raw/survey.csv"
    path.write_bytes(("\r\n".join(";".join(r) for r in SURVEY_ROWS + [row]) + "\r\n").encode("cp1252"))
    project, ctx = _ctx(tiny_project)
    with pytest.raises(InputError) as err:
        read_survey(_spec(project, "S"), path, ctx)
    assert message in str(err.value)
    assert err.value.row == 5
    if column:
        assert err.value.column == column


def test_survey_xlsx_reads_like_csv(tiny_project):
    import openpyxl
    from conftest import SURVEY_ROWS

    book = openpyxl.Workbook()
    sheet = book.active
    for r in SURVEY_ROWS:
        sheet.append([float(c.replace(",", ".")) if c.replace(",", "").isdigit() else (c or None) for c in r])
    book.save(tiny_project / "raw/survey.xlsx")
    project, ctx = _ctx(tiny_project)
    from_csv = read_survey(_spec(project, "S"), tiny_project / "raw/survey.csv", ctx)[0]
    from_xlsx = read_survey(_spec(project, "S"), tiny_project / "raw/survey.xlsx", ctx)[0]
    for name in ("respondents", "rankings", "likert"):
        assert from_csv.tables[name].equals(from_xlsx.tables[name]), name
    assert [s.text for s in from_csv.segments] == [s.text for s in from_xlsx.segments]


# --- project and register --------------------------------------------------------------------------

def test_project_and_register_errors(tiny_project):
    config = tiny_project / "project.yml"
    original = config.read_text(encoding="utf-8")
    config.write_text(original.replace("stage: survey", "stage: kysely"), encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_project(tiny_project)
    assert "stage 'kysely'" in str(err.value) and err.value.line is not None
    config.write_text(original.replace("format: survey", "format: pdf"), encoding="utf-8")
    with pytest.raises(InputError, match="unknown source format 'pdf'"):
        load_project(tiny_project)
    config.write_text(original + "  bad: [unclosed\n", encoding="utf-8")
    with pytest.raises(InputError, match="invalid YAML"):
        load_project(tiny_project)
    config.write_text(original, encoding="utf-8")
    register = tiny_project / "private/participants.csv"
    register.write_text(register.read_text(encoding="utf-8") + "P01,Toinen Henkilö,,yrittäjä,,,\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_register(register, load_project(tiny_project).groups)
    assert "duplicate participant code 'P01'" in str(err.value) and err.value.line == 6


@pytest.mark.parametrize("old, new, message, line", [
    # a typo in a key was ignored before: a misspelt keep list let the names it should keep be replaced
    ("pseudonymisation:\n  keep:", "pseudonymisation:\n  kep:", "unknown key 'kep' in pseudonymisation", 42),
    ("language: fi", "language: fi\ntitel: Testi", "unknown key 'titel'", 3),
    # a single name where a list belongs was read letter by letter
    ("interviewers: [I01]", "interviewers: I01", "interviewers: 'I01' is not a list", 4),
    # these stopped with a bare traceback (KeyError, AttributeError, TypeError)
    ("  - {id: A2, label: Asuminen, theme: T2}", "  - {id: A2, theme: T2}",
     "alternatives, entry 2 (A2) needs the key 'label'", 14),
    ("groups:\n  muu: [Muu]", "groups: [muu]", "groups: ['muu'] is not a mapping", 5),
    ("pseudonymisation:\n  keep: [Ylläs, Äkäslompolo, Ylläsjärvi, Pajala, Kolari]", "pseudonymisation: [Ylläs]",
     "pseudonymisation: ['Ylläs'] is not a mapping", 41),
    ("language: fi", "language: fi\ncodebook: [codebook.yml]", "codebook: ['codebook.yml'] is not text", 3),
    ("  - {id: survey, label: Kysely}", "  - survey", "stages, entry 2: 'survey' is not a mapping", 9),
    ("name: tiny\n", "", "project.yml needs the key 'name'", 1),
    ("    format: table\n    path: raw/notes.csv", "    path: raw/notes.csv",
     "sources, entry 1 (W1) needs the key 'format'", 17),
    ("language: fi", "language: fi\nallow_outside_sources: maybe",
     "allow_outside_sources: 'maybe' is not true or false", 3),
])
def test_project_yml_mistakes_name_the_line_and_what_was_expected(tiny_project, old, new, message, line):
    config = tiny_project / "project.yml"
    original = config.read_text(encoding="utf-8")
    assert old in original, old
    config.write_text(original.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_project(tiny_project)
    assert message in str(err.value) and err.value.hint, str(err.value)
    assert err.value.line == line, str(err.value)
    if "unknown key" in message:
        assert "did you mean" in err.value.hint


def test_one_broken_source_does_not_stop_the_others(tiny_project):
    (tiny_project / "raw/interviews/H09.txt").write_text("ei front matteria\n", encoding="utf-8")
    project, ctx = _ctx(tiny_project)
    documents, failures = read_sources(project, ctx.register)
    assert {d.source_id for d in documents} == {"W1", "H01", "S", "C"}
    assert len(failures) == 1 and "H09.txt" in failures[0].path and "front matter" in failures[0].error
