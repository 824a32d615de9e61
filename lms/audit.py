"""Writing to the append-only audit log. Every module records here the decisions
that matter (a score, a grade, an approval), with who and when."""

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from lms.models import AuditEntry


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
        data=data or {},
    )
    if obj is not None:
        entry.content_type = ContentType.objects.get_for_model(obj)
        entry.object_id = str(obj.pk)
        entry.object_repr = str(obj)[:255]
    entry.full_clean()
    entry.save()
    return entry


def _actor_repr(actor) -> str:
    if actor is None or not actor.is_authenticated:
        return ""
    return f"{actor.get_full_name()} ({actor.get_username()})"[:255]
