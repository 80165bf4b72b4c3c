"""directory.text.strip_control, and where it guards what is saved: the import, the admin."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from centers.importer import import_file
from centers.models import Center
from directory.text import strip_control
from helplines.models import Advertiser
from tests.centers.samhsa_files import facility, write_csv
from tests.factories import make_advertiser, make_center

HOSTILE = "Ctrl\x01Char\x08Center\x1b"


@pytest.mark.parametrize(
    ("text", "single_line", "expected"),
    [
        (HOSTILE, True, "CtrlCharCenter"),
        ("a\x00b\x7fc\x85d\x9fe", True, "abcde"),
        ("  Two\t\twords\n", True, "Two words"),
        ("Line one\r\nLine two\rthree\n\tindented", False, "Line one\nLine two\nthree\n\tindented"),
        ("caf\u00e9 \u2014 \U0001f600", True, "caf\u00e9 \u2014 \U0001f600"),
        ("\ud800x\ufffey\uffff", True, "xy"),
    ],
)
def test_strip_control(text, single_line, expected):
    assert strip_control(text, single_line=single_line) == expected


@pytest.mark.django_db
def test_an_imported_name_loses_its_control_characters(tmp_path):
    path = write_csv(
        tmp_path / "national-directory-su-facilities-2022.csv",
        [facility(name1=HOSTILE, city="Spring\x0bfield")],
    )
    import_file(path)
    center = Center.objects.get()
    assert (center.name, center.city) == ("CtrlCharCenter", "Springfield")


@pytest.fixture
def editor(db, client):
    user = get_user_model().objects.create_superuser("editor", "editor@example.org", "x-pass-123")
    client.force_login(user)
    return client


def test_the_center_admin_saves_names_without_control_characters(editor):
    center = make_center(name="Bayview Recovery")
    url = reverse("admin:centers_center_change", args=[center.pk])
    form = editor.get(url).context["adminform"].form
    data = {
        key: value
        for key, value in form.initial.items()
        if value is not None and not isinstance(value, list)
    }
    data.update(
        {
            key: [item.pk if hasattr(item, "pk") else item for item in value]
            for key, value in form.initial.items()
            if isinstance(value, list)
        }
    )
    data.update({"name": HOSTILE, "description": "First\x07 line\r\nSecond line"})
    for prefix in ("problem_reports", "helplines"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    response = editor.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    center.refresh_from_db()
    assert center.name == "CtrlCharCenter"
    assert center.description == "First line\nSecond line"


def test_a_name_of_only_control_characters_is_refused(editor):
    advertiser = make_advertiser(name="Maple Grove Recovery")
    url = reverse("admin:helplines_advertiser_change", args=[advertiser.pk])
    response = editor.post(url, {"name": "\x01\x02"})
    assert response.status_code == 200
    assert "only invisible characters" in str(response.context["adminform"].form.errors["name"])
    assert Advertiser.objects.get().name == "Maple Grove Recovery"
