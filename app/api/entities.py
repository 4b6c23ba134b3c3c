"""Sources, actors and topics: lists with claim counts, and one by slug."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from starlette.responses import Response

from app.api.deps import (
    Cursor,
    Limit,
    ReadsDep,
    WriteSessionDep,
    next_link,
    problems,
    render,
    require_writer,
)
from app.cursors import decode_cursor, encode_cursor
from app.errors import NotFound
from app.links import absolute
from app.repository.entities import entity_by_slug, list_entities
from app.schemas import (
    Actor,
    ActorIn,
    ActorPage,
    ActorPatch,
    ActorType,
    SourcePage,
    SourceWithCount,
    Topic,
    TopicPage,
)
from app.services.actors import add_actor, set_actor_aliases

router = APIRouter(prefix="/v1")

Slug = Annotated[str, Path(max_length=128, description="The stable id.")]


async def _page(
    request: Request,
    reads: ReadsDep,
    *,
    kind: str,
    limit: int,
    cursor: str | None,
    prefix: str | None = None,
    actor_type: str | None = None,
) -> Response:
    query = f"{kind}:{prefix or ''}:{actor_type or ''}"
    after = str(decode_cursor(cursor, query=query, arity=1)[0]) if cursor else None
    items = await reads(
        lambda session: list_entities(
            session, kind=kind, after=after, limit=limit + 1, prefix=prefix, actor_type=actor_type
        )
    )
    next_cursor = (
        encode_cursor([items[limit - 1]["slug"]], query=query) if len(items) > limit else None
    )
    return render(
        {"items": items[:limit], "next_cursor": next_cursor},
        headers=next_link(request, next_cursor),
    )


async def _one(reads: ReadsDep, *, kind: str, slug: str) -> Response:
    entity = await reads(lambda session: entity_by_slug(session, kind=kind, slug=slug))
    if entity is None:
        raise NotFound(f"No {kind} has slug '{slug}'.")
    return render(entity)


@router.get(
    "/sources",
    response_model=SourcePage,
    responses=problems(400, 422),
    tags=["sources"],
    summary="List sources",
)
async def list_sources(
    request: Request, reads: ReadsDep, limit: Limit = 50, cursor: Cursor = None
) -> Response:
    """Publishers in slug order, each with the number of claims citing it."""
    return await _page(request, reads, kind="source", limit=limit, cursor=cursor)


@router.get(
    "/sources/{slug}",
    response_model=SourceWithCount,
    responses=problems(404, 422),
    tags=["sources"],
    summary="Get a source",
)
async def get_source(slug: Slug, reads: ReadsDep) -> Response:
    """One publisher."""
    return await _one(reads, kind="source", slug=slug)


@router.get(
    "/actors",
    response_model=ActorPage,
    responses=problems(400, 422),
    tags=["actors"],
    summary="List actors",
)
async def list_actors(
    request: Request,
    reads: ReadsDep,
    q: Annotated[
        str | None,
        Query(max_length=200, description="Prefix of the name or of an alias, any case."),
    ] = None,
    type: Annotated[ActorType | None, Query(description="Only actors of this type.")] = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Response:
    """Actors in slug order, each with the number of claims about it."""
    return await _page(
        request, reads, kind="actor", limit=limit, cursor=cursor, prefix=q, actor_type=type
    )


@router.post(
    "/actors",
    response_model=Actor,
    status_code=201,
    responses={
        200: {"model": Actor, "description": "The aliases were added to an existing actor."},
        **problems(400, 401, 409, 413, 415, 422),
    },
    dependencies=[Depends(require_writer)],
    tags=["actors"],
    summary="Add an actor or aliases",
)
def create_actor(body: ActorIn, request: Request, session: WriteSessionDep) -> Response:
    """Add an actor; for an existing slug, add the aliases to it. Applies to articles
    ingested or reprocessed from then on."""
    actor, created = add_actor(session, actor=body)
    location = absolute(request.url_for("get_actor", slug=actor["slug"]).path)
    return render(actor, status_code=201 if created else 200, headers={"Location": location})


@router.patch(
    "/actors/{slug}",
    response_model=Actor,
    responses=problems(400, 401, 404, 413, 415, 422),
    dependencies=[Depends(require_writer)],
    tags=["actors"],
    summary="Edit an actor's aliases",
)
def update_actor(slug: Slug, body: ActorPatch, session: WriteSessionDep) -> Response:
    """Replace an actor's aliases. Applies to articles ingested or reprocessed from then on."""
    return render(set_actor_aliases(session, slug=slug, aliases=body.aliases))


@router.get(
    "/actors/{slug}",
    response_model=Actor,
    responses=problems(404, 422),
    tags=["actors"],
    summary="Get an actor",
)
async def get_actor(slug: Slug, reads: ReadsDep) -> Response:
    """One actor."""
    return await _one(reads, kind="actor", slug=slug)


@router.get(
    "/topics",
    response_model=TopicPage,
    responses=problems(400, 422),
    tags=["topics"],
    summary="List topics",
)
async def list_topics(
    request: Request, reads: ReadsDep, limit: Limit = 50, cursor: Cursor = None
) -> Response:
    """Topics in slug order, each with the number of claims about it."""
    return await _page(request, reads, kind="topic", limit=limit, cursor=cursor)


@router.get(
    "/topics/{slug}",
    response_model=Topic,
    responses=problems(404, 422),
    tags=["topics"],
    summary="Get a topic",
)
async def get_topic(slug: Slug, reads: ReadsDep) -> Response:
    """One topic."""
    return await _one(reads, kind="topic", slug=slug)
