"""Every query the service makes.

Reads return JSON-ready dicts; writes run in the caller's transaction.
"""

from app.repository.articles import (
    article_by_id,
    article_exists,
    article_id_by_hash,
    article_summaries,
    references_of,
)
from app.repository.changes import changes_after
from app.repository.claim_query import ClaimQuery, cursor_arity, resolve_query
from app.repository.claims import (
    ClaimRowKey,
    claims_by_ids,
    count_claims,
    facet_counts,
    is_unfiltered,
    list_claim_keys,
    matching_more_than,
)
from app.repository.entities import (
    actor_edit_stamp,
    actor_slug_by_name,
    claims_by_month,
    edited_actors,
    ensure_entities,
    entity_by_slug,
    list_entities,
    save_actor,
    upsert_topics,
)
from app.repository.filters import ClaimFilter, Order
from app.repository.health import database_writable, registries_present
from app.repository.kinds import CITATION_KINDS, KINDS
from app.repository.writes import (
    ClaimRow,
    article_source,
    claim_texts,
    delete_article,
    insert_article,
    rewrite_article,
    serialise_writes,
)

__all__ = [
    "CITATION_KINDS",
    "KINDS",
    "ClaimFilter",
    "ClaimQuery",
    "ClaimRow",
    "ClaimRowKey",
    "Order",
    "actor_edit_stamp",
    "actor_slug_by_name",
    "article_by_id",
    "article_exists",
    "article_id_by_hash",
    "article_source",
    "article_summaries",
    "changes_after",
    "claim_texts",
    "claims_by_ids",
    "claims_by_month",
    "count_claims",
    "cursor_arity",
    "database_writable",
    "delete_article",
    "edited_actors",
    "ensure_entities",
    "entity_by_slug",
    "facet_counts",
    "insert_article",
    "is_unfiltered",
    "list_claim_keys",
    "list_entities",
    "matching_more_than",
    "references_of",
    "registries_present",
    "resolve_query",
    "rewrite_article",
    "save_actor",
    "serialise_writes",
    "upsert_topics",
]
