"""How verdicts look in every output (HTML reports, the .docx summary, the .xlsx workbooks): one colour pair
and one symbol per verdict, so the same verdict reads the same everywhere. Colour never carries the meaning
alone: the symbol and the word go with it."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class VerdictStyle:
    text: str       # hex RGB without '#': the verdict word's colour (dark enough for text on white)
    fill: str       # hex RGB without '#': a light background for table cells
    symbol: str     # a sign that carries the verdict without colour


VERDICT_STYLES: dict[str, VerdictStyle] = {
    "confirmed": VerdictStyle("2E7D32", "D9F0D3", "✓"),
    "needs_refinement": VerdictStyle("B26B00", "FEE8C8", "!"),
    "not_supported": VerdictStyle("C00000", "F4CCCC", "✗"),
    "insufficient_evidence": VerdictStyle("606060", "EEEEEE", "?"),
}
UNKNOWN = VerdictStyle("000000", "FFFFFF", "")


def verdict_style(verdict: str | None) -> VerdictStyle:
    """The style of a verdict value (``confirmed`` …); unknown or missing values are plain."""
    return VERDICT_STYLES.get(str(verdict), UNKNOWN)
