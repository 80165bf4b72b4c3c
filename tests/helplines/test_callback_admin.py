"""The callback queue in the admin: only staff holding ``handle_callbackrequest`` see it.

Personas: ``carol``, staff who handles callbacks (she holds the permission); ``sid``, staff who
edits listings and does not; ``ada``, a superuser. Requests: ``waiting`` (new, from a center
page), ``older`` (new, older, for an advertiser), ``done`` (called back).
"""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from helplines import services
from helplines.models import CallbackRequest
from tests.factories import make_advertiser, make_center

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:helplines_callbackrequest_changelist")


def staff(username: str, *codenames: str) -> Client:
    user = User.objects.create(username=username, is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def carol() -> Client:
    return staff("carol", "handle_callbackrequest")


@pytest.fixture
def sid() -> Client:
    return staff("sid", "change_center", "view_center", "view_advertiser", "view_call")


@pytest.fixture
def ada() -> Client:
    client = Client()
    client.force_login(User.objects.create(username="ada", is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def queue() -> dict[str, CallbackRequest]:
    now = timezone.now()
    harbor = make_center(name="Harbor Light Recovery")
    maple = make_advertiser(name="Maple Grove Recovery")
    waiting = services.request_center_callback(
        center=harbor, first_name="Sam", phone="+12025550173", best_time="evening", now=now
    )
    older = services.request_advertiser_callback(
        agreed_advertiser_id=maple.pk,
        first_name="",
        phone="+13125550164",
        best_time="any",
        now=now - timedelta(hours=3),
    )
    done = services.request_center_callback(
        center=harbor,
        first_name="Lee",
        phone="+14155550190",
        best_time="morning",
        now=now - timedelta(days=1),
    )
    CallbackRequest.objects.filter(pk=done.pk).mark_called(now)
    return {"waiting": waiting, "older": older, "done": done}


def change_url(callback: CallbackRequest) -> str:
    return reverse("admin:helplines_callbackrequest_change", args=[callback.pk])


class TestWhoMaySeeRequests:
    def test_staff_without_the_permission_are_refused_everywhere(self, sid, queue):
        assert sid.get(CHANGELIST).status_code == 403
        assert sid.get(change_url(queue["waiting"])).status_code == 403
        assert sid.post(change_url(queue["waiting"]), {"status": "closed"}).status_code == 403
        index = sid.get(reverse("admin:index")).content.decode()
        assert "Callback requests" not in index
        assert CallbackRequest.objects.get(pk=queue["waiting"].pk).status == "new"

    def test_staff_without_the_permission_cannot_act_on_requests(self, sid, queue):
        response = sid.post(
            CHANGELIST, {"action": "close", "_selected_action": [queue["waiting"].pk]}
        )
        assert response.status_code == 403
        assert not CallbackRequest.objects.filter(status="closed").exists()

    def test_staff_holding_it_see_the_queue_with_the_numbers(self, carol, queue):
        response = carol.get(CHANGELIST)
        assert response.status_code == 200
        body = response.content.decode()
        assert "(202) 555-0173" in body
        assert 'href="tel:+12025550173"' in body
        assert "Harbor Light Recovery" in body
        assert "Maple Grove Recovery (paid advertiser)" in body
        assert "Callback requests" in carol.get(reverse("admin:index")).content.decode()

    def test_a_superuser_sees_them(self, ada, queue):
        assert ada.get(CHANGELIST).status_code == 200
        assert ada.get(change_url(queue["waiting"])).status_code == 200

    def test_the_permission_is_the_only_one_the_model_has(self):
        codenames = set(
            Permission.objects.filter(content_type__model="callbackrequest").values_list(
                "codename", flat=True
            )
        )
        assert codenames == {"handle_callbackrequest"}

    def test_nobody_adds_requests_in_the_admin(self, carol, ada):
        assert carol.get(reverse("admin:helplines_callbackrequest_add")).status_code == 403
        assert ada.get(reverse("admin:helplines_callbackrequest_add")).status_code == 403


class TestTheQueue:
    def test_new_requests_come_first_oldest_first(self, carol, queue):
        listed = list(carol.get(CHANGELIST).context["cl"].result_list)
        assert listed == [queue["older"], queue["waiting"], queue["done"]]

    def test_one_query_for_the_rows_whatever_their_number(
        self, carol, queue, django_assert_max_num_queries
    ):
        # Session, user, permissions, count, the rows with their center and advertiser, and
        # the advertiser filter's choices: no query per row.
        with django_assert_max_num_queries(10):
            carol.get(CHANGELIST)
        for _ in range(10):
            services.request_center_callback(
                center=queue["waiting"].center, first_name="", phone="+12025550100", best_time="any"
            )
        with django_assert_max_num_queries(10):
            carol.get(CHANGELIST)

    @pytest.mark.parametrize(
        ("query", "expected"),
        [
            ("status__exact=new", {"waiting", "older"}),
            ("status__exact=called", {"done"}),
            ("sent_to=center", {"waiting", "done"}),
            ("sent_to=advertiser", {"older"}),
            ("best_time__exact=evening", {"waiting"}),
        ],
    )
    def test_filters(self, carol, queue, query, expected):
        listed = set(carol.get(f"{CHANGELIST}?{query}").context["cl"].result_list)
        assert listed == {queue[name] for name in expected}

    def test_mark_called_stamps_only_new_requests(self, carol, queue):
        done_at = CallbackRequest.objects.get(pk=queue["done"].pk).called_at
        response = carol.post(
            CHANGELIST,
            {
                "action": "mark_called",
                "_selected_action": [queue["waiting"].pk, queue["done"].pk],
            },
            follow=True,
        )
        assert "1 new request marked as called back." in response.content.decode()
        waiting = CallbackRequest.objects.get(pk=queue["waiting"].pk)
        assert waiting.status == "called" and waiting.called_at is not None
        assert CallbackRequest.objects.get(pk=queue["done"].pk).called_at == done_at

    def test_close(self, carol, queue):
        response = carol.post(
            CHANGELIST,
            {"action": "close", "_selected_action": [c.pk for c in queue.values()]},
            follow=True,
        )
        assert "3 requests closed." in response.content.decode()
        assert set(CallbackRequest.objects.values_list("status", flat=True)) == {"closed"}
        assert not CallbackRequest.objects.filter(closed_at__isnull=True).exists()

    def test_the_change_form_changes_the_status_only_and_stamps_it(self, carol, queue):
        waiting = queue["waiting"]
        response = carol.post(
            change_url(waiting),
            {"status": "called", "phone": "+19995550100", "first_name": "Mallory"},
        )
        assert response.status_code == 302
        waiting.refresh_from_db()
        assert waiting.status == "called"
        assert waiting.called_at is not None
        assert (waiting.phone, waiting.first_name) == ("+12025550173", "Sam")

    def test_a_request_can_be_deleted_on_request(self, carol, queue):
        response = carol.post(
            reverse("admin:helplines_callbackrequest_delete", args=[queue["waiting"].pk]),
            {"post": "yes"},
        )
        assert response.status_code == 302
        assert not CallbackRequest.objects.filter(pk=queue["waiting"].pk).exists()
