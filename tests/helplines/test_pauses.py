"""Advertisers that stop taking calls are paused: the rules, the record, the email, and the
race of many calls missed at once (PostgreSQL, real threads)."""

from collections import Counter
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from helplines import services
from helplines.models import Advertiser, AdvertiserPause, Call, CallAttempt
from tests.factories import make_advertiser
from tests.threads import run_together

from .conftest import CALLER, accept_call, new_call_sid


@pytest.fixture(autouse=True)
def admins(settings):
    settings.ADMINS = ["ops@example.org"]


def offer(line, result: str) -> Call:
    """One call; whoever it rings first gives ``result`` ("accept" or a DialCallStatus)."""
    sid = new_call_sid()
    step = services.route_call(
        helpline=line, call_sid=sid, caller_number=CALLER, to_number=line.number
    )
    if result == "accept":
        accept_call(sid, step.attempt.order)
        result = "completed"
    services.record_dial_result(call_sid=sid, attempt_order=step.attempt.order, dial_status=result)
    return Call.objects.get(call_sid=sid)


@pytest.mark.django_db
class TestRules:
    def test_five_misses_in_a_row_pause_it_and_tell_the_admins(
        self, detox_line, django_capture_on_commit_callbacks
    ):
        desk = make_advertiser(name="Quiet Desk")
        with django_capture_on_commit_callbacks(execute=True):
            for _ in range(5):
                offer(detox_line, "no-answer")
        pause = AdvertiserPause.objects.get()
        assert (pause.advertiser, pause.reason, pause.missed) == (desk, "missed-in-a-row", 5)
        desk.refresh_from_db()
        assert desk.paused_until == pause.ends_at
        assert pause.ends_at - pause.started_at == timedelta(minutes=30)
        assert len(mail.outbox) == 1
        assert mail.outbox[0].subject.endswith("Advertiser paused: Quiet Desk")
        assert mail.outbox[0].to == ["ops@example.org"]
        # Routing skips it: the next call goes to the fallback line.
        assert offer(detox_line, "no-answer").attempts.first().destination == "fallback"

    def test_an_acceptance_resets_the_count(self, detox_line):
        make_advertiser()
        for result in ["no-answer"] * 4 + ["accept"] + ["busy"] * 4:
            offer(detox_line, result)
        assert not AdvertiserPause.objects.exists()

    def test_a_caller_hanging_up_is_not_a_miss(self, detox_line):
        make_advertiser()
        for _ in range(6):
            offer(detox_line, "canceled")
        assert not AdvertiserPause.objects.exists()

    def test_a_low_acceptance_rate_over_the_hour(self, detox_line, settings):
        settings.HELPLINE_PAUSE_AFTER_MISSES = 0
        make_advertiser()
        # 3 of 10 accepted, below 50%.
        for result in ["accept", "no-answer", "no-answer", "accept", "busy"] * 2:
            offer(detox_line, result)
        pause = AdvertiserPause.objects.get()
        assert pause.reason == "low-acceptance"
        assert (pause.offered_last_hour, pause.accepted_last_hour) == (10, 4)

    def test_the_rules_can_be_turned_off(self, detox_line, settings):
        settings.HELPLINE_PAUSE_AFTER_MISSES = 0
        settings.HELPLINE_PAUSE_BELOW_PERCENT = 0
        make_advertiser()
        for _ in range(12):
            offer(detox_line, "no-answer")
        assert not AdvertiserPause.objects.exists()

    def test_after_the_cool_off_it_takes_calls_again_and_old_misses_are_forgotten(self, detox_line):
        desk = make_advertiser()
        for _ in range(5):
            offer(detox_line, "no-answer")
        Advertiser.objects.filter(pk=desk.pk).update(paused_until=timezone.now())
        AdvertiserPause.objects.update(ends_at=timezone.now())
        assert offer(detox_line, "no-answer").attempts.first().advertiser == desk
        assert AdvertiserPause.objects.count() == 1

    def test_an_admin_can_lift_a_pause(self, detox_line):
        desk = make_advertiser()
        for _ in range(5):
            offer(detox_line, "no-answer")
        pause = services.end_pause(advertiser=desk)
        assert pause.ended_early
        desk.refresh_from_db()
        assert not desk.is_paused_at(timezone.now())
        assert services.end_pause(advertiser=desk) is None

    def test_a_mail_server_down_does_not_undo_the_pause(
        self, detox_line, settings, django_capture_on_commit_callbacks
    ):
        settings.MAILERS = {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": 1, "timeout": 1},
            }
        }
        make_advertiser()
        with django_capture_on_commit_callbacks(execute=True):
            for _ in range(5):
                offer(detox_line, "no-answer")
        assert AdvertiserPause.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_thousand_concurrent_calls_pause_the_one_that_never_accepts(advertisers, detox_line):
    """Cedar (weight 2) never accepts: it is paused once, early, and maple and birch take the
    calls 5 to 3, as their weights say."""
    calls_per_thread, threads = 25, 40

    def calls(index: int) -> None:
        for n in range(calls_per_thread):
            sid = f"CA{index:03d}{n:03d}{'0' * 26}"
            step = services.route_call(
                helpline=detox_line, call_sid=sid, caller_number=CALLER, to_number=detox_line.number
            )
            while step.attempt is not None and step.attempt.advertiser_id == advertisers.cedar.pk:
                step = services.record_dial_result(
                    call_sid=sid, attempt_order=step.attempt.order, dial_status="no-answer"
                )
            attempt = step.attempt
            if attempt.advertiser_id:
                accept_call(sid, attempt.order)
            services.record_dial_result(
                call_sid=sid, attempt_order=attempt.order, dial_status="completed", duration=9
            )
            services.record_call_status(call_sid=sid, status="completed", duration=12)

    run_together(threads, calls)

    assert Call.objects.count() == threads * calls_per_thread == 1000
    pause = AdvertiserPause.objects.get()
    assert pause.advertiser == advertisers.cedar
    # Offered while its misses were still coming in: at most one call per thread beyond five.
    cedar_offered = CallAttempt.objects.filter(advertiser=advertisers.cedar).count()
    assert 5 <= cedar_offered <= 5 + threads
    names = advertisers.by_pk()
    accepted = Counter(
        names[pk] for pk in Call.objects.values_list("answered_advertiser", flat=True)
    )
    assert set(accepted) == {"maple", "birch"}
    assert accepted["maple"] + accepted["birch"] == 1000
    # Their weights 5 and 3: 625 and 375, but for the few calls cedar held at the start.
    assert abs(accepted["maple"] - 625) <= 15
    assert abs(accepted["birch"] - 375) <= 15


@pytest.mark.django_db
def test_an_admin_lifts_a_pause_from_the_advertisers_list(admin_client, detox_line):
    desk = make_advertiser()
    for _ in range(5):
        offer(detox_line, "no-answer")
    response = admin_client.post(
        "/admin/helplines/advertiser/",
        {"action": "lift_pause", "_selected_action": [desk.pk]},
        follow=True,
    )
    assert "Pause lifted for 1 of 1 advertisers" in response.content.decode()
    assert AdvertiserPause.objects.get().ended_early
    assert admin_client.get("/admin/helplines/advertiserpause/").status_code == 200


@pytest.mark.django_db
def test_a_center_line_cannot_name_advertisers(admin_client, advertisers):
    center_line_data = {
        "label": "Harbor",
        "slug": "harbor",
        "number": "+12025550102",
        "kind": "center",
        "language": "en",
        "position": 0,
        "active": "on",
        "advertisers": [advertisers.maple.pk],
    }
    response = admin_client.post("/admin/helplines/helpline/add/", center_line_data)
    assert "A center&#x27;s own line rings the center: no advertiser." in response.content.decode()
