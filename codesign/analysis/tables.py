"""Reading the analysis tables ``codesign analyse`` writes into ``build/`` (the contract in docs/schema.md).

The deliverables (monitoring templates, the committee summary) read only these CSV files, so they say
what the HTML reports say. Each reader checks the columns it relies on and tells the user to run
``codesign analyse`` when a table is missing.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from codesign.analysis.columns import BOOLEAN_COLUMNS, CONTRACT, REASON_CODE_COLUMNS, STRING_COLUMNS
from codesign.core.errors import InputError
from codesign.core.safety import restore_cell, text_columns

#: The columns of each table (the contract of docs/schema.md, defined once in codesign.analysis.columns;
#: the tables may have more).
COLUMNS = CONTRACT

RUN_ANALYSE = "run `codesign analyse {project}` first; it writes the analysis tables into build/"


def table_path(build_dir: Path, name: str) -> Path:
    return Path(build_dir) / f"{name}.csv"


def read_table(build_dir: Path, name: str, project_label: str = "PROJECT", required: bool = True
               ) -> pd.DataFrame | None:
    """One analysis table with its documented dtypes (booleans as bool, or "boolean" where a value is missing;
    ids as strings), its contract
    columns checked; None when absent and not ``required``."""
    path = table_path(build_dir, name)
    if not path.is_file():
        if not required:
            return None
        raise InputError(path, f"the analysis table {path.name} is missing",
                         hint=RUN_ANALYSE.format(project=project_label))
    header = pd.read_csv(path, encoding="utf-8", nrows=0).columns
    frame = pd.read_csv(path, encoding="utf-8", keep_default_na=True,
                        dtype={c: str for c in header if c in STRING_COLUMNS})
    for column in text_columns(frame):      # text cells codesign wrote with a protective apostrophe
        frame[column] = frame[column].map(restore_cell)
    for column in BOOLEAN_COLUMNS & set(frame.columns):
        values = frame[column].map(lambda v: v if isinstance(v, bool) or v != v else str(v) == "True")
        frame[column] = values.astype("boolean" if values.isna().any() else bool)
    missing = [c for c in COLUMNS[name] if c not in frame.columns]
    if missing:
        raise InputError(path, f"the table lacks the column(s) {', '.join(missing)}", row=1,
                         hint="it was written by another version of codesign; "
                              + RUN_ANALYSE.format(project=project_label))
    return frame


def read_tables(build_dir: Path, names: list[str], project_label: str = "PROJECT") -> dict[str, pd.DataFrame]:
    """Several tables at once; the error lists every missing table, not only the first."""
    missing = [n for n in names if not table_path(build_dir, n).is_file()]
    if missing:
        raise InputError(Path(build_dir), "missing analysis table(s): "
                         + ", ".join(f"{n}.csv" for n in missing),
                         hint=RUN_ANALYSE.format(project=project_label))
    return {n: read_table(build_dir, n, project_label) for n in names}

def reasons_text(frame: pd.DataFrame, table: str, column: str, language: str = "fi", names: dict | None = None
                 ) -> pd.Series:
    """A reasons, flags or note column (``theme_validation``, ``goal_validation``, ``perspective``) as text in
    ``language``, rendered
    from its structured JSON column (``REASON_CODE_COLUMNS``); where that is absent or empty (tables of an
    older build), the English text as written. Missing text is "". ``names`` maps ids (survey alternatives,
    subcodes) to the names shown beside them."""
    import json

    from codesign.core.i18n import render_reasons

    codes = REASON_CODE_COLUMNS[table][column]
    english = frame[column] if column in frame.columns else pd.Series("", index=frame.index)
    english = english.map(lambda v: "" if v is None or v != v else str(v))
    if codes not in frame.columns:
        return english
    def one(row, structured, fallback):
        if not isinstance(structured, str) or not structured.strip():
            return fallback
        try:
            return render_reasons(json.loads(structured), language, names=names)
        except ValueError as error:
            raise InputError(f"{table}.csv", f"unreadable {codes}: {error}", row=row, column=codes,
                             hint="re-run `codesign analyse` to rewrite the analysis tables") from None
    return pd.Series([one(row, c, e) for row, c, e in zip(range(2, len(frame) + 2), frame[codes], english)],
                     index=frame.index, dtype=object)


def with_reasons_in(frame: pd.DataFrame, table: str, language: str = "fi", names: dict | None = None
                    ) -> pd.DataFrame:
    """``frame`` with every reasons, flags or note column of ``table`` (``REASON_CODE_COLUMNS``) as text in
    ``language`` (``reasons_text``): what a report or deliverable shows."""
    return frame.assign(**{c: reasons_text(frame, table, c, language, names) for c in REASON_CODE_COLUMNS[table]})


def interval(value, low, high, percent: bool = False, language: str = "fi") -> str:
    """``0,64 (0,55–0,73)`` or ``64 % (55–73 %)`` in the language's number format; an empty part gives ""."""
    from codesign.core.i18n import number
    from codesign.core.i18n import percent as pct

    if any(v is None or v != v for v in (value, low, high)):
        return ""
    if percent:
        return f"{pct(value, language)} ({number(low * 100, language)}–{pct(high, language)})"
    return f"{number(value, language, 2)} ({number(low, language, 2)}–{number(high, language, 2)})"


def read_report(build_dir: Path, project_label: str = "PROJECT") -> dict:
    """``analysis_report.json``: the parameters the analysis used, its inputs, versions and counts."""
    import json

    path = Path(build_dir) / "analysis_report.json"
    if not path.is_file():
        raise InputError(path, "the analysis report is missing", hint=RUN_ANALYSE.format(project=project_label))
    return json.loads(path.read_text(encoding="utf-8"))
