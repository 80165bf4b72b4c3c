"""How every form on the site renders: one accessible field template for all of them.

``{{ form.field.as_field_group }}`` (or ``{{ form }}``) writes the label (a legend for groups
of radio buttons), the help text and the errors, and Django links the last two to the input
with ``aria-describedby`` (ids ``<id>_helptext`` and ``<id>_error``) and marks it
``aria-invalid`` while it has errors. Forms therefore carry their own labels, help texts and
lengths; templates do not repeat them.
"""

from functools import cached_property
from pathlib import Path

import django.forms
from django.conf import settings
from django.forms.renderers import DjangoTemplates


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
