"""Facets and search in process: the service's code against candidate SQL, on the bench database.

Run: .venv/bin/python -m bench.facet_sql [--db URL] [--repeat 5]

For the most cited source (78,724 claims on the 1M seed), an actor AND a
topic, and a few search terms, prints the median and first ("cold": nothing
cached by the service, the database's pages as the OS left them) milliseconds of:
- `service`: services.claims.facets / claim_page as the routes call them
  (facets: the first 50,000 matching keys in index order, then one GROUP BY per
  facet over them, and a probe of 50,001 keys for `truncated`);
- `exact`: one GROUP BY per facet over every matching claim, straight from the
  link tables' covering indexes (no ordered key list, no cut-off), and the count;
- for search, `bounded`: FTS5's `rank` ordered and cut to the page inside the
  full-text index, bm25 then snippet computed for the page's rows only;
- on SQLite, facets of one entity from counts kept by writes: a temporary
  co-occurrence table (entity, other entity, claims) built from the link
  tables, what it costs to build, to read, and how many of its rows one claim's
  write would touch.
Each candidate's answer is checked against the service's where both are exact.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from app.db import create_db_engine, is_sqlite, session_scope
from app.repository.claim_query import ClaimQuery, build_claim_sql, resolve_query
from app.repository.claims import count_claims
from app.repository.filters import ClaimFilter
from app.repository.kinds import KINDS
from app.repository.sql import mappings
from app.services.claims import claim_page, facets
from bench.seed import DEFAULT_DB

__all__ = ["bounded_search_sql", "exact_facet_sql", "main"]


def _time(run: Callable[[], Any], repeat: int) -> tuple[float, float, Any]:
    """(first ms, median ms of the rest, the last answer)."""
    took: list[float] = []
    answer: Any = None
    for _ in range(repeat + 1):
        started = time.perf_counter()
        answer = run()
        took.append((time.perf_counter() - started) * 1000)
    return took[0], statistics.median(took[1:]), answer


def exact_facet_sql(query: ClaimQuery, param: str, dialect: str) -> tuple[str, dict[str, Any]]:
    """Top 10 values of one facet over every matching claim: link-table indexes only."""
    spec = KINDS[param]
    matching = build_claim_sql(query, dialect=dialect, for_count=True)
    params = dict(matching.params)
    kinds = ""
    if spec.by_kind:
        kinds = " AND l.kind IN :facet_kinds"
        params["facet_kinds"] = list(query.kinds)
    statement = (
        "SELECT e.slug, e.name, t.n AS claim_count FROM ("
        f"SELECT l.{spec.link_column} AS entity_id, count(*) AS n FROM ({matching.sql}) AS m "
        f"JOIN {spec.link_table} l ON l.claim_id = m.id{kinds} "
        f"GROUP BY l.{spec.link_column} ORDER BY n DESC, l.{spec.link_column} LIMIT 10) AS t "
        f"JOIN {spec.entity_table} e ON e.id = t.entity_id ORDER BY t.n DESC, e.slug"
    )
    return statement, params


def _exact_facets(session: Session, query: ClaimQuery) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for spec in KINDS.values():
        statement, params = exact_facet_sql(query, spec.name, "sqlite")
        found[spec.name] = mappings(session, statement, params)
    return {
        "facets": found,
        "count": count_claims(session, query=query, estimated=False),
    }


def bounded_search_sql(words: str, limit: int) -> tuple[str, str, dict[str, Any]]:
    """A first page of a search in two statements: (ids, snippets).

    The first orders by FTS5's `rank` (bm25) and cuts to the page inside the
    full-text index, ties by claim id, so a cursor would be (rank, id); the
    second makes the page's snippets and reads its sort keys for those ids only.
    """
    ids = (
        "SELECT rowid AS id, rank AS ord FROM claim_fts WHERE claim_fts MATCH :q "
        "ORDER BY rank, rowid LIMIT :limit"
    )
    snippets = (
        "SELECT claim_fts.rowid AS id, c.sort_key AS key, "
        "snippet(claim_fts, 0, char(2), char(3), '…', 24) AS snippet "
        "FROM claim_fts JOIN claim c ON c.id = claim_fts.rowid "
        "WHERE claim_fts MATCH :q AND claim_fts.rowid IN ({ids})"
    )
    return ids, snippets, {"q": '"' + words.replace('"', "") + '"', "limit": limit}


def _bounded_page(session: Session, words: str, limit: int) -> list[Any]:
    ids_sql, snippets_sql, params = bounded_search_sql(words, limit)
    rows = session.execute(text(ids_sql), params).all()
    wanted = ",".join(str(int(row.id)) for row in rows) or "NULL"
    extra = {row.id: row for row in session.execute(text(snippets_sql.format(ids=wanted)), params)}
    return [(row.id, row.ord, extra[row.id].key, extra[row.id].snippet) for row in rows]


# Each entity filter's link rows, for the co-occurrence prototype (default citation kinds).
_LINKS = {
    "source": (
        "SELECT claim_id, source_id AS e FROM claim_citation WHERE kind IN ('cited', 'inline')"
    ),
    "actor": "SELECT claim_id, actor_id AS e FROM claim_actor",
    "topic": "SELECT claim_id, topic_id AS e FROM claim_topic",
}


def _kept_counts(path: str, source: str, repeat: int) -> None:
    """Build a temporary co-occurrence table and read the three facets of one source from it."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        conn.execute("PRAGMA temp_store=MEMORY")
        conn.execute(
            "CREATE TEMP TABLE pair (a_kind TEXT, a_id INT, b_kind TEXT, b_id INT, n INT, "
            "PRIMARY KEY (a_kind, a_id, b_kind, n DESC, b_id)) WITHOUT ROWID"
        )
        started = time.perf_counter()
        for a_kind, a_sql in _LINKS.items():
            for b_kind, b_sql in _LINKS.items():
                conn.execute(
                    f"INSERT INTO temp.pair SELECT '{a_kind}', a.e, '{b_kind}', b.e, count(*) "
                    f"FROM ({a_sql}) a JOIN ({b_sql}) b ON b.claim_id = a.claim_id "
                    "GROUP BY a.e, b.e"
                )
        built = time.perf_counter() - started
        (rows,) = conn.execute("SELECT count(*) FROM temp.pair").fetchone()
        (source_id,) = conn.execute("SELECT id FROM source WHERE slug = ?", (source,)).fetchone()

        def facets() -> list[Any]:
            return [
                conn.execute(
                    "SELECT b_id, n FROM temp.pair WHERE a_kind = 'source' AND a_id = ? "
                    "AND b_kind = ? ORDER BY n DESC, b_id LIMIT 10",
                    (source_id, kind),
                ).fetchall()
                for kind in _LINKS
            ]

        first, median, _ = _time(facets, repeat)
        links = " UNION ALL ".join(f"SELECT claim_id FROM ({sql})" for sql in _LINKS.values())
        (touched,) = conn.execute(
            f"SELECT avg(k * k) FROM (SELECT count(*) AS k FROM ({links}) GROUP BY claim_id)"
        ).fetchone()
        print(
            f"\nfacets of source={source} from kept counts: {first:.3f} / {median:.3f} ms "
            f"(table of {rows:,} rows built in {built:.1f} s; a claim's write would touch "
            f"{touched:.1f} of its rows on average)"
        )
    finally:
        conn.close()


def main(argv: list[str] | None = None) -> int:
    """Time the service's facets and search against the candidates; print a table."""
    parser = argparse.ArgumentParser(prog="python -m bench.facet_sql")
    parser.add_argument("--db", default=DEFAULT_DB)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    engine = create_db_engine(args.db, pool_size=1)
    with engine.connect() as conn:
        top = (
            conn.execute(
                text(
                    "SELECT s.slug FROM claim_citation l JOIN source s ON s.id = l.source_id "
                    "WHERE l.kind IN ('cited', 'inline') GROUP BY s.slug ORDER BY count(*) DESC"
                )
            )
            .scalars()
            .first()
        )
        actor = conn.execute(
            text("SELECT slug FROM actor ORDER BY claim_count DESC LIMIT 1 OFFSET 4")
        ).scalar_one()
        topic = conn.execute(
            text("SELECT slug FROM topic ORDER BY claim_count DESC LIMIT 1 OFFSET 2")
        ).scalar_one()
    cases = {
        f"source={top}": ClaimFilter(source=(str(top),)),
        f"actor={actor}&topic={topic}": ClaimFilter(actor=(actor,), topic=(topic,)),
    }
    names = list(KINDS)
    print(f"bench.facet_sql: {args.db}, first run / median of {args.repeat} (ms)\n")
    print(f"{'request':<44} {'service':>18} {'exact':>18}  matching  same top 10")
    for label, filters in cases.items():
        with session_scope(engine) as session:
            query = resolve_query(session, filters=filters)
            first, median, theirs = _time(
                lambda s=session, f=filters: facets(s, filters=f, names=names, limit=10),
                args.repeat,
            )
            first2, median2, ours = _time(
                lambda s=session, q=query: _exact_facets(s, q), args.repeat
            )
        same = theirs["facets"] == ours["facets"]
        print(
            f"facets {label:<37} {first:>8.1f} / {median:>6.1f} {first2:>8.1f} / {median2:>6.1f}"
            f"  {ours['count']:>8,}  {same}{' (service truncated)' if theirs['truncated'] else ''}"
        )
    print(f"\n{'search, first page of 50':<44} {'service':>18} {'bounded':>18}  same ids")
    for words in ("sanctions", "ceasefire", "officials", "minister"):
        with session_scope(engine) as session:
            filters = ClaimFilter(q=words, order="relevance")
            first, median, page = _time(
                lambda s=session, f=filters: claim_page(s, filters=f, cursor=None, limit=50),
                args.repeat,
            )
            first2, median2, rows = _time(
                lambda s=session, w=words: _bounded_page(s, w, 51), args.repeat
            )
        same = [c["id"] for c in page["items"]] == [row[0] for row in rows[:50]]
        print(
            f"q={words:<42} {first:>8.1f} / {median:>6.1f} {first2:>8.1f} / {median2:>6.1f}  {same}"
        )
    engine.dispose()
    if is_sqlite(args.db):
        _kept_counts(str(make_url(args.db).database), str(top), args.repeat)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
