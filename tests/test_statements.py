"""directory.statements: a queryset compiled once gives, for any values put in its stand-ins'
places, exactly the rows the queryset built with those values gives."""

from datetime import UTC, datetime, time, timedelta

import pytest
from django.db.models import Case, F, Value, When

from directory.statements import (
    Statement,
    Statements,
    stand_in_ints,
    stand_in_text,
    stand_in_times,
)
from helplines.models import Advertiser, BusinessHours
from tests.factories import make_advertiser

pytestmark = pytest.mark.django_db

COLUMNS = ("id", "weekday", "opens", "advertiser__name", "advertiser__languages")


def hours_of(weekdays, created_since, name):
    return (
        BusinessHours.objects.filter(
            weekday__in=weekdays,
            advertiser__created_at__gte=created_since,
            advertiser__name=name,
        )
        .order_by("id")
        .values_list(*COLUMNS)
    )


def test_a_statement_reads_what_its_queryset_reads_for_other_values():
    make_advertiser(name="Alpha", hours=[(0, time(8), time(17)), (2, time(9), time(12))])
    spanish = make_advertiser(name="Beta", hours=[(2, time(7), time(19)), (5, time(0), time(0))])
    spanish.languages = ["en", "es"]
    spanish.save()
    days, since, name = stand_in_ints(2), stand_in_times(1)[0], stand_in_text("name")
    statement = Statement.select(hours_of(days, since, name), [*days, since, name])
    an_hour_ago = datetime.now(UTC) - timedelta(hours=1)
    for values in (
        [0, 2, an_hour_ago, "Alpha"],
        [2, 5, an_hour_ago, "Beta"],
        [2, 2, an_hour_ago, "Beta"],
        [1, 3, an_hour_ago, "Alpha"],  # not open on those days
        [0, 5, datetime.now(UTC) + timedelta(days=1), "Beta"],  # not created since
    ):
        expected = list(hours_of(values[:2], values[2], values[3]))
        assert statement.rows(values) == expected
    # Times and JSON lists come back converted, as the queryset gives them.
    assert statement.rows([2, 5, an_hour_ago, "Beta"])[0][2:] == (time(7), "Beta", ["en", "es"])


def test_an_update_statement_changes_what_its_queryset_would():
    first, second, third = (make_advertiser(weight=w) for w in (5, 3, 2))
    ids, (chosen, total) = stand_in_ints(2), stand_in_ints(2, after=2)
    statement = Statement.update(
        Advertiser.objects.filter(pk__in=ids),
        [*ids, chosen, total],
        current_weight=F("current_weight")
        + F("weight")
        - Case(When(pk=chosen, then=Value(total)), default=Value(0)),
    )
    assert statement.execute([first.pk, second.pk, first.pk, 8]) == 2
    assert statement.execute([second.pk, third.pk, third.pk, 5]) == 2
    weights = dict(Advertiser.objects.values_list("pk", "current_weight"))
    assert weights == {first.pk: 5 - 8, second.pk: 3 + 3, third.pk: 2 - 5}


def test_stand_ins_must_be_distinct_and_among_the_parameters():
    days = stand_in_ints(2)
    since, name = stand_in_times(1)[0], stand_in_text("name")
    with pytest.raises(ValueError, match="must differ"):
        Statement.select(hours_of(days, since, name), [days[0], days[0], since, name])
    with pytest.raises(ValueError, match="not among the parameters"):
        Statement.select(hours_of(days, since, name), [*days, since, name, stand_in_ints(1)[0] - 9])
    # A value that a lookup rewrites (startswith makes a LIKE pattern of it) cannot stand in.
    pattern = BusinessHours.objects.filter(advertiser__name__startswith=name)
    with pytest.raises(ValueError, match="not among the parameters"):
        Statement.select(pattern, [name])
    assert len(set(stand_in_ints(3) + stand_in_ints(3, after=3))) == 6
    assert len(set(stand_in_times(2) + stand_in_times(2, after=2))) == 4


def test_statements_are_kept_by_key_and_all_dropped_at_the_bound():
    compiled = []

    def compile_for(key):
        def compile():
            compiled.append(key)
            days = stand_in_ints(2)
            since, name = stand_in_times(1)[0], stand_in_text("name")
            return Statement.select(hours_of(days, since, name), [*days, since, name])

        return compile

    kept = Statements(limit=2)
    for key in ("a", "b", "a", "b"):
        kept.get(key, compile_for(key))
    assert compiled == ["a", "b"] and len(kept) == 2
    kept.get("c", compile_for("c"))  # at the bound: every one is dropped
    kept.get("a", compile_for("a"))
    assert compiled == ["a", "b", "c", "a"] and len(kept) == 2
