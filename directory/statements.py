"""Querysets compiled to SQL once, then run many times with other values.

Building a queryset and compiling it costs Django from about 0.3 ms (one table, one condition) to
3 ms (joins, subqueries, conditional counts) on this project's machines, often more than
PostgreSQL takes to run it. On the hottest paths (a listing's cards, a center's page, routing a
call) the queryset is built and compiled once per *shape* (whatever changes its SQL: how many
ids, which optional conditions), with stand-in values no row has; each run copies the compiled
parameters and puts the real values where the stand-ins were.

The queryset stays the one definition of the query: nothing here is written out by hand, and a
statement gives what the queryset would, converters included (SQLite's times and numbers, JSON).
A stand-in must reach the parameters as given (an id, a day, a moment, an exact text): one that a
lookup rewrites, such as ``startswith``'s pattern, is refused when the statement is compiled.
"""

import threading
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db import connections, router
from django.db.models import QuerySet
from django.db.models.sql import UpdateQuery

# Stand-ins no row holds: numbers far below zero, moments in the year 2.
_FIRST_INT = -(2**62)
STAND_IN_NOW = datetime(2, 1, 1, 12, 34, 56, 789_012, tzinfo=UTC)


def stand_in_ints(count: int, *, after: int = 0) -> list[int]:
    """``count`` distinct integers for ids or other numbers, none of them shared with another
    call that gives a different ``after`` (pass the count already taken)."""
    return [_FIRST_INT - after - n for n in range(count)]


def stand_in_times(count: int, *, after: int = 0) -> list[datetime]:
    """``count`` distinct moments, as ``stand_in_ints`` gives numbers."""
    return [STAND_IN_NOW + timedelta(seconds=after + n) for n in range(count)]


def stand_in_text(name: str) -> str:
    """A string no column holds, for a text value called ``name``."""
    return f"\x1fstand-in {name}\x1f"


@dataclass(frozen=True, slots=True)
class Statement:
    """One compiled query: its SQL and parameters, where each value goes among them, and the
    converters of its columns."""

    using: str
    sql: str
    params: tuple[object, ...]
    # For each value, in the order of the stand-ins: its places in ``params``, and the type
    # Django gave the stand-in there (psycopg's Int2 for a small integer field, SQLite's text
    # for a time), to give the value the same.
    places: tuple[tuple[tuple[int, ...], Callable[[object], object]], ...]
    compiler: object
    converters: dict

    @classmethod
    def select(cls, queryset: QuerySet, stand_ins: Sequence[object]) -> "Statement":
        """``queryset`` (inside a transaction if it locks rows), with ``stand_ins`` among its
        values. Its rows are the tuples its compiler reads: every selected column, related ones
        after the model's own."""
        using = queryset.db
        compiler = queryset.query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        converters = compiler.get_converters([column for column, _, _ in compiler.select])
        return cls._of(using, sql, params, stand_ins, compiler, converters)

    @classmethod
    def update(
        cls, queryset: QuerySet, stand_ins: Sequence[object], **values: object
    ) -> "Statement":
        """``queryset.update(**values)``, with ``stand_ins`` among the values and the filters.
        (Only for updates of the model's own table: Django splits others in several.)"""
        query = queryset.query.chain(UpdateQuery)
        query.add_update_values(values)
        # A write: where the router sends writes, unless the queryset names its database.
        using = queryset._db or router.db_for_write(queryset.model)
        compiler = query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        if query.related_updates:
            raise ValueError("an update of a parent model's fields is several statements")
        return cls._of(using, sql, params, stand_ins, compiler, {})

    @classmethod
    def _of(cls, using, sql, params, stand_ins, compiler, converters) -> "Statement":
        if len(set(map(repr, stand_ins))) != len(stand_ins):
            raise ValueError(f"stand-ins must differ: {stand_ins!r}")
        params = tuple(params)
        operations = connections[using].ops
        places = []
        for stand_in in stand_ins:
            if isinstance(stand_in, datetime):
                # Django hands PostgreSQL the datetime and SQLite its text.
                expected = operations.adapt_datetimefield_value(stand_in)
            else:
                expected = stand_in
            found = tuple(
                index
                for index, param in enumerate(params)
                if param == expected and isinstance(param, type(expected))
            )
            if not found:
                raise ValueError(f"stand-in {stand_in!r} is not among the parameters of {sql}")
            places.append((found, _adapter(params[found[0]], stand_in, operations)))
        return cls(using, sql, params, tuple(places), compiler, converters)

    def _params(self, values: Sequence[object]) -> list[object]:
        params = list(self.params)
        for (indexes, adapt), value in zip(self.places, values, strict=True):
            adapted = adapt(value)
            for index in indexes:
                params[index] = adapted
        return params

    def rows(self, values: Sequence[object]) -> list[tuple]:
        """The rows for ``values`` (one per stand-in, in their order), converted."""
        with connections[self.using].cursor() as cursor:
            cursor.execute(self.sql, self._params(values))
            rows = cursor.fetchall()
        if self.converters:
            rows = [tuple(row) for row in self.compiler.apply_converters(rows, self.converters)]
        return rows

    def execute(self, values: Sequence[object]) -> int:
        """Run the statement (an update) for ``values``: the number of rows it changed."""
        with connections[self.using].cursor() as cursor:
            cursor.execute(self.sql, self._params(values))
            return cursor.rowcount


def _adapter(param: object, stand_in: object, operations) -> Callable[[object], object]:
    """How a value is given in the place where Django put ``param`` for ``stand_in``."""
    if isinstance(stand_in, datetime):
        return operations.adapt_datetimefield_value
    kind = type(param)
    if kind is type(stand_in):
        return _same
    return kind  # a subclass Django chose for the column (psycopg's Int2, Int4, Int8)


def _same(value: object) -> object:
    return value


class Statements:
    """Compiled statements by key (the database and the query's shape), at most ``limit``: at
    the bound every one is dropped and compiled again when next used (keys that go stale, such
    as a date in the key, then do not pile up)."""

    def __init__(self, limit: int = 1_000) -> None:
        self.limit = limit
        self._kept: dict[Hashable, Statement] = {}
        self._lock = threading.Lock()

    def get(self, key: Hashable, compile: Callable[[], Statement]) -> Statement:
        statement = self._kept.get(key)
        if statement is None:
            statement = compile()
            with self._lock:
                if len(self._kept) >= self.limit:
                    self._kept.clear()
                self._kept[key] = statement
        return statement

    def __len__(self) -> int:
        return len(self._kept)

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()
