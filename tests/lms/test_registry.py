"""The registries modules fill so that lms never imports them."""

import ast
import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings

from lms.registry import (
    DashboardPanel,
    RecordSection,
    Registry,
    cpd_hours_for,
    dashboard_panels,
    development_record,
)
from lms.roles import Role


@pytest.fixture
def record_section():
    section = RecordSection(
        key="test-module",
        title="Test module",
        template="lms/dashboard/profile.html",
        get_context=lambda officer, viewer: {"officer": officer},
        cpd_hours=lambda officer, start, end: Decimal("2.5"),
    )
    development_record.register(section)
    yield section
    development_record.unregister(section.key)


def test_a_key_registers_once():
    registry = Registry("test")
    registry.register(RecordSection(key="a", title="A", template="x", get_context=dict))
    with pytest.raises(ValueError):
        registry.register(
            RecordSection(key="a", title="A", template="x", get_context=dict)
        )


def test_cpd_hours_add_up_over_modules(record_section, officer):
    today = datetime.date(2026, 11, 24)
    assert cpd_hours_for(officer, today.replace(month=1, day=1), today) == Decimal(
        "2.5"
    )


def test_officer_dashboard_shows_registered_sections(client, officer, record_section):
    client.force_login(officer)
    html = client.get("/en/dashboard/").content.decode()
    assert "Test module" in html
    assert "<strong>2.5</strong>" in html


def test_a_panel_is_shown_only_to_its_roles(client, make_user):
    panel = DashboardPanel(
        key="test-panel",
        title="Only for assessors",
        template="lms/dashboard/framework.html",
        roles=frozenset({Role.ASSESSOR}),
    )
    dashboard_panels.register(panel)
    try:
        client.force_login(make_user(Role.ASSESSOR))
        assert "Only for assessors" in client.get("/en/dashboard/").content.decode()
        client.force_login(make_user(Role.OFFICER))
        assert "Only for assessors" not in client.get("/en/dashboard/").content.decode()
    finally:
        dashboard_panels.unregister(panel.key)


def test_lms_never_imports_the_modules():
    offenders = []
    for path in (Path(settings.BASE_DIR) / "lms").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                if name.split(".")[0] in {"courses", "selection", "intervision"}:
                    offenders.append(f"{path.name}: {name}")
    assert offenders == []
