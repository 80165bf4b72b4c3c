"""Callbacks and calls share one selection rule (helplines.services.routing): the same
eligibility, one rotation, and caps that count both. On PostgreSQL, under real concurrency.

Personas (tests/helplines/conftest.py): ``maple``, ``birch`` and ``cedar``, weights 5/3/2, open
around the clock; the general helpline ``detox_line``.
"""

from collections import Counter
from datetime import UTC, date, datetime, time

import pytest
from django.utils import timezone

from helplines import services
from helplines.models import Advertiser, CallAttempt, CallbackRequest
from tests.factories import make_advertiser
from tests.threads import run_together

from .conftest import CALLER, new_call_sid

# Tuesday 15 January 2030, 15:00 in New York.
TUESDAY = datetime(2030, 1, 15, 20, 0, tzinfo=UTC)
ALL_DAY = (time(0), time(0))


def callback_for_whoever_is_next(
    *, now: datetime | None = TUESDAY, phone: str = "+12025550173"
) -> CallbackRequest:
    """What a visitor does: read the name on the page, agree, send; asked again if it moved.

    ``now=None`` is the real time, as the view has it."""
    agreed = services.next_advertiser(now=now or timezone.now())
    while True:
        try:
            return services.request_advertiser_callback(
                agreed_advertiser_id=agreed.pk if agreed else None,
                first_name="",
                phone=phone,
                best_time="any",
                now=now,
            )
        except services.RotationMoved as moved:
            agreed = moved.advertiser


def call(helpline, *, now: datetime | None = TUESDAY) -> CallAttempt | None:
    step = services.route_call(
        helpline=helpline,
        call_sid=new_call_sid(),
        caller_number=CALLER,
        to_number=helpline.number,
        now=now,
    )
    return step.attempt


@pytest.mark.django_db
class TestOneRule:
    def test_the_peek_locks_and_writes_nothing(self, advertisers, django_assert_num_queries):
        # The hours with their advertisers, and the calls in progress: two reads, no write.
        with django_assert_num_queries(2) as context:
            assert services.next_advertiser(now=TUESDAY) == advertisers.maple
        assert not any("FOR UPDATE" in query["sql"] for query in context.captured_queries)
        assert set(Advertiser.objects.values_list("current_weight", flat=True)) == {0}

    def test_a_peek_cannot_move_the_rotation(self, advertisers):
        selection = services.select_advertiser(now=TUESDAY, lock=False)
        with pytest.raises(RuntimeError):
            selection.take()

    def test_a_callback_takes_a_turn_in_the_calls_rotation(self, advertisers, detox_line):
        order = []
        for n in range(10):
            if n % 2:
                order.append(callback_for_whoever_is_next().advertiser_id)
            else:
                order.append(call(detox_line).advertiser_id)
        names = advertisers.by_pk()
        # The same interleaved 5/3/2 sequence calls alone would follow.
        assert [names[pk] for pk in order] == [
            "maple",
            "birch",
            "cedar",
            "maple",
            "maple",
            "birch",
            "maple",
            "cedar",
            "birch",
            "maple",
        ]

    def test_callbacks_count_against_the_daily_cap_of_calls(self, detox_line):
        desk = make_advertiser(daily_cap=2)
        callback_for_whoever_is_next()
        callback_for_whoever_is_next()
        attempt = call(detox_line)
        assert attempt.destination == CallAttempt.Destination.FALLBACK
        assert CallbackRequest.objects.filter(advertiser=desk).count() == 2

    def test_calls_count_against_the_daily_cap_of_callbacks(self, detox_line):
        make_advertiser(daily_cap=1)
        assert call(detox_line).destination == CallAttempt.Destination.ADVERTISER
        with pytest.raises(services.NoAdvertiserAvailable):
            callback_for_whoever_is_next()
        assert not CallbackRequest.objects.exists()

    def test_the_daily_cap_starts_again_at_the_advertisers_midnight(self):
        make_advertiser(daily_cap=1, time_zone="America/Los_Angeles")
        callback_for_whoever_is_next(now=datetime(2030, 1, 15, 7, 59, tzinfo=UTC))  # 23:59 LA
        assert callback_for_whoever_is_next(now=datetime(2030, 1, 15, 8, 0, tzinfo=UTC))

    def test_a_waiting_callback_holds_no_line(self, detox_line):
        make_advertiser(concurrent_cap=1)
        callback_for_whoever_is_next()
        assert call(detox_line).destination == CallAttempt.Destination.ADVERTISER

    def test_a_busy_advertiser_is_skipped_for_callbacks_as_for_calls(self, detox_line):
        busy = make_advertiser(name="Busy Desk", concurrent_cap=1)
        free = make_advertiser(name="Free Desk")
        assert call(detox_line).advertiser == busy  # ringing now: busy's one line is taken
        assert callback_for_whoever_is_next().advertiser == free

    @pytest.mark.parametrize(
        "change",
        [
            {"active": False},
            {"starts_on": date(2030, 2, 1)},
            {"ends_on": date(2030, 1, 14)},
        ],
    )
    def test_only_advertisers_listed_today_are_eligible(self, change):
        desk = make_advertiser()
        Advertiser.objects.filter(pk=desk.pk).update(**change)
        with pytest.raises(services.NoAdvertiserAvailable):
            callback_for_whoever_is_next()

    def test_only_advertisers_open_now_are_eligible(self):
        make_advertiser(name="Weekend Desk", hours=[(5, *ALL_DAY), (6, *ALL_DAY)])
        assert services.next_advertiser(now=TUESDAY) is None
        saturday = datetime(2030, 1, 19, 20, 0, tzinfo=UTC)
        assert services.next_advertiser(now=saturday).name == "Weekend Desk"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
class TestUnderConcurrency:
    def test_twenty_visitors_and_twenty_calls_at_once_follow_the_weights_exactly(
        self, advertisers, detox_line
    ):
        """40 at once, half callbacks and half calls: 20/12/8 in all, and no turn lost."""

        def one(index: int) -> int:
            if index % 2:
                return callback_for_whoever_is_next(now=None).advertiser_id
            return call(detox_line, now=None).advertiser_id

        chosen = run_together(40, one)

        names = advertisers.by_pk()
        assert Counter(names[pk] for pk in chosen) == {"maple": 20, "birch": 12, "cedar": 8}
        assert CallbackRequest.objects.count() == 20
        # A whole number of full turns returns the rotation to its start: any lost update, or
        # any turn taken by a refused request, would leave a remainder.
        assert set(Advertiser.objects.values_list("current_weight", flat=True)) == {0}

    def test_the_daily_cap_holds_when_requests_arrive_together(self):
        desk = make_advertiser(daily_cap=7)

        def one(index: int) -> str:
            try:
                callback_for_whoever_is_next(now=None, phone=f"+1202555{100 + index:04d}")
            except services.NoAdvertiserAvailable:
                return "nobody"
            return "stored"

        assert Counter(run_together(20, one)) == {"stored": 7, "nobody": 13}
        assert CallbackRequest.objects.filter(advertiser=desk).count() == 7
