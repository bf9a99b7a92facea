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


def survey_priorities(priorities: pd.DataFrame, title: str, xlabel: str):
    """Horizontal bars: the share of all respondents who ranked each alternative in their top three,
    with its confidence interval (``survey_priorities.csv``, group ``all``)."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import seaborn as sns

    data = priorities[priorities["group"] == "all"].sort_values("position")
    fig, ax = plt.subplots(figsize=(7.5, 0.45 * len(data) + 1.2))
    sns.barplot(data=data, y="label", x="top3_share", color="#4C78A8", ax=ax, orient="h")
    ax.errorbar(data["top3_share"], range(len(data)),
                xerr=[data["top3_share"] - data["top3_low"], data["top3_high"] - data["top3_share"]],
                fmt="none", ecolor="black", capsize=3, linewidth=1)
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0))
    ax.set_xlabel(xlabel)
    ax.set_ylabel("")
    ax.set_title(title)
    fig.tight_layout()
    return fig


def theme_stage_coverage(stage_table: pd.DataFrame, stage_labels: dict[str, str], title: str):
    """Heatmap of the share of each stage's participants who voiced each theme (``triangulation_stage.csv``)."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import seaborn as sns

    table = stage_table.pivot(index="theme", columns="stage", values="share_participants")
    order = [s for s in stage_labels if s in table.columns] + [s for s in table.columns if s not in stage_labels]
    table = table[order].rename(columns=stage_labels)
    fig, ax = plt.subplots(figsize=(7.5, 0.5 * len(table) + 1.5))
    sns.heatmap(table, annot=True, fmt=".0%", cmap="Blues", vmin=0, vmax=1, cbar=False, ax=ax, linewidths=0.5)
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.set_title(title)
    fig.tight_layout()
    return fig
