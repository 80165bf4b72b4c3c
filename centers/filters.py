"""The listing's one FilterSet, with its facet counts.

The whole search state lives in the query string, so every result page can be shared and the
back button works. Bad input never fails the page: unknown values are dropped and explained in
``CenterFilter.notices``; everything else the visitor asked for still applies.
"""

import copy
from dataclasses import dataclass, field

import django_filters
import numpy as np
from django import forms
from django.conf import settings
from django.db.models import F, QuerySet
from django.utils import timezone, translation
from django.utils.formats import get_format
from django.utils.translation import gettext, gettext_noop, ngettext
from django.utils.translation import gettext_lazy as _

from centers.catalog_index import CatalogIndex, IndexedResults, IndexedTerm
from centers.geo import Point, normalise_zip, zip_centroid
from centers.models import COMBINATION, FACET_KINDS, CareSetting, Center, CenterQuerySet
from centers.states import STATES

DEFAULT_RADIUS = 25
MIN_RADIUS, MAX_RADIUS = 5, 500
MAX_QUERY_LENGTH = 100


# Each language's thousands separator (Django's formats), looked up once: get_format() costs
# about 2.5 µs, and a listing formats a hundred counts.
_separators: dict[str | None, str] = {}


def thousands_separator() -> str:
    language = translation.get_language()
    separator = _separators.get(language)
    if separator is None:
        separator = _separators[language] = get_format("THOUSAND_SEPARATOR")
    return separator


def grouped(count: int | None, separator: str) -> str:
    """``count`` with ``separator`` between its groups of three digits; "" for None."""
    return "" if count is None else f"{count:,}".replace(",", separator)


@dataclass
class FacetOption:
    slug: str
    name: str
    summary: str = ""
    pk: int | None = None  # None for "combination", which is a rule rather than a term
    kind: str = ""  # care settings only: 24-hour, outpatient or other
    count: int | None = None
    selected: bool = False

    @property
    def count_label(self) -> str:
        # Formatted here: the humanize filter costs more than the rest of the option's markup.
        # Grouped as the language writes numbers (its formats: directory/formats for Spanish).
        return grouped(self.count, thousands_separator())


@dataclass
class Facet:
    """One filter group: its query parameter, the relation it filters on, and its options."""

    param: str
    label: str
    relation: str
    match_all: bool = False
    options: list[FacetOption] = field(default_factory=list)
    # The catalog version (token) the options were read at, and the language their words are
    # in: their markup is kept per version and language.
    version: int | None = None
    language: str = ""

    @property
    def selected(self) -> list[FacetOption]:
        return [option for option in self.options if option.selected]

    def terms_for(self, slugs: list[str]) -> list[int | str]:
        """Term ids for known slugs; rule slugs (``combination``) pass through unchanged."""
        by_slug = {option.slug: option.pk for option in self.options}
        return [by_slug[slug] or slug for slug in slugs if slug in by_slug]

    def ids_by_kind(self) -> dict[str, list[int]]:
        kinds: dict[str, list[int]] = {}
        for option in self.options:
            if option.pk is not None:
                kinds.setdefault(option.kind, []).append(option.pk)
        return kinds


COMBINATION_OPTION = FacetOption(
    slug=COMBINATION,
    name=_("Combination (24-hour and outpatient)"),
    summary=_("Start with round-the-clock care and step down to outpatient care at one provider."),
)

# The filter groups' labels (``TermKind.label``), collected here for the translators: the
# registry holds them as plain English, and facets_of() translates them for each request.
FACET_LABELS = (
    gettext_noop("Therapy"),
    gettext_noop("Care setting"),
    gettext_noop("Medication"),
    gettext_noop("Payment accepted"),
    gettext_noop("Serves"),
    gettext_noop("Language"),
)

# The Language term for Spanish (centers/vocabulary.py LANGUAGES): a Spanish-interface visitor
# is offered it as one link above the results, never applied without being asked.
SPANISH_SERVICES = ("language", "spanish")


def facets_of(index: CatalogIndex) -> list[Facet]:
    """Every option of every filter group, fresh for one request (each option then carries
    that request's count and selection), from the terms the index holds, in the request's
    language."""
    language = translation.get_language() or ""
    facets = {
        kind.param: Facet(
            kind.param,
            gettext(str(kind.label)),
            kind.relation,
            kind.match_all,
            version=index.token,
            language=language,
        )
        for kind in FACET_KINDS
    }
    # The terms' words in the request's language, read with the language looked up once (it
    # costs more than the rest for each of sixty terms).
    name, summary = IndexedTerm.local_name, IndexedTerm.local_summary
    for term in index.terms:
        facets[term.param].options.append(
            FacetOption(
                term.slug,
                name.read(term, language or settings.LANGUAGE_CODE),
                summary.read(term, language or settings.LANGUAGE_CODE),
                pk=term.pk,
                kind=term.kind,
            )
        )
    facets["setting"].options.append(
        FacetOption(
            COMBINATION_OPTION.slug, str(COMBINATION_OPTION.name), str(COMBINATION_OPTION.summary)
        )
    )
    return list(facets.values())


class LenientMultipleChoiceField(forms.MultipleChoiceField):
    """Keeps the known values instead of rejecting them all for an unknown one (which
    ``unknown()`` names). It keeps nothing of a request, so forms may share it."""

    def clean(self, value: list[str] | None) -> list[str]:
        return self.unknown(value, keep=True)

    def unknown(self, value: list[str] | None, *, keep: bool = False) -> list[str]:
        """The values of ``value`` not among the choices (with ``keep``, those that are), each
        once, in order."""
        known = {choice for choice, _label in self.choices}
        return [item for item in dict.fromkeys(value or []) if (item in known) is keep]


class LenientMultipleChoiceFilter(django_filters.MultipleChoiceFilter):
    field_class = LenientMultipleChoiceField


class _SharedFields(dict):
    """A form class's fields, shared by its forms instead of deep-copied for each (about 1 ms
    a listing, for sixty options' choices and widgets): the listing's form is only validated,
    never rendered, and its fields keep nothing of a request (``LenientMultipleChoiceField``)."""

    def __deepcopy__(self, memo: dict) -> dict:
        return dict(self)


class _FilterCopies(dict):
    """A FilterSet's filters, copied for each instance one level deep (each filter with its own
    ``extra``, which ``CenterFilter`` sets the choices in) instead of deep-copied whole."""

    def __deepcopy__(self, memo: dict) -> dict:
        copies = {}
        for name, filter_ in self.items():
            copied = copy.copy(filter_)
            copied.extra = dict(filter_.extra)
            copied.__dict__.pop("_field", None)  # built from extra when first read
            if filter_.method is not None:
                copied.method = filter_.method  # a method bound to this copy's FilterSet
            copies[name] = copied
        return copies


class SortChoices:
    DISTANCE = "distance"
    NAME = "name"
    # Most recently checked by the center or our editors first (``last_verified``), never
    # checked last; the cards show that date and who checked. The value keeps its old name, so
    # that shared links still work.
    RECENTLY_VERIFIED = "recently-verified"
    CHOICES = [
        (DISTANCE, _("Distance")),
        (NAME, _("Name")),
        (RECENTLY_VERIFIED, _("Most recently checked")),
    ]


class CheckboxFilter(django_filters.Filter):
    """A single checkbox: any value but "", "0" or "false" ticks it (never an error)."""

    field_class = forms.BooleanField


class CenterFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Name or city"), method="filter_q", max_length=MAX_QUERY_LENGTH
    )
    state = django_filters.ChoiceFilter(
        label=_("State"), choices=STATES, empty_label=_("Any state")
    )
    near = django_filters.CharFilter(label=_("Near ZIP code"), method="filter_near")
    taking = CheckboxFilter(label=_("Taking new clients now"), method="filter_taking")
    radius = django_filters.NumberFilter(label=_("Within (miles)"), method="filter_nothing")
    sort = django_filters.ChoiceFilter(
        label=_("Sort"), choices=SortChoices.CHOICES, method="filter_nothing", empty_label=None
    )

    class Meta:
        model = Center
        fields: list[str] = []

    @classmethod
    def get_filters(cls) -> dict[str, django_filters.Filter]:
        """The declared filters plus one per term kind the listing filters by, before ``sort``."""
        declared = super().get_filters()
        sort = declared.pop("sort")
        for kind in FACET_KINDS:
            declared[kind.param] = LenientMultipleChoiceFilter(
                field_name=kind.param, method="filter_terms"
            )
        declared["sort"] = sort
        return declared

    # The form classes of the latest catalog version, one per language, {(version, language):
    # class}: building one means a field with every option for each filter group, which costs
    # more than the search, and its choices carry the terms' names in that language.
    _form_class: dict[tuple[int, str], type] = {}

    def get_form_class(self) -> type:
        version = self.facets[0].version if self.facets else None
        language = self.facets[0].language if self.facets else ""
        if not version or any(
            (facet.version, facet.language) != (version, language) for facet in self.facets
        ):
            return super().get_form_class()
        key = (version, language)
        cached = CenterFilter._form_class.get(key)
        if cached is None:
            cached = super().get_form_class()
            cached.base_fields = _SharedFields(cached.base_fields)
            # A new catalog version makes the others' classes useless: keep only this one's.
            kept = {k: v for k, v in CenterFilter._form_class.items() if k[0] == version}
            CenterFilter._form_class = {**kept, key: cached}
        return cached

    def __init__(self, data=None, *, facets: list[Facet], **kwargs) -> None:
        super().__init__(data, queryset=Center.objects.published(), **kwargs)
        self.facets = facets
        self.facet_by_param = {facet.param: facet for facet in facets}
        for facet in facets:
            self.filters[facet.param].extra["choices"] = [(o.slug, o.name) for o in facet.options]
        self.notices: list[str] = []
        self.origin: Point | None = None
        # One clock for the whole request: "taking new clients now" in SQL and in the index.
        self.now = timezone.now()
        self.taking_count: int | None = None  # filled in by search()
        self._validated = False

    # --- validation and messages -------------------------------------------------------------

    def validate(self) -> "CenterFilter":
        """Read the input; turn every problem into a notice and drop only the bad part.

        Call it once, before reading ``qs``, ``ordered_results()``, ``search()`` or the
        option lists; it sets ``notices`` and ``origin``. Calling it again changes nothing.
        """
        if self._validated:
            return self
        self._validated = True
        form = self.form
        form.is_valid()
        data = form.cleaned_data
        for name, errors in form.errors.items():
            label = form.fields[name].label or name
            if name == "q":
                # Too long, or holding characters no search can use: keep a usable prefix.
                raw = self.data.get("q", "")
                data["q"] = raw.replace("\x00", "")[:MAX_QUERY_LENGTH]
                self.notices.append(
                    gettext("Your search words were shortened to %(limit)s characters.")
                    % {"limit": MAX_QUERY_LENGTH}
                )
            else:
                data.pop(name, None)
                self.notices.append(
                    gettext("%(label)s: %(errors)s This filter was ignored.")
                    % {"label": label, "errors": " ".join(errors)}
                )
        for facet in self.facets:
            dropped = form.fields[facet.param].unknown(form[facet.param].data)
            if dropped:
                shown = ", ".join(f"“{value[:40]}”" for value in dropped[:3])
                self.notices.append(
                    ngettext(
                        "%(label)s: we don’t know %(values)s, so it was ignored.",
                        "%(label)s: we don’t know %(values)s, so they were ignored.",
                        len(dropped[:3]),
                    )
                    % {"label": facet.label, "values": shown}
                )
        self._clean_location(data)
        self._clean_sort(data)
        return self

    def _clean_location(self, data: dict) -> None:
        radius = data.get("radius")
        if radius is None or not (MIN_RADIUS <= radius <= MAX_RADIUS):
            if "radius" in self.data and self.data.get("radius") != "":
                self.notices.append(
                    gettext(
                        "The distance must be between %(least)s and %(most)s miles; "
                        "showing %(default)s miles."
                    )
                    % {"least": MIN_RADIUS, "most": MAX_RADIUS, "default": DEFAULT_RADIUS}
                )
            radius = DEFAULT_RADIUS
        data["radius"] = int(radius)
        near = (data.get("near") or "").strip()
        if near:
            self.origin = zip_centroid(near)
            if self.origin is None:
                shown = near[:12]
                if normalise_zip(near) is None:
                    notice = gettext(
                        "“%(value)s” is not a ZIP code, so results are not limited by distance."
                    )
                else:
                    notice = gettext(
                        "“%(value)s” is not one we know, so results are not limited by distance."
                    )
                self.notices.append(notice % {"value": shown})
                data["near"] = ""

    def _clean_sort(self, data: dict) -> None:
        sort = data.get("sort")
        if sort == SortChoices.DISTANCE and self.origin is None:
            if "sort" in self.data:
                self.notices.append(
                    gettext("Sorting by distance needs a ZIP code; sorted by name.")
                )
            sort = None
        data["sort"] = sort or (SortChoices.DISTANCE if self.origin else SortChoices.NAME)

    @property
    def state_options(self) -> list[tuple[str, str, bool]]:
        """(code, name, selected): resolved once here rather than 59 times in the template."""
        current = self.form.cleaned_data.get("state")
        return [(code, name, code == current) for code, name in STATES]

    @property
    def sort_options(self) -> tuple[tuple[str, str, bool], ...]:
        """A tuple, so that the filter form's stencil can be kept by it (center_list.html)."""
        current = self.form.cleaned_data["sort"]
        return tuple((value, label, value == current) for value, label in SortChoices.CHOICES)

    @property
    def spanish_services(self) -> FacetOption | None:
        """The language filter's Spanish option (its count filled in by ``search()``) while
        the visitor has not chosen it; None once chosen, or if the catalog has no such term."""
        param, slug = SPANISH_SERVICES
        facet = self.facet_by_param.get(param)
        option = next((o for o in facet.options if o.slug == slug), None) if facet else None
        return None if option is None or option.selected else option

    @property
    def radius_options(self) -> tuple[int, ...]:
        return tuple(sorted({5, 10, 25, 50, 100, 250, 500, self.form.cleaned_data["radius"]}))

    # --- filtering ---------------------------------------------------------------------------

    def filter_queryset(self, queryset: QuerySet, exclude: str | None = None) -> QuerySet:
        for name, value in self.form.cleaned_data.items():
            if name != exclude and value not in (None, "", []):
                queryset = self.filters[name].filter(queryset, value)
        return queryset

    def filter_nothing(self, queryset: QuerySet, name: str, value: object) -> QuerySet:
        return queryset  # radius and sort are read by filter_near and ordered_results

    def filter_q(self, queryset: CenterQuerySet, name: str, value: str) -> CenterQuerySet:
        return queryset.matching_words(value)

    def filter_near(self, queryset: CenterQuerySet, name: str, value: str) -> CenterQuerySet:
        if self.origin is None:
            return queryset
        return queryset.within(self.origin, self.form.cleaned_data["radius"])

    def filter_taking(self, queryset: CenterQuerySet, name: str, value: bool) -> CenterQuerySet:
        return queryset.taking_new_clients(self.now) if value else queryset

    def filter_terms(self, queryset: CenterQuerySet, name: str, value: list[str]) -> QuerySet:
        facet = self.facet_by_param[name]
        terms = facet.terms_for(value)
        if facet.match_all:
            return queryset.offering_all(facet.relation, terms)
        return queryset.offering_any(facet.relation, terms, settings_by_kind=facet.ids_by_kind())

    @property
    def qs(self) -> CenterQuerySet:
        if not self._validated:
            raise RuntimeError("CenterFilter.validate() must be called before its results are read")
        if not hasattr(self, "_qs"):
            self._qs = self.filter_queryset(self.queryset.all())
        return self._qs

    # The same filters in SQL, for callers without an index (the guide's area) and as the
    # reference the tests hold ``search()`` to.

    def ordered_results(self) -> CenterQuerySet:
        queryset = self.qs
        sort = self.form.cleaned_data["sort"]
        if sort == SortChoices.DISTANCE:
            return queryset.order_by("distance", "name", "pk")
        if sort == SortChoices.RECENTLY_VERIFIED:
            return queryset.order_by(F("last_verified").desc(nulls_last=True), "name", "pk")
        return queryset.order_by("name", "pk")

    # --- the listing, from the catalog index ------------------------------------------------

    def search(self, index: CatalogIndex) -> IndexedResults:
        """The results in order, and every option's count filled in, from ``index``: the same
        rules as ``qs`` and ``ordered_results()`` (which the tests hold it to), without SQL.

        An option's count is how many results there would be with it selected. For "all of"
        groups (therapy) that is the current results narrowed by the option; for "any of"
        groups the group's own selection is left out, so each option shows its own total under
        every other filter.
        """
        if not self._validated:
            raise RuntimeError("CenterFilter.validate() must be called before searching")
        data = self.form.cleaned_data
        base = index.everything()
        distance = None
        if data.get("state"):
            base &= index.in_state(data["state"])
        if self.origin is not None:
            near, distance = index.near(self.origin, data["radius"])
            base &= near
        if data.get("q"):
            base &= index.with_words(data["q"])
        chosen = {
            facet.param: self._chosen(index, facet)
            for facet in self.facets
            if data.get(facet.param)
        }
        results = base.copy()
        for bits in chosen.values():
            results &= bits
        # "Taking new clients now" narrows everything else, like the state: its count is the
        # results with it ticked, whether or not it is.
        taking = index.taking_new_clients(self.now)
        self.taking_count = index.count(results & taking)
        if data.get("taking"):
            base &= taking
            results &= taking
        for facet in self.facets:
            within = results if facet.match_all else base.copy()
            if not facet.match_all:
                for param, bits in chosen.items():
                    if param != facet.param:
                        within &= bits
            self._fill_counts(index, facet, within)
        return IndexedResults(index, self._ordered(index, results, distance), distance=distance)

    def _chosen(self, index: CatalogIndex, facet: Facet) -> np.ndarray:
        """The centers the group's own selection lets through."""
        terms = facet.terms_for(self.form.cleaned_data[facet.param])
        rows = index.rows(facet.param, [term for term in terms if term != COMBINATION])
        if facet.match_all:
            return index.all_of(rows)
        bits = index.any_of(rows)
        if COMBINATION in terms:
            bits |= self._combination(index, facet)
        return bits

    @staticmethod
    def _combination(index: CatalogIndex, facet: Facet) -> np.ndarray:
        """A 24-hour setting and an outpatient one (``CenterQuerySet.combination_condition``)."""
        kinds = facet.ids_by_kind()
        return index.any_of(
            index.rows(facet.param, kinds.get(CareSetting.Kind.TWENTY_FOUR_HOUR, []))
        ) & index.any_of(index.rows(facet.param, kinds.get(CareSetting.Kind.OUTPATIENT, [])))

    def _fill_counts(self, index: CatalogIndex, facet: Facet, within: np.ndarray) -> None:
        selected = set(self.form.cleaned_data.get(facet.param) or [])
        terms = [option for option in facet.options if option.pk is not None]
        counts = index.counts(index.rows(facet.param, [option.pk for option in terms]), within)
        for option, count in zip(terms, counts.tolist(), strict=True):
            option.count = count
        for option in facet.options:
            option.selected = option.slug in selected
            if option.slug == COMBINATION and facet.param == "setting":
                option.count = index.count(within & self._combination(index, facet))

    def _ordered(
        self, index: CatalogIndex, results: np.ndarray, distance: np.ndarray | None
    ) -> np.ndarray:
        """Positions of the results in the chosen order; ties in name order, as in SQL."""
        sort = self.form.cleaned_data["sort"]
        if sort == SortChoices.RECENTLY_VERIFIED:
            return index.positions_by_verified(results)
        positions = index.positions(results)  # already in name order
        if sort == SortChoices.DISTANCE and distance is not None:
            return positions[np.argsort(distance[positions], kind="stable")]
        return positions


CenterFilter.base_filters = _FilterCopies(CenterFilter.base_filters)
