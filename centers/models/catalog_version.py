from django.db import connections, models


class CatalogVersion(models.Model):
    """One row whose ``token`` changes whenever anything the listing reads changes.

    Database triggers (migration 0007) rewrite the token after every statement that writes a
    center, a filterable term or a link between them, whoever writes: the admin, the importer's
    COPY, a bulk update, a shell. Each process keeps an in-memory index of the catalog
    (``centers.catalog_index``) and rebuilds it when the token it read differs from the one it
    built from. The token is random rather than a counter so that a rolled-back write can never
    bring back a value an index was already built for; the row is updated inside the writer's
    transaction, so a new token is only visible together with the data it stands for.
    """

    SINGLETON = 1

    token = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "catalog version"

    def __str__(self) -> str:
        return f"Catalog version {self.token}"

    @classmethod
    def current(cls, using: str) -> int | None:
        """The token, in one query. ``None`` if the row is gone (a flushed test database):
        the first catalog write after that creates it again.

        Written out rather than through the ORM: every listing reads it, and compiling the
        queryset cost more than the query."""
        connection = connections[using]
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {quote(cls._meta.get_field('token').column)} "
                f"FROM {quote(cls._meta.db_table)} WHERE {quote(cls._meta.pk.column)} = %s",
                [cls.SINGLETON],
            )
            row = cursor.fetchone()
        return None if row is None else row[0]
