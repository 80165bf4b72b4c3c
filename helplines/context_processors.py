from django.http import HttpRequest

from .models import Helpline


def helplines(request: HttpRequest) -> dict[str, object]:
    """``general_helplines`` for the header and footer of every page.

    A queryset, so it costs nothing on pages that do not show it, and one query on pages that
    do: a template's ``{% if %}`` and ``{% for %}`` share its result cache.
    """
    return {"general_helplines": Helpline.objects.active().general()}
