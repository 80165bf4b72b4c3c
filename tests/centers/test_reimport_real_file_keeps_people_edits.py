"""The real 2022 substance-use file imported again after managers and editors changed
listings: none of their values changes, and each difference from the file is flagged."""

from pathlib import Path

import pytest
from django.apps import apps

from centers.edits import decide_change, edit_as_manager, record_editor_changes
from centers.importer import import_file
from centers.models import Center, ListingChange, SamhsaDifference
from centers.vocabulary import sync_vocabulary
from tests.centers.portal.conftest import make_manager

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
DIRECTORY_2022 = SHARED / "data/samhsa/national-directory-su-facilities-2022.xlsx"

pytestmark = [
    pytest.mark.shared_data,
    pytest.mark.skipif(
        not DIRECTORY_2022.is_file(),
        reason=f"the real SAMHSA file is not at {DIRECTORY_2022} (../shared is absent)",
    ),
    pytest.mark.django_db,
]


def test_a_reimport_changes_no_value_a_person_set_and_flags_each_difference(admin_user):
    sync_vocabulary(apps.get_model)
    import_file(DIRECTORY_2022)
    managed, edited, untouched = Center.objects.exclude(phone="").exclude(intake_phone="")[:3]
    manager = make_manager(managed, email="ana@harbor.example")
    manager_values = {
        "intake_phone": "+12175550142",
        "website": "https://harbor.example",
        "description": "Walk-ins welcome on weekdays.",
        "intake_hours": {"0": ["09:00", "17:00"]},
        "availability": "waiting_list",
        "wait_days": 10,
        "name": "Harbor Recovery (renamed)",
        "phone": "+12175550150",
    }
    edit_as_manager(center_id=managed.pk, user=manager.user, values=manager_values)
    for change in ListingChange.objects.pending():
        decide_change(change_id=change.pk, approve=True, editor=admin_user)
    before = {"city": edited.city, "street": edited.street}
    edited.city, edited.street = "Editorville", "1 Checked Road"
    edited.save()
    record_editor_changes(center=edited, before=before, user=admin_user)
    untouched_before = Center.objects.filter(pk=untouched.pk).values().get()

    report = import_file(DIRECTORY_2022)

    managed.refresh_from_db()
    for name, value in manager_values.items():
        assert getattr(managed, name) == value, name
    edited.refresh_from_db()
    assert (edited.city, edited.street) == ("Editorville", "1 Checked Road")
    assert Center.objects.filter(pk=untouched.pk).values().get() == untouched_before
    flagged = set(SamhsaDifference.objects.open().values_list("center_id", "field"))
    assert flagged == {
        (managed.pk, "intake_phone"), (managed.pk, "name"), (managed.pk, "phone"),
        (edited.pk, "city"), (edited.pk, "street"),
    }  # fmt: skip
    assert report.differences_flagged == 5
    assert report.updated == 0 and report.created == 0

    again = import_file(DIRECTORY_2022)

    assert again.differences_flagged == 0
    assert SamhsaDifference.objects.count() == 5
