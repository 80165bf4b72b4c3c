from django import forms

from centers.models import ProblemReport


class ProblemReportForm(forms.ModelForm):
    # A field people never see: bots that fill every input give themselves away.
    website = forms.CharField(
        required=False,
        label="Leave this empty",
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    kind = forms.ChoiceField(
        label="What is wrong?", choices=ProblemReport.Kind.choices, widget=forms.RadioSelect
    )

    class Meta:
        model = ProblemReport
        fields = ["kind", "details"]
        widgets = {
            "details": forms.Textarea(attrs={"rows": 4, "maxlength": 2000}),
        }
        help_texts = {
            "details": "What should it say instead? Please don't include health information.",
        }

    def is_spam(self) -> bool:
        return bool(self.cleaned_data.get("website"))
