"""Walk the public site in Spanish and fail on any English left in the interface.

The check reads what a visitor reads: the text of every page, plus the labels a screen reader
announces (``aria-label``, ``title``, ``alt``, ``placeholder``, button values). It skips what is
rightly in English: text marked ``lang="en"`` (the language switch, an untranslated disclosure
shown with a notice), ``translate="no"``, and the proper names and addresses of centers and
advertisers, which are the same in any language.
"""

import re
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest
from django.apps import apps
from django.db.models import F

from centers.demo import create_demo_centers
from centers.models import TERM_KINDS, Center, Service, ServiceCategory
from centers.vocabulary import sync_vocabulary
from helplines.demo import create_demo_helplines

# Words that are English and not also Spanish (so not "a", "no", "local", "general", "total").
ENGLISH = frozenset(
    re.findall(
        r"\w+",
        """
    the and of to for with your you is are this that what how who where when which
    call calls find treatment search help free page next previous results show from by or
    not listed center centers near any all our we about more care therapy therapies payment
    accepted language languages serves compare close open back home skip main content menu
    filter filters clear apply sort distance miles within state phone website address
    directions ask send request name email report problem wrong listing verified last paid
    advertiser advertising answered line lines confidential hours day days week weeks
    month year yes inpatient outpatient residential medication medications insurance private
    government sliding fee scale veterans women men adolescents adults people only offers
    offered other others settings setting here there none why guide see view read
    """,
    )
)
LABEL_ATTRIBUTES = ("aria-label", "title", "alt", "placeholder")
NOT_PAGES = ("/admin/", "/helplines/call/", "/helplines/voice/", "/static/")
MAX_PAGES = 90


class VisibleText(HTMLParser):
    """Text a visitor sees or hears, minus what is marked English or not to be translated."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[str] = []
        self._stack: list[bool] = []  # for each open element: is its text exempt?

    def _exempt(self) -> bool:
        return any(self._stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        exempt = (
            tag in ("script", "style")
            or attributes.get("lang", "").startswith("en")
            or attributes.get("translate") == "no"
        )
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])
        if not (exempt or self._exempt()):
            self.parts += [attributes[name] for name in LABEL_ATTRIBUTES if attributes.get(name)]
            if tag == "input" and attributes.get("type") in ("submit", "button"):
                self.parts.append(attributes.get("value", ""))
        if tag not in self.VOID:
            self._stack.append(exempt)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in self.VOID:
            self._stack.pop()

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.VOID and self._stack:
            self._stack.pop()

    def handle_data(self, data: str) -> None:
        if not self._exempt():
            self.parts.append(data)


def proper_names() -> list[str]:
    """Centers' and advertisers' names and addresses: the same in both languages."""
    from helplines.models import Advertiser

    names: set[str] = set()
    for center in Center.objects.all():
        names |= {center.name, center.secondary_name, center.street, center.street2, center.city}
        names.add(center.description)
    names |= set(Advertiser.objects.values_list("name", flat=True))
    # Where the editors' Spanish is the English, the term is a name ("The Joint Commission").
    for model in [kind.model for kind in TERM_KINDS] + [Service, ServiceCategory]:
        names |= set(model.objects.filter(name_es=F("name")).values_list("name", flat=True))
    return sorted((name for name in names if name), key=len, reverse=True)


def english_words(text: str, exempt: list[str]) -> set[str]:
    for name in exempt:
        text = text.replace(name, " ")
    return {word for word in re.findall(r"[^\W\d_]+", text.lower()) if word in ENGLISH}


@pytest.fixture
def demo_site(db):
    # The vocabulary as the migrations load it, in both languages: a transactional test that
    # ran earlier may have flushed it, and factories then make English-only terms.
    sync_vocabulary(apps.get_model)
    centers = create_demo_centers()
    create_demo_helplines(centers=centers)
    return centers


def test_every_public_page_reads_in_spanish(client, demo_site):
    center = demo_site[0]
    queue = [
        "/es/",
        "/es/centers/?therapy=cbt",
        "/es/centers/?near=94110&distance=25&setting=outpatient",
        f"/es/centers/{center.slug}/",
        f"/es/centers/{center.slug}/callback/",
        "/es/where-calls-go/",
        "/es/guides/inpatient-vs-outpatient/",
        "/es/callback/",
        f"/es/compare/?ids={demo_site[0].pk}&ids={demo_site[1].pk}",
        "/es/no-such-page/",
    ]
    exempt = proper_names()
    seen: dict[str, set[str]] = {}
    while queue and len(seen) < MAX_PAGES:
        url = queue.pop(0)
        if url in seen:
            continue
        response = client.get(url)
        assert response.status_code in (200, 404), f"{url} answered {response.status_code}"
        parser = VisibleText()
        parser.feed(response.text)
        seen[url] = english_words(" ".join(parser.parts), exempt)
        for href in parser.links:
            href, _fragment = urldefrag(href)
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not href.startswith("/es/"):
                continue
            if href.removeprefix("/es").startswith(NOT_PAGES) or "page=" in href:
                continue
            queue.append(href)
    assert len(seen) >= 20
    english = {url: words for url, words in seen.items() if words}
    assert english == {}, "English words on Spanish pages"


def test_the_same_listing_counts_in_both_languages(client, demo_site):
    for query in ("", "?therapy=cbt", "?setting=outpatient&payment=medicaid"):
        english = client.get(f"/centers/{query}")
        spanish = client.get(f"/es/centers/{query}")
        assert english.context["page"].paginator.count == (spanish.context["page"].paginator.count)
