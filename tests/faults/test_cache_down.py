"""With Redis unreachable (REDIS_URL on a closed port) every page still works."""

import pytest
from django.urls import reverse

from centers import services
from centers.models import ProblemReport
from directory import limits
from helplines.models import CallbackRequest
from helplines.services import callbacks
from tests.factories import make_center

CLOSED_PORT = "redis://127.0.0.1:1/0"  # nothing listens on port 1


@pytest.fixture
def cache_down(settings):
    settings.REDIS_URL = CLOSED_PORT
    settings.CACHES = {
        **settings.CACHES,  # the per-process aliases (fragments) are not Redis
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": CLOSED_PORT,
            "OPTIONS": {**settings.CACHES_REDIS_OPTIONS},
        },
    }
    limits._PROCESS_COUNTS.clear()


def test_the_listing_computes_its_facet_counts(client, db, cache_down):
    make_center(name="Counted Place", therapies=["cbt"])
    response = client.get("/centers/")
    assert response.status_code == 200
    cbt = next(
        option
        for facet in response.context["filter"].facets
        for option in facet.options
        if option.slug == "cbt"
    )
    assert cbt.count == 1


def test_the_callback_limit_still_holds_in_each_process(client, db, cache_down):
    center = make_center()
    url = reverse("helplines:center-callback", args=[center.slug])
    data = {
        "callback-first_name": "Sam",
        "callback-phone": "+12025550123",
        "callback-best_time": "afternoon",
        "callback-consent": "on",
        "callback-website": "",
    }
    statuses = [client.post(url, data).status_code for _ in range(callbacks.RATE_LIMIT + 1)]
    assert statuses == [302] * callbacks.RATE_LIMIT + [429]
    assert CallbackRequest.objects.count() == callbacks.RATE_LIMIT


def test_the_problem_report_limit_still_holds_in_each_process(client, db, cache_down):
    center = make_center()
    url = reverse("centers:report-problem", args=[center.slug])
    statuses = [
        client.post(url, {"kind": "phone"}).status_code for _ in range(services.REPORT_LIMIT + 1)
    ]
    assert statuses == [302] * services.REPORT_LIMIT + [429]
    assert ProblemReport.objects.count() == services.REPORT_LIMIT


def test_healthz_stays_200_and_says_the_cache_is_down(client, db, cache_down):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"database: ok\ncache: unavailable\n"
    assert client.head("/healthz").status_code == 200


def test_check_deploy_warns_without_redis(settings, capsys):
    settings.REDIS_URL = ""
    from helplines.checks import cache_is_shared

    assert [message.id for message in cache_is_shared()] == ["helplines.W002"]
    settings.REDIS_URL = CLOSED_PORT
    assert cache_is_shared() == []
