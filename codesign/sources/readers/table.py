"""One segment per row: sticky-note exports of whiteboard tools, comment forms on a draft.

Options in project.yml (``columns:``): ``text`` (required), ``prompt`` (a column or a list of columns,
joined with " / ": the exercise, frame, theme or section the text answers), ``author`` (a name looked up in
the register; never written to outputs), ``group``, ``date``, ``id`` (a number column used in segment ids;
otherwise the row number). Plus ``sheet``, ``encoding``, ``delimiter`` for the file.
"""
from __future__ import annotations

from pathlib import Path

from codesign.core.errors import InputError
from codesign.sources.readers.context import ReadContext
from codesign.sources.readers.tabular import cell_text, parse_date, read_source_table
from codesign.sources.segments import Segment, SourceDocument, TextBuilder, normalise_text


def read_rows(spec, path: Path, ctx: ReadContext) -> list[SourceDocument]:
    if not spec.id:
        raise InputError(ctx.project.config_path, "a table source needs an `id:` (e.g. W1)", line=spec.line)
    columns = spec.options.get("columns") or {}
    if "text" not in columns:
        raise InputError(ctx.project.config_path, "a table source needs `columns: {text: …}`", line=spec.line,
                         hint="name the column that holds the note or comment text")
    table = read_source_table(path, spec.options, ctx.project.limits)
    text_col = table.column(columns["text"], "the text")
    prompt_names = columns.get("prompt") or []
    prompt_cols = [table.column(c, "the prompt") for c in
                   ([prompt_names] if isinstance(prompt_names, str) else prompt_names)]
    optional = {k: table.column(columns[k], k) for k in ("author", "group", "date", "id") if columns.get(k)}

    builder, segments, seen_ids = TextBuilder(), [], {}
    for i, row in enumerate(table.rows):
        text = normalise_text(cell_text(row[text_col])).strip()
        if not text:
            continue  # an empty note or comment carries nothing to analyse
        if "id" in optional:
            raw_id = cell_text(row[optional["id"]])
            if not raw_id:
                raise table.error(i, columns["id"], "empty id", hint="every row needs its id")
            local = f"{int(raw_id):03d}" if raw_id.isdigit() else raw_id
        else:
            local = f"{table.row_numbers[i] - 1:03d}"
        if local in seen_ids:
            raise table.error(i, columns.get("id"), f"duplicate id {local!r} (also row {seen_ids[local]})",
                              hint="ids must be unique within the file")
        seen_ids[local] = table.row_numbers[i]
        participant = None
        if "author" in optional:
            name = cell_text(row[optional["author"]])
            participant = ctx.register.code_for_name(name) if name else None
        person = ctx.register.participants.get(participant) if participant else None
        group = person.group if person else None
        if "group" in optional:
            raw_group = cell_text(row[optional["group"]])
            try:
                group = ctx.project.canonical_group(raw_group) or group
            except KeyError:
                raise table.error(i, columns["group"], f"unknown group {raw_group!r}",
                                  hint=f"use one of {sorted(set(ctx.project.groups.values()))} or map the "
                                       "spelling under `groups:` in project.yml") from None
        day = None
        if "date" in optional:
            try:
                day = parse_date(row[optional["date"]])
            except ValueError:
                raise table.error(i, columns["date"], f"not a date: {row[optional['date']]!r}",
                                  hint="write d.m.yyyy or yyyy-mm-dd") from None
        prompt = " / ".join(cell_text(row[c]) for c in prompt_cols if cell_text(row[c])) or None
        segment_id = f"{spec.id}-{local}"
        start, end = builder.add(f"[{segment_id}] ", text)
        segments.append(Segment(
            segment_id=segment_id, source_id=spec.id, stage=spec.stage, source_format=path.suffix.lower()[1:],
            participant=participant, group=group, sector=person.sector if person else None,
            speaker_role="participant", turn=len(segments) + 1, text=text, start=start, end=end,
            date=day, prompt=prompt, line=table.line_numbers[i] or table.row_numbers[i]))
    if not segments:
        raise InputError(path, f"no text in column {columns['text']!r}", hint="check the column mapping")
    return [SourceDocument(spec.id, spec.stage, "table", ctx.relative(path), builder.text(), segments)]
