"""Admin sign-in: five wrong passwords on an account, or from a client, pause signing in."""

import logging
import socket
import time
import uuid
from datetime import timedelta

import pytest
from axes.handlers.cache import AxesCacheHandler
from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.core.management import call_command

from directory import login_throttle
from directory.caches import FailSafeRedisCache
from tests.conftest import STRICT

LOGIN = "/admin/login/"
PASSWORD = "correct horse battery staple"
LIMIT = 5


@pytest.fixture
def throttle_cache(settings):
    """A fresh ``throttle`` cache for each test; django-axes' handler holds on to the cache it
    was built with, so it is rebuilt for whatever the test configures."""

    def use(config: dict) -> None:
        settings.CACHES = {**settings.CACHES, "throttle": config}
        caches["throttle"].clear()
        AxesProxyHandler.get_implementation(force=True)

    use({"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests"})
    yield use
    caches["throttle"].clear()
    settings.CACHES = {
        **settings.CACHES,
        "throttle": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }
    AxesProxyHandler.get_implementation(force=True)


@pytest.fixture
def staff(db):
    return get_user_model().objects.create_superuser("editor", "editor@example.org", PASSWORD)


def sign_in(client, password, *, username="editor", address="198.51.100.7"):
    return client.post(
        LOGIN,
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
    )


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def fail(client, times, **where):
    return [sign_in(client, "wrong", **where).status_code for _ in range(times)]


def test_five_wrong_passwords_refuse_even_the_right_one(client, staff, throttle_cache):
    assert fail(client, LIMIT - 1) == [200] * (LIMIT - 1)
    assert fail(client, 1) == [429]
    response = sign_in(client, PASSWORD)
    assert response.status_code == 429
    assert not signed_in(client)
    text = response.content.decode()
    assert "signing in is paused for" in text
    assert "minutes" in text


def test_the_account_stays_locked_from_another_client(client, staff, throttle_cache):
    fail(client, LIMIT, address="198.51.100.7")
    assert sign_in(client, PASSWORD, address="203.0.113.9").status_code == 429
    assert not signed_in(client)


def test_the_client_stays_locked_for_another_account(client, staff, throttle_cache):
    get_user_model().objects.create_superuser("other", "other@example.org", PASSWORD)
    fail(client, LIMIT, username="guess")
    assert sign_in(client, PASSWORD, username="other").status_code == 429
    assert not signed_in(client)


def test_a_spoofed_forwarded_for_is_not_another_client(client, staff, throttle_cache, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    statuses = [
        client.post(
            LOGIN,
            {"username": f"guess{n}", "password": "wrong"},
            REMOTE_ADDR="198.51.100.7",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}",
        ).status_code
        for n in range(LIMIT + 1)
    ]
    assert statuses[-1] == 429


def test_signing_in_clears_earlier_mistakes(client, staff, throttle_cache):
    fail(client, LIMIT - 1)
    assert sign_in(client, PASSWORD).status_code == 302
    client.logout()
    assert fail(client, LIMIT - 1) == [200] * (LIMIT - 1)
    assert sign_in(client, PASSWORD).status_code == 302


def test_each_attempt_during_a_pause_doubles_it(client, staff, throttle_cache):
    fail(client, LIMIT)
    assert "10\xa0minutes" in sign_in(client, PASSWORD).content.decode()
    assert "20\xa0minutes" in sign_in(client, "wrong").content.decode()


def test_the_pause_grows_to_a_day_at_most():
    pauses = [login_throttle.lockout_for(n, limit=LIMIT) for n in range(1, 30)]
    assert pauses[: LIMIT - 1] == [login_throttle.FAILURE_WINDOW] * (LIMIT - 1)
    assert pauses[LIMIT - 1 : LIMIT + 2] == [timedelta(minutes=m) for m in (5, 10, 20)]
    assert max(pauses) == pauses[-1] == timedelta(hours=24)


def test_the_pause_ends(client, staff, throttle_cache, monkeypatch):
    monkeypatch.setattr(login_throttle, "FIRST_LOCKOUT", timedelta(seconds=1))
    fail(client, LIMIT)
    time.sleep(1.2)
    assert sign_in(client, PASSWORD).status_code == 302
    assert signed_in(client)


def test_refusals_are_logged_without_the_password(client, staff, throttle_cache, caplog):
    with caplog.at_level(logging.INFO):
        fail(client, LIMIT)
        sign_in(client, PASSWORD)
    assert "from 198.51.100.7" in caplog.text
    assert "account 'editor'" in caplog.text
    assert PASSWORD not in caplog.text


def redis_throttle(location: str) -> dict:
    return {
        "BACKEND": "directory.caches.FailSafeRedisCache",
        "LOCATION": location,
        "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
        "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5},
    }


@pytest.fixture
def redis_location():
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        if STRICT:
            pytest.fail("STRICT_TEST_ENVIRONMENT=1 but Redis is not running at 127.0.0.1:6379")
        pytest.skip("needs Redis at 127.0.0.1:6379")
    return "redis://127.0.0.1:6379/15"


def test_workers_share_the_count_through_redis(client, staff, throttle_cache, redis_location):
    """Two workers: each has a Redis client of its own, as each gunicorn process does."""
    config = redis_throttle(redis_location)
    throttle_cache(config)
    first_worker = AxesProxyHandler.get_implementation()
    fail(client, LIMIT - 2)

    second_worker = AxesCacheHandler()
    second_worker.cache = FailSafeRedisCache(config["LOCATION"], config)
    assert second_worker.cache is not first_worker.cache
    AxesProxyHandler.implementation = second_worker
    fail(client, 2)

    AxesProxyHandler.implementation = first_worker
    assert sign_in(client, PASSWORD).status_code == 429


def test_with_redis_down_each_process_still_counts(client, staff, throttle_cache, caplog):
    throttle_cache(redis_throttle("redis://127.0.0.1:1/0"))  # nothing listens on port 1
    with caplog.at_level(logging.WARNING):
        assert fail(client, LIMIT) == [200] * (LIMIT - 1) + [429]
    assert sign_in(client, PASSWORD).status_code == 429
    assert "Redis unreachable" in caplog.text


def test_the_fail_safe_cache_counts_in_memory_while_redis_is_down():
    cache = FailSafeRedisCache("redis://127.0.0.1:1/0", {"OPTIONS": {}})
    assert cache.add("k", 1, timeout=60)
    assert cache.incr("k") == 2
    assert cache.get("k") == 2
    cache.delete("k")
    assert cache.get("k") is None


def test_an_administrator_can_end_a_pause_early(client, staff, throttle_cache):
    fail(client, LIMIT, address="198.51.100.7")
    call_command("axes_reset_username", "editor")
    assert sign_in(client, PASSWORD, address="203.0.113.9").status_code == 302
