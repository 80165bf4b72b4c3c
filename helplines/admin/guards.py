"""Change-list guards: filter values that can only come from a hand-edited URL."""

from django.http import HttpRequest, HttpResponseBadRequest


class RefusesNulInFilters:
    """A filter value no record can match (a NUL reaches PostgreSQL as an error, ``²`` is no
    id) answers 400 with a message naming the filter, instead of a 500."""

    def filter_problem(self, name: str, value: str) -> bool:
        return "\x00" in name or "\x00" in value

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None):
        for name, values in request.GET.lists():
            if any(self.filter_problem(name, value) for value in values):
                return HttpResponseBadRequest(
                    f"The filter “{name.replace(chr(0), '')}” has a value no record can have. "
                    "Go back and choose the filter from the list.",
                    content_type="text/plain; charset=utf-8",
                )
        return super().changelist_view(request, extra_context)


def is_plain_id(value: str) -> bool:
    """ASCII digits of a size a primary key can have: ``"²".isdigit()`` is true, but ``int()``
    refuses it."""
    return value.isascii() and value.isdigit() and len(value) <= 18


__all__ = ["RefusesNulInFilters", "is_plain_id"]
