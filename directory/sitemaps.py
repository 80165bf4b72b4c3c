"""``/sitemap.xml``: every public page of the site, for search engines (Django's sitemaps).

An index (``/sitemap.xml``) names one file per section, and a section longer than
``URLS_PER_FILE`` is split over several (``?p=2``...). Every page with a Spanish twin is listed
in both languages, each entry naming the other as its ``hreflang`` alternate. Each file costs a
fixed number of queries, however many centers there are: the centers are counted and read one
file's worth at a time, never all at once.
"""

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Max, QuerySet
from django.urls import reverse

from centers.models import CareSetting, Center, TherapyType
from helplines.models import Disclosure

# Search engines accept up to 50,000 URLs (and 50 MB) a file. Drawing the XML is most of a
# file's cost (10,000 URLs took 1 to 2.5 s, mostly in the template engine): 5,000 a file keeps
# each request short; the index names as many files as it takes (5 for the 2022 directory).
URLS_PER_FILE = 5_000


class PerLanguage(Sequence):
    """``(item, language)`` pairs of a queryset, read from the database one slice at a time.

    Django's ``Sitemap`` with ``i18n`` builds the full list of pairs before cutting out one
    file's worth; for 100,000 centers that is every center read on every request. This is the
    same sequence, counted with one ``COUNT`` and sliced with one ``LIMIT``/``OFFSET`` query.
    """

    def __init__(self, queryset: QuerySet, languages: list[str]) -> None:
        self.queryset = queryset
        self.languages = languages

    def count(self) -> int:
        return self.queryset.count() * len(self.languages)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: Any) -> Any:
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start, stop = index.start or 0, index.stop
        if stop is None or start < 0 or stop < 0:
            # The paginator always slices from a known start to a known end, uncounted.
            start, stop, _step = index.indices(self.count())
        per_item = len(self.languages)
        items = self.queryset[start // per_item : -(-stop // per_item)]
        pairs = [(item, language) for item in items for language in self.languages]
        offset = start // per_item * per_item
        return pairs[start - offset : stop - offset]

    def __iter__(self) -> Iterator[Any]:
        for item in self.queryset.iterator():
            for language in self.languages:
                yield (item, language)


class TranslatedSitemap(Sitemap):
    """Each item in every language, with the others as ``hreflang`` alternates."""

    limit = URLS_PER_FILE
    i18n = True
    alternates = True
    x_default = True

    def __init__(self) -> None:
        self._locations: dict[tuple[int, str], str] = {}

    def _items(self) -> Any:
        items = self.items()
        if isinstance(items, QuerySet):
            return PerLanguage(items, self._languages())
        return super()._items()

    def _location(self, item: Any, force_lang_code: str | None = None) -> str:
        # Django asks for each item's address once for its own entry and again for each
        # alternate, each time under translation.override and reverse(): five times per item
        # and language. Once per item and language is enough (a third of a file's time).
        obj, language = item
        key = (id(obj), force_lang_code or language)
        if key not in self._locations:
            self._locations[key] = super()._location(item, force_lang_code)
        return self._locations[key]


class CenterSitemap(TranslatedSitemap):
    changefreq = "weekly"

    def items(self) -> QuerySet:
        # By id, so that a new center joins the last file instead of shifting every one.
        return Center.objects.published().order_by("pk").only("slug", "updated_at")

    def lastmod(self, center: Center) -> datetime:
        return center.updated_at

    def get_latest_lastmod(self) -> datetime | None:
        return self.items().aggregate(latest=Max("updated_at"))["latest"]


class TherapySitemap(TranslatedSitemap):
    changefreq = "monthly"

    def items(self) -> QuerySet:
        return TherapyType.objects.order_by("pk").only("slug")


class CareSettingSitemap(TranslatedSitemap):
    changefreq = "monthly"

    def items(self) -> QuerySet:
        return CareSetting.objects.order_by("pk").only("slug")


# The pages that are not a center, term or statement: URL name, and whether it has a Spanish
# twin (the API's documentation is in English only).
PAGES: tuple[tuple[str, bool], ...] = (
    ("centers:home", True),
    ("centers:list", True),
    ("centers:guide-inpatient-outpatient", True),
    ("helplines:where-calls-go", True),
    ("helplines:disclosure-history", True),
    ("api:docs", False),
)


class PageSitemap(TranslatedSitemap):
    changefreq = "weekly"

    def items(self) -> list[tuple[str, bool]]:
        return list(PAGES)

    def get_languages_for_item(self, item: tuple[str, bool]) -> list[str]:
        _name, translated = item
        return self._languages() if translated else [settings.LANGUAGE_CODE]

    def location(self, item: tuple[str, bool]) -> str:
        return reverse(item[0])


class DisclosureSitemap(TranslatedSitemap):
    """Every published version of the statement on where calls go."""

    changefreq = "monthly"

    def items(self) -> QuerySet:
        return Disclosure.objects.in_effect().order_by("version").only("version")


SITEMAPS: dict[str, type[Sitemap]] = {
    "pages": PageSitemap,
    "therapies": TherapySitemap,
    "care-settings": CareSettingSitemap,
    "centers": CenterSitemap,
    "statements": DisclosureSitemap,
}
