"""Admin forms that keep control characters out of everything staff type or paste.

Every ``ModelAdmin`` and inline of the project takes ``ControlFreeText`` first among its
bases, so text pasted from a PDF or a spreadsheet loses
its invisible characters before it is saved (see ``directory.text``).
"""

from django import forms

from .text import strip_control


class ControlFreeModelForm(forms.ModelForm):
    """A model form whose text values are saved without control characters.

    Single-line inputs also have their whitespace collapsed; a ``<textarea>`` keeps its line
    breaks. A required value made only of control characters is an error, not an empty save.
    """

    def clean(self) -> dict:
        data = super().clean()
        for name, value in list(data.items()):
            field = self.fields.get(name)
            if not isinstance(value, str) or not isinstance(field, forms.CharField):
                continue
            single_line = not isinstance(field.widget, forms.Textarea)
            cleaned = strip_control(value, single_line=single_line)
            if value and not cleaned and field.required:
                self.add_error(name, "Enter text: this value holds only invisible characters.")
                continue
            data[name] = cleaned
        return data


class ControlFreeText:
    """Mixin for a ``ModelAdmin`` or an inline: its form is a ``ControlFreeModelForm``.

    An admin that needs a form of its own subclasses ``ControlFreeModelForm`` for it.
    """

    form = ControlFreeModelForm
