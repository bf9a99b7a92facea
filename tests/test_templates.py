"""Monitoring and communication templates, reading a filled-in monitoring workbook back, the programme model.

The project is written to a tmp dir: the demo's project.yml, programme.yml and (fictional) register, a
hand-made segment and coding table whose group counts are known, and — where a test wants verdicts — the
hand-made analysis tables of tests/fixtures/analysis (see its README).
"""
from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from codesign.cli import main
from codesign.core.errors import InputError
from codesign.core.project import load_project
from codesign.core.register import load_register
from codesign.outputs.templates import (
    ACTION_STATUSES,
    COMMUNICATION_FILE,
    MONITORING_FILE,
    QUALITATIVE_STATUSES,
    group_voices,
    make_templates,
    read_monitoring,
)
from codesign.privacy.leakcheck import check_outputs, office_text
from codesign.privacy.pseudonymise import KeyTable

FIXTURES = Path(__file__).parent / "fixtures" / "analysis"
KEYS = "placeholder,kind,key,original\n[YRITYS-2],organisation,tornion malmi,Tornion Malmi Oy\n" \
       "[YRITYS-2],organisation,tornion malmi,Tornion Malmi Oy:n\n"

# participant segments: P01, P02 entrepreneurs; P05 official; an interviewer turn and a survey respondent
SEGMENTS = [
    ("H01-002", "interview", "P01", "yrittäjä", "participant", "Toukokuussa koko kylä on kiinni."),
    ("H01-003", "interview", None, None, "interviewer", "Entä asuminen?"),
    ("H01-004", "interview", "P01", "yrittäjä", "participant", "Työntekijöille ei löydy asuntoja."),
    ("H02-005", "interview", "P02", "yrittäjä", "participant", "Kesäkausi pitää saada myyntiin."),
    ("W1-001", "workshop1", None, "yrittäjä", "participant", "Ruska myyntiin"),
    ("H05-007", "interview", "P05", "viranhaltija", "participant", "Lautakunta ja yrittäjät tapaamaan."),
    ("S-R001-q1", "survey", "R001", "viranhaltija", "participant", "Asuntoja lisää."),
]
CODINGS = [
    ("H01-002", "T1", "human", True), ("H01-002", "HAASTE", "human", True),
    ("H01-004", "T2", "human", True), ("H01-004", "T1", "machine", False),     # not final: ignored
    ("H02-005", "T1", "machine", True), ("W1-001", "T1", "human", True),
    ("H05-007", "T5", "human", True), ("S-R001-q1", "T2", "machine", True),
    ("H01-003", "T2", "machine", True),                                          # interviewer: ignored
]


def make_project(root: Path, analysis: bool = True) -> Path:
    (root / "private").mkdir(parents=True)
    (root / "build").mkdir()
    # the configuration the hand-made analysis tables were written for (a frozen copy of an earlier demo), so
    # these tests do not move when the demo is rewritten
    for name in ("project.yml", "programme.yml"):
        shutil.copy(FIXTURES / name, root / name)
    shutil.copy(FIXTURES / "participants.csv", root / "private" / "participants.csv")
    (root / "private" / "pseudonym_keys.csv").write_text(KEYS, encoding="utf-8")
    pd.DataFrame(SEGMENTS, columns=["segment_id", "stage", "participant", "group", "speaker_role", "text"]) \
        .to_parquet(root / "build" / "segments.parquet")
    frame = pd.DataFrame(CODINGS, columns=["segment_id", "code", "source", "final"])
    frame.assign(confidence=1.0, evidence="{}").to_parquet(root / "build" / "codings.parquet")
    if analysis:
        for csv in FIXTURES.glob("*.csv"):
            shutil.copy(csv, root / "build" / csv.name)
    return root


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """One project with its templates, shared by the tests that only read them (building takes ~1 s)."""
    root = make_project(tmp_path_factory.mktemp("templates") / "proj")
    return root, make_templates(root)


@pytest.fixture
def project(built) -> Path:
    return built[0]


@pytest.fixture
def templates(built):
    return built[1]


@pytest.fixture
def fresh_project(tmp_path) -> Path:
    return make_project(tmp_path / "proj")


def register_names(root: Path) -> list[str]:
    project = load_project(root)
    register = load_register(project.register_path, project.groups)
    return [name for p in register for name in p.names if len(name) > 3]


# --- programme.yml ----------------------------------------------------------------------------------------

# --- the monitoring workbook --------------------------------------------------------------------------------

def test_monitoring_workbook_round_trip(templates):
    assert templates.monitoring.name == MONITORING_FILE and templates.verdicts_included
    wb = load_workbook(templates.monitoring)
    assert wb.sheetnames == ["Ohjeet", "Teemat", "Mittarit", "Toimenpiteet", "Tavoitepolku"]
    assert "seurantapohja" in wb["Ohjeet"]["A3"].value

    themes = {r[0]: r for r in wb["Teemat"].iter_rows(min_row=2, values_only=True)}
    assert themes["T5"][2] == "! tarkennettava" and themes["T1"][2] == "✓ vahvistettu"    # sign and word
    # the reasons in Finnish, rendered from the structured reasons of theme_validation.csv
    assert themes["T5"][3].startswith("9/14 haastateltavaa puhui teemasta (64 %); 5/20 teemasta puhuneesta pitää "
                                      "sitä kaatoluokkana")
    # no configuration key, file name or command where a person reads
    instructions = " ".join(str(c.value) for c in wb["Ohjeet"]["A"] if c.value)
    assert not re.search(r"\b[a-z]+_[a-z_]+\b|programme\.yml|codesign ", instructions + str(themes["T5"][3]))
    for english in ("interviewees", "participants voicing", "no scope challenge", "subcodes voiced"):
        assert not any(english in str(r[3]) for r in themes.values()), english

    sheet = wb["Mittarit"]
    header = [c.value for c in sheet[1]]
    assert header[-9:] == ["2024", "2025", "2026", "2027", "2028", "Huomiot", "Tarkistettu tavoitetaso",
                           "Toimikunnan päätös", "Päätöksen päivämäärä"]
    rows = {r[2]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert len(rows) == 15
    g = rows["T1.G1"]
    assert (g[0], g[6], g[7], g[8], g[9], g[10]) == ("T1", "%", 24, 2022, 35, 2028)
    assert g[11] == "Tilastokeskus / Visit Finland Rudolf" and g[13] == "Ylläksen matkailuyhdistys"
    assert rows["T4.G1"][4] == "✗ ei tuettu" and rows["T2.G3"][4] == "! tarkennettava"
    assert rows["T3.G1"][4] == "ei arvioitu", "a goal the analysis did not assess"
    # the mining firm the corpus pseudonymises is not named beside the evidence either
    assert rows["T4.G1"][13] == "[YRITYS-2]" and rows["T4.G1"][11].startswith("[YRITYS-2] raportointi")
    assert sheet.freeze_panes == "D2"
    # printed two pages wide with the header row and the id columns on every page
    assert sheet.page_setup.fitToWidth == 2 and sheet.print_title_rows == "$1:$1" and sheet.print_title_cols == "$A:$D"
    # the "on track" reference: a straight path from baseline 24 % (2022) to target 35 % (2028)
    path = {r[0]: r for r in wb["Tavoitepolku"].iter_rows(min_row=2, values_only=True)}
    assert path["T1.G1"][5:7] == (27.7, 29.5) and path["T1.G1"][-1] == 35.0
    rules = {str(rng.sqref): [r.formula[0] for r in rng.rules] for rng in sheet.conditional_formatting}
    assert rules["O2"] == ["AND(ISNUMBER(O2),OR(O2<0,O2>59))", "AND(ISNUMBER(O2),(O2-27.6667)*1<0)"]
    validations = {v.formula1: str(v.sqref) for v in sheet.data_validations.dataValidation}
    qualitative = '"' + ",".join(QUALITATIVE_STATUSES) + '"'
    t4g3 = next(c.row for c in sheet["C"] if c.value == "T4.G3")
    assert f"O{t4g3}" in validations[qualitative].split()
    numeric = next(v for v in sheet.data_validations.dataValidation if v.type == "decimal")
    assert "O2" in str(numeric.sqref).split() and f"O{t4g3}" not in str(numeric.sqref).split()

    actions = wb["Toimenpiteet"]
    status = actions.data_validations.dataValidation[0]
    assert status.type == "list" and status.formula1 == '"' + ",".join(ACTION_STATUSES) + '"'
    cells = str(status.sqref).split()
    assert len(cells) == 20 * 5 and "H2" in cells and "L21" in cells
    assert actions["C2"].value == "T1.A1" and actions["E2"].value == "Ylläksen matkailuyhdistys"
    assert actions["H1"].font.bold and actions["D2"].alignment.wrap_text


def test_monitoring_of_an_older_build_shows_the_english_reasons(tmp_path):
    """Tables written before the structured reasons (no JSON columns) still make a workbook."""
    root = make_project(tmp_path / "p")
    path = root / "build" / "theme_validation.csv"
    old = pd.read_csv(path).drop(columns=["reason_codes", "scope_flag_codes", "perspective_flag_codes"])
    old.to_csv(path, index=False)
    wb = load_workbook(make_templates(root).monitoring)
    themes = {r[0]: r for r in wb["Teemat"].iter_rows(min_row=2, values_only=True)}
    assert themes["T2"][3] == old.set_index("theme").loc["T2", "reasons"]
    assert themes["T2"][3].startswith("coverage 13/14 interviewees (93%)")


def test_monitoring_without_analysis_says_not_assessed(tmp_path):
    result = make_templates(make_project(tmp_path / "p", analysis=False))
    assert not result.verdicts_included
    wb = load_workbook(result.monitoring)
    assert wb["Mittarit"]["B2"].value == "ei arvioitu" and wb["Teemat"]["C2"].value == "ei arvioitu"
    assert any("ei ole vielä arvioitu" in str(c.value) for c in wb["Ohjeet"]["A"])


def test_templates_pass_the_leak_check_and_the_checker_reads_them(templates, project):
    p = load_project(project)
    register = load_register(p.register_path, p.groups)
    keys = KeyTable.load(p.private_dir / "pseudonym_keys.csv")
    assert check_outputs([templates.monitoring, templates.communication], register, keys, p.keep_terms) == []
    text = "\n".join(t for _, t in office_text(templates.monitoring))
    assert "Ylläksen matkailuyhdistys" in text and "T4.G1" in text      # the checker sees the cells


def test_leak_checker_finds_names_in_xlsx_and_docx(tmp_path, project):
    import docx
    from openpyxl import Workbook

    p = load_project(project)
    register = load_register(p.register_path, p.groups)
    wb = Workbook()
    wb.active.title = "Aila Keinänen"                 # a name as a sheet title
    wb.active["B3"] = "soita 040 123 4567"
    wb.save(tmp_path / "leak.xlsx")
    document = docx.Document()
    para = document.add_paragraph("Haastateltava ")
    para.add_run("Juho ").bold = True                 # a name split over formatting runs
    para.add_run("Mäkitalo")
    document.save(tmp_path / "leak.docx")
    findings = check_outputs([tmp_path / "leak.xlsx", tmp_path / "leak.docx"], register, KeyTable(), p.keep_terms,
                             raise_on_leak=False)
    found = {(Path(f.path).suffix, f.value) for f in findings}
    assert (".xlsx", "Aila Keinänen") in found and (".xlsx", "040 123 4567") in found
    assert (".docx", "Juho Mäkitalo") in found


# --- the communication plan ----------------------------------------------------------------------------------

def test_group_voices_counts():
    segments = pd.DataFrame(SEGMENTS, columns=["segment_id", "stage", "participant", "group", "speaker_role",
                                               "text"])
    codings = pd.DataFrame(CODINGS, columns=["segment_id", "code", "source", "final"])
    voices = group_voices(segments, codings, ["T1", "T2", "T5"]).set_index(["group", "theme"])
    t1 = voices.loc[("yrittäjä", "T1")]
    assert (t1["n_participants"], t1["group_participants"], t1["n_segments"], t1["rank"]) == (2, 2, 3, 1)
    assert t1["segment_ids"] == "H01-002;H02-005;W1-001", "interviews first, one example per participant"
    assert voices.loc[("yrittäjä", "T2"), "n_participants"] == 1      # the non-final T1 of H01-004 ignored
    assert voices.loc[("viranhaltija", "T2"), "share"] == 0.5
    assert voices.loc[("viranhaltija", "T5"), "segment_ids"] == "H05-007"
    assert voices.loc[("yrittäjä", "T5"), "n_segments"] == 0


def test_communication_plan_round_trip(templates):
    assert templates.communication.name == COMMUNICATION_FILE
    wb = load_workbook(templates.communication)
    assert wb.sheetnames == ["Ohjeet", "Viestintäsuunnitelma", "Avainviestit", "Ryhmien painotukset", "Listat"]
    assert wb["Listat"].sheet_state == "hidden"
    plan = wb["Viestintäsuunnitelma"]
    rows = list(plan.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 6 * 5                                    # audiences × themes
    first = rows[0]
    assert first[:2] == ("yrittäjä", "T1") and first[3] == "✓ vahvistettu"
    assert first[4] == "ryhmän eniten puhuttu teema: 2/2 osallistujaa (100 %) puhui siitä"
    assert first[5] == "H01-002; H02-005; W1-001"
    assert first[10] == "”Toukokuussa koko kylä on kiinni.” (H01-002)"         # the group's own words
    residents = [r for r in rows if r[0] == "asukkaat"]
    assert len(residents) == 5 and all("ei kuultu" in r[4] for r in residents)
    channel = plan.data_validations.dataValidation[0]
    assert channel.formula1 == "Listat!$A$1:$A$8" and "H2" in str(channel.sqref).split()
    groups = {r[0]: r for r in wb["Ryhmien painotukset"].iter_rows(min_row=2, values_only=True)}
    assert groups["yrittäjä"][1] == 2 and groups["yrittäjä"][2] == 1.0


def test_communication_plan_needs_the_coding(tmp_path):
    root = make_project(tmp_path / "p")
    (root / "build" / "codings.parquet").unlink()
    with pytest.raises(InputError, match="codings.parquet is missing") as info:
        make_templates(root)
    assert "codesign code" in info.value.hint


# --- reading a filled-in monitoring workbook back --------------------------------------------------------------

def fill(path: Path, cells: dict[tuple[str, str], object], out: Path) -> Path:
    wb = load_workbook(path)
    for (sheet, coordinate), value in cells.items():
        wb[sheet][coordinate] = value
    wb.save(out)
    return out


def test_read_filled_monitoring_workbook(templates, project, tmp_path):
    wb = load_workbook(templates.monitoring)
    t4g3 = next(c.row for c in wb["Mittarit"]["C"] if c.value == "T4.G3")
    filled = fill(templates.monitoring, {
        ("Mittarit", "O2"): 26, ("Mittarit", "P2"): "27,5", ("Mittarit", "Q2"): None,
        ("Mittarit", f"O{t4g3}"): "osittain", ("Mittarit", "T2"): "luku arvioitu",
        ("Toimenpiteet", "H2"): "käynnissä", ("Toimenpiteet", "I2"): " Valmis ",
        ("Toimenpiteet", "H3"): "viivästynyt",
    }, tmp_path / "filled.xlsx")
    data = read_monitoring(filled, project)
    assert list(data.columns) == ["kind", "id", "theme", "year", "value", "status", "sheet", "cell"]
    rows = {(r.id, r.year): r for r in data.itertuples()}
    assert len(rows) == 6
    assert rows[("T1.G1", 2024)].value == 26.0 and rows[("T1.G1", 2025)].value == 27.5
    assert rows[("T4.G3", 2024)].status == "osittain" and pd.isna(rows[("T4.G3", 2024)].value)
    assert rows[("T1.A1", 2025)].status == "valmis" and rows[("T1.A1", 2025)].cell == "I2"
    assert rows[("T1.A2", 2024)].kind == "action" and rows[("T1.A2", 2024)].theme == "T1"
    assert data["year"].dtype == "int64" and data["value"].dtype == "float64"


def test_committee_decisions_read_back_and_revise_the_target(templates, project, tmp_path):
    from codesign.core.programme import project_programme
    from codesign.outputs.followup import indicator_progress
    from codesign.outputs.templates import read_decisions

    assert read_decisions(templates.monitoring, project).empty
    # T1.G1: baseline 24 % (2022), target 35 % (2028); the committee lowers the target to 30 % in spring 2026
    filled = fill(templates.monitoring, {("Mittarit", "O2"): 27, ("Mittarit", "U2"): "30",
                                         ("Mittarit", "V2"): "Tavoite laskettu väliarvioinnissa",
                                         ("Mittarit", "W2"): "15.3.2026"}, tmp_path / "decided.xlsx")
    decisions = read_decisions(filled, project)
    assert decisions.to_dict("records") == [{"goal_id": "T1.G1", "theme": "T1", "revised_target": 30.0,
                                             "decision": "Tavoite laskettu väliarvioinnissa",
                                             "decision_date": "2026-03-15", "sheet": "Mittarit", "cell": "U2"}]
    programme = project_programme(load_project(project))
    follow_up = read_monitoring(filled, project)
    before = indicator_progress(programme, follow_up).iloc[0]
    after = indicator_progress(programme, follow_up, decisions).iloc[0]
    assert round(before["progress"], 3) == round(3 / 11, 3) and after["target"] == 30.0
    assert round(after["progress"], 3) == 0.5                            # 27 is half-way from 24 to 30
    bad = fill(templates.monitoring, {("Mittarit", "W2"): "maaliskuussa"}, tmp_path / "bad.xlsx")
    with pytest.raises(InputError, match=r"cell W2: expected a date, found 'maaliskuussa'") as info:
        read_decisions(bad, project)
    assert "15.3.2026" in info.value.hint


def test_read_empty_template_gives_no_rows(templates, project):
    assert read_monitoring(templates.monitoring, project).empty


def _rename_sheet(path, out):
    wb = load_workbook(path)
    wb["Toimenpiteet"].title = "Toimet"
    wb.save(out)


def _delete_row(path, out):
    wb = load_workbook(path)
    wb["Mittarit"].delete_rows(3)
    wb.save(out)


@pytest.mark.parametrize("cells, message, where", [
    ({("Mittarit", "O2"): "noin 30"}, "expected a number, found the text 'noin 30'", "sheet 'Mittarit', cell O2"),
    ({("Mittarit", "P3"): True}, "expected a number", "cell P3"),
    ({("Toimenpiteet", "J4"): "aloitettu"}, "unknown status 'aloitettu'", "sheet 'Toimenpiteet', cell J4"),
    ({("Mittarit", "Q1"): None}, "the header '2026' is missing", "sheet 'Mittarit', cell Q1"),
    ({("Toimenpiteet", "C1"): "Tunniste"}, "the header 'Toimenpide-id' is missing", "cell C1"),
    ({("Mittarit", "C5"): None, ("Mittarit", "O5"): 3}, "has follow-up values but no Tavoite-id", "cell C5"),
    ({("Mittarit", "C5"): "T9.G9"}, "unknown Tavoite-id 'T9.G9'", "cell C5"),
    ({("Toimenpiteet", "C3"): "T1.A1"}, "'T1.A1' repeats cell C2", "cell C3"),
])
def test_broken_workbooks_name_sheet_and_cell(templates, project, tmp_path, cells, message, where):
    broken = fill(templates.monitoring, cells, tmp_path / "broken.xlsx")
    with pytest.raises(InputError) as info:
        read_monitoring(broken, project)
    assert message in info.value.message and where in info.value.message


@pytest.mark.parametrize("damage, message", [
    (_rename_sheet,
     "sheet 'Toimenpiteet' not found (the workbook has: Ohjeet, Teemat, Mittarit, Toimet, Tavoitepolku)"),
    (_delete_row, "sheet 'Mittarit': no row for T1.G2"),
])
def test_restructured_workbooks(templates, project, tmp_path, damage, message):
    damage(templates.monitoring, tmp_path / "broken.xlsx")
    with pytest.raises(InputError) as info:
        read_monitoring(tmp_path / "broken.xlsx", project)
    assert message in info.value.message


def test_not_a_workbook(project, tmp_path):
    path = tmp_path / "seuranta.xlsx"
    path.write_text("vuosi;arvo\n2024;3\n", encoding="utf-8")
    with pytest.raises(InputError, match="not a readable .xlsx workbook"):
        read_monitoring(path, project)


# --- the command line ----------------------------------------------------------------------------------------

def test_cli_templates(fresh_project, tmp_path, capsys):
    project = fresh_project
    assert main(["templates", str(project), "-o", str(tmp_path / "out")]) == 0
    assert (tmp_path / "out" / MONITORING_FILE).is_file() and (tmp_path / "out" / COMMUNICATION_FILE).is_file()
    assert "leak check: passed" in capsys.readouterr().out
    assert main(["templates", str(project)]) == 0
    assert (project / "build" / "templates" / MONITORING_FILE).is_file()
    with zipfile.ZipFile(project / "build" / "templates" / MONITORING_FILE) as archive:
        assert "xl/workbook.xml" in archive.namelist()


def test_cli_templates_without_programme(fresh_project, capsys):
    project = fresh_project
    config = project / "project.yml"
    config.write_text(re.sub(r"(?m)^programme(_draft)?:.*\n", "", config.read_text(encoding="utf-8")),
                      encoding="utf-8")
    assert main(["templates", str(project)]) == 2
    assert "names no programme" in capsys.readouterr().err


def test_key_table_redacts_known_names_whole_words_inflected():
    keys = KeyTable([{"placeholder": "[YRITYS-2]", "kind": "organisation", "key": "tornion malmi",
                      "original": "Tornion Malmi Oy"},
                     {"placeholder": "[PUHELIN]", "kind": "phone", "key": "0401234567", "original": "040 123 4567"}])
    # inflected and with its company form, the name is replaced whole, as the pseudonymiser replaces it
    assert keys.redact("Omistaja: Tornion Malmi Oy ja Tornion Malmi Oy:n raportti") == \
        "Omistaja: [YRITYS-2] ja [YRITYS-2] raportti"
    assert keys.redact("Tornion Malmin kaivos") == "[YRITYS-2] kaivos"
    assert keys.redact("Tornion Malmikaivos") == "Tornion Malmikaivos", "only whole words"
    assert keys.redact("040 123 4567") == "040 123 4567", "only person and firm names; numbers are the checker's"
    keys.placeholder("person", "kirsi alatalo", "Kirsi Alatalo")
    assert keys.redact("Kirsi Alatalo") == "[HENKILÖ-1]"
