"""SECRET_KEY is required to serve, not to run commands that sign nothing."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from helplines.models import hash_caller

ROOT = Path(__file__).resolve().parents[1]


def run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("SECRET_KEY", "DEBUG", "DJANGO_SETTINGS_MODULE")
    }
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_commands_that_sign_nothing_run_without_a_secret_key(tmp_path):
    result = run(tmp_path, "manage.py", "makemigrations", "--check", "--dry-run")
    assert result.returncode == 0, result.stderr


def test_the_site_refuses_to_serve_without_a_secret_key(tmp_path):
    result = run(tmp_path, "-c", "import directory.wsgi")
    assert result.returncode != 0
    assert "The SECRET_KEY setting must not be empty" in result.stderr


def test_callers_are_never_hashed_without_a_key(settings):
    settings.CALLER_HASH_KEY = ""
    with pytest.raises(ImproperlyConfigured):
        hash_caller("+12025550147")
