"""GET /where-calls-go/statistics/: what became of the calls, per advertiser, in public."""

import csv
import io
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse

from helplines import reports, services, statistics
from helplines.models import AdvertiserPause, CallbackRequest, Helpline
from tests.factories import make_center

from .conftest import CALLER, make_helpline, new_call_sid

pytestmark = pytest.mark.django_db

URL = "/where-calls-go/statistics/"


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()


def call(line, when: datetime, *results: str, answer_after: int = 7) -> str:
    """A call to ``line`` at ``when``; each result in turn ends the attempt ringing: "accept"
    (a person presses 1, then the call completes), "voicemail" (picked up, no 1), or a
    DialCallStatus."""
    sid = new_call_sid()
    step = services.route_call(
        helpline=line, call_sid=sid, caller_number=CALLER, to_number=line.number, now=when
    )
    for result in results:
        order = step.attempt.order
        if result == "accept":
            leg = new_call_sid()
            services.record_connected(call_sid=sid, attempt_order=order, leg_sid=leg, now=when)
            accepted_at = step.attempt.started_at + timedelta(seconds=answer_after)
            assert services.record_acceptance(
                call_sid=sid, attempt_order=order, leg_sid=leg, digits="1", now=accepted_at
            )
            result = "completed"
        elif result == "voicemail":
            services.record_connected(call_sid=sid, attempt_order=order, now=when)
            result = "completed"
        step = services.record_dial_result(
            call_sid=sid, attempt_order=order, dial_status=result, duration=60, now=when
        )
    return sid


def table_rows(html: str) -> list[list[str]]:
    """The text of each cell of each row of the advertisers' table."""
    table = html[html.index('<table class="statistics__table"') : html.index("</table>")]
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", table, flags=re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, flags=re.S)
        rows.append([" ".join(re.sub(r"<[^>]+>", " ", cell).split()) for cell in cells])
    return [row for row in rows if row and row[0] != "Advertiser"]


def row_of(figures, name: str):
    return next(row for row in figures.advertisers if row.name == name)


def test_url():
    assert reverse("helplines:statistics") == URL
    assert reverse("helplines:statistics", kwargs={}).startswith("/where-calls-go/")


class TestTheWholeFlow:
    def test_no_digit_next_advertiser_1_then_the_page_shows_exactly_that(
        self, client, twilio, advertisers, detox_line
    ):
        """incoming -> whisper Gather -> no digit -> next advertiser -> 1 -> accepted."""
        sid = new_call_sid()
        incoming = twilio.incoming(to=detox_line.number, call_sid=sid)
        whisper = twilio.pick_up(incoming)
        assert whisper.content.count(b"<Gather") == 2 and b"<Hangup" in whisper.content
        # Nobody presses: the whisper hangs up the leg; Twilio reports it completed.
        following = twilio.dial_status(incoming, call_sid=sid, status="completed")
        assert b"+13125550163" in following.content  # Birch House Treatment
        leg = twilio.accept(following)
        done = twilio.dial_status(
            following, call_sid=sid, status="completed", duration=120, dial_call_sid=leg
        )
        assert b"<Dial" not in done.content

        page = client.get(URL)
        figures = page.context["figures"]
        maple, birch = (
            row_of(figures, "Maple Grove Recovery"),
            row_of(figures, "Birch House Treatment"),
        )
        cedar = row_of(figures, "Cedar Path Counseling")
        assert (maple.offered, maple.accepted, maple.not_answered, maple.sent_on) == (1, 0, 1, 1)
        assert maple.to_fallback == 0
        assert (birch.offered, birch.accepted, birch.not_answered) == (1, 1, 0)
        assert birch.median_seconds is not None
        assert (cedar.offered, cedar.accepted) == (0, 0)
        assert (figures.total.offered, figures.total.accepted) == (2, 1)
        # The rendered rows say the same: offered, accepted, not answered, sent on, to fallback.
        rows = {cells[0]: cells[1:6] for cells in table_rows(page.content.decode())}
        assert rows["Maple Grove Recovery"] == ["1", "0 (0%)", "1", "1", "0"]
        assert rows["Birch House Treatment"] == ["1", "1 (100%)", "0", "0", "0"]
        assert rows["Cedar Path Counseling"] == ["0", "0", "0", "0", "0"]
        assert rows["All advertisers"] == ["2", "1 (50%)", "1", "1", "0"]


@pytest.fixture
def november(advertisers, detox_line):
    """Calls in November 2026 on several days, and one in December (outside the month)."""
    days = [datetime(2026, 11, d, 15, 0, tzinfo=UTC) for d in (3, 3, 10, 21, 30)]
    call(detox_line, days[0], "accept")  # maple
    call(detox_line, days[1], "no-answer", "accept", answer_after=12)  # birch misses, maple
    call(detox_line, days[2], "busy", "voicemail", "failed")  # three misses, then fallback
    call(detox_line, days[3], "canceled")  # the caller hung up while it rang
    call(detox_line, days[4], "accept", answer_after=20)
    call(detox_line, datetime(2026, 12, 1, 15, 0, tzinfo=UTC), "accept")
    center_line = make_helpline(kind=Helpline.Kind.CENTER, center=make_center(phone="+12025550131"))
    call(center_line, days[2], "completed")
    call(center_line, days[3], "no-answer")
    return date(2026, 11, 1)


class TestFigures:
    def test_they_equal_the_admin_report_summed_over_the_month(self, november):
        figures = statistics.build(statistics.month_period(november))
        daily = reports.answer_rates(since=date(2026, 11, 1), until=date(2026, 11, 30))
        for row in figures.advertisers:
            days = [rate for rate in daily if rate.advertiser_id == row.advertiser_id]
            assert row.offered == sum(rate.offered for rate in days)
            assert row.accepted == sum(rate.answered for rate in days)
            assert row.not_answered == sum(rate.not_answered for rate in days)
            assert row.sent_on == sum(rate.sent_on for rate in days)
            assert row.to_fallback == sum(rate.to_fallback for rate in days)
        assert figures.total.offered == sum(rate.offered for rate in daily) == 8
        assert figures.total.accepted == sum(rate.answered for rate in daily) == 3

    def test_the_figures_of_the_month(self, november):
        figures = statistics.build(statistics.month_period(november))
        assert figures.total.offered == 8
        assert figures.total.accepted == 3
        assert figures.total.not_answered == 4
        assert figures.total.sent_on == 3  # no-answer, busy, voicemail
        assert figures.total.to_fallback == 1  # the third miss in a row
        assert figures.total.median_seconds == 12
        assert (figures.center_calls, figures.center_answered, figures.center_to_fallback) == (
            2,
            1,
            1,
        )
        assert (figures.fallback_calls, figures.fallback_answered) == (2, 0)
        november_bar = next(bar for bar in figures.chart if bar.month == november)
        assert (november_bar.advertiser, november_bar.fallback, november_bar.other) == (3, 1, 1)
        assert len(figures.chart) == statistics.CHART_MONTHS

    def test_a_month_without_calls_shows_zeros(self, client, advertisers):
        response = client.get(URL, {"month": "2025-02"})
        assert response.status_code == 200
        figures = response.context["figures"]
        assert [row.offered for row in figures.advertisers] == [0, 0, 0]
        assert figures.total.median_seconds is None
        assert all(bar.total == 0 for bar in figures.chart)

    def test_callbacks_requested_and_called_back(self, advertisers):
        when = datetime(2026, 11, 5, 15, 0, tzinfo=UTC)
        for status in ("new", "called", "called"):
            CallbackRequest.objects.create(
                advertiser=advertisers.maple,
                phone="+12025550166",
                status=status,
                called_at=when if status == "called" else None,
                created_at=when,
            )
        maple = row_of(
            statistics.build(statistics.month_period(date(2026, 11, 1))), "Maple Grove Recovery"
        )
        assert (maple.callbacks, maple.called_back) == (3, 2)

    def test_a_pause_is_shown(self, client, advertisers):
        now = datetime.now(UTC)
        AdvertiserPause.objects.create(
            advertiser=advertisers.cedar,
            reason=AdvertiserPause.Reason.MISSED_IN_A_ROW,
            missed=5,
            offered_last_hour=5,
            accepted_last_hour=0,
            started_at=now,
            ends_at=now + timedelta(minutes=30),
        )
        advertisers.cedar.paused_until = now + timedelta(minutes=30)
        advertisers.cedar.save(update_fields=["paused_until"])
        html = client.get(URL).content.decode()
        assert "Cedar Path Counseling: paused from" in html
        assert "Paused now" in html


class TestPage:
    def test_constant_queries_then_the_cache(self, client, november, django_assert_num_queries):
        with django_assert_num_queries(QUERIES):
            assert client.get(URL, {"month": "2026-11"}).status_code == 200
        with django_assert_num_queries(QUERIES - STATISTICS_QUERIES):
            client.get(URL, {"month": "2026-11"})

    def test_the_query_count_does_not_grow_with_the_calls(
        self, client, november, detox_line, django_assert_num_queries
    ):
        for day in range(1, 20):
            call(detox_line, datetime(2026, 11, day, 18, 0, tzinfo=UTC), "no-answer", "accept")
        with django_assert_num_queries(QUERIES):
            client.get(URL, {"month": "2026-11"})

    def test_it_is_public_and_cacheable(self, client, advertisers):
        response = client.get(URL)
        assert "public" in response["Cache-Control"]

    @pytest.mark.parametrize(
        "month", ["2030-13", "11-2030", "2030", "x", "1899-01", "9999-01", "2030-1\x00", "٢٠٣٠-١١"]
    )
    def test_a_bad_month_gets_a_message(self, client, advertisers, month):
        response = client.get(URL, {"month": month})
        assert response.status_code == 400
        assert "We could not read the month" in response.content.decode()
        assert response.context["figures"].period.month is None

    def test_the_definitions_are_on_the_page(self, client, advertisers):
        html = client.get(URL).content.decode()
        assert "What each figure means" in html
        assert "pressed 1 to take the call" in html

    def test_the_spanish_page(self, client, advertisers):
        response = client.get("/es" + URL)
        assert response.status_code == 200
        assert "Estadísticas de llamadas" in response.content.decode()

    def test_the_csv_is_the_same_table_with_formulas_neutralised(
        self, client, november, advertisers
    ):
        advertisers.maple.name = "=HYPERLINK(1)"
        advertisers.maple.save(update_fields=["name"])
        response = client.get(URL, {"month": "2026-11", "format": "csv"})
        assert response["Content-Type"].startswith("text/csv")
        rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
        assert rows[0] == statistics.CSV_HEADER
        by_name = {row[2]: row for row in rows[1:]}
        assert "'=HYPERLINK(1)" in by_name
        assert by_name["All advertisers"][3:5] == ["8", "3"]
        assert by_name["Center lines"][3:5] == ["2", "1"]
        assert by_name["Fallback line"][3:5] == ["2", "0"]
        figures = statistics.build(statistics.month_period(date(2026, 11, 1)))
        assert int(by_name["'=HYPERLINK(1)"][3]) == row_of(figures, "=HYPERLINK(1)").offered


# The page's own queries (the site's helpline numbers, the language alternates) plus the
# statistics: current advertisers, the attempts grouped, answer times for the medians (two),
# callbacks and their tallies, center lines, the fallback line, pauses, the chart.
STATISTICS_QUERIES = 10
QUERIES = STATISTICS_QUERIES + 1
