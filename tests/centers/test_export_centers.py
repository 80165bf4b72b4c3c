"""``export_centers``: the directory layout, and a round trip that changes nothing."""

import csv
import io

import pytest
from django.apps import apps
from django.core.management import call_command

from centers.importer import import_file
from centers.models import Center
from centers.vocabulary import sync_vocabulary
from directory.spreadsheets import neutralise
from tests.factories import make_center

from .samhsa_files import HEADER, MH_REFERENCE, facility, write_xlsx

SU_2022 = "national-directory-su-facilities-2022.xlsx"
MH_2022 = "national-directory-mh-facilities-2022.xlsx"


@pytest.fixture(autouse=True)
def vocabulary(db: None) -> None:
    sync_vocabulary(apps.get_model)


def export(*args: str) -> list[dict[str, str]]:
    stdout = io.StringIO()
    call_command("export_centers", *args, stdout=stdout, stderr=io.StringIO())
    return list(csv.DictReader(io.StringIO(stdout.getvalue())))


def test_the_export_has_the_directory_layout(tmp_path):
    row = facility(
        name1="Harbor Recovery",
        name2="Outpatient",
        street1="12 Elm Street",
        phone="217-555-0101",
        intake1="(217) 555-0102 ext. 7",
        # Out of reference order, and repeated in another group: the export puts it right.
        service_code_info="SA * CBT TELE TRC * OP RES * MD * OP",
    )
    import_file(write_xlsx(tmp_path / SU_2022, [row]))

    stdout = io.StringIO()
    call_command("export_centers", stdout=stdout, stderr=io.StringIO())
    header, *rows = list(csv.reader(io.StringIO(stdout.getvalue())))

    assert header == [*HEADER, "latitude", "longitude"]
    assert rows == [
        [
            "Harbor Recovery",
            "Outpatient",
            "12 Elm Street",
            "",
            "Springfield",
            "IL",
            "62701",
            "217-555-0101",
            "217-555-0102 x7",
            "",
            "",
            "",
            "SA * OP RES * CBT TRC TELE * MD",
            # Placed at its ZIP code's centre, which is not the center's own location.
            "",
            "",
        ]
    ]


def test_reimporting_the_export_changes_nothing(tmp_path):
    rows = [
        facility(intake1="217-555-0150 x120", latitude="39.78", longitude="-89.65"),
        facility(service_code_info="SA * RES * BU * ZZZ"),  # ZZZ: not in any reference
        facility(zip="00000"),  # no coordinates
        facility(name1="Sólo Café & Recovery", city="San Juan", state="PR", zip="00901"),
    ]
    rows.append({**rows[0], "name2": "Second programme", "service_code_info": "SA * DT"})
    header = [*HEADER, "latitude", "longitude"]
    import_file(write_xlsx(tmp_path / SU_2022, rows, header=header))
    before = list(Center.objects.order_by("pk").values())
    exported = tmp_path / "centers.csv"
    call_command("export_centers", "--output", str(exported), stderr=io.StringIO())

    report = import_file(exported, edition="su-2022")

    assert (report.created, report.updated, report.unchanged) == (0, 0, 4)
    assert report.marked_not_in_latest == 0
    assert list(Center.objects.order_by("pk").values()) == before
    for relation in ("services", "therapies", "care_settings", "medications"):
        through = getattr(Center, relation).through
        assert through.objects.count() > 0


def test_the_export_of_one_directory_has_its_centers_and_its_codes(tmp_path):
    both = facility(service_code_info="SA * CBT")
    import_file(write_xlsx(tmp_path / SU_2022, [both, facility(name1="Only SU")]))
    mh_row = {**both, "service_code_info": "MH * DBT"}
    import_file(write_xlsx(tmp_path / MH_2022, [mh_row], reference=MH_REFERENCE))

    mental_health = export("--directory", "mh")
    everything = export()

    assert [(r["name1"], r["service_code_info"]) for r in mental_health] == [
        (both["name1"], "MH * DBT")
    ]
    assert {r["name1"]: r["service_code_info"] for r in everything} == {
        # MH opens the mental-health reference's first category, so it goes first in it.
        both["name1"]: "MH SA * CBT DBT",
        "Only SU": "SA * OP * CBT * PVTN * MD",
    }


def test_centers_entered_by_hand_are_not_exported(tmp_path):
    make_center(name="Typed In")
    import_file(write_xlsx(tmp_path / SU_2022, [facility(name1="Imported")]))

    assert [row["name1"] for row in export()] == ["Imported"]


def test_the_count_goes_to_stderr_so_stdout_is_only_csv(tmp_path):
    import_file(write_xlsx(tmp_path / SU_2022, [facility(), facility()]))
    stdout, stderr = io.StringIO(), io.StringIO()

    call_command("export_centers", stdout=stdout, stderr=stderr)

    assert stdout.getvalue().startswith("name1,name2,")
    assert stderr.getvalue() == "2 centers written to standard output\n"


FORMULAS = ["=cmd|' /C calc'!A0", "@SUM(1+1)", "+SUM(1,2)", "-2+3", "'=already quoted", "'plain"]


def test_formula_like_names_are_neutralised_and_survive_a_round_trip(tmp_path):
    # A CSV as our export writes it (an xlsx writer would store these as formulas).
    source = tmp_path / "su-centers.csv"
    with source.open("w", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=HEADER, extrasaction="ignore")
        writer.writeheader()
        for name in FORMULAS:
            writer.writerow({**facility(), "name1": neutralise(name)})
    import_file(source, edition="su-2022")
    assert sorted(Center.objects.values_list("name", flat=True)) == sorted(FORMULAS)
    before = list(Center.objects.order_by("pk").values())

    exported = tmp_path / "centers.csv"
    call_command("export_centers", "--output", str(exported), stderr=io.StringIO())
    cells = [cell for row in csv.reader(exported.open(newline="")) for cell in row[:13]]
    assert not [cell for cell in cells if cell.startswith(("=", "+", "-", "@"))]
    assert "'=cmd|' /C calc'!A0" in cells
    assert "''=already quoted" in cells
    assert "'plain" in cells

    report = import_file(exported, edition="su-2022")
    assert (report.created, report.updated, report.unchanged) == (0, 0, len(FORMULAS))
    assert list(Center.objects.order_by("pk").values()) == before
