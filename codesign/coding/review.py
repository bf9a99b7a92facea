"""A review loop that learns: the segments whose human coding would help most, a workbook to code them in, and
the decisions read back into the reference coding, so that the next build retrains on them.

1. :func:`review_queue` ranks the segments without a human code: those where the coder is least sure (a
   probability near its cut), where the codebook's own rule and the coder disagree (disputed), and final
   machine codes given with little confidence — spread over sources, stages and groups
   (:func:`select_for_review`). A DataFrame, for JupyterLab.
2. :func:`write_review` writes it as a workbook (``codesign review PROJECT``): one row per segment with its text,
   the question or prompt it answers, the machine's codes with their confidence and evidence words, and the
   columns where the reviewer accepts, rejects or adds codes and writes their initials (Finnish headers by
   default).
3. :func:`apply_review` reads the filled workbook (or the DataFrame) back (``codesign review PROJECT --apply
   FILE``), validates every row (unknown codes, changed ids or texts, duplicate rows, half-filled rows: an
   error naming the sheet, row and column), and appends the decisions to the reference coding with the
   reviewer and the date — atomically, after a backup; a segment that already has a human code is never
   overwritten: such rows are listed as conflicts.
"""
from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from codesign.core.errors import CodesignError, InputError
from codesign.core.project import Project, load_project

#: The queue's columns (the workbook shows them under the headers of ``HEADERS``).
QUEUE_COLUMNS = ["segment_id", "source_id", "stage", "group", "context", "text", "machine_codes", "confidence",
                 "evidence", "reason", "accept", "reject", "add", "reviewer", "note"]
#: The columns a reviewer fills in.
DECISION_COLUMNS = ["accept", "reject", "add", "reviewer", "note"]
HEADERS = {
    "fi": {"segment_id": "Tunniste", "source_id": "Lähde", "stage": "Vaihe", "group": "Ryhmä",
           "context": "Kysymys tai kehys", "text": "Teksti", "machine_codes": "Koneen koodit",
           "confidence": "Varmuus", "evidence": "Perustelut (sanat)", "reason": "Miksi tarkistettavana",
           "accept": "Hyväksy (x)", "reject": "Hylkää koodit", "add": "Lisää koodit",
           "reviewer": "Tarkistaja (nimikirjaimet)", "note": "Huomautus"},
    "en": {"segment_id": "Segment id", "source_id": "Source", "stage": "Stage", "group": "Group",
           "context": "Question or prompt", "text": "Text", "machine_codes": "Machine codes",
           "confidence": "Confidence", "evidence": "Evidence (words)", "reason": "Why to review",
           "accept": "Accept (x)", "reject": "Reject codes", "add": "Add codes",
           "reviewer": "Reviewer (initials)", "note": "Note"},
}
SHEETS = {"fi": ("Tarkistettavat", "Koodit", "Ohjeet"), "en": ("Review", "Codes", "Instructions")}
WIDTHS = {"segment_id": 11, "source_id": 8, "stage": 12, "group": 14, "context": 30, "text": 60,
          "machine_codes": 16, "confidence": 18, "evidence": 26, "reason": 24, "accept": 10, "reject": 14,
          "add": 14, "reviewer": 12, "note": 24}
INSTRUCTIONS = {
    "fi": ["Tarkista jokainen rivi, jonka ehdit, ja jätä loput tyhjiksi: tyhjä rivi ei muuta mitään.",
           "Jos koneen koodit ovat oikein sellaisinaan, kirjoita x sarakkeeseen ”Hyväksy (x)”.",
           "Muuten kirjoita väärät koodit sarakkeeseen ”Hylkää koodit” ja puuttuvat sarakkeeseen ”Lisää koodit” "
           "(esim. T2, HAASTE; erottimena pilkku). Kaikkien koodien hylkääminen tarkoittaa: ei koodia.",
           "Kirjoita jokaiselle tarkistamallesi riville nimikirjaimesi sarakkeeseen ”Tarkistaja”.",
           "Älä muuta tunnisteita tai tekstejä äläkä lisää tai poista sarakkeita. Sallitut koodit ovat "
           "välilehdellä ”Koodit”.",
           "Lue tiedosto takaisin: codesign review PROJEKTI --apply TIEDOSTO.xlsx. Päätökset lisätään "
           "viitekoodaukseen tarkistajan ja päivämäärän kanssa, ja seuraava ajo (codesign build) oppii niistä."],
    "en": ["Review every row you have time for and leave the rest empty: an empty row changes nothing.",
           "If the machine's codes are right as they are, write x in “Accept (x)”.",
           "Otherwise write the wrong codes in “Reject codes” and the missing ones in “Add codes” (e.g. T2, "
           "HAASTE; separated by commas). Rejecting every code means: no code.",
           "Write your initials in “Reviewer” on every row you reviewed.",
           "Do not change the ids or the texts, and do not add or remove columns. The allowed codes are on the "
           "sheet “Codes”.",
           "Read the file back: codesign review PROJECT --apply FILE.xlsx. The decisions are added to the reference "
           "coding with the reviewer and the date, and the next run (codesign build) learns from them."],
}
REASONS = {
    "fi": {"disputed": "sanasto ja malli eri mieltä: {code}", "low": "epävarma koodi: {code} ({p})",
           "uncertain": "lähellä rajaa: {code} ({p})"},
    "en": {"disputed": "lexicon and model disagree: {code}", "low": "low-confidence code: {code} ({p})",
           "uncertain": "near the cut: {code} ({p})"},
}
_SPLIT = re.compile(r"[\s,;]+")


# --- choosing -----------------------------------------------------------------------------------------

def uncertainty(probabilities: np.ndarray, thresholds: np.ndarray, rule: np.ndarray | None = None,
                disputed: float = 0.5) -> np.ndarray:
    """Units × codes in [0, 1]: 1 at the coder's cut, 0 at certainty (probability 0 or 1). A code where the
    codebook's rule (``rule``: 1/0, -1 open) and the coder's decision disagree counts at least ``disputed``."""
    thresholds = np.asarray(thresholds, dtype=float)
    span = np.maximum(thresholds, 1 - thresholds)
    out = np.clip(1 - np.abs(probabilities - thresholds) / span, 0, 1)
    if rule is not None:
        decided = probabilities >= thresholds
        out = np.where((rule != -1) & ((rule == 1) != decided), np.maximum(out, disputed), out)
    return out


def review_scores(doubt: np.ndarray) -> np.ndarray:
    """Per unit: how much its human coding would tell the coder — the uncertainty of its least sure code."""
    return doubt.max(axis=1) if doubt.shape[1] else np.zeros(len(doubt))


def select_for_review(scores: np.ndarray, candidates: np.ndarray, strata: list[np.ndarray], n: int,
                      spread: float = 0.8) -> list[int]:
    """Indices of ``n`` units to review: the highest ``scores`` among ``candidates`` (a boolean mask), each
    further pick from a stratum already picked counting less (× ``spread`` per earlier pick from the same value
    of each array in ``strata``, e.g. source, stage, group), so the picks spread over them. Deterministic."""
    scores = np.asarray(scores, dtype=float)
    remaining = [i for i in np.flatnonzero(candidates)]
    picked: list[int] = []
    counts = [dict() for _ in strata]
    while remaining and len(picked) < n:
        factors = np.ones(len(remaining))
        for stratum, count in zip(strata, counts):
            factors *= np.array([spread ** count.get(stratum[i], 0) for i in remaining])
        best = int(np.argmax(scores[remaining] * factors))
        chosen = remaining.pop(best)
        picked.append(chosen)
        for stratum, count in zip(strata, counts):
            count[stratum[chosen]] = count.get(stratum[chosen], 0) + 1
    return picked


def review_queue(project: Project | str | None = None, n: int = 50, language: str = "fi") -> pd.DataFrame:
    """The segments whose human coding would help the coder most, as a DataFrame (``QUEUE_COLUMNS``).

    Ranked by :func:`uncertainty` (the least sure code of each segment; disputed codes first), spread over
    sources, stages and groups (:func:`select_for_review`), among the participant segments without a human
    code. The decision columns (``accept``, ``reject``, ``add``, ``reviewer``, ``note``) are empty: fill them
    and pass the frame to :func:`apply_review`, or write it as a workbook with :func:`write_review`.
    """
    from codesign.coding.model import UNLABELLED, prepare_units, rule_labels
    from codesign.coding.step import coded_segments, doc_cache, project_labels, trained_coder
    from codesign.core.i18n import check_language, group_label, stage_label

    language = check_language(language)
    project = load_project(project)
    cache = doc_cache(project)
    coder = trained_coder(project, cache)
    segments = coded_segments(project)
    units = prepare_units(segments, cache)
    codes = coder.codes
    labels = project_labels(project, units, codes)
    probabilities = coder.predict_proba(units)
    rule = rule_labels(coder.lexicon_.counts(units), coder.lexicon_.counts(units, context=True)) \
        if coder.lexicon_ is not None else None
    doubt = uncertainty(probabilities, coder.thresholds_, rule)
    candidates = (labels == UNLABELLED).all(axis=1)
    codings_path = project.build_dir / "codings.parquet"
    if codings_path.is_file():          # human codes that reached the codings some other way count too
        codings = pd.read_parquet(codings_path, columns=["segment_id", "source"])
        human = set(codings.loc[codings["source"] == "human", "segment_id"])
        candidates &= ~np.array([u.segment_id in human for u in units], dtype=bool)
    groups = segments["group"].fillna("").astype(str).to_numpy()
    picked = select_for_review(review_scores(doubt), candidates,
                               [segments["source_id"].to_numpy(), segments["stage"].to_numpy(), groups], n)
    rows = []
    for i in picked:
        decided = probabilities[i] >= coder.thresholds_
        given = [codes[k] for k in np.flatnonzero(decided)]
        evidence = []
        if coder.lexicon_ is not None:
            for k, hits in enumerate(coder.lexicon_.matches(units[i].words)):
                if decided[k] and hits:
                    evidence.append(f"{codes[k]}: {', '.join(dict.fromkeys(hits))}")
        k = int(np.argmax(doubt[i]))
        p = _decimal(probabilities[i, k], language)
        disputed = rule is not None and rule[i, k] != -1 and (rule[i, k] == 1) != decided[k]
        if disputed and doubt[i, k] <= 0.5:
            why = REASONS[language]["disputed"].format(code=codes[k])
        else:
            why = REASONS[language]["low" if decided[k] else "uncertain"].format(code=codes[k], p=p)
        row = segments.iloc[i].astype(object).where(segments.iloc[i].notna(), None)
        rows.append({"segment_id": units[i].segment_id, "source_id": row["source_id"],
                     "stage": stage_label(str(row["stage"]), language), "group": group_label(row["group"], language),
                     "context": str(row["context"] or ""), "text": units[i].text, "machine_codes": ", ".join(given),
                     "confidence": "; ".join(f"{codes[k]} {_decimal(probabilities[i, k], language)}"
                                             for k in np.flatnonzero(decided)),
                     "evidence": "; ".join(evidence), "reason": why,
                     "accept": "", "reject": "", "add": "", "reviewer": "", "note": ""})
    return pd.DataFrame(rows, columns=QUEUE_COLUMNS)


def _decimal(value: float, language: str) -> str:
    text = f"{value:.2f}"
    return text.replace(".", ",") if language == "fi" else text


# --- the workbook -------------------------------------------------------------------------------------

def write_review(project: Project | str | None = None, path: Path | str | None = None, n: int = 50,
                 language: str = "fi", queue: pd.DataFrame | None = None) -> Path:
    """Write the review workbook (.xlsx) of :func:`review_queue` (or of ``queue``) and return its path
    (default ``PROJECT/build/review/tarkistettavat-<time>.xlsx``, ``review-<time>.xlsx`` in English). The file
    passes the leak check like every output."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    from codesign.coding.codebook import load_codebook
    from codesign.coding.step import coding_codes
    from codesign.core.i18n import check_language, code_label
    from codesign.privacy.leakcheck import guard

    language = check_language(language)
    project = load_project(project)
    queue = review_queue(project, n, language) if queue is None else queue
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    name = "tarkistettavat" if language == "fi" else "review"
    path = Path(path) if path is not None else project.build_dir / "review" / f"{name}-{stamp}.xlsx"
    if path.suffix.lower() != ".xlsx":
        raise InputError(path, "the review workbook must be an .xlsx file", hint="give a name ending in .xlsx")
    path.parent.mkdir(parents=True, exist_ok=True)
    review_sheet, codes_sheet, help_sheet = SHEETS[language]
    book = Workbook()
    sheet = book.active
    sheet.title = review_sheet
    headers = HEADERS[language]
    header_fill, input_fill = PatternFill("solid", fgColor="DDE7F0"), PatternFill("solid", fgColor="FFF6D5")
    for column, key in enumerate(QUEUE_COLUMNS, start=1):
        cell = sheet.cell(row=1, column=column, value=headers[key])
        cell.font, cell.fill = Font(bold=True), header_fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        sheet.column_dimensions[get_column_letter(column)].width = WIDTHS[key]
    for number, record in enumerate(queue[QUEUE_COLUMNS].itertuples(index=False), start=2):
        for column, (key, value) in enumerate(zip(QUEUE_COLUMNS, record), start=1):
            text = "" if value is None or (isinstance(value, float) and np.isnan(value)) else str(value)
            cell = sheet.cell(row=number, column=column, value=ILLEGAL_CHARACTERS_RE.sub("", text) or None)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if key in DECISION_COLUMNS:
                cell.fill = input_fill
        sheet.row_dimensions[number].height = min(15 * (1 + len(str(record[QUEUE_COLUMNS.index("text")])) // 70),
                                                  300)
    sheet.freeze_panes = "B2"
    accept_letter = get_column_letter(QUEUE_COLUMNS.index("accept") + 1)
    validation = DataValidation(type="list", formula1='"x"', allow_blank=True)
    sheet.add_data_validation(validation)
    validation.add(f"{accept_letter}2:{accept_letter}{max(2, len(queue) + 1)}")
    codebook = load_codebook(project.codebook_path)
    codes = book.create_sheet(codes_sheet)
    for column, title in enumerate(("Koodi", "Nimi", "Määritelmä") if language == "fi"
                                   else ("Code", "Label", "Definition"), start=1):
        codes.cell(row=1, column=column, value=title).font = Font(bold=True)
    for number, code in enumerate(coding_codes(codebook), start=2):
        codes.cell(row=number, column=1, value=code)
        codes.cell(row=number, column=2, value=code_label(codebook, code, language, with_id=False))
        codes.cell(row=number, column=3, value=codebook[code].definition).alignment = Alignment(wrap_text=True)
    codes.column_dimensions["A"].width, codes.column_dimensions["B"].width = 11, 36
    codes.column_dimensions["C"].width = 100
    instructions = book.create_sheet(help_sheet)
    instructions.column_dimensions["A"].width = 110
    for number, line in enumerate(INSTRUCTIONS[language], start=1):
        instructions.cell(row=number, column=1, value=line).alignment = Alignment(wrap_text=True)
    tmp = path.with_name(path.stem + ".tmp.xlsx")
    book.save(tmp)
    guard(project, [tmp])
    tmp.replace(path)
    return path


def read_review(path: Path | str) -> pd.DataFrame:
    """A filled review workbook as a frame of ``QUEUE_COLUMNS`` plus ``row`` (the sheet's row number); the
    sheet and its headers in either language. Errors name the sheet, the row and the column."""
    return _read_review(path)[0]


def _read_review(path: Path | str) -> tuple[pd.DataFrame, str]:
    from openpyxl import load_workbook

    path = Path(path)
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except FileNotFoundError:
        raise InputError(path, "file not found") from None
    except Exception as exc:        # openpyxl raises several types for a file that is not a workbook
        raise InputError(path, f"not a readable .xlsx workbook ({type(exc).__name__}: {exc})",
                         hint="save the file in Excel format (.xlsx)") from None
    names = {language: sheets[0] for language, sheets in SHEETS.items()}
    found = [(language, name) for language, name in names.items() if name in book.sheetnames]
    if not found:
        raise InputError(path, f"no sheet {names['fi']!r} (or {names['en']!r}); the workbook has: "
                               f"{', '.join(book.sheetnames)}",
                         hint="read back the workbook `codesign review` wrote, without renaming its sheets")
    language, sheet_name = found[0]
    sheet = book[sheet_name]
    rows = list(sheet.iter_rows(values_only=True))
    book.close()
    header = [str(v).strip() if v is not None else "" for v in (rows[0] if rows else ())]
    by_header = {text: key for lang in HEADERS.values() for key, text in lang.items()}
    columns = {}
    for key in QUEUE_COLUMNS:
        wanted = {HEADERS["fi"][key], HEADERS["en"][key]}
        position = next((i for i, h in enumerate(header) if h in wanted), None)
        if position is None:
            raise InputError(path, f"sheet {sheet_name!r}: the column {HEADERS[language][key]!r} is missing",
                             row=1, column=HEADERS[language][key],
                             hint="restore the header row the workbook was written with; do not rename or "
                                  "delete its columns")
        columns[key] = position
    unknown = [h for h in header if h and h not in by_header]
    if unknown:
        raise InputError(path, f"sheet {sheet_name!r}: unknown column {unknown[0]!r}", row=1, column=unknown[0],
                         hint="do not add columns; write remarks in the note column")
    records = []
    for number, values in enumerate(rows[1:], start=2):
        record = {key: _cell(values, position) for key, position in columns.items()}
        record["row"] = number
        records.append(record)
    return pd.DataFrame(records, columns=QUEUE_COLUMNS + ["row"]), sheet_name


def _cell(values: tuple, position: int) -> str:
    value = values[position] if position < len(values) else None
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


# --- applying -----------------------------------------------------------------------------------------

@dataclass
class ReviewApplied:
    """What :func:`apply_review` did.

    Attributes
    ----------
    added : DataFrame
        The rows appended to the reference coding (``segment_id``, ``codes``, ``coder``, ``date``).
    conflicts : DataFrame
        Reviewed segments that already had a different human code (``segment_id``, ``existing``,
        ``reviewed``, ``coder``): not applied — decide them in the reference coding by hand.
    unchanged : int
        Reviewed segments whose human code was already the same.
    not_reviewed : int
        Rows left empty.
    path : Path or None
        The reference coding written (None when nothing was added).
    backup : Path or None
        The copy of the reference coding as it was before.
    config_updated : bool
        Whether ``reference_coding:`` was added to project.yml (the project had none).
    """
    added: pd.DataFrame
    conflicts: pd.DataFrame
    unchanged: int = 0
    not_reviewed: int = 0
    path: Path | None = None
    backup: Path | None = None
    config_updated: bool = False
    messages: list = field(default_factory=list)


def _codes_in(text: str) -> list[str]:
    return [c for c in _SPLIT.split(text.strip()) if c]


def validate_review(project: Project, frame: pd.DataFrame, where: Path | str, sheet: str | None = None
                    ) -> tuple[list[dict], int]:
    """The decisions of a filled review (rows of ``QUEUE_COLUMNS`` with ``row``): a list of
    ``{segment_id, codes, coder}`` and the number of rows left empty. Raises InputError (sheet, row, column)
    on the first bad row."""
    from codesign.coding.codebook import load_codebook
    from codesign.coding.step import coded_segments, coding_codes

    codebook = load_codebook(project.codebook_path)
    allowed = coding_codes(codebook)
    segments = coded_segments(project)
    texts = dict(zip(segments["segment_id"].astype(str), segments["text"].astype(str)))
    language = "en" if sheet == SHEETS["en"][0] else "fi"
    header = HEADERS[language]
    prefix = f"sheet {sheet!r}: " if sheet else ""
    seen: dict[str, int] = {}
    decisions, empty = [], 0

    def fail(row: int, key: str, message: str, hint: str | None = None) -> InputError:
        return InputError(where, prefix + message, row=row, column=header[key], hint=hint)

    frame = frame.fillna("")
    for index, record in enumerate(frame.to_dict("records")):
        row = int(record.get("row") or index + 2)
        values = {k: str(record.get(k, "") or "").strip() for k in QUEUE_COLUMNS}
        decision = {k: values[k] for k in ("accept", "reject", "add")}
        filled = any(decision.values()) or values["reviewer"] or values["note"]
        if not values["segment_id"]:
            if filled or values["text"]:
                raise fail(row, "segment_id", "the row has no segment id",
                           hint="restore the id the row was written with; ids must not be changed")
            empty += 1
            continue
        segment = values["segment_id"]
        if segment not in texts:
            raise fail(row, "segment_id", f"unknown segment id {segment!r} (not a participant segment of "
                                          f"{project.name})", hint="ids must not be changed; restore it")
        if segment in seen:
            raise fail(row, "segment_id", f"segment {segment!r} repeats row {seen[segment]}",
                       hint="keep one row per segment; delete the copy")
        seen[segment] = row
        if _normal(values["text"]) != _normal(texts[segment]):
            raise fail(row, "text", f"the text of {segment} was changed",
                       hint="texts are read-only: undo the change (write remarks in the note column)")
        if not filled:
            empty += 1
            continue
        if not any(decision.values()):
            raise fail(row, "accept", f"{segment}: a reviewer or note but no decision",
                       hint="write x in the accept column, or the codes to reject or add")
        if not values["reviewer"]:
            raise fail(row, "reviewer", f"{segment}: a decision but no reviewer",
                       hint="write your initials on every row you reviewed")
        accept = decision["accept"].casefold()
        if accept and accept not in ("x", "kyllä", "yes", "ok", "1"):
            raise fail(row, "accept", f"{segment}: {decision['accept']!r} in the accept column",
                       hint="write x to accept the machine's codes, or leave it empty")
        if accept and (decision["reject"] or decision["add"]):
            raise fail(row, "accept", f"{segment}: accepted and also changed",
                       hint="either accept the machine's codes as they are (x) or reject/add codes, not both")
        machine = _codes_in(values["machine_codes"])
        for key in ("reject", "add"):
            for code in _codes_in(decision[key]):
                if code not in allowed:
                    raise fail(row, key, f"{segment}: unknown code {code!r}",
                               hint=f"use the codes of the codebook: {', '.join(allowed)}")
        rejected, added = _codes_in(decision["reject"]), _codes_in(decision["add"])
        for code in rejected:
            if code not in machine:
                raise fail(row, "reject", f"{segment}: {code} is rejected but the machine did not give it",
                           hint="reject only codes listed under the machine's codes; add missing ones instead")
        for code in added:
            if code in machine:
                raise fail(row, "add", f"{segment}: {code} is added but the machine gave it already",
                           hint="leave the machine's right codes as they are")
        final = [c for c in allowed if (c in machine and c not in rejected) or c in added]
        decisions.append({"segment_id": segment, "codes": ";".join(final), "coder": values["reviewer"]})
    return decisions, empty


def _normal(text: str) -> str:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return " ".join(ILLEGAL_CHARACTERS_RE.sub("", str(text)).split())


def apply_review(project: Project | str | None, review: Path | str | pd.DataFrame,
                 date: dt.date | None = None) -> ReviewApplied:
    """Read a filled review (a workbook of :func:`write_review`, or the DataFrame of :func:`review_queue` with
    its decision columns filled), validate it, and append the decisions to the project's reference coding.

    The reference coding is rewritten atomically after a copy is kept in ``PROJECT/backups/``; new rows carry
    ``coder`` (the reviewer's initials) and ``date``. A segment that already has a human code is not changed:
    a different decision is listed in ``conflicts``. A project without ``reference_coding:`` gets
    ``reference_coding.csv`` and the key in project.yml.
    """
    from codesign.coding.agreement import read_coding

    project = load_project(project)
    if project.codebook_path is None:
        raise CodesignError(f"{project.config_path}: no `codebook:`; a review needs the codebook's codes")
    if isinstance(review, pd.DataFrame):
        frame, where, sheet = review, "<review queue>", None
        if "row" not in frame.columns:
            frame = frame.assign(row=range(2, len(frame) + 2))
    else:
        (frame, sheet), where = _read_review(review), Path(review)
    decisions, empty = validate_review(project, frame, where, sheet)
    today = (date or dt.date.today()).isoformat()
    path = project.reference_coding_path
    existing = read_coding(path) if path is not None and path.is_file() else \
        pd.DataFrame(columns=["segment_id", "codes"])
    known = dict(zip(existing["segment_id"], existing["codes"]))
    added, conflicts, unchanged = [], [], 0
    for decision in decisions:
        before = known.get(decision["segment_id"])
        if before is None:
            added.append({**decision, "date": today})
        elif set(filter(None, before.split(";"))) == set(filter(None, decision["codes"].split(";"))):
            unchanged += 1
        else:
            conflicts.append({"segment_id": decision["segment_id"], "existing": before,
                              "reviewed": decision["codes"], "coder": decision["coder"]})
    result = ReviewApplied(pd.DataFrame(added, columns=["segment_id", "codes", "coder", "date"]),
                           pd.DataFrame(conflicts, columns=["segment_id", "existing", "reviewed", "coder"]),
                           unchanged, empty)
    if not added:
        return result
    config_updated = False
    if path is None:
        path = project.root / "reference_coding.csv"
        if re.search(r"^reference_coding\s*:", project.config_path.read_text(encoding="utf-8"), re.M):
            raise CodesignError(f"{project.config_path}: `reference_coding:` is there but empty; set it (e.g. "
                                "`reference_coding: reference_coding.csv`) and apply the review again")
        if path.exists():
            raise CodesignError(f"{path} exists but project.yml names no `reference_coding:`; add "
                                "`reference_coding: reference_coding.csv` to project.yml (or move the file), "
                                "then apply the review again")
    for column in ("coder", "date"):
        if column not in existing.columns:
            existing[column] = ""
    combined = pd.concat([existing, result.added], ignore_index=True).fillna("")
    backup = None
    if path.is_file():
        backups = project.root / "backups"
        backups.mkdir(exist_ok=True)
        backup = backups / f"{path.stem}-{dt.datetime.now().strftime('%Y%m%d-%H%M%S-%f')}{path.suffix}"
        shutil.copy2(path, backup)
    tmp = path.with_name(f".{path.name}.tmp")
    combined.to_csv(tmp, index=False, encoding="utf-8")
    os.replace(tmp, path)
    if project.reference_coding_path is None:
        _add_config_key(project, "reference_coding", path.name)
        config_updated = True
    result.path, result.backup, result.config_updated = path, backup, config_updated
    return result


def _add_config_key(project: Project, key: str, value: str) -> None:
    """Append ``key: value`` to project.yml (atomically, after a backup in ``PROJECT/backups/``)."""
    config = project.config_path
    text = config.read_text(encoding="utf-8")
    backups = project.root / "backups"
    backups.mkdir(exist_ok=True)
    shutil.copy2(config, backups / f"project-{dt.datetime.now().strftime('%Y%m%d-%H%M%S-%f')}.yml")
    addition = f"{key}: {value}    # added by `codesign review --apply` {dt.date.today().isoformat()}\n"
    tmp = config.with_name(".project.yml.tmp")
    tmp.write_text(text + ("" if text.endswith("\n") else "\n") + addition, encoding="utf-8")
    os.replace(tmp, config)
