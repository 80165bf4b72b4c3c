"""Writes of a listing's details by the people who keep it true: its managers and our editors.

Each change is kept as a ``ListingChange`` (who, when, before, after). A manager's change to
what patients ask about publishes at once; a change to which place this is (name, address,
main phone) waits for an editor. A SAMHSA import never overwrites a field a person set
(``centers.importer``): it records a ``SamhsaDifference`` for an editor to resolve here.
"""

import json
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from centers.models import (
    IDENTITY_FIELDS,
    PUBLISHED_AT_ONCE,
    Center,
    ListingChange,
    SamhsaDifference,
)

# What editors change in the admin that a re-import must keep, and is kept in the history.
EDITOR_TRACKED_FIELDS = (
    *IDENTITY_FIELDS,
    *PUBLISHED_AT_ONCE,
    "intake_phone_alt",
    "intake_phone_2_alt",
    "status",
)


def as_text(name: str, value: object) -> str:
    """A field's value as the history keeps it: hours as JSON, a blank number as ''."""
    if name == "intake_hours":
        return json.dumps(value or {}, sort_keys=True)
    return "" if value is None else str(value)


def from_text(name: str, text: str) -> object:
    """The inverse of ``as_text``, for applying a kept value to the listing."""
    if name == "intake_hours":
        return json.loads(text or "{}")
    if name == "wait_days":
        return int(text) if text else None
    return text


@dataclass
class EditResult:
    published: list[str] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)


def edit_as_manager(
    *, center_id: int, user: AbstractBaseUser, values: dict[str, object]
) -> EditResult:
    """Apply a manager's ``values`` to the center: published at once, or kept for an editor.

    Only fields that differ from the listing count as changes. Stating availability (any
    ``availability`` in ``values``) restates it now, even unchanged: the date says when the
    center last said so.
    """
    allowed = set(PUBLISHED_AT_ONCE) | set(IDENTITY_FIELDS)
    unknown = set(values) - allowed
    if unknown:
        raise ValueError(f"managers cannot change {sorted(unknown)}")
    result = EditResult()
    now = timezone.now()
    with transaction.atomic():
        # The race: two managers saving at once would each compare with the listing as it was
        # before the other's save, and the history would record an old value that was never
        # there. Under the lock each compares with what the other wrote.
        center = Center.objects.select_for_update().get(pk=center_id)
        changes = []
        for name, new in values.items():
            old = getattr(center, name)
            if old == new or (old in ("", None) and new in ("", None)):
                continue
            state = ListingChange.State.PUBLISHED
            if name in IDENTITY_FIELDS:
                state = ListingChange.State.PENDING
                result.pending.append(name)
                # A newer correction of the same field replaces the one still waiting.
                ListingChange.objects.pending().filter(center=center, field=name).update(
                    state=ListingChange.State.REFUSED, decided_at=now
                )
            else:
                setattr(center, name, new)
                result.published.append(name)
            changes.append(
                ListingChange(
                    center=center,
                    field=name,
                    old_value=as_text(name, old),
                    new_value=as_text(name, new),
                    source=ListingChange.Source.MANAGER,
                    state=state,
                    changed_by=user,
                    created_at=now,
                )
            )
        ListingChange.objects.bulk_create(changes)
        updated = list(result.published)
        if "availability" in values:
            center.availability_stated_at = now
            updated.append("availability_stated_at")
        if updated:
            center.save(update_fields=[*updated, "updated_at"])
    return result


def confirm_as_manager(*, center_id: int, user: AbstractBaseUser) -> None:
    """The manager says the listing is still accurate: checked by the center today, and a
    stated availability is stated again now."""
    now = timezone.now()
    with transaction.atomic():
        center = Center.objects.select_for_update().get(pk=center_id)
        center.last_verified = timezone.localdate()
        center.last_verified_by = Center.Checker.CENTER
        fields = ["last_verified", "last_verified_by", "updated_at"]
        if center.availability:
            center.availability_stated_at = now
            fields.append("availability_stated_at")
        center.save(update_fields=fields)


def record_editor_changes(
    *, center: Center, before: dict[str, object], user: AbstractBaseUser | None
) -> list[str]:
    """Keep what an editor changed in the admin (``before``: the tracked fields as they were).

    Called after the admin saved ``center``; returns the fields recorded.
    """
    changes = [
        ListingChange(
            center=center,
            field=name,
            old_value=as_text(name, before[name]),
            new_value=as_text(name, getattr(center, name)),
            source=ListingChange.Source.EDITOR,
            state=ListingChange.State.PUBLISHED,
            changed_by=user,
        )
        for name in EDITOR_TRACKED_FIELDS
        if name in before and before[name] != getattr(center, name)
    ]
    ListingChange.objects.bulk_create(changes)
    return [change.field for change in changes]


def set_status(*, centers: QuerySet, status: str, editor: AbstractBaseUser) -> int:
    """Publish, hide or close ``centers`` (an editor's admin action), each change kept in the
    history. Returns how many centers the update touched."""
    with transaction.atomic():
        changing = list(centers.exclude(status=status).values_list("pk", "status"))
        updated = centers.update(status=status, updated_at=timezone.now())
        ListingChange.objects.bulk_create(
            ListingChange(
                center_id=pk,
                field="status",
                old_value=old,
                new_value=status,
                source=ListingChange.Source.EDITOR,
                state=ListingChange.State.PUBLISHED,
                changed_by=editor,
            )
            for pk, old in changing
        )
    return updated


def decide_change(*, change_id: int, approve: bool, editor: AbstractBaseUser) -> bool:
    """An editor approves (the listing takes the new value) or refuses a waiting change.

    Returns whether it was still waiting: a change another editor decided first is left as is.
    """
    with transaction.atomic():
        # The race: two editors deciding the same change, one approving and one refusing.
        change = ListingChange.objects.select_for_update().get(pk=change_id)
        if change.state != ListingChange.State.PENDING:
            return False
        change.state = ListingChange.State.APPROVED if approve else ListingChange.State.REFUSED
        change.decided_by = editor
        change.decided_at = timezone.now()
        change.save(update_fields=["state", "decided_by", "decided_at"])
        if approve:
            center = Center.objects.select_for_update().get(pk=change.center_id)
            change.old_value = as_text(change.field, getattr(center, change.field))
            change.save(update_fields=["old_value"])
            setattr(center, change.field, from_text(change.field, change.new_value))
            center.save(update_fields=[change.field, "updated_at"])
    return True


def resolve_difference(*, difference_id: int, take_samhsa: bool, editor: AbstractBaseUser) -> bool:
    """An editor settles a SAMHSA difference: the listing takes SAMHSA's value (kept in the
    history as the editor's change) or keeps its own. Returns whether it was still open."""
    with transaction.atomic():
        # The race: two editors resolving the same difference two ways at once.
        difference = SamhsaDifference.objects.select_for_update().get(pk=difference_id)
        if difference.resolved_at is not None:
            return False
        difference.resolved_at = timezone.now()
        difference.resolved_by = editor
        difference.took_samhsa_value = take_samhsa
        difference.save(update_fields=["resolved_at", "resolved_by", "took_samhsa_value"])
        if take_samhsa:
            center = Center.objects.select_for_update().get(pk=difference.center_id)
            name = difference.field
            old = getattr(center, name)
            setattr(center, name, from_text(name, difference.samhsa_value))
            center.save(update_fields=[name, "updated_at"])
            record_editor_changes(center=center, before={name: old}, user=editor)
    return True
