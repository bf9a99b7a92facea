"""Report labels in Finnish (the default) and English: lookup and number formats. The wording itself is data,
in :mod:`codesign.core.labels` (one dictionary, so notebooks carry no wording)."""
from __future__ import annotations

import string

from codesign.core.labels import LABELS, REASONS

LANGUAGES = ("fi", "en")


def check_language(language: str) -> str:
    if language not in LANGUAGES:
        raise ValueError(f"report language {language!r} is not supported; use one of {', '.join(LANGUAGES)}")
    return language


def t(key: str, language: str = "fi") -> str:
    """The label ``key`` in ``language``; an unknown key is an error (a typo must not reach a report)."""
    return LABELS[key][check_language(language)]


def stage_label(stage: str, language: str = "fi") -> str:
    return LABELS.get(f"stage.{stage}", {}).get(check_language(language), stage)


def group_label(group, language: str = "fi") -> str:
    import pandas as pd

    if group is None or group == "" or group == "unknown" or pd.isna(group):
        return t("group.unknown", language)
    return LABELS.get(f"group.{group}", {}).get(check_language(language), str(group))


def code_label(codebook, code_id: str, language: str = "fi", with_id: bool = True) -> str:
    """A code's label from the codebook in ``language`` (``T1 Matkailu…``); the id itself when unknown."""
    if codebook is None or code_id not in codebook.codes:
        return code_id
    code = codebook[code_id]
    text = code.label_en if check_language(language) == "en" and code.label_en else code.label_fi
    return f"{code_id} {text}" if with_id else text


def verdict_label(verdict, language: str = "fi") -> str:
    """A verdict or stance of the analysis tables in ``language``; a value this version does not know is shown
    as written (the analytics may add verdicts), an empty one as ""."""
    import pandas as pd

    if verdict is None or (not isinstance(verdict, str) and pd.isna(verdict)) or verdict == "":
        return ""
    for prefix in ("verdict", "stance", "strength"):
        if f"{prefix}.{verdict}" in LABELS:
            return LABELS[f"{prefix}.{verdict}"][check_language(language)]
    return str(verdict).replace("_", " ")


# ---------------------------------------------------------------------------------------------------------


def _plain(value):
    """A JSON-ready value: numpy numbers become Python ones, shares and p values keep four decimals."""
    import numbers

    if isinstance(value, bool) or type(value).__name__ == "bool_":
        return bool(value)
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return round(float(value), 4)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def reason(key: str, **values) -> dict:
    """One structured reason or flag: its key (of ``REASONS``) and the values its wording needs."""
    _wording(key)
    return {"key": key, **{name: _plain(v) for name, v in values.items()}}


def _wording(key) -> dict[str, str]:
    """The fi and en wording of a reason key; an unknown key is an error that says where to add it."""
    if key not in REASONS:
        raise ValueError(f"unknown reason key {key!r}: add its fi and en wording to codesign.core.labels.REASONS")
    return REASONS[key]


def percent(share, language: str = "fi", digits: int = 0) -> str:
    """A share as a percentage in the language's convention: ``64 %`` (fi), ``64%`` (en); empty for missing."""
    if share is None or share != share:
        return ""
    text = number(100 * float(share), language, digits)
    return f"{text} %" if check_language(language) == "fi" else f"{text}%"


def number(value, language: str = "fi", digits: int = 0) -> str:
    """A number with ``digits`` decimals: decimal comma and a narrow no-break space between thousands in
    Finnish (``3 880``, ``2,46``), the English convention otherwise; empty for missing."""
    if value is None or value != value:
        return ""
    text = f"{float(value):,.{digits}f}"
    if check_language(language) == "fi":
        text = text.replace(",", "\u202f").replace(".", ",")
    return text.replace("-", "−")


def p_value(p, language: str = "fi") -> str:
    """A p value as a reader expects it: ``< 0,001`` for tiny ones (never ``1.62e-34``), else three decimals."""
    if p is None or p != p:
        return ""
    return f"< {number(0.001, language, 3)}" if p < 0.001 else number(p, language, 3)


def date(value, language: str = "fi") -> str:
    """A date (``datetime.date``, ISO text) as ``18.4.2023`` in Finnish and ``18 April 2023`` in English."""
    import datetime as dt

    if value is None or value != value or value == "":
        return ""
    day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])
    if check_language(language) == "fi":
        return f"{day.day}.{day.month}.{day.year}"
    return f"{day.day} {day:%B} {day.year}"


def _percent(share: float, language: str) -> str:
    return percent(share, language)


def _decimal(value: float, digits: int, language: str) -> str:
    return number(value, language, digits)


class _ReasonFormatter(string.Formatter):
    """``str.format`` with the format specs of ``REASONS``: pct, dec3, list, group, small_n, topics (emergent
    topics by their names), codes and name (ids shown with their names from ``names`` when given)."""

    def __init__(self, language: str, names: dict | None = None) -> None:
        self.language = check_language(language)
        self.names = names or {}

    def _named(self, code) -> str:
        name = self.names.get(str(code))
        return f"{code} {name}" if name else str(code)

    def format_field(self, value, spec: str) -> str:
        language = self.language
        if spec == "pct":
            return _percent(value, language)
        if spec == "dec3":
            return _decimal(value, 3, language)
        if spec == "list":
            return ", ".join(str(v) for v in value)
        if spec == "codes":
            return ", ".join(self._named(v) for v in value)
        if spec == "name":
            return self._named(value)
        if spec == "group":
            return group_label(value, language)
        if spec == "small_n":
            return f", {t('word.small_n', language)}" if value else ""
        if spec == "topics":
            return ", ".join(f"”{topic['label']}”" for topic in value)
        return format(value, spec)

    def render(self, item: dict) -> str:
        key = item.get("key") if isinstance(item, dict) else None
        wording = _wording(key)[self.language]
        try:
            return self.format(wording, **item)
        except KeyError as missing:
            raise ValueError(f"reason {key!r} lacks the value {missing.args[0]!r} its wording needs") from None


def render_reasons(reasons: list[dict], language: str = "fi", sep: str = "; ", names: dict | None = None) -> str:
    """A structured reason list (``reason`` dicts, as in the ``*_codes`` JSON columns) as text in ``language``;
    an unknown key is an error naming it. ``names`` maps ids (survey alternatives, subcodes) to the names
    shown beside them."""
    formatter = _ReasonFormatter(language, names)
    return sep.join(formatter.render(item) for item in reasons)
