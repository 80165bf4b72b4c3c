"""Catalog reads on a read replica, everything else on the primary (``DATABASE_REPLICA_URL``)."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import connections

REPLICA = "replica"
PRIMARY = "default"
# The catalog, which every public page reads and only the importer and editors write.
CATALOG_APPS = frozenset({"centers"})
# Models of those apps that are no catalog: a claim is read back on the page right after the
# request that wrote it (the code page after the call), and reminders only by the monthly job.
NOT_CATALOG_MODELS = frozenset({"centers.claim", "centers.reminder"})

_pinned: ContextVar[bool] = ContextVar("pinned_to_primary", default=False)


@contextmanager
def primary_only() -> Iterator[None]:
    """Read everything from the primary inside this block (see PrimaryForWritesMiddleware)."""
    token = _pinned.set(True)
    try:
        yield
    finally:
        _pinned.reset(token)


def _is_catalog(model) -> bool:
    meta = model._meta
    return meta.app_label in CATALOG_APPS and meta.label_lower not in NOT_CATALOG_MODELS


class CatalogReplicaRouter:
    """Send reads of the ``centers`` models to the replica, and everything else to the primary.

    A replica lags the primary by a moment, so reads stay on the primary wherever that moment
    would show: inside a transaction on the primary (it may have written, and its reads must
    see that), and for the whole of a request that may write or edit (POST, the admin), which
    ``primary_only`` marks. Helplines, sessions and auth are never read from the replica: a
    call is routed on the latest advertiser state. Without ``DATABASE_REPLICA_URL`` every
    method answers ``None`` and Django uses the one database.
    """

    def db_for_read(self, model, **hints) -> str | None:
        if not settings.DATABASE_REPLICA_URL:
            return None
        if not _is_catalog(model) or _pinned.get():
            return PRIMARY
        if connections[PRIMARY].in_atomic_block:
            return PRIMARY
        return REPLICA

    def db_for_write(self, model, **hints) -> str | None:
        return PRIMARY if settings.DATABASE_REPLICA_URL else None

    def allow_relation(self, obj1, obj2, **hints) -> bool | None:
        # Both aliases hold the same rows.
        return True if settings.DATABASE_REPLICA_URL else None

    def allow_migrate(self, db: str, app_label: str, **hints) -> bool | None:
        # The replica follows the primary's schema by replication, never by migrate.
        return db != REPLICA
