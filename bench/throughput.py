"""Benchmark: requests per second of the national listing and center page, as shares of /healthz.

    .venv/bin/python bench/throughput.py [--scale 12k|18k|100k] [--database-url URL]
                                         [--seconds 8] [--connections 4] [--urls 3000]
                                         [--seed N] [--redis-url URL] [--warm-up 0]
                                         [--floor]

Serves the ``--scale`` data set (``bench/dataset.py``, built first if its database is empty)
with gunicorn and the shipped config (``directory/gunicorn.conf.py``: its workers, timeouts and
access log), ``DEBUG`` off and collected static files, bound to 127.0.0.1 only, and drives it
with ``wrk`` (``apt-get install -y wrk``; ``-t2``, ``--connections``, ``--seconds`` a row, gzip
accepted). Side by side in one run: /healthz (before and after, averaged), the listing over
distinct filter mixes, six filters near distinct ZIPs, the htmx fragment of mixes of the same
kind, and distinct center pages. For each: requests/s, wrk's p50/p95/p99 latency, the share of
/healthz, the goal of issue 11 it is held to, and the queries one such page runs (in process).
The load average is printed before and after, and for each row the CPU time per request of
gunicorn (its master and workers, including workers that were replaced during the row) and of
PostgreSQL (every process of the server, so other databases' work on a shared machine too),
read from ``/proc``: where the machine's time went, with no profiler in the way.

No row measures a warm cache. ``bench/walk.lua`` makes every request take the next URL of its
row's list, and every listing URL has a filter state of its own (``bench/mixes.py``); the lists
are drawn anew each run from a random seed (printed; ``--seed`` repeats a run), and are longer
than wrk gets through, which is checked. The cards each worker keeps rendered (the
``fragments`` cache, in its memory) start empty at each start of gunicorn; the catalog index
is built by gunicorn's master before the fork, as in production. ``--redis-url`` gives the
site Redis as its shared cache (rate limits), as in production; without it each worker counts
in its own memory.

By default the rows start on workers that have served only a few warm-up URLs: the first row
(the listing) then also pays for each worker's first statements, skeletons and stencils, which
a long-running server pays once. ``--warm-up N`` first walks other URLs of every row for N
seconds each, as wrk does (so every worker gets some), drawn after the measured ones from the
same seed: the measured URLs stay the same and still unseen, and the workers are as they would
be after some traffic (their cards of the centers those URLs showed included).

``--floor`` serves the site from ``bench/floor.py`` and adds two rows: the listing's and the
center page's URLs again, read as those pages read them and answered with markup kept from
their first page, which costs nothing to make. What the real rows lose to them is the cost of
making the markup; what they reach themselves is the most any rendering could reach.
"""

import argparse
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
import warnings
from pathlib import Path
from tempfile import TemporaryDirectory

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import dataset, mixes  # noqa: E402 - needs ROOT on the path

WALK = Path(__file__).with_name("walk.lua")
THREADS = 2
WALK_LINE = re.compile(r"WALK (.*)")
HTMX = {"HX-Request": "true"}
TIMEOUT_SECONDS = 20


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wrk(base: str, paths: list[str], *, seconds: int, connections: int, headers: dict) -> dict:
    """Requests/s, latency percentiles (ms) and errors of ``paths`` walked for ``seconds``."""
    with TemporaryDirectory() as folder:
        listing = Path(folder, "paths.txt")
        listing.write_text("\n".join(paths) + "\n")
        command = ["wrk", f"-t{THREADS}", f"-c{connections}", f"-d{seconds}s", "--latency"]
        # wrk drops answers slower than its timeout (2 s) from the latencies: keep them all.
        command += ["--timeout", f"{TIMEOUT_SECONDS}s"]
        command += ["-H", "Accept-Encoding: gzip", "-s", str(WALK)]
        for name, value in headers.items():
            command += ["-H", f"{name}: {value}"]
        output = subprocess.run(
            [*command, base + "/", "--", str(listing), str(THREADS)],
            capture_output=True,
            text=True,
            timeout=seconds + 60,
            check=True,
        ).stdout
    figures = dict(pair.split("=") for pair in WALK_LINE.search(output).group(1).split())
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    result = {"rate": rate, "requests": int(figures["requests"]), "distinct": len(set(paths))}
    for name in ("p50", "p95", "p99"):
        result[name] = int(figures[name]) / 1000  # wrk reports microseconds
    result["status_errors"] = int(figures["status_errors"])
    result["socket_errors"] = int(figures["socket_errors"])
    return result


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(master: int) -> dict[str, float]:
    """CPU seconds so far of the app, gunicorn (the ``master`` process, its workers, and the
    workers it has reaped, which its children's times hold), and of the database, every
    PostgreSQL process."""
    spent = {"app": 0.0, "database": 0.0}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # it exited meanwhile
            continue
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2 :].split()
        parent, own, children = int(fields[1]), fields[11:13], fields[13:15]
        pid = int(entry.name)
        if pid == master:
            spent["app"] += sum(map(int, own + children)) / CLOCK_TICKS
        elif parent == master:
            spent["app"] += sum(map(int, own)) / CLOCK_TICKS
        elif name.startswith("postgres"):
            # The postmaster's children's times hold the backends that closed.
            spent["database"] += sum(map(int, own + children)) / CLOCK_TICKS
    return spent


def measured(master: int, base: str, paths: list[str], **options) -> dict:
    """``wrk``'s figures for ``paths``, with the CPU milliseconds per request it cost."""
    before = cpu_seconds(master)
    result = wrk(base, paths, **options)
    after = cpu_seconds(master)
    for kind in before:
        result[f"{kind} ms"] = (after[kind] - before[kind]) * 1000 / max(result["requests"], 1)
    return result


def queries_of(path: str, headers: dict) -> int:
    """How many SQL queries one request of ``path`` runs, in process, its index built."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    from centers.catalog_index import current_index

    current_index()  # built once per catalog version, not per request: not counted here
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with (
        override_settings(ALLOWED_HOSTS=["testserver"], STORAGES=storages),
        CaptureQueriesContext(connection) as queries,
        warnings.catch_warnings(),
    ):
        # This process serves nothing static: WhiteNoise's warning about STATIC_ROOT is noise.
        warnings.filterwarnings("ignore", message="No directory at")
        response = Client().get(path, headers=headers)
    assert response.status_code == 200, (path, response.status_code)
    return len(queries)


def server_env(url: str, static_root: str, port: int, redis_url: str | None) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        DATABASE_URL=url,
        SECRET_KEY=os.environ.get("SECRET_KEY", "bench-only-secret-key"),
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_COOKIES="0",
        STATIC_ROOT=static_root,
        BIND=f"127.0.0.1:{port}",
        LOG_LEVEL="WARNING",
    )
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


def wait_for(base: str, server: subprocess.Popen) -> None:
    for _ in range(150):
        if server.poll() is not None:
            sys.exit("gunicorn stopped before answering")
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=5):
                return
        except OSError:
            time.sleep(0.2)
    sys.exit("gunicorn did not answer /healthz within 30 s")


def warm_up(base: str, paths: list[str]) -> None:
    """Load every worker's code and ZIP data before measuring, on URLs no row uses."""
    for path in paths:
        with urllib.request.urlopen(base + path, timeout=30) as response:
            response.read()


def unseen(paths: list[str], measured: list[str]) -> list[str]:
    """``paths`` without the ones a row measures."""
    skip = set(measured)
    return [path for path in paths if path not in skip]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", choices=sorted(dataset.SCALES), default="18k")
    parser.add_argument("--database-url", help="default: the --scale data set's database")
    parser.add_argument("--seconds", type=int, default=8, help="per row")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--urls", type=int, default=3000, help="distinct URLs per row")
    parser.add_argument("--seed", type=int, help="which URLs (default: new each run)")
    parser.add_argument("--redis-url", help="the site's shared cache (default: none, memory)")
    parser.add_argument(
        "--warm-up", type=int, default=0, help="seconds of other URLs a row first (default: 0)"
    )
    parser.add_argument(
        "--floor",
        action="store_true",
        help="add the pages' reads with free markup (bench/floor.py)",
    )
    args = parser.parse_args()
    if not 1 <= args.seconds <= 60 or not 1 <= args.connections <= 32:
        sys.exit("--seconds must be 1..60 and --connections 1..32: this machine is shared")
    if not 0 <= args.warm_up <= 60:
        sys.exit("--warm-up must be 0..60 seconds")

    url = args.database_url or dataset.database_url(args.scale)
    dataset.prepare(url)
    import django

    django.setup()
    centers = dataset.build(scale=args.scale)
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(10**6)
    rng = random.Random(seed)
    vocab = mixes.vocabulary()
    listings = mixes.paths(mixes.listing_queries(vocab, 2 * args.urls + 8, rng))
    six = mixes.paths(mixes.six_filter_queries(vocab, args.urls + 8, rng))
    details = mixes.detail_paths(vocab, args.urls + 8, rng)
    # Drawn after the measured URLs, so that --warm-up changes none of them; set apart from them.
    warming = (
        [
            unseen(mixes.paths(mixes.listing_queries(vocab, 2 * args.urls, rng)), listings),
            unseen(mixes.paths(mixes.six_filter_queries(vocab, args.urls, rng)), six),
            unseen(mixes.detail_paths(vocab, args.urls, rng), details),
        ]
        if args.warm_up
        else []
    )
    # Each list's first eight are the warm-up's; the fragment walks mixes of its own.
    rows = [
        ("listing, distinct mixes", listings[8 : args.urls + 8], {}, ">= 25%, p95 <= 40 ms"),
        ("six filters near a ZIP", six[8:], {}, ">= 15%"),
        ("htmx fragment, other mixes", listings[args.urls + 8 :], HTMX, ">= the listing's rate"),
        ("center page, distinct", details[8:], {}, ">= 30%, <= 5 queries"),
    ]
    # Counted on warm-up URLs of each row, so no measured URL has been asked before.
    samples = [listings[0], six[0], listings[1], details[0]]
    if args.floor:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="No directory at")  # serves no files here
            import bench.floor  # noqa: F401 - its URLs, here too, for counting their queries

        rows += [
            ("listing, free markup", [f"/floor{p}" for p in rows[0][1]], {}, "its ceiling"),
            ("center page, free markup", [f"/floor{p}" for p in rows[3][1]], {}, "its ceiling"),
        ]
        for first in (listings[0], details[0]):  # renders the markup they keep
            queries_of(f"/floor{first}", {})
        samples += [f"/floor{listings[2]}", f"/floor{details[1]}"]
    queries = {
        label: queries_of(sample, headers)
        for (label, _, headers, _), sample in zip(rows, samples, strict=True)
    }

    load_before = os.getloadavg()
    measure = {"seconds": args.seconds, "connections": args.connections}
    with TemporaryDirectory() as static_root:
        port = free_port()
        env = server_env(url, static_root, port, args.redis_url)
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=ROOT,
            env=env,
            check=True,
        )
        gunicorn = [sys.executable, "-m", "gunicorn", "-c", "directory/gunicorn.conf.py"]
        server = subprocess.Popen(
            [*gunicorn, "bench.floor" if args.floor else "directory.wsgi"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            wait_for(base, server)
            warm_up(base, listings[:8] + six[:8] + details[:8])
            if args.floor:
                warm_up(base, [f"/floor{p}" for p in listings[:8] + details[:8]])
            for paths in warming:
                wrk(base, paths, headers={}, seconds=args.warm_up, connections=args.connections)
            before = measured(server.pid, base, ["/healthz"], headers={}, **measure)
            results = [
                (label, goal, measured(server.pid, base, paths, headers=headers, **measure))
                for label, paths, headers, goal in rows
            ]
            after = measured(server.pid, base, ["/healthz"], headers={}, **measure)
        finally:
            server.terminate()
            server.wait(timeout=30)
    report(centers, seed, args, before, after, results, queries, load_before)


def report(centers, seed, args, before, after, results, queries, load_before) -> None:
    healthz = statistics.mean([before["rate"], after["rate"]])
    workers = os.environ.get("WEB_CONCURRENCY") or f"{2 * (os.cpu_count() or 1)} (2 per core)"
    cards = (
        f"filled by {args.warm_up} s a kind of page of other URLs first"
        if args.warm_up
        else "empty at start"
    )
    print(
        f"{centers:,} centers; gunicorn {workers} workers; wrk -t{THREADS} "
        f"-c{args.connections} -d{args.seconds}s a row; URLs seed {seed}; "
        f"card cache per worker, {cards}; {'Redis' if args.redis_url else 'no Redis'}"
    )
    cpu = " and ".join(
        f"{kind} {statistics.mean([before[f'{kind} ms'], after[f'{kind} ms']]):.2f}"
        for kind in ("app", "database")
    )
    print(
        f"/healthz: {before['rate']:,.0f} then {after['rate']:,.0f} req/s; CPU ms a request: {cpu}"
    )
    header = ("req/s", "% healthz", "p50 ms", "p95 ms", "p99 ms", "queries", "requests")
    header += ("CPU: app", "database")
    print(f"{'row':28}" + "".join(f"{name:>10}" for name in header) + "  goal")
    for label, goal, result in results:
        share = result["rate"] / healthz
        print(
            f"{label:28}{result['rate']:10.1f}{share:10.1%}{result['p50']:10.1f}"
            f"{result['p95']:10.1f}{result['p99']:10.1f}{queries[label]:>10}"
            f"{result['requests']:>10}{result['app ms']:10.2f}{result['database ms']:10.2f}"
            f"  {goal}"
        )
        if result["requests"] > result["distinct"]:
            repeated = f"{result['requests']} requests over {result['distinct']} URLs"
            print(f"  NOTE: {repeated}: some were repeated (raise --urls)")
        if result["status_errors"] or result["socket_errors"]:
            print(
                f"  NOTE: {result['status_errors']} answers of 400 or more, "
                f"{result['socket_errors']} socket errors or timeouts"
            )
    loads = " ".join(f"{value:.2f}" for value in load_before)
    print(f"load average before: {loads}; after: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    print("CPU: ms per request of gunicorn's processes (app) and PostgreSQL's (database)")


if __name__ == "__main__":
    main()
