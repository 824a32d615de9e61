"""Development: one machine, SQLite, no Redis, mail to the console."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env("SECRET_KEY", default="dev-only-not-secret-ustaz-4f9c2d7e1b8a")
USTAZ_DEMO_MODE = env.bool("USTAZ_DEMO_MODE", default=True)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
