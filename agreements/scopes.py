"""What the register's models are, for access (``core.access``): declared here, once.

Each county's register — agreements with their areas, measures and frames, partnerships with
their members, projects with their financing, clusters with their actors and links — belongs
to the county its path leads to. Reference data is shared. Organisations are shared too, and a
coordinator keeps (and adds) those of their own county — and one of no home county that they
registered themselves, until it gets one.
"""

from core.access import Scope, register

COUNTY_PATHS = {
    "agreements.agreement": "county",
    "agreements.priorityarea": "agreement__county",
    "agreements.measure": "agreement__county",
    "agreements.financialframe": "agreement__county",
    "agreements.partnership": "county",
    "agreements.partnershipmember": "partnership__county",
    "agreements.project": "county",
    "agreements.financingline": "project__county",
    "agreements.cluster": "county",
    "agreements.clusteractor": "cluster__county",
    "agreements.clusterlink": "cluster__county",
}


def register_scopes() -> None:
    for label, path in COUNTY_PATHS.items():
        register(label, Scope(county=path))
    register("agreements.county", Scope(shared=True, county_itself=True))
    for label in (
        "agreements.municipality",
        "agreements.organisationkind",
        "agreements.financingsource",
    ):
        register(label, Scope(shared=True))
    register(
        "agreements.organisation",
        Scope(shared=True, kept_by_county="county", kept_by_creator="created_by"),
    )


register_scopes()  # at import: the models' package imports this, so it is done before any admin
