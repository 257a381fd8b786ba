"""Builds the whole demo data set, county by county, inside one transaction.

Deterministic: every county draws from its own random.Random seeded with the seed and the
county code, dates are fixed, rows are created in a fixed order with bulk_create, so the same
options give the same data (and, on a fresh database or after --replace, the same ids).
Memory stays bounded: a county's projects and financing lines are built, inserted and dropped
before the next county.
"""

import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Sum

from agreements.models import (
    County,
    FinancingLine,
    FinancingSource,
    Organisation,
    OrganisationKind,
)
from core.raw_load import raw_load
from followup.demo import names
from followup.demo.audit import audited_bulk_create
from followup.demo.clusters import build_clusters
from followup.demo.organisations import (
    BATCH,
    OrgNumbers,
    build_public_bodies,
    make_associations,
    make_company,
)
from followup.demo.projects import build_projects
from followup.demo.register import build_agreement, build_partnerships
from followup.demo.reports import CountyEvidence, build_follow_up
from followup.demo.users import ensure_demo_users
from followup.demo.wipe import flush_register, reference_organisation_names

DEFAULT_PROJECTS = 400
DEFAULT_SEED = 2001


@dataclass
class BuildResult:
    seconds: float = 0.0
    projects_by_county: dict[str, int] = field(default_factory=dict)
    passwords: dict[str, str] = field(default_factory=dict)


def spread(total: int, weights: dict[str, float]) -> dict[str, int]:
    """Split ``total`` over the keys in proportion to the weights (largest remainder)."""
    weight_sum = sum(weights.values())
    exact = {k: total * w / weight_sum for k, w in weights.items()}
    result = {k: math.floor(v) for k, v in exact.items()}
    left = total - sum(result.values())
    for key in sorted(exact, key=lambda k: (result[k] - exact[k], k))[:left]:
        result[key] += 1
    return result


def county_weights(codes: list[str]) -> dict[str, float]:
    # Dampened by the square root, so Stockholm gets more projects than Gotland, not 30 times.
    return {code: math.sqrt(names.COUNTY_POPULATION.get(code, 250)) for code in codes}


def build_demo(
    *,
    projects: int = DEFAULT_PROJECTS,
    seed: int = DEFAULT_SEED,
    replace: bool = False,
    password: str | None = None,
    progress: Callable[[str], None] = lambda message: None,
) -> BuildResult:
    started = time.monotonic()
    result = BuildResult()
    with transaction.atomic():
        if replace:
            flush_register()
            progress("Tidigare register- och uppföljningsdata är borttagna.")
        counties = list(County.objects.order_by("code"))
        users = ensure_demo_users(counties, password)
        result.passwords = users.passwords

        kinds = {k.code: k for k in OrganisationKind.objects.all()}
        sources = {s.code: s for s in FinancingSource.objects.all()}
        lead_bodies = {
            org.county.code: org
            for org in Organisation.objects.filter(name__in=reference_organisation_names())
            .select_related("kind", "county")
            .order_by("pk")
        }
        national, actors_by_code = build_public_bodies(counties, lead_bodies)
        numbers = OrgNumbers()
        allocation = spread(projects, county_weights([c.code for c in counties]))
        evidence = []
        for county in counties:
            tick = time.monotonic()
            rng = random.Random(f"seed_demo:{seed}:{county.code}")
            actors = actors_by_code[county.code]
            count = allocation[county.code]
            taken: set[str] = set()
            clusters = build_clusters(rng, numbers, actors, kinds, taken)
            companies = [
                make_company(rng, numbers, actors, kinds, taken) for _ in range(max(8, count // 6))
            ]
            associations = make_associations(rng, numbers, actors, kinds, max(4, count // 30))
            audited_bulk_create(Organisation, companies + associations, batch_size=BATCH)
            actors.companies.extend(companies)
            actors.associations.extend(associations)
            parts = build_agreement(rng, actors, with_clusters=bool(clusters))
            partnerships = build_partnerships(rng, actors, parts, clusters)
            built = build_projects(
                rng, actors, national, parts, partnerships, clusters, sources, count
            )
            evidence.append(
                CountyEvidence(
                    county=county,
                    project_count=built.projects,
                    projects=built.evidence,
                    partnerships=partnerships,
                    clusters=[c for c, _spec, _actors in clusters],
                )
            )
            # Let go of the county's companies; only the few evidence objects are kept.
            actors.companies, actors.associations = [], []
            result.projects_by_county[county.code] = built.projects
            progress(
                f"  {county.short_name}: {swedish_number(built.projects)} projekt, "
                f"{swedish_number(built.lines)} finansieringsrader "
                f"({swedish_decimal(time.monotonic() - tick)} s)"
            )
        # The round as it stands months in: reports submitted, returned and approved.
        with raw_load(audit=True):
            build_follow_up(random.Random(f"seed_demo:{seed}:uppfoljning"), evidence, users)
    result.seconds = time.monotonic() - started
    return result


def swedish_number(value: int | float) -> str:
    return f"{value:,.0f}".replace(",", " ")


def swedish_decimal(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")


def decided_shares() -> tuple[float, dict[str, float]]:
    """Decided financing in the whole register: total and share per source category."""
    rows = (
        FinancingLine.objects.filter(kind=FinancingLine.Kind.DECIDED)
        .order_by()
        .values_list("source__category")
        .annotate(total=Sum("amount"))
    )
    totals = {category: float(total or 0) for category, total in rows}
    grand = sum(totals.values())
    shares = {
        category: (totals.get(category, 0.0) / grand if grand else 0.0)
        for category in FinancingSource.Category.values
    }
    return grand, shares
