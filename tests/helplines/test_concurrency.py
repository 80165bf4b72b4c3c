"""Routing under real concurrency on PostgreSQL: threads, row locks, no lost or doubled counts.

Transactional tests empty the database afterwards, so each test builds what it needs. Every
thread closes its own connection, or the test database could not be dropped.
"""

from collections import Counter

import pytest

from helplines import services
from helplines.models import Advertiser, Call, CallAttempt
from tests.factories import make_advertiser
from tests.threads import run_together

from .conftest import CALLER, accept_call, new_call_sid

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_fifty_threads_route_a_thousand_calls_exactly_by_weight(advertisers, detox_line):
    """50 threads x 20 calls: 1,000 calls, none lost or doubled, exactly 500/300/200."""

    def twenty_calls(index: int) -> None:
        for n in range(20):
            sid = f"CA{index:02d}{n:02d}{'0' * 28}"
            step = services.route_call(
                helpline=detox_line, call_sid=sid, caller_number=CALLER, to_number=detox_line.number
            )
            accept_call(sid, step.attempt.order)
            services.record_dial_result(
                call_sid=sid, attempt_order=step.attempt.order, dial_status="completed", duration=9
            )
            services.record_call_status(call_sid=sid, status="completed", duration=12)

    run_together(50, twenty_calls)

    assert Call.objects.count() == 1000
    assert Call.objects.values("call_sid").distinct().count() == 1000
    assert CallAttempt.objects.count() == 1000
    names = advertisers.by_pk()
    offered = Counter(names[pk] for pk in CallAttempt.objects.values_list("advertiser", flat=True))
    assert offered == {"maple": 500, "birch": 300, "cedar": 200}
    answered = Counter(
        names[pk] for pk in Call.objects.values_list("answered_advertiser", flat=True)
    )
    assert answered == offered
    assert not Call.objects.filter(ended_at__isnull=True).exists()
    # Smooth weighted round-robin returns to its start after every full turn of 10 calls: any
    # lost update of current_weight would leave a remainder.
    assert list(Advertiser.objects.order_by("pk").values_list("current_weight", flat=True)) == [
        0,
        0,
        0,
    ]


def test_the_concurrent_cap_holds_when_calls_arrive_together(detox_line):
    desk = make_advertiser(concurrent_cap=5)

    def one_call(index: int) -> str:
        step = services.route_call(
            helpline=detox_line,
            call_sid=new_call_sid(),
            caller_number=CALLER,
            to_number=detox_line.number,
        )
        return step.attempt.destination

    destinations = Counter(run_together(20, one_call))
    assert destinations == {"advertiser": 5, "fallback": 15}
    assert CallAttempt.objects.filter(advertiser=desk).count() == 5


def test_the_daily_cap_holds_when_calls_arrive_together(detox_line):
    make_advertiser(daily_cap=7)

    def one_call(index: int) -> str:
        step = services.route_call(
            helpline=detox_line,
            call_sid=new_call_sid(),
            caller_number=CALLER,
            to_number=detox_line.number,
        )
        return step.attempt.destination

    assert Counter(run_together(20, one_call)) == {"advertiser": 7, "fallback": 13}


def test_a_retried_incoming_webhook_delivered_ten_times_at_once_is_one_call(
    advertisers, detox_line
):
    sid = new_call_sid()

    def deliver(index: int) -> tuple[str, int]:
        step = services.route_call(
            helpline=detox_line, call_sid=sid, caller_number=CALLER, to_number=detox_line.number
        )
        return step.announcement, step.attempt.pk

    results = run_together(10, deliver)
    assert len(set(results)) == 1
    assert Call.objects.count() == 1
    assert CallAttempt.objects.count() == 1


def test_a_dial_result_delivered_ten_times_at_once_rings_one_next_advertiser(
    advertisers, detox_line
):
    sid = new_call_sid()
    services.route_call(
        helpline=detox_line, call_sid=sid, caller_number=CALLER, to_number=detox_line.number
    )

    def deliver(index: int) -> int:
        step = services.record_dial_result(call_sid=sid, attempt_order=1, dial_status="no-answer")
        return step.attempt.pk

    assert len(set(run_together(10, deliver))) == 1
    assert list(CallAttempt.objects.order_by("order").values_list("order", "outcome")) == [
        (1, "no-answer"),
        (2, ""),
    ]
    assert Call.objects.get().answered_by == ""


def test_spanish_and_english_calls_together_share_one_rotation_and_its_caps(detox_line):
    """Calls in both languages at once: Spanish ones ring only the Spanish-speaking desk, and
    its concurrent cap holds across both languages (it answers in English too)."""
    bilingual = make_advertiser(name="Casa Luna Recovery", concurrent_cap=4)
    bilingual.languages = ["en", "es"]
    bilingual.save(update_fields=["languages"])
    english_only = make_advertiser(name="Maple Grove Recovery", concurrent_cap=100)

    def one_call(index: int) -> tuple[str, str]:
        language = "es" if index % 2 else "en"
        step = services.route_call(
            helpline=detox_line,
            call_sid=new_call_sid(),
            caller_number=CALLER,
            to_number=detox_line.number,
            language=language,
        )
        attempt = step.attempt
        return language, attempt.advertiser.name if attempt.advertiser_id else "fallback"

    results = Counter(run_together(20, one_call))
    spanish = {who: n for (language, who), n in results.items() if language == "es"}
    assert set(spanish) <= {"Casa Luna Recovery", "fallback"}
    assert sum(spanish.values()) == 10
    assert CallAttempt.objects.filter(advertiser=bilingual).count() == 4
    assert CallAttempt.objects.filter(advertiser=english_only, call__language="es").count() == 0
    assert Call.objects.filter(language="es").count() == 10


def test_a_key_press_delivered_ten_times_at_once_is_one_acceptance(advertisers, detox_line):
    sid, leg = new_call_sid(), new_call_sid()
    services.route_call(
        helpline=detox_line, call_sid=sid, caller_number=CALLER, to_number=detox_line.number
    )
    services.record_connected(call_sid=sid, attempt_order=1, leg_sid=leg)

    def deliver(index: int) -> bool:
        return services.record_acceptance(call_sid=sid, attempt_order=1, leg_sid=leg, digits="1")

    assert run_together(10, deliver) == [True] * 10
    attempt = CallAttempt.objects.get()
    assert attempt.accepted_at is not None
    assert Call.objects.get().answered_advertiser == advertisers.maple
