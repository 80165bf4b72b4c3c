"""Benchmark what a CDN saves: a cacheable page, the visitor fragment and /healthz side by side.

    .venv/bin/python bench/shared_pages.py [--seconds 8] [--connections 4]

Serves the demo data (``load_demo``) from its own database (``dir_shared_bench`` unless
DATABASE_URL says otherwise, created, migrated and filled on first use) with gunicorn, 2 workers,
``DEBUG`` off, and drives it with ``wrk`` (``apt-get install -y wrk``), gzip accepted. Prints, per
URL, requests per second and the share of /healthz (measured before and after, averaged), the
bytes on the wire plain and gzipped, and the Cache-Control a CDN would see. The figures feed
the cost table in the README's "Deploying"; the load average is printed with them.
"""

import argparse
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from tempfile import TemporaryDirectory

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import listing as bench_listing  # noqa: E402 - needs ROOT on the path

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/dir_shared_bench")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1")
os.environ.setdefault("SECURE_COOKIES", "0")
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "directory.settings")
os.environ.setdefault("DATABASE_CONN_MAX_AGE", "600")
os.environ.pop("DEBUG", None)


def ensure_database() -> None:
    bench_listing.ensure_database(os.environ["DATABASE_URL"])


def manage(*args: str, env: dict[str, str]) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str, headers: dict[str, str] | None = None) -> tuple[bytes, dict[str, str]]:
    request = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.read(), dict(response.headers)


def wrk(url: str, *, seconds: int, connections: int, cookie: str = "") -> float:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "-H", "Accept-Encoding: gzip"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    output = subprocess.run(
        [*command, url], capture_output=True, text=True, timeout=seconds + 30, check=True
    ).stdout
    return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--connections", type=int, default=4)
    options = parser.parse_args()
    ensure_database()
    with TemporaryDirectory() as static_root:
        env = {**os.environ, "STATIC_ROOT": static_root}
        manage("migrate", "--noinput", "-v0", env=env)
        manage("load_demo", env=env)
        manage("collectstatic", "--noinput", "-v0", env=env)
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "directory.wsgi", "-w", "2"]
            + ["-b", f"127.0.0.1:{port}", "--log-level", "warning"],
            cwd=ROOT,
            env=env,
        )
        try:
            run(f"http://127.0.0.1:{port}", options)
        finally:
            server.terminate()
            server.wait(timeout=30)


def run(base: str, options: argparse.Namespace) -> None:
    for _ in range(50):
        try:
            fetch(base + "/healthz")
            break
        except OSError:
            time.sleep(0.2)
    listing, _ = fetch(base + "/centers/")
    slug = re.findall(rb'href="/centers/([a-z0-9-]+)/"', listing)[0].decode()
    urls = [
        ("/centers/", "", "the listing"),
        (f"/centers/{slug}/", "", "a center page"),
        ("/visitor/?next=/centers/", "", "the visitor fragment, empty tray"),
        ("/visitor/?next=/centers/", f"compare={slug}", "the visitor fragment, one center"),
    ]
    measure = {"seconds": options.seconds, "connections": options.connections}
    before = wrk(base + "/healthz", **measure)
    rates = [
        (path, cookie, label, wrk(base + path, cookie=cookie, **measure))
        for path, cookie, label in urls
    ]
    after = wrk(base + "/healthz", **measure)
    healthz = (before + after) / 2
    print(f"/healthz: {before:,.0f} then {after:,.0f} req/s (gunicorn 2 workers, wrk {measure})")
    for path, cookie, label, rate in rates:
        plain, headers = fetch(base + path, {"Cookie": cookie})
        packed, _ = fetch(base + path, {"Accept-Encoding": "gzip", "Cookie": cookie})
        print(
            f"{label}: {rate:,.0f} req/s = {rate / healthz:.1%} of /healthz; "
            f"{len(plain):,} bytes, {len(packed):,} with gzip accepted; "
            f"Cache-Control: {headers.get('Cache-Control')}"
        )
    print("load average:", " ".join(f"{value:.2f}" for value in os.getloadavg()))


if __name__ == "__main__":
    main()
