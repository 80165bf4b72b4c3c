"""The site's two languages: which text to show, and the same page's address in each language.

Editors write the catalog's words (therapy names, SAMHSA service names...) in one field per
language: ``name`` in English and ``name_es`` in Spanish. ``Translated`` reads the one for the
language of the request.
"""

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, get_script_prefix, reverse, translate_url
from django.utils import translation
from django.utils.encoding import iri_to_uri


class Translated:
    """A read-only attribute: ``<field>_<language>`` when it has text, else ``<field>``.

    English lives in the plain field, so a term an editor has not yet translated reads in
    English rather than as an empty label.
    """

    def __init__(self, field: str) -> None:
        self.field = field

    def __get__(self, instance: Any, owner: type | None = None) -> Any:
        if instance is None:
            return self
        return self.read(instance, translation.get_language() or settings.LANGUAGE_CODE)

    def read(self, instance: Any, language: str) -> Any:
        """The text in ``language``, for a caller that knows it already (looking the request's
        language up costs more than the rest, for each of a card's dozen terms)."""
        if language != settings.LANGUAGE_CODE:
            text = getattr(instance, f"{self.field}_{language}", "")
            if text:
                return text
        return getattr(instance, self.field)


def page_in(request: HttpRequest, language: str) -> str:
    """This page's path and query string in ``language`` (unchanged when it has no other).

    What ``translate_url`` gives, from the URL the request already resolved to rather than by
    resolving its path again; the path for a view and its arguments is kept, since every
    listing has the same (resolving and reversing twice cost a fifth of a millisecond a page).
    """
    match = request.resolver_match
    if match is None:
        return translate_url(request.get_full_path(), language)
    try:
        with translation.override(language):
            path = address(match.view_name, *match.args, **match.kwargs)
    except NoReverseMatch:
        path = request.path
    query = request.META.get("QUERY_STRING", "")
    return f"{path}?{iri_to_uri(query)}" if query else path


def address(view_name: str, *args: object, **kwargs: object) -> str:
    """``reverse(view_name, args, kwargs)`` in the active language, kept: a listing links
    twenty centers and a center page a dozen terms, and reversing each cost about 25 µs."""
    key = (
        view_name,
        args,
        tuple(sorted(kwargs.items())),
        translation.get_language(),
        get_script_prefix(),
    )
    try:
        path = _addresses.get(key)
    except TypeError:  # an argument that cannot be a key (a URLconf's extra dict): not kept
        return reverse(view_name, args=args, kwargs=kwargs)
    if path is None:
        path = reverse(view_name, args=args, kwargs=kwargs)
        if len(_addresses) >= _ADDRESSES_KEPT:
            _addresses.clear()
        _addresses[key] = path
    return path


# By view, arguments and language: a few per page kind, and one per center or term shown.
_addresses: dict[tuple, str] = {}
_ADDRESSES_KEPT = 50_000


# Pages whose query string makes another page (the listing's filters): their canonical and
# alternate URLs keep it. Elsewhere a query string (a return address, a campaign tag) only
# repeats the same page, which search engines should know under one address.
QUERY_PAGES = frozenset({"centers:list"})


def alternates(request: HttpRequest) -> list[dict[str, str]]:
    """Every language's version of this page: code, name, path (with the query string, for the
    language switch) and absolute URL (without it, except on ``QUERY_PAGES``).

    A page outside the translated URLs (the API's documentation) has one version only, and
    then only its own language is listed, so no switch offers a translation that is not there.
    Worked out once per request: the page's head and its language switch both ask.
    """
    links = getattr(request, "_language_alternates", None)
    if links is None:
        links = request._language_alternates = _alternates(request)
    return links


def _alternates(request: HttpRequest) -> list[dict[str, str]]:
    links = []
    match = request.resolver_match
    keep_query = match is not None and match.view_name in QUERY_PAGES
    for code, name in settings.LANGUAGES:
        path = page_in(request, code)
        url = path if keep_query else urlsplit(path).path
        links.append(
            {"code": code, "name": name, "path": path, "url": request.build_absolute_uri(url)}
        )
    if len({link["path"] for link in links}) == 1:
        current = translation.get_language()
        return [link for link in links if link["code"] == current] or links[:1]
    return links
