"""A callback request from a center's page: it goes to that center, and to nobody else.

Persona: ``harbor``, a published center (Harbor Light Recovery) whose page a family is reading.
Phone numbers are in the range reserved for fiction (NXX-555-0100 to 0199).
"""

from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from centers.models import Center
from helplines.models import CallbackRequest
from tests.factories import callback_form_data, make_center

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_rate_limits")]

PHONE = "(202) 555-0173"
STORED = "+12025550173"


def url_for(center: Center) -> str:
    return reverse("helplines:center-callback", args=[center.slug])


class Inputs(HTMLParser):
    """The attributes of every input, by id, and the number of <h1> elements."""

    def __init__(self) -> None:
        super().__init__()
        self.inputs: dict[str, dict[str, str | None]] = {}
        self.h1_count = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "input" and attributes.get("id"):
            self.inputs[attributes["id"] or ""] = attributes
        if tag == "h1":
            self.h1_count += 1


def parse(response) -> Inputs:
    parser = Inputs()
    parser.feed(response.content.decode())
    return parser


class TestTheForm:
    def test_is_on_the_centers_page_and_names_the_center(self, client, harbor):
        response = client.get(harbor.get_absolute_url())
        body = response.content.decode()
        assert 'id="callback"' in body
        assert f'action="{url_for(harbor)}"' in body
        assert "I agree that Harbor Light Recovery may call me on this number" in body
        inputs = parse(response).inputs
        assert inputs["id_callback-phone"]["type"] == "tel"
        assert inputs["id_callback-consent"]["type"] == "checkbox"
        assert "checked" not in inputs["id_callback-consent"]
        assert inputs["id_callback-best_time_0"]["value"] == "any"
        assert "checked" in inputs["id_callback-best_time_0"]
        # The center's page is shared by a CDN: its token arrives with the visitor's own part.
        assert "csrfmiddlewaretoken" not in body
        assert 'id="callback-form" class="callback__form" novalidate data-needs-token>' in body

    def test_asks_for_nothing_about_health_insurance_or_birth(self, client, harbor):
        inputs = parse(client.get(url_for(harbor))).inputs
        names = {attributes["name"] for attributes in inputs.values()}
        assert names == {
            "callback-first_name",
            "callback-phone",
            "callback-best_time",
            "callback-consent",
            "callback-website",
        }

    def test_offers_exactly_the_stored_choices_of_time(self, client, harbor):
        """The page writes the radio buttons out by hand: they must match the model's."""
        inputs = parse(client.get(harbor.get_absolute_url())).inputs
        offered = [
            attributes["value"]
            for id_, attributes in inputs.items()
            if id_.startswith("id_callback-best_time_")
        ]
        assert offered == CallbackRequest.BestTime.values
        body = client.get(harbor.get_absolute_url()).content.decode()
        for label in CallbackRequest.BestTime.labels:
            assert f">{label}</label>" in body

    def test_a_closed_center_offers_no_callback(self, client):
        closed = make_center(status=Center.Status.CLOSED)
        assert 'id="callback"' not in client.get(closed.get_absolute_url()).content.decode()
        assert client.post(url_for(closed), callback_form_data()).status_code == 404
        assert not CallbackRequest.objects.exists()

    def test_a_hidden_center_takes_no_request(self, client):
        hidden = make_center(status=Center.Status.HIDDEN)
        assert client.post(url_for(hidden), callback_form_data()).status_code == 404

    def test_has_a_page_of_its_own_with_one_h1(self, client, harbor):
        response = client.get(url_for(harbor))
        assert response.status_code == 200
        assert parse(response).h1_count == 1
        assert response["Cache-Control"].startswith("max-age=0")

    def test_other_methods_are_refused(self, client, harbor):
        assert client.put(url_for(harbor)).status_code == 405


class TestAValidRequest:
    def test_is_stored_for_the_center_and_thanked_by_name(self, client, harbor):
        response = client.post(url_for(harbor), callback_form_data())
        assert response.status_code == 302
        callback = CallbackRequest.objects.get()
        assert callback.center == harbor
        assert callback.advertiser is None
        assert callback.first_name == "Sam"
        assert callback.phone == STORED
        assert callback.best_time == "evening"
        assert callback.status == CallbackRequest.Status.NEW
        assert callback.called_at is None and callback.closed_at is None

        thanks = client.get(response["Location"])
        body = thanks.content.decode()
        assert "Harbor Light Recovery will call you back" in body
        assert "evening" in body
        assert "30 days" in body
        assert parse(thanks).h1_count == 1
        # The thank-you page's address carries no phone number, in any form.
        assert "555" not in response["Location"]

    @pytest.mark.parametrize(
        ("typed", "stored"),
        [
            ("202-555-0173", "+12025550173"),
            ("+1 202 555 0173", "+12025550173"),
            ("1 (202) 555-0173", "+12025550173"),
            ("202.555.0173 x12", "+12025550173;ext=12"),
        ],
    )
    def test_the_number_is_stored_normalised(self, client, harbor, typed, stored):
        assert client.post(url_for(harbor), callback_form_data(phone=typed)).status_code == 302
        assert CallbackRequest.objects.get().phone == stored

    def test_the_first_name_is_optional(self, client, harbor):
        assert client.post(url_for(harbor), callback_form_data(first_name="")).status_code == 302
        assert CallbackRequest.objects.get().first_name == ""


# (field changed, value, input whose error shows, words of the error)
INVALID = [
    ("phone", "", "id_callback-phone", "Enter the phone number to call you on."),
    ("phone", "call me", "id_callback-phone", "Enter a US phone number with its area code"),
    ("phone", "555-0173", "id_callback-phone", "Enter a US phone number with its area code"),
    ("phone", "(202) 555-01", "id_callback-phone", "Enter a US phone number with its area code"),
    ("phone", "+44 20 7183 8750", "id_callback-phone", "only arrange calls to US phone numbers"),
    ("phone", "2" * 41, "id_callback-phone", "at most 40 characters"),
    ("first_name", "S4m", "id_callback-first_name", "without numbers"),
    ("first_name", "S" * 51, "id_callback-first_name", "at most 50 characters"),
    ("best_time", "", "id_callback-best_time", "Choose the best time to call you."),
    ("best_time", "midnight", "id_callback-best_time", "Choose one of the times listed."),
    ("consent", "", "id_callback-consent", "Tick this box if you agree that Harbor Light Recovery"),
]


class TestAnInvalidRequest:
    @pytest.mark.parametrize(("field", "value", "input_id", "message"), INVALID)
    def test_each_bad_field_gets_its_own_error_and_nothing_is_stored(
        self, client, harbor, field, value, input_id, message
    ):
        response = client.post(url_for(harbor), callback_form_data(**{field: value}))
        assert response.status_code == 400
        assert not CallbackRequest.objects.exists()
        body = response.content.decode()
        # Next to the field, tied to it for screen readers, and in the summary at the top.
        error = body.split(f'id="{input_id}_error">', 1)[1].split("</p>", 1)[0]
        assert message in error
        assert 'role="alert"' in body
        assert "Nothing has been sent yet" in body
        inputs = parse(response).inputs
        if field != "best_time":
            assert f"{input_id}_error" in inputs[input_id]["aria-describedby"]
            assert inputs[input_id]["aria-invalid"] == "true"
        anchor = f"{input_id}_0" if field == "best_time" else input_id
        assert f'<a href="#{anchor}">' in body

    def test_what_was_typed_is_kept(self, client, harbor):
        response = client.post(
            url_for(harbor),
            callback_form_data(first_name="Sam", phone="202-555-01", best_time="morning"),
        )
        inputs = parse(response).inputs
        assert inputs["id_callback-first_name"]["value"] == "Sam"
        assert inputs["id_callback-phone"]["value"] == "202-555-01"
        assert "checked" in inputs["id_callback-best_time_1"]
        assert "checked" not in inputs["id_callback-best_time_0"]
        assert "checked" in inputs["id_callback-consent"]

    def test_the_error_page_has_one_h1_and_the_summary_takes_focus(self, client, harbor):
        response = client.post(url_for(harbor), callback_form_data(phone="nope"))
        assert parse(response).h1_count == 1
        summary = response.content.decode().split('id="callback-errors"', 1)[1].split(">", 1)[0]
        assert 'tabindex="-1"' in summary and "autofocus" in summary

    def test_every_error_is_listed_once_in_the_summary(self, client, harbor):
        response = client.post(
            url_for(harbor), callback_form_data(phone="", first_name="4", consent="")
        )
        assert "There are 3 problems with your request" in response.content.decode()


def test_a_request_without_the_csrf_token_is_refused(harbor):
    client = Client(enforce_csrf_checks=True)
    response = client.post(url_for(harbor), callback_form_data())
    assert response.status_code == 403
    assert "Send it again" not in response.content.decode()  # no sign it came from our page
    assert not CallbackRequest.objects.exists()


def test_without_scripts_a_post_from_our_page_is_sent_again_with_a_token(harbor):
    """The shared page has no token; scripts off, the refusal offers the same form back."""
    client = Client(enforce_csrf_checks=True)
    data = callback_form_data()
    refused = client.post(url_for(harbor), data, headers={"Sec-Fetch-Site": "same-origin"})
    assert refused.status_code == 403
    assert "no-store" in refused["Cache-Control"]
    assert not CallbackRequest.objects.exists()
    body = refused.content.decode()
    assert f'<form method="post" action="{url_for(harbor)}">' in body
    token = body.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    for name, value in data.items():
        assert f'name="{name}" value="{value}"' in body
    response = client.post(url_for(harbor), {**data, "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert CallbackRequest.objects.count() == 1


def test_the_form_posts_with_the_token_the_visitor_part_gives(harbor):
    client = Client(enforce_csrf_checks=True)
    part = client.get("/visitor/", {"next": harbor.get_absolute_url()}).content.decode()
    token = part.split('id="visitor-token" value="', 1)[1].split('"', 1)[0]
    response = client.post(url_for(harbor), {**callback_form_data(), "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert CallbackRequest.objects.count() == 1


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_box_drawn_from_its_skeleton_is_the_box_the_template_renders(language):
    """Centers with odd names, paid and not, listed and not: the callback box drawn from a
    skeleton equals the template's, and no shape falls back to rendering."""
    from django.template import Context
    from django.template.loader import render_to_string
    from django.utils import translation

    from helplines.forms import CallbackForm
    from helplines.templatetags.helplines import (
        CENTER_CALLBACK,
        center_callback,
        center_callback_skeletons,
    )

    center_callback_skeletons.clear()
    names = ['A & B "Recovery" <Place>', "O'Fallon Señor", "Plain"]
    with translation.override(language):
        for n, name in enumerate(names * 2):
            center = make_center(name=name)
            center.is_paid_advertiser = n % 2 == 0
            expected = render_to_string(
                CENTER_CALLBACK,
                {
                    "center": center,
                    "form": CallbackForm(callee=name),
                    "callback_url": url_for(center),
                    "shared_page": True,
                },
            )
            assert center_callback(Context({"center": center})) == expected
            assert "call you back" in expected or "le llame" in expected
    assert len(center_callback_skeletons._skeletons) == 2
    assert None not in center_callback_skeletons._skeletons.values()
