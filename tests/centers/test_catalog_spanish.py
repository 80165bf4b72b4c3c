"""The catalog's words in Spanish: the vocabulary, SAMHSA's codes, their migrations, the
importer and the admin. Editors' Spanish is never replaced by a migration or an import."""

from importlib import import_module
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation

from centers.importer import import_file
from centers.importer.reader import read_directory
from centers.models import TERM_KINDS, Center, Service, ServiceCategory, TherapyType, prefetch_terms
from centers.samhsa_es import CATEGORY_NAMES_ES, SERVICE_NAMES_ES
from centers.vocabulary import sync_vocabulary
from tests.factories import make_center

from .samhsa_files import MH_REFERENCE, REFERENCE, facility, write_xlsx

# Found as tests/centers/test_import_real_file.py finds it: ../shared beside the checkout.
SHARED = Path(__file__).resolve().parents[2].parent / "shared"
DIRECTORY_2022 = SHARED / "data/samhsa/national-directory-su-facilities-2022.xlsx"
TEXTS = ("name", "summary", "description", "what_to_expect", "who_it_suits")

load_vocabulary = import_module("centers.migrations.0002_load_vocabulary").load
fill_vocabulary = import_module("centers.migrations.0009_spanish_vocabulary").fill
fill_samhsa_names = import_module("centers.migrations.0010_spanish_samhsa_names").fill


def spanish_of(kind, slug: str) -> dict[str, str]:
    term = next(term for term in kind.vocabulary if term["slug"] == slug)
    return {field: term[f"{field}_es"] for field in TEXTS if f"{field}_es" in term}


# --- The vocabulary ------------------------------------------------------------------------


@pytest.mark.parametrize("kind", TERM_KINDS, ids=lambda kind: kind.relation)
def test_every_english_text_of_the_vocabulary_has_its_spanish(kind):
    for term in kind.vocabulary:
        for field in TEXTS:
            if term.get(field):
                spanish = term.get(f"{field}_es", "")
                assert spanish.strip(), (term["slug"], field)
                limit = kind.model._meta.get_field(f"{field}_es").max_length
                assert limit is None or len(spanish) <= limit, (term["slug"], field)


@pytest.mark.django_db
def test_a_fresh_database_ends_with_the_vocabulary_in_spanish():
    """0002 loads the English, 0009 adds the Spanish: what ``migrate`` does on a new database."""
    for kind in TERM_KINDS:
        kind.model.objects.all().delete()
    load_vocabulary(apps, None)
    fill_vocabulary(apps, None)

    for kind in TERM_KINDS:
        for term in kind.model.objects.all():
            for field, text in spanish_of(kind, term.slug).items():
                assert getattr(term, f"{field}_es") == text, (term.slug, field)
    cbt = TherapyType.objects.get(slug="cbt")
    assert cbt.name_es == "Terapia cognitivo-conductual (TCC)"


@pytest.mark.django_db
def test_the_vocabulary_migration_keeps_what_an_editor_wrote_in_spanish():
    sync_vocabulary(apps.get_model)
    TherapyType.objects.filter(slug="cbt").update(name_es="Terapia cognitiva", summary_es="")

    fill_vocabulary(apps, None)

    cbt = TherapyType.objects.get(slug="cbt")
    assert cbt.name_es == "Terapia cognitiva"
    assert cbt.summary_es == spanish_of(TERM_KINDS[0], "cbt")["summary"]


# --- Reading in the request's language -----------------------------------------------------


@pytest.mark.django_db
def test_terms_read_in_spanish_only_when_spanish_is_active():
    sync_vocabulary(apps.get_model)
    cbt = TherapyType.objects.get(slug="cbt")

    assert cbt.local_name == "Cognitive behavioral therapy (CBT)"
    with translation.override("es"):
        assert cbt.local_name == "Terapia cognitivo-conductual (TCC)"
        assert cbt.local_what_to_expect.startswith("Las sesiones suelen ser semanales")
        TherapyType.objects.filter(pk=cbt.pk).update(who_it_suits_es="")
        cbt.refresh_from_db()
        # Not yet translated: the English, never an empty label.
        assert cbt.local_who_it_suits == cbt.who_it_suits


@pytest.mark.django_db
def test_a_center_pages_terms_carry_their_spanish_name_without_a_query_more(
    django_assert_num_queries,
):
    sync_vocabulary(apps.get_model)
    center = Center.objects.get(pk=make_center(therapies=["cbt"], languages=["spanish"]).pk)
    with django_assert_num_queries(1):
        prefetch_terms([center])
    with django_assert_num_queries(0), translation.override("es"):
        names = [t.local_name for t in [*center.therapies.all(), *center.languages.all()]]
    assert names == ["Terapia cognitivo-conductual (TCC)", "Español"]


def test_filter_labels_and_comparison_rows_are_translated():
    therapies = next(kind for kind in TERM_KINDS if kind.relation == "therapies")
    with translation.override("es"):
        assert (str(therapies.label), str(therapies.plural)) == ("Terapia", "Terapias")
    assert (str(therapies.label), str(therapies.plural)) == ("Therapy", "Therapies")


# --- SAMHSA's categories and codes ---------------------------------------------------------


@pytest.mark.shared_data
@pytest.mark.skipif(
    not DIRECTORY_2022.is_file(),
    reason=f"the real SAMHSA file is not at {DIRECTORY_2022} (../shared is absent)",
)
def test_every_category_and_code_of_the_2022_reference_has_a_spanish_name():
    reference = read_directory(DIRECTORY_2022).reference
    assert reference is not None and len(reference) == 225

    assert {e.code for e in reference} - SERVICE_NAMES_ES.keys() == set()
    assert {e.category_code for e in reference} - CATEGORY_NAMES_ES.keys() == set()


def test_the_codes_the_project_knows_beyond_the_2022_reference_have_spanish_names():
    for category, _, code, _, _ in [*REFERENCE, *MH_REFERENCE]:
        assert SERVICE_NAMES_ES[code] and CATEGORY_NAMES_ES[category]
    for kind in TERM_KINDS:
        for term in kind.vocabulary:
            assert set(term["samhsa_codes"]) <= SERVICE_NAMES_ES.keys(), term["slug"]
    for names in (SERVICE_NAMES_ES, CATEGORY_NAMES_ES):
        assert all(name.strip() == name and name for name in names.values())


@pytest.mark.django_db
def test_an_import_names_new_codes_in_spanish(tmp_path):
    sync_vocabulary(apps.get_model)
    import_file(write_xlsx(tmp_path / "national-directory-su-facilities-2022.xlsx", [facility()]))

    cbt = Service.objects.select_related("category").get(code="CBT")
    assert cbt.name_es == "Terapia cognitivo-conductual (TCC)"
    assert cbt.category.name_es == "Enfoques de tratamiento"
    with translation.override("es"):
        assert (cbt.local_name, cbt.category.local_name) == (cbt.name_es, cbt.category.name_es)
    assert cbt.local_name == "Cognitive behavioral therapy"


@pytest.mark.django_db
def test_a_reimport_keeps_an_editors_spanish_and_fills_what_is_blank(tmp_path):
    sync_vocabulary(apps.get_model)
    import_file(write_xlsx(tmp_path / "national-directory-su-facilities-2021.xlsx", [facility()]))
    Service.objects.filter(code="CBT").update(name_es="TCC (terapia cognitivo-conductual)")
    ServiceCategory.objects.filter(code="TAP").update(name_es="Tipos de terapia")
    Service.objects.filter(code="MD").update(name_es="")
    ServiceCategory.objects.filter(code="PAY").update(name_es="")

    renamed = [(*e[:3], "Cognitive behavioural therapy", e[4]) if e[2] == "CBT" else e
               for e in REFERENCE]  # fmt: skip
    report = import_file(
        write_xlsx(
            tmp_path / "national-directory-su-facilities-2022.xlsx", [facility()], reference=renamed
        )
    )

    assert report.reference.codes_changed == 1  # the English rename only
    cbt = Service.objects.select_related("category").get(code="CBT")
    assert (cbt.name, cbt.name_es) == (
        "Cognitive behavioural therapy",
        "TCC (terapia cognitivo-conductual)",
    )
    assert cbt.category.name_es == "Tipos de terapia"
    assert Service.objects.get(code="MD").name_es == "Medicaid"
    assert ServiceCategory.objects.get(code="PAY").name_es == "Pagos, seguros y fondos que acepta"


@pytest.mark.django_db
def test_who_runs_a_center_reads_in_spanish_from_its_codes(tmp_path, django_assert_num_queries):
    sync_vocabulary(apps.get_model)
    row = facility(service_code_info="SA * OP * PVTN * MD")
    import_file(write_xlsx(tmp_path / "national-directory-su-facilities-2022.xlsx", [row]))
    by_hand = make_center()
    Center.objects.filter(pk=by_hand.pk).update(operator_type="Run by the county")

    imported, typed = Center.objects.for_detail().order_by("pk")
    with django_assert_num_queries(0):
        assert imported.local_operator_type() == "Private non-profit organization"
        with translation.override("es"):
            assert imported.local_operator_type() == "Organización privada sin fines de lucro"
            # No code to name it by: what the editor typed.
            assert typed.local_operator_type() == "Run by the county"


@pytest.mark.django_db
def test_the_samhsa_names_migration_fills_blanks_only():
    category = ServiceCategory.objects.create(code="TAP", name="Treatment Approaches")
    Service.objects.create(code="CBT", category=category, name="Cognitive behavioral therapy")
    Service.objects.create(code="DBT", category=category, name="DBT", name_es="TDC, de un editor")
    Service.objects.create(code="ZZZ", category=category, name="A code we have no Spanish for")

    fill_samhsa_names(apps, None)

    names = dict(Service.objects.values_list("code", "name_es"))
    assert names == {
        "CBT": "Terapia cognitivo-conductual (TCC)",
        "DBT": "TDC, de un editor",
        "ZZZ": "",
    }
    assert ServiceCategory.objects.get(code="TAP").name_es == "Enfoques de tratamiento"


# --- The admin -----------------------------------------------------------------------------


@pytest.fixture
def editor(db, client):
    user = get_user_model().objects.create_superuser("editor", "editor@example.org", "x-pass-123")
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("model", "fields"),
    [
        ("therapytype", TEXTS),
        ("caresetting", TEXTS),
        ("medication", ("name", "summary", "description")),
        ("servicecategory", ("name",)),
        ("service", ("name",)),
    ],
)
def test_the_admin_shows_each_spanish_field_beside_its_english(editor, model, fields):
    page = editor.get(reverse(f"admin:centers_{model}_add")).content.decode()
    for field in fields:
        # One form row holds both, the English first.
        assert f'class="form-row flex-container form-multiline field-{field} field-{field}_es"' in (
            page
        ), field
        assert page.index(f'name="{field}"') < page.index(f'name="{field}_es"')


def test_an_editor_corrects_the_spanish_in_the_admin(editor):
    sync_vocabulary(apps.get_model)
    cbt = TherapyType.objects.get(slug="cbt")
    form = {
        field.name: getattr(cbt, field.name)
        for field in TherapyType._meta.concrete_fields
        if field.name != "id"
    }
    form["samhsa_codes"] = '["CBT"]'
    form["name_es"] = "Terapia cognitiva conductual (TCC)"

    response = editor.post(reverse("admin:centers_therapytype_change", args=[cbt.pk]), form)

    assert response.status_code == 302, response.content.decode()[:2000]
    cbt.refresh_from_db()
    assert cbt.name_es == "Terapia cognitiva conductual (TCC)"
    assert cbt.name == "Cognitive behavioral therapy (CBT)"
