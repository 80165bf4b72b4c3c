"""Benchmark: ways to draw a listing's cards and read its page of centers, side by side.

    .venv/bin/python bench/card_designs.py [--scale 18k|12k|100k] [--database-url URL]
                                           [--centers 600] [--runs 5]

On the ``--scale`` data set (``bench/dataset.py``), for ``--centers`` published centers spread
over the catalog, in this process, CPU time per card (median of ``--runs`` passes):

- cards: A, the card template rendered for each center (how every card was drawn before
  skeletons); B, the skeleton of the card's shape filled (``draw_card``, how a card nobody asked
  for is drawn now); C, the card kept from an earlier request (the ``fragments`` cache) with
  this request's values filled in. Every B card is checked equal to its A card first.
- a page of 20 cards' centers: A, ``filter(pk__in=...).for_cards().in_bulk()``, compiled on
  each request; B, ``cards_by_id``, its statement compiled once and reused.

Each line gives the time and the ratio to the first design, so the figures of one run compare.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import dataset  # noqa: E402 - needs ROOT on the path


def cpu_ms_each(action, items, runs: int, before=None) -> float:
    """Median over ``runs`` passes of the CPU time per item of ``action(item)``, in ms."""
    passes = []
    for _ in range(runs):
        if before:
            before()
        started = time.thread_time()
        for item in items:
            action(item)
        passes.append((time.thread_time() - started) * 1000 / len(items))
    return statistics.median(passes)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", choices=sorted(dataset.SCALES), default="18k")
    parser.add_argument("--database-url", help="default: the --scale data set's database")
    parser.add_argument("--centers", type=int, default=600)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    dataset.prepare(args.database_url or dataset.database_url(args.scale))
    import django

    django.setup()
    import numpy as np
    from django.core.cache import caches
    from django.db import router
    from django.template.loader import render_to_string
    from django.test import RequestFactory
    from django.utils import translation

    from centers.catalog_index import IndexedResults, current_index
    from centers.models import Center, cards_by_id
    from centers.templatetags.listing import (
        CARD_HOLES,
        CARD_TEMPLATE,
        card_notes,
        card_skeletons,
        center_card,
        draw_card,
    )
    from directory.stencils import holes

    centers_total = dataset.build(scale=args.scale)
    index = current_index()
    step = max(1, index.size // args.centers)
    results = IndexedResults(index, np.arange(0, index.size, step)[: args.centers])
    centers = results[0 : len(results)]
    translation.activate("en")
    context = {"request": RequestFactory().get("/centers/?therapy=cbt&state=CA")}

    def rendered(center) -> str:
        center.fill_card_terms()
        context = {
            "center": center,
            "heading_level": 2,
            "live": holes(*CARD_HOLES),
            "notes": card_notes(center, center.availability_freshness()),
        }
        return render_to_string(CARD_TEMPLATE, context)

    def drawn(center) -> str:
        return draw_card(center, 2, "en", center.availability_freshness())

    card_skeletons.clear()
    for center in centers:  # every shape's skeleton made (and checked) before timing
        assert drawn(center) == rendered(center), center.pk
    shapes = len(card_skeletons._skeletons)
    load = os.getloadavg()
    cards = [
        ("A template per card", cpu_ms_each(rendered, centers, args.runs)),
        ("B skeleton filled", cpu_ms_each(drawn, centers, args.runs)),
    ]
    caches["fragments"].clear()
    for center in centers:  # drawn and kept once: C finds every card kept
        center_card(context, center)
    kept = cpu_ms_each(lambda c: center_card(context, c), centers, args.runs)
    cards.append(("C kept card filled", kept))

    using = router.db_for_read(Center)
    pages = [centers[i : i + 20] for i in range(0, len(centers) - 19, 20)]
    page_ids = [[center.pk for center in page] for page in pages]
    for ids in page_ids:
        orm = Center.objects.filter(pk__in=ids).for_cards().in_bulk()
        lean = cards_by_id(ids, using=using)
        assert orm.keys() == lean.keys()
        assert all(orm[pk].name == lean[pk].name for pk in ids)
    reads = [
        (
            "A queryset compiled per page",
            cpu_ms_each(
                lambda ids: Center.objects.filter(pk__in=ids).for_cards().in_bulk(),
                page_ids,
                args.runs,
            ),
        ),
        (
            "B statement kept",
            cpu_ms_each(lambda ids: cards_by_id(ids, using=using), page_ids, args.runs),
        ),
    ]

    print(
        f"{centers_total:,} centers; {len(centers)} cards of {shapes} shapes; "
        f"{len(page_ids)} pages of 20; median of {args.runs} passes; CPU of this process"
    )
    print(f"load average before: {' '.join(f'{v:.2f}' for v in load)}")
    for title, rows, unit in (("one card", cards, "card"), ("one page's centers", reads, "page")):
        print(f"{title:34}{'ms/' + unit:>10}{'vs A':>8}")
        for label, value in rows:
            print(f"  {label:32}{value:10.3f}{value / rows[0][1]:8.2f}")
    print(f"load average after: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")


if __name__ == "__main__":
    main()
