"""A general helpline may name the advertisers that answer it; without a list, all share it."""

from collections import Counter

import pytest

from helplines import services
from helplines.models import CallAttempt

from .conftest import CALLER, make_helpline, new_call_sid

pytestmark = pytest.mark.django_db


def route(line, n: int = 1) -> Counter:
    for _ in range(n):
        services.route_call(
            helpline=line, call_sid=new_call_sid(), caller_number=CALLER, to_number=line.number
        )
    return Counter(
        CallAttempt.objects.filter(call__helpline=line).values_list("advertiser__name", flat=True)
    )


def test_a_line_with_a_pool_rings_only_its_advertisers_by_their_weights(advertisers):
    detox = make_helpline(label="Detox")
    detox.advertisers.set([advertisers.birch, advertisers.cedar])
    assert route(detox, 10) == {"Birch House Treatment": 6, "Cedar Path Counseling": 4}


def test_a_line_without_a_pool_is_shared_by_all(advertisers, detox_line):
    assert route(detox_line, 10) == {
        "Maple Grove Recovery": 5,
        "Birch House Treatment": 3,
        "Cedar Path Counseling": 2,
    }


def test_a_pool_whose_advertisers_are_closed_goes_to_the_fallback(advertisers):
    detox = make_helpline(label="Detox")
    detox.advertisers.set([advertisers.cedar])
    advertisers.cedar.active = False
    advertisers.cedar.save(update_fields=["active"])
    assert route(detox) == {None: 1}


def test_a_miss_moves_on_within_the_pool(advertisers):
    detox = make_helpline(label="Detox")
    detox.advertisers.set([advertisers.birch, advertisers.cedar])
    sid = new_call_sid()
    services.route_call(helpline=detox, call_sid=sid, caller_number=CALLER, to_number=detox.number)
    step = services.record_dial_result(call_sid=sid, attempt_order=1, dial_status="no-answer")
    assert step.attempt.advertiser == advertisers.cedar
    step = services.record_dial_result(call_sid=sid, attempt_order=2, dial_status="busy")
    assert step.attempt.destination == "fallback"


def test_the_shares_are_published_per_line(client, advertisers, detox_line):
    detox = make_helpline(label="Detox only")
    detox.advertisers.set([advertisers.birch, advertisers.cedar])
    html = client.get("/where-calls-go/").content.decode()
    assert (
        "Answered only by: Birch House Treatment (60% of its calls), "
        "Cedar Path Counseling (40% of its calls)." in html
    )
    assert (
        "Answered in turn by: Birch House Treatment (30% of its calls), "
        "Cedar Path Counseling (20% of its calls), Maple Grove Recovery (50% of its calls)." in html
    )


def test_a_spanish_line_publishes_only_advertisers_that_answer_in_spanish(client, advertisers):
    advertisers.birch.languages = ["en", "es"]
    advertisers.birch.save(update_fields=["languages"])
    spanish = make_helpline(label="Línea")
    spanish.language = "es"
    spanish.save(update_fields=["language"])
    html = client.get("/where-calls-go/").content.decode()
    assert "Answered in turn by: Birch House Treatment (100% of its calls)." in html
