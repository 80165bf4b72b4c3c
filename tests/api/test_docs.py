import re

import pytest
from django.urls import get_resolver

OPEN_DATA_PATHS = sorted(
    f"/{pattern.pattern}".replace("<str:object_id>", "{id}")
    for included in get_resolver().url_patterns
    if getattr(included, "app_name", None) == "api"
    for pattern in included.url_patterns
    if str(pattern.pattern) not in ("api/", "api/openapi.json")
)


def test_docs_page_has_one_heading_and_names_every_endpoint(client, db):
    response = client.get("/api/")
    html = response.content.decode()
    assert response.status_code == 200
    assert len(re.findall(r"<h1[\s>]", html)) == 1
    for path in OPEN_DATA_PATHS:
        assert path.replace("{id}", "") in html, path
    for text in ("public domain", "429", "curl", "postcode", "taxonomy_term_id", "export_hsds"):
        assert text in html
    assert "Access-Control-Allow-Origin" not in response.headers  # only the data endpoints


def test_openapi_document_is_valid_and_lists_every_endpoint(client, db):
    from openapi_spec_validator import validate

    response = client.get("/api/openapi.json")
    document = response.json()
    validate(document)
    assert response["Access-Control-Allow-Origin"] == "*"
    assert sorted(document["paths"]) == OPEN_DATA_PATHS


@pytest.mark.parametrize("path", [p for p in OPEN_DATA_PATHS if p.startswith("/api/hsds/")])
def test_every_hsds_parameter_the_code_reads_is_documented(client, db, path):
    operation = client.get("/api/openapi.json").json()["paths"][path]["get"]
    names = {parameter["name"] for parameter in operation["parameters"]}
    if path.endswith("s") and "{id}" not in path:
        assert {"page", "per_page", "search"} <= names
    if path in ("/api/hsds/services", "/api/hsds/service_at_locations"):
        assert {"taxonomy_term_id", "taxonomy_id", "organization_id", "modified_after"} <= names
