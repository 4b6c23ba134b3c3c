"""The query parameters of the claim lists and facets: one model, validated in one call.

FastAPI solves each declared query parameter on its own, in Python; for the
sixteen parameters of /v1/claims that cost more than the page's SQL. Here the
parameters are fields of one pydantic model: the query string is validated in
a single call, unknown parameters are rejected by the model, and the OpenAPI
parameters are generated from the same fields (see `openapi_parameters`).
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import Annotated, Any, Literal, TypeVar

from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from starlette.requests import Request
from typing_extensions import TypeAliasType

from app import repository, services
from app.errors import UnprocessableContent
from app.models import MAX_ARTICLE_ID
from app.schemas import IsoDateTime, as_utc

__all__ = [
    "ClaimListParams",
    "FacetParams",
    "FilterParams",
    "claim_filter",
    "openapi_parameters",
    "parse_params",
]

# Values one repeatable filter may take: each is a lookup and a term of the SQL,
# and SQLite refuses expressions deeper than 1,000.
MAX_FILTER_VALUES = 100
_REPEATABLE = (
    "Repeat to OR values (at most 100); different filters AND. A slug or a name, any case; "
    "`-` excludes."
)
_SORTS: dict[str, repository.Order] = {
    "position": "reading",
    "published_at": "published",
    "-published_at": "-published",
    "relevance": "relevance",
}
_KINDS = ("cited", "inline", "context", "any")
Sort = TypeAliasType("Sort", Literal["position", "published_at", "-published_at", "relevance"])
FacetName = TypeAliasType("FacetName", Literal["source", "actor", "topic", "language"])
P = TypeVar("P", bound=BaseModel)


class FilterParams(BaseModel):
    """The filters every claim query takes."""

    # Parameters the model does not name never reach it (see parse_params).
    model_config = ConfigDict(extra="ignore", frozen=True)

    source: list[str] = Field(
        default=[], max_length=MAX_FILTER_VALUES, description=f"Cited source. {_REPEATABLE}"
    )
    actor: list[str] = Field(
        default=[], max_length=MAX_FILTER_VALUES, description=f"Actor. {_REPEATABLE}"
    )
    topic: list[str] = Field(
        default=[], max_length=MAX_FILTER_VALUES, description=f"Topic. {_REPEATABLE}"
    )
    kind: list[str] = Field(
        default=[],
        max_length=MAX_FILTER_VALUES,
        description="Which attributions `source` and `has_source` match: cited, inline, "
        "context or any (repeat or comma-separate). Default: cited,inline.",
    )
    has_source: bool | None = Field(
        default=None, description="Only claims with (true) or without (false) a source."
    )
    section: list[str] = Field(
        default=[],
        max_length=MAX_FILTER_VALUES,
        description="Section heading, exact, any case; `-` excludes (at most 100 values).",
    )
    article: list[Annotated[int, Field(ge=1, le=MAX_ARTICLE_ID)]] = Field(
        default=[], max_length=MAX_FILTER_VALUES, description="Article id; repeat to OR (<= 100)."
    )
    article_url: list[str] = Field(
        default=[],
        max_length=MAX_FILTER_VALUES,
        description="Article URL as ingested; repeat to OR (at most 100).",
    )
    since: IsoDateTime | None = Field(
        default=None, description="Articles published at or after (UTC if no zone)."
    )
    until: IsoDateTime | None = Field(
        default=None, description="Articles published before (UTC if no zone)."
    )
    language: list[Annotated[str, Field(pattern=r"^[A-Za-z]{2,3}$")]] = Field(
        default=[],
        description="Article language, an ISO 639 code (`ru`, `de`); repeat to OR.",
    )
    q: str | None = Field(
        default=None,
        max_length=500,
        description='Full-text search; "quoted phrases" match as phrases.',
    )
    sort: Sort | None = Field(
        default=None,
        description="Order: position (article order, then position; the default), "
        "published_at, -published_at, or relevance (the default with q).",
    )

    @field_validator("since", "until")
    @classmethod
    def _utc(cls, value: datetime | None) -> datetime | None:
        return as_utc(value)


class ClaimListParams(FilterParams):
    """GET /v1/claims: the filters, paging and counting."""

    limit: int = Field(default=50, ge=1, le=200, description="Items per page (1-200).")
    cursor: str | None = Field(
        default=None,
        max_length=512,
        description="`next_cursor` of the previous page; omit for the first.",
    )
    count: services.CountMode = Field(
        default="none", description="Also count the matching claims: exact, estimated or none."
    )


class FacetParams(FilterParams):
    """GET /v1/facets: the filters, which facets, and how many values of each."""

    facet: list[FacetName] = Field(
        default=["source", "actor", "topic"],
        max_length=MAX_FILTER_VALUES,
        description="Facet to count; repeat for several.",
    )
    limit: int = Field(default=10, ge=1, le=100, description="Values per facet.")


def parse_params(model: type[P], request: Request) -> P:
    """The query string as `model`; a 422 listing every invalid parameter.

    Parameters the model does not name are ignored, as GitHub and Datasette do: a
    cache-buster or the `utm_source` an analytics tool appends must not fail a page.
    """
    names, repeatable = _shape(model)
    query = request.query_params
    values: dict[str, Any] = {}
    for name in query:
        if name not in names:
            continue
        # A scalar given twice takes its last value, as everywhere in Starlette.
        values[name] = query.getlist(name) if name in repeatable else query.getlist(name)[-1]
    try:
        return model.model_validate(values)
    except ValidationError as exc:
        raise RequestValidationError(
            [{**error, "loc": ("query", *error["loc"])} for error in exc.errors(include_url=False)]
        ) from None


@cache
def _shape(model: type[BaseModel]) -> tuple[frozenset[str], frozenset[str]]:
    """The model's parameter names, and those that repeat (lists): worked out once."""
    fields = model.model_fields
    lists = {n for n, f in fields.items() if getattr(f.annotation, "__origin__", None) is list}
    return frozenset(fields), frozenset(lists)


def claim_filter(params: FilterParams) -> repository.ClaimFilter:
    """The repository's filter for validated parameters."""
    search = (params.q or "").strip() or None
    order = _SORTS[params.sort] if params.sort else ("relevance" if search else "reading")
    if order == "relevance" and not search:
        raise UnprocessableContent(
            "sort=relevance needs a search: give q.",
            errors=[{"loc": ["query", "sort"], "type": "value_error", "msg": "needs q"}],
        )
    return repository.ClaimFilter(
        source=tuple(params.source),
        actor=tuple(params.actor),
        topic=tuple(params.topic),
        kind=_kinds(params.kind),
        has_source=params.has_source,
        section=tuple(params.section),
        article=tuple(params.article),
        article_url=tuple(params.article_url),
        since=params.since,
        until=params.until,
        language=tuple(code.lower() for code in params.language),
        q=search,
        order=order,
    )


def _kinds(values: list[str]) -> tuple[str, ...]:
    kinds: list[str] = []
    for value in values:
        for part in value.split(","):
            kind = part.strip().lower()
            if kind not in _KINDS:
                raise UnprocessableContent(
                    f"Unknown kind '{part}': use cited, inline, context or any.",
                    errors=[{"loc": ["query", "kind"], "type": "enum", "msg": f"'{part}'"}],
                )
            kinds.append(kind)
    return tuple(dict.fromkeys(kinds)) or repository.ClaimFilter().kind


def openapi_parameters(model: type[BaseModel], *, first: tuple[str, ...] = ()) -> dict[str, Any]:
    """`openapi_extra` declaring the model's fields as query parameters, `first` leading.

    The named enums they use travel under `x-components` for app.openapi to file
    under `components/schemas`.
    """
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
    properties: dict[str, dict[str, Any]] = schema["properties"]
    order = [*first, *(name for name in properties if name not in first)]
    return {
        "parameters": [
            {
                "name": name,
                "in": "query",
                "required": False,
                "schema": {k: v for k, v in properties[name].items() if k != "description"},
                "description": properties[name]["description"],
            }
            for name in order
        ],
        "x-components": schema.get("$defs", {}),
    }
