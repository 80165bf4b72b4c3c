"""Catalog reads on the replica, everything else on the primary (directory.routers)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connections, transaction
from django.test.utils import CaptureQueriesContext

from centers.models import Center, Claim, Reminder
from helplines.models import Advertiser
from tests.factories import make_center

ROOT = Path(__file__).resolve().parents[1]

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, databases=["default", "replica"]),
]


@pytest.fixture
def replica(settings):
    """The replica alias mirrors the test database (tests/conftest.py); turn the router on."""
    settings.DATABASE_REPLICA_URL = "postgres://replica.invalid/directory"
    return settings


class Queries:
    def __init__(self) -> None:
        self.primary = CaptureQueriesContext(connections["default"])
        self.replica = CaptureQueriesContext(connections["replica"])

    def __enter__(self) -> "Queries":
        self.primary.__enter__()
        self.replica.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        self.replica.__exit__(*exc)
        self.primary.__exit__(*exc)


def test_catalog_reads_go_to_the_replica_and_writes_to_the_primary(replica):
    with Queries() as queries:
        center = make_center(name="Harbor House")
    assert queries.primary.captured_queries and not queries.replica.captured_queries

    with Queries() as queries:
        assert Center.objects.get(pk=center.pk).name == "Harbor House"
    assert len(queries.replica) == 1 and not queries.primary.captured_queries


def test_helplines_reads_stay_on_the_primary(replica):
    with Queries() as queries:
        list(Advertiser.objects.all())
    assert len(queries.primary) == 1 and not queries.replica.captured_queries


def test_claims_and_reminders_are_read_from_the_primary(replica):
    """They live in centers but are no catalog: the code page reads back the claim the request
    before it wrote, which a lagging replica may not have yet."""
    with Queries() as queries:
        list(Claim.objects.all())
        list(Reminder.objects.all())
    assert len(queries.primary) == 2 and not queries.replica.captured_queries


def test_reads_inside_a_transaction_stay_on_the_primary(replica):
    with Queries() as queries, transaction.atomic():
        center = make_center()
        Center.objects.filter(pk=center.pk).update(name="Renamed")
        assert Center.objects.get(pk=center.pk).name == "Renamed"
    assert not queries.replica.captured_queries


def test_public_pages_read_the_catalog_from_the_replica(replica, client):
    center = make_center()
    with Queries() as queries:
        assert client.get(center.get_absolute_url()).status_code == 200
    replica_sql = [query["sql"] for query in queries.replica.captured_queries]
    assert replica_sql
    # Only reads of catalog models (a center's paid badge is a subquery within one of them);
    # the helplines' own reads (the site's numbers on every page) stay on the primary.
    # (A UNION of reads starts with a parenthesis.)
    assert all(
        sql.lstrip("(").startswith("SELECT") and 'FROM "centers_' in sql for sql in replica_sql
    )
    assert any('FROM "helplines_' in q["sql"] for q in queries.primary.captured_queries)


def test_posts_and_the_admin_read_only_the_primary(replica, client):
    center = make_center()
    with Queries() as queries:
        client.post(f"/centers/{center.slug}/report/", {"kind": "closed", "details": "Shut."})
        client.get("/admin/login/")
    assert queries.primary.captured_queries and not queries.replica.captured_queries


def test_without_a_replica_setting_everything_uses_one_database(settings):
    settings.DATABASE_REPLICA_URL = ""
    with Queries() as queries:
        make_center()
        list(Center.objects.all())
    assert not queries.replica.captured_queries


def test_the_replica_setting_adds_a_mirrored_alias():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DATABASES['replica']['HOST'], s.DATABASES['replica']['TEST']['MIRROR'])"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "directory.settings",
        "DATABASE_REPLICA_URL": "postgres://reader@replica.example:5432/directory",
    }
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.stdout.split() == ["replica.example", "default"], result.stderr
