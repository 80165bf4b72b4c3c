"""The helplines' pages in Spanish: where calls go, the disclosure in each language, and
callback requests that record the language of the page they came from.

Personas: ``maple``, ``birch`` and ``cedar`` (tests/helplines/conftest.py) answer in English;
``sol`` (Clínica Sol de Mayo) answers in Spanish. ``carol`` handles callbacks in the admin.
"""

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client
from django.urls import reverse
from django.utils import translation

from helplines import services
from helplines.models import Advertiser, CallbackRequest, Helpline
from tests.factories import callback_form_data, make_advertiser, make_center, make_helpline

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_rate_limits")]

UNTRANSLATED = "Esta versión de nuestra declaración todavía no se ha traducido al español."


@pytest.fixture
def sol(db) -> Advertiser:
    advertiser = make_advertiser(name="Clínica Sol de Mayo", intake_number="+13055550121")
    advertiser.languages = ["es"]
    advertiser.save(update_fields=["languages"])
    return advertiser


@pytest.fixture
def carol(db) -> Client:
    user = User.objects.create(username="carol", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="handle_callbackrequest"))
    client = Client()
    client.force_login(user)
    return client


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


class TestWhereCallsGo:
    def test_the_spanish_page_is_in_spanish(self, client, advertisers):
        html = page(client, "/es/where-calls-go/")
        assert '<html lang="es"' in html
        assert "¿A dónde van las llamadas a nuestras líneas de ayuda?" in html
        assert "Cómo se dirige su llamada" in html
        assert "Para español, oprima 2" in html
        assert html.count('<span class="badge">Anunciante pagado</span>') == 3
        assert "Lunes a domingo: las 24 horas" in html

    def test_lists_the_advertisers_that_answer_in_spanish(self, client, advertisers, sol):
        html = page(client, "/es/where-calls-go/")
        assert "Atienden en español: Clínica Sol de Mayo." in html
        assert "<dt>Atiende en</dt><dd>Español</dd>" in html
        english = page(client, "/where-calls-go/")
        assert "Answering in Spanish: Clínica Sol de Mayo." in english
        assert "<dt>Answers in</dt><dd>Spanish</dd>" in english
        assert "<dt>Answers in</dt><dd>English</dd>" in english

    def test_says_when_no_advertiser_answers_in_spanish(self, client, advertisers):
        html = page(client, "/es/where-calls-go/")
        assert "En este momento ningún anunciante pagado atiende en español" in html

    def test_says_which_lines_are_in_spanish(self, client):
        make_helpline(label="Detox helpline", number="+12025550101")
        linea = make_helpline(label="Línea de ayuda", number="+12025550102")
        Helpline.objects.filter(pk=linea.pk).update(language="es")
        html = page(client, "/es/where-calls-go/")
        assert "En español: todo lo escucha en español" in html
        assert "En inglés; al comenzar la llamada, oprima 2 para español." in html
        # The footer names the Spanish line too.
        assert '<span lang="es">(en español)</span>' in html

    def test_dates_are_spanish(self, client, advertisers):
        with translation.override("es"):
            html = page(client, "/es/where-calls-go/")
        months = ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto")
        months += ("septiembre", "octubre", "noviembre", "diciembre")
        assert any(f" de {month} de " in html for month in months)


class TestDisclosureInSpanish:
    def test_the_current_version_s_spanish_text_is_shown(self, client):
        services.publish_disclosure(body="We are paid.", body_es="Nos pagan.")
        html = page(client, "/es/where-calls-go/")
        assert "<p>Nos pagan.</p>" in html
        assert "We are paid." not in html
        assert UNTRANSLATED not in html
        assert "<p>We are paid.</p>" in page(client, "/where-calls-go/")

    def test_an_untranslated_version_says_so_and_shows_the_english_marked(self, client):
        services.publish_disclosure(body="Old text.", body_es="Texto antiguo.")
        services.publish_disclosure(body="New text.")
        html = page(client, "/es/where-calls-go/")
        assert UNTRANSLATED in html
        assert '<div lang="en"><p>New text.</p></div>' in html
        # Never the previous version's translation, presented as current.
        assert "Texto antiguo." not in html
        assert UNTRANSLATED not in page(client, "/where-calls-go/")

    def test_the_history_works_in_both_languages(self, client):
        services.publish_disclosure(body="One.", body_es="Uno.", change_note="First.")
        services.publish_disclosure(body="Two.", change_note="Second.")
        spanish = page(client, "/es/where-calls-go/history/")
        assert "Versiones anteriores de nuestra declaración sobre las llamadas" in spanish
        assert 'href="/es/where-calls-go/history/2/">Versión 2</a>' in spanish
        assert "(la actual) (todavía sin traducir)" in spanish
        assert spanish.count("(todavía sin traducir)") == 1
        english = page(client, "/where-calls-go/history/")
        assert 'href="/where-calls-go/history/2/">Version 2</a>' in english
        assert "not translated" not in english

    def test_the_history_costs_one_query_for_its_versions(self, client, django_assert_num_queries):
        for n in range(3):
            services.publish_disclosure(body=f"Text {n}.")
        client.get("/es/where-calls-go/history/")
        with django_assert_num_queries(2):  # the helplines of the footer, the versions
            client.get("/es/where-calls-go/history/")

    def test_an_old_version_in_spanish(self, client):
        services.publish_disclosure(body="One.", body_es="Uno.")
        services.publish_disclosure(body="Two.", body_es="Dos.")
        html = page(client, "/es/where-calls-go/history/1/")
        assert "Nuestra declaración sobre las llamadas, versión 1" in html
        assert "<p>Uno.</p>" in html
        assert "Esta versión ya fue reemplazada." in html
        assert 'href="/es/where-calls-go/"' in html

    def test_an_old_untranslated_version_says_so(self, client):
        services.publish_disclosure(body="One.")
        html = page(client, "/es/where-calls-go/history/1/")
        assert UNTRANSLATED in html
        assert '<div lang="en"><p>One.</p></div>' in html


class TestCallbacksInSpanish:
    def test_the_site_form_reads_in_spanish(self, client, sol):
        html = page(client, "/es/callback/")
        assert "Pida que le llamen, de forma confidencial" in html
        assert "Número de teléfono" in html
        assert "Mejor hora para llamarle (su hora local)" in html
        assert "En la mañana (de 8 a. m. a mediodía)" in html
        assert "Acepto que Clínica Sol de Mayo me llame a este número" in html
        assert 'action="/es/callback/"' in html

    def test_a_spanish_request_goes_to_an_advertiser_that_answers_in_spanish(
        self, client, advertisers, sol
    ):
        html = page(client, "/es/callback/")
        assert "Clínica Sol de Mayo" in html
        assert "Maple Grove Recovery" not in html
        response = client.post("/es/callback/", callback_form_data(sol))
        assert response.status_code == 302
        assert response["Location"].startswith("/es/callback/sent/")
        callback = CallbackRequest.objects.get()
        assert (callback.advertiser, callback.language) == (sol, "es")
        sent = page(client, response["Location"])
        assert (
            "Clínica Sol de Mayo le llamará. Usted pidió: en la noche (de 5 p. m. a 8 p. m.)."
            in (sent)
        )

    def test_an_english_request_records_english(self, client, advertisers, sol):
        client.post("/callback/", callback_form_data(advertisers.maple))
        assert CallbackRequest.objects.get().language == "en"

    def test_no_spanish_speaking_advertiser_says_so_in_spanish(self, client, advertisers):
        html = page(client, "/es/callback/")
        assert "ningún anunciante pagado que atienda en español" in html
        assert "Línea Nacional de Ayuda de SAMHSA" in html

    def test_errors_are_in_spanish(self, client, sol):
        response = client.post("/es/callback/", callback_form_data(sol, phone="12", consent=""))
        assert response.status_code == 400
        html = response.content.decode()
        assert "Hay 2 problemas en su solicitud." in html
        assert "Escriba un número de teléfono de EE. UU. con su código de área" in html
        assert "Marque esta casilla si acepta que Clínica Sol de Mayo le llame." in html
        assert CallbackRequest.objects.count() == 0

    def test_a_center_request_from_the_spanish_page_records_spanish(self, client):
        center = make_center(name="Harbor Light Recovery")
        url = f"/es/centers/{center.slug}/callback/"
        html = page(client, url)
        assert "Pida a Harbor Light Recovery que le devuelva la llamada" in html
        response = client.post(url, callback_form_data())
        assert response.status_code == 302
        callback = CallbackRequest.objects.get()
        assert (callback.center, callback.language) == (center, "es")

    def test_the_admin_queue_shows_and_filters_the_language(self, client, carol, sol):
        client.post("/es/callback/", callback_form_data(sol))
        queue = reverse("admin:helplines_callbackrequest_changelist")
        html = carol.get(queue).content.decode()
        assert "Español" in html
        assert '<td class="field-language">Español</td>' in html
        assert '<a href="?language__exact=es">Español</a>' in html  # the list filter
        filtered = carol.get(queue, {"language__exact": "en"}).content.decode()
        assert 'class="field-language"' not in filtered
        change = reverse(
            "admin:helplines_callbackrequest_change", args=[CallbackRequest.objects.get().pk]
        )
        assert "Español" in carol.get(change).content.decode()


def test_a_helpline_shows_its_spanish_label_on_spanish_pages_and_its_label_otherwise(client):
    named = make_helpline(label="Detox helpline")
    named.label_es = "Línea de desintoxicación"
    named.save(update_fields=["label_es"])
    make_helpline(label="Rehab helpline")  # no Spanish written yet
    for path in ("/es/", "/es/where-calls-go/"):
        page = client.get(path).text
        assert "Línea de desintoxicación" in page and "Detox helpline" not in page
        assert "Rehab helpline" in page
    for path in ("/", "/where-calls-go/"):
        page = client.get(path).text
        assert "Detox helpline" in page and "Línea de desintoxicación" not in page
