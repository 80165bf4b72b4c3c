"""What a server process loads before its workers fork, so that none loads it on a visitor's time.

Django imports the URLconf (and with it every view module), compiles each template and reads
each language's catalog only when a request first needs them. Under gunicorn each worker did that
for itself: its first listing took 0.3–0.5 s instead of about 10 ms, and with four new workers
sharing two cores their first pages of each kind took up to a second (the p99 of
``bench/throughput.py``).
Loaded once in the master (``directory/gunicorn.conf.py``), they are shared by every worker.
"""

import gc
import logging
from pathlib import Path

from django.conf import settings
from django.template import TemplateSyntaxError, engines
from django.urls import get_resolver, reverse
from django.utils import translation
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


def load_for_workers() -> int:
    """Import the URLconf, fill its tables for ``reverse``, import the caches' backends (not
    connect them: a connection opened here would be shared by the workers), read every
    language's catalog and compile every template of the project's own folder; return how many
    templates compiled.

    A template that does not compile is logged and skipped: its page fails as it would have
    anyway, and the site still starts."""
    get_resolver().url_patterns  # noqa: B018 - the property imports the URLconf and its views
    reverse("centers:list")
    for cache in settings.CACHES.values():
        import_string(cache["BACKEND"])
    for code, _name in settings.LANGUAGES:
        translation.activate(code)  # reads the language's catalog
    translation.deactivate()
    engine = engines["django"]
    compiled = 0
    for folder in map(Path, engine.engine.dirs):
        for path in sorted(folder.rglob("*.html")):
            name = path.relative_to(folder).as_posix()
            try:
                engine.get_template(name)
            except TemplateSyntaxError:
                logger.exception("Template %s does not compile; its page will fail", name)
                continue
            compiled += 1
    return compiled


def freeze_for_workers() -> int:
    """Collect the master's garbage, then move every object it still holds (the code, the
    templates, the index, the ZIP table) into the collector's permanent generation, which no
    collection walks: return how many objects that was.

    Call it last before the workers fork. Each worker's full collections then walk only what
    the worker made itself: measured in a worker's CPU time under ``bench/throughput.py``, the
    longest took 92-103 ms before and 14-16 ms after (one such pause is the center page's p99),
    and all of a worker's full collections 309-328 ms, then 181-192 ms. The collector no longer
    writes to the shared objects either, so their memory stays shared (Python's ``gc.freeze``
    documentation advises it for servers that fork)."""
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()
