"""Settings come from the environment, with safe defaults."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def only(**env) -> dict[str, str]:
    """This process's environment without any Django or database variable, plus ``env``."""
    clean = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_"))
    }
    return {**clean, **env}


def settings_with(**env) -> subprocess.CompletedProcess:
    """Import the settings in a fresh interpreter with only ``env`` set."""
    code = (
        "import json; from axisfinder import settings as s; "
        "print(json.dumps({'debug': s.DEBUG, 'hosts': s.ALLOWED_HOSTS, "
        "'ssl': s.SECURE_SSL_REDIRECT, 'hsts': s.SECURE_HSTS_SECONDS, "
        "'secure_cookies': s.SESSION_COOKIE_SECURE and s.CSRF_COOKIE_SECURE, "
        "'engine': s.DATABASES['default']['ENGINE']}))"
    )
    return subprocess.run(
        [sys.executable, "-c", code], env=only(**env), cwd=ROOT, capture_output=True, text=True
    )


def test_debug_is_off_when_unset_and_then_a_secret_key_is_required():
    result = settings_with()
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is required when DJANGO_DEBUG is off" in result.stderr


def test_allowed_hosts_are_required_when_debug_is_off():
    result = settings_with(DJANGO_SECRET_KEY="s")
    assert "DJANGO_ALLOWED_HOSTS is required when DJANGO_DEBUG is off" in result.stderr


def test_production_defaults_are_secure():
    result = settings_with(DJANGO_SECRET_KEY="s", DJANGO_ALLOWED_HOSTS="outlets.example.id")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        '{"debug": false, "hosts": ["outlets.example.id"], "ssl": true, "hsts": 31536000, '
        '"secure_cookies": true, "engine": "django.db.backends.sqlite3"}'
    )


def test_debug_needs_no_secret_and_relaxes_https():
    result = settings_with(DJANGO_DEBUG="1")
    assert result.returncode == 0, result.stderr
    assert '"debug": true' in result.stdout and '"ssl": false' in result.stdout


def test_database_url_selects_postgresql():
    result = settings_with(DJANGO_DEBUG="true", DATABASE_URL="postgres://u:p@db:5432/axis")
    assert '"engine": "django.db.backends.postgresql"' in result.stdout


@pytest.mark.parametrize("value", ["maybe", "2"])
def test_an_unreadable_debug_flag_is_an_error(value):
    result = settings_with(DJANGO_DEBUG=value)
    assert "DJANGO_DEBUG must be 1/true or 0/false" in result.stderr


def test_manage_py_without_the_secret_key_stops_in_one_line_not_a_traceback():
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        env=only(DJANGO_DEBUG="0"),
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    assert result.stderr == (
        "manage.py: DJANGO_SECRET_KEY is required when DJANGO_DEBUG is off "
        "(for a development clone: DJANGO_DEBUG=1 python manage.py ...)\n"
    )


def production(**env) -> dict[str, str]:
    """The environment of a production server: debug off, a long random key, its hosts."""
    return only(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="outlets.example.id",
        **env,
    )


def deploy_check(env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )


def test_the_deploy_checks_find_nothing_under_production_settings():
    result = deploy_check(production())
    assert result.returncode == 0, result.stderr
    # security.W021 (no HSTS preload) is the one check silenced, by choice (settings).
    assert result.stdout.strip() == "System check identified no issues (1 silenced)."


def test_hsts_preload_is_opt_in_and_then_nothing_is_silenced():
    result = deploy_check(production(DJANGO_HSTS_PRELOAD="1"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."


def policy_with(**env) -> subprocess.CompletedProcess:
    code = (
        "import json; from axisfinder import settings as s; "
        "print(json.dumps({'preload': s.SECURE_HSTS_PRELOAD, "
        "'img': s.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src']}))"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        env=production(**env),
        cwd=ROOT,
        capture_output=True,
        text=True,
    )


def test_hsts_preload_is_off_unless_asked():
    assert '"preload": false' in policy_with().stdout
    assert '"preload": true' in policy_with(DJANGO_HSTS_PRELOAD="yes").stdout


def test_the_policy_allows_images_from_the_tile_server_the_maps_use():
    result = policy_with(MAP_TILES_URL="https://{s}.tiles.example.id/{z}/{x}/{y}.png")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        '{"preload": false, "img": ["\'self\'", "data:", "https://a.tiles.example.id", '
        '"https://b.tiles.example.id", "https://c.tiles.example.id"]}'
    )


def test_a_tile_url_the_policy_cannot_express_stops_the_settings():
    result = policy_with(MAP_TILES_URL="https://{z}.tiles.example.id/{x}/{y}.png")
    assert "MAP_TILES_URL must be an http(s) URL" in result.stderr
