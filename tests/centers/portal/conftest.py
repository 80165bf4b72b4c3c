"""A local fake of Twilio's REST API, real HTTP on 127.0.0.1, and the people of the portal."""

import json
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from centers.models import CenterManager

ACCOUNT_SID = "AC" + "0" * 32
AUTH_TOKEN = "fake-twilio-auth-token"
CALLER_ID = "+12025550100"
CODE_IN_TWIML = re.compile(r"((?:\d, ){5}\d)")


@dataclass
class FakeTwilio:
    """What the fake received; ``fail_with`` makes it answer every call with that status."""

    url: str = ""
    calls: list[dict[str, str]] = field(default_factory=list)
    auth: list[str] = field(default_factory=list)
    fail_with: int | None = None

    def codes(self) -> list[str]:
        """The code each call's TwiML read out (the first reading)."""
        return [CODE_IN_TWIML.search(c["Twiml"]).group(1).replace(", ", "") for c in self.calls]


def _handler(fake: FakeTwilio) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's name
            length = int(self.headers.get("Content-Length", 0))
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            if self.path != f"/2010-04-01/Accounts/{ACCOUNT_SID}/Calls.json":
                return self._answer(404, {"code": 20404, "message": "not found", "status": 404})
            if fake.fail_with is not None:
                return self._answer(
                    fake.fail_with,
                    {"code": 21210, "message": "Caller id not verified", "status": fake.fail_with},
                )
            fake.calls.append(form)
            fake.auth.append(self.headers.get("Authorization", ""))
            sid = f"CA{len(fake.calls):032d}"
            return self._answer(
                201, {"sid": sid, "account_sid": ACCOUNT_SID, "to": form.get("To"),
                      "from": form.get("From"), "status": "queued"},
            )  # fmt: skip

        def _answer(self, status: int, body: dict) -> None:
            payload = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args: object) -> None:
            pass

    return Handler


@pytest.fixture
def fake_twilio(settings) -> FakeTwilio:
    """Twilio's REST API on a local port; the site's settings point at it."""
    fake = FakeTwilio()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    fake.url = f"http://127.0.0.1:{server.server_port}"
    settings.TWILIO_API_BASE_URL = fake.url
    settings.TWILIO_ACCOUNT_SID = ACCOUNT_SID
    settings.TWILIO_AUTH_TOKEN = AUTH_TOKEN
    settings.CLAIM_CALLER_ID = CALLER_ID
    settings.SITE_URL = "https://directory.example"
    yield fake
    server.shutdown()
    server.server_close()


@pytest.fixture(autouse=True)
def fresh_limits():
    """Each test starts with empty rate-limit counts."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def make_manager(center, *, email: str | None = None, language: str = "en") -> CenterManager:
    users = get_user_model()
    email = email or f"manager{users.objects.count() + 1}@center.example"
    user, _ = users.objects.get_or_create(username=email, defaults={"email": email})
    return CenterManager.objects.create(user=user, center=center, role="Intake", language=language)


def sign_in_link(message: mail.EmailMessage) -> str:
    """The path and query of the sign-in link in an email."""
    match = re.search(r"https?://[^/\s]+(/\S*sign-in/link/\S*)", message.body)
    assert match, message.body
    return match.group(1)
