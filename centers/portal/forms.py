"""The portal's forms: a claim, its code, a sign-in address, and a manager's edits.

Every text value loses its control characters (``directory.text``) before anything sees it;
lengths are the model's, so an oversized value gets a clear error instead of a database one.
"""

from datetime import time

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from centers.geo import normalise_zip
from centers.models import WEEKDAYS, Center
from centers.states import STATES
from directory import phones
from directory.forms import ControlFreeFields


class ControlFreeForm(ControlFreeFields, forms.Form):
    """A form whose text values lose their control characters (``directory.forms``)."""


TEL = {"type": "tel", "autocomplete": "tel"}
PHONE_FIELDS = ("phone", "intake_phone", "intake_phone_2")


def _phone(value: str) -> str:
    try:
        return phones.normalise(value)
    except phones.InvalidPhoneNumber:
        raise ValidationError(
            _("Enter a phone number with its area code, e.g. (202) 555-0147.")
        ) from None


class ClaimForm(ControlFreeForm):
    name = forms.CharField(
        label=_("Your name"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Your work email"),
        max_length=150,
        help_text=_("We send your sign-in links here. Use the address you have at the center."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    role = forms.CharField(
        label=_("Your role at the center"),
        max_length=100,
        help_text=_("For example: intake coordinator, director, office manager."),
        widget=forms.TextInput(attrs={"autocomplete": "organization-title"}),
    )
    confirm = forms.BooleanField(
        label=_("I work at this center and may keep its listing up to date."),
        error_messages={"required": _("Tick this box to confirm that you work at this center.")},
    )
    # A field people never see: bots that fill every input give themselves away.
    website = forms.CharField(
        required=False,
        label=_("Leave this empty"),
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def is_spam(self) -> bool:
        return bool(self.cleaned_data.get("website"))


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("The six-digit code"),
        max_length=20,
        help_text=_("The code read out on the call, six digits."),
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "size": 8}
        ),
    )

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split()).replace("-", "")
        if not (len(code) == 6 and code.isascii() and code.isdigit()):
            raise ValidationError(_("Enter the six digits of the code."))
        return code


class SignInForm(forms.Form):
    email = forms.EmailField(
        label=_("Your email"),
        max_length=150,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class AvailabilityForm(forms.Form):
    availability = forms.ChoiceField(
        label=_("Are you taking new clients?"),
        choices=[c for c in Center.Availability.choices if c[0]],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether you are taking new clients.")},
    )
    wait_days = forms.IntegerField(
        label=_("Estimated wait, in days"),
        required=False,
        min_value=1,
        max_value=365,
        help_text=_("Only with a waiting list: about how many days until a new client starts."),
    )

    def clean(self) -> dict:
        data = super().clean()
        if data.get("availability") == Center.Availability.WAITING_LIST:
            if not data.get("wait_days"):
                self.add_error("wait_days", _("Enter the estimated wait in days."))
        else:
            data["wait_days"] = None
        return data


class DetailsForm(ControlFreeForm):
    website = forms.URLField(
        label=_("Website"), max_length=200, required=False, assume_scheme="https"
    )
    description = forms.CharField(
        label=_("Short description"),
        max_length=2000,
        required=False,
        help_text=_("What you offer and whom you serve, in plain words (2,000 characters)."),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    insurance_notes = forms.CharField(
        label=_("Insurance notes"),
        max_length=1000,
        required=False,
        help_text=_("Which plans you take, and anything patients should know about paying."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    intake_phone = forms.CharField(label=_("Intake phone"), max_length=40, required=False)
    intake_phone_2 = forms.CharField(label=_("Second intake phone"), max_length=40, required=False)

    def clean_intake_phone(self) -> str:
        return _phone(self.cleaned_data["intake_phone"])

    def clean_intake_phone_2(self) -> str:
        return _phone(self.cleaned_data["intake_phone_2"])


class StateSelect(forms.Select):
    """States by their names, which stay as they are in any language (as on the listing)."""

    def create_option(self, *args: object, **kwargs: object) -> dict:
        option = super().create_option(*args, **kwargs)
        option["attrs"]["translate"] = "no"
        return option


class CorrectionsForm(ControlFreeForm):
    """Which place this is. Changes wait for an editor before the listing shows them."""

    name = forms.CharField(label=_("Name"), max_length=200)
    secondary_name = forms.CharField(label=_("Second name"), max_length=200, required=False)
    street = forms.CharField(label=_("Street address"), max_length=200)
    street2 = forms.CharField(label=_("Address line 2"), max_length=200, required=False)
    city = forms.CharField(label=_("City"), max_length=100)
    state = forms.ChoiceField(label=_("State"), choices=STATES, widget=StateSelect)
    zip_code = forms.CharField(label=_("ZIP code"), max_length=10)
    phone = forms.CharField(label=_("Main phone"), max_length=40, widget=forms.TextInput(TEL))

    def clean_zip_code(self) -> str:
        zip_code = normalise_zip(self.cleaned_data["zip_code"])
        if zip_code is None:
            raise ValidationError(_("Enter a five-digit ZIP code."))
        return zip_code

    def clean_phone(self) -> str:
        return _phone(self.cleaned_data["phone"])


class HoursForm(forms.Form):
    """Intake hours by weekday: both times, or neither for a day without intake."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        for day in range(7):
            for part, label in (("opens", _("Opens")), ("closes", _("Closes"))):
                self.fields[f"{part}_{day}"] = forms.TimeField(
                    label=label,
                    required=False,
                    widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                    error_messages={"invalid": _("Enter a time, e.g. 09:00.")},
                )

    @classmethod
    def initial_for(cls, center: Center) -> dict[str, str]:
        hours = center.intake_hours if isinstance(center.intake_hours, dict) else {}
        initial = {}
        for day in range(7):
            value = hours.get(str(day))
            if isinstance(value, list) and len(value) == 2:
                initial[f"opens_{day}"], initial[f"closes_{day}"] = value
        return initial

    def days(self) -> list[tuple[str, forms.BoundField, forms.BoundField]]:
        return [(WEEKDAYS[day], self[f"opens_{day}"], self[f"closes_{day}"]) for day in range(7)]

    def clean(self) -> dict:
        data = super().clean()
        for day in range(7):
            opens: time | None = data.get(f"opens_{day}")
            closes: time | None = data.get(f"closes_{day}")
            if (opens is None) != (closes is None) and not self.errors:
                self.add_error(
                    f"closes_{day}" if closes is None else f"opens_{day}",
                    _("Give both times, or neither for a day without intake."),
                )
            elif opens is not None and closes is not None and closes <= opens:
                self.add_error(f"closes_{day}", _("The closing time must be after the opening."))
        return data

    def hours(self) -> dict[str, list[str]]:
        data = self.cleaned_data
        return {
            str(day): [
                data[f"opens_{day}"].strftime("%H:%M"),
                data[f"closes_{day}"].strftime("%H:%M"),
            ]
            for day in range(7)
            if data.get(f"opens_{day}") and data.get(f"closes_{day}")
        }


# The portal's editing forms by the name of the section each posts, with how each reads the
# listing and what each writes.
SECTIONS: dict[str, type[forms.Form]] = {
    "availability": AvailabilityForm,
    "details": DetailsForm,
    "hours": HoursForm,
    "corrections": CorrectionsForm,
}


def initial_for(section: str, center: Center) -> dict[str, object]:
    form_class = SECTIONS[section]
    if form_class is HoursForm:
        return HoursForm.initial_for(center)
    initial = {name: getattr(center, name) for name in form_class.base_fields}
    for name in PHONE_FIELDS:
        if initial.get(name):
            initial[name] = phones.display(initial[name])  # as people write it, not E.164
    if section == "availability" and not center.availability:
        initial["availability"] = None
    return initial


def values_of(form: forms.Form) -> dict[str, object]:
    """What a valid section asks the listing to become."""
    if isinstance(form, HoursForm):
        return {"intake_hours": form.hours()}
    return dict(form.cleaned_data)


def field_labels() -> dict[str, str]:
    """Each field a manager changes, by the label the portal gives it (for the history)."""
    labels = {
        name: field.label
        for form_class in SECTIONS.values()
        for name, field in form_class.base_fields.items()
    }
    labels["intake_hours"] = _("Intake hours")
    labels["availability"] = _("Taking new clients")
    return labels
