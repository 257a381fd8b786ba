"""Charts as server-rendered inline SVG: no JavaScript, a title and description for screen
readers, and always a table beside them with the same numbers (the text alternative).

Amounts are written as everywhere else (``core.formats``): "1 234 567 kr", "1 234,5 mnkr".
"""

import math
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from core import formats

WIDTH = 760
LABEL_WIDTH = 230
VALUE_ROOM = 110
BAR = 16
GAP = 4
GROUP_GAP = 14
LEGEND = 26
# Distinguishable on white and with dark text beside them (contrast ≥ 3:1 for the bars).
# Frame, decided and outcome look the same in every chart, on the site and in the workbooks.
MONEY_COLOURS = {"frame": "#7fa7bd", "decided": "#0b4f6c", "outcome": "#c0692b"}
PALETTE = ["#0b4f6c", "#c0692b", "#5b7f2a", "#7a4c9c", "#9a7b00", "#6b6b6b"]


@dataclass
class Series:
    label: str
    colour: str


def _text(x, y, text, *, anchor="start", weight="normal", size=13) -> SafeString:
    return format_html(
        '<text x="{}" y="{}" text-anchor="{}" font-weight="{}" font-size="{}">{}</text>',
        x,
        y,
        anchor,
        weight,
        size,
        text,
    )


def _shorten(text: str, length: int = 30) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def _svg(*, height, title, description, body, label_id) -> SafeString:
    return format_html(
        '<svg class="chart" viewBox="0 0 {w} {h}" width="100%" role="img" '
        'aria-labelledby="{id}-t {id}-d" xmlns="http://www.w3.org/2000/svg">'
        '<title id="{id}-t">{title}</title><desc id="{id}-d">{desc}</desc>{body}</svg>',
        w=WIDTH,
        h=height,
        id=label_id,
        title=title,
        desc=description,
        body=body,
    )


def _legend(series: list[Series], y: int) -> list[SafeString]:
    parts, x = [], 10
    for item in series:
        parts.append(
            format_html(
                '<rect x="{}" y="{}" width="14" height="14" fill="{}"/>', x, y - 11, item.colour
            )
        )
        parts.append(_text(x + 20, y, item.label))
        x += 34 + 7 * len(item.label)
    return parts


def grouped_bars(
    *,
    label_id: str,
    title: str,
    description: str,
    series: list[Series],
    groups: list[tuple[str, list]],
    money=formats.mnkr,
) -> SafeString:
    """Horizontal bars: per group (a row label) one bar for each series, scaled to the largest."""
    values = [Decimal(v or 0) for _label, row in groups for v in row]
    top = max(values, default=Decimal(0)) or Decimal(1)
    room = WIDTH - LABEL_WIDTH - VALUE_ROOM
    parts = _legend(series, 16) if len(series) > 1 else []
    y = LEGEND if len(series) > 1 else 4
    for label, row in groups:
        group_height = len(row) * (BAR + GAP)
        parts.append(
            _text(LABEL_WIDTH - 8, y + group_height / 2 + 4, _shorten(label), anchor="end")
        )
        for value, item in zip(row, series, strict=True):
            length = math.ceil(float(Decimal(value or 0) / top) * room)
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}">'
                    "<title>{}: {}</title></rect>",
                    LABEL_WIDTH,
                    y,
                    length,
                    BAR,
                    item.colour,
                    item.label,
                    money(value),
                )
            )
            parts.append(_text(LABEL_WIDTH + length + 6, y + BAR - 3, money(value), size=12))
            y += BAR + GAP
        y += GROUP_GAP
    return _svg(
        height=y,
        title=title,
        description=description,
        body=mark_safe("".join(parts)),
        label_id=label_id,
    )


def stacked_bars(
    *,
    label_id: str,
    title: str,
    description: str,
    series: list[Series],
    groups: list[tuple[str, list]],
    money=formats.mnkr,
) -> SafeString:
    """One horizontal bar per group, split into the series; the total written after it."""
    totals = [sum((Decimal(v or 0) for v in row), Decimal(0)) for _label, row in groups]
    top = max(totals, default=Decimal(0)) or Decimal(1)
    room = WIDTH - LABEL_WIDTH - VALUE_ROOM
    parts = _legend(series, 16)
    y = LEGEND + 6
    for (label, row), total in zip(groups, totals, strict=True):
        parts.append(_text(LABEL_WIDTH - 8, y + BAR - 3, _shorten(label), anchor="end"))
        x = float(LABEL_WIDTH)
        for value, item in zip(row, series, strict=True):
            length = float(Decimal(value or 0) / top) * room
            if length > 0:
                parts.append(
                    format_html(
                        '<rect x="{}" y="{}" width="{}" height="{}" fill="{}" stroke="#ffffff">'
                        "<title>{}, {}: {}</title></rect>",
                        f"{x:.1f}",
                        y,
                        f"{length:.1f}",
                        BAR,
                        item.colour,
                        label,
                        item.label,
                        money(value),
                    )
                )
            x += length
        parts.append(_text(f"{x + 6:.1f}", y + BAR - 3, money(total), size=12))
        y += BAR + GAP + 4
    return _svg(
        height=y + 4,
        title=title,
        description=description,
        body=mark_safe("".join(parts)),
        label_id=label_id,
    )


def network(
    *, label_id: str, title: str, description: str, nodes: list[tuple[str, bool]], edges
) -> SafeString:
    """Actors on a circle (working-group members filled), links as lines: solid for vertical
    links along a value chain, dashed for horizontal ones. ``edges``: (from, to, vertical)."""
    size, radius = 420, 140
    centre = size / 2
    places = {}
    for i, (name, _in_group) in enumerate(nodes):
        angle = 2 * math.pi * i / max(len(nodes), 1) - math.pi / 2
        places[name] = (centre + radius * math.cos(angle), centre + radius * math.sin(angle))
    parts = []
    for source, target, vertical in edges:
        if source in places and target in places:
            (x1, y1), (x2, y2) = places[source], places[target]
            parts.append(
                format_html(
                    '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#4a4a4a" stroke-width="2"{}/>',
                    f"{x1:.1f}",
                    f"{y1:.1f}",
                    f"{x2:.1f}",
                    f"{y2:.1f}",
                    mark_safe("") if vertical else mark_safe(' stroke-dasharray="6 4"'),
                )
            )
    for name, in_group in nodes:
        x, y = places[name]
        anchor = "middle" if abs(x - centre) < 20 else ("start" if x > centre else "end")
        dx = 0 if anchor == "middle" else (12 if anchor == "start" else -12)
        dy = -14 if y < centre and anchor == "middle" else (22 if anchor == "middle" else 4)
        parts.append(
            format_html(
                '<circle cx="{}" cy="{}" r="8" fill="{}" stroke="#0b4f6c" stroke-width="2"/>',
                f"{x:.1f}",
                f"{y:.1f}",
                "#0b4f6c" if in_group else "#ffffff",
            )
        )
        parts.append(
            _text(f"{x + dx:.1f}", f"{y + dy:.1f}", _shorten(name, 26), anchor=anchor, size=12)
        )
    body = format_html_join("", "{}", ((p,) for p in parts))
    return format_html(
        '<svg class="chart network" viewBox="-150 0 {w} {h}" width="100%" role="img" '
        'aria-labelledby="{id}-t {id}-d" xmlns="http://www.w3.org/2000/svg">'
        '<title id="{id}-t">{title}</title><desc id="{id}-d">{desc}</desc>{body}</svg>',
        w=size + 300,
        h=size,
        id=label_id,
        title=title,
        desc=description,
        body=body,
    )
