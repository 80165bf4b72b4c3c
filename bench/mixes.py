"""Distinct URLs for the benchmarks, so that no two requests ask the listing the same question.

A shared cache (a CDN) keeps a page per URL, each worker keeps rendered cards, and PostgreSQL
keeps what it read last: a benchmark that repeats one URL measures a warm cache. Every listing
URL made here differs from the others of its set in its filters (sort and page vary on top),
and each seed gives a different set, so a fresh seed per run (the default) starts every run on
combinations it has not seen.

``vocabulary()`` reads what there is to choose from out of the database (needs Django set up);
the rest is plain Python over what it returns.
"""

import random
from dataclasses import dataclass
from urllib.parse import urlencode

# Radii the listing's own form offers (centers.filters.CenterFilter.radius_options).
RADII = (5, 10, 25, 50, 100, 250)
SORTS = ("name", "recently-verified", "distance")


@dataclass
class Vocabulary:
    terms: dict[str, list[str]]  # listing parameter -> term slugs
    settings: list[str]  # care settings, with the listing's "combination"
    states: list[str]
    zips: list[str]  # ZIP codes of published centers that have coordinates
    words: list[str]  # words from centers' names and cities, for ``q``
    slugs: list[str]  # published centers' slugs


def vocabulary(slug_sample: int = 20_000) -> Vocabulary:
    from centers.filters import COMBINATION_OPTION
    from centers.models import Center
    from centers.models.taxonomy import FACET_KINDS

    published = Center.objects.published()
    terms = {
        kind.param: list(kind.model.objects.order_by("pk").values_list("slug", flat=True))
        for kind in FACET_KINDS
    }
    settings = [*terms.pop("setting"), COMBINATION_OPTION.slug]
    states = sorted(set(published.values_list("state", flat=True)))
    zips = sorted(
        set(
            published.filter(latitude__isnull=False)
            .exclude(zip_code="")
            .values_list("zip_code", flat=True)
        )
    )
    words = sorted(
        {
            word
            for name, city in published.order_by("?").values_list("name", "city")[:3000]
            for word in f"{name} {city}".split()
            if len(word) >= 4 and word.isalpha()
        }
    )
    slugs = list(published.order_by("?").values_list("slug", flat=True)[:slug_sample])
    return Vocabulary(terms, settings, states, [z[:5] for z in zips], words, slugs)


def _some(rng: random.Random, choices: list[str], most: int) -> list[str]:
    return rng.sample(choices, rng.randint(0, min(most, len(choices))))


def listing_queries(vocab: Vocabulary, count: int, rng: random.Random) -> list[list[tuple]]:
    """``count`` query strings (as pairs) of any filter mix, each with its own filter state."""
    seen: set[tuple] = set()
    queries: list[list[tuple]] = []
    for _ in range(count * 50):
        if len(queries) == count:
            break
        pairs = [("therapy", slug) for slug in _some(rng, vocab.terms["therapy"], 2)]
        pairs += [("setting", slug) for slug in _some(rng, vocab.settings, 2)]
        for param, most in (("payment", 2), ("population", 1), ("language", 1)):
            if rng.random() < 0.5:
                pairs += [(param, slug) for slug in _some(rng, vocab.terms[param], most)]
        if rng.random() < 0.2:
            pairs += [("medication", slug) for slug in _some(rng, vocab.terms["medication"], 1)]
        place = rng.random()
        if place < 0.35:
            pairs += [("near", rng.choice(vocab.zips)), ("radius", rng.choice(RADII))]
        elif place < 0.7:
            pairs.append(("state", rng.choice(vocab.states)))
        if rng.random() < 0.15:
            pairs.append(("q", rng.choice(vocab.words)))
        key = tuple(sorted(pairs))
        if key in seen:
            continue
        seen.add(key)
        near = any(name == "near" for name, _ in pairs)
        pairs.append(("sort", rng.choice(SORTS if near else SORTS[:2])))
        if rng.random() < 0.3:
            pairs.append(("page", rng.randint(2, 4)))
        queries.append(pairs)
    return queries


def six_filter_queries(vocab: Vocabulary, count: int, rng: random.Random) -> list[list[tuple]]:
    """Two therapies, two settings, a payment and a population near a ZIP, by distance: the
    listing's hardest usual question, each near a ZIP of its own (fewer if there are fewer)."""
    zips = rng.sample(vocab.zips, min(count, len(vocab.zips)))
    queries = []
    for code in zips:
        pairs = [("therapy", slug) for slug in rng.sample(vocab.terms["therapy"], 2)]
        pairs += [("setting", slug) for slug in rng.sample(vocab.settings, 2)]
        pairs.append(("payment", rng.choice(vocab.terms["payment"])))
        pairs.append(("population", rng.choice(vocab.terms["population"])))
        pairs += [("near", code), ("radius", rng.choice((50, 100))), ("sort", "distance")]
        queries.append(pairs)
    return queries


def paths(queries: list[list[tuple]], base: str = "/centers/") -> list[str]:
    return [f"{base}?{urlencode(pairs)}" for pairs in queries]


def detail_paths(vocab: Vocabulary, count: int, rng: random.Random) -> list[str]:
    return [f"/centers/{slug}/" for slug in rng.sample(vocab.slugs, min(count, len(vocab.slugs)))]
