"""Real threads for PostgreSQL race tests: released together, each with its own connection."""

import threading
from collections.abc import Callable

from django.db import connections


def run_together(threads: int, work: Callable[[int], object]) -> list[object]:
    """Run ``work(index)`` in ``threads`` threads released at once; return results in order."""
    barrier = threading.Barrier(threads)
    results: list[object] = [None] * threads
    errors: list[BaseException] = []

    def target(index: int) -> None:
        try:
            barrier.wait()
            results[index] = work(index)
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=target, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=300)
    assert not any(worker.is_alive() for worker in workers), "a thread hung: deadlock?"
    assert errors == [], errors
    return results
