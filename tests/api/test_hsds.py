"""Every HSDS answer validates against the official 3.0 schemas, closed everywhere."""

import copy
import json
from pathlib import Path

import jsonschema
import pytest

from centers.api.identity import center_uuid
from centers.models import Accreditation, Center, Language
from tests.factories import make_center

SPECS = Path(__file__).resolve().parents[2].parent / "shared/specs/hsds-3.0"

pytestmark = [
    pytest.mark.shared_data,
    pytest.mark.skipif(
        not SPECS.is_dir(), reason=f"the HSDS 3.0 schemas are not at {SPECS} (../shared is absent)"
    ),
]


def closed(schema: object) -> object:
    """additionalProperties false on every object, as the specification's own checks do."""
    if isinstance(schema, dict):
        schema = {key: closed(value) for key, value in schema.items()}
        if "properties" in schema:
            schema["additionalProperties"] = False
    elif isinstance(schema, list):
        schema = [closed(item) for item in schema]
    return schema


def validator(name: str) -> jsonschema.Draft202012Validator:
    schema = closed(json.loads((SPECS / name).read_text()))
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def page_validator(item_schema: str) -> jsonschema.Draft202012Validator:
    openapi = json.loads((SPECS / "openapi.json").read_text())
    page = copy.deepcopy(openapi["components"]["schemas"]["Page"])
    page["properties"]["contents"] = {
        "type": "array",
        "items": json.loads((SPECS / item_schema).read_text()),
    }
    page["required"] = list(page["properties"])
    return jsonschema.Draft202012Validator(
        closed(page), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def assert_valid(checker: jsonschema.Draft202012Validator, data: object) -> None:
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in checker.iter_errors(data)]
    assert not errors, errors


@pytest.fixture
def centers(db):
    full = make_center(name="Harbor House", phone="+12025550142")
    full.secondary_name = "Harbor"
    full.website = "https://harbor.example.org/"
    full.intake_phone = "+12025550143;ext=12"
    full.description = "Residential care by the sea."
    full.save()
    full.languages.set([Language.objects.first()])
    accreditation, _ = Accreditation.objects.get_or_create(slug="jc", defaults={"name": "JC"})
    full.accreditations.set([accreditation])
    bare = make_center(name="Bare Minimum")
    make_center(name="Hidden", status=Center.Status.HIDDEN)
    return {"full": full, "bare": bare}


def get(client, url: str, **params):
    response = client.get(url, params)
    assert response["Access-Control-Allow-Origin"] == "*"
    return response, json.loads(response.content)


@pytest.mark.parametrize("full", ["true", ""])
def test_services_page_validates(client, centers, full, django_assert_num_queries):
    with django_assert_num_queries(4):  # count, page, accreditations, languages
        response, data = get(client, "/api/hsds/services", full=full, per_page=1)
    assert response.status_code == 200
    assert_valid(page_validator("service_list.json"), data)
    assert data["total_items"] == 2 and data["total_pages"] == 2 and data["size"] == 1
    assert data["first_page"] and not data["last_page"] and not data["empty"]


def test_service_and_organization_objects_validate(client, centers):
    _r, listing = get(client, "/api/hsds/services", full="true")
    for item in listing["contents"]:
        response, service = get(client, f"/api/hsds/services/{item['id']}")
        assert response.status_code == 200
        assert_valid(validator("service.json"), service)
        response, organization = get(client, f"/api/hsds/organizations/{item['organization_id']}")
        assert_valid(validator("organization.json"), organization)
    _r, organizations = get(client, "/api/hsds/organizations")
    assert_valid(page_validator("organization_list.json"), organizations)
    assert organizations["contents"][0]["id"] == str(center_uuid(centers["bare"]))


def test_search_and_modified_after_combine(client, centers):
    _r, data = get(client, "/api/hsds/services", search="harbor", modified_after="2000-01-01")
    assert [item["name"] for item in data["contents"]] == ["Harbor House"]
    _r, data = get(client, "/api/hsds/services", search="harbor", modified_after="2999-01-01")
    assert data["empty"] and data["contents"] == []


def test_root_and_errors(client, centers):
    _r, data = get(client, "/api/hsds/")
    assert data["version"] == "3.0"
    for url, params in [
        ("/api/hsds/services", {"page": "x"}),
        ("/api/hsds/services", {"per_page": "-1"}),
        ("/api/hsds/services", {"modified_after": "yesterday"}),
        ("/api/hsds/services/not-a-uuid", {}),
    ]:
        response, data = get(client, url, **params)
        assert response.status_code == 400 and data["error"]
    response = client.get("/api/hsds/services/00000000-0000-4000-8000-000000000000")
    assert response.status_code == 404
