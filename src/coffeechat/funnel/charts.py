"""Geometry of the funnel's two charts, drawn by the template as SVG attributes (the CSP
forbids inline styles; the colours are classes in app.css). No script: the server sends the
finished picture, and a table beside each chart gives the same numbers."""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from coffeechat.funnel.results import Funnel

# The viewBox's width. The SVG is as wide as its box (up to a cap in app.css), so text drawn at
# 13 units reads at about 11 px on a phone and 16 px on a wide screen.
WIDTH = 400
ROW = 34  # one stage: its label and count on one line, its bar under it
BAR = 12
LABEL_Y = 13


@dataclass(frozen=True)
class StageBar:
    label: str
    count: int
    y: int
    text_y: int
    width: float
    of_previous: str


def stage_chart(result: Funnel) -> dict[str, object]:
    """One horizontal bar per stage, the longest the largest count; each labelled with its
    count and, from the second on, its size against the stage before it."""
    top = max([stage.count for stage in result.stages] + [1])
    bars = []
    previous: int | None = None
    for index, stage in enumerate(result.stages):
        share = ""
        if previous:
            share = f"{round(100 * stage.count / previous)}% of the stage before"
        bars.append(
            StageBar(
                label=stage.label,
                count=stage.count,
                y=index * ROW + LABEL_Y + 5,
                text_y=index * ROW + LABEL_Y,
                # A stage with rows never vanishes: at least a sliver of a bar.
                width=round(max(WIDTH * stage.count / top, 2 if stage.count else 0), 1),
                of_previous=share,
            )
        )
        previous = stage.count
    return {"bars": bars, "width": WIDTH, "height": len(bars) * ROW, "bar_height": BAR}


@dataclass(frozen=True)
class PeriodColumn:
    label: str
    show_label: bool
    x: float
    requests_y: float
    requests_height: float
    held_x: float
    held_y: float
    held_height: float
    label_x: float
    title: str


PLOT_HEIGHT = 120
AXIS_GAP = 18  # under the plot: the period labels


def _axis_label(result: Funnel, index: int) -> str:
    """Under a column: "Nov 23" for a week; for a month its name alone ("Nov"), with the year
    on the first column and on January, so that six or more fit a phone's width."""
    day = result.window.starts[index]
    if result.window.by == "month":
        return f"{day:%b} {day:%Y}" if index == 0 or day.month == 1 else f"{day:%b}"
    return result.window.label(index, short=True)


def period_chart(result: Funnel) -> dict[str, object]:
    """Per period, two columns side by side: requests sent and conversations held, the two
    figures a week's effort shows in first."""
    requests = result.stages[0].per_period
    held = next(s for s in result.stages if s.name == "conversations_held").per_period
    top = max([*requests, *held, 1])
    # A round number at the top of the scale, so that the one axis label reads well.
    step = 10 ** max(0, int(math.log10(top)))
    scale_top = math.ceil(top / step) * step
    count = len(requests)
    group = WIDTH / count
    column = max(1.0, group * 0.38)
    every = max(1, math.ceil(count / 6))
    columns = []
    for index in range(count):
        x = index * group + group * 0.1
        r_height = PLOT_HEIGHT * requests[index] / scale_top
        h_height = PLOT_HEIGHT * held[index] / scale_top
        columns.append(
            PeriodColumn(
                label=_axis_label(result, index),
                # Every label on the right end (the current period) and evenly before it.
                show_label=(count - 1 - index) % every == 0,
                x=round(x, 1),
                requests_y=round(PLOT_HEIGHT - r_height, 1),
                requests_height=round(r_height, 1),
                held_x=round(x + column, 1),
                held_y=round(PLOT_HEIGHT - h_height, 1),
                held_height=round(h_height, 1),
                label_x=round(index * group + group / 2, 1),
                title=f"{result.window.label(index)}: {requests[index]} requests sent, "
                f"{held[index]} conversations held",
            )
        )
    return {
        "columns": columns,
        "columns_svg": _columns_svg(columns, round(column, 1), PLOT_HEIGHT + 14),
        "column_width": round(column, 1),
        "width": WIDTH,
        "plot_height": PLOT_HEIGHT,
        "height": PLOT_HEIGHT + AXIS_GAP,
        "label_y": PLOT_HEIGHT + 14,
        "top": scale_top,
        "half": scale_top / 2 if scale_top % 2 == 0 else None,
        "half_y": PLOT_HEIGHT / 2,
    }


def _columns_svg(columns: list[PeriodColumn], width: float, label_y: int) -> SafeString:
    """The columns' SVG, written here rather than by the template: 24 months are some two
    hundred attributes, which cost the template engine about a tenth of the page's time."""

    def label(column: PeriodColumn) -> SafeString:
        if not column.show_label:
            return SafeString("")
        return format_html(
            '<text class="funnel-tick" x="{}" y="{}" text-anchor="middle">{}</text>',
            column.label_x,
            label_y,
            column.label,
        )

    return format_html_join(
        "\n",
        '<g><title>{}</title><rect class="funnel-requests" x="{}" y="{}" width="{}" '
        'height="{}"></rect><rect class="funnel-held" x="{}" y="{}" width="{}" height="{}">'
        "</rect>{}</g>",
        (
            (
                c.title,
                c.x,
                c.requests_y,
                width,
                c.requests_height,
                c.held_x,
                c.held_y,
                width,
                c.held_height,
                label(c),
            )
            for c in columns
        ),
    )
