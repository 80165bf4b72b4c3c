"""With PostgreSQL unreachable the pages answer 503 with the free helplines, not a 500."""

import pytest
from django.db import connection


@pytest.fixture
def database_down():
    original_port = connection.settings_dict["PORT"]
    connection.close()
    connection.settings_dict["PORT"] = "1"  # nothing listens on port 1
    yield
    connection.close()
    connection.settings_dict["PORT"] = original_port


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("url", ["/", "/centers/?therapy=cbt", "/where-calls-go/", "/callback/"])
def test_a_page_offers_the_free_lines(client, database_down, url):
    response = client.get(url)
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    body = response.content.decode()
    assert body.count("<h1") == 1
    assert "1-800-662-4357" in body
    assert 'href="tel:988"' in body


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_healthz_is_503(client, database_down):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.content.startswith(b"database: unavailable\n")
