"""Working templates for the programme's implementation: a monitoring workbook and a communication plan.

Both are generated from ``programme.yml`` and, where ``codesign analyse`` has run, the validation verdicts;
the communication plan is pre-filled from what each stakeholder group said (final codes of
``build/codings.parquet``). ``read_monitoring`` reads a filled-in monitoring workbook back as tidy
follow-up data and names the sheet and cell of anything it cannot read.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from codesign.analysis.tables import read_table, with_reasons_in
from codesign.core.errors import InputError
from codesign.core.programme import Programme, project_programme, redacted
from codesign.core.project import Project, load_project
from codesign.core.safety import open_zip
from codesign.outputs.style import VERDICT_STYLES
from codesign.privacy.leakcheck import guard

MONITORING_FILE = "seurantapohja.xlsx"
COMMUNICATION_FILE = "viestintasuunnitelma.xlsx"

#: The status of an action at the end of a year (the drop-down of the action sheet).
ACTION_STATUSES = ("ei aloitettu", "käynnissä", "valmis", "viivästynyt")
#: The yearly assessment of a qualitative goal (one whose indicator is not a number).
QUALITATIVE_STATUSES = ("ei toteutunut", "osittain", "toteutunut")

SHEET_INSTRUCTIONS = "Ohjeet"
SHEET_THEMES = "Teemat"
SHEET_INDICATORS = "Mittarit"
SHEET_ACTIONS = "Toimenpiteet"
SHEET_PLAN = "Viestintäsuunnitelma"
SHEET_GROUPS = "Ryhmien painotukset"

#: Fixed columns of the indicator sheet (the year columns follow, then the notes column).
INDICATOR_COLUMNS = ["Teema", "Teeman arvio", "Tavoite-id", "Tavoite", "Tavoitteen arvio", "Mittari",
                     "Yksikkö", "Lähtötaso", "Lähtötason vuosi", "Tavoitetaso", "Tavoitevuosi", "Tietolähde",
                     "Seurantatiheys", "Vastuutaho"]
ACTION_COLUMNS = ["Teema", "Teeman arvio", "Toimenpide-id", "Toimenpide", "Vastuutaho", "Kumppanit",
                  "Aikataulu"]
NOTES_COLUMN = "Huomiot"
#: Columns after the notes of the indicator sheet: the committee's follow-up decisions (read back when filled).
DECISION_COLUMNS = ["Tarkistettu tavoitetaso", "Toimikunnan päätös", "Päätöksen päivämäärä"]
SHEET_PATH = "Tavoitepolku"
SHEET_MESSAGES = "Avainviestit"
WIDTHS = {"Teema": 9, "Teeman arvio": 14, "Tavoite-id": 10, "Tavoite": 48, "Tavoitteen arvio": 14,
          "Mittari": 40, "Yksikkö": 10, "Lähtötaso": 10, "Lähtötason vuosi": 10, "Tavoitetaso": 10,
          "Tavoitevuosi": 10, "Tietolähde": 30, "Seurantatiheys": 13, "Vastuutaho": 26, "Toimenpide-id": 13,
          "Toimenpide": 55, "Kumppanit": 36, "Aikataulu": 11, NOTES_COLUMN: 40, "Tarkistettu tavoitetaso": 13,
          "Toimikunnan päätös": 36, "Päätöksen päivämäärä": 13}
BEHIND_FILL = PatternFill("solid", fgColor="FDD7B5")     # behind the straight path from baseline to target
IMPLAUSIBLE_FILL = PatternFill("solid", fgColor="F4A6A6")  # a value no real indicator takes (typo?)

HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
HEADER_FONT = Font(bold=True, color="FFFFFF")
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")        # the cells a person fills in
THEME_FILLS = [PatternFill("solid", fgColor=c) for c in ("EAF1FB", "FFFFFF")]
VERDICT_FONTS = {verdict: Font(bold=verdict in ("not_supported", "needs_refinement"),
                              italic=verdict == "insufficient_evidence", color=style.text)
                 for verdict, style in VERDICT_STYLES.items()}
THIN = Side(style="thin", color="BFBFBF")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")


@dataclass
class TemplateResult:
    monitoring: Path
    communication: Path
    verdicts_included: bool


# ---------------------------------------------------------------------------------------------------------
# Writing


def _verdicts(project: Project) -> tuple[dict, dict, bool]:
    """theme id → (verdict, reasons in Finnish), goal id → (verdict, reasons), and whether the tables were
    there."""
    label = str(project.root)
    themes = read_table(project.build_dir, "theme_validation", label, required=False)
    goals = read_table(project.build_dir, "goal_validation", label, required=False)
    theme_map = {} if themes is None else {
        str(r.theme): (str(r.verdict), r.reasons) for r in with_reasons_in(themes, "theme_validation").itertuples()}
    goal_map = {} if goals is None else {
        str(r.goal_id): (str(r.verdict), r.reasons) for r in with_reasons_in(goals, "goal_validation").itertuples()}
    return theme_map, goal_map, themes is not None or goals is not None


def _header(sheet, columns: list[str], row: int = 1) -> None:
    for index, name in enumerate(columns, start=1):
        cell = sheet.cell(row=row, column=index, value=name)
        cell.fill, cell.font, cell.border = HEADER_FILL, HEADER_FONT, BORDER
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        sheet.column_dimensions[get_column_letter(index)].width = WIDTHS.get(name, 12)
    sheet.row_dimensions[row].height = 32


#: Sheets with many columns print two pages wide (readable type) with their id columns on every page.
WIDE_SHEETS = {SHEET_INDICATORS: "A:D", SHEET_ACTIONS: "A:D", SHEET_PLAN: "A:C", SHEET_MESSAGES: "A:A"}


def _print_setup(sheet) -> None:
    """Landscape A4, the header row (and on wide sheets the id columns) repeated on every page; a wide sheet
    two pages wide so its type stays readable, the others one page wide."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth = 2 if sheet.title in WIDE_SHEETS else 1
    sheet.page_setup.fitToHeight = 0
    sheet.print_options.gridLines = False
    if sheet.title != SHEET_INSTRUCTIONS:
        sheet.print_title_rows = "1:1"
    if sheet.title in WIDE_SHEETS:
        sheet.print_title_cols = WIDE_SHEETS[sheet.title]


def _fit_rows(sheet, first_row: int = 2) -> None:
    """Row heights for the wrapped text: spreadsheet programs do not grow rows of a generated file."""
    widths = {letter: dim.width for letter, dim in sheet.column_dimensions.items()}
    for row in sheet.iter_rows(min_row=first_row):
        lines = 1
        for cell in row:
            if isinstance(cell.value, str):
                width = max((widths.get(cell.column_letter) or 10) - 1, 4)
                lines = max(lines, sum(math.ceil(max(len(part), 1) / width) for part in cell.value.split("\n")))
        sheet.row_dimensions[row[0].row].height = min(15 * lines, 240)


def _body_cell(sheet, row: int, column: int, value, fill: PatternFill):
    cell = sheet.cell(row=row, column=column, value=value)
    cell.alignment, cell.border, cell.fill = WRAP, BORDER, fill
    return cell


def _as_text(sheet) -> None:
    """Every text cell stored as text: openpyxl makes a string that begins with ``=`` a formula, and text
    from the programme or the material (an owner ``=HYPERLINK(…)``) must never run when the file is opened.
    The workbooks hold no formulas of their own (drop-down lists are data validations)."""
    for row in sheet.iter_rows():
        for cell in row:
            if cell.data_type == "f" and isinstance(cell.value, str):
                cell.data_type = "s"


def _verdict_text(verdict: tuple | None, missing: str) -> str:
    """The verdict with its sign (``✗ ei tuettu``): colour never carries it alone, in print neither."""
    from codesign.outputs.report import badge_text

    return badge_text(verdict[0]) if verdict else missing


def _instructions(sheet, programme: Programme, have_verdicts: bool, lines: list[str]) -> None:
    sheet["A1"] = programme.title
    sheet["A1"].font = Font(bold=True, size=14)
    for number, text in enumerate(lines, start=3):
        cell = sheet.cell(row=number, column=1, value=text)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    if not have_verdicts:
        cell = sheet.cell(row=len(lines) + 4, column=1,
                          value="Huom. Arviointisarakkeissa lukee ”ei arvioitu”, koska yhteiskehittämisen "
                                "aineistoa ei ole vielä arvioitu.")
        cell.font = Font(italic=True, color="C00000")
    sheet.column_dimensions["A"].width = 110


def write_monitoring(project: Project, programme: Programme, path: Path) -> bool:
    """The monitoring workbook; returns whether validation verdicts were included."""
    theme_verdicts, goal_verdicts, have = _verdicts(project)
    missing = "ei arvioitu"
    years = programme.years
    wb = Workbook()
    info = wb.active
    info.title = SHEET_INSTRUCTIONS
    statuses = ", ".join(ACTION_STATUSES)
    _instructions(info, programme, have, [
        "Tämä työkirja on elinkeino-ohjelman seurantapohja. Se on tehty hyväksytystä ohjelmasta ja "
        "yhteiskehittämisen arvioinnin tuloksista.",
        f"Välilehti {SHEET_THEMES}: ohjelman teemat ja arvio siitä, tukiko osallistujien aineisto teemaa "
        "(vahvistettu, tarkennettava, ei tuettu) perusteluineen. Tätä välilehteä ei täytetä.",
        f"Välilehti {SHEET_INDICATORS}: yksi rivi kutakin tavoitetta ja sen mittaria kohden. Kirjoita "
        f"vuosisarakkeisiin {years[0]}–{years[-1]} (keltaiset solut) mittarin arvo vuoden lopussa pelkkänä "
        "lukuna ilman yksikköä (esim. 27 tai 27,5). Laadullisten tavoitteiden riveillä valitse "
        f"vuosisarakkeeseen pudotusvalikosta {', '.join(QUALITATIVE_STATUSES)}.",
        f"Välilehti {SHEET_ACTIONS}: ensimmäiset toimenpiteet. Valitse kunkin vuoden sarakkeeseen "
        f"pudotusvalikosta toimenpiteen tila vuoden lopussa: {statuses}.",
        "Jätä tyhjäksi vuodet, joilta tietoa ei vielä ole. Huomiot-sarakkeeseen voi kirjoittaa vapaasti.",
        f"Oranssi vuosisolu: arvo on jäljessä suoraviivaisesta polusta lähtötasosta tavoitetasoon (välilehti "
        f"{SHEET_PATH} näyttää, mihin kunkin vuoden pitäisi yltää). Punainen vuosisolu: arvo on epätodennäköinen "
        "(esim. prosenttiosuus yli 100 tai kaukana lähtö- ja tavoitetasosta) – tarkista, onko se kirjoitettu oikein.",
        "Kun toimikunta päättää muuttaa tavoitetta, kirjoita uusi tavoitetaso sarakkeeseen Tarkistettu "
        "tavoitetaso, päätös sarakkeeseen Toimikunnan päätös ja päivämäärä muodossa 15.3.2026.",
        "Älä nimeä välilehtiä uudelleen äläkä muuta otsikkorivejä tai tunnisteita (Tavoite-id, "
        "Toimenpide-id): täytetty työkirja luetaan takaisin raportteihin, ja jos jokin solu ei ole luettavissa, "
        "ilmoitus kertoo välilehden ja solun.",
        "Älä kirjoita työkirjaan henkilöiden nimiä, puhelinnumeroita tai sähköpostiosoitteita: vastuutaho on "
        "organisaatio tai tehtävänimike.",
        f"Raportointi: {programme.reporting}" if programme.reporting else "",
        "Tulostus: leveät välilehdet tulostuvat kahden sivun levyisinä; otsikkorivi ja tunnistesarakkeet toistuvat "
        "jokaisella sivulla.",
    ])

    themes = wb.create_sheet(SHEET_THEMES)
    theme_columns = ["Teema", "Nimi", "Arvio", "Perustelut", "Tavoitteita", "Toimenpiteitä"]
    _header(themes, theme_columns)
    for width, letter in zip((9, 45, 14, 80, 11, 13), "ABCDEF"):
        themes.column_dimensions[letter].width = width
    for row, theme in enumerate(programme.themes, start=2):
        verdict = theme_verdicts.get(theme.id)
        fill = THEME_FILLS[row % 2]
        for column, value in enumerate([theme.id, theme.title, _verdict_text(verdict, missing),
                                        verdict[1] if verdict else "", len(theme.goals), len(theme.actions)],
                                       start=1):
            cell = _body_cell(themes, row, column, value, fill)
        if verdict:
            themes.cell(row=row, column=3).font = VERDICT_FONTS.get(verdict[0], Font())
    themes.freeze_panes = "B2"

    indicators = wb.create_sheet(SHEET_INDICATORS)
    columns = INDICATOR_COLUMNS + [str(y) for y in years] + [NOTES_COLUMN] + DECISION_COLUMNS
    _header(indicators, columns)
    first_year_col = len(INDICATOR_COLUMNS) + 1
    numeric = DataValidation(type="decimal", operator="between", formula1="-1000000000", formula2="1000000000",
                             allow_blank=True, showErrorMessage=True, errorTitle="Ei luku",
                             error="Kirjoita pelkkä luku ilman yksikköä (esim. 27 tai 27,5).")
    qualitative = DataValidation(type="list", formula1='"' + ",".join(QUALITATIVE_STATUSES) + '"',
                                 allow_blank=True, showErrorMessage=True, errorTitle="Tuntematon arvio",
                                 error="Valitse arvio pudotusvalikosta: " + ", ".join(QUALITATIVE_STATUSES))
    indicators.add_data_validation(numeric)
    indicators.add_data_validation(qualitative)
    row = 2
    for t_index, theme in enumerate(programme.themes):
        fill = THEME_FILLS[t_index % 2]
        verdict = theme_verdicts.get(theme.id)
        for goal in theme.goals:
            goal_verdict = goal_verdicts.get(goal.id)
            values = [theme.id, _verdict_text(verdict, missing), goal.id, goal.text,
                      _verdict_text(goal_verdict, missing), goal.indicator, goal.unit, goal.baseline,
                      goal.baseline_year, goal.target, goal.target_year, goal.data_source, goal.frequency,
                      goal.owner]
            for column, value in enumerate(values, start=1):
                _body_cell(indicators, row, column, value, fill)
            if goal_verdict:
                indicators.cell(row=row, column=5).font = VERDICT_FONTS.get(goal_verdict[0], Font())
            for offset, year in enumerate(years):
                cell = _body_cell(indicators, row, first_year_col + offset, None, INPUT_FILL)
                (numeric if goal.measurable else qualitative).add(cell.coordinate)
                if goal.measurable:
                    _flag_rules(indicators, cell.coordinate, goal, year)
            for offset in range(len(DECISION_COLUMNS) + 1):       # notes, revised target, decision, date
                cell = _body_cell(indicators, row, first_year_col + len(years) + offset, None, INPUT_FILL)
                if offset == 1 and goal.measurable:
                    numeric.add(cell.coordinate)
            row += 1
    indicators.freeze_panes = indicators.cell(row=2, column=4)
    indicators.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(row - 1, 1)}"

    actions = wb.create_sheet(SHEET_ACTIONS)
    columns = ACTION_COLUMNS + [str(y) for y in years] + [NOTES_COLUMN]
    _header(actions, columns)
    status = DataValidation(type="list", formula1='"' + ",".join(ACTION_STATUSES) + '"', allow_blank=True,
                            showErrorMessage=True, errorTitle="Tuntematon tila",
                            error="Valitse tila pudotusvalikosta: " + statuses,
                            showInputMessage=True, promptTitle="Tila vuoden lopussa", prompt=statuses)
    actions.add_data_validation(status)
    first_year_col = len(ACTION_COLUMNS) + 1
    row = 2
    for t_index, theme in enumerate(programme.themes):
        fill = THEME_FILLS[t_index % 2]
        verdict = theme_verdicts.get(theme.id)
        for action in theme.actions:
            values = [theme.id, _verdict_text(verdict, missing), action.id, action.text, action.owner,
                      ", ".join(action.partners), action.schedule]
            for column, value in enumerate(values, start=1):
                _body_cell(actions, row, column, value, fill)
            for offset in range(len(years) + 1):
                cell = _body_cell(actions, row, first_year_col + offset, None, INPUT_FILL)
                if offset < len(years):
                    status.add(cell.coordinate)
            row += 1
    actions.freeze_panes = actions.cell(row=2, column=4)
    actions.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(row - 1, 1)}"
    for sheet, after in ((indicators, len(DECISION_COLUMNS) + 1), (actions, 1)):
        for offset in range(len(years)):
            sheet.column_dimensions[get_column_letter(len(sheet[1]) - after - len(years) + 1 + offset)].width = 11

    _path_sheet(wb, programme)
    _save(wb, path)
    return have


def expected_value(goal, year: int) -> float | None:
    """Where a straight path from the goal's baseline (in its baseline year) to its target (in its target year)
    stands in ``year``: the "on track" reference of the monitoring workbook; None without the numbers."""
    if None in (goal.baseline, goal.target, goal.baseline_year, goal.target_year) \
            or goal.target_year <= goal.baseline_year:
        return None
    share = min(1.0, max(0.0, (year - goal.baseline_year) / (goal.target_year - goal.baseline_year)))
    return goal.baseline + share * (goal.target - goal.baseline)


def plausible_range(goal) -> tuple[float, float] | None:
    """Values an indicator can plausibly take: within twice the baseline–target distance beyond either end
    (shares in % within 0–100, counts not below 0); None without a baseline and a target."""
    if goal.baseline is None or goal.target is None:
        return None
    span = max(abs(goal.target - goal.baseline), abs(goal.baseline) * 0.5, 1.0)
    low, high = min(goal.baseline, goal.target) - 2 * span, max(goal.baseline, goal.target) + 2 * span
    unit = (goal.unit or "").strip()
    if unit == "%":
        low, high = max(low, 0.0), min(high, 100.0)
    elif min(goal.baseline, goal.target) >= 0:
        low = max(low, 0.0)
    return low, high


def _flag_rules(sheet, coordinate: str, goal, year: int) -> None:
    """Orange when the value is behind the straight path to the target, red when it is implausible."""
    from openpyxl.formatting.rule import FormulaRule

    bounds = plausible_range(goal)
    if bounds is not None:
        low, high = bounds
        sheet.conditional_formatting.add(coordinate, FormulaRule(
            formula=[f"AND(ISNUMBER({coordinate}),OR({coordinate}<{low:g},{coordinate}>{high:g}))"],
            fill=IMPLAUSIBLE_FILL, stopIfTrue=True))
    expected = expected_value(goal, year)
    if expected is not None and goal.target != goal.baseline:
        sign = 1 if goal.target > goal.baseline else -1
        sheet.conditional_formatting.add(coordinate, FormulaRule(
            formula=[f"AND(ISNUMBER({coordinate}),({coordinate}-{expected:g})*{sign}<0)"], fill=BEHIND_FILL))


def _path_sheet(wb: Workbook, programme: Programme) -> None:
    """The "on track" reference: per measurable goal, where a straight path from baseline to target stands
    each year (not filled in; the indicator sheet's year cells turn orange below it)."""
    sheet = wb.create_sheet(SHEET_PATH)
    years = programme.years
    _header(sheet, ["Tavoite-id", "Mittari", "Yksikkö", "Lähtötaso", "Tavoitetaso"] + [str(y) for y in years])
    for letter, width in zip("ABCDE", (10, 50, 10, 10, 10)):
        sheet.column_dimensions[letter].width = width
    row = 2
    for goal in programme.goals:
        if not goal.measurable or expected_value(goal, years[0]) is None:
            continue
        values = [goal.id, goal.indicator, goal.unit, goal.baseline, goal.target]
        values += [round(expected_value(goal, y), 1) for y in years]
        for column, value in enumerate(values, start=1):
            _body_cell(sheet, row, column, value, THEME_FILLS[row % 2])
        row += 1
    sheet.freeze_panes = "B2"


def _save(wb: Workbook, path: Path) -> None:
    for sheet in wb.worksheets:
        _as_text(sheet)
        if sheet.sheet_state == "visible":
            _fit_rows(sheet)
            _print_setup(sheet)
    wb.properties.creator = "codesign"
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.stem + ".tmp" + path.suffix)
    wb.save(tmp)
    tmp.replace(path)


def group_voices(segments: pd.DataFrame, codings: pd.DataFrame, themes: list[str],
                 quotes_per_theme: int = 3) -> pd.DataFrame:
    """What each stakeholder group said about each theme: one row per (group, theme).

    Columns: ``group``, ``theme``, ``n_participants`` (distinct participants of the group voicing the theme),
    ``group_participants`` (distinct participants of the group with any participant segment), ``share``,
    ``n_segments``, ``rank`` (1 = the theme the group voiced most, by participants then segments) and
    ``segment_ids`` (up to ``quotes_per_theme`` example segments from distinct participants, interviews
    first, ``;``-joined). Only final codes count; segments without a group are left out.
    """
    people = segments[(segments["speaker_role"] == "participant") & segments["group"].notna()]
    final = codings[codings["final"] & codings["code"].isin(themes)][["segment_id", "code"]]
    coded = final.merge(people[["segment_id", "participant", "group", "stage", "text"]], on="segment_id")
    sizes = people.groupby("group")["participant"].nunique()
    stage_order = {"interview": 0, "comment": 1, "workshop2": 2, "workshop1": 3, "survey": 4}
    rows = []
    for group in sorted(people["group"].unique()):
        for theme in themes:
            part = coded[(coded["group"] == group) & (coded["code"] == theme)]
            examples = (part.assign(order=part["stage"].map(stage_order).fillna(9),
                                    length=-part["text"].str.len().clip(upper=300))
                        .sort_values(["order", "length", "segment_id"]))
            examples = examples.drop_duplicates("participant") if examples["participant"].notna().any() \
                else examples
            rows.append({"group": group, "theme": theme, "n_participants": int(part["participant"].nunique()),
                         "group_participants": int(sizes.get(group, 0)),
                         "n_segments": int(len(part)),
                         "segment_ids": ";".join(examples["segment_id"].head(quotes_per_theme))})
    frame = pd.DataFrame(rows, columns=["group", "theme", "n_participants", "group_participants", "n_segments",
                                        "segment_ids"])
    frame["share"] = (frame["n_participants"] / frame["group_participants"].where(frame["group_participants"] > 0)
                      ).fillna(0.0)
    frame["rank"] = (frame.sort_values(["n_participants", "n_segments"], ascending=False)
                     .groupby("group").cumcount() + 1).reindex(frame.index)
    return frame[["group", "theme", "n_participants", "group_participants", "share", "n_segments", "rank",
                  "segment_ids"]]


def _read_build(project: Project) -> tuple[pd.DataFrame, pd.DataFrame]:
    segments_path = project.build_dir / "segments.parquet"
    codings_path = project.build_dir / "codings.parquet"
    for path, command in ((segments_path, "ingest"), (codings_path, "code")):
        if not path.is_file():
            raise InputError(path, f"{path.name} is missing",
                             hint=f"run `codesign {command} {project.root}` first")
    return pd.read_parquet(segments_path), pd.read_parquet(codings_path)


def _comment_groups(segments: pd.DataFrame) -> dict[int, str]:
    """Draft comment number (the change log's ``comments``) → the commenter's group, from the comment
    segments' ids (``C-013`` is comment 13)."""
    out = {}
    comments = segments[(segments["stage"] == "comment") & (segments["speaker_role"] == "participant")]
    for sid, group in zip(comments["segment_id"], comments["group"]):
        tail = str(sid).rsplit("-", 1)[-1]
        if tail.isdigit() and isinstance(group, str) and group:
            out[int(tail)] = group
    return out


def _theme_of(target: str) -> str:
    return target.split(".")[0]


def heard_and_done(programme: Programme, segments: pd.DataFrame) -> dict[tuple[str, str], list]:
    """(audience, theme) → the approved programme's changes on that theme that rest on comments of that
    audience ("kuulimme – teimme"); (audience, "") → all its changes. Uses the change log's ``comments``."""
    groups = _comment_groups(segments)
    out: dict[tuple[str, str], list] = {}
    for change in programme.changes:
        audiences = {groups[int(n)] for n in change.comments if str(n).isdigit() and int(n) in groups}
        for audience in audiences:
            out.setdefault((audience, _theme_of(change.target)), []).append(change)
            out.setdefault((audience, ""), []).append(change)
    return out


def _change_line(change) -> str:
    from codesign.core.i18n import LABELS
    from codesign.outputs.findings import short_name

    target = LABELS.get(f"section.{change.target}", {}).get("fi", change.target)
    return f"{change.id} ({target}): {short_name(change.change, 160)}"


def _quote(segments: pd.DataFrame, segment_ids: str) -> str:
    """The first example segment as a quote with its id (pseudonymised text, cut at a sentence)."""
    from codesign.core.text import excerpt

    ids = [s for s in str(segment_ids or "").split(";") if s]
    if not ids:
        return ""
    text = segments.loc[segments["segment_id"] == ids[0], "text"]
    return f"”{excerpt(str(text.iloc[0]), 220)}” ({ids[0]})" if len(text) else ""


def write_communication(project: Project, programme: Programme, path: Path) -> pd.DataFrame:
    """The communication-plan workbook; returns the group voices it was pre-filled from."""
    segments, codings = _read_build(project)
    theme_ids = [t.id for t in programme.themes]
    voices = group_voices(segments, codings, theme_ids)
    theme_verdicts, _, have = _verdicts(project)
    done = heard_and_done(programme, segments)
    wb = Workbook()
    info = wb.active
    info.title = SHEET_INSTRUCTIONS
    _instructions(info, programme, have, [
        "Tämä työkirja on elinkeino-ohjelman viestintäsuunnitelman pohja: kullekin kohderyhmälle viesti "
        "kustakin teemasta, kanava, ajoitus ja vastuutaho.",
        f"Välilehti {SHEET_MESSAGES}: ohjelman avainviestit kohderyhmittäin (ajoitus, kanava, vastuutaho) sekä "
        "mitä kuulimme kohderyhmältä ja mitä hyväksyttyyn ohjelmaan sen pohjalta muutettiin.",
        f"Välilehti {SHEET_PLAN}: rivit on järjestetty kohderyhmittäin niin, että ensin tulevat teemat, "
        "joista ryhmä puhui yhteiskehittämisessä eniten. Sarake 'Mitä ryhmä sanoi' kertoo sen sanoin, "
        "'Lainaus' on ryhmän osallistujan pseudonymisoitu puheenvuoro tunnisteineen (esim. H03-012) ja "
        "'Kuulimme – teimme' ohjelmaan tehdyt muutokset, jotka perustuvat ryhmän kommentteihin. Nimiä "
        "työkirjassa ei ole.",
        "Kanava, ajoitus ja vastuutaho on esitäytetty kohderyhmän avainviesteistä; muokkaa ja täydennä keltaisia "
        "soluja: viestin ydin, kanava (pudotusvalikko ohjelman kanavista, voi kirjoittaa myös muun), ajoitus ja "
        "vastuutaho (organisaatio tai tehtävänimike, ei henkilön nimeä).",
        f"Välilehti {SHEET_GROUPS}: kuinka suuri osa kunkin ryhmän osallistujista puhui kustakin teemasta.",
        "Kohderyhmät, joita ei kuultu yhteiskehittämisessä (esim. asukkaat, matkailijat), ovat mukana ilman "
        "ryhmän omia sanoja.",
    ])

    channel = None
    lists = None
    if programme.channels:
        # A list longer than Excel's 255-character inline limit lives on a hidden sheet.
        lists = wb.create_sheet("Listat")
        for number, name in enumerate(programme.channels, start=1):
            lists.cell(row=number, column=1, value=name)
        lists.sheet_state = "hidden"

    def channel_rule(sheet):
        if lists is None:
            return None
        rule = DataValidation(type="list", formula1=f"Listat!$A$1:$A${len(programme.channels)}",
                              allow_blank=True, showErrorMessage=False)
        sheet.add_data_validation(rule)
        return rule

    audiences = programme.audiences or sorted(voices["group"].unique())

    # the programme's key messages, with what we heard from the audience and what the programme changed
    messages = wb.create_sheet(SHEET_MESSAGES, index=1)
    columns = ["Kohderyhmä", "Avainviesti", "Ajoitus", "Kanava", "Vastuutaho", "Kuulimme", "Teimme"]
    _header(messages, columns)
    for letter, width in zip("ABCDEFG", (18, 60, 24, 26, 24, 60, 60)):
        messages.column_dimensions[letter].width = width
    message_channel = channel_rule(messages)
    row = 2
    for a_index, audience in enumerate(audiences):
        fill = THEME_FILLS[a_index % 2]
        heard = voices[voices["group"] == audience].sort_values("rank")
        if len(heard):
            top = heard.head(2)
            words = "; ".join(f"{programme.theme(v.theme).title}: {_said(v)}" for v in top.itertuples())
            quote = _quote(segments, top["segment_ids"].iloc[0])
            heard_text = f"{words}. {quote}".strip()
        else:
            heard_text = "Ryhmää ei kuultu yhteiskehittämisessä."
        changes = done.get((audience, ""), [])
        done_text = "\n".join(_change_line(c) for c in changes) or ""
        own = [m for m in programme.messages if m.audience == audience] or [None]
        for message in own:
            values = [audience, message.message if message else None, message.timing if message else None,
                      message.channel if message else None, message.owner if message else None,
                      heard_text, done_text]
            for column, value in enumerate(values, start=1):
                cell = _body_cell(messages, row, column, value, INPUT_FILL if 2 <= column <= 5 else fill)
                if column == 4 and message_channel is not None:
                    message_channel.add(cell.coordinate)
            row += 1
    messages.freeze_panes = "B2"
    messages.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(row - 1, 1)}"

    plan = wb.create_sheet(SHEET_PLAN, index=1)
    columns = ["Kohderyhmä", "Teema", "Teeman nimi", "Teeman arvio", "Mitä ryhmä sanoi", "Esimerkkisegmentit",
               "Viestin ydin", "Kanava", "Ajoitus", "Vastuutaho", "Lainaus", "Kuulimme – teimme"]
    _header(plan, columns)
    for letter, width in zip("ABCDEFGHIJKL", (18, 8, 32, 16, 34, 22, 44, 26, 20, 22, 56, 56)):
        plan.column_dimensions[letter].width = width
    channel = channel_rule(plan)
    row = 2
    for a_index, audience in enumerate(audiences):
        fill = THEME_FILLS[a_index % 2]
        heard = voices[voices["group"] == audience].sort_values("rank")
        order = list(heard["theme"]) if len(heard) else theme_ids
        own = [m for m in programme.messages if m.audience == audience]
        defaults = [", ".join(dict.fromkeys(getattr(m, key) for m in own if getattr(m, key))) or None
                    for key in ("channel", "timing", "owner")]
        for theme_id in order:
            theme = programme.theme(theme_id)
            verdict = theme_verdicts.get(theme_id)
            said, examples, quote = "", "", ""
            if len(heard):
                v = heard[heard["theme"] == theme_id].iloc[0]
                said = _said(v)
                examples = v["segment_ids"].replace(";", "; ")
                quote = _quote(segments, v["segment_ids"])
            else:
                said = "ryhmää ei kuultu yhteiskehittämisessä"
            changes = done.get((audience, theme_id), [])
            heard_done = "\n".join(f"Kuulimme: kommentit {', '.join(map(str, c.comments))}; teimme: {_change_line(c)}"
                                    for c in changes)
            values = [audience, theme_id, theme.title, _verdict_text(verdict, ""), said, examples]
            for column, value in enumerate(values, start=1):
                _body_cell(plan, row, column, value, fill)
            for column, value in zip(range(7, 11), [None] + defaults):
                cell = _body_cell(plan, row, column, value, INPUT_FILL)
                if channel is not None and column == 8:
                    channel.add(cell.coordinate)
            _body_cell(plan, row, 11, quote, fill)
            _body_cell(plan, row, 12, heard_done, fill)
            row += 1
    plan.freeze_panes = "C2"
    plan.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{row - 1}"

    groups = wb.create_sheet(SHEET_GROUPS)
    pivot = voices.pivot(index="group", columns="theme", values="share").reindex(columns=theme_ids)
    _header(groups, ["Ryhmä", "Osallistujia"] + theme_ids)
    groups.column_dimensions["A"].width = 22
    sizes = voices.drop_duplicates("group").set_index("group")["group_participants"]
    for r, (group, shares) in enumerate(pivot.iterrows(), start=2):
        _body_cell(groups, r, 1, group, THEME_FILLS[0])
        _body_cell(groups, r, 2, int(sizes[group]), THEME_FILLS[0])
        for c, share in enumerate(shares, start=3):
            cell = _body_cell(groups, r, c, float(share), THEME_FILLS[0])
            cell.number_format = "0 %"
    groups.freeze_panes = "B2"
    if lists is not None:                 # the hidden list last, after the sheets people read
        wb.move_sheet(lists, offset=len(wb.sheetnames) - wb.sheetnames.index("Listat") - 1)
    _save(wb, path)
    return voices


def _said(v) -> str:
    """What a group said about a theme, in words: how many of its participants, and its rank for the group."""
    position = int(_get(v, "rank"))
    rank = "ryhmän eniten puhuttu teema" if position == 1 else f"ryhmän {position}. puhutuin teema"
    n, of = int(_get(v, "n_participants")), int(_get(v, "group_participants"))
    share = round(100 * float(_get(v, "share")))
    return f"{rank}: {n}/{of} osallistujaa ({share} %) puhui siitä"


def _get(row, name):
    return row[name] if isinstance(row, pd.Series) else getattr(row, name)


def make_templates(project: Project | Path | str | None = None, out_dir: Path | str | None = None
                   ) -> TemplateResult:
    """Write both workbooks (default ``PROJECT/build/templates/``) and leak-check them."""
    from codesign.privacy.leakcheck import redactor

    project = load_project(project)
    # Names the leak gate would find (a firm the corpus pseudonymises named as an owner, a participant) are
    # replaced in the programme's text too.
    programme = redacted(project_programme(project), redactor(project))
    out = Path(out_dir) if out_dir is not None else project.build_dir / "templates"
    monitoring, communication = out / MONITORING_FILE, out / COMMUNICATION_FILE
    have = write_monitoring(project, programme, monitoring)
    write_communication(project, programme, communication)
    guard(project, [monitoring, communication])
    return TemplateResult(monitoring, communication, have)


# ---------------------------------------------------------------------------------------------------------
# Reading a filled-in monitoring workbook back

FOLLOW_UP_COLUMNS = ["kind", "id", "theme", "year", "value", "status", "sheet", "cell"]


def _sheet(wb, name: str, path: Path):
    if name not in wb.sheetnames:
        raise InputError(path, f"sheet {name!r} not found (the workbook has: {', '.join(wb.sheetnames)})",
                         column=name, hint=f"give the sheet its original name {name!r}; the template's sheets "
                                           "must not be renamed")
    return wb[name]


def _where(sheet, coordinate: str) -> str:
    return f"sheet {sheet.title!r}, cell {coordinate}"


def _headers(sheet, expected: list[str], path: Path) -> dict[str, int]:
    """Column index of each expected header in row 1; a removed or renamed header names its cell."""
    found = {}
    for cell in sheet[1]:
        if cell.value is not None:
            found[str(cell.value).strip()] = cell.column
    for position, name in enumerate(expected, start=1):
        if name not in found:
            coordinate = f"{get_column_letter(position)}1"
            raise InputError(path, f"{_where(sheet, coordinate)}: the header {name!r} is missing "
                                   f"(found {sheet[coordinate].value!r})", row=1, column=coordinate,
                             hint="restore the template's header row; do not rename or delete its columns")
    return found


def _number(value, sheet, coordinate: str, path: Path) -> float:
    if isinstance(value, bool):
        raise InputError(path, f"{_where(sheet, coordinate)}: expected a number, found {value!r}",
                         column=coordinate)
    if isinstance(value, (int, float)):
        return float(value)
    text = str(value).strip().replace("\u00a0", "").replace(" ", "")
    try:
        # A number typed as text in a Finnish spreadsheet ("27,5") is still a number.
        return float(text.replace(",", "."))
    except ValueError:
        raise InputError(path, f"{_where(sheet, coordinate)}: expected a number, found the text {value!r}",
                         row=int("".join(ch for ch in coordinate if ch.isdigit())), column=coordinate,
                         hint="write the value alone without unit or words, e.g. 27 or 27,5; "
                              "put explanations in the Huomiot column") from None


def _status(value, allowed: tuple[str, ...], sheet, coordinate: str, path: Path) -> str:
    text = " ".join(str(value).split()).casefold()
    if text not in allowed:
        raise InputError(path, f"{_where(sheet, coordinate)}: unknown status {value!r}",
                         row=int("".join(ch for ch in coordinate if ch.isdigit())), column=coordinate,
                         hint=f"choose one of: {', '.join(allowed)}")
    return text


def read_monitoring(path: Path | str, project: Project | Path | str | None = None) -> pd.DataFrame:
    """Tidy follow-up data from a filled-in monitoring workbook: one row per filled (indicator/action, year).

    Columns: ``kind`` (``indicator`` or ``action``), ``id`` (goal id ``T1.G1`` or action id ``T1.A1``),
    ``theme``, ``year`` (int), ``value`` (float; indicators of measurable goals), ``status`` (actions:
    one of ACTION_STATUSES; qualitative goals: one of QUALITATIVE_STATUSES), ``sheet`` and ``cell`` where
    it was read. Empty year cells are not reported yet and give no row. Anything unreadable is an
    InputError naming the sheet and cell.
    """
    path = Path(path)
    project = load_project(project)
    programme = project_programme(project)
    goals = {g.id: g for g in programme.goals}
    actions = {a.id: a for a in programme.actions}
    if path.is_file():
        open_zip(path, project.limits, ".xlsx workbook").close()   # sizes checked before openpyxl inflates
    try:
        wb = load_workbook(path, data_only=True, read_only=False)
    except FileNotFoundError:
        raise InputError(path, "file not found") from None
    except Exception as exc:        # openpyxl raises several types for a file that is not a workbook
        raise InputError(path, f"not a readable .xlsx workbook ({type(exc).__name__}: {exc})",
                         hint="save the file in Excel format (.xlsx)") from None
    years = programme.years
    rows = []
    for sheet_name, fixed, id_column, known, kind in (
            (SHEET_INDICATORS, INDICATOR_COLUMNS, "Tavoite-id", goals, "indicator"),
            (SHEET_ACTIONS, ACTION_COLUMNS, "Toimenpide-id", actions, "action")):
        sheet = _sheet(wb, sheet_name, path)
        columns = _headers(sheet, fixed + [str(y) for y in years], path)
        seen: dict[str, str] = {}
        for number in range(2, sheet.max_row + 1):
            id_cell = sheet.cell(row=number, column=columns[id_column])
            year_cells = [sheet.cell(row=number, column=columns[str(y)]) for y in years]
            filled = {c.coordinate for c in year_cells if c.value is not None and str(c.value).strip()}
            identifier = None if id_cell.value is None else str(id_cell.value).strip()
            if not identifier:
                if filled:
                    raise InputError(path, f"{_where(sheet, id_cell.coordinate)}: the row has follow-up values "
                                           f"but no {id_column}", row=number, column=id_cell.coordinate,
                                     hint=f"restore the {id_column} of the row (see programme.yml)")
                continue
            if identifier not in known:
                raise InputError(path, f"{_where(sheet, id_cell.coordinate)}: unknown {id_column} "
                                       f"{identifier!r}", row=number, column=id_cell.coordinate,
                                 hint=f"use the ids of programme.yml ({', '.join(list(known)[:4])} …)")
            if identifier in seen:
                raise InputError(path, f"{_where(sheet, id_cell.coordinate)}: {id_column} {identifier!r} "
                                       f"repeats cell {seen[identifier]}", row=number, column=id_cell.coordinate,
                                 hint="keep one row per goal or action")
            seen[identifier] = id_cell.coordinate
            item = known[identifier]
            for year, cell in zip(years, year_cells):
                if cell.coordinate not in filled:
                    continue
                value, status = None, None
                if kind == "action":
                    status = _status(cell.value, ACTION_STATUSES, sheet, cell.coordinate, path)
                elif item.measurable:
                    value = _number(cell.value, sheet, cell.coordinate, path)
                else:
                    status = _status(cell.value, QUALITATIVE_STATUSES, sheet, cell.coordinate, path)
                rows.append({"kind": kind, "id": identifier, "theme": item.theme, "year": year, "value": value,
                             "status": status, "sheet": sheet.title, "cell": cell.coordinate})
        absent = [i for i in known if i not in seen]
        if absent:
            raise InputError(path, f"sheet {sheet.title!r}: no row for {', '.join(absent)}",
                             column=sheet.title, hint="restore the deleted rows from a fresh template "
                                                      "(codesign templates)")
    frame = pd.DataFrame(rows, columns=FOLLOW_UP_COLUMNS)
    frame["year"] = frame["year"].astype("int64")
    frame["value"] = frame["value"].astype("float64")
    frame["status"] = frame["status"].astype("string")
    return frame


DECISION_FIELDS = ["goal_id", "theme", "revised_target", "decision", "decision_date", "sheet", "cell"]


def read_decisions(path: Path | str, project: Project | Path | str | None = None) -> pd.DataFrame:
    """The committee's follow-up decisions in a filled-in monitoring workbook: one row per goal whose
    ``Tarkistettu tavoitetaso``, ``Toimikunnan päätös`` or ``Päätöksen päivämäärä`` is filled in. Columns:
    ``goal_id``, ``theme``, ``revised_target`` (float; a measurable goal's new target), ``decision`` (text),
    ``decision_date`` (ISO date; typed as ``15.3.2026`` or a date cell), ``sheet`` and ``cell`` (of the first
    filled one). A workbook of an earlier template without these columns gives no rows. A revised target that
    is not a number, or a date that is not one, is an ``InputError`` naming the sheet and cell."""
    import datetime as dt

    path = Path(path)
    project = load_project(project)
    goals = {g.id: g for g in project_programme(project).goals}
    try:
        wb = load_workbook(path, data_only=True)
    except Exception as exc:        # openpyxl raises several types for a file that is not a workbook
        raise InputError(path, f"not a readable .xlsx workbook ({type(exc).__name__}: {exc})",
                         hint="save the file in Excel format (.xlsx)") from None
    sheet = _sheet(wb, SHEET_INDICATORS, path)
    found = {str(c.value).strip(): c.column for c in sheet[1] if c.value is not None}
    rows = []
    if not set(DECISION_COLUMNS) & set(found) or "Tavoite-id" not in found:
        return pd.DataFrame(rows, columns=DECISION_FIELDS)
    for number in range(2, sheet.max_row + 1):
        identifier = sheet.cell(row=number, column=found["Tavoite-id"]).value
        cells = {name: sheet.cell(row=number, column=found[name]) for name in DECISION_COLUMNS if name in found}
        filled = {name: c for name, c in cells.items() if c.value is not None and str(c.value).strip()}
        if not filled or identifier is None or str(identifier).strip() not in goals:
            continue
        goal = goals[str(identifier).strip()]
        revised = filled.get("Tarkistettu tavoitetaso")
        date = filled.get("Päätöksen päivämäärä")
        when = None
        if date is not None:
            value = date.value
            if isinstance(value, (dt.date, dt.datetime)):
                when = (value.date() if isinstance(value, dt.datetime) else value).isoformat()
            else:
                try:
                    day, month, year = (int(part) for part in str(value).strip().rstrip(".").split("."))
                    when = dt.date(year, month, day).isoformat()
                except ValueError:
                    raise InputError(path, f"{_where(sheet, date.coordinate)}: expected a date, found {value!r}",
                                     row=number, column=date.coordinate,
                                     hint="write the date as 15.3.2026") from None
        first = next(iter(filled.values()))
        rows.append({"goal_id": goal.id, "theme": goal.theme,
                     "revised_target": _number(revised.value, sheet, revised.coordinate, path) if revised else None,
                     "decision": str(filled["Toimikunnan päätös"].value).strip() if "Toimikunnan päätös" in filled
                     else None, "decision_date": when, "sheet": sheet.title, "cell": first.coordinate})
    frame = pd.DataFrame(rows, columns=DECISION_FIELDS)
    frame["revised_target"] = frame["revised_target"].astype("float64")
    return frame
