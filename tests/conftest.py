import os

import pytest
from django.db import connection

# .ci/run sets this: there, PostgreSQL, the shared SAMHSA file and Chromium are all present, so a
# test that needs one of them and skips is a failure, not a footnote.
STRICT = os.environ.get("STRICT_TEST_ENVIRONMENT") == "1"
MUST_RUN_MARKERS = ("postgres", "shared_data", "browser")


def pytest_collection_modifyitems(config, items):
    """Tests marked ``postgres`` need PostgreSQL's row locks; on SQLite they skip, saying so."""
    if connection.vendor == "postgresql":
        return
    if STRICT:
        raise pytest.UsageError("STRICT_TEST_ENVIRONMENT=1 but DATABASE_URL is not PostgreSQL")
    skip = pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL (make test does in CI)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if STRICT and report.skipped and any(m in item.keywords for m in MUST_RUN_MARKERS):
        report.outcome = "failed"
        report.longrepr = f"skipped in a strict environment, which must run it: {report.longrepr}"
    return report


@pytest.fixture(autouse=True)
def plain_static_files(settings):
    """Serve static files unhashed: tests run without `collectstatic` and its manifest."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """A ``replica`` alias that mirrors the test database, as a read replica would in production.

    The router only uses it while ``DATABASE_REPLICA_URL`` is set, which the router's tests do
    (tests/test_routers.py); every other test runs on the one database.
    """
    from copy import deepcopy

    from django.conf import settings
    from django.db import connections

    if "replica" not in settings.DATABASES and connection.vendor == "postgresql":
        replica = deepcopy(connections.settings["default"])
        replica["TEST"] = {**replica["TEST"], "MIRROR": "default"}
        settings.DATABASES["replica"] = replica


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Django's advice for tests: a deliberately slow hasher only slows the suite down."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def english_to_begin_with():
    """Each test starts in English. A request to /es/ made by the test client activates Spanish
    in the test's own thread (as it would in a server's), and reverse() would then keep giving
    /es/ addresses to the tests that follow."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.activate("en")


@pytest.fixture(autouse=True)
def empty_shared_cache():
    """Each test starts with an empty default cache: what one test counted and kept (call
    statistics, rate limits) must not show up in the next one's pages."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def general_lines_read_afresh(settings):
    """Every page reads the general helplines from the test's own database, as the query
    counts the tests assert expect: a process keeps them for a few seconds in production
    (SITE_NUMBERS_SECONDS, tested on its own), and a rolled-back test deletes its lines
    without a signal."""
    from helplines.context_processors import forget_general_lines

    settings.SITE_NUMBERS_SECONDS = 0
    forget_general_lines()
