"""Exploring the material in JupyterLab: a search box, theme/group/stage filters, a sortable table of hits
with the matched word form highlighted, the full answer with the question it answers, and export of the
selection. The same views render as static HTML when a build runs the notebook (``CODESIGN_BUILD`` is set),
so the report shows the default search and the notebook stays runnable headless by papermill.

ipywidgets is imported only when the widgets are shown. Every text inserted into HTML is escaped.
"""
from __future__ import annotations

import datetime as dt
import html
import os
import re
from pathlib import Path

import pandas as pd

from codesign.core.text import excerpt

esc = html.escape
#: Set by ``codesign build`` for the kernels it starts: the report is static HTML, no widgets.
BUILD_ENV = "CODESIGN_BUILD"
SORT_KEYS = ("segment_id", "stage", "group", "themes")


def highlight(text: str, matched) -> str:
    """``text`` escaped, with each matched word form (``PhraseFinder`` ``matched``) marked ``<mark>``."""
    escaped = esc(str(text))
    forms = sorted({esc(m) for m in matched or () if m}, key=len, reverse=True)
    if not forms:
        return escaped
    pattern = re.compile(r"(?<!\w)(" + "|".join(re.escape(f) for f in forms) + r")(?!\w)", re.IGNORECASE)
    return pattern.sub(lambda m: f"<mark>{m.group(1)}</mark>", escaped)


def questions(segments: pd.DataFrame) -> dict[str, str]:
    """Segment id → what it answers: the interviewer's question just before an interview answer, else the
    segment's prompt (workshop frame, survey question, commented section)."""
    from codesign.sources.segments import interviewer_questions

    frame = segments.reset_index(drop=True)
    asked = interviewer_questions(frame, depth=1)
    out = {}
    for sid, prompt, previous in zip(frame["segment_id"], frame["prompt"], asked):
        text = previous[0] if previous else (prompt if isinstance(prompt, str) else "")
        out[str(sid)] = " ".join(str(text).split())
    return out


class Explorer:
    """Search and filters over the corpus of a report (``codesign.outputs.report.Report``)."""

    def __init__(self, report, data: pd.DataFrame) -> None:
        from codesign.outputs.explore import PhraseFinder

        self.report = report
        self.data = data
        self.finder = PhraseFinder.for_project(report.project)
        self._questions: dict[str, str] | None = None

    @property
    def asked(self) -> dict[str, str]:
        if self._questions is None:
            self._questions = questions(self.report.project.segments())
        return self._questions

    def search(self, phrase: str = "", themes=None, groups=None, stages=None) -> pd.DataFrame:
        """The segments of the selection that contain ``phrase`` (all of the selection when it is empty)."""
        from codesign.outputs.explore import select

        chosen = select(self.data, themes=themes or None, groups=groups or None, stages=stages or None)
        if phrase and phrase.strip():
            return self.finder.find(chosen, phrase)
        return chosen.assign(matched=[()] * len(chosen))

    def hits_html(self, hits: pd.DataFrame, sort_by: str = "segment_id", limit: int = 50) -> str:
        """The hit table: segment id, stage, group, themes and the text with the found word form marked."""
        r = self.report
        if hits.empty:
            return f'<p class="cs-muted">{esc(r.t("caption.empty"))}</p>'
        ordered = hits.sort_values(sort_by if sort_by in hits.columns else "segment_id",
                                   key=lambda s: s.astype(str), kind="stable")
        rows = []
        for row in ordered.head(limit).itertuples(index=False):
            themes = ", ".join(r.theme_name(c) for c in row.themes)
            rows.append(f"<tr><td>{esc(row.segment_id)}</td><td>{esc(r.stage_name(row.stage))}</td>"
                        f"<td>{esc(r.group_name(row.group))}</td><td>{esc(themes)}</td>"
                        f'<td lang="{esc(r.project.language)}">'
                        f'{highlight(excerpt(row.text, 400), row.matched)}</td></tr>')
        head = "".join(f"<th>{esc(r.t(k))}</th>" for k in ("col.segment", "col.stage", "col.group", "col.theme",
                                                             "col.text"))
        more = (f'<p class="cs-muted">{esc(r.t("explore.shown", n=min(limit, len(hits)), of=len(hits)))}</p>')
        return f'<table class="cs-table"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>{more}'

    def answer_html(self, segment_id: str, matched=()) -> str:
        """One segment in full with the question it answers (interviewer's question, frame or survey question)."""
        r = self.report
        rows = self.data[self.data["segment_id"] == segment_id]
        if rows.empty:
            return f'<p class="cs-muted">{esc(r.t("caption.empty"))}</p>'
        row = rows.iloc[0]
        question = self.asked.get(segment_id, "")
        asked = (f'<p><b>{esc(r.t("explore.question"))}</b> {r.material(question)}</p>' if question else "")
        who = ", ".join(x for x in (row["participant"] or "", r.group_name(row["group"]), r.stage_name(row["stage"]))
                        if x)
        return (f'<div class="cs-answer">{asked}<p><b>{esc(r.t("explore.answer"))}</b> ({esc(segment_id)}; '
                f'{esc(who)})</p><blockquote lang="{esc(r.project.language)}">{highlight(row["text"], matched)}'
                f'</blockquote></div>')

    def export(self, hits: pd.DataFrame, phrase: str = "") -> Path:
        """The selection as CSV in ``build/exports/`` (pseudonymised text only), leak-checked."""
        from codesign.privacy.leakcheck import guard

        folder = self.report.project.build_dir / "exports"
        folder.mkdir(parents=True, exist_ok=True)
        slug = re.sub(r"[^\w-]+", "_", phrase.strip(), flags=re.UNICODE)[:40] or "valinta"
        path = folder / f"{slug}_{dt.datetime.now():%Y%m%d-%H%M%S}.csv"
        out = hits.assign(themes=hits["themes"].map(";".join), subcodes=hits["subcodes"].map(";".join),
                          statements=hits["statements"].map(";".join),
                          matched=hits["matched"].map(lambda m: ";".join(m)),
                          question=hits["segment_id"].map(lambda s: self.asked.get(s, "")))
        out.to_csv(path, index=False, encoding="utf-8")
        guard(self.report.project, [path])
        return path

    def static(self, phrase: str, themes=None, groups=None, stages=None, segment: str | None = None) -> str:
        hits = self.search(phrase, themes, groups, stages)
        first = segment or (hits["segment_id"].iloc[0] if len(hits) else None)
        matched = hits.set_index("segment_id")["matched"].get(first, ()) if first in set(hits["segment_id"]) else ()
        return self.hits_html(hits) + (self.answer_html(first, matched) if first else "")

    def show(self, phrase: str = "", themes=None, groups=None, stages=None, segment: str | None = None) -> None:
        """Widgets in JupyterLab; the same views as static HTML when a build runs the notebook."""
        from IPython.display import HTML, display

        if os.environ.get(BUILD_ENV):
            display(HTML(self.static(phrase, themes, groups, stages, segment)))
            return
        display(self.widget(phrase, themes, groups, stages))

    def widget(self, phrase: str = "", themes=None, groups=None, stages=None):
        """Search box, filters, sort order, hit table, the chosen answer in full and an export button."""
        import ipywidgets as w
        from IPython.display import HTML, display

        r = self.report
        theme_options = [(r.theme_name(c), c) for c in r.theme_ids]
        group_options = [(r.group_name(g), g) for g in sorted({g for g in self.data["group"] if g})] + \
            [(r.group_name(None), "unknown")]
        stage_options = [(r.stage_name(s.id), s.id) for s in r.project.stages]
        box = w.Text(value=phrase, description=r.t("explore.search"), placeholder="asunto", continuous_update=False)
        pick_themes = w.SelectMultiple(options=theme_options, value=tuple(themes or ()),
                                       description=r.t("col.theme"), rows=min(6, len(theme_options) or 1))
        pick_groups = w.SelectMultiple(options=group_options, value=tuple(groups or ()), description=r.t("col.group"),
                                       rows=min(6, len(group_options)))
        pick_stages = w.SelectMultiple(options=stage_options, value=tuple(stages or ()),
                                       description=r.t("col.stage"), rows=min(6, len(stage_options) or 1))
        sort = w.Dropdown(options=[(r.t(f"explore.sort.{k}"), k) for k in SORT_KEYS], description=r.t("explore.sort"))
        answer = w.Dropdown(options=[], description=r.t("explore.answer"))
        export = w.Button(description=r.t("explore.export"), icon="download")
        table, full, status = w.Output(), w.Output(), w.HTML()
        state = {"hits": self.data.iloc[:0]}

        def refresh(_=None):
            try:
                hits = self.search(box.value, list(pick_themes.value), list(pick_groups.value),
                                   list(pick_stages.value))
            except ValueError as error:          # a phrase with no words
                status.value = esc(str(error))
                return
            state["hits"] = hits
            status.value = esc(r.t("explore.found", n=len(hits)))
            table.clear_output()
            with table:
                display(HTML(self.hits_html(hits, sort.value)))
            answer.options = list(hits["segment_id"].head(200))
            answer.value = answer.options[0] if answer.options else None
            show_answer()

        def show_answer(_=None):
            full.clear_output()
            if answer.value:
                matched = state["hits"].set_index("segment_id")["matched"].get(answer.value, ())
                with full:
                    display(HTML(self.answer_html(answer.value, matched)))

        def do_export(_):
            path = self.export(state["hits"], box.value)
            status.value = esc(r.t("explore.exported", path=str(path)))

        for control in (box, pick_themes, pick_groups, pick_stages, sort):
            control.observe(refresh, names="value")
        answer.observe(show_answer, names="value")
        export.on_click(do_export)
        refresh()
        filters = w.HBox([pick_themes, pick_groups, pick_stages])
        return w.VBox([w.HTML(f"<style>{_css()}</style>"), w.HBox([box, sort, export]), filters, status, table,
                       answer, full])


def _css() -> str:
    from codesign.outputs.report import CSS

    return CSS
