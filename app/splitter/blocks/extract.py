"""Step: the input as blocks of extracted text, per format."""

from __future__ import annotations

from app.splitter.blocks.html import html_blocks, html_page_blocks
from app.splitter.blocks.main_content import is_whole_page, main_blocks
from app.splitter.blocks.markdown import markdown_blocks
from app.splitter.blocks.plain import text_blocks
from app.splitter.text import Block
from app.splitter.types import Format, PageMeta

__all__ = ["extract_blocks"]


def extract_blocks(clean: str, format: Format) -> tuple[list[Block], PageMeta | None]:
    """Blocks of the working text for the given format (unknown formats read as text), and
    the page's own metadata when it is a whole HTML page."""
    if format == "markdown":
        return markdown_blocks(clean), None
    if format == "html":
        if is_whole_page(clean):
            blocks, boxes, meta = html_page_blocks(clean)
            return main_blocks(clean, blocks, boxes), meta
        return html_blocks(clean), None
    return text_blocks(clean), None
