"""Being found, with the whole 2022 substance-use directory imported: the sitemap lists every
published center, and a sample of center pages' JSON-LD names the address and phone the file
gives for them."""

import math
import random
from collections import Counter
from xml.etree import ElementTree

import pytest

from centers.importer.records import identity_key
from centers.models import Center
from directory import phones
from directory.sitemaps import URLS_PER_FILE
from tests.centers import test_import_real_file as real_file
from tests.centers.jsonld import SCHEMA, blocks, expanded, values

# That module's fixtures: the file imported once for this module too, and its rows.
DIRECTORY_2022 = real_file.DIRECTORY_2022
imported = real_file.imported
rows = real_file.rows

pytestmark = [
    pytest.mark.shared_data,
    pytest.mark.django_db,
    pytest.mark.skipif(
        not DIRECTORY_2022.is_file(),
        reason=f"the real SAMHSA file is not at {DIRECTORY_2022} (../shared is absent)",
    ),
]
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
HOST = "http://testserver"
SAMPLE = 40


def locations(client, url: str, tag: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200, url
    root = ElementTree.fromstring(response.content)
    return [loc.text.removeprefix(HOST) for loc in root.findall(f"s:{tag}/s:loc", NS)]


def test_the_sitemap_lists_every_published_center(client, imported, django_assert_num_queries):
    published = list(Center.objects.published().values_list("slug", flat=True))
    assert len(published) > 11_000
    files = [name for name in locations(client, "/sitemap.xml", "sitemap") if "centers" in name]
    assert len(files) == math.ceil(2 * len(published) / URLS_PER_FILE)
    listed = []
    for name in files:
        with django_assert_num_queries(2):
            listed += locations(client, name, "url")
    assert len(listed) == len(set(listed)) <= URLS_PER_FILE * len(files)
    expected = {f"/centers/{slug}/" for slug in published}
    assert set(listed) == expected | {f"/es{url}" for url in expected}


def test_a_sample_of_center_pages_names_the_address_and_phone_of_the_file(client, imported, rows):
    # Facilities listed once (a repeated one merges rows that may give other phones).
    counts = Counter(identity_key(r["name1"], r["street1"], r["zip"]) for r in rows)
    single = [r for r in rows if counts[identity_key(r["name1"], r["street1"], r["zip"])] == 1]
    for row in random.Random(2022).sample(single, SAMPLE):
        center = Center.objects.get(
            samhsa_key=identity_key(row["name1"], row["street1"], row["zip"])
        )
        (document,) = blocks(client.get(center.get_absolute_url()).text)
        node = expanded(document)
        (address,) = node[SCHEMA + "address"]
        street = ", ".join(part for part in (row["street1"], row["street2"]) if part)
        assert values(address, "streetAddress")[0].lower() == " ".join(street.split()).lower()
        assert values(address, "addressLocality")[0].lower() == row["city"].lower()
        assert values(address, "addressRegion") == [row["state"]]
        assert values(address, "postalCode")[0] == row["zip"][:5]
        # The number to call first: the intake line when the file gives one.
        number = phones.normalise(row["intake1"] or row["phone"])
        assert values(node, "telephone") == [phones.international(number)], row["name1"]
