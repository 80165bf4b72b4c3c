"""``export_hsds``: the HSDS 3.0 tabular data package, checked by frictionless and the spec."""

import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command

from centers.api.hsds import export
from centers.models import TERM_KINDS, Service, ServiceCategory
from tests.factories import make_center

from .hsds_schemas import SPECS


@pytest.fixture
def directory(db):
    care = ServiceCategory.objects.create(code="TC", name="Type of Care", position=1)
    code = Service.objects.create(code="SA", category=care, name="Substance use treatment ")
    harbor = make_center(
        name="=Harbor House",  # a formula-like name stays exactly as it is
        phone="+12025550142",
        therapies=["cbt"],
        payment_options=["medicaid"],
        languages=["spanish"],
    )
    harbor.street, harbor.intake_phone = "1 Dock Road", "+12025550143;ext=12"
    harbor.website = "https://harbor.example.org/"
    harbor.save()
    harbor.services.set([code])
    make_center(name="No Street, No Place", latitude=None, longitude=None)
    return harbor


def export_to(path) -> str:
    output = io.StringIO()
    call_command("export_hsds", str(path), stdout=output)
    return output.getvalue()


def rows(path, name: str) -> list[dict[str, str]]:
    with (path / name).open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def _spec_resources() -> dict[str, dict]:
    spec = json.loads((SPECS / "datapackage.json").read_text())
    return {resource["name"]: resource for resource in spec["resources"]}


pytest_resources = pytest.mark.parametrize("table", export.TABLES, ids=lambda table: table.resource)


@pytest.mark.shared_data
@pytest.mark.skipif(not SPECS.is_dir(), reason=f"the HSDS 3.0 schemas are not at {SPECS}")
@pytest_resources
def test_every_resource_has_the_specifications_fields_types_and_constraints(table):
    spec = _spec_resources()[table.resource]
    ours = table.descriptor()
    keep = ("name", "type", "format", "constraints")
    assert ours["path"] == spec["path"]
    assert [{k: f[k] for k in keep if k in f} for f in ours["schema"]["fields"]] == [
        {k: f[k] for k in keep if k in f} for f in spec["schema"]["fields"]
    ]
    assert ours["schema"]["primaryKey"] == spec["schema"]["primaryKey"]
    written = {t.resource for t in export.TABLES}
    expected = [
        key
        for key in spec["schema"].get("foreignKeys", [])
        if key["reference"]["resource"] in written
    ]
    assert ours["schema"].get("foreignKeys", []) == expected


def test_the_package_is_valid_with_its_foreign_keys(directory, tmp_path):
    import frictionless

    export_to(tmp_path)
    report = frictionless.validate(tmp_path / "datapackage.json")
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "note"])


def test_rows_are_the_apis_objects_and_cells_are_not_rewritten(directory, tmp_path):
    message = export_to(tmp_path)
    assert "2 organization" in message
    (harbor,) = [row for row in rows(tmp_path, "organizations.csv") if row["name"][0] == "="]
    assert harbor["name"] == "=Harbor House"  # for machines: never formula-neutralised
    assert harbor["id"] == str(directory.hsds_uuid)
    assert len(rows(tmp_path, "addresses.csv")) == 1  # no street, no address
    phones = rows(tmp_path, "phones.csv")
    assert [(p["number"], p["extension"]) for p in phones if p["service_id"] == harbor["id"]] == [
        ("(202) 555-0142", ""),
        ("(202) 555-0143", "12"),
    ]
    attributes = rows(tmp_path, "attributes.csv")
    assert len([a for a in attributes if a["link_id"] == harbor["id"]]) == 4
    assert [f["source"] for f in rows(tmp_path, "funding.csv")] == ["Medicaid"]


def test_centers_stream_a_chunk_at_a_time(directory, tmp_path, monkeypatch, db):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):
        make_center()
    monkeypatch.setattr(export, "CHUNK_SIZE", 2)
    with CaptureQueriesContext(connection) as queries:
        export.write_package(tmp_path)
    # The vocabulary (categories, codes, each kind of term) and the centers; then for each
    # chunk of two of the five centers, one query per relation it shows.
    vocabulary = 2 + len(TERM_KINDS)
    relations = 1 + len(TERM_KINDS)
    assert len(queries) == vocabulary + 1 + 3 * relations


def test_a_file_in_the_way_is_refused(db, tmp_path):
    (tmp_path / "taken").write_text("")
    with pytest.raises(CommandError, match="not a directory"):
        export_to(tmp_path / "taken")
