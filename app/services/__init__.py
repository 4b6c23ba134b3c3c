"""Use cases: routes and the command line call these; these call the splitter and repository."""

from app.services.actors import add_actor, set_actor_aliases
from app.services.articles import (
    IngestOutcome,
    PreparedArticle,
    ReprocessOutcome,
    article_with_claims,
    delete_article,
    ingest_article,
    prepare_article,
    prepared_article,
    reprocess_article,
    store_article,
    store_resplit,
    text_hash,
)
from app.services.batch import (
    GROUP_ARTICLES,
    MAX_BATCH_ITEMS,
    POOL_MINIMUM,
    checked_article,
    ingest_batch,
    parse_batch,
    parse_ndjson_line,
    store_batch,
    store_prepared,
)
from app.services.changes import change_page
from app.services.claims import CountMode, claim_jsonld, claim_page, facets, stream_claims
from app.services.registries import sync_registries
from app.services.split_guard import INLINE_BYTES, ClientGone, SplitGuard, SplitTooCostly
from app.services.split_json import split_response
from app.services.split_pool import ArticleProblem, SplitPool, default_workers
from app.services.tagging import SplitterCache, SplitterSetup, splitter_for

__all__ = [
    "GROUP_ARTICLES",
    "INLINE_BYTES",
    "MAX_BATCH_ITEMS",
    "POOL_MINIMUM",
    "ArticleProblem",
    "ClientGone",
    "CountMode",
    "IngestOutcome",
    "PreparedArticle",
    "ReprocessOutcome",
    "SplitGuard",
    "SplitPool",
    "SplitTooCostly",
    "SplitterCache",
    "SplitterSetup",
    "add_actor",
    "article_with_claims",
    "change_page",
    "checked_article",
    "claim_jsonld",
    "claim_page",
    "default_workers",
    "delete_article",
    "facets",
    "ingest_article",
    "ingest_batch",
    "parse_batch",
    "parse_ndjson_line",
    "prepare_article",
    "prepared_article",
    "reprocess_article",
    "set_actor_aliases",
    "split_response",
    "splitter_for",
    "store_article",
    "store_batch",
    "store_prepared",
    "store_resplit",
    "stream_claims",
    "sync_registries",
    "text_hash",
]
