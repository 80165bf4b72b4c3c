import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from centers.models import Center, ProblemReport
from tests.factories import make_center

MODELS = [
    "center",
    "problemreport",
    "therapytype",
    "caresetting",
    "medication",
    "paymentoption",
    "population",
    "language",
    "accreditation",
    "service",
    "servicecategory",
]


@pytest.fixture
def editor(db, client):
    user = get_user_model().objects.create_superuser("editor", "editor@example.org", "x-pass-123")
    client.force_login(user)
    return client


@pytest.mark.parametrize("model", MODELS)
def test_every_model_has_a_working_admin_list_and_add_page(editor, model):
    make_center(name="Bayview Recovery", therapies=["cbt"])
    assert editor.get(reverse(f"admin:centers_{model}_changelist")).status_code == 200
    assert editor.get(reverse(f"admin:centers_{model}_changelist") + "?q=bay").status_code == 200
    assert editor.get(reverse(f"admin:centers_{model}_add")).status_code == 200


def test_editor_can_edit_a_listing(editor):
    center = make_center(name="Bayview Recovery", therapies=["cbt"])
    url = reverse("admin:centers_center_change", args=[center.pk])
    assert editor.get(url).status_code == 200


@pytest.mark.parametrize(
    ("action", "status"), [("hide", "hidden"), ("close", "closed"), ("publish", "published")]
)
def test_status_actions(editor, action, status):
    center = make_center(status="hidden" if action == "publish" else "published")
    response = editor.post(
        reverse("admin:centers_center_changelist"),
        {"action": action, "_selected_action": [center.pk]},
    )
    assert response.status_code == 302
    center.refresh_from_db()
    assert center.status == status


def test_problem_report_queue_actions(editor):
    report = ProblemReport.objects.create(center=make_center(), kind="phone")
    editor.post(
        reverse("admin:centers_problemreport_changelist"),
        {"action": "mark_fixed", "_selected_action": [report.pk]},
    )
    report.refresh_from_db()
    assert report.status == "fixed"
    assert report.resolved_at is not None


def test_autocomplete_for_relations(editor):
    response = editor.get(
        reverse("admin:autocomplete")
        + "?app_label=centers&model_name=center&field_name=therapies&term=cog"
    )
    assert response.status_code == 200
    assert "Cognitive" in response.content.decode()


def test_anonymous_visitors_cannot_reach_the_admin(client, db):
    response = client.get(reverse("admin:centers_center_changelist"))
    assert response.status_code == 302
    assert Center.objects.count() == 0
