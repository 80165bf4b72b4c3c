"""Cache backends: one that keeps counting when Redis is unreachable, and one that keeps
objects in this process's memory without pickling them (``KeptObjectsCache``).

``FailSafeRedisCache``: the default cache swallows Redis errors (``IGNORE_EXCEPTIONS``): a page
that cannot read a cached count computes it. A counter that guards something cannot do that,
because a swallowed error reads as "no failures yet" and would let a guesser through while
Redis is down. This backend counts in Redis, shared by every process, and falls back to this
process's memory while Redis is unreachable: the limit still holds, multiplied at worst by the
number of processes, and nothing answers a 500.
"""

import logging
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django_redis.cache import RedisCache
from django_redis.exceptions import ConnectionInterrupted
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)


class FailSafeRedisCache(RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._process = LocMemCache(f"fail-safe:{server}", {"OPTIONS": {"MAX_ENTRIES": 10_000}})

    def _either(self, method: str, *args: Any, **kwargs: Any) -> Any:
        try:
            return getattr(super(), method)(*args, **kwargs)
        except (ConnectionInterrupted, RedisConnectionError, RedisTimeoutError):
            logger.warning("Redis unreachable: %s counted in this process only", method)
            return getattr(self._process, method)(*args, **kwargs)

    def add(self, *args: Any, **kwargs: Any) -> Any:
        return self._either("add", *args, **kwargs)

    def get(self, *args: Any, **kwargs: Any) -> Any:
        return self._either("get", *args, **kwargs)

    def set(self, *args: Any, **kwargs: Any) -> Any:
        return self._either("set", *args, **kwargs)

    def incr(self, *args: Any, **kwargs: Any) -> Any:
        return self._either("incr", *args, **kwargs)

    def touch(self, *args: Any, **kwargs: Any) -> Any:
        return self._either("touch", *args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        return self._either("delete", *args, **kwargs)

    def clear(self) -> Any:
        self._process.clear()
        return self._either("clear")


class KeptObjectsCache(LocMemCache):
    """This process's memory, like ``LocMemCache``, holding the objects themselves rather than
    pickled copies: for values nothing changes once made (``directory.stencils.Stencil``, a
    frozen record of strings). A listing reads about thirty of them; unpickling each one on
    every read cost more than the rest of reading it."""

    def get(self, key: str, default: Any = None, version: int | None = None) -> Any:
        key = self.make_and_validate_key(key, version=version)
        with self._lock:
            if self._has_expired(key):
                self._delete(key)
                return default
            value = self._cache[key]
            self._cache.move_to_end(key, last=False)
        return value

    def set(
        self, key: str, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> None:
        key = self.make_and_validate_key(key, version=version)
        with self._lock:
            self._set(key, value, timeout)

    def add(self, *args: Any, **kwargs: Any) -> bool:
        raise NotImplementedError("KeptObjectsCache is written with set()")

    def incr(self, *args: Any, **kwargs: Any) -> int:
        raise NotImplementedError("KeptObjectsCache holds no counters")
