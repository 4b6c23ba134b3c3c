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
from app.repository.claims import claims_by_ids, list_claim_ids
from app.repository.entities import (
    ENTITIES,
    actor_edit_stamp,
    actor_slug_by_name,
    edited_actors,
    ensure_entities,
    entity_by_slug,
    list_entities,
    save_actor,
)
from app.repository.filters import ENTITY_FILTERS, ClaimFilter
from app.repository.writes import (
    ClaimRow,
    article_source,
    claim_texts,
    delete_article,
    insert_article,
    rewrite_article,
    serialise_ingest,
)

__all__ = [
    "ENTITIES",
    "ENTITY_FILTERS",
    "ClaimFilter",
    "ClaimRow",
    "actor_edit_stamp",
    "actor_slug_by_name",
    "article_by_id",
    "article_exists",
    "article_id_by_hash",
    "article_source",
    "article_summaries",
    "claim_texts",
    "claims_by_ids",
    "delete_article",
    "edited_actors",
    "ensure_entities",
    "entity_by_slug",
    "insert_article",
    "list_claim_ids",
    "list_entities",
    "references_of",
    "rewrite_article",
    "save_actor",
    "serialise_ingest",
]
