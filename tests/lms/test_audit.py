"""The audit log is append-only and records who did what to which object.

Bad input tried: saving a changed entry, deleting one, bulk update and delete
through the queryset, and (on PostgreSQL) raw SQL UPDATE and DELETE.
"""

import pytest
from django.db import DatabaseError, connection, transaction

from lms.audit import audit_record
from lms.models import AuditEntry, AuditLogIsAppendOnly

pytestmark = pytest.mark.django_db


def test_entry_names_actor_action_and_object(officer):
    entry = audit_record(
        action="test.thing", actor=officer, obj=officer.office, data={"a": 1}
    )
    assert entry.actor == officer
    assert officer.username in entry.actor_repr
    assert entry.object_repr == str(officer.office)
    assert AuditEntry.objects.for_object(officer.office).get() == entry


def test_entries_cannot_be_changed_or_deleted_through_the_orm(officer):
    entry = audit_record(action="test.thing", actor=officer)
    entry.action = "test.other"
    with pytest.raises(AuditLogIsAppendOnly):
        entry.save()
    with pytest.raises(AuditLogIsAppendOnly):
        entry.delete()
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEntry.objects.filter(pk=entry.pk).update(action="x")
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get(pk=entry.pk).action == "test.thing"


@pytest.mark.postgresql
def test_postgresql_refuses_raw_update_and_delete(officer):
    entry = audit_record(action="test.thing", actor=officer)
    for sql in (
        "UPDATE lms_auditentry SET action = 'x' WHERE id = %s",
        "DELETE FROM lms_auditentry WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).action == "test.thing"


def test_deleting_a_user_keeps_their_history(make_user):
    user = make_user()
    audit_record(action="test.thing", actor=user)
    name = user.username
    user.delete()
    entry = AuditEntry.objects.get(action="test.thing")
    assert name in entry.actor_repr


def test_sign_in_and_failed_sign_in_are_recorded(client, officer):
    client.post(
        "/en/accounts/login/", {"username": officer.username, "password": "bad"}
    )
    client.post(
        "/en/accounts/login/",
        {"username": officer.username, "password": "correct-horse-battery-1"},
    )
    actions = list(AuditEntry.objects.order_by("pk").values_list("action", flat=True))
    assert actions == ["auth.login_failed", "auth.login"]
