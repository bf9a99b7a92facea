"""A survey export, one row per respondent (XLSX, or CSV as Finnish Excel writes it).

Closed answers become tidy tables (``respondents``, ``rankings``, ``likert``); open answers become segments
``{source}-{respondent}-{question}``. Options in project.yml: ``respondent_id``, ``group``, ``sector``,
``area``, ``started``, ``duration`` (column names), ``ranking_prefix`` and ``likert_prefix`` (column header
= prefix + the alternative's label, alternatives from the project's ``alternatives:``), ``likert_scale``
([low, high]), ``dont_know`` (answers meaning "don't know"), ``open_questions`` ({key: column header}),
``decimal`` ("," by default).
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from codesign.core.errors import InputError
from codesign.sources.readers.context import ReadContext
from codesign.sources.readers.tabular import cell_text, parse_date, parse_number, read_source_table
from codesign.sources.segments import Segment, SourceDocument, TextBuilder, normalise_text

LIKERT_ANSWERS = ("value", "dont_know", "missing")


def read_survey(spec, path: Path, ctx: ReadContext) -> list[SourceDocument]:
    opts = spec.options
    if not spec.id:
        raise InputError(ctx.project.config_path, "a survey source needs an `id:` (e.g. S)", line=spec.line)
    for key in ("respondent_id", "group"):
        if key not in opts:
            raise InputError(ctx.project.config_path, f"the survey source needs `{key}:` (a column name)",
                             line=spec.line)
    table = read_source_table(path, opts, ctx.project.limits)
    col = {k: table.column(opts[k], k) for k in ("respondent_id", "group", "sector", "area", "started",
                                                    "duration") if opts.get(k)}
    alternatives = ctx.project.alternatives
    rank_cols = {a.id: table.column(opts["ranking_prefix"] + a.label, f"the ranking of {a.id}")
                 for a in alternatives} if opts.get("ranking_prefix") else {}
    likert_cols = {a.id: table.column(opts["likert_prefix"] + a.label, f"the importance of {a.id}")
                   for a in alternatives} if opts.get("likert_prefix") else {}
    low, high = (opts.get("likert_scale") or [1, 5])
    dont_know = {str(x).casefold() for x in (opts.get("dont_know") or ["En osaa sanoa"])}
    open_cols = {str(k): table.column(v, f"open question {k}") for k, v in (opts.get("open_questions") or {}).items()}
    decimal = opts.get("decimal", ",")

    respondents, rankings, likert = [], [], []
    builder, segments, seen = TextBuilder(), [], {}
    for i, row in enumerate(table.rows):
        rid = cell_text(row[col["respondent_id"]])
        if not rid:
            raise table.error(i, opts["respondent_id"], "empty respondent id")
        if rid in seen:
            raise table.error(i, opts["respondent_id"], f"duplicate respondent id {rid!r} (first on row "
                                                        f"{seen[rid]})", hint="each respondent once")
        seen[rid] = table.row_numbers[i]
        raw_group = cell_text(row[col["group"]])
        try:
            group = ctx.project.canonical_group(raw_group)
        except KeyError:
            raise table.error(i, opts["group"], f"unknown group {raw_group!r}",
                              hint=f"use one of {sorted(set(ctx.project.groups.values()))} or map it under "
                                   "`groups:` in project.yml") from None
        sector = cell_text(row[col["sector"]]) or None if "sector" in col else None
        record = {"respondent_id": rid, "group": group, "sector": sector,
                  "area": cell_text(row[col["area"]]) or None if "area" in col else None}
        if "started" in col:
            try:
                record["date"] = parse_date(row[col["started"]])
            except ValueError:
                raise table.error(i, opts["started"], f"not a date: {row[col['started']]!r}") from None
        if "duration" in col:
            try:
                record["duration_min"] = parse_number(row[col["duration"]], decimal)
            except ValueError:
                raise table.error(i, opts["duration"], f"not a number: {row[col['duration']]!r}",
                                  hint=f"write numbers with a decimal {'comma' if decimal == ',' else 'point'}"
                                  ) from None
        respondents.append(record)
        ranks = _ranking(table, i, row, rank_cols, opts.get("ranking_prefix", ""), alternatives)
        rankings += [{"respondent_id": rid, "alternative": a, "rank": r} for a, r in ranks.items()]
        for alt, c in likert_cols.items():
            value = row[c]
            text = cell_text(value)
            if not text:
                likert.append({"respondent_id": rid, "alternative": alt, "value": None, "answer": "missing"})
            elif text.casefold() in dont_know:
                likert.append({"respondent_id": rid, "alternative": alt, "value": None, "answer": "dont_know"})
            else:
                try:
                    number = parse_number(value, decimal)
                except ValueError:
                    number = None
                if number is None or not number.is_integer() or not low <= number <= high:
                    raise table.error(i, table.header[c], f"Likert answer {text!r} is not {low}–{high} or "
                                                          "a don't-know answer",
                                      hint=f"allowed: {low}…{high}, empty, or {sorted(dont_know)}")
                likert.append({"respondent_id": rid, "alternative": alt, "value": int(number), "answer": "value"})
        for key, c in open_cols.items():
            text = normalise_text(cell_text(row[c])).strip()
            if not text:
                continue
            segment_id = f"{spec.id}-{rid}-{key}"
            start, end = builder.add(f"[{segment_id}] ", text)
            segments.append(Segment(
                segment_id=segment_id, source_id=spec.id, stage=spec.stage,
                source_format=path.suffix.lower()[1:], participant=rid, group=group, sector=sector,
                speaker_role="participant", turn=len(segments) + 1, text=text, start=start, end=end,
                date=record.get("date"), prompt=table.header[c],
                line=table.line_numbers[i] or table.row_numbers[i]))
    tables = {
        "respondents": pd.DataFrame(respondents),
        "rankings": pd.DataFrame(rankings, columns=["respondent_id", "alternative", "rank"]).astype(
            {"rank": "int64"}),
        "likert": pd.DataFrame(likert, columns=["respondent_id", "alternative", "value", "answer"]).astype(
            {"value": "Int64"}),
    }
    for frame in tables.values():
        frame.insert(0, "source_id", spec.id)
    return [SourceDocument(spec.id, spec.stage, "survey", ctx.relative(path), builder.text(), segments,
                           tables=tables)]


def _ranking(table, i, row, rank_cols, prefix, alternatives) -> dict[str, int]:
    """The ranks one respondent gave; a partial ranking (only top k) is allowed, gaps and ties are not."""
    n = len(alternatives)
    ranks: dict[str, int] = {}
    for alt, c in rank_cols.items():
        text = cell_text(row[c])
        if not text:
            continue
        try:
            value = parse_number(row[c])
        except ValueError:
            value = None
        if value is None or not value.is_integer() or not 1 <= value <= n:
            raise table.error(i, table.header[c], f"ranking {text!r} out of range",
                              hint=f"a rank is a whole number from 1 to {n}")
        ranks[alt] = int(value)
    given = sorted(ranks.values())
    if given and given != list(range(1, len(given) + 1)):
        raise table.error(i, prefix + "…", f"ranks {given} have a tie or a gap",
                          hint=f"each rank 1…{len(given)} exactly once")
    return ranks
