"""Writing to the append-only audit log. Every module records here the decisions
that matter (a score, a grade, an approval), with who and when.

The log is a hash chain: each entry stores the SHA-256 of the entry before it
and its own, computed over its content. Changing, removing or inserting an
entry anywhere breaks the chain from that point, and `manage.py audit_check`
reports where."""

import datetime
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.utils import timezone

from lms.models import AuditEntry

# Any constant: the key of the PostgreSQL advisory lock that orders writers.
CHAIN_LOCK_KEY = 7_100_434_015


def entry_digest(entry: AuditEntry) -> str:
    """The SHA-256 of an entry's content and the hash before it."""
    created_at = timezone.localtime(entry.created_at, datetime.UTC)
    content = {
        "previous": entry.previous_hash,
        "created_at": created_at.isoformat(timespec="microseconds"),
        "actor": entry.actor_id,
        "actor_repr": entry.actor_repr,
        "action": entry.action,
        "content_type": entry.content_type_id,
        "object_id": entry.object_id,
        "object_repr": entry.object_repr,
        "data": entry.data,
    }
    canonical = json.dumps(
        content,
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
        cls=DjangoJSONEncoder,
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@transaction.atomic
def audit_record(
    *,
    action: str,
    actor=None,
    obj: models.Model | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    """Add one entry. `action` is a dotted name such as "framework.make_current"."""
    entry = AuditEntry(
        action=action,
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_repr=_actor_repr(actor),
        # Through JSON and back, so the hash is computed on what is stored.
        data=json.loads(json.dumps(data or {}, cls=DjangoJSONEncoder)),
    )
    if obj is not None:
        entry.content_type = ContentType.objects.get_for_model(obj)
        entry.object_id = str(obj.pk)
        entry.object_repr = str(obj)[:255]
    entry.full_clean(exclude=["previous_hash", "hash"])
    _chain_lock()
    last = AuditEntry.objects.order_by("-pk").only("hash").first()
    entry.created_at = timezone.now()
    entry.previous_hash = last.hash if last else ""
    entry.hash = entry_digest(entry)
    entry.save()
    return entry


def _chain_lock() -> None:
    """Writers append one at a time, so no two entries claim the same predecessor.
    (SQLite allows one writer at a time anyway.)"""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK_KEY])


@dataclass(frozen=True)
class ChainBreak:
    entry_id: int
    reason: str


def audit_chain_breaks() -> Iterator[ChainBreak]:
    """Walk the log in the order it was written and yield every break."""
    previous_hash = ""
    for entry in AuditEntry.objects.order_by("pk").iterator(chunk_size=2000):
        if entry.previous_hash != previous_hash:
            yield ChainBreak(
                entry.pk,
                "does not follow the entry before it (one was removed, "
                "inserted or changed)",
            )
        if entry.hash != entry_digest(entry):
            yield ChainBreak(entry.pk, "its content does not match its hash")
        previous_hash = entry.hash


def _actor_repr(actor) -> str:
    if actor is None or not actor.is_authenticated:
        return ""
    return f"{actor.get_full_name()} ({actor.get_username()})"[:255]
