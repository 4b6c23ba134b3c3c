"""Is this an article the service takes? One check for every way in.

POST /v1/articles, the batch route and `claimsapi ingest` all check an article
here, so it fails the same way (the problem a single POST would answer)
whichever way it came in. A problem is a value (ArticleProblem) where an
article travels with others, so one failure leaves the rest alone.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from app.errors import (
    AppError,
    PayloadTooLarge,
    UnprocessableContent,
    problem_body,
    validation_issues,
)
from app.models import MAX_POSITION
from app.schemas import ArticleIn
from app.splitter.types import SplitResult

__all__ = [
    "ArticleProblem",
    "check_article",
    "check_size",
    "check_statements",
    "checked_article",
    "split_problem",
]

log = logging.getLogger("claimsapi")


@dataclass(frozen=True, slots=True)
class ArticleProblem:
    """Why one article was not stored: the problem a single POST of it would answer.

    A plain record rather than the exception, so it pickles back from a worker.
    """

    status: int
    detail: str
    slug: str | None = None
    errors: list[dict[str, Any]] | None = None

    @classmethod
    def from_error(cls, exc: AppError) -> ArticleProblem:
        """The problem an AppError stands for."""
        return cls(exc.status, exc.detail, exc.slug, exc.errors)

    def body(self) -> dict[str, Any]:
        """As an RFC 9457 problem document."""
        return problem_body(self.status, self.detail, slug=self.slug, errors=self.errors)

    def message(self) -> str:
        """One line for a terminal: the detail, and where the first invalid field is."""
        if not self.errors:
            return self.detail
        issue = self.errors[0]
        return f"{self.detail} ({'.'.join(map(str, issue['loc'][1:]))}: {issue['msg']})"


def check_size(text: str, *, max_article_bytes: int) -> None:
    """413 when the article's text is larger than the configured limit."""
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > max_article_bytes:
        raise PayloadTooLarge(
            f"The article text is {size} bytes; the limit is {max_article_bytes}."
        )


def check_statements(result: SplitResult) -> None:
    """413 when the article splits into more statements than a claim key can number."""
    if len(result.statements) > MAX_POSITION:
        raise PayloadTooLarge(f"The article splits into more than {MAX_POSITION} statements.")


def check_article(raw: Any, *, max_article_bytes: int) -> ArticleIn:
    """Validate one raw article as POST /v1/articles would: 400, 413 or 422 when it fails."""
    if isinstance(raw, AppError):
        raise raw
    try:
        article = ArticleIn.model_validate(raw)
    except ValidationError as exc:
        raise UnprocessableContent(
            "The article is not valid.", errors=validation_issues(exc.errors(), prefix=("body",))
        ) from None
    check_size(article.text, max_article_bytes=max_article_bytes)
    return article


def checked_article(raw: Any, *, max_article_bytes: int) -> ArticleIn | ArticleProblem:
    """The valid article, or its problem as a value that travels with the other articles."""
    try:
        return check_article(raw, max_article_bytes=max_article_bytes)
    except AppError as exc:
        return ArticleProblem.from_error(exc)


def split_problem(exc: Exception) -> ArticleProblem:
    """The problem of an article whose split failed: its own when the service raised
    one (an AppError), else a 500 that fails this article and not the others."""
    if isinstance(exc, AppError):
        return ArticleProblem.from_error(exc)
    log.error("splitting an article failed", exc_info=exc)
    return ArticleProblem(500, "Splitting this article failed.")
