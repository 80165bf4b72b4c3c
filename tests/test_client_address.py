"""The client's address, as far as the trusted proxies vouch for it."""

import pytest
from django.test import RequestFactory

from directory.clients import client_address


def address(forwarded_for: str | None, *, remote: str = "10.0.0.2") -> str:
    headers = {"REMOTE_ADDR": remote}
    if forwarded_for is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return client_address(RequestFactory().get("/", **headers))


def test_without_a_trusted_proxy_the_header_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert address("203.0.113.9") == "10.0.0.2"


def test_a_spoofed_entry_left_of_the_proxys_own_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # The client wrote "203.0.113.99"; our one proxy appended the address it saw.
    assert address("203.0.113.99, 198.51.100.7") == "198.51.100.7"
    assert address("198.51.100.7") == "198.51.100.7"


def test_behind_two_proxies_the_address_the_outer_one_saw_counts(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    # client-written, then what the CDN saw (the client), then what the balancer saw (the CDN)
    assert address("203.0.113.99, 198.51.100.7, 192.0.2.1") == "198.51.100.7"
    assert address("198.51.100.8, 192.0.2.1") == "198.51.100.8"


@pytest.mark.parametrize("header", [None, "", " , ", "not-an-address", "\x00"])
def test_a_missing_or_garbled_header_falls_back_to_the_connection(settings, header):
    settings.TRUSTED_PROXY_COUNT = 1
    assert address(header) == "10.0.0.2"


def test_the_default_trusts_one_proxy_only_behind_the_tls_proxy(monkeypatch):
    import subprocess
    import sys

    def trusted(**env: str) -> str:
        code = "from django.conf import settings; print(settings.TRUSTED_PROXY_COUNT)"
        return subprocess.run(
            [sys.executable, "-c", f"import django; django.setup(); {code}"],
            env={"PATH": "", "DJANGO_SETTINGS_MODULE": "directory.settings", **env},
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()

    assert trusted(BEHIND_TLS_PROXY="1", SECRET_KEY="x" * 50) == "1"
    assert trusted(SECRET_KEY="x" * 50) == "0"
    assert trusted(BEHIND_TLS_PROXY="1", TRUSTED_PROXY_COUNT="2", SECRET_KEY="x" * 50) == "2"
