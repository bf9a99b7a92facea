"""Figures a committee reads at a glance (seaborn); each takes tidy tables and returns a matplotlib Figure."""
from __future__ import annotations

import pandas as pd

#: The language of figure labels (percentages: ``64 %`` in Finnish, ``64%`` in English); the report sets it.
_LANGUAGE = {"value": "fi"}


def set_language(language: str) -> None:
    """Write the figures' numbers in ``language`` (``codesign.outputs.report.Report`` calls this)."""
    from codesign.core.i18n import check_language

    _LANGUAGE["value"] = check_language(language)


def _percent(share) -> str:
    from codesign.core.i18n import percent

    return percent(share, _LANGUAGE["value"])


def percent_axis():
    """A tick formatter for shares (0–1) as percentages in the figures' language."""
    import matplotlib.ticker

    return matplotlib.ticker.FuncFormatter(lambda value, _: _percent(value))


def _pyplot():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import seaborn as sns

    sns.set_theme(style="whitegrid", context="notebook")
    # labels come from the material (a frame "Hinta $5 ja $10"): text, never mathtext to parse
    matplotlib.rcParams["text.parse_math"] = False
    return plt, sns


def count_heatmap(counts: pd.DataFrame, index: str, columns: str, value: str = "n_segments", *,
                  title: str = "", xlabel: str = "", ylabel: str = "", index_order=None, column_order=None,
                  cmap: str = "Blues"):
    """Annotated heatmap of a tidy count table (one row per ``index`` × ``columns`` pair); zeros shown."""
    plt, sns = _pyplot()
    table = counts.pivot_table(index=index, columns=columns, values=value, aggfunc="sum", fill_value=0)
    table = _ordered(table, index_order, column_order, fill_value=0)
    width = min(14, 2.5 + 1.1 * max(1, table.shape[1]))
    longest_column = max((len(str(c)) for c in table.columns), default=0)
    height = min(14, 1.5 + 0.45 * max(1, table.shape[0]) + 0.06 * longest_column)   # room for slanted labels
    fig, ax = plt.subplots(figsize=(width, height))
    if table.size == 0:         # nothing coded yet (a new project): an empty frame, not seaborn's error
        _nothing_to_show(ax)
    else:
        sns.heatmap(table.astype(int), annot=True, fmt="d", cmap=cmap, cbar=False, ax=ax, linewidths=0.5)
    return _finish_heatmap(fig, ax, title, xlabel, ylabel)


def _nothing_to_show(ax) -> None:
    """An empty figure with a dash where the data would be: the section stays, and says there is nothing."""
    ax.text(0.5, 0.5, "–", ha="center", va="center", fontsize=20, color="0.5", transform=ax.transAxes)
    ax.set_xticks([])
    ax.set_yticks([])


def _ordered(table: pd.DataFrame, index_order, column_order, fill_value=None) -> pd.DataFrame:
    """The pivot in the given row and column order (unknown names dropped; the table's own order if none match)."""
    if index_order is not None:
        table = table.reindex([i for i in index_order if i in table.index] or table.index, fill_value=fill_value)
    if column_order is not None:
        table = table.reindex(columns=[c for c in column_order if c in table.columns] or table.columns,
                              fill_value=fill_value)
    return table


def _finish_heatmap(fig, ax, title: str, xlabel: str, ylabel: str):
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.tick_params(axis="x", labelrotation=30)
    for label in ax.get_xticklabels():
        label.set_horizontalalignment("right")
    fig.tight_layout()
    return fig


def stacked_counts(counts: pd.DataFrame, index: str, hue: str, value: str = "n_segments", *,
                   title: str = "", xlabel: str = "", ylabel: str = "", legend_title: str | None = None,
                   index_order=None, hue_order=None, palette=None, unknown: str | None = None):
    """Horizontal stacked bars: ``value`` per ``index``, split by ``hue`` (e.g. notes per frame by group).
    The ``unknown`` hue (anonymous notes) is drawn last in hatched grey, so it does not read as a group."""
    plt, sns = _pyplot()
    table = counts.pivot_table(index=index, columns=hue, values=value, aggfunc="sum", fill_value=0)
    if index_order is not None:
        table = table.reindex([i for i in index_order if i in table.index] or table.index, fill_value=0)
    if hue_order is not None:
        table = table.reindex(columns=[h for h in hue_order if h in table.columns], fill_value=0)
    if unknown is not None and unknown in table.columns:
        table = table[[c for c in table.columns if c != unknown] + [unknown]]
    table = table.iloc[::-1]   # first row on top
    colors = list(palette)[: table.shape[1]] if palette is not None else sns.color_palette("colorblind", table.shape[1])
    colors = ["#d9d9d9" if c == unknown else colour for c, colour in zip(table.columns, colors)]
    fig, ax = plt.subplots(figsize=(9, 1.5 + 0.42 * max(1, len(table))))
    if table.size == 0:         # no rows (a project without this material): an empty figure, not pandas' error
        _nothing_to_show(ax)
    else:
        table.plot.barh(stacked=True, ax=ax, color=colors, width=0.75, edgecolor="white", linewidth=0.5)
        if unknown is not None and unknown in table.columns:
            bars = ax.containers[list(table.columns).index(unknown)]
            for bar in bars:
                bar.set_hatch("///")
                bar.set_edgecolor("#8c8c8c")
        ax.legend(title=legend_title, bbox_to_anchor=(1.01, 1), loc="upper left", frameon=False)
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    fig.tight_layout()
    return fig


def show(fig, dpi: int = 110, alt: str | None = None) -> None:
    """Display a figure in a notebook as an embedded PNG (works with any matplotlib backend, and the HTML report
    stays one self-contained file), then close the figure. ``alt`` is the alternative text: what the figure
    shows, stated as a finding; without it, the title."""
    import base64
    import html
    import io

    import matplotlib.pyplot as plt
    from IPython.display import HTML, display

    titles = [ax.get_title() for ax in fig.axes if ax.get_title()]
    alt = html.escape(alt or (titles[0] if titles else "figure"), quote=True)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight")
    plt.close(fig)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    display(HTML(f'<img alt="{alt}" style="max-width:100%" src="data:image/png;base64,{data}">'))


def survey_priorities(priorities: pd.DataFrame, title: str, xlabel: str):
    """Horizontal bars: the share of all respondents who ranked each alternative in their top three,
    with its confidence interval (``survey_priorities.csv``, group ``all``)."""

    plt, sns = _pyplot()
    data = priorities[priorities["group"] == "all"].sort_values("position")
    fig, ax = plt.subplots(figsize=(7.5, 0.45 * max(1, len(data)) + 1.2))
    if data.empty:              # a survey without rankings: an empty figure, not an axis of stray ticks
        _nothing_to_show(ax)
    else:
        sns.barplot(data=data, y="label", x="top3_share", color="#4C78A8", ax=ax, orient="h")
        ax.errorbar(data["top3_share"], range(len(data)),
                    xerr=[data["top3_share"] - data["top3_low"], data["top3_high"] - data["top3_share"]],
                    fmt="none", ecolor="black", capsize=3, linewidth=1)
        ax.set_xlim(0, 1)
        ax.xaxis.set_major_formatter(percent_axis())
    ax.set_xlabel(xlabel)
    ax.set_ylabel("")
    ax.set_title(title)
    fig.tight_layout()
    return fig


def known_shares(table: pd.DataFrame, by: str, value: str = "share_participants") -> pd.DataFrame:
    """``table`` (``triangulation_stage.csv`` or ``_group.csv``) with ``value`` missing where the stage or group
    has no known participant (anonymous workshop notes): a share without a denominator is not 0 %."""
    known = table.groupby(by)["n_participants"].transform("max") > 0
    return table.assign(**{value: table[value].where(known)})


def theme_stage_coverage(stage_table: pd.DataFrame, stage_labels: dict[str, str], title: str):
    """Heatmap of the share of each stage's participants who voiced each theme (``triangulation_stage.csv``);
    a stage whose participants are not known (anonymous notes) is left blank, not shown as 0 %."""
    shares = known_shares(stage_table, "stage")
    shares = shares.assign(stage=shares["stage"].map(lambda s: stage_labels.get(s, s)))
    return share_heatmap(shares, "theme", "stage", "share_participants", title=title,
                         column_order=list(stage_labels.values()))

def share_heatmap(shares: pd.DataFrame, index: str, columns: str, value: str, *, title: str = "",
                  xlabel: str = "", ylabel: str = "", index_order=None, column_order=None, cmap: str = "Blues"):
    """Heatmap of shares (0–1) shown as percentages, e.g. the share of each group's interviewees who
    discussed a theme (``perspective.csv``); a missing pair is left blank, not shown as 0 %."""
    plt, sns = _pyplot()
    table = _ordered(shares.pivot_table(index=index, columns=columns, values=value, aggfunc="mean", dropna=False),
                     index_order, column_order)
    longest_column = max((len(str(c)) for c in table.columns), default=0)
    fig, ax = plt.subplots(figsize=(min(14, 3 + 1.3 * max(1, table.shape[1])),
                                    min(14, 1.5 + 0.5 * max(1, table.shape[0]) + 0.06 * longest_column)))
    labels = table.map(lambda v: "–" if v != v else _percent(v))
    sns.heatmap(table, annot=labels, fmt="", cmap=cmap, vmin=0, vmax=1, cbar=False, ax=ax, linewidths=0.5)
    ax.set_facecolor("#f0f0f0")       # a blank (unknown) cell reads as missing, not as a light 0 %
    return _finish_heatmap(fig, ax, title, xlabel, ylabel)


def priorities_by_group(priorities: pd.DataFrame, group_names: dict, *, title: str = "", xlabel: str = ""):
    """Dots with intervals: the share ranking each alternative in the top three, one colour per group
    (``survey_priorities.csv``); ``group_names`` maps group ids to legend labels (e.g. "viranhaltija (n = 24)"),
    alternatives ordered by their position among all respondents."""

    plt, sns = _pyplot()
    order = (priorities[priorities["group"] == "all"].sort_values("position")["label"].tolist()
             or sorted(priorities["label"].unique()))
    groups = [g for g in group_names if g in set(priorities["group"])]
    colors = sns.color_palette("colorblind", len(groups))
    fig, ax = plt.subplots(figsize=(9, 0.6 * len(order) + 2.4))
    step = 0.7 / max(1, len(groups))
    for i, (group, color) in enumerate(zip(groups, colors)):
        part = priorities[priorities["group"] == group].set_index("label").reindex(order)
        y = [k - 0.35 + step * (i + 0.5) for k in range(len(order))]
        ax.errorbar(part["top3_share"], y, xerr=[part["top3_share"] - part["top3_low"],
                                                 part["top3_high"] - part["top3_share"]],
                    fmt="o", color=color, ecolor=color, capsize=2, markersize=5, linewidth=1,
                    label=group_names[group])
    ax.set_yticks(range(len(order)), order)
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(percent_axis())
    ax.set_xlabel(xlabel)
    ax.set_title(title)
    # the legend below the axes, so the plot keeps its width however long the group labels are
    ax.legend(bbox_to_anchor=(0.5, -0.12), loc="upper center", ncol=min(3, max(1, len(groups))), frameon=False)
    fig.tight_layout()
    return fig


def rank_heatmap(priorities: pd.DataFrame, group_names: dict, *, title: str = "", xlabel: str = "",
                 highlight: str | None = None):
    """The survey's group split at a glance: each alternative's position (1 = most important) in each group
    (``survey_priorities.csv``), alternatives in the order of all respondents; the darker, the higher. A
    diverging single-hue scale and the number in every cell, so colour never carries the rank alone."""
    plt, sns = _pyplot()
    order = priorities[priorities["group"] == "all"].sort_values("position")["label"].tolist()
    groups = [g for g in group_names if g in set(priorities["group"])]
    table = (priorities[priorities["group"].isin(groups)]
             .pivot_table(index="label", columns="group", values="position", aggfunc="first")
             .reindex(index=order, columns=groups))
    table.columns = [group_names[g].replace(" (", "\n(", 1) for g in groups]
    fig, ax = plt.subplots(figsize=(min(14, 3.5 + 1.6 * len(groups)), 0.5 * len(order) + 2.4))
    sns.heatmap(table, annot=True, fmt=".0f", cmap="Blues_r", vmin=1, vmax=max(len(order), 2) + 2, cbar=False,
                ax=ax, linewidths=0.5)
    if highlight in order:
        row = order.index(highlight)
        ax.add_patch(matplotlib_rectangle((0, row), len(groups), 1))
    fig = _finish_heatmap(fig, ax, title, xlabel, "")
    ax.xaxis.tick_top()
    ax.xaxis.set_label_position("top")
    for label in ax.get_xticklabels():
        label.set_rotation(0)
        label.set_horizontalalignment("center")
        label.set_fontsize(9)
    fig.tight_layout()
    return fig


def matplotlib_rectangle(xy, width, height):
    from matplotlib.patches import Rectangle

    return Rectangle(xy, width, height, fill=False, edgecolor="#D55E00", linewidth=2.5)


def rank_slope(priorities: pd.DataFrame, group_a: str, group_b: str, group_names: dict, *, title: str = "",
               highlight: str | None = None):
    """A slope chart of two groups' rankings (``survey_priorities.csv``): each alternative's position for
    ``group_a`` on the left and ``group_b`` on the right, joined by a line; the alternative that moves most
    (or ``highlight``) drawn thick in orange, the others thin grey, every end labelled with its position."""
    plt, sns = _pyplot()
    a = priorities[priorities["group"] == group_a].set_index("label")["position"]
    b = priorities[priorities["group"] == group_b].set_index("label")["position"]
    labels = [label for label in a.index if label in b.index]
    gaps = {label: abs(a[label] - b[label]) for label in labels}
    highlight = highlight if highlight in labels else max(gaps, key=gaps.get, default=None)
    n = int(max(a.max(), b.max())) if labels else 1
    fig, ax = plt.subplots(figsize=(8.5, 0.42 * n + 1.8))
    for label in labels:
        strong = label == highlight
        ax.plot([0, 1], [a[label], b[label]], color="#D55E00" if strong else "#9a9a9a",
                linewidth=3 if strong else 1.2, marker="o", zorder=3 if strong else 2)
        weight = "bold" if strong else "normal"
        ax.text(-0.04, a[label], f"{label}  {int(a[label])}", ha="right", va="center", fontsize=9, fontweight=weight)
        ax.text(1.04, b[label], f"{int(b[label])}  {label}", ha="left", va="center", fontsize=9, fontweight=weight)
    ax.set_xlim(-0.9, 1.9)
    ax.set_ylim(n + 0.7, 0.3)
    ax.set_xticks([0, 1], [group_names.get(group_a, group_a), group_names.get(group_b, group_b)])
    ax.xaxis.tick_top()
    ax.set_yticks([])
    ax.grid(False)
    for side in ("left", "right", "bottom", "top"):
        ax.spines[side].set_visible(False)
    ax.set_title(title, pad=28)
    fig.tight_layout()
    return fig


#: Stances on a goal, colour-blind safe (Okabe–Ito): supports blue, questions vermillion, refines yellow.
STANCE_COLOURS = ["#0072B2", "#D55E00", "#F0E442"]

#: Likert answers in plotting order and their colours: the scale red → blue, "don't know" and missing grey.
LIKERT_ORDER = ["1", "2", "3", "4", "5", "dont_know", "missing"]
LIKERT_COLORS = ["#ca0020", "#f4a582", "#e0e0e0", "#92c5de", "#0571b0", "#8c8c8c", "#d9d9d9"]


def likert_distribution(likert: pd.DataFrame, answer_names: dict, *, title: str = "", xlabel: str = "",
                        index_order=None):
    """Stacked shares of each answer per alternative (``survey_likert.csv`` of one group, ``label`` column
    added by the caller); "don't know" and missing answers are their own grey segments, never dropped."""

    data = likert.assign(answer=likert["answer"].astype(str))
    present = [a for a in LIKERT_ORDER if a in set(data["answer"])]
    data = data.assign(answer=data["answer"].map(lambda a: answer_names.get(a, a)))
    fig = stacked_counts(data, "label", "answer", "share", title=title, xlabel=xlabel,
                         index_order=index_order, hue_order=[answer_names.get(a, a) for a in present],
                         palette=[LIKERT_COLORS[LIKERT_ORDER.index(a)] for a in present])
    fig.axes[0].set_xlim(0, 1)
    fig.axes[0].xaxis.set_major_formatter(percent_axis())
    return fig


def progress_chart(progress: pd.DataFrame, *, title: str = "", xlabel: str = "", legend_title: str = ""):
    """Bars: each indicator's way from its baseline (0 %) to its target (100 %, dashed), one bar per reported
    year (``codesign.outputs.followup.indicator_progress``); a fall below the baseline shows as a negative bar."""

    plt, sns = _pyplot()
    goals = sorted(progress["goal_id"].unique())
    fig, ax = plt.subplots(figsize=(8.5, 0.45 * max(1, len(goals)) * max(1, progress["year"].nunique()) ** 0.5 + 1.6))
    if len(progress):
        sns.barplot(data=progress.assign(year=progress["year"].astype(str)), y="goal_id", x="progress", hue="year",
                    order=goals, palette="Blues", ax=ax, orient="h")
        ax.legend(title=legend_title, bbox_to_anchor=(1.01, 1), loc="upper left", frameon=False)
    ax.axvline(1.0, color="black", linestyle="--", linewidth=1)
    ax.axvline(0.0, color="grey", linewidth=0.8)
    ax.set_xlim(min(-0.1, float(progress["progress"].min()) - 0.05) if len(progress) else -0.1,
                max(1.05, float(progress["progress"].max()) + 0.05) if len(progress) else 1.05)
    ax.xaxis.set_major_formatter(percent_axis())
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("")
    fig.tight_layout()
    return fig
