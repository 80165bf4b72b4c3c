"""Benchmark the voice webhooks that route a call, on PostgreSQL, in process.

    .venv/bin/python bench/voice_webhook.py [--calls 1000] [--threads 8] [--per-thread 100]
                                            [--profile] [--sql]

Uses its own database (``dir_helplines_bench`` unless DATABASE_URL says otherwise), created and
migrated on first use, and fictional data (numbers in 555-0100..0199). Every request goes
through the whole Django stack with a valid Twilio signature, via the test client: no network,
no Twilio account. A call to the English general line takes the path a real one takes: the
incoming webhook offers Spanish ("para español, oprima 2", a ``<Gather>``); the caller presses
nothing, and the language webhook routes the call (picks the advertiser, records the call,
answers with a ``<Dial>``). Prints:

* the median, p95 and p99 server time of the routing webhook and of the offer before it, over
  ``--calls`` sequential calls, each completed afterwards (untimed) as Twilio would, so that the
  number of calls in progress stays realistic; each is followed by a GET of /healthz (one
  ``SELECT 1``), timed the same way, so that the ratio of the two medians compares runs on a
  machine whose load varies. Server time is the time Django's handler takes, from the WSGI
  environ to the response (middleware and the connection's health check included); building
  and signing the request and reading the answer are the client's and not counted;
* calls per second with ``--threads`` concurrent callers, a call being the six webhooks of an
  answered call (incoming, language and routing, the advertiser's whisper and its "press 1",
  dial result, status), and calls routed per second counting only the first two.

``--profile`` prints where sequential calls spend their time in those two webhooks (cProfile,
by cumulative time); ``--sql`` prints their queries with their times.

One Python process shares one GIL, so the concurrent figure measures how routing queues on its
row locks and the interpreter, not what a multi-process server (gunicorn) would reach.
"""

import argparse
import html
import os
import re
import statistics
import sys
import threading
import time
import warnings
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import listing as bench_listing  # noqa: E402 - needs ROOT on the path

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/dir_helplines_bench")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key")
os.environ.setdefault("TWILIO_AUTH_TOKEN", "bench-only-twilio-token")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "directory.settings")
# Long-lived connections, as a production server keeps them.
os.environ.setdefault("DATABASE_CONN_MAX_AGE", "600")

HELPLINE_NUMBER = "+12025550101"
GATHER_ACTION = re.compile(r'<Gather[^>]*action="([^"]+)"')
DIAL_ACTION = re.compile(r'<Dial[^>]*action="([^"]+)"')
NUMBER_URL = re.compile(r'<Number[^>]*url="([^"]+)"')
ADVERTISERS = [("+12025550147", 5), ("+13125550163", 3), ("+14155550188", 2)]


def ensure_database() -> None:
    """Create the benchmark database if it is missing (PostgreSQL only)."""
    if os.environ["DATABASE_URL"].startswith(("postgres://", "postgresql://")):
        bench_listing.ensure_database(os.environ["DATABASE_URL"])


def setup_data() -> None:
    from datetime import date, time

    from centers.models import Center
    from helplines.models import Advertiser, BusinessHours, Call, Helpline

    Call.objects.all().delete()
    Helpline.objects.filter(number=HELPLINE_NUMBER).delete()
    Advertiser.objects.filter(center__slug__startswith="bench-").delete()
    Helpline.objects.create(label="Bench helpline", slug="bench", number=HELPLINE_NUMBER)
    for index, (number, weight) in enumerate(ADVERTISERS, start=1):
        center, _ = Center.objects.get_or_create(
            slug=f"bench-center-{index}",
            defaults={
                "name": f"Bench Center {index}",
                "city": "Springfield",
                "state": "IL",
                "zip_code": "62701",
                "phone": number,
            },
        )
        advertiser = Advertiser.objects.create(
            name=f"Bench Advertiser {index}",
            center=center,
            intake_number=number,
            weight=weight,
            concurrent_cap=50,
            starts_on=date(2020, 1, 1),
        )
        BusinessHours.objects.bulk_create(
            BusinessHours(advertiser=advertiser, weekday=day, opens=time(0), closes=time(0))
            for day in range(7)
        )
    vacuum()


def vacuum() -> None:
    """Clear the dead rows of earlier runs and refresh the planner's statistics, as autovacuum
    does on a production server (it may be off on a scratch one), so that runs compare."""
    from django.apps import apps
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in apps.get_app_config("helplines").get_models():
            cursor.execute(f"VACUUM ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def timed_handler_class():
    from django.db import close_old_connections
    from django.test.client import ClientHandler

    class TimedHandler(ClientHandler):
        """The test client's handler, timing each request from environ to response.

        It also does what the test client leaves out and a WSGI server does, through the
        request_started and request_finished signals: check the persistent connection
        (``conn_health_checks`` makes its first use in each request a ``SELECT 1``).
        """

        elapsed_ms = 0.0

        def __call__(self, environ):
            start = time.perf_counter()
            close_old_connections()
            response = super().__call__(environ)
            close_old_connections()
            self.elapsed_ms = (time.perf_counter() - start) * 1000
            return response

    return TimedHandler


class Caller:
    """One Twilio-like client: signs and posts the three webhooks of an answered call."""

    def __init__(self, name: str) -> None:
        from django.test import Client
        from twilio.request_validator import RequestValidator

        self.client = Client()
        self.client.handler = timed_handler_class()(enforce_csrf_checks=False)
        self.validator = RequestValidator(os.environ["TWILIO_AUTH_TOKEN"])
        self.name = name
        self.count = 0

    @property
    def server_ms(self) -> float:
        """The server time of the last request."""
        return self.client.handler.elapsed_ms

    def healthz(self) -> None:
        response = self.client.get("/healthz")
        if response.status_code != 200:
            raise RuntimeError(f"/healthz: HTTP {response.status_code}")

    def post(self, url: str, params: dict[str, str]):
        parts = urlsplit(url)
        path = f"{parts.path}?{parts.query}" if parts.query else parts.path
        signature = self.validator.compute_signature(f"http://testserver{path}", params)
        response = self.client.post(path, params, headers={"X-Twilio-Signature": signature})
        if response.status_code not in (200, 204):
            raise RuntimeError(f"{url}: HTTP {response.status_code}")
        return response

    def incoming(self) -> tuple[str, tuple[str, str]]:
        """A new call to the English general line, as Twilio places it: the incoming webhook
        offers Spanish ("para español, oprima 2"), then, no key pressed, the language webhook
        routes it. ``offer_ms`` and ``route_ms`` are their server times; returns the call's
        sid, its ``<Dial>``'s action (the dial result) and its whisper's address."""
        self.count += 1
        sid = f"CA{self.name}{self.count:0{32 - len(self.name)}d}"
        params = {"CallSid": sid, "To": HELPLINE_NUMBER, "From": "+12025550177"}
        response = self.post("/helplines/voice/incoming/", params)
        self.offer_ms = self.server_ms
        gather = GATHER_ACTION.search(response.content.decode())
        if gather is None:
            raise RuntimeError("the incoming webhook did not offer Spanish first")
        response = self.post(html.unescape(gather[1]), params)
        self.route_ms = self.server_ms
        answer = response.content.decode()
        dial = DIAL_ACTION.search(answer)
        if dial is None:
            raise RuntimeError(f"the call was not routed: {answer[:300]!r}")
        whisper = NUMBER_URL.search(answer)
        return sid, (html.unescape(dial[1]), html.unescape(whisper[1]) if whisper else "")

    def finish(self, sid: str, dial: str) -> None:
        """The rest of an answered call, as Twilio posts it: the advertiser's leg picks up (the
        whisper), presses 1 (screening), then the dial result and the call's final status."""
        action, whisper = dial
        leg = "CL" + sid[2:]
        if whisper:
            response = self.post(whisper, {"CallSid": leg})
            screen = GATHER_ACTION.search(response.content.decode())
            if screen is not None:
                self.post(html.unescape(screen[1]), {"CallSid": leg, "Digits": "1"})
        self.post(
            action,
            {
                "CallSid": sid,
                "DialCallStatus": "completed",
                "DialCallDuration": "60",
                "DialCallSid": leg,
            },
        )
        self.post(
            "/helplines/voice/status/",
            {"CallSid": sid, "CallStatus": "completed", "CallDuration": "75"},
        )


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def latency(calls: int) -> tuple[list[float], list[float], list[float]]:
    """Server times of ``calls`` routing webhooks, the offers before them and as many
    /healthz, side by side."""
    caller = Caller("seq")
    for _ in range(50):  # warm up: imports, template and query caches, connection
        caller.finish(*caller.incoming())
        caller.healthz()
    routes, offers, healthz = [], [], []
    for _ in range(calls):
        sid, action = caller.incoming()
        routes.append(caller.route_ms)
        offers.append(caller.offer_ms)
        caller.healthz()
        healthz.append(caller.server_ms)
        caller.finish(sid, action)
    return routes, offers, healthz


def profile(calls: int) -> None:
    """Where sequential calls spend their time in the offer and the routing webhook, client
    included (cProfile)."""
    import cProfile
    import pstats

    caller = Caller("prof")
    for _ in range(20):
        caller.finish(*caller.incoming())
    profiler = cProfile.Profile()
    for _ in range(calls):
        profiler.enable()
        sid, action = caller.incoming()
        profiler.disable()
        caller.finish(sid, action)
    stats = pstats.Stats(profiler).strip_dirs().sort_stats("cumulative")
    print(f"cProfile of {calls} offers and routing webhooks (client signing included):")
    stats.print_stats(45)


def show_sql() -> None:
    """The queries of one call's offer and routing webhook, with their times (as the client
    sees them)."""
    from django.db import connection

    captured: list[tuple[float, str]] = []

    def capture(execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            captured.append(((time.perf_counter() - start) * 1000, sql))

    caller = Caller("sql")
    caller.finish(*caller.incoming())
    with connection.execute_wrapper(capture):
        sid, action = caller.incoming()
    caller.finish(sid, action)
    total = sum(elapsed for elapsed, _ in captured)
    print(f"SQL of one offer and routing: {len(captured)} queries, {total:.2f} ms")
    for elapsed, sql in captured:
        print(f"  {elapsed:6.2f} ms  {sql[:150]}")


def throughput(threads: int, per_thread: int) -> tuple[float, float]:
    from django.db import connections

    barrier = threading.Barrier(threads + 1)
    incoming_time = [0.0] * threads
    errors: list[BaseException] = []

    def run(index: int) -> None:
        caller = Caller(f"t{index}x")
        try:
            barrier.wait()
            for _ in range(per_thread):
                start = time.perf_counter()
                sid, action = caller.incoming()
                incoming_time[index] += time.perf_counter() - start
                caller.finish(sid, action)
        except BaseException as error:  # noqa: BLE001 - printed below
            errors.append(error)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=run, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    barrier.wait()
    start = time.perf_counter()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - start
    if errors:
        raise SystemExit(f"{len(errors)} thread(s) failed: {errors[0]!r}")
    calls = threads * per_thread
    return calls / elapsed, calls / (sum(incoming_time) / threads)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=1000, help="sequential calls timed")
    parser.add_argument("--threads", type=int, default=8, help="concurrent callers")
    parser.add_argument("--per-thread", type=int, default=100, help="calls per caller")
    parser.add_argument("--profile", action="store_true", help="cProfile the webhook, then stop")
    parser.add_argument("--sql", action="store_true", help="print one webhook's queries")
    options = parser.parse_args()

    ensure_database()
    # WhiteNoise warns that collectstatic has not run: irrelevant to webhooks.
    warnings.filterwarnings("ignore", message="No directory at")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    setup_data()

    print(f"Database: {connection.vendor} {connection.settings_dict['NAME']}")
    print("Load average before: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    if options.sql:
        show_sql()
    if options.profile:
        profile(max(options.calls, 1))
        return
    routes, offers, healthz = latency(max(options.calls, 1))
    vacuum()
    print(f"Server time of {len(routes)} sequential requests of each, side by side:")
    rows = (
        ("routing webhook", routes),
        ("Spanish offer", offers),
        ("/healthz", healthz),
    )
    for name, timings in rows:
        print(
            f"  {name:<17} median {statistics.median(timings):5.2f} ms"
            f"   p95 {percentile(timings, 0.95):5.2f} ms   p99 {percentile(timings, 0.99):5.2f} ms"
        )
    print(
        "  routing webhook median / healthz median: "
        f"{statistics.median(routes) / statistics.median(healthz):.1f}x (goal: median <= 10 ms)"
    )
    calls_per_second, incoming_per_second = throughput(options.threads, options.per_thread)
    print(f"{options.threads} concurrent callers x {options.per_thread} answered calls:")
    print(
        f"  {calls_per_second:.0f} calls/s (6 webhooks each: incoming, language and routing,"
        " whisper, screening, dial result, status)"
    )
    print(f"  {incoming_per_second:.0f} calls routed/s counting only those two webhooks' time")

    from helplines.models import Advertiser, CallAttempt

    shares = {
        a.name: CallAttempt.objects.filter(advertiser=a).count()
        for a in Advertiser.objects.filter(center__slug__startswith="bench-")
    }
    print(f"  calls offered per advertiser (weights 5/3/2): {shares}")
    print("Load average after: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))


if __name__ == "__main__":
    main()
