"""The shipped gunicorn config reads the environment and refuses nonsense."""

import runpy
from pathlib import Path

import pytest

CONFIG = str(Path(__file__).resolve().parent.parent / "directory" / "gunicorn.conf.py")


def load(monkeypatch, **environment: str) -> dict:
    for name in ("BEHIND_TLS_PROXY", "FORWARDED_ALLOW_IPS", "WEB_CONCURRENCY", "BIND"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(CONFIG)


def test_no_one_is_trusted_with_forwarded_headers_by_default(monkeypatch):
    assert load(monkeypatch)["forwarded_allow_ips"] == ""
    assert load(monkeypatch, FORWARDED_ALLOW_IPS="10.0.0.2")["forwarded_allow_ips"] == ""


def test_behind_the_proxy_its_addresses_are_trusted(monkeypatch):
    assert load(monkeypatch, BEHIND_TLS_PROXY="1")["forwarded_allow_ips"] == "127.0.0.1"
    config = load(monkeypatch, BEHIND_TLS_PROXY="1", FORWARDED_ALLOW_IPS="10.0.0.2")
    assert config["forwarded_allow_ips"] == "10.0.0.2"


def test_workers_and_address_come_from_the_environment(monkeypatch):
    config = load(monkeypatch, WEB_CONCURRENCY="3", BIND="0.0.0.0:9000")
    assert (config["workers"], config["bind"]) == (3, "0.0.0.0:9000")


@pytest.mark.parametrize("value", ["0", "-2", "two", "1.5"])
def test_a_bad_worker_count_stops_with_a_message(monkeypatch, value):
    with pytest.raises(SystemExit, match="WEB_CONCURRENCY must be a whole number"):
        load(monkeypatch, WEB_CONCURRENCY=value)


def test_the_access_log_leaves_out_query_strings_and_addresses(monkeypatch):
    log_format = load(monkeypatch)["access_log_format"]
    assert "%(U)s" in log_format
    for private in ("%(q)s", "%(r)s", "%(h)s", "%(a)s", "%(f)s"):
        assert private not in log_format


def test_workers_live_long_enough_to_use_what_they_keep(monkeypatch):
    monkeypatch.delenv("GUNICORN_MAX_REQUESTS", raising=False)
    config = load(monkeypatch)
    assert (config["max_requests"], config["max_requests_jitter"]) == (100_000, 10_000)
    assert load(monkeypatch, GUNICORN_MAX_REQUESTS="2000")["max_requests"] == 2000
