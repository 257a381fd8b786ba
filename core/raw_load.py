"""Raw loading: restoring a backup or building the demo data writes the past exactly as it was.

While ``raw_load()`` is active the report lock lets the rows of submitted and approved reports
(and their evidence links) be put back, and no audit rows are written (the file carries its own
history). ``manage.py loaddata`` (our override) enters it; ``seed_demo`` enters it with
``audit=True``, since the demo data's rows get an audit record like any other write.
"""

from contextlib import contextmanager, nullcontext
from contextvars import ContextVar

from django.test.utils import override_settings

_loading = ContextVar("raw_load", default=False)


def loading_raw() -> bool:
    return _loading.get()


@contextmanager
def raw_load(*, audit: bool = False):
    token = _loading.set(True)
    try:
        with nullcontext() if audit else override_settings(SIMPLE_HISTORY_ENABLED=False):
            yield
    finally:
        _loading.reset(token)
