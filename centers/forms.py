from django import forms
from django.utils.translation import gettext_lazy as _

from centers.models import ProblemReport
from directory.forms import KeptFieldGroup


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
        fields = ["kind", "details"]
        widgets = {
            "details": forms.Textarea(attrs={"rows": 4, "maxlength": 2000}),
        }
        labels = {"details": _("Details")}
        help_texts = {
            "details": _("What should it say instead? Please don't include health information."),
        }

    def is_spam(self) -> bool:
        return bool(self.cleaned_data.get("website"))
