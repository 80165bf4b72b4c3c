"""On PostgreSQL, statements a connection runs again and again are kept prepared (planned once):
on by default, off with DATABASE_PREPARED_STATEMENTS=0 for a pooler that cannot keep them."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from centers.models import center_for_page
from tests.factories import make_center

ROOT = Path(__file__).resolve().parents[1]
SHOW_OPTIONS = (
    "import django; django.setup(); from django.conf import settings; "
    "print(sorted(settings.DATABASES['default'].get('OPTIONS', {}).items()))"
)


def options_with(**environment: str) -> str:
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_PREPARED_STATEMENTS"}
    env.update(DJANGO_SETTINGS_MODULE="directory.settings", SECRET_KEY="x", **environment)
    result = subprocess.run(
        [sys.executable, "-c", SHOW_OPTIONS],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout


def test_postgresql_connections_prepare_what_they_repeat_unless_told_not_to():
    url = "postgres://postgres@127.0.0.1:5432/unused"
    assert "('prepare_threshold', 5), ('server_side_binding', True)" in options_with(
        DATABASE_URL=url
    )
    assert "server_side_binding" not in options_with(
        DATABASE_URL=url, DATABASE_PREPARED_STATEMENTS="0"
    )
    # SQLite has no such thing.
    assert "server_side_binding" not in options_with(DATABASE_URL="sqlite:////tmp/unused.db")


@pytest.mark.postgres
@pytest.mark.django_db
def test_a_center_page_read_five_times_is_read_by_prepared_statements():
    centers = [make_center(therapies=["cbt"]) for _ in range(6)]

    def prepared() -> set[str]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT statement FROM pg_prepared_statements")
            return {row[0] for row in cursor.fetchall()}

    before = prepared()
    for center in centers:
        assert center_for_page(center.slug).pk == center.pk
    kept = prepared() - before
    # The center's row, its services and its terms: each planned once for this connection.
    assert len([sql for sql in kept if "centers_center" in sql]) >= 1
    assert len(kept) >= 3
