"""Tests: fast hashing, mail kept in memory, tasks run eagerly unless a test asks
for the real worker."""

from .base import *  # noqa: F403
from .base import env

SECRET_KEY = "test-only-not-secret"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
USTAZ_DEMO_MODE = True
ALLOWED_HOSTS = ["*"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
DATABASES = {"default": env.db("DATABASE_URL", default="sqlite://:memory:")}
# The worker tests wait for a task's result (the count it returns); the worker
# CI starts reads these settings too.
CELERY_RESULT_BACKEND = env("REDIS_URL", default=None)
