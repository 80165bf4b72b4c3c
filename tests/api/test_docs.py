import re


def test_docs_page_has_one_heading_and_names_every_endpoint(client, db):
    response = client.get("/api/")
    html = response.content.decode()
    assert response.status_code == 200
    assert len(re.findall(r"<h1[\s>]", html)) == 1
    for text in ("/locator/listing", "/api/hsds/services", "public domain", "429"):
        assert text in html
    assert "Access-Control-Allow-Origin" not in response.headers  # only the data endpoints


def test_openapi_document_is_valid_and_lists_every_endpoint(client, db):
    from openapi_spec_validator import validate

    response = client.get("/api/openapi.json")
    document = response.json()
    validate(document)
    assert response["Access-Control-Allow-Origin"] == "*"
    assert {"/locator/listing", "/api/hsds/services", "/api/hsds/organizations/{id}"} <= set(
        document["paths"]
    )
