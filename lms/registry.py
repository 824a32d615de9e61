"""Registries that modules fill so that `lms` never imports them.

Each module registers, in its AppConfig.ready() or wagtail_hooks, what it
contributes to an officer's development record and to the dashboards, the way
Wagtail's hooks work:

    from lms.registry import RecordSection, development_record

    development_record.register(RecordSection(
        key="courses", title=_("Courses"), order=10,
        template="courses/record_section.html",
        get_context=lambda officer, viewer: {...},
        cpd_hours=lambda officer, start, end: Decimal("12.5"),
    ))
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from lms.roles import Role


@dataclass(frozen=True)
class RecordSection:
    """One module's part of an officer's development record."""

    key: str
    title: Any
    template: str
    get_context: Callable[[Any, Any], dict]
    order: int = 100
    # CPD hours the officer earned in [start, end] through this module.
    cpd_hours: Callable[[Any, date, date], Decimal] | None = None


@dataclass(frozen=True)
class DashboardPanel:
    """A block of a role's dashboard."""

    key: str
    title: Any
    template: str
    roles: frozenset[Role]
    get_context: Callable[[Any], dict] = field(default=lambda request: {})
    order: int = 100

    def is_shown_to(self, user) -> bool:
        return user.has_role(*self.roles)


class Registry:
    def __init__(self, name: str):
        self.name = name
        self._items: dict[str, Any] = {}

    def register(self, item):
        if item.key in self._items:
            raise ValueError(f"{self.name}: {item.key!r} is registered already")
        self._items[item.key] = item
        return item

    def unregister(self, key: str) -> None:
        self._items.pop(key, None)

    def __iter__(self) -> Iterator:
        return iter(sorted(self._items.values(), key=lambda item: item.order))

    def __len__(self) -> int:
        return len(self._items)


@dataclass(frozen=True)
class DemoSeeder:
    """A module's part of `seed_demo`: called after the core's demo data exists,
    with the command's output stream. It must be idempotent."""

    key: str
    seed: Callable[[Any], None]
    order: int = 100


development_record = Registry("development record")
dashboard_panels = Registry("dashboard panels")
demo_seeders = Registry("demo seeders")


def record_sections_for(officer, viewer) -> list[tuple[RecordSection, dict]]:
    return [
        (section, section.get_context(officer, viewer))
        for section in development_record
    ]


def cpd_hours_for(officer, start: date, end: date) -> Decimal:
    """Total CPD hours an officer earned in [start, end], over every module."""
    total = Decimal(0)
    for section in development_record:
        if section.cpd_hours is not None:
            total += Decimal(section.cpd_hours(officer, start, end))
    return total
