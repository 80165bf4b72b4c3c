"""gunicorn's master loads what each worker would otherwise load on its first requests."""

import gc
import logging
import weakref

from django.conf import settings
from django.template import engines

from directory.startup import freeze_for_workers, load_for_workers

TEMPLATES = settings.BASE_DIR / "templates"


def test_every_template_of_the_project_is_compiled_before_the_workers_fork():
    loader = engines["django"].engine.template_loaders[0]
    loader.reset()  # the cached loader, as a new process has it
    names = {path.relative_to(TEMPLATES).as_posix() for path in TEMPLATES.rglob("*.html")}
    assert load_for_workers() == len(names)
    assert names <= set(loader.get_template_cache)
    assert "centers/center_detail.html" in names


def test_a_template_that_does_not_compile_is_logged_and_the_rest_still_load(
    settings, tmp_path, caplog
):
    (tmp_path / "fine.html").write_text("<p>{{ value }}</p>")
    (tmp_path / "broken.html").write_text("{% if %}")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    with caplog.at_level(logging.ERROR, logger="directory.startup"):
        assert load_for_workers() == 1
    assert "Template broken.html does not compile" in caplog.text


class Node:
    pass


def test_what_the_workers_share_is_frozen_out_of_their_collections():
    # Garbage that only a collection frees (a cycle) is freed first, not frozen for good.
    cycle = Node()
    cycle.itself = cycle
    garbage = weakref.ref(cycle)
    del cycle
    try:
        frozen = freeze_for_workers()
        assert garbage() is None
        assert frozen > 10_000  # Django, the project, its templates
        # A full collection now walks what was made since, a handful, not what was frozen.
        assert len(gc.get_objects(generation=2)) < frozen / 100
    finally:
        gc.unfreeze()
