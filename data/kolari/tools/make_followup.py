#!/usr/bin/env python3
"""Generate a FICTIONAL filled-in monitoring workbook for the demo: ``followup/seuranta_2025.xlsx``.

Writes the monitoring template with ``codesign.outputs.templates.write_monitoring`` (from programme.yml; without
validation verdicts, so the file does not depend on a build) and fills in the years 2024 and 2025 as the
goal owners would: each measurable indicator moves a fixed, invented fraction of the way from its baseline
toward its target (one falls back, one stalls), qualitative goals are *osittain*, and the first actions
are started, finished or delayed. Every number is invented; the file only shows notebook 06's follow-up
loop. The output is byte-for-byte reproducible (fixed zip entry times and document dates).

Run:  PYTHONPATH=$PWD .venv/bin/python data/kolari/tools/make_followup.py
"""
from __future__ import annotations

import dataclasses
import io
import re
import sys
import tempfile
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
sys.path.insert(0, str(PROJECT.parent.parent))

from openpyxl import load_workbook  # noqa: E402

from codesign.outputs.followup import FOLLOWUP_DIR  # noqa: E402
from codesign.core.programme import project_programme  # noqa: E402
from codesign.core.project import load_project  # noqa: E402
from codesign.outputs.templates import SHEET_ACTIONS, SHEET_INDICATORS, write_monitoring  # noqa: E402

OUTPUT = PROJECT / FOLLOWUP_DIR / "seuranta_2025.xlsx"
#: share of the way from baseline to target reached in 2024 and 2025, cycled over the measurable goals
PACE = [(0.15, 0.35), (0.10, 0.20), (0.25, 0.55), (0.05, -0.05), (0.20, 0.40), (0.0, 0.0), (0.30, 0.50)]
#: action statuses for 2024 and 2025, cycled over the first actions
ACTION_PATH = [("käynnissä", "valmis"), ("ei aloitettu", "käynnissä"), ("käynnissä", "viivästynyt"),
               ("käynnissä", "käynnissä"), ("valmis", "valmis")]
NOTE = "FIKTIIVINEN demoarvo"
FIXED_TIME = "2026-01-15T09:00:00Z"


def _columns(sheet) -> dict[str, int]:
    return {str(c.value): c.column for c in sheet[1] if c.value is not None}


def fill(path: Path, programme) -> None:
    wb = load_workbook(path)
    goals = {g.id: g for g in programme.goals}
    indicators = wb[SHEET_INDICATORS]
    columns = _columns(indicators)
    measurable = 0
    for row in range(2, indicators.max_row + 1):
        goal = goals.get(str(indicators.cell(row=row, column=columns["Tavoite-id"]).value))
        if goal is None:
            continue
        if goal.measurable and goal.baseline is not None and goal.target is not None:
            pace = PACE[measurable % len(PACE)]
            measurable += 1
            for year, share in zip((2024, 2025), pace):
                value = max(0.0, round(goal.baseline + share * (goal.target - goal.baseline), 1))   # counts stay ≥ 0
                indicators.cell(row=row, column=columns[str(year)], value=value)
        else:
            for year in (2024, 2025):
                indicators.cell(row=row, column=columns[str(year)], value="osittain")
        indicators.cell(row=row, column=columns["Huomiot"], value=NOTE)
    actions = wb[SHEET_ACTIONS]
    columns = _columns(actions)
    for n, row in enumerate(range(2, actions.max_row + 1)):
        if actions.cell(row=row, column=columns["Toimenpide-id"]).value is None:
            continue
        for year, status in zip((2024, 2025), ACTION_PATH[n % len(ACTION_PATH)]):
            actions.cell(row=row, column=columns[str(year)], value=status)
        actions.cell(row=row, column=columns["Huomiot"], value=NOTE)
    wb.save(path)


def normalise(path: Path) -> None:
    """Fixed zip entry times and document dates, so the same inputs give the same bytes."""
    with zipfile.ZipFile(path) as source:
        entries = [(info.filename, source.read(info.filename)) for info in source.infolist()]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in entries:
            if name == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>" + FIXED_TIME.encode(), data)
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 15, 9, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, data)
    path.write_bytes(buffer.getvalue())


def main(output: Path = OUTPUT) -> Path:
    project = load_project(PROJECT)
    programme = project_programme(project)
    output.parent.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as empty:
        # a project root without build/: the template then carries no verdicts and does not depend on a build
        write_monitoring(dataclasses.replace(project, root=Path(empty)), programme, output)
    fill(output, programme)
    normalise(output)
    return output


if __name__ == "__main__":
    print(main(Path(sys.argv[1]) if len(sys.argv) > 1 else OUTPUT))
