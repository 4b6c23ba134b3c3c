"""The OpenAPI document: FastAPI's, completed with what a generator and a linter need."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

__all__ = ["install_openapi"]

CONTACT = {"name": "claimsapi maintainers", "url": "https://claimsapi.dev"}
LICENSE = {"name": "MIT", "identifier": "MIT"}
# Relative: the document describes the service it is fetched from. A generated
# client is given its base URL (CLAIMS_PUBLIC_URL in production) when made.
SERVERS = [{"url": "/", "description": "The service that serves this document."}]
# FastAPI's own validation error shapes: this API answers `Problem` instead.
_UNUSED = ("HTTPValidationError", "ValidationError")


def install_openapi(app: FastAPI, *, tags: list[dict[str, Any]], description: str) -> None:
    """Make `app.openapi()` build (once) the completed document."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = get_openapi(
                title=app.title,
                version=app.version,
                description=description,
                routes=app.routes,
                tags=tags,
                servers=SERVERS,
                contact=CONTACT,
                license_info=LICENSE,
            )
            app.openapi_schema = _completed(document)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def _completed(document: dict[str, Any]) -> dict[str, Any]:
    schemas: dict[str, Any] = document.setdefault("components", {}).setdefault("schemas", {})
    for path in document["paths"].values():
        for operation in path.values():
            # Named enums of the parameter models (claim_params.openapi_parameters).
            schemas.update(operation.pop("x-components", {}))
            response = operation["responses"].get("422")
            if response and "HTTPValidationError" in str(response):
                operation["responses"]["422"] = {
                    "description": "The request is well-formed but invalid.",
                    "content": {
                        "application/problem+json": {
                            "schema": {"$ref": "#/components/schemas/Problem"}
                        }
                    },
                }
    for name in _UNUSED:
        schemas.pop(name, None)
    document["components"]["schemas"] = dict(sorted(schemas.items()))
    return document
