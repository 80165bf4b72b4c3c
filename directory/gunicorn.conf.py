"""gunicorn's settings for this site: `gunicorn -c directory/gunicorn.conf.py directory.wsgi`.

Everything that differs between machines comes from the environment (README, "Deploying").
"""

import contextlib
import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    if not value.isdecimal() or int(value) < 1:
        raise SystemExit(f"{name} must be a whole number of at least 1, not {value!r}")
    return int(value)


def _on(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


bind = os.environ.get("BIND", "127.0.0.1:8000")
# Two processes per core: while one waits on PostgreSQL (a round trip per query when it is on
# another machine) or on a slow request, the other keeps the core busy. With PostgreSQL on the
# same machine a page spends little time waiting (PostgreSQL's 0.2-0.5 ms against the worker's
# 3.5-4.5 ms of CPU), and one worker per core served 6-18% more requests with a p95 a third
# lower in bench/throughput.py, at the same shares of /healthz; but a slow request then holds
# half the site, so the default stays at two.
workers = _int("WEB_CONCURRENCY", 2 * (os.cpu_count() or 1))
# Twilio waits 15 seconds for a webhook, so nothing legitimate runs longer than this; a worker
# stuck past it is restarted rather than holding a caller.
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 20)
# Behind a load balancer that keeps connections open, a little longer than its idle timeout is
# usual; 5 s is gunicorn's advice for sitting behind a proxy on the same network.
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# Recycle workers now and then, so one slow leak can never take a process down; but rarely: a
# new worker starts without the cards, statements and skeletons the old one had kept, and pays
# for them on its first thousand or so pages. At 5,000 requests, workers serving 100 a second
# each were replaced every minute: in bench/throughput.py, six filters ran 397-413 req/s and
# /healthz fell by a seventh between its two rows; at 100,000, 458-464 and no fall.
max_requests = _int("GUNICORN_MAX_REQUESTS", 100_000)
max_requests_jitter = max_requests // 10

# Load the app once, in the master, and fork the workers from it: the code it imported and the
# ZIP table distance searches read (tens of MB of native memory, see when_ready) are then shared
# by every worker, copy-on-write, instead of loaded by each. bench/worker_memory.py measured each
# worker's private memory at 82 MB loading its own, 24 MB forked (4 workers, 18,000 centers),
# all five processes' PSS 351 MB then 184 MB. What they share is frozen as they fork (when_ready).
# The price: the master holds the code, so new code needs a restart, not a HUP.
preload_app = True


def when_ready(server: object) -> None:
    """In the master, after the app is loaded and before the first fork."""
    from django.db import DatabaseError, connections

    from centers import geo, locator
    from centers.catalog_index import current_index
    from directory.startup import freeze_for_workers, load_for_workers

    geo.load_zip_table()
    locator.draw_every_state()  # the center page's locator map, by state
    # The listing's catalog index too: workers start with it (shared until a catalog write
    # makes each build its own), so none makes its first visitor wait for the build. If the
    # database is down, each worker builds the index once it answers.
    with contextlib.suppress(DatabaseError):
        current_index()
    # The views, the templates and the catalogs of words, which each worker loaded on its first
    # requests otherwise (directory/startup.py).
    load_for_workers()
    # A connection opened here would be inherited, and shared, by every worker.
    connections.close_all()
    # Last: the workers' garbage collections leave everything above alone.
    freeze_for_workers()


# Who may tell gunicorn that the original request was HTTPS (X-Forwarded-Proto) or came from
# elsewhere. gunicorn trusts 127.0.0.1 by default, so anything on the same host could make a
# plain request look secure; trust the proxy only when the site is configured to sit behind one.
forwarded_allow_ips = (
    os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1") if _on("BEHIND_TLS_PROXY") else ""
)

# The access log: method, path, status, size and time. Not the query string, the referrer or
# the user agent, which can carry a visitor's search for treatment, nor the client's address.
accesslog = "-"
access_log_format = '"%(m)s %(U)s" %(s)s %(b)s %(M)sms'
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()

# Nothing manages this server through gunicorn's control socket, and its default path (one file
# in the home directory) would be shared by every server on the machine.
control_socket_disable = True
