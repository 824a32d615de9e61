"""The audit log is tamper-evident: each entry carries the hash of the one
before it and its own, and `manage.py audit_check` names every entry where the
chain breaks.

Tampering is done the way someone with database access would, behind the
model's back: raw SQL. On SQLite an UPDATE or DELETE goes through and the check
must catch it; on PostgreSQL the append-only trigger refuses both (asserted),
and what remains to a forger is an INSERT, which the check must name.

Bad inputs tried: an entry's details changed, its action changed, an entry in
the middle deleted, a forged entry inserted with a made-up previous hash, a
forged entry that follows the chain but whose hash does not match its content.
"""

import datetime
import decimal
import io

import pytest
from django.core.management import CommandError, call_command
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from lms.audit import audit_record, entry_digest
from lms.models import AuditEntry

pytestmark = pytest.mark.django_db

POSTGRESQL = connection.vendor == "postgresql"


@pytest.fixture
def chain(officer):
    """Five entries, with the kinds of details modules record."""
    return [
        audit_record(action="test.first", actor=officer, obj=officer),
        audit_record(
            action="score.submit",
            actor=officer,
            data={"point": 4, "evidence": "Кандидат тыңдады, ә ғ қ ң ө ұ ү һ і"},
        ),
        audit_record(
            action="decision.record",
            data={
                "when": datetime.date(2026, 12, 1),
                "weight": decimal.Decimal("0.25"),
                "nested": {"b": [1, 2], "a": None},
            },
        ),
        audit_record(action="framework.approve", actor=officer, obj=officer.office),
        audit_record(action="test.last", actor=officer),
    ]


def audit_check() -> tuple[str, CommandError | None]:
    out = io.StringIO()
    try:
        call_command("audit_check", stdout=out)
    except CommandError as error:
        return out.getvalue(), error
    return out.getvalue(), None


def raw(sql: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def refused_by_postgresql(sql: str, params: list) -> bool:
    try:
        with transaction.atomic():
            raw(sql, params)
    except DatabaseError as error:
        return "append-only" in str(error)
    return False


def insert_forged(*, previous_hash: str, hash_: str | None = None) -> int:
    """An entry written straight into the table, as a forger would."""
    forged = AuditEntry(
        created_at=timezone.now(),
        actor_repr="Someone (someone)",
        action="decision.record",
        data={"outcome": "appoint"},
        previous_hash=previous_hash,
    )
    forged.hash = hash_ or entry_digest(forged)
    raw(
        "INSERT INTO lms_auditentry (created_at, actor_id, actor_repr, action, "
        "content_type_id, object_id, object_repr, data, previous_hash, hash) "
        "VALUES (%s, NULL, %s, %s, NULL, '', '', %s, %s, %s)",
        [
            connection.ops.adapt_datetimefield_value(forged.created_at),
            forged.actor_repr,
            forged.action,
            connection.ops.adapt_json_value(forged.data, DjangoJSONEncoder),
            forged.previous_hash,
            forged.hash,
        ],
    )
    return AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first()


def test_an_empty_log_is_intact(db):
    out, error = audit_check()
    assert error is None
    assert "The audit log is intact: 0 entries." in out


def test_an_untouched_chain_is_intact(chain):
    entries = list(AuditEntry.objects.order_by("pk"))
    assert entries[0].previous_hash == ""
    for before, after in zip(entries, entries[1:], strict=False):
        assert after.previous_hash == before.hash
    assert len({entry.hash for entry in entries}) == 5
    out, error = audit_check()
    assert error is None
    assert "The audit log is intact: 5 entries." in out


@pytest.mark.parametrize(
    ("column", "value"),
    [("data", {"point": 5, "evidence": "changed"}), ("action", "score.amend")],
)
def test_an_entry_changed_behind_the_models_back_is_named(chain, column, value):
    target = chain[1]
    if column == "data":
        value = connection.ops.adapt_json_value(value, DjangoJSONEncoder)
    sql = f"UPDATE lms_auditentry SET {column} = %s WHERE id = %s"
    if POSTGRESQL:
        assert refused_by_postgresql(sql, [value, target.pk])
        stored = AuditEntry.objects.get(pk=target.pk)
        assert (stored.action, stored.data) == (target.action, target.data)
        out, error = audit_check()
        assert error is None and "intact: 5 entries" in out
        return
    raw(sql, [value, target.pk])
    out, error = audit_check()
    assert isinstance(error, CommandError)
    assert "1 break(s)" in str(error)
    assert out.splitlines() == [
        f"Entry {target.pk}: its content does not match its hash."
    ]


def test_an_entry_deleted_from_the_middle_is_named(chain):
    deleted, following = chain[2], chain[3]
    sql = "DELETE FROM lms_auditentry WHERE id = %s"
    if POSTGRESQL:
        assert refused_by_postgresql(sql, [deleted.pk])
        assert AuditEntry.objects.filter(pk=deleted.pk).exists()
        out, error = audit_check()
        assert error is None and "intact: 5 entries" in out
        return
    raw(sql, [deleted.pk])
    out, error = audit_check()
    assert isinstance(error, CommandError)
    assert out.splitlines() == [
        f"Entry {following.pk}: does not follow the entry before it (one was "
        "removed, inserted or changed)."
    ]


def test_a_forged_entry_with_a_made_up_predecessor_is_named(chain):
    forged = insert_forged(previous_hash="0" * 64)
    # Ustaz goes on writing after it, chaining to it: the break stays where the
    # forgery is, in the middle of the log.
    audit_record(action="test.after_forgery")
    out, error = audit_check()
    assert isinstance(error, CommandError)
    assert out.splitlines() == [
        f"Entry {forged}: does not follow the entry before it (one was removed, "
        "inserted or changed)."
    ]


def test_a_forged_entry_whose_hash_does_not_match_its_content_is_named(chain):
    forged = insert_forged(previous_hash=chain[-1].hash, hash_="f" * 64)
    out, error = audit_check()
    assert isinstance(error, CommandError)
    assert out.splitlines() == [f"Entry {forged}: its content does not match its hash."]
