"""Varied register data from a seed, and the sums expected of it, added up here line by line.

A wrong total once hid behind test data with one outcome line per project. This builds
agreements with one to three priority areas, frames from several sources and years, and
projects with any number of financing lines — decided and outcome, in every source category,
in years before, in and after the round's year, with edge amounts (0, 0,01, 999 999 999,99) —
and keeps its own ledger of what every total must be. The ledger is computed from the lines as
they were written, never by the code under test.
"""

import random
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from agreements.models import FinancingLine, FinancingSource
from tests import builders

YEARS = (2000, 2001, 2002, 2003)
EDGE_AMOUNTS = ("0", "0.01", "1", "999999999.99", "250000.50")
DECIDED, OUTCOME = FinancingLine.Kind.DECIDED, FinancingLine.Kind.OUTCOME
ZERO = Decimal(0)


def _sums():
    return defaultdict(lambda: ZERO)


@dataclass
class Ledger:
    """What every total over the generated data must be, for the round's ``year``."""

    year: int
    counties: list[str] = field(default_factory=list)
    # reference number → category → decided up to the year; → outcome up to the year
    project_decided: dict = field(default_factory=lambda: defaultdict(_sums))
    project_outcome: dict = field(default_factory=_sums)
    project_county: dict = field(default_factory=dict)
    # reference number → decided in every year (the project lists show the project's whole sum)
    project_decided_ever: dict = field(default_factory=_sums)
    # county → category → kind → amount up to the year
    by_category: dict = field(default_factory=lambda: defaultdict(lambda: defaultdict(_sums)))
    # county → "1. Näringsliv" → frame/decided/outcome up to the year
    by_area: dict = field(default_factory=lambda: defaultdict(lambda: defaultdict(_sums)))
    # (reference, kind) → the amounts of its lines up to the year, one entry per line
    lines: dict = field(default_factory=lambda: defaultdict(list))

    def county_total(self, code: str, kind: str = DECIDED) -> Decimal:
        return sum((amounts[kind] for amounts in self.by_category[code].values()), ZERO)

    def national(self, category: str, kind: str = DECIDED) -> Decimal:
        return sum((self.by_category[code][category][kind] for code in self.counties), ZERO)


def _amount(rng: random.Random) -> Decimal:
    if rng.random() < 0.3:
        return Decimal(rng.choice(EDGE_AMOUNTS))
    return Decimal(rng.randrange(0, 5_000_000_00)) / 100


def world(seed: int, *, counties=("04", "05", "12"), year: int = 2001, empty="09") -> Ledger:
    """Agreements for ``counties`` with varied projects and financing, and one for ``empty``
    with priority areas and frames but no projects at all."""
    rng = random.Random(seed)
    sources = list(FinancingSource.objects.order_by("sort_order", "code"))
    assert {s.category for s in sources} == set(FinancingSource.Category.values)
    ledger = Ledger(year=year, counties=[*counties, empty])
    for code in [*counties, empty]:
        agreement = builders.agreement(county_code=code)
        areas = []
        for number in range(1, rng.randint(1, 3) + 1):
            area = builders.priority_area(
                agreement_obj=agreement, number=number, name=f"Område {number}"
            )
            label = f"{number}. Område {number}"
            ledger.by_area[code][label]  # an area without money still has its row
            for frame_year in rng.sample(YEARS, rng.randint(0, 3)):
                amount = _amount(rng)
                builders.frame(
                    area=area, year=frame_year, amount=amount, source_obj=rng.choice(sources)
                )
                if frame_year <= year:
                    ledger.by_area[code][label]["frame"] += amount
            measures = [
                builders.measure(area=area, number=n, name=f"Åtgärd {n}")
                for n in range(1, rng.randint(1, 2) + 1)
            ]
            areas.append((label, measures))
        if code == empty:
            continue
        for _i in range(rng.randint(2, 6)):
            label, measures = rng.choice(areas)
            project = builders.project(measure_obj=rng.choice(measures))
            reference = project.reference_number
            ledger.project_county[reference] = code
            ledger.project_decided[reference]  # a project without lines still has its row
            ledger.project_decided_ever[reference]
            for _j in range(rng.randint(0, 9)):
                source, kind = rng.choice(sources), rng.choice((DECIDED, OUTCOME))
                line_year, amount = rng.choice(YEARS), _amount(rng)
                builders.financing_line(
                    project_obj=project, amount=amount, year=line_year, kind=kind,
                    source_obj=source,
                )  # fmt: skip
                if kind == DECIDED:
                    ledger.project_decided_ever[reference] += amount
                if line_year > year:
                    continue
                ledger.lines[reference, kind].append(amount)
                if kind == DECIDED:
                    ledger.project_decided[reference][source.category] += amount
                else:
                    ledger.project_outcome[reference] += amount
                ledger.by_category[code][source.category][kind] += amount
                ledger.by_area[code][label][kind] += amount
    return ledger
