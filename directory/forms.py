"""How every form on the site renders: one accessible field template for all of them.

``{{ form.field.as_field_group }}`` (or ``{{ form }}``) writes the label (a legend for groups
of radio buttons), the help text and the errors, and Django links the last two to the input
with ``aria-describedby`` (ids ``<id>_helptext`` and ``<id>_error``) and marks it
``aria-invalid`` while it has errors. Forms therefore carry their own labels, help texts and
lengths; templates do not repeat them.
"""

import threading
from functools import cached_property
from pathlib import Path

import django.forms
from django.conf import settings
from django.forms import BoundField
from django.forms.renderers import DjangoTemplates
from django.utils import translation
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from .text import strip_control


class ControlFreeFields:
    """Form mixin: text values lose their control characters before anything sees them.

    Single-line inputs also have their whitespace collapsed; a ``<textarea>`` keeps its line
    breaks. A required value made only of control characters is an error, not an empty save.
    """

    def clean(self) -> dict:
        data = super().clean()
        for name, value in list(data.items()):
            field = self.fields.get(name)
            if not isinstance(value, str) or not isinstance(field, django.forms.CharField):
                continue
            single_line = not isinstance(field.widget, django.forms.Textarea)
            cleaned = strip_control(value, single_line=single_line)
            if value and not cleaned and field.required:
                self.add_error(name, _("Enter text: this holds only invisible characters."))
                continue
            data[name] = cleaned
        return data


class SiteFormRenderer(DjangoTemplates):
    field_template_name = "includes/forms/field.html"

    @cached_property
    def engine(self):
        # Django's own widget templates first, then ours (which override the radio option).
        return self.backend(
            {
                "APP_DIRS": True,
                "DIRS": [
                    settings.BASE_DIR / "templates",
                    Path(django.forms.__file__).parent / "templates",
                ],
                "NAME": "site-forms",
                "OPTIONS": {},
            }
        )


class KeptFieldGroup(BoundField):
    """A field whose ``as_field_group`` and widget markup, while its form is unbound, is kept
    per process for everything it depends on (the field's words, choices, attributes and
    initial value, the form's ids, the language): a center page shows the same empty forms to
    every visitor, and rendering them through the field templates cost a quarter of the page.
    A bound form (one sent back with errors) is always rendered."""

    _kept: dict[tuple, SafeString] = {}
    _lock = threading.Lock()
    MAX_KEPT = 2_000

    def as_field_group(self) -> SafeString:
        if self.form.is_bound:
            return super().as_field_group()
        return self._kept_markup("group", super().as_field_group)

    def __str__(self) -> str:
        """The field's widget alone (``{{ form.website }}``), kept likewise while unbound."""
        if self.form.is_bound:
            return super().__str__()
        return self._kept_markup("widget", super().__str__)

    def _kept_markup(self, part: str, render) -> SafeString:
        field, widget = self.field, self.field.widget
        key = (
            part,
            type(self.form),
            self.form.prefix,
            self.form.auto_id,
            self.form.use_required_attribute,
            self.name,
            translation.get_language(),
            str(field.label),
            str(field.help_text),
            field.required,
            field.disabled,
            field.show_hidden_initial,
            repr(self.initial),
            repr(sorted(widget.attrs.items())),
            repr(list(getattr(field, "choices", ()))),
        )
        markup = self._kept.get(key)
        if markup is None:
            markup = render()
            with self._lock:
                if len(self._kept) >= self.MAX_KEPT:
                    KeptFieldGroup._kept = {}
                self._kept[key] = markup
        return markup
