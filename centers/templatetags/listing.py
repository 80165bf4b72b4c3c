from django import template
from django.http import QueryDict

from directory import phones

register = template.Library()


@register.simple_tag(takes_context=True)
def query_with(context, **changes: object) -> str:
    """The current query string with ``changes`` applied; ``None`` removes a parameter."""
    query: QueryDict = context["request"].GET.copy()
    for key, value in changes.items():
        query.pop(key, None)
        if value is not None:
            query[key] = str(value)
    return f"?{query.urlencode()}" if query else "?"


@register.filter
def phone(value: str) -> str:
    return phones.display(value)


@register.filter
def tel(value: str) -> str:
    return phones.tel_uri(value)
