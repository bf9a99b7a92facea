"""The committee summary: a Word document of the validation results for the business committee.

Generated only from the analysis tables of ``codesign analyse`` (the same tables the HTML reports show):
themes and their verdicts with reasons, goal verdicts, key figures, two figures and pseudonymised quotes
with their segment ids. Finnish by default, English with ``language="en"``.
"""
from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pandas as pd
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt, RGBColor

from codesign.analysis.tables import read_tables, with_reasons_in
from codesign.core.errors import InputError
from codesign.core.i18n import LANGUAGES, t, verdict_label
from codesign.core.project import Project, load_project
from codesign.core.text import excerpt
from codesign.outputs.style import verdict_style
from codesign.privacy.leakcheck import guard

TABLES = ["theme_validation", "goal_validation", "survey_priorities", "triangulation_stage", "evidence_ledger"]
#: Column headers of the theme and goal tables (labels ``summary.theme_table.*``, ``summary.goal_table.*``).
THEME_TABLE = ("theme", "name", "verdict", "coverage", "reasons")
GOAL_TABLE = ("goal", "content", "verdict", "stances", "reasons")
QUOTES_PER_THEME = 3
QUOTE_CHARS = 300



def default_path(project: Project, language: str) -> Path:
    return project.build_dir / ("committee_summary.docx" if language == "fi" else f"committee_summary_{language}.docx")


def _has_machine_codes(project: Project) -> bool:
    """Whether the analysis wrote what rests on machine codes (``analysis_report.json`` ``machine_codes``)."""
    import json

    from codesign.analysis import REPORT

    path = project.build_dir / REPORT
    return path.is_file() and "machine_codes" in json.loads(path.read_text(encoding="utf-8"))


def _blank(value) -> bool:
    return value is None or (isinstance(value, float) and value != value) or str(value).strip() == ""


def _str(value) -> str:
    return "" if _blank(value) else str(value)


def _counts(frame: pd.DataFrame) -> dict:
    counts = frame["verdict"].value_counts()
    return {"confirmed": int(counts.get("confirmed", 0) + counts.get("supported", 0)),
            "needs_refinement": int(counts.get("needs_refinement", 0)),
            "not_supported": int(counts.get("not_supported", 0)),
            "insufficient_evidence": int(counts.get("insufficient_evidence", 0)), "total": len(frame)}


def _figure(doc: Document, fig, caption: str) -> None:
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=150)
    plt.close(fig)
    buffer.seek(0)
    doc.add_picture(buffer, width=Cm(16))
    doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    para = doc.add_paragraph(caption)
    para.runs[0].italic = True
    para.runs[0].font.size = Pt(9)


def _table(doc: Document, header: list[str], rows: list[list], widths: list[float], verdict_column: int | None,
           verdicts: list[str] | None = None) -> None:
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Light Grid Accent 1"
    for cell, text in zip(table.rows[0].cells, header):
        cell.text = text
        cell.paragraphs[0].runs[0].font.size = Pt(9)
    for index, values in enumerate(rows):
        cells = table.add_row().cells
        for column, (cell, value) in enumerate(zip(cells, values)):
            cell.text = _str(value)
            for para in cell.paragraphs:
                for run in para.runs:
                    run.font.size = Pt(9)
                    if column == verdict_column and verdicts:
                        run.bold = True
                        run.font.color.rgb = RGBColor.from_string(verdict_style(verdicts[index]).text)
    # Word reads the cell widths, LibreOffice the grid columns: set both.
    table.autofit = False
    for column, width in zip(table.columns, widths):
        column.width = Cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths):
            cell.width = Cm(width)


def _stance_counts(g) -> str:
    """Participants supporting / questioning / refining a goal, its segments in brackets (one unit throughout:
    the reasons count the same participants)."""
    voices = [getattr(g, f"voices_{k}", None) for k in ("support", "question", "refine")]
    segments = f"{int(g.n_support)} / {int(g.n_question)} / {int(g.n_refine)}"
    if any(_blank(v) for v in voices):       # a table of an older build: its segment counts as they were
        return segments
    return f"{int(voices[0])} / {int(voices[1])} / {int(voices[2])} ({segments})"


def _quotes(ledger: pd.DataFrame, subjects: list[str]) -> pd.DataFrame:
    """Up to QUOTES_PER_THEME quotes about a theme or its goals, one per stance first, then by score; goal
    quotes a person should still check (``review``) are not shown."""
    rows = ledger[ledger["subject"].isin(subjects) & ledger["quote"].notna() & ledger["segment_id"].notna()]
    if "review" in rows.columns:
        rows = rows[~rows["review"].astype(str).str.lower().eq("true")]
    rows = rows.sort_values(["score", "segment_id"], ascending=[False, True]).drop_duplicates("segment_id")
    first = rows.drop_duplicates("stance")
    rest = rows.drop(first.index)
    return pd.concat([first, rest]).head(QUOTES_PER_THEME)


def write_summary(project: Project | Path | str | None = None, out: Path | str | None = None,
                  language: str = "fi") -> Path:
    """Write the committee summary (.docx) and leak-check it; returns its path."""
    from codesign.outputs import plots
    from codesign.privacy.leakcheck import keys_path, redactor
    from codesign.privacy.pseudonymise import KeyTable

    if language not in LANGUAGES:
        raise InputError("language", f"unknown language {language!r}", hint=f"use one of {', '.join(LANGUAGES)}")
    project = load_project(project)
    def text(key: str) -> str:
        return t(f"summary.{key}", language)

    tables = read_tables(project.build_dir, TABLES, str(project.root))
    themes, goals = tables["theme_validation"], tables["goal_validation"]
    themes = with_reasons_in(themes, "theme_validation", language)
    goals = with_reasons_in(goals, "goal_validation", language)
    priorities, stages, ledger = tables["survey_priorities"], tables["triangulation_stage"], tables["evidence_ledger"]
    # Text that did not pass the pseudonymiser (labels, goals, reasons) loses every name the leak gate would
    # find: register names and the names the corpus replaces. Quotes did pass it: a name found in one is a
    # leak to report (the gate stops the summary), not to hide; only the key table's firms are replaced.
    redact = redactor(project)
    redact_quote = KeyTable.load(keys_path(project)).redact
    stage_labels = {s.id: (s.label if language == "fi" else s.id) for s in project.stages}

    doc = Document()
    doc.core_properties.author = "codesign"
    doc.core_properties.title = text("title")
    doc.add_heading(text("title"), level=0)
    doc.add_paragraph(redact(project.title)).runs[0].bold = True
    doc.add_paragraph(text("intro"))
    doc.add_paragraph(text("generated").format(date=dt.date.today().isoformat())).runs[0].italic = True

    doc.add_heading(text("key_figures"), level=1)
    doc.add_paragraph(text("themes_count").format(**_counts(themes)), style="List Bullet")
    doc.add_paragraph(text("goals_count").format(**_counts(goals)), style="List Bullet")
    everyone = priorities[priorities["group"] == "all"].sort_values("position")
    if len(everyone):
        top = ", ".join(f"{redact(_str(r.label))} {r.top3_share:.0%}" for r in everyone.head(3).itertuples())
        doc.add_paragraph(text("survey_n").format(n=int(everyone["n_respondents"].max()), top=top),
                          style="List Bullet")
    coverage = pd.to_numeric(themes["coverage"], errors="coerce").dropna()
    if len(coverage):
        doc.add_paragraph(text("coverage").format(low=round(100 * coverage.min()), high=round(100 * coverage.max())),
                          style="List Bullet")

    doc.add_heading(text("themes_heading"), level=1)
    rows = [[r.theme, redact(_str(r.label)), verdict_label(r.verdict, language),
             "" if _blank(r.coverage) else f"{float(r.coverage):.0%}", redact(_str(r.reasons))]
            for r in themes.itertuples()]
    _table(doc, [text(f"theme_table.{c}") for c in THEME_TABLE], rows, [1.6, 4.3, 2.6, 1.9, 6.6], 2,
           list(themes["verdict"].astype(str)))
    if len(everyone):
        _figure(doc, plots.survey_priorities(everyone.assign(label=everyone["label"].map(lambda v: redact(_str(v)))),
                                             text("fig_survey_title"), text("fig_survey_x")), text("fig_survey"))
    if len(stages):
        _figure(doc, plots.theme_stage_coverage(stages, stage_labels, text("fig_coverage_title")),
                text("fig_coverage"))

    for theme in themes.itertuples():
        doc.add_heading(text("theme_heading").format(theme=theme.theme, label=redact(_str(theme.label)),
                                                     verdict=verdict_label(theme.verdict, language)), level=1)
        if not _blank(theme.reasons):
            doc.add_paragraph(redact(str(theme.reasons)))
        # the scope flags name the silent subcodes already
        flags = [(text("scope"), _str(theme.scope_flags)), (text("perspective"), _str(theme.perspective_flags))]
        flags = [f"{name}: {value}" for name, value in flags if value]
        if flags:
            doc.add_paragraph(f"{text('flags')}: " + "; ".join(flags)).runs[0].italic = True
        theme_goals = goals[goals["theme"].astype(str) == str(theme.theme)]
        if len(theme_goals):
            rows = [[g.goal_id, redact(_str(g.goal)), verdict_label(g.verdict, language),
                     _stance_counts(g), redact(_str(g.reasons))]
                    for g in theme_goals.itertuples()]
            _table(doc, [text(f"goal_table.{c}") for c in GOAL_TABLE], rows, [1.7, 5.3, 2.4, 2.2, 5.4], 2,
                   list(theme_goals["verdict"].astype(str)))
        else:
            doc.add_paragraph(text("no_goals")).runs[0].italic = True
        quotes = _quotes(ledger, [str(theme.theme)] + list(theme_goals["goal_id"].astype(str)))
        if len(quotes):
            doc.add_heading(text("quotes"), level=2)
            for q in quotes.itertuples():
                quote = " ".join(str(q.quote).split())
                quote = excerpt(quote, QUOTE_CHARS)
                para = doc.add_paragraph(style="Quote")
                para.add_run(f"”{redact_quote(quote)}”")
                group = _str(q.group) or text("unknown_group")
                source = text("quote_source").format(segment=q.segment_id, group=group,
                                                     stage=stage_labels.get(_str(q.stage), _str(q.stage)))
                if str(q.subject_type) == "goal":    # what the quote is shown for
                    source += f"; {q.subject}: {verdict_label(str(q.stance), language)}"
                para.add_run(f" — {source}").italic = False

    doc.add_heading(text("method_heading"), level=1)
    doc.add_paragraph(text("method"))
    from codesign.core.i18n import t as translate
    from codesign.outputs.explore import goal_evidence_note

    doc.add_paragraph(translate("goal.counts_caption", language))
    if note := goal_evidence_note(project, language):
        doc.add_paragraph(note)
    if _has_machine_codes(project):     # what rests on machine codes
        from codesign.outputs.explore import machine_code_note

        doc.add_paragraph(machine_code_note(project, language).replace("**", ""))

    out = Path(out) if out is not None else default_path(project, language)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.stem + ".tmp.docx")
    doc.save(tmp)
    guard(project, [tmp])
    tmp.replace(out)
    return out
