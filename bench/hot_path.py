"""Benchmark: where a worker's time goes on the pages wrk measures, one request at a time.

    .venv/bin/python bench/hot_path.py [--scale 18k|12k|100k] [--database-url URL]
                                       [--urls 400] [--seed N] [--rows TEXT]
                                       [--parts] [--profile] [--top 30]

Serves ``--urls`` distinct URLs of each row of ``bench/throughput.py`` (any filter mix, six
filters near a ZIP, the htmx fragment, center pages, and /healthz as the yardstick) through
Django's own WSGI handler, in this process: every middleware, gzip and the response's bytes,
as a gunicorn worker runs them, without the network and without wrk competing for the cores.
The card cache starts empty, as at the start of each gunicorn worker, and fills as the URLs go
by (as in a worker under wrk). Prints, per row, the median and mean wall time per request, the
mean CPU time of this process (which other load on a shared machine disturbs far less than wall
time; PostgreSQL's own CPU is not in it), and /healthz's CPU time as a share of the row's: the
share of /healthz's throughput the page could reach if the Python were all that counted.

``--parts`` adds, per row, the CPU time of the parts of a request that matter most (the view's
reads and its rendering, and within the rendering each template tag and included template),
timed by wrappers around them: small enough an overhead to show what the rest of the request
costs, what even a template engine that cost nothing would leave (``TIMED``).

``--profile`` adds, per row, cProfile's split of the CPU time by part of the request (the
index, the filter form, the search, the page query, rendering, cards, filter groups, gzip) and
the functions that spend the most of it themselves (``--top``); cProfile's own overhead makes
every figure larger than without it, so compare its parts with each other.
"""

import argparse
import cProfile
import io
import os
import pstats
import random
import statistics
import sys
import time
import warnings
from pathlib import Path
from tempfile import TemporaryDirectory

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import dataset, mixes  # noqa: E402 - needs ROOT on the path

# Parts of a request, by the function whose cumulative time is that part (the outermost call).
PARTS = [
    ("catalog token and index", "centers/catalog_index.py", "current_index"),
    ("filter form and validation", "centers/filters.py", "validate"),
    ("search (bits, counts, order)", "centers/filters.py", "search"),
    ("page of cards (SQL + models)", "centers/catalog_index.py", "__getitem__"),
    ("SQL, this side (all)", "django/db/backends/utils.py", "_execute"),
    ("template rendering", "django/template/response.py", "render"),
    ("render() shortcut", "django/shortcuts.py", "render"),
    ("cards", "centers/templatetags/listing.py", "center_card"),
    ("filter groups", "centers/templatetags/listing.py", "facet_markup"),
    ("gzip", "django/middleware/gzip.py", "process_response"),
    ("view", "django/core/handlers/base.py", "_get_response"),
]


# Parts timed by ``--parts``: functions by module and name (as the view looks them up), then the
# template nodes that call tags and included templates. Parts nest: a tag is inside "render".
TIMED = [
    ("centers.views.catalog", "current_index"),
    ("centers.views.catalog", "center_for_page"),
    ("centers.views.catalog", "facts_at_a_glance"),
    ("centers.views.catalog", "center_json_ld"),
    ("centers.views.catalog", "page_of"),
    ("centers.views.catalog", "render"),
    ("centers.filters", "CenterFilter.validate"),
    ("centers.filters", "CenterFilter.search"),
]


def time_parts(spent: dict[str, float]) -> None:
    """Wrap ``TIMED`` and the template nodes that run tags and includes, so that each adds its
    CPU time (this thread's) to ``spent`` under its name."""
    import importlib

    from django.template import library, loader_tags

    def timed(function, name: str):
        def wrapper(*args, **kwargs):
            started = time.thread_time()
            try:
                return function(*args, **kwargs)
            finally:
                spent[name] = spent.get(name, 0.0) + time.thread_time() - started

        return wrapper

    for module_name, dotted in TIMED:
        owner = importlib.import_module(module_name)
        *path, attribute = dotted.split(".")
        for step in path:
            owner = getattr(owner, step)
        setattr(owner, attribute, timed(getattr(owner, attribute), dotted))

    def timed_node(node_class, label) -> None:
        render = node_class.render

        def wrapper(self, context):
            started = time.thread_time()
            try:
                return render(self, context)
            finally:
                name = f"  in render: {label(self)}"
                spent[name] = spent.get(name, 0.0) + time.thread_time() - started

        node_class.render = wrapper

    timed_node(loader_tags.IncludeNode, lambda node: f"include {node.template.var}")
    timed_node(library.InclusionNode, lambda node: f"{{% {node.func.__name__} %}}")
    timed_node(library.SimpleNode, lambda node: f"{{% {node.func.__name__} %}}")


def environ_for(path: str, headers: dict[str, str]) -> dict:
    from django.test.client import FakePayload

    raw_path, _, query = path.partition("?")
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": raw_path,
        "QUERY_STRING": query,
        "SCRIPT_NAME": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "127.0.0.1",
        "HTTP_ACCEPT_ENCODING": "gzip",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": FakePayload(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    for name, value in headers.items():
        environ["HTTP_" + name.upper().replace("-", "_")] = value
    return environ


def serve(application, path: str, headers: dict[str, str]) -> int:
    """One request through the WSGI handler, its body read to the end; the status code."""
    statuses = []

    def start_response(status: str, response_headers: list, exc_info=None) -> None:
        statuses.append(int(status.split()[0]))

    body = application(environ_for(path, headers), start_response)
    try:
        for _chunk in body:
            pass
    finally:
        if hasattr(body, "close"):
            body.close()
    return statuses[0]


def rows_of(urls: int, rng: random.Random) -> list[tuple[str, list[str], dict]]:
    vocab = mixes.vocabulary()
    listings = mixes.paths(mixes.listing_queries(vocab, 2 * urls, rng))
    return [
        ("/healthz", ["/healthz"] * urls, {}),
        ("listing, distinct mixes", listings[:urls], {}),
        ("six filters near a ZIP", mixes.paths(mixes.six_filter_queries(vocab, urls, rng)), {}),
        ("htmx fragment, other mixes", listings[urls:], {"HX-Request": "true"}),
        ("center page, distinct", mixes.detail_paths(vocab, urls, rng), {}),
    ]


def split(profiler: cProfile.Profile, requests: int, top: int) -> str:
    stats = pstats.Stats(profiler)
    entries = stats.stats
    total = sum(entry[2] for entry in entries.values())
    lines = [f"    whole request{'':20} {total / requests * 1000:7.2f} ms"]
    for label, path_part, function in PARTS:
        cumulative = max(
            (entry[3] for (path, _, name), entry in entries.items()
             if path_part in path and name == function),
            default=0.0,
        )  # fmt: skip
        if cumulative:
            lines.append(f"    {label:32} {cumulative / requests * 1000:7.2f} ms")
    out = io.StringIO()
    stats.stream = out
    stats.sort_stats("tottime").print_stats(top)
    body = out.getvalue().split("\n")
    start = next(i for i, line in enumerate(body) if "ncalls" in line)
    lines += ["    " + line for line in body[start:] if line.strip()]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", choices=sorted(dataset.SCALES), default="18k")
    parser.add_argument("--database-url", help="default: the --scale data set's database")
    parser.add_argument("--urls", type=int, default=400, help="distinct URLs per row")
    parser.add_argument("--seed", type=int, help="which URLs (default: new each run)")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument(
        "--rows", help="only the rows whose label holds this text (and /healthz, the yardstick)"
    )
    parser.add_argument("--profile", action="store_true", help="split each row's time")
    parser.add_argument("--parts", action="store_true", help="time the main parts of each row")
    args = parser.parse_args()

    dataset.prepare(args.database_url or dataset.database_url(args.scale))
    os.environ["ALLOWED_HOSTS"] = "127.0.0.1"
    os.environ.pop("DEBUG", None)
    os.environ.pop("REDIS_URL", None)
    # The shipped static storage (hashed names from a manifest), as gunicorn serves with.
    static_root = TemporaryDirectory()
    os.environ["STATIC_ROOT"] = static_root.name
    import django

    django.setup()
    from django.core.management import call_command

    call_command("collectstatic", "--noinput", verbosity=0)
    from django.core.cache import caches
    from django.core.wsgi import get_wsgi_application
    from django.db import connection

    from centers.catalog_index import current_index
    from centers.locator import draw_every_state

    centers = dataset.build(scale=args.scale)
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(10**6)
    rows = rows_of(args.urls, random.Random(seed))
    if args.rows:
        rows = [row for row in rows if row[0] == "/healthz" or args.rows in row[0]]
    warnings.filterwarnings("ignore", message="No directory at")
    application = get_wsgi_application()
    current_index()  # built by gunicorn's master before the fork, as are the locator's states
    draw_every_state()
    for _label, paths, headers in rows:  # code loaded, connections open, ZIP table read
        serve(application, paths[-1], headers)
    caches["fragments"].clear()

    spent: dict[str, float] = {}
    if args.parts:
        time_parts(spent)
    print(f"{centers:,} centers; {args.urls} distinct URLs a row; seed {seed}; card cache empty")
    print(f"load average before: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    columns = ("median ms", "mean ms", "CPU ms", "% healthz", "queries")
    print(f"{'row':30}" + "".join(f"{column:>10}" for column in columns))
    healthz_cpu = None
    for label, paths, headers in rows:
        timings, cpu = [], []
        # Counted by a wrapper: the request_started signal empties connection.queries.
        queries: list[str] = []
        with connection.execute_wrapper(
            lambda run, sql, *rest, seen=queries: seen.append(sql) or run(sql, *rest)
        ):
            serve(application, paths[0], headers)
        # Timed by this thread's CPU clock, so other load on the machine does not count.
        profiler = cProfile.Profile(time.thread_time) if args.profile else None
        spent.clear()
        for path in paths:
            started, started_cpu = time.perf_counter(), time.thread_time()
            if profiler:
                profiler.enable()
            status = serve(application, path, headers)
            if profiler:
                profiler.disable()
            timings.append((time.perf_counter() - started) * 1000)
            cpu.append((time.thread_time() - started_cpu) * 1000)
            assert status == 200, (path, status)
        mean_cpu = statistics.mean(cpu)
        healthz_cpu = healthz_cpu or mean_cpu
        print(
            f"{label:30}{statistics.median(timings):10.2f}{statistics.mean(timings):10.2f}"
            f"{mean_cpu:10.2f}{healthz_cpu / mean_cpu:10.1%}{len(queries):>10}"
        )
        if profiler:
            print(split(profiler, len(paths), args.top))
        for name, seconds in sorted(spent.items(), key=lambda item: -item[1]):
            if seconds / len(paths) >= 0.00002:
                print(f"    {name:58} {seconds / len(paths) * 1000:7.2f} ms")
    print(f"load average after: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")


if __name__ == "__main__":
    main()
