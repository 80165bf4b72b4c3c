"""The editors' accuracy dashboard: its figures on built data, the rows behind every figure,
a query count that does not grow with the data, and staff only."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from centers import accuracy
from centers.models import Center, ProblemReport
from tests.factories import make_center

pytestmark = pytest.mark.django_db

URL = "/admin/centers/center/accuracy/"
# The session and its user (2), then the dashboard: centers by state, open reports counted, the
# oldest of them with their centers, reports closed in the last year (4).
PAGE_QUERIES = 6


@pytest.fixture
def editor(client):
    user = get_user_model().objects.create_superuser("editor", "editor@example.org", "x-pass-1")
    client.force_login(user)
    return client


def days_ago(days: float):
    return timezone.now() - timedelta(days=days)


def report(center, *, kind="phone", status="new", age=1.0, took=None) -> ProblemReport:
    """A report made ``age`` days ago, closed ``took`` days after it was made."""
    created = days_ago(age)
    return ProblemReport.objects.create(
        center=center,
        kind=kind,
        status=status,
        created_at=created,
        resolved_at=None if took is None else created + timedelta(days=took),
    )


@pytest.fixture
def built():
    today = timezone.localdate()
    ca = [
        make_center(state="CA", last_verified=today - timedelta(days=10)),
        make_center(state="CA", last_verified=today - timedelta(days=200)),
        make_center(state="CA", last_verified=today - timedelta(days=400)),
        make_center(state="CA"),
    ]
    Center.objects.filter(pk=ca[3].pk).update(in_latest_directory=False)
    il = [
        make_center(state="IL", last_verified=today - timedelta(days=89)),
        make_center(state="IL"),
    ]
    # Hidden listings are not in any share.
    make_center(state="IL", status="hidden", last_verified=today)
    report(ca[0], kind="disconnected", age=2)
    report(ca[0], kind="disconnected", status="confirmed", age=10)
    report(il[0], kind="phone", age=40)
    report(il[1], kind="disconnected", status="fixed", age=5, took=2)
    report(ca[1], status="rejected", age=20, took=4)
    report(ca[2], status="fixed", age=30, took=6)
    report(ca[2], status="fixed", age=800, took=1)  # closed long ago: not in the median
    return ca, il


def test_figures_on_built_data(built):
    board = accuracy.dashboard()
    figures = {
        row.state: (row.total, row.recent.value, row.year.value, row.not_in_latest.value)
        for row in [*board.states, board.nation]
    }
    assert figures == {"CA": (4, 1, 2, 1), "IL": (2, 1, 1, 0), "": (6, 2, 3, 1)}
    assert board.nation.recent_share == pytest.approx(2 / 6)
    assert board.open_reports.value == 3
    assert [band.count.value for band in board.open_by_age] == [1, 1, 1]
    assert timezone.now() - board.oldest_open == pytest.approx(
        timedelta(days=40), abs=timedelta(minutes=1)
    )
    assert board.median_to_resolve == timedelta(days=4)
    assert board.median_to_resolve_text == "4 days 0 hours"
    assert board.resolved_last_year.value == 3
    assert board.disconnected.value == 1  # two open reports, one listing; the fixed one is out
    assert [(r.kind, r.status) for r in board.oldest_reports] == [
        ("phone", "new"),
        ("disconnected", "confirmed"),
        ("disconnected", "new"),
    ]


def test_every_figure_opens_the_rows_behind_it(editor, built):
    board = accuracy.dashboard()
    figures = [board.open_reports, board.resolved_last_year, board.disconnected]
    figures += [band.count for band in board.open_by_age]
    for row in [*board.states, board.nation]:
        figures += [row.recent, row.year, row.not_in_latest]
    for figure in figures:
        response = editor.get(figure.url)
        assert response.status_code == 200, figure.url
        assert response.context["cl"].result_count == figure.value, figure.url


def test_the_page_shows_the_figures_with_a_constant_query_count(
    editor, built, django_assert_num_queries
):
    with django_assert_num_queries(PAGE_QUERIES):
        page = editor.get(URL)
    assert page.status_code == 200
    body = page.text
    assert "Listings with an open report of a disconnected number" in body
    assert "4 days 0 hours" in body and "33%" in body
    assert "The open reports waiting longest" in body and "1\xa0month" in body
    # More states, listings and reports cost no query more.
    for state in ("NY", "TX", "WA"):
        center = make_center(state=state, last_verified=timezone.localdate())
        report(center, kind="disconnected", age=3)
        report(center, status="fixed", age=9, took=1)
    with django_assert_num_queries(PAGE_QUERIES):
        assert "WA" in editor.get(URL).text


def test_an_empty_directory_shows_a_calm_page(editor):
    body = editor.get(URL).text
    assert "No published listings." in body and "none resolved" in body


def test_the_center_list_links_to_the_dashboard(editor):
    assert URL in editor.get(reverse("admin:centers_center_changelist")).text


def test_staff_only(client, built):
    assert client.get(URL).status_code == 302  # to the admin's sign-in
    clerk = get_user_model().objects.create_user("clerk", "c@example.org", "x-pass-1")
    clerk.is_staff = True
    clerk.save()
    client.force_login(clerk)
    assert client.get(URL).status_code == 403
    clerk.user_permissions.add(Permission.objects.get(codename="view_center"))
    assert client.get(URL).status_code == 200
