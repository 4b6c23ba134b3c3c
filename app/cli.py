"""claimsapi: serve | db upgrade | ingest | reprocess | split | openapi | eval."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import orjson
from sqlalchemy.engine import Engine

from app.settings import InvalidSettingsError, Settings, load_settings

__all__ = ["main"]


def _settings() -> Settings:
    try:
        return load_settings()
    except InvalidSettingsError as exc:
        print(f"claimsapi: {exc}", file=sys.stderr)
        raise SystemExit(2) from None


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    settings = _settings()
    if args.workers > 1 and settings.split_workers is None:
        # Each serving process splits its own batches: share the cores among them.
        share = max(1, (os.cpu_count() or 1) // args.workers - 1)
        os.environ["CLAIMS_SPLIT_WORKERS"] = str(share)
    from app.server import uvicorn_options

    uvicorn.run(
        "app.main:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_level=settings.log_level.lower(),
        access_log=args.access_log,
        **uvicorn_options(settings),
    )
    return 0


def _db_upgrade(args: argparse.Namespace) -> int:
    from app.migrate import upgrade

    settings = _settings()
    upgrade(settings.database_url, args.revision)
    print(f"database at {args.revision}", file=sys.stderr)
    return 0


def _ingest(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from app.db import create_db_engine
    from app.services.ingest.files import count_articles, ingest_articles, read_articles
    from app.services.ingest.pool import default_workers
    from app.services.splitters import SplitterCache, splitter_for

    settings = _settings()
    engine = create_db_engine(settings.database_url, pool_size=1)
    if problem := _unmigrated(engine):
        print(f"claimsapi ingest: {problem}", file=sys.stderr)
        return 2
    setup = SplitterCache(splitter_for(settings)).current(engine)
    total = count_articles(args.files)
    articles = read_articles(
        args.files, format_override=args.format, max_article_bytes=settings.max_article_bytes
    )
    created = existing = failed = 0
    started = time.perf_counter()
    progress = tqdm(total=total, unit="article", disable=total < 2 or None, file=sys.stderr)
    stored = ingest_articles(
        engine,
        articles=articles,
        setup=setup,
        jobs=default_workers(settings.split_workers if args.jobs is None else args.jobs),
        total=total,
    )
    for result in stored:
        progress.update()
        if result.error is not None:
            failed += 1
            tqdm.write(f"{result.label}: {result.error}", file=sys.stderr)
            continue
        if result.created:
            created += 1
        else:
            existing += 1
        if total == 1:
            state = "created" if result.created else "existing"
            print(f"{result.label}: article {result.article_id} ({state})")
    progress.close()
    elapsed = time.perf_counter() - started
    done = created + existing
    rate = done / elapsed if elapsed else 0.0
    print(
        f"ingested {done} of {done + failed} articles: {created} created, "
        f"{existing} existing, {failed} failed in {elapsed:.1f} s ({rate:.0f} articles/s)",
        file=sys.stderr,
    )
    engine.dispose()
    return 1 if failed else 0


def _unmigrated(engine: Engine) -> str | None:
    """Why the database cannot take writes yet (not migrated, or behind), or None."""
    from sqlalchemy.exc import SQLAlchemyError

    from app.migrate import current_revision, head_revision

    try:
        current = current_revision(engine)
    except SQLAlchemyError as exc:
        return f"cannot read the database: {exc.__class__.__name__}"
    expected = head_revision()
    if current == expected:
        return None
    state = "has never been migrated" if current is None else f"is at revision {current}"
    return f"the database {state}, not {expected}: run `claimsapi db upgrade` first"


def _reprocess(args: argparse.Namespace) -> int:
    from sqlalchemy import text
    from tqdm import tqdm

    from app.db import create_db_engine
    from app.services.articles import reprocess_article
    from app.services.splitters import SplitterCache, splitter_for

    if not args.all and not args.ids:
        print("claimsapi reprocess: name article ids or pass --all", file=sys.stderr)
        return 2
    settings = _settings()
    engine = create_db_engine(settings.database_url, pool_size=1)
    if problem := _unmigrated(engine):
        print(f"claimsapi reprocess: {problem}", file=sys.stderr)
        return 2
    splitter, actors, _ = SplitterCache(splitter_for(settings)).current(engine)
    if args.all:
        with engine.connect() as conn:
            ids = [row[0] for row in conn.execute(text("SELECT id FROM article ORDER BY id"))]
    else:
        ids = list(args.ids)
    totals = {"kept": 0, "added": 0, "dropped": 0, "missing": 0}
    for article_id in tqdm(ids, unit="article", disable=len(ids) < 2 or None, file=sys.stderr):
        # One transaction per article: a failure leaves every other article re-split or as it was.
        outcome = reprocess_article(engine, article_id=article_id, splitter=splitter, actors=actors)
        if outcome is None:
            totals["missing"] += 1
            continue
        totals["kept"] += outcome.kept
        totals["added"] += outcome.added
        totals["dropped"] += outcome.dropped
    engine.dispose()
    print(
        f"reprocessed {len(ids) - totals['missing']} articles: {totals['kept']} claims kept, "
        f"{totals['added']} added, {totals['dropped']} dropped; {totals['missing']} not found",
        file=sys.stderr,
    )
    return 1 if totals["missing"] else 0


def _split(args: argparse.Namespace) -> int:
    from app.schemas import ArticleIn
    from app.services.ingest.files import article_from_file
    from app.services.splitters import splitter_for
    from app.views import split_json

    splitter = splitter_for(_settings()).splitter
    article = ArticleIn.model_validate(article_from_file(Path(args.file), args.format))
    result = splitter.split(
        article.text, format=article.format, title=article.title, language=article.language
    )
    sys.stdout.write(
        orjson.dumps(split_json(result, text=article.text), option=orjson.OPT_INDENT_2).decode()
        + "\n"
    )
    return 0


def _openapi_text() -> str:
    from app.main import create_app

    document = create_app(Settings()).openapi()
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _openapi(args: argparse.Namespace) -> int:
    target = Path(args.output)
    wanted = _openapi_text()
    if args.check:
        current = target.read_text(encoding="utf-8") if target.exists() else ""
        if current != wanted:
            print(
                f"{target} is out of date: run `claimsapi openapi` and commit it", file=sys.stderr
            )
            return 1
        print(f"{target} matches the app", file=sys.stderr)
        return 0
    target.write_text(wanted, encoding="utf-8")
    print(f"wrote {target}", file=sys.stderr)
    if args.readme:
        from app.openapi import with_routes_table

        readme = Path(args.readme)
        text = readme.read_text(encoding="utf-8")
        readme.write_text(with_routes_table(text, json.loads(wanted)), encoding="utf-8")
        print(f"wrote the route table of {readme}", file=sys.stderr)
    return 0


def _eval(args: argparse.Namespace) -> int:
    from app.evaluation import evaluate_folder, format_cases, format_report

    report = evaluate_folder(Path(args.dir))
    print(format_report(report, misses=not args.summary))
    if not args.summary:
        print()
        print(format_cases(report))
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The command-line interface."""
    parser = argparse.ArgumentParser(prog="claimsapi", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="run the HTTP service")
    serve.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    serve.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    serve.add_argument("--workers", type=int, default=1)
    serve.add_argument("--access-log", action="store_true", help="log every request")
    serve.set_defaults(run=_serve)

    db = commands.add_parser("db", help="database maintenance")
    db_commands = db.add_subparsers(dest="db_command", required=True)
    upgrade = db_commands.add_parser("upgrade", help="migrate the database to the newest schema")
    upgrade.add_argument("revision", nargs="?", default="head")
    upgrade.set_defaults(run=_db_upgrade)

    formats = ("text", "markdown", "html")
    ingest = commands.add_parser(
        "ingest",
        help="split and store articles: files, folders (recursively) and .ndjson files",
    )
    ingest.add_argument("files", nargs="+", metavar="DIR|FILE.ndjson|FILE")
    ingest.add_argument(
        "--format", choices=formats, help="override the format guessed from suffixes"
    )
    ingest.add_argument(
        "--jobs",
        type=int,
        default=None,
        metavar="N",
        help="processes that split while this one stores (default: CLAIMS_SPLIT_WORKERS, else "
        "cores - 1, at least 1; "
        "0: split here)",
    )
    ingest.set_defaults(run=_ingest)

    reprocess = commands.add_parser(
        "reprocess", help="re-split stored articles with the current splitter"
    )
    reprocess.add_argument("ids", nargs="*", type=int, metavar="ID")
    reprocess.add_argument("--all", action="store_true", help="every stored article")
    reprocess.set_defaults(run=_reprocess)

    split = commands.add_parser("split", help="print what POST /v1/split returns for a file")
    split.add_argument("file", metavar="FILE")
    split.add_argument("--format", choices=formats)
    split.set_defaults(run=_split)

    openapi = commands.add_parser("openapi", help="write or check openapi.json")
    openapi.add_argument("--check", action="store_true", help="fail when the file differs")
    openapi.add_argument("--output", default="openapi.json")
    openapi.add_argument(
        "--readme", help="also rewrite the route table of this README from the document"
    )
    openapi.set_defaults(run=_openapi)

    evaluate = commands.add_parser("eval", help="score the splitter on a folder of annotated cases")
    evaluate.add_argument("dir", metavar="DIR")
    evaluate.add_argument(
        "--summary",
        action="store_true",
        help="the figures only: no misses, no per-case lines (for a set kept unseen)",
    )
    evaluate.set_defaults(run=_eval)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the claimsapi console script."""
    args = build_parser().parse_args(argv)
    code: int = args.run(args)
    return code


if __name__ == "__main__":
    raise SystemExit(main())
