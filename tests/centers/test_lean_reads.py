"""The listing's page of cards and the center page are read by statements compiled once and
reused (centers.models.center): they must read exactly what the querysets they stand for read."""

from datetime import UTC, datetime

import pytest

from centers.models import Center, Service, ServiceCategory, cards_by_id, center_for_page
from centers.models.center import CARD_FIELDS, _card_statements
from helplines.models.advertiser import current_key
from tests.factories import make_advertiser, make_center

pytestmark = pytest.mark.django_db


def columns(center: Center, names) -> dict[str, object]:
    return {name: getattr(center, name) for name in names}


def test_cards_read_by_the_kept_statement_are_what_the_queryset_reads():
    centers = [make_center(name=f"C & {n}", therapies=["cbt"]) for n in range(5)]
    Center.objects.filter(pk=centers[1].pk).update(secondary_name="Annex", intake_phone="")
    make_advertiser(center=centers[2])
    _card_statements.clear()
    ids = [c.pk for c in centers]
    # The same statement (one per number of ids) serves every page of that size.
    for chosen in (ids[:3], ids[1:], list(reversed(ids[1:4])), [ids[4], 10**9, ids[0]]):
        found = cards_by_id(chosen, using="default")
        expected = Center.objects.filter(pk__in=chosen).for_cards().in_bulk()
        assert found.keys() == expected.keys()
        for pk, center in found.items():
            assert columns(center, ["id", *CARD_FIELDS, "is_paid_advertiser"]) == columns(
                expected[pk], ["id", *CARD_FIELDS, "is_paid_advertiser"]
            )
            assert center.is_listed and center.get_absolute_url() == expected[pk].get_absolute_url()
    assert len(_card_statements) == 2  # three ids, four ids
    assert cards_by_id([], using="default") == {}


def test_paid_status_follows_the_time_zones_dates():
    # The key changes with the date somewhere in our zones, so a kept statement never compares
    # against yesterday's date.
    late = datetime(2026, 3, 1, 4, 30, tzinfo=UTC)  # 1 March in UTC, 28 February in the west
    assert current_key(late) != current_key(datetime(2026, 3, 1, 12, tzinfo=UTC))
    assert current_key(late) == current_key(datetime(2026, 3, 1, 4, 40, tzinfo=UTC))


def make_services(center: Center) -> None:
    late = ServiceCategory.objects.create(code="ZB", name="Later", name_es="Después", position=9)
    early = ServiceCategory.objects.create(code="ZA", name="Early", position=1)
    center.services.set(
        [
            Service.objects.create(code="Z3", category=late, name="Three", position=1),
            Service.objects.create(code="Z2", category=early, name="Two", position=2),
            Service.objects.create(code="Z1", category=early, name="One & more", position=1),
            Service.objects.create(code="Z4", category=late, name="Four", position=0),
        ]
    )


def test_a_center_page_reads_what_its_querysets_read(django_assert_num_queries):
    center = make_center(therapies=["cbt", "dbt"], care_settings=["outpatient"])
    make_services(center)
    make_advertiser(center=center)
    expected = (
        Center.objects.exclude(status=Center.Status.HIDDEN)
        .with_paid_status()
        .for_detail()
        .get(slug=center.slug)
    )
    _card_statements.clear()
    for _ in range(2):  # compiled, then kept
        with django_assert_num_queries(3):
            found = center_for_page(center.slug)
        names = [field.attname for field in Center._meta.concrete_fields]
        assert columns(found, [*names, "is_paid_advertiser"]) == columns(
            expected, [*names, "is_paid_advertiser"]
        )
        assert found.service_groups() == expected.service_groups()
        assert [s.category.name for _, services in found.service_groups() for s in services] == [
            "Early",
            "Early",
            "Later",
            "Later",
        ]
        assert list(found.therapies.all()) == list(expected.therapies.all())


def test_a_hidden_center_has_no_page_and_a_closed_one_keeps_it():
    hidden = make_center(status=Center.Status.HIDDEN)
    closed = make_center(status=Center.Status.CLOSED)
    assert center_for_page(hidden.slug) is None
    assert center_for_page("no-such-center") is None
    assert center_for_page(closed.slug).pk == closed.pk


def test_a_service_renamed_in_the_admin_shows_its_new_name_on_the_next_page():
    """Pages share the services they read (kept by their whole row), never a stale one."""
    center = make_center()
    make_services(center)
    first = center_for_page(center.slug)
    assert [s.name for _, services in first.service_groups() for s in services][0] == "One & more"
    Service.objects.filter(code="Z1").update(name="One, renamed")
    again = center_for_page(center.slug)
    assert [s.name for _, services in again.service_groups() for s in services][0] == (
        "One, renamed"
    )
    # The unchanged ones are the very instances the first page read.
    assert again.service_groups()[1][1][0] is first.service_groups()[1][1][0]


@pytest.mark.parametrize("language", ["en", "es"])
def test_service_groups_drawn_from_skeletons_are_what_the_template_renders(language):
    """Groups of one and of several services, odd characters and Spanish names, drawn from
    skeletons, equal the partial rendered directly; no shape falls back to rendering."""
    from django.template.loader import render_to_string
    from django.utils import translation

    from centers.templatetags.center_page import (
        SERVICE_GROUP,
        service_group_skeletons,
        service_groups_markup,
    )

    center = make_center()
    make_services(center)
    lone = ServiceCategory.objects.create(code="ZC", name='"Quoted" <one>', position=12)
    center.services.add(Service.objects.create(code="Z5", category=lone, name="Solo & only"))
    service_group_skeletons.clear()
    with translation.override(language):
        groups = center_for_page(center.slug).service_groups()
        assert [len(services) for _, services in groups] == [2, 2, 1]
        expected = "".join(
            render_to_string(SERVICE_GROUP, {"category": category, "services": services})
            for category, services in groups
        )
        for _ in range(2):  # drawn and compared, then from the skeletons
            assert service_groups_markup(groups) == expected
    assert "Solo &amp; only" in expected
    assert ("Después" in expected) == (language == "es")
    assert service_group_skeletons._skeletons
    assert None not in service_group_skeletons._skeletons.values()


# The facts at a glance as the page wrote them before they were drawn from skeletons.
FACTS_AS_WRITTEN = (
    "{% load i18n %}{% for fact in facts %}\n      <div><dt>{{ fact.label }}</dt><dd>"
    "{% for entry in fact.entries %}"
    '{% if entry.url %}<a href="{{ entry.url }}">{{ entry.name }}</a>{% else %}'
    "{{ entry.name }}{% endif %}{% if not forloop.last %}, {% endif %}{% endfor %}"
    '{% if fact.combination %} · {% translate "offers combination care" %}{% endif %}'
    '{% if fact.from_samhsa %} <span class="muted">{% translate "(SAMHSA\'s words)" %}</span>'
    '{% elif not fact.listed %}{% translate "Not listed" %} <span class="muted">· '
    '<a href="#report">{% translate "Report a correction" %}</a></span>{% endif %}</dd></div>'
    "\n      {% endfor %}"
)


@pytest.mark.parametrize("language", ["en", "es"])
def test_facts_drawn_from_skeletons_are_what_the_template_wrote(language):
    """Rows of linked terms (one, several, a combination of settings), of SAMHSA's words, of
    plain names after "English", and not listed: drawn from skeletons, the second time from
    kept ones, they equal the markup the page's loop wrote; no shape falls back to rendering."""
    from django.template import Context, Template
    from django.utils import translation

    from centers.facts import facts_at_a_glance
    from centers.templatetags.center_page import (
        fact_entry_skeletons,
        fact_row_skeletons,
        facts_markup,
    )

    center = make_center(
        care_settings=["outpatient", "residential"],
        therapies=["cbt", "dbt", "twelve-step"],
        languages=["spanish"],
        populations=["veterans"],
    )
    payments = ServiceCategory.objects.create(code="PAY", name="Payment", position=3)
    center.services.set(
        [Service.objects.create(code=code, category=payments, name=name, position=n)
         for n, (code, name) in enumerate([("Z8", "Cash <or> check"), ("Z9", "Sliding & fee")])]
    )  # fmt: skip
    fact_row_skeletons.clear()
    fact_entry_skeletons.clear()
    with translation.override(language):
        facts = facts_at_a_glance(center_for_page(center.slug))
        expected = Template(FACTS_AS_WRITTEN).render(Context({"facts": facts}))
        for _ in range(2):  # drawn and compared, then from the skeletons
            assert facts_markup(facts) == expected
    assert {fact.relation for fact in facts if fact.from_samhsa} == {"payment_options"}
    assert any(not fact.listed for fact in facts) and any(fact.combination for fact in facts)
    assert "Cash &lt;or&gt; check, Sliding &amp; fee" in expected
    assert 'href="/' in expected
    for skeletons in (fact_row_skeletons, fact_entry_skeletons):
        assert skeletons._skeletons and None not in skeletons._skeletons.values()


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_compare_button_drawn_from_its_skeleton_is_what_the_template_renders(language):
    from django.template.loader import render_to_string
    from django.utils import translation

    from centers.templatetags.center_page import (
        COMPARE_BUTTON,
        compare_button,
        compare_button_skeletons,
    )

    centers = [make_center(name=name) for name in ('"Quoted" & <Sons>', "O'Neil House")]
    compare_button_skeletons.clear()
    with translation.override(language):
        for center, path in zip(centers, ["/centers/a/?x=1&y=<2>", "/es/centers/b/"], strict=True):
            context = {"center": center, "next_path": path}
            assert compare_button(center, path) == render_to_string(COMPARE_BUTTON, context)
        assert "x=1&amp;y=&lt;2&gt;" in compare_button(centers[0], "/centers/a/?x=1&y=<2>")
    assert list(compare_button_skeletons._skeletons) == [language]
    assert None not in compare_button_skeletons._skeletons.values()
    closed = make_center(status=Center.Status.CLOSED)
    assert compare_button(closed, "/") == ""
