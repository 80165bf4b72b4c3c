from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from centers.models import Center
from helplines.models import Advertiser, CallAttempt, Helpline, hash_caller, is_paid_advertiser
from tests.factories import make_advertiser, make_center, make_helpline

pytestmark = pytest.mark.django_db


class TestIsPaidAdvertiser:
    def test_annotates_centers_in_one_query(self, django_assert_num_queries):
        paying = make_center(name="Paying")
        lapsed = make_center(name="Lapsed")
        make_center(name="Never")
        make_advertiser(center=paying)
        make_advertiser(center=lapsed, starts_on=date(2020, 1, 1), ends_on=date(2021, 1, 1))
        with django_assert_num_queries(1):
            flags = dict(
                Center.objects.annotate(is_paid_advertiser=is_paid_advertiser()).values_list(
                    "name", "is_paid_advertiser"
                )
            )
        assert flags == {"Paying": True, "Lapsed": False, "Never": False}

    def test_outer_field_can_be_named(self):
        center = make_center()
        make_advertiser(center=center)
        helpline = make_helpline(kind=Helpline.Kind.CENTER, center=center)
        flagged = Helpline.objects.annotate(paid=is_paid_advertiser(center="center")).get()
        assert flagged == helpline
        assert flagged.paid is True


class TestPythonAndSqlAgree:
    """Routing checks dates and hours in Python; listings in SQL. They must never disagree."""

    def test_over_a_week_that_crosses_a_daylight_saving_change(self):
        evening = [(day, time(18), time(0)) for day in range(7)]
        office = [(day, time(9), time(17)) for day in range(5)]
        overnight = [(4, time(20), time(0)), (5, time(0), time(2))]
        advertisers = [
            make_advertiser(time_zone=zone, hours=hours, ends_on=date(2030, 3, 12))
            for zone in ("America/New_York", "America/Phoenix", "Pacific/Guam", "Pacific/Honolulu")
            for hours in (evening, office, overnight)
        ]
        loaded = list(Advertiser.objects.prefetch_related("hours"))
        # US clocks change on Sunday 10 March 2030 at 2 a.m.
        start = datetime(2030, 3, 7, 0, 30, tzinfo=UTC)
        for step in range(0, 7 * 24 * 2):
            when = start + timedelta(minutes=30 * step)
            in_sql = set(Advertiser.objects.current(when).open_at(when))
            in_python = {a for a in loaded if a.is_current_at(when) and a.is_open_at(when)}
            assert in_sql == in_python, when
        assert len(advertisers) == 12


class TestConstraints:
    def test_a_center_line_needs_its_center(self):
        with pytest.raises(IntegrityError):
            make_helpline(kind=Helpline.Kind.CENTER, center=None)

    def test_a_general_line_has_no_center(self):
        with pytest.raises(IntegrityError):
            make_helpline(kind=Helpline.Kind.GENERAL, center=make_center())

    def test_hours_must_close_after_opening_or_at_midnight(self):
        with pytest.raises(IntegrityError):
            make_advertiser(hours=[(0, time(17), time(9))])

    def test_an_attempt_names_exactly_its_destination(self, detox_line):
        call = detox_line.calls.create(call_sid="CA0001")
        with pytest.raises(IntegrityError):
            CallAttempt.objects.create(
                call=call, order=1, destination="fallback", advertiser=make_advertiser()
            )


class TestValidation:
    def test_numbers_are_stored_in_e164(self):
        helpline = Helpline(label="Detox", slug="detox", number="(202) 555-0101")
        helpline.full_clean()
        assert helpline.number == "+12025550101"

    def test_a_helpline_number_has_no_extension(self):
        helpline = Helpline(label="Detox", slug="detox", number="202-555-0101 x12")
        with pytest.raises(ValidationError, match="extension"):
            helpline.full_clean()

    def test_advertiser_number_must_be_a_phone_number(self):
        advertiser = make_advertiser()
        advertiser.intake_number = "call us"
        with pytest.raises(ValidationError):
            advertiser.full_clean()


class TestHashCaller:
    def test_one_phone_one_hash_whatever_the_format(self):
        assert hash_caller("+12025550177") == hash_caller("(202) 555-0177") != ""
        assert len(hash_caller("+12025550177")) == 64

    def test_keyed(self, settings):
        before = hash_caller("+12025550177")
        settings.CALLER_HASH_KEY = "another key"
        assert hash_caller("+12025550177") != before

    @pytest.mark.parametrize("withheld", ["", "anonymous", "+266696687", "Restricted", "nope"])
    def test_withheld_numbers_have_no_hash(self, withheld):
        assert hash_caller(withheld) == ""


def test_weekly_hours_group_days_with_the_same_hours():
    advertiser = make_advertiser(
        hours=[(day, time(8), time(20)) for day in range(5)] + [(5, time(9), time(0))]
    )
    assert advertiser.weekly_hours() == [
        ("Monday to Friday", "8:00 AM to 8:00 PM"),
        ("Saturday", "9:00 AM to midnight"),
        ("Sunday", "Closed"),
    ]
    assert make_advertiser().weekly_hours() == [("Monday to Sunday", "24 hours")]


class TestForNumber:
    def test_finds_a_line_by_its_number_in_any_format(self, django_assert_num_queries):
        line = make_helpline(label="Detox", number="+12025550101")
        inactive = make_helpline(label="Old", number="+12025550102", active=False)
        with django_assert_num_queries(1):
            assert Helpline.objects.for_number("(202) 555-0101") == line
        found = Helpline.objects.for_number("+1 202 555 0102")
        assert found == inactive and found.label == "Old" and not found.active
        assert found.offers_spanish == inactive.offers_spanish

    def test_no_line_for_an_unknown_or_invalid_number(self, django_assert_num_queries):
        make_helpline(number="+12025550101")
        with django_assert_num_queries(0):
            assert Helpline.objects.for_number("not a number") is None
        assert Helpline.objects.for_number("+12025550199") is None

    def test_refuses_a_filtered_queryset(self):
        # Its statement reads the whole table: a filter would be silently ignored.
        with pytest.raises(TypeError, match="call it on the manager"):
            Helpline.objects.active().for_number("+12025550101")
