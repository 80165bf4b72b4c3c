"""Stable public ids: the same center keeps the same UUID across re-imports and databases."""

import uuid

from centers.models import Center

# Fixed for good: changing it would change every public id.
NAMESPACE = uuid.UUID("6f1d8c1e-2b0e-5c43-9a57-3f2a4d0b8e61")


def center_uuid(center: Center) -> uuid.UUID:
    """From SAMHSA's identity of the facility (name, street, ZIP), or the slug if hand-entered."""
    identity = f"samhsa:{center.samhsa_key}" if center.samhsa_key else f"slug:{center.slug}"
    return uuid.uuid5(NAMESPACE, f"center:{identity}")


def term_uuid(kind: str, code: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"term:{kind}:{code}")
