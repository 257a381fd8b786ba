"""The report's charts as PNG images drawn on the server: matplotlib with the Agg backend (no
display), 200 dpi, the site's colours (``followup.site.charts``), Swedish labels and numbers
("12,5 mnkr"). Each chart comes with the words that describe it, for its alt text.

One figure is drawn and cleared per chart: a report at national scale draws some forty of them,
and making a new figure each time costs more than drawing it.
"""

import io
import textwrap
from dataclasses import dataclass
from decimal import Decimal

import matplotlib

matplotlib.use("Agg")  # before pyplot: drawing to files, never to a screen

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

from core import formats  # noqa: E402
from followup.site.charts import MONEY_COLOURS, PALETTE  # noqa: E402

DPI = 200
WIDTH_INCHES = 6.5  # the text width of an A4 page with the report's margins
HALF_WIDTH_INCHES = 3.2  # two charts side by side
INK = "#1b1b1b"
MILLION = Decimal(1_000_000)

plt.rcParams.update(
    {
        "font.family": "DejaVu Sans",
        "font.size": 8,
        "axes.edgecolor": "#8a8a8a",
        "axes.labelcolor": INK,
        "xtick.color": INK,
        "ytick.color": INK,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "legend.frameon": False,
        # A label is the register's text as written: "$" in a name is a dollar sign, never
        # the start of a formula (mathtext would garble the name or fail the whole report).
        "text.parse_math": False,
    }
)


@dataclass
class Chart:
    png: bytes
    alt: str  # what the chart shows, in words and numbers


def _millions(value) -> float:
    return float(Decimal(value or 0) / MILLION)


def _axis_in_millions(axis) -> None:
    axis.set_major_formatter(FuncFormatter(lambda x, _pos: formats.number(x)))


class Charts:
    """Draws the report's charts on one reused figure."""

    def __init__(self):
        self.figure = plt.figure(figsize=(WIDTH_INCHES, 3))
        self.drawn = 0

    def _png(self) -> bytes:
        buffer = io.BytesIO()
        self.figure.savefig(buffer, format="png", dpi=DPI, bbox_inches="tight", pad_inches=0.08)
        self.figure.clear()
        self.drawn += 1
        return buffer.getvalue()

    def close(self) -> None:
        plt.close(self.figure)

    def grouped_bars(
        self,
        *,
        title: str,
        groups: list[tuple[str, list]],
        series: list[tuple[str, str]],
        width: float = HALF_WIDTH_INCHES,
    ) -> Chart:
        """Horizontal bars per group (a label), one bar for each series (name, colour), in
        millions of kronor; the value written after each bar."""
        height = 0.8 + 0.13 * len(series) * max(len(groups), 1) + 0.08 * len(groups)
        self.figure.set_size_inches(width, min(height, 8.5))
        axes = self.figure.add_subplot()
        bar = 0.8 / max(len(series), 1)
        top = max((_millions(v) for _label, row in groups for v in row), default=0) or 1
        for index, (name, colour) in enumerate(series):
            positions = [g + index * bar for g in range(len(groups))]
            values = [_millions(row[index]) for _label, row in groups]
            axes.barh(positions, values, height=bar * 0.92, color=colour, label=name)
            for y, value in zip(positions, values, strict=True):
                axes.text(
                    value + top * 0.01,
                    y,
                    formats.mnkr(value * 1_000_000),
                    va="center",
                    fontsize=7,
                    color=INK,
                )
        axes.set_yticks([g + bar * (len(series) - 1) / 2 for g in range(len(groups))])
        axes.set_yticklabels([textwrap.fill(label, 22) for label, _row in groups])
        axes.invert_yaxis()
        axes.set_xlim(0, top * 1.22)
        axes.set_xlabel("mnkr")
        _axis_in_millions(axes.xaxis)
        axes.set_title(textwrap.fill(title, 42), loc="left", fontsize=8.5, color=INK, pad=18)
        if len(series) > 1:
            axes.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncols=len(series), fontsize=7)
        alt = f"{title}. " + " ".join(
            f"{label}: "
            + ", ".join(
                f"{name.lower()} {formats.mnkr(value)}"
                for (name, _colour), value in zip(series, row, strict=True)
            )
            + "."
            for label, row in groups
        )
        return Chart(self._png(), alt)

    def stacked_bars(
        self, *, title: str, groups: list[tuple[str, list]], series: list[str]
    ) -> Chart:
        """One horizontal bar per group split into the series (in the site's palette), with the
        group's total after it; the legend above."""
        self.figure.set_size_inches(WIDTH_INCHES, 1.3 + 0.24 * len(groups))
        axes = self.figure.add_subplot()
        lefts = [0.0] * len(groups)
        totals = [sum(_millions(v) for v in row) for _label, row in groups]
        for index, name in enumerate(series):
            values = [_millions(row[index]) for _label, row in groups]
            axes.barh(
                range(len(groups)),
                values,
                left=lefts,
                color=PALETTE[index % len(PALETTE)],
                label=name,
                edgecolor="white",
                linewidth=0.5,
            )
            lefts = [left + value for left, value in zip(lefts, values, strict=True)]
        top = max(totals, default=0) or 1
        for y, total in enumerate(totals):
            axes.text(
                total + top * 0.01, y, formats.mnkr(total * 1_000_000), va="center", fontsize=7
            )
        axes.set_yticks(range(len(groups)))
        axes.set_yticklabels([label for label, _row in groups])
        axes.invert_yaxis()
        axes.set_xlim(0, top * 1.18)
        axes.set_xlabel("mnkr")
        _axis_in_millions(axes.xaxis)
        axes.set_title(title, loc="left", fontsize=9, color=INK, pad=26)
        axes.legend(
            loc="lower left", bbox_to_anchor=(0, 1.0), ncols=min(len(series), 3), fontsize=7.5
        )
        alt = f"{title}. " + " ".join(
            f"{label}: totalt {formats.mnkr(sum(Decimal(v or 0) for v in row))}, varav "
            + ", ".join(
                f"{name.lower()} {formats.mnkr(value)}"
                for name, value in zip(series, row, strict=True)
                if Decimal(value or 0)
            )
            + "."
            for label, row in groups
        )
        return Chart(self._png(), alt)


def money_series(*names: str) -> list[tuple[str, str]]:
    """Frame, decided and outcome by their Swedish names, in the site's colours."""
    keys = {"Ram": "frame", "Beslutat": "decided", "Utfall": "outcome"}
    return [(name, MONEY_COLOURS[keys[name]]) for name in names]
