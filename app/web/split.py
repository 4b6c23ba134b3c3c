"""GET and POST /split: paste an article, see how it splits; nothing is stored.

The form posts to the same page. It needs no CSRF token: the POST changes
nothing on the server, carries no credentials, and its answer goes only to the
browser that sent it (the page may not be framed by another site).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

from fastapi import APIRouter
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from app.api.deps import SettingsDep, SplitterDep
from app.errors import PayloadTooLarge, UnprocessableContent, UnsupportedMediaType
from app.schemas import ArticleIn
from app.views import split_json
from app.web.render import page
from app.web.views import FilterState, palette, segments, source_names

router = APIRouter()

PATH = "/split"
FORM = "application/x-www-form-urlencoded"
FORMATS = ("text", "markdown", "html")
_FIELDS = ("text", "format", "title")


@router.get(PATH)
async def split_form(request: Request) -> Response:
    """The paste box."""
    return page(request, "split.html", _context(form={"format": "text"}))


@router.post(PATH)
async def split_preview(request: Request, settings: SettingsDep, splitter: SplitterDep) -> Response:
    """The pasted article, split and shown with its claims highlighted; nothing stored."""
    media = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if media != FORM:
        raise UnsupportedMediaType(f"Send the form as {FORM}.")
    try:
        fields = parse_qs(
            (await request.body()).decode("utf-8", "replace"),
            keep_blank_values=True,
            max_num_fields=len(_FIELDS) + 8,
        )
    except ValueError:  # more fields than the form has, by far
        raise UnprocessableContent("The form has too many fields.") from None
    form = {name: fields[name][-1] for name in _FIELDS if name in fields}
    try:
        article = ArticleIn.model_validate(
            {
                "text": form.get("text", ""),
                "format": form.get("format") or "text",
                "title": form.get("title") or None,
            }
        )
    except ValidationError as exc:
        errors = [f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()]
        return page(request, "split.html", _context(form=form, errors=errors), status_code=422)
    size = len(article.text.encode("utf-8", "surrogatepass"))
    if size > settings.max_article_bytes:
        raise PayloadTooLarge(
            f"The article text is {size} bytes; the limit is {settings.max_article_bytes}."
        )
    result = await run_in_threadpool(
        splitter.splitter.split, article.text, format=article.format, title=article.title
    )
    split = split_json(result, text=article.text)
    return page(
        request,
        "split.html",
        _context(
            form=form,
            split=split,
            segments=segments(article.text, split["claims"]),
            palette=palette(split["claims"]),
            source_names=source_names(split["claims"]),
        ),
        headers={"Cache-Control": "no-store"},
    )


def _context(**values: Any) -> dict[str, Any]:
    return {
        "formats": FORMATS,
        "errors": [],
        "split": None,
        "segments": [],
        "palette": {},
        "source_names": {},
        "state": FilterState(()),
        **values,
    }
