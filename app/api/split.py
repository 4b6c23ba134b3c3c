"""POST /v1/split: run the splitter and store nothing."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from app.api.deps import (
    ArticleBody,
    GuardDep,
    SettingsDep,
    SplitterDep,
    guarded_split,
    problems,
    render,
)
from app.errors import UnprocessableContent
from app.schemas import SplitResponse
from app.views import split_json

router = APIRouter(prefix="/v1", tags=["split"])


@router.post(
    "/split",
    response_model=SplitResponse,
    responses=problems(400, 413, 415, 422),
    summary="Split an article without storing it",
)
async def split_article(
    request: Request,
    body: ArticleBody,
    splitter: SplitterDep,
    guard: GuardDep,
    settings: SettingsDep,
    strict: Annotated[
        bool,
        Query(description="Answer 422 when the citation integrity report is not clean."),
    ] = False,
) -> Response:
    """Return the title, references and claims the splitter finds in the article."""
    result = await guarded_split(
        request,
        guard,
        splitter,
        settings,
        text=body.text,
        format=body.format,
        title=body.title,
        language=body.language,
    )
    response = await run_in_threadpool(split_json, result, text=body.text)
    if strict and not result.integrity.clean:
        report = response["integrity"]
        found = [
            (kind, report[kind])
            for kind in ("dangling_markers", "uncited_references", "duplicate_labels")
            if report[kind]
        ]
        if len(report["marker_styles"]) > 1:
            found.append(("mixed_marker_styles", report["marker_styles"]))
        raise UnprocessableContent(
            "The article's citations are not clean.",
            errors=[
                {"loc": ["body", "text"], "type": kind, "msg": ", ".join(values)}
                for kind, values in found
            ],
        )
    return render(response)
