"""Build a benchmark database of N claims through the project's own write path.

Run: .venv/bin/python -m bench.seed --claims 1000000 [--db URL] [--fresh]

Two phases, both printed with their rates:

1. distinct articles (up to --distinct, 5,000 by default) are generated
   (bench/corpus.py), split by the real splitter in a process pool
   (prepare_article) and stored by store_prepared, the same
   code the batch endpoint and `claimsapi ingest` run;
2. the rest of the target is made by replicating those rows at SQL level
   under new article ids (later publication dates, new hashes and URLs, same
   text), keeping every key consistent: claim.sort_key and the link tables'
   claim_key are (article_id << 24) | position. On SQLite the claim_fts
   triggers index the copies as they are inserted; on PostgreSQL the GIN index
   follows by itself.
"""

from __future__ import annotations

import argparse
import math
import multiprocessing
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import Engine, make_url

from app.db import create_db_engine, is_sqlite, session_scope
from app.migrate import downgrade, upgrade
from app.models import POSITION_BITS
from app.schemas import ArticleIn
from app.services.ingest.check import ArticleProblem
from app.services.ingest.store import (
    GROUP_ARTICLES,
    PreparedArticle,
    prepare_article,
    store_prepared,
)
from app.services.registries import sync_registries
from app.services.splitters import SplitterSetup
from app.splitter.actors.registry import ActorRegistry
from app.splitter.core import Splitter
from app.splitter.topics.taxonomy import TopicTaxonomy
from bench import corpus

__all__ = ["DEFAULT_DB", "check_counters", "main"]

DEFAULT_DB = "sqlite:///bench/data/bench.db"

_setup: SplitterSetup | None = None


def _registries() -> SplitterSetup:
    actors = ActorRegistry.default()
    topics = TopicTaxonomy.default()
    return SplitterSetup(Splitter(actors=actors, topics=topics), actors, topics)


def _prepare(seed: int) -> PreparedArticle:
    """Worker: generate article `seed` and split it (the CPU-bound half of ingestion)."""
    global _setup
    if _setup is None:
        _setup = _registries()
    generated = corpus.article(seed)
    article = ArticleIn(
        text=generated.text,
        format=generated.format,
        title=generated.title,
        url=generated.url,
        published_at=generated.published_at,
    )
    return prepare_article(article=article, splitter=_setup.splitter)


def _fresh(url: str) -> None:
    if is_sqlite(url):
        database = make_url(url).database
        if database and database != ":memory:":
            for suffix in ("", "-wal", "-shm"):
                Path(database + suffix).unlink(missing_ok=True)
        return
    downgrade(url, "base")


def _article_count(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text("SELECT count(*) FROM article")).scalar_one())


def _store_distinct(engine: Engine, *, count: int, target_claims: int, workers: int) -> int:
    """Split and store up to `count` generated articles; stop early at target_claims."""
    setup = _registries()
    with session_scope(engine, write=True) as session:
        sync_registries(session, actors=setup.actors, topics=setup.topics)
    stored = claims = 0
    context = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
    with context.Pool(workers) as pool:
        prepared: Iterator[PreparedArticle] = pool.imap(_prepare, range(1, count + 1), 16)

        def until_target() -> Iterator[PreparedArticle]:
            nonlocal claims
            for item in prepared:
                if claims >= target_claims:
                    return
                claims += len(item.result.statements)
                yield item

        for outcome in store_prepared(engine, until_target(), actors=setup.actors):
            if isinstance(outcome, ArticleProblem):
                raise RuntimeError(f"a generated article failed: {outcome.message()}")
            stored += 1
            if stored % 100 == 0:
                print(f"\r  stored {stored:,} articles, {claims:,} claims", end="", file=sys.stderr)
        pool.terminate()
    print(file=sys.stderr)
    return stored


def _max_id(engine: Engine, table: str, column: str = "id") -> int:
    with engine.connect() as conn:
        return int(
            conn.execute(text(f"SELECT coalesce(max({column}), 0) FROM {table}")).scalar_one()
        )


def _replicate(engine: Engine, *, target_claims: int) -> int:
    """Copy the stored articles under new ids until the database holds target_claims claims."""
    sqlite = is_sqlite(engine)
    articles = _max_id(engine, "article")
    claims = _max_id(engine, "claim")
    changes = _max_id(engine, "claim_change", "seq")
    with engine.connect() as conn:
        have = int(conn.execute(text("SELECT count(*) FROM claim")).scalar_one())
        per_article = [
            int(row[0])
            for row in conn.execute(
                text("SELECT count(*) FROM claim GROUP BY article_id ORDER BY article_id")
            )
        ]
    if have >= target_claims or not articles:
        return 0
    minutes = 37 * articles  # the corpus publishes one article every 37 minutes
    copied = 0
    copy = 0
    while have < target_claims:
        copy += 1
        # How many template articles this copy needs (the last copy may be partial).
        needed, upto = target_claims - have, 0
        for count in per_article:
            if needed <= 0:
                break
            needed -= count
            upto += 1
        a_off, c_off = copy * articles, copy * claims
        k_off = a_off << POSITION_BITS
        params = {"a_off": a_off, "c_off": c_off, "k_off": k_off, "upto": upto, "copy": copy}
        if sqlite:
            new_hash = "substr(text_hash, 1, 56) || printf('%08x', :copy)"
            shifted = f"datetime(published_at, '+{copy * minutes} minutes') || '.000000'"
        else:
            new_hash = "left(text_hash, 56) || lpad(to_hex(CAST(:copy AS integer)), 8, '0')"
            shifted = f"published_at + interval '{copy * minutes} minutes'"
        statements = (
            "INSERT INTO article (id, title, client_title, url, published_at, format, text, "
            "text_hash, splitter_version, ingested_at, integrity) "
            f"SELECT id + :a_off, title, client_title, url || '?copy=' || :copy, {shifted}, "
            f"format, text, {new_hash}, splitter_version, ingested_at, integrity "
            "FROM article WHERE id <= :upto",
            'INSERT INTO "reference" (article_id, position, label, text, url, source_id) '
            'SELECT article_id + :a_off, position, label, text, url, source_id FROM "reference" '
            "WHERE article_id <= :upto",
            "INSERT INTO claim (id, article_id, position, sort_key, text, section, span_start, "
            "span_end, span_utf16_start, span_utf16_end, paragraph, splitter_version) "
            "SELECT id + :c_off, article_id + :a_off, position, sort_key + :k_off, text, "
            "section, span_start, span_end, span_utf16_start, span_utf16_end, paragraph, "
            "splitter_version FROM claim WHERE article_id <= :upto ORDER BY id",
            "INSERT INTO claim_citation (claim_id, source_id, claim_key, kind, label) "
            "SELECT l.claim_id + :c_off, l.source_id, l.claim_key + :k_off, l.kind, l.label "
            "FROM claim_citation l JOIN claim c ON c.id = l.claim_id "
            "WHERE c.article_id <= :upto",
            "INSERT INTO claim_actor (claim_id, actor_id, claim_key) "
            "SELECT l.claim_id + :c_off, l.actor_id, l.claim_key + :k_off "
            "FROM claim_actor l JOIN claim c ON c.id = l.claim_id WHERE c.article_id <= :upto",
            "INSERT INTO claim_topic (claim_id, topic_id, claim_key) "
            "SELECT l.claim_id + :c_off, l.topic_id, l.claim_key + :k_off "
            "FROM claim_topic l JOIN claim c ON c.id = l.claim_id WHERE c.article_id <= :upto",
            "INSERT INTO claim_change (claim_id, article_id, kind, changed_at) "
            "SELECT claim_id + :c_off, article_id + :a_off, kind, changed_at FROM claim_change "
            "WHERE seq <= :changes AND article_id <= :upto ORDER BY seq",
        )
        with session_scope(engine, write=True) as session:
            for statement in statements:
                session.execute(text(statement), {**params, "changes": changes})
        have += sum(per_article[:upto])
        copied += upto
        print(f"\r  copy {copy}: {copied:,} articles, {have:,} claims", end="", file=sys.stderr)
    print(file=sys.stderr)
    if not sqlite:
        with session_scope(engine, write=True) as session:
            for table, column in (("article", "id"), ("claim", "id")):
                session.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'), "
                        f"(SELECT max({column}) FROM {table}))"
                    )
                )
    return copied


# entity table -> SQL counting its claims for the row aliased `e` (as migration 0003 does)
_ENTITY_COUNTS = {
    "source": "SELECT count(*) FROM claim_citation l WHERE l.source_id = e.id "
    "AND l.kind IN ('cited', 'inline')",
    "actor": "SELECT count(*) FROM claim_actor l WHERE l.actor_id = e.id",
    "topic": "SELECT count(*) FROM claim_topic l WHERE l.topic_id = e.id",
}


def _recount(engine: Engine) -> None:
    """Bring the running counters in step with the rows: the SQL copies bypass the writes
    that keep them (before this, `count=exact` answered the phase-1 count alone)."""
    with session_scope(engine, write=True) as session:
        for table, count in _ENTITY_COUNTS.items():
            session.execute(text(f"UPDATE {table} AS e SET claim_count = ({count})"))
        session.execute(text("DELETE FROM counter WHERE name = 'claims'"))
        session.execute(
            text("INSERT INTO counter (name, value) SELECT 'claims', count(*) FROM claim")
        )


def check_counters(engine: Engine) -> list[str]:
    """Every running counter against a real count: a line per mismatch (none when right)."""
    wrong: list[str] = []
    with engine.connect() as conn:
        real = int(conn.execute(text("SELECT count(*) FROM claim")).scalar_one())
        kept = conn.execute(text("SELECT value FROM counter WHERE name = 'claims'")).scalar()
        if kept != real:
            wrong.append(f"claims: counter {kept}, real {real}")
        for table, count in _ENTITY_COUNTS.items():
            rows = conn.execute(
                text(
                    f"SELECT slug, claim_count, ({count}) FROM {table} e "
                    f"WHERE claim_count <> ({count})"
                )
            ).all()
            wrong.extend(f"{table} {slug}: counter {kept_}, real {n}" for slug, kept_, n in rows)
    return wrong


def _analyze(engine: Engine) -> str:
    if is_sqlite(engine):
        raw = engine.raw_connection()
        try:
            # Outside any transaction: the engine's BEGIN hook is bypassed on purpose.
            raw.execute("ANALYZE")
            raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            raw.close()
        return "ANALYZE"
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM ANALYZE")
    return "VACUUM ANALYZE"


def _summary(engine: Engine) -> list[str]:
    queries = {
        "articles": "SELECT count(*) FROM article",
        "claims": "SELECT count(*) FROM claim",
        "citations": "SELECT count(*) FROM claim_citation",
        "  cited": "SELECT count(*) FROM claim_citation WHERE kind = 'cited'",
        "  inline": "SELECT count(*) FROM claim_citation WHERE kind = 'inline'",
        "  context": "SELECT count(*) FROM claim_citation WHERE kind = 'context'",
        "actor links": "SELECT count(*) FROM claim_actor",
        "topic links": "SELECT count(*) FROM claim_topic",
        "sources cited": "SELECT count(DISTINCT source_id) FROM claim_citation",
        "actors used": "SELECT count(DISTINCT actor_id) FROM claim_actor",
        "topics used": "SELECT count(DISTINCT topic_id) FROM claim_topic",
    }
    lines: list[str] = []
    with engine.connect() as conn:
        for label, sql in queries.items():
            lines.append(f"  {label:<14} {int(conn.execute(text(sql)).scalar_one()):>12,}")
        top = conn.execute(
            text(
                "SELECT s.slug, count(*) FROM claim_citation l JOIN source s ON s.id = l.source_id "
                "WHERE l.kind IN ('cited', 'inline') GROUP BY s.slug ORDER BY 2 DESC LIMIT 3"
            )
        ).all()
        lines.append("  top sources    " + ", ".join(f"{s} {n:,}" for s, n in top))
        top = conn.execute(
            text(
                "SELECT a.slug, count(*) FROM claim_actor l JOIN actor a ON a.id = l.actor_id "
                "GROUP BY a.slug ORDER BY 2 DESC LIMIT 3"
            )
        ).all()
        lines.append("  top actors     " + ", ".join(f"{s} {n:,}" for s, n in top))
    return lines


def main(argv: list[str] | None = None) -> int:
    """Seed the database and print how long it took."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.seed", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--claims", type=int, default=1_000_000, help="claims to reach")
    parser.add_argument("--db", default=DEFAULT_DB, help=f"database URL (default {DEFAULT_DB})")
    parser.add_argument(
        "--distinct",
        type=int,
        default=5000,
        help="articles split and stored one by one; the rest are SQL copies (default 5000)",
    )
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="split processes")
    parser.add_argument("--fresh", action="store_true", help="drop an existing database first")
    args = parser.parse_args(argv)

    if args.fresh:
        _fresh(args.db)
    upgrade(args.db)
    engine = create_db_engine(args.db, pool_size=1)
    if _article_count(engine):
        print(f"{args.db} already holds articles: pass --fresh to rebuild it", file=sys.stderr)
        return 2
    print(f"seeding {args.db} with {args.claims:,} claims", file=sys.stderr)
    articles_needed = math.ceil(args.claims / 20)
    distinct = min(articles_needed + articles_needed // 10, args.distinct)

    started = time.perf_counter()
    stored = _store_distinct(
        engine, count=distinct, target_claims=args.claims, workers=max(1, args.workers)
    )
    split_time = time.perf_counter() - started
    print(
        f"phase 1, real write path (splitter in {args.workers} processes -> "
        f"store_prepared, {GROUP_ARTICLES} articles per transaction): "
        f"{stored:,} articles in {split_time:.1f} s ({stored / split_time:,.0f} articles/s)"
    )
    copy_started = time.perf_counter()
    copied = _replicate(engine, target_claims=args.claims)
    copy_time = time.perf_counter() - copy_started
    if copied:
        print(
            "phase 2, SQL-level copies of phase 1's rows under new ids (search index "
            f"{'by trigger' if is_sqlite(engine) else 'by its GIN index'}): "
            f"{copied:,} articles in {copy_time:.1f} s ({copied / copy_time:,.0f} articles/s)"
        )
    _recount(engine)
    wrong = check_counters(engine)
    if wrong:
        print("counters differ from a real count:\n  " + "\n  ".join(wrong[:20]), file=sys.stderr)
        return 1
    print("counters: equal to a real count (claims total and every source, actor, topic)")
    analyze_started = time.perf_counter()
    done = _analyze(engine)
    analyze_time = time.perf_counter() - analyze_started
    total = time.perf_counter() - started
    print(f"{done}: {analyze_time:.1f} s")
    print(
        f"total: {stored + copied:,} articles in {total:.1f} s "
        f"({(stored + copied) / total:,.0f} articles/s overall)"
    )
    print("\n".join(_summary(engine)))
    engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
