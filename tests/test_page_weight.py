"""The listing page's weight budget: HTML + CSS + JS under 60 KB after gzip.

People arrive on phones with poor connections; this keeps the page fast to load there.
"""

import gzip
import re

import pytest
from django.contrib.staticfiles import finders

from tests.factories import make_center

BUDGET_BYTES = 60 * 1024


def gzipped_size(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=9))


@pytest.mark.parametrize("prefix", ["", "/es"])
def test_listing_page_with_a_full_page_of_results_is_within_budget(client, db, prefix):
    for _ in range(25):
        make_center(
            therapies=["cbt", "dbt", "mat"],
            care_settings=["residential", "outpatient", "detox"],
            payment_options=["medicaid", "medicare", "self-pay", "private-insurance"],
        )
    html = client.get(f"{prefix}/centers/?therapy=cbt").content
    assets = re.findall(rb'(?:href|src)="/static/([^"]+\.(?:css|js))"', html)
    assert assets, "the page should reference its CSS and JS"
    sizes = {"html": gzipped_size(html)}
    for asset in assets:
        path = finders.find(asset.decode())
        with open(path, "rb") as file:
            sizes[asset.decode()] = gzipped_size(file.read())
    total = sum(sizes.values())
    print(f"listing weight, gzipped: {sizes} total {total} bytes")
    assert total < BUDGET_BYTES, sizes
