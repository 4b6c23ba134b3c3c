"""Ingestion throughput: the splitter alone, POST /v1/articles:batch, and `claimsapi ingest`.

Run: .venv/bin/python -m bench.ingest [--articles 2000] [--batch 500]

Generates distinct ~3.5 KB articles (the size of a typical wire story), then on a
fresh SQLite database each time measures articles/s of: splitting only and
storing only (one core each), and the bound they put on the machine's cores,
which no way in can pass; the batch endpoint of a served instance (1 worker,
loopback); and the command line with 1 and with N splitting processes.
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import orjson

from app.db import create_db_engine
from app.migrate import upgrade
from app.schemas import ArticleIn
from app.services.ingest.store import prepare_article, store_prepared
from app.services.splitters import SplitterCache, splitter_for
from app.settings import Settings
from bench.splitter import PUBLISHERS, _sentence

TARGET_BYTES = 3_500


def make_articles(count: int, *, seed: int = 11) -> list[dict[str, str]]:
    """`count` distinct text articles of about 3.5 KB with a reference list."""
    rng = random.Random(seed)
    refs = "\n".join(f"[{i}] {name}" for i, name in enumerate(PUBLISHERS, 1))
    articles = []
    for number in range(count):
        paragraphs: list[str] = []
        size = 0
        while size < TARGET_BYTES - len(refs) - 60:
            paragraph = " ".join(_sentence(rng) for _ in range(rng.randint(2, 4)))
            paragraphs.append(paragraph)
            size += len(paragraph) + 2
        text = f"Generated headline number {number}\n\n" + "\n\n".join(paragraphs)
        articles.append({"text": text + "\n\n" + refs, "format": "text"})
    return articles


def _rate(count: int, seconds: float) -> str:
    return f"{count / seconds:8.1f} articles/s  ({count} in {seconds:.2f} s)"


def bench_split(articles: list[dict[str, str]]) -> float:
    """Splitting alone, one core: articles/s."""
    splitter = splitter_for(Settings()).splitter
    started = time.perf_counter()
    for article in articles:
        splitter.split(article["text"], format="text")
    elapsed = time.perf_counter() - started
    print(f"splitter only (1 core)     {_rate(len(articles), elapsed)}")
    return len(articles) / elapsed


def bench_store(articles: list[dict[str, str]], *, folder: Path) -> float:
    """Storing alone: articles split beforehand, stored as bulk ingestion stores (the writer's
    ceiling)."""
    url = f"sqlite:///{folder / 'store.db'}"
    upgrade(url)
    engine = create_db_engine(url, pool_size=1)
    setup = SplitterCache(splitter_for(Settings())).current(engine)
    prepared = [
        prepare_article(article=ArticleIn.model_validate(a), splitter=setup.splitter)
        for a in articles
    ]
    started = time.perf_counter()
    for _ in store_prepared(engine, prepared, actors=setup.actors):
        pass
    elapsed = time.perf_counter() - started
    engine.dispose()
    print(f"store only (1 core)        {_rate(len(articles), elapsed)}")
    return len(articles) / elapsed


def print_bound(split_rate: float, store_rate: float, cores: int) -> None:
    """The most any way in can reach here: every article costs a split and a store in CPU,
    spread over the cores, and the one writer stores them all."""
    bound = min(store_rate, cores / (1 / split_rate + 1 / store_rate))
    print(f"bound on {cores} cores           {bound:8.1f} articles/s  (split + store CPU / cores)")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def bench_batch(articles: list[dict[str, str]], *, batch: int, folder: Path) -> None:
    """POST /v1/articles:batch against `claimsapi serve` (1 worker) on a fresh database."""
    url = f"sqlite:///{folder / 'batch.db'}"
    upgrade(url)
    port = _free_port()
    env = {**os.environ, "CLAIMS_DATABASE_URL": url, "CLAIMS_LOG_LEVEL": "WARNING"}
    server = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        with httpx.Client(base_url=base, timeout=600) as client:
            for _ in range(100):
                try:
                    if client.get("/readyz").status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                time.sleep(0.1)
            for label, ndjson in (("JSON array", False), ("NDJSON", True)):
                chunks = [articles[i : i + batch] for i in range(0, len(articles), batch)]
                if ndjson:  # different texts from the JSON run, or all would be `existing`
                    chunks = [
                        [{**a, "text": a["text"] + "\n\nNDJSON copy."} for a in chunk]
                        for chunk in chunks
                    ]
                started = time.perf_counter()
                created = 0
                for chunk in chunks:
                    if ndjson:
                        body = b"\n".join(orjson.dumps(a) for a in chunk)
                        headers = {"content-type": "application/x-ndjson"}
                    else:
                        body, headers = orjson.dumps(chunk), {"content-type": "application/json"}
                    response = client.post("/v1/articles:batch", content=body, headers=headers)
                    response.raise_for_status()
                    created += response.json()["created"]
                elapsed = time.perf_counter() - started
                assert created == len(articles), created
                name = f"batch endpoint, {label}"
                print(f"{name:26} {_rate(len(articles), elapsed)}  [{batch}/request]")
    finally:
        server.terminate()
        server.wait(timeout=30)


def bench_cli(articles: list[dict[str, str]], *, folder: Path, jobs: int) -> None:
    """`claimsapi ingest FILE.ndjson` on a fresh database."""
    source = folder / "articles.ndjson"
    source.write_bytes(b"\n".join(orjson.dumps(a) for a in articles) + b"\n")
    url = f"sqlite:///{folder / f'cli-{jobs}.db'}"
    upgrade(url)
    env = {**os.environ, "CLAIMS_DATABASE_URL": url}
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "app.cli", "ingest", str(source), "--jobs", str(jobs)],
        env=env,
        check=True,
        stderr=subprocess.PIPE,
    )
    elapsed = time.perf_counter() - started
    name = f"claimsapi ingest --jobs {jobs}"
    print(f"{name:26} {_rate(len(articles), elapsed)}  (wall clock, process start included)")


def main() -> None:
    """Print articles/s for each way in."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=2_000)
    parser.add_argument("--batch", type=int, default=500, help="articles per batch request")
    args = parser.parse_args()
    articles = make_articles(args.articles)
    mean = sum(len(a["text"].encode()) for a in articles) / len(articles)
    print(f"{len(articles)} articles, mean {mean:.0f} bytes, {os.cpu_count()} cores\n")
    split_rate = bench_split(articles)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        store_rate = bench_store(articles, folder=folder)
        print_bound(split_rate, store_rate, os.cpu_count() or 1)
        bench_batch(articles, batch=args.batch, folder=folder)
        for jobs in sorted({0, 1, os.cpu_count() or 1}):
            bench_cli(articles, folder=folder, jobs=jobs)


if __name__ == "__main__":
    main()
