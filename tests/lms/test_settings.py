"""Production settings fail loudly, and pass Django's deployment checks.

Bad input tried: each required variable missing in turn.
"""

import os
import subprocess
import sys

import pytest
from django.conf import settings

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "lms.settings.production",
    "SECRET_KEY": "k" * 20 + "-prod-secret-for-the-check-only-" + "x9" * 10,
    "ALLOWED_HOSTS": "ustaz.example.kz",
    "SITE_URL": "https://ustaz.example.kz",
    "DATABASE_URL": "postgres://ustaz:secret@db.example.kz:5432/ustaz",
    "REDIS_URL": "redis://redis.example.kz:6379/0",
    "EMAIL_URL": "smtp+tls://mailer:secret@smtp.example.kz:587",
    "DEFAULT_FROM_EMAIL": "Ustaz <noreply@ustaz.example.kz>",
}


def run_manage(*args, env):
    # A production-like environment: nothing the test runner itself sets.
    test_only = {*PRODUCTION_ENV, "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in test_only}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    "missing",
    [
        "SECRET_KEY",
        "ALLOWED_HOSTS",
        "SITE_URL",
        "DATABASE_URL",
        "REDIS_URL",
        "EMAIL_URL",
        "DEFAULT_FROM_EMAIL",
    ],
)
def test_missing_variable_stops_start_up_naming_it(missing):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert f"Set the {missing} environment variable" in result.stderr


def test_deployment_checks_pass_without_warnings():
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout
