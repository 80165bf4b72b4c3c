"""``import_samhsa`` writing a file in several batches (``batch_size`` made tiny), and reading
it as a stream: still exact, still all or nothing."""

import csv

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from centers.importer import import_file
from centers.models import Center, Service, ServiceCategory
from centers.vocabulary import sync_vocabulary
from directory import phones

from .samhsa_files import facility, write_csv, write_xlsx

SU_2022 = "national-directory-su-facilities-2022.xlsx"
SU_2023 = "national-directory-su-facilities-2023.xlsx"


@pytest.fixture(autouse=True)
def vocabulary(db: None) -> None:
    sync_vocabulary(apps.get_model)


def services_of(center: Center) -> set[str]:
    return set(center.services.values_list("code", flat=True))


def links() -> int:
    return sum(
        Center._meta.get_field(field.name).remote_field.through.objects.count()
        for field in Center._meta.many_to_many
    )


def writes(queries: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].split()[0] in {"INSERT", "UPDATE", "DELETE"}]


def test_a_file_of_several_batches_imports_exactly(tmp_path):
    rows = [facility(service_code_info=f"SA * {setting} * CBT") for setting in ["OP", "RES"] * 4]
    path = write_xlsx(tmp_path / SU_2022, rows)

    report = import_file(path, batch_size=3)

    assert (report.rows, report.created, report.updated, report.unchanged) == (8, 8, 0, 0)
    centers = {center.name: center for center in Center.objects.all()}
    assert len(centers) == 8
    for row in rows:
        expected = set(str(row["service_code_info"]).split()) - {"*"}
        assert services_of(centers[str(row["name1"])]) == expected
    assert len(set(Center.objects.values_list("slug", flat=True))) == 8
    assert Center.services.through.objects.count() == 8 * 3


def test_every_batch_size_gives_the_same_centers(tmp_path):
    rows = [facility(service_code_info="SA * OP * CBT TELE * PVTN * MD") for _ in range(7)]
    rows.insert(5, {**rows[0], "service_code_info": "SA * RES"})

    def imported(batch_size: int) -> list[tuple]:
        Center.objects.all().delete()
        import_file(write_xlsx(tmp_path / SU_2022, rows), batch_size=batch_size)
        return sorted(
            (c.name, c.samhsa_key, c.operator_type, tuple(sorted(services_of(c))))
            for c in Center.objects.all()
        )

    assert imported(1) == imported(2) == imported(1000)


def test_duplicates_merge_across_batch_boundaries(tmp_path):
    first = facility(name1="Akeela Inc", street1="360 West Benson Boulevard", zip="99503",
                     service_code_info="SA * RES * CBT")  # fmt: skip
    rows = [first, facility(), facility(), facility(), facility()]
    rows.append({**first, "name1": "AKEELA, INC.", "street1": "360 W. Benson Blvd",
                 "phone": "907-555-0199", "service_code_info": "SA * OP * TWFA"})  # fmt: skip
    path = write_xlsx(tmp_path / SU_2022, rows)

    report = import_file(path, batch_size=2)

    assert (report.created, report.duplicate_rows, report.duplicate_keys) == (5, 1, 1)
    merged = Center.objects.get(name="Akeela Inc")
    assert services_of(merged) == {"SA", "RES", "CBT", "OP", "TWFA"}
    assert merged.samhsa_codes == {"su": ["CBT", "OP", "RES", "SA", "TWFA"]}
    assert merged.phone == phones.normalise(first["phone"])  # The first row's details.

    again = import_file(path, batch_size=2)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 5)


def test_a_reimport_in_batches_writes_nothing(tmp_path):
    rows = [facility() for _ in range(7)]
    rows.append({**rows[6], "service_code_info": "SA * RES"})  # merged into the 7th
    path = write_xlsx(tmp_path / SU_2022, rows)
    import_file(path, batch_size=3)
    before = list(Center.objects.order_by("pk").values())
    links_before = links()

    with CaptureQueriesContext(connection) as queries:
        report = import_file(path, batch_size=2)

    assert (report.created, report.updated, report.unchanged) == (0, 0, 7)
    assert writes(queries) == []
    assert list(Center.objects.order_by("pk").values()) == before
    assert links() == links_before


def test_a_later_edition_in_batches_updates_only_what_changed(tmp_path):
    rows = [facility() for _ in range(5)]
    import_file(write_xlsx(tmp_path / SU_2022, rows), batch_size=2)
    rows[3] = {**rows[3], "service_code_info": "SA * RES"}

    report = import_file(write_xlsx(tmp_path / SU_2023, rows[1:]), batch_size=2)

    assert (report.created, report.updated, report.marked_not_in_latest) == (0, 4, 1)
    assert report.changed_fields["services"] == 1
    assert services_of(Center.objects.get(name=rows[3]["name1"])) == {"SA", "RES"}
    assert Center.objects.get(name=rows[0]["name1"]).in_latest_directory is False


def test_a_failure_in_a_later_batch_leaves_nothing_written(tmp_path, monkeypatch):
    from centers.importer import loader

    written = []
    write = loader._write

    def fail_on_the_third_batch(batch: object) -> None:
        if len(written) == 2:
            raise RuntimeError("disk full")
        written.append(batch)
        write(batch)

    monkeypatch.setattr(loader, "_write", fail_on_the_third_batch)

    with pytest.raises(RuntimeError, match="disk full"):
        import_file(write_xlsx(tmp_path / SU_2022, [facility() for _ in range(6)]), batch_size=2)

    assert len(written) == 2  # Two batches were written before the failure...
    assert not Center.objects.exists() and links() == 0  # ...and rolled back with it.
    assert not Service.objects.exists() and not ServiceCategory.objects.exists()


@pytest.mark.postgres
def test_a_failed_bulk_load_leaves_the_tables_as_they_were(tmp_path, monkeypatch):
    """The indexes and keys a first load drops come back with the rollback."""
    from centers.importer import bulk, loader

    def shape(table: str) -> dict[str, object]:
        with connection.cursor() as cursor:
            constraints = connection.introspection.get_constraints(cursor, table)
        return {name: (c["columns"], c["unique"], c["index"]) for name, c in constraints.items()}

    tables = [Center._meta.db_table, Center.services.through._meta.db_table]
    before = [shape(table) for table in tables]
    monkeypatch.setattr(bulk, "REBUILD_THRESHOLD", 2)
    monkeypatch.setattr(loader, "finish_bulk_load", lambda statements: 1 / 0)

    with pytest.raises(ZeroDivisionError):
        import_file(write_xlsx(tmp_path / SU_2022, [facility() for _ in range(4)]), batch_size=2)

    assert [shape(table) for table in tables] == before
    assert not Center.objects.exists() and links() == 0


@pytest.mark.postgres
def test_a_bulk_load_in_batches_rebuilds_the_centers_indexes(tmp_path, monkeypatch):
    from centers.importer import bulk

    def indexes() -> list[str]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexdef FROM pg_indexes WHERE tablename = %s ORDER BY indexname",
                [Center._meta.db_table],
            )
            return [definition for (definition,) in cursor.fetchall()]

    before = indexes()
    monkeypatch.setattr(bulk, "REBUILD_THRESHOLD", 2)

    import_file(write_xlsx(tmp_path / SU_2022, [facility() for _ in range(5)]), batch_size=2)

    assert indexes() == before
    assert Center.objects.count() == 5
    assert Center.services.through.objects.count() == 5 * 5


def test_hostile_rows_are_still_reported_with_their_rows(tmp_path):
    rows = [
        facility(),  # row 2
        facility(name1=""),  # row 3
        facility(phone="not a phone"),  # row 4: kept
        facility(zip="ABCDE"),  # row 5
        facility(name1="@x'); DROP TABLE centers_center;--", service_code_info="SA * ZZZ"),  # 6
        facility(state="Illinois"),  # row 7
        facility(city="Spring\x7ffield\x9b"),  # row 8: kept, without the control characters
        facility(street1="x" * 201),  # row 9
    ]
    report = import_file(write_xlsx(tmp_path / SU_2022, rows), batch_size=2)

    assert report.created == 4
    assert [(p.row, p.kind) for p in report.skipped] == [
        (3, "no name"), (5, "bad ZIP"), (7, "bad state"), (9, "too long")
    ]  # fmt: skip
    assert [(w.row, w.kind) for w in report.warnings] == [(4, "bad phone"), (6, "unknown code")]
    assert Center.objects.filter(city="Springfield").count() == 4
    assert Center.objects.filter(name__startswith="@x'); DROP TABLE").count() == 1


def test_numbers_typed_into_the_sheet_read_as_text(tmp_path):
    """A ZIP typed as a number loses its leading zero in Excel; coordinates are numbers."""
    header = ["name1", "street1", "city", "state", "zip", "phone", "service_code_info",
              "latitude", "longitude"]  # fmt: skip
    row = facility(zip=2134, latitude=42.35, longitude=-71.1, phone="617-555-0142")
    import_file(write_xlsx(tmp_path / SU_2022, [row], header=header))

    center = Center.objects.get()
    assert (center.zip_code, center.latitude, center.longitude) == ("02134", 42.35, -71.1)
    assert center.phone == phones.normalise("617-555-0142") == "+16175550142"


def test_centroids_from_the_whole_zip_table_equal_single_lookups(tmp_path, monkeypatch):
    from centers import geo
    from centers.importer import records

    rows = [facility(zip=code) for code in ["62701", "02134", "99503", "00000", "96943"]]
    monkeypatch.setattr(records._Centroids, "LOOKUPS_BEFORE_TABLE", 0)

    report = import_file(write_xlsx(tmp_path / SU_2022, rows))

    located = dict(Center.objects.values_list("zip_code", "latitude"))
    assert located["62701"] == 39.8
    assert report.coordinates_missing == [5, 6]  # 00000 is no ZIP; Yap's is placed at 0, 0.
    table = geo.all_zip_centroids()
    for code in ["62701", "02134", "99503", "00000", "96943", "10001", "00501"]:
        assert table.get(code) == geo.zip_centroid(code)


@pytest.mark.parametrize(
    "raw", ["205-555-0100", "205-555-0100 x12", "(205) 555-0100", "800-555-0199", "205-555-01"]
)
def test_the_plain_phone_shortcut_agrees_with_phonenumbers(raw):
    from centers.importer.records import _PhoneNumbers

    try:
        expected: object = phones.normalise(raw)
    except phones.InvalidPhoneNumber as error:
        expected = str(error)
    found = _PhoneNumbers()[raw]
    assert (str(found) if isinstance(found, phones.InvalidPhoneNumber) else found) == expected


def test_a_large_csv_is_read_as_a_stream(tmp_path):
    rows = [facility() for _ in range(30)]
    report = import_file(write_csv(tmp_path / "su-2022.csv", rows), batch_size=7)

    assert (report.rows, report.created) == (30, 30)


@pytest.fixture
def default_csv_field_limit():
    """The csv module's limit is per process, and frictionless (imported by the open-data
    tests) raises it to the maximum: put back the default this test is about."""
    previous = csv.field_size_limit(131_072)
    yield
    csv.field_size_limit(previous)


def test_a_malformed_csv_line_is_refused_with_its_line(tmp_path, default_csv_field_limit):
    path = tmp_path / "su-2022.csv"
    path.write_text(
        "name1,street1,city,state,zip,service_code_info\n"
        "A,1 Main St,Springfield,IL,62701,SA\n"
        '"B,' + "x" * 200_000 + "\n"
    )

    with pytest.raises(CommandError, match=r"su-2022.csv, line \d+: field larger than field"):
        call_command("import_samhsa", str(path))

    assert not Center.objects.exists()


def test_the_compact_zip_table_answers_as_the_packages_own_lookup():
    """``zip_centroid`` searches a compact table built once per process; its answers are the
    package's: the first entry of the ZIP with a location, None for none or an unknown ZIP."""
    import random

    import zipcodes

    from centers import geo

    codes = sorted({entry["zip_code"] for entry in zipcodes.list_all()})
    for code in [*random.Random(11).sample(codes, 300), "00501", "99950", "00000", "99999"]:
        expected = next(
            (
                geo.Point(float(entry["lat"] or 0), float(entry["long"] or 0))
                for entry in zipcodes.matching(code)
                if (float(entry["lat"] or 0), float(entry["long"] or 0)) != (0, 0)
            ),
            None,
        )
        assert geo.zip_centroid(code) == expected, code
