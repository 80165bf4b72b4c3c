"""The center page, the therapy and care-setting pages, the guide, the problem report and the
error pages under /es/: Spanish interface, Spanish dates and numbers, the English pages as they
were, and bad input answered in Spanish, never with a 500."""

from datetime import date

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import translation

from centers.models import CareSetting, Center, ProblemReport, Service, ServiceCategory, TherapyType
from centers.views.guides import CareCount, Tally
from tests.factories import make_center

pytestmark = pytest.mark.django_db


def has_spanish_column(model) -> bool:
    """The catalog's Spanish columns (``name_es``...) arrive in a migration of their own."""
    return any(field.name == "name_es" for field in model._meta.get_fields())


needs_spanish_columns = pytest.mark.skipif(
    not (has_spanish_column(TherapyType) and has_spanish_column(Service)),
    reason="the catalog's name_es columns are not migrated in yet",
)


@pytest.fixture
def center():
    center = make_center(
        name="Bayview Recovery",
        city="San Francisco",
        state="CA",
        zip_code="94110",
        latitude=37.7509,
        longitude=-122.4153,
        phone="+14155550147",
        last_verified=date(2026, 12, 3),
        therapies=["cbt"],
        care_settings=["residential", "outpatient"],
        payment_options=["medicaid"],
        languages=["spanish"],
    )
    testing = ServiceCategory.objects.create(code="SCR", name="Testing")
    center.services.set(
        [Service.objects.create(code="DAUT", name="Drug urine screening", category=testing)]
    )
    return center


def spanish(path: str) -> str:
    with translation.override("es"):
        return path if path.startswith("/es/") else f"/es{path}"


def test_the_center_page_reads_in_spanish(client, center):
    response = client.get(spanish(center.get_absolute_url()))
    body = response.text
    assert response.status_code == 200
    assert body.startswith('<!doctype html>\n<html lang="es">')
    for text in (
        '<h2 id="contact-heading">Cómo comunicarse</h2>',
        "Línea principal:",
        "De un vistazo",
        "Tipos de atención",
        "ofrece atención combinada",
        "Idiomas</dt><dd>Inglés",
        "No indicado",  # no medications listed
        "Todo lo que SAMHSA indica sobre este centro",
        "Informe un problema con la información de este centro",
        "¿Qué está mal?",
        "El número de teléfono está mal",
        "Enviar el informe",
    ):
        assert text in body, text
    assert '<time datetime="2026-12-03">3 de diciembre de 2026</time>' in body
    # Its links stay in Spanish.
    assert f'action="/es/centers/{center.slug}/report/"' in body
    assert 'href="/es/care-settings/residential/"' in body
    for english in ("At a glance", "Not listed", "Report a problem", "Send report", "December"):
        assert english not in body, english


def test_the_english_center_page_is_unchanged(client, center):
    body = client.get(center.get_absolute_url()).text
    assert body.startswith('<!doctype html>\n<html lang="en">')
    assert '<time datetime="2026-12-03">December 3, 2026</time>' in body
    for text in ("At a glance", "Languages</dt><dd>English", "Not listed", "Send report"):
        assert text in body, text
    assert "De un vistazo" not in body


def test_an_unverified_closed_center_says_so_in_spanish(client):
    closed = make_center(status="closed")
    body = client.get(spanish(closed.get_absolute_url())).text
    assert "Se informó que este centro cerró." in body
    assert "Ni el centro ni nuestros editores han revisado todavía estos datos." in body


@needs_spanish_columns
def test_the_center_page_shows_the_catalog_in_spanish(client, center):
    TherapyType.objects.filter(slug="cbt").update(name_es="Terapia de prueba")
    Service.objects.filter(code="DAUT").update(name_es="Análisis de orina de prueba")
    ServiceCategory.objects.filter(code="SCR").update(name_es="Pruebas de laboratorio")
    english_url = center.get_absolute_url()
    body = client.get(spanish(english_url)).text
    assert "Terapia de prueba" in body
    assert "<h3>Pruebas de laboratorio</h3>" in body
    assert "Análisis de orina de prueba" in body
    english = client.get(english_url).text
    assert "Terapia de prueba" not in english
    assert "<h3>Testing</h3>" in english


@pytest.mark.parametrize(
    ("url_name", "slug", "heading"),
    [("centers:therapy", "cbt", "Cómo es una sesión"), ("centers:care-setting", "residential",
     "Cómo es un día típico")],
)  # fmt: skip
def test_term_pages_read_in_spanish(client, center, url_name, slug, heading):
    english_url = reverse(url_name, args=[slug])
    response = client.get(spanish(english_url))
    body = response.text
    assert response.status_code == 200
    assert '<h2 id="what-heading">Qué es</h2>' in body
    assert heading in body
    assert "A quién suele convenirle" in body
    assert "<strong>1</strong> centro en el directorio." in body
    assert "no es un consejo médico" in body
    assert f'href="/es/centers/?{"therapy" if "therapy" in url_name else "setting"}={slug}"' in body
    english = client.get(english_url).text
    assert "<strong>1</strong> center in the directory." in english
    assert "What it is" in english


@needs_spanish_columns
def test_term_pages_show_the_terms_own_spanish(client, db):
    TherapyType.objects.filter(slug="cbt").update(
        name_es="Terapia de prueba", summary_es="Resumen de prueba."
    )
    body = client.get("/es/therapies/cbt/").text
    assert "<h1>Terapia de prueba</h1>" in body
    assert "Resumen de prueba." in body


def test_the_guide_reads_in_spanish(client, center):
    response = client.get("/es/guides/inpatient-vs-outpatient/?near=94110&radius=25")
    body = response.text
    assert response.status_code == 200
    for text in (
        "<h1>¿Tratamiento con internamiento o ambulatorio? Una guía para familias</h1>",
        "Lea estas cifras con cuidado",
        "Alrededor de <strong>65 de cada 100</strong>",
        "Son cifras publicadas por otros, no nuestras.",
        "Centros que ofrecen cada tipo de atención: 1 centro publicado en todo el país, "
        "1 a menos de 25 millas de 94110",
        'Cerca de 94110<span class="visually-hidden">, a menos de 25 millas</span>',
        "En todo el país: 100%",
        '<option value="25" selected>25 millas</option>',
        'href="/es/care-settings/detox/"',
    ):
        assert text in body, text
    for english in ("Read these figures", "Nationally", "miles", "Who it tends to suit"):
        assert english not in body, english


def test_the_guide_in_english_is_unchanged(client, center):
    body = client.get("/guides/inpatient-vs-outpatient/?near=94110&radius=25").text
    assert "Read these figures with care" in body
    assert 'Near 94110<span class="visually-hidden">, within 25 miles</span>' in body
    assert "1 published center nationally, 1 within 25 miles of 94110" in body


def test_the_guide_writes_large_numbers_and_small_shares_the_spanish_way():
    """Numbers in the site's Spanish formats (directory/formats/es: 12,345, as US Spanish
    writes them), the share below 1% in words."""
    tally = Tally(count=3, total=12_345, url="/es/centers/?setting=detox")
    context = {"counts": [CareCount("detox", "Desintoxicación", tally)], "area": None}
    with translation.override("es"):
        html = render_to_string("guides/_care_counts.html", context)
    assert "12,345 centros publicados en todo el país" in html
    assert "En todo el país: menos del 1%" in html
    with translation.override("en"):
        html = render_to_string("guides/_care_counts.html", context)
    assert "12,345 published centers nationally" in html
    assert "Nationally: less than 1%" in html


def report_url(center) -> str:
    with translation.override("es"):
        return reverse("centers:report-problem", args=[center.slug])


def test_a_report_sent_from_the_spanish_page_is_thanked_in_spanish(client, center):
    assert report_url(center).startswith("/es/")
    response = client.post(report_url(center), {"kind": "phone", "details": "No contesta."})
    assert response.status_code == 302
    assert response.url == f"/es/centers/{center.slug}/#report"
    assert ProblemReport.objects.get().kind == "phone"
    assert "Gracias. Nuestros editores revisarán este centro." in client.get(response.url).text


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"details": "Se mudó"}, "Este campo es obligatorio."),
        ({"kind": "hack"}, "Escoja una opción válida."),
        ({"kind": "<script>alert(1)</script>"}, "Escoja una opción válida."),
        ({"kind": "phone", "details": "x" * 5000}, "menos de 2000 caracteres"),
        ({"kind": "phone", "details": "nulo\x00aquí"}, "Los caracteres nulos no están permitidos."),
        ({"kind": ["phone", "closed"]}, ""),  # the last value wins: a valid report
    ],
)
def test_hostile_reports_get_spanish_errors_never_a_500(client, center, data, error):
    response = client.post(report_url(center), data)
    if not error:
        assert response.status_code == 302
        return
    body = response.text
    assert response.status_code == 400
    assert "Por favor, corrija el problema que se indica abajo." in body
    assert error in body
    assert "<script>alert(1)</script>" not in body
    assert "This field is required" not in body
    assert not ProblemReport.objects.exists()


def test_the_report_form_labels_and_help_are_spanish(client, center):
    body = client.post(report_url(center), {}).text
    assert "<legend>¿Qué está mal?</legend>" in body
    assert 'Detalles <span class="optional">(opcional)</span>' in body
    assert "Por favor, no incluya información de salud." in body
    assert "Otra cosa" in body


def test_a_post_without_its_token_is_refused_in_spanish(center):
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        report_url(center), {"kind": "phone"}, headers={"Origin": "http://testserver"}
    )
    assert response.status_code == 403
    assert "<h1>Por favor, envíelo de nuevo</h1>" in response.text
    assert "Enviarlo de nuevo" in response.text


def test_a_missing_spanish_page_is_a_spanish_404(client, db):
    response = client.get("/es/nonexistent/")
    assert response.status_code == 404
    assert response.text.startswith('<!doctype html>\n<html lang="es">')
    assert "No encontramos esa página" in response.text
    assert 'href="/es/centers/"' in response.text
    english = client.get("/nonexistent/")
    assert english.status_code == 404
    assert "We couldn't find that page" in english.text


@pytest.mark.parametrize(
    "path", ["/xx/centers/", "/es/centers/no-such-center/", "/es/therapies/no-such-therapy/",
             "/es/care-settings/%00/", "/ES/centers/"],
)  # fmt: skip
def test_unknown_languages_and_pages_are_404s_not_500s(client, db, path):
    assert client.get(path).status_code == 404


def test_the_error_pages_speak_the_language_of_the_request():
    with translation.override("es"):
        server_error = render_to_string("500.html")
        unavailable = render_to_string("503.html")
    assert '<html lang="es">' in server_error
    assert "Algo salió mal de nuestro lado" in server_error
    assert '<html lang="es">' in unavailable
    assert "El directorio no está disponible por un momento" in unavailable
    with translation.override("en"):
        assert "Something went wrong on our side" in render_to_string("500.html")


def test_care_setting_terms_exist_for_the_guide_links():
    # The guide links each setting by slug; a renamed slug would 404 in both languages.
    for slug in ("inpatient", "residential", "outpatient", "intensive-outpatient", "detox"):
        assert CareSetting.objects.filter(slug=slug).exists(), slug


def test_run_by_names_the_samhsa_operation_codes_of_the_center(client, center):
    operation = ServiceCategory.objects.create(code="FOP", name="Facility operation", position=2)
    center.services.add(
        Service.objects.create(
            code="PVTN", name="Private non-profit organization", category=operation
        )
    )
    center.operator_type = "Imported text"
    center.save()
    body = client.get(center.get_absolute_url()).text
    assert "<dt>Run by</dt><dd>Imported text</dd>" in body  # English: as stored
    Service.objects.filter(code="PVTN").update(name_es="Organización privada sin fines de lucro")
    body = client.get(spanish(center.get_absolute_url())).text
    assert "<dd>Organización privada sin fines de lucro</dd>" in body
    without_codes = make_center(name="No Codes")
    Center.objects.filter(pk=without_codes.pk).update(operator_type="State government")
    with translation.override("en"):
        english_url = without_codes.get_absolute_url()
    assert "<dd>State government</dd>" in client.get(english_url).text
    spanish_page = client.get(spanish(english_url)).text
    assert '<dd lang="en">State government</dd>' in spanish_page


@pytest.mark.parametrize(
    "query", ["near=<script>x</script>&radius=25", "near=94110&radius=far", "near=%00&radius=1e999"]
)
def test_the_spanish_guide_answers_bad_areas_with_a_notice_not_a_500(client, center, query):
    response = client.get(f"/es/guides/inpatient-vs-outpatient/?{query}")
    assert response.status_code == 200
    assert "<script>x</script>" not in response.text
    assert 'class="notice notice--warning"' in response.text
    assert "Lea estas cifras con cuidado" in response.text
