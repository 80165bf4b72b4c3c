"""Exact results of every listing filter on the hand-built catalog (see conftest)."""

from datetime import date

import pytest
from django.urls import reverse

from tests.factories import make_center


def names(client, query: str = "") -> list[str]:
    response = client.get(f"{reverse('centers:list')}?{query}")
    assert response.status_code == 200
    return [center.name for center in response.context["page"].object_list]


def as_set(client, query: str) -> set[str]:
    return set(names(client, query))


pytestmark = pytest.mark.usefixtures("catalog")


def test_no_filter_lists_every_published_center_by_name(client):
    assert names(client) == [
        "Angel City Counseling",
        "Bayview Recovery",
        "Hudson Hospital Unit",
        "Prairie House",
    ]


def test_one_therapy(client):
    assert as_set(client, "therapy=cbt") == {
        "Angel City Counseling",
        "Bayview Recovery",
        "Prairie House",
    }


def test_several_therapies_must_all_be_offered(client):
    assert as_set(client, "therapy=cbt&therapy=dbt") == {"Bayview Recovery", "Prairie House"}
    assert as_set(client, "therapy=cbt&therapy=dbt&therapy=mat") == {"Prairie House"}


def test_several_settings_match_any(client):
    assert as_set(client, "setting=residential&setting=inpatient") == {
        "Bayview Recovery",
        "Hudson Hospital Unit",
        "Prairie House",
    }


def test_combination_means_a_24_hour_setting_and_an_outpatient_one(client):
    assert as_set(client, "setting=combination") == {"Bayview Recovery"}
    assert as_set(client, "setting=combination&setting=inpatient") == {
        "Bayview Recovery",
        "Hudson Hospital Unit",
    }


def test_any_within_a_parameter_all_across_parameters(client):
    assert as_set(client, "payment=medicaid&payment=medicare") == {
        "Bayview Recovery",
        "Hudson Hospital Unit",
    }
    assert as_set(client, "payment=medicaid&payment=medicare&therapy=cbt") == {"Bayview Recovery"}
    assert as_set(client, "medication=methadone&medication=buprenorphine") == {
        "Hudson Hospital Unit",
        "Prairie House",
    }
    assert as_set(client, "language=spanish&setting=outpatient") == {"Bayview Recovery"}


def test_state(client):
    assert as_set(client, "state=CA") == {"Angel City Counseling", "Bayview Recovery"}


def test_distance_limits_and_sorts_by_distance(client):
    assert names(client, "near=94110") == ["Bayview Recovery"]
    # Los Angeles is about 347 miles from the 94110 centroid.
    assert names(client, "near=94110&radius=400") == ["Bayview Recovery", "Angel City Counseling"]
    assert names(client, "near=94110&radius=300") == ["Bayview Recovery"]


def test_distance_is_shown_in_miles(client):
    response = client.get(reverse("centers:list") + "?near=90012&radius=400")
    distances = {c.name: c.distance for c in response.context["page"].object_list}
    assert distances["Angel City Counseling"] == pytest.approx(0.0, abs=1.0)
    assert distances["Bayview Recovery"] == pytest.approx(347, abs=5)
    assert b"miles away" in response.content


def test_words_search_name_and_city(client):
    assert names(client, "q=springfield") == ["Prairie House"]
    assert names(client, "q=recovery+francisco") == ["Bayview Recovery"]
    assert names(client, "q=nothing-like-this") == []


def test_sort_by_recently_verified_puts_unverified_last(client, catalog):
    catalog["springfield"].last_verified = date(2026, 11, 1)
    catalog["springfield"].save()
    catalog["new_york"].last_verified = date(2026, 1, 1)
    catalog["new_york"].save()
    assert names(client, "sort=recently-verified")[:2] == ["Prairie House", "Hudson Hospital Unit"]


def test_closed_and_hidden_centers_are_not_listed(client):
    make_center(name="Closed Clinic", status="closed", therapies=["cbt"])
    assert "Closed Clinic" not in names(client, "therapy=cbt")
    assert "Hidden Harbor" not in names(client, "therapy=cbt")


def test_result_count_element(client):
    response = client.get(reverse("centers:list") + "?therapy=cbt")
    assert b'id="result-count"' in response.content
    assert b'data-count="3"' in response.content


def facet_counts(response, param: str) -> dict[str, int]:
    facet = next(f for f in response.context["filter"].facets if f.param == param)
    return {option.slug: option.count for option in facet.options}


def test_facet_counts_follow_the_other_filters(client):
    response = client.get(reverse("centers:list") + "?state=CA&setting=outpatient")
    settings = facet_counts(response, "setting")
    # "Any of" group: each option counts under the other filters (state=CA) only.
    assert settings["outpatient"] == 2
    assert settings["residential"] == 1
    assert settings["inpatient"] == 0
    assert settings["combination"] == 1
    therapies = facet_counts(response, "therapy")
    # "All of" group: counts within the current results.
    assert therapies["cbt"] == 2
    assert therapies["dbt"] == 1
    assert therapies["mat"] == 0


def test_selected_options_are_checked(client):
    response = client.get(reverse("centers:list") + "?therapy=dbt")
    assert b'value="dbt" checked' in response.content


def test_the_filter_validates_when_asked_not_when_its_results_are_read(client):
    from centers.catalog_index import current_index
    from centers.filters import CenterFilter, facets_of

    index = current_index()
    filterset = CenterFilter({"therapy": ["cbt", "nonsense"]}, facets=facets_of(index))
    with pytest.raises(RuntimeError, match=r"validate\(\)"):
        filterset.ordered_results()
    with pytest.raises(RuntimeError, match=r"validate\(\)"):
        filterset.search(index)
    filterset.validate()
    filterset.search(index)  # before the results: the order of calls does not matter
    assert [center.name for center in filterset.ordered_results()] == names(client, "therapy=cbt")
    assert filterset.validate().notices == filterset.notices  # a second call changes nothing
    assert len(filterset.notices) == 1
