"""The site-wide callback form at /callback/: the request goes to the paid advertiser the
rotation chooses, the page names it before the visitor agrees, and nothing is stored unless
the assignment made under the row locks is that advertiser.

Personas (tests/helplines/conftest.py): ``maple``, ``birch`` and ``cedar``, weights 5/3/2, open
around the clock; the general helpline ``detox_line``.
"""

from collections import Counter

import pytest
from django.urls import reverse

from helplines import services
from helplines.models import Advertiser, CallbackRequest
from tests.factories import callback_form_data, make_advertiser

from .conftest import CALLER, new_call_sid
from .test_callback_center import parse

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_rate_limits")]

URL = reverse("helplines:callback")
PHONE = "(202) 555-0173"


def weights() -> dict[str, int]:
    return dict(Advertiser.objects.values_list("name", "current_weight"))


def call_routed_now(helpline) -> None:
    """A general call arrives and takes its turn in the rotation."""
    services.route_call(
        helpline=helpline, call_sid=new_call_sid(), caller_number=CALLER, to_number=helpline.number
    )


class TestThePage:
    def test_names_the_advertiser_next_in_turn_and_says_it_is_paid(self, client, advertisers):
        body = client.get(URL).content.decode()
        assert "I agree that Maple Grove Recovery may call me on this number" in body
        assert f'name="callback-advertiser" value="{advertisers.maple.pk}"' in body
        assert "paid advertiser" in body
        assert f'href="{reverse("helplines:where-calls-go")}"' in body
        assert advertisers.maple.center.get_absolute_url() in body
        assert body.count("<h1") == 1

    def test_costs_four_queries_however_many_advertisers(
        self, client, advertisers, django_assert_num_queries
    ):
        # The hours with their advertisers, the calls in progress, the named advertiser's
        # listing, and the footer's helplines.
        make_advertiser(name="Extra Desk")
        with django_assert_num_queries(4):
            client.get(URL)

    def test_looking_moves_nothing_and_stores_nothing(self, client, advertisers):
        before = weights()
        for _ in range(3):
            assert "Maple Grove Recovery may call me" in client.get(URL).content.decode()
        assert weights() == before
        assert not CallbackRequest.objects.exists()

    def test_names_whoever_the_rotation_has_reached(self, client, advertisers, detox_line):
        call_routed_now(detox_line)  # maple's turn is taken by a call
        assert "Birch House Treatment may call me" in client.get(URL).content.decode()

    def test_skips_advertisers_that_are_closed_now(self, client, db):
        make_advertiser(name="Night Desk", hours=[])
        make_advertiser(name="Day Desk")
        assert "Day Desk may call me" in client.get(URL).content.decode()


class TestAValidRequest:
    def test_is_assigned_to_the_named_advertiser_and_takes_its_turn(self, client, advertisers):
        response = client.post(URL, callback_form_data(advertisers.maple))
        assert response.status_code == 302
        callback = CallbackRequest.objects.get()
        assert callback.advertiser == advertisers.maple
        assert callback.center is None
        assert callback.phone == "+12025550173"
        assert callback.best_time == "evening"
        # The smooth weighted round-robin step for 5/3/2, maple chosen.
        assert weights() == {
            "Maple Grove Recovery": -5,
            "Birch House Treatment": 3,
            "Cedar Path Counseling": 2,
        }
        body = client.get(response["Location"]).content.decode()
        assert "Maple Grove Recovery will call you back" in body
        assert "paid advertiser" in body

    def test_requests_take_turns_by_weight(self, client, advertisers):
        """Ten requests from ten households: 5, 3 and 2, as the published shares say."""
        for n in range(10):
            page = client.get(URL).content.decode()
            agreed = page.split('name="callback-advertiser" value="', 1)[1].split('"', 1)[0]
            response = client.post(
                URL,
                callback_form_data(None, advertiser=agreed),
                REMOTE_ADDR=f"198.51.100.{n + 1}",
            )
            assert response.status_code == 302
        names = advertisers.by_pk()
        assert Counter(
            names[pk] for pk in CallbackRequest.objects.values_list("advertiser", flat=True)
        ) == {
            "maple": 5,
            "birch": 3,
            "cedar": 2,
        }
        assert set(weights().values()) == {0}

    def test_calls_and_callbacks_share_one_rotation(self, client, advertisers, detox_line):
        call_routed_now(detox_line)  # maple
        assert client.post(URL, callback_form_data(advertisers.birch)).status_code == 302
        call_routed_now(detox_line)  # cedar
        assert CallbackRequest.objects.get().advertiser == advertisers.birch
        assert "Maple Grove Recovery may call me" in client.get(URL).content.decode()


class TestWhenTheRotationMovedOn:
    def test_the_visitor_is_asked_again_with_the_new_name(self, client, advertisers, detox_line):
        page = client.get(URL).content.decode()
        assert "Maple Grove Recovery may call me" in page
        call_routed_now(detox_line)  # meanwhile a call takes maple's turn
        before = weights()

        response = client.post(URL, callback_form_data(advertisers.maple, first_name="Sam"))

        assert response.status_code == 409
        assert not CallbackRequest.objects.exists()
        assert weights() == before  # the refused request took no turn
        body = response.content.decode()
        assert "I agree that Birch House Treatment may call me" in body
        assert "The next advertiser in turn is now Birch House Treatment" in body
        assert f'name="callback-advertiser" value="{advertisers.birch.pk}"' in body
        assert 'value="Sam"' in body
        assert f'value="{PHONE}"' in body
        evening = parse(response).inputs["id_callback-best_time_3"]
        assert evening["value"] == "evening" and "checked" in evening
        consent = body.split('id="id_callback-consent"', 1)[1].split(">", 1)[0]
        assert "checked" not in consent  # agreement to maple is not agreement to birch
        assert 'role="alert"' in body

        again = client.post(URL, callback_form_data(advertisers.birch))
        assert again.status_code == 302
        assert CallbackRequest.objects.get().advertiser == advertisers.birch

    def test_the_assignment_under_the_locks_is_what_counts(self, advertisers):
        """The view's check is a courtesy; the service refuses a stale agreement by itself."""
        services.request_advertiser_callback(
            agreed_advertiser_id=advertisers.maple.pk,
            first_name="",
            phone="+12025550173",
            best_time="any",
        )
        before = weights()
        with pytest.raises(services.RotationMoved) as moved:
            services.request_advertiser_callback(
                agreed_advertiser_id=advertisers.maple.pk,
                first_name="",
                phone="+12025550174",
                best_time="any",
            )
        assert moved.value.advertiser == advertisers.birch
        assert weights() == before
        assert CallbackRequest.objects.count() == 1

    @pytest.mark.parametrize("forged", ["", "0", "abc", "999999"])
    def test_a_missing_or_forged_advertiser_is_never_assigned(self, client, advertisers, forged):
        response = client.post(URL, callback_form_data(None, advertiser=forged))
        assert response.status_code == 409
        assert "I agree that Maple Grove Recovery may call me" in response.content.decode()
        assert not CallbackRequest.objects.exists()


class TestWhenNoAdvertiserIsEligible:
    def test_the_page_says_so_and_offers_the_free_lines(self, client, db):
        make_advertiser(name="Closed Desk", hours=[])
        body = client.get(URL).content.decode()
        assert "No paid advertiser can take a callback request right now" in body
        assert 'href="tel:+18006624357"' in body
        assert 'href="tel:988"' in body
        assert 'name="callback-phone"' not in body
        assert body.count("<h1") == 1

    def test_a_request_posted_then_stores_nothing(self, client, advertisers):
        Advertiser.objects.update(active=False)
        response = client.post(URL, callback_form_data(advertisers.maple))
        assert response.status_code == 200
        body = response.content.decode()
        assert "No paid advertiser can take a callback request right now" in body
        assert "we have not stored anything, including what you typed" in body
        assert PHONE not in body
        assert not CallbackRequest.objects.exists()

    def test_advertisers_at_their_daily_cap_are_not_eligible(self, client, db):
        capped = make_advertiser(name="Small Desk", daily_cap=1)
        assert client.post(URL, callback_form_data(capped)).status_code == 302
        assert "No paid advertiser can take" in client.get(URL).content.decode()
        assert (
            client.post(URL, callback_form_data(capped), REMOTE_ADDR="198.51.100.9").status_code
            == 200
        )
        assert CallbackRequest.objects.count() == 1


class TestAnInvalidRequest:
    @pytest.mark.parametrize(
        ("field", "value", "message"),
        [
            ("phone", "", "Enter the phone number to call you on."),
            ("phone", "12345", "Enter a US phone number with its area code"),
            ("first_name", "4", "without numbers"),
            ("best_time", "never", "Choose one of the times listed."),
            ("consent", "", "Tick this box if you agree that Maple Grove Recovery may call you."),
        ],
    )
    def test_shows_the_error_keeps_the_rest_and_stores_nothing(
        self, client, advertisers, field, value, message
    ):
        before = weights()
        response = client.post(URL, callback_form_data(advertisers.maple, **{field: value}))
        assert response.status_code == 400
        body = response.content.decode()
        assert message in body
        assert "Maple Grove Recovery may call me" in body
        assert f'name="callback-advertiser" value="{advertisers.maple.pk}"' in body
        assert 'name="callback-first_name"' in body and (
            field == "first_name" or 'value="Sam"' in body
        )
        assert not CallbackRequest.objects.exists()
        assert weights() == before
