"""``import_samhsa``: small xlsx and CSV directories built in each test's tmp_path."""

import io
import threading
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext

from centers.importer import ImportReport, import_file
from centers.models import Center, Service, ServiceCategory, TherapyType
from centers.vocabulary import sync_vocabulary
from tests.factories import make_center

from .samhsa_files import MH_REFERENCE, REFERENCE, facility, write_csv, write_xlsx

SU_2021 = "national-directory-su-facilities-2021.xlsx"
SU_2022 = "national-directory-su-facilities-2022.xlsx"
SU_2023 = "national-directory-su-facilities-2023.xlsx"
MH_2022 = "national-directory-mh-facilities-2022.xlsx"


@pytest.fixture(autouse=True)
def vocabulary(db: None) -> None:
    """The terms and their codes as migration 0002 loads them: a transactional test elsewhere
    may have flushed the database."""
    sync_vocabulary(apps.get_model)


def run(*paths: Path, **options: object) -> str:
    stdout = io.StringIO()
    call_command("import_samhsa", *[str(path) for path in paths], stdout=stdout, **options)
    return stdout.getvalue()


def codes_of(center: Center, relation: str = "services") -> set[str]:
    field = "code" if relation == "services" else "slug"
    return set(getattr(center, relation).values_list(field, flat=True))


# --- Reading a file ------------------------------------------------------------------------


def test_an_xlsx_directory_becomes_centers(tmp_path):
    row = facility(
        name1="Harbor  Recovery Center ",
        name2="Adult Outpatient",
        street1="12 Elm Street",
        street2="Suite 3",
        city="Springfield",
        state="il",
        zip="62701-1234",
        phone="217-555-0101",
        intake1="217-555-0102 x12",
        intake2="(217) 555 0103",
        intake1a="217.555.0104",
        intake2a="+1 217 555 0105",
        service_code_info="SA * OP * CBT TELE * PVTN * MD SF",
    )
    report = import_file(write_xlsx(tmp_path / SU_2022, [row]))

    assert (report.created, report.updated, report.unchanged) == (1, 0, 0)
    center = Center.objects.get()
    assert center.name == "Harbor Recovery Center"
    assert center.secondary_name == "Adult Outpatient"
    assert (center.street, center.street2) == ("12 Elm Street", "Suite 3")
    assert (center.city, center.state, center.zip_code) == ("Springfield", "IL", "62701")
    assert center.phone == "+12175550101"
    assert center.intake_phone == "+12175550102;ext=12"
    assert center.intake_phone_2 == "+12175550103"
    assert center.intake_phone_alt == "+12175550104"
    assert center.intake_phone_2_alt == "+12175550105"
    assert center.operator_type == "Private non-profit organization"
    assert center.slug == "harbor-recovery-center-springfield"
    assert (center.latitude, center.longitude) == (39.8, -89.6495)  # ZIP 62701's centroid
    assert center.samhsa_key == "harbor recovery center|12 elm st|62701"
    assert center.samhsa_editions == ["su-2022"]
    assert center.samhsa_codes == {"su": ["CBT", "MD", "OP", "PVTN", "SA", "SF", "TELE"]}
    assert center.in_latest_directory is True
    assert center.status == Center.Status.PUBLISHED


def test_the_code_reference_fills_the_taxonomy(tmp_path):
    report = import_file(write_xlsx(tmp_path / SU_2022, [facility()]))

    assert report.reference.codes_added == len(REFERENCE)
    cbt = Service.objects.get(code="CBT")
    assert (cbt.category.code, cbt.category.name) == ("TAP", "Treatment Approaches")
    assert cbt.name == "Cognitive behavioral therapy"
    assert list(Service.objects.values_list("code", flat=True)) == [e[2] for e in REFERENCE]
    categories = list(ServiceCategory.objects.values_list("code", flat=True))
    assert categories == ["TC", "SET", "OM", "TAP", "FOP", "PAY", "SL", "LCA"]


def test_every_code_is_kept_and_mapped_onto_terms(tmp_path):
    codes = "SA DT * RES RD OIT * BU MU * CBT TRC TWFA * PVTP * MD SF * SP * CARF"
    import_file(write_xlsx(tmp_path / SU_2022, [facility(service_code_info=codes)]))

    center = Center.objects.get()
    assert codes_of(center) == set(codes.split()) - {"*"}
    assert codes_of(center, "therapies") == {"cbt", "twelve-step-facilitation", "mat"}
    assert codes_of(center, "care_settings") == {"residential", "intensive-outpatient", "detox"}
    assert codes_of(center, "medications") == {"buprenorphine", "methadone"}
    assert codes_of(center, "payment_options") == {"medicaid", "self-pay"}
    assert codes_of(center, "languages") == {"spanish"}
    assert codes_of(center, "accreditations") == {"carf"}
    assert center.operator_type == "Private for-profit organization"


def test_terms_follow_the_mapping_an_admin_edited(tmp_path):
    TherapyType.objects.filter(slug="cbt").update(samhsa_codes=["TRC"])
    import_file(write_xlsx(tmp_path / SU_2022, [facility(service_code_info="SA * TRC")]))

    assert codes_of(Center.objects.get(), "therapies") == {"cbt"}


def test_capitalised_headers_and_a_title_row_are_understood(tmp_path):
    header = ["Name1", "Name2", "Street1", "Street2", "City", "State", "ZIP", "Phone",
              "Intake1", "Intake2", "Intake1a", "Intake2a", "Service_code_info"]  # fmt: skip
    path = write_xlsx(
        tmp_path / SU_2022,
        [facility(name1="Capital Care")],
        header=header,
        title="National Directory of Substance Use Treatment Facilities 2022",
    )
    report = import_file(path)

    assert report.created == 1
    assert Center.objects.get().name == "Capital Care"


def test_a_csv_directory_imports_like_the_xlsx(tmp_path):
    rows = [facility(), facility(service_code_info="SA * RES * BU")]
    import_file(write_xlsx(tmp_path / SU_2022, rows))

    report = import_file(write_csv(tmp_path / "su-2022.csv", rows))

    assert (report.created, report.updated, report.unchanged) == (0, 0, 2)
    assert report.reference.from_database


def test_a_csv_without_a_reference_in_an_empty_database_keeps_codes_and_terms(tmp_path):
    path = write_csv(tmp_path / "su-2022.csv", [facility(service_code_info="SA * CBT")])

    report = import_file(path)

    center = Center.objects.get()
    assert center.samhsa_codes == {"su": ["CBT", "SA"]}
    assert codes_of(center) == set()  # No reference, so no named services yet...
    assert codes_of(center, "therapies") == {"cbt"}  # ...but the terms know their codes.
    assert [(w.row, w.kind) for w in report.warnings] == [(2, "unknown code")]


@pytest.mark.parametrize(("latitude", "longitude"), [("latitude", "longitude"), ("lat", "long")])
def test_coordinates_come_from_the_file_when_it_has_them(tmp_path, latitude, longitude):
    rows = [
        facility(**{latitude: "39.7817", longitude: "-89.6501"}),
        facility(**{latitude: "", longitude: ""}),
        facility(**{latitude: "north", longitude: "-89"}),
    ]
    header = ["name1", "street1", "city", "state", "zip", "service_code_info", latitude, longitude]
    report = import_file(write_xlsx(tmp_path / SU_2022, rows, header=header))

    located = Center.objects.order_by("pk").values_list("latitude", "longitude")
    assert list(located) == [(39.7817, -89.6501), (39.8, -89.6495), (39.8, -89.6495)]
    # Only the file's own coordinates are exact; a ZIP's centre is approximate (the map says so).
    exact = Center.objects.order_by("pk").values_list("exact_location", flat=True)
    assert list(exact) == [True, False, False]
    assert (report.coordinates_from_file, report.coordinates_from_zip) == (1, 2)
    assert [(w.row, w.kind) for w in report.warnings] == [(4, "bad coordinates")]


def test_a_later_edition_with_coordinates_makes_a_location_exact(tmp_path):
    header = ["name1", "street1", "city", "state", "zip", "service_code_info"]
    row = facility()
    import_file(write_xlsx(tmp_path / SU_2022, [row], header=header))
    assert Center.objects.get().exact_location is False

    located = {**row, "latitude": "39.7817", "longitude": "-89.6501"}
    import_file(
        write_xlsx(tmp_path / SU_2023, [located], header=[*header, "latitude", "longitude"])
    )
    center = Center.objects.get()
    assert (center.latitude, center.longitude, center.exact_location) == (39.7817, -89.6501, True)


def test_rows_whose_zip_has_no_centroid_are_listed(tmp_path):
    rows = [facility(), facility(zip="00000")]
    report = import_file(write_xlsx(tmp_path / SU_2022, rows))

    assert report.coordinates_missing == [3]
    assert Center.objects.filter(latitude__isnull=True).count() == 1
    assert "no coordinates (ZIP without a known location): rows 3" in "\n".join(report.lines())


# --- Identity and duplicates ---------------------------------------------------------------


def test_repeated_rows_of_one_facility_become_one_center_with_every_code(tmp_path):
    rows = [
        facility(name1="Akeela Inc", name2="Akeela House", street1="360 West Benson Boulevard",
                 zip="99503", phone="907-555-0101", service_code_info="SA * RES * CBT"),
        facility(name1="AKEELA, INC.", name2="Outpatient", street1="360 W. Benson Blvd",
                 zip="99503-1234", phone="907-555-0102", service_code_info="SA * OP * TWFA"),
        facility(name1="Akeela Inc", street1="1 Other Street", zip="99503"),
    ]  # fmt: skip
    report = import_file(write_xlsx(tmp_path / SU_2022, rows))

    assert (report.created, report.duplicate_rows, report.duplicate_keys) == (2, 1, 1)
    merged = Center.objects.get(street="360 West Benson Boulevard")
    assert codes_of(merged) == {"SA", "RES", "OP", "CBT", "TWFA"}
    # The first row's details win; later rows only add codes.
    assert (merged.secondary_name, merged.phone) == ("Akeela House", "+19075550101")
    assert "1 rows merged into 1 centers" in "\n".join(report.lines())


def test_slugs_are_readable_unique_and_stable(tmp_path):
    taken = make_center(name="Taken", city="Springfield")
    Center.objects.filter(pk=taken.pk).update(slug="harbor-recovery-springfield")
    rows = [
        facility(name1="Harbor Recovery", street1="1 Main Street"),
        facility(name1="Harbor Recovery", street1="2 Main Street"),
    ]
    path = write_xlsx(tmp_path / SU_2022, rows)
    import_file(path)
    slugs = set(Center.objects.exclude(name="Taken").values_list("slug", flat=True))
    assert slugs == {"harbor-recovery-springfield-2", "harbor-recovery-springfield-3"}

    Center.objects.filter(name="Taken").delete()
    import_file(path)

    assert set(Center.objects.values_list("slug", flat=True)) == slugs


# --- Importing again -----------------------------------------------------------------------


def test_importing_the_same_file_twice_changes_nothing(tmp_path):
    twice = facility(service_code_info="SA")
    rows = [facility(), facility(), twice, {**twice, "service_code_info": "OP"}]
    path = write_xlsx(tmp_path / SU_2022, rows)
    import_file(path)
    before = list(Center.objects.order_by("pk").values())

    with CaptureQueriesContext(connection) as queries:
        report = import_file(path)

    assert (report.created, report.updated, report.unchanged) == (0, 0, 3)
    assert report.centers_written == 0 and report.marked_not_in_latest == 0
    assert list(Center.objects.order_by("pk").values()) == before
    writes = [q["sql"] for q in queries if q["sql"].split()[0] in {"INSERT", "UPDATE", "DELETE"}]
    assert writes == []


def test_an_import_makes_the_same_queries_for_three_rows_or_thirty(tmp_path):
    """No query per row: bulk statements only (the full national file relies on it)."""

    def count_queries(size: int, name: str) -> int:
        path = write_xlsx(tmp_path / f"su-2022-{name}.xlsx", [facility() for _ in range(size)])
        with CaptureQueriesContext(connection) as queries:
            import_file(path, edition="su-2022")
        return len(queries)

    count_queries(1, "warm-up")  # Creates the reference: later files only match it.
    assert count_queries(3, "small") == count_queries(30, "large")


def test_a_later_edition_updates_adds_and_marks_the_missing(tmp_path):
    stays, leaves = facility(), facility()
    import_file(write_xlsx(tmp_path / SU_2021, [stays, leaves]))
    stays_changed = {**stays, "phone": "217-555-0199", "service_code_info": "SA * RES"}
    arrives = facility()

    report = import_file(write_xlsx(tmp_path / SU_2022, [stays_changed, arrives]))

    assert (report.created, report.updated, report.marked_not_in_latest) == (1, 1, 1)
    assert report.changed_fields["phone"] == 1 and report.changed_fields["services"] == 1
    kept = Center.objects.get(name=stays["name1"])
    assert kept.phone == "+12175550199"
    assert codes_of(kept) == {"SA", "RES"}
    assert kept.samhsa_editions == ["su-2021", "su-2022"] and kept.in_latest_directory
    gone = Center.objects.get(name=leaves["name1"])  # Never deleted...
    assert gone.in_latest_directory is False  # ...only marked.
    assert gone.samhsa_editions == ["su-2021"]
    assert Center.objects.get(name=arrives["name1"]).samhsa_editions == ["su-2022"]


def test_a_center_that_returns_is_in_the_latest_directory_again(tmp_path):
    center = facility()
    import_file(write_xlsx(tmp_path / SU_2021, [center]))
    import_file(write_xlsx(tmp_path / SU_2022, [facility()]))
    assert Center.objects.get(name=center["name1"]).in_latest_directory is False

    report = import_file(write_xlsx(tmp_path / SU_2023, [center]))

    assert report.updated == 1 and report.changed_fields["in_latest_directory"] == 1
    assert Center.objects.get(name=center["name1"]).in_latest_directory is True


def test_fields_an_admin_owns_survive_a_reimport(tmp_path):
    row = facility()
    import_file(write_xlsx(tmp_path / SU_2021, [row]))
    Center.objects.update(
        description="Family-run since 1989.",
        website="https://harbor.example.org/",
        status=Center.Status.HIDDEN,
        slug="harbor",
    )

    import_file(write_xlsx(tmp_path / SU_2022, [{**row, "phone": "217-555-0198"}]))

    center = Center.objects.get()
    assert center.phone == "+12175550198"
    assert center.description == "Family-run since 1989."
    assert center.website == "https://harbor.example.org/"
    assert center.status == Center.Status.HIDDEN
    assert center.slug == "harbor"


def test_centers_entered_by_hand_are_left_alone(tmp_path):
    manual = make_center(name="Harbor Recovery", zip_code="62701")

    import_file(write_xlsx(tmp_path / SU_2022, [facility()]))

    manual.refresh_from_db()
    assert (manual.samhsa_key, manual.in_latest_directory) == ("", True)
    assert Center.objects.count() == 2


def test_codes_added_and_dropped_between_years(tmp_path):
    import_file(write_xlsx(tmp_path / SU_2022, [facility(service_code_info="SA * TWFA")]))
    reference_2023 = [e for e in REFERENCE if e[2] != "TWFA"]
    reference_2023.insert(10, ("TAP", "Treatment Approaches", "CMI", "Contingency management", ""))

    report = import_file(
        write_xlsx(
            tmp_path / SU_2023, [facility(service_code_info="SA * CMI")], reference=reference_2023
        )
    )

    assert (report.reference.codes_added, report.reference.codes_absent) == (1, 1)
    assert Service.objects.filter(code="TWFA").exists()  # Older centers still list it.
    newer = Center.objects.get(samhsa_editions=["su-2023"])
    assert codes_of(newer) == {"SA", "CMI"}
    assert codes_of(newer, "therapies") == {"contingency-management"}


def test_the_mental_health_edition_merges_with_the_substance_use_one(tmp_path):
    both = facility(service_code_info="SA * CBT * MD")
    su_only = facility()
    import_file(write_xlsx(tmp_path / SU_2022, [both, su_only]))

    mh_row = {**both, "phone": "217-555-0177", "service_code_info": "MH * CBT DBT * PVTN"}
    report = import_file(write_xlsx(tmp_path / MH_2022, [mh_row], reference=MH_REFERENCE))

    assert (report.created, report.updated, report.joined_other_directory) == (0, 1, 1)
    assert report.marked_not_in_latest == 0  # The SU directory still lists its centers.
    center = Center.objects.get(name=both["name1"])
    assert codes_of(center) == {"SA", "CBT", "MD", "MH", "DBT", "PVTN"}
    assert codes_of(center, "therapies") == {"cbt", "dbt"}
    assert center.samhsa_editions == ["mh-2022", "su-2022"]
    assert center.phone == "+12175550177"  # The file imported last gives the details.

    # A code the SU directory drops stays while the MH directory lists it (CBT), and goes
    # when neither does (MD).
    import_file(write_xlsx(tmp_path / SU_2023, [{**both, "service_code_info": "SA"}]))
    center.refresh_from_db()
    assert codes_of(center) == {"SA", "CBT", "MH", "DBT", "PVTN"}
    assert center.in_latest_directory is True
    assert Center.objects.get(name=su_only["name1"]).in_latest_directory is False


def test_alternating_directories_do_not_reshuffle_the_code_order(tmp_path):
    su = write_xlsx(tmp_path / SU_2022, [facility()])
    mh_row = facility(service_code_info="MH * DBT")
    mh = write_xlsx(tmp_path / MH_2022, [mh_row], reference=MH_REFERENCE)
    import_file(su)
    import_file(mh)
    order = list(Service.objects.values_list("code", "position"))

    again = [import_file(su), import_file(mh)]

    assert list(Service.objects.values_list("code", "position")) == order
    assert [r.reference.codes_changed + r.reference.codes_added for r in again] == [0, 0]
    treatment_approaches = Service.objects.filter(category__code="TAP")
    assert list(treatment_approaches.values_list("code", flat=True)) == [
        "CBT", "DBT", "TRC", "TELE", "TWFA"
    ]  # fmt: skip


# --- Bad rows and bad files ----------------------------------------------------------------


def test_bad_rows_are_reported_with_row_and_reason_and_the_rest_imported(tmp_path):
    rows = [
        facility(),  # row 2
        facility(name1=""),  # row 3
        facility(zip="ABCDE"),  # row 4
        facility(state="Illinois"),  # row 5
        facility(city=""),  # row 6
        facility(phone="not a phone", intake1="217-555-01"),  # row 7: kept
        facility(service_code_info="SA * ZZZ QQQ"),  # row 8: kept
        dict.fromkeys(facility(), ""),  # a blank row: not a facility at all
        facility(name1="x" * 201),  # row 10
    ]
    report = import_file(write_xlsx(tmp_path / SU_2022, rows))

    assert report.created == 3
    assert [(p.row, p.kind) for p in report.skipped] == [
        (3, "no name"), (4, "bad ZIP"), (5, "bad state"), (6, "no city"), (10, "too long")
    ]  # fmt: skip
    assert [(w.row, w.kind) for w in report.warnings] == [
        (7, "bad phone"), (7, "bad phone"), (8, "unknown code")
    ]  # fmt: skip
    kept = Center.objects.get(name=rows[6]["name1"])
    assert kept.samhsa_codes == {"su": ["QQQ", "SA", "ZZZ"]}  # Kept for a later reference.
    assert codes_of(kept) == {"SA"}
    phoneless = Center.objects.get(name=rows[5]["name1"])
    assert (phoneless.phone, phoneless.intake_phone) == ("", "")
    text = run(tmp_path / SU_2022, verbosity=1)
    assert "row 4: ZIP 'ABCDE' is not a 5- or 9-digit ZIP code" in text
    assert "row 8: QQQ, ZZZ (kept, not shown)" in text


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("su-2022.xlsx", b"%PDF-1.7\n...", "is a PDF document"),
        ("su-2022.xlsx", b"", "is empty"),
        ("su-2022.csv", b"", "is empty"),
        ("su-2022.xlsx", b"name1,street1\nA,B\n", "named like an Excel workbook"),
        ("su-2022.csv", b"name1,street1,city\nA,B,C\n", "lacks the columns state, zip"),
        ("su-2022.csv", b"\x00\x01binary", "is a binary file"),
        ("su-2022.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "old Excel .xls format"),
    ],
)
def test_files_that_are_not_directories_are_refused(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)

    with pytest.raises(CommandError, match=message):
        run(path)

    assert not Center.objects.exists() and not Service.objects.exists()


def test_a_workbook_without_a_facilities_sheet_is_refused(tmp_path):
    path = write_xlsx(tmp_path / SU_2022, [facility()], header=["name", "address"], sheet="Notes")

    with pytest.raises(CommandError, match="Sheet 'Notes' lacks the columns name1, street1"):
        run(path)

    assert not Service.objects.exists()  # Its reference sheet was not loaded either.


def test_a_directory_with_no_facility_rows_is_refused(tmp_path):
    with pytest.raises(CommandError, match="no facility rows"):
        run(write_xlsx(tmp_path / SU_2022, []))


def test_one_bad_file_stops_the_command_before_anything_is_written(tmp_path):
    good = write_xlsx(tmp_path / SU_2021, [facility()])
    bad = tmp_path / SU_2022
    bad.write_bytes(b"%PDF-1.4")

    with pytest.raises(CommandError):
        run(good, bad)

    assert not Center.objects.exists()


def test_a_file_fails_as_a_whole(tmp_path, monkeypatch):
    """All or nothing: a failure after centers and codes were written undoes them all."""
    from centers.importer import loader

    def fail(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(loader, "insert_links", fail)

    with pytest.raises(RuntimeError, match="disk full"):
        run(write_xlsx(tmp_path / SU_2022, [facility(), facility()]))

    assert not Center.objects.exists()
    assert not Service.objects.exists() and not ServiceCategory.objects.exists()


def test_an_older_edition_than_one_imported_is_refused(tmp_path):
    import_file(write_xlsx(tmp_path / SU_2022, [facility()]))
    before = list(Center.objects.values())

    with pytest.raises(CommandError, match="su-2021 is older than su-2022"):
        run(write_xlsx(tmp_path / SU_2021, [facility()]))

    assert list(Center.objects.values()) == before


def test_files_are_imported_oldest_edition_first(tmp_path):
    row = facility()
    newer = write_xlsx(tmp_path / SU_2022, [{**row, "phone": "217-555-0122"}])
    older = write_xlsx(tmp_path / SU_2021, [{**row, "phone": "217-555-0121"}])

    run(newer, older)

    assert Center.objects.get().phone == "+12175550122"


def test_the_edition_comes_from_the_option_when_the_name_does_not_say(tmp_path):
    path = write_csv(tmp_path / "facilities.csv", [facility()])

    with pytest.raises(CommandError, match="pass --edition"):
        run(path)
    with pytest.raises(CommandError, match="not an edition"):
        run(path, edition=["2022"])
    run(path, edition=["mh-2022"])

    assert Center.objects.get().samhsa_editions == ["mh-2022"]


# --- What the command shows ----------------------------------------------------------------


def test_the_summary_gives_every_figure(tmp_path):
    rows = [facility(), facility(name1=""), facility(zip="00000")]
    rows.append({**rows[0], "service_code_info": "SA * RES"})

    text = run(write_xlsx(tmp_path / SU_2022, rows))

    for line in [
        f"{SU_2022}, edition su-2022: 4 rows in",
        "created               2",
        "updated               0",
        "unchanged             0",
        "marked not in latest  0",
        "merged duplicates     1 rows merged into 1 centers",
        "skipped               1 rows",
        "coordinates           0 from the file, 1 from ZIP centroids, 1 missing",
        "row 3: name1 is blank",
    ]:
        assert line in text
    assert "rows/s)" in text


def test_a_dry_run_counts_but_saves_nothing(tmp_path):
    text = run(write_xlsx(tmp_path / SU_2022, [facility()]), dry_run=True)

    assert "created               1" in text and "Dry run: nothing was saved." in text
    assert not Center.objects.exists() and not Service.objects.exists()


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_progress_bar_is_drawn_on_a_terminal_only(tmp_path):
    path = write_xlsx(tmp_path / SU_2022, [facility()])
    terminal, log = Terminal(), io.StringIO()

    call_command("import_samhsa", str(path), stdout=io.StringIO(), stderr=terminal)
    call_command("import_samhsa", str(path), stdout=io.StringIO(), stderr=log)

    assert "\rwriting          [" in terminal.getvalue()
    assert "100%" in terminal.getvalue()
    assert log.getvalue() == ""


# --- PostgreSQL ----------------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_imports_started_together_create_each_center_once(tmp_path):
    """The race lock_imports() prevents: both imports would see the facilities as new."""
    path = write_xlsx(tmp_path / SU_2022, [facility() for _ in range(20)])
    reports: list[ImportReport] = []
    barrier = threading.Barrier(2)

    def import_in_thread() -> None:
        try:
            barrier.wait()
            reports.append(import_file(path))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=import_in_thread) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert Center.objects.count() == 20
    assert sorted((r.created, r.unchanged) for r in reports) == [(0, 20), (20, 0)]


@pytest.mark.postgres
def test_a_bulk_load_rebuilds_the_link_tables_exactly(tmp_path, monkeypatch):
    from centers.importer import bulk

    def shape(table: str) -> dict[str, object]:
        with connection.cursor() as cursor:
            constraints = connection.introspection.get_constraints(cursor, table)
        return {
            name: (c["columns"], c["unique"], c["foreign_key"]) for name, c in constraints.items()
        }

    table = Center.services.through._meta.db_table
    before = shape(table)
    monkeypatch.setattr(bulk, "REBUILD_THRESHOLD", 2)

    import_file(write_xlsx(tmp_path / SU_2022, [facility(), facility()]))

    assert shape(table) == before
    assert Center.services.through.objects.count() == 10
