"""Public ids are stored on the center, filled however it is created, and survive re-imports."""

from importlib import import_module

from django.apps import apps
from django.db import connection

from centers.api.identity import identity_uuid
from centers.importer import import_file
from centers.models import Center
from centers.vocabulary import sync_vocabulary
from tests.centers.samhsa_files import facility, write_xlsx

SU_2022 = "national-directory-su-facilities-2022.xlsx"
SU_2023 = "national-directory-su-facilities-2023.xlsx"


def test_the_importer_stores_the_id_and_a_later_edition_keeps_it(db, tmp_path):
    sync_vocabulary(apps.get_model)
    row = facility(name1="Harbor Recovery", street1="12 Elm Street", zip="62701")
    import_file(write_xlsx(tmp_path / SU_2022, [row]))
    center = Center.objects.get()
    assert center.hsds_uuid == identity_uuid(samhsa_key=center.samhsa_key, slug="")

    import_file(write_xlsx(tmp_path / SU_2023, [{**row, "phone": "217-555-0199"}]))
    center.refresh_from_db()
    assert center.phone == "+12175550199"
    assert center.hsds_uuid == identity_uuid(samhsa_key=center.samhsa_key, slug="")


def test_the_data_migration_fills_centers_saved_before_the_field(db):
    imported = Center.objects.create(
        name="A", slug="a", city="X", state="IL", zip_code="62701", samhsa_key="a|1 main st|62701"
    )
    entered = Center.objects.create(name="B", slug="b", city="X", state="IL", zip_code="62701")
    Center.objects.update(hsds_uuid=None)

    migration = import_module("centers.migrations.0005_fill_center_hsds_uuid")
    migration.fill_public_ids(apps, connection.schema_editor())

    imported.refresh_from_db()
    entered.refresh_from_db()
    assert imported.hsds_uuid == identity_uuid(samhsa_key="a|1 main st|62701", slug="a")
    assert entered.hsds_uuid == identity_uuid(samhsa_key="", slug="b")
