"""Benchmark: the open-data API at national scale on PostgreSQL.

    .venv/bin/python bench/api.py [--database-url URL] [--file PATH] [--runs N]

Uses the database at ``--database-url`` (default ``dir_listing_bench``, shared with
bench/listing.py); when it holds no centers it is migrated and the shared 2022 SAMHSA file is
imported first. Requests go through Django's test client in process, so figures are server
time without the network: a national locator query of 100 rows by distance (and a 10,000-row
page, to show the streamed answer's cost per row), HSDS lookups and lists, and a full walk of
/api/hsds/services. Every figure is also given as a ratio to /healthz (one database round
trip), measured side by side in the same runs, so figures from a loaded machine compare.
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.listing import DEFAULT_FILE, DEFAULT_URL, ensure_database  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--file", type=Path, default=DEFAULT_FILE)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()

    ensure_database(args.database_url)
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("SECRET_KEY", "benchmark-only")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "directory.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    from centers.api import ratelimit
    from centers.api.hsds import taxonomy
    from centers.models import Center, Service

    call_command("migrate", verbosity=0)
    if not Center.objects.exists():
        print(f"Importing {args.file.name} first...")
        call_command("import_samhsa", str(args.file), verbosity=0)
    ratelimit.RATE_LIMIT = 10**9  # the benchmark is one client on purpose
    client = Client()

    def fetch(url: str, params: dict, method: str = "post") -> tuple[dict, int]:
        with CaptureQueriesContext(connection) as queries:
            response = getattr(client, method)(url, params)
            body = b"".join(response.streaming_content) if response.streaming else response.content
        assert response.status_code == 200, (url, response.status_code, body[:200])
        return json.loads(body), len(queries)

    def healthz_ms() -> float:
        started = time.perf_counter()
        assert client.get("/healthz").status_code == 200
        return (time.perf_counter() - started) * 1000

    baseline: list[float] = []

    def timed(url: str, params: dict, method: str = "post") -> tuple[float, float, int, int]:
        fetch(url, params, method)
        timings = []
        for _ in range(args.runs):
            baseline.append(healthz_ms())
            started = time.perf_counter()
            data, queries = fetch(url, params, method)
            timings.append((time.perf_counter() - started) * 1000)
        p95 = statistics.quantiles(timings, n=20)[18]
        rows = len(data.get("rows", data.get("contents", [])))
        return statistics.median(timings), p95, queries, rows

    def ratio(milliseconds: float) -> str:
        return f"{milliseconds / statistics.median(baseline):6.1f}x"

    with override_settings(ALLOWED_HOSTS=["testserver"]):
        print(f"{Center.objects.published().count():,} published centers; {args.runs} runs each")
        print(f"{'request':44} {'median':>9} {'p95':>9} {'/healthz':>8} {'queries':>8} {'rows':>7}")
        national = {"sAddr": "39.80, -89.65", "sort": 0}
        for label, params in [
            ("locator, national, 100 by distance", {**national, "pageSize": 100}),
            ("locator, national, 100 by distance, p.50", {**national, "pageSize": 100, "page": 50}),
            (
                "locator, 25 miles of Chicago, CBT",
                {"sAddr": "41.88, -87.63", "limitType": 2, "limitValue": 40234, "sCodes": "CBT"},
            ),
            ("locator, 10,000 rows by distance", {**national, "pageSize": 10_000}),
        ]:
            median, p95, queries, rows = timed("/locator/listing", params)
            print(f"{label:44} {median:7.1f}ms {p95:7.1f}ms {ratio(median)} {queries:>8} {rows:>7}")

        some = Center.objects.published().order_by("pk")[1000].hsds_uuid
        cbt = taxonomy.samhsa_term_id(Service.objects.get(code="CBT"))
        for label, url, params in [
            ("HSDS one service", f"/api/hsds/services/{some}", {}),
            ("HSDS services, CBT, page 5 of 500", "/api/hsds/services",
             {"taxonomy_term_id": cbt, "per_page": 500, "page": 5}),
            ("HSDS services at 40 km of 60601", "/api/hsds/service_at_locations",
             {"postcode": "60601", "proximity": 40_000, "full": "true", "per_page": 100}),
            ("HSDS taxonomy terms, all", "/api/hsds/taxonomy_terms", {"per_page": 500}),
        ]:  # fmt: skip
            median, p95, queries, rows = timed(url, params, "get")
            print(f"{label:44} {median:7.1f}ms {p95:7.1f}ms {ratio(median)} {queries:>8} {rows:>7}")

        started = time.perf_counter()
        pages = items = queries_total = 0
        page = 1
        while True:
            data, queries = fetch("/api/hsds/services", {"page": page, "per_page": 500}, "get")
            pages, items, queries_total = pages + 1, items + data["size"], queries_total + queries
            if data["last_page"]:
                break
            page += 1
        seconds = time.perf_counter() - started
        per_page_ms = seconds * 1000 / pages
        print(
            f"HSDS services walk: {items:,} services in {pages} pages of 500, {seconds:.1f} s, "
            f"{per_page_ms:.0f} ms a page ({ratio(per_page_ms).strip()} /healthz), "
            f"{queries_total} queries ({queries_total / pages:.0f} per page)"
        )
        print(f"/healthz median {statistics.median(baseline):.2f} ms over {len(baseline)} runs")
    print(f"load average while measuring: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
