"""Settings from project.yml and the command line, checked by pydantic, with errors that name the line.

``validate_config`` checks a whole YAML file against a pydantic model (the keys of project.yml: required
ones, types, no unknown key).

A settings dataclass declares each field's type and range with ``typing.Annotated`` (see ``Share``,
``Words`` and ``NotBool`` below); ``validate_settings`` coerces a mapping of user values to it (``"4"`` →
4, ``"a, b"`` → ``("a", "b")``) and turns pydantic's errors into an ``InputError`` that names the file, the
key's line (the mapping from ``load_yaml`` remembers it), what was expected and the default. Constructing
the dataclass directly (in code and tests) is not validated: the checks are for what users write.
"""
from __future__ import annotations

import dataclasses
import datetime
import difflib
import re
import typing
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, TypeAdapter, ValidationError

from codesign.core.errors import InputError

T = TypeVar("T")


def _not_bool(value: Any) -> Any:
    # YAML reads yes/no/true/false as booleans, and pydantic would take True for the number 1
    if isinstance(value, bool):
        raise ValueError("a number (true or false is no number)")
    return value


def _words(value: Any) -> Any:
    items = value.split(",") if isinstance(value, str) else value
    if isinstance(items, (list, tuple)):
        return tuple(str(item).strip() for item in items if item is not None and str(item).strip())
    return value


#: A number that true/false must not stand for (wrap int or float: ``Annotated[int, NotBool, Field(ge=2)]``).
NotBool = BeforeValidator(_not_bool)
#: A share between 0 and 1.
Share = Annotated[float, NotBool, Field(ge=0, le=1)]
#: A list of words (or lemma sequences); a comma-separated string on the command line is split.
Words = Annotated[tuple[str, ...], BeforeValidator(_words)]


def _as_text(value: Any) -> Any:
    # YAML reads 2023-11-07 as a date; where the file means text (a schedule, "approved"), it stays as written
    return value.isoformat() if isinstance(value, (datetime.date, datetime.datetime)) else value


#: Text as written (a date YAML read stays its ISO text).
Text = Annotated[str, BeforeValidator(_as_text)]
#: Text that must be there (not empty).
Needed = Annotated[str, BeforeValidator(_as_text), Field(min_length=1, pattern=r"\S")]


def _amount(value: Any) -> Any:
    value = _not_bool(value)
    if isinstance(value, str):
        try:
            return int(value)
        except ValueError:
            try:
                return float(value)
            except ValueError:
                raise ValueError("a number (write the number alone; the unit goes under `unit:`)") from None
    return value


#: An amount (a baseline, a target): a whole or decimal number as written, never true/false.
Amount = Annotated[int | float, BeforeValidator(_amount)]
#: A year: a whole number.
Year = Annotated[int, NotBool]


def validate_settings(kind: type[T], values: Mapping[str, Any], where: Path | str, *, what: str = "setting",
                      base: T | None = None, line: int | None = None, docs: str = "docs/project.md",
                      unknown: Literal["error", "skip"] = "error") -> T:
    """``base`` (default: ``kind()``) with ``values`` laid over it, each coerced and range-checked.

    Parameters
    ----------
    kind : a dataclass whose fields are annotated with their types and ranges.
    values : the user's values by field name (a ``LineDict`` from ``load_yaml`` gives each key's line).
    where : the file (or "command line") the values come from, for the error.
    what : what a key is called in the error ("analysis parameter", "limit").
    line : the line of the mapping itself (for an error that belongs to no one key).
    unknown : "error" for a key that is no field; "skip" when the caller has dealt with such keys (the
        report settings of project.yml also hold the notebooks' parameters).

    Raises
    ------
    InputError
        An unknown key (with the closest known name), or a value of the wrong type or out of range (with
        what was expected and the default).
    """
    hints = typing.get_type_hints(kind, include_extras=True)
    names = [field.name for field in dataclasses.fields(kind)]  # type: ignore[arg-type]
    base = base if base is not None else kind()
    if unknown == "skip":
        values = _known_part(values, names)
    for key in values:
        if key not in names:
            close = difflib.get_close_matches(str(key), names, n=1, cutoff=0.6)
            raise InputError(where, f"unknown {what} {key!r}", line=_line_of(values, key, line),
                             hint=f"did you mean {close[0]!r}? ({docs})" if close
                             else f"use one of {', '.join(names)} ({docs})")
    data = {name: getattr(base, name) for name in names} | dict(values)
    try:
        return TypeAdapter(kind).validate_python(data)
    except ValidationError as exc:
        # the first wrong value in the file (pydantic lists them in the fields' order)
        errors = sorted(exc.errors(include_url=False),
                        key=lambda e: _line_of(values, str(e["loc"][0]), line) or 0 if e["loc"] else 0)
        error = errors[0]
        more = f" (and {len(errors) - 1} more wrong value(s))" if len(errors) > 1 else ""
        if not error["loc"]:                      # a rule between fields (__post_init__)
            message = str(error["ctx"]["error"]) if "ctx" in error else error["msg"]
            named = next((key for key in values if re.search(rf"\b{re.escape(str(key))}\b", message)), None)
            at = _line_of(values, named, line) if named is not None else getattr(values, "line", line)
            raise InputError(where, message, line=at, hint=f"see {docs}") from None
        key = str(error["loc"][0])
        expected = describe(hints[key])
        default = getattr(kind(), key)
        shown = ", ".join(default) if isinstance(default, tuple) else default
        raise InputError(where, f"{what} {key!r}: {values.get(key)!r} is not {expected}{more}",
                         line=_line_of(values, key, line),
                         hint=f"give {expected} (the default is {shown}; {docs})") from None


class ConfigEntry(BaseModel):
    """A mapping of a configuration file: only the declared keys (a typo is an error, never ignored); a number
    where text belongs is that text (``id: 2024``)."""
    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True)


M = TypeVar("M", bound=BaseModel)

#: What a value had to be, by pydantic's error type (for a nested file; flat settings use ``describe``).
_EXPECTED = {
    "list_type": "a list (e.g. [a, b])", "dict_type": "a mapping of keys (key: value)",
    "model_type": "a mapping of keys (key: value)", "model_attributes_type": "a mapping of keys (key: value)",
    "string_type": "text", "bool_type": "true or false", "int_type": "a whole number",
    "int_parsing": "a whole number", "float_type": "a number", "float_parsing": "a number",
    "date_type": "a date (2024-03-01)", "date_from_datetime_parsing": "a date (2024-03-01)",
    "string_too_short": "a text (it is empty)", "string_pattern_mismatch": "a text (it is empty)",
    "int_from_float": "a whole number",
}


def validate_config(model: type[M], raw: Mapping[str, Any], path: Path | str, *, docs: str) -> M:
    """``raw`` (from ``load_yaml``, which remembers lines) checked against ``model``.

    Raises
    ------
    InputError
        The first problem in the file: a missing key (at the line of the mapping that needs it), an unknown
        key (with the closest known name), or a value of the wrong type (what was expected), each with its
        line and where the format is documented.
    """
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        errors = sorted(exc.errors(include_url=False), key=lambda e: _located(raw, e["loc"])[1] or 0)
        error = errors[0]
        parts, line = _located(raw, error["loc"])
        key = parts[-1] if parts else None
        label = _label(parts, raw)
        if error["type"] == "missing":
            owner = _label(parts[:-1], raw) or Path(path).name
            raise InputError(path, f"{owner} needs the key {key!r}", line=line,
                             hint=f"add `{key}: …` there (see {docs})") from None
        if error["type"] == "extra_forbidden":
            known = _fields_at(model, parts[:-1])
            close = difflib.get_close_matches(str(key), known, n=1, cutoff=0.6)
            where = f" in {_label(parts[:-1], raw)}" if len(parts) > 1 else ""
            raise InputError(path, f"unknown key {key!r}{where}", line=line,
                             hint=(f"did you mean {close[0]!r}? " if close else
                                   f"the keys here are {', '.join(known)}; ") + f"see {docs}") from None
        if error["type"] == "too_short":
            raise InputError(path, f"{label} needs at least one entry", line=line, hint=f"see {docs}") from None
        if error["type"] == "value_error":          # a validator's own reason (NotBool)
            reason = str(error["ctx"]["error"])
            raise InputError(path, f"{label}: {error['input']!r} is not {reason}", line=line,
                             hint=f"see {docs}") from None
        expected = _EXPECTED.get(error["type"], error["msg"].removeprefix("Input should be ").rstrip("."))
        raise InputError(path, f"{label}: {error['input']!r} is not {expected}", line=line,
                         hint=f"write {label} as {expected} (see {docs})") from None


def _located(raw: Any, loc: tuple) -> tuple[list, int | None]:
    """The parts of pydantic's ``loc`` that are keys or indexes of ``raw`` (a union's branch names are not),
    and the line of the last one."""
    node, parts, line = raw, [], getattr(raw, "line", None)
    for part in loc:
        if isinstance(node, Mapping) and part in node:
            line = node.line_of(part) if hasattr(node, "line_of") else line     # the key's own line
            parts.append(part)
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            line = node.line_of(part) if hasattr(node, "line_of") else line    # the item's own line
            parts.append(part)
            node = node[part]
        elif isinstance(node, Mapping) and isinstance(part, str) and not part.startswith(("list[", "dict[")) \
                and part not in ("none", "str", "date"):
            parts.append(part)          # a missing key: the line of the mapping that lacks it
            line = getattr(node, "line", line)
            break
    return parts, line


def _label(parts: list, raw: Any) -> str:
    """``['sources', 1, 'path']`` → "sources, entry 2, path"; an entry with an id is named by it too
    ("codes, entry 3 (T2.1), lexicon")."""
    words, node = [], raw
    for part in parts:
        node = node[part] if isinstance(node, (Mapping, list)) and _has(node, part) else None
        if isinstance(part, int):
            ident = node.get("id") if isinstance(node, Mapping) else None
            words.append(f"entry {part + 1}" + (f" ({ident})" if ident not in (None, "") else ""))
        else:
            words.append(str(part))
    return ", ".join(words)


def _has(node: Any, part: Any) -> bool:
    if isinstance(node, Mapping):
        return part in node
    return isinstance(part, int) and 0 <= part < len(node)


def _fields_at(model: type[BaseModel], parts: list) -> list[str]:
    """The keys the model allows at ``parts`` (to suggest the closest one to an unknown key)."""
    kind: Any = model
    for part in parts:
        if isinstance(part, int) or not (isinstance(kind, type) and issubclass(kind, BaseModel)):
            continue
        field = kind.model_fields.get(part)
        kind = _model_in(field.annotation) if field else None
    if not (isinstance(kind, type) and issubclass(kind, BaseModel)):
        return []
    return [field.alias or name for name, field in kind.model_fields.items()]


def _model_in(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for argument in typing.get_args(annotation):
        found = _model_in(argument)
        if found is not None:
            return found
    return None


def describe(hint: Any) -> str:
    """What a value of an annotated field must be, in words ("a whole number (2 or more)")."""
    bounds: dict[str, Any] = {}
    if typing.get_origin(hint) is Annotated:
        base, *metadata = typing.get_args(hint)
        for item in metadata:
            for constraint in getattr(item, "metadata", [item]):
                for bound in ("ge", "gt", "le", "lt"):
                    if hasattr(constraint, bound):
                        bounds[bound] = getattr(constraint, bound)
        hint = base
    if typing.get_origin(hint) is Literal:
        return "one of " + ", ".join(repr(option) for option in typing.get_args(hint))
    if typing.get_origin(hint) is tuple:
        return "a list of words"
    if hint is float and bounds.get("ge") == 0 and bounds.get("le") == 1:
        return "a share between 0 and 1"
    noun = {int: "a whole number", float: "a number", str: "text", bool: "true or false"}.get(hint, str(hint))
    low = next((f"{_number(bounds[b])}{' or more' if b == 'ge' else ''}" for b in ("ge", "gt") if b in bounds), None)
    high = next((f"{_number(bounds[b])}{' or less' if b == 'le' else ''}" for b in ("le", "lt") if b in bounds), None)
    if "ge" in bounds and "le" in bounds:
        return f"{noun} from {_number(bounds['ge'])} to {_number(bounds['le'])}"
    if "gt" in bounds:
        low = f"more than {low}"
    if "lt" in bounds:
        high = f"less than {high}"
    return f"{noun} ({', '.join(part for part in (low, high) if part)})" if bounds else noun


def _number(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _known_part(values: Mapping, names: list[str]) -> Mapping:
    """The keys of ``values`` that are fields, keeping a ``LineDict``'s lines."""
    part = type(values)((key, value) for key, value in values.items() if key in names) \
        if isinstance(values, dict) else {key: value for key, value in values.items() if key in names}
    for attribute in ("line", "key_lines"):
        if hasattr(values, attribute):
            setattr(part, attribute, getattr(values, attribute))
    return part


def _line_of(values: Mapping, key: Any, line: int | None) -> int | None:
    if hasattr(values, "line_of"):
        return values.line_of(key)
    return line
