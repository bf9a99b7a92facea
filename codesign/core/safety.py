"""Defences against hostile and careless input: ids and paths as data, bounded archives and sources,
spreadsheet cells that cannot run as formulas.

Material comes from anyone who wrote a sticky note or answered a survey, and files come from other
programs; nothing read from them may choose where codesign writes, how much memory it takes, or what a
spreadsheet program runs when a table is opened (docs/security.md).
"""
from __future__ import annotations

import os
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field

from codesign.core.errors import CodesignError, InputError
from codesign.core.settings import NotBool, validate_settings

# --- ids --------------------------------------------------------------------------------------------------

#: Source, interview and project ids: a letter or digit, then letters, digits, ``_`` or ``-`` (at most 40).
#: They name files (``build/sources/<id>.txt``, ``reports/<project>/``), so no ``.``, ``/``, ``\`` or space.
ID_PATTERN = r"[A-Za-z0-9ÅÄÖåäö][A-Za-z0-9ÅÄÖåäö_-]{0,39}"
_ID = re.compile(ID_PATTERN)
ID_HINT = ("an id is 1–40 letters (A–Z, Å, Ä, Ö), digits, '_' or '-', starting with a letter or digit, "
           "e.g. H01, W1, kysely_2024")


def check_id(value: Any, path: Path | str, what: str, line: int | None = None) -> str:
    """``value`` as an id, or an InputError naming the file, the line and the pattern."""
    text = "" if value is None else str(value)
    if not _ID.fullmatch(text):
        raise InputError(path, f"{what} {text!r} is not a valid id", line=line, hint=ID_HINT)
    return text


def inside(folder: Path, *parts: str) -> Path:
    """``folder / parts`` after checking that it stays under ``folder`` (no ``..``, no absolute part, no
    symbolic link leading out): every path codesign writes that is built from data goes through here."""
    target = Path(folder).joinpath(*parts)
    base = Path(os.path.realpath(folder))
    resolved = Path(os.path.realpath(target))
    if resolved != base and base not in resolved.parents:
        raise CodesignError(f"refusing to write {target}: it lies outside {folder} "
                            "(an id or name used as a file name must not contain '..', '/' or '\\')")
    return target


# --- limits -------------------------------------------------------------------------------------------------

# A cap a user sets: a positive number (checked when read from project.yml, codesign.core.settings).
Cap = Annotated[float, NotBool, Field(gt=0)]
WholeCap = Annotated[int, NotBool, Field(gt=0)]


@dataclass(frozen=True)
class Limits:
    """Size caps (project.yml ``limits:``, docs/project.md); input over a cap is a clear error, never a
    machine out of memory."""

    #: a source file larger than this is refused (that source fails; the others are ingested); reading a
    #: transcript takes about 20 times its size in memory besides the Finnish pipeline
    max_source_mb: Cap = 100.0
    #: rows of one sheet or CSV file
    max_rows: WholeCap = 200_000
    #: the uncompressed size of one member of a zip file (.qdpx, .xlsx, .docx)
    max_member_mb: Cap = 100.0
    #: uncompressed ÷ compressed size of a member larger than 1 MB; real files stay under 40
    max_compression_ratio: Cap = 200.0
    #: members of one zip file
    max_members: WholeCap = 1_000_000
    #: a longer speaker turn, note or answer is split into several segments at sentence ends
    max_segment_chars: WholeCap = 20_000
    #: text pseudonymised together (names found in one place replaced everywhere in it); more text at
    #: once takes more memory (about 0.4 kB per word)
    pseudonymise_chunk_chars: WholeCap = 2_000_000

    @property
    def max_source_bytes(self) -> int:
        return int(self.max_source_mb * 1024 * 1024)

    @property
    def max_member_bytes(self) -> int:
        return int(self.max_member_mb * 1024 * 1024)


DEFAULT_LIMITS = Limits()


def parse_limits(raw: Any, path: Path, line: int | None) -> Limits:
    """``limits:`` of project.yml as Limits; unknown keys and non-positive numbers are InputErrors."""
    if raw in (None, ""):
        return DEFAULT_LIMITS
    if not isinstance(raw, dict):
        raise InputError(path, "`limits:` must be a mapping of caps (max_source_mb: 100, …)", line=line)
    return validate_settings(Limits, raw, path, what="limit", line=line)


# --- zip files ---------------------------------------------------------------------------------------------

_RATIO_FLOOR = 1024 * 1024      # small members may compress well (a run of spaces); only large ones count


def open_zip(path: Path, limits: Limits = DEFAULT_LIMITS, what: str = "archive") -> zipfile.ZipFile:
    """A zip file whose central directory has been checked against ``limits`` before anything is inflated.

    Python's zipfile never inflates more than a member's declared size (a member that lies fails its
    CRC check), so checking the declared sizes bounds the memory any reader of the archive can take.
    """
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise InputError(path, f"not a readable {what} (a damaged zip file: {exc})",
                         hint="export or save the file again") from None
    try:
        check_zip(archive, path, limits)
    except InputError:
        archive.close()
        raise
    return archive


def check_zip(archive: zipfile.ZipFile, path: Path, limits: Limits = DEFAULT_LIMITS) -> None:
    """Member count, each member's declared size and compression ratio within ``limits``."""
    members = archive.infolist()
    if len(members) > limits.max_members:
        raise InputError(path, f"the zip file holds {len(members):,} members (at most {limits.max_members:,})",
                         hint="this is not a file a QDA or office program writes; set limits.max_members "
                              "in project.yml only if you trust it")
    for info in members:
        if info.file_size > limits.max_member_bytes:
            raise InputError(path, f"member {info.filename!r} would inflate to {info.file_size / 2**20:,.0f} MB "
                                   f"(at most {limits.max_member_mb:g} MB)",
                             hint="raise limits.max_member_mb in project.yml if the file is genuine")
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > _RATIO_FLOOR and ratio > limits.max_compression_ratio:
            raise InputError(path, f"member {info.filename!r} is compressed {ratio:,.0f} to 1 (at most "
                                   f"{limits.max_compression_ratio:g} to 1): a zip bomb, or a damaged file",
                             hint="export the file again; raise limits.max_compression_ratio only if you trust it")


def read_member(archive: zipfile.ZipFile, name: str | zipfile.ZipInfo, path: Path,
                limits: Limits = DEFAULT_LIMITS) -> bytes:
    """One member's bytes, at most ``limits.max_member_bytes`` whatever the header says; a damaged member
    (bad CRC, corrupt deflate stream, unsupported compression) is an InputError naming it."""
    import zlib

    info = name if isinstance(name, zipfile.ZipInfo) else archive.getinfo(name)
    if info.file_size > limits.max_member_bytes:
        raise InputError(path, f"member {info.filename!r} would inflate to {info.file_size / 2**20:,.0f} MB "
                               f"(at most {limits.max_member_mb:g} MB)",
                         hint="raise limits.max_member_mb in project.yml if the file is genuine")
    chunks, total = [], 0
    try:
        with archive.open(info) as handle:
            while True:
                block = handle.read(1 << 20)
                if not block:
                    break
                total += len(block)
                if total > limits.max_member_bytes:
                    raise InputError(path, f"member {info.filename!r} inflates to more than "
                                           f"{limits.max_member_mb:g} MB", hint="export the file again")
                chunks.append(block)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, OSError, RuntimeError) as exc:
        raise InputError(path, f"member {info.filename!r} cannot be read ({type(exc).__name__}: {exc})",
                         hint="the zip file is damaged or uses an unsupported compression; export it again"
                         ) from None
    return b"".join(chunks)


def check_file_size(path: Path, limits: Limits = DEFAULT_LIMITS, what: str = "source") -> None:
    """An InputError when ``path`` is larger than ``limits.max_source_mb``."""
    size = path.stat().st_size
    if size > limits.max_source_bytes:
        raise InputError(path, f"the {what} is {size / 2**20:,.1f} MB (at most {limits.max_source_mb:g} MB)",
                         hint="split the file, or raise limits.max_source_mb in project.yml")


# --- spreadsheet cells ---------------------------------------------------------------------------------------

#: A cell beginning with one of these is run as a formula by Excel and LibreOffice when a CSV is opened.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value: Any) -> Any:
    """A text cell that a spreadsheet program would run as a formula, written as text: a leading apostrophe
    (the spreadsheet convention for "this is text"). Text that already begins with an apostrophe gets one
    more, so :func:`restore_cell` gives back exactly what was written. Other values are returned as they are."""
    if isinstance(value, str) and value[:1] in (*FORMULA_START, "'"):
        return "'" + value
    return value


def restore_cell(value: Any) -> Any:
    """The inverse of :func:`neutralise_cell` for a cell read back from a CSV codesign wrote."""
    if isinstance(value, str) and value[:1] == "'" and value[1:2] in (*FORMULA_START, "'"):
        return value[1:]
    return value


def neutral_frame(frame):
    """A copy of a DataFrame with every text cell neutralised (numbers stay numbers; columns keep their names
    and order)."""
    out = frame.copy()
    for column in text_columns(out):
        out[column] = out[column].map(neutralise_cell)
    return out


def text_columns(frame) -> list:
    """The columns of a DataFrame that may hold text (string or object dtype)."""
    from pandas.api.types import is_object_dtype, is_string_dtype

    return [c for c in frame.columns if is_string_dtype(frame[c]) or is_object_dtype(frame[c])]


def write_csv(frame, path: Path, **kwargs) -> None:
    """``frame.to_csv`` with formula-like text cells neutralised (docs/security.md)."""
    import csv

    out = neutral_frame(frame)
    # Python's csv module does not quote a field holding a lone carriage return (with "\n" line ends), which
    # then splits the row for every reader; such a table has every text field quoted.
    has_cr = any(out[c].map(lambda v: isinstance(v, str) and "\r" in v).any() for c in text_columns(out))
    options = {"index": False, "encoding": "utf-8", **({"quoting": csv.QUOTE_NONNUMERIC} if has_cr else {})}
    out.to_csv(path, **{**options, **kwargs})
