"""Figures a committee reads at a glance (seaborn); each takes tidy tables and returns a matplotlib Figure."""
from __future__ import annotations

import pandas as pd


def segments_by_stage_and_group(segments: pd.DataFrame, stage_labels: dict[str, str] | None = None):
    """Heatmap of participant segments per stage × stakeholder group ("tuntematon" where unknown)."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import seaborn as sns

    data = segments[segments["speaker_role"] == "participant"].copy()
    data["group"] = data["group"].fillna("tuntematon")
    data["stage"] = data["stage"].map(lambda s: (stage_labels or {}).get(s, s))
    table = pd.crosstab(data["stage"], data["group"])
    order = [stage_labels[s] for s in stage_labels if stage_labels[s] in table.index] if stage_labels else None
    if order:
        table = table.loc[order]
    fig, ax = plt.subplots(figsize=(8, 3.6))
    sns.heatmap(table, annot=True, fmt="d", cmap="Blues", cbar=False, ax=ax, linewidths=0.5)
    ax.set_xlabel("sidosryhmä")
    ax.set_ylabel("vaihe")
    ax.set_title("Osallistujien segmentit vaiheittain ja sidosryhmittäin")
    fig.tight_layout()
    return fig
