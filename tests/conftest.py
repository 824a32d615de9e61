"""Shared fixtures. Tests build small data with factories; they never load the
demo data."""

import os

import pytest
from django.conf import settings

from lms.roles import Role
from tests.lms.factories import UserFactory


def pytest_collection_modifyitems(config, items):
    """Worker tests need a real broker: they run where REDIS_URL is set (CI's
    PostgreSQL run starts Redis and a Celery worker); PostgreSQL tests run on
    PostgreSQL. Elsewhere they are deselected, not skipped, so nothing counts
    them as passed; `make test` prints how many."""
    from django.db import connection

    unavailable = set()
    if not os.environ.get("REDIS_URL"):
        unavailable.add("worker")
    if connection.vendor != "postgresql":
        unavailable.add("postgresql")
    selected, deselected = [], []
    for item in items:
        needs = {marker.name for marker in item.iter_markers()} & unavailable
        (deselected if needs else selected).append(item)
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = selected


def _transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    return bool(marker and marker.kwargs.get("transaction")) or bool(
        {"live_server", "transactional_db"} & set(item.fixturenames)
    )


def pytest_collection_finish(session):
    """Refuse an order in which a database test runs after a transactional
    (browser) one: restoring the serialized snapshot after a transactional test
    fails on Wagtail's search index rows, and every later test errors. pytest
    moves tests that way when a test's argument shares a name with a
    pytest-playwright fixture (`page`, `browser`, `context`...)."""
    seen_transactional = None
    for item in session.items:
        if _transactional(item):
            seen_transactional = seen_transactional or item
        elif seen_transactional is not None and (
            item.get_closest_marker("django_db") or "db" in item.fixturenames
        ):
            raise pytest.UsageError(
                f"{item.nodeid} would run after the transactional test "
                f"{seen_transactional.nodeid}. Rename any argument or fixture of it "
                "that shares a name with a pytest-playwright fixture (page, "
                "browser, context)."
            )


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Keep the snapshot that serialized_rollback restores on the connection
    class, not only on the first connection object: once Playwright runs its
    event loop, tests get a fresh connection object without it, and the data
    the migrations made (roles, Wagtail's root page) would silently not come
    back after a transactional test."""
    from django.db import connections

    with django_db_blocker.unblock():
        for connection in connections.all():
            contents = getattr(connection, "_test_serialized_contents", None)
            if contents is not None:
                type(connection)._test_serialized_contents = contents


@pytest.fixture(autouse=True)
def _clear_axes_cache():
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def make_user(db):
    def make(*roles: Role, **kwargs):
        return UserFactory(roles=list(roles), **kwargs)

    return make


@pytest.fixture
def officer(make_user):
    return make_user(Role.OFFICER)


@pytest.fixture
def administrator(make_user):
    return make_user(Role.ADMINISTRATOR)


@pytest.fixture
def lang_url():
    """Reverse a URL name in a given interface language."""
    from django.urls import reverse
    from django.utils import translation

    def reverse_in(name, language=settings.LANGUAGE_CODE, **kwargs):
        with translation.override(language):
            return reverse(name, **kwargs)

    return reverse_in


@pytest.fixture
def real_broker():
    """Tasks go through the broker to a running worker instead of running eagerly
    (for tests marked `worker`)."""
    from lms.celery import app

    app.conf.task_always_eager = False
    try:
        yield app
    finally:
        app.conf.task_always_eager = True
