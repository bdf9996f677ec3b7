"""What the tests that start a real server (gunicorn with production settings) share."""

import os
import secrets
import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MANAGE = [sys.executable, str(ROOT / "manage.py")]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def production_env(base: Path, database_url: str, static_root: Path | None = None) -> dict:
    """The environment of a production-settings server on plain-HTTP loopback, its files under ``base``
    (its static files in ``static_root`` when they are collected already: ``collected_static``)."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "GUNICORN_"))}
    return env | {
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SECURE_COOKIES": "0",
        "DJANGO_STATIC_ROOT": str(static_root or base / "static"),
        "DJANGO_MEDIA_ROOT": str(base / "media"),
        "DATABASE_URL": database_url,
    }


def collect_static(static_root: Path) -> None:
    """``collectstatic`` with production settings (hashed, compressed) into ``static_root``."""
    env = production_env(static_root, "sqlite://:memory:", static_root)
    subprocess.run(MANAGE + ["collectstatic", "--noinput"], cwd=ROOT, env=env, check=True, capture_output=True)
