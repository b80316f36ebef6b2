"""The geometry of a radar chart of the five fit dimensions, for server-side SVG: one outline
per target, a spoke per dimension, rings at ratings 1 to 5. Pure arithmetic; the template
draws it (the CSP allows no inline style, so colours and dashes are CSS classes).

A dimension not rated is drawn at the centre, with no dot, and the table beside the chart says
so: an outline with a gap would read as a different shape, not as "unknown".
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

# The drawing's own units (the SVG scales to its box): room around the rings for the labels.
WIDTH = 360
HEIGHT = 290
CENTRE_X = 180.0
CENTRE_Y = 150.0
RADIUS = 100.0  # of rating 5
TOP_RATING = 5
LABEL_GAP = 16.0  # from the outer ring to a label
# At most three outlines stay readable on one chart.
MAX_SERIES = 3


def _round(value: float) -> float:
    return round(value, 1)


def angle(index: int, count: int) -> float:
    """Spoke ``index`` of ``count``, clockwise from straight up, in radians."""
    return -math.pi / 2 + 2 * math.pi * index / count


def position(rating: float | None, index: int, count: int) -> tuple[float, float]:
    """Where a rating sits on its spoke: at the centre when not rated, at RADIUS for 5."""
    distance = RADIUS * (rating or 0) / TOP_RATING
    theta = angle(index, count)
    return (
        _round(CENTRE_X + distance * math.cos(theta)),
        _round(CENTRE_Y + distance * math.sin(theta)),
    )


def _points(points: Sequence[tuple[float, float]]) -> str:
    return " ".join(f"{x:g},{y:g}" for x, y in points)


@dataclass(frozen=True)
class Spoke:
    label: str
    x: float  # outer end
    y: float
    label_x: float
    label_y: float
    anchor: str  # text-anchor: start, middle or end


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    label: str  # "Motivation: 4"


@dataclass(frozen=True)
class Outline:
    name: str
    css: str  # radar-s1, radar-s2, radar-s3
    points: str  # the polygon's points attribute
    dots: tuple[Dot, ...]  # rated dimensions only
    ratings: tuple[int | None, ...]
    missing: tuple[str, ...]  # labels of the dimensions not rated (drawn at the centre)


@dataclass(frozen=True)
class Radar:
    spokes: tuple[Spoke, ...]
    rings: tuple[tuple[int, str], ...]  # (rating, polygon points)
    outlines: tuple[Outline, ...]
    width: int = WIDTH
    height: int = HEIGHT
    centre_x: float = CENTRE_X
    centre_y: float = CENTRE_Y

    @property
    def names(self) -> list[str]:
        return [outline.name for outline in self.outlines]


def radar(labels: Sequence[str], series: Sequence[tuple[str, Sequence[int | None]]]) -> Radar:
    """The chart of ``series`` ((name, one rating or None per label)...), at most MAX_SERIES."""
    if len(series) > MAX_SERIES:
        raise ValueError(f"A radar shows at most {MAX_SERIES} outlines.")
    count = len(labels)
    spokes = []
    for index, label in enumerate(labels):
        x, y = position(TOP_RATING, index, count)
        theta = angle(index, count)
        cos = math.cos(theta)
        anchor = "middle" if abs(cos) < 0.2 else ("start" if cos > 0 else "end")
        reach = RADIUS + LABEL_GAP
        label_y = CENTRE_Y + reach * math.sin(theta)
        # Text hangs from its baseline: the top label sits above its spoke, the bottom ones
        # below theirs, by about a line.
        label_y += 4 if abs(cos) >= 0.2 else (-2 if math.sin(theta) < 0 else 12)
        spokes.append(
            Spoke(
                label=label,
                x=x,
                y=y,
                label_x=_round(CENTRE_X + reach * cos),
                label_y=_round(label_y),
                anchor=anchor,
            )
        )
    rings = tuple(
        (rating, _points([position(rating, i, count) for i in range(count)]))
        for rating in range(1, TOP_RATING + 1)
    )
    outlines = []
    for number, (name, ratings) in enumerate(series, start=1):
        if len(ratings) != count:
            raise ValueError("One rating (or None) per dimension.")
        outlines.append(
            Outline(
                name=name,
                css=f"radar-s{number}",
                points=_points([position(r, i, count) for i, r in enumerate(ratings)]),
                dots=tuple(
                    Dot(*position(r, i, count), label=f"{labels[i]}: {r}")
                    for i, r in enumerate(ratings)
                    if r is not None
                ),
                ratings=tuple(ratings),
                missing=tuple(labels[i] for i, r in enumerate(ratings) if r is None),
            )
        )
    return Radar(spokes=tuple(spokes), rings=rings, outlines=tuple(outlines))
