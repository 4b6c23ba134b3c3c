"""Use cases: routes and the command line call these; these call the splitter and repository."""

from app.services.actors import add_actor, set_actor_aliases
from app.services.articles import (
    IngestOutcome,
    ReprocessOutcome,
    article_with_claims,
    delete_article,
    ingest_article,
    reprocess_article,
    text_hash,
)
from app.services.claims import CountMode, claim_jsonld, claim_page, facets, stream_claims
from app.services.registries import sync_registries
from app.services.split_json import split_response
from app.services.tagging import SplitterCache, SplitterSetup, splitter_for

__all__ = [
    "CountMode",
    "IngestOutcome",
    "ReprocessOutcome",
    "SplitterCache",
    "SplitterSetup",
    "add_actor",
    "article_with_claims",
    "claim_jsonld",
    "claim_page",
    "delete_article",
    "facets",
    "ingest_article",
    "reprocess_article",
    "set_actor_aliases",
    "split_response",
    "splitter_for",
    "stream_claims",
    "sync_registries",
    "text_hash",
]
