"""The register: geography, actors, agreements, partnerships, projects and clusters."""

# What each model is, for access (core.access), declared with the models themselves.
from agreements import scopes  # noqa: E402, F401, I001
from agreements.models.agreements import (
    Agreement,
    FinancialFrame,
    FinancingSource,
    Measure,
    PriorityArea,
)
from agreements.models.clusters import Cluster, ClusterActor, ClusterLink
from agreements.models.geography import County, Municipality
from agreements.models.organisations import Organisation, OrganisationKind
from agreements.models.partnerships import Partnership, PartnershipMember
from agreements.models.projects import FinancingLine, Project
from agreements.models.totals import FinancingTotal, ProjectTotal

__all__ = [
    "Agreement",
    "Cluster",
    "ClusterActor",
    "ClusterLink",
    "County",
    "FinancialFrame",
    "FinancingLine",
    "FinancingSource",
    "FinancingTotal",
    "Measure",
    "Municipality",
    "Organisation",
    "OrganisationKind",
    "Partnership",
    "PartnershipMember",
    "PriorityArea",
    "Project",
    "ProjectTotal",
]
