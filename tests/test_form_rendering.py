"""Every form renders through one field template: label, help text and errors linked."""

from html.parser import HTMLParser

from centers.forms import ProblemReportForm
from helplines.forms import CallbackForm


class Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.by_id: dict[str, dict[str, str | None]] = {}
        self.labels: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {"tag": tag, **dict(attrs)}
        if attributes.get("id"):
            self.by_id[attributes["id"] or ""] = attributes
        if tag == "label":
            self.labels[attributes.get("for") or ""] = tag


def parse(html: str) -> Elements:
    parser = Elements()
    parser.feed(html)
    return parser


def test_a_field_with_an_error_names_its_help_text_and_error():
    form = CallbackForm({"callback-phone": "12"}, callee="Maple Grove")
    html = str(form["phone"].as_field_group())
    page = parse(html)
    phone = page.by_id["id_callback-phone"]
    assert phone["aria-describedby"] == "id_callback-phone_helptext id_callback-phone_error"
    assert phone["aria-invalid"] == "true" and phone["type"] == "tel"
    assert phone["maxlength"] == "40"
    assert "id_callback-phone_helptext" in page.by_id and "id_callback-phone_error" in page.by_id
    assert "id_callback-phone" in page.labels


def test_a_group_of_choices_is_a_fieldset_described_by_its_error():
    form = ProblemReportForm({"kind": "nonsense"})
    html = str(form["kind"].as_field_group())
    assert html.startswith('<fieldset class="field field--group" aria-describedby="id_kind_error"')
    assert "<legend>What is wrong?</legend>" in html
    assert 'id="id_kind_error"' in html


def test_an_optional_field_says_so_and_an_unbound_form_has_no_errors():
    html = str(CallbackForm(callee="Maple Grove")["first_name"].as_field_group())
    assert '<span class="optional">(optional)</span>' in html
    assert "field-error" not in html and "aria-invalid" not in html


def test_an_empty_forms_kept_field_markup_is_what_rendering_gives():
    """The empty forms every center page shows keep their fields' markup per process
    (directory.forms.KeptFieldGroup): per callee, per language, and never for a bound form."""
    from django.forms import BoundField
    from django.utils import translation

    def fresh(form, name: str) -> str:
        return BoundField(form, form.fields[name], name).as_field_group()

    for language in ("en", "es"):
        with translation.override(language):
            for callee in ("Maple Grove", "Oak & Ash"):
                for _ in range(2):  # rendered, then kept
                    form = CallbackForm(callee=callee)
                    for name in ("first_name", "phone", "best_time", "consent"):
                        assert form[name].as_field_group() == fresh(form, name)
                    website = BoundField(form, form.fields["website"], "website")
                    assert str(form["website"]) == str(website)
                assert (
                    "Oak &amp; Ash" in CallbackForm(callee="Oak & Ash")["consent"].as_field_group()
                )
            report = ProblemReportForm()
            for name in ("kind", "details"):
                assert report[name].as_field_group() == fresh(report, name)
    CallbackForm(callee="Maple Grove")["phone"].as_field_group()  # kept empty
    sent = CallbackForm({"callback-phone": "12"}, callee="Maple Grove")
    assert "aria-invalid" in sent["phone"].as_field_group()
