"""Input forms: Twilio's webhook parameters, the admin report's date range, and the public
callback request forms.

Twilio names its parameters in CamelCase; the form fields keep those names so that each form
reads like the Twilio documentation it mirrors.
"""

from datetime import date, timedelta
from typing import Self

import phonenumbers
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from directory import phones
from directory.forms import KeptFieldGroup
from directory.text import strip_control

from .models import Advertiser, CallbackRequest

# Twilio identifiers are 34 characters; the margin tolerates a longer format one day.
SID_LENGTH = 64
# Twilio ends every call within a day (its hard limit on a call's length), so a longer figure
# is an error in transit; it is kept as a day rather than refused, since the call was real.
MAX_CALL_SECONDS = 24 * 60 * 60
# A caller id is only ever hashed; a SIP address may be long, but not this long.
MAX_CALLER_ID_LENGTH = 256


class CallerIdField(forms.CharField):
    """``From``: whatever Twilio says the caller is (an E.164 number, a SIP address, a
    placeholder). Never invalid: it is only hashed, and only a phone number gets a hash."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(required=False, **kwargs)
        # CharField refuses NUL characters; here they are removed with the other controls.
        self.validators = []

    def to_python(self, value: object) -> str:
        text = strip_control(str(value or ""), single_line=True)
        return text[:MAX_CALLER_ID_LENGTH]


class SecondsField(forms.IntegerField):
    """A duration Twilio reports. Never invalid: a figure that is not a whole number of
    seconds, or is negative, is unknown (``None``); one over ``MAX_CALL_SECONDS`` is clamped,
    so that a corrupted report still records the call rather than failing it."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(required=False, **kwargs)

    def to_python(self, value: object) -> int | None:
        try:
            seconds = super().to_python(value)
        except ValidationError:
            return None
        if seconds is None or seconds < 0:
            return None
        return min(seconds, MAX_CALL_SECONDS)


class IncomingCallForm(forms.Form):
    CallSid = forms.CharField(max_length=SID_LENGTH)
    To = forms.CharField(max_length=64)
    # Absent or a placeholder when the caller withholds their number.
    From = CallerIdField()


class DialResultForm(forms.Form):
    CallSid = forms.CharField(max_length=SID_LENGTH)
    DialCallStatus = forms.CharField(max_length=20)
    DialCallDuration = SecondsField()
    DialCallSid = forms.CharField(max_length=SID_LENGTH, required=False)


class AttemptForm(forms.Form):
    """The query string we put on each ``<Dial action>`` URL."""

    attempt = forms.IntegerField(min_value=1, max_value=20)


class WhisperForm(forms.Form):
    """The query string we put on each whisper URL: whose call, which attempt."""

    call = forms.CharField(max_length=SID_LENGTH)
    attempt = forms.IntegerField(min_value=1, max_value=20)


class ScreenForm(forms.Form):
    """What the whisper's ``<Gather>`` posts: the leg that pressed, and the key. ``Digits``
    may be missing or anything: only "1" takes the call."""

    CallSid = forms.CharField(max_length=SID_LENGTH)
    Digits = forms.CharField(max_length=20, required=False)


class CallStatusForm(forms.Form):
    CallSid = forms.CharField(max_length=SID_LENGTH)
    CallStatus = forms.CharField(max_length=20)
    CallDuration = SecondsField()


class ReportForm(forms.Form):
    """The date range (and optionally one advertiser) of the calls report."""

    # A year of days keeps the report one screen of SQL work, however busy the lines.
    LONGEST_RANGE = timedelta(days=366)

    since = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    advertiser = forms.ModelChoiceField(
        Advertiser.objects.all(), required=False, empty_label="All advertisers"
    )

    def clean(self) -> dict:
        data = super().clean()
        today = timezone.localdate()
        data["until"] = data.get("until") or today
        data["since"] = data.get("since") or data["until"] - timedelta(days=29)
        if data["since"] > data["until"]:
            raise ValidationError("The first day must not be after the last day.")
        if data["until"] - data["since"] > self.LONGEST_RANGE:
            raise ValidationError("Choose at most a year at a time.")
        return data

    @classmethod
    def default_data(cls) -> dict[str, str]:
        """The last thirty days, shown in the fields when the page opens."""
        today = timezone.localdate()
        return {"since": str(today - timedelta(days=29)), "until": str(today)}

    def range(self) -> tuple[date, date]:
        return self.cleaned_data["since"], self.cleaned_data["until"]


class CallbackForm(forms.Form):
    """A callback request: how to reach the visitor, when, and their consent to be called.

    Deliberately nothing else: no diagnosis, substance, insurance or date of birth. Its
    labels, help texts and lengths are the ones the pages show (``helplines/callback.html#fields``
    renders each field through the site's field template).
    """

    PREFIX = "callback"
    # Every center page shows it empty: its fields' markup is kept (directory.forms).
    bound_field_class = KeptFieldGroup
    # What Django's error reports must never print (see helplines.views).
    PRIVATE_FIELDS = (f"{PREFIX}-first_name", f"{PREFIX}-phone")

    first_name = forms.CharField(
        label=_("First name"),
        max_length=50,
        required=False,
        strip=True,
        help_text=_("So the caller knows whom to ask for. Leave it blank if you prefer."),
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    phone = forms.CharField(
        label=_("Phone number"),
        max_length=40,
        help_text=_("A US number with its area code, e.g. (202) 555-0147."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
        error_messages={"required": _("Enter the phone number to call you on.")},
    )
    best_time = forms.ChoiceField(
        label=_("Best time to call (your local time)"),
        widget=forms.RadioSelect,
        choices=CallbackRequest.BestTime.choices,
        initial=CallbackRequest.BestTime.ANY,
        error_messages={
            "required": _("Choose the best time to call you."),
            "invalid_choice": _("Choose one of the times listed."),
        },
    )
    consent = forms.BooleanField()
    # A field people never see: bots that fill every input give themselves away.
    website = forms.CharField(
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args: object, callee: str, **kwargs: object) -> None:
        kwargs.setdefault("prefix", self.PREFIX)
        super().__init__(*args, **kwargs)
        self.callee = callee
        consent = self.fields["consent"]
        consent.label = gettext(
            "I agree that %(callee)s may call me on this number about treatment."
        ) % {"callee": callee}
        consent.help_text = gettext(
            "Only %(callee)s will call. We don't ask about your health, your insurance or your "
            "date of birth."
        ) % {"callee": callee}
        self.fields["consent"].error_messages["required"] = gettext(
            "Tick this box if you agree that %(callee)s may call you. Without it we cannot "
            "send your request."
        ) % {"callee": callee}

    def clean_first_name(self) -> str:
        name = self.cleaned_data["first_name"]
        if any(character.isdigit() for character in name):
            # A phone number typed here would be kept where nobody expects one.
            raise ValidationError(gettext("Enter a first name without numbers, or leave it blank."))
        return name

    def clean_phone(self) -> str:
        """The number in its stored form (E.164), if it is a real US number."""
        text = self.cleaned_data["phone"]
        try:
            number = phonenumbers.parse(text, phones.REGION)
        except phonenumbers.NumberParseException:
            number = None
        if number is not None and number.country_code != 1:
            raise ValidationError(gettext("We can only arrange calls to US phone numbers."))
        if number is None or not phonenumbers.is_valid_number(number):
            # The message never repeats what was typed: form errors may end up in logs.
            raise ValidationError(
                gettext("Enter a US phone number with its area code, e.g. (202) 555-0147.")
            )
        return phones.normalise(text)

    def is_spam(self) -> bool:
        return bool(self.data.get(self.add_prefix("website")))

    def error_summary(self) -> list[tuple[str, str]]:
        """``(id of the input to fix, message)`` for every error, in the order of the form."""
        return [
            (
                # A group of radio buttons is reached through its first button.
                f"{field.auto_id}_0" if field.name == "best_time" else field.auto_id,
                str(error),
            )
            for field in self
            for error in field.errors
        ]

    def request_fields(self) -> dict[str, str]:
        """What a valid form asks us to store."""
        return {
            "first_name": self.cleaned_data["first_name"],
            "phone": self.cleaned_data["phone"],
            "best_time": self.cleaned_data["best_time"],
        }


class SiteCallbackForm(CallbackForm):
    """The site-wide form: the request goes to the paid advertiser the rotation chooses.

    ``advertiser`` is whom the rotation would choose now, named on the page; the page carries
    its id in a hidden ``callback-advertiser`` input, and the visitor's consent is to that
    advertiser only. The id is not a form field: it is compared, never trusted or stored.
    """

    def __init__(self, *args: object, advertiser: Advertiser, **kwargs: object) -> None:
        super().__init__(*args, callee=advertiser.name, **kwargs)
        self.advertiser = advertiser

    @property
    def agreed_advertiser_id(self) -> int | None:
        """The advertiser the visitor was shown, as posted (it may be stale, or forged)."""
        value = self.data.get(self.add_prefix("advertiser"), "")
        return int(value) if self.is_plain_id(value) else None

    def advertiser_is_garbled(self) -> bool:
        """Digits were posted, but not as an id our page writes (``²``, 30 digits)."""
        value = self.data.get(self.add_prefix("advertiser"), "")
        return value.isdigit() and not self.is_plain_id(value)

    @staticmethod
    def is_plain_id(value: str) -> bool:
        # "²".isdigit() is true, but int() refuses it: only a few ASCII digits are an id.
        return value.isascii() and value.isdigit() and len(value) <= 18

    def offered_to(self, advertiser: Advertiser) -> Self:
        """This form again, for ``advertiser``: what was typed is kept; the consent, given to
        someone else, is not, and the visitor is asked again."""
        data = self.data.copy()
        data[self.add_prefix("advertiser")] = str(advertiser.pk)
        data.pop(self.add_prefix("consent"), None)
        form = type(self)(data, advertiser=advertiser)
        form.full_clean()
        form.errors["consent"] = form.error_class(
            [
                gettext(
                    "The next advertiser in turn is now %(name)s. Tick this box if you agree "
                    "that %(name)s may call you."
                )
                % {"name": advertiser.name}
            ]
        )
        return form
