"""The site as it is deployed: gunicorn with the shipped config, 2 workers, DEBUG off, PostgreSQL.

One server is started for the module, on the test database loaded with the demo data. It is
checked for what only a real server shows (HEAD, static files' headers, whom gunicorn trusts
with X-Forwarded-Proto) and then fuzzed: thousands of generated GETs and POSTs, public pages,
forms, the open-data API and the webhooks, with hostile values. No answer may be a 5xx.
"""

import http.client
import io
import os
import random
import re
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from twilio.request_validator import RequestValidator

from centers.filters import CenterFilter
from centers.models import CareSetting, Center, TherapyType
from centers.vocabulary import sync_vocabulary

# django_db: without a test that asks for the database, pytest-django would not create it.
pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

AUTH_TOKEN = "live-server-twilio-token"
GETS = 5_000
POSTS = 500
CLIENTS = 4  # concurrent connections: twice the workers, so both stay busy

HOSTILE = [
    "\x00",
    "%00",
    "²",
    "\u202e",
    "😀",
    "a" * 3000,
    "' OR 1=1--",
    '"><script>alert(1)</script>',
    "../../etc/passwd",
    "-1",
    "0",
    "2147483648",
    "99999999999999999999999",
    "1e308",
    "NaN",
    "-inf",
    "%ZZ",
    "",
    " ",
    "\r\nSet-Cookie: x=1",
    "{{7*7}}",
    "sip:" + "a" * 70 + "@example.sip.twilio.com",
    "+15555550100",
    "40.7,-74.0",
    "91,181",
]


# Endpoints whose query parameters are fuzzed one by one with every hostile value, as well as
# at random: the listing's filters are added at run time.
QUERIED = [
    (
        "/locator/listing",
        [
            "sType",
            "sCodes",
            "sAddr",
            "limitType",
            "limitValue",
            "page",
            "pageSize",
            "sort",
            "sLanguages",
        ],
    ),
    (
        "/api/hsds/services",
        [
            "page",
            "per_page",
            "search",
            "taxonomy_term_id",
            "taxonomy_id",
            "organization_id",
            "modified_after",
            "full",
            "minimal",
        ],
    ),
    ("/api/hsds/organizations", ["page", "per_page", "search", "full_service"]),
    ("/api/hsds/service_at_locations", ["postcode", "proximity", "page", "search"]),
    ("/api/hsds/taxonomies", ["page", "search"]),
    ("/api/hsds/taxonomy_terms", ["page", "search", "taxonomy_id", "parent_id", "top_only"]),
]


@dataclass
class Server:
    port: int
    log: Path
    tally: Counter = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)

    def request(
        self,
        method: str,
        path: str,
        *,
        body: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> http.client.HTTPResponse:
        # gunicorn's sync workers close every connection, so each request opens its own.
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        # Header values go as UTF-8 bytes (http.client would refuse anything beyond Latin-1),
        # without line breaks, which no client can put inside a header.
        all_headers = {
            "Host": f"127.0.0.1:{self.port}",
            **{
                name: value.replace("\r", "").replace("\n", "").encode()
                for name, value in (headers or {}).items()
            },
        }
        if body is not None:
            all_headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
        conn.request(method, path, body=body, headers=all_headers)
        response = conn.getresponse()
        response.body = response.read()
        conn.close()
        return response

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url() -> str:
    db = connection.settings_dict
    auth = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        auth += ":" + quote(db["PASSWORD"], safe="")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def start(port: int, log: Path, static_root: Path, **environment: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "DEBUG": "0",
        "SECRET_KEY": "live-server-secret-key-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "2",
        "STATIC_ROOT": str(static_root),
        "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
        "TRUSTED_PROXY_COUNT": "1",
        "LOG_LEVEL": "WARNING",
        **environment,
    }
    for name in ("REDIS_URL", "DATABASE_REPLICA_URL", "BEHIND_TLS_PROXY"):
        if name not in environment:
            env.pop(name, None)
    base = Path(settings.BASE_DIR)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=base,
        env=env,
        check=True,
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "directory/gunicorn.conf.py", "directory.wsgi"],
        cwd=base,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"gunicorn exited:\n{log.read_text()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return process
        except OSError:
            time.sleep(0.2)
    process.terminate()
    pytest.fail(f"gunicorn did not start:\n{log.read_text()}")


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@dataclass
class Slugs:
    centers: list[str]
    therapies: list[str]
    settings: list[str]


@pytest.fixture(scope="module")
def demo_data(django_db_setup, django_db_blocker) -> Iterator[Slugs]:
    """The demo data, committed, so that the server's own connections see it; flushed after."""
    with django_db_blocker.unblock():
        sync_vocabulary(apps.get_model)
        call_command("load_demo", stdout=io.StringIO())
        yield Slugs(
            centers=list(Center.objects.values_list("slug", flat=True)[:200]),
            therapies=list(TherapyType.objects.values_list("slug", flat=True)),
            settings=list(CareSetting.objects.values_list("slug", flat=True)),
        )
        call_command("flush", interactive=False, verbosity=0)
        # Put back what the migrations loaded, in both languages, for the tests that follow.
        sync_vocabulary(apps.get_model)


@pytest.fixture(scope="module")
def server(demo_data, tmp_path_factory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("gunicorn")
    port = free_port()
    log = folder / "gunicorn.log"
    process = start(port, log, folder / "static")
    yield Server(port=port, log=log)
    stop(process)


# --- What only a real server shows ------------------------------------------------------------


def test_healthz_answers_get_and_head(server):
    assert server.request("GET", "/healthz").status == 200
    head = server.request("HEAD", "/healthz")
    assert head.status == 200
    assert head.body == b""


def test_static_files_carry_the_security_headers(server):
    page = server.request("GET", "/").body.decode()
    stylesheet = re.search(r'href="(/static/[^"]+\.css)"', page).group(1)
    response = server.request("GET", stylesheet)
    assert response.status == 200
    assert response.getheader("X-Frame-Options") == "DENY"
    assert response.getheader("X-Content-Type-Options") == "nosniff"
    assert "frame-ancestors 'none'" in response.getheader("Content-Security-Policy")


def signed_webhook(server: Server, *, scheme: str, proto: str | None) -> int:
    """A signed incoming call whose signature covers ``scheme``'s URL; Twilio signs the URL it
    called, so the site only accepts it if it sees the request arrive over that scheme."""
    path = "/helplines/voice/incoming/"
    params = {"CallSid": "CA" + "1" * 32, "To": "+15555550199", "From": "+15555550142"}
    url = f"{scheme}://127.0.0.1:{server.port}{path}"
    headers = {"X-Twilio-Signature": RequestValidator(AUTH_TOKEN).compute_signature(url, params)}
    if proto:
        headers["X-Forwarded-Proto"] = proto
    return server.request("POST", path, body=urlencode(params), headers=headers).status


def test_a_forwarded_proto_from_this_host_is_not_trusted_without_the_proxy_setting(server):
    # gunicorn trusts 127.0.0.1 by default; the shipped config does not unless told to, so a
    # plain request claiming to be HTTPS is still plain.
    assert signed_webhook(server, scheme="https", proto="https") == 403
    assert signed_webhook(server, scheme="http", proto="https") == 200


def test_behind_the_proxy_the_forwarded_proto_is_trusted(demo_data, tmp_path):
    port = free_port()
    process = start(port, tmp_path / "gunicorn.log", tmp_path / "static", BEHIND_TLS_PROXY="1")
    try:
        proxied = Server(port=port, log=tmp_path / "gunicorn.log")
        assert signed_webhook(proxied, scheme="https", proto="https") == 200
    finally:
        stop(process)


# --- The fuzz ---------------------------------------------------------------------------------


class Generator:
    """Seeded request generator over every public URL pattern and the listing's filters."""

    def __init__(self, seed: int, slugs: Slugs) -> None:
        self.random = random.Random(seed)
        self.centers = slugs.centers
        self.therapies = slugs.therapies
        self.settings = slugs.settings
        self.filters = sorted(CenterFilter.base_filters) + ["page", "per_page", "ajax"]

    def value(self, real: list[str] | None = None) -> str:
        roll = self.random.random()
        if real and roll < 0.5:
            return self.random.choice(real)
        if roll < 0.8:
            return self.random.choice(HOSTILE)
        return "".join(
            chr(self.random.randrange(1, 0x2FFF)) for _ in range(self.random.randrange(1, 12))
        )

    def slug(self, real: list[str]) -> str:
        return quote(self.value(real), safe="") or "x"

    def query(self, names: list[str]) -> str:
        pairs = [
            (self.random.choice(names), self.value(self.therapies + self.settings))
            for _ in range(self.random.randrange(0, 6))
        ]
        return "?" + urlencode(pairs) if pairs else ""

    def get(self) -> str:
        r = self.random
        paths = [
            lambda: "/" + self.query(self.filters),
            lambda: "/centers/" + self.query(self.filters),
            lambda: "/centers/map.json" + self.query(self.filters),
            lambda: "/find/" + self.query(self.filters),
            lambda: f"/centers/{self.slug(self.centers)}/",
            lambda: f"/centers/{self.slug(self.centers)}/report/",
            lambda: f"/centers/{self.slug(self.centers)}/callback/",
            lambda: f"/therapies/{self.slug(self.therapies)}/" + self.query(self.filters),
            lambda: f"/care-settings/{self.slug(self.settings)}/",
            lambda: "/compare/" + self.query(["centers", "c", "slug"]),
            lambda: "/visitor/" + self.query(["next"]),
            lambda: "/callback/" + self.query(["advertiser"]),
            lambda: "/where-calls-go/" + self.query(["version"]),
            lambda: "/where-calls-go/history/",
            lambda: f"/where-calls-go/history/{self.slug(['1', '2'])}/",
            lambda: "/guides/inpatient-vs-outpatient/",
            lambda: f"/helplines/call/{self.slug(['general', 'detox'])}/",
            lambda: "/api/",
            lambda: "/api/openapi.json",
            lambda: "/api/hsds/",
            lambda: f"/api/hsds/services/{self.slug(['00000000-0000-0000-0000-000000000000'])}",
            *(lambda path=path, names=names: path + self.query(names) for path, names in QUERIED),
            lambda: "/healthz",
            lambda: "/" + quote(self.value(), safe="/"),
            lambda: "/static/" + quote(self.value(), safe="/"),
            lambda: "/admin/login/" + self.query(["next"]),
        ]
        return r.choice(paths)()

    def every_parameter(self) -> list[str]:
        """Each parameter of each queried endpoint, and each listing filter, with each hostile
        value once: the part of the fuzz that does not leave coverage to chance."""
        endpoints = [*QUERIED, ("/centers/", self.filters)]
        return [
            path + "?" + urlencode({name: value})
            for path, names in endpoints
            for name in names
            for value in HOSTILE
        ]

    def post(self, port: int, csrf: "Csrf") -> tuple[str, str, dict[str, str]]:
        path, body, headers = self._post(port)
        if path.startswith("/helplines/voice/") or path.startswith("/locator/"):
            return path, body, headers
        # Most form posts carry a valid CSRF token and cookie, as a browser's would, so that
        # they reach the form's own handling; the rest show the refusal holds.
        if self.random.random() < 0.9:
            body += "&" + urlencode({"csrfmiddlewaretoken": csrf.token})
            headers["Cookie"] = csrf.cookie
        return path, body, headers

    def _post(self, port: int) -> tuple[str, str, dict[str, str]]:
        r = self.random
        v = self.value
        choice = r.randrange(8)
        if choice == 0:
            fields = {
                "callback-first_name": v(["Sam"]),
                "callback-phone": v(["+12025550123", "202-555-0123"]),
                "callback-best_time": v(["morning", "afternoon", "evening"]),
                "callback-consent": v(["on"]),
                "callback-advertiser": v(["1", "2"]),
                "callback-website": v([""]),
            }
            return "/callback/", urlencode(fields), {}
        if choice == 1:
            fields = {"callback-first_name": v(), "callback-phone": v(["+12025550123"])}
            return f"/centers/{self.slug(self.centers)}/callback/", urlencode(fields), {}
        if choice == 2:
            fields = {
                r.choice(["add", "remove", "clear", "next"]): v(self.centers) for _ in range(3)
            }
            return "/compare/tray/", urlencode(fields), {}
        if choice == 3:
            fields = {
                "kind": v(["disconnected", "closed", "other"]),
                "details": v(),
                "website": v([""]),
            }
            return f"/centers/{self.slug(self.centers)}/report/", urlencode(fields), {}
        if choice == 4:
            fields = {
                name: v(["SA", "MH", "BOTH", "1", "0", "40.7, -74.0", "CBT"])
                for name in [
                    "sType",
                    "sCodes",
                    "sAddr",
                    "limitType",
                    "limitValue",
                    "pageSize",
                    "page",
                ]
            }
            return "/locator/listing", urlencode(fields), {}
        if choice == 5:
            fields = {"username": v(["demo-admin"]), "password": v()}
            return "/admin/login/", urlencode(fields), {}
        # The webhooks: signed (as Twilio's would be) or not.
        path = r.choice(
            [
                "/helplines/voice/incoming/",
                "/helplines/voice/dial-status/?attempt=" + quote(v(["1", "2"])),
                "/helplines/voice/status/",
                "/helplines/voice/whisper/?call="
                + quote(v(["CA" + "1" * 32]))
                + "&attempt="
                + quote(v(["1"])),
            ]
        )
        names = [
            "CallSid",
            "To",
            "From",
            "DialCallStatus",
            "DialCallDuration",
            "CallStatus",
            "CallDuration",
            "DialCallSid",
        ]
        params = {
            name: v(["CA" + "2" * 32, "+15555550199", "completed", "no-answer", "30"])
            for name in names
            if r.random() < 0.8
        }
        headers = {}
        if choice == 6:
            url = f"http://127.0.0.1:{port}{path}"
            headers["X-Twilio-Signature"] = RequestValidator(AUTH_TOKEN).compute_signature(
                url, params
            )
        return path, urlencode(params), headers


@dataclass
class Csrf:
    token: str
    cookie: str


def csrf_from(server: Server) -> Csrf:
    """A CSRF token and its cookie, as static/js/visitor.js gets them for a page's forms."""
    response = server.request("GET", "/visitor/")
    token = re.search(r'id="visitor-token" value="([^"]+)"', response.body.decode()).group(1)
    cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie")).group(0)
    return Csrf(token=token, cookie=cookie)


def client_address(generator: Generator) -> str:
    r = generator.random
    if r.random() < 0.05:
        return generator.value()
    return f"198.51.{r.randrange(256)}.{r.randrange(1, 255)}"


def test_thousands_of_generated_requests_never_get_a_5xx(server, demo_data, capsys):
    generator = Generator(seed=2026, slugs=demo_data)
    requests = [("GET", generator.get(), None, {}) for _ in range(GETS)]
    requests += [("GET", path, None, {}) for path in generator.every_parameter()]
    csrf = csrf_from(server)
    for _ in range(POSTS):
        path, body, headers = generator.post(server.port, csrf)
        requests.append(("POST", path, body, headers))
    generator.random.shuffle(requests)
    origin = f"http://127.0.0.1:{server.port}"
    for _method, _path, _body, headers in requests:
        headers["X-Forwarded-For"] = client_address(generator)
        headers["Origin"] = origin
        if generator.random.random() < 0.2:
            headers["HX-Request"] = "true"

    def send(item: tuple[str, str, str | None, dict[str, str]]) -> tuple[int, str]:
        method, path, body, headers = item
        try:
            return server.request(method, path, body=body, headers=headers).status, path
        except (OSError, http.client.HTTPException) as error:
            return 599, f"{path}: {error!r}"

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        for (method, *_), (status, path) in zip(requests, pool.map(send, requests), strict=True):
            server.tally[(method, status)] += 1
            if status >= 500:
                server.failures.append(f"{method} {status} {path[:200]}")
    elapsed = time.monotonic() - started

    by_status = Counter()
    for (_method, status), count in server.tally.items():
        by_status[status] += count
    summary = (
        f"live fuzz: {len(requests)} requests ({len(requests) - POSTS} GET, {POSTS} POST) in "
        f"{elapsed:.0f} s; "
        f"by status: {dict(sorted(by_status.items()))}; "
        f"by method and status: {dict(sorted(server.tally.items()))}; "
        f"5xx: {len(server.failures)}"
    )
    with capsys.disabled():
        print("\n" + summary)
    assert not server.failures, summary + "\n" + "\n".join(server.failures[:50])
    # Nor may anything have failed behind a 4xx: no traceback, no worker killed for taking too
    # long, in the server's own log.
    log = server.log.read_text()
    assert "Traceback" not in log, log[-5000:]
    assert "WORKER TIMEOUT" not in log, log[-5000:]
