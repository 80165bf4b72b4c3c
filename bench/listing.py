"""Benchmark: listing, detail and home pages at national scale on PostgreSQL.

    .venv/bin/python bench/listing.py [--scale 12k|18k|100k] [--database-url URL] [--file PATH]
                                      [--runs N] [--mixes N] [--seed N]
                                      [--print-queries] [--profile]

``--scale`` picks the data set (``bench/dataset.py``): the 2022 SU file alone (12k, database
``dir_listing_bench``), both directories' size (18k) or 100,000 centers, each in its own
database on the local server unless ``--database-url`` names one; an empty database is migrated,
imported and filled first.

Each page is requested in process through Django's test client, so the figures are server
time (database plus Python plus templates), without the network. Prints the median and 95th
percentile for each page and the number of SQL queries it ran; ``--print-queries`` also lists
each page's SQL statements with the time each took, slowest first.
Then ``--mixes`` distinct filter combinations (``bench/mixes.py``, a new set unless ``--seed``
repeats one), each requested once, the card cache emptied before the first, give the p95 of
listings nobody asked for before, and likewise distinct six-filter searches near a ZIP and
center pages. ``--profile`` also prints, per page, where one request (cards not cached) spends
its time: SQL (the database driver's calls), templates and the rest of Python, from the
standard library's cProfile (no extra dependency).
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import dataset, mixes  # noqa: E402 - needs ROOT on the path
from bench.dataset import ensure_database  # noqa: E402, F401 - the other benches import it here

DEFAULT_FILE = dataset.SAMHSA_FILE
DEFAULT_URL = dataset.database_url("12k")

PAGES = [
    ("home", "/"),
    ("listing, no filter", "/centers/"),
    ("listing, CBT in California", "/centers/?therapy=cbt&state=CA"),
    ("listing, 50 miles of 10001", "/centers/?near=10001&radius=50"),
    (
        "listing, six filters near Chicago",
        "/centers/?therapy=cbt&therapy=mat&setting=combination&setting=outpatient"
        "&payment=medicaid&population=adults&near=60601&radius=100&sort=distance",
    ),
    ("listing, words, page 20", "/centers/?q=recovery&page=20"),
    ("listing, htmx fragment", "/centers/?therapy=cbt&setting=residential"),
    ("therapy page", "/therapies/mat/"),
]


def profile_split(client, url: str, headers: dict, storages: dict) -> str:
    """Total, SQL and template time of one request, from cProfile's cumulative figures."""
    import cProfile
    import pstats

    from django.core.cache import caches
    from django.test.utils import override_settings

    profiler = cProfile.Profile()
    with override_settings(ALLOWED_HOSTS=["testserver"], STORAGES=storages):
        caches["fragments"].clear()
        profiler.enable()
        client.get(url, headers=headers)
        profiler.disable()
    stats = pstats.Stats(profiler).stats
    total = max(entry[3] for entry in stats.values())

    def cumulative(path_part: str, function: str) -> float:
        # The outermost matching frame: nested calls are already inside its cumulative time.
        return max(
            (entry[3] for (path, _, name), entry in stats.items()
             if path_part in path and name == function),
            default=0.0,
        )  # fmt: skip

    sql = cumulative("django/db/backends/utils.py", "_execute")
    templates = cumulative("django/template/base.py", "render")
    python = max(total - sql - templates, 0.0)
    return (
        f"total {total * 1000:7.1f}ms  SQL {sql * 1000:7.1f}ms  "
        f"templates {templates * 1000:7.1f}ms  other Python {python * 1000:7.1f}ms"
    )


def measure_mixes(client, storages: dict, args: argparse.Namespace) -> None:
    """Each of ``args.mixes`` distinct URLs once, from an empty card cache: p50, p95, queries."""
    import random

    from django.core.cache import caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, override_settings

    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(10**6)
    rng = random.Random(seed)
    vocab = mixes.vocabulary()
    # The fragment gets mixes of the same kind but its own, so that neither row is the other's
    # second look at a combination.
    listings = mixes.paths(mixes.listing_queries(vocab, 2 * args.mixes, rng))
    six = mixes.paths(mixes.six_filter_queries(vocab, args.mixes, rng))
    groups = [
        ("listing, distinct mixes", listings[: args.mixes], {}),
        ("htmx fragment, other mixes", listings[args.mixes :], {"HX-Request": "true"}),
        ("six filters, distinct ZIPs", six, {}),
        ("detail, distinct centers", mixes.detail_paths(vocab, args.mixes, rng), {}),
    ]
    print(f"Distinct URLs, each requested once, the card cache emptied first (seed {seed}):")
    print(f"{'URLs':36} {'count':>9} {'median':>9} {'p95':>9} {'max q':>9}")
    caches["fragments"].clear()
    with override_settings(ALLOWED_HOSTS=["testserver"], STORAGES=storages):
        for label, urls, headers in groups:
            timings, most_queries = [], 0
            for url in urls:
                with CaptureQueriesContext(connection) as queries:
                    started = time.perf_counter()
                    response = client.get(url, headers=headers)
                    timings.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, (url, response.status_code)
                most_queries = max(most_queries, len(queries))
            p95 = statistics.quantiles(timings, n=20)[18]
            median = statistics.median(timings)
            print(f"{label:36} {len(urls):>9} {median:7.1f}ms {p95:7.1f}ms {most_queries:>9}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", choices=sorted(dataset.SCALES), default="12k")
    parser.add_argument("--database-url", help="default: the --scale data set's database")
    parser.add_argument("--file", type=Path, default=DEFAULT_FILE)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--mixes", type=int, default=200, help="distinct filter combinations")
    parser.add_argument("--seed", type=int, help="which combinations (default: new each run)")
    parser.add_argument("--profile", action="store_true", help="Split one request's time.")
    parser.add_argument(
        "--print-queries",
        action="store_true",
        help="list each page's SQL statements with their times, to see where the time goes",
    )
    args = parser.parse_args()

    dataset.prepare(args.database_url or dataset.database_url(args.scale))
    import django

    django.setup()
    from django.core.cache import caches
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    from centers.models import Center

    dataset.build(scale=args.scale, samhsa_file=args.file)
    centers = Center.objects.published().count()
    detail = Center.objects.published().order_by("pk").first()
    pages = [*PAGES, ("detail page", detail.get_absolute_url())]

    client = Client()
    plain_static = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }

    def measure(url: str, headers: dict, cards_cached: bool) -> tuple[float, float, int]:
        """Median and p95 in ms, and the query count, of ``args.runs`` requests."""
        with override_settings(ALLOWED_HOSTS=["testserver"], STORAGES=plain_static):
            client.get(url, headers=headers)
            timings = []
            for _ in range(args.runs):
                if not cards_cached:
                    caches["fragments"].clear()
                with CaptureQueriesContext(connection) as queries:
                    started = time.perf_counter()
                    response = client.get(url, headers=headers)
                    timings.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, (url, response.status_code)
        return statistics.median(timings), statistics.quantiles(timings, n=20)[18], len(queries)

    def print_queries(url: str, headers: dict) -> None:
        with (
            override_settings(ALLOWED_HOSTS=["testserver"], STORAGES=plain_static),
            CaptureQueriesContext(connection) as queries,
        ):
            client.get(url, headers=headers)
        statements = sorted(queries.captured_queries, key=lambda q: -float(q["time"]))
        total = sum(float(query["time"]) for query in statements) * 1000
        print(f"  {len(statements)} queries, {total:.1f} ms in SQL:")
        for query in statements:
            print(f"  {float(query['time']) * 1000:8.1f} ms  {query['sql'][:300]}")

    print(f"{centers:,} published centers; {args.runs} requests per page after one warm-up")
    print("Cards rendered on every request (card cache emptied), or kept (the default):")
    columns = ("no cards", "p95", "queries", "cards", "p95", "queries")
    print(f"{'page':36} " + " ".join(f"{column:>9}" for column in columns))
    for label, url in pages:
        headers = {"HX-Request": "true"} if "htmx" in label else {}
        cold = measure(url, headers, cards_cached=False)
        warm = measure(url, headers, cards_cached=True)
        print(
            f"{label:36} {cold[0]:7.1f}ms {cold[1]:7.1f}ms {cold[2]:>9} "
            f"{warm[0]:7.1f}ms {warm[1]:7.1f}ms {warm[2]:>9}"
        )
        if args.print_queries:
            print_queries(url, headers)
    if args.mixes:
        measure_mixes(client, plain_static, args)
    if args.profile:
        print("Where one request, cards not cached, spends its time (cProfile, cumulative):")
        for label, url in pages:
            headers = {"HX-Request": "true"} if "htmx" in label else {}
            print(f"{label:36} " + profile_split(client, url, headers, plain_static))
    print(f"load average while measuring: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
