"""Benchmark: three designs for the listing's facet counts, side by side, on the same data.

    .venv/bin/python bench/facet_designs.py [--database-url URL] [--runs N]

Run ``bench/listing.py`` first: it fills the database with the 2022 SAMHSA file.

- Design A (what the listing ran before the index): one grouped count per filter group over
  its link table, plus the combination count and the result count, the filters as EXISTS over
  the link tables.
- Design B (counting without the link tables): a scratch copy of the centers table with one
  extra ``term_ids int[]`` column (GIN index) holding every filterable term as
  ``kind * 1,000,000 + id``, so ids of different term tables cannot collide in one array and one
  index serves every group. Filters become ``@>`` (all of) and ``&&`` (any of), and every
  option's count is one ``count(*) FILTER (...)`` of a single pass over the matching centers.
  Two forms: a ``count(*) FILTER`` per option, or ``unnest`` + ``GROUP BY term`` whose FILTER
  picks the other groups' conditions by the term's kind. Also timed: a bare ``unnest`` +
  ``GROUP BY``, which is only exact while no "any of" group is selected.

- Design C (what the listing runs): the in-memory index of ``centers.catalog_index``, one bit
  row per term; filters are ANDs and ORs of rows, counts population counts. Timed as the
  listing runs it (reading the filters, filtering, counting, ordering); its one-off build,
  after each catalog write, is timed on its own.

Design B's and C's counts are checked against design A's for every filter mix before any is
timed. The scratch table is dropped at the end.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/dir_listing_bench"
KIND_STRIDE = 1_000_000
SCRATCH = "bench_center_design_b"

MIXES = [
    ("no filter", {}),
    ("CBT in California", {"therapy": ["cbt"], "state": "CA"}),
    ("medicaid, any state", {"payment": ["medicaid"]}),
    (
        "six filters in Illinois",
        {
            "therapy": ["cbt", "mat"],
            "setting": ["combination", "outpatient"],
            "payment": ["medicaid"],
            "population": ["adults"],
            "state": "IL",
        },
    ),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()

    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("SECRET_KEY", "benchmark-only")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "directory.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection
    from django.db.models import Count
    from django.http import QueryDict

    from centers.catalog_index import build_index, current_index
    from centers.filters import CenterFilter, facets_of
    from centers.models import FACET_KINDS, CareSetting, Center, CenterQuerySet

    if not Center.objects.exists():
        sys.exit("No centers: run bench/listing.py first, which imports the 2022 file.")
    kind_number = {kind.param: number for number, kind in enumerate(FACET_KINDS, start=1)}

    def code(param: str, pk: int) -> int:
        return kind_number[param] * KIND_STRIDE + pk

    with connection.cursor() as cursor:
        started = time.perf_counter()
        parts = []
        for kind in FACET_KINDS:
            field = Center._meta.get_field(kind.relation)
            through = field.remote_field.through._meta.db_table
            target = field.m2m_reverse_field_name() + "_id"
            parts.append(
                f"SELECT center_id, {kind_number[kind.param] * KIND_STRIDE} + {target} AS term "
                f"FROM {through}"
            )
        cursor.execute(f"DROP TABLE IF EXISTS {SCRATCH}")
        cursor.execute(
            f"CREATE TABLE {SCRATCH} AS SELECT c.*, "
            f"COALESCE(t.term_ids, '{{}}'::int[]) AS term_ids FROM centers_center c LEFT JOIN ("
            f"SELECT center_id, array_agg(term::int ORDER BY term)::int[] AS term_ids FROM ("
            + " UNION ALL ".join(parts)
            + ") links GROUP BY center_id) t ON t.center_id = c.id"
        )
        cursor.execute(f"CREATE INDEX ON {SCRATCH} USING gin (term_ids)")
        cursor.execute(f"CREATE INDEX ON {SCRATCH} (status, state)")
        cursor.execute(f"ANALYZE {SCRATCH}")
        built = time.perf_counter() - started
        cursor.execute(
            f"SELECT count(*), avg(cardinality(term_ids)), "
            f"pg_size_pretty(pg_relation_size('{SCRATCH}')) FROM {SCRATCH}"
        )
        rows, average, size = cursor.fetchone()
    print(f"design B table: {rows:,} centers, {average:.1f} term ids each, {size}, {built:.1f}s")

    started = time.perf_counter()
    build_index(connection.alias, None)
    index_built = time.perf_counter() - started
    index = current_index()
    print(
        f"design C index: {index.size:,} centers, {len(index.terms)} term rows, "
        f"{index.bits.nbytes / 1024:.0f} KiB of bits, built in {index_built * 1000:.0f} ms"
    )

    def querydict(data: dict) -> QueryDict:
        query = QueryDict(mutable=True)
        for key, value in data.items():
            query.setlist(key, value if isinstance(value, list) else [value])
        return query

    def design_a(data: dict) -> tuple[dict, int]:
        filterset = CenterFilter(querydict(data), facets=facets_of(index)).validate()
        counts = {}
        for facet in filterset.facets:
            base = (
                filterset.qs
                if facet.match_all
                else filterset.filter_queryset(filterset.queryset.all(), exclude=facet.param)
            )
            field = Center._meta.get_field(facet.relation)
            target = field.m2m_reverse_field_name()
            # Grouped by the link table's own column: no join with the term table.
            by_term = dict(
                field.remote_field.through.objects.filter(center__in=base.order_by().values("pk"))
                .values_list(f"{target}_id")
                .annotate(n=Count("center_id"))
                .order_by()
            )
            for option in facet.options:
                if option.pk is None:
                    condition = CenterQuerySet.combination_condition(facet.ids_by_kind())
                    counts[(facet.param, option.slug)] = base.filter(condition).count()
                else:
                    counts[(facet.param, option.slug)] = by_term.get(option.pk, 0)
        return counts, filterset.qs.count()

    def design_c(data: dict) -> tuple[dict, int]:
        filterset = CenterFilter(querydict(data), facets=facets_of(index)).validate()
        results = filterset.search(index)
        counts = {
            (facet.param, option.slug): option.count
            for facet in filterset.facets
            for option in facet.options
        }
        return counts, len(results)

    facets = facets_of(index)

    def group_condition(facet, slugs: list[str]) -> str:
        by_slug = {option.slug: option for option in facet.options}
        ids = [code(facet.param, by_slug[slug].pk) for slug in slugs if by_slug[slug].pk]
        if facet.match_all:
            return f"term_ids @> ARRAY[{','.join(map(str, ids))}]::int[]"
        alternatives = [f"term_ids && ARRAY[{','.join(map(str, ids))}]::int[]"] if ids else []
        if "combination" in slugs:
            alternatives.append(combination())
        return "(" + " OR ".join(alternatives) + ")"

    def combination() -> str:
        setting = next(facet for facet in facets if facet.param == "setting")
        by_kind = setting.ids_by_kind()
        both = []
        for kind in (CareSetting.Kind.TWENTY_FOUR_HOUR, CareSetting.Kind.OUTPATIENT):
            ids = ",".join(str(code("setting", pk)) for pk in by_kind.get(kind, [0]))
            both.append(f"term_ids && ARRAY[{ids}]::int[]")
        return "(" + " AND ".join(both) + ")"

    def design_b_sql(data: dict) -> tuple[str, list[tuple[str, str]]]:
        where = ["status = 'published'"]
        if data.get("state"):
            where.append(f"state = '{data['state']}'")
        selected = {f.param: f for f in facets if data.get(f.param)}
        conditions = {param: group_condition(f, data[param]) for param, f in selected.items()}
        columns, keys = [], []
        for facet in facets:
            others = [
                condition
                for param, condition in conditions.items()
                if facet.match_all or param != facet.param
            ]
            for option in facet.options:
                if option.pk is None:
                    own = combination()
                else:
                    own = f"term_ids @> ARRAY[{code(facet.param, option.pk)}]::int[]"
                columns.append(f"count(*) FILTER (WHERE {' AND '.join([*others, own])})")
                keys.append((facet.param, option.slug))
        total = " AND ".join(conditions.values()) or "true"
        sql = (
            f"SELECT count(*) FILTER (WHERE {total}), {', '.join(columns)} "
            f"FROM {SCRATCH} WHERE {' AND '.join(where)}"
        )
        return sql, keys

    def design_b(data: dict) -> tuple[dict, int]:
        sql, keys = design_b_sql(data)
        with connection.cursor() as cursor:
            cursor.execute(sql)
            total, *counts = cursor.fetchone()
        return dict(zip(keys, counts, strict=True)), total

    def design_b_grouped(data: dict) -> tuple[dict, int]:
        """One statement, exact under any filter mix: unnest, then per term the conditions of
        the other groups (chosen by the term's kind), plus the combination and result counts."""
        where = ["status = 'published'"]
        if data.get("state"):
            where.append(f"state = '{data['state']}'")
        selected = {f.param: f for f in facets if data.get(f.param)}
        conditions = {param: group_condition(f, data[param]) for param, f in selected.items()}

        def others(facet) -> str:
            kept = [c for p, c in conditions.items() if facet.match_all or p != facet.param]
            return " AND ".join(kept) or "true"

        cases = " ".join(
            f"WHEN {kind_number[facet.param]} THEN {others(facet)}" for facet in facets
        )
        setting = next(facet for facet in facets if facet.param == "setting")
        total = " AND ".join(conditions.values()) or "true"
        base = " AND ".join(where)
        sql = (
            f"SELECT term, count(*) FILTER (WHERE CASE term / {KIND_STRIDE} {cases} END) "
            f"FROM {SCRATCH}, unnest(term_ids) term WHERE {base} GROUP BY term "
            f"UNION ALL SELECT -1, count(*) FILTER (WHERE {others(setting)} AND {combination()}) "
            f"FROM {SCRATCH} WHERE {base} "
            f"UNION ALL SELECT -2, count(*) FILTER (WHERE {total}) FROM {SCRATCH} WHERE {base}"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql)
            by_term = dict(cursor.fetchall())
        counts = {}
        for facet in facets:
            for option in facet.options:
                term = -1 if option.pk is None else code(facet.param, option.pk)
                counts[(facet.param, option.slug)] = by_term.get(term, 0)
        return counts, by_term[-2]

    def design_b_unnest(data: dict) -> None:
        where = "status = 'published'" + (
            f" AND state = '{data['state']}'" if "state" in data else ""
        )
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT term, count(*) FROM {SCRATCH}, unnest(term_ids) term "
                f"WHERE {where} GROUP BY term"
            )
            cursor.fetchall()

    def timed(function, data: dict) -> tuple[float, float]:
        function(data)
        timings = []
        for _ in range(args.runs):
            started = time.perf_counter()
            function(data)
            timings.append((time.perf_counter() - started) * 1000)
        return statistics.median(timings), statistics.quantiles(timings, n=20)[18]

    print(f"{args.runs} runs per mix after one warm-up; facet counts and the result count only")
    columns = (
        "A median",
        "p95",
        "B filter",
        "p95",
        "B grouped",
        "p95",
        "B unnest",
        "C index",
        "p95",
    )
    print(f"{'filter mix':26} " + " ".join(f"{column:>9}" for column in columns))
    try:
        for label, data in MIXES:
            a_counts, a_total = design_a(data)
            for design in (design_b, design_b_grouped, design_c):
                b_counts, b_total = design(data)
                mismatched = {
                    key: (a_counts[key], b_counts[key])
                    for key in a_counts
                    if a_counts[key] != b_counts[key]
                }
                assert a_total == b_total and not mismatched, (label, design, mismatched)
            a = timed(design_a, data)
            b = timed(design_b, data)
            g = timed(design_b_grouped, data)
            c = timed(design_c, data)
            plain = not any(data.get(f.param) for f in facets if not f.match_all)
            unnest = f"{timed(design_b_unnest, data)[0]:7.1f}ms" if plain else "inexact"
            print(
                f"{label:26} {a[0]:7.1f}ms {a[1]:6.1f}ms {b[0]:7.1f}ms {b[1]:6.1f}ms "
                f"{g[0]:7.1f}ms {g[1]:6.1f}ms {unnest:>9} {c[0]:7.2f}ms {c[1]:6.2f}ms"
            )
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {SCRATCH}")
    print("design A: 8 queries (6 grouped counts, the combination count, the result count);")
    print("design B: 1 query (per-option FILTER, or unnest grouped by term with each group's")
    print("conditions chosen by the term's kind); design C: no query (the index, in memory).")
    print("B's and C's counts equal A's for every option of every mix above.")
    print(f"load average while measuring: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
