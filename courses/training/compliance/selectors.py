"""Reads of mandatory training: the state of each officer for each mandatory
course, the compliance matrix of a manager's offices, and the officer's own
mandatory courses on My learning.

Everything is computed in bulk: `compliance_data` loads the officers' roles,
certificates and enrolments in three queries whatever the number of officers
and rules, and the states are worked out in Python.

The rules of a cell:
- the due date is the hire date (or, without one, the day the rule was made)
  plus the rule's deadline while the course was never completed; once it was,
  it is the expiry of the latest certificate of the course or of its refresher;
- a certificate expires on its own `valid_until` or `validity_months` after it
  was issued, whichever comes first (neither: it never expires);
- done: a valid certificate; expiring soon: valid, and renewal has opened
  (within `renewal_days` of the expiry); overdue: past the due date and not
  done; in progress: enrolled and not yet due; not started: the rest.
"""

import datetime
import functools
import gc
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from dateutil.relativedelta import relativedelta
from django.db import models
from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.models import (
    Certificate,
    CoursePage,
    Enrolment,
    EnrolmentStatus,
    MandatoryRule,
)
from courses.models.training import local_date
from courses.training.compliance.permissions import user_can_view_compliance
from lms.models import User
from lms.roles import Role

HISTORY_MONTHS = 12
OFFICER_FIELDS = (
    "id",
    "username",
    "full_name",
    "is_superuser",
    "office_id",
    "hire_date",
    "preferred_language",
    "office__id",
    "office__code",
    "office__region_id",
    "office__name_kk",
    "office__name_ru",
    "office__name_en",
)
NEVER = datetime.date.max


class CellState(models.TextChoices):
    DONE = "done", _("Done")
    EXPIRING = "expiring", _("Expiring soon")
    OVERDUE = "overdue", _("Overdue")
    IN_PROGRESS = "in_progress", _("In progress")
    NOT_STARTED = "not_started", _("Not started")


COMPLIANT = frozenset({CellState.DONE, CellState.EXPIRING})


class Cell(NamedTuple):
    """One officer's standing on one mandatory course. A named tuple: the
    matrix of a region makes a hundred thousand of them."""

    state: CellState
    due_on: datetime.date | None  # None: done, and it never expires
    renewal_opens: datetime.date | None = None
    has_certificate: bool = False

    @property
    def label(self) -> str:
        return self.state.label

    @property
    def is_compliant(self) -> bool:
        return self.state in COMPLIANT


@dataclass(frozen=True, slots=True)
class ComplianceData:
    """What the states are computed from, loaded once for many officers."""

    roles: dict  # user id -> frozenset of role values
    # Course keys are numbered (UUIDs hash slowly in Python): key -> number.
    numbers: dict
    certificates: dict  # (user id, key number) -> [(issued_on, valid_until)]
    active: set  # (user id, key number) of enrolments in progress
    # validity months (or None) -> {(user id, key number): latest expiry}, filled
    # on first use: one pass over the certificates instead of one per cell.
    latest: dict = field(default_factory=dict)

    def latest_expiries(self, months: int | None) -> dict:
        found = self.latest.get(months)
        if found is None:
            found = {}
            for pair, held in self.certificates.items():
                best = None
                for issued_on, valid_until in held:
                    expiry = valid_until or NEVER
                    if months:
                        expiry = min(expiry, _plus_months(issued_on, months))
                    if best is None or expiry > best:
                        best = expiry
                found[pair] = best
            self.latest[months] = found
        return found


def rule_keys(rule: MandatoryRule) -> tuple:
    """The course keys whose certificates count for the rule."""
    keys = (rule.course.translation_key,)
    if rule.refresher_id and rule.refresher.translation_key not in keys:
        keys += (rule.refresher.translation_key,)
    return keys


def rule_applies(rule: MandatoryRule, officer: User, roles: frozenset) -> bool:
    if rule.office_id is not None and rule.office_id != officer.office_id:
        return False
    return not rule.role or rule.role in roles


@lru_cache(maxsize=65536)
def _plus_months(day: datetime.date, months: int) -> datetime.date:
    return day + relativedelta(months=months)


def certificate_expiry(
    rule: MandatoryRule, issued_on: datetime.date, valid_until: datetime.date | None
) -> datetime.date:
    """When a certificate stops counting for the rule (NEVER when it does not)."""
    expiry = valid_until or NEVER
    if rule.validity_months:
        expiry = min(expiry, _plus_months(issued_on, rule.validity_months))
    return expiry


def _without_cycle_collection(function):
    """Pause Python's cyclic garbage collector while `function` builds its
    hundreds of thousands of small tuples and dicts: they hold no reference
    cycles (reference counting frees them), and collections triggered by so
    many allocations took about 40% of the matrix's time for a whole region."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            return function(*args, **kwargs)
        finally:
            if was_enabled:
                gc.enable()

    return wrapper


def compliance_data(
    officers: list[User], rules: list[MandatoryRule], *, scope=None
) -> ComplianceData:
    """Three queries, whatever the number of officers and rules. `scope`, a
    queryset of users holding at least `officers`, is sent to the database as a
    subquery instead of thousands of ids."""
    ids = [officer.pk for officer in officers]
    among = scope.values("pk") if scope is not None else ids
    keys = {key for rule in rules for key in rule_keys(rule)}
    roles = defaultdict(set)
    everything = frozenset(role.value for role in Role)
    for officer in officers:
        if officer.is_superuser:
            roles[officer.pk] = everything
    if any(rule.role for rule in rules):
        memberships = User.groups.through.objects.filter(user_id__in=among)
        for user_id, name in memberships.values_list("user_id", "group__name"):
            if roles[user_id] is not everything:
                roles[user_id].add(name)
    certificates = defaultdict(list)
    active = set()
    if ids and keys:
        # Course keys come back as small numbers: turning 100,000 UUIDs into
        # Python objects costs more than the query.
        keys = sorted(keys)
        number = Case(
            *(When(course_key=key, then=Value(n)) for n, key in enumerate(keys)),
            output_field=IntegerField(),
        )
        rows = (
            Certificate.objects.filter(
                user_id__in=among, course_key__in=keys, revoked_at__isnull=True
            )
            .annotate(key_number=number)
            .values_list("user_id", "key_number", "issued_on", "valid_until")
        )
        for user_id, n, issued_on, valid_until in rows:
            certificates[user_id, n].append((issued_on, valid_until))
        active = set(
            Enrolment.objects.filter(
                user_id__in=among, course_key__in=keys, status=EnrolmentStatus.ACTIVE
            )
            .annotate(key_number=number)
            .values_list("user_id", "key_number")
        )
    return ComplianceData(
        roles={user_id: frozenset(names) for user_id, names in roles.items()},
        numbers={key: n for n, key in enumerate(sorted(keys))},
        certificates=certificates,
        active=active,
    )


def expiries(rule: MandatoryRule, officer: User, data: ComplianceData) -> list:
    """(issued_on, expiry) of the officer's certificates that count for the rule."""
    return [
        (issued_on, certificate_expiry(rule, issued_on, valid_until))
        for key in rule_keys(rule)
        if key in data.numbers
        for issued_on, valid_until in data.certificates.get(
            (officer.pk, data.numbers[key]), ()
        )
    ]


def first_due(rule: MandatoryRule, officer: User) -> datetime.date:
    start = officer.hire_date or local_date(rule.created_at)
    return start + datetime.timedelta(days=rule.deadline_days)


class _Plan(NamedTuple):
    """What the inner loop needs of a rule, looked up once."""

    rule: MandatoryRule
    keys: tuple
    office_id: int | None
    role: str
    deadline: datetime.timedelta
    renewal: datetime.timedelta
    months: int | None
    created_on: datetime.date


def _plan(rule: MandatoryRule, numbers: dict) -> _Plan:
    return _Plan(
        rule,
        tuple(numbers[key] for key in rule_keys(rule) if key in numbers),
        rule.office_id,
        rule.role,
        datetime.timedelta(days=rule.deadline_days),
        datetime.timedelta(days=rule.renewal_days),
        rule.validity_months,
        local_date(rule.created_at),
    )


_DONE, _EXPIRING, _OVERDUE = CellState.DONE, CellState.EXPIRING, CellState.OVERDUE
_IN_PROGRESS, _NOT_STARTED = CellState.IN_PROGRESS, CellState.NOT_STARTED


def _state(plan: _Plan, officer_id, hire_date, data, today, expiries=None) -> Cell:
    latest = None
    if expiries is None:
        expiries = data.latest_expiries(plan.months)
    for key in plan.keys:
        expiry = expiries.get((officer_id, key))
        if expiry is not None and (latest is None or expiry > latest):
            latest = expiry
    if latest is not None:
        if latest >= today:
            if latest == NEVER:
                return Cell(_DONE, None, None, True)
            opens = latest - plan.renewal
            return Cell(_EXPIRING if today >= opens else _DONE, latest, opens, True)
        due = latest
    else:
        due = (hire_date or plan.created_on) + plan.deadline
    if today > due:
        return Cell(_OVERDUE, due, None, latest is not None)
    active = data.active
    enrolled = any((officer_id, key) in active for key in plan.keys)
    return Cell(_IN_PROGRESS if enrolled else _NOT_STARTED, due, None, False)


def cell_state(
    rule: MandatoryRule, officer: User, data: ComplianceData, today: datetime.date
) -> Cell:
    return _state(_plan(rule, data.numbers), officer.pk, officer.hire_date, data, today)


@_without_cycle_collection
def compliance_cells(
    officers: list[User],
    rules: list[MandatoryRule],
    *,
    today: datetime.date | None = None,
    data: ComplianceData | None = None,
) -> dict:
    """{(officer id, rule id): Cell} for every rule that applies to an officer.
    Rules must come with their course and refresher (select_related)."""
    today = today or timezone.localdate()
    data = data or compliance_data(officers, rules)
    plans = [
        (_plan(rule, data.numbers), data.latest_expiries(rule.validity_months))
        for rule in rules
    ]
    no_roles = frozenset()
    cells = {}
    for officer in officers:
        officer_id, office_id, hire_date = (
            officer.id,
            officer.office_id,
            officer.hire_date,
        )
        roles = data.roles.get(officer_id, no_roles)
        for plan, expiries in plans:
            if plan.office_id is not None and plan.office_id != office_id:
                continue
            if plan.role and plan.role not in roles:
                continue
            cells[officer_id, plan.rule.id] = _state(
                plan, officer_id, hire_date, data, today, expiries
            )
    return cells


def rules_with_courses():
    return MandatoryRule.objects.select_related(
        "course", "refresher", "office"
    ).order_by("course__title", "pk")


# The matrix ----------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    rule: MandatoryRule
    title: str


def _columns(rules: list[MandatoryRule]) -> list[Column]:
    from courses.selectors import localized

    shown = localized(CoursePage, [rule.course.translation_key for rule in rules])
    columns = []
    for rule in rules:
        page = shown.get(rule.course.translation_key) or rule.course
        extra = [str(Role(rule.role).label) if rule.role in Role.values else rule.role]
        extra.append(str(rule.office) if rule.office_id else "")
        qualifiers = " · ".join(part for part in extra if part)
        title = f"{page.title} ({qualifiers})" if qualifiers else page.title
        columns.append(Column(rule=rule, title=title))
    return columns


def _month_ends(today: datetime.date) -> list[datetime.date]:
    """The last day of each of the 11 months before this one, then today."""
    first = today.replace(day=1)
    ends = [
        first - relativedelta(months=n) - datetime.timedelta(days=1)
        for n in range(HISTORY_MONTHS - 1, 0, -1)
    ]
    return [*ends, today]


def _history(officers, rules, cells, offices, today, scope=None) -> dict:
    """Share of the mandatory training held valid at each month's end, by office.

    An approximation that stays cheap (one aggregate query): certificates of
    the mandatory courses valid at each month's end held by today's officers,
    over the mandatory courses those officers must hold today."""
    ends = _month_ends(today)
    required = defaultdict(int)
    office_of = {officer.pk: officer.office_id for officer in officers}
    for officer_id, _rule_id in cells:
        required[office_of[officer_id]] += 1
    keys = {key for rule in rules for key in rule_keys(rule)}
    held = {}
    if required and keys:
        valid_at = {
            f"m{n}": Count(
                "pk",
                filter=Q(issued_on__lte=end)
                & (Q(valid_until__gte=end) | Q(valid_until__isnull=True)),
            )
            for n, end in enumerate(ends)
        }
        rows = (
            Certificate.objects.filter(
                user_id__in=scope.values("pk")
                if scope is not None
                else list(office_of),
                course_key__in=keys,
                revoked_at__isnull=True,
            )
            .values("user__office_id")
            .order_by()
            .annotate(**valid_at)
        )
        for row in rows:
            held[row["user__office_id"]] = [row[f"m{n}"] for n in range(len(ends))]
    return {
        "labels": [end.strftime("%Y-%m") for end in ends],
        "offices": [
            {
                "label": str(office),
                "data": [
                    min(100, round(100 * n / required[office.pk]))
                    for n in held.get(office.pk, [0] * len(ends))
                ],
            }
            for office in offices
            if required[office.pk]
        ],
    }


def _summary(officers, cells, offices) -> list[dict]:
    office_of = {officer.pk: officer.office_id for officer in officers}
    totals = {office.pk: defaultdict(int) for office in offices}
    people = defaultdict(set)
    for (officer_id, _rule_id), cell in cells.items():
        office_id = office_of[officer_id]
        counts = totals[office_id]
        counts["required"] += 1
        counts[cell.state] += 1
        people[office_id].add(officer_id)
    rows = []
    for office in offices:
        counts = totals[office.pk]
        compliant = counts[CellState.DONE] + counts[CellState.EXPIRING]
        rows.append(
            {
                "office": office,
                "officers": len(people[office.pk]),
                "required": counts["required"],
                "compliant": compliant,
                "overdue": counts[CellState.OVERDUE],
                "percent": round(100 * compliant / counts["required"])
                if counts["required"]
                else None,
            }
        )
    return rows


@_without_cycle_collection
def compliance_matrix(
    *,
    offices,
    office=None,
    course=None,
    state: str = "",
    search: str = "",
    today: datetime.date | None = None,
    history: bool = True,
) -> dict:
    """Officers × mandatory courses of the given offices, filtered. A fixed
    number of queries whatever the number of officers, offices and rules.

    Rows are the officers to whom at least one rule applies (with `state`, those
    with at least one cell in it); each row's cells follow the columns, None
    where the rule does not apply to the officer."""
    today = today or timezone.localdate()
    offices = list(offices)
    shown_offices = [o for o in offices if office is None or o.pk == office.pk]
    office_ids = [o.pk for o in shown_offices]
    rules = list(
        rules_with_courses().filter(Q(office__isnull=True) | Q(office__in=office_ids))
    )
    courses = {}
    for rule in rules:
        courses.setdefault(rule.course_id, rule.course)
    if course is not None:
        rules = [rule for rule in rules if rule.course_id == course.pk]
    scope = User.objects.filter(is_active=True, office_id__in=office_ids)
    officers = list(
        scope.only(
            *(f for f in OFFICER_FIELDS if not f.startswith("office__"))
        ).order_by("office__code", "full_name", "username")
    )
    # The offices are loaded already: one object each, not one per officer.
    office_by_id = {o.pk: o for o in offices}
    for officer in officers:
        officer.office = office_by_id[officer.office_id]
    if search:
        # In Python: SQLite folds the case of ASCII letters only, and names
        # are Kazakh and Russian.
        needle = search.casefold()
        officers = [
            officer
            for officer in officers
            if needle in f"{officer.full_name} {officer.username}".casefold()
        ]
    data = compliance_data(officers, rules, scope=scope)
    cells = compliance_cells(officers, rules, today=today, data=data)
    columns = _columns(rules)
    counts = defaultdict(int)
    rows = []
    rule_ids = [rule.id for rule in rules]
    for officer in officers:
        officer_id = officer.id
        row = [cells.get((officer_id, rule_id)) for rule_id in rule_ids]
        present = [cell for cell in row if cell is not None]
        if not present:
            continue
        for cell in present:
            counts[cell.state] += 1
        if state and not any(cell.state == state for cell in present):
            continue
        rows.append({"officer": officer, "cells": row})
    return {
        "today": today,
        "offices": shown_offices,
        "columns": columns,
        "courses": sorted(courses.values(), key=lambda page: page.title),
        "rows": rows,
        "counts": {choice: counts[choice] for choice in CellState},
        "summary": _summary(officers, cells, shown_offices),
        "history": _history(
            officers,
            rules,
            cells,
            shown_offices,
            today,
            scope=None if search else scope,
        )
        if history
        else None,
        "state": state,
    }


def export_rows(matrix: dict):
    """One row per officer and mandatory course, as plain values: what the CSV
    and XLSX exports write. With a state filter, only the cells in that state."""
    state = matrix["state"]
    for row in matrix["rows"]:
        officer = row["officer"]
        for column, cell in zip(matrix["columns"], row["cells"], strict=True):
            if cell is None or (state and cell.state != state):
                continue
            yield [
                str(officer.office),
                officer.get_full_name(),
                officer.username,
                column.title,
                str(cell.label),
                cell.due_on.isoformat() if cell.due_on else "",
            ]


def export_row_count(matrix: dict) -> int:
    state = matrix["state"]
    return sum(
        1
        for row in matrix["rows"]
        for cell in row["cells"]
        if cell is not None and (not state or cell.state == state)
    )


# My learning --------------------------------------------------------------------


def officer_rules(user) -> list[tuple[MandatoryRule, Cell]]:
    """The mandatory courses that apply to the officer, with their standing."""
    if not user.is_authenticated:
        return []
    rules = list(
        rules_with_courses().filter(Q(office__isnull=True) | Q(office=user.office_id))
    )
    cells = compliance_cells([user], rules)
    return [
        (rule, cells[user.pk, rule.pk]) for rule in rules if (user.pk, rule.pk) in cells
    ]


def my_learning(user) -> dict:
    """What this part adds to the officer's My learning page."""
    from courses.selectors import localized

    mandatory = officer_rules(user)
    shown = localized(
        CoursePage, [rule.course.translation_key for rule, _cell in mandatory]
    )
    return {
        "mandatory": [
            {
                "rule": rule,
                "course": shown.get(rule.course.translation_key) or rule.course,
                "cell": cell,
            }
            for rule, cell in sorted(
                mandatory, key=lambda item: item[1].due_on or NEVER
            )
        ],
        "can_see_compliance": user_can_view_compliance(user),
    }
