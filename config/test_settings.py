"""Settings for the test suite: the real settings plus a fixed key and a fast hasher.

The database still comes from DATABASE_URL, so the same suite runs on SQLite and PostgreSQL.
"""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "test-only-key-never-used-outside-the-test-suite")

from config.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# The test client speaks plain HTTP; production's HTTPS-only settings are tested separately
# (tests/test_security.py runs `check --deploy` with the production settings).
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# The tests' data lives in a transaction that another thread cannot see: downloads are made in
# the request's thread (tests/test_download_priority.py turns the download thread on).
DOWNLOADS_IN_BACKGROUND = False
NOTICES_IN_BACKGROUND = False  # e-mail after a step: sent in the test's own thread
# Open-data zips of this run's databases only (a zip kept from another run could match its key).
OPEN_DATA_DIR = Path(tempfile.mkdtemp(prefix="open-data-"))  # noqa: F405

# SQLite: a test database in a file (not in memory), so that tests with two connections meet
# the same locking as the app does; durability does not matter here.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # TEST_SQLITE_NAME lets two runs on one machine keep apart (e.g. a second checkout).
    default_name = str(BASE_DIR / "db" / "test_followup.sqlite3")  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("TEST_SQLITE_NAME") or default_name}  # noqa: F405
    DATABASES["default"]["OPTIONS"]["init_command"] = (  # noqa: F405
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF"
    )
