"""With the real 2022 directory imported, the APIs' totals equal the HTML listing's counts for
the same filters."""

import json
import re

import pytest
from django.core.cache import cache

from centers.api import locator
from centers.api.hsds import taxonomy
from centers.geo import zip_centroid
from centers.models import Service

# The real file imported once for the module, and the skip without ../shared, as there.
from tests.centers.test_import_real_file import imported, pytestmark  # noqa: F401

pytestmark = [*pytestmark, pytest.mark.django_db, pytest.mark.usefixtures("imported")]

MILES = locator.METERS_PER_MILE


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    cache.clear()


def near(zip_code: str) -> str:
    point = zip_centroid(zip_code)
    return f"{point.latitude}, {point.longitude}"


def listing_count(client, query: str) -> int:
    html = client.get(f"/centers/?{query}").content.decode()
    return int(re.search(r'data-count="(\d+)"', html).group(1))


def locator_total(client, params: dict) -> int:
    response = client.post("/locator/listing", {"sType": "BOTH", "pageSize": 1, **params})
    return json.loads(b"".join(response.streaming_content))["recordCount"]


@pytest.mark.parametrize(
    ("query", "params"),
    [
        ("", {}),
        ("therapy=cbt", {"sCodes": "CBT"}),
        ("state=CA", {"limitType": 0, "limitValue": "CA"}),
        ("therapy=cbt&state=CA", {"sCodes": "CBT", "limitType": 0, "limitValue": "CA"}),
        (
            "near=10001&radius=50",
            {"sAddr": near("10001"), "limitType": 2, "limitValue": 50 * MILES},
        ),
        (
            "payment=medicaid&language=spanish&near=60601&radius=100",
            {
                "sCodes": "MD",
                "sLanguages": "SP",
                "sAddr": near("60601"),
                "limitType": 2,
                "limitValue": 100 * MILES,
            },
        ),
    ],
)
def test_locator_totals_equal_the_listing(client, query, params):
    expected = listing_count(client, query)
    assert expected > 100  # a sanity check: each filter matches many real centers
    assert locator_total(client, params) == expected


def test_hsds_totals_equal_the_listing(client):
    everything = json.loads(client.get("/api/hsds/services", {"per_page": 1}).content)
    assert everything["total_items"] == listing_count(client, "")
    cbt = taxonomy.samhsa_term_id(Service.objects.get(code="CBT"))
    response = client.get("/api/hsds/services", {"taxonomy_term_id": cbt, "per_page": 1})
    assert json.loads(response.content)["total_items"] == listing_count(client, "therapy=cbt")
