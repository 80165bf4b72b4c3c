"""A SAMHSA import never overwrites what a manager or an editor set; it flags differences."""

import pytest

from centers.edits import decide_change, edit_as_manager, resolve_difference
from centers.importer import import_file
from centers.models import Center, ListingChange, SamhsaDifference
from tests.centers.portal.conftest import make_manager

from .samhsa_files import facility, write_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported(tmp_path):
    """Harbor Recovery, imported from SAMHSA's 2022 file, managed by Ana."""
    row = facility(name1="Harbor Recovery", street1="12 Elm Street", zip="62701",
                   phone="217-555-0101", intake1="217-555-0102")  # fmt: skip
    import_file(write_csv(tmp_path / "su-2022.csv", [row]), edition="su-2022")
    center = Center.objects.get()
    manager = make_manager(center, email="ana@harbor.example")
    return row, center, manager


def test_a_later_edition_keeps_the_managers_values_and_flags_differences(tmp_path, imported):
    row, center, manager = imported
    edit_as_manager(center_id=center.pk, user=manager.user,
                    values={"intake_phone": "+12175550142", "website": "https://harbor.example",
                            "phone": "+12175550150", "availability": "accepting"})  # fmt: skip
    for change in ListingChange.objects.pending():
        decide_change(change_id=change.pk, approve=True, editor=manager.user)
    later = {**row, "phone": "217-555-0199", "intake1": "217-555-0102", "city": "Springfield"}

    report = import_file(write_csv(tmp_path / "su-2024.csv", [later]), edition="su-2024")

    center.refresh_from_db()
    assert (center.phone, center.intake_phone) == ("+12175550150", "+12175550142")
    assert center.website == "https://harbor.example" and center.availability == "accepting"
    assert report.kept_for_people == 2 and report.differences_flagged == 2
    flags = {d.field: d for d in SamhsaDifference.objects.open()}
    assert set(flags) == {"phone", "intake_phone"}
    assert flags["phone"].samhsa_value == "+12175550199"
    assert flags["phone"].listing_value == "+12175550150"
    assert flags["phone"].summary == "SAMHSA lists a different phone since 2024"
    assert "kept as people set" in "\n".join(report.lines())


def test_importing_the_same_edition_again_flags_nothing_new(tmp_path, imported):
    row, center, manager = imported
    edit_as_manager(center_id=center.pk, user=manager.user, values={"intake_phone": "+12175550142"})
    path = write_csv(tmp_path / "su-2022.csv", [row])

    first = import_file(path, edition="su-2022")
    second = import_file(path, edition="su-2022")

    assert (first.differences_flagged, second.differences_flagged) == (1, 0)
    assert SamhsaDifference.objects.count() == 1
    assert second.centers_written == 0


def test_fields_nobody_set_still_follow_samhsa(tmp_path, imported):
    row, center, manager = imported
    edit_as_manager(center_id=center.pk, user=manager.user, values={"intake_phone": "+12175550142"})

    import_file(write_csv(tmp_path / "su-2024.csv", [{**row, "phone": "217-555-0177"}]),
                edition="su-2024")  # fmt: skip

    center.refresh_from_db()
    assert center.phone == "+12175550177"
    assert center.intake_phone == "+12175550142"


def test_an_editor_resolves_a_difference_either_way(tmp_path, imported, admin_user):
    row, center, manager = imported
    edit_as_manager(center_id=center.pk, user=manager.user, values={"intake_phone": "+12175550142"})
    import_file(write_csv(tmp_path / "su-2024.csv", [{**row, "intake1": "217-555-0188"}]),
                edition="su-2024")  # fmt: skip
    difference = SamhsaDifference.objects.get()

    assert resolve_difference(difference_id=difference.pk, take_samhsa=True, editor=admin_user)
    assert not resolve_difference(difference_id=difference.pk, take_samhsa=False, editor=admin_user)

    center.refresh_from_db()
    assert center.intake_phone == "+12175550188"
    latest = ListingChange.objects.filter(field="intake_phone").first()
    assert (latest.source, latest.changed_by) == (ListingChange.Source.EDITOR, admin_user)


def test_a_pending_correction_does_not_protect_the_field(tmp_path, imported):
    """Until an editor approves it, the listing's value is still SAMHSA's."""
    row, center, manager = imported
    edit_as_manager(center_id=center.pk, user=manager.user, values={"phone": "+12175550150"})

    import_file(write_csv(tmp_path / "su-2024.csv", [{**row, "phone": "217-555-0177"}]),
                edition="su-2024")  # fmt: skip

    center.refresh_from_db()
    assert center.phone == "+12175550177"
    assert not SamhsaDifference.objects.exists()
