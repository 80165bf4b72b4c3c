"""Routing rules (helplines.services): rotation, hours, caps, failover and the fallback."""

from collections import Counter
from datetime import UTC, date, datetime, time, timedelta

import pytest

from helplines import services
from helplines.models import Advertiser, AnsweredBy, Call, CallAttempt
from helplines.services import Announcement, routing, smooth_weighted_choice
from tests.factories import make_advertiser

from .conftest import new_call_sid

pytestmark = pytest.mark.django_db

# Tuesday 15 January 2030, 20:00 UTC: 15:00 in New York, 12:00 in Los Angeles (winter time).
TUESDAY_20_UTC = datetime(2030, 1, 15, 20, 0, tzinfo=UTC)


def route(helpline, *, now=TUESDAY_20_UTC, call_sid=None):
    return services.route_call(
        helpline=helpline,
        call_sid=call_sid or new_call_sid(),
        caller_number="+12025550177",
        to_number=helpline.number if helpline else "+12025550199",
        now=now,
    )


def fail(step, *, status="no-answer", now=TUESDAY_20_UTC):
    return services.record_dial_result(
        call_sid=step.attempt.call.call_sid,
        attempt_order=step.attempt.order,
        dial_status=status,
        now=now,
    )


def answered_advertiser(step) -> Advertiser | None:
    return step.attempt.advertiser if step.attempt else None


class TestSmoothWeightedChoice:
    def test_interleaves_like_nginx(self):
        peers = [Advertiser(pk=1, weight=5), Advertiser(pk=2, weight=1), Advertiser(pk=3, weight=1)]
        picks = [smooth_weighted_choice(peers).pk for _ in range(7)]
        # nginx's documented sequence for weights 5/1/1: a a b a c a a
        assert picks == [1, 1, 2, 1, 3, 1, 1]

    def test_weights_5_3_2_give_5_3_2_in_every_ten(self):
        peers = [Advertiser(pk=1, weight=5), Advertiser(pk=2, weight=3), Advertiser(pk=3, weight=2)]
        for _ in range(20):
            assert Counter(smooth_weighted_choice(peers).pk for _ in range(10)) == {
                1: 5,
                2: 3,
                3: 2,
            }


class TestRotation:
    def test_weights_5_3_2_over_1000_calls_give_exactly_500_300_200(self, advertisers, detox_line):
        names = advertisers.by_pk()
        counts = Counter(names[route(detox_line).attempt.advertiser_id] for _ in range(1000))
        assert counts == {"maple": 500, "birch": 300, "cedar": 200}
        assert Call.objects.count() == 1000
        # A full number of turns brings the rotation back to where it started.
        assert set(Advertiser.objects.values_list("current_weight", flat=True)) == {0}

    def test_rotation_state_is_kept_in_the_database(self, advertisers, detox_line):
        route(detox_line)
        advertisers.maple.refresh_from_db()
        advertisers.birch.refresh_from_db()
        advertisers.cedar.refresh_from_db()
        # One step of 5/3/2: maple chosen (5 - 10), birch +3, cedar +2.
        assert (
            advertisers.maple.current_weight,
            advertisers.birch.current_weight,
            advertisers.cedar.current_weight,
        ) == (-5, 3, 2)

    def test_ineligible_advertisers_keep_their_place(self, advertisers, detox_line):
        advertisers.cedar.active = False
        advertisers.cedar.save()
        counts = Counter(route(detox_line).attempt.advertiser_id for _ in range(8))
        assert counts == {advertisers.maple.pk: 5, advertisers.birch.pk: 3}
        advertisers.cedar.refresh_from_db()
        assert advertisers.cedar.current_weight == 0


def test_routing_compiles_its_statements_once_per_shape(advertisers, detox_line):
    routing._statements.clear()
    route(detox_line)
    kept = len(routing._statements)  # the hours locked, the calls counted, the rotation
    assert kept == 3
    for _ in range(4):
        route(detox_line)
    assert len(routing._statements) == kept
    # A second attempt skips the advertiser tried and reviews it: other shapes.
    fail(route(detox_line))
    assert len(routing._statements) > kept


class TestHours:
    """Business hours are read in each advertiser's own time zone."""

    NINE_TO_FIVE = [(day, time(9), time(17)) for day in range(5)]

    def test_open_only_inside_local_hours(self, detox_line):
        los_angeles = make_advertiser(time_zone="America/Los_Angeles", hours=self.NINE_TO_FIVE)
        # 12:00 in Los Angeles.
        assert answered_advertiser(route(detox_line)) == los_angeles
        # 04:00 in Los Angeles, though 12:00 UTC is within 9-17 by UTC.
        early = datetime(2030, 1, 15, 12, 0, tzinfo=UTC)
        step = route(detox_line, now=early)
        assert step.attempt.destination == CallAttempt.Destination.FALLBACK
        assert step.announcement == Announcement.NO_ADVERTISER_AVAILABLE

    def test_time_zones_differ_at_the_same_instant(self, detox_line):
        new_york = make_advertiser(time_zone="America/New_York", hours=self.NINE_TO_FIVE)
        los_angeles = make_advertiser(time_zone="America/Los_Angeles", hours=self.NINE_TO_FIVE)
        # 23:00 UTC: 18:00 in New York (closed), 15:00 in Los Angeles (open).
        evening = datetime(2030, 1, 15, 23, 0, tzinfo=UTC)
        assert {answered_advertiser(route(detox_line, now=evening)) for _ in range(3)} == {
            los_angeles
        }
        # 15:00 UTC: 10:00 in New York (open), 07:00 in Los Angeles (closed).
        morning = datetime(2030, 1, 15, 15, 0, tzinfo=UTC)
        assert answered_advertiser(route(detox_line, now=morning)) == new_york

    def test_weekday_is_the_local_weekday(self, detox_line):
        # Monday 02:00 UTC is still Sunday 18:00 in Los Angeles: closed on a weekday-only plan.
        make_advertiser(time_zone="America/Los_Angeles", hours=self.NINE_TO_FIVE)
        sunday_evening_la = datetime(2030, 1, 14, 2, 0, tzinfo=UTC)
        step = route(detox_line, now=sunday_evening_la)
        assert step.attempt.destination == CallAttempt.Destination.FALLBACK

    def test_closing_time_is_exclusive_and_midnight_means_end_of_day(self, detox_line):
        make_advertiser(time_zone="America/New_York", hours=[(1, time(20), time(0))])
        at = lambda hour, minute=0: datetime(2030, 1, 15, hour, minute, tzinfo=UTC)  # noqa: E731
        # 20:00 UTC is 15:00 EST: closed; 01:30 UTC (16 Jan) is 20:30 EST Tuesday: open.
        assert route(detox_line, now=at(20)).attempt.destination == "fallback"
        late = datetime(2030, 1, 16, 1, 30, tzinfo=UTC)
        assert route(detox_line, now=late).attempt.destination == "advertiser"
        # 05:00 UTC (16 Jan) is exactly midnight EST, Wednesday: closed.
        midnight = datetime(2030, 1, 16, 5, 0, tzinfo=UTC)
        assert route(detox_line, now=midnight).attempt.destination == "fallback"


class TestActiveDates:
    def test_only_current_advertisers_are_routed(self, detox_line):
        today = date(2030, 1, 15)
        make_advertiser(starts_on=today + timedelta(days=1))
        make_advertiser(starts_on=date(2029, 1, 1), ends_on=today - timedelta(days=1))
        make_advertiser(active=False)
        current = make_advertiser(starts_on=today, ends_on=today)
        assert {answered_advertiser(route(detox_line)) for _ in range(4)} == {current}

    def test_dates_are_local_dates(self):
        # 06:00 UTC on 16 January: 01:00 on the 16th in New York, 22:00 on the 15th in LA.
        night = datetime(2030, 1, 16, 6, 0, tzinfo=UTC)
        los_angeles = make_advertiser(time_zone="America/Los_Angeles", ends_on=date(2030, 1, 15))
        new_york = make_advertiser(time_zone="America/New_York", ends_on=date(2030, 1, 15))
        assert list(Advertiser.objects.current(night)) == [los_angeles]
        assert new_york not in Advertiser.objects.current(night)


class TestDailyCap:
    def test_daily_cap_counts_calls_offered_since_local_midnight(self, detox_line):
        capped = make_advertiser(weight=10, daily_cap=2)
        spare = make_advertiser(weight=1)
        picks = [answered_advertiser(route(detox_line)) for _ in range(4)]
        assert picks.count(capped) == 2
        assert picks[2:] == [spare, spare]
        # The next local day starts a new count.
        tomorrow = TUESDAY_20_UTC + timedelta(days=1)
        assert answered_advertiser(route(detox_line, now=tomorrow)) == capped

    def test_each_advertiser_s_day_starts_at_its_own_midnight(self, detox_line):
        # 03:00 UTC on 16 January: 22:00 the day before in New York, 19:00 in Los Angeles.
        evening = datetime(2030, 1, 16, 3, 0, tzinfo=UTC)
        new_york = make_advertiser(weight=10, daily_cap=1)
        los_angeles = make_advertiser(weight=10, daily_cap=1, time_zone="America/Los_Angeles")
        spare = make_advertiser(weight=1)
        picks = [answered_advertiser(route(detox_line, now=evening)) for _ in range(3)]
        assert sorted(picks[:2], key=lambda a: a.pk) == [new_york, los_angeles]
        assert picks[2] == spare
        # Three hours later it is 16 January in New York, still the 15th in Los Angeles.
        later = evening + timedelta(hours=3)
        picks = [answered_advertiser(route(detox_line, now=later)) for _ in range(3)]
        assert Counter(picks) == {new_york: 1, spare: 2}

    def test_unanswered_offers_count_too(self, detox_line):
        capped = make_advertiser(daily_cap=1)
        step = route(detox_line)
        assert answered_advertiser(step) == capped
        fail(step)
        assert route(detox_line).attempt.destination == CallAttempt.Destination.FALLBACK


class TestConcurrentCap:
    def test_ringing_calls_count_until_their_outcome_arrives(self, detox_line):
        busy_desk = make_advertiser(weight=10, concurrent_cap=1)
        other = make_advertiser(weight=1)
        first = route(detox_line)
        assert answered_advertiser(first) == busy_desk
        assert answered_advertiser(route(detox_line)) == other
        services.record_dial_result(
            call_sid=first.attempt.call.call_sid,
            attempt_order=1,
            dial_status="completed",
            duration=30,
            now=TUESDAY_20_UTC,
        )
        assert answered_advertiser(route(detox_line)) == busy_desk

    def test_an_ended_call_frees_its_line_even_without_a_dial_result(self, detox_line):
        desk = make_advertiser(concurrent_cap=1)
        first = route(detox_line)
        assert route(detox_line).attempt.destination == CallAttempt.Destination.FALLBACK
        services.record_call_status(
            call_sid=first.attempt.call.call_sid, status="completed", now=TUESDAY_20_UTC
        )
        assert answered_advertiser(route(detox_line)) == desk

    def test_an_attempt_whose_callbacks_were_lost_stops_counting_after_four_hours(self, detox_line):
        desk = make_advertiser(concurrent_cap=1)
        route(detox_line)
        later = TUESDAY_20_UTC + services.LONGEST_CALL + timedelta(seconds=1)
        assert answered_advertiser(route(detox_line, now=later)) == desk


class TestFailover:
    def test_no_answer_goes_to_the_next_advertiser_never_the_same_twice(
        self, advertisers, detox_line
    ):
        first = route(detox_line)
        second = fail(first)
        third = fail(second, status="busy")
        tried = [answered_advertiser(s) for s in (first, second, third)]
        assert len(set(tried)) == 3
        assert second.announcement == Announcement.NEXT_ADVERTISER
        assert [s.attempt.order for s in (first, second, third)] == [1, 2, 3]

    def test_at_most_three_advertisers_then_the_fallback(self, advertisers, detox_line, settings):
        make_advertiser(name="Fourth")
        step = route(detox_line)
        for _ in range(3):
            step = fail(step, status="failed")
        assert step.attempt.destination == CallAttempt.Destination.FALLBACK
        assert step.attempt.number == settings.HELPLINE_FALLBACK_NUMBER
        assert step.attempt.order == 4
        assert step.announcement == Announcement.NO_ADVERTISER_ANSWERED
        services.record_dial_result(
            call_sid=step.attempt.call.call_sid,
            attempt_order=4,
            dial_status="completed",
            now=TUESDAY_20_UTC,
        )
        call = Call.objects.get()
        assert call.answered_by == AnsweredBy.FALLBACK
        assert call.answered_advertiser is None

    def test_fallback_when_nobody_else_is_eligible(self, detox_line):
        make_advertiser()
        step = fail(route(detox_line))
        assert step.attempt.destination == CallAttempt.Destination.FALLBACK
        assert step.attempt.order == 2

    def test_unanswered_fallback_ends_with_words_not_silence(self, detox_line):
        step = route(detox_line)
        assert step.attempt.destination == CallAttempt.Destination.FALLBACK
        last = fail(step)
        assert last.announcement == Announcement.FALLBACK_UNANSWERED
        assert last.attempt is None

    def test_fallback_number_comes_from_settings(self, detox_line, settings):
        settings.HELPLINE_FALLBACK_NUMBER = "+12025550111"
        assert route(detox_line).attempt.number == "+12025550111"

    def test_canceled_means_the_caller_left(self, advertisers, detox_line):
        step = fail(route(detox_line), status="canceled")
        assert step.attempt is None
        assert step.announcement == Announcement.NONE
        assert CallAttempt.objects.count() == 1


@pytest.mark.parametrize("outcome", ["busy", "no-answer", "failed"])
def test_every_unanswered_outcome_moves_on(outcome, advertisers, detox_line):
    step = fail(route(detox_line), status=outcome)
    assert step.attempt.order == 2
    assert CallAttempt.objects.get(order=1).outcome == outcome
