"""What protects the callback forms and the people who use them: the hidden field that catches
bots, the per-client rate limit, and a phone number that never reaches a log or an error report.

Personas: ``harbor``, a center; ``maple``, ``birch`` and ``cedar``, the paid advertisers of
tests/helplines/conftest.py. Every number is in the range reserved for fiction.
"""

import logging
from html.parser import HTMLParser

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission, User
from django.core.cache import cache
from django.test import RequestFactory
from django.urls import reverse
from django.views.debug import SafeExceptionReporterFilter

from centers.models import Center
from helplines import services, views
from helplines.models import Advertiser, CallbackRequest
from tests.factories import callback_form_data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_rate_limits")]

SITE_URL = reverse("helplines:callback")
PHONE = "(202) 555-0173"
# Every way the number could have been written down.
PHONE_FORMS = ("(202) 555-0173", "+12025550173", "2025550173", "555-0173", "5550173")


def center_url(center: Center) -> str:
    return reverse("helplines:center-callback", args=[center.slug])


class TestTheHiddenField:
    def test_a_bot_on_a_center_page_is_thanked_and_nothing_is_stored(self, client, harbor):
        response = client.post(
            center_url(harbor), callback_form_data(website="https://spam.example")
        )
        assert response.status_code == 302
        assert not CallbackRequest.objects.exists()
        body = client.get(response["Location"]).content.decode()
        assert "Harbor Light Recovery will call you back" in body

    def test_a_bot_on_the_site_wide_form_takes_no_turn(self, client, advertisers):
        before = list(Advertiser.objects.values_list("current_weight", flat=True))
        response = client.post(
            SITE_URL, callback_form_data(advertisers.maple, website="http://x.example")
        )
        assert response.status_code == 302
        assert (
            "Maple Grove Recovery will call you back"
            in client.get(response["Location"]).content.decode()
        )
        assert not CallbackRequest.objects.exists()
        assert list(Advertiser.objects.values_list("current_weight", flat=True)) == before

    def test_a_bot_is_thanked_even_when_the_rest_is_invalid(self, client, harbor):
        response = client.post(center_url(harbor), callback_form_data(phone="x", website="y"))
        assert response.status_code == 302
        assert not CallbackRequest.objects.exists()

    def test_is_hidden_from_people_and_from_the_keyboard(self, client, harbor):
        body = client.get(harbor.get_absolute_url()).content.decode()
        wrapper = body.split('<div class="hp" aria-hidden="true">', 1)[1].split("</div>", 1)[0]
        assert 'name="callback-website"' in wrapper
        assert 'tabindex="-1"' in wrapper and 'autocomplete="off"' in wrapper

    def test_a_forged_thank_you_link_names_nobody(self, client):
        url = reverse("helplines:callback-sent") + "?r=eyJjZW50ZXIiOjF9:forged:signature"
        body = client.get(url).content.decode()
        assert "will call you back" not in body
        assert "Your callback request" in body


class TestTheRateLimit:
    def test_the_sixth_request_in_an_hour_gets_429_and_is_not_stored(self, client, harbor):
        for _ in range(services.RATE_LIMIT):
            assert client.post(center_url(harbor), callback_form_data()).status_code == 302
        response = client.post(center_url(harbor), callback_form_data())
        assert response.status_code == 429
        assert response["Retry-After"] == "3600"
        body = response.content.decode()
        assert "Too many callback requests" in body
        assert "up to 5 callback requests an hour" in body
        assert 'href="tel:+18006624357"' in body
        assert body.count("<h1") == 1
        assert CallbackRequest.objects.count() == services.RATE_LIMIT

    def test_center_pages_and_the_site_wide_form_share_one_count(self, client, harbor, advertisers):
        for _ in range(services.RATE_LIMIT):
            assert client.post(center_url(harbor), callback_form_data()).status_code == 302
        page = client.get(SITE_URL).content.decode()
        agreed = page.split('name="callback-advertiser" value="', 1)[1].split('"', 1)[0]
        response = client.post(SITE_URL, {**callback_form_data(), "callback-advertiser": agreed})
        assert response.status_code == 429
        assert not CallbackRequest.objects.filter(advertiser__isnull=False).exists()

    def test_bots_caught_by_the_hidden_field_are_counted_too(self, client, harbor):
        for _ in range(services.RATE_LIMIT):
            client.post(center_url(harbor), callback_form_data(website="x"))
        assert client.post(center_url(harbor), callback_form_data()).status_code == 429
        assert not CallbackRequest.objects.exists()

    def test_mistakes_do_not_use_up_the_allowance(self, client, harbor):
        for _ in range(services.RATE_LIMIT + 3):
            assert (
                client.post(center_url(harbor), callback_form_data(phone="oops")).status_code == 400
            )
        assert client.post(center_url(harbor), callback_form_data()).status_code == 302

    def test_each_client_has_its_own_count(self, client, harbor):
        for _ in range(services.RATE_LIMIT):
            client.post(center_url(harbor), callback_form_data(), REMOTE_ADDR="198.51.100.7")
        assert (
            client.post(
                center_url(harbor), callback_form_data(), REMOTE_ADDR="198.51.100.7"
            ).status_code
            == 429
        )
        assert (
            client.post(
                center_url(harbor), callback_form_data(), REMOTE_ADDR="198.51.100.8"
            ).status_code
            == 302
        )

    def test_the_count_is_kept_under_a_keyed_hash_never_the_address(self, client, harbor):
        client.post(center_url(harbor), callback_form_data(), REMOTE_ADDR="198.51.100.7")
        # LocMemCache's own store: the only place the count lives in tests.
        keys = list(cache._cache)
        assert len(keys) == 1
        assert "198.51.100.7" not in keys[0]
        assert "callback-rate:" in keys[0]

    def test_a_new_window_starts_when_the_old_one_expires(self, client, harbor):
        for _ in range(services.RATE_LIMIT):
            client.post(center_url(harbor), callback_form_data())
        cache.clear()  # what the cache does when the entry's hour is up
        assert client.post(center_url(harbor), callback_form_data()).status_code == 302

    def test_behind_our_proxy_the_address_it_saw_is_what_counts(self, client, harbor, settings):
        settings.TRUSTED_PROXY_COUNT = 1

        def post(forwarded_for: str) -> int:
            return client.post(
                center_url(harbor),
                callback_form_data(),
                REMOTE_ADDR="10.0.0.2",
                HTTP_X_FORWARDED_FOR=forwarded_for,
            ).status_code

        for _ in range(services.RATE_LIMIT):
            assert post("198.51.100.7") == 302
        # A client cannot escape by writing its own X-Forwarded-For: the proxy appends the
        # address it saw, and only that last entry counts.
        assert post("203.0.113.99, 198.51.100.7") == 429
        assert post("198.51.100.8") == 302  # another family behind the same proxy

    def test_without_a_proxy_x_forwarded_for_is_ignored(self, client, harbor):
        for n in range(services.RATE_LIMIT):
            client.post(
                center_url(harbor), callback_form_data(), HTTP_X_FORWARDED_FOR=f"203.0.113.{n}"
            )
        response = client.post(
            center_url(harbor), callback_form_data(), HTTP_X_FORWARDED_FOR="203.0.113.99"
        )
        assert response.status_code == 429


class TestThePhoneNumberStaysOutOfLogs:
    def test_no_log_record_of_any_path_holds_the_number(
        self, client, harbor, advertisers, detox_line, caplog
    ):
        caplog.set_level(logging.DEBUG)
        # Valid, invalid, hidden field, rotation moved, nobody eligible, rate limited.
        client.post(center_url(harbor), callback_form_data())
        client.post(center_url(harbor), callback_form_data(phone="(202) 555-01735"))
        client.post(center_url(harbor), callback_form_data(website="x"))
        client.post(SITE_URL, callback_form_data(advertisers.maple))
        client.post(SITE_URL, callback_form_data(advertisers.maple))  # birch is next now
        for n in range(services.RATE_LIMIT):
            client.post(center_url(harbor), callback_form_data(), REMOTE_ADDR=f"198.51.100.{n}")
        client.post(center_url(harbor), callback_form_data(), REMOTE_ADDR="198.51.100.4")
        Advertiser.objects.update(active=False)
        client.post(SITE_URL, callback_form_data(advertisers.birch))
        # Staff handling the queue.
        handler = User.objects.create_user("handler", is_staff=True)
        handler.user_permissions.add(Permission.objects.get(codename="handle_callbackrequest"))
        client.force_login(handler)
        callback = CallbackRequest.objects.first()
        client.get(reverse("admin:helplines_callbackrequest_changelist"))
        client.post(
            reverse("admin:helplines_callbackrequest_change", args=[callback.pk]),
            {"status": "called"},
        )

        assert CallbackRequest.objects.filter(phone="+12025550173").count() >= 2
        assert caplog.records, "nothing was logged: the test is not looking"
        assert any("Callback request" in record.getMessage() for record in caplog.records)
        for record in caplog.records:
            text = record.getMessage() + (record.exc_text or "")
            for form in PHONE_FORMS:
                assert form not in text, record.getMessage()

    def test_admin_history_never_holds_the_number(self, admin_client, harbor):
        callback = services.request_center_callback(
            center=harbor, first_name="Sam", phone="+12025550173", best_time="any"
        )
        admin_client.post(
            reverse("admin:helplines_callbackrequest_change", args=[callback.pk]),
            {"status": "closed"},
        )
        entry = LogEntry.objects.get()
        assert "555" not in entry.object_repr + entry.change_message
        assert "Sam" not in entry.object_repr

    @pytest.mark.parametrize("view_name", ["callback", "center_callback"])
    def test_error_reports_hide_the_name_and_the_number(self, harbor, advertisers, view_name):
        """If a callback view ever fails, Django's error report must not print them."""
        request = RequestFactory().post("/", callback_form_data(advertisers.maple))
        request._dont_enforce_csrf_checks = True
        if view_name == "center_callback":
            views.center_callback(request, slug=harbor.slug)
        else:
            views.callback(request)
        cleansed = SafeExceptionReporterFilter().get_post_parameters(request)
        substitute = SafeExceptionReporterFilter.cleansed_substitute
        assert cleansed["callback-phone"] == substitute
        assert cleansed["callback-first_name"] == substitute
        assert cleansed["callback-best_time"] == "evening"


class Resources(HTMLParser):
    """Inline scripts and styles, and anything the page would load from another origin."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if "style" in attributes or any(name.startswith("on") for name in attributes):
            self.problems.append(f"inline style or handler on <{tag}>")
        # A JSON-LD block is data, which browsers never run (tests/centers/test_structured_data.py).
        data = attributes.get("type") == "application/ld+json"
        if tag == "script" and not attributes.get("src") and not data:
            self.problems.append("inline <script>")
        if tag in {"style", "iframe", "object", "embed"}:
            self.problems.append(f"<{tag}>")
        # rel=canonical and rel=alternate name an address; they load nothing.
        loaded = tag == "link" and attributes.get("rel") not in ("canonical", "alternate")
        source = attributes.get("src") or (attributes.get("href") if loaded else None)
        if source and not source.startswith("/"):
            self.problems.append(f"<{tag}> loads {source}")


def test_no_page_of_the_flow_loads_anything_from_elsewhere_or_inline(client, harbor, advertisers):
    pages = {
        "center page": client.get(harbor.get_absolute_url()),
        "center form with errors": client.post(center_url(harbor), callback_form_data(phone="x")),
        "site-wide form": client.get(SITE_URL),
        "site-wide form with errors": client.post(
            SITE_URL, callback_form_data(advertisers.maple, phone="x")
        ),
        "sent": client.get(client.post(center_url(harbor), callback_form_data())["Location"]),
    }
    for _ in range(services.RATE_LIMIT):
        client.post(center_url(harbor), callback_form_data(), REMOTE_ADDR="198.51.100.9")
    pages["rate limited"] = client.post(
        center_url(harbor), callback_form_data(), REMOTE_ADDR="198.51.100.9"
    )
    Advertiser.objects.update(active=False)
    pages["nobody available"] = client.get(SITE_URL)
    for name, response in pages.items():
        assert response.status_code in {200, 400, 429}, name
        parser = Resources()
        parser.feed(response.content.decode())
        assert parser.problems == [], name
        assert "script-src 'self'" in response["Content-Security-Policy"], name
