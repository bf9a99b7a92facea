"""Reading spreadsheet-like files (CSV as Finnish Excel writes it, XLSX) with locations for errors."""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from codesign.core.errors import InputError
from codesign.core.safety import DEFAULT_LIMITS, Limits, check_file_size, open_zip

# UTF-8 text wrongly decoded as cp1252 shows these pairs (Ã¤ = ä, Ã¶ = ö): the file was UTF-8 all along.
_MOJIBAKE = re.compile("Ã[\u00a0-\u00bf]|â€")


@dataclass
class Table:
    """A header and rows of cells; ``row_numbers`` are what a person sees (header = row 1)."""
    path: Path
    header: list[str]
    rows: list[list[Any]]
    row_numbers: list[int]
    line_numbers: list[int | None]

    def column(self, name: str, what: str) -> int:
        """Index of the column headed ``name``; a clear error listing the headers if there is none."""
        for i, h in enumerate(self.header):
            if h == name:
                return i
        raise InputError(self.path, f"no column {name!r} (needed for {what})", row=1,
                         hint="the headers are: " + ", ".join(repr(h) for h in self.header)
                              + " — fix the column name in project.yml or in the file")

    def error(self, index: int, column: str | None, message: str, hint: str | None = None) -> InputError:
        return InputError(self.path, message, line=self.line_numbers[index], row=self.row_numbers[index],
                          column=column, hint=hint)


#: Byte-order marks, longest first (UTF-32's little-endian mark begins with UTF-16's).
_BOMS = ((b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"), (b"\xef\xbb\xbf", "utf-8-sig"),
         (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))


def decode_text(path: Path, data: bytes, encoding: str = "auto") -> str:
    """Decode a text file; ``auto`` accepts UTF-8 (with or without BOM) and cp1252 (Finnish Excel, Word's
    "save as text"). A byte-order mark decides whatever the setting (UTF-16 from Excel's "Unicode text",
    UTF-32); text with NUL bytes and no mark (UTF-16 without BOM, a binary file) is refused by name."""
    if not data.strip():
        raise InputError(path, "the file is empty", hint="export the data again; nothing to read")
    for mark, enc in _BOMS:
        if data.startswith(mark):
            try:
                return data.decode(enc)
            except UnicodeDecodeError as exc:
                raise InputError(path, f"starts with a {enc.upper()} byte-order mark but is not {enc.upper()} "
                                       f"(byte {exc.start})", hint="save the file as UTF-8") from None
    if b"\x00" in data[:65536]:
        looks = "UTF-16 without a byte-order mark" if _utf16_like(data[:65536]) else "a binary file, not text"
        raise InputError(path, f"the file contains NUL bytes: it looks like {looks}",
                         line=data[: data.index(b"\x00")].count(b"\n") + 1,
                         hint="save it as UTF-8 text (CSV UTF-8 in Excel, 'Plain text, UTF-8' in Word)")
    tried = ["utf-8-sig", "cp1252"] if encoding == "auto" else [encoding]
    for enc in tried:
        try:
            text = data.decode(enc)
        except LookupError:
            raise InputError(path, f"unknown encoding {enc!r}",
                             hint="set `encoding:` to auto, utf-8, cp1252 or utf-16 in project.yml") from None
        except UnicodeDecodeError as exc:
            if enc == tried[-1]:
                line = data[: exc.start].count(b"\n") + 1
                raise InputError(path, f"cannot be read as {enc}: byte 0x{data[exc.start]:02x} is not valid",
                                 line=line, hint="save the file as UTF-8, or set `encoding:` for this "
                                                 "source in project.yml (e.g. cp1252 for Excel's CSV)") from None
            continue
        bad = _MOJIBAKE.search(text)
        if bad and enc != "utf-8-sig":
            line = text[: bad.start()].count("\n") + 1
            raise InputError(path, f"text looks double-encoded ({bad.group()!r}: UTF-8 read as {enc})",
                             line=line, hint="set `encoding: utf-8` for this source, or re-export the file")
        return text
    raise AssertionError("unreachable")


def _utf16_like(data: bytes) -> bool:
    """Every other byte NUL: Latin text in UTF-16."""
    even, odd = data[0::2], data[1::2]
    return max(even.count(0), odd.count(0)) > 0.3 * max(len(data) // 2, 1)


def read_source_table(path: Path, options: dict | None = None, limits: Limits = DEFAULT_LIMITS) -> Table:
    """Read a CSV or XLSX file into a Table. Options: ``sheet``, ``encoding``, ``delimiter``; ``limits`` caps
    the file's size, its rows and (XLSX) its zip members."""
    options = options or {}
    if not path.is_file():
        raise InputError(path, "file not found", hint="check `path:` of this source in project.yml")
    check_file_size(path, limits)
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        table = _read_xlsx(path, options.get("sheet"), limits)
    elif suffix in (".csv", ".tsv", ".txt"):
        table = _read_csv(path, options.get("encoding", "auto"), options.get("delimiter"), limits)
    else:
        raise InputError(path, f"unsupported spreadsheet type {suffix!r}", hint="export as .xlsx or .csv")
    if not table.header or not any(h for h in table.header):
        raise InputError(path, "no header row", row=1, hint="the first row must name the columns")
    seen: dict[str, int] = {}
    for i, h in enumerate(table.header):
        if h and h in seen:
            raise InputError(path, f"column {h!r} appears twice (columns {seen[h] + 1} and {i + 1})", row=1,
                             hint="give every column a unique header")
        seen[h] = i
    return table


def _too_many_rows(path: Path, limits: Limits) -> InputError:
    return InputError(path, f"more than {limits.max_rows:,} rows", row=limits.max_rows + 2,
                      hint="split the file, or raise limits.max_rows in project.yml")


def _read_csv(path: Path, encoding: str, delimiter: str | None, limits: Limits = DEFAULT_LIMITS) -> Table:
    text = decode_text(path, path.read_bytes(), encoding)
    if delimiter is None:
        first = text.split("\n", 1)[0]
        delimiter = max([";", ",", "\t"], key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows, row_numbers, lines = [], [], []
    try:
        header = [h.strip() for h in next(reader)]
        line = reader.line_num
        for record in reader:
            start_line = line + 1
            line = reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            if len(rows) >= limits.max_rows:
                raise _too_many_rows(path, limits)
            if len(record) != len(header):
                raise InputError(path, f"expected {len(header)} fields separated by {delimiter!r}, "
                                       f"found {len(record)}", line=start_line, row=len(rows) + 2,
                                 hint="a field containing the separator or a line break must be in "
                                      "double quotes")
            rows.append([cell.strip() for cell in record])
            row_numbers.append(len(rows) + 1)
            lines.append(start_line)
    except csv.Error as exc:
        raise InputError(path, f"malformed CSV: {exc}", line=reader.line_num,
                         hint="check the quotes on that line") from None
    return Table(path, header, rows, row_numbers, lines)


def _read_xlsx(path: Path, sheet: str | None, limits: Limits = DEFAULT_LIMITS) -> Table:
    from zipfile import BadZipFile

    import openpyxl

    open_zip(path, limits, ".xlsx workbook").close()    # sizes and ratios checked before openpyxl inflates
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (BadZipFile, OSError, KeyError, ValueError, TypeError) as exc:
        raise InputError(path, f"not a readable .xlsx workbook ({type(exc).__name__}: {exc})",
                         hint="open it in a spreadsheet program and save as .xlsx again") from None
    header: list[str] | None = None
    rows, numbers = [], []
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise InputError(path, f"no sheet {sheet!r}", hint=f"the sheets are {book.sheetnames}")
        ws = book[sheet] if sheet is not None else book.worksheets[0]
        # row by row: a sheet is never held twice, and a sheet over the cap stops at the cap
        for n, record in enumerate(ws.iter_rows(values_only=True), start=1):
            if n == 1:
                header = ["" if v is None else str(v).strip() for v in record]
                while header and not header[-1]:
                    header.pop()
                continue
            cells = list(record[: len(header)]) + [None] * max(0, len(header) - len(record))
            cells = [c.strip() if isinstance(c, str) else c for c in cells]
            if all(c is None or c == "" for c in cells):
                continue
            if len(rows) >= limits.max_rows:
                raise _too_many_rows(path, limits)
            rows.append(cells)
            numbers.append(n)
    finally:
        book.close()
    if header is None:
        raise InputError(path, "the sheet is empty", hint="export the data again")
    return Table(path, header, rows, numbers, [None] * len(rows))


def cell_text(value: Any) -> str:
    """A cell as text: empty for None, integers without '.0'."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return str(value).strip()


_FI_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})(?:\s+(\d{1,2})[.:](\d{2}))?$")


def parse_date(value: Any) -> str | None:
    """A date as ISO ``YYYY-MM-DD`` from Finnish ``d.m.yyyy [hh.mm]``, ISO text, or a spreadsheet date.

    Raises ValueError for text that is none of these.
    """
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    match = _FI_DATE.match(text)
    if match:
        day, month, year = int(match[1]), int(match[2]), int(match[3])
        return date(year, month, day).isoformat()
    return date.fromisoformat(text[:10]).isoformat()


def parse_number(value: Any, decimal: str = ",") -> float | None:
    """A number from a cell: spreadsheet numbers as they are, text with a decimal comma or point."""
    if value is None or value == "":
        return None
    if isinstance(value, (int, float)):
        return float(value)
    text = str(value).strip().replace("\u00a0", "").replace(" ", "")
    if decimal == ",":
        text = text.replace(",", ".")
    return float(text)
