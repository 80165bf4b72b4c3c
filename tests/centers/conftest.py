import pytest

from tests.factories import make_center


@pytest.fixture
def catalog(db):
    """A small, hand-built directory whose filter results are known exactly.

    san_francisco: CBT + DBT; residential + outpatient (a combination); Medicaid; CA
    los_angeles:   CBT; outpatient; self-pay; CA (about 350 miles from San Francisco)
    new_york:      DBT + MAT; hospital inpatient; Medicaid + Medicare; NY
    springfield:   CBT + DBT + MAT; residential only; private insurance; IL
    hidden:        CBT, but hidden by an admin: never listed
    """
    return {
        "san_francisco": make_center(
            name="Bayview Recovery",
            city="San Francisco",
            state="CA",
            zip_code="94110",
            latitude=37.7509,
            longitude=-122.4153,
            therapies=["cbt", "dbt"],
            care_settings=["residential", "outpatient"],
            payment_options=["medicaid"],
            languages=["spanish"],
        ),
        "los_angeles": make_center(
            name="Angel City Counseling",
            city="Los Angeles",
            state="CA",
            zip_code="90012",
            latitude=34.0614,
            longitude=-118.2385,
            therapies=["cbt"],
            care_settings=["outpatient"],
            payment_options=["self-pay"],
        ),
        "new_york": make_center(
            name="Hudson Hospital Unit",
            city="New York",
            state="NY",
            zip_code="10001",
            latitude=40.7506,
            longitude=-73.9972,
            therapies=["dbt", "mat"],
            care_settings=["inpatient"],
            payment_options=["medicaid", "medicare"],
            medications=["buprenorphine"],
        ),
        "springfield": make_center(
            name="Prairie House",
            city="Springfield",
            state="IL",
            zip_code="62701",
            latitude=39.8000,
            longitude=-89.6500,
            therapies=["cbt", "dbt", "mat"],
            care_settings=["residential"],
            payment_options=["private-insurance"],
            medications=["methadone", "naltrexone"],
        ),
        "hidden": make_center(
            name="Hidden Harbor",
            city="San Francisco",
            state="CA",
            zip_code="94110",
            latitude=37.75,
            longitude=-122.41,
            therapies=["cbt"],
            care_settings=["outpatient"],
            status="hidden",
        ),
    }
