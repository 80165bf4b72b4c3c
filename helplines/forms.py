"""Input forms: Twilio's webhook parameters, and the admin report's date range.

Twilio names its parameters in CamelCase; the form fields keep those names so that each form
reads like the Twilio documentation it mirrors.
"""

from datetime import date, timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from .models import Advertiser

# Twilio identifiers are 34 characters; the margin tolerates a longer format one day.
SID_LENGTH = 64


class IncomingCallForm(forms.Form):
    CallSid = forms.CharField(max_length=SID_LENGTH)
    To = forms.CharField(max_length=64)
    # Absent or a placeholder when the caller withholds their number.
    From = forms.CharField(max_length=64, required=False)


class DialResultForm(forms.Form):
    CallSid = forms.CharField(max_length=SID_LENGTH)
    DialCallStatus = forms.CharField(max_length=20)
    DialCallDuration = forms.IntegerField(min_value=0, required=False)
    DialCallSid = forms.CharField(max_length=SID_LENGTH, required=False)


class AttemptForm(forms.Form):
    """The query string we put on each ``<Dial action>`` URL."""

    attempt = forms.IntegerField(min_value=1, max_value=20)


class CallStatusForm(forms.Form):
    CallSid = forms.CharField(max_length=SID_LENGTH)
    CallStatus = forms.CharField(max_length=20)
    CallDuration = forms.IntegerField(min_value=0, required=False)


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
