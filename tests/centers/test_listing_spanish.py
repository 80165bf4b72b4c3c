"""The home page, the listing and the comparison in Spanish under /es/, and English unchanged.

The listing keeps cards, filter groups, the state picker and the filter form's class in each
process's memory: every one of them holds words, so each is kept per language. These tests ask
for the same listing in both languages, in both orders, and check each page is in its own.
"""

import re
from datetime import date
from types import SimpleNamespace

import pytest
from django.core.cache import caches
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.formats import number_format

from centers.filters import CenterFilter, FacetOption
from centers.models import TherapyType
from tests.centers.test_center_list import LISTING_QUERIES
from tests.centers.test_compare import COMPARE_QUERIES
from tests.centers.test_page_queries import HOME_QUERIES, TERM_PAGE_QUERIES
from tests.factories import make_center

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english_afterwards():
    """A request to /es/ leaves Spanish active in this thread (the middleware activates the
    URL's language and nothing deactivates it), and the next test's reverse() would give /es/
    addresses: start the next test in English, as a new request would."""
    yield
    translation.deactivate()


def url_in(language: str, name: str, *args: object) -> str:
    with translation.override(language):
        return reverse(name, args=args)


def get(client, language: str, query: str = "", **headers: str) -> str:
    response = client.get(f"{url_in(language, 'centers:list')}?{query}", headers=headers)
    assert response.status_code == 200
    assert response["Content-Language"] == language
    return response.content.decode()


def result_count(body: str) -> int:
    return int(re.search(r'data-count="(\d+)"', body).group(1))


@pytest.fixture
def centers(db):
    spanish = [
        make_center(
            city="San Francisco",
            state="CA",
            zip_code="94110",
            latitude=37.75,
            longitude=-122.41,
            therapies=["cbt", "dbt"],
            care_settings=["outpatient"],
            payment_options=["medicaid"],
            languages=["spanish"],
        )
        for _ in range(3)
    ]
    others = [
        make_center(therapies=["cbt"], care_settings=["residential"], languages=["arabic"]),
        make_center(therapies=["dbt"], care_settings=["outpatient"]),
    ]
    return spanish + others


@pytest.fixture
def fresh_process():
    """As after a restart: no kept card, filter group or form class in this process."""
    caches["fragments"].clear()
    CenterFilter._form_class = {}


# Words of each language's interface that must not appear on the other language's listing.
ENGLISH_WORDS = [
    "Treatment centers",
    "centers found",
    "(offers all checked)",
    "(any checked)",
    "Any state",
    "Add to compare",
    "<dt>Therapies</dt>",
    "<dt>Payment</dt>",
    "Show results",
    "Sort by",
    "Free, confidential, 24/7",
]
SPANISH_WORDS = [
    "Centros de tratamiento",
    "centros encontrados",
    "(ofrece todo lo marcado)",
    "(cualquiera de lo marcado)",
    "Cualquier estado",
    "Agregar a la comparación",
    "<dt>Terapias</dt>",
    "<dt>Pago</dt>",
    "Mostrar resultados",
    "Ordenar por",
    "Gratis, confidencial, las 24 horas",
]
# The fragment htmx swaps in has no header, footer or form, only results and counts.
FRAGMENT_WORDS = {
    "en": ["centers found", "Add to compare", "<dt>Therapies</dt>", 'visually-hidden"> centers<'],
    "es": [
        "centros encontrados",
        "Agregar a la",
        "<dt>Terapias</dt>",
        'visually-hidden"> centros<',
    ],
}


def assert_in_language(body: str, language: str) -> None:
    own, other = (
        (ENGLISH_WORDS, SPANISH_WORDS) if language == "en" else (SPANISH_WORDS, ENGLISH_WORDS)
    )
    assert [word for word in own if word not in body] == []
    assert [word for word in other if word in body] == []
    assert f'<html lang="{language}">' in body


def assert_fragment_in_language(body: str, language: str) -> None:
    other = "es" if language == "en" else "en"
    assert [word for word in FRAGMENT_WORDS[language] if word not in body] == []
    assert [word for word in FRAGMENT_WORDS[other] if word in body] == []


@pytest.mark.parametrize("order", [("en", "es"), ("es", "en")], ids=["en-first", "es-first"])
def test_each_language_gets_its_own_listing_whichever_comes_first(
    client, centers, fresh_process, order
):
    first, second = order
    bodies = {first: get(client, first, "therapy=cbt"), second: get(client, second, "therapy=cbt")}
    # And again, now that everything is kept: still each in its own language.
    again = {language: get(client, language, "therapy=cbt") for language in order}
    for language in order:
        assert_in_language(bodies[language], language)
        assert_in_language(again[language], language)
    assert result_count(bodies["en"]) == result_count(bodies["es"]) == 4
    assert "<strong>4</strong> centers found" in bodies["en"]
    assert "<strong>4</strong> centros encontrados" in bodies["es"]


@pytest.mark.parametrize("order", [("en", "es"), ("es", "en")], ids=["en-first", "es-first"])
def test_the_htmx_fragment_is_in_the_language_of_its_url(client, centers, fresh_process, order):
    for language in order:
        get(client, language, "therapy=cbt")  # the full page first keeps its stencils
    for language in order:
        body = get(client, language, "therapy=cbt&setting=outpatient", **{"HX-Request": "true"})
        assert "<html" not in body
        assert_fragment_in_language(body, language)
        assert result_count(body) == 3


def test_filter_groups_labels_and_options_are_in_spanish(client, centers):
    body = get(client, "es")
    legends = ["Terapia", "Tipo de atención", "Medicamento", "Formas de pago aceptadas"]
    for legend in [*legends, "Atiende a", "Idioma"]:
        assert f"<legend>{legend} <span" in body
    assert "Combinación (24 horas y ambulatoria)" in body
    assert '<option value="distance">Distancia (necesita un código postal)</option>' in body
    assert "1 milla" not in body and ">25 millas</option>" in body
    assert 'aria-label="Main"' not in body


def test_the_home_page_reads_in_spanish(client, centers, django_assert_num_queries):
    client.get(url_in("es", "centers:home"))  # builds this process's index
    with django_assert_num_queries(HOME_QUERIES):
        body = client.get(url_in("es", "centers:home")).content.decode()
    assert "<h1>Encuentre tratamiento para adicciones cerca de usted</h1>" in body
    assert "Busque entre 5 centros de tratamiento" in body
    assert "Cualquier terapia" in body and "Código postal o ciudad" in body
    assert 'href="/es/therapies/cbt/"' in body
    for english in (
        "Find addiction treatment near you",
        "Any therapy",
        "Combination care",
        ">Search<",
    ):
        assert english not in body
    english = client.get(url_in("en", "centers:home")).content.decode()
    assert "Search 5 treatment centers" in english and "Busque" not in english


# --- query counts: a Spanish page costs what the English one does ---------------------------


def test_spanish_cards_drawn_afresh_cost_no_query(client, centers, django_assert_num_queries):
    client.get(url_in("es", "centers:list"))
    caches["fragments"].clear()
    with django_assert_num_queries(LISTING_QUERIES):
        body = get(client, "es", "therapy=cbt")
    assert "<dt>Terapias</dt>" in body


@pytest.mark.parametrize(
    "url_name, slug", [("centers:therapy", "cbt"), ("centers:care-setting", "outpatient")]
)
def test_spanish_term_pages_cost_what_the_english_ones_do(
    client, centers, django_assert_num_queries, url_name, slug
):
    client.get(url_in("es", url_name, slug))  # builds this process's index of the catalog
    with django_assert_num_queries(TERM_PAGE_QUERIES):
        body = client.get(url_in("es", url_name, slug)).content.decode()
    assert "Agregar a la comparación" in body  # its cards, drawn in Spanish


def test_spanish_compare_page_costs_what_the_english_one_does(
    client, centers, django_assert_max_num_queries
):
    slugs = "&".join(f"c={center.slug}" for center in centers[:4])
    with django_assert_max_num_queries(COMPARE_QUERIES):
        body = client.get(f"{url_in('es', 'centers:compare')}?{slugs}&near=94110").content
    assert b"Lado a lado" in body


# --- the one-click Spanish-language filter ---------------------------------------------------

SPANISH_LINK = "Centros que ofrecen servicios en español"


def test_spanish_pages_offer_centers_with_spanish_services_in_one_click(client, centers):
    body = get(client, "es", "therapy=cbt")
    link = re.search(r'<a class="button button--secondary" href="([^"]+)">' + SPANISH_LINK, body)
    assert link is not None
    assert link.group(1) == "?therapy=cbt&amp;language=spanish"
    assert "(3<span" in body[link.end() :].split("</p>")[0]  # what the click will find
    # Offered, never applied: the listing is not narrowed and the box is not checked.
    assert result_count(body) == 4
    assert 'value="spanish" checked' not in body

    followed = get(client, "es", "therapy=cbt&language=spanish")
    assert result_count(followed) == 3
    assert 'id="f-language-spanish" name="language" value="spanish" checked' in followed
    assert SPANISH_LINK not in followed


def test_the_spanish_link_replaces_another_chosen_language_and_resets_the_page(client, centers):
    body = get(client, "es", "language=arabic&page=1")
    assert 'href="?language=spanish">' + SPANISH_LINK in body


def test_english_pages_keep_spanish_as_a_plain_filter_option(client, centers):
    body = get(client, "en")
    assert SPANISH_LINK not in body and "services in Spanish" not in body
    assert 'id="f-language-spanish" name="language" value="spanish">' in body


def test_the_htmx_fragment_carries_the_spanish_link_while_it_applies(client, centers):
    fragment = get(client, "es", "setting=outpatient", **{"HX-Request": "true"})
    assert SPANISH_LINK in fragment
    fragment = get(client, "es", "setting=outpatient&language=spanish", **{"HX-Request": "true"})
    assert SPANISH_LINK not in fragment


# --- notices, numbers and dates ---------------------------------------------------------------


@pytest.mark.parametrize(
    "query, spanish",
    [
        ("therapy=astrology", "Terapia: no reconocemos “astrology”, así que no se tuvo en cuenta."),
        ("near=00000", "No conocemos el código postal “00000”"),
        ("near=abc", "“abc” no es un código postal"),
        ("radius=9000", "La distancia debe estar entre 5 y 500 millas"),
        ("sort=distance", "Para ordenar por distancia se necesita un código postal"),
        ("page=99", "No existe la página 99; se muestra la página 1, la última."),
        ("page=last", "“last” no es un número de página"),
        ("state=ZZ", "Estado: Escoja una opción válida."),
    ],
)
def test_bad_input_is_explained_in_spanish(client, centers, query, spanish):
    body = get(client, "es", query)
    assert spanish in body.replace("&quot;", '"')


def test_counts_are_grouped_the_way_each_language_writes_numbers():
    option = FacetOption("x", "X", count=1234567)
    for language in ("en", "es"):
        with translation.override(language):
            # What intcomma writes for the language (directory/formats for US Spanish: 1,234).
            assert option.count_label == number_format(1234567, force_grouping=True)
    with translation.override("es"):
        assert option.count_label == "1,234,567"
    context = {
        "page": SimpleNamespace(paginator=SimpleNamespace(count=12345)),
        "filter": SimpleNamespace(origin=None),
    }
    with translation.override("es"):
        summary = render_to_string("centers/center_list.html#result_summary", context)
    assert summary == "<strong>12,345</strong> centros encontrados"
    with translation.override("es"):
        context["page"].paginator.count = 1
        assert render_to_string("centers/center_list.html#result_summary", context) == (
            "<strong>1</strong> centro encontrado"
        )


def test_compare_page_dates_rows_and_labels_are_in_spanish(client, centers):
    first, second = centers[0], centers[3]
    second.last_verified = date(2026, 3, 2)
    second.save()
    with translation.override("es"):
        url = reverse("centers:compare") + f"?c={first.slug}&c={second.slug}"
    body = client.get(url).content.decode()
    assert "<h1>Comparar centros de tratamiento</h1>" in body
    assert '<time datetime="2026-03-02">2 de marzo de 2026</time>' in body
    assert "Todavía no verificado" in body
    assert '<th scope="rowgroup" colspan="3">Lo básico</th>' in body
    assert '<th scope="rowgroup" colspan="3">Tipos de atención</th>' in body
    for english in ("The basics", "Not yet verified", "Side by side", "Copy link", "Mar 2, 2026"):
        assert english not in body
    # compare.js says what the template wrote on its button, in the page's language.
    assert 'data-copied="Enlace copiado."' in body
    assert 'data-copy-manually="Presione Ctrl+C (o Comando+C) para copiar el enlace' in body


def test_compare_tray_messages_are_in_the_language_of_the_page(client, centers):
    center = centers[0]
    client.post(url_in("es", "centers:compare-tray"), {"add": center.slug, "next": "/es/centers/"})
    body = client.get(url_in("es", "centers:visitor") + "?next=/es/centers/").content.decode()
    assert f"{center.name} se agregó a su comparación (1 de 4)." in body
    assert "Su comparación (1 de 4)" in body
    assert "Agregue al menos un centro más para comparar." in body


# --- the catalog's own words -------------------------------------------------------------------

HAS_SPANISH_COLUMNS = any(field.name == "name_es" for field in TherapyType._meta.concrete_fields)


@pytest.mark.skipif(
    not HAS_SPANISH_COLUMNS, reason="needs the catalog's name_es columns (the h1-catalog branch)"
)
def test_term_names_written_in_spanish_show_on_spanish_pages_only(client, centers, fresh_process):
    """For the integrator: runs once the name_es columns are merged; skipped before."""
    TherapyType.objects.filter(slug="cbt").update(name_es="Terapia de prueba en español")
    spanish = get(client, "es", "therapy=cbt")
    english = get(client, "en", "therapy=cbt")
    assert spanish.count("Terapia de prueba en español") >= 2  # the filter option and the cards
    assert "Terapia de prueba en español" not in english
    home = client.get(url_in("es", "centers:home")).content.decode()
    assert "Terapia de prueba en español" in home
