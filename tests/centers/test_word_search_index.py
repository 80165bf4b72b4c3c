"""The word search can be answered from the trigram indexes on PostgreSQL."""

import pytest
from django.db import connection

from centers.models import Center
from tests.factories import make_center

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="trigram indexes exist on PostgreSQL only"
    ),
]


def test_each_searched_column_has_a_trigram_index():
    make_center(name="Harbor Recovery House", city="Portland")
    queryset = Center.objects.matching_words("recovery")
    # Unordered and unfiltered otherwise, so no other index can stand in for the trigram ones.
    sql, params = queryset.order_by().query.sql_with_params()
    with connection.cursor() as cursor:
        # Few test rows make a scan the cheaper plan; forbid it to see whether an index applies.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    for column in ("name", "secondary_name", "city"):
        assert f"center_{column}_trgm_idx" in plan, plan
    assert [center.name for center in queryset] == ["Harbor Recovery House"]
