"""Markdown inline markup removed with offsets kept: emphasis, links, code, entities."""

from __future__ import annotations

import html
import re
from typing import NamedTuple

from app.splitter.text import BlockBuilder

__all__ = ["LinkCitation", "render_inline"]

# A link whose text is only a number cites its URL: `gains [2](https://apnews.com/...)`, the
# way AI answers and some newsletters write footnotes inline.
_NUMBER_TEXT = re.compile(r"\[?(\d{1,3})\]?")


class LinkCitation(NamedTuple):
    """A numbered link: its text in the block (extracted offsets), label, URL span in the input."""

    start: int
    end: int
    label: str
    url_start: int
    url_end: int


# Every alternative is bounded so that hostile input ("[" * 10**6) stays linear. The
# leading lookahead names every character an alternative can start with, so the regex
# engine skips plain prose with a fast character-set scan instead of trying each branch.
_INLINE = re.compile(
    r"(?=[`!\[<&\\*_~])(?:"
    r"(?P<code>`{1,2})(?P<code_body>[^`\n]{1,500}?)(?P=code)"
    r"|(?P<image>!\[[^\]\[\n]{0,500}\]\([^)\s]{0,2000}(?:\s+\"[^\"\n]{0,300}\")?\))"
    r"|(?P<footref>(?:\[\^[^\]\s]{1,24}\]){1,50})"
    r"|\[(?P<link_text>[^\]\[\n]{0,500})\]\((?P<link_url>[^)\s]{0,2000})(?:\s+\"[^\"\n]{0,300}\")?\)"
    r"|\[(?![\d\s,;–—-]{1,40}\])(?P<ref_text>[^\]\[\n]{1,500})\]\[[^\]\[\n]{0,100}\]"
    r"|<(?P<autolink>(?:https?|ftp)://[^>\s]{1,2000}|[^>\s@]{1,200}@[^>\s]{1,200})>"
    r"|(?P<tag></?[A-Za-z][A-Za-z0-9-]{0,30}(?:\s[^<>]{0,500})?/?>)"
    r"|(?P<entity>&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});)"
    r"|\\(?P<escaped>[!-/:-@\[-`{-~])"
    r"|(?P<emphasis>\*{1,3}|_{1,3}|~~))"
)


def render_inline(
    source: str,
    start: int,
    end: int,
    builder: BlockBuilder,
    code: list[tuple[int, int]],
    cited: list[LinkCitation] | None = None,
) -> str | None:
    """Append source[start:end] without inline markup; return the first link URL, if any.

    Numbered links (`[2](https://...)`) are added to `cited` when it is given.
    """
    url: str | None = None
    position = start
    for match in _INLINE.finditer(source, start, end):
        kind = match.lastgroup
        m_start, m_end = match.span()
        if kind == "emphasis" and not _is_delimiter(source, m_start, m_end, start, end):
            continue
        builder.copy(position, m_start)
        position = m_end
        if kind == "code_body" or match.group("code"):
            body_start, body_end = match.span("code_body")
            code.append((len(builder), len(builder) + body_end - body_start))
            builder.copy(body_start, body_end)
        elif match.group("footref") is not None:
            builder.copy(m_start, m_end)
        elif match.group("link_url") is not None:
            text_start, text_end = match.span("link_text")
            before = len(builder)
            render_inline(source, text_start, text_end, builder, code)
            number = _NUMBER_TEXT.fullmatch(match.group("link_text"))
            link = match.group("link_url")
            if cited is not None and number and link.lower().startswith(("http://", "https://")):
                label = number.group(1).lstrip("0") or "0"
                cited.append(LinkCitation(before, len(builder), label, *match.span("link_url")))
            else:
                url = url or link
        elif match.group("ref_text") is not None:
            text_start, text_end = match.span("ref_text")
            render_inline(source, text_start, text_end, builder, code)
        elif match.group("autolink") is not None:
            builder.copy(*match.span("autolink"))
            url = url or match.group("autolink")
        elif match.group("entity") is not None:
            builder.put(html.unescape(match.group("entity")), m_start, m_end)
        elif match.group("escaped") is not None:
            builder.put(match.group("escaped"), m_start, m_end)
        # images, tags and emphasis delimiters are dropped
    builder.copy(position, end)
    return url


def _is_delimiter(source: str, start: int, end: int, low: int, high: int) -> bool:
    """An emphasis run is markup when it touches a word on exactly one side (or on both for *)."""
    before = source[start - 1] if start > low else " "
    after = source[end] if end < high else " "
    if before.isspace() and after.isspace():
        return False
    # snake_case: an underscore between two word characters is not emphasis
    return not (source[start] == "_" and before.isalnum() and after.isalnum())
