"""The query parameters of the claim lists and facets: one model, validated in one call.

The filters themselves are the table in app/repository/filters.py; these models add
paging, counting and facets to it.

FastAPI solves each declared query parameter on its own, in Python; for the
sixteen parameters of /v1/claims that cost more than the page's SQL. Here the
parameters are fields of one pydantic model: the query string is validated in
a single call, unknown parameters are rejected by the model, and the OpenAPI
parameters are generated from the same fields (see `openapi_parameters`).
"""

from __future__ import annotations

from functools import cache
from typing import Any, Literal, TypeVar

from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, Field, ValidationError
from starlette.requests import Request
from typing_extensions import TypeAliasType

from app.repository.filters import MAX_FILTER_VALUES, ClaimFilter
from app.services.claims import CountMode

__all__ = [
    "ClaimListParams",
    "FacetParams",
    "openapi_parameters",
    "parse_params",
]

FacetName = TypeAliasType("FacetName", Literal["source", "actor", "topic", "language"])
P = TypeVar("P", bound=BaseModel)


class ClaimListParams(ClaimFilter):
    """GET /v1/claims: the filters, paging and counting."""

    limit: int = Field(default=50, ge=1, le=200, description="Items per page (1-200).")
    cursor: str | None = Field(
        default=None,
        max_length=512,
        description="`next_cursor` of the previous page; omit for the first.",
    )
    count: CountMode = Field(
        default="none", description="Also count the matching claims: exact, estimated or none."
    )


class FacetParams(ClaimFilter):
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
