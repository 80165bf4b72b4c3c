"""Stable public ids: the same center keeps the same UUID across re-imports and databases.

Free of model imports, so ``Center`` can derive its stored id from here.
"""

import uuid

# Fixed for good: changing it would change every public id.
NAMESPACE = uuid.UUID("6f1d8c1e-2b0e-5c43-9a57-3f2a4d0b8e61")


def identity_uuid(*, samhsa_key: str, slug: str) -> uuid.UUID:
    """From SAMHSA's identity of the facility (name, street, ZIP), or the slug if hand-entered."""
    identity = f"samhsa:{samhsa_key}" if samhsa_key else f"slug:{slug}"
    return uuid.uuid5(NAMESPACE, f"center:{identity}")


def center_uuid(center: object) -> uuid.UUID:
    """The center's public id: the stored one, or derived for an instance not saved yet."""
    stored = getattr(center, "hsds_uuid", None)
    return stored or identity_uuid(samhsa_key=center.samhsa_key, slug=center.slug)


def term_uuid(kind: str, code: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"term:{kind}:{code}")


def part_uuid(center_id: uuid.UUID | str, role: str) -> str:
    """Ids of a center's parts (phones, addresses, attributes), from the center's id."""
    return str(uuid.uuid5(NAMESPACE, f"{center_id}:{role}"))


def taxonomy_uuid(name: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"taxonomy:{name}")
