"""Benchmark: memory of each gunicorn worker once it has answered a distance search, three ways.

    .venv/bin/python bench/worker_memory.py [--scale 12k|18k|100k] [--database-url URL]

The ZIP centroids (the ``zipcodes`` package's native table, loaded on the first lookup) cost
each worker tens of MB. This starts gunicorn on the ``--scale`` data set five times and, after
a few dozen ``near=`` listings spread over the workers (four at a time), reads each worker's
``/proc/PID/smaps_rollup``:

- ``no preload``: ``preload_app = False``, the app loaded in every worker;
- ``preload``: ``preload_app = True``, loaded once in the master, then forked;
- ``preload+zips``: also the ZIP table read in the master before the fork, so it is inherited;
- ``preload+zips+freeze``: also ``gc.freeze()`` there, so the workers' garbage collector leaves
  the inherited objects' pages unwritten;
- ``shipped``: ``directory/gunicorn.conf.py`` as it is.

RSS counts shared pages in every process that maps them, so it hardly moves; PSS (shared pages
split between the processes sharing them) and private memory show what forking saves. Totals
include the master. The variants are small configs that load the shipped one, then override it.
"""

import argparse
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from tempfile import TemporaryDirectory

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import dataset  # noqa: E402 - needs ROOT on the path
from bench.throughput import free_port, server_env, wait_for  # noqa: E402

SHIPPED = ROOT / "directory/gunicorn.conf.py"
NO_HOOK = "\n\ndef when_ready(server):\n    pass\n"
HOOK = "\n\ndef when_ready(server):\n    import gc\n\n    from centers import geo\n\n"
VARIANTS = {
    "no preload": "preload_app = False\n" + NO_HOOK,
    "preload": "preload_app = True\n" + NO_HOOK,
    "preload+zips": "preload_app = True\n" + HOOK + "    geo.load_zip_table()\n",
    "preload+zips+freeze": (
        "preload_app = True\n" + HOOK + "    geo.load_zip_table()\n    gc.freeze()\n"
    ),
    "shipped": "",
}
NEAR = [
    "10001", "60601", "94103", "30303", "77002", "98101", "02108", "85004",
    "33130", "80202", "19103", "48226", "55401", "63101", "97204", "37203",
    "70112", "84101", "89101", "64106", "27601", "43215", "46204", "53202",
]  # fmt: skip


def children(pid: int) -> list[int]:
    text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    return [int(child) for child in text.split()]


def memory(pid: int) -> dict[str, int]:
    """Rss, Pss and private memory of a process, in MB."""
    text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    kb = {name: int(value) for name, value in re.findall(r"^(\w+):\s+(\d+) kB", text, re.M)}
    private = kb["Private_Clean"] + kb["Private_Dirty"]
    return {"rss": kb["Rss"] // 1024, "pss": kb["Pss"] // 1024, "private": private // 1024}


def measure(variant: str, config_text: str, url: str, folder: Path) -> None:
    import urllib.request

    config = folder / f"{variant}.conf.py"
    config.write_text(f"exec(open({str(SHIPPED)!r}).read())\n\n" + config_text)
    port = free_port()
    static = folder / f"static-{variant}"
    env = server_env(url, str(static), port, None)
    collect = [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"]
    subprocess.run(collect, cwd=ROOT, env=env, check=True)
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(config), "directory.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"

    def get(code: str) -> None:
        with urllib.request.urlopen(f"{base}/centers/?near={code}&radius=25", timeout=60) as r:
            r.read()

    try:
        wait_for(base, server)
        with ThreadPoolExecutor(4) as pool:
            list(pool.map(get, NEAR))
        workers = [memory(pid) for pid in children(server.pid)]
        master = memory(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)
    each = " ".join(f"{w['rss']}/{w['pss']}/{w['private']}" for w in workers)
    total_pss = master["pss"] + sum(w["pss"] for w in workers)
    print(
        f"{variant:22} workers rss/pss/private MB: {each}; master rss {master['rss']} "
        f"pss {master['pss']}; total PSS {total_pss} MB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", choices=sorted(dataset.SCALES), default="18k")
    parser.add_argument("--database-url", help="default: the --scale data set's database")
    args = parser.parse_args()
    url = args.database_url or dataset.database_url(args.scale)
    dataset.prepare(url)
    import django

    django.setup()
    dataset.build(scale=args.scale)
    with TemporaryDirectory() as folder:
        for variant, config_text in VARIANTS.items():
            measure(variant, config_text, url, Path(folder))
    print("load average:", " ".join(f"{value:.2f}" for value in os.getloadavg()))


if __name__ == "__main__":
    main()
