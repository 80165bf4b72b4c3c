"""The whole 2022 substance-use directory, checked against the file itself.

Expected figures come from a plain parse of the file here, not from the importer: a facility
is its name1, street1 and ZIP (case and surrounding spaces aside), with the codes of all its
rows. SAMHSA's README documents about 200 such repeated keys; they merge into one center each.
"""

import io
from collections import Counter
from pathlib import Path

import openpyxl
import pytest
import zipcodes
from django.apps import apps
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count

from centers.importer import ImportReport, import_file
from centers.models import Center, Service
from centers.vocabulary import CARE_SETTINGS, MEDICATIONS, PAYMENT_OPTIONS, sync_vocabulary

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
DIRECTORY_2022 = SHARED / "data/samhsa/national-directory-su-facilities-2022.xlsx"

pytestmark = [
    pytest.mark.shared_data,
    pytest.mark.skipif(
        not DIRECTORY_2022.is_file(),
        reason=f"the real SAMHSA file is not at {DIRECTORY_2022} (../shared is absent)",
    ),
]


def codes_of_term(terms: list[dict], slug: str) -> set[str]:
    return set(next(term for term in terms if term["slug"] == slug)["samhsa_codes"])


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    workbook = openpyxl.load_workbook(DIRECTORY_2022, read_only=True)
    header, *records = workbook["Facilities List"].iter_rows(values_only=True)
    workbook.close()
    return [{name: str(value or "").strip() for name, value in zip(header, r, strict=True)}
            for r in records]  # fmt: skip


@pytest.fixture(scope="module")
def facilities(rows) -> dict[tuple[str, str, str], dict]:
    """One entry per name1 + street1 + ZIP, with the union of its rows' codes."""
    merged: dict[tuple[str, str, str], dict] = {}
    for row in rows:
        key = (row["name1"].lower(), row["street1"].lower(), row["zip"][:5])
        entry = merged.setdefault(key, {"state": row["state"], "codes": set(), "rows": 0})
        entry["codes"] |= set(row["service_code_info"].split()) - {"*"}
        entry["rows"] += 1
    return merged


@pytest.fixture(scope="module")
def imported(django_db_setup, django_db_blocker) -> ImportReport:
    """The file imported once for the module (about 15 s), inside a transaction that is rolled
    back afterwards; each test runs in a savepoint within it."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        sync_vocabulary(apps.get_model)
        report = import_file(DIRECTORY_2022)
    yield report
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


def count(facilities: dict, codes: set[str], state: str | None = None) -> int:
    return sum(
        1
        for facility in facilities.values()
        if facility["codes"] & codes and state in (None, facility["state"])
    )


@pytest.mark.django_db
def test_every_row_is_read_and_none_is_skipped(imported, rows):
    assert imported.rows == len(rows) == 12_176
    assert imported.skipped == []
    assert imported.warnings == []


@pytest.mark.django_db
def test_repeated_facilities_merge_into_one_center_each(imported, facilities, rows):
    repeated = sum(1 for facility in facilities.values() if facility["rows"] > 1)

    assert imported.created == len(facilities) == Center.objects.count()
    assert imported.duplicate_rows == len(rows) - len(facilities)
    assert imported.duplicate_keys == repeated
    assert (len(facilities), repeated) == (11_940, 198)


@pytest.mark.django_db
def test_every_code_of_every_facility_is_kept(imported, facilities):
    links = Center.services.through.objects.count()

    assert links == sum(len(facility["codes"]) for facility in facilities.values())
    assert Service.objects.count() == 225


@pytest.mark.django_db
def test_centers_are_located_from_their_zip_and_the_rest_listed(imported, facilities):
    placed = {e["zip_code"] for e in zipcodes.list_all() if float(e["lat"] or 0) != 0}
    unplaced = [key for key in facilities if key[2] not in placed]

    assert len(imported.coordinates_missing) == len(unplaced) == 1  # Yap, FM 96943
    assert imported.coordinates_from_zip == len(facilities) - len(unplaced)
    assert Center.objects.filter(latitude__isnull=True).count() == len(unplaced)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("relation", "slug", "codes"),
    [
        ("therapies", "cbt", {"CBT"}),
        ("care_settings", "residential", codes_of_term(CARE_SETTINGS, "residential")),
        ("medications", "buprenorphine", codes_of_term(MEDICATIONS, "buprenorphine")),
        ("payment_options", "medicaid", codes_of_term(PAYMENT_OPTIONS, "medicaid")),
    ],
)
def test_term_counts_match_the_file(imported, facilities, relation, slug, codes):
    expected = count(facilities, codes)

    assert expected > 1000  # A sanity check on the parse itself.
    assert Center.objects.offering_all(relation, [slug]).count() == expected


@pytest.mark.django_db
def test_state_totals_match_the_file(imported, facilities):
    expected = Counter(facility["state"] for facility in facilities.values())

    totals = Center.objects.values_list("state").annotate(n=Count("pk"))

    assert dict(totals) == expected
    assert len(expected) == 56  # States, DC and the territories.


@pytest.mark.django_db
def test_the_listing_of_california_cbt_centers_matches_the_file(imported, facilities):
    listed = Center.objects.published().offering_all("therapies", ["cbt"]).filter(state="CA")

    assert listed.count() == count(facilities, {"CBT"}, state="CA")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "codes", "state"),
    [
        ("therapy=cbt&state=CA", {"CBT"}, "CA"),
        ("therapy=cbt", {"CBT"}, None),
        ("setting=residential&state=TX", {"RES", "RS", "RL", "RD"}, "TX"),
        ("payment=medicaid&state=NY", {"MD"}, "NY"),
    ],
)
def test_listing_pages_count_exactly_what_the_file_lists(
    client, imported, facilities, query, codes, state
):
    response = client.get(f"/centers/?{query}")

    expected = count(facilities, codes, state=state)
    assert f'data-count="{expected}"'.encode() in response.content


@pytest.mark.django_db
def test_importing_the_file_again_changes_nothing(imported):
    report = import_file(DIRECTORY_2022)

    assert (report.created, report.updated, report.unchanged) == (0, 0, imported.created)
    assert report.marked_not_in_latest == 0


@pytest.mark.django_db
def test_the_export_imports_back_without_a_change(imported, tmp_path):
    exported = tmp_path / "centers.csv"
    call_command("export_centers", "--output", str(exported), stderr=io.StringIO())

    report = import_file(exported, edition="su-2022")

    assert (report.created, report.updated, report.unchanged) == (0, 0, imported.created)
    assert report.skipped == [] and report.warnings == []
