"""Raw loading: restoring a backup or loading a fixture writes the file exactly as it is.

While ``raw_load()`` is active no audit rows are written (the file carries its own history),
and the report lock does not refuse the evidence links of approved observations being put
back. Only ``manage.py loaddata`` (our override) enters it.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.test.utils import override_settings

_loading = ContextVar("raw_load", default=False)


def loading_raw() -> bool:
    return _loading.get()


@contextmanager
def raw_load():
    token = _loading.set(True)
    try:
        with override_settings(SIMPLE_HISTORY_ENABLED=False):
            yield
    finally:
        _loading.reset(token)
