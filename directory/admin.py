"""Admin forms that keep control characters out of everything staff type or paste.

Every ``ModelAdmin`` and inline of the project takes ``ControlFreeText`` first among its
bases, so text pasted from a PDF or a spreadsheet loses
its invisible characters before it is saved (see ``directory.text``).
"""

from django import forms

from .forms import ControlFreeFields


class ControlFreeModelForm(ControlFreeFields, forms.ModelForm):
    """A model form whose text values are saved without control characters."""


class ControlFreeText:
    """Mixin for a ``ModelAdmin`` or an inline: its form is a ``ControlFreeModelForm``.

    An admin that needs a form of its own subclasses ``ControlFreeModelForm`` for it.
    """

    form = ControlFreeModelForm
