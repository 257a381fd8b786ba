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
NETWORK_LABEL = 136  # px a network's label may take beside its point (the drawing's margin)
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


# Widths of characters in ems, generous for the sans-serif fonts a browser may pick
# (DejaVu Sans, the widest common one, on Linux): a label measured so never runs out of room.
_NARROW = set("fijlrtI.,:;'!|()[] -")
_WIDE = set("mwMW@%&")


def text_width(text: str, size: float = 13) -> float:
    """The width ``text`` takes at ``size`` px, estimated on the generous side."""
    ems = 0.0
    for char in text:
        if char in _NARROW:
            ems += 0.36
        elif char in _WIDE:
            ems += 0.92
        elif char.isupper() or char.isdigit():
            ems += 0.70
        else:
            ems += 0.62
    return ems * size


def wrap(text: str, width: float, size: float = 13) -> list[str]:
    """``text`` in lines no wider than ``width`` px, broken between words; a word longer
    than a line is broken after a hyphen or, failing that, where it must (never cut)."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if text_width(candidate, size) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        line = word
        while text_width(line, size) > width:  # one word wider than the line
            cut = max(1, _fitting(line, width, size))
            lines.append(line[:cut])
            line = line[cut:]
    if line:
        lines.append(line)
    return lines or [""]


def _fitting(word: str, width: float, size: float) -> int:
    """How many characters of ``word`` fit in ``width``, ending after a hyphen if one fits."""
    fit = 0
    while fit < len(word) and text_width(word[: fit + 1], size) <= width:
        fit += 1
    hyphen = word.rfind("-", 0, fit)
    return hyphen + 1 if hyphen > 0 else fit


LINE = 15  # px between the lines of a wrapped label at 13 px


def _lines(x, y, lines: list[str], *, anchor="start", size=13) -> SafeString:
    """A label of several lines, the first at ``y``."""
    spans = format_html_join(
        "",
        '<tspan x="{}" dy="{}">{}</tspan>',
        ((x, 0 if i == 0 else LINE, line) for i, line in enumerate(lines)),
    )
    return format_html(
        '<text x="{}" y="{}" text-anchor="{}" font-size="{}">{}</text>', x, y, anchor, size, spans
    )


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


def _legend(series: list[Series], y: int) -> tuple[list[SafeString], int]:
    """The series' swatches and names in rows across the chart, as many rows as they need;
    the parts and the height they take."""
    parts, x, top = [], 10.0, y
    for item in series:
        width = 20 + text_width(item.label) + 22
        if x > 10 and x + width > WIDTH:
            x, y = 10.0, y + LEGEND - 4
        parts.append(
            format_html(
                '<rect x="{}" y="{}" width="14" height="14" fill="{}"/>',
                f"{x:.1f}",
                y - 11,
                item.colour,
            )
        )
        parts.append(_text(f"{x + 20:.1f}", y, item.label))
        x += width
    return parts, y - top + LEGEND


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
    parts, y = _legend(series, 16) if len(series) > 1 else ([], 4)
    for label, row in groups:
        lines = wrap(label, LABEL_WIDTH - 16)
        group_height = len(row) * (BAR + GAP)
        label_height = len(lines) * LINE
        parts.append(
            _lines(
                LABEL_WIDTH - 8,
                y + max(group_height - label_height, 0) / 2 + 11,
                lines,
                anchor="end",
            )
        )
        start = y
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
        y = max(y, start + label_height) + GROUP_GAP
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
    parts, y = _legend(series, 16)
    y += 6
    for (label, row), total in zip(groups, totals, strict=True):
        lines = wrap(label, LABEL_WIDTH - 16)
        parts.append(_lines(LABEL_WIDTH - 8, y + BAR - 3, lines, anchor="end"))
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
        y += max(BAR, (len(lines) - 1) * LINE + BAR) + GAP + 4
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
        lines = wrap(name, NETWORK_LABEL, size=12)
        if anchor == "middle" and y < centre:  # above the point: the last line nearest it
            dy -= (len(lines) - 1) * LINE
        elif anchor != "middle":  # beside the point: the lines centred on it
            dy -= (len(lines) - 1) * LINE / 2
        parts.append(_lines(f"{x + dx:.1f}", f"{y + dy:.1f}", lines, anchor=anchor, size=12))
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
