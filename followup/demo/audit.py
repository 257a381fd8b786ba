"""Bulk inserts that leave an audit trail, like every other write in the system."""

from simple_history.utils import bulk_create_with_history

CHANGE_REASON = "Demodata (seed_demo)"


def audited_bulk_create(model, objs, batch_size=None):
    """bulk_create plus one history row per object ("+", reason "Demodata (seed_demo)")."""
    return bulk_create_with_history(
        list(objs), model, batch_size=batch_size, default_change_reason=CHANGE_REASON
    )
