"""The helplines admin: pages, disclosure versions, the call log, its export and the report."""

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

from helplines import services
from helplines.models import Advertiser, Call, Disclosure
from tests.factories import make_advertiser, make_helpline

from .conftest import CALLER, accept_call, new_call_sid

pytestmark = pytest.mark.django_db


@pytest.fixture
def call_log(advertisers, detox_line):
    """Three calls on Tuesday 15 January 2030 (15:00 in New York).

    The rotation (5/3/2) decides who rings: one: maple answers. two: birch does not answer,
    cedar does. three: maple, cedar and birch do not answer; the fallback does.
    """
    when = datetime(2030, 1, 15, 20, 0, tzinfo=UTC)

    def call(*outcomes: str) -> Call:
        step = services.route_call(
            helpline=detox_line,
            call_sid=new_call_sid(),
            caller_number=CALLER,
            to_number=detox_line.number,
            now=when,
        )
        for outcome in outcomes:
            if outcome == "completed" and step.attempt.advertiser_id:
                accept_call(step.attempt.call.call_sid, step.attempt.order)
            step = services.record_dial_result(
                call_sid=step.attempt.call.call_sid,
                attempt_order=step.attempt.order,
                dial_status=outcome,
                duration=100 if outcome == "completed" else 0,
                now=when,
            )
        return Call.objects.get(pk=Call.objects.latest("pk").pk)

    return {
        "one": call("completed"),
        "two": call("no-answer", "completed"),
        "three": call("no-answer", "busy", "failed", "completed"),
    }


def csv_rows(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(body)))


@pytest.mark.parametrize(
    "name",
    [
        "admin:helplines_helpline_changelist",
        "admin:helplines_helpline_add",
        "admin:helplines_advertiser_changelist",
        "admin:helplines_advertiser_add",
        "admin:helplines_disclosure_changelist",
        "admin:helplines_disclosure_add",
        "admin:helplines_call_changelist",
        "admin:helplines_advertiser_report",
    ],
)
def test_pages_load(admin_client, call_log, name):
    services.publish_disclosure(body="Words.")
    assert admin_client.get(reverse(name)).status_code == 200


def test_change_pages_load(admin_client, call_log, advertisers, detox_line):
    for url in (
        reverse("admin:helplines_helpline_change", args=[detox_line.pk]),
        reverse("admin:helplines_advertiser_change", args=[advertisers.maple.pk]),
        reverse("admin:helplines_call_change", args=[call_log["three"].pk]),
    ):
        assert admin_client.get(url).status_code == 200


def test_advertiser_form_says_no_fee_may_depend_on_calls_or_admissions(admin_client):
    html = admin_client.get(reverse("admin:helplines_advertiser_add")).content.decode()
    assert "No fee, rebate or bonus may depend on the number or length of calls" in html
    assert "on admissions" in html


def test_saving_an_advertiser_keeps_the_rotation_state(admin_client, advertisers):
    maple = advertisers.maple
    url = reverse("admin:helplines_advertiser_change", args=[maple.pk])
    form = admin_client.get(url).context["adminform"].form
    # Routing moves on while the admin is looking at the form.
    Advertiser.objects.filter(pk=maple.pk).update(current_weight=-7)
    data = {
        **{k: v for k, v in form.initial.items() if v is not None},
        "center": maple.center_id,
        "starts_on": "2020-01-01",
        "weight": 6,
        "hours-TOTAL_FORMS": 0,
        "hours-INITIAL_FORMS": 0,
    }
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    maple.refresh_from_db()
    assert (maple.weight, maple.current_weight) == (6, -7)


class TestDisclosureVersions:
    def test_editing_publishes_a_new_version_and_keeps_the_old(self, admin_client):
        first = services.publish_disclosure(body="First words.")
        url = reverse("admin:helplines_disclosure_change", args=[first.pk])
        response = admin_client.post(
            url,
            {
                "body": "Better words.",
                "change_note": "Plainer.",
                "effective_from_0": timezone.localdate().isoformat(),
                "effective_from_1": "00:00:00",
            },
            follow=True,
        )
        assert "Published as version 2" in response.content.decode()
        first.refresh_from_db()
        assert first.body == "First words."
        latest = Disclosure.objects.get(version=2)
        assert (latest.body, latest.change_note) == ("Better words.", "Plainer.")
        assert latest.created_by.username == "ada"

    def test_a_new_version_starts_from_the_text_in_force(self, admin_client):
        services.publish_disclosure(body="Words in force.")
        response = admin_client.get(reverse("admin:helplines_disclosure_add"))
        assert response.context["adminform"].form.initial["body"] == "Words in force."

    def test_versions_cannot_be_deleted(self, admin_client):
        first = services.publish_disclosure(body="First words.")
        url = reverse("admin:helplines_disclosure_delete", args=[first.pk])
        assert admin_client.get(url).status_code == 403


class TestCallLog:
    def changelist(self, client, **query):
        return client.get(reverse("admin:helplines_call_changelist"), query)

    def shown(self, response) -> set[int]:
        return {call.pk for call in response.context["cl"].result_list}

    def test_filter_by_advertiser_offered(self, admin_client, call_log, advertisers):
        response = self.changelist(admin_client, advertiser=advertisers.birch.pk)
        assert self.shown(response) == {call_log["two"].pk, call_log["three"].pk}

    def test_filter_by_outcome(self, admin_client, call_log):
        fallback = self.changelist(admin_client, outcome="fallback")
        assert self.shown(fallback) == {call_log["three"].pk}
        advertiser = self.changelist(admin_client, outcome="advertiser")
        assert self.shown(advertiser) == {call_log["one"].pk, call_log["two"].pk}

    def test_filter_by_helpline_and_date(self, admin_client, call_log, detox_line):
        other = make_helpline()
        assert (
            len(self.shown(self.changelist(admin_client, helpline__id__exact=detox_line.pk))) == 3
        )
        assert self.shown(self.changelist(admin_client, helpline__id__exact=other.pk)) == set()
        by_day = self.changelist(
            admin_client, started_at__year=2030, started_at__month=1, started_at__day=15
        )
        assert len(self.shown(by_day)) == 3
        assert self.shown(self.changelist(admin_client, started_at__year=2029)) == set()

    def test_search_by_the_callers_number_without_storing_it(self, admin_client, call_log):
        assert len(self.shown(self.changelist(admin_client, q="(202) 555-0177"))) == 3
        assert self.shown(self.changelist(admin_client, q="(202) 555-0178")) == set()

    def test_query_count_does_not_grow_with_calls(
        self, admin_client, call_log, django_assert_max_num_queries
    ):
        with django_assert_max_num_queries(12) as few:
            self.changelist(admin_client)
        for _ in range(5):
            Call.objects.create(call_sid=new_call_sid())
        with django_assert_max_num_queries(len(few.captured_queries)):
            self.changelist(admin_client)

    def test_the_log_is_read_only(self, admin_client, call_log):
        url = reverse("admin:helplines_call_change", args=[call_log["one"].pk])
        admin_client.post(url, {"status": "failed"})
        assert Call.objects.get(pk=call_log["one"].pk).status == "in-progress"
        assert admin_client.get(
            reverse("admin:helplines_call_changelist") + "add/"
        ).status_code in (
            302,
            403,
            404,
        )


class TestExport:
    def test_export_follows_the_filters(self, admin_client, call_log, advertisers):
        url = reverse("admin:helplines_call_export")
        response = admin_client.get(url, {"outcome": "fallback"})
        assert response["Content-Type"] == "text/csv"
        assert "attachment" in response["Content-Disposition"]
        rows = csv_rows(response)
        assert rows[0][0] == "started_at"
        assert len(rows) == 2
        header = rows[0]
        row = dict(zip(header, rows[1], strict=True))
        assert row["answered_by"] == "fallback"
        assert row["attempts"] == (
            "1. Maple Grove Recovery: No answer; 2. Cedar Path Counseling: Busy; "
            "3. Birch House Treatment: Failed; 4. Fallback line: Answered"
        )

    def test_export_action_on_selected_calls(self, admin_client, call_log):
        response = admin_client.post(
            reverse("admin:helplines_call_changelist"),
            {"action": "export_csv", "_selected_action": [call_log["one"].pk]},
        )
        rows = csv_rows(response)
        assert len(rows) == 2
        assert dict(zip(rows[0], rows[1], strict=True))["answered_by_name"] == (
            "Maple Grove Recovery"
        )

    def test_the_export_has_no_raw_caller_number(self, admin_client, call_log):
        body = b"".join(
            admin_client.get(reverse("admin:helplines_call_export")).streaming_content
        ).decode()
        assert "5550177" not in body

    def test_spreadsheet_formulas_are_neutralised(self, admin_client, detox_line):
        make_advertiser(name='=HYPERLINK("http://example.org")')
        services.route_call(
            helpline=detox_line, call_sid=new_call_sid(), caller_number="", to_number=""
        )
        body = b"".join(
            admin_client.get(reverse("admin:helplines_call_export")).streaming_content
        ).decode()
        assert "'=HYPERLINK" in body

    def test_number_called_and_call_sid_are_neutralised_too(self, admin_client, detox_line):
        services.route_call(
            helpline=detox_line, call_sid="=1+2", caller_number="", to_number="+SUM(1,2)"
        )
        body = b"".join(
            admin_client.get(reverse("admin:helplines_call_export")).streaming_content
        ).decode()
        row = next(csv.reader(io.StringIO(body.splitlines()[1])))
        assert "'+SUM(1,2)" in row
        assert "'=1+2" in row
        assert not [cell for cell in row if cell.startswith(("=", "+", "-", "@"))]

    def test_needs_permission(self, client, call_log):
        clerk = User.objects.create(username="clerk", is_staff=True)
        client.force_login(clerk)
        assert client.get(reverse("admin:helplines_call_export")).status_code == 403


class TestReport:
    def test_offered_answered_and_rate_per_advertiser_per_day(
        self, admin_client, call_log, advertisers
    ):
        response = admin_client.get(
            reverse("admin:helplines_advertiser_report"),
            {"since": "2030-01-01", "until": "2030-01-31"},
        )
        rates = {
            (rate.day.isoformat(), rate.advertiser_name): (rate.offered, rate.answered)
            for rate in response.context["rates"]
        }
        assert rates == {
            ("2030-01-15", "Maple Grove Recovery"): (2, 1),
            ("2030-01-15", "Birch House Treatment"): (2, 0),
            ("2030-01-15", "Cedar Path Counseling"): (2, 1),
        }
        html = response.content.decode()
        assert "<td>50%</td>" in html  # Maple and Cedar: 1 of 2
        assert "<td>0%</td>" in html  # Birch: none of 2
        assert "<td>33%</td>" in html  # All: 2 of 6
        assert (response.context["offered"], response.context["answered"]) == (6, 2)

    def test_csv(self, admin_client, call_log):
        response = admin_client.get(
            reverse("admin:helplines_advertiser_report"),
            {"since": "2030-01-15", "until": "2030-01-15", "format": "csv"},
        )
        rows = csv_rows(response)
        assert rows[0] == [
            "day",
            "advertiser",
            "offered",
            "answered",
            "answer_rate",
            "not_answered",
            "sent_on",
            "to_fallback",
        ]
        assert ["2030-01-15", "Birch House Treatment", "2", "0", "0.000", "2", "1", "1"] in rows
        assert ["2030-01-15", "Maple Grove Recovery", "2", "1", "0.500", "1", "1", "0"] in rows

    def test_one_advertiser(self, admin_client, call_log, advertisers):
        response = admin_client.get(
            reverse("admin:helplines_advertiser_report"),
            {"since": "2030-01-15", "until": "2030-01-15", "advertiser": advertisers.cedar.pk},
        )
        assert [r.advertiser_name for r in response.context["rates"]] == ["Cedar Path Counseling"]

    def test_defaults_to_the_last_thirty_days(self, admin_client):
        form = admin_client.get(reverse("admin:helplines_advertiser_report")).context["form"]
        assert form.range() == (
            timezone.localdate() - timedelta(days=29),
            timezone.localdate(),
        )

    def test_bad_dates_show_a_message(self, admin_client):
        response = admin_client.get(
            reverse("admin:helplines_advertiser_report"),
            {"since": "2030-02-01", "until": "2030-01-01"},
        )
        assert response.status_code == 200
        assert "must not be after" in response.content.decode()
