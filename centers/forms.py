from django import forms
from django.utils.translation import gettext_lazy as _

from centers.models import ProblemReport
from directory.forms import KeptFieldGroup
from directory.text import strip_control


class ProblemReportForm(forms.ModelForm):
    # The same empty form on every center page: its fields' markup is kept (directory.forms).
    bound_field_class = KeptFieldGroup

    # A field people never see: bots that fill every input give themselves away.
    website = forms.CharField(
        required=False,
        label=_("Leave this empty"),
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    kind = forms.ChoiceField(
        label=_("What is wrong?"), choices=ProblemReport.Kind.choices, widget=forms.RadioSelect
    )

    class Meta:
        model = ProblemReport
        fields = ["kind", "details", "reporter_email"]
        widgets = {
            "details": forms.Textarea(attrs={"rows": 4, "maxlength": 2000}),
            "reporter_email": forms.EmailInput(attrs={"autocomplete": "email", "maxlength": 254}),
        }
        labels = {"details": _("Details"), "reporter_email": _("Your email")}
        help_texts = {
            "details": _("What should it say instead? Please don't include health information."),
            "reporter_email": _(
                "Only if you want to hear what we did about it. We send you one email and then "
                "delete your address."
            ),
        }
        error_messages = {
            "reporter_email": {
                "invalid": _("Enter an email address like name@example.org, or leave it empty.")
            },
        }

    def clean_details(self) -> str:
        return strip_control(self.cleaned_data["details"])

    def is_spam(self) -> bool:
        return bool(self.cleaned_data.get("website"))
