"""The listing's in-memory index against the same filters in SQL over the link tables.

``CenterFilter.search()`` (the index) must give exactly the results, order and per-option
counts that ``CenterFilter.qs`` and ``ordered_results()`` (SQL over the link tables) give, for
any filter mix; and the index must follow every kind of catalog write.
"""

import random
from datetime import date, timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from centers.catalog_index import current_index
from centers.filters import CenterFilter, Facet, facets_of
from centers.models import (
    COMBINATION,
    FACET_KINDS,
    CareSetting,
    CatalogVersion,
    Center,
    CenterQuerySet,
    ProblemReport,
    TherapyType,
)
from tests.factories import make_center, term
from tests.threads import run_together

pytestmark = pytest.mark.django_db

PLACES = [
    ("San Francisco", "CA", "94110", 37.75, -122.41),
    ("Oakland", "CA", "94612", 37.80, -122.27),
    ("Chicago", "IL", "60601", 41.88, -87.62),
    ("Evanston", "IL", "60201", 42.05, -87.69),
    ("Brooklyn", "NY", "11201", 40.69, -73.99),
    ("Nowhere", "TX", "75001", None, None),
]


@pytest.fixture
def catalog():
    """Sixty centers with random terms, places and dates, some of them not published."""
    rng = random.Random(20261202)
    slugs = {
        kind.relation: list(kind.model.objects.values_list("slug", flat=True))
        for kind in FACET_KINDS
    }
    words = ["Hope", "Recovery", "Harbor", "Center", "Clinic", "Bridge"]
    for n in range(60):
        city, state, zip_code, lat, lng = rng.choice(PLACES)
        make_center(
            name=f"{rng.choice(words)} {rng.choice(words)} {n:02d}",
            city=city,
            state=state,
            zip_code=zip_code,
            latitude=None if lat is None else lat + rng.uniform(-0.3, 0.3),
            longitude=None if lng is None else lng + rng.uniform(-0.3, 0.3),
            status=rng.choice([Center.Status.PUBLISHED] * 8 + [Center.Status.HIDDEN]),
            last_verified=rng.choice([None, date(2026, 1, 1) + timedelta(days=rng.randrange(300))]),
            **{
                relation: rng.sample(options, rng.randint(0, min(4, len(options))))
                for relation, options in slugs.items()
            },
        )
    # What each center said about taking new clients, and how long ago (its own generator, so
    # the catalog above stays as it was).
    said = random.Random(14)
    now = timezone.now()
    for center in Center.objects.all():
        availability = said.choice(["", *Center.Availability.values[1:], "accepting"])
        Center.objects.filter(pk=center.pk).update(
            availability=availability,
            availability_stated_at=now - timedelta(days=said.uniform(0, 40))
            if availability
            else None,
        )
    return slugs


def random_mixes(slugs: dict[str, list[str]], count: int) -> list[dict[str, list[str]]]:
    rng = random.Random(7)
    mixes = [{}]
    for _ in range(count):
        mix: dict[str, list[str]] = {}
        for kind in FACET_KINDS:
            if rng.random() < 0.4:
                options = slugs[kind.relation] + ([COMBINATION] if kind.param == "setting" else [])
                mix[kind.param] = rng.sample(options, rng.randint(1, 2))
        if rng.random() < 0.3:
            mix["state"] = [rng.choice(["CA", "IL", "NY", "TX"])]
        if rng.random() < 0.3:
            mix["near"] = [rng.choice(["94110", "60601", "11201"])]
            mix["radius"] = [str(rng.choice([5, 25, 100]))]
        if rng.random() < 0.2:
            mix["q"] = [rng.choice(["hope", "harbor center", "chicago", "zzz"])]
        if rng.random() < 0.3:
            mix["taking"] = ["now"]
        mix["sort"] = [rng.choice(["name", "recently-verified", "distance"])]
        mixes.append(mix)
    return mixes


def sql_counts(filterset: CenterFilter, facet: Facet) -> dict[str, int]:
    """Each option's count the way the listing counted before the index: SQL over links."""
    base = (
        filterset.qs
        if facet.match_all
        else filterset.filter_queryset(filterset.queryset.all(), exclude=facet.param)
    )
    counts = {}
    for option in facet.options:
        if option.pk is None:
            condition = CenterQuerySet.combination_condition()
            counts[option.slug] = base.filter(condition).count()
        elif facet.match_all:
            counts[option.slug] = base.offering_all(facet.relation, [option.pk]).count()
        else:
            counts[option.slug] = base.offering_any(facet.relation, [option.pk]).count()
    return counts


@pytest.mark.parametrize("part", range(3))
def test_results_order_and_counts_match_the_link_tables(catalog, part):
    mixes = random_mixes(catalog, 45)[part::3]
    for mix in mixes:
        index = current_index()
        filterset = CenterFilter(mix, facets=facets_of(index)).validate()
        results = filterset.search(index)
        indexed = [center.pk for center in results[: len(results)]]
        expected = list(filterset.ordered_results().values_list("pk", flat=True))
        assert indexed == expected, mix
        for facet in filterset.facets:
            assert {o.slug: o.count for o in facet.options} == sql_counts(filterset, facet), (
                mix,
                facet.param,
            )
        taking = filterset.filter_queryset(filterset.queryset.all(), exclude="taking")
        assert filterset.taking_count == taking.taking_new_clients(filterset.now).count(), mix


def test_distances_on_cards_are_the_databases(catalog):
    index = current_index()
    filterset = CenterFilter({"near": "94110", "radius": "100"}, facets=facets_of(index))
    results = filterset.validate().search(index)
    from_sql = dict(filterset.ordered_results().values_list("pk", "distance"))
    assert len(results) == len(from_sql) > 0
    for center in results[: len(results)]:
        assert center.distance == pytest.approx(from_sql[center.pk], abs=1e-6)


def test_cards_carry_the_centers_own_terms(catalog, django_assert_num_queries):
    index = current_index()
    results = CenterFilter({}, facets=facets_of(index)).validate().search(index)
    for center in results[: len(results)]:
        stored = Center.objects.get(pk=center.pk)
        center.fill_card_terms()  # what a card being drawn does
        for kind in FACET_KINDS:
            with django_assert_num_queries(0):
                shown = [term.slug for term in getattr(center, kind.relation).all()]
            assert shown == [term.slug for term in getattr(stored, kind.relation).all()]


def token() -> int | None:
    return CatalogVersion.current(connection.alias)


WRITES = {
    "create a center": lambda c: make_center(),
    "save a center": lambda c: c.save(),
    "hide a center by update()": lambda c: Center.objects.filter(pk=c.pk).update(status="hidden"),
    "delete a center": lambda c: c.delete(),
    "rename a therapy": lambda c: TherapyType.objects.filter(slug="cbt").update(name="CBT"),
    "add a care setting": lambda c: CareSetting.objects.create(slug="new-setting", name="New"),
    **{
        f"link {kind.relation}": (
            lambda c, kind=kind: getattr(c, kind.relation).add(kind.model.objects.first())
        )
        for kind in FACET_KINDS
    },
    **{
        f"bulk-create {kind.relation} links": (
            lambda c, kind=kind: getattr(Center, kind.relation).through.objects.bulk_create(
                [
                    getattr(Center, kind.relation).through(
                        center_id=c.pk,
                        **{f"{kind.model._meta.model_name}_id": kind.model.objects.last().pk},
                    )
                ]
            )
        )
        for kind in FACET_KINDS
    },
}


@pytest.mark.parametrize("write", WRITES.values(), ids=WRITES.keys())
def test_every_catalog_write_changes_the_token(write):
    center = make_center()
    before = token()
    write(center)
    assert token() != before


def test_a_write_elsewhere_leaves_the_token():
    center = make_center()
    before = token()
    ProblemReport.objects.create(center=center, kind=ProblemReport.Kind.values[0], details="Fax.")
    assert token() == before


@pytest.mark.postgres
def test_a_rolled_back_write_leaves_no_trace_in_the_index(client):
    make_center(name="Kept Place", therapies=["cbt"])
    client.get("/centers/")
    try:
        with transaction.atomic():
            make_center(name="Rolled Back Place", therapies=["cbt"])
            assert len(current_index().ids) == 2  # inside the transaction the index sees it
            raise RuntimeError("roll back")
    except RuntimeError:
        pass
    response = client.get("/centers/?therapy=cbt")
    assert [c.name for c in response.context["page"].object_list] == ["Kept Place"]


def test_hidden_and_closed_centers_are_not_in_the_index(client):
    shown = make_center(name="Open Place")
    make_center(name="Hidden Place", status=Center.Status.HIDDEN)
    make_center(name="Closed Place", status=Center.Status.CLOSED)
    assert list(current_index().ids) == [shown.pk]
    shown.status = Center.Status.HIDDEN
    shown.save()
    assert len(current_index().ids) == 0


def test_cards_show_an_edit_at_once(client):
    """The cards' cached part is keyed by the catalog version, which every edit changes."""
    center = make_center(name="Edited Place", therapies=["cbt"], phone="+12025550150")
    assert "Cognitive behavioral therapy (CBT)" in client.get("/centers/").content.decode()
    TherapyType.objects.filter(slug="cbt").update(name="Talking therapy (CBT)")
    center.phone = "+12025550151"
    center.save()
    body = client.get("/centers/").content.decode()
    assert "Talking therapy (CBT)" in body and "Cognitive behavioral" not in body.split("<main")[1]
    assert "555-0151" in body and "555-0150" not in body


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_threads_that_see_a_new_catalog_at_once_share_one_build():
    """A worker's threads wait for the first one's rebuild rather than each reading the
    catalog again (the build lock in ``current_index``)."""
    make_center(name="Shared Place", therapies=["cbt"])
    from centers import catalog_index

    catalog_index._indexes.clear()
    indexes = run_together(6, lambda _n: current_index())
    assert len({id(index) for index in indexes}) == 1
    assert list(indexes[0].ids) == list(Center.objects.values_list("pk", flat=True))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_edits_of_different_centers_both_land():
    """Every catalog write updates the one version row, inside its transaction: writers queue
    on that row lock, and neither fails nor deadlocks."""
    first, second = make_center(name="First"), make_center(name="Second")
    cbt = term(TherapyType, "cbt")  # made here: a flushed database has no vocabulary
    before = token()

    def edit(n: int) -> str:
        with transaction.atomic():
            center = Center.objects.select_for_update().get(pk=(first, second)[n].pk)
            center.name = f"Edited {n}"
            center.save()
            center.therapies.add(cbt)
        return center.name

    assert run_together(2, edit) == ["Edited 0", "Edited 1"]
    assert token() != before
    assert sorted(current_index().ids) == sorted([first.pk, second.pk])


HOSTILE_WORDS = ["50%", "a_b", "back\\slash", "(group)", "[set]", "a.b", "^start", "end$", "Ñandú"]


@pytest.mark.parametrize("words", HOSTILE_WORDS)
def test_words_with_pattern_characters_mean_themselves(words):
    """The index's word search treats %, _, backslashes and regex characters as text, as
    ``matching_words``' LIKE does."""
    make_center(name=f"Clinic {words} Place")
    make_center(name="Clinic Other Place")
    index = current_index()
    filterset = CenterFilter({"q": words}, facets=facets_of(index)).validate()
    found = [center.name for center in filterset.search(index)[:10]]
    assert found == [f"Clinic {words} Place"]
    assert found == list(filterset.ordered_results().values_list("name", flat=True))


def test_words_match_across_names_cities_and_case():
    harbor = make_center(name="Harbor House", city="Oakland")
    harbor.secondary_name = "Women's program"
    harbor.save()
    make_center(name="Hope Clinic", city="Harborview")
    index = current_index()
    for words, expected in [
        ("harbor", 2),
        ("HARBOR oak", 1),
        ("women", 1),
        ("house oakland", 1),
        ("housewomen", 0),  # never across two fields
        ("clinic\x1fharborview", 1),  # the separator is white space: two words, as in SQL
    ]:
        filterset = CenterFilter({"q": words}, facets=facets_of(index)).validate()
        assert len(filterset.search(index)) == expected == filterset.qs.count(), words
