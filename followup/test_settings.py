"""Settings for the test suite: the real settings plus a fixed key and a fast hasher.

The database still comes from DATABASE_URL, so the same suite runs on SQLite and PostgreSQL.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-only-key-never-used-outside-the-test-suite")

from followup.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
